//! Deduplication inside `newsclean clean`: holds back what a run writes per document until
//! every document's fingerprint is known, then writes it with the duplicates decided.
//!
//! `clean` writes its output batch by batch so a run never holds the whole corpus's clean
//! text, diffs and reports at once. Whether a document is a copy is only known once the last
//! batch is cleaned, so with dedup on the per-document report lines, diffs, JSONL records
//! and `report.html` lines are held back as batches finish (`output::Spill`: in memory while
//! the run's budget lasts, in temporary files in the output folder beyond it), and this
//! module copies them into the real files afterwards. The clean texts a comparison needs are
//! read back from the held records, or with `--format txt` from the staged `clean/` files,
//! which hold every document's text already. In the real files, report lines get their
//! `duplicate_of` and scores, dropped copies lose their clean file or record,
//! `removed.diff` gains each copy's comparison with its kept copy, and so does the page, where
//! a dropped copy shows only its removed lines. Besides what is held back, only fingerprints
//! stay in memory.
//!
//! How a dropped copy appears in `removed.diff`, so `patch -R -p1` still restores it: first
//! its comparison with the kept copy as `#` comment lines (patch skips lines outside a diff;
//! a reviewer reads what differed), then a deletion diff of its clean text (`+++ /dev/null`,
//! hunk header `dedup.duplicate`), then its usual raw → clean diff. Reversed in a copy of
//! `clean/`, the deletion recreates the clean file and the next diff turns it back into the
//! raw input.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::{decide, Candidate, Config, Duplicate, Fingerprint, Index};
use crate::output::{self, Spill, SpillBudget};
use crate::report::html::Page;

/// What `clean` does about duplicates.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub config: Config,
    /// Write dropped copies to the clean output anyway (they are still reported).
    pub keep_duplicates: bool,
    /// Check against, and then save, this index of earlier runs.
    pub index: Option<PathBuf>,
}

/// The rule id a dropped copy's deletion diff names.
pub const RULE: &str = "dedup.duplicate";

/// What deduplication did in a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Copies found (dropped unless `--keep-duplicates`).
    pub duplicates: usize,
    /// Stories that lost at least one copy.
    pub clusters: usize,
    /// Kept documents in the index after the run (earlier runs' included).
    pub indexed: usize,
    /// Bytes the index's search structures hold (see `Index::index_bytes`).
    pub index_bytes: usize,
    /// Bytes of the kept documents' shingle sets, held for verification.
    pub shingle_bytes: usize,
}

/// Byte lengths of one document's spilled parts, in input order.
struct Lengths {
    id: String,
    report: u64,
    diff: u64,
    record: u64,
    page: u64,
}

/// A run's held-back output.
pub(crate) struct Pending {
    out: PathBuf,
    report: Spill,
    diff: Spill,
    /// The `clean.jsonl` records with `--format jsonl`, and the field holding their clean
    /// text, which a copy's comparison reads back from them; with `txt` the clean texts are
    /// read back from the staged `clean/` files.
    records: Option<(Spill, String)>,
    /// Each document's lines for `report.html`, written as if it were not a copy.
    page: Spill,
    docs: Vec<Lengths>,
    candidates: Vec<Candidate>,
}

/// Where `Pending::finish` writes.
pub(crate) struct Sinks<'a> {
    pub report: &'a mut dyn Write,
    pub diff: &'a mut dyn Write,
    /// `clean.jsonl` with `--format jsonl`.
    pub records: Option<&'a mut dyn Write>,
    /// `clean/` with `--format txt`.
    pub staged: Option<&'a output::StagedDir>,
    pub page: &'a mut Page,
}

/// One document's parts as `clean` produced them.
pub(crate) struct Parts<'a> {
    pub id: &'a str,
    /// The report line without its dedup fields and closing brace (no newline).
    pub report_head: &'a [u8],
    pub diff: &'a [u8],
    pub text: &'a str,
    /// The `clean.jsonl` line, newline included; empty with `--format txt`.
    pub record: &'a [u8],
    /// Its lines for `report.html` (`Page::add_row_first`).
    pub page: &'a [u8],
    pub fingerprint: Fingerprint,
}

