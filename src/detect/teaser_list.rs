//! Teaser list: a run of other stories' teasers, each a truncated sentence ending in "..."
//! and often preceded by a short section label ("Crime", "News"), usually under a marker
//! such as "You May Also Like".
//!
//! The run is found from its shape, not its words: only label lines and truncated teaser
//! lines, with at least `min_teasers` teasers, or at least one when a marker line (a phrase
//! from `markers`) opens the run. The marker goes with the run. Article text never ends a
//! line in "..." twice in a row between one-word labels, so the shape is a safe signal.

use serde::Deserialize;
use std::sync::Arc;

use crate::document::Verdict;
use crate::judge::{LineFeatures, Page};

use super::Detector;

pub const ID: &str = "detect.teaser-list";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Lines that open a list of other stories (whole line, case-insensitive).
    pub markers: Vec<String>,
    /// A label line in the list has at most this many words.
    pub max_label_words: usize,
    /// A teaser line has at least this many words before its "...".
    pub min_teaser_words: usize,
    /// Without a marker, a run needs this many teasers to count as a list.
    pub min_teasers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            markers: [
                "You May Also Like",
                "You Might Also Like",
                "Related",
                "Related Stories",
                "Related Articles",
                "Related News",
                "More Stories",
                "More News",
                "Read More",
                "Read Next",
                "Recommended",
                "Recommended for You",
                "Trending",
                "Trending Now",
                "Most Popular",
                "Most Read",
                "Latest News",
                "Top Stories",
                "See Also",
            ]
            .map(String::from)
            .to_vec(),
            max_label_words: 3,
            min_teaser_words: 4,
            min_teasers: 2,
        }
    }
}

pub struct TeaserList {
    config: Config,
    markers: Vec<String>,
    /// The longest marker in bytes: longer lines are not compared at all.
    longest_marker: usize,
    /// `marker_lengths[n]`: the lower-cased markers `n` bytes long. Most lines are ruled out
    /// by their length before any comparison, and the others are compared only with the
    /// markers of their length.
    marker_lengths: Vec<Vec<String>>,
    /// The most words a marker has.
    most_marker_words: usize,
    /// Every marker is ASCII.
    ascii_markers: bool,
    /// `marker_starts[b]`: some marker starts with the ASCII byte `b` in lower case. A line
    /// starting with another ASCII byte is no marker.
    marker_starts: [bool; 128],
}

#[derive(PartialEq)]
enum Kind {
    /// A line that opens a list (one of `markers`), whatever else it looks like.
    Marker,
    Teaser,
    Label,
    Other,
}

impl TeaserList {
    pub fn new(config: Config) -> TeaserList {
        let markers: Vec<String> = config
            .markers
            .iter()
            .map(|m| m.trim().to_lowercase())
            .collect();
        let longest_marker = config.markers.iter().map(|m| m.len()).max().unwrap_or(0);
        let mut marker_lengths = Vec::new();
        for marker in &markers {
            let len = marker.len();
            if marker_lengths.len() <= len {
                marker_lengths.resize(len + 1, Vec::new());
            }
            marker_lengths[len].push(marker.clone());
        }
        let most_marker_words = markers
            .iter()
            .map(|m| crate::judge::word_count(m))
            .max()
            .unwrap_or(0);
        let ascii_markers = markers.iter().all(|m| m.is_ascii());
        let mut marker_starts = [false; 128];
        for marker in &markers {
            match marker.as_bytes().first() {
                Some(&b) if b.is_ascii() => marker_starts[usize::from(b)] = true,
                Some(_) => {}
                // An empty marker matches an empty line, whatever its first byte.
                None => marker_starts = [true; 128],
            }
        }
        TeaserList {
            config,
            markers,
            longest_marker,
            marker_lengths,
            most_marker_words,
            ascii_markers,
            marker_starts,
        }
    }

    /// What line `i` of a page is to a list: a marker first, else its shape.
    #[inline]
    fn kind_of(&self, page: &Page<'_>, i: usize) -> Kind {
        if self.may_be_marker(page, i) && self.is_marker(page, i) {
            Kind::Marker
        } else {
            self.kind(&page.features[i])
        }
    }

    /// The first tests of `is_marker`, which rule out most lines without a call: taking the
    /// colons off the end removes at most one word, and lower-casing never makes or removes
    /// white space, so a line with more words than a marker and a colon is no marker;
    /// lower-casing turns an ASCII first byte into the first byte of the lower case; and an
    /// ASCII line that does not end in a colon is a marker only as long as one.
    #[inline(always)]
    fn may_be_marker(&self, page: &Page<'_>, i: usize) -> bool {
        let features = &page.features[i];
        if usize::from(features.words) > self.most_marker_words + 1 {
            return false;
        }
        let trimmed = page.trimmed(i).as_bytes();
        if let Some(&b) = trimmed.first() {
            if b.is_ascii() && !self.marker_starts[usize::from(b.to_ascii_lowercase())] {
                return false;
            }
        }
        !features.ascii
            || trimmed.last() == Some(&b':')
            || self
                .marker_lengths
                .get(trimmed.len())
                .is_some_and(|markers| !markers.is_empty())
    }

    fn kind(&self, features: &LineFeatures) -> Kind {
        if features.truncated && features.words as usize >= self.config.min_teaser_words {
            Kind::Teaser
        } else if features.is_label(self.config.max_label_words) {
            Kind::Label
        } else {
            Kind::Other
        }
    }

