//! Section label: a one- or two-word category line ("News", "Crime", "World Cup") in the
//! head of a page dump, before the article text starts.
//!
//! Article subheadings are left alone because they come after the first paragraph; and the
//! last short line right before the first paragraph is kept too, since a short headline sits
//! exactly there. Labels inside teaser lists are the teaser-list detector's business.

use serde::Deserialize;
use std::sync::Arc;

use crate::document::Verdict;
use crate::judge::Page;

use super::Detector;

pub const ID: &str = "detect.section-label";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A label has at most this many words.
    pub max_words: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config { max_words: 2 }
    }
}

pub struct SectionLabel {
    config: Config,
}

impl SectionLabel {
    pub fn new(config: Config) -> SectionLabel {
        SectionLabel { config }
    }
}

impl Detector for SectionLabel {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        let blocks = page.blocks;
        // Article text starts at the first sentence-like line that no rule removed: a search
        // prompt such as "Hi, what are you looking for?" reads like a sentence but is chrome.
        // (No block before the page's first sentence-like one is sentence-like.)
        let first_sentence = page.first_sentence.and_then(|first| {
            (first..blocks.len()).find(|&i| page.is_sentence(i) && verdicts[i].is_keep())
        });
        let Some(first_sentence) = first_sentence else {
            // With no article text there is no head to speak of.
            return;
        };
        // The last text line before the article starts may be a short headline.
        let headline_slot = (0..first_sentence).rev().find(|&i| !page.is_blank(i));
        // One shared reason for every label on the page.
        let mut why: Option<Arc<str>> = None;
        for (i, verdict) in verdicts.iter_mut().enumerate().take(first_sentence) {
            if Some(i) == headline_slot || !verdict.is_keep() || page.is_blank(i) {
                continue;
            }
            if page.features[i].is_label(self.config.max_words) {
                let why = why.get_or_insert_with(|| "short label before the article text".into());
                *verdict = Verdict::drop(id, Arc::clone(why));
            }
        }
    }
}
