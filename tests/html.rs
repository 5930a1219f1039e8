//! HTML input end to end: a page becomes its visible text, the article is kept, chrome goes
//! with a rule id for every removed line, metadata reaches the report, charsets are honoured,
//! and broken markup (unclosed tags, garbage bytes, a 100 MB page, 100,000 nested elements)
//! is cleaned without a panic or a hang.

mod common;

use common::*;
use newsclean::{Document, RuleSet, RuleSources};
use std::path::Path;
use tempfile::TempDir;

fn default_rules() -> RuleSet {
    RuleSet::load(&RuleSources {
        defaults: true,
        paths: Vec::new(),
    })
    .expect("default rules load")
}

fn html_document(markup: String) -> Document {
    Document {
        id: "page".into(),
        source: "page.html".into(),
        markup: Some(markup),
        ..Document::default()
    }
}

fn copy_fixture(name: &str, into: &Path) -> std::path::PathBuf {
    let target = into.join(name);
    std::fs::copy(fixture(&format!("html/{name}")), &target).expect("copy fixture");
    target
}

#[test]
fn article_is_kept_and_chrome_removed_with_rule_ids() {
    let temp = TempDir::new().unwrap();
    let input = temp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    copy_fixture("harbour_article.html", &input);
    let out = temp.path().join("out");
    clean_ok(&[&input], &out, &[]);
    let clean = std::fs::read_to_string(out.join("clean/harbour_article.txt")).unwrap();
    for kept in [
        "The harbour ferry returned to service on Friday morning",
        "Engineers worked through the night",
        "Repairs cost more than expected",
        "The repairs cost about 2.4 million dollars",
        "\"We knew people were relying on us",
        "Regular timetables will apply from Monday",
    ] {
        assert!(clean.contains(kept), "missing {kept:?} in\n{clean}");
    }
    for gone in [
        "Skip to content",
        "Sport",
        "Priya Raman",
        "Photo: Tom Ellis",
        "Advertisement",
        "Tweet",
        "Transport",
        "Most read",
        "Council delays vote",
        "Related stories",
        "bus detour",
        "Privacy Policy",
        "not text",
        "display: flex",
    ] {
        assert!(!clean.contains(gone), "{gone:?} left in\n{clean}");
    }
    let reports = report(&out);
    let record = record(&reports, "harbour_article");
    assert_eq!(
        record["title"],
        "Harbour Ferry Service Resumes After Storm Repairs"
    );
    assert_eq!(
        record["url"],
        "https://www.coastalherald.example/news/harbour-ferry-resumes"
    );
    assert_eq!(record["site"], "coastalherald.example");
    assert_eq!(record["published"], "2026-03-14T08:30:00Z");
    assert_eq!(record["author"], "Priya Raman");
    let rules: Vec<String> = spans(record).into_iter().map(|s| s.2).collect();
    assert!(rules.iter().any(|r| r == "detect.dom-region"), "{rules:?}");
}

#[test]
fn diff_reverses_to_the_whole_page_text() {
    let temp = TempDir::new().unwrap();
    let input = temp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let page = copy_fixture("harbour_article.html", &input);
    let out = temp.path().join("out");
    clean_ok(&[&input], &out, &[]);
    let whole = newsclean::example_page_text(&std::fs::read_to_string(&page).unwrap());
    assert!(whole.contains("Most read\n") && whole.contains("Privacy Policy"));
    // Every line of the page text is in the clean text or in a removed span.
    let reports = report(&out);
    let removed: usize = spans(record(&reports, "harbour_article"))
        .iter()
        .map(|s| s.3.len())
        .sum();
    let clean = std::fs::read_to_string(out.join("clean/harbour_article.txt")).unwrap();
    assert_eq!(removed + clean.len(), whole.len());
    if !patch_available() {
        return;
    }
    let work = temp.path().join("work");
    copy_tree(&out.join("clean"), &work);
    let diff = std::fs::read(out.join("removed.diff")).unwrap();
    reverse_patch(&work, &diff).unwrap();
    assert_eq!(
        std::fs::read_to_string(work.join("harbour_article.txt")).unwrap(),
        whole
    );
}

#[test]
fn declared_legacy_charset_is_decoded() {
    let temp = TempDir::new().unwrap();
    let page = copy_fixture("cafe_windows1252.html", temp.path());
    let out = temp.path().join("out");
    let output = clean_ok(&[&page], &out, &[]);
    assert!(
        !stderr(&output).contains("warning"),
        "{}",
        describe(&output)
    );
    let clean = std::fs::read_to_string(out.join("clean/cafe_windows1252.txt")).unwrap();
    assert!(clean.contains("Owners of cafés along the river"), "{clean}");
    assert!(clean.contains("from €2 to €3 an hour"), "{clean}");
}

