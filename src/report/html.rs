//! `report.html`: one self-contained page a reviewer opens from disk to see what a run
//! removed, from which document, by which rule.
//!
//! The page shows only what the run's own output folder says (`report.jsonl`, the clean text
//! in `clean/` or `clean.jsonl`, `duplicates.jsonl`, and the copies' comparisons in
//! `removed.diff`), so `newsclean report OUT` rebuilds exactly what `clean` wrote without
//! cleaning again. Both go through `Page` with the same per-document view: `clean` with the
//! documents it is writing (reading its output back would cost more than cleaning), `report`
//! with records read from the files. The whole text of a document is the interleaving of its removed spans
//! (by their line numbers) with its clean lines, which come back in order: every input line is
//! either in a removed span or is one clean line.
//!
//! A run of ten thousand pages must still open quickly, so the page holds no per-document
//! markup: a small index (one array per document) drives the sortable, filterable table, which
//! draws a page of rows at a time, and each document's lines sit in their own
//! `<script type="application/json">` element, parsed only when the reviewer opens it. Text is
//! JSON with every `<` escaped, so nothing in a page (`</script>`, `<!--`) can end the element.
//! The summary and the bar charts are drawn here as static HTML and SVG.

use crate::hash::FastMap;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

use super::{
    json_lines_in_html, json_number, json_string_in_html, ByAddress, DocumentReport, Removed,
    ReportedSpan, SpanJson,
};
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
    removed: Vec<ReportedSpan>,
    #[serde(default)]
    duplicate_of: Option<String>,
    #[serde(default)]
    similarity: Option<f64>,
}

static NO_NORMALIZATIONS: BTreeMap<String, usize> = BTreeMap::new();

impl Record {
    /// The record as the page reads it, the same view `clean` gives of a document it has
    /// just written.
    fn view(&self) -> DocumentReport<'_> {
        DocumentReport {
            id: &self.id,
            source: &self.source,
            site: self.site.as_deref(),
            url: self.url.as_deref(),
            title: self.title.as_deref(),
            published: None,
            author: None,
            bytes_in: self.bytes_in,
            bytes_out: self.bytes_out,
            lines_in: self.lines_in,
            lines_out: 0,
            invalid_utf8: 0,
            removed: Removed::Read(&self.removed),
            normalized: &NO_NORMALIZATIONS,
            duplicate_of: self.duplicate_of.as_deref(),
            similarity: self.similarity,
            containment: None,
        }
    }
}

/// What was written, for messages and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub documents: usize,
    /// Documents whose clean text was not found (dropped copies): only their removed lines
    /// are shown.
    pub without_text: usize,
}

/// Rebuilds `OUT/report.html` from the output folder `out`. `rules` gives the rule
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
    let open = || {
        File::open(&report_path).map_err(|e| format!("cannot read {}: {e}", report_path.display()))
    };
    let mut reader = RecordReader {
        path: report_path.display().to_string(),
        lines: BufReader::new(open()?),
        number: 0,
        buffer: String::new(),
    };
    // The copies are the members of `duplicates.jsonl`'s clusters; their comparisons are
    // needed before their lines are written.
    let copies: HashSet<String> = read_clusters(&out.join(output::DUPLICATES_JSONL))?
        .iter()
        .filter_map(|c| c.record.get("members").and_then(Value::as_array))
        .flatten()
        .filter_map(|m| m.get("id").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let comparisons = read_comparisons(&out.join(output::REMOVED_DIFF), &copies)?;
    let documents = count_records(BufReader::new(open()?))
        .map_err(|e| format!("cannot read {}: {e}", report_path.display()))?;
    let mut texts = CleanTexts::open(out, format, text_field, documents)?;
    let budget = output::spill_memory_for(output::available_memory());
    let mut page = Page::create(out, &output::SpillBudget::new(budget))
        .map_err(|e| format!("cannot write in {}: {e}", out.display()))?;
    while let Some(record) = reader.next_record()? {
        let text = texts.next(&record)?;
        let comparison = comparisons.get(&record.id).map(String::as_str);
        let report = record.view();
        let by_rule = report.removed.bytes_by_rule();
        page.add(&report, &by_rule, text.as_deref(), comparison, None)
            .map_err(|e| format!("cannot write in {}: {e}", out.display()))?;
    }
    page.finish(out, rules)
}

/// Non-blank lines, as `CleanTexts` counts records.
fn count_records(mut lines: impl BufRead) -> io::Result<usize> {
    let mut line = Vec::new();
    let mut count = 0;
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line)? == 0 {
            return Ok(count);
        }
        if !line.trim_ascii().is_empty() {
            count += 1;
        }
    }
}

