//! What a run tells its reviewer: one `report.jsonl` record per document (every removed span
//! with its rule), the unified diffs, and the closing summary.

pub mod diff;
pub mod html;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::Cleaned;

/// A run of consecutive removed lines with one rule and one reason, as cleaning finds it:
/// its text is where it is in the document's raw text, not a copy (a page dump can have
/// hundreds of spans, and their texts are about all of its chrome).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedSpan {
    /// First and last line (1-based, inclusive) in the raw text.
    pub lines: [usize; 2],
    /// Shared with the verdicts (one page can have thousands of spans with the same rule).
    pub rule: Arc<str>,
    pub why: Arc<str>,
    /// The bytes of the removed text in the raw text, line terminators included.
    pub bytes: Range<usize>,
}

/// A removed span as `report.jsonl` has it: with its text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportedSpan {
    /// First and last line (1-based, inclusive) in the raw text.
    pub lines: [usize; 2],
    pub rule: Arc<str>,
    pub why: Arc<str>,
    /// The removed text as it was in the input.
    pub text: String,
}

/// One removed span with its text, whichever way the document's spans are held.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SpanView<'a> {
    pub lines: [usize; 2],
    pub rule: &'a Arc<str>,
    pub why: &'a Arc<str>,
    pub text: &'a str,
}

/// A document's removed spans: those cleaning has just found, with the raw text they are
/// in, or those read back from `report.jsonl`. Either way they are read as `SpanView`s.
#[derive(Debug, Clone, Copy)]
pub enum Removed<'a> {
    Found {
        spans: &'a [RemovedSpan],
        raw: &'a str,
    },
    Read(&'a [ReportedSpan]),
}

impl<'a> Removed<'a> {
    pub fn len(&self) -> usize {
        match self {
            Removed::Found { spans, .. } => spans.len(),
            Removed::Read(spans) => spans.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Span `i`, when there is one.
    pub fn get(&self, i: usize) -> Option<SpanView<'a>> {
        (i < self.len()).then(|| self.view(i))
    }

    /// Span `i`, which must be one of them (`i < len()`).
    fn view(&self, i: usize) -> SpanView<'a> {
        match *self {
            Removed::Found { spans, raw } => {
                let span = &spans[i];
                SpanView {
                    lines: span.lines,
                    rule: &span.rule,
                    why: &span.why,
                    text: raw.get(span.bytes.clone()).unwrap_or_default(),
                }
            }
            Removed::Read(spans) => {
                let span = &spans[i];
                SpanView {
                    lines: span.lines,
                    rule: &span.rule,
                    why: &span.why,
                    text: &span.text,
                }
            }
        }
    }

    /// The spans in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = SpanView<'a>> + 'a {
        let this = *self;
        (0..self.len()).map(move |i| this.view(i))
    }

    pub fn last(&self) -> Option<SpanView<'a>> {
        self.get(self.len().checked_sub(1)?)
    }

    /// The bytes each rule removed, a rule to an entry, in the order the rules first
    /// remove something: worked out once per document for both the summary and the
    /// review page. Spans share their rules' very strings: those are looked for first, and
    /// the strings' texts (some ids are as long as others) only when none is it.
    pub fn bytes_by_rule(&self) -> Vec<(&'a str, usize)> {
        let mut by_rule: Vec<(&'a str, usize)> = Vec::with_capacity(self.len().min(8));
        for span in self.iter() {
            let rule: &'a str = span.rule;
            let known = by_rule
                .iter()
                .position(|(known, _)| std::ptr::eq(*known, rule))
                .or_else(|| by_rule.iter().position(|(known, _)| *known == rule));
            match known {
                Some(n) => by_rule[n].1 += span.text.len(),
                None => by_rule.push((rule, span.text.len())),
            }
        }
        by_rule
    }

    /// The spans with their texts copied, to keep after the document is gone.
    pub fn to_reported(&self) -> Vec<ReportedSpan> {
        self.iter()
            .map(|span| ReportedSpan {
                lines: span.lines,
                rule: Arc::clone(span.rule),
                why: Arc::clone(span.why),
                text: span.text.to_string(),
            })
            .collect()
    }
}