impl Pending {
    /// `text_field` is the field of the `clean.jsonl` records with `--format jsonl`.
    pub fn create(
        out: &Path,
        text_field: Option<&str>,
        budget: &SpillBudget,
    ) -> io::Result<Pending> {
        Ok(Pending {
            out: out.to_path_buf(),
            report: Spill::create(out, "report", budget)?,
            diff: Spill::create(out, "diff", budget)?,
            records: match text_field {
                Some(field) => Some((Spill::create(out, "records", budget)?, field.to_string())),
                None => None,
            },
            page: Spill::create(out, "page-lines", budget)?,
            docs: Vec::new(),
            candidates: Vec::new(),
        })
    }

    pub fn push(&mut self, parts: Parts<'_>) -> io::Result<()> {
        self.report.write_all(parts.report_head)?;
        self.diff.write_all(parts.diff)?;
        if let Some((records, _)) = &mut self.records {
            records.write_all(parts.record)?;
        }
        self.page.write_all(parts.page)?;
        self.docs.push(Lengths {
            id: parts.id.to_string(),
            report: parts.report_head.len() as u64,
            diff: parts.diff.len() as u64,
            record: parts.record.len() as u64,
            page: parts.page.len() as u64,
        });
        self.candidates.push(Candidate {
            id: parts.id.to_string(),
            len: parts.text.len(),
            fingerprint: parts.fingerprint,
        });
        Ok(())
    }

    /// Decides the duplicates and writes everything held back.
    pub fn finish(
        mut self,
        index: &mut Index,
        settings: &Settings,
        sinks: Sinks<'_>,
    ) -> io::Result<Outcome> {
        let candidates = std::mem::take(&mut self.candidates);
        let decisions = decide(index, candidates, &settings.config);
        let dropped = |i: usize| decisions[i].is_some() && !settings.keep_duplicates;

        let mut record_at = Vec::with_capacity(self.docs.len());
        let mut offset = 0u64;
        for doc in &self.docs {
            record_at.push(offset);
            offset += doc.record;
        }
        let staged = sinks.staged;
        // Without held records the clean texts are read back from the staged files.
        let staged_texts = staged.filter(|_| self.records.is_none());
        let mut record = Vec::new();
        let mut read_text = |i: usize| -> io::Result<String> {
            let Some((records, field)) = &mut self.records else {
                return match staged {
                    Some(staged) => std::fs::read_to_string(clean_file(staged, &self.docs[i].id)),
                    None => Err(io::Error::other("the clean texts were not held back")),
                };
            };
            record.resize(self.docs[i].record as usize, 0);
            records.read_at(record_at[i], &mut record)?;
            crate::report::record_text(&record, field)?
                .ok_or_else(|| io::Error::other("a held-back record has no clean text"))
        };
        let mut kept_texts = KeptTexts::default();
        let mut reports = self.report.reader()?;
        let mut diffs = self.diff.reader()?;
        let mut pages = self.page.reader()?;
        let mut line = Vec::new();
        let mut page = Vec::new();
        // The held diffs not yet copied: a run of documents without a comparison between
        // them is copied at once, in the pieces it is held in, so most of it goes to the
        // file from where it is held rather than through the file's buffer.
        let mut diff_run = 0u64;
        for (i, decision) in decisions.iter().enumerate() {
            // The report line as held, then its dedup fields.
            reports.copy_to(self.docs[i].report, sinks.report)?;
            line.clear();
            let kept = decision.map(|d| index.entry(d.kept).id.as_str());
            crate::report::write_json_dedup(
                &mut line,
                kept,
                decision.map(|d| super::round(d.similarity)),
                decision.map(|d| super::round(d.containment)),
            );
            line.push(b'\n');
            sinks.report.write_all(&line)?;

            page.clear();
            pages.read_into(self.docs[i].page, &mut page)?;
            let Some(dup) = decision else {
                diff_run += self.docs[i].diff;
                sinks.page.push_detail_later(&mut page, None)?;
                continue;
            };
            let entry = index.entry(dup.kept);
            let kept_text = match entry.position {
                Some(position) => Some(kept_texts.get_or_read(position, &mut read_text)?),
                None => None,
            };
            let text = match staged_texts {
                Some(staged) => {
                    read_copy(&clean_file(staged, &self.docs[i].id), kept_text.as_ref())?
                }
                None => Rc::new(read_text(i)?),
            };
            let id = &self.docs[i].id;
            let compared = comparison(
                id,
                &entry.id,
                kept_text.as_deref().map(String::as_str),
                &text,
                dup,
                dropped(i),
            );
            diffs.copy_to(diff_run, sinks.diff)?;
            sinks.diff.write_all(commented(&compared).as_bytes())?;
            if dropped(i) {
                sinks.diff.write_all(deletion(id, &text).as_bytes())?;
            }
            diff_run = self.docs[i].diff;
            sinks
                .page
                .set_duplicate(i, &entry.id, super::round(dup.similarity));
            if dropped(i) {
                sinks.page.push_dropped_copy(&page, &compared)?;
            } else {
                sinks.page.push_detail_later(&mut page, Some(&compared))?;
            }
        }

        diffs.copy_to(diff_run, sinks.diff)?;
        if let (Some((spill, _)), Some(sink)) = (&mut self.records, sinks.records) {
            let mut records = spill.reader()?;
            // Runs of kept records are copied at once, as the diffs are.
            let mut run = 0u64;
            for (i, doc) in self.docs.iter().enumerate() {
                if dropped(i) {
                    records.copy_to(run, sink)?;
                    run = 0;
                    records.copy_to(doc.record, &mut io::sink())?;
                } else {
                    run += doc.record;
                }
            }
            records.copy_to(run, sink)?;
        }
        if let Some(staged) = sinks.staged {
            for (i, doc) in self.docs.iter().enumerate() {
                if dropped(i) {
                    std::fs::remove_file(clean_file(staged, &doc.id))?;
                }
            }
        }

        let ids: Vec<&str> = self.docs.iter().map(|d| d.id.as_str()).collect();
        let clusters = super::clusters_jsonl(index, &ids, &decisions);
        output::write_atomic(&self.out.join(output::DUPLICATES_JSONL), &clusters)?;
        Ok(outcome(index, &decisions))
    }
}