/// `report.html` while it is written, by `clean` from the documents it writes or by
/// `newsclean report` from `report.jsonl`. Each document's lines go straight into the page
/// (through its temporary name) as documents are added, as data the browser does not draw.
/// What only the last document completes comes after them: the summary and charts, drawn
/// first on screen all the same, and the index (rules, sites, one small row per document),
/// whose rows wait in a spill meanwhile. So the page is written once, however
/// large.
pub struct Page {
    rule_ids: Vec<String>,
    rule_index: NameIndex,
    site_ids: Vec<String>,
    site_index: NameIndex,
    by_rule: BTreeMap<usize, usize>,
    by_site: BTreeMap<usize, usize>,
    totals: Totals,
    /// The index rows as JSON, back to back in a spill (a run of millions of documents
    /// would hold hundreds of megabytes of them), each without its duplicate
    /// fields, which go between its first `row_parts[n].0` bytes and its next `.1`.
    rows: output::Spill,
    row_parts: Vec<(usize, usize)>,
    row: Vec<u8>,
    /// Each row's duplicate fields that are not null, by row number in increasing order.
    duplicates: Vec<(usize, Option<String>, Option<f64>)>,
    file: output::AtomicFile,
    /// The template after the head already written.
    tail: &'static str,
    written: Written,
    /// The documents' elements not yet in the file: written into here as they are made and
    /// handed to the file a megabyte at a time, past its buffer, rather than copied into it.
    pending: Vec<u8>,
    buffer: Vec<u8>,
}

/// How many bytes of documents' elements `Page` holds before it writes them.
const PENDING: usize = 1 << 20;

impl Page {
    pub fn create(out: &Path, budget: &output::SpillBudget) -> io::Result<Page> {
        let (head, tail) = TEMPLATE
            .split_once("{{body}}")
            .ok_or_else(|| io::Error::other("the report template has no {{body}}"))?;
        let mut file = output::AtomicFile::create(&out.join(REPORT_HTML))?;
        file.write_all(head.as_bytes())?;
        Ok(Page {
            rule_ids: Vec::new(),
            rule_index: NameIndex::default(),
            site_ids: Vec::new(),
            site_index: NameIndex::default(),
            by_rule: BTreeMap::new(),
            by_site: BTreeMap::new(),
            totals: Totals::default(),
            rows: output::Spill::create(out, "page-rows", budget)?,
            row_parts: Vec::new(),
            row: Vec::new(),
            duplicates: Vec::new(),
            file,
            tail,
            written: Written::default(),
            // Room for a megabyte and the document that passes it, so the buffer is not
            // grown (and copied) step by step.
            pending: Vec::with_capacity(2 * PENDING),
            buffer: Vec::new(),
        })
    }

    /// Adds a document: its row in the index and its lines. `by_rule` is the bytes each
    /// rule removed from it (`Removed::bytes_by_rule`); `clean` is its clean text (`None`
    /// for a dropped copy); `comparison` its comparison with its kept copy; `span_texts` its
    /// removed texts as its report line has them, when at hand.
    pub fn add(
        &mut self,
        report: &DocumentReport,
        by_rule: &[(&str, usize)],
        clean: Option<&str>,
        comparison: Option<&str>,
        span_texts: Option<SpanTexts>,
    ) -> io::Result<()> {
        self.row(report, by_rule)?;
        self.open_detail();
        write_detail(
            &mut self.pending,
            report,
            clean,
            comparison,
            &self.rule_index,
            span_texts,
        );
        self.close_detail(clean.is_some())
    }

    /// Adds a document's row now and returns its lines, for a run that learns only later
    /// whether the document is a copy; they are added with `push_detail` in document order.
    pub fn add_row_first(
        &mut self,
        report: &DocumentReport,
        by_rule: &[(&str, usize)],
        clean: &str,
        span_texts: SpanTexts,
    ) -> io::Result<&[u8]> {
        self.row(report, by_rule)?;
        self.buffer.clear();
        write_detail(
            &mut self.buffer,
            report,
            Some(clean),
            None,
            &self.rule_index,
            Some(span_texts),
        );
        Ok(&self.buffer)
    }

    /// The next document's lines as `add_row_first` returned them, with its comparison
    /// when it turned out to be a copy whose clean text was written.
    pub fn push_detail_later(
        &mut self,
        detail: &mut Vec<u8>,
        comparison: Option<&str>,
    ) -> io::Result<()> {
        if let Some(comparison) = comparison {
            // The comparison is the last field: it goes before the closing brace.
            if detail.pop() != Some(b'}') {
                return Err(io::Error::other("held-back page lines are damaged"));
            }
            close_detail(detail, Some(comparison));
        }
        self.push_detail(detail, true)
    }

    /// The next document's lines for a dropped copy, from the lines `add_row_first` gave it
    /// (`detail`): its clean text was not written, so only its removed lines are shown.
    pub fn push_dropped_copy(&mut self, detail: &[u8], comparison: &str) -> io::Result<()> {
        let mark = self.pending.len();
        self.open_detail();
        if without_clean_text(&mut self.pending, detail, comparison).is_none() {
            self.pending.truncate(mark);
            return Err(io::Error::other("held-back page lines are damaged"));
        }
        self.close_detail(false)
    }

