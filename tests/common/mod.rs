//! Helpers shared by the integration tests: running the binary, reading an output folder,
//! reversing `removed.diff` with the `patch` program, and a pool of real-looking page-dump
//! lines to build generated documents from.
//!
//! Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped seed documents.
pub fn examples() -> PathBuf {
    root().join("examples")
}

/// `tests/fixtures/<rest>`.
pub fn fixture(rest: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(rest)
}

/// The path of the built `newsclean` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_newsclean"))
}

/// A `newsclean` command for tests that feed standard input.
pub fn newsclean() -> assert_cmd::Command {
    assert_cmd::Command::new(bin())
}

/// Runs the binary with `args` and returns its output; never panics on a failing status.
pub fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the newsclean binary runs")
}

/// Runs `newsclean clean INPUTS... -o OUT --quiet EXTRA...` and returns its output.
pub fn clean(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<std::ffi::OsString> = vec!["clean".into()];
    args.extend(inputs.iter().map(|p| p.as_os_str().to_owned()));
    args.push("-o".into());
    args.push(out.as_os_str().to_owned());
    args.push("--quiet".into());
    args.extend(extra.iter().map(Into::into));
    run(args)
}

/// Like `clean`, but asserts exit status 0.
pub fn clean_ok(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let output = clean(inputs, out, extra);
    assert_eq!(
        output.status.code(),
        Some(0),
        "newsclean clean failed: {}",
        describe(&output)
    );
    output
}

/// Status, stdout and stderr of a run, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The records of `OUT/report.jsonl`, in file order.
pub fn report(out: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(out.join("report.jsonl")).expect("report.jsonl exists");
    text.lines()
        .map(|line| serde_json::from_str(line).expect("every report line is JSON"))
        .collect()
}

/// The report record with this id.
pub fn record<'a>(report: &'a [Value], id: &str) -> &'a Value {
    report
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no report record with id {id}"))
}

/// The removed spans of a report record as (first, last, rule, text).
pub fn spans(record: &Value) -> Vec<(usize, usize, String, String)> {
    record["removed"]
        .as_array()
        .expect("`removed` is an array")
        .iter()
        .map(|span| {
            let lines = span["lines"].as_array().expect("`lines` is an array");
            (
                lines[0].as_u64().expect("first line") as usize,
                lines[1].as_u64().expect("last line") as usize,
                span["rule"]
                    .as_str()
                    .expect("`rule` is a string")
                    .to_string(),
                span["text"]
                    .as_str()
                    .expect("`text` is a string")
                    .to_string(),
            )
        })
        .collect()
}

/// Every file under `dir`, by path relative to it, with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("folder is readable") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .expect("inside the folder")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, std::fs::read(&path).expect("file is readable"));
            }
        }
    }
    files
}

/// Copies every file of `from` into `to`, keeping sub-folders.
pub fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in read_tree(from) {
        let target = to.join(&relative);
        std::fs::create_dir_all(target.parent().expect("a parent folder")).expect("mkdir");
        std::fs::write(target, bytes).expect("write copy");
    }
}

/// Whether the `patch` program can be used. Under CI (the `CI` variable set to anything but
/// `false`/`0`) it must be: `.ci/run` installs it, so its absence is a failure there.
/// Elsewhere a missing `patch` skips the round-trip checks with a message.
pub fn patch_available() -> bool {
    let found = Command::new("patch")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return true;
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "the `patch` program is required under CI (.ci/run installs it)"
    );
    eprintln!(
        "SKIPPED: round trip through `patch -R` needs the `patch` program, which is not installed"
    );
    false
}

