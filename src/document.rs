//! The types every stage shares: a `Document` as read, the `Block`s it is cut into, and the
//! `Verdict` the judge gives each block. They live apart from the stages so that each stage
//! depends on these shapes, not on another stage's internals.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// One input document: a text dump file, a JSONL record or standard input.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Unique within a run: the path relative to its input folder (without `.txt`/`.gz`),
    /// or the record id of a JSONL line. Also the name of its clean file.
    pub id: String,
    /// Where it came from, for messages: a path, `path:line` for JSONL, or `<stdin>`.
    pub source: String,
    /// The page URL when the input says it.
    pub url: Option<String>,
    /// The host the page came from (from `url`, or `--site`), lower-case.
    pub site: Option<String>,
    /// The page's headline when the input gives it (a JSONL `title` field).
    pub title: Option<String>,
    /// The text as read (invalid UTF-8 replaced by U+FFFD).
    pub raw: String,
    /// How many invalid UTF-8 sequences were replaced while reading.
    pub invalid_utf8: usize,
    /// The HTML source of a page read from HTML, until `clean_document` turns it into `raw`
    /// (see `html::prepare`).
    pub markup: Option<String>,
    /// What the markup said about each line of `raw`, and the page's metadata.
    pub html: Option<Box<crate::html::HtmlFacts>>,
    /// Which input argument of the run the document came from (0 for the first): documents
    /// without a host are grouped by it.
    pub input: usize,
    /// Hashes of this document's lines that many documents of its site carry, in no
    /// order; set by the repeated-line detector's pass over the whole run before judging.
    pub repeated_lines: Arc<[u64]>,
    /// Whether each line of `raw` is one of `repeated_lines` (by the hash it is counted by,
    /// `judge::line_hash` of its trimmed text), line by line, left by the same pass when
    /// `repeated_lines` is not empty so the detector does not look the lines up again;
    /// empty otherwise, or when `raw` was replaced.
    pub repeated_at: Vec<bool>,
    /// The JSONL record's fields as written, kept so `--format jsonl` can write every other
    /// field back; the text field's value is not among them, the text itself is in `raw`.
    pub record: Option<crate::input::Record>,
}

/// The unit of judgement: one line of a text dump.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    /// 1-based line number in the raw text.
    pub line: usize,
    /// Byte span of the line in the raw text, terminator included.
    pub span: Range<usize>,
    /// Whether the raw line ended with a line terminator.
    pub has_newline: bool,
    /// The normalised text of the line, terminator excluded.
    pub text: Cow<'a, str>,
    /// Which normalisations changed this line (see `normalize::Change`).
    pub changes: crate::normalize::Changes,
}

impl Block<'_> {
    /// True for a line with no visible text.
    pub fn is_blank(&self) -> bool {
        is_blank_text(&self.text)
    }
}

/// True for text with nothing visible: white space, and the invisible characters pages
/// leave on otherwise empty lines (a byte-order mark or zero-width space mid-page).
pub fn is_blank_text(text: &str) -> bool {
    text.trim_matches(|c: char| c.is_whitespace() || INVISIBLE.contains(&c))
        .is_empty()
}

/// Characters that take no room and are not white space: zero-width space, zero-width
/// non-joiner and joiner, word joiner, zero-width no-break space (the byte-order mark).
const INVISIBLE: [char; 5] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

/// What the judge decided for one block. Every dropped block names the rule that dropped it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    Drop {
        /// The id of the rule or detector, e.g. `related.you-may-also-like`.
        rule: Arc<str>,
        /// A short reason a reviewer can check: the matched phrase, a score, the marker line.
        why: Arc<str>,
    },
}

impl Verdict {
    pub fn drop(rule: &Arc<str>, why: impl Into<Arc<str>>) -> Verdict {
        Verdict::Drop {
            rule: Arc::clone(rule),
            why: why.into(),
        }
    }

    pub fn is_keep(&self) -> bool {
        matches!(self, Verdict::Keep)
    }

    pub fn rule(&self) -> Option<&str> {
        match self {
            Verdict::Keep => None,
            Verdict::Drop { rule, .. } => Some(rule),
        }
    }
}

#[cfg(test)]
mod blank_tests {
    use super::is_blank_text;

    #[test]
    fn invisible_characters_alone_make_a_blank_line() {
        assert!(is_blank_text(""));
        assert!(is_blank_text(" \t"));
        assert!(is_blank_text("\u{FEFF}"));
        assert!(is_blank_text(" \u{200B}\u{FEFF} "));
        assert!(!is_blank_text("\u{FEFF}News"));
        assert!(!is_blank_text("."));
    }
}
