//! Cutting a document into blocks, the units the judge decides on.
//!
//! A text dump is cut at line feeds: scrapers write one paragraph, menu item or caption per
//! line, so a line is the natural unit a rule author points at. Each block keeps its byte
//! span and line number so the report and the diff can point back at the input exactly.

use std::borrow::Cow;

use crate::document::Block;
use crate::normalize::{ascii_prefix_len, is_ascii_space, normalize_line_after_ascii, Changes};
use crate::report::equal_bytes;

/// Splits raw text into line blocks, normalising each line's text.
///
/// Most lines need no normalisation: an ASCII line that does not end with white space (a
/// carriage return included) is its own normal form. Where the text is ASCII is found in
/// one pass over the text (eight bytes at a time) rather than line by line, so such a line
/// costs a look at its last byte, and only the others go through `normalize_line` (told
/// where their ASCII start ends).
pub fn lines(raw: &str) -> Vec<Block<'_>> {
    let bytes = raw.as_bytes();
    let mut blocks = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    // The bytes from the current line's start up to `ascii_until` are ASCII, and the byte
    // there is not (or it is the end of the text), once `ascii_until` is at least `start`.
    let mut ascii_until = 0;
    let mut start = 0;
    let mut number = 1;
    while start < bytes.len() {
        let (end, has_newline) = match line_end(bytes, start) {
            Some(end) => (end, true),
            None => (bytes.len(), false),
        };
        if ascii_until < start {
            ascii_until = start + ascii_prefix_len(&bytes[start..]);
        }
        let line = &raw[start..end];
        let (text, changes) = match line.as_bytes().last() {
            Some(&last) if ascii_until < end || is_ascii_space(last) => {
                normalize_line_after_ascii(line, ascii_until - start)
            }
            _ => (Cow::Borrowed(line), Changes::default()),
        };
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

/// Where the line starting at `start` ends: the index of the next `\n`, if any. Most lines
/// of a page dump are blank or short (half are under eight bytes, nine in ten under 32), so
/// the first 32 bytes are looked at a word of eight at a time before the search of the rest
/// is called, whose start-up costs more than such a line's words.
pub(crate) fn line_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut from = start;
    while from < start + 32 {
        let Some(chunk) = bytes.get(from..from + 8) else {
            break;
        };
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        // The lowest byte flagged is the first `\n`.
        let newline = equal_bytes(u64::from_le_bytes(eight), b'\n');
        if newline != 0 {
            return Some(from + (newline.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    memchr::memchr(b'\n', &bytes[from..]).map(|offset| from + offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_line;

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
    fn line_ends_are_found_as_by_a_search() {
        // A line feed at every place of the words looked at first and past them, in texts of
        // every length around them, with line feeds and other bytes around it.
        for len in (0..20).chain(30..42) {
            for at in 0..=len {
                for filler in [b'a', 0x0B, 0x0A ^ 0x01, 0x8A, 0x09] {
                    let mut bytes = vec![filler; len];
                    if at < len {
                        bytes[at] = b'\n';
                    }
                    for start in 0..=len {
                        let expected =
                            memchr::memchr(b'\n', &bytes[start..]).map(|offset| start + offset);
                        assert_eq!(line_end(&bytes, start), expected, "{bytes:?} {start}");
                    }
                }
            }
        }
    }

    #[test]
    fn empty_input_has_no_blocks() {
        assert!(lines("").is_empty());
    }

    #[test]
    fn every_line_is_normalised_as_normalize_line_does() {
        // ASCII and other lines of every length around the 32-byte blocks, with and
        // without the endings normalisation takes off, in every order.
        let mut kinds: Vec<String> = Vec::new();
        for len in [0, 1, 31, 32, 33, 70] {
            let ascii = "x".repeat(len);
            for ending in [
                "", " ", "\t", "\r", "\u{b}", "\u{c}", "\u{a0}", "e\u{301}", "é",
            ] {
                kinds.push(format!("{ascii}{ending}"));
                kinds.push(format!("{ending}{ascii}"));
            }
        }
        for (i, first) in kinds.iter().enumerate() {
            for second in kinds.iter().skip(i % 7).step_by(7) {
                for raw in [
                    format!("{first}\n{second}\n{first}"),
                    format!("{second}\n\n{first}\n"),
                ] {
                    let blocks = lines(&raw);
                    let expected: Vec<&str> = raw.split_inclusive('\n').collect();
                    assert_eq!(blocks.len(), expected.len(), "{raw:?}");
                    for (block, line) in blocks.iter().zip(expected) {
                        let (text, changes) = normalize_line(line.trim_end_matches('\n'));
                        assert_eq!(block.text, text, "{raw:?}");
                        assert_eq!(block.changes, changes, "{raw:?}");
                        assert_eq!(
                            matches!(block.text, Cow::Borrowed(_)),
                            matches!(text, Cow::Borrowed(_))
                        );
                    }
                }
            }
        }
    }
}
