//! A JSONL record kept as its user wrote it. Each line is scanned once, and checked whole,
//! into its top-level fields; no map of them is built. The fields newsclean reads (the text
//! or HTML field, id, URL, title) are decoded, every other value is kept as the bytes it was
//! written with. With `--format jsonl` the record is written back around the clean text, so a
//! field newsclean does not read comes out byte for byte (a number such as `1.10` or `1e3`,
//! an escape such as `\u00e9`), and writing a record is copying bytes rather than
//! serialising a map.
//!
//! The scan is JSON's grammar (RFC 8259) and no more: a line `serde_json` refuses is refused
//! (the caller then reports `serde_json`'s own message). A value newsclean does not read is
//! not interpreted, so a number beyond a float's range, a lone surrogate escape or nesting of
//! any depth in it is kept as written; the strings newsclean decodes must be whole text.

use std::borrow::Cow;
use std::ops::Range;

/// A JSONL record's fields as written, but for the text field's value when it is a string
/// (the document's text, which `--format jsonl` replaces by the clean text) and the HTML
/// field (whose page the clean text replaces). A key given twice is one field, where it first stood, with the value
/// it was last given, as in a parsed map.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Each field's key (quoted, as written) and value (as written), back to back.
    bytes: String,
    fields: Vec<FieldSpan>,
}

#[derive(Debug, Clone)]
struct FieldSpan {
    key: Range<usize>,
    /// `None` for the text field's string.
    value: Option<Range<usize>>,
}

/// One field of a `Record`.
#[derive(Debug, Clone, Copy)]
pub struct RecordField<'a> {
    /// The key as written, quotes and escapes included.
    pub key: &'a str,
    /// The value as written; `None` for the text field's string, which is the document's
    /// text.
    pub value: Option<&'a str>,
}

impl<'a> RecordField<'a> {
    /// The key as a string (its escapes decoded).
    pub fn name(&self) -> Cow<'a, str> {
        key_name(self.key)
    }
}

impl Record {
    /// The fields in the order they were written.
    pub fn fields(&self) -> impl Iterator<Item = RecordField<'_>> {
        self.fields.iter().map(|field| RecordField {
            key: &self.bytes[field.key.clone()],
            value: field.value.clone().map(|value| &self.bytes[value]),
        })
    }
}

/// The name a key written as `key` (quoted) stands for.
fn key_name(key: &str) -> Cow<'_, str> {
    let inner = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .unwrap_or(key);
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    // Keys were checked when the record was read, so this does not fail.
    Scanner::new(key)
        .string(false)
        .map_or(Cow::Borrowed(inner), |name| Cow::Owned(name.into_owned()))
}

/// One top-level field of a line as scanned.
struct Entry<'a> {
    key: Cow<'a, str>,
    /// The key as written, quotes included.
    key_span: Range<usize>,
    value: Slot,
}

enum Slot {
    /// Where the value is written in the line.
    Raw(Range<usize>),
    /// A string of the text or HTML field, decoded as the line was scanned (these are most
    /// of a record, and are read whole); `None` once the document has taken it.
    Decoded(Option<String>),
}

/// A line's fields as scanned: what newsclean reads of a record, and the `Record` it writes
/// back.
pub(crate) struct Scanned<'a> {
    line: &'a str,
    entries: Vec<Entry<'a>>,
    /// The record as `--format jsonl` writes it back.
    pub record: Record,
}

/// A value newsclean reads from a record.
pub(crate) enum Scalar {
    String(String),
    /// A number, written as `serde_json` writes it.
    Number(String),
    Null,
    /// An array, object or boolean.
    Other,
}

/// A line that is not one JSON object, or a string newsclean reads that is not whole text;
/// the caller gives `serde_json`'s own word on it.
#[derive(Debug)]
pub(crate) struct NotARecord;

