//! The `clean` and `diff` commands from the outside: JSONL in and out, ids that stay unique
//! across inputs, standard input, gzip, `--site`, the summary, and the terminal diff with
//! and without colour.

mod common;

use common::*;
use serde_json::{Map, Value};
use std::io::Write;
use std::path::Path;
use tempfile::TempDir;

fn read_jsonl(path: &Path) -> Vec<Map<String, Value>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|line| match serde_json::from_str(line) {
            Ok(Value::Object(map)) => map,
            other => panic!("not a JSON object: {line} ({other:?})"),
        })
        .collect()
}

#[test]
fn jsonl_format_keeps_every_other_field_of_the_record() {
    let temp = TempDir::new().unwrap();
    let input = fixture("jsonl/records.jsonl");
    let out = temp.path().join("out");
    clean_ok(&[&input], &out, &["--format", "jsonl"]);
    assert!(
        !out.join("clean").exists(),
        "no clean/ folder with --format jsonl"
    );

    let records = read_jsonl(&input);
    let cleaned = read_jsonl(&out.join("clean.jsonl"));
    assert_eq!(cleaned.len(), records.len());
    for (before, after) in records.iter().zip(&cleaned) {
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "same fields in the same order"
        );
        for (key, value) in before {
            if key != "text" {
                assert_eq!(&after[key], value, "field {key} kept as it was");
            }
        }
    }
    let text = |n: usize| cleaned[n]["text"].as_str().unwrap().to_string();
    assert_eq!(
        text(0),
        "Harbour Bridge to Close for Six Weeks of Repairs\n\nThe Harbour Bridge will close to all traffic from Monday while engineers replace two corroded bearings, the regional transport authority said on Thursday.\nBuses will run on a diversion through the old town, adding about 20 minutes to journeys at peak times.\n"
    );
    assert!(!text(1).contains("Share this article"));
    assert_eq!(
        text(2),
        "The city council approved next year's budget late on Tuesday after a debate that lasted more than six hours.\nCouncillors voted 9-4 in favour, with two abstentions.\n"
    );

    // The report: ids from the id field (numbers too), or file stem and line number; the
    // site from the URL's host.
    let report = report(&out);
    let ids: Vec<&str> = report.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["harbour-bridge", "20260123", "records-3"]);
    assert_eq!(report[0]["site"], "example-news.com");
    assert_eq!(report[1]["site"], "news.example.org");
    assert_eq!(
        report[0]["url"],
        "https://www.example-news.com/local/harbour-bridge"
    );
    assert_eq!(report[2]["site"], Value::Null);
}