    /// Marks row `n` (added without them) as a copy of `kept` with this similarity. Rows
    /// are marked in increasing order.
    pub fn set_duplicate(&mut self, n: usize, kept: &str, similarity: f64) {
        self.duplicates
            .push((n, Some(kept.to_string()), Some(similarity)));
    }

    /// The document's row in the index; `by_rule` is the bytes each rule removed from it.
    fn row(&mut self, report: &DocumentReport, by_rule: &[(&str, usize)]) -> io::Result<()> {
        let site = report.site.unwrap_or("(no site)");
        let site_n = intern(&mut self.site_ids, &mut self.site_index, site);
        // The document's rules by number with the bytes each removed, added to the run's
        // totals once per rule.
        let mut doc_rules: Vec<(usize, usize)> = by_rule
            .iter()
            .map(|&(rule, bytes)| {
                (
                    intern(&mut self.rule_ids, &mut self.rule_index, rule),
                    bytes,
                )
            })
            .collect();
        let removed = by_rule.iter().map(|&(_, bytes)| bytes).sum();
        doc_rules.sort_unstable();
        for &(r, bytes) in &doc_rules {
            *self.by_rule.entry(r).or_default() += bytes;
        }
        *self.by_site.entry(site_n).or_default() += removed;
        let totals = &mut self.totals;
        totals.documents += 1;
        totals.bytes_in += report.bytes_in;
        totals.bytes_out += report.bytes_out;
        totals.removed += removed;
        if report.bytes_in != report.bytes_out || !report.removed.is_empty() {
            totals.changed += 1;
        }
        if report.duplicate_of.is_some() || report.similarity.is_some() {
            self.duplicates.push((
                self.row_parts.len(),
                report.duplicate_of.map(str::to_string),
                report.similarity,
            ));
        }
        // [id, site, bytes in, bytes out, bytes removed, rules, duplicate_of, similarity,
        // title, url, source]
        let out = &mut self.row;
        out.clear();
        out.push(b'[');
        json_string_in_html(out, report.id);
        for n in [site_n, report.bytes_in, report.bytes_out, removed] {
            out.push(b',');
            json_number(out, n);
        }
        out.extend_from_slice(b",[");
        for (i, &(r, _)) in doc_rules.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_number(out, r);
        }
        out.extend_from_slice(b"],");
        let split = out.len();
        for text in [report.title, report.url] {
            out.push(b',');
            json_option_in_html(out, text);
        }
        out.push(b',');
        json_string_in_html(out, report.source);
        out.push(b']');
        self.row_parts.push((split, out.len() - split));
        self.rows.write_all(out)
    }

    fn push_detail(&mut self, detail: &[u8], has_text: bool) -> io::Result<()> {
        self.open_detail();
        self.pending.extend_from_slice(detail);
        self.close_detail(has_text)
    }

    /// Starts the next document's element, whose lines follow.
    fn open_detail(&mut self) {
        let out = &mut self.pending;
        out.extend_from_slice(b"<script type=\"application/json\" id=\"d");
        json_number(out, self.written.documents);
        out.extend_from_slice(b"\">");
    }

    /// Ends a document's element, and writes what is pending once it is a megabyte.
    fn close_detail(&mut self, has_text: bool) -> io::Result<()> {
        self.pending.extend_from_slice(b"</script>\n");
        self.written.documents += 1;
        if !has_text {
            self.written.without_text += 1;
        }
        if self.pending.len() >= PENDING {
            self.write_pending()?;
        }
        Ok(())
    }

    fn write_pending(&mut self) -> io::Result<()> {
        self.file.write_all(&self.pending)?;
        self.pending.clear();
        Ok(())
    }

    /// Completes `OUT/report.html` after the documents' lines: the summary and charts, the
    /// index, the script. Reads the clusters from `duplicates.jsonl`.
    pub fn finish(mut self, out: &Path, rules: &RuleSet) -> Result<Written, String> {
        let clusters = read_clusters(&out.join(output::DUPLICATES_JSONL))?;
        self.totals.copies = clusters.iter().map(|c| c.members).sum();
        self.totals.stories = clusters.len();

        let path = out.join(REPORT_HTML);
        let write_error = |e: io::Error| format!("cannot write {}: {e}", path.display());
        self.write_end(rules, &clusters).map_err(write_error)?;
        self.file.commit().map_err(write_error)?;
        Ok(self.written)
    }

    /// What follows the documents' lines: the summary and charts, the index, the script,
    /// the end of the template.
    fn write_end(&mut self, rules: &RuleSet, clusters: &[Cluster]) -> io::Result<()> {
        self.write_pending()?;
        self.pending = Vec::new();
        let mut body = String::new();
        body.push_str(&self.totals.html());
        body.push_str("<div class=\"charts\">");
        body.push_str(&chart(
            "Bytes removed per rule",
            "chart-rules",
            &self.by_rule,
            &self.rule_ids,
        ));
        body.push_str(&chart(
            "Bytes removed per site",
            "chart-sites",
            &self.by_site,
            &self.site_ids,
        ));
        body.push_str(
            "</div>\n<section id=\"documents\"><h2>Documents</h2></section>\n\
             <section id=\"detail\"></section>\n\
             <section id=\"clusters\"><h2>Duplicate stories</h2></section>\n",
        );
        body.push_str("<script type=\"application/json\" id=\"index\">");
        self.file.write_all(body.as_bytes())?;
        self.write_index(rules, clusters)?;
        self.file.write_all(b"</script>\n<script>\n")?;
        self.file
            .write_all(SCRIPT.replace("</", "<\\/").as_bytes())?;
        self.file.write_all(b"</script>\n")?;
        self.file.write_all(self.tail.as_bytes())
    }

    /// `{"rules":[[id, description]...],"sites":[...],"docs":[rows],"clusters":[...]}`
    fn write_index(&mut self, rules: &RuleSet, clusters: &[Cluster]) -> io::Result<()> {
        let file = &mut self.file;
        let mut out = Vec::new();
        out.extend_from_slice(b"{\"rules\":[");
        for (i, id) in self.rule_ids.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'[');
            json_string_in_html(&mut out, id);
            out.push(b',');
            json_string_in_html(&mut out, &describe(rules, id));
            out.push(b']');
        }
        out.extend_from_slice(b"],\"sites\":[");
        for (i, site) in self.site_ids.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_string_in_html(&mut out, site);
        }
        out.extend_from_slice(b"],\"docs\":[");
        file.write_all(&out)?;
        let mut duplicates = self.duplicates.iter().peekable();
        let mut rows = self.rows.reader()?;
        for (n, &(head, tail)) in self.row_parts.iter().enumerate() {
            if n > 0 {
                file.write_all(b",")?;
            }
            rows.copy_to(head as u64, file)?;
            out.clear();
            match duplicates.next_if(|d| d.0 == n) {
                Some((_, kept, similarity)) => {
                    json_option_in_html(&mut out, kept.as_deref());
                    out.push(b',');
                    match similarity {
                        Some(similarity) => serde_json::to_writer(&mut out, similarity)?,
                        None => out.extend_from_slice(b"null"),
                    }
                }
                None => out.extend_from_slice(b"null,null"),
            }
            file.write_all(&out)?;
            rows.copy_to(tail as u64, file)?;
        }
        file.write_all(b"],\"clusters\":[")?;
        for (i, cluster) in clusters.iter().enumerate() {
            if i > 0 {
                file.write_all(b",")?;
            }
            write_json(file, &cluster.record)?;
        }
        file.write_all(b"]}")
    }
}