impl Serialize for Removed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// One line of `report.jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentReport<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub site: Option<&'a str>,
    pub url: Option<&'a str>,
    /// What an HTML page declares about itself (absent for text input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<&'a str>,
    pub bytes_in: usize,
    pub bytes_out: usize,
    pub lines_in: usize,
    pub lines_out: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub invalid_utf8: usize,
    pub removed: Removed<'a>,
    /// Lines changed by each normalisation rule.
    pub normalized: &'a BTreeMap<String, usize>,
    /// The kept copy when this document is a copy of another story, with the Jaccard
    /// similarity and containment of their word shingles.
    pub duplicate_of: Option<&'a str>,
    pub similarity: Option<f64>,
    pub containment: Option<f64>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl<'a> DocumentReport<'a> {
    pub fn new(cleaned: &'a Cleaned) -> DocumentReport<'a> {
        let doc = &cleaned.document;
        let meta = doc.html.as_ref().map(|facts| &facts.meta);
        DocumentReport {
            id: &doc.id,
            source: &doc.source,
            site: doc.site.as_deref(),
            url: doc.url.as_deref(),
            title: meta.and(doc.title.as_deref()),
            published: meta.and_then(|m| m.published.as_deref()),
            author: meta.and_then(|m| m.author.as_deref()),
            bytes_in: doc.raw.len(),
            bytes_out: cleaned.clean.len(),
            lines_in: cleaned.lines_in,
            lines_out: cleaned.lines_out,
            invalid_utf8: doc.invalid_utf8,
            removed: cleaned.removed_view(),
            normalized: &cleaned.normalized,
            duplicate_of: None,
            similarity: None,
            containment: None,
        }
    }

    /// Appends this record to `out` as JSON, byte for byte what `serde_json::to_writer`
    /// writes for it (`tests::json_matches_serde` holds it to that). A record carries every
    /// removed line of its document, and serde's call per value and byte-wise escape loop
    /// made writing the report a large part of a run; here unescaped runs are copied whole.
    /// A field added to the struct must be added here too. `span_texts`, when given, gets
    /// where each removed span's reason and text are in `out` as JSON strings (see
    /// `SpanTexts`).
    pub fn write_json(&self, out: &mut Vec<u8>, span_texts: Option<&mut Vec<SpanJson>>) {
        self.write_json_head(out, span_texts);
        write_json_dedup(out, self.duplicate_of, self.similarity, self.containment);
    }

    /// About how many bytes `write_json` writes, so its buffer is allocated once: the
    /// removed spans' text, rules and reasons, and room for the rest.
    pub fn json_len_estimate(&self) -> usize {
        let spans: usize = self
            .removed
            .iter()
            .map(|s| s.text.len() + s.rule.len() + s.why.len() + 64)
            .sum();
        512 + self.id.len() + self.source.len() + spans
    }

    /// The record up to its dedup fields, which `write_json_dedup` completes: a run that
    /// deduplicates knows them only after every document is cleaned.
    pub fn write_json_head(&self, out: &mut Vec<u8>, mut span_texts: Option<&mut Vec<SpanJson>>) {
        out.extend_from_slice(b"{\"id\":");
        json_string(out, self.id);
        out.extend_from_slice(b",\"source\":");
        json_string(out, self.source);
        out.extend_from_slice(b",\"site\":");
        json_option(out, self.site);
        out.extend_from_slice(b",\"url\":");
        json_option(out, self.url);
        for (key, value) in [
            (&b",\"title\":"[..], self.title),
            (b",\"published\":", self.published),
            (b",\"author\":", self.author),
        ] {
            if let Some(value) = value {
                out.extend_from_slice(key);
                json_string(out, value);
            }
        }
        out.extend_from_slice(b",\"bytes_in\":");
        json_number(out, self.bytes_in);
        out.extend_from_slice(b",\"bytes_out\":");
        json_number(out, self.bytes_out);
        out.extend_from_slice(b",\"lines_in\":");
        json_number(out, self.lines_in);
        out.extend_from_slice(b",\"lines_out\":");
        json_number(out, self.lines_out);
        if !is_zero(&self.invalid_utf8) {
            out.extend_from_slice(b",\"invalid_utf8\":");
            json_number(out, self.invalid_utf8);
        }
        out.extend_from_slice(b",\"removed\":[");
        let mut rules = RecentStrings::default();
        let mut whys = RecentStrings::default();
        for (i, span) in self.removed.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"lines\":[");
            json_number(out, span.lines[0]);
            out.push(b',');
            json_number(out, span.lines[1]);
            out.extend_from_slice(b"],\"rule\":");
            rules.write(out, span.rule);
            out.extend_from_slice(b",\"why\":");
            let why = out.len();
            whys.write(out, span.why);
            let why = why..out.len();
            out.extend_from_slice(b",\"text\":");
            let start = out.len();
            json_string(out, span.text);
            if let Some(texts) = span_texts.as_mut() {
                texts.push(SpanJson {
                    why,
                    text: start..out.len(),
                });
            }
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"normalized\":{");
        for (i, (rule, count)) in self.normalized.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_string(out, rule);
            out.push(b':');
            json_number(out, *count);
        }
        out.push(b'}');
    }
}