impl Scanned<'_> {
    /// The value `name` was last given, `None` when the record has no such field. A decoded
    /// string already taken reads as `Other`.
    pub fn get(&self, name: &str) -> Result<Option<Scalar>, NotARecord> {
        let Some(entry) = self.entries.iter().rev().find(|e| e.key == name) else {
            return Ok(None);
        };
        Ok(Some(match &entry.value {
            Slot::Decoded(Some(text)) => Scalar::String(text.clone()),
            Slot::Decoded(None) => Scalar::Other,
            Slot::Raw(span) => scalar(self.line.get(span.clone()).ok_or(NotARecord)?)?,
        }))
    }

    /// Takes out the string the text or HTML field `name` was last given: `None` without
    /// such a field, `Some(None)` when its value is not a string.
    pub fn take_string(&mut self, name: &str) -> Option<Option<String>> {
        let entry = self.entries.iter_mut().rev().find(|e| e.key == name)?;
        match &mut entry.value {
            Slot::Decoded(text) => Some(text.take()),
            Slot::Raw(_) => Some(None),
        }
    }
}

/// A value as written, decoded if it is a string or a number.
fn scalar(raw: &str) -> Result<Scalar, NotARecord> {
    Ok(match raw.as_bytes().first() {
        Some(b'"') => Scalar::String(Scanner::new(raw).string(false)?.into_owned()),
        Some(b'n') => Scalar::Null,
        Some(b'-' | b'0'..=b'9') => match serde_json::from_str::<serde_json::Number>(raw) {
            Ok(number) => Scalar::Number(number.to_string()),
            // Beyond what a float holds: the number as written.
            Err(_) => Scalar::Number(raw.to_string()),
        },
        _ => Scalar::Other,
    })
}

/// Scans one JSONL line: a JSON object, checked whole. The strings of the text field and
/// the `html_field` are decoded, the other values are kept as written; the `Record` keeps
/// every field but the `html_field`, in order, with the text field's string left out.
pub(crate) fn scan<'a>(
    line: &'a str,
    text_field: &str,
    html_field: Option<&str>,
) -> Result<Scanned<'a>, NotARecord> {
    let entries = Scanner::new(line).record(|key| key == text_field || Some(key) == html_field)?;
    let record = written_record(line, &entries, html_field);
    Ok(Scanned {
        line,
        entries,
        record,
    })
}

/// The `Record` of a scanned line: each key where it first stood, with its last value.
fn written_record(line: &str, entries: &[Entry<'_>], html_field: Option<&str>) -> Record {
    let first = first_of_each_key(entries);
    // The entry giving each first entry its value: the last one with its key.
    let mut last: Vec<usize> = (0..entries.len()).collect();
    for (i, &f) in first.iter().enumerate() {
        last[f] = i;
    }
    let mut record = Record {
        bytes: String::with_capacity(64),
        fields: Vec::with_capacity(entries.len()),
    };
    let mut copy = |span: &Range<usize>| {
        let start = record.bytes.len();
        // Spans start and end at a quote, bracket or digit: never inside a character.
        record
            .bytes
            .push_str(line.get(span.clone()).unwrap_or_default());
        start..record.bytes.len()
    };
    let mut fields = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        if first[i] != i || Some(&*entry.key) == html_field {
            continue;
        }
        let key = copy(&entry.key_span);
        let value = match &entries[last[i]].value {
            Slot::Raw(span) => Some(copy(span)),
            Slot::Decoded(_) => None,
        };
        fields.push(FieldSpan { key, value });
    }
    record.fields = fields;
    record
}

/// For each entry, the index of the first entry with the same key.
fn first_of_each_key(entries: &[Entry<'_>]) -> Vec<usize> {
    if entries.len() <= 16 {
        return (0..entries.len())
            .map(|i| {
                (0..i)
                    .find(|&j| entries[j].key == entries[i].key)
                    .unwrap_or(i)
            })
            .collect();
    }
    let mut seen: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(entries.len());
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| *seen.entry(&entry.key).or_insert(i))
        .collect()
}

/// Where a scan is in a line. Every method leaves `at` after what it read, and fails with
/// `NotARecord` at the first byte the grammar does not allow there.
struct Scanner<'a> {
    line: &'a str,
    at: usize,
    /// The line holds no control character, so a string's scan looks for its quote or
    /// backslash alone.
    plain: bool,
}