fn json_option_in_html(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => json_string_in_html(out, text),
        None => out.extend_from_slice(b"null"),
    }
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

/// Numbers of names (rules, sites). The names come from the rules and the run, and a map
/// holds one run's (or one document's), so the fast hasher will do.
type NameIndex = FastMap<String, usize>;

fn intern(names: &mut Vec<String>, index: &mut NameIndex, name: &str) -> usize {
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
    let mut escaped = Vec::with_capacity(bytes.len());
    json_with_lt_escaped(&mut escaped, &bytes);
    out.write_all(&escaped)
}

/// Appends JSON with every `<` written as `\u003c`. For a string `json_string` wrote, that
/// is what `json_string_in_html` writes for the same text, since no escape holds a `<`.
fn json_with_lt_escaped(out: &mut Vec<u8>, json: &[u8]) {
    let mut start = 0;
    for at in memchr::memchr_iter(b'<', json) {
        out.extend_from_slice(&json[start..at]);
        out.extend_from_slice(b"\\u003c");
        start = at + 1;
    }
    out.extend_from_slice(&json[start..]);
}

/// A document's removed texts and reasons as its `report.jsonl` line already has them: the
/// line, and where each removed span's reason and text are in it as JSON strings, in span
/// order. The page copies them with `<` escaped (`json_with_lt_escaped`) rather than
/// escaping every text again.
#[derive(Debug, Clone, Copy)]
pub struct SpanTexts<'a> {
    pub record: &'a [u8],
    pub texts: &'a [SpanJson],
}

/// How many reasons a page's lines number by looking through them before a map takes over.
const FEW_WHYS: usize = 16;

