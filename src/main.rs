//! The `newsclean` command: parses arguments, calls the library, maps outcomes to exit
//! codes (0 ok, 1 some inputs skipped, 2 usage or rule-file errors).

/// mimalloc instead of the system allocator: a run frees its documents one by one while it
/// allocates their outputs, and glibc's allocator slows down as the freed pieces pile up (on
/// a 1.3 GB held run a fifth of the time went to searching its free lists). Built without
/// transparent huge pages, which had the kernel clear 2 MiB pages the run never filled.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use newsclean::rules::{Definition, RuleSet, RuleSources};
use newsclean::{clean_example, DiffStyle, Format, InputOptions, RunOptions};
/// Prints a line to standard output. When the reader has gone away (`newsclean rules test |
/// head`), the program ends quietly instead of panicking on the broken pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("newsclean: cannot write to standard output: {e}");
            std::process::exit(1);
        }
    }};
}

#[derive(Parser)]
#[command(
    name = "newsclean",
    version,
    about = "Clean scraped news: remove site chrome, report every removal with its rule."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean page dumps into OUT: clean text, report.jsonl and removed.diff.
    Clean(CleanArgs),
    /// Show what would be removed from files, as a diff labelled with rule ids.
    Diff(DiffArgs),
    /// Find near-duplicate stories in text that is already clean; print or write the clusters.
    Dedup(DedupCommandArgs),
    /// Rebuild OUT/report.html from a finished run's report.jsonl and clean text.
    Report(ReportArgs),
    /// Score cleaning against gold article bodies (the article extraction benchmark's method).
    Eval(EvalArgs),
    /// List, test and explain rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Args, Clone)]
struct RuleArgs {
    /// A rule file or a folder of them; repeatable. An id already loaded is replaced.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Start with no rules instead of the built-in set.
    #[arg(long)]
    no_default_rules: bool,
}

impl RuleArgs {
    fn load(&self) -> Result<RuleSet, ExitCode> {
        let sources = RuleSources {
            defaults: !self.no_default_rules,
            paths: self.rules.clone(),
        };
        RuleSet::load(&sources).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })
    }
}

#[derive(Args, Clone)]
struct InputArgs {
    /// Read inputs as JSONL, one record per line (.jsonl, .jsonl.gz and .ndjson files always are).
    #[arg(long)]
    jsonl: bool,
    /// JSONL field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// JSONL field holding the document id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,
    /// JSONL field holding the page URL.
    #[arg(long, default_value = "url", value_name = "NAME")]
    url_field: String,
    /// JSONL field holding the headline.
    #[arg(long, default_value = "title", value_name = "NAME")]
    title_field: String,
    /// JSONL field holding a page's HTML: records that have it are read as HTML pages.
    #[arg(long, value_name = "NAME")]
    html_field: Option<String>,
    /// The site (host) of documents that do not give a URL, for rules scoped with `sites`.
    #[arg(long, value_name = "HOST")]
    site: Option<String>,
}

