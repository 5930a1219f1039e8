//! Bad input never panics: every problem gets a message naming the file, the rest of the run
//! goes on, and the exit status says whether something was skipped (1) or only warned about
//! (0). Unsafe output folders are refused before anything is written (2).

mod common;

use common::*;
use std::path::Path;
use tempfile::TempDir;

const GOOD: &str = "Harbour Bridge to Close for Six Weeks\n\nThe Harbour Bridge will close to all traffic from Monday while engineers replace two corroded bearings.\nAdvertisement\nBuses will run on a diversion through the old town, the transport authority said.\n";
const GOOD_CLEAN: &str = "Harbour Bridge to Close for Six Weeks\n\nThe Harbour Bridge will close to all traffic from Monday while engineers replace two corroded bearings.\nBuses will run on a diversion through the old town, the transport authority said.\n";

/// A folder with one good page dump in it, plus whatever a test adds.
fn input_folder(temp: &TempDir) -> std::path::PathBuf {
    let dir = temp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("good.txt"), GOOD).unwrap();
    dir
}

fn assert_good_was_cleaned(out: &Path) {
    assert_eq!(
        std::fs::read_to_string(out.join("clean/good.txt")).expect("good.txt was cleaned"),
        GOOD_CLEAN
    );
    let report = report(out);
    assert!(report.iter().any(|r| r["id"] == "good"));
}

#[test]
fn invalid_utf8_is_a_warning_and_the_document_is_still_cleaned() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let bad = dir.join("latin1.txt");
    // A Latin-1 page dump: "Zürich" and "café" as single bytes, invalid in UTF-8.
    std::fs::write(
        &bad,
        b"Advertisement\nThe Z\xfcrich caf\xe9 owners said business was slow this winter.\n",
    )
    .unwrap();
    let out = temp.path().join("out");
    let output = clean(&[&dir], &out, &[]);
    // A warning is not a skip: the documented exit status is 0.
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let err = stderr(&output);
    assert!(
        err.contains(&bad.display().to_string()) && err.contains("UTF-8"),
        "the warning names the file: {err}"
    );
    let clean = std::fs::read_to_string(out.join("clean/latin1.txt")).unwrap();
    assert_eq!(
        clean,
        "The Z\u{fffd}rich caf\u{fffd} owners said business was slow this winter.\n"
    );
    let report = report(&out);
    assert_eq!(record(&report, "latin1")["invalid_utf8"], 2);
    assert_good_was_cleaned(&out);
}

#[test]
fn binary_file_is_skipped_with_its_name_and_exit_1() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let binary = dir.join("image.txt");
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 64));
    std::fs::write(&binary, bytes).unwrap();
    let out = temp.path().join("out");
    let output = clean(&[&dir], &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    assert!(err.contains(&binary.display().to_string()), "{err}");
    assert!(!out.join("clean/image.txt").exists());
    assert!(report(&out).iter().all(|r| r["id"] != "image"));
    assert_good_was_cleaned(&out);
}

#[test]
fn empty_and_blank_files_give_empty_clean_files() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("blank.txt"), "\n  \n\r\n\t\n").unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&dir], &out, &[]);
    assert_eq!(std::fs::read(out.join("clean/empty.txt")).unwrap(), b"");
    assert_eq!(std::fs::read(out.join("clean/blank.txt")).unwrap(), b"");
    let report = report(&out);
    let empty = record(&report, "empty");
    assert_eq!(
        (empty["bytes_in"].as_u64(), empty["lines_in"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(empty["removed"], serde_json::json!([]));
    let blank = record(&report, "blank");
    assert_eq!(blank["lines_in"], 4);
    assert_eq!(blank["lines_out"], 0);
    assert_good_was_cleaned(&out);
}

#[test]
fn a_single_50_mb_line_is_cleaned() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let sentence = "Officials said the talks would continue next week in Abu Dhabi, and that both delegations had agreed on an agenda. ";
    let mut line = String::with_capacity(50 * 1024 * 1024 + sentence.len());
    while line.len() < 50 * 1024 * 1024 {
        line.push_str(sentence);
    }
    // Trailing white space and no final newline: the line is changed, not only copied.
    std::fs::write(dir.join("huge.txt"), &line).unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&dir], &out, &[]);
    let clean = std::fs::read_to_string(out.join("clean/huge.txt")).unwrap();
    assert_eq!(clean.len(), line.len() - 1);
    assert!(
        clean == line.trim_end(),
        "the line is kept whole, without its trailing space"
    );
    let report = report(&out);
    assert_eq!(record(&report, "huge")["lines_out"], 1);
    assert_good_was_cleaned(&out);
}