/// Runs `patch -R -p1` with `diff` on standard input inside `dir`. `-f` keeps patch from
/// asking questions on a terminal; no backup files are left beside the patched ones.
pub fn reverse_patch(dir: &Path, diff: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut child = Command::new("patch")
        .args(["-R", "-p1", "-f", "--no-backup-if-mismatch"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run patch: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(diff)
        .map_err(|e| format!("cannot feed patch: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("patch did not finish: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(describe(&output))
    }
}

/// Lines of a page dump as scrapers save them: article sentences, headlines, subheadings,
/// site chrome, teaser lines, captions, and text in other scripts. Used to build generated
/// documents.
pub const ARTICLE_LINES: &[&str] = &[
    "The city council voted 7-2 on Tuesday to close two branch libraries at the end of the year.",
    "Officials said the closures would save about $1.2 million a year, money they plan to spend on the main library.",
    "Residents packed the chamber for more than four hours, and many of them spoke against the plan.",
    "\"We were told this would never happen,\" said Maria Lopez, who has used the Eastside branch for 30 years.",
    "The mayor did not attend the meeting, but her office said she would sign the budget next week.",
    "Engineers closed the bridge on Friday after an inspection found cracks in two of its main supports.",
    "Traffic was diverted through the town centre, where queues stretched for several kilometres by the evening.",
    "A spokesperson for the transport ministry said repairs could take until the spring.",
    "Heavy rain fell for three days before the river burst its banks on Sunday morning.",
    "Firefighters rescued 14 people from flooded homes, and no one was seriously hurt, the fire service said.",
    "Ukraine’s foreign minister criticised the attacks as “barbaric” and called for more air defence systems.",
    "The five‑hour meeting ended late at night without an agreement, according to people briefed on the talks.",
    "Prices rose 3.4% in the year to March, slightly less than economists had expected.",
    "Is this the end of cheap flights? Analysts are divided.",
    "In São Paulo, the state governor declared three days of mourning.",
    "Zürich’s transport authority said trams would run every six minutes during the festival.",
    "Der Stadtrat hat am Dienstag beschlossen, zwei Bibliotheken zu schließen.",
    "Москва заявила, что переговоры продолжатся на следующей неделе.",
    "市議会は火曜日、図書館2館の閉鎖を決めた。",
    "The café on the corner has served the neighbourhood since 1962 🎉.",
];

pub const HEADLINES: &[&str] = &[
    "Council Votes to Close Two Branch Libraries",
    "Bridge Closed After Cracks Found in Main Supports",
    "River Bursts Its Banks After Three Days of Rain",
    "Peace Talks Resume as Overnight Strikes Hit Kyiv",
    "Inflation Slows Slightly in March",
    "What Happens Next",
    "Reactions",
];

pub const CHROME_LINES: &[&str] = &[
    "Connect with us",
    "Follow us",
    "Hi, what are you looking for?",
    "Search",
    "Skip to content",
    "Menu",
    "News",
    "Crime",
    "World",
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Share",
    "Share this article",
    "Facebook",
    "Twitter",
    "Print",
    "Photo: Reuters",
    "Image credit: Getty Images",
    "(AP Photo/Jane Doe)",
    "You May Also Like",
    "Related Stories",
    "Trending now",
    "Most Read",
    "Council Votes to Close Two Branch Libraries Photo by John Smith 2026",
    "Council Votes to Close Two Branch Libraries ChatGPT Image Jan 24 2026 06 52 25 PM",
];

pub const TEASER_LINES: &[&str] = &[
    "The Trump administration is facing legal action in a U.S. court following the deaths of two civilians in a boat strike that occurred off...",
    "Families of two men from Trinidad and Tobago have filed a federal lawsuit against the United States government, claiming their loved ones were unlawfully...",
    "The federal government is scaling back its immigration enforcement presence in Minneapolis following widespread criticism over the fatal shooting of...",
    "Police are searching for a man who escaped from a courthouse in…",
    "A group of people gathered near the...",
];

/// Odd lines: white space only, decomposed accents, tabs, a non-breaking space inside.
pub const ODD_LINES: &[&str] = &[
    "",
    "",
    "   ",
    "\t",
    "Cafe\u{301} owners in Zu\u{308}rich said business was slow.",
    "Sa\u{303}o Paulo",
    "The vote was\u{a0}7-2.",
    "Line\twith a tab inside it, as some scrapers leave them.",
    "—",
    "…",
];

/// All lines of the pool.
pub fn pool() -> Vec<&'static str> {
    ARTICLE_LINES
        .iter()
        .chain(HEADLINES)
        .chain(CHROME_LINES)
        .chain(TEASER_LINES)
        .chain(ODD_LINES)
        .copied()
        .collect()
}

/// How a generated line ends.
pub const LINE_ENDINGS: &[&str] = &[
    "\n", "\n", "\n", "\n", "\r\n", "  \n", " \t\r\n", "\u{a0}\n",
];

/// Builds a document from picks into the pool: `(line, ending)` index pairs, and whether the
/// last line keeps its terminator.
pub fn build_document(picks: &[(usize, usize)], final_newline: bool) -> String {
    let pool = pool();
    let mut text = String::new();
    for (n, &(line, ending)) in picks.iter().enumerate() {
        text.push_str(pool[line % pool.len()]);
        let ending = LINE_ENDINGS[ending % LINE_ENDINGS.len()];
        if n + 1 == picks.len() && !final_newline {
            // The white space of the ending stays; only the terminator goes.
            text.push_str(ending.trim_end_matches(['\n', '\r']));
        } else {
            text.push_str(ending);
        }
    }
    text
}

/// A small deterministic generator (xorshift64*), so generated corpora are the same on every
/// run without a dependency.
pub struct Xorshift(u64);

impl Xorshift {
    pub fn new(seed: u64) -> Xorshift {
        Xorshift(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A generated page dump: a head of chrome, a headline, article text with chrome between
/// paragraphs, and often a teaser block at the end; then random line endings.
pub fn generated_page(rng: &mut Xorshift) -> String {
    let pool = pool();
    let index_of = |line: &str| pool.iter().position(|l| *l == line).expect("line in pool");
    let mut lines: Vec<usize> = Vec::new();
    for _ in 0..rng.below(4) {
        lines.push(index_of(CHROME_LINES[rng.below(10)]));
    }
    lines.push(index_of(HEADLINES[rng.below(HEADLINES.len())]));
    for _ in 0..3 + rng.below(8) {
        match rng.below(10) {
            0 => lines.push(index_of(CHROME_LINES[rng.below(CHROME_LINES.len())])),
            1 => lines.push(index_of(ODD_LINES[rng.below(ODD_LINES.len())])),
            2 => lines.push(index_of(HEADLINES[rng.below(HEADLINES.len())])),
            _ => lines.push(index_of(ARTICLE_LINES[rng.below(ARTICLE_LINES.len())])),
        }
        if rng.below(2) == 0 {
            lines.push(index_of(""));
        }
    }
    if rng.below(2) == 0 {
        lines.push(index_of(CHROME_LINES[20 + rng.below(4)]));
        for _ in 0..1 + rng.below(3) {
            lines.push(index_of(CHROME_LINES[6 + rng.below(3)]));
            lines.push(index_of(TEASER_LINES[rng.below(TEASER_LINES.len())]));
        }
    }
    let picks: Vec<(usize, usize)> = lines
        .into_iter()
        .map(|line| (line, rng.below(LINE_ENDINGS.len())))
        .collect();
    build_document(&picks, rng.below(3) != 0)
}

/// Writes `count` generated page dumps under `dir` (some in a sub-folder) and returns their
/// relative paths.
pub fn write_generated_corpus(dir: &Path, seed: u64, count: usize) -> Vec<String> {
    let mut rng = Xorshift::new(seed);
    let mut names = Vec::new();
    for n in 0..count {
        let name = if n % 4 == 3 {
            format!("section/page-{n:03}.txt")
        } else {
            format!("page-{n:03}.txt")
        };
        let path = dir.join(&name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, generated_page(&mut rng)).expect("write generated page");
        names.push(name);
    }
    names
}

/// The text of each line as normalisation leaves it: without its line terminator, trailing
/// white space trimmed, composed to NFC. Written independently of the crate's own
/// normaliser so the two can disagree.
pub fn normalised_lines(raw: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let mut lines: Vec<&str> = raw.split('\n').collect();
    if raw.ends_with('\n') || raw.is_empty() {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line).trim_end();
            line.nfc().collect::<String>().trim_end().to_string()
        })
        .collect()
}

/// The lines of a clean text (no terminators).
pub fn text_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') || text.is_empty() {
        lines.pop();
    }
    lines
}

/// Whether `small` appears in `big` in order (not necessarily next to each other).
pub fn is_subsequence<A: AsRef<str>, B: AsRef<str>>(small: &[A], big: &[B]) -> bool {
    let mut big = big.iter();
    small.iter().all(|s| big.any(|b| b.as_ref() == s.as_ref()))
}
