//! A guard against pathologically deep markup. The HTML parser's tree builder looks through
//! its stack of open elements for many start tags (`<div>` checks for an open `<p>`), so a
//! page of 100,000 nested `<div>`s costs it billions of steps. Real pages nest a few dozen
//! levels. Before parsing, one scan over the tags counts the nesting, and only when it goes
//! past `MAX_DEPTH` are the tags beyond that depth taken out (their text stays, so nothing
//! visible is lost; only structure that deep is flattened).
//!
//! The count is an estimate: elements the parser closes by itself (`<p>`, `<li>`, `<td>`...)
//! and void elements are not counted, and the text of `<script>`, `<style>` and comments is
//! passed over so a `<` in it does not count as a tag.

use std::borrow::Cow;
use std::ops::Range;

/// Nesting deeper than this is flattened.
pub const MAX_DEPTH: usize = 512;

/// The page with tags nested deeper than `MAX_DEPTH` removed; the page itself when none are.
pub fn limit_nesting(html: &str) -> Cow<'_, str> {
    super::without_ranges(html, deep_tags(html, MAX_DEPTH))
}

/// The byte ranges of the tags beyond `max_depth`.
fn deep_tags(html: &str, max_depth: usize) -> Vec<Range<usize>> {
    let bytes = html.as_bytes();
    let mut cut = Vec::new();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            at =
                memchr::memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |e| start + 4 + e + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - name_start);
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let end =
            memchr::memchr(b'>', &bytes[name_start..]).map_or(bytes.len(), |e| name_start + e + 1);
        let name = &bytes[name_start..name_start + name_len];
        at = end;
        if !closing && RAW_TEXT.iter().any(|raw| name.eq_ignore_ascii_case(raw)) {
            at = raw_text_end(bytes, end, name);
            continue;
        }
        let self_closing = bytes[..end].ends_with(b"/>");
        if VOID.iter().any(|v| name.eq_ignore_ascii_case(v))
            || AUTO_CLOSED.iter().any(|v| name.eq_ignore_ascii_case(v))
            || (self_closing && !closing)
        {
            continue;
        }
        if closing {
            if depth > max_depth {
                cut.push(start..end);
            }
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > max_depth {
                cut.push(start..end);
            }
        }
    }
    cut
}

/// Where the text of a raw-text element (`<script>`...) ends: after its closing tag.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from;
    while let Some(offset) = memchr::memmem::find(&bytes[at..], b"</") {
        let close = at + offset + 2;
        let candidate = &bytes[close..bytes.len().min(close + name.len())];
        if candidate.eq_ignore_ascii_case(name) {
            return memchr::memchr(b'>', &bytes[close..]).map_or(bytes.len(), |e| close + e + 1);
        }
        at = close;
    }
    bytes.len()
}

const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"plaintext",
];

const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr", b"param", b"keygen",
];

const AUTO_CLOSED: &[&[u8]] = &[
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"thead",
    b"tbody",
    b"tfoot",
    b"rp",
    b"rt",
    b"colgroup",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_left_alone() {
        let page = "<html><body><div><p>One<p>Two<script>if (a<b) {}</script></div></body></html>";
        assert!(matches!(limit_nesting(page), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_flattened_and_text_kept() {
        let n = MAX_DEPTH + 100;
        let page = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let limited = limit_nesting(&page);
        assert_eq!(limited.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(limited.matches("</div>").count(), MAX_DEPTH);
        assert!(limited.contains("deep text"));
    }
}
