//! The review page: `report.html` written by `clean` and rebuilt by `newsclean report`, its
//! embedded data checked against `report.jsonl` and the inputs, and (when Chromium is there)
//! the page opened in a headless browser.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// The page's embedded JSON: the index and each document's lines, in order.
struct Page {
    html: String,
    index: Value,
    details: Vec<Value>,
}

fn page(out: &Path) -> Page {
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html exists");
    let re =
        regex::Regex::new(r#"<script type="application/json" id="(index|d\d+)">(.*?)</script>"#)
            .unwrap();
    let mut index = Value::Null;
    let mut details = Vec::new();
    for caps in re.captures_iter(&html) {
        let value: Value = serde_json::from_str(&caps[2]).expect("embedded JSON parses");
        if &caps[1] == "index" {
            index = value;
        } else {
            assert_eq!(&caps[1], format!("d{}", details.len()), "details in order");
            details.push(value);
        }
    }
    assert!(!index.is_null(), "the page embeds its index");
    Page {
        html,
        index,
        details,
    }
}

/// A document's whole text as the page shows it: kept lines and removed spans in line order.
fn page_text(detail: &Value) -> String {
    let mut text = String::new();
    for item in detail["items"].as_array().unwrap() {
        match item {
            Value::String(line) => {
                text.push_str(line);
                text.push('\n');
            }
            span => text.push_str(span[4].as_str().unwrap()),
        }
    }
    text
}

const STORY: &str = "The city council voted on Tuesday to approve a new budget for the coming year, after a long debate about road repairs.\n\
The mayor said the plan would keep taxes flat while paying for two new bus routes across the northern districts.\n\
Opposition members argued that the spending on consultants had grown too quickly and asked for an independent review.\n\
The budget passes to the regional authority next month, where officials are expected to sign it without changes.\n";

/// A small corpus: two pages of one site with shared chrome, a copy of one of them, and a
/// page whose removed line holds markup that must not break the page.
fn corpus(temp: &TempDir) -> PathBuf {
    let dir = temp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let page = |story: &str| {
        format!(
            "Home\nNews\nSport\nAdvertisement\n{story}Share this article\nRead more:\nYou may also like\nLocal team wins the cup\n"
        )
    };
    std::fs::write(dir.join("a.txt"), page(STORY)).unwrap();
    std::fs::write(
        dir.join("b.txt"),
        page(&STORY.replace("budget", "spending plan")),
    )
    .unwrap();
    std::fs::write(dir.join("c.txt"), page(STORY)).unwrap();
    std::fs::write(
        dir.join("d.txt"),
        "Advertisement\n</script><script>alert(1)</script>\n\
         Firefighters spent the night at the harbour after a warehouse fire spread to two fishing boats.\n\
         Nobody was hurt, the fire service said, but the quay will stay closed while engineers check it.\n",
    )
    .unwrap();
    dir
}

#[test]
fn clean_writes_a_page_that_accounts_for_every_document() {
    let temp = TempDir::new().unwrap();
    let input = corpus(&temp);
    let out = temp.path().join("out");
    clean_ok(&[&input], &out, &[]);
    let report = report(&out);
    let page = page(&out);

    let docs = page.index["docs"].as_array().unwrap();
    assert_eq!(docs.len(), report.len());
    assert_eq!(page.details.len(), report.len());
    let bytes_in: u64 = report.iter().map(|r| r["bytes_in"].as_u64().unwrap()).sum();
    let bytes_out: u64 = report
        .iter()
        .map(|r| r["bytes_out"].as_u64().unwrap())
        .sum();
    assert!(page
        .html
        .contains(&format!("<dd id=\"sum-documents\">{}</dd>", report.len())));
    assert!(page.html.contains(&format!(
        "<dd id=\"sum-bytes-in\">{}</dd>",
        thousands(bytes_in)
    )));
    assert!(page.html.contains(&format!(
        "<dd id=\"sum-bytes-out\">{}</dd>",
        thousands(bytes_out)
    )));
    assert!(page
        .html
        .contains("<dd id=\"sum-duplicates\">1 copy of 1 story</dd>"));
    // One bar per rule that removed bytes.
    let rules: std::collections::BTreeSet<String> = report
        .iter()
        .flat_map(|r| spans(r).into_iter().map(|s| s.2))
        .collect();
    assert!(!rules.is_empty());
    for rule in &rules {
        assert!(
            page.html.contains(&format!("<title>{rule}: ")),
            "a bar for {rule}"
        );
    }

    // Every document's text comes back whole from its kept and removed lines, except the
    // dropped copy, whose clean text was not written.
    for (record, (doc, detail)) in report.iter().zip(docs.iter().zip(&page.details)) {
        let id = record["id"].as_str().unwrap();
        assert_eq!(doc[0], record["id"]);
        if record["duplicate_of"].is_null() {
            let raw = std::fs::read_to_string(input.join(format!("{id}.txt"))).unwrap();
            assert_eq!(page_text(detail), raw, "{id}: page text");
            assert!(detail["note"].is_null(), "{id}: {}", detail["note"]);
        } else {
            assert_eq!(id, "c");
            assert!(detail["note"].as_str().unwrap().contains("not written"));
            let comparison = detail["comparison"].as_str().expect("a comparison");
            assert!(comparison.starts_with("c: dropped as a copy of a"));
        }
    }

    // Markup in a page cannot close the data element: the only `</script>` are the page's.
    assert!(page.html.contains("alert(1)"));
    assert_eq!(
        page.html.matches("</script>").count(),
        report.len() + 2,
        "index, one per document, and the script"
    );
    // Self-contained: nothing is fetched.
    for external in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(
            !page.html.contains(external),
            "no external asset: {external}"
        );
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `clean` builds the page from the documents it writes; `newsclean report` from the files.
/// Both must give the same page, with copies dropped or kept, clean text in files or JSONL.
#[test]
fn report_command_rebuilds_the_same_page() {
    let temp = TempDir::new().unwrap();
    let input = corpus(&temp);
    let flags: [&[&str]; 5] = [
        &[],
        &["--keep-duplicates"],
        &["--format", "jsonl"],
        &["--format", "jsonl", "--keep-duplicates"],
        &["--no-dedup"],
    ];
    for (n, flags) in flags.iter().enumerate() {
        let out = temp.path().join(format!("out-{n}"));
        clean_ok(&[&input], &out, flags);
        let first = std::fs::read(out.join("report.html")).unwrap();
        if flags.is_empty() {
            let page = page(&out);
            assert_eq!(
                page.index["clusters"].as_array().unwrap().len(),
                1,
                "copies found"
            );
            assert!(page.details.iter().any(|d| d["comparison"].is_string()));
        }
        std::fs::remove_file(out.join("report.html")).unwrap();
        let output = run(["report".as_ref(), out.as_os_str()]);
        assert!(output.status.success(), "{}", describe(&output));
        assert_eq!(
            String::from_utf8(std::fs::read(out.join("report.html")).unwrap()).unwrap(),
            String::from_utf8(first).unwrap(),
            "{flags:?}"
        );
        // No temporary file is left beside it.
        let names: Vec<String> = read_tree(&out).into_keys().collect();
        assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    }
}

#[test]
fn report_command_names_a_bad_report_line() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("report.jsonl"), "{\"id\":\"a\"}\nnot json\n").unwrap();
    let output = run(["report".as_ref(), out.as_os_str()]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("report.jsonl:1"),
        "{}",
        describe(&output)
    );
    assert!(!out.join("report.html").exists());
    let missing = run(["report".as_ref(), temp.path().join("none").as_os_str()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read"));
}

#[test]
fn page_reads_clean_text_from_clean_jsonl() {
    let temp = TempDir::new().unwrap();
    let input = corpus(&temp);
    let out = temp.path().join("out");
    clean_ok(&[&input], &out, &["--format", "jsonl", "--keep-duplicates"]);
    let page = page(&out);
    for (doc, detail) in page.index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&page.details)
    {
        let id = doc[0].as_str().unwrap();
        let raw = std::fs::read_to_string(input.join(format!("{id}.txt"))).unwrap();
        assert_eq!(page_text(detail), raw, "{id}");
        assert!(detail["note"].is_null(), "{id}: {}", detail["note"]);
    }
}

#[test]
fn html_pages_show_their_page_text() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&fixture("html")], &out, &["--no-dedup"]);
    let page = page(&out);
    let report = report(&out);
    assert_eq!(page.details.len(), report.len());
    for (record, detail) in report.iter().zip(&page.details) {
        assert!(
            detail["note"].is_null(),
            "{}: {}",
            record["id"],
            detail["note"]
        );
        let removed: usize = spans(record).iter().map(|s| s.3.len()).sum();
        let shown: usize = detail["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i.get(4).and_then(Value::as_str))
            .map(str::len)
            .sum();
        assert_eq!(shown, removed);
    }
}

