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
use crate::judge::{word_count, Page};

use super::{is_label, Detector};

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
}

#[derive(PartialEq)]
enum Kind {
    Teaser,
    Label,
    Other,
}

impl TeaserList {
    pub fn new(config: Config) -> TeaserList {
        let markers = config
            .markers
            .iter()
            .map(|m| m.trim().to_lowercase())
            .collect();
        TeaserList { config, markers }
    }

    fn kind(&self, text: &str) -> Kind {
        let text = text.trim();
        let truncated = text.ends_with("...") || text.ends_with('…');
        if truncated && word_count(text) >= self.config.min_teaser_words {
            Kind::Teaser
        } else if is_label(text, self.config.max_label_words) {
            Kind::Label
        } else {
            Kind::Other
        }
    }

    fn is_marker(&self, text: &str) -> bool {
        let text = text.trim().trim_end_matches(':').to_lowercase();
        self.markers.iter().any(|m| *m == text)
    }
}

impl Detector for TeaserList {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        let blocks = page.blocks;
        let text_blocks: Vec<usize> = (0..blocks.len())
            .filter(|&i| !blocks[i].is_blank())
            .collect();
        let kinds: Vec<Kind> = text_blocks
            .iter()
            .map(|&i| self.kind(&blocks[i].text))
            .collect();
        let mut start = 0;
        while start < text_blocks.len() {
            if kinds[start] == Kind::Other && !self.is_marker(&blocks[text_blocks[start]].text) {
                start += 1;
                continue;
            }
            // A run: an optional marker, then label and teaser lines only.
            let marker = self
                .is_marker(&blocks[text_blocks[start]].text)
                .then_some(start);
            let mut end = if marker.is_some() { start + 1 } else { start };
            let mut teasers = 0;
            while end < text_blocks.len()
                && kinds[end] != Kind::Other
                && !self.is_marker(&blocks[text_blocks[end]].text)
            {
                if kinds[end] == Kind::Teaser {
                    teasers += 1;
                }
                end += 1;
            }
            // Trailing labels after the last teaser belong to whatever follows, not the list.
            let mut last = end;
            while last > start && kinds[last - 1] == Kind::Label && marker != Some(last - 1) {
                last -= 1;
            }
            let qualifies =
                teasers >= self.config.min_teasers || (marker.is_some() && teasers >= 1);
            if qualifies {
                let why: Arc<str> = match marker {
                    Some(m) => format!(
                        "{teasers} truncated teasers after \"{}\"",
                        blocks[text_blocks[m]].text.trim()
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
