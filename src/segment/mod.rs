//! Cutting a document into blocks, the units the judge decides on.
//!
//! A text dump is cut at line feeds: scrapers write one paragraph, menu item or caption per
//! line, so a line is the natural unit a rule author points at. Each block keeps its byte
//! span and line number so the report and the diff can point back at the input exactly.

use crate::document::Block;
use crate::normalize::normalize_line;

/// Splits raw text into line blocks, normalising each line's text.
pub fn lines(raw: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::with_capacity(raw.len() / 40 + 1);
    let mut start = 0;
    let bytes = raw.as_bytes();
    let mut number = 1;
    while start < raw.len() {
        let (end, has_newline) = match memchr_newline(&bytes[start..]) {
            Some(offset) => (start + offset, true),
            None => (raw.len(), false),
        };
        let (text, changes) = normalize_line(&raw[start..end]);
        let span_end = if has_newline { end + 1 } else { end };
        blocks.push(Block {
            line: number,
            span: start..span_end,
            has_newline,
            text,
            changes,
        });
        number += 1;
        start = span_end;
    }
    blocks
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_input() {
        let raw = "one\r\ntwo  \n\nthree";
        let blocks = lines(raw);
        assert_eq!(blocks.len(), 4);
        assert_eq!(blocks[0].text, "one");
        assert_eq!(blocks[1].text, "two");
        assert!(blocks[2].is_blank());
        assert_eq!(blocks[3].text, "three");
        assert!(!blocks[3].has_newline);
        let joined: String = blocks.iter().map(|b| &raw[b.span.clone()]).collect();
        assert_eq!(joined, raw);
        assert_eq!(blocks[3].line, 4);
    }

    #[test]
    fn empty_input_has_no_blocks() {
        assert!(lines("").is_empty());
    }
}