    /// Whether line `i` of a page, which `may_be_marker`, is a marker. (The tests are in
    /// order of cost; any failed one rules the line out.)
    fn is_marker(&self, page: &Page<'_>, i: usize) -> bool {
        let trimmed = page.trimmed(i);
        if page.blocks[i].text.len() > self.longest_marker * 4 + 8 {
            return false;
        }
        // A trimmed line that does not end in a colon is its own text without the colons.
        let text = if trimmed.ends_with(':') {
            trimmed.trim_end_matches(':').trim_end()
        } else {
            trimmed
        };
        if page.features[i].ascii || text.is_ascii() {
            return self
                .marker_lengths
                .get(text.len())
                .is_some_and(|markers| markers.iter().any(|m| text.eq_ignore_ascii_case(m)));
        }
        // Lower-casing turns each character (at most four bytes) into at least one byte, so
        // a line four times longer than every marker cannot become one.
        if text.len() > self.marker_lengths.len() * 4 {
            return false;
        }
        // A line lower-cases to ASCII only if each of its characters does (the final sigma
        // rule picks between two Greek letters): when every marker is ASCII, a character
        // whose lower case is not (as nearly every non-ASCII letter's) rules the line out.
        if self.ascii_markers && !may_lowercase_to_ascii(text) {
            return false;
        }
        let lower = crate::rules::lowercase(text);
        self.markers.contains(&lower)
    }
}

/// Whether every character of `text` lower-cases to ASCII characters, which its lower case
/// needs to be ASCII. A text's lower case is its characters' lower cases one after another,
/// but for the final sigma rule, which picks between two Greek letters.
fn may_lowercase_to_ascii(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii() || c.to_lowercase().all(|l| l.is_ascii()))
}

impl Detector for TeaserList {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        // A list that qualifies has a teaser, a truncated line, when it needs any teaser at
        // all: most pages have no truncated line.
        if self.config.min_teasers > 0 && page.marks.truncated == 0 {
            return;
        }
        let text_blocks = &page.text_blocks;
        let kinds: Vec<Kind> = text_blocks.iter().map(|&i| self.kind_of(page, i)).collect();
        let mut start = 0;
        while start < text_blocks.len() {
            if kinds[start] == Kind::Other {
                start += 1;
                continue;
            }
            // A run: an optional marker, then label and teaser lines only.
            let marker = (kinds[start] == Kind::Marker).then_some(start);
            let mut end = if marker.is_some() { start + 1 } else { start };
            let mut teasers = 0;
            while end < text_blocks.len() && !matches!(kinds[end], Kind::Other | Kind::Marker) {
                if kinds[end] == Kind::Teaser {
                    teasers += 1;
                }
                end += 1;
            }
            // Trailing labels after the last teaser belong to whatever follows, not the list.
            let mut last = end;
            while last > start && kinds[last - 1] == Kind::Label {
                last -= 1;
            }
            let qualifies =
                teasers >= self.config.min_teasers || (marker.is_some() && teasers >= 1);
            if qualifies {
                let why: Arc<str> = match marker {
                    Some(m) => format!(
                        "{teasers} truncated teasers after \"{}\"",
                        page.trimmed(text_blocks[m])
                    )
                    .into(),
                    None => format!("{teasers} truncated teasers between short labels").into(),
                };
                for &i in &text_blocks[start..last] {
                    if verdicts[i].is_keep() {
                        verdicts[i] = Verdict::drop(id, Arc::clone(&why));
                    }
                }
            }
            start = end.max(start + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the detector drops from a page of `raw`, as line numbers.
    fn dropped(list: &TeaserList, raw: &str) -> Vec<usize> {
        crate::judge::with_page_of(raw, |page, _, blocks, _| {
            let mut verdicts = vec![Verdict::Keep; blocks.len()];
            list.judge(&Arc::from(ID), page, &mut verdicts);
            (0..blocks.len())
                .filter(|&i| !verdicts[i].is_keep())
                .map(|i| blocks[i].line)
                .collect()
        })
    }

    #[test]
    fn a_page_without_a_truncated_line_has_no_list_unless_none_is_needed() {
        let labels = "Story text here.\nRelated\nCrime\nNews\nSports\nA headline of a story\n";
        let list = TeaserList::new(Config::default());
        assert!(dropped(&list, labels).is_empty());
        let with_teaser = labels.replace("Sports", "Four words cut short...\nSports");
        assert_eq!(dropped(&list, &with_teaser), [2, 3, 4, 5]);
        // A list of no teasers at all qualifies when none are needed.
        let none_needed = TeaserList::new(Config {
            min_teasers: 0,
            ..Config::default()
        });
        assert_eq!(dropped(&none_needed, labels), [2]);
    }

    #[test]
    fn a_text_whose_lower_case_is_ascii_passes_the_character_test() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for text in [
                format!("{c}"),
                format!("a{c}"),
                format!("{c} b"),
                format!("a{c}b"),
            ] {
                assert!(
                    may_lowercase_to_ascii(&text) || !crate::rules::lowercase(&text).is_ascii(),
                    "{text:?}"
                );
            }
        }
        assert!(may_lowercase_to_ascii("Related"));
        assert!(!may_lowercase_to_ascii("Ähnliche Artikel"));
        assert!(!may_lowercase_to_ascii("ΣΧΕΤΙΚΑ"));
    }
}
