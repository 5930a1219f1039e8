//! `report.html`: one self-contained page a reviewer opens from disk to see what a run
//! removed, from which document, by which rule.
//!
//! The page is built from the run's own output folder (`report.jsonl`, the clean text in
//! `clean/` or `clean.jsonl`, `duplicates.jsonl`, and the copies' comparisons in
//! `removed.diff`), so `newsclean report OUT` rebuilds exactly what `clean` wrote without
//! cleaning again. The whole text of a document is the interleaving of its removed spans
//! (by their line numbers) with its clean lines, which come back in order: every input line is
//! either in a removed span or is one clean line.
//!
//! A run of ten thousand pages must still open quickly, so the page holds no per-document
//! markup: a small index (one array per document) drives the sortable, filterable table, which
//! draws a page of rows at a time, and each document's lines sit in their own
//! `<script type="application/json">` element, parsed only when the reviewer opens it. Text is
//! JSON with every `<` escaped, so nothing in a page (`</script>`, `<!--`) can end the element.
//! The summary and the bar charts are drawn here as static HTML and SVG.

use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

use crate::output;
use crate::rules::{Definition, RuleSet};

/// The file name inside the output folder.
pub const REPORT_HTML: &str = "report.html";

const TEMPLATE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("page.js");

/// Bars drawn per chart; the rest are summed into one "other" bar.
const CHART_BARS: usize = 15;

/// One `report.jsonl` record, as much of it as the page shows.
#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    source: String,
    site: Option<String>,
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    bytes_in: usize,
    bytes_out: usize,
    lines_in: usize,
    #[serde(default)]
    removed: Vec<Span>,
    #[serde(default)]
    duplicate_of: Option<String>,
    #[serde(default)]
    similarity: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Span {
    lines: [usize; 2],
    rule: String,
    why: String,
    text: String,
}

/// What was written, for messages and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub documents: usize,
    /// Documents whose clean text was not found (dropped copies): only their removed lines
    /// are shown.
    pub without_text: usize,
}