impl InputArgs {
    fn options(&self) -> InputOptions {
        InputOptions {
            jsonl: self.jsonl,
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            url_field: self.url_field.clone(),
            title_field: self.title_field.clone(),
            html_field: self.html_field.clone(),
            site: self.site.as_deref().map(|s| {
                let s = s.trim().to_ascii_lowercase();
                s.strip_prefix("www.").map(str::to_string).unwrap_or(s)
            }),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum KeepArg {
    /// The longest clean text (ties: the earlier in input order).
    Longest,
    /// The first in input order.
    First,
}

#[derive(Args, Clone)]
struct DedupArgs {
    /// Word-shingle Jaccard similarity at or above which two texts are copies.
    #[arg(long, default_value = "0.8", value_name = "0..1", value_parser = unit_interval)]
    similarity: f64,
    /// Share of the smaller text's shingles found in the larger at or above which it is a
    /// truncated (or the larger an extended) copy.
    #[arg(long, default_value = "0.9", value_name = "0..1", value_parser = unit_interval)]
    containment: f64,
    /// Which copy of a story is kept.
    #[arg(long, value_enum, default_value = "longest")]
    keep: KeepArg,
    /// An index of earlier runs' kept documents: copies of them are dropped too, and this
    /// run's kept documents are added to it (created when missing).
    #[arg(long, value_name = "FILE")]
    index: Option<PathBuf>,
}

impl DedupArgs {
    fn settings(&self, keep_duplicates: bool) -> newsclean::dedup::run::Settings {
        newsclean::dedup::run::Settings {
            config: newsclean::dedup::Config {
                similarity: self.similarity,
                containment: self.containment,
                keep: match self.keep {
                    KeepArg::Longest => newsclean::dedup::Keep::Longest,
                    KeepArg::First => newsclean::dedup::Keep::First,
                },
            },
            keep_duplicates,
            index: self.index.clone(),
        }
    }
}

fn unit_interval(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{text}` is not a number from 0 to 1")),
    }
}

#[derive(Args)]
struct DedupCommandArgs {
    /// Files, folders (.txt, .txt.gz, searched recursively), JSONL files, or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Write OUT/duplicates.jsonl instead of printing the clusters.
    #[arg(short, long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// No summary on stderr.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    dedup: DedupArgs,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Txt,
    Jsonl,
}

#[derive(Args)]
struct CleanArgs {
    /// Files, folders (.txt, .html, .htm, gzipped or not, searched recursively), JSONL files,
    /// or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The output folder.
    #[arg(short, long, value_name = "OUT")]
    out: PathBuf,
    /// Write clean/<id>.txt files, or one clean.jsonl.
    #[arg(long, value_enum, default_value = "txt")]
    format: FormatArg,
    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// No summary and no progress line on stderr.
    #[arg(short, long)]
    quiet: bool,
    /// Keep every copy of a story (no duplicates.jsonl, no duplicate_of).
    #[arg(long, conflicts_with = "index")]
    no_dedup: bool,
    /// Write copies of a story to the clean output too (they are still reported).
    #[arg(long, conflicts_with = "no_dedup")]
    keep_duplicates: bool,
    /// With dedup, the output held back until the copies are known is kept in memory up to
    /// this many MiB, and past it in temporary files in the output folder (0: all on disk;
    /// default: an eighth of the memory available, at most 1024).
    #[arg(long, value_name = "MIB")]
    hold_mib: Option<usize>,
    #[command(flatten)]
    dedup: DedupArgs,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct DiffArgs {
    /// Files to show (text dumps, HTML pages or JSONL), or - for stdin.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Colour the diff.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args)]
struct EvalArgs {
    /// The gold file: a JSON object {item_id: {"articleBody": text, "url": url}}.
    #[arg(long, value_name = "GOLD.json")]
    gold: PathBuf,
    /// Page dumps to clean and score: files or folders. A document's id (its path in the
    /// folder, without .txt) is its item_id.
    #[arg(
        value_name = "INPUT",
        required_unless_present = "pred",
        conflicts_with = "pred"
    )]
    inputs: Vec<PathBuf>,
    /// Score already-clean text in DIR/<item_id>.txt instead of cleaning INPUT.
    #[arg(long, value_name = "DIR")]
    pred: Option<PathBuf>,
    /// Print one JSON object, with per-document scores, instead of the table.
    #[arg(long)]
    json: bool,
    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Args)]
struct ReportArgs {
    /// The output folder of a `newsclean clean` run.
    #[arg(value_name = "OUT")]
    out: PathBuf,
    /// JSONL field holding the clean text in OUT/clean.jsonl.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// Rule files whose descriptions the page shows (the run's own `--rules`).
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// List the loaded rules and detectors with their source files.
    List(RuleArgs),
    /// Run every rule's examples; PASS/FAIL per rule, non-zero exit on any failure.
    Test(RuleArgs),
    /// Check the rules: ones that can never fire, match an empty line, are shadowed or lack
    /// examples; with --corpus, ones that never fired or removed sentence-like lines.
    Lint {
        /// Clean these inputs (in memory, nothing written) and report what each rule did.
        #[arg(long = "corpus", value_name = "INPUT")]
        corpus: Vec<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Propose site rules: lines that recur across a site's pages outside the article text,
    /// as a rule file for --rules (on standard output).
    Suggest {
        /// Pages of the site: files or folders (HTML, text dumps, JSONL).
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// At most this many rules.
        #[arg(long, default_value_t = 30, value_name = "N")]
        max: usize,
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Show a rule's description, matchers and examples.
    Explain {
        /// The rule or detector id.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Diff(args) => diff(args),
        Command::Dedup(args) => dedup(args),
        Command::Report(args) => report(args),
        Command::Eval(args) => eval(args),
        Command::Rules { command } => match command {
            RulesCommand::List(args) => rules_list(args),
            RulesCommand::Test(args) => rules_test(args),
            RulesCommand::Explain { id, rules } => rules_explain(&id, rules),
            RulesCommand::Lint {
                corpus,
                rules,
                input,
            } => rules_lint(&corpus, rules, input),
            RulesCommand::Suggest {
                inputs,
                max,
                rules,
                input,
            } => rules_suggest(&inputs, max, rules, input),
        },
    };
    result.unwrap_or_else(|code| code)
}

fn with_threads<T: Send>(
    jobs: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, ExitCode> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = jobs {
        builder = builder.num_threads(jobs.max(1));
    }
    let pool = builder.build().map_err(|e| {
        eprintln!("error: cannot start worker threads: {e}");
        ExitCode::from(2)
    })?;
    Ok(pool.install(work))
}

fn clean(args: CleanArgs) -> Result<ExitCode, ExitCode> {
    let rules = args.rules.load()?;
    let available = newsclean::output::available_memory();
    let options = RunOptions {
        inputs: args.inputs.clone(),
        out: args.out.clone(),
        format: match args.format {
            FormatArg::Txt => Format::Txt,
            FormatArg::Jsonl => Format::Jsonl,
        },
        input: args.input.options(),
        dedup: if args.no_dedup {
            None
        } else {
            Some(args.dedup.settings(args.keep_duplicates))
        },
        batch_bytes: newsclean::BATCH_BYTES,
        stream_above: newsclean::stream_above_for(available),
        spill_memory: match args.hold_mib {
            Some(mib) => mib.saturating_mul(1 << 20),
            None => newsclean::output::spill_memory_for(available),
        },
    };
    let outcome = with_threads(args.jobs, || {
        newsclean::run_clean_with_progress(&options, &rules, args.quiet)
    })?;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(2));
        }
    };
    for problem in &outcome.problems {
        eprintln!("{problem}");
    }
    if !args.quiet {
        eprint!(
            "{}",
            outcome.summary.render(&args.out.display().to_string())
        );
    }
    Ok(if outcome.summary.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn diff(args: DiffArgs) -> Result<ExitCode, ExitCode> {
    let rules = args.rules.load()?;
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut loaded = newsclean::input::read_inputs(&args.files, &args.input.options());
    // The files shown together are one run: lines repeated across them count as chrome,
    // as they would in `clean`.
    rules.prepare(&mut loaded.documents);
    for problem in &loaded.problems {
        eprintln!("{problem}");
    }
    let skipped = loaded.problems.iter().any(|p| p.skipped);
    let mut stdout = std::io::stdout().lock();
    for doc in loaded.documents {
        let cleaned = newsclean::clean_document(doc, &rules, Some(DiffStyle::Terminal { color }));
        if stdout.write_all(cleaned.diff.as_bytes()).is_err() {
            // The reader went away (a closed pager); stop quietly.
            return Ok(ExitCode::SUCCESS);
        }
    }
    Ok(if skipped {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn dedup(args: DedupCommandArgs) -> Result<ExitCode, ExitCode> {
    if let Some(out) = &args.out {
        newsclean::output::check_output_folder(&args.inputs, out).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
    }
    let settings = args.dedup.settings(false);
    let report = with_threads(args.jobs, || {
        newsclean::dedup::run::dedup_inputs(&args.inputs, &args.input.options(), &settings)
    })?
    .map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    match &args.out {
        Some(out) => {
            let path = out.join(newsclean::output::DUPLICATES_JSONL);
            let written = std::fs::create_dir_all(out)
                .and_then(|_| newsclean::output::write_atomic(&path, &report.clusters));
            if let Err(e) = written {
                eprintln!("error: cannot write {}: {e}", path.display());
                return Err(ExitCode::from(2));
            }
        }
        // A closed pipe (`| head`) is not an error worth a panic.
        None => {
            let _ = std::io::stdout().lock().write_all(&report.clusters);
        }
    }
    if !args.quiet {
        let o = &report.outcome;
        eprintln!(
            "newsclean dedup: {} documents, {} copies of {} stories{}",
            report.documents,
            o.duplicates,
            o.clusters,
            match &settings.index {
                Some(path) => format!("; index {}: {} kept documents", path.display(), o.indexed),
                None => String::new(),
            }
        );
        let per_kept = |bytes: usize| bytes / o.indexed.max(1);
        eprintln!(
            "  memory per kept document: {} bytes of LSH index, {} bytes of shingle sets for verification",
            per_kept(o.index_bytes),
            per_kept(o.shingle_bytes)
        );
    }
    Ok(if report.problems.iter().any(|p| p.skipped) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn report(args: ReportArgs) -> Result<ExitCode, ExitCode> {
    let rules = args.rules.load()?;
    let written = newsclean::report::html::write(&args.out, &rules, None, &args.text_field)
        .map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
    eprintln!(
        "newsclean report: {} documents, {}",
        written.documents,
        args.out
            .join(newsclean::report::html::REPORT_HTML)
            .display()
    );
    Ok(ExitCode::SUCCESS)
}

fn eval(args: EvalArgs) -> Result<ExitCode, ExitCode> {
    use newsclean::eval::Predictions;
    let rules;
    let predictions = match &args.pred {
        Some(dir) => Predictions::Files { dir },
        None => {
            rules = args.rules.load()?;
            Predictions::Clean {
                inputs: &args.inputs,
                rules: &rules,
            }
        }
    };
    let evaluation = with_threads(args.jobs, || {
        newsclean::eval::evaluate(&args.gold, predictions)
    })?
    .map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    for problem in &evaluation.problems {
        eprintln!("{problem}");
    }
    let text = if args.json {
        match serde_json::to_string_pretty(&evaluation) {
            Ok(json) => json + "\n",
            Err(e) => {
                eprintln!("error: cannot write the evaluation as JSON: {e}");
                return Err(ExitCode::from(2));
            }
        }
    } else {
        evaluation.render()
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(if evaluation.problems.iter().any(|p| p.skipped) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn rules_list(args: RuleArgs) -> Result<ExitCode, ExitCode> {
    let rules = args.load()?;
    out!(
        "{:<36} {:<10} {:<9} {:<8} SOURCE",
        "ID",
        "ACTION",
        "WHERE",
        "ENABLED"
    );
    for rule in &rules.rules {
        let def = &rule.def;
        out!(
            "{:<36} {:<10} {:<9} {:<8} {}",
            def.id,
            def.action.as_str(),
            def.position.as_str(),
            if def.enabled { "yes" } else { "no" },
            def.origin
        );
    }
    for entry in &rules.detectors {
        let def = &entry.def;
        out!(
            "{:<36} {:<10} {:<9} {:<8} {}",
            def.id,
            "detector",
            "-",
            if def.enabled { "yes" } else { "no" },
            def.origin
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn rules_test(args: RuleArgs) -> Result<ExitCode, ExitCode> {
    let rules = args.load()?;
    let ids: Vec<String> = rules
        .rules
        .iter()
        .map(|r| r.def.id.clone())
        .chain(rules.detectors.iter().map(|d| d.def.id.clone()))
        .collect();
    let (mut passed, mut failed, mut without) = (0, 0, 0);
    for id in ids {
        let Some(definition) = rules.find(&id) else {
            continue;
        };
        let examples = definition.examples();
        if examples.is_empty() {
            out!("NONE {id} (no examples)");
            without += 1;
            continue;
        }
        let Some(alone) = rules.only(&id) else {
            out!("FAIL {id}: cannot compile the rule alone");
            failed += 1;
            continue;
        };
        let site = match &definition {
            Definition::Rule(def) => def.sites.first().map(String::as_str),
            Definition::Detector(_) => None,
        };
        let mut failures = Vec::new();
        for (n, example) in examples.iter().enumerate() {
            let unchanged;
            let expected = match &example.expect {
                Some(expect) => expect.as_str(),
                None => {
                    unchanged = newsclean::example_page_text(&example.input);
                    unchanged.as_str()
                }
            };
            let actual = clean_example(&example.input, &example.corpus, &alone, site);
            if actual != expected {
                let diff = similar::TextDiff::from_lines(expected, actual.as_str())
                    .unified_diff()
                    .header("expected", "actual")
                    .to_string();
                failures.push(format!(
                    "  example {} of {}:\n{}",
                    n + 1,
                    examples.len(),
                    indent(&diff)
                ));
            }
        }
        if failures.is_empty() {
            out!("PASS {id} ({} examples)", examples.len());
            passed += 1;
        } else {
            out!("FAIL {id}");
            for failure in failures {
                out!("{failure}");
            }
            failed += 1;
        }
    }
    out!("{passed} passed, {failed} failed, {without} without examples");
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn rules_lint(corpus: &[PathBuf], args: RuleArgs, input: InputArgs) -> Result<ExitCode, ExitCode> {
    use newsclean::review::lint;
    let rules = args.load()?;
    let mut findings = lint::check(&rules);
    let mut skipped = false;
    if !corpus.is_empty() {
        let mut loaded = newsclean::input::read_inputs(corpus, &input.options());
        for problem in &loaded.problems {
            eprintln!("{problem}");
        }
        skipped = loaded.problems.iter().any(|p| p.skipped);
        rules.prepare(&mut loaded.documents);
        let documents = loaded.documents.len();
        let fired = with_threads(None, || {
            use rayon::prelude::*;
            loaded
                .documents
                .into_par_iter()
                .map(|doc| {
                    newsclean::clean_document(doc, &rules, None)
                        .removed_view()
                        .to_reported()
                })
                .collect::<Vec<_>>()
        })?;
        let mut counts = lint::Fired::default();
        for removed in &fired {
            counts.add(removed);
        }
        findings.extend(counts.findings(&rules, documents));
    }
    for finding in &findings {
        out!("{finding}");
    }
    out!("{} findings", findings.len());
    Ok(if skipped {
        ExitCode::from(1)
    } else if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn rules_suggest(
    inputs: &[PathBuf],
    max: usize,
    args: RuleArgs,
    input: InputArgs,
) -> Result<ExitCode, ExitCode> {
    let rules = args.load()?;
    let options = input.options();
    let mut loaded = newsclean::input::read_inputs(inputs, &options);
    for problem in &loaded.problems {
        eprintln!("{problem}");
    }
    rules.prepare(&mut loaded.documents);
    let documents = loaded.documents;
    let mut suggestions = with_threads(None, || {
        newsclean::review::suggest::suggest(documents, &rules, input.site.as_deref())
    })?;
    suggestions.truncate(max);
    eprintln!(
        "newsclean rules suggest: {} rules proposed",
        suggestions.len()
    );
    out!(
        "{}",
        newsclean::review::suggest::to_toml(&suggestions).trim_end()
    );
    Ok(if loaded.problems.iter().any(|p| p.skipped) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

fn rules_explain(id: &str, args: RuleArgs) -> Result<ExitCode, ExitCode> {
    let rules = args.load()?;
    let Some(definition) = rules.find(id) else {
        eprintln!("error: no rule or detector with id `{id}`; `newsclean rules list` shows them");
        return Err(ExitCode::from(2));
    };
    match &definition {
        Definition::Rule(def) => {
            out!("{}  (rule, {})", def.id, def.origin);
            out!();
            out!("{}", def.description);
            out!();
            let m = &def.matcher;
            if !m.line.is_empty() {
                out!("match.line      {}", quoted(&m.line));
            }
            if !m.contains.is_empty() {
                out!("match.contains  {}", quoted(&m.contains));
            }
            if let Some(regex) = &m.regex {
                out!("match.regex     /{regex}/");
            }
            if let Some(selector) = &m.selector {
                out!("match.selector  {selector}");
            }
            out!("action          {}", def.action.as_str());
            out!("where           {}", def.position.as_str());
            if !def.sites.is_empty() {
                out!("sites           {}", def.sites.join(", "));
            }
            out!("enabled         {}", def.enabled);
        }
        Definition::Detector(def) => {
            out!("{}  (detector, {})", def.id, def.origin);
            out!();
            out!("{}", def.description);
            out!();
            out!("enabled         {}", def.enabled);
            for (key, value) in &def.settings {
                out!("{key:<15} {value}");
            }
        }
    }
    for (n, example) in definition.examples().iter().enumerate() {
        out!();
        match &example.expect {
            Some(expect) => {
                out!("example {}: removes", n + 1);
                out!("  input:\n{}", indent(&example.input));
                out!("  clean:\n{}", indent(expect));
            }
            None => {
                out!("example {}: keeps", n + 1);
                out!("  input:\n{}", indent(&example.input));
            }
        }
        for (k, page) in example.corpus.iter().enumerate() {
            out!("  other page {} of the site:\n{}", k + 1, indent(page));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn quoted(list: &[String]) -> String {
    list.iter()
        .map(|p| format!("\"{p}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