impl<'a> Scanner<'a> {
    fn new(line: &'a str) -> Scanner<'a> {
        // The smallest byte, found a vector at a time; a fold that stopped at the first
        // control character would go a byte at a time.
        let least = line.bytes().fold(u8::MAX, u8::min);
        Scanner {
            line,
            at: 0,
            plain: least >= 0x20,
        }
    }

    /// Where the first quote or backslash at or after `at` is, in the string `at` is inside;
    /// fails at a control character before it (JSON strings hold none) or at the line's end.
    #[inline(always)]
    fn quote_or_backslash(&self, at: usize) -> Result<usize, NotARecord> {
        let bytes = self.line.as_bytes();
        if self.plain {
            return first_quote_or_backslash(bytes, at).ok_or(NotARecord);
        }
        let stop = first_special(bytes, at).ok_or(NotARecord)?;
        if bytes[stop] < 0x20 {
            return Err(NotARecord);
        }
        Ok(stop)
    }

    fn peek(&self) -> Option<u8> {
        self.line.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        let bytes = self.line.as_bytes();
        while matches!(bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Steps over `byte` after any white space, or fails.
    fn expect(&mut self, byte: u8) -> Result<(), NotARecord> {
        self.skip_space();
        if self.peek() != Some(byte) {
            return Err(NotARecord);
        }
        self.at += 1;
        Ok(())
    }

    /// The line as a JSON object: its entries in order, the strings of the fields `decoded`
    /// picks decoded.
    fn record(mut self, decoded: impl Fn(&str) -> bool) -> Result<Vec<Entry<'a>>, NotARecord> {
        let mut entries = Vec::with_capacity(8);
        self.expect(b'{')?;
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
        } else {
            loop {
                self.skip_space();
                let key_start = self.at;
                let key = self.string(false)?;
                let key_span = key_start..self.at;
                self.expect(b':')?;
                self.skip_space();
                let value = if decoded(&key) && self.peek() == Some(b'"') {
                    Slot::Decoded(Some(self.string(true)?.into_owned()))
                } else {
                    let start = self.at;
                    self.value()?;
                    Slot::Raw(start..self.at)
                };
                entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
                self.skip_space();
                match self.peek() {
                    Some(b',') => self.at += 1,
                    Some(b'}') => {
                        self.at += 1;
                        break;
                    }
                    _ => return Err(NotARecord),
                }
            }
        }
        self.skip_space();
        if self.at != self.line.len() {
            return Err(NotARecord);
        }
        Ok(entries)
    }

    /// Steps over one value of any kind, nested values included. Containers are tracked on a
    /// stack of their opening bytes, so nesting is bounded by memory, not by the call stack.
    fn value(&mut self) -> Result<(), NotARecord> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            // A value starts here.
            self.skip_space();
            match self.peek() {
                Some(b'{') => {
                    self.at += 1;
                    self.skip_space();
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                    } else {
                        self.skip_key()?;
                        open.push(b'{');
                        continue;
                    }
                }
                Some(b'[') => {
                    self.at += 1;
                    self.skip_space();
                    if self.peek() == Some(b']') {
                        self.at += 1;
                    } else {
                        open.push(b'[');
                        continue;
                    }
                }
                Some(b'"') => {
                    self.skip_string()?;
                }
                Some(b't') => self.literal("true")?,
                Some(b'f') => self.literal("false")?,
                Some(b'n') => self.literal("null")?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                _ => return Err(NotARecord),
            }
            // A value ended: close what it ends, or go on to the next one.
            loop {
                let Some(&container) = open.last() else {
                    return Ok(());
                };
                self.skip_space();
                match (container, self.peek()) {
                    (_, Some(b',')) => {
                        self.at += 1;
                        if container == b'{' {
                            self.skip_key()?;
                        }
                        break;
                    }
                    (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                        self.at += 1;
                        open.pop();
                    }
                    _ => return Err(NotARecord),
                }
            }
        }
    }

    /// Steps over an object member's key and its colon.
    fn skip_key(&mut self) -> Result<(), NotARecord> {
        self.skip_space();
        self.skip_string()?;
        self.expect(b':')
    }

    fn literal(&mut self, word: &str) -> Result<(), NotARecord> {
        if !self.line.as_bytes()[self.at..].starts_with(word.as_bytes()) {
            return Err(NotARecord);
        }
        self.at += word.len();
        Ok(())
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<(), NotARecord> {
        let bytes = self.line.as_bytes();
        let digits = |at: usize| {
            bytes[at.min(bytes.len())..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let mut at = self.at;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        match bytes.get(at) {
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => at += digits(at),
            _ => return Err(NotARecord),
        }
        if bytes.get(at) == Some(&b'.') {
            let fraction = digits(at + 1);
            if fraction == 0 {
                return Err(NotARecord);
            }
            at += 1 + fraction;
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            let exponent = digits(at);
            if exponent == 0 {
                return Err(NotARecord);
            }
            at += exponent;
        }
        self.at = at;
        Ok(())
    }

    /// Steps over a string (at its opening quote), checking it.
    fn skip_string(&mut self) -> Result<(), NotARecord> {
        let bytes = self.line.as_bytes();
        if bytes.get(self.at) != Some(&b'"') {
            return Err(NotARecord);
        }
        let mut at = self.at + 1;
        loop {
            at = self.quote_or_backslash(at)?;
            if bytes[at] == b'"' {
                self.at = at + 1;
                return Ok(());
            }
            at += match bytes.get(at + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => 2,
                Some(b'u')
                    if bytes
                        .get(at + 2..at + 6)
                        .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) =>
                {
                    6
                }
                _ => return Err(NotARecord),
            };
        }
    }

    /// Reads a string (at its opening quote), decoded, in one pass. Fails on a lone
    /// surrogate escape, as the string would not be text. A decoded string is given room for
    /// the rest of the line with `whole_rest` (the text field, most of a record's line).
    fn string(&mut self, whole_rest: bool) -> Result<Cow<'a, str>, NotARecord> {
        let line: &'a str = self.line;
        let bytes = line.as_bytes();
        if bytes.get(self.at) != Some(&b'"') {
            return Err(NotARecord);
        }
        let start = self.at + 1;
        let mut end = self.quote_or_backslash(start)?;
        if bytes[end] == b'"' {
            self.at = end + 1;
            return Ok(Cow::Borrowed(&line[start..end]));
        }
        let mut text = String::with_capacity(if whole_rest { line.len() - start } else { 16 });
        let mut at = start;
        // Here `end` is at a backslash: the text up to it, then its escape.
        loop {
            if at < end {
                text.push_str(&line[at..end]);
            }
            // One byte, or 0 for a `\u` escape.
            let simple = match bytes.get(end + 1) {
                Some(b'"') => b'"',
                Some(b'\\') => b'\\',
                Some(b'/') => b'/',
                Some(b'b') => 0x08,
                Some(b'f') => 0x0c,
                Some(b'n') => b'\n',
                Some(b'r') => b'\r',
                Some(b't') => b'\t',
                Some(b'u') => 0,
                _ => return Err(NotARecord),
            };
            if simple != 0 {
                text.push(char::from(simple));
                at = end + 2;
            } else {
                let (c, len) = unicode_escape(&bytes[end + 1..])?;
                text.push(c);
                at = end + 1 + len;
            }
            end = self.quote_or_backslash(at)?;
            if bytes[end] == b'"' {
                break;
            }
        }
        text.push_str(&line[at..end]);
        self.at = end + 1;
        // Room was given for the rest of the line: when other large fields followed the
        // text, it is not kept with the document.
        if text.capacity() - text.len() > text.len() / 8 + 4096 {
            text.shrink_to_fit();
        }
        Ok(Cow::Owned(text))
    }
}

