//! Title echo: a line that repeats the page's headline and adds a little text, which is what
//! an image caption or file name under the headline looks like in a page dump
//! (`<headline> ChatGPT Image Jan 24 2026 06 52 25 PM`).
//!
//! The headline is the document's title when the input gives one, or else any title-like
//! line (enough words, no sentence end) in the head of the page near the echo. Only lines
//! that start with the whole headline and add at most a few words are removed: a paragraph
//! that opens with the headline's words goes on for a sentence or more.

use serde::Deserialize;
use std::sync::Arc;

use crate::document::Verdict;
use crate::judge::{word_count, Page};

use super::Detector;

pub const ID: &str = "detect.title-echo";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A headline has at least this many words.
    pub min_title_words: usize,
    /// The echo adds at most this many words after the headline.
    pub max_extra_words: usize,
    /// How many non-blank lines away from the headline an echo may be.
    pub max_distance: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_title_words: 4,
            max_extra_words: 20,
            max_distance: 6,
        }
    }
}

pub struct TitleEcho {
    config: Config,
}

impl TitleEcho {
    pub fn new(config: Config) -> TitleEcho {
        TitleEcho { config }
    }

    fn is_echo_of(&self, line: &str, title: &str) -> Option<usize> {
        let rest = line.strip_prefix(title)?;
        if !rest
            .starts_with(|c: char| c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—' | ':'))
        {
            return None;
        }
        let extra = word_count(rest.trim_start_matches(|c: char| !c.is_alphanumeric()));
        (extra >= 1 && extra <= self.config.max_extra_words).then_some(extra)
    }
}

impl Detector for TitleEcho {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        let blocks = page.blocks;
        let min_words = self.config.min_title_words;
        let is_title =
            |i: usize| usize::from(page.features[i].words) >= min_words && !page.is_sentence(i);
        let given_title = page
            .doc
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| word_count(t) >= self.config.min_title_words);
        // Indices of non-blank blocks, so distance counts text lines, not blank ones. Only
        // lines in the head are echoes or headlines, and the head is where the page starts:
        // once a line is past it, so are all after it.
        let head = page.text_blocks.partition_point(|&i| page.in_head(i));
        let text_blocks = &page.text_blocks[..head];
        // The headline-like lines, by position among the text lines, with their text: few
        // lines qualify, so each line is compared with the few near it rather than looking
        // at every neighbour.
        let titles: Vec<(usize, &str)> = text_blocks
            .iter()
            .enumerate()
            .filter(|&(_, &j)| is_title(j))
            .map(|(position, &j)| (position, page.trimmed(j)))
            .collect();
        // The first title at or after `position - max_distance`: positions only grow.
        let mut first = 0;
        for (position, &i) in text_blocks.iter().enumerate() {
            // A line that starts with a title has at least the title's words, and titles
            // have at least `min_title_words`: a shorter line (most menu items) echoes none.
            if !verdicts[i].is_keep() || usize::from(page.features[i].words) < min_words {
                continue;
            }
            let line = page.trimmed(i);
            if let Some(title) = given_title {
                if let Some(extra) = self.is_echo_of(line, title) {
                    verdicts[i] =
                        Verdict::drop(id, format!("repeats the title and adds {extra} words"));
                    continue;
                }
            }
            let low = position.saturating_sub(self.config.max_distance);
            let high = position + self.config.max_distance + 1;
            while titles.get(first).is_some_and(|&(p, _)| p < low) {
                first += 1;
            }
            for &(title_position, title) in &titles[first..] {
                if title_position >= high {
                    break;
                }
                let j = text_blocks[title_position];
                if j == i {
                    continue;
                }
                if let Some(extra) = self.is_echo_of(line, title) {
                    verdicts[i] = Verdict::drop(
                        id,
                        format!(
                            "repeats the headline on line {} and adds {extra} words",
                            blocks[j].line
                        ),
                    );
                    break;
                }
            }
        }
    }
}
