//! newsclean cleans scraped news: it removes site chrome from page dumps with rules and
//! detectors, and reports every removal with the rule that made it.
//!
//! The public API follows the pipeline: load a `RuleSet`, clean one `Document` with
//! `clean_document`, or run a whole corpus into an output folder with `run_clean`. Each stage
//! is a module: `input` → `segment` (with `normalize`) → `judge` (rules + `detect`) → `report`
//! → `output`.

pub mod dedup;
pub mod detect;
pub mod document;
pub mod eval;
mod hash;
pub mod html;
pub mod input;
pub mod judge;
pub mod normalize;
pub mod output;
pub mod progress;
pub mod report;
pub mod review;
pub mod rules;
pub mod segment;

use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

pub use document::{Block, Document, Verdict};
pub use input::{InputOptions, Problem};
use normalize::Changes;
pub use report::diff::Style as DiffStyle;
pub use report::{Removed, RemovedSpan, ReportedSpan, SpanView, Summary};
pub use rules::{RuleFileError, RuleSet, RuleSources};

/// A cleaned document: the clean text and the account of everything removed.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub document: Document,
    pub clean: String,
    pub removed: Vec<RemovedSpan>,
    /// How many lines each normalisation rule changed.
    pub normalized: BTreeMap<String, usize>,
    pub lines_in: usize,
    pub lines_out: usize,
    /// The unified diff raw → clean (empty when nothing changed), when asked for.
    pub diff: String,
}

impl Cleaned {
    /// The removed spans with their texts.
    pub fn removed_view(&self) -> Removed<'_> {
        Removed::Found {
            spans: &self.removed,
            raw: &self.document.raw,
        }
    }
}

/// Cleans one document. `diff` asks for the unified diff in that style.
pub fn clean_document(mut document: Document, rules: &RuleSet, diff: Option<DiffStyle>) -> Cleaned {
    if let Some(markup) = document.markup.take() {
        html::prepare(&mut document, &markup, rules);
    }
    let blocks = segment::lines(&document.raw);
    let verdicts = judge::judge(&document, &blocks, rules);
    let kept = kept_text(&document.raw, &blocks, &verdicts);
    let removed = removed_spans(&blocks, &verdicts);
    let diff = match diff {
        Some(style) => {
            let (old, new) = match style {
                DiffStyle::Patch => (diff_path("a", &document.id), diff_path("b", &document.id)),
                DiffStyle::Terminal { .. } => (
                    document.source.clone(),
                    format!("{} (clean)", document.source),
                ),
            };
            let lines = Judged::of(&document.raw, &blocks, &verdicts, &kept);
            report::diff::unified_of(&lines, &old, &new, style)
        }
        None => String::new(),
    };
    let lines_in = blocks.len();
    drop(blocks);
    Cleaned {
        document,
        clean: kept.clean,
        removed,
        normalized: kept.normalized,
        lines_in,
        lines_out: kept.lines,
        diff,
    }
}

/// The clean text of a document and what it took.
struct Kept {
    clean: String,
    /// How many lines it has.
    lines: usize,
    /// How many kept lines each normalisation rule changed.
    normalized: BTreeMap<String, usize>,
    /// The kept lines normalisation changed: each one's block and its line in `clean`, in
    /// order (what the diff shows as their new text).
    changed: Vec<(usize, Range<usize>)>,
}

/// The kept lines in order, normalised. Unchanged kept lines are the raw text itself, so a
/// run of them is copied at once.
fn kept_text(raw: &str, blocks: &[Block<'_>], verdicts: &[Verdict]) -> Kept {
    let mut clean = String::with_capacity(raw.len());
    let mut lines = 0;
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    let mut changed = Vec::new();
    // The raw bytes of the unchanged kept lines not yet copied.
    let mut run = 0..0;
    for (i, (block, verdict)) in blocks.iter().zip(verdicts).enumerate() {
        if !verdict.is_keep() {
            continue;
        }
        lines += 1;
        if block.changes.is_empty() {
            if run.end != block.span.start {
                clean.push_str(&raw[run]);
                run = block.span.start..block.span.start;
            }
            run.end = block.span.end;
            continue;
        }
        for rule in block.changes.rule_ids() {
            match counts.iter_mut().find(|(id, _)| *id == rule) {
                Some((_, count)) => *count += 1,
                None => counts.push((rule, 1)),
            }
        }
        clean.push_str(&raw[run]);
        run = block.span.end..block.span.end;
        let start = clean.len();
        clean.push_str(&block.text);
        if block.has_newline {
            clean.push('\n');
        }
        changed.push((i, start..clean.len()));
    }
    clean.push_str(&raw[run]);
    Kept {
        clean,
        lines,
        normalized: counts
            .into_iter()
            .map(|(rule, count)| (rule.to_string(), count))
            .collect(),
        changed,
    }
}

/// A file name for a diff header, quoted the way GNU diff and patch do when it holds white
/// space, quotes or backslashes, so `patch` finds files whose names have spaces.
pub(crate) fn diff_path(side: &str, id: &str) -> String {
    let mut path = String::with_capacity(side.len() + id.len() + 5);
    for part in [side, "/", id, ".txt"] {
        path.push_str(part);
    }
    let needs_quotes = |c: char| c.is_whitespace() || c == '"' || c == '\\';
    // Most names are ASCII, looked through byte by byte, every byte without stopping at
    // the first that needs quotes, so a vector's bytes are tested at once.
    let plain = if path.is_ascii() {
        path.bytes()
            .fold(true, |plain, b| plain & !ascii_needs_quotes(b))
    } else {
        !path.contains(needs_quotes)
    };
    if plain {
        return path;
    }
    let mut quoted = String::with_capacity(path.len() + 2);
    quoted.push('"');
    for c in path.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            _ => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Whether an ASCII character in a diff header's file name needs quotes: white space, a
/// quote or a backslash.
#[inline(always)]
fn ascii_needs_quotes(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | b'"' | b'\\')
}

/// Removed spans kept for the next document at most: a huge page's room is given back.
const KEPT_ROWS: usize = 1 << 16;

/// What became of each input line of a document, for the diff, read from its blocks and
/// verdicts in place.
struct Judged<'a> {
    raw: &'a str,
    blocks: &'a [Block<'a>],
    verdicts: &'a [Verdict],
    /// The document's clean text (`kept_text`).
    clean: &'a str,
    /// The kept lines normalisation changed (`Kept::changed`).
    changed: &'a [(usize, Range<usize>)],
}

