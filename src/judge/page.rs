//! What the judge knows about a page as a whole: where its sentence-like text lies.
//!
//! Rules and detectors ask "is this block in the head or the tail of the page?". Counting
//! lines or bytes answers badly for page dumps, where a menu can be ten times longer than
//! the article. So positions are measured in article text: the bytes of sentence-like lines
//! (several words ending in sentence punctuation). The head is where less than half of that
//! text has been read, the tail where at least half has; a related-stories marker in the
//! middle of a long article is therefore not in the tail.

use crate::document::{Block, Document};

/// A document with its blocks and the layout facts derived from them.
pub struct Page<'a> {
    pub doc: &'a Document,
    pub blocks: &'a [Block<'a>],
    /// Sentence-like bytes strictly before each block.
    sentence_bytes_before: Vec<usize>,
    sentence_bytes_total: usize,
    /// Index of the first sentence-like block, if any.
    pub first_sentence: Option<usize>,
    sentence_like: Vec<bool>,
}

impl<'a> Page<'a> {
    pub fn new(doc: &'a Document, blocks: &'a [Block<'a>]) -> Page<'a> {
        let mut sentence_bytes_before = Vec::with_capacity(blocks.len());
        let mut sentence_like = Vec::with_capacity(blocks.len());
        let mut total = 0;
        let mut first_sentence = None;
        for (i, block) in blocks.iter().enumerate() {
            sentence_bytes_before.push(total);
            let is_sentence = is_sentence_like(&block.text);
            if is_sentence {
                total += block.text.len();
                first_sentence.get_or_insert(i);
            }
            sentence_like.push(is_sentence);
        }
        Page {
            doc,
            blocks,
            sentence_bytes_before,
            sentence_bytes_total: total,
            first_sentence,
            sentence_like,
        }
    }

    /// Whether a block is a sentence-like line (see `is_sentence_like`).
    pub fn is_sentence(&self, block: usize) -> bool {
        self.sentence_like[block]
    }

    /// Less than half of the page's sentence-like text comes before this block. On a page
    /// with no sentence-like line, the first half of its lines.
    pub fn in_head(&self, block: usize) -> bool {
        if self.sentence_bytes_total == 0 {
            return block * 2 < self.blocks.len();
        }
        self.sentence_bytes_before[block] * 2 < self.sentence_bytes_total
    }

    /// At least half of the page's sentence-like text comes before this block.
    pub fn in_tail(&self, block: usize) -> bool {
        if self.sentence_bytes_total == 0 {
            return block * 2 >= self.blocks.len();
        }
        self.sentence_bytes_before[block] * 2 >= self.sentence_bytes_total
    }

    /// No sentence-like line comes before this block: the page's head proper, where menus,
    /// labels and headlines sit.
    pub fn before_text(&self, block: usize) -> bool {
        self.first_sentence.is_none_or(|first| block < first)
    }
}

/// Words as separated by white space.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A line that reads as prose: at least four words and a sentence end (`.`, `!`, `?`,
/// possibly inside closing quotes or brackets), but not a truncated teaser ending in `...`.
pub fn is_sentence_like(text: &str) -> bool {
    let text = text.trim_end();
    if text.ends_with("...") || text.ends_with('…') {
        return false;
    }
    let core = text.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    let ends_sentence = core.ends_with(['.', '!', '?']);
    ends_sentence && word_count(text) >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_like_lines() {
        assert!(is_sentence_like("The vote was 7-2."));
        assert!(is_sentence_like("He said: \"We will win.\""));
        assert!(!is_sentence_like("You May Also Like"));
        assert!(!is_sentence_like("A group of people gathered near the..."));
        assert!(!is_sentence_like("Hi, what?"));
    }
}