#[test]
fn missing_path_is_skipped_with_its_name_and_exit_1() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let missing = temp.path().join("no-such-folder/page.txt");
    let out = temp.path().join("out");
    let output = clean(&[&missing, &dir], &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains(&missing.display().to_string()),
        "{}",
        describe(&output)
    );
    assert_good_was_cleaned(&out);
}

#[test]
fn unreadable_file_is_skipped_with_its_name_and_exit_1() {
    use std::os::unix::fs::PermissionsExt;
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let locked = dir.join("locked.txt");
    std::fs::write(&locked, GOOD).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Running as root (or with CAP_DAC_OVERRIDE): mode 000 does not stop a read, so there
        // is nothing to test.
        eprintln!(
            "SKIPPED: {} is readable despite mode 000 (running as root?)",
            locked.display()
        );
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
        return;
    }
    let out = temp.path().join("out");
    let output = clean(&[&dir], &out, &[]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains(&locked.display().to_string()),
        "{}",
        describe(&output)
    );
    assert!(!out.join("clean/locked.txt").exists());
    assert_good_was_cleaned(&out);
}

#[test]
fn broken_gzip_is_skipped_with_its_name_and_exit_1() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let broken = dir.join("truncated.txt.gz");
    // A gzip header followed by nothing: what an interrupted download leaves.
    std::fs::write(&broken, b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03").unwrap();
    let out = temp.path().join("out");
    let output = clean(&[&dir], &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains(&broken.display().to_string()),
        "{}",
        describe(&output)
    );
    assert_good_was_cleaned(&out);
}

#[test]
fn malformed_jsonl_line_is_skipped_with_its_line_number() {
    let temp = TempDir::new().unwrap();
    let corpus = temp.path().join("corpus.jsonl");
    std::fs::write(
        &corpus,
        concat!(
            r#"{"id":"bridge","text":"Advertisement\nThe Harbour Bridge will close to all traffic from Monday.\n"}"#,
            "\n",
            r#"{"id":"broken","text":"The record was cut off mid-wr"#,
            "\n",
            r#"{"id":"budget","text":"The city council approved the budget late on Tuesday.\n"}"#,
            "\n",
            r#"{"id":"no-text","body":"The field is called body here."}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = temp.path().join("out");
    let output = clean(&[&corpus], &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    let shown = corpus.display().to_string();
    assert!(
        err.contains(&format!("{shown}:2")),
        "line 2 is named: {err}"
    );
    assert!(
        err.contains(&format!("{shown}:4")),
        "line 4 is named: {err}"
    );
    assert!(!err.contains(&format!("{shown}:1")) && !err.contains(&format!("{shown}:3")));
    assert_eq!(
        std::fs::read_to_string(out.join("clean/bridge.txt")).unwrap(),
        "The Harbour Bridge will close to all traffic from Monday.\n"
    );
    assert!(out.join("clean/budget.txt").exists());
    let ids: Vec<String> = report(&out).iter().map(|r| r["id"].to_string()).collect();
    assert_eq!(ids, ["\"bridge\"", "\"budget\""]);
}

/// The refusals: nothing is written, and the input is untouched.
fn assert_refused(output: &std::process::Output, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(2),
        "{what}: {}",
        describe(output)
    );
    assert!(
        stderr(output).contains("error"),
        "{what}: {}",
        describe(output)
    );
}

#[test]
fn output_inside_an_input_folder_is_refused_and_nothing_written() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let before = read_tree(&dir);
    let out = dir.join("out");
    let output = clean(&[&dir], &out, &[]);
    assert_refused(&output, "-o inside the input folder");
    assert!(
        stderr(&output).contains(&out.display().to_string()),
        "{}",
        describe(&output)
    );
    assert!(!out.exists(), "nothing was written");
    assert_eq!(read_tree(&dir), before);

    // Also when spelled through `..`.
    let roundabout = dir.join("sub/../out");
    let output = clean(&[&dir], &roundabout, &[]);
    assert_refused(&output, "-o inside the input folder, through ..");
    assert_eq!(read_tree(&dir), before);

    // And through a symbolic link that points into the input folder.
    let link = temp.path().join("link-to-input");
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    let output = clean(&[&dir], &link.join("out"), &[]);
    assert_refused(&output, "-o inside the input folder, through a symlink");
    assert_eq!(read_tree(&dir), before);
}

#[test]
fn output_equal_to_an_input_file_is_refused() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let file = dir.join("good.txt");
    let output = clean(&[&file], &file, &[]);
    assert_refused(&output, "-o equal to the input file");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), GOOD);
    assert_eq!(read_tree(&dir).len(), 1);
}