impl<'a> Judged<'a> {
    fn of(raw: &'a str, blocks: &'a [Block<'a>], verdicts: &'a [Verdict], kept: &'a Kept) -> Self {
        Judged {
            raw,
            blocks,
            verdicts,
            clean: &kept.clean,
            changed: &kept.changed,
        }
    }
}

impl<'a> report::diff::Rows<'a> for Judged<'a> {
    #[inline]
    fn count(&self) -> usize {
        self.blocks.len().min(self.verdicts.len())
    }

    #[inline(always)]
    fn row(&self, i: usize) -> report::diff::Row<'a> {
        let block = &self.blocks[i];
        let old = self.raw.get(block.span.clone()).unwrap_or_default();
        match &self.verdicts[i] {
            Verdict::Drop { rule, why } => report::diff::Row {
                old,
                new: None,
                removed_by: Some(&**rule),
                changes: Changes::default(),
                why: Some(&**why),
            },
            // The raw line itself, so the diff sees it is unchanged without comparing.
            Verdict::Keep if block.changes.is_empty() => report::diff::Row {
                old,
                new: Some(old),
                removed_by: None,
                changes: Changes::default(),
                why: None,
            },
            Verdict::Keep => {
                let new = self
                    .changed
                    .binary_search_by_key(&i, |(block, _)| *block)
                    .ok()
                    .and_then(|n| self.clean.get(self.changed[n].1.clone()))
                    .unwrap_or_default();
                report::diff::Row {
                    old,
                    new: Some(new),
                    removed_by: None,
                    changes: block.changes,
                    why: None,
                }
            }
        }
    }

    #[inline]
    fn removed_len(&self, i: usize, rule: &str) -> Option<usize> {
        match self.verdicts.get(i)? {
            Verdict::Drop { rule: by, .. } if std::ptr::eq(&**by, rule) => {
                Some(self.blocks.get(i)?.span.len())
            }
            _ => None,
        }
    }

    #[inline]
    fn removed_lines(&self, i: usize, end: usize, mut each: impl FnMut(&'a str)) -> usize {
        let blocks = self.blocks.get(i..end).unwrap_or_default();
        let verdicts = self.verdicts.get(i..end).unwrap_or_default();
        let mut n = 0;
        for (block, verdict) in blocks.iter().zip(verdicts) {
            if verdict.is_keep() {
                break;
            }
            each(self.raw.get(block.span.clone()).unwrap_or_default());
            n += 1;
        }
        n
    }
}