#[test]
fn undeclared_invalid_bytes_are_replaced_with_a_warning() {
    let temp = TempDir::new().unwrap();
    let page = temp.path().join("latin.htm");
    std::fs::write(
        &page,
        b"<html><body><p>Caf\xe9 owners said on Tuesday that the new parking fees would drive away customers.</p></body></html>",
    )
    .unwrap();
    let out = temp.path().join("out");
    let output = clean_ok(&[&page], &out, &[]);
    let err = stderr(&output);
    assert!(
        err.contains("warning") && err.contains("latin.htm") && err.contains("UTF-8"),
        "{err}"
    );
    let clean = std::fs::read_to_string(out.join("clean/latin.txt")).unwrap();
    assert!(clean.contains("Caf\u{FFFD} owners"), "{clean}");
}

#[test]
fn gzipped_pages_and_jsonl_html_fields_are_read() {
    use std::io::Write;
    let temp = TempDir::new().unwrap();
    let page = std::fs::read(fixture("html/harbour_article.html")).unwrap();
    let gz = temp.path().join("ferry.html.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), Default::default());
    encoder.write_all(&page).unwrap();
    encoder.finish().unwrap();
    let out = temp.path().join("out-gz");
    clean_ok(&[&gz], &out, &[]);
    assert!(std::fs::read_to_string(out.join("clean/ferry.txt"))
        .unwrap()
        .contains("The harbour ferry returned"));

    let jsonl = temp.path().join("pages.jsonl");
    let record = serde_json::json!({
        "id": "ferry-1",
        "html": String::from_utf8(page).unwrap(),
        "crawl": "2026-03",
    });
    std::fs::write(&jsonl, format!("{record}\n")).unwrap();
    let out = temp.path().join("out-jsonl");
    clean_ok(
        &[&jsonl],
        &out,
        &["--html-field", "html", "--format", "jsonl"],
    );
    let line = std::fs::read_to_string(out.join("clean.jsonl")).unwrap();
    let written: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(written["id"], "ferry-1");
    assert_eq!(written["crawl"], "2026-03");
    assert!(written.get("html").is_none(), "{written}");
    assert!(written["text"]
        .as_str()
        .unwrap()
        .contains("The harbour ferry returned"));
    assert_eq!(
        written["title"],
        "Harbour Ferry Service Resumes After Storm Repairs"
    );
    assert_eq!(written["author"], "Priya Raman");
}

#[test]
fn selector_rules_are_scoped_to_their_sites() {
    let temp = TempDir::new().unwrap();
    let page = temp.path().join("story.html");
    let body = "<p>The harbour ferry returned to service on Friday morning, six weeks after a winter storm tore away part of the pier.</p>\
        <div class=\"partner-note\">This story is brought to you by Harbour Mutual Insurance, protecting boats since 1921.</div>\
        <p>Regular timetables will apply from Monday, with extra crossings in the evening until the end of the month.</p>";
    let rules = fixture("html/rules/selector.toml");
    let rules = rules.to_str().unwrap();
    for (canonical, removed) in [
        ("https://www.coastalherald.example/news/ferry", true),
        ("https://other.example/news/ferry", false),
    ] {
        std::fs::write(
            &page,
            format!("<html><head><link rel=\"canonical\" href=\"{canonical}\"></head><body><article>{body}</article></body></html>"),
        )
        .unwrap();
        let out = temp.path().join(format!("out-{removed}"));
        clean_ok(&[&page], &out, &["--rules", rules]);
        let clean = std::fs::read_to_string(out.join("clean/story.txt")).unwrap();
        assert_eq!(!clean.contains("Harbour Mutual"), removed, "{clean}");
        let reports = report(&out);
        let by_rule = spans(record(&reports, "story"))
            .iter()
            .any(|s| s.2 == "site.sponsor-box");
        assert_eq!(by_rule, removed);
    }
    let output = run(["rules", "test", "--rules", rules]);
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stdout(&output).contains("PASS site.sponsor-box"));
}

