//! The five seed documents the project started from (`examples/`): snapshots of each clean
//! text and its part of `removed.diff`, and explicit checks of what must stay and what must
//! go. `004_*` is a page dump with chrome; `000`-`003` are clean article text, where cleaning
//! may only normalise (002 ends in blank lines) and must keep every subheading.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tempfile::TempDir;

const SEED_IDS: [&str; 5] = [
    "000_3de3fbf541c67ce2",
    "001_26275384a2e351e2",
    "002_bde8b18a949b1076",
    "003_a95787479a749051",
    "004_501065e9a06ffd9b",
];

/// One `clean` run over `examples/`, shared by the tests of this file.
struct SeedRun {
    _temp: TempDir,
    out: PathBuf,
}

fn seed_run() -> &'static SeedRun {
    static RUN: OnceLock<SeedRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let temp = TempDir::new().expect("temp dir");
        let out = temp.path().join("out");
        clean_ok(&[&examples()], &out, &[]);
        SeedRun { _temp: temp, out }
    })
}

fn input(id: &str) -> String {
    std::fs::read_to_string(examples().join(format!("{id}.txt"))).expect("seed is readable")
}

fn clean_text(out: &Path, id: &str) -> String {
    std::fs::read_to_string(out.join("clean").join(format!("{id}.txt")))
        .unwrap_or_else(|e| panic!("clean/{id}.txt: {e}"))
}

/// The part of `removed.diff` for one document, from its `--- a/<id>.txt` header to the next
/// file header; empty when the document is unchanged.
fn diff_section(out: &Path, id: &str) -> String {
    let diff = std::fs::read_to_string(out.join("removed.diff")).expect("removed.diff");
    let header = format!("--- a/{id}.txt\n");
    let Some(start) = diff.find(&header) else {
        return String::new();
    };
    let rest = &diff[start + header.len()..];
    let end = rest.find("\n--- a/").map_or(rest.len(), |i| i + 1);
    format!("{header}{}", &rest[..end])
}

fn non_blank(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

#[test]
fn snapshots_of_clean_text_and_removed_diff() {
    let run = seed_run();
    for id in SEED_IDS {
        insta::assert_snapshot!(format!("{id}.clean"), clean_text(&run.out, id));
        insta::assert_snapshot!(format!("{id}.diff"), diff_section(&run.out, id));
    }
}

#[test]
fn article_seeds_keep_every_line_unchanged_and_in_order() {
    let run = seed_run();
    let records = report(&run.out);
    for id in &SEED_IDS[..4] {
        let raw = input(id);
        let clean = clean_text(&run.out, id);
        assert_eq!(
            non_blank(&clean),
            non_blank(&raw),
            "{id}: every non-blank line stays, unchanged and in order"
        );
        // Nothing but normalisation: only blank lines may go.
        for (first, last, rule, text) in spans(record(&records, id)) {
            assert!(
                text.trim().is_empty(),
                "{id}: lines {first}-{last} removed by {rule}: {text:?}"
            );
        }
        // The subheadings (short lines without a sentence end) are part of the article.
        let subheadings: Vec<&str> = non_blank(&raw)
            .into_iter()
            .filter(|l| l.split_whitespace().count() <= 8 && !l.ends_with('.'))
            .collect();
        for subheading in subheadings {
            assert!(
                clean.lines().any(|l| l == subheading),
                "{id}: subheading {subheading:?} kept"
            );
        }
    }
}

#[test]
fn seed_002_loses_only_its_trailing_blank_lines() {
    let run = seed_run();
    let raw = input("002_bde8b18a949b1076");
    assert!(
        raw.ends_with(".\n\n\n\n\n\n\n"),
        "the seed ends in blank lines"
    );
    let clean = clean_text(&run.out, "002_bde8b18a949b1076");
    assert_eq!(clean, format!("{}\n", raw.trim_end()));
    // Its non-breaking hyphens ("five‑hour", "long‑range") are kept as they are.
    assert!(raw.contains('\u{2011}'));
    assert_eq!(
        clean.matches('\u{2011}').count(),
        raw.matches('\u{2011}').count()
    );
    let diff = diff_section(&run.out, "002_bde8b18a949b1076");
    assert!(diff.contains("normalize.blank-lines"), "{diff}");
}

#[test]
fn seeds_without_blank_line_runs_are_byte_identical() {
    let run = seed_run();
    for id in [
        "000_3de3fbf541c67ce2",
        "001_26275384a2e351e2",
        "003_a95787479a749051",
    ] {
        assert_eq!(clean_text(&run.out, id), input(id), "{id}");
        assert_eq!(diff_section(&run.out, id), "", "{id}");
    }
}

const HEADLINE: &str =
    "Russia Escalates Missile and Drone Assaults on Kyiv and Kharkiv Amid Renewed Peace Negotiations";
const ID_004: &str = "004_501065e9a06ffd9b";

#[test]
fn page_dump_004_keeps_headline_subheadings_and_body() {
    let run = seed_run();
    let raw = input(ID_004);
    let clean = clean_text(&run.out, ID_004);
    let kept: Vec<&str> = clean.lines().collect();
    assert_eq!(
        kept.first(),
        Some(&HEADLINE),
        "the headline opens the clean text"
    );
    for heading in [
        "Overnight Strikes Hit Ukraine as Peace Talks Resume",
        "Major Cities Targeted: Power, Heat and Civilian Areas Hit",
        "Diplomatic Fallout and Political Reactions",
    ] {
        assert!(kept.contains(&heading), "subheading {heading:?} kept");
    }
    // The body: every paragraph between the first subheading and the related-stories marker.
    let lines: Vec<&str> = raw.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == "Overnight Strikes Hit Ukraine as Peace Talks Resume")
        .unwrap();
    let end = lines
        .iter()
        .position(|l| *l == "You May Also Like")
        .unwrap();
    let body: Vec<&str> = lines[start..end]
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(body.len(), 9, "three subheadings and six paragraphs");
    let clean_body: Vec<&str> = kept
        .iter()
        .copied()
        .filter(|l| !l.is_empty())
        .skip(1)
        .collect();
    assert_eq!(
        clean_body, body,
        "the whole body is kept, in order, and nothing else"
    );
}