/// Where the first quote or backslash at or after `at` is, in a line without control
/// characters. Half the escapes of a page's text are within eight bytes of the one before:
/// the first eight bytes are tested as one word, and only past them is `memchr` called,
/// which searches a vector at a time (most of the text's bytes are in runs of hundreds).
#[inline(always)]
fn first_quote_or_backslash(bytes: &[u8], at: usize) -> Option<usize> {
    let Some(word) = bytes.get(at..at + 8) else {
        return memchr::memchr2(b'"', b'\\', bytes.get(at..)?).map(|i| at + i);
    };
    let mut eight = [0u8; 8];
    eight.copy_from_slice(word);
    match quotes_or_backslashes(u64::from_le_bytes(eight)) {
        0 => memchr::memchr2(b'"', b'\\', &bytes[at + 8..]).map(|i| at + 8 + i),
        found => Some(at + found.trailing_zeros() as usize / 8),
    }
}

/// The high bit of each quote or backslash of eight bytes (the first in the low bits): only
/// the lowest set bit is sure.
#[inline(always)]
fn quotes_or_backslashes(word: u64) -> u64 {
    use crate::report::equal_bytes;
    equal_bytes(word, b'"') | equal_bytes(word, b'\\')
}

/// A byte a string's scan stops at: a quote, a backslash or a control character.
fn is_special(b: u8) -> bool {
    (b == b'"') | (b == b'\\') | (b < 0x20)
}