/// A document's lines in order, as JSON: `{"items":[...],"whys":[...],"text":..,"note":..}`
/// and, for a copy, `"comparison"` last. An item is a string for a kept (clean) line, an
/// array `[rule, first line, last line, why, text]` for a removed span, where `rule` indexes
/// the index's rules and `why` the document's `whys`.
fn write_detail(
    out: &mut Vec<u8>,
    report: &DocumentReport,
    clean: Option<&str>,
    comparison: Option<&str>,
    rule_index: &NameIndex,
    span_texts: Option<SpanTexts>,
) {
    // The removed texts as JSON already, when the report line is at hand and has them all.
    let escaped = span_texts.filter(|s| s.texts.len() == report.removed.len());
    // Where the report line has a `<`, found in one pass over it: a removed text without
    // one (most of them) is copied as it is.
    let mut lts = escaped.map(|s| memchr::memchr_iter(b'<', s.record).peekable());
    // A report line without a `<` (almost every one) has its reasons copied as they are.
    let lt_free = lts.as_mut().is_some_and(|lts| lts.peek().is_none());
    out.extend_from_slice(b"{\"items\":[");
    // A reason often repeats within a page (every line of a menu); each is written once,
    // copied from the report line when that has it (where it is there, else empty).
    let mut whys: Vec<(&str, std::ops::Range<usize>)> = Vec::with_capacity(FEW_WHYS);
    let mut why_index: FastMap<&str, usize> = FastMap::default();
    // The clean text not yet written.
    let mut kept = clean;
    let mut spans = report.removed.iter().peekable();
    let mut line = 1;
    let mut missing = 0usize;
    let mut items = 0usize;
    let mut recent_rules = ByAddress::default();
    let mut recent_whys = ByAddress::default();
    // Line numbers from a damaged report are capped so that counting past them cannot
    // overflow.
    const CAP: usize = usize::MAX / 4;
    let lines_in = report
        .lines_in
        .max(report.removed.last().map_or(0, |s| s.lines[1]))
        .min(CAP);
    while line <= lines_in {
        if let Some(span) = spans.next_if(|s| s.lines[0] <= line) {
            // The number of this span among the document's spans.
            let index = report.removed.len() - spans.len() - 1;
            let why = recent_whys.get_or(span.why, || {
                let json = escaped
                    .and_then(|s| s.texts.get(index))
                    .map_or(0..0, |json| json.why.clone());
                // Most pages have a few reasons, looked through; a map numbers them once
                // there are more.
                if whys.len() < FEW_WHYS {
                    if let Some(n) = whys.iter().position(|(known, _)| *known == &**span.why) {
                        return n;
                    }
                    whys.push((span.why, json));
                    if whys.len() == FEW_WHYS {
                        why_index.extend(whys.iter().enumerate().map(|(n, why)| (why.0, n)));
                    }
                    return whys.len() - 1;
                }
                *why_index.entry(span.why).or_insert_with(|| {
                    whys.push((span.why, json));
                    whys.len() - 1
                })
            });
            let rule = recent_rules.get_or(span.rule, || {
                rule_index.get(&**span.rule).copied().unwrap_or(0)
            });
            if items > 0 {
                out.push(b',');
            }
            items += 1;
            out.push(b'[');
            for n in [rule, span.lines[0], span.lines[1], why] {
                json_number(out, n);
                out.push(b',');
            }
            let range = escaped.and_then(|s| s.texts.get(index)).map(|s| &s.text);
            match (range, escaped.and_then(|s| s.record.get(range?.clone()))) {
                (Some(range), Some(json)) => {
                    let lt = lts.as_mut().and_then(|lts| {
                        while lts.next_if(|&at| at < range.start).is_some() {}
                        lts.peek().copied()
                    });
                    if lt.is_some_and(|at| at < range.end) {
                        json_with_lt_escaped(out, json);
                    } else {
                        out.extend_from_slice(json);
                    }
                }
                _ => json_string_in_html(out, span.text),
            }
            out.push(b']');
            line = span.lines[1].min(CAP).max(line) + 1;
            continue;
        }
        // Kept lines up to the next removed span, one clean line each; those the clean
        // text does not have are missing.
        let next = spans
            .peek()
            .map_or(lines_in + 1, |s| s.lines[0].min(lines_in + 1));
        let count = match &mut kept {
            Some(rest) if !rest.is_empty() && next > line => {
                if items > 0 {
                    out.push(b',');
                }
                let (read, count) = json_lines_in_html(out, rest, next - line);
                *rest = rest.get(read..).unwrap_or_default();
                count
            }
            _ => 0,
        };
        items += count;
        missing += next - line - count;
        line = next;
    }
    let extra = kept.map_or(0, |rest| rest.split_inclusive('\n').count());
    out.extend_from_slice(b"],\"whys\":[");
    for (i, (why, json)) in whys.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match escaped.and_then(|s| s.record.get(json.clone())) {
            Some(json) if !json.is_empty() && lt_free => out.extend_from_slice(json),
            Some(json) if !json.is_empty() => json_with_lt_escaped(out, json),
            _ => json_string_in_html(out, why),
        }
    }
    out.extend_from_slice(b"],\"text\":");
    out.extend_from_slice(if clean.is_some() { b"true" } else { b"false" });
    out.extend_from_slice(b",\"note\":");
    if clean.is_none() {
        json_string_in_html(out, NOT_WRITTEN);
    } else if missing > 0 || extra > 0 {
        json_string_in_html(
            out,
            &format!(
                "The clean text does not match the report ({missing} kept lines missing, {extra} extra): it may have been edited after the run."
            ),
        );
    } else {
        out.extend_from_slice(b"null");
    }
    close_detail(out, comparison);
}