/// Builds `OUT/report.html` from the output folder `out`. `rules` gives the rule
/// descriptions; `format` says where the run wrote its clean text (`None`: whichever of
/// `clean/` and `clean.jsonl` is newer, since a run leaves the other kind alone);
/// `text_field` is the JSONL field holding clean text in `clean.jsonl`.
pub fn write(
    out: &Path,
    rules: &RuleSet,
    format: Option<crate::Format>,
    text_field: &str,
) -> Result<Written, String> {
    let report_path = out.join(output::REPORT_JSONL);
    let records = || -> Result<RecordReader, String> {
        let file = File::open(&report_path)
            .map_err(|e| format!("cannot read {}: {e}", report_path.display()))?;
        Ok(RecordReader {
            path: report_path.display().to_string(),
            lines: BufReader::new(file),
            number: 0,
            buffer: String::new(),
        })
    };

    // First pass: the index, the totals and which documents are copies.
    let mut rule_ids: Vec<String> = Vec::new();
    let mut rule_index: HashMap<String, usize> = HashMap::new();
    let mut site_ids: Vec<String> = Vec::new();
    let mut site_index: HashMap<String, usize> = HashMap::new();
    let mut by_rule: BTreeMap<usize, usize> = BTreeMap::new();
    let mut by_site: BTreeMap<usize, usize> = BTreeMap::new();
    let mut docs: Vec<Value> = Vec::new();
    let mut copies: HashMap<String, usize> = HashMap::new();
    let (mut bytes_in, mut bytes_out, mut removed_total, mut changed) = (0usize, 0, 0, 0);
    let mut reader = records()?;
    while let Some(record) = reader.next_record()? {
        let site = record
            .site
            .clone()
            .unwrap_or_else(|| "(no site)".to_string());
        let site_n = intern(&mut site_ids, &mut site_index, &site);
        let mut doc_rules: Vec<usize> = Vec::new();
        let mut removed = 0;
        for span in &record.removed {
            let r = intern(&mut rule_ids, &mut rule_index, &span.rule);
            *by_rule.entry(r).or_default() += span.text.len();
            removed += span.text.len();
            if !doc_rules.contains(&r) {
                doc_rules.push(r);
            }
        }
        doc_rules.sort_unstable();
        *by_site.entry(site_n).or_default() += removed;
        bytes_in += record.bytes_in;
        bytes_out += record.bytes_out;
        removed_total += removed;
        if record.bytes_in != record.bytes_out || !record.removed.is_empty() {
            changed += 1;
        }
        if record.duplicate_of.is_some() {
            copies.insert(record.id.clone(), docs.len());
        }
        docs.push(json!([
            record.id,
            site_n,
            record.bytes_in,
            record.bytes_out,
            removed,
            doc_rules,
            record.duplicate_of,
            record.similarity,
            record.title,
            record.url,
            record.source,
        ]));
    }
    let clusters = read_clusters(&out.join(output::DUPLICATES_JSONL))?;
    let comparisons = read_comparisons(&out.join(output::REMOVED_DIFF), &copies)?;

    let rules_json: Vec<Value> = rule_ids
        .iter()
        .map(|id| json!([id, describe(rules, id)]))
        .collect();
    let copies_count: usize = clusters.iter().map(|c| c.members).sum();
    let summary = Totals {
        documents: docs.len(),
        changed,
        bytes_in,
        bytes_out,
        removed: removed_total,
        copies: copies_count,
        stories: clusters.len(),
    };
    let index = json!({
        "rules": rules_json,
        "sites": site_ids,
        "docs": docs,
        "clusters": clusters.iter().map(|c| &c.record).collect::<Vec<_>>(),
    });
    drop(docs);

    let path = out.join(REPORT_HTML);
    let mut file = output::AtomicFile::create(&path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let write_error = |e: io::Error| format!("cannot write {}: {e}", path.display());
    let (head, tail) = TEMPLATE
        .split_once("{{body}}")
        .ok_or("the report template has no {{body}}")?;
    file.write_all(head.as_bytes()).map_err(write_error)?;
    let mut body = String::new();
    body.push_str(&summary.html());
    body.push_str("<div class=\"charts\">");
    body.push_str(&chart(
        "Bytes removed per rule",
        "chart-rules",
        &by_rule,
        &rule_ids,
    ));
    body.push_str(&chart(
        "Bytes removed per site",
        "chart-sites",
        &by_site,
        &site_ids,
    ));
    body.push_str(
        "</div>\n<section id=\"documents\"><h2>Documents</h2></section>\n\
         <section id=\"detail\"></section>\n\
         <section id=\"clusters\"><h2>Duplicate stories</h2></section>\n",
    );
    file.write_all(body.as_bytes()).map_err(write_error)?;
    file.write_all(b"<script type=\"application/json\" id=\"index\">")
        .map_err(write_error)?;
    write_json(&mut file, &index).map_err(write_error)?;
    file.write_all(b"</script>\n").map_err(write_error)?;
    drop(index);

    // Second pass: each document's lines, read back beside its clean text.
    let mut texts = CleanTexts::open(out, format, text_field, summary.documents)?;
    let mut reader = records()?;
    let mut n = 0;
    let mut written = Written::default();
    while let Some(record) = reader.next_record()? {
        let text = texts.next(&record)?;
        if text.is_none() {
            written.without_text += 1;
        }
        let mut detail = detail(&record, text.as_deref(), &rule_index);
        if let Some(comparison) = comparisons.get(&record.id) {
            detail["comparison"] = Value::String(comparison.clone());
        }
        write!(file, "<script type=\"application/json\" id=\"d{n}\">").map_err(write_error)?;
        write_json(&mut file, &detail).map_err(write_error)?;
        file.write_all(b"</script>\n").map_err(write_error)?;
        n += 1;
    }
    written.documents = n;
    file.write_all(b"<script>\n").map_err(write_error)?;
    file.write_all(SCRIPT.replace("</", "<\\/").as_bytes())
        .map_err(write_error)?;
    file.write_all(b"</script>\n").map_err(write_error)?;
    file.write_all(tail.as_bytes()).map_err(write_error)?;
    file.commit().map_err(write_error)?;
    Ok(written)
}

/// Reads `report.jsonl` one record at a time; a bad line is an error naming it.
struct RecordReader {
    path: String,
    lines: BufReader<File>,
    number: usize,
    buffer: String,
}

impl RecordReader {
    fn next_record(&mut self) -> Result<Option<Record>, String> {
        loop {
            self.buffer.clear();
            self.number += 1;
            let read = self
                .lines
                .read_line(&mut self.buffer)
                .map_err(|e| format!("cannot read {}: {e}", self.path))?;
            if read == 0 {
                return Ok(None);
            }
            if self.buffer.trim().is_empty() {
                continue;
            }
            return serde_json::from_str(&self.buffer)
                .map(Some)
                .map_err(|e| format!("{}:{}: not a report record: {e}", self.path, self.number));
        }
    }
}

fn intern(names: &mut Vec<String>, index: &mut HashMap<String, usize>, name: &str) -> usize {
    if let Some(&n) = index.get(name) {
        return n;
    }
    names.push(name.to_string());
    index.insert(name.to_string(), names.len() - 1);
    names.len() - 1
}

/// A rule's description for the hover text: from the loaded rules, or for the ids the
/// pipeline itself gives.
fn describe(rules: &RuleSet, id: &str) -> String {
    match rules.find(id) {
        Some(Definition::Rule(def)) => def.description.clone(),
        Some(Definition::Detector(def)) => def.description.clone(),
        None if id.starts_with("normalize.") => {
            "Normalisation: redundant blank lines and white space left by the input".into()
        }
        None if id == crate::dedup::run::RULE => {
            "A near-identical copy of a story kept elsewhere in the run".into()
        }
        None => "(not in the loaded rule set)".into(),
    }
}

/// Serialises `value` with every `<` written as `\u003c`, which JSON allows inside strings
/// (the only place `<` can occur), so no text can close the surrounding `<script>`.
fn write_json(out: &mut impl Write, value: &Value) -> io::Result<()> {
    let bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    let mut start = 0;
    for at in memchr::memchr_iter(b'<', &bytes) {
        out.write_all(&bytes[start..at])?;
        out.write_all(b"\\u003c")?;
        start = at + 1;
    }
    out.write_all(&bytes[start..])
}

/// A document's lines in order: a string is a kept (clean) line, an array
/// `[rule, first line, last line, why, text]` a removed span, where `rule` indexes the
/// index's rules and `why` the document's `whys`.
fn detail(record: &Record, clean: Option<&str>, rule_index: &HashMap<String, usize>) -> Value {
    let mut items: Vec<Value> = Vec::new();
    // A reason often repeats within a page (every line of a menu); each is written once.
    let mut whys: Vec<&str> = Vec::new();
    let mut why_index: HashMap<&str, usize> = HashMap::new();
    let mut kept = clean.map(|text| text.split_inclusive('\n'));
    let mut spans = record.removed.iter().peekable();
    let mut line = 1;
    let mut missing = 0usize;
    // Line numbers from a damaged report are capped so that counting past them cannot
    // overflow.
    const CAP: usize = usize::MAX / 4;
    let lines_in = record
        .lines_in
        .max(record.removed.last().map_or(0, |s| s.lines[1]))
        .min(CAP);
    while line <= lines_in {
        if let Some(span) = spans.next_if(|s| s.lines[0] <= line) {
            let why = *why_index.entry(&span.why).or_insert_with(|| {
                whys.push(&span.why);
                whys.len() - 1
            });
            items.push(json!([
                rule_index.get(&span.rule).copied().unwrap_or(0),
                span.lines[0],
                span.lines[1],
                why,
                span.text,
            ]));
            line = span.lines[1].min(CAP).max(line) + 1;
            continue;
        }
        // Kept lines up to the next removed span, one clean line each.
        let next = spans
            .peek()
            .map_or(lines_in + 1, |s| s.lines[0].min(lines_in + 1));
        while line < next {
            match kept.as_mut().and_then(|k| k.next()) {
                Some(text) => {
                    items.push(Value::String(
                        text.strip_suffix('\n').unwrap_or(text).to_string(),
                    ));
                    line += 1;
                }
                None => {
                    // The rest are missing; counted at once, since a damaged report can
                    // claim any number of lines.
                    missing += next - line;
                    line = next;
                }
            }
        }
    }
    let extra = kept.map_or(0, |k| k.count());
    let note = if clean.is_none() {
        Some(
            "The clean text of this document was not written (a dropped copy): only its removed lines are shown."
                .to_string(),
        )
    } else if missing > 0 || extra > 0 {
        Some(format!(
            "The clean text does not match the report ({missing} kept lines missing, {extra} extra): it may have been edited after the run."
        ))
    } else {
        None
    };
    json!({ "items": items, "whys": whys, "text": clean.is_some(), "note": note })
}

/// Where the clean text of each report record is.
enum CleanTexts {
    Dir(std::path::PathBuf),
    /// `clean.jsonl`, in report order, without dropped copies unless it has a record for
    /// every document.
    Jsonl {
        lines: BufReader<File>,
        path: String,
        field: String,
        every: bool,
    },
    None,
}

impl CleanTexts {
    fn open(
        out: &Path,
        format: Option<crate::Format>,
        field: &str,
        documents: usize,
    ) -> Result<CleanTexts, String> {
        let dir = out.join(output::CLEAN_DIR);
        let path = out.join(output::CLEAN_JSONL);
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let format = format.unwrap_or(match (modified(&dir), modified(&path)) {
            (Some(d), Some(j)) if j > d => crate::Format::Jsonl,
            (_, Some(_)) if !dir.is_dir() => crate::Format::Jsonl,
            _ => crate::Format::Txt,
        });
        if format == crate::Format::Txt {
            return Ok(if dir.is_dir() {
                CleanTexts::Dir(dir)
            } else {
                CleanTexts::None
            });
        }
        let open = || File::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()));
        if !path.is_file() {
            return Ok(CleanTexts::None);
        }
        let count = BufReader::new(open()?)
            .lines()
            .map_while(Result::ok)
            .filter(|l| !l.trim().is_empty())
            .count();
        Ok(CleanTexts::Jsonl {
            lines: BufReader::new(open()?),
            path: path.display().to_string(),
            field: field.to_string(),
            every: count == documents,
        })
    }

    fn next(&mut self, record: &Record) -> Result<Option<String>, String> {
        match self {
            CleanTexts::Dir(dir) => {
                // A run writes only path-safe ids; an edited report could name any path, so
                // such an id has no clean text. A missing file is a dropped copy.
                let relative = Path::new(&record.id);
                let safe = relative
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
                if !safe {
                    return Ok(None);
                }
                Ok(std::fs::read_to_string(dir.join(format!("{}.txt", record.id))).ok())
            }
            CleanTexts::Jsonl {
                lines,
                path,
                field,
                every,
            } => {
                if !*every && record.duplicate_of.is_some() {
                    return Ok(None);
                }
                let mut line = String::new();
                loop {
                    line.clear();
                    let read = lines
                        .read_line(&mut line)
                        .map_err(|e| format!("cannot read {path}: {e}"))?;
                    if read == 0 {
                        return Ok(None);
                    }
                    if !line.trim().is_empty() {
                        break;
                    }
                }
                let value: Value = serde_json::from_str(&line)
                    .map_err(|e| format!("{path}: not a JSON record: {e}"))?;
                Ok(value
                    .get(field.as_str())
                    .and_then(Value::as_str)
                    .map(str::to_string))
            }
            CleanTexts::None => Ok(None),
        }
    }
}

