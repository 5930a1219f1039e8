//! Rule authors' commands and rule files: `rules test | list | explain`, load errors that point
//! at file:line:col and the rule id, user files that replace or switch off a default, and the
//! examples every default rule must carry.

mod common;

use common::*;
use std::path::Path;
use tempfile::TempDir;

use newsclean::{RuleSet, RuleSources};

fn default_rules() -> RuleSet {
    RuleSet::load(&RuleSources {
        defaults: true,
        paths: vec![],
    })
    .expect("the default rules load")
}

/// Every default id with its examples: rules and detectors alike.
fn default_examples() -> Vec<(String, Vec<newsclean::rules::RawExample>)> {
    let rules = default_rules();
    rules
        .rules
        .iter()
        .map(|r| (r.def.id.clone(), r.def.examples.clone()))
        .chain(
            rules
                .detectors
                .iter()
                .map(|d| (d.def.id.clone(), d.def.examples.clone())),
        )
        .collect()
}

#[test]
fn rules_test_passes_on_the_defaults() {
    let output = run(["rules", "test"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let out = stdout(&output);
    assert!(!out.contains("FAIL"), "{out}");
    for (id, _) in default_examples() {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("PASS {id} "))),
            "PASS line for {id}:\n{out}"
        );
    }
    assert!(out.contains(" 0 failed"), "{out}");
}

#[test]
fn every_default_rule_has_a_removing_and_a_keeping_example() {
    let all = default_examples();
    assert!(
        all.len() >= 8,
        "the default set has its rules and detectors"
    );
    for (id, examples) in all {
        assert!(
            examples
                .iter()
                .any(|e| e.expect.as_ref().is_some_and(|expect| *expect != e.input)),
            "{id}: an example that removes something"
        );
        assert!(
            examples
                .iter()
                .any(|e| e.expect.as_ref().is_none_or(|expect| *expect == e.input)),
            "{id}: an example that keeps its input"
        );
    }
}

/// Loading `files` fails with exit status 2 and a message naming `file:line:col` and `rule`.
fn assert_load_error(files: &[&Path], at: (&Path, usize, usize), rule: &str, hint: &str) {
    let mut args: Vec<std::ffi::OsString> = vec!["rules".into(), "list".into()];
    for file in files {
        args.push("--rules".into());
        args.push(file.as_os_str().to_owned());
    }
    let output = run(&args);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let err = stderr(&output);
    let location = format!("{}:{}:{}", at.0.display(), at.1, at.2);
    assert!(err.contains(&location), "names {location}: {err}");
    assert!(err.contains(rule), "names the rule {rule}: {err}");
    assert!(err.contains(hint), "says what is wrong ({hint}): {err}");
    assert!(stdout(&output).is_empty(), "no listing after a load error");

    // `clean` refuses to run with the same files, before reading any input.
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    let mut args: Vec<std::ffi::OsString> = vec!["clean".into()];
    args.push(examples().into_os_string());
    args.push("-o".into());
    args.push(out.clone().into_os_string());
    for file in files {
        args.push("--rules".into());
        args.push(file.as_os_str().to_owned());
    }
    let output = run(&args);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(stderr(&output).contains(&location));
    assert!(!out.exists(), "nothing written");
}

#[test]
fn unknown_field_is_an_error_at_its_line() {
    let file = fixture("rules/bad/unknown_field.toml");
    assert_load_error(&[&file], (&file, 7, 1), "local.newsletter", "acton");
}

#[test]
fn empty_phrase_list_is_an_error_at_its_line() {
    let file = fixture("rules/bad/empty_phrase_list.toml");
    assert_load_error(&[&file], (&file, 4, 14), "local.newsletter", "empty");
}

#[test]
fn bad_regex_is_an_error_at_the_regex() {
    let file = fixture("rules/bad/bad_regex.toml");
    assert_load_error(&[&file], (&file, 5, 15), "local.byline", "regex");
}

#[test]
fn unknown_action_is_an_error_at_its_value() {
    let file = fixture("rules/bad/unknown_action.toml");
    assert_load_error(&[&file], (&file, 5, 10), "local.newsletter", "delete");
}

#[test]
fn duplicate_id_across_two_user_files_is_an_error() {
    let first = fixture("rules/duplicate/a_newsletter.toml");
    let second = fixture("rules/duplicate/b_newsletter_again.toml");
    assert_load_error(
        &[&first, &second],
        (&second, 4, 6),
        "local.newsletter",
        "duplicate",
    );
    // Given as a folder, the files load in name order and the second one is named.
    let folder = fixture("rules/duplicate");
    assert_load_error(
        &[&folder],
        (&second, 4, 6),
        "local.newsletter",
        "a_newsletter.toml",
    );
}

/// An article whose last part sits under a related-stories marker but holds full sentences,
/// so only the `related.you-may-also-like` rule (not the teaser-list detector) removes it.
const ARTICLE_WITH_MARKER: &str = "\
Council Votes to Close Two Branch Libraries