/// Where a removed span's reason and text are in its document's report line, as JSON
/// strings: `report.html` copies them rather than escaping them again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanJson {
    pub why: Range<usize>,
    pub text: Range<usize>,
}

/// What was worked out lately for a few strings, kept by the strings' addresses: a
/// document's removed spans share a few rules' and reasons' strings (each line of a menu, the
/// same repeated-line reason all down a page), so what each comes to (its JSON, its number
/// on the review page) is worked out once and then found again. Each string has one place,
/// chosen by its address, so it is looked for with one comparison; one that has lost its
/// place to another is worked out again.
struct ByAddress<'a, V> {
    places: [Option<(&'a str, V)>; 16],
}

impl<V> Default for ByAddress<'_, V> {
    fn default() -> Self {
        ByAddress {
            places: std::array::from_fn(|_| None),
        }
    }
}

impl<'a, V: Clone> ByAddress<'a, V> {
    /// What is kept for `text`, or else `work()`, kept for it.
    #[inline]
    fn get_or(&mut self, text: &'a str, work: impl FnOnce() -> V) -> V {
        let address = text.as_ptr() as usize;
        let place = &mut self.places[(address >> 4 ^ address >> 8) % 16];
        if let Some((known, value)) = place {
            if std::ptr::eq(*known, text) || *known == text {
                return value.clone();
            }
        }
        let value = work();
        *place = Some((text, value.clone()));
        value
    }
}

/// Strings written into a record as JSON, and where (`ByAddress`): a string written before
/// is copied rather than escaped again.
#[derive(Default)]
struct RecentStrings<'a> {
    written: ByAddress<'a, Range<usize>>,
}

impl<'a> RecentStrings<'a> {
    /// Appends `text` as a JSON string (`json_string`).
    #[inline]
    fn write(&mut self, out: &mut Vec<u8>, text: &'a str) {
        let start = out.len();
        let range = self.written.get_or(text, || {
            json_string(out, text);
            start..out.len()
        });
        // Written just now, the string starts where `out` ended; one written before (a
        // quoted string, never empty) starts before that.
        if range.start != start {
            out.extend_from_within(range);
        }
    }
}

/// The end of a `report.jsonl` record: `duplicate_of`, `similarity`, `containment` and the
/// closing brace.
pub fn write_json_dedup(
    out: &mut Vec<u8>,
    duplicate_of: Option<&str>,
    similarity: Option<f64>,
    containment: Option<f64>,
) {
    out.extend_from_slice(b",\"duplicate_of\":");
    json_option(out, duplicate_of);
    for (name, score) in [
        (&b",\"similarity\":"[..], similarity),
        (b",\"containment\":", containment),
    ] {
        out.extend_from_slice(name);
        match score {
            // Floats are rare here and subtle to print; serde_json prints them.
            Some(score) => {
                let _ = serde_json::to_writer(&mut *out, &score);
            }
            None => out.extend_from_slice(b"null"),
        }
    }
    out.push(b'}');
}

/// How serde_json escapes each byte in a string: 0 for none, else the letter after the
/// backslash (`u` for `\u00XX`).
static JSON_ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// The string in field `field` of a JSON record (a `clean.jsonl` line): `None` when the
/// record has no such field or it is not a string, as a parsed map has it (the last value
/// of a key given twice). The record is scanned as the input's JSONL lines are, which decodes
/// only that field's string; `serde_json` parses a record the scan refuses, for its message.
pub(crate) fn record_text(record: &[u8], field: &str) -> serde_json::Result<Option<String>> {
    if let Ok(line) = std::str::from_utf8(record) {
        if let Ok(mut scanned) = crate::input::record::scan(line, field, None) {
            return Ok(scanned.take_string(field).flatten());
        }
    }
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
    struct Field<'f>(&'f str);
    impl<'de> Visitor<'de> for Field<'_> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
            let mut text = None;
            // A key given twice counts by its last value, as in a parsed map.
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 {
                    text = match map.next_value::<serde_json::Value>()? {
                        serde_json::Value::String(s) => Some(s),
                        _ => None,
                    };
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(text)
        }
    }
    impl<'de> DeserializeSeed<'de> for Field<'_> {
        type Value = Option<String>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            d.deserialize_map(self)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(record);
    let text = Field(field).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(text)
}