/// Where the first `is_special` byte at or after `at` is. A page's text has an escape every
/// line, and half its lines are under eight bytes: the first eight bytes are tested as one
/// word before the search of the rest is called.
#[inline(always)]
fn first_special(bytes: &[u8], at: usize) -> Option<usize> {
    let Some(word) = bytes.get(at..at + 8) else {
        return first_special_after(bytes, at);
    };
    match special_bytes(word) {
        0 => first_special_after(bytes, at + 8),
        found => Some(at + found.trailing_zeros() as usize / 8),
    }
}

/// `first_special` past the first word. The escapes are a few dozen bytes apart, too close
/// for a library search to pay for its start-up: 16 bytes are tested at a time as two
/// machine words, whose tests also say where in them the first such byte is.
fn first_special_after(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(at..at + 16) {
        let (low, high) = chunk.split_at(8);
        let low = special_bytes(low);
        let high = special_bytes(high);
        if low | high != 0 {
            let i = if low != 0 {
                low.trailing_zeros()
            } else {
                64 + high.trailing_zeros()
            };
            return Some(at + i as usize / 8);
        }
        at += 16;
    }
    let rest = bytes.get(at..)?;
    rest.iter().position(|&b| is_special(b)).map(|i| at + i)
}

/// The high bit of each `is_special` byte of eight bytes, found as the report finds the
/// bytes a JSON string escapes: only the lowest set bit is sure.
#[inline(always)]
fn special_bytes(word: &[u8]) -> u64 {
    let mut eight = [0u8; 8];
    eight.copy_from_slice(word);
    crate::report::escapes::<false>(u64::from_le_bytes(eight))
}

