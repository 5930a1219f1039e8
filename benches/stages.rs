//! Throughput of each stage of cleaning a page dump, on one thread, with the default rules:
//! where the time of `newsclean clean` goes, stage by stage.
//!
//! Reads the benchmark's text dumps (or the folder given as the first argument), repeats
//! them until there are about 30 MB, and times each stage over the whole corpus in memory
//! (no input or output files), best of five runs:
//!
//! - segment and normalise: cutting the text into normalised lines;
//! - rule matching: every non-blank line against every phrase and regex rule;
//! - run pass: the repeated-line detector's count over the whole corpus;
//! - judging: rules, detectors and blank-line tidying for each document (includes rule
//!   matching and segmenting);
//! - cleaning: `clean_document` with its unified diff (includes judging);
//! - report line: the `report.jsonl` line of each cleaned document.
//!
//! Run with `cargo bench --bench stages` (or `-- FOLDER`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use newsclean::{judge, report, segment, DiffStyle, Document, RuleSet, RuleSources};

const TARGET_BYTES: usize = 30_000_000;
const RUNS: usize = 5;

fn main() {
    let folder = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/data/article-extraction-benchmark/text")
        });
    let mut pages = Vec::new();
    let mut entries: Vec<_> = match std::fs::read_dir(&folder) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            eprintln!("stages: cannot read {}: {e}", folder.display());
            std::process::exit(2);
        }
    };
    entries.sort();
    for path in entries {
        if let Ok(text) = std::fs::read_to_string(&path) {
            pages.push(text);
        }
    }
    let page_bytes: usize = pages.iter().map(String::len).sum();
    if page_bytes == 0 {
        eprintln!("stages: no text files in {}", folder.display());
        std::process::exit(2);
    }
    let copies = TARGET_BYTES.div_ceil(page_bytes);
    let documents: Vec<Document> = (0..copies)
        .flat_map(|copy| {
            pages.iter().enumerate().map(move |(i, raw)| Document {
                id: format!("{copy}/{i}"),
                source: format!("{copy}/{i}"),
                raw: raw.clone(),
                ..Document::default()
            })
        })
        .collect();
    let bytes = page_bytes * copies;
    let rules = match RuleSet::load(&RuleSources {
        defaults: true,
        paths: Vec::new(),
    }) {
        Ok(rules) => rules,
        Err(e) => {
            eprintln!("stages: the default rules do not load: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "{} documents, {:.1} MB ({} copies of {}), one thread, best of {RUNS}",
        documents.len(),
        bytes as f64 / 1e6,
        copies,
        folder.display()
    );
    println!("{:<26} {:>10} {:>10}", "stage", "seconds", "MB/s");
    let show = |stage: &str, time: Duration| {
        let seconds = time.as_secs_f64();
        println!(
            "{stage:<26} {seconds:>10.3} {:>10.1}",
            bytes as f64 / 1e6 / seconds
        );
    };

    show(
        "segment + normalise",
        best(|| {
            timed(|| {
                let mut lines = 0;
                for doc in &documents {
                    lines += segment::lines(&doc.raw).len();
                }
                lines
            })
        }),
    );
    show(
        "rule matching",
        best(|| {
            timed(|| {
                let mut found = Vec::new();
                let mut matches = 0;
                for doc in &documents {
                    for block in segment::lines(&doc.raw) {
                        rules.matches(&block.text, &mut found);
                        matches += found.len();
                    }
                }
                matches
            })
        }),
    );
    show(
        "run pass (repeated lines)",
        best(|| {
            let mut copy = documents.clone();
            timed(|| rules.prepare(&mut copy))
        }),
    );
    let mut prepared = documents.clone();
    rules.prepare(&mut prepared);
    show(
        "judging",
        best(|| {
            timed(|| {
                let mut dropped = 0;
                for doc in &prepared {
                    let blocks = segment::lines(&doc.raw);
                    let verdicts = judge::judge(doc, &blocks, &rules);
                    dropped += verdicts.iter().filter(|v| !v.is_keep()).count();
                }
                dropped
            })
        }),
    );
    show(
        "cleaning, with diff",
        best(|| {
            let copy = prepared.clone();
            timed(|| {
                copy.into_iter()
                    .map(|doc| {
                        newsclean::clean_document(doc, &rules, Some(DiffStyle::Patch))
                            .clean
                            .len()
                    })
                    .sum::<usize>()
            })
        }),
    );
    let cleaned: Vec<_> = prepared
        .iter()
        .map(|doc| newsclean::clean_document(doc.clone(), &rules, Some(DiffStyle::Patch)))
        .collect();
    show(
        "report.jsonl line",
        best(|| {
            timed(|| {
                let mut out = Vec::new();
                for doc in &cleaned {
                    out.clear();
                    report::DocumentReport::new(doc).write_json(&mut out, None);
                }
                out.len()
            })
        }),
    );
}

/// The shortest of `RUNS` timings.
fn best(mut run: impl FnMut() -> Duration) -> Duration {
    (0..RUNS).map(|_| run()).min().unwrap_or_default()
}

/// How long `work` takes; what it returns is kept from the optimiser, so the work cannot be
/// left out.
fn timed<T>(work: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    std::hint::black_box(work());
    start.elapsed()
}