pub(crate) fn json_string(out: &mut Vec<u8>, text: &str) {
    escaped_string::<false, false>(out, text, usize::MAX);
}

/// A JSON string for a page's `<script>` element: as `json_string`, with every `<` written
/// as `\u003c` so no text can end the element.
pub(crate) fn json_string_in_html(out: &mut Vec<u8>, text: &str) {
    escaped_string::<true, false>(out, text, usize::MAX);
}

/// The first `n` lines of `text` (each ending with a newline, but for a last one without;
/// all of them when it has fewer) as one `json_string_in_html` string per line without its
/// newline, separated by commas; nothing when `text` is empty or `n` is 0. Returns how many
/// bytes of `text` those lines are and how many lines were written. A page's run of kept
/// lines is escaped in one pass rather than line by line, and the same pass finds where the
/// run ends, so the clean text is not searched for its newlines first.
#[inline]
pub(crate) fn json_lines_in_html(out: &mut Vec<u8>, text: &str, n: usize) -> (usize, usize) {
    if text.is_empty() || n == 0 {
        return (0, 0);
    }
    escaped_string::<true, true>(out, text, n)
}

/// With `LINES`, each newline ends one string and starts the next, and the `lines`-th line
/// ends the text (see `json_lines_in_html`, whose result this returns; others ignore it).
///
/// The text is read eight bytes at a time (`escapes`). A word with an escape is written
/// whole, cut back to the escape, the escape written, and reading goes on right after it:
/// no loop over the bytes before an escape, and no copy of a run of any length. Removed
/// text and reasons, with a newline every line or two, have each word written as it is
/// read, as its own store; the page's kept lines, lines of prose, are long runs without
/// escapes, looked through without writing and copied whole.
// Each of the three kinds is its own function: the small ones that call it are it.
#[inline(always)]
fn escaped_string<const IN_HTML: bool, const LINES: bool>(
    out: &mut Vec<u8>,
    text: &str,
    lines: usize,
) -> (usize, usize) {
    let whole = text.len();
    // Newlines that each start another string: the one after them ends the last line.
    let mut newlines_left = lines.saturating_sub(1);
    // A last line's newline ends it.
    let text = match text.strip_suffix('\n') {
        Some(body) if LINES => body,
        _ => text,
    };
    let bytes = text.as_bytes();
    // Room for the text, its quotes and the eight bytes written past where it ends; escapes
    // make more as they come.
    out.reserve(bytes.len() + 10);
    out.push(b'"');
    // `bytes[..at]` is written.
    let mut at = 0;
    'words: loop {
        let start = at;
        let mut words = bytes.get(at..).unwrap_or_default().chunks_exact(8);
        for eight in &mut words {
            let word = u64::from_le_bytes(<[u8; 8]>::try_from(eight).unwrap_or([b' '; 8]));
            let found = escapes::<IN_HTML>(word);
            if found == 0 {
                if !LINES {
                    out.extend_from_slice(&word.to_le_bytes());
                }
                at += 8;
                continue;
            }
            if LINES {
                copy_run(out, bytes.get(start..at).unwrap_or_default());
            }
            out.extend_from_slice(&word.to_le_bytes());
            let first = (found.trailing_zeros() / 8) as usize;
            out.truncate(out.len() - 8 + first);
            let b = (word >> (8 * first)) as u8;
            if LINES && b == b'\n' {
                if newlines_left == 0 {
                    out.push(b'"');
                    return (at + first + 1, lines);
                }
                newlines_left -= 1;
            }
            push_escape::<IN_HTML, LINES>(out, b);
            at += first + 1;
            continue 'words;
        }
        if LINES {
            copy_run(out, bytes.get(start..at).unwrap_or_default());
        }
        break;
    }
    // Fewer than eight bytes are left, read as one word with spaces (which need no escape)
    // above them; each escape in it is written and the word moved down past it.
    let mut left = bytes.len() - at;
    if left > 0 {
        let mut word = last_word(bytes, left);
        loop {
            out.extend_from_slice(&word.to_le_bytes());
            let found = escapes::<IN_HTML>(word);
            if found == 0 {
                out.truncate(out.len() - 8 + left);
                break;
            }
            let first = (found.trailing_zeros() / 8) as usize;
            out.truncate(out.len() - 8 + first);
            let b = (word >> (8 * first)) as u8;
            if LINES && b == b'\n' {
                if newlines_left == 0 {
                    out.push(b'"');
                    return (bytes.len() - left + first + 1, lines);
                }
                newlines_left -= 1;
            }
            push_escape::<IN_HTML, LINES>(out, b);
            // `first < left < 8`, so the shifts are of 8 to 56 bits.
            left -= first + 1;
            if left == 0 {
                break;
            }
            let passed = 8 * (first as u32 + 1);
            word = word >> passed | SPACES << (64 - passed);
        }
    }
    out.push(b'"');
    (whole, lines - newlines_left)
}

