//! A JSONL record kept as its user wrote it. `serde_json` scans each line once and checks it
//! whole, but builds no map of it: the fields newsclean reads (the text or HTML field, id,
//! URL, title) are decoded, every other value is kept as the bytes it was written with. With
//! `--format jsonl` the record is written back around the clean text, so a field newsclean
//! does not read comes out byte for byte (a number such as `1.10` or `1e3`, an escape such as
//! `\u00e9`), and writing a record is copying bytes rather than serialising a map.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::ops::Range;

/// A JSONL record's fields as written, but for the text field's value (the document's text,
/// which `--format jsonl` replaces by the clean text) and the HTML field (whose page the
/// clean text replaces). A key given twice is one field, where it first stood, with the value
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
    /// `None` for the text field.
    value: Option<Range<usize>>,
}

/// One field of a `Record`.
#[derive(Debug, Clone, Copy)]
pub struct RecordField<'a> {
    /// The key as written, quotes and escapes included.
    pub key: &'a str,
    /// The value as written; `None` for the text field, whose value is the document's text.
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
    // Keys were checked when the record was read, so this parse does not fail.
    serde_json::from_str::<String>(key).map_or(Cow::Borrowed(inner), Cow::Owned)
}

/// One top-level field of a line as scanned.
struct Entry<'a> {
    key: Cow<'a, str>,
    value: Slot<'a>,
}

enum Slot<'a> {
    /// A value as written.
    Raw(&'a RawValue),
    /// The text field's value: the string, or `None` when it is another kind of value.
    Text(Option<String>),
}

/// A line's fields as scanned, each with the value it was last given: what newsclean reads
/// of a record, and the `Record` it writes back.
pub(crate) struct Scanned<'a> {
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

/// Why a line could not be read; the caller gives `serde_json`'s own word on it.
#[derive(Debug)]
pub(crate) struct NotARecord;

impl<'a> Scanned<'a> {
    /// The value `name` was last given, `None` when the record has no such field. The text
    /// field's value is read as a string (or `Other`).
    pub fn get(&self, name: &str) -> Result<Option<Scalar>, NotARecord> {
        let Some(entry) = self.entries.iter().rev().find(|e| e.key == name) else {
            return Ok(None);
        };
        Ok(Some(match &entry.value {
            Slot::Text(Some(text)) => Scalar::String(text.clone()),
            Slot::Text(None) => Scalar::Other,
            Slot::Raw(raw) => scalar(raw.get())?,
        }))
    }

    /// Takes the text field's last value out: `None` without a text field, `Some(None)` when
    /// it is not a string.
    pub fn take_text(&mut self, text_field: &str) -> Option<Option<String>> {
        let entry = self
            .entries
            .iter_mut()
            .rev()
            .find(|e| e.key == text_field)?;
        match &mut entry.value {
            Slot::Text(text) => Some(text.take()),
            Slot::Raw(_) => None,
        }
    }
}

/// A value as written, decoded if it is a string or a number.
fn scalar(raw: &str) -> Result<Scalar, NotARecord> {
    Ok(match raw.as_bytes().first() {
        Some(b'"') => Scalar::String(serde_json::from_str(raw).map_err(|_| NotARecord)?),
        Some(b'n') => Scalar::Null,
        Some(b'-' | b'0'..=b'9') => match serde_json::from_str::<serde_json::Number>(raw) {
            Ok(number) => Scalar::Number(number.to_string()),
            // Beyond what a float holds: the number as written.
            Err(_) => Scalar::Number(raw.to_string()),
        },
        _ => Scalar::Other,
    })
}

/// Scans one JSONL line: a JSON object, checked whole. The text field's value is decoded
/// (the last one given, if the key repeats), the other values are kept as written; the
/// `Record` keeps every field but the `html_field`, in order, with the text field's value
/// left out.
pub(crate) fn scan<'a>(
    line: &'a str,
    text_field: &str,
    html_field: Option<&str>,
) -> Result<Scanned<'a>, NotARecord> {
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let entries = Fields { text_field }
        .deserialize(&mut deserializer)
        .map_err(|_| NotARecord)?;
    deserializer.end().map_err(|_| NotARecord)?;
    let record = written_record(line, &entries, html_field).ok_or(NotARecord)?;
    Ok(Scanned { entries, record })
}