struct Cluster {
    record: Value,
    members: usize,
}

fn read_clusters(path: &Path) -> Result<Vec<Cluster>, String> {
    let Ok(file) = File::open(path) else {
        return Ok(Vec::new());
    };
    let mut clusters = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: not a cluster record: {e}", path.display(), n + 1))?;
        let members = record
            .get("members")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        clusters.push(Cluster { record, members });
    }
    Ok(clusters)
}

/// Each copy's comparison with its kept copy: the `#` comment block `clean` writes into
/// `removed.diff` before the copy's diffs, starting `# ID: dropped as a copy of` or
/// `# ID: a copy of`.
fn read_comparisons(
    path: &Path,
    copies: &HashMap<String, usize>,
) -> Result<HashMap<String, String>, String> {
    let mut found = HashMap::new();
    if copies.is_empty() {
        return Ok(found);
    }
    let Ok(file) = File::open(path) else {
        return Ok(found);
    };
    let mut current: Option<(String, String)> = None;
    let mut reader = BufReader::new(file);
    let mut raw = Vec::new();
    loop {
        raw.clear();
        let read = reader
            .read_until(b'\n', &mut raw)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let line = String::from_utf8_lossy(&raw);
        let header = line
            .strip_prefix("# ")
            .and_then(|rest| copy_header(rest, copies));
        if read == 0 || header.is_some() || !line.starts_with('#') {
            if let Some((id, text)) = current.take() {
                found.insert(id, text);
            }
        }
        if read == 0 {
            break;
        }
        if let Some(id) = header {
            current = Some((id, String::new()));
        }
        if let Some((_, text)) = &mut current {
            text.push_str(line.strip_prefix("# ").unwrap_or(&line[1..]));
        }
    }
    Ok(found)
}