#[test]
fn page_dump_004_loses_its_chrome_and_related_stories() {
    let run = seed_run();
    let raw = input(ID_004);
    let clean = clean_text(&run.out, ID_004);
    let kept: Vec<&str> = clean.lines().collect();
    for chrome in ["Connect with us", "Hi, what are you looking for?", "News"] {
        assert!(!kept.contains(&chrome), "{chrome:?} removed");
    }
    let caption = format!("{HEADLINE} ChatGPT Image Jan 24 2026 06 52 25 PM");
    assert!(
        raw.lines().any(|l| l == caption),
        "the seed holds the caption"
    );
    assert!(
        !kept.contains(&caption.as_str()),
        "the caption echoing the headline is removed"
    );
    assert_eq!(
        kept.iter().filter(|l| **l == HEADLINE).count(),
        1,
        "the headline itself stays once"
    );

    // "You May Also Like" and everything after it goes.
    let lines: Vec<&str> = raw.lines().collect();
    let marker = lines
        .iter()
        .position(|l| *l == "You May Also Like")
        .unwrap();
    assert!(lines.len() - marker > 10, "the seed has a teaser block");
    assert!(
        clean.ends_with("though observers caution that significant disagreements remain.\n"),
        "the clean text ends with the last paragraph: {clean:?}"
    );
    for line in lines[marker..].iter().filter(|l| !l.trim().is_empty()) {
        assert!(
            !kept.contains(line),
            "{line:?} from the teaser block is gone"
        );
    }
    assert!(!clean.contains("Trending now") && !clean.contains("Advertisement"));

    // Every removed text line is in the report with a rule id, and the diff labels them.
    let records = report(&run.out);
    let spans = spans(record(&records, ID_004));
    let removed: String = spans.iter().map(|(_, _, _, text)| text.as_str()).collect();
    for line in [
        "Connect with us\n",
        "Hi, what are you looking for?\n",
        "News\n",
        "You May Also Like\n",
    ] {
        assert!(
            removed.contains(line),
            "{line:?} in the report's removed spans"
        );
    }
    assert!(spans.iter().all(|(_, _, rule, _)| !rule.is_empty()));
    let diff = diff_section(&run.out, ID_004);
    for (_, _, rule, _) in &spans {
        assert!(
            diff.contains(rule.as_str()),
            "rule {rule} named in the diff"
        );
    }
}