/// Counts for the summary.
pub(crate) fn outcome(index: &Index, decisions: &[Option<Duplicate>]) -> Outcome {
    let mut kept: Vec<usize> = decisions.iter().flatten().map(|d| d.kept).collect();
    kept.sort_unstable();
    kept.dedup();
    Outcome {
        duplicates: decisions.iter().flatten().count(),
        clusters: kept.len(),
        indexed: index.len(),
        index_bytes: index.index_bytes(),
        shingle_bytes: index.shingle_bytes(),
    }
}

/// The kept copies' clean texts already read back, by their position in the run, up to
/// [`KEPT_TEXTS_BYTES`]: a story with many copies has its kept text read once rather than
/// once per copy. Past the limit the texts held are let go and reading starts over, so the
/// memory stays bounded whatever the run.
#[derive(Default)]
struct KeptTexts {
    texts: HashMap<usize, Rc<String>>,
    bytes: usize,
}

/// Bytes of kept texts [`KeptTexts`] holds at most.
const KEPT_TEXTS_BYTES: usize = 32 << 20;

impl KeptTexts {
    /// The text at `position`, read with `read` unless it is held.
    fn get_or_read(
        &mut self,
        position: usize,
        read: &mut impl FnMut(usize) -> io::Result<String>,
    ) -> io::Result<Rc<String>> {
        if let Some(text) = self.texts.get(&position) {
            return Ok(Rc::clone(text));
        }
        let text = Rc::new(read(position)?);
        if self.bytes + text.len() > KEPT_TEXTS_BYTES {
            self.texts.clear();
            self.bytes = 0;
        }
        if text.len() <= KEPT_TEXTS_BYTES {
            self.bytes += text.len();
            self.texts.insert(position, Rc::clone(&text));
        }
        Ok(text)
    }
}

/// Where the clean text of the document `id` is staged.
fn clean_file(staged: &output::StagedDir, id: &str) -> PathBuf {
    staged.path(&format!("{id}.txt"))
}

