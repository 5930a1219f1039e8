//! Section label: a one- or two-word category line ("News", "Crime", "World Cup") in the
//! head of a page dump, before the article text starts.
//!
//! Article subheadings are left alone because they come after the first paragraph; and the
//! last short line right before the first paragraph is kept too, since a short headline sits
//! exactly there. Labels inside teaser lists are the teaser-list detector's business.
//! A link inside the first paragraph, which a dump that breaks lines at every tag prints on
//! a line of its own, is no label: the text after it goes on from it.

use serde::Deserialize;
use std::sync::Arc;

use crate::document::Verdict;
use crate::judge::Page;

use super::content_region::breaks_inside_text;
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
        // The text lines before the article starts (blank lines are no labels); the last of
        // them may be a short headline, and is kept.
        let head = page.text_blocks.partition_point(|&i| i < first_sentence);
        let before_headline = &page.text_blocks[..head.saturating_sub(1)];
        // One shared reason for every label on the page.
        let mut why: Option<Arc<str>> = None;
        for &i in before_headline {
            // The label test first: it reads the line's features alone.
            if !page.features[i].is_label(self.config.max_words) || !verdicts[i].is_keep() {
                continue;
            }
            if !piece_of_broken_paragraph(page, i) {
                let why = why.get_or_insert_with(|| "short label before the article text".into());
                verdicts[i] = Verdict::drop(id, Arc::clone(why));
            }
        }
    }
}

/// Whether a block is a piece of a paragraph that the dump broke into lines at its inline
/// markup (`breaks_inside_text`): a link's text inside a sentence, alone on its line, looks
/// like a label but is the article's, and the text after it goes on from it. (Only the break
/// after the line is looked at: the rest of a sentence follows a link's text, and testing
/// the break before it too would double the cost over a page head's menus.) An HTML page's
/// lines are whole blocks of its markup.
fn piece_of_broken_paragraph(page: &Page<'_>, i: usize) -> bool {
    if page.doc.html.is_some() {
        return false;
    }
    i + 1 < page.blocks.len() && breaks_inside_text(page, i, i + 1)
}