/// The removed lines as spans of one rule and one reason. A blank line charged to the
/// removal next to it is part of that removal rather than a span of its own: it joins the
/// span of the removed text right before it when that has its rule (keeping that text's
/// reason), else the span of the removed text right after it when that has its rule (taking
/// that text's reason). So removals of one rule and reason with only such blank lines
/// between them are one span. Only a charged blank line with neither neighbour to join
/// stays a span of its own, with the judge's reason.
///
/// The spans are gathered in a vector the thread keeps from one document to the next, and
/// copied out at their exact size (a batch's documents are held while they are written).
fn removed_spans(blocks: &[Block<'_>], verdicts: &[Verdict]) -> Vec<RemovedSpan> {
    thread_local! {
        static SPANS: std::cell::RefCell<Vec<RemovedSpan>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    SPANS.with_borrow_mut(|spans| {
        spans.clear();
        push_removed_spans(blocks, verdicts, spans);
        let mut found = Vec::with_capacity(spans.len());
        found.append(spans);
        // A huge document's room is not kept for the next.
        if spans.capacity() > KEPT_ROWS {
            *spans = Vec::new();
        }
        found
    })
}

/// The spans of `removed_spans`, pushed onto `spans`.
fn push_removed_spans(blocks: &[Block<'_>], verdicts: &[Verdict], spans: &mut Vec<RemovedSpan>) {
    // A blank line dropped for being next to removed text, which the removed text next to it
    // takes into its span.
    let charged_blank =
        |i: usize, why: &Arc<str>| &**why == judge::BLANK_NEXT_TO_REMOVED && blocks[i].is_blank();
    let mut i = 0;
    while let Some(verdict) = verdicts.get(i) {
        let Verdict::Drop { rule, why } = verdict else {
            i += 1;
            continue;
        };
        // The span opened here takes lines `first..=last`: the dropped lines after it with its
        // rule and its reason, or a charged blank line; while it holds only charged blank
        // lines, the first removed text after them gives it its reason.
        let first = i;
        let mut last = i;
        let mut span_why = why;
        let mut only_charged_blanks = charged_blank(i, why);
        i += 1;
        while let Some(Verdict::Drop {
            rule: next_rule,
            why,
        }) = verdicts.get(i)
        {
            if !same(rule, next_rule) {
                break;
            }
            if charged_blank(i, why) || same(span_why, why) {
                last = i;
            } else if only_charged_blanks {
                last = i;
                span_why = why;
                only_charged_blanks = false;
            } else {
                break;
            }
            i += 1;
        }
        spans.push(RemovedSpan {
            lines: [blocks[first].line, blocks[last].line],
            rule: Arc::clone(rule),
            why: Arc::clone(span_why),
            bytes: blocks[first].span.start..blocks[last].span.end,
        });
    }
}

/// Whether two rule ids or reasons are the same text. A rule's id, and a reason a detector
/// shares among the lines it removes, is one `Arc` for all of them, so most comparisons end
/// at the pointer; `Arc<str>`'s own `==` always compares the text.
fn same(a: &Arc<str>, b: &Arc<str>) -> bool {
    Arc::ptr_eq(a, b) || **a == **b
}

/// How clean text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One `clean/<id>.txt` per document.
    #[default]
    Txt,
    /// One `clean.jsonl` with a record per document.
    Jsonl,
}

/// Everything `newsclean clean` needs besides the rules.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub format: Format,
    pub input: InputOptions,
    /// Drop near-duplicate copies across the run; `None` with `--no-dedup`.
    pub dedup: Option<dedup::run::Settings>,
    /// Input bytes cleaned per batch ([`BATCH_BYTES`] unless a test wants many batches):
    /// a run holds about two batches' documents and outputs at a time.
    pub batch_bytes: usize,
    /// A run that reads more than this many bytes of input (`clean` gives
    /// [`stream_above_for`] the memory available) is read twice, a batch at a time, instead of being held in memory: once for the
    /// detectors' survey of the whole run, once to clean.
    pub stream_above: u64,
    /// Bytes of held-back output kept in memory (`clean` gives
    /// [`output::spill_memory_for`] the memory available unless `--hold-mib` says; see
    /// `output::SpillBudget`): with dedup on, what a run writes per document waits for the
    /// clusters in memory up to this size, and in temporary files beyond it.
    pub spill_memory: usize,
}

/// Inputs larger than this are read twice rather than held: a held run needs about twice
/// its size in memory, a run read twice costs a second reading (and, for HTML pages, a
/// second parse).
pub const STREAM_ABOVE: u64 = 1 << 30;

/// The least input a run holds before it reads twice, however little memory is free.
const MIN_STREAM_ABOVE: u64 = 64 << 20;

/// The default `stream_above` on a machine with `available` bytes of memory free (see
/// `output::available_memory`): a fifth of it, so a held run (about twice its input) and the
/// spills (an eighth) stay well inside it; a machine with much memory free cleans larger
/// runs in one reading, a small one reads twice sooner. [`STREAM_ABOVE`] when it is not known.
pub fn stream_above_for(available: Option<u64>) -> u64 {
    match available {
        Some(bytes) => (bytes / 5).max(MIN_STREAM_ABOVE),
        None => STREAM_ABOVE,
    }
}

/// What a run did.
#[derive(Debug, Default)]
pub struct RunOutcome {
    pub summary: Summary,
    pub problems: Vec<Problem>,
}

/// A run that could not go on at all (as opposed to an input that was skipped).
#[derive(Debug)]
pub enum RunError {
    /// The command asked for something unsafe or impossible (exit status 2).
    Usage(String),
    /// Writing the output failed.
    Output(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Usage(message) | RunError::Output(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for RunError {}

/// Cleans every input into the output folder: clean text, `report.jsonl`, `removed.diff`,
/// `report.html`.
/// Runs on the current rayon pool; callers choose the thread count.
pub fn run_clean(options: &RunOptions, rules: &RuleSet) -> Result<RunOutcome, RunError> {
    run_clean_with_progress(options, rules, true)
}

/// `run_clean`, with a progress line on standard error unless `quiet` (see `progress`).
pub fn run_clean_with_progress(
    options: &RunOptions,
    rules: &RuleSet,
    quiet: bool,
) -> Result<RunOutcome, RunError> {
    output::check_output_folder(&options.inputs, &options.out).map_err(RunError::Usage)?;
    let mut index = match options.dedup.as_ref().and_then(|d| d.index.as_ref()) {
        Some(path) => {
            dedup::run::check_index_path(&options.inputs, path).map_err(RunError::Usage)?;
            dedup::Index::load(path)
                .map_err(RunError::Usage)?
                .unwrap_or_default()
        }
        None => dedup::Index::new(),
    };
    // The run is read and held. Once what is held passes `stream_above` bytes, the held
    // documents go into the detectors' survey and are let go, and the rest of the run is
    // only surveyed: it is read a second time to clean, so memory holds a few batches and
    // the survey's counts rather than the corpus. Standard input can only be read once, so
    // a run that reads it is always held.
    let rereadable = !options.inputs.iter().any(|i| i.as_os_str() == input::STDIN);
    let mut outcome = RunOutcome::default();
    let mut survey = rules.survey();
    let mut held: Vec<Document> = Vec::new();
    let mut held_bytes: u64 = 0;
    let mut streamed = false;
    let mut total = 0;
    input::for_each_batch(
        &options.inputs,
        &options.input,
        options.batch_bytes,
        |mut batch| {
            total += batch.documents.len();
            outcome.problems.append(&mut batch.problems);
            if streamed {
                survey.add(&mut batch.documents);
                return;
            }
            held_bytes += batch
                .documents
                .iter()
                .map(|d| (d.raw.len() + d.markup.as_ref().map_or(0, String::len)) as u64)
                .sum::<u64>();
            held.append(&mut batch.documents);
            if rereadable && held_bytes > options.stream_above {
                streamed = true;
                survey.add(&mut held);
                held = Vec::new();
            }
        },
    );
    if !streamed {
        rules.prepare(&mut held);
    }
    // Started after the run-wide pass so the rate is the cleaning rate.
    let progress = progress::Progress::new(total, quiet);
    let write_error = |e: std::io::Error| {
        RunError::Output(format!("cannot write to {}: {e}", options.out.display()))
    };
    let mut files = OutputFiles::create(options).map_err(write_error)?;
    let budget = output::SpillBudget::new(options.spill_memory);
    let mut page = report::html::Page::create(&options.out, &budget).map_err(write_error)?;
    let mut pending = match &options.dedup {
        Some(_) => Some(
            dedup::run::Pending::create(
                &options.out,
                (options.format == Format::Jsonl).then_some(options.input.text_field.as_str()),
                &budget,
            )
            .map_err(write_error)?,
        ),
        None => None,
    };
    // Documents go through in batches, each cleaned in parallel and then appended to the
    // output in input order, so a run holds one batch's clean text, diffs and reports at a
    // time rather than the whole corpus's, and each raw text is freed once written. A
    // batch is written while the next is cleaned, so no worker waits for the writing.
    let deduplicating = pending.is_some();
    let OutputFiles {
        per_document,
        sinks,
    } = &mut files;
    let per_document = &*per_document;
    let mut cleaned: Vec<Written> = Vec::new();
    let mut documents_read = 0;
    let summary = &mut outcome.summary;
    // Writes the batch cleaned last while cleaning `batch`; an empty batch writes the last.
    let mut step = |batch: Vec<Document>| -> Result<(), RunError> {
        documents_read += batch.len();
        let previous = std::mem::take(&mut cleaned);
        let write = || -> std::io::Result<()> {
            // Taken by the writing, so the batch is let go once written.
            let mut previous = previous;
            for document in &mut previous {
                let report = report::DocumentReport::new(&document.cleaned);
                let by_rule = report.removed.bytes_by_rule();
                let clean = &document.cleaned.clean;
                let span_texts = report::html::SpanTexts {
                    record: &document.report_line,
                    texts: &document.span_texts,
                };
                match &mut pending {
                    Some(pending) => page
                        .add_row_first(&report, &by_rule, clean, span_texts)
                        .and_then(|lines| {
                            pending.push(dedup::run::Parts {
                                fingerprint: match document.fingerprint.take() {
                                    Some(fingerprint) => fingerprint,
                                    None => dedup::fingerprint(clean),
                                },
                                id: &document.cleaned.document.id,
                                report_head: &document.report_line,
                                diff: document.cleaned.diff.as_bytes(),
                                text: clean,
                                record: &document.record_line,
                                page: lines,
                            })
                        }),
                    None => page.add(&report, &by_rule, Some(clean), None, Some(span_texts)),
                }?;
                summary.add(&document.cleaned, &by_rule);
            }
            if !deduplicating {
                sinks.append(&previous)?;
            }
            Ok(())
        };
        let clean = || -> std::io::Result<Vec<Written>> {
            batch
                .into_par_iter()
                .map(|doc| {
                    let cleaned = clean_document(doc, rules, Some(DiffStyle::Patch));
                    let fingerprint = deduplicating.then(|| dedup::fingerprint(&cleaned.clean));
                    progress.tick();
                    per_document.prepare(cleaned, fingerprint)
                })
                .collect()
        };
        let (wrote, next) = rayon::join(write, clean);
        wrote.map_err(write_error)?;
        cleaned = next.map_err(write_error)?;
        Ok(())
    };
    let mut late_problems = Vec::new();
    if streamed {
        // A file that changed between the readings can have new problems; the others were
        // reported by the first reading.
        let known: HashSet<(String, String)> = outcome
            .problems
            .iter()
            .map(|p| (p.source.clone(), p.message.clone()))
            .collect();
        let mut result = Ok(());
        input::for_each_batch(
            &options.inputs,
            &options.input,
            options.batch_bytes,
            |mut batch| {
                if result.is_err() {
                    return;
                }
                late_problems.extend(
                    batch
                        .problems
                        .into_iter()
                        .filter(|p| !known.contains(&(p.source.clone(), p.message.clone()))),
                );
                survey.apply(&mut batch.documents);
                result = step(batch.documents);
            },
        );
        result?;
    } else {
        let mut documents = held.into_iter();
        while !documents.as_slice().is_empty() {
            // How many documents the batch takes is found first, so that its vector is
            // allocated at its size rather than grown document by document.
            let mut batch_bytes = 0;
            let count = documents
                .as_slice()
                .iter()
                .take_while(|doc| {
                    let takes = batch_bytes < options.batch_bytes.max(1);
                    batch_bytes += doc.raw.len();
                    takes
                })
                .count();
            step(documents.by_ref().take(count).collect())?;
        }
    }
    step(Vec::new())?;
    outcome.summary.documents_read = documents_read;
    outcome.problems.append(&mut late_problems);
    progress.finish();
    if let (Some(pending), Some(settings)) = (pending, &options.dedup) {
        let sinks = dedup::run::Sinks {
            report: &mut files.sinks.report,
            diff: &mut files.sinks.diff,
            records: files
                .sinks
                .clean_jsonl
                .as_mut()
                .map(|f| f as &mut dyn Write),
            staged: files.per_document.clean_dir.as_ref(),
            page: &mut page,
        };
        let result = pending
            .finish(&mut index, settings, sinks)
            .map_err(write_error)?;
        outcome.summary.duplicates = Some(report::DuplicateCounts {
            copies: result.duplicates,
            stories: result.clusters,
            kept: settings.keep_duplicates,
        });
    }
    files.commit().map_err(write_error)?;
    // Saved only once the output is in place, so the index never lists a kept document
    // that a failed run did not write.
    if let Some(path) = options.dedup.as_ref().and_then(|d| d.index.as_ref()) {
        index.save(path).map_err(RunError::Output)?;
    }
    if options.dedup.is_none() {
        // A run without dedup must not leave an earlier run's clusters beside its output.
        match std::fs::remove_file(options.out.join(output::DUPLICATES_JSONL)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(write_error(e)),
            _ => {}
        }
    }
    // The same page `newsclean report` rebuilds from the files just written.
    page.finish(&options.out, rules).map_err(RunError::Output)?;
    outcome.summary.skipped = outcome.problems.iter().filter(|p| p.skipped).count();
    outcome.summary.warnings = outcome.problems.iter().filter(|p| !p.skipped).count();
    Ok(outcome)
}

/// A key or value of a `clean.jsonl` record: as the input record wrote it, or a string of
/// ours.
#[derive(Clone, Copy)]
enum JsonPart<'a> {
    AsInput(&'a str),
    Text(&'a str),
}

impl JsonPart<'_> {
    fn write(self, out: &mut Vec<u8>) {
        match self {
            JsonPart::AsInput(json) => out.extend_from_slice(json.as_bytes()),
            JsonPart::Text(text) => report::json_string(out, text),
        }
    }
}

/// Appends the JSONL record written for a document with `--format jsonl` (no newline): its
/// input record with the clean text as the text field's value, or a new record for text
/// input, then what an HTML page declares under names the record does not use already. The
/// input record's fields keep their order, and their keys and values the bytes they were
/// written with; a record without a text field gets it last.
fn write_clean_record(out: &mut Vec<u8>, doc: &Cleaned, text_field: &str) {
    // Each field: its name, key and value.
    let mut fields: Vec<(Cow<'_, str>, JsonPart<'_>, JsonPart<'_>)> = match &doc.document.record {
        Some(record) => record
            .fields()
            .map(|field| {
                let value = field
                    .value
                    .map_or(JsonPart::Text(&doc.clean), JsonPart::AsInput);
                (field.name(), JsonPart::AsInput(field.key), value)
            })
            .collect(),
        None => [
            ("id", Some(&doc.document.id)),
            ("url", doc.document.url.as_ref()),
            ("site", doc.document.site.as_ref()),
        ]
        .into_iter()
        .filter_map(|(key, value)| {
            Some((
                Cow::Borrowed(key),
                JsonPart::Text(key),
                JsonPart::Text(value?),
            ))
        })
        .collect(),
    };
    match fields.iter_mut().find(|(name, _, _)| name == text_field) {
        Some(field) => field.2 = JsonPart::Text(&doc.clean),
        None => fields.push((
            Cow::Borrowed(text_field),
            JsonPart::Text(text_field),
            JsonPart::Text(&doc.clean),
        )),
    }
    if let Some(facts) = &doc.document.html {
        let declared = [
            ("url", doc.document.url.as_ref()),
            ("site", doc.document.site.as_ref()),
            ("title", doc.document.title.as_ref()),
            ("published", facts.meta.published.as_ref()),
            ("author", facts.meta.author.as_ref()),
        ];
        for (key, value) in declared {
            if let (Some(value), false) = (value, fields.iter().any(|(name, _, _)| name == key)) {
                fields.push((
                    Cow::Borrowed(key),
                    JsonPart::Text(key),
                    JsonPart::Text(value),
                ));
            }
        }
    }
    out.push(b'{');
    for (i, (_, key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        key.write(out);
        out.push(b':');
        value.write(out);
    }
    out.push(b'}');
}

/// How many input bytes `run_clean` cleans before writing what it has: enough documents to
/// keep every thread busy (some four hundred pages of news), few enough that the outputs
/// held meanwhile stay small. Small batches also keep the memory a run lets go (a batch's
/// documents and outputs, once written) in use: the next batch takes it back while the
/// allocator still holds it, where after a longer while it has been given back to the system
/// and comes back as fresh pages (on the 215 MB benchmark corpus 16 MiB batches took 170K
/// page faults and peaked at 440 MB, 4 MiB batches 110K and 390 MB).
pub const BATCH_BYTES: usize = 4 << 20;

/// The files of an output folder while a run writes them; `commit` puts them in place.
struct OutputFiles {
    /// What the workers write to, each for its own document.
    per_document: PerDocument,
    /// What the writing thread appends to, in input order.
    sinks: Sinks,
}

/// The output written per document: `clean/` with `--format txt`.
struct PerDocument {
    text_field: String,
    clean_dir: Option<output::StagedDir>,
}

/// The output files every document appends to: `clean.jsonl` with `--format jsonl`, the
/// report and the diff.
struct Sinks {
    clean_jsonl: Option<output::AtomicFile>,
    report: output::AtomicFile,
    diff: output::AtomicFile,
}

/// A cleaned document with its output lines, serialised on the worker thread that cleaned it
/// so the writing thread only copies bytes.
struct Written {
    cleaned: Cleaned,
    /// The whole report line, or without its dedup fields when the run deduplicates.
    report_line: Vec<u8>,
    /// Where each removed span's reason and text are in `report_line`, for `report.html`
    /// to copy.
    span_texts: Vec<report::SpanJson>,
    /// The `clean.jsonl` line with `--format jsonl`; empty otherwise.
    record_line: Vec<u8>,
    fingerprint: Option<dedup::Fingerprint>,
}

impl OutputFiles {
    fn create(options: &RunOptions) -> std::io::Result<OutputFiles> {
        let out = &options.out;
        std::fs::create_dir_all(out)?;
        let (clean_dir, clean_jsonl) = match options.format {
            Format::Txt => (
                Some(output::StagedDir::create(&out.join(output::CLEAN_DIR))?),
                None,
            ),
            Format::Jsonl => (
                None,
                Some(output::AtomicFile::create(&out.join(output::CLEAN_JSONL))?),
            ),
        };
        Ok(OutputFiles {
            per_document: PerDocument {
                text_field: options.input.text_field.clone(),
                clean_dir,
            },
            sinks: Sinks {
                clean_jsonl,
                report: output::AtomicFile::create(&out.join(output::REPORT_JSONL))?,
                diff: output::AtomicFile::create(&out.join(output::REMOVED_DIFF))?,
            },
        })
    }

    fn commit(self) -> std::io::Result<()> {
        if let Some(staged) = self.per_document.clean_dir {
            staged.commit()?;
        }
        if let Some(file) = self.sinks.clean_jsonl {
            file.commit()?;
        }
        self.sinks.report.commit()?;
        self.sinks.diff.commit()
    }
}

impl PerDocument {
    /// Runs on a worker thread: writes the clean file (one per document) or serialises the
    /// clean record, and serialises the report line.
    fn prepare(
        &self,
        cleaned: Cleaned,
        fingerprint: Option<dedup::Fingerprint>,
    ) -> std::io::Result<Written> {
        let mut record_line = Vec::new();
        match &self.clean_dir {
            Some(staged) => output::write_staged(
                staged,
                &format!("{}.txt", cleaned.document.id),
                cleaned.clean.as_bytes(),
            )?,
            None => {
                record_line.reserve(cleaned.clean.len() + cleaned.clean.len() / 8 + 256);
                write_clean_record(&mut record_line, &cleaned, &self.text_field);
                record_line.push(b'\n');
            }
        }
        let report = report::DocumentReport::new(&cleaned);
        let mut report_line = Vec::with_capacity(report.json_len_estimate());
        let mut span_texts = Vec::with_capacity(cleaned.removed.len());
        if fingerprint.is_some() {
            report.write_json_head(&mut report_line, Some(&mut span_texts));
        } else {
            report.write_json(&mut report_line, Some(&mut span_texts));
            report_line.push(b'\n');
        }
        Ok(Written {
            cleaned,
            report_line,
            span_texts,
            record_line,
            fingerprint,
        })
    }
}

impl Sinks {
    /// Appends a batch of prepared documents' lines, in input order, each file's in one
    /// write from the documents' own buffers.
    fn append(&mut self, batch: &[Written]) -> std::io::Result<()> {
        if let Some(file) = &mut self.clean_jsonl {
            file.write_parts(batch.iter().map(|w| &w.record_line[..]))?;
        }
        self.report
            .write_parts(batch.iter().map(|w| &w.report_line[..]))?;
        self.diff
            .write_parts(batch.iter().map(|w| w.cleaned.diff.as_bytes()))
    }
}

/// Cleans an example input with a rule set, as `rules test` does.
pub fn clean_text(text: &str, rules: &RuleSet) -> String {
    clean_example(text, &[], rules, None)
}

/// What an example input reads as before cleaning: its text, or for an HTML page (an input
/// that starts with `<`) the page's visible text. An example without `expect` must come out
/// as this.
pub fn example_page_text(text: &str) -> String {
    if !is_markup(text) {
        return text.to_string();
    }
    html::extract(&html::limit_nesting(text), &[], None).text
}

/// An example input that starts with `<` is an HTML page.
fn is_markup(text: &str) -> bool {
    text.trim_start().starts_with('<')
}

/// Cleans an example input as a page of `site`, in one run with the other pages of
/// `corpus`: the examples of a rule scoped with `sites` are pages of its first site. An
/// input that starts with `<` is an HTML page.
pub fn clean_example(text: &str, corpus: &[String], rules: &RuleSet, site: Option<&str>) -> String {
    let page = |raw: &str| Document {
        id: "example".into(),
        source: "example".into(),
        site: site.map(str::to_string),
        raw: if is_markup(raw) {
            String::new()
        } else {
            raw.to_string()
        },
        markup: is_markup(raw).then(|| raw.to_string()),
        ..Document::default()
    };
    let mut run: Vec<Document> = std::iter::once(text)
        .chain(corpus.iter().map(String::as_str))
        .map(page)
        .collect();
    rules.prepare(&mut run);
    let doc = run.swap_remove(0);
    clean_document(doc, rules, None).clean
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value};

    #[test]
    fn rule_ids_and_reasons_are_the_same_by_text() {
        let a: Arc<str> = Arc::from("outside the content region; short line, -1.0");
        let b: Arc<str> = Arc::from("outside the content region; short line, -1.0");
        let c: Arc<str> = Arc::from("outside the content region; short line, -1.5");
        assert!(same(&a, &a));
        assert!(same(&a, &b));
        assert!(!same(&a, &c));
        assert!(!same(&a, &Arc::from("outside")));
    }

    #[test]
    fn ascii_names_need_quotes_as_their_characters_do() {
        for b in 0..=0x7f_u8 {
            let c = char::from(b);
            assert_eq!(
                ascii_needs_quotes(b),
                c.is_whitespace() || c == '"' || c == '\\',
                "{b:#x}"
            );
        }
        assert_eq!(diff_path("a", "x/y"), "a/x/y.txt");
        assert_eq!(diff_path("b", "x y"), "\"b/x y.txt\"");
        assert_eq!(diff_path("a", "x\u{b}"), "\"a/x\u{b}.txt\"");
    }

    #[test]
    fn a_documents_diff_read_in_place_is_the_diff_of_its_rows() {
        let raw =
            "Menu\nHome\nA story line that goes on  \nkept\r\nSubscribe now\nend \u{0065}\u{0301}";
        let document = Document {
            raw: raw.to_string(),
            ..Document::default()
        };
        let blocks = segment::lines(&document.raw);
        let mut verdicts = vec![Verdict::Keep; blocks.len()];
        let rule: Arc<str> = Arc::from("test.drop");
        for i in [0, 1, 4] {
            verdicts[i] = Verdict::drop(&rule, "a test");
        }
        let kept = kept_text(&document.raw, &blocks, &verdicts);
        assert!(!kept.changed.is_empty());
        // Each line's row as the diff has it: the raw line, and the next line of the clean
        // text for a kept one.
        let mut at = 0;
        let rows: Vec<report::diff::Row<'_>> = blocks
            .iter()
            .zip(&verdicts)
            .map(|(block, verdict)| {
                let old = &document.raw[block.span.clone()];
                let (new, removed_by, why) = match verdict {
                    Verdict::Drop { rule, why } => (None, Some(&**rule), Some(&**why)),
                    Verdict::Keep => {
                        let len = kept.clean[at..]
                            .find('\n')
                            .map_or(kept.clean.len() - at, |n| n + 1);
                        at += len;
                        (Some(&kept.clean[at - len..at]), None, None)
                    }
                };
                report::diff::Row {
                    old,
                    new,
                    removed_by,
                    changes: if verdict.is_keep() {
                        block.changes
                    } else {
                        Changes::default()
                    },
                    why,
                }
            })
            .collect();
        let lines = Judged::of(&document.raw, &blocks, &verdicts, &kept);
        for style in [
            DiffStyle::Patch,
            DiffStyle::Terminal { color: false },
            DiffStyle::Terminal { color: true },
        ] {
            let diff = report::diff::unified_of(&lines, "a", "b", style);
            assert!(diff.contains("+A story line that goes on"), "{diff}");
            assert_eq!(diff, report::diff::unified(&rows, "a", "b", style));
        }
    }

    #[test]
    fn a_run_is_read_twice_above_a_fifth_of_the_memory_available() {
        assert_eq!(stream_above_for(None), STREAM_ABOVE);
        assert_eq!(stream_above_for(Some(20 << 30)), 4 << 30);
        assert_eq!(stream_above_for(Some(1 << 20)), MIN_STREAM_ABOVE);
        assert!(stream_above_for(Some(8 << 30)) < stream_above_for(Some(16 << 30)));
    }

    /// What `serde_json` writes for the record parsed as a map: the input record (or id, url
    /// and site), without the HTML field, with the text field inserted (where a map's key
    /// stays: where it first stood).
    fn through_a_map(
        line: Option<&str>,
        doc: &Cleaned,
        text_field: &str,
        html_field: Option<&str>,
    ) -> String {
        let mut record: Map<String, Value> = match line {
            Some(line) => serde_json::from_str(line).unwrap(),
            None => {
                let mut record = Map::new();
                record.insert("id".into(), Value::from(doc.document.id.clone()));
                for (key, value) in [("url", &doc.document.url), ("site", &doc.document.site)] {
                    if let Some(value) = value {
                        record.insert(key.into(), Value::from(value.clone()));
                    }
                }
                record
            }
        };
        if let Some(field) = html_field {
            record.shift_remove(field);
        }
        record.insert(text_field.into(), Value::from(doc.clean.clone()));
        serde_json::to_string(&record).unwrap()
    }

    /// A cleaned document whose input was the JSONL `line` (or a text file when `None`).
    fn cleaned(line: Option<&str>, url: Option<&str>, text_field: &str, clean: &str) -> Cleaned {
        Cleaned {
            document: Document {
                id: "dir/a \"b\"".into(),
                url: url.map(str::to_string),
                site: url.map(|_| "example.com".to_string()),
                record: line
                    .map(|line| input::record::scan(line, text_field, None).unwrap().record),
                ..Document::default()
            },
            clean: clean.into(),
            removed: Vec::new(),
            normalized: BTreeMap::new(),
            lines_in: 2,
            lines_out: 2,
            diff: String::new(),
        }
    }

    fn written(doc: &Cleaned, text_field: &str) -> String {
        let mut ours = Vec::new();
        write_clean_record(&mut ours, doc, text_field);
        String::from_utf8(ours).unwrap()
    }

    const CLEAN: &str = "First line <b>\n\tSecond \"line\" \\ \u{1}\n";

    #[test]
    fn clean_records_are_written_as_serde_json_writes_the_map() {
        let lines = [
            Some(r#"{"id":"x/1","title":"T é","text":"","n":1.5,"tags":["a",{"b":null}]}"#),
            Some(r#"{"id":"x/2","body":"old"}"#),
            None,
        ];
        for line in lines {
            for url in [None, Some("https://example.com/a?b=\"c\"")] {
                for text_field in ["text", "body", "id", "other"] {
                    let doc = cleaned(line, url, text_field, CLEAN);
                    assert_eq!(
                        written(&doc, text_field),
                        through_a_map(line, &doc, text_field, None)
                    );
                }
            }
        }
    }

    #[test]
    fn clean_records_keep_the_input_fields_as_written() {
        // Numbers and escapes as written, white space inside a value, a key spelled with an
        // escape (`te\u0078t` is `text`), a key given twice (where it first stood, with its
        // last value): a parsed map would write `1.1`, `1000.0`, `"é"`, `[1,2]`, `"text"`.
        let line = r#" { "n" : 1.10, "e":1e3 ,"s":"caf\u00e9 \/","a":[1, 2],"te\u0078t":"old","n":2.50 } "#;
        let doc = cleaned(Some(line), None, "text", "Clean.\n");
        assert_eq!(
            written(&doc, "text"),
            r#"{"n":2.50,"e":1e3,"s":"caf\u00e9 \/","a":[1, 2],"te\u0078t":"Clean.\n"}"#
        );
        // The same record through a map: the same fields and values, other bytes.
        let theirs: Value =
            serde_json::from_str(&through_a_map(Some(line), &doc, "text", None)).unwrap();
        let ours: Value = serde_json::from_str(&written(&doc, "text")).unwrap();
        assert_eq!(ours, theirs);
    }

    proptest::proptest! {
        /// Writing a record back around the clean text gives what parsing it into a map,
        /// setting the text field and serialising gives, for records whose fields
        /// `serde_json` writes back unchanged: keys that repeat, keys and strings with
        /// escapes, white space between the record's tokens, a record read as HTML.
        #[test]
        fn splicing_writes_what_the_parsed_map_writes(
            fields in proptest::collection::vec(
                (proptest::sample::select(vec!["text", "id", "url", "title", "html", "a", "é", "q\"", "\u{1}"]),
                 input::record::tests::json_value()),
                0..7,
            ),
            spaces in proptest::collection::vec(proptest::sample::select(vec!["", " ", "\t", "\r\n "]), 4),
            html in proptest::bool::ANY,
            clean in "[a-z \n\"é]{0,20}",
        ) {
            let mut line = format!("{}{{", spaces[0]);
            for (i, (key, value)) in fields.iter().enumerate() {
                if i > 0 {
                    line.push_str(spaces[1]);
                    line.push(',');
                }
                line.push_str(&serde_json::to_string(key).unwrap());
                line.push_str(spaces[2]);
                line.push(':');
                line.push_str(spaces[3]);
                line.push_str(&serde_json::to_string(value).unwrap());
            }
            line.push('}');
            let options = input::InputOptions {
                html_field: html.then(|| "html".to_string()),
                ..input::InputOptions::default()
            };
            let parsed = input::parse_record("f", "f", 1, &line, &options);
            let map: Map<String, Value> = serde_json::from_str(&line).unwrap();
            let Ok((document, _)) = parsed else {
                // Refused only for the reasons a parsed map gives.
                let markup = map.get("html").filter(|_| html);
                let is_page = markup.is_some_and(Value::is_string);
                proptest::prop_assert!(
                    markup.is_some_and(|v| !v.is_string() && !v.is_null())
                        || (!is_page && !map.get("text").is_some_and(Value::is_string))
                );
                return Ok(());
            };
            if !html || document.markup.is_none() {
                proptest::prop_assert_eq!(&document.raw, map["text"].as_str().unwrap());
            }
            let doc = Cleaned {
                clean: clean.clone(),
                ..cleaned(None, None, "text", "")
            };
            let doc = Cleaned { document, ..doc };
            proptest::prop_assert_eq!(
                written(&doc, "text"),
                through_a_map(Some(&line), &doc, "text", options.html_field.as_deref())
            );
        }
    }
}