/// The copy a comparison header names, if it names one of `copies`.
fn copy_header(rest: &str, copies: &HashMap<String, usize>) -> Option<String> {
    for marker in [": dropped as a copy of ", ": a copy of "] {
        if let Some(at) = rest.find(marker) {
            let id = &rest[..at];
            if copies.contains_key(id) {
                return Some(id.to_string());
            }
        }
    }
    None
}

struct Totals {
    documents: usize,
    changed: usize,
    bytes_in: usize,
    bytes_out: usize,
    removed: usize,
    copies: usize,
    stories: usize,
}

impl Totals {
    fn html(&self) -> String {
        use super::thousands;
        let share = if self.bytes_in == 0 {
            0.0
        } else {
            100.0 * self.bytes_in.saturating_sub(self.bytes_out) as f64 / self.bytes_in as f64
        };
        format!(
            "<section id=\"summary\"><h2>Summary</h2><dl>\
             <dt>documents</dt><dd id=\"sum-documents\">{}</dd>\
             <dt>changed</dt><dd>{}</dd>\
             <dt>bytes in</dt><dd id=\"sum-bytes-in\">{}</dd>\
             <dt>bytes out</dt><dd id=\"sum-bytes-out\">{}</dd>\
             <dt>share removed</dt><dd id=\"sum-share\">{share:.1}%</dd>\
             <dt>bytes in removed lines</dt><dd>{}</dd>\
             <dt>duplicates</dt><dd id=\"sum-duplicates\">{} {} of {} {}</dd>\
             </dl></section>\n",
            thousands(self.documents),
            thousands(self.changed),
            thousands(self.bytes_in),
            thousands(self.bytes_out),
            thousands(self.removed),
            thousands(self.copies),
            if self.copies == 1 { "copy" } else { "copies" },
            thousands(self.stories),
            if self.stories == 1 {
                "story"
            } else {
                "stories"
            },
        )
    }
}