/// A document's lines as `write_detail` writes them without its clean text (a dropped
/// copy's), from the lines it wrote with it (`detail`), with the comparison after them: the
/// same removed spans, reasons and their numbers, since neither depends on the kept lines
/// between the spans, with the kept lines (the items that are strings) left out. `None` for
/// lines that are not what `write_detail` writes.
fn without_clean_text(out: &mut Vec<u8>, detail: &[u8], comparison: &str) -> Option<()> {
    const ITEMS: &[u8] = b"{\"items\":[";
    const TEXT: &[u8] = b",\"text\":true,\"note\":";
    let rest = detail.strip_prefix(ITEMS)?;
    out.reserve(detail.len() + comparison.len() + 64);
    out.extend_from_slice(ITEMS);
    let mut at = 0;
    let mut items = 0usize;
    loop {
        match rest.get(at)? {
            b']' => break,
            b',' => at += 1,
            // A kept line.
            b'"' => at = string_end(rest, at + 1)?,
            // A removed span: numbers, then its text.
            b'[' => {
                let quote = at + memchr::memchr(b'"', rest.get(at..)?)?;
                let end = string_end(rest, quote + 1)?;
                if rest.get(end) != Some(&b']') {
                    return None;
                }
                if items > 0 {
                    out.push(b',');
                }
                items += 1;
                out.extend_from_slice(rest.get(at..=end)?);
                at = end + 1;
            }
            _ => return None,
        }
    }
    // The reasons are strings, in which no `"` follows a `,` unescaped: the first `TEXT`
    // ends them.
    let whys = rest.get(at..)?;
    let end = memchr::memmem::find(whys, TEXT)?;
    let whys = whys.get(..end)?;
    if !whys.starts_with(b"],\"whys\":[") {
        return None;
    }
    out.extend_from_slice(whys);
    out.extend_from_slice(b",\"text\":false,\"note\":");
    json_string_in_html(out, NOT_WRITTEN);
    close_detail(out, Some(comparison));
    Some(())
}

/// Where the JSON string whose text starts at `at` ends: just past its closing quote, the
/// first `"` after an even run of backslashes (in a string a backslash starts an escape,
/// and `\\` is one).
fn string_end(json: &[u8], mut at: usize) -> Option<usize> {
    let start = at;
    loop {
        at += memchr::memchr(b'"', json.get(at..)?)?;
        let backslashes = json
            .get(start..at)?
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        at += 1;
        if backslashes % 2 == 0 {
            return Some(at);
        }
    }
}

/// The note on a dropped copy's lines.
const NOT_WRITTEN: &str =
    "The clean text of this document was not written (a dropped copy): only its removed lines are shown.";