#[test]
fn jsonl_format_writes_the_other_fields_as_they_were_written() {
    // Numbers, escapes and spacing a parsed map would write otherwise (`1.1`, `1000.0`,
    // `"é"`, `[1,2]`, a key `text`), a key given twice, an HTML field in the middle, a bad
    // line between good ones, and bytes that are not UTF-8.
    let temp = TempDir::new().unwrap();
    let input = temp.path().join("crawl.jsonl");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(
        br#"{"id":"a", "score": 1.10 ,"seen":1e3,"by":"Ren\u00e9e \/ desk","tags":[1, 2],"te\u0078t":"Advertisement\nThe harbour ferry returned to service on Friday.\n","id":"a2"}"#,
    );
    bytes.extend_from_slice(b"\n{\"id\":\"b\",\"text\":\"cut off\n");
    bytes.extend_from_slice(
        b"{\"id\":\"c\",\"note\":\"caf\xff\",\"text\":\"The council met on Tuesday.\\n\"}\n",
    );
    std::fs::write(&input, bytes).unwrap();
    let out = temp.path().join("out");
    let output = clean(&[&input], &out, &["--format", "jsonl", "--no-dedup"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    let shown = input.display().to_string();
    assert!(
        err.contains(&format!(
            "{shown}:2: not valid JSON: EOF while parsing a string"
        )),
        "{err}"
    );
    assert!(err.contains("1 invalid UTF-8 sequences replaced"), "{err}");
    let written = std::fs::read_to_string(out.join("clean.jsonl")).unwrap();
    assert_eq!(
        written,
        concat!(
            r#"{"id":"a2","score":1.10,"seen":1e3,"by":"Ren\u00e9e \/ desk","tags":[1, 2],"te\u0078t":"The harbour ferry returned to service on Friday.\n"}"#,
            "\n",
            "{\"id\":\"c\",\"note\":\"caf\u{FFFD}\",\"text\":\"The council met on Tuesday.\\n\"}\n",
        )
    );
    let ids: Vec<String> = report(&out).iter().map(|r| r["id"].to_string()).collect();
    assert_eq!(ids, ["\"a2\"", "\"c\""]);

    // A page from an HTML field: the field goes, the fields after it keep their order.
    let page = std::fs::read_to_string(fixture("html/harbour_article.html")).unwrap();
    let record = format!(
        r#"{{"id":"p","html":{},"crawl":"2026-03","rank":1.50,"text":null}}"#,
        serde_json::to_string(&page).unwrap()
    );
    std::fs::write(&input, record + "\n").unwrap();
    let out = temp.path().join("out-html");
    clean_ok(
        &[&input],
        &out,
        &["--html-field", "html", "--format", "jsonl"],
    );
    let written = std::fs::read_to_string(out.join("clean.jsonl")).unwrap();
    assert!(
        written.starts_with(r#"{"id":"p","crawl":"2026-03","rank":1.50,"text":"#),
        "{written}"
    );
    assert!(written.contains("The harbour ferry returned"), "{written}");
}

#[test]
fn jsonl_with_other_field_names() {
    let temp = TempDir::new().unwrap();
    let input = temp.path().join("crawl.json");
    std::fs::write(
        &input,
        r#"{"key":"flood","link":"https://regional.example.com/flood","body":"Advertisement\nFlood warnings were issued for 12 communities along the river on Sunday.\n","text":"not this field"}
"#,
    )
    .unwrap();
    let out = temp.path().join("out");
    clean_ok(
        &[&input],
        &out,
        &[
            "--jsonl",
            "--text-field",
            "body",
            "--id-field",
            "key",
            "--url-field",
            "link",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(out.join("clean/flood.txt")).unwrap(),
        "Flood warnings were issued for 12 communities along the river on Sunday.\n"
    );
    let report = report(&out);
    assert_eq!(report[0]["url"], "https://regional.example.com/flood");
    assert_eq!(report[0]["site"], "regional.example.com");
}

#[test]
fn text_input_with_jsonl_format_gets_id_and_text() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    let input = fixture("text/no_final_newline.txt");
    clean_ok(&[&input], &out, &["--format", "jsonl"]);
    let cleaned = read_jsonl(&out.join("clean.jsonl"));
    assert_eq!(cleaned.len(), 1);
    assert_eq!(cleaned[0]["id"], "no_final_newline");
    let text = cleaned[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Factory Orders Rise for Third Month in a Row\n"),
        "{text}"
    );
}

#[test]
fn ids_stay_unique_across_inputs() {
    let temp = TempDir::new().unwrap();
    let first = temp.path().join("monday");
    let second = temp.path().join("tuesday");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    let monday = "The council met on Monday to discuss the budget.\n";
    let tuesday = "The council met again on Tuesday and approved the budget.\n";
    std::fs::write(first.join("a.txt"), monday).unwrap();
    std::fs::write(second.join("a.txt"), tuesday).unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&first, &second], &out, &[]);
    let report = report(&out);
    let ids: Vec<&str> = report.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    for record in &report {
        let id = record["id"].as_str().unwrap();
        let source = record["source"].as_str().unwrap();
        let clean = std::fs::read_to_string(out.join("clean").join(format!("{id}.txt"))).unwrap();
        let expected = if source.contains("monday") {
            monday
        } else {
            tuesday
        };
        assert_eq!(clean, expected, "{id} holds the text of {source}");
    }
    assert_eq!(read_tree(&out.join("clean")).len(), 2);
}

#[test]
fn ids_keep_sub_folders() {
    let temp = TempDir::new().unwrap();
    let input = temp.path().join("site");
    std::fs::create_dir_all(input.join("2026/01")).unwrap();
    std::fs::write(
        input.join("2026/01/budget.txt"),
        "The council approved the budget on Tuesday.\n",
    )
    .unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&input], &out, &[]);
    assert_eq!(report(&out)[0]["id"], "2026/01/budget");
    assert!(out.join("clean/2026/01/budget.txt").exists());
}