/// The character of a checked `uXXXX` escape (or `uXXXX\uXXXX` surrogate pair) at the start
/// of `escape`, and how many bytes it takes.
fn unicode_escape(escape: &[u8]) -> Result<(char, usize), NotARecord> {
    let hex = |at: usize| {
        let digits = escape.get(at..at + 4)?;
        digits
            .iter()
            .try_fold(0, |unit, &b| Some(unit << 4 | char::from(b).to_digit(16)?))
    };
    let unit = hex(1).ok_or(NotARecord)?;
    if let Some(c) = char::from_u32(unit) {
        return Ok((c, 5));
    }
    // A surrogate: a leading one followed by a trailing one is one character.
    if !(0xD800..0xDC00).contains(&unit) || escape.get(5..7) != Some(b"\\u") {
        return Err(NotARecord);
    }
    let trailing = hex(7).ok_or(NotARecord)?;
    if !(0xDC00..0xE000).contains(&trailing) {
        return Err(NotARecord);
    }
    let c = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (trailing - 0xDC00));
    Ok((c.ok_or(NotARecord)?, 11))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::Value;

    /// A JSON value that `serde_json` writes back as it reads it (its floats are quarters).
    pub(crate) fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (-400i32..400).prop_map(|q| Value::from(f64::from(q) / 4.0)),
            "[a-z\"\\\\\n\t\u{1}é€😀/]{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
                proptest::collection::vec(("[ab\"]{1,2}", inner), 0..3)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// A line is refused exactly when `serde_json` refuses it (or it is not an object):
        /// records, pretty-printed or not, with a few bytes inserted, removed or replaced.
        #[test]
        fn lines_are_refused_as_serde_json_refuses_them(
            fields in proptest::collection::vec(("(text|id|[a\"])", json_value()), 0..4),
            pretty in proptest::bool::ANY,
            edits in proptest::collection::vec(
                (0usize..1000, 0u8..3, proptest::sample::select(
                    "{}[]\":,\\ \n0123456789.-+eEtrufalsnbu/é".chars().collect::<Vec<_>>(),
                )),
                0..3,
            ),
        ) {
            let object = Value::Object(fields.into_iter().collect());
            let line = if pretty {
                serde_json::to_string_pretty(&object).unwrap()
            } else {
                serde_json::to_string(&object).unwrap()
            };
            let mut chars: Vec<char> = line.chars().collect();
            for (at, op, c) in edits {
                let at = at % (chars.len() + 1);
                match op {
                    0 => chars.insert(at, c),
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ if at < chars.len() => chars[at] = c,
                    _ => {}
                }
            }
            let line: String = chars.into_iter().collect();
            let theirs = serde_json::from_str::<serde::de::IgnoredAny>(&line).is_ok()
                && line.trim_start_matches([' ', '\t', '\n', '\r']).starts_with('{');
            let ours = scan(&line, "text", None);
            proptest::prop_assert_eq!(ours.is_ok(), theirs, "{}", line);
            if let (Ok(mut ours), Ok(Value::Object(map))) = (ours, serde_json::from_str(&line)) {
                let text = map.get("text").map(|v| v.as_str().map(str::to_string));
                proptest::prop_assert_eq!(ours.take_string("text"), text);
            }
        }
    }

    /// A piece of a string as written in JSON: text with characters beyond ASCII, escapes
    /// of every kind, and what a string cannot hold (a lone surrogate, an unknown escape, a
    /// quote or control character as it is).
    fn string_piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let written = [
            "\\n",
            "\\\"",
            "\\\\",
            "\\/",
            "\\b",
            "\\f",
            "\\r",
            "\\t",
            "\\u00e9",
            "\\u2019",
            "\\ud83d\\ude00",
            "é",
            "’",
            "😀",
            "中",
        ];
        let wrong = ["\\x", "\\ud800", "\\u12", "\"", "\t", "\u{1}", "\\"];
        prop_oneof![
            6 => "[a-z ]{0,40}",
            4 => proptest::sample::select(written.to_vec()).prop_map(str::to_string),
            1 => proptest::sample::select(wrong.to_vec()).prop_map(str::to_string),
        ]
    }

    /// What a scan of `line` found: each key and its decoded text (or where its value is).
    fn entries(scanner: Scanner<'_>) -> Option<Vec<(String, String)>> {
        let entries = scanner.record(|key| key == "text").ok()?;
        let seen = entries.into_iter().map(|entry| {
            let value = match entry.value {
                Slot::Decoded(text) => format!("{text:?}"),
                Slot::Raw(span) => format!("{span:?}"),
            };
            (entry.key.into_owned(), value)
        });
        Some(seen.collect())
    }

    proptest::proptest! {
        /// Strings are read as `serde_json` reads them, and the same with a scan that looks
        /// for control characters as it goes as with one that knows the line has none: long
        /// runs of text and escapes close together, characters beyond ASCII, tabs between the
        /// tokens (so the line is not free of control characters).
        #[test]
        fn strings_are_read_as_serde_json_reads_them(
            text in proptest::collection::vec(string_piece(), 0..30),
            key in proptest::collection::vec(string_piece(), 0..3),
            tab in proptest::bool::ANY,
        ) {
            let space = if tab { "\t" } else { " " };
            let line = format!(
                "{{\"{}\":{space}\"v\",{space}\"text\":\"{}\"}}",
                key.concat(),
                text.concat()
            );
            let theirs = serde_json::from_str::<Value>(&line).ok();
            let mut ours = scan(&line, "text", None);
            proptest::prop_assert_eq!(ours.is_ok(), theirs.is_some(), "{}", line);
            if let (Ok(ours), Some(theirs)) = (&mut ours, theirs) {
                let text = theirs.get("text").map(|v| v.as_str().map(str::to_string));
                proptest::prop_assert_eq!(ours.take_string("text"), text);
            }
            let plain = Scanner::new(&line);
            proptest::prop_assert_eq!(plain.plain, !line.bytes().any(|b| b < 0x20));
            let searching = Scanner {
                plain: false,
                ..Scanner::new(&line)
            };
            proptest::prop_assert_eq!(entries(plain), entries(searching));
        }
    }

    #[test]
    fn escapes_and_characters_at_every_distance_read_as_serde_json_reads_them() {
        // Two escapes or characters beyond ASCII at every distance from each other and from
        // the escape before them, in lines with and without control characters between their
        // tokens (whose strings are searched for control characters too).
        let pieces = [
            "\\n",
            "\\\"",
            "\\\\",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\t",
            "é",
            "’",
            "😀",
            "\"",
            "\t",
        ];
        for a in pieces {
            for b in pieces {
                for i in 0..20 {
                    for j in 0..20 {
                        let text = format!("\\n{}{a}{}{b}xyz", "x".repeat(i), "y".repeat(j));
                        for space in [" ", "\t"] {
                            let line = format!("{{\"text\":{space}\"{text}\"}}");
                            let theirs = serde_json::from_str::<Value>(&line).ok();
                            let ours = scan(&line, "text", None);
                            assert_eq!(ours.is_ok(), theirs.is_some(), "{line}");
                            if let (Ok(mut ours), Some(theirs)) = (ours, theirs) {
                                let text = theirs["text"].as_str().map(str::to_string);
                                assert_eq!(ours.take_string("text"), Some(text), "{line}");
                            }
                        }
                    }
                }
            }
        }
    }

    fn fields(line: &str, html_field: Option<&str>) -> Vec<(String, Option<String>)> {
        let scanned = scan(line, "text", html_field).unwrap();
        scanned
            .record
            .fields()
            .map(|f| (f.key.to_string(), f.value.map(str::to_string)))
            .collect()
    }

    fn pair(key: &str, value: Option<&str>) -> (String, Option<String>) {
        (key.to_string(), value.map(str::to_string))
    }

    #[test]
    fn keys_are_found_whatever_they_hold() {
        // Escaped quotes and backslashes in keys, a key that ends in a backslash, white space
        // around every token, a text key spelled with an escape.
        let line = r#" {"a\"b" : 1 , "c\\" :"x\"", "te\u0078t": "body", "\\\"":{"k" :[ ]}}"#;
        assert_eq!(
            fields(line, None),
            [
                pair(r#""a\"b""#, Some("1")),
                pair(r#""c\\""#, Some(r#""x\"""#)),
                pair(r#""te\u0078t""#, None),
                pair(r#""\\\"""#, Some(r#"{"k" :[ ]}"#)),
            ]
        );
        let mut scanned = scan(line, "text", None).unwrap();
        assert_eq!(scanned.take_string("text"), Some(Some("body".to_string())));
        let names: Vec<String> = scanned
            .record
            .fields()
            .map(|f| f.name().into_owned())
            .collect();
        assert_eq!(names, ["a\"b", "c\\", "text", "\\\""]);
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        let line = r#"{"text":"one","id":1,"text":"two","id":"b","x":[1]}"#;
        assert_eq!(
            fields(line, None),
            [
                pair(r#""text""#, None),
                pair(r#""id""#, Some(r#""b""#)),
                pair(r#""x""#, Some("[1]"))
            ]
        );
        let mut scanned = scan(line, "text", None).unwrap();
        assert!(matches!(scanned.get("id"), Ok(Some(Scalar::String(id))) if id == "b"));
        assert_eq!(scanned.take_string("text"), Some(Some("two".to_string())));
        // The last value decides, even when it is not a string.
        let mut scanned = scan(r#"{"text":"one","text":[2]}"#, "text", None).unwrap();
        assert_eq!(scanned.take_string("text"), Some(None));
        // Escapes decoded, a surrogate pair included.
        let line = r#"{"text":"caf\u00e9 \ud83d\ude00\t\"\\\/\b\f\r\n"}"#;
        let mut scanned = scan(line, "text", None).unwrap();
        assert_eq!(
            scanned.take_string("text"),
            Some(Some("caf\u{e9} \u{1F600}\t\"\\/\u{8}\u{c}\r\n".to_string()))
        );
        // More keys than the short list compares one by one.
        let many: Vec<String> = (0..40).map(|i| format!("\"k{}\":{i}", i % 20)).collect();
        let line = format!("{{{},\"text\":\"t\"}}", many.join(","));
        let kept = fields(&line, None);
        assert_eq!(kept.len(), 21);
        assert_eq!(kept[3], pair("\"k3\"", Some("23")));
    }

    #[test]
    fn the_html_field_is_left_out_in_place() {
        let line = r#"{"id":"p","html":"<p>x</p>","crawl":"2026","extra":true}"#;
        assert_eq!(
            fields(line, Some("html")),
            [
                pair(r#""id""#, Some(r#""p""#)),
                pair(r#""crawl""#, Some(r#""2026""#)),
                pair(r#""extra""#, Some("true"))
            ]
        );
    }

    #[test]
    fn what_is_not_one_json_object_is_refused() {
        for line in [
            r#"{"text":"a",}"#,
            r#"{"text":"a"} {}"#,
            r#"{"text":"a"#,
            r#"{"text":"\x"}"#,
            r#"{"text":"a","n":01}"#,
            r#"{"text":"a","n":[1,]}"#,
            r#"{"text":"\ud800"}"#,
            r#"{"text":"\ud800\u0041"}"#,
            r#"{"text":"\udc00\ud800"}"#,
            r#"{"text":"\u+123"}"#,
            r#"{"a":"\u12"}"#,
            "{\"text\":\"a\u{1}\"}",
            r#"["text"]"#,
            "",
        ] {
            assert!(scan(line, "text", None).is_err(), "{line}");
        }
        // Values newsclean does not read are not interpreted: a number beyond a float, or
        // nesting deeper than a parsed map allows, are kept as written.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let line = format!(r#"{{"text":"a","n":1e400,"deep":{deep}}}"#);
        let kept = fields(&line, None);
        assert_eq!(kept[1], pair(r#""n""#, Some("1e400")));
        assert_eq!(kept[2].1.as_deref(), Some(deep.as_str()));
    }

    #[test]
    fn numbers_read_as_serde_json_writes_them() {
        let scanned = scan(
            r#"{"a":1.10,"b":-7,"c":1e3,"d":1e400,"e":null,"f":{}}"#,
            "text",
            None,
        )
        .unwrap();
        let number = |name| match scanned.get(name) {
            Ok(Some(Scalar::Number(n))) => n,
            _ => panic!("{name} is not a number"),
        };
        assert_eq!(
            [number("a"), number("b"), number("c"), number("d")],
            ["1.1", "-7", "1000.0", "1e400"]
        );
        assert!(matches!(scanned.get("e"), Ok(Some(Scalar::Null))));
        assert!(matches!(scanned.get("f"), Ok(Some(Scalar::Other))));
        assert!(matches!(scanned.get("g"), Ok(None)));
        // A string newsclean reads must decode.
        let scanned = scan(r#"{"a":"\udc00"}"#, "text", None).unwrap();
        assert!(scanned.get("a").is_err());
    }
}