The city council voted 7-2 on Tuesday to close two branch libraries at the end of the year.
Officials said the closures would save about $1.2 million a year, money they plan to spend on the main library.
Residents packed the chamber for more than four hours, and many of them spoke against the plan.

You May Also Like

Engineers closed the harbour bridge on Friday after an inspection found cracks in its supports.
";

fn write_input(temp: &TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = temp.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn user_file_with_enabled_false_switches_a_default_off() {
    let temp = TempDir::new().unwrap();
    let input = write_input(&temp, "libraries.txt", ARTICLE_WITH_MARKER);
    let rules = fixture("rules/disable_related.toml");

    let with_default = temp.path().join("default");
    clean_ok(&[&input], &with_default, &[]);
    let clean = std::fs::read_to_string(with_default.join("clean/libraries.txt")).unwrap();
    assert!(!clean.contains("You May Also Like") && !clean.contains("harbour bridge"));
    let records = report(&with_default);
    assert!(spans(&records[0])
        .iter()
        .any(|(_, _, rule, text)| rule == "related.you-may-also-like"
            && text.contains("You May Also Like")));

    let switched_off = temp.path().join("off");
    clean_ok(
        &[&input],
        &switched_off,
        &["--rules", rules.to_str().unwrap()],
    );
    let clean = std::fs::read_to_string(switched_off.join("clean/libraries.txt")).unwrap();
    assert_eq!(
        clean, ARTICLE_WITH_MARKER,
        "nothing else removes these lines"
    );

    // On the seed page dump the rule no longer fires; the rest of the cleaning still does.
    let seed_out = temp.path().join("seed");
    let seed = examples().join("004_501065e9a06ffd9b.txt");
    clean_ok(&[&seed], &seed_out, &["--rules", rules.to_str().unwrap()]);
    let report = report(&seed_out);
    let rules_used: Vec<String> = spans(&report[0]).into_iter().map(|s| s.2).collect();
    assert!(
        !rules_used.iter().any(|r| r == "related.you-may-also-like"),
        "{rules_used:?}"
    );
    assert!(
        rules_used.iter().any(|r| r == "chrome.connect-with-us"),
        "{rules_used:?}"
    );

    // `rules list` shows it switched off, from the user's file.
    let output = run(["rules", "list", "--rules", rules.to_str().unwrap()]);
    let line = stdout(&output)
        .lines()
        .find(|l| l.starts_with("related.you-may-also-like "))
        .map(str::to_string)
        .expect("the rule is listed");
    assert!(
        line.contains(" no ") && line.contains("disable_related.toml"),
        "{line}"
    );
}

#[test]
fn user_rule_with_a_default_id_replaces_it() {
    let temp = TempDir::new().unwrap();
    let input = write_input(
        &temp,
        "stadtrat.txt",
        "Der Stadtrat tagte am Dienstag bis spät in die Nacht.\nAnzeige\nAdvertisement\nDie Sitzung endete ohne Beschluss.\n",
    );
    let out = temp.path().join("out");
    let rules = fixture("rules/replace_advertisement.toml");
    clean_ok(&[&input], &out, &["--rules", rules.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(out.join("clean/stadtrat.txt")).unwrap(),
        "Der Stadtrat tagte am Dienstag bis spät in die Nacht.\nAdvertisement\nDie Sitzung endete ohne Beschluss.\n",
        "the user's phrase list replaces the default one"
    );
    let output = run([
        "rules",
        "explain",
        "chrome.advertisement",
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert!(stdout(&output).contains("Ad slot label on a German site."));
}

#[test]
fn no_default_rules_removes_nothing_but_normalisation() {
    let temp = TempDir::new().unwrap();
    let out = temp.path().join("out");
    let seed = examples().join("004_501065e9a06ffd9b.txt");
    let crlf = fixture("text/crlf_page_dump.txt");
    clean_ok(&[&seed, &crlf], &out, &["--no-default-rules"]);
    for record in report(&out) {
        for (first, last, rule, text) in spans(&record) {
            assert!(
                rule.starts_with("normalize."),
                "{}: {rule} removed {first}-{last}",
                record["id"]
            );
            assert!(text.trim().is_empty(), "only blank lines go: {text:?}");
        }
    }
    let raw = std::fs::read_to_string(&seed).unwrap();
    let clean = std::fs::read_to_string(out.join("clean/004_501065e9a06ffd9b.txt")).unwrap();
    let non_blank = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.trim_end().to_string())
            .collect()
    };
    assert_eq!(non_blank(&clean), non_blank(&raw));
    let raw = std::fs::read_to_string(&crlf).unwrap();
    let clean = std::fs::read_to_string(out.join("clean/crlf_page_dump.txt")).unwrap();
    assert_eq!(non_blank(&clean), non_blank(&raw));
    assert!(!clean.contains('\r'), "CRLF is still normalised");

    let output = run(["rules", "list", "--no-default-rules"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output).lines().count(),
        1,
        "only the header: {}",
        stdout(&output)
    );
}

#[test]
fn rules_explain_shows_description_and_examples() {
    let rules = default_rules();
    let rule = rules
        .rules
        .iter()
        .find(|r| r.def.id == "related.you-may-also-like")
        .expect("the default rule exists");
    let output = run(["rules", "explain", "related.you-may-also-like"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let out = stdout(&output);
    assert!(!rule.def.description.is_empty());
    assert!(out.contains(&rule.def.description), "{out}");
    assert!(
        out.contains("drop-rest") && out.contains("You May Also Like"),
        "{out}"
    );
    assert!(!rule.def.examples.is_empty());
    for example in &rule.def.examples {
        for line in example.input.lines().filter(|l| !l.trim().is_empty()) {
            assert!(out.contains(line), "example line {line:?} shown:\n{out}");
        }
    }

    let output = run(["rules", "explain", "detect.title-echo"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("headline"), "{}", stdout(&output));

    let output = run(["rules", "explain", "chrome.no-such-rule"]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(stderr(&output).contains("chrome.no-such-rule"));
}

#[test]
fn rules_list_shows_every_id_with_its_source_file() {
    let rules = default_rules();
    let output = run(["rules", "list"]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let out = stdout(&output);
    let ids_and_files = rules
        .rules
        .iter()
        .map(|r| (r.def.id.clone(), r.def.origin.file.clone()))
        .chain(
            rules
                .detectors
                .iter()
                .map(|d| (d.def.id.clone(), d.def.origin.file.clone())),
        );
    let mut count = 0;
    for (id, file) in ids_and_files {
        assert!(
            file.starts_with("rules/") && file.ends_with(".toml"),
            "{id}: {file}"
        );
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id.as_str()))
            .unwrap_or_else(|| panic!("{id} listed:\n{out}"));
        assert!(line.contains(&file), "{id} shows {file}: {line}");
        count += 1;
    }
    assert_eq!(
        out.lines().count(),
        count + 1,
        "one line per rule plus the header"
    );

    // A user file's rules are listed with that file.
    let user = fixture("rules/newsletter.toml");
    let output = run(["rules", "list", "--rules", user.to_str().unwrap()]);
    let out = stdout(&output);
    let line = out
        .lines()
        .find(|l| l.starts_with("local.newsletter "))
        .unwrap_or_else(|| panic!("user rule listed:\n{out}"));
    assert!(line.contains(&user.display().to_string()), "{line}");
}

#[test]
fn user_rules_with_passing_examples_pass() {
    let user = fixture("rules/newsletter.toml");
    let output = run(["rules", "test", "--rules", user.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(
        stdout(&output).contains("PASS local.newsletter (2 examples)"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn failing_user_example_fails_rules_test_with_a_diff() {
    let user = fixture("rules/failing_example.toml");
    let output = run(["rules", "test", "--rules", user.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let out = stdout(&output);
    assert!(
        out.lines().any(|l| l.starts_with("FAIL local.newsletter")),
        "{out}"
    );
    // The diff shows the line the example expected and the rule removed.
    assert!(
        out.lines()
            .any(|l| l.trim_start() == "-Sign up for our newsletter"),
        "a diff line for the removed prompt:\n{out}"
    );
    assert!(out.contains(" 1 failed"), "{out}");
    // The other rules still pass.
    assert!(out.contains("PASS chrome.connect-with-us"), "{out}");
}

/// A rule scoped with `sites` only fires on documents from those sites, and `rules test`
/// runs examples as documents without a site, so such a rule can never show an example that
/// removes something.
#[test]
fn site_scoped_rule_examples_run_as_pages_of_that_site() {
    let user = fixture("rules/site_scoped.toml");
    let output = run(["rules", "test", "--rules", user.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(
        stdout(&output).contains("PASS site.example-news-app-prompt"),
        "{}",
        stdout(&output)
    );
}

/// A reader that stops early (`newsclean rules list | head -1`) ends the listing quietly:
/// no panic on the broken pipe, exit status 0.
#[test]
fn listing_into_a_closed_pipe_stops_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let temp = TempDir::new().unwrap();
    // Enough rules that the listing is larger than a pipe's buffer.
    let mut rules = String::new();
    for n in 0..3000 {
        rules.push_str(&format!(
            "[[rule]]\nid = \"local.rule-{n}\"\ndescription = \"Rule number {n}.\"\nmatch.line = [\"Phrase {n}\"]\naction = \"drop\"\n\n"
        ));
    }
    let file = temp.path().join("many.toml");
    std::fs::write(&file, rules).unwrap();
    let mut child = Command::new(bin())
        .args(["rules", "list", "--rules"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The pipe's reading end is closed here, with most of the listing unread.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(first.starts_with("ID"), "{first}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}