#[test]
fn stdin_is_read_with_a_dash() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    let assert = newsclean()
        .args(["clean", "-", "-o"])
        .arg(&out)
        .arg("--quiet")
        .write_stdin("Connect with us\nThe council met on Tuesday to discuss the budget.\n")
        .assert()
        .code(0);
    drop(assert);
    assert_eq!(
        std::fs::read_to_string(out.join("clean/stdin.txt")).unwrap(),
        "The council met on Tuesday to discuss the budget.\n"
    );
    let report = report(&out);
    assert_eq!(report[0]["source"], "<stdin>");

    // JSONL on standard input.
    let out = temp.path().join("out-jsonl");
    newsclean()
        .args(["clean", "-", "--jsonl", "--quiet", "-o"])
        .arg(&out)
        .write_stdin(
            "{\"id\":\"one\",\"text\":\"Advertisement\\nThe vote was 7-2 on Tuesday evening.\\n\"}\n",
        )
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(out.join("clean/one.txt")).unwrap(),
        "The vote was 7-2 on Tuesday evening.\n"
    );

    // An HTML page on standard input is read as HTML: its markup is not text.
    let out = temp.path().join("out-html");
    newsclean()
        .args(["clean", "-", "--quiet", "-o"])
        .arg(&out)
        .write_stdin(
            "<!DOCTYPE html><html><body><nav><a href=\"/\">Home</a></nav><article>\
             <p>The council met on Tuesday to discuss the budget for the coming year.</p>\
             </article></body></html>",
        )
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(out.join("clean/stdin.txt")).unwrap(),
        "The council met on Tuesday to discuss the budget for the coming year.\n"
    );
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn gzip_input_is_read() {
    let temp = TempDir::new().unwrap();
    let input = temp.path().join("dumps");
    std::fs::create_dir_all(input.join("local")).unwrap();
    let page = std::fs::read(fixture("text/crlf_page_dump.txt")).unwrap();
    std::fs::write(input.join("local/bridge.txt.gz"), gzip(&page)).unwrap();
    let single = temp.path().join("seed.txt.gz");
    let seed = std::fs::read(examples().join("004_501065e9a06ffd9b.txt")).unwrap();
    std::fs::write(&single, gzip(&seed)).unwrap();
    let jsonl = temp.path().join("records.jsonl.gz");
    std::fs::write(
        &jsonl,
        gzip(&std::fs::read(fixture("jsonl/records.jsonl")).unwrap()),
    )
    .unwrap();

    let out = temp.path().join("out");
    clean_ok(&[&input, &single, &jsonl], &out, &[]);
    let plain = temp.path().join("plain");
    clean_ok(&[&fixture("text/crlf_page_dump.txt")], &plain, &[]);
    assert_eq!(
        std::fs::read(out.join("clean/local/bridge.txt")).unwrap(),
        std::fs::read(plain.join("clean/crlf_page_dump.txt")).unwrap(),
        "a gzipped page is cleaned like the plain one"
    );
    let clean_seed = std::fs::read_to_string(out.join("clean/seed.txt")).unwrap();
    assert!(clean_seed.starts_with("Russia Escalates Missile and Drone Assaults"));
    let ids: Vec<String> = report(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "local/bridge",
            "seed",
            "harbour-bridge",
            "20260123",
            "records-3"
        ]
    );
}

#[test]
fn site_flag_scopes_site_rules() {
    let temp = TempDir::new().unwrap();
    let page = "The Harbour Bridge will close to all traffic from Monday, the authority said.\nRead this story in the Example News app\n";
    let input = temp.path().join("bridge.txt");
    std::fs::write(&input, page).unwrap();
    let rules = fixture("rules/site_scoped.toml");
    let rules = rules.to_str().unwrap();

    let out = temp.path().join("other-site");
    clean_ok(&[&input], &out, &["--rules", rules]);
    assert_eq!(
        std::fs::read_to_string(out.join("clean/bridge.txt")).unwrap(),
        page
    );

    for site in [
        "example-news.com",
        "www.example-news.com",
        "local.example-news.com",
    ] {
        let out = temp.path().join(format!("site-{site}"));
        clean_ok(&[&input], &out, &["--rules", rules, "--site", site]);
        assert_eq!(
            std::fs::read_to_string(out.join("clean/bridge.txt")).unwrap(),
            "The Harbour Bridge will close to all traffic from Monday, the authority said.\n",
            "--site {site}"
        );
    }
    // A host that only ends in the same letters is another site.
    let out = temp.path().join("lookalike");
    clean_ok(
        &[&input],
        &out,
        &["--rules", rules, "--site", "notexample-news.com"],
    );
    assert_eq!(
        std::fs::read_to_string(out.join("clean/bridge.txt")).unwrap(),
        page
    );
}