/// The end of a document's lines: the comparison with its kept copy, if any, and the
/// closing brace.
fn close_detail(out: &mut Vec<u8>, comparison: Option<&str>) {
    if let Some(comparison) = comparison {
        out.extend_from_slice(b",\"comparison\":");
        json_string_in_html(out, comparison);
    }
    out.push(b'}');
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
                super::record_text(line.as_bytes(), field)
                    .map_err(|e| format!("{path}: not a JSON record: {e}"))
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
    copies: &HashSet<String>,
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
fn copy_header(rest: &str, copies: &HashSet<String>) -> Option<String> {
    for marker in [": dropped as a copy of ", ": a copy of "] {
        if let Some(at) = rest.find(marker) {
            let id = &rest[..at];
            if copies.contains(id) {
                return Some(id.to_string());
            }
        }
    }
    None
}

#[derive(Default)]
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
    use serde_json::json;

    /// Takes up to `n` lines off the front of `rest`: the text of those it has and how many.
    /// What `json_lines_in_html` finds as it writes them.
    fn take_lines<'t>(rest: &mut &'t str, n: usize) -> (&'t str, usize) {
        let bytes = rest.as_bytes();
        let mut newlines = memchr::memchr_iter(b'\n', bytes);
        let mut end = 0;
        let mut count = 0;
        while count < n {
            match newlines.next() {
                Some(at) => end = at + 1,
                // A last line without a newline.
                None if end < bytes.len() => end = bytes.len(),
                None => break,
            }
            count += 1;
        }
        let (run, tail) = rest.split_at(end);
        *rest = tail;
        (run, count)
    }

    #[test]
    fn kept_lines_are_written_as_found_line_by_line() {
        for text in [
            "",
            "a",
            "a\n",
            "\n",
            "\n\n\n",
            "a\nb",
            "a\n\nb\n",
            "one <b>\"two\"</b>\r\n\tthree\\\nfour and a much longer line of text\n",
            "a line of more than eight bytes\nand another one\nshort\nx\ny\nz",
        ] {
            for n in 0..8 {
                let mut rest = text;
                let (run, count) = take_lines(&mut rest, n);
                let mut theirs = Vec::new();
                for (i, line) in run.split_inclusive('\n').enumerate() {
                    if i > 0 {
                        theirs.push(b',');
                    }
                    json_string_in_html(&mut theirs, line.strip_suffix('\n').unwrap_or(line));
                }
                let mut ours = Vec::new();
                let (read, written) = json_lines_in_html(&mut ours, text, n);
                assert_eq!((read, written), (run.len(), count), "{text:?} {n}");
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    String::from_utf8(theirs).unwrap(),
                    "{text:?} {n}"
                );
            }
        }
    }

    /// A document's lines as the page embeds them, parsed back.
    fn detail(record: &Record, clean: Option<&str>, rule_index: &NameIndex) -> Value {
        let mut out = Vec::new();
        write_detail(&mut out, &record.view(), clean, None, rule_index, None);
        assert!(!out.contains(&b'<'));
        // The same with the removed texts copied from the record's report line.
        let (mut line, mut texts) = (Vec::new(), Vec::new());
        record.view().write_json(&mut line, Some(&mut texts));
        let mut copied = Vec::new();
        let span_texts = SpanTexts {
            record: &line,
            texts: &texts,
        };
        write_detail(
            &mut copied,
            &record.view(),
            clean,
            None,
            rule_index,
            Some(span_texts),
        );
        assert_eq!(
            String::from_utf8_lossy(&copied),
            String::from_utf8_lossy(&out)
        );
        serde_json::from_slice(&out).unwrap()
    }

    fn record(id: &str, lines_in: usize, removed: Vec<ReportedSpan>) -> Record {
        Record {
            id: id.into(),
            source: String::new(),
            site: None,
            url: None,
            title: None,
            bytes_in: 0,
            bytes_out: 0,
            lines_in,
            removed,
            duplicate_of: None,
            similarity: None,
        }
    }

    fn span(lines: [usize; 2], rule: &str, why: &str, text: &str) -> ReportedSpan {
        ReportedSpan {
            lines,
            rule: rule.into(),
            why: why.into(),
            text: text.into(),
        }
    }

    #[test]
    fn report_strings_with_lt_escaped_are_page_strings() {
        for text in [
            "",
            "plain\n",
            "</script><!-- <b>\n",
            "a<b\n\"q\" \\ \u{1}é<",
            "<<\n<",
        ] {
            let mut json = Vec::new();
            crate::report::json_string(&mut json, text);
            let mut ours = Vec::new();
            json_with_lt_escaped(&mut ours, &json);
            let mut theirs = Vec::new();
            json_string_in_html(&mut theirs, text);
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn page_strings_are_serde_json_with_lt_escaped() {
        for text in [
            "",
            "plain",
            "</script><!-- <b>",
            "a<b\n\"q\" \\ \u{1}é<",
            "<<<<<<<<<<<<<<<<<<",
        ] {
            let mut ours = Vec::new();
            json_string_in_html(&mut ours, text);
            let mut theirs = Vec::new();
            write_json(&mut theirs, &json!(text)).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }

    #[test]
    fn a_comparison_is_the_last_field_of_a_copys_lines() {
        let record = Record {
            duplicate_of: Some("b".into()),
            similarity: Some(0.9),
            ..record("a", 2, vec![span([1, 1], "r", "w", "Menu\n")])
        };
        let mut whole = Vec::new();
        write_detail(
            &mut whole,
            &record.view(),
            Some("Story.\n"),
            Some("<diff>\n"),
            &NameIndex::default(),
            None,
        );
        let mut later = Vec::new();
        write_detail(
            &mut later,
            &record.view(),
            Some("Story.\n"),
            None,
            &NameIndex::default(),
            None,
        );
        later.pop();
        close_detail(&mut later, Some("<diff>\n"));
        assert_eq!(whole, later);
        let value: Value = serde_json::from_slice(&whole).unwrap();
        assert_eq!(value["comparison"], "<diff>\n");
    }

    #[test]
    fn a_dropped_copys_lines_are_its_held_lines_without_the_kept_ones() {
        let mut rule_index = NameIndex::default();
        rule_index.insert("r".into(), 0);
        rule_index.insert("s".into(), 1);
        let spans = vec![
            span([1, 2], "r", "w \"q\" \\", "Menu\n<Home>\n"),
            span([4, 4], "s", "w \"q\" \\", "\"x\" \\\n"),
            span([5, 5], "r", "], \"text\":true,\"note\":", "]\n"),
            span([8, 9], "s", "other", "a\tb\nc"),
        ];
        let cleans = [
            "Story \"one\" \\.\nTwo <b>.\nThree.\n",
            "Story.\n",
            "Story.\nToo\nmany\nlines\nhere\n",
            "",
        ];
        for removed in [spans.clone(), spans[..1].to_vec(), Vec::new()] {
            for clean in cleans {
                let record = record("a", 9, removed.clone());
                let mut whole = Vec::new();
                write_detail(
                    &mut whole,
                    &record.view(),
                    None,
                    Some("<diff>\n"),
                    &rule_index,
                    None,
                );
                let mut held = Vec::new();
                write_detail(
                    &mut held,
                    &record.view(),
                    Some(clean),
                    None,
                    &rule_index,
                    None,
                );
                let mut ours = Vec::new();
                assert_eq!(without_clean_text(&mut ours, &held, "<diff>\n"), Some(()));
                assert_eq!(
                    String::from_utf8_lossy(&ours),
                    String::from_utf8_lossy(&whole)
                );
            }
        }
        let mut out = Vec::new();
        for damaged in [
            &b""[..],
            b"{\"items\":[",
            b"{\"items\":[\"a",
            b"{\"items\":[[1,2,3,4,\"a\"",
            b"{\"items\":[x]",
            b"{\"items\":[],\"whys\":[]}",
            b"{\"items\":[\"a\\",
        ] {
            assert_eq!(without_clean_text(&mut out, damaged, ""), None);
        }
    }

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
        let record = record(
            "a",
            5,
            vec![
                span([1, 1], "r1", "w", "Menu\n"),
                span([4, 5], "r2", "w", "<b>Share</b>\nTweet\n"),
            ],
        );
        let index: NameIndex = [("r1".to_string(), 0), ("r2".to_string(), 1)]
            .into_iter()
            .collect();
        let lines = detail(&record, Some("Story one.\nStory two.\n"), &index);
        assert_eq!(
            lines["items"],
            json!([
                [0, 1, 1, 0, "Menu\n"],
                "Story one.",
                "Story two.",
                [1, 4, 5, 0, "<b>Share</b>\nTweet\n"]
            ])
        );
        assert_eq!(lines["whys"], json!(["w"]));
        assert!(lines["note"].is_null());
        let short = detail(&record, Some("Story one.\n"), &index);
        assert!(short["note"]
            .as_str()
            .unwrap()
            .contains("1 kept lines missing"));
    }

    #[test]
    fn reasons_are_numbered_once_each_in_order_of_first_use() {
        // More reasons than are looked through, each coming back later.
        let reasons: Vec<String> = (0..40).map(|n| format!("reason {}", n % 23)).collect();
        let lines = detail_of_one_line_spans(&reasons);
        let whys: Vec<String> = (0..23).map(|n| format!("reason {n}")).collect();
        assert_eq!(lines["whys"], json!(whys));
        for (n, item) in lines["items"].as_array().unwrap().iter().enumerate() {
            assert_eq!(item[3], json!(n % 23), "{item}");
        }
    }

    #[test]
    fn reasons_copied_from_the_report_line_have_their_markup_escaped() {
        let whys = [
            "line \"<b>Share</b>\"",
            "a \\ b\tc",
            "line \"<b>Share</b>\"",
        ];
        let lines = detail_of_one_line_spans(&whys);
        assert_eq!(lines["whys"], json!(&whys[..2]));
    }

    /// The page detail of a document whose every line was removed by rule `r` on its own,
    /// with the reasons `whys` in order.
    fn detail_of_one_line_spans(whys: &[impl AsRef<str>]) -> Value {
        let spans: Vec<ReportedSpan> = whys
            .iter()
            .enumerate()
            .map(|(n, why)| span([n + 1, n + 1], "r", why.as_ref(), "x\n"))
            .collect();
        let index: NameIndex = [("r".to_string(), 0)].into_iter().collect();
        detail(&record("a", whys.len(), spans), Some(""), &index)
    }

    #[test]
    fn a_damaged_report_cannot_make_the_page_loop() {
        let record = record(
            "../../etc/passwd",
            usize::MAX,
            vec![span([7, usize::MAX], "gone", "", "x\n")],
        );
        let lines = detail(&record, Some("a\n"), &NameIndex::default());
        assert!(lines["note"]
            .as_str()
            .unwrap()
            .contains("kept lines missing"));
        let dir = tempfile::tempdir().unwrap();
        let mut texts = CleanTexts::Dir(dir.path().to_path_buf());
        assert_eq!(texts.next(&record).unwrap(), None);
    }

    #[test]
    fn comparison_headers_name_known_copies_only() {
        let copies: HashSet<String> = ["b: x".to_string()].into();
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