/// The Chromium binary, if installed. Under CI (which installs it) its absence fails the test.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new(name)
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if found {
            return Some(PathBuf::from(name));
        }
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "chromium is not installed; CI must run the browser test (.ci/run installs it)"
    );
    eprintln!("skipping the browser test: chromium is not installed (apt-get install chromium)");
    None
}

/// The page's DOM after its script ran, with `fragment` as the URL hash.
fn dump_dom(browser: &Path, page: &Path, fragment: &str) -> String {
    let profile = TempDir::new().unwrap();
    let url = format!("file://{}#{fragment}", page.display());
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "{}", describe(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn shown_rows(dom: &str) -> usize {
    dom.matches("<tr class=\"doc").count()
}

#[test]
fn browser_shows_summary_documents_removals_and_filters() {
    let Some(browser) = chromium() else {
        return;
    };
    let temp = TempDir::new().unwrap();
    let input = corpus(&temp);
    let out = temp.path().join("out");
    clean_ok(&[&input], &out, &[]);
    let page_path = std::fs::canonicalize(out.join("report.html")).unwrap();
    let report = report(&out);

    let dom = dump_dom(&browser, &page_path, "");
    assert!(dom.contains("<dd id=\"sum-documents\">4</dd>"), "summary");
    assert_eq!(shown_rows(&dom), report.len(), "every document listed");
    assert!(dom.contains("id=\"cluster-list\""), "duplicate clusters");

    // Document "d" lost its advertisement line: struck through and labelled with the rule.
    let n = report.iter().position(|r| r["id"] == "d").unwrap();
    let rule = spans(&report[n])[0].2.clone();
    let dom = dump_dom(&browser, &page_path, &format!("doc={n}"));
    assert!(
        dom.contains("<h2 id=\"detail-title\">d</h2>"),
        "document opened"
    );
    assert!(
        dom.contains("<del>Advertisement</del>"),
        "removed line struck"
    );
    assert!(
        dom.contains(&format!("class=\"label\" data-rule=\"{rule}\"")),
        "removal labelled with {rule}"
    );
    // The hover text: the rule's description and the reason for this removal.
    let why = &report[n]["removed"][0]["why"];
    assert!(
        dom.contains(&format!(
            "why: {}",
            why.as_str()
                .unwrap()
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        )),
        "hover shows why: {why}"
    );
    let side = dump_dom(&browser, &page_path, &format!("doc={n}&view=side"));
    assert!(side.contains("id=\"side\""), "side-by-side view");

    // A rule only some documents fired shrinks the list to them.
    let only_some = report
        .iter()
        .flat_map(|r| spans(r).into_iter().map(|s| s.2))
        .find(|rule| {
            let with = report
                .iter()
                .filter(|r| spans(r).iter().any(|s| &s.2 == rule))
                .count();
            with > 0 && with < report.len()
        })
        .expect("a rule that fired on some documents only");
    let expected = report
        .iter()
        .filter(|r| spans(r).iter().any(|s| s.2 == only_some))
        .count();
    let dom = dump_dom(&browser, &page_path, &format!("rule={only_some}"));
    assert_eq!(shown_rows(&dom), expected, "filtered by {only_some}");
    assert!(expected < report.len());
    assert!(dom.contains(&format!("data-count=\"{expected}\"")));
}

/// Five pages of one site: the same header and footer lines around different stories; one
/// page quotes a footer line inside its story.
fn site_corpus(temp: &TempDir) -> PathBuf {
    let dir = temp.path().join("site");
    std::fs::create_dir_all(&dir).unwrap();
    let stories = [
        "The harbour authority approved a plan to dredge the main channel before the winter storms arrive next month.",
        "Teachers at the northern college voted to accept a pay offer after three weeks of talks with the regional board.",
        "A new cycle path linking the station to the hospital opened on Monday, two years later than the council first promised.",
        "The museum will reopen its east wing in spring after repairs to a roof damaged by the heavy snow in January.",
        "Farmers in the valley say the dry summer cut their harvest by a third and asked the ministry for emergency support.",
    ];
    for (n, story) in stories.iter().enumerate() {
        let mut page = String::from(
            "Skip to main content\nHarbour Gazette Online Edition\nLatest Headlines Today\n",
        );
        page.push_str(story);
        page.push('\n');
        if n == 0 {
            // The footer line inside the story: never to be proposed.
            page.push_str("Contact the newsroom desk\n");
        }
        page.push_str("Officials said more details about the plan, its cost and the timetable would be published later in the week, once the budget is final.\n");
        page.push_str(
            "Contact the newsroom desk\nAll rights reserved by Harbour Gazette Media Group\n",
        );
        std::fs::write(dir.join(format!("p{n}.txt")), page).unwrap();
    }
    dir
}

#[test]
fn suggest_proposes_recurring_chrome_that_passes_its_examples() {
    let temp = TempDir::new().unwrap();
    let dir = site_corpus(&temp);
    let output = run([
        "rules".as_ref(),
        "suggest".as_ref(),
        dir.as_os_str(),
        "--site".as_ref(),
        "gazette.example".as_ref(),
    ]);
    assert!(output.status.success(), "{}", describe(&output));
    let toml = stdout(&output);
    // Header and footer lines are on the same pages: one rule, in page order.
    assert!(
        toml.contains("match.line = [\"Harbour Gazette Online Edition\", \"Latest Headlines Today\", \"All rights reserved by Harbour Gazette Media Group\"]"),
        "{toml}"
    );
    assert!(toml.contains("sites = [\"gazette.example\"]"), "{toml}");
    // Inside the article on one page: never proposed, though it recurs on every page.
    let phrases: Vec<&str> = toml
        .lines()
        .filter(|l| l.starts_with("match.line"))
        .collect();
    assert!(
        !phrases
            .iter()
            .any(|l| l.contains("Contact the newsroom desk")),
        "{toml}"
    );
    // The removing example is taken from the corpus.
    assert!(
        toml.contains("expect = \"\"\"\nThe harbour authority approved"),
        "{toml}"
    );

    let file = temp.path().join("suggested.toml");
    std::fs::write(&file, &toml).unwrap();
    let test = run([
        "rules".as_ref(),
        "test".as_ref(),
        "--no-default-rules".as_ref(),
        "--rules".as_ref(),
        file.as_os_str(),
    ]);
    assert!(test.status.success(), "{}\n{toml}", describe(&test));
    assert!(stdout(&test).contains(" 0 failed"), "{}", stdout(&test));
}

#[test]
fn lint_reports_static_problems_and_what_a_corpus_shows() {
    let temp = TempDir::new().unwrap();
    let rules = temp.path().join("r.toml");
    std::fs::write(
        &rules,
        r#"
[[rule]]
id = "t.share"
description = "share prompts"
match.contains = ["share"]
action = "drop"
[[rule.example]]
input = "Share\nThe council met.\n"
expect = "The council met.\n"
[[rule.example]]
input = "The council met.\n"

[[rule]]
id = "t.share-this"
description = "share this"
match.line = ["Share this"]
action = "drop"

[[rule]]
id = "t.blank"
description = "anything"
match.regex = ".*"
action = "drop"
enabled = false

[[rule]]
id = "t.never"
description = "never seen"
match.line = ["Zebra crossing menu"]
action = "drop"

[[rule]]
id = "t.officials"
description = "removes article text"
match.contains = ["officials said more details"]
action = "drop"
"#,
    )
    .unwrap();
    let args = |extra: &[&std::ffi::OsStr]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "rules".as_ref(),
            "lint".as_ref(),
            "--no-default-rules".as_ref(),
            "--rules".as_ref(),
            rules.as_os_str(),
        ];
        args.extend_from_slice(extra);
        run(args)
    };
    let output = args(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let text = stdout(&output);
    assert!(
        text.contains("t.share-this (") && text.contains("shadowed by t.share"),
        "{text}"
    );
    assert!(
        text.contains("t.blank (") && text.contains("matches an empty line"),
        "{text}"
    );
    assert!(
        text.contains("t.never (") && text.contains("no examples"),
        "{text}"
    );
    assert!(!text.contains("never fired"), "{text}");

    let corpus = site_corpus(&temp);
    let output = args(&["--corpus".as_ref(), corpus.as_os_str()]);
    let text = stdout(&output);
    assert!(
        text.contains("t.never (") && text.contains("never fired on the corpus (5 documents)"),
        "{text}"
    );
    assert!(
        text.contains("t.officials (") && text.contains("removed 5 sentence-like lines"),
        "{text}"
    );
    assert!(
        text.contains("\"Officials said more details about the plan"),
        "{text}"
    );
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let temp = TempDir::new().unwrap();
    let input = corpus(&temp);
    let out = temp.path().join("out");
    let output = run([
        "clean".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", describe(&output));
    let err = stderr(&output);
    assert!(
        err.contains("documents read"),
        "the summary is there: {err}"
    );
    assert!(!err.contains('\r') && !err.contains("docs/s"), "{err:?}");
}