/// Appends a run of whole words: one word as a store, more as a copy.
#[inline(always)]
fn copy_run(out: &mut Vec<u8>, run: &[u8]) {
    match <[u8; 8]>::try_from(run) {
        Ok(word) => out.extend_from_slice(&word),
        Err(_) if !run.is_empty() => out.extend_from_slice(run),
        Err(_) => {}
    }
}

/// Eight spaces: bytes that need no escape, and fill a word past the end of a text.
const SPACES: u64 = 0x2020_2020_2020_2020;

/// The last `left` bytes of `bytes` (1 to 7 of them) as a word, the first in the low bits,
/// with spaces above them. Read as the last eight bytes moved down, or from a text shorter
/// than that as two overlapping reads of four, two or one byte.
#[inline(always)]
fn last_word(bytes: &[u8], left: usize) -> u64 {
    let spaces = SPACES << (8 * left);
    let len = bytes.len();
    if let Some(eight) = len.checked_sub(8).and_then(|start| bytes.get(start..)) {
        let eight = <[u8; 8]>::try_from(eight).unwrap_or([b' '; 8]);
        return u64::from_le_bytes(eight) >> (64 - 8 * left) | spaces;
    }
    // The text is `left` bytes long.
    let read = |at: usize, n: usize| -> u64 {
        bytes.get(at..at + n).map_or(0, |part| {
            part.iter()
                .rev()
                .fold(0, |word, &b| word << 8 | u64::from(b))
        })
    };
    let word = match len {
        4.. => read(0, 4) | read(len - 4, 4) << (8 * (len - 4)),
        2.. => read(0, 2) | read(len - 2, 2) << (8 * (len - 2)),
        _ => read(0, len),
    };
    word | spaces
}

/// Appends the escape of `b`, one of the bytes `escapes` finds.
#[inline(always)]
fn push_escape<const IN_HTML: bool, const LINES: bool>(out: &mut Vec<u8>, b: u8) {
    if LINES && b == b'\n' {
        out.extend_from_slice(b"\",\"");
        return;
    }
    match escape_of::<IN_HTML>(b) {
        b'u' => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xF) as usize],
            ]);
        }
        escape => out.extend_from_slice(&[b'\\', escape]),
    }
}