/// The `Record` of a scanned line: each key where it first stood, with its last value.
fn written_record(line: &str, entries: &[Entry<'_>], html_field: Option<&str>) -> Option<Record> {
    let first = first_of_each_key(entries);
    // The entry giving each first entry its value: the last one with its key.
    let mut last: Vec<usize> = (0..entries.len()).collect();
    for (i, &f) in first.iter().enumerate() {
        last[f] = i;
    }
    let offset =
        |raw: &RawValue| (raw.get().as_ptr() as usize).wrapping_sub(line.as_ptr() as usize);
    let mut record = Record {
        bytes: String::with_capacity(64),
        fields: Vec::with_capacity(entries.len()),
    };
    for (i, entry) in entries.iter().enumerate() {
        if first[i] != i || Some(&*entry.key) == html_field {
            continue;
        }
        let key = match &entry.value {
            Slot::Raw(raw) => key_before(line, offset(raw))?,
            Slot::Text(_) => {
                // The value is decoded, so where it starts is not known: the key is the first
                // string after the field before it (whose value is always kept as written).
                let from = match i.checked_sub(1).map(|p| &entries[p].value) {
                    Some(Slot::Raw(raw)) => offset(raw) + raw.get().len(),
                    None => 0,
                    Some(Slot::Text(_)) => return None,
                };
                key_after(line, from)?
            }
        };
        let start = record.bytes.len();
        record.bytes.push_str(line.get(key)?);
        let key = start..record.bytes.len();
        let value = match &entries[last[i]].value {
            Slot::Raw(raw) => {
                let start = record.bytes.len();
                record.bytes.push_str(raw.get());
                Some(start..record.bytes.len())
            }
            Slot::Text(_) => None,
        };
        record.fields.push(FieldSpan { key, value });
    }
    Some(record)
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

fn is_json_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The span of the key (quotes included) of the value that starts at `value` in `line`, a
/// line `serde_json` has accepted: back over `:` and white space to the key's closing quote,
/// then back to the first quote not escaped by a backslash.
fn key_before(line: &str, value: usize) -> Option<Range<usize>> {
    let bytes = line.as_bytes();
    let mut at = value;
    let skip_space = |mut at: usize| {
        while at > 0 && is_json_space(bytes[at - 1]) {
            at -= 1;
        }
        at
    };
    at = skip_space(at.min(bytes.len()));
    if at == 0 || bytes[at - 1] != b':' {
        return None;
    }
    at = skip_space(at - 1);
    let close = at.checked_sub(1)?;
    if bytes[close] != b'"' {
        return None;
    }
    let mut end = close;
    loop {
        let quote = memchr::memrchr(b'"', &bytes[..end])?;
        let backslashes = bytes[..quote]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 0 {
            return Some(quote..close + 1);
        }
        end = quote;
    }
}

/// The span of the first key (quotes included) at or after `from` in `line`, where only
/// white space, `{` or `,` comes before it.
fn key_after(line: &str, from: usize) -> Option<Range<usize>> {
    let bytes = line.as_bytes();
    let open = from + memchr::memchr(b'"', bytes.get(from..)?)?;
    let mut at = open + 1;
    loop {
        let found = at + memchr::memchr2(b'"', b'\\', bytes.get(at..)?)?;
        if bytes[found] == b'"' {
            return Some(open..found + 1);
        }
        at = found + 2;
    }
}

/// Reads a JSON object's entries, the text field's values decoded, the others as written.
struct Fields<'f> {
    text_field: &'f str,
}

impl<'de> Visitor<'de> for Fields<'_> {
    type Value = Vec<Entry<'de>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(8);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let value = if key == self.text_field {
                Slot::Text(map.next_value::<TextValue>()?.0)
            } else {
                Slot::Raw(map.next_value::<&'de RawValue>()?)
            };
            entries.push(Entry { key, value });
        }
        Ok(entries)
    }
}

impl<'de> DeserializeSeed<'de> for Fields<'_> {
    type Value = Vec<Entry<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

/// The text field's value: the string, or `None` for any other value (read through).
struct TextValue(Option<String>);

impl<'de> serde::Deserialize<'de> for TextValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = TextValue;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<TextValue, E> {
        Ok(TextValue(Some(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<TextValue, E> {
        Ok(TextValue(Some(v)))
    }
    fn visit_bool<E>(self, _: bool) -> Result<TextValue, E> {
        Ok(TextValue(None))
    }
    fn visit_i64<E>(self, _: i64) -> Result<TextValue, E> {
        Ok(TextValue(None))
    }
    fn visit_u64<E>(self, _: u64) -> Result<TextValue, E> {
        Ok(TextValue(None))
    }
    fn visit_f64<E>(self, _: f64) -> Result<TextValue, E> {
        Ok(TextValue(None))
    }
    fn visit_unit<E>(self) -> Result<TextValue, E> {
        Ok(TextValue(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TextValue, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| TextValue(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TextValue, A::Error> {
        IgnoredAny.visit_map(map).map(|_| TextValue(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(scanned.take_text("text"), Some(Some("body".to_string())));
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
        assert_eq!(scanned.take_text("text"), Some(Some("two".to_string())));
        // The last value decides, even when it is not a string.
        let mut scanned = scan(r#"{"text":"one","text":[2]}"#, "text", None).unwrap();
        assert_eq!(scanned.take_text("text"), Some(None));
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