/// A copy's clean text read back from its staged file. When it is the kept copy's text byte
/// for byte, as an exact copy's usually is, that text is shared instead of checked for UTF-8
/// again; otherwise it is checked as `std::fs::read_to_string` checks it.
fn read_copy(path: &Path, kept: Option<&Rc<String>>) -> io::Result<Rc<String>> {
    let bytes = std::fs::read(path)?;
    if let Some(kept) = kept.filter(|kept| kept.as_bytes() == bytes) {
        return Ok(Rc::clone(kept));
    }
    String::from_utf8(bytes).map(Rc::new).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// Longest pair of texts (in lines, both together) shown line by line in `removed.diff`.
const MAX_COMPARED_LINES: usize = 20_000;

/// A copy's comparison with its kept copy: a line naming both and the scores, then a line
/// diff of their clean texts. Every line ends with a newline.
fn comparison(
    id: &str,
    kept_id: &str,
    kept_text: Option<&str>,
    text: &str,
    dup: &Duplicate,
    dropped: bool,
) -> String {
    let mut out = format!(
        "{id}: {} of {kept_id} (similarity {}, containment {}{})\n",
        if dropped {
            "dropped as a copy"
        } else {
            "a copy"
        },
        super::round(dup.similarity),
        super::round(dup.containment),
        if dup.exact { ", same words" } else { "" },
    );
    let Some(kept_text) = kept_text else {
        out.push_str("the kept copy is from the index; its text is not part of this run\n");
        return out;
    };
    let lines = line_count(kept_text) + line_count(text);
    if lines > MAX_COMPARED_LINES {
        // A line diff costs lines times differing lines; on very long texts that differ a
        // lot (a short copy of a very long one) it could take minutes. A time limit would
        // make the output depend on the machine, so the limit is on size.
        out.push_str(&format!(
            "not compared line by line: the two texts have {lines} lines (limit {MAX_COMPARED_LINES})\n"
        ));
        return out;
    }
    if kept_text == text {
        // A diff of equal texts has no hunk, and so no header either.
        return out;
    }
    let (old, new) = (diff_lines(kept_text), diff_lines(text));
    let diff = similar::TextDiff::configure()
        .newline_terminated(true)
        .diff_slices(&old, &new);
    let rendered = diff
        .unified_diff()
        .header(
            &format!("{kept_id}.txt (kept)"),
            &format!("{id}.txt (dropped)"),
        )
        .to_string();
    for line in rendered.split_inclusive('\n') {
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// How many lines `str::lines` gives.
fn line_count(text: &str) -> usize {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// A text cut into the lines `similar::TextDiff::from_lines` compares, each with its line
/// end: a line ends at `\n`, `\r\n` or a lone `\r`.
fn diff_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut start = 0;
    let mut ends = memchr::memchr2_iter(b'\n', b'\r', bytes);
    while let Some(at) = ends.next() {
        let mut end = at + 1;
        if bytes[at] == b'\r' && bytes.get(end) == Some(&b'\n') {
            ends.next();
            end += 1;
        }
        lines.push(text.get(start..end).unwrap_or_default());
        start = end;
    }
    if start < text.len() {
        lines.push(text.get(start..).unwrap_or_default());
    }
    lines
}

/// A comparison as `#` comment lines, which `patch` skips, for `removed.diff`.
fn commented(comparison: &str) -> String {
    let mut out = String::with_capacity(comparison.len() + comparison.len() / 16);
    for line in comparison.split_inclusive('\n') {
        out.push_str("# ");
        out.push_str(line);
    }
    out
}

/// A diff deleting a dropped copy's clean file.
fn deletion(id: &str, text: &str) -> String {
    use crate::report::diff::{unified, Row, Style};
    let rows: Vec<Row<'_>> = text
        .split_inclusive('\n')
        .map(|line| Row {
            old: line,
            new: None,
            removed_by: Some(RULE),
            changes: Default::default(),
            why: None,
        })
        .collect();
    unified(&rows, &crate::diff_path("a", id), "/dev/null", Style::Patch)
}

/// Refuses an index path that is an input or lies in an input folder: the index is written.
pub fn check_index_path(inputs: &[PathBuf], index: &Path) -> Result<(), String> {
    let resolved = output::resolve(index).map_err(|e| format!("{}: {e}", index.display()))?;
    for input in inputs {
        if input.as_os_str() == crate::input::STDIN {
            continue;
        }
        let Ok(input_resolved) = output::resolve(input) else {
            continue;
        };
        if resolved == input_resolved
            || (input_resolved.is_dir() && resolved.starts_with(&input_resolved))
        {
            return Err(format!(
                "index {} is or lies inside the input {}; keep it outside the inputs",
                index.display(),
                input.display()
            ));
        }
    }
    if resolved.is_dir() {
        return Err(format!("index {} is a folder", index.display()));
    }
    Ok(())
}

/// What `newsclean dedup` found.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    pub outcome: Outcome,
    /// `duplicates.jsonl`: one line per story that lost copies.
    pub clusters: Vec<u8>,
    pub problems: Vec<crate::Problem>,
}

/// Deduplicates text that is already clean: reads the inputs, fingerprints them in parallel,
/// decides against the index (when one is given) and saves it. Writes nothing else; the
/// caller prints or writes `Report::clusters`.
pub fn dedup_inputs(
    inputs: &[PathBuf],
    options: &crate::InputOptions,
    settings: &Settings,
) -> Result<Report, String> {
    use rayon::prelude::*;
    let mut index = match &settings.index {
        Some(path) => {
            check_index_path(inputs, path)?;
            Index::load(path)?.unwrap_or_default()
        }
        None => Index::new(),
    };
    // The inputs are read a batch at a time and each text is freed once fingerprinted:
    // only fingerprints are needed from here on, so the corpus is never held whole.
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut problems = Vec::new();
    crate::input::for_each_batch(inputs, options, BATCH_BYTES, |mut batch| {
        problems.append(&mut batch.problems);
        candidates.par_extend(batch.documents.into_par_iter().map(|doc| Candidate {
            len: doc.raw.len(),
            fingerprint: super::fingerprint(&doc.raw),
            id: doc.id,
        }));
    });
    let ids: Vec<String> = candidates.iter().map(|c| c.id.clone()).collect();
    let decisions = decide(&mut index, candidates, &settings.config);
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let clusters = super::clusters_jsonl(&index, &id_refs, &decisions);
    if let Some(path) = &settings.index {
        index.save(path)?;
    }
    Ok(Report {
        documents: ids.len(),
        outcome: outcome(&index, &decisions),
        clusters,
        problems,
    })
}

/// How much input `dedup` reads before fingerprinting it.
const BATCH_BYTES: usize = 64 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_copy_shares_an_equal_kept_text_and_reads_as_read_to_string_otherwise() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("copy.txt");
        let kept = Rc::new(String::from(
            "Storm hits the coast.\nThousands without power.\n",
        ));
        std::fs::write(&path, kept.as_bytes()).expect("written");
        let read = read_copy(&path, Some(&kept)).expect("read");
        assert!(Rc::ptr_eq(&read, &kept));
        let read = read_copy(&path, None).expect("read");
        assert!(!Rc::ptr_eq(&read, &kept) && *read == *kept);

        let edited = "Storm hits the coast.\nThousands without w\u{e4}ter.\n";
        std::fs::write(&path, edited).expect("written");
        let read = read_copy(&path, Some(&kept)).expect("read");
        assert_eq!(*read, edited);

        std::fs::write(&path, b"Storm \xff\n").expect("written");
        let error = read_copy(&path, Some(&kept)).expect_err("not UTF-8");
        let expected = std::fs::read_to_string(&path).expect_err("not UTF-8");
        assert_eq!(error.kind(), expected.kind());
        assert_eq!(error.to_string(), expected.to_string());

        let missing = dir.path().join("missing.txt");
        let error = read_copy(&missing, Some(&kept)).expect_err("missing");
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }

    fn dup() -> Duplicate {
        Duplicate {
            kept: 0,
            similarity: 0.9,
            containment: 0.95,
            exact: false,
        }
    }

    #[test]
    fn a_kept_text_is_read_once_and_memory_stays_bounded() {
        let mut reads = Vec::new();
        let mut read = |position: usize| -> io::Result<String> {
            reads.push(position);
            let size = if position == 9 {
                KEPT_TEXTS_BYTES + 1
            } else {
                4
            };
            Ok("x".repeat(size))
        };
        let mut kept = KeptTexts::default();
        for position in [3, 3, 5, 3, 5] {
            assert_eq!(
                kept.get_or_read(position, &mut read).expect("read").len(),
                4
            );
        }
        // A text over the limit is given but not held; the ones held before are let go.
        for _ in 0..2 {
            let text = kept.get_or_read(9, &mut read).expect("read");
            assert_eq!(text.len(), KEPT_TEXTS_BYTES + 1);
        }
        kept.get_or_read(3, &mut read).expect("read");
        assert_eq!(reads, [3, 5, 9, 9, 3]);
        assert!(kept.bytes <= KEPT_TEXTS_BYTES);
        let failing = |_: usize| -> io::Result<String> { Err(io::Error::other("gone")) };
        assert!(kept.get_or_read(7, &mut { failing }).is_err());
    }

    #[test]
    fn comparison_is_a_commented_diff_from_the_kept_copy() {
        let text = commented(&comparison(
            "b",
            "a",
            Some("one\ntwo\n"),
            "one\n2\n",
            &dup(),
            true,
        ));
        assert_eq!(
            text,
            "# b: dropped as a copy of a (similarity 0.9, containment 0.95)\n\
             # --- a.txt (kept)\n# +++ b.txt (dropped)\n# @@ -1,2 +1,2 @@\n#  one\n# -two\n# +2\n"
        );
        assert!(text.lines().all(|l| l.starts_with('#')));
    }

    #[test]
    fn lines_are_cut_as_similar_cuts_them() {
        for text in [
            "",
            "a",
            "a\n",
            "a\nb",
            "\n\n",
            "a\r\nb\rc\n\r",
            "\r\r\n\n\r",
            "é\r中\r\n文",
        ] {
            let diff = similar::TextDiff::from_lines(text, text);
            assert_eq!(diff_lines(text), diff.old_slices(), "{text:?}");
            assert_eq!(line_count(text), text.lines().count(), "{text:?}");
        }
    }

    #[test]
    fn comparisons_are_similars_unified_diffs() {
        let texts = [
            "",
            "one\ntwo\nthree\n",
            "one\ntwo\nthree",
            "one\n2\nthree\n",
            "zero\none\ntwo\nthree\n",
            "one\r\ntwo\rthree\n",
            "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
            "1\n2\n3\nfour\n5\n6\n7\n8\nnine\n10",
        ];
        for kept in texts {
            for text in texts {
                let ours = comparison("b", "a", Some(kept), text, &dup(), true);
                let rendered = similar::TextDiff::from_lines(kept, text)
                    .unified_diff()
                    .header("a.txt (kept)", "b.txt (dropped)")
                    .to_string();
                let mut theirs = comparison("b", "a", None, text, &dup(), true);
                theirs.truncate(theirs.find('\n').map_or(0, |n| n + 1));
                for line in rendered.split_inclusive('\n') {
                    theirs.push_str(line);
                    if !line.ends_with('\n') {
                        theirs.push('\n');
                    }
                }
                assert_eq!(ours, theirs, "{kept:?} -> {text:?}");
            }
        }
    }

    #[test]
    fn very_long_texts_are_not_compared_line_by_line() {
        let long: String = (0..MAX_COMPARED_LINES).map(|i| format!("{i}\n")).collect();
        let text = comparison("b", "a", Some(&long), "0\n", &dup(), true);
        assert!(text.contains("not compared line by line"), "{text}");
        assert_eq!(text.lines().count(), 2);
    }

    #[test]
    fn deletion_removes_every_line_and_names_the_rule() {
        let diff = deletion("x y", "a\nb");
        assert_eq!(
            diff,
            "--- \"a/x y.txt\"\n+++ /dev/null\n@@ -1,2 +0,0 @@ dedup.duplicate\n-a\n-b\n\\ No newline at end of file\n"
        );
    }
}