/// The bytes of `word` (eight bytes, the first in the low bits) that need an escape
/// (`escape_of`): the high bit of each such byte is set in the result, and of the bytes
/// after the first such byte some may be set too, so only the lowest set bit is to be read.
/// Each test is the usual one for a zero byte (or a byte below 0x20): subtracting one from
/// every byte sets the high bit of a byte that was zero, and the borrow that causes only
/// reaches the bytes above it.
#[inline(always)]
pub(crate) fn escapes<const IN_HTML: bool>(word: u64) -> u64 {
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let quote = equal_bytes(word, b'"');
    let backslash = equal_bytes(word, b'\\');
    let lt = if IN_HTML { equal_bytes(word, b'<') } else { 0 };
    control | quote | backslash | lt
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` (eight bytes, the first in the low bits) equal to
/// `byte`, by the zero-byte test on `word` XOR `byte` (see `escapes`): only the lowest set
/// bit is sure.
#[inline(always)]
pub(crate) fn equal_bytes(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGH
}

/// The letter after the backslash that escapes `b`, or 0.
#[inline]
fn escape_of<const IN_HTML: bool>(b: u8) -> u8 {
    if IN_HTML && b == b'<' {
        b'u'
    } else {
        JSON_ESCAPE[b as usize]
    }
}

fn json_option(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => json_string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

#[inline(always)]
pub(crate) fn json_number(out: &mut Vec<u8>, n: usize) {
    // Most numbers in a report are line numbers and small indexes: written as arrays of a
    // fixed length, which compile to a store rather than a copy.
    let digit = |n: usize| b'0' + (n % 10) as u8;
    match n {
        0..10 => return out.push(digit(n)),
        10..100 => return out.extend_from_slice(&[digit(n / 10), digit(n)]),
        100..1000 => return out.extend_from_slice(&[digit(n / 100), digit(n / 10), digit(n)]),
        _ => {}
    }
    out.extend_from_slice(decimal(n, &mut [0; 20]));
}

/// `n` in decimal, written at the end of `digits`.
pub(crate) fn decimal(mut n: usize, digits: &mut [u8; 20]) -> &[u8] {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &digits[start..]
}

/// Totals for the closing summary.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub documents_read: usize,
    pub documents_cleaned: usize,
    pub documents_changed: usize,
    pub skipped: usize,
    pub warnings: usize,
    pub bytes_in: usize,
    pub bytes_out: usize,
    /// Bytes of raw text removed by each rule.
    pub bytes_by_rule: BTreeMap<String, usize>,
    /// What deduplication found; `None` when it did not run.
    pub duplicates: Option<DuplicateCounts>,
}

/// Copies found by deduplication, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DuplicateCounts {
    pub copies: usize,
    pub stories: usize,
    /// The copies were written anyway (`--keep-duplicates`).
    pub kept: bool,
}

impl Summary {
    /// Adds a cleaned document; `by_rule` is the bytes each rule removed from it
    /// (`Removed::bytes_by_rule`).
    pub fn add(&mut self, cleaned: &Cleaned, by_rule: &[(&str, usize)]) {
        self.documents_cleaned += 1;
        // Changed exactly when a line was removed or normalised; no need to compare texts.
        if !cleaned.removed.is_empty() || !cleaned.normalized.is_empty() {
            self.documents_changed += 1;
        }
        self.bytes_in += cleaned.document.raw.len();
        self.bytes_out += cleaned.clean.len();
        // The map is asked once per rule.
        for &(rule, removed) in by_rule {
            match self.bytes_by_rule.get_mut(rule) {
                Some(bytes) => *bytes += removed,
                None => {
                    self.bytes_by_rule.insert(rule.to_string(), removed);
                }
            }
        }
    }

    /// The rules that removed most, largest first (ties by id).
    pub fn top_rules(&self, n: usize) -> Vec<(&str, usize)> {
        let mut rules: Vec<(&str, usize)> = self
            .bytes_by_rule
            .iter()
            .map(|(rule, bytes)| (rule.as_str(), *bytes))
            .collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rules.truncate(n);
        rules
    }

    /// The one-screen summary printed at the end of a run.
    pub fn render(&self, output: &str) -> String {
        let removed = self.bytes_in.saturating_sub(self.bytes_out);
        let share = if self.bytes_in == 0 {
            0.0
        } else {
            100.0 * removed as f64 / self.bytes_in as f64
        };
        let mut text = format!(
            "newsclean: {} documents read, {} cleaned ({} changed), {} skipped",
            self.documents_read, self.documents_cleaned, self.documents_changed, self.skipped
        );
        if self.warnings > 0 {
            text.push_str(&format!(", {} warnings", self.warnings));
        }
        text.push('\n');
        text.push_str(&format!(
            "  bytes: {} in, {} out, {} removed ({share:.1}%)\n",
            thousands(self.bytes_in),
            thousands(self.bytes_out),
            thousands(removed)
        ));
        let top = self.top_rules(5);
        if !top.is_empty() {
            text.push_str("  top rules by bytes removed:\n");
            for (rule, bytes) in top {
                text.push_str(&format!("    {:>12}  {rule}\n", thousands(bytes)));
            }
        }
        if let Some(dup) = self.duplicates {
            text.push_str(&format!(
                "  duplicates: {} {} of {} {} {}\n",
                thousands(dup.copies),
                if dup.copies == 1 { "copy" } else { "copies" },
                thousands(dup.stories),
                if dup.stories == 1 { "story" } else { "stories" },
                if dup.kept {
                    "found and kept (--keep-duplicates)"
                } else {
                    "dropped (see duplicates.jsonl)"
                }
            ));
        }
        text.push_str(&format!("  output: {output}\n"));
        text
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_by_rule_sums_each_rule_once_in_the_order_rules_first_remove() {
        let raw = "aa\nbbb\ncccc\nd\n";
        let menu: Arc<str> = Arc::from("menu");
        // The same id in a string of its own is the same rule.
        let menu_again: Arc<str> = Arc::from("menu");
        let share: Arc<str> = Arc::from("shr1");
        let why: Arc<str> = Arc::from("why");
        let span = |rule: &Arc<str>, bytes: Range<usize>| RemovedSpan {
            lines: [1, 1],
            rule: Arc::clone(rule),
            why: Arc::clone(&why),
            bytes,
        };
        let spans = [
            span(&menu, 0..3),
            span(&share, 3..7),
            span(&menu_again, 7..12),
            span(&share, 12..14),
        ];
        let found = Removed::Found { spans: &spans, raw };
        assert_eq!(found.bytes_by_rule(), [("menu", 8), ("shr1", 6)]);
        let read = found.to_reported();
        assert_eq!(
            Removed::Read(&read).bytes_by_rule(),
            [("menu", 8), ("shr1", 6)]
        );
        assert!(Removed::Read(&[]).bytes_by_rule().is_empty());
    }

    #[test]
    fn record_text_reads_one_field_as_a_parsed_map_has_it() {
        let text = "a \"quote\", a tab\t, é 中文\n\u{1}";
        let mut record = Vec::new();
        record.extend_from_slice(
            br#"{"id":"x","meta":{"text":"not this"},"list":[1,{"a":null}],"text":"#,
        );
        json_string(&mut record, text);
        record.extend_from_slice(b"}\n");
        assert_eq!(
            record_text(&record, "text").expect("parse"),
            Some(text.into())
        );
        assert_eq!(record_text(&record, "id").expect("parse"), Some("x".into()));
        assert_eq!(record_text(&record, "meta").expect("parse"), None);
        assert_eq!(record_text(&record, "body").expect("parse"), None);
        let twice = br#"{"text":"first","text":"last"}"#;
        assert_eq!(
            record_text(twice, "text").expect("parse"),
            Some("last".into())
        );
        assert!(record_text(b"[1]", "text").is_err());
        assert!(record_text(br#"{"text":"a"} {}"#, "text").is_err());
    }

    #[test]
    fn json_matches_serde() {
        let mut spans = vec![
            ReportedSpan {
                lines: [1, 3],
                rule: "chrome.share-bar".into(),
                why: "line \"Share\"".into(),
                text: "Share\r\n\tTweet \\ \u{7f}\u{1}\u{8}\u{c}\u{1f} «é» 中文 \u{2028}\n".into(),
            },
            ReportedSpan {
                lines: [0, usize::MAX],
                rule: "".into(),
                why: "\"".into(),
                text: "no newline".into(),
            },
        ];
        // Rules and reasons that repeat, near each other and further apart.
        for (n, (rule, why)) in [("a", "x"), ("b", "y"), ("a", "x"), ("c", "\"")]
            .iter()
            .cycle()
            .take(14)
            .enumerate()
        {
            let why = format!("{why} {}", n % 6);
            spans.push(ReportedSpan {
                lines: [n, n],
                rule: (*rule).into(),
                why: why.into(),
                text: "x\n".into(),
            });
        }
        let normalized: BTreeMap<String, usize> =
            [("normalize.crlf".to_string(), 2), ("a\"b".to_string(), 0)].into();
        let empty = BTreeMap::new();
        let mut report = DocumentReport {
            id: "dir/page \"1\"",
            source: "/in/dir/page.txt",
            site: Some("example.com"),
            url: None,
            title: None,
            published: None,
            author: None,
            bytes_in: 1234,
            bytes_out: 0,
            lines_in: 10,
            lines_out: 7,
            invalid_utf8: 0,
            removed: Removed::Read(&spans),
            normalized: &normalized,
            duplicate_of: None,
            similarity: None,
            containment: None,
        };
        let check = |report: &DocumentReport| {
            let mut ours = Vec::new();
            report.write_json(&mut ours, None);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(report).unwrap()
            );
        };
        check(&report);
        // The same spans as found in a raw text write the same record.
        let raw: String = spans.iter().map(|span| span.text.as_str()).collect();
        let mut at = 0;
        let found: Vec<RemovedSpan> = spans
            .iter()
            .map(|span| {
                at += span.text.len();
                RemovedSpan {
                    lines: span.lines,
                    rule: Arc::clone(&span.rule),
                    why: Arc::clone(&span.why),
                    bytes: at - span.text.len()..at,
                }
            })
            .collect();
        let as_read = serde_json::to_string(&report).unwrap();
        report.removed = Removed::Found {
            spans: &found,
            raw: &raw,
        };
        check(&report);
        assert_eq!(serde_json::to_string(&report).unwrap(), as_read);
        report.invalid_utf8 = 3;
        report.url = Some("https://example.com/a?b=\"c\"");
        report.title = Some("A \"quoted\" headline");
        report.author = Some("Ann Lee");
        report.duplicate_of = Some("other");
        report.similarity = Some(0.912_345_678_9);
        report.containment = Some(0.95);
        check(&report);
        report.removed = Removed::Read(&[]);
        report.normalized = &empty;
        report.similarity = Some(1.0);
        check(&report);
    }

    #[test]
    fn strings_escape_as_serde_does_at_every_position() {
        for len in [0, 1, 15, 16, 17, 33] {
            for at in 0..len {
                for special in [
                    '"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '<', '\u{7f}', 'é', '\u{2028}',
                ] {
                    let mut text: String = "abcdefghijklmnopqrstuvwxyz0123456789"[..len].into();
                    text.replace_range(at..at + 1, &special.to_string());
                    let mut ours = Vec::new();
                    json_string(&mut ours, &text);
                    let theirs = serde_json::to_vec(&text).unwrap();
                    assert_eq!(ours, theirs, "{text:?}");
                    ours.clear();
                    json_string_in_html(&mut ours, &text);
                    let theirs = String::from_utf8(theirs).unwrap().replace('<', "\\u003c");
                    assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn lines_escape_as_one_string_per_line() {
        for text in [
            "a\n",
            "\n",
            "a",
            "a\nb",
            "a\n\n",
            "\n\n\n",
            "one <b>\"two\"</b>\r\n\tthree\\\nfour and a much longer line of text\n",
            "\u{1}x\ny\u{1f}\n",
        ] {
            let mut ours = Vec::new();
            json_lines_in_html(&mut ours, text, usize::MAX);
            let mut theirs = Vec::new();
            for (i, line) in text.split_inclusive('\n').enumerate() {
                if i > 0 {
                    theirs.push(b',');
                }
                json_string_in_html(&mut theirs, line.strip_suffix('\n').unwrap_or(line));
            }
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn strings_escape_as_serde_does_with_two_specials_near_each_other() {
        // Bytes next to the ones that need escapes, where a word-wise check could go wrong.
        let specials = [
            "\n", "\u{1f}", " ", "!", "\"", "#", "[", "\\", "]", ";", "<", "=", "\u{7f}", "é",
            "\u{80}",
        ];
        for a in specials {
            for b in specials {
                for i in 0..10 {
                    for j in i..20 {
                        let text = format!("{}{a}{}{b}xyz", "x".repeat(i), "y".repeat(j - i));
                        for text in [text.clone(), text + "\n"] {
                            let mut ours = Vec::new();
                            json_string(&mut ours, &text);
                            assert_eq!(ours, serde_json::to_vec(&text).unwrap(), "{text:?}");
                        }
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Texts of every length, with runs without escapes of every length between the
        /// bytes that need escapes, escape as serde_json escapes them, into a buffer that
        /// already holds something; in the page, with `<` escaped too, and as one string
        /// per line.
        #[test]
        fn escaping_matches_serde_json(
            text in "([a-z é中\u{2028}!#;=\\[\\]]{0,20}[\"\\\\<\n\r\t\u{1}\u{1f}\u{7f}]?){0,6}",
            before in "[a\"]{0,3}",
        ) {
            let mut ours = before.clone().into_bytes();
            json_string(&mut ours, &text);
            let mut theirs = before.clone().into_bytes();
            serde_json::to_writer(&mut theirs, &text).unwrap();
            proptest::prop_assert_eq!(&ours, &theirs);

            let in_html = |text: &str| {
                let json = serde_json::to_string(text).unwrap();
                json.replace('<', "\\u003c")
            };
            let mut ours = before.clone().into_bytes();
            json_string_in_html(&mut ours, &text);
            proptest::prop_assert_eq!(
                String::from_utf8(ours).unwrap(),
                format!("{before}{}", in_html(&text))
            );

            let mut ours = before.clone().into_bytes();
            let (read, written) = json_lines_in_html(&mut ours, &text, usize::MAX);
            proptest::prop_assert_eq!(read, text.len());
            let lines: Vec<String> = if text.is_empty() {
                Vec::new()
            } else {
                text.strip_suffix('\n')
                    .unwrap_or(&text)
                    .split('\n')
                    .map(in_html)
                    .collect()
            };
            proptest::prop_assert_eq!(written, lines.len());
            proptest::prop_assert_eq!(
                String::from_utf8(ours).unwrap(),
                format!("{before}{}", lines.join(","))
            );
        }
    }

    #[test]
    fn numbers_are_written_as_decimals() {
        for n in (0..2000).chain([9_999, 10_000, 123_456_789, usize::MAX]) {
            let mut ours = Vec::new();
            json_number(&mut ours, n);
            assert_eq!(String::from_utf8(ours).unwrap(), n.to_string());
        }
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