#[test]
fn bad_selector_is_a_rule_file_error_with_its_position() {
    let rules = fixture("html/rules/bad_selector.toml");
    let output = run(["rules", "list", "--rules", rules.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let err = stderr(&output);
    assert!(
        err.contains("bad_selector.toml:4:18") && err.contains("site.broken"),
        "{err}"
    );
    assert!(err.contains("bad selector"), "{err}");
}

#[test]
fn eval_scores_an_html_folder_by_file_stem() {
    let temp = TempDir::new().unwrap();
    let pages = temp.path().join("html");
    std::fs::create_dir_all(&pages).unwrap();
    copy_fixture("harbour_article.html", &pages);
    let gold = temp.path().join("gold.json");
    let body = "The harbour ferry returned to service on Friday morning, six weeks after a winter storm tore away part of the north pier and left hundreds of commuters without their usual route into the city.";
    std::fs::write(
        &gold,
        serde_json::json!({"harbour_article": {"articleBody": body, "url": ""}}).to_string(),
    )
    .unwrap();
    let output = run([
        "eval",
        "--json",
        "--gold",
        gold.to_str().unwrap(),
        pages.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", describe(&output));
    let evaluation: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(evaluation["missing_predictions"], 0);
    assert_eq!(evaluation["per_document"][0]["recall"], 1.0);
}

#[test]
fn unclosed_tags_still_give_the_text() {
    let markup = "<html><body><div><p>The council met on Tuesday to discuss the budget for the coming year and the repairs\
        <p>Members argued for hours about the cost of the new bridge <b>and <i>the <a href=x>roads</div></span></table>\
        <li>item<td>cell<p>Last words of a broken page"
        .to_string();
    let cleaned = newsclean::clean_document(html_document(markup), &default_rules(), None);
    let raw = &cleaned.document.raw;
    assert!(raw.contains("The council met on Tuesday"), "{raw}");
    assert!(
        raw.contains("the cost of the new bridge and the roads"),
        "{raw}"
    );
    assert!(raw.contains("Last words of a broken page"), "{raw}");
}

#[test]
fn garbage_bytes_do_not_panic() {
    let temp = TempDir::new().unwrap();
    let mut rng = Xorshift::new(0x5eed_1234);
    let mut bytes = b"<html><body><p>Start of the page text.</p>".to_vec();
    for _ in 0..200_000 {
        // No NUL: a file with NUL bytes is skipped as binary before it is parsed.
        let b = (rng.next() % 255) as u8 + 1;
        bytes.push(b);
    }
    bytes.extend_from_slice(b"<p>End of the page text.</p>");
    let page = temp.path().join("garbage.html");
    std::fs::write(&page, &bytes).unwrap();
    let out = temp.path().join("out");
    let output = clean(&[&page], &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(stderr(&output).contains("garbage.html"));
    let reports = report(&out);
    assert_eq!(reports.len(), 1);
}

#[test]
fn deeply_nested_elements_do_not_hang_or_overflow() {
    let depth = 100_000;
    let markup = format!(
        "<html><body>{}<p>The text at the bottom of a very deep page.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let started = std::time::Instant::now();
    let cleaned = newsclean::clean_document(html_document(markup), &default_rules(), None);
    assert!(cleaned
        .document
        .raw
        .contains("The text at the bottom of a very deep page."));
    // Generous: without the nesting guard this takes minutes.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn a_100_mb_page_is_cut_with_a_warning() {
    let temp = TempDir::new().unwrap();
    let paragraph =
        "<p>Members argued for hours about the cost of the new bridge and the roads.</p>\n";
    let mut page = String::from("<html><body><article>");
    while page.len() < 100 << 20 {
        page.push_str(paragraph);
    }
    page.push_str("</article></body></html>");
    let path = temp.path().join("huge.html");
    std::fs::write(&path, &page).unwrap();
    drop(page);
    let out = temp.path().join("out");
    let output = clean_ok(&[&path], &out, &[]);
    let err = stderr(&output);
    assert!(err.contains("huge.html") && err.contains("MiB"), "{err}");
    let reports = report(&out);
    let bytes_in = reports[0]["bytes_in"].as_u64().unwrap();
    assert!(bytes_in > 20 << 20 && bytes_in < 40 << 20, "{bytes_in}");
}

#[test]
fn a_related_box_inside_the_article_takes_only_itself() {
    let paragraph = |n: usize| {
        format!("<p>Paragraph {n} of the story: the harbour ferry returned to service on Friday morning after six weeks of storm repairs to the pier.</p>")
    };
    let markup = format!(
        "<html><body><article>{}{}<div class=\"inline-box\"><h4>Related Articles</h4><a href=\"/a\">Storm closes the coast road</a></div>{}{}</article></body></html>",
        paragraph(1),
        paragraph(2),
        paragraph(3),
        paragraph(4)
    );
    let cleaned = newsclean::clean_document(html_document(markup), &default_rules(), None);
    for n in 1..=4 {
        assert!(
            cleaned
                .clean
                .contains(&format!("Paragraph {n} of the story")),
            "{}",
            cleaned.clean
        );
    }
    assert!(
        !cleaned.clean.contains("Related Articles"),
        "{}",
        cleaned.clean
    );
    assert!(
        !cleaned.clean.contains("Storm closes the coast road"),
        "{}",
        cleaned.clean
    );
}

#[test]
fn of_several_articles_the_page_keeps_its_own() {
    let story = |title: &str, topic: &str| {
        let mut html = format!("<article><h1>{title}</h1>");
        for n in 1..=3 {
            html.push_str(&format!("<p>Sentence {n} about {topic}: the council met on Tuesday and argued for hours about the cost of the plan before a final vote.</p>"));
        }
        html + "</article>"
    };
    let markup = format!(
        "<html><head><title>Bridge vote passes | The Herald</title></head><body><main>{}{}</main></body></html>",
        story("Bridge vote passes", "the bridge"),
        story("Library hours cut", "the libraries")
    );
    let cleaned = newsclean::clean_document(html_document(markup), &default_rules(), None);
    assert!(
        cleaned.clean.contains("about the bridge"),
        "{}",
        cleaned.clean
    );
    assert!(
        !cleaned.clean.contains("about the libraries"),
        "{}",
        cleaned.clean
    );
}