#[test]
fn input_inside_the_output_folder_is_refused() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    let inner = out.join("pages");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join("good.txt"), GOOD).unwrap();
    let before = read_tree(&out);
    let output = clean(&[&inner], &out, &[]);
    assert_refused(&output, "input inside the output folder");
    assert_eq!(read_tree(&out), before, "nothing was written");
}

#[test]
fn non_empty_folder_that_is_not_newsclean_output_is_refused() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let out = temp.path().join("thesis");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("chapter1.txt"), "My notes.\n").unwrap();
    let output = clean(&[&dir], &out, &[]);
    assert_refused(&output, "a non-empty folder of someone's files");
    assert_eq!(
        read_tree(&out).into_keys().collect::<Vec<_>>(),
        ["chapter1.txt"],
        "nothing was written"
    );
}

#[test]
fn earlier_output_folder_is_reused_without_stale_files() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let other = dir.join("other.txt");
    std::fs::write(
        &other,
        "The council met on Tuesday to discuss the budget.\n",
    )
    .unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&dir], &out, &[]);
    assert!(out.join("clean/other.txt").exists());
    std::fs::remove_file(&other).unwrap();
    clean_ok(&[&dir], &out, &[]);
    assert!(
        !out.join("clean/other.txt").exists(),
        "no clean file from the earlier run"
    );
    assert_eq!(report(&out).len(), 1);
    let names: Vec<String> = read_tree(&out).into_keys().collect();
    assert_eq!(
        names,
        [
            "clean/good.txt",
            "duplicates.jsonl",
            "removed.diff",
            "report.html",
            "report.jsonl"
        ]
    );
    clean_ok(&[&dir], &out, &["--no-dedup"]);
    let names: Vec<String> = read_tree(&out).into_keys().collect();
    assert_eq!(
        names,
        [
            "clean/good.txt",
            "removed.diff",
            "report.html",
            "report.jsonl"
        ],
        "no duplicates.jsonl left from the run that deduplicated"
    );
}

#[test]
fn folder_without_text_files_is_skipped_with_its_name() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let pages = temp.path().join("markdown-only");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(pages.join("index.md"), "# The council met.\n").unwrap();
    let out = temp.path().join("out");
    let output = clean(&[&pages, &dir], &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains(&pages.display().to_string()),
        "{}",
        describe(&output)
    );
    assert_good_was_cleaned(&out);
}

#[test]
fn output_that_is_an_existing_file_is_refused() {
    let temp = TempDir::new().unwrap();
    let dir = input_folder(&temp);
    let notes = temp.path().join("notes.txt");
    std::fs::write(&notes, "My notes.\n").unwrap();
    let output = clean(&[&dir], &notes, &[]);
    assert_refused(&output, "-o naming an existing file");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "My notes.\n");
}
