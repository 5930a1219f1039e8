//! Near-duplicate stories through the binary: copies of a seed story with chrome and edits are
//! dropped and shown, different stories (the seeds, two of which report the same night in
//! different words) stay apart, `removed.diff` still restores every input, the output does not
//! depend on the thread count, and `newsclean dedup` with an index checks a new batch against
//! an earlier one and refuses a damaged index.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn seed(name: &str) -> String {
    let path = std::fs::read_dir(examples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap_or_else(|| panic!("seed {name}"));
    std::fs::read_to_string(path).unwrap()
}

/// A copy of a story as another site would carry it: its own chrome around it, a changed
/// word every `every` words, and the last paragraph dropped when `truncate` is set.
fn site_copy(story: &str, every: usize, truncate: bool) -> String {
    let mut paragraphs: Vec<&str> = story.lines().filter(|l| !l.trim().is_empty()).collect();
    if truncate {
        paragraphs.pop();
    }
    let mut n = 0;
    let body: Vec<String> = paragraphs
        .iter()
        .map(|p| {
            p.split(' ')
                .map(|w| {
                    n += 1;
                    if n % every == 0 {
                        "reportedly".to_string()
                    } else {
                        w.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    format!(
        "Skip to content\nHome\nWorld\nAdvertisement\n{}\nShare this article\nYou May Also Like\nCity council approves budget\n",
        body.join("\n\n")
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

fn clusters(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("duplicates.jsonl"))
        .expect("duplicates.jsonl exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// A folder with seed 001, a longer copy of it from another site, a truncated copy, and
/// seed 004 (the same night of strikes in other words).
fn copies_corpus(temp: &TempDir) -> PathBuf {
    let dir = temp.path().join("in");
    let story = seed("001_");
    write(&dir, "a-original.txt", &story);
    write(&dir, "b-wire.txt", &site_copy(&story, 40, false));
    write(&dir, "c-truncated.txt", &site_copy(&story, 1000, true));
    write(&dir, "d-other.txt", &seed("004_"));
    dir
}

#[test]
fn seeds_stay_apart() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&examples()], &out, &[]);
    assert_eq!(clusters(&out), Vec::<Value>::new());
    for record in report(&out) {
        assert!(record["duplicate_of"].is_null(), "{}", record["id"]);
    }
    // Seeds 001 and 004 report the same event: their overlap is real but far from a copy's.
    let a = newsclean::dedup::fingerprint(&seed("001_"));
    let b = newsclean::dedup::fingerprint(&seed("004_"));
    let o = newsclean::dedup::overlap(&a.shingles, &b.shingles);
    assert!(o.similarity < 0.2 && o.containment < 0.3, "{o:?}");
}

#[test]
fn copies_are_dropped_reported_and_shown_against_the_kept_copy() {
    let temp = TempDir::new().unwrap();
    let dir = copies_corpus(&temp);
    let out = temp.path().join("out");
    let output = clean(&[&dir], &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));

    let found = clusters(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    let cluster = &found[0];
    // The wire copy keeps all paragraphs and adds a changed word: it is the longest.
    assert_eq!(cluster["kept"], "b-wire");
    assert_eq!(cluster["kept_from_index"], false);
    let members: Vec<&str> = cluster["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["a-original", "c-truncated"]);
    for m in cluster["members"].as_array().unwrap() {
        let s = m["similarity"].as_f64().unwrap();
        let c = m["containment"].as_f64().unwrap();
        assert!(s >= 0.8 || c >= 0.9, "{m}");
        assert!(s <= 1.0 && c <= 1.0 && s <= c, "{m}");
    }

    let names: Vec<String> = read_tree(&out.join("clean")).into_keys().collect();
    assert_eq!(names, ["b-wire.txt", "d-other.txt"]);

    let report = report(&out);
    assert_eq!(report.len(), 4, "every document keeps its report line");
    assert_eq!(record(&report, "a-original")["duplicate_of"], "b-wire");
    assert_eq!(record(&report, "c-truncated")["duplicate_of"], "b-wire");
    assert!(
        record(&report, "c-truncated")["containment"]
            .as_f64()
            .unwrap()
            >= 0.9
    );
    assert!(record(&report, "b-wire")["duplicate_of"].is_null());
    assert!(record(&report, "b-wire")["similarity"].is_null());
    assert!(record(&report, "d-other")["duplicate_of"].is_null());

    let diff = std::fs::read_to_string(out.join("removed.diff")).unwrap();
    assert!(diff.contains("# a-original: dropped as a copy of b-wire (similarity "));
    assert!(diff.contains("# --- b-wire.txt (kept)\n# +++ a-original.txt (dropped)\n"));
    // The changed words show in the comparison.
    assert!(diff.contains("reportedly"));
    assert!(diff.contains("+++ /dev/null\n@@ -1,"));
    assert!(diff.contains(" dedup.duplicate\n"));

    let summary = stderr(&run([
        "clean",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]));
    assert!(
        summary.contains("duplicates: 2 copies of 1 story dropped"),
        "{summary}"
    );
}

#[test]
fn reversing_removed_diff_restores_dropped_copies_too() {
    if !patch_available() {
        return;
    }
    let temp = TempDir::new().unwrap();
    let dir = copies_corpus(&temp);
    // A copy whose clean text has no final newline, and an exact copy.
    let story = seed("001_");
    write(&dir, "e-exact.txt", story.trim_end());
    let out = temp.path().join("out");
    clean_ok(&[&dir], &out, &[]);
    assert_eq!(clusters(&out)[0]["members"].as_array().unwrap().len(), 3);
    let work = temp.path().join("work");
    copy_tree(&out.join("clean"), &work);
    let diff = std::fs::read(out.join("removed.diff")).unwrap();
    reverse_patch(&work, &diff).unwrap();
    assert_eq!(read_tree(&work), read_tree(&dir));
}

#[test]
fn options_change_what_is_kept() {
    let temp = TempDir::new().unwrap();
    let dir = copies_corpus(&temp);

    let out = temp.path().join("first");
    clean_ok(&[&dir], &out, &["--keep", "first"]);
    assert_eq!(clusters(&out)[0]["kept"], "a-original");

    let out = temp.path().join("keep-all");
    clean_ok(&[&dir], &out, &["--keep-duplicates"]);
    assert_eq!(read_tree(&out.join("clean")).len(), 4);
    assert_eq!(
        record(&report(&out), "a-original")["duplicate_of"],
        "b-wire"
    );
    let diff = std::fs::read_to_string(out.join("removed.diff")).unwrap();
    assert!(diff.contains("# a-original: a copy of b-wire"));
    assert!(!diff.contains("/dev/null"));

    let out = temp.path().join("off");
    clean_ok(&[&dir], &out, &["--no-dedup"]);
    assert_eq!(read_tree(&out.join("clean")).len(), 4);
    assert!(!out.join("duplicates.jsonl").exists());
    assert!(report(&out).iter().all(|r| r["duplicate_of"].is_null()));

    // At the strictest thresholds only the truncated copy, whose every shingle is in the
    // wire copy, is still a copy.
    let out = temp.path().join("strict");
    clean_ok(&[&dir], &out, &["--similarity", "1", "--containment", "1"]);
    let strict = clusters(&out);
    assert_eq!(strict.len(), 1);
    assert_eq!(strict[0]["members"].as_array().unwrap().len(), 1);
    assert_eq!(strict[0]["members"][0]["id"], "c-truncated");

    let bad = clean(&[&dir], &temp.path().join("bad"), &["--similarity", "1.5"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn jsonl_output_leaves_out_dropped_records() {
    let temp = TempDir::new().unwrap();
    let dir = copies_corpus(&temp);
    let out = temp.path().join("out");
    clean_ok(&[&dir], &out, &["--format", "jsonl"]);
    let records: Vec<Value> = std::fs::read_to_string(out.join("clean.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["b-wire", "d-other"]);
}

#[test]
fn clusters_do_not_depend_on_the_thread_count() {
    let temp = TempDir::new().unwrap();
    let dir = temp.path().join("in");
    let stories = [seed("000_"), seed("001_"), seed("002_"), seed("003_")];
    for i in 0..48 {
        let story = &stories[i % 4];
        write(
            &dir,
            &format!("{i:02}.txt"),
            &site_copy(story, 20 + i, i % 3 == 0),
        );
    }
    let mut trees = Vec::new();
    for jobs in ["1", "3", "1"] {
        let out = temp.path().join(format!("out-{}", trees.len()));
        clean_ok(&[&dir], &out, &["--jobs", jobs]);
        trees.push(read_tree(&out));
    }
    assert!(clusters(&temp.path().join("out-0")).len() >= 3);
    assert!(trees[0] == trees[1] && trees[0] == trees[2]);
}

/// How much held-back output stays in memory (`--hold-mib`) changes where it waits, never
/// what is written: all on disk, a little in memory, and the default give the same folder,
/// in both output formats.
#[test]
fn held_output_in_memory_or_on_disk_writes_the_same_folder() {
    let temp = TempDir::new().unwrap();
    let corpus = copies_corpus(&temp);
    for format in ["txt", "jsonl"] {
        let mut trees = Vec::new();
        for hold in [None, Some("0"), Some("1")] {
            let out = temp.path().join(format!("out-{format}-{}", trees.len()));
            let mut extra = vec!["--format", format];
            if let Some(mib) = hold {
                extra.extend(["--hold-mib", mib]);
            }
            clean_ok(&[&corpus], &out, &extra);
            trees.push(read_tree(&out));
        }
        assert!(!clusters(&temp.path().join(format!("out-{format}-0"))).is_empty());
        assert!(trees[0] == trees[1], "{format}: all on disk differs");
        assert!(trees[0] == trees[2], "{format}: 1 MiB in memory differs");
    }
}

#[test]
fn dedup_command_prints_clusters_and_checks_a_new_batch_against_the_index() {
    let temp = TempDir::new().unwrap();
    let index = temp.path().join("seen.idx");
    let day1 = temp.path().join("day1");
    let story = seed("001_");
    write(&day1, "story.txt", &story);
    write(&day1, "other.txt", &seed("004_"));
    let first = run([
        "dedup",
        day1.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(first.status.code(), Some(0), "{}", describe(&first));
    assert_eq!(stdout(&first), "", "no copies on day one");
    assert!(
        stderr(&first).contains("2 kept documents"),
        "{}",
        describe(&first)
    );
    let saved = std::fs::read(&index).unwrap();

    let day2 = temp.path().join("day2");
    let copy = story.replace("Kyiv", "Kiev");
    write(&day2, "repost.txt", &copy);
    write(&day2, "fresh.txt", &seed("000_"));
    write(&day2, "later-copy.txt", &seed("000_").to_ascii_uppercase());
    let out = temp.path().join("out");
    let second = run([
        "dedup",
        day2.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(second.status.code(), Some(0), "{}", describe(&second));
    let found = clusters(&out);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0]["kept"], "story");
    assert_eq!(found[0]["kept_from_index"], true);
    assert_eq!(found[0]["members"][0]["id"], "repost");
    assert_eq!(found[1]["kept"], "fresh");
    assert_eq!(found[1]["members"][0]["exact"], true);
    assert!(stderr(&second).contains("3 kept documents"));
    assert_ne!(std::fs::read(&index).unwrap(), saved, "the index grew");
}

#[test]
fn clean_checks_against_an_index_of_earlier_runs() {
    let temp = TempDir::new().unwrap();
    let index = temp.path().join("seen.idx");
    let index_arg = index.to_str().unwrap();
    let story = seed("001_");
    let day1 = temp.path().join("day1");
    write(&day1, "story.txt", &story);
    let out1 = temp.path().join("out1");
    clean_ok(&[&day1], &out1, &["--index", index_arg]);
    assert_eq!(clusters(&out1).len(), 0);

    let day2 = temp.path().join("day2");
    write(&day2, "wire.txt", &site_copy(&story, 50, false));
    write(&day2, "other.txt", &seed("004_"));
    let out2 = temp.path().join("out2");
    clean_ok(&[&day2], &out2, &["--index", index_arg]);
    let found = clusters(&out2);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["kept"], "story");
    assert_eq!(found[0]["kept_from_index"], true);
    assert_eq!(found[0]["members"][0]["id"], "wire");
    // The indexed story was published yesterday: it stays kept even though the copy is
    // longer, and the copy is not written today.
    let names: Vec<String> = read_tree(&out2.join("clean")).into_keys().collect();
    assert_eq!(names, ["other.txt"]);
    assert_eq!(record(&report(&out2), "wire")["duplicate_of"], "story");
    let diff = std::fs::read_to_string(out2.join("removed.diff")).unwrap();
    assert!(diff.contains("# the kept copy is from the index"));
    if patch_available() {
        let work = temp.path().join("work");
        copy_tree(&out2.join("clean"), &work);
        reverse_patch(&work, diff.as_bytes()).unwrap();
        assert_eq!(read_tree(&work), read_tree(&day2));
    }
}

#[test]
fn a_damaged_or_foreign_index_is_an_error_naming_it() {
    let temp = TempDir::new().unwrap();
    let dir = temp.path().join("in");
    write(&dir, "story.txt", &seed("001_"));
    let index = temp.path().join("seen.idx");
    let ok = run([
        "dedup",
        dir.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", describe(&ok));
    let mut bytes = std::fs::read(&index).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&index, &bytes).unwrap();
    for damaged in [bytes.clone(), b"id,text\n1,hello\n".to_vec(), Vec::new()] {
        std::fs::write(&index, &damaged).unwrap();
        for args in [
            vec!["dedup", dir.to_str().unwrap()],
            vec!["clean", dir.to_str().unwrap(), "-o"],
        ] {
            let mut args: Vec<String> = args.into_iter().map(String::from).collect();
            if args[0] == "clean" {
                args.push(temp.path().join("out").to_string_lossy().into_owned());
            }
            args.push("--index".into());
            args.push(index.to_string_lossy().into_owned());
            let output = run(&args);
            assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
            assert!(
                stderr(&output).contains("seen.idx is not a usable dedup index"),
                "{}",
                describe(&output)
            );
        }
        assert_eq!(std::fs::read(&index).unwrap(), damaged, "left as it was");
        assert!(!temp.path().join("out").exists(), "nothing written");
    }
    let inside = run([
        "dedup",
        dir.to_str().unwrap(),
        "--index",
        dir.join("seen.idx").to_str().unwrap(),
    ]);
    assert_eq!(inside.status.code(), Some(2), "{}", describe(&inside));
    assert!(!dir.join("seen.idx").exists());
}
