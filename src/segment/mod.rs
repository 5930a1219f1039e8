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
    find_newline(bytes)
}

/// Where the first `\n` is, looked for eight bytes at a time: page dumps' lines are short,
/// and a vectorised search costs more to set up than such a line takes to pass over.
pub(crate) fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let x = u64::from_le_bytes(eight) ^ (ONES * u64::from(b'\n'));
        // The lowest byte flagged is the first zero byte of `x`; a borrow can only flag
        // bytes above it.
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return Some(at + zero.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'\n')
        .map(|offset| at + offset)
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
    fn newlines_are_found_eight_bytes_at_a_time_as_one_at_a_time() {
        for len in 0..20 {
            for at in 0..=len {
                for other in [b'a', b'\x0b', b'\x8a', 0x0a ^ 0x80, 0] {
                    let mut bytes = vec![other; len];
                    if at < len {
                        bytes[at] = b'\n';
                        if at + 1 < len {
                            bytes[at + 1] = b'\n';
                        }
                    }
                    assert_eq!(
                        find_newline(&bytes),
                        bytes.iter().position(|&b| b == b'\n'),
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_input_has_no_blocks() {
        assert!(lines("").is_empty());
    }
}