/// A horizontal bar chart as inline SVG: the largest `CHART_BARS` values, the rest summed.
fn chart(title: &str, id: &str, values: &BTreeMap<usize, usize>, names: &[String]) -> String {
    let mut bars: Vec<(String, usize)> = values
        .iter()
        .filter(|(_, &bytes)| bytes > 0)
        .map(|(&n, &bytes)| (names[n].clone(), bytes))
        .collect();
    bars.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if bars.len() > CHART_BARS {
        let rest: usize = bars[CHART_BARS - 1..].iter().map(|b| b.1).sum();
        let others = bars.len() - (CHART_BARS - 1);
        bars.truncate(CHART_BARS - 1);
        bars.push((format!("({others} others)"), rest));
    }
    let mut svg = format!("<section class=\"chart\"><h2>{}</h2>", escape(title));
    if bars.is_empty() {
        svg.push_str("<p>Nothing removed.</p></section>\n");
        return svg;
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let (label_w, bar_w, row_h) = (260.0, 400.0, 20.0);
    let height = row_h * bars.len() as f64 + 4.0;
    svg.push_str(&format!(
        "<svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\">",
        label_w + bar_w + 110.0
    ));
    for (i, (name, bytes)) in bars.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = (bar_w * *bytes as f64 / max as f64).max(1.0);
        let label: String = if name.chars().count() > 40 {
            name.chars().take(39).chain(['…']).collect()
        } else {
            name.clone()
        };
        svg.push_str(&format!(
            "<g class=\"bar\"><title>{}: {} bytes</title>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\"></rect>\
             <text x=\"{}\" y=\"{}\">{}</text></g>",
            escape(name),
            super::thousands(*bytes),
            label_w - 6.0,
            y + 14.0,
            escape(&label),
            label_w,
            y + 2.0,
            row_h - 4.0,
            label_w + w + 4.0,
            y + 14.0,
            super::thousands(*bytes),
        ));
    }
    svg.push_str("</svg></section>\n");
    svg
}

