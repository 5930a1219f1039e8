//! Before parsing, the bodies of `<script>` and `<style>` elements are taken out of a page.
//! They are never visible text, and on news pages they are about half of the bytes, which
//! the HTML parser would otherwise tokenise one character at a time. The tags themselves
//! stay, so the tree the walk sees is the same, only with empty scripts and styles. JSON-LD
//! scripts keep their body (the metadata is read from it).
//!
//! A script body is only taken out when it holds no `<!--`: inside a script, that opens the
//! parser's "escaped" states, where a `</script>` may not end the element, and guessing
//! wrong there would turn the rest of the script into page text.

use std::borrow::Cow;
use std::ops::Range;

/// The page with script and style bodies removed; the page itself when it has none.
pub fn strip_scripts(html: &str) -> Cow<'_, str> {
    super::without_ranges(html, bodies(html.as_bytes()))
}

/// The byte ranges of the bodies to take out, in order. Every range starts right after a
/// `>` and ends right before a `<`, so the text around each cut stays valid UTF-8.
fn bodies(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut cut = Vec::new();
    let finder = memchr::memmem::Finder::new(b"<");
    let mut at = 0;
    while let Some(offset) = finder.find(&bytes[at..]) {
        let start = at + offset;
        at = start + 1;
        let name = if starts_with_tag(&bytes[start + 1..], b"script") {
            b"script".as_slice()
        } else if starts_with_tag(&bytes[start + 1..], b"style") {
            b"style".as_slice()
        } else {
            continue;
        };
        let Some(tag_end) = tag_end(bytes, start + 1 + name.len()) else {
            break;
        };
        let Some(close) = closing_tag(bytes, tag_end, name) else {
            break;
        };
        let body = tag_end..close;
        at = close;
        let tag = &bytes[start..tag_end];
        let json_ld = name == b"script" && contains_ignore_case(tag, b"ld+json");
        let escaped = memchr::memmem::find(&bytes[body.clone()], b"<!--").is_some();
        if !json_ld && !escaped && !body.is_empty() {
            cut.push(body);
        }
    }
    cut
}

/// `<name` followed by white space, `/` or `>`, in any case.
fn starts_with_tag(rest: &[u8], name: &[u8]) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name)
        && matches!(
            rest[name.len()],
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'>'
        )
}

/// Where a start tag ends: just after its `>`, skipping quoted attribute values.
fn tag_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    while at < bytes.len() {
        let b = bytes[at];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => {
                // Only a quote right after `=` opens a value, as in the tokenizer.
                let before = bytes[..at].iter().rev().find(|c| !c.is_ascii_whitespace());
                if before == Some(&b'=') {
                    quote = Some(b);
                }
            }
            None if b == b'>' => return Some(at + 1),
            None => {}
        }
        at += 1;
    }
    None
}

/// The start of the first `</name` (any case) after `from` that is followed by white space,
/// `/` or `>`.
fn closing_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = memchr::memmem::find(&bytes[at..], b"</") {
        let close = at + offset;
        if starts_with_tag(&bytes[close + 2..], name) {
            return Some(close);
        }
        at = close + 2;
    }
    None
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_style_bodies_go_json_ld_stays() {
        let page = "<head><style>p { color: red }</style><SCRIPT type=\"text/javascript\">if (a < b) { x = '</div>'; }</SCRIPT>\
            <script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script></head><body><p>Text</p></body>";
        assert_eq!(
            strip_scripts(page),
            "<head><style></style><SCRIPT type=\"text/javascript\"></SCRIPT>\
            <script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script></head><body><p>Text</p></body>"
        );
    }

    #[test]
    fn escaped_scripts_quoted_brackets_and_unclosed_scripts_are_left_alone() {
        let escaped = "<script><!-- document.write('<script></script>'); --></script><p>Text</p>";
        assert_eq!(strip_scripts(escaped), escaped);
        let quoted = "<script data-x=\"a>b\">var x;</script><p>Text</p>";
        assert_eq!(
            strip_scripts(quoted),
            "<script data-x=\"a>b\"></script><p>Text</p>"
        );
        let unclosed = "<p>Text</p><script>var x = 1;";
        assert_eq!(strip_scripts(unclosed), unclosed);
        assert!(matches!(
            strip_scripts("<p>No scripts</p>"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            strip_scripts("<scripts>kept</scripts>"),
            "<scripts>kept</scripts>"
        );
    }
}