#[test]
fn summary_goes_to_stderr_unless_quiet() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    let output = run([
        "clean".as_ref(),
        examples().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(
        stdout(&output).is_empty(),
        "results go to files, not stdout"
    );
    let err = stderr(&output);
    assert!(err.contains("5 documents read"), "{err}");
    assert!(
        err.contains("related.you-may-also-like"),
        "top rules listed: {err}"
    );

    let out = temp.path().join("quiet");
    let output = clean(&[&examples()], &out, &[]);
    assert!(stderr(&output).is_empty(), "{}", describe(&output));
}

#[test]
fn usage_errors_exit_2() {
    let output = run(["clean", "examples"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "no -o: {}",
        describe(&output)
    );
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    let output = clean(&[&examples()], &out, &["--format", "xml"]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(!out.exists());
}

#[test]
fn diff_without_colour_shows_rule_ids_and_reasons() {
    let seed = examples().join("004_501065e9a06ffd9b.txt");
    let output = run([
        "diff".as_ref(),
        "--color".as_ref(),
        "never".as_ref(),
        seed.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let out = stdout(&output);
    assert!(!out.contains('\x1b'), "no escape codes: {out:?}");
    assert!(
        out.starts_with(&format!("--- {}\n+++ ", seed.display())),
        "{out}"
    );
    let connect = out
        .lines()
        .find(|l| l.starts_with("-Connect with us"))
        .unwrap_or_else(|| panic!("removed line shown:\n{out}"));
    assert!(connect.contains("chrome.connect-with-us"), "{connect}");
    let marker = out
        .lines()
        .find(|l| l.starts_with("-You May Also Like"))
        .unwrap_or_else(|| panic!("marker shown:\n{out}"));
    assert!(marker.contains("related.you-may-also-like"), "{marker}");
    assert!(out.lines().any(|l| l.starts_with("@@ ")), "hunk headers");
    // The headline is context, not removed.
    assert!(
        out.lines()
            .any(|l| l.starts_with(" Russia Escalates Missile")),
        "{out}"
    );

    // An unchanged document shows nothing.
    let output = run([
        "diff".as_ref(),
        "--color".as_ref(),
        "never".as_ref(),
        examples().join("000_3de3fbf541c67ce2.txt").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
}

#[test]
fn diff_with_colour_always_has_escape_codes() {
    let seed = examples().join("004_501065e9a06ffd9b.txt");
    let output = run([
        "diff".as_ref(),
        "--color".as_ref(),
        "always".as_ref(),
        seed.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let out = stdout(&output);
    assert!(out.contains("\x1b["), "escape codes: {out:?}");
    assert!(out.contains("chrome.connect-with-us"));
    // Colour is decoration only: without the escape codes the text is the same.
    let plain = stdout(&run([
        "diff".as_ref(),
        "--color".as_ref(),
        "never".as_ref(),
        seed.as_os_str(),
    ]));
    assert_eq!(strip_ansi(&out), plain);
}

/// Removes `ESC [ ... m` colour sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn diff_of_a_missing_file_names_it_and_exits_1() {
    let temp = TempDir::new().unwrap();
    let missing = temp.path().join("gone.txt");
    let seed = examples().join("004_501065e9a06ffd9b.txt");
    let output = run([
        "diff".as_ref(),
        "--color".as_ref(),
        "never".as_ref(),
        missing.as_os_str(),
        seed.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(stderr(&output).contains(&missing.display().to_string()));
    assert!(
        stdout(&output).contains("chrome.connect-with-us"),
        "the other file is shown"
    );
}

#[test]
fn jsonl_ids_stay_unique_and_inside_the_output_folder() {
    let temp = TempDir::new().unwrap();
    let input = temp.path().join("crawl.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id":"../../escape","text":"The council met on Tuesday to discuss the budget."}"#,
            "\n",
            r#"{"id":"story","text":"The first story about the bridge closure."}"#,
            "\n",
            r#"{"id":"story","text":"The second story about the flood warnings."}"#,
            "\n",
            r#"{"id":"/var/tmp/absolute","text":"The third story about factory orders."}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&input], &out, &[]);
    let report = report(&out);
    let ids: Vec<&str> = report.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4);
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), 4, "{ids:?}");
    // Every clean file is inside OUT/clean, and nothing was written next to OUT.
    let clean_dir = out.join("clean");
    let files = read_tree(&clean_dir);
    assert_eq!(files.len(), 4, "{:?}", files.keys());
    for id in &ids {
        let path = clean_dir.join(format!("{id}.txt"));
        assert!(path.is_file(), "{id}");
        let resolved = path.canonicalize().unwrap();
        assert!(
            resolved.starts_with(clean_dir.canonicalize().unwrap()),
            "{id} escapes"
        );
    }
    let mut around: Vec<String> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    around.sort();
    assert_eq!(around, ["crawl.jsonl", "out"]);
    let texts: Vec<String> = ids
        .iter()
        .map(|id| std::fs::read_to_string(clean_dir.join(format!("{id}.txt"))).unwrap())
        .collect();
    assert!(texts[1].contains("first story") && texts[2].contains("second story"));
}

#[test]
fn report_records_have_the_documented_fields() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&examples(), &fixture("jsonl/records.jsonl")], &out, &[]);
    let report = report(&out);
    assert_eq!(report.len(), 8);
    for record in &report {
        let map = record.as_object().expect("a JSON object");
        for key in [
            "id",
            "source",
            "site",
            "url",
            "bytes_in",
            "bytes_out",
            "lines_in",
            "lines_out",
            "removed",
            "normalized",
            "duplicate_of",
            "similarity",
            "containment",
        ] {
            assert!(map.contains_key(key), "{key} in {record}");
        }
        assert!(record["id"].is_string() && record["source"].is_string());
        for key in ["bytes_in", "bytes_out", "lines_in", "lines_out"] {
            assert!(record[key].is_u64(), "{key} is a count: {record}");
        }
        assert!(record["site"].is_string() || record["site"].is_null());
        assert!(record["url"].is_string() || record["url"].is_null());
        for span in record["removed"].as_array().unwrap() {
            let lines = span["lines"].as_array().expect("lines: [first, last]");
            assert_eq!(lines.len(), 2);
            assert!(lines[0].as_u64().unwrap() >= 1);
            assert!(lines[0].as_u64() <= lines[1].as_u64());
            assert!(!span["rule"].as_str().unwrap().is_empty());
            assert!(
                !span["why"].as_str().unwrap().is_empty(),
                "a reason: {span}"
            );
            assert!(span["text"].is_string());
        }
        for (rule, count) in record["normalized"].as_object().unwrap() {
            assert!(rule.starts_with("normalize."), "{rule}");
            assert!(count.as_u64().unwrap() >= 1);
        }
    }
    // Records come in input order: the seeds by name, then the JSONL lines.
    let sources: Vec<&str> = report
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    let mut seeds: Vec<&str> = sources[..5].to_vec();
    seeds.sort();
    assert_eq!(seeds, sources[..5]);
    assert!(sources[5].ends_with("records.jsonl:1") && sources[7].ends_with("records.jsonl:3"));
}

/// Pages of one site in one run: the menu and footer lines every page carries go, each
/// with the repeated-line detector's id in the report; the stories and their headlines stay;
/// pages of another site (a second input) are counted apart.
#[test]
fn lines_repeated_across_a_sites_pages_are_removed() {
    let temp = TempDir::new().unwrap();
    let site = temp.path().join("site");
    let other = temp.path().join("other");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    let stories = [
        ("bridge", "Harbour Bridge Reopens", "The harbour bridge reopened on Monday after six months of repairs to its main span, the city said."),
        ("budget", "Council Sets Budget", "The council set its budget for the coming year on Tuesday evening after a short and quiet debate."),
        ("school", "School Wins Award", "A primary school in the north of the city won a national award for its reading programme this week."),
    ];
    for (name, title, body) in stories {
        let page = format!("{title}\nHome\nLocal news\nWeather\n{title}\n{body}\nCookie settings\nContact the newsroom\n");
        std::fs::write(site.join(format!("{name}.txt")), &page).unwrap();
    }
    // One page of another site with the same menu: only one page there, so nothing repeats.
    std::fs::write(other.join("lone.txt"), "Lone Story\nHome\nLocal news\nWeather\nLone Story\nA story with the same menu on a site of its own, where a single page repeats nothing.\nCookie settings\n").unwrap();
    let out = temp.path().join("out");
    clean_ok(&[&site, &other], &out, &["--jobs", "2"]);
    for (name, title, body) in stories {
        let clean = std::fs::read_to_string(out.join("clean").join(format!("{name}.txt"))).unwrap();
        for chrome in [
            "Home",
            "Local news",
            "Weather",
            "Cookie settings",
            "Contact the newsroom",
        ] {
            assert!(
                !clean.lines().any(|l| l == chrome),
                "{name}: {chrome:?} kept:\n{clean}"
            );
        }
        assert!(
            clean.contains(title) && clean.contains(body),
            "{name} lost its story:\n{clean}"
        );
    }
    let report = std::fs::read_to_string(out.join("report.jsonl")).unwrap();
    for line in report.lines() {
        let repeated = line.contains("\"rule\":\"detect.repeated-line\"");
        if line.contains("\"id\":\"lone\"") {
            assert!(
                !repeated,
                "a site with one page has no repeated lines: {line}"
            );
        } else {
            assert!(repeated, "{line}");
        }
    }
}