/// Text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_close_the_script_element() {
        let mut out = Vec::new();
        write_json(&mut out, &json!(["</script><!-- <b>", "a<b"])).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('<'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, json!(["</script><!-- <b>", "a<b"]));
    }

    #[test]
    fn kept_and_removed_lines_interleave_by_line_number() {
        let record = Record {
            id: "a".into(),
            source: "a.txt".into(),
            site: None,
            url: None,
            title: None,
            bytes_in: 0,
            bytes_out: 0,
            lines_in: 5,
            removed: vec![
                Span {
                    lines: [1, 1],
                    rule: "r1".into(),
                    why: "w".into(),
                    text: "Menu\n".into(),
                },
                Span {
                    lines: [4, 5],
                    rule: "r2".into(),
                    why: "w".into(),
                    text: "Share\nTweet\n".into(),
                },
            ],
            duplicate_of: None,
            similarity: None,
        };
        let index: HashMap<String, usize> = [("r1".to_string(), 0), ("r2".to_string(), 1)].into();
        let detail = detail(&record, Some("Story one.\nStory two.\n"), &index);
        assert_eq!(
            detail["items"],
            json!([
                [0, 1, 1, 0, "Menu\n"],
                "Story one.",
                "Story two.",
                [1, 4, 5, 0, "Share\nTweet\n"]
            ])
        );
        assert_eq!(detail["whys"], json!(["w"]));
        assert!(detail["note"].is_null());
        let short = super::detail(&record, Some("Story one.\n"), &index);
        assert!(short["note"]
            .as_str()
            .unwrap()
            .contains("1 kept lines missing"));
    }

    #[test]
    fn a_damaged_report_cannot_make_the_page_loop() {
        let record = Record {
            id: "../../etc/passwd".into(),
            source: String::new(),
            site: None,
            url: None,
            title: None,
            bytes_in: 0,
            bytes_out: 0,
            lines_in: usize::MAX,
            removed: vec![Span {
                lines: [7, usize::MAX],
                rule: "gone".into(),
                why: String::new(),
                text: "x\n".into(),
            }],
            duplicate_of: None,
            similarity: None,
        };
        let detail = detail(&record, Some("a\n"), &HashMap::new());
        assert!(detail["note"]
            .as_str()
            .unwrap()
            .contains("kept lines missing"));
        let dir = tempfile::tempdir().unwrap();
        let mut texts = CleanTexts::Dir(dir.path().to_path_buf());
        assert_eq!(texts.next(&record).unwrap(), None);
    }

    #[test]
    fn comparison_headers_name_known_copies_only() {
        let copies: HashMap<String, usize> = [("b: x".to_string(), 1)].into();
        assert_eq!(
            copy_header("b: x: dropped as a copy of a (similarity 1", &copies),
            Some("b: x".to_string())
        );
        assert_eq!(copy_header("c: a copy of a (", &copies), None);
    }

    #[test]
    fn escape_covers_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
