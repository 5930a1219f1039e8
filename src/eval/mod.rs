//! Scoring clean text against hand-made gold article bodies, so that a change to a rule or a
//! detector is measured on real pages instead of judged by eye on a few.
//!
//! The method is the one the article extraction benchmark (Scrapinghub/Zyte) publishes its
//! figures with, reimplemented from its `evaluate.py` so that our numbers can be put next to
//! trafilatura's or readability's: texts become multisets of word 4-grams ("shingles"),
//! each document gets a precision and a recall from the shingles the prediction shares with
//! the gold text, P and R are averaged over documents (so a long article weighs no more than
//! a short one), F1 is taken from the two means, and the spread is a bootstrap over
//! documents. Where `evaluate.py` has an edge case (empty texts, a sample with nothing to
//! average) this module follows it and says so at the spot.
//!
//! `evaluate` either cleans page dumps with a rule set, or reads text that something else
//! already cleaned; either way each text is matched to its gold entry by document id.

use rayon::prelude::*;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use crate::input::{self, InputOptions, Problem};
use crate::rules::RuleSet;

/// Tokens per shingle, as in the benchmark.
pub const SHINGLE_LEN: usize = 4;
/// Bootstrap resamples, as in the benchmark.
pub const BOOTSTRAP_RESAMPLES: usize = 1000;
/// A fixed seed, so the same scores always give the same ± values.
pub const BOOTSTRAP_SEED: u64 = 0x6e65_7773_636c_6561;
/// How many of the lowest-scoring documents the table lists.
pub const WORST_SHOWN: usize = 10;

/// One gold article. Other fields an entry may have are ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntry {
    #[serde(rename = "articleBody")]
    pub article_body: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// Why an evaluation could not be made at all.
#[derive(Debug)]
pub enum EvalError {
    /// The gold file cannot be read or is not in the benchmark's format.
    Gold(String),
    /// The predictions to score cannot be found.
    Predictions(String),
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::Gold(message) | EvalError::Predictions(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for EvalError {}

/// Reads a gold file: a JSON object `{item_id: {"articleBody": text, "url": url}}`.
pub fn load_gold(path: &Path) -> Result<BTreeMap<String, GoldEntry>, EvalError> {
    let bytes = std::fs::read(path)
        .map_err(|e| EvalError::Gold(format!("cannot read gold file {}: {e}", path.display())))?;
    let gold: BTreeMap<String, GoldEntry> = serde_json::from_slice(&bytes).map_err(|e| {
        EvalError::Gold(format!(
            "{} is not a gold file (a JSON object {{item_id: {{\"articleBody\": text, \"url\": url}}}}): {e}",
            path.display()
        ))
    })?;
    if gold.is_empty() {
        return Err(EvalError::Gold(format!(
            "gold file {} has no entries",
            path.display()
        )));
    }
    Ok(gold)
}

/// Python's `\w` on `str` is exactly "a letter, a number, or `_`" (checked against every
/// code point with Python 3.11), whereas Rust's `\w` also takes combining marks and other
/// connector punctuation; those would split Devanagari or Thai words differently from the
/// benchmark, so the class is spelled out.
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}_]+").expect("a constant, valid pattern"));

/// The benchmark's tokens: maximal runs of word characters, case kept.
pub fn tokens(text: &str) -> Vec<&str> {
    WORD.find_iter(text).map(|m| m.as_str()).collect()
}

/// A document's shingle counts, divided by their sum so that every document weighs the same.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Overlap {
    /// Shingles in both texts (the smaller of the two counts of each).
    pub tp: f64,
    /// Predicted shingles beyond the gold count.
    pub fp: f64,
    /// Gold shingles the prediction misses.
    #[serde(rename = "fn")]
    pub fn_: f64,
}

impl Overlap {
    /// `evaluate.py`'s `precision_score`.
    pub fn precision(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp == 0.0 && self.fp == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fp)
        }
    }

    /// `evaluate.py`'s `recall_score`.
    pub fn recall(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp == 0.0 && self.fn_ == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fn_)
        }
    }

    /// `evaluate.py` leaves a document out of the precision mean when the prediction has no
    /// shingle (an empty or missing prediction costs recall, not precision)...
    pub fn counts_for_precision(&self) -> bool {
        self.tp + self.fp > 0.0
    }

    /// ...and out of the recall mean when the gold text has none.
    pub fn counts_for_recall(&self) -> bool {
        self.tp + self.fn_ > 0.0
    }
}

/// Shingle overlap of two token lists.
///
/// As in `evaluate.py`'s `_ngrams`, a text with fewer tokens than a shingle gives one
/// shorter shingle of all its tokens, and a text with no token gives no shingle at all
/// (its loop yields one empty tuple, which `if shingle:` drops). So an empty prediction
/// against a non-empty gold text has tp = fp = 0, and two empty texts have tp = fp = fn = 0,
/// which is left undivided.
pub fn shingle_overlap(gold: &[&str], pred: &[&str]) -> Overlap {
    // Tokens are numbered by their first place in the gold text, so a shingle is four
    // small integers; a predicted token the gold text lacks cannot be part of a shared
    // shingle, and only needs counting.
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(gold.len());
    let gold_ids: Vec<Option<u32>> = gold
        .iter()
        .map(|token| {
            let next = ids.len() as u32;
            Some(*ids.entry(token).or_insert(next))
        })
        .collect();
    let pred_ids: Vec<Option<u32>> = pred.iter().map(|token| ids.get(token).copied()).collect();
    let (gold_total, mut gold_keys) = shingle_keys(&gold_ids);
    let (pred_total, mut pred_keys) = shingle_keys(&pred_ids);
    gold_keys.sort_unstable();
    pred_keys.sort_unstable();
    let tp = sorted_multiset_intersection(&gold_keys, &pred_keys);
    let (tp, fp, fn_) = (
        tp as f64,
        (pred_total - tp) as f64,
        (gold_total - tp) as f64,
    );
    let sum = tp + fp + fn_;
    if sum > 0.0 {
        Overlap {
            tp: tp / sum,
            fp: fp / sum,
            fn_: fn_ / sum,
        }
    } else {
        Overlap::default()
    }
}

/// Marks the unused places of a shingle shorter than `SHINGLE_LEN`; no token gets this id.
const PAD: u32 = u32::MAX;

/// How many shingles a text has, and the packed keys of those whose tokens all have ids.
fn shingle_keys(ids: &[Option<u32>]) -> (usize, Vec<u128>) {
    let pack = |window: &[Option<u32>]| -> Option<u128> {
        let mut key = 0u128;
        for place in 0..SHINGLE_LEN {
            let id = match window.get(place) {
                Some(id) => (*id)?,
                None => PAD,
            };
            key |= u128::from(id) << (32 * place);
        }
        Some(key)
    };
    if ids.is_empty() {
        return (0, Vec::new());
    }
    if ids.len() < SHINGLE_LEN {
        return (1, pack(ids).into_iter().collect());
    }
    let keys = ids.windows(SHINGLE_LEN).filter_map(pack).collect();
    (ids.len() - SHINGLE_LEN + 1, keys)
}

/// The size of the multiset intersection of two sorted lists: the sum over values of the
/// smaller count.
fn sorted_multiset_intersection(a: &[u128], b: &[u128]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// One gold article's score.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentScore {
    pub id: String,
    #[serde(flatten)]
    pub overlap: Overlap,
    /// `None` when the document is left out of the precision mean (no predicted shingle).
    pub precision: Option<f64>,
    /// `None` when the document is left out of the recall mean (no gold shingle).
    pub recall: Option<f64>,
    /// From this document's own P and R; used to rank documents, not in the reported F1.
    pub f1: f64,
    /// The token lists are equal.
    pub exact: bool,
    /// False when no prediction was found for the gold entry; it was scored as empty.
    pub predicted: bool,
    pub pred_bytes: usize,
    pub gold_bytes: usize,
    /// The size of the page dump the prediction was cleaned from, when it was cleaned here.
    pub raw_bytes: Option<usize>,
}

impl DocumentScore {
    /// Scores one prediction against its gold text.
    pub fn new(id: &str, gold: &str, pred: Option<&str>, raw_bytes: Option<usize>) -> Self {
        let gold_tokens = tokens(gold);
        let pred_tokens = tokens(pred.unwrap_or(""));
        let overlap = shingle_overlap(&gold_tokens, &pred_tokens);
        let (p, r) = (overlap.precision(), overlap.recall());
        DocumentScore {
            id: id.to_string(),
            overlap,
            precision: overlap.counts_for_precision().then_some(p),
            recall: overlap.counts_for_recall().then_some(r),
            f1: harmonic_mean(p, r),
            exact: gold_tokens == pred_tokens,
            predicted: pred.is_some(),
            pred_bytes: pred.map_or(0, str::len),
            gold_bytes: gold.len(),
            raw_bytes,
        }
    }
}

fn harmonic_mean(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// The corpus figures.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Metrics {
    /// Mean of per-document precision over the documents that count for it.
    pub precision: f64,
    /// Mean of per-document recall over the documents that count for it.
    pub recall: f64,
    /// 2PR/(P+R) of the two means; the mean of per-document F1 would reward a tool that is
    /// perfect on some pages and useless on others.
    pub f1: f64,
    /// Share of documents whose tokens equal the gold tokens.
    pub accuracy: f64,
}

/// Macro averages over documents. A mean over no document is 0 (`evaluate.py` would stop
/// with an error there; 0 keeps a bootstrap sample of empty predictions from aborting).
pub fn metrics<'a>(scores: impl IntoIterator<Item = &'a DocumentScore>) -> Metrics {
    let (mut p_sum, mut p_n, mut r_sum, mut r_n, mut exact, mut n) = (0.0, 0usize, 0.0, 0, 0, 0);
    for score in scores {
        n += 1;
        if let Some(p) = score.precision {
            p_sum += p;
            p_n += 1;
        }
        if let Some(r) = score.recall {
            r_sum += r;
            r_n += 1;
        }
        exact += usize::from(score.exact);
    }
    let mean = |sum: f64, n: usize| if n > 0 { sum / n as f64 } else { 0.0 };
    let (precision, recall) = (mean(p_sum, p_n), mean(r_sum, r_n));
    Metrics {
        precision,
        recall,
        f1: harmonic_mean(precision, recall),
        accuracy: mean(exact as f64, n),
    }
}

/// splitmix64: a few lines, good enough to draw resample indices, and the same everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0), by multiplying instead of `%`, which favours small values.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// Bootstrap standard deviations of the metrics: documents are resampled with replacement
/// and the metrics recomputed each time; the sample standard deviation (n - 1, as Python's
/// `statistics.stdev`) of each is returned.
pub fn bootstrap(scores: &[DocumentScore], resamples: usize, seed: u64) -> Metrics {
    if scores.is_empty() || resamples < 2 {
        return Metrics::default();
    }
    let mut rng = SplitMix64(seed);
    let samples: Vec<Metrics> = (0..resamples)
        .map(|_| {
            let drawn: Vec<&DocumentScore> = (0..scores.len())
                .map(|_| &scores[rng.below(scores.len())])
                .collect();
            metrics(drawn)
        })
        .collect();
    let sd = |value: fn(&Metrics) -> f64| {
        let n = samples.len() as f64;
        let mean = samples.iter().map(value).sum::<f64>() / n;
        let squares: f64 = samples.iter().map(|m| (value(m) - mean).powi(2)).sum();
        (squares / (n - 1.0)).sqrt()
    };
    Metrics {
        precision: sd(|m| m.precision),
        recall: sd(|m| m.recall),
        f1: sd(|m| m.f1),
        accuracy: sd(|m| m.accuracy),
    }
}

/// Where the texts to score come from.
#[derive(Clone, Copy)]
pub enum Predictions<'a> {
    /// Read page dumps from these files or folders and clean them with these rules.
    Clean {
        inputs: &'a [PathBuf],
        rules: &'a RuleSet,
    },
    /// Read already-clean text: `DIR/<item_id>.txt` (or anything `input` reads there).
    Files { dir: &'a Path },
}

/// The result of an evaluation.
#[derive(Debug, Serialize)]
pub struct Evaluation {
    pub gold: String,
    /// `clean` or `pred`.
    pub mode: &'static str,
    /// The inputs cleaned, or the folder of predictions.
    pub source: Vec<String>,
    /// Gold entries scored (all of them).
    pub documents: usize,
    /// Gold entries with no prediction, scored as an empty text.
    pub missing_predictions: usize,
    /// Documents read whose id has no gold entry; not scored.
    pub unmatched_inputs: usize,
    pub metrics: Metrics,
    /// Bootstrap standard deviations of `metrics`.
    pub std: Metrics,
    pub bootstrap_resamples: usize,
    pub bootstrap_seed: u64,
    /// Ids of the lowest per-document F1 first.
    pub worst: Vec<String>,
    pub per_document: Vec<DocumentScore>,
    /// Inputs that could not be read, or were read with a warning.
    #[serde(serialize_with = "problems_as_text")]
    pub problems: Vec<Problem>,
}

fn problems_as_text<S: serde::Serializer>(
    problems: &[Problem],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(problems.iter().map(ToString::to_string))
}

/// A prediction found for a document id.
struct Prediction {
    text: String,
    raw_bytes: Option<usize>,
}

/// Scores predictions against a gold file. Runs on the current rayon pool.
pub fn evaluate(gold_path: &Path, predictions: Predictions<'_>) -> Result<Evaluation, EvalError> {
    let gold = load_gold(gold_path)?;
    let (mode, inputs): (&'static str, Vec<PathBuf>) = match predictions {
        Predictions::Clean { inputs, .. } => ("clean", inputs.to_vec()),
        Predictions::Files { dir } => {
            // A mistyped folder would otherwise score every article as missed.
            std::fs::metadata(dir).map_err(|e| {
                EvalError::Predictions(format!("cannot read predictions {}: {e}", dir.display()))
            })?;
            ("pred", vec![dir.to_path_buf()])
        }
    };
    let mut loaded = input::read_inputs(&inputs, &InputOptions::default());
    let read = loaded.documents.len();
    if let Predictions::Clean { rules, .. } = &predictions {
        // Site-scoped rules and the per-site line counts need the host; a dump file does not
        // say it, the gold entry does.
        for document in &mut loaded.documents {
            let Some(entry) = gold.get(&document.id) else {
                continue;
            };
            if document.url.is_none() {
                document.url = entry.url.clone();
            }
            if document.site.is_none() {
                document.site = document.url.as_deref().and_then(input::host_of);
            }
        }
        rules.prepare(&mut loaded.documents);
    }
    let found: HashMap<String, Prediction> = loaded
        .documents
        .into_par_iter()
        .filter_map(|document| {
            gold.get(&document.id)?;
            let id = document.id.clone();
            let prediction = match predictions {
                Predictions::Files { .. } => Prediction {
                    text: document.raw,
                    raw_bytes: None,
                },
                Predictions::Clean { rules, .. } => {
                    let raw_bytes = document.raw.len();
                    Prediction {
                        text: crate::clean_document(document, rules, None).clean,
                        raw_bytes: Some(raw_bytes),
                    }
                }
            };
            Some((id, prediction))
        })
        .collect();
    let unmatched_inputs = read - found.len();
    let entries: Vec<(&String, &GoldEntry)> = gold.iter().collect();
    let per_document: Vec<DocumentScore> = entries
        .par_iter()
        .map(|(id, entry)| {
            let prediction = found.get(*id);
            DocumentScore::new(
                id,
                &entry.article_body,
                prediction.map(|p| p.text.as_str()),
                prediction.and_then(|p| p.raw_bytes),
            )
        })
        .collect();
    let mut ranked: Vec<&DocumentScore> = per_document.iter().collect();
    ranked.sort_by(|a, b| a.f1.total_cmp(&b.f1).then_with(|| a.id.cmp(&b.id)));
    let worst = ranked
        .iter()
        .take(WORST_SHOWN)
        .map(|s| s.id.clone())
        .collect();
    Ok(Evaluation {
        gold: gold_path.display().to_string(),
        mode,
        source: inputs.iter().map(|p| p.display().to_string()).collect(),
        documents: per_document.len(),
        missing_predictions: per_document.iter().filter(|s| !s.predicted).count(),
        unmatched_inputs,
        metrics: metrics(&per_document),
        std: bootstrap(&per_document, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED),
        bootstrap_resamples: BOOTSTRAP_RESAMPLES,
        bootstrap_seed: BOOTSTRAP_SEED,
        worst,
        per_document,
        problems: loaded.problems,
    })
}

impl Evaluation {
    /// The one-screen summary: the figures, then the documents that score worst.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let source = match self.mode {
            "pred" => format!("predictions read from {}", self.source.join(", ")),
            _ => format!("pages cleaned from {}", self.source.join(", ")),
        };
        let _ = writeln!(out, "gold         {}", self.gold);
        let _ = writeln!(out, "scored       {} documents, {source}", self.documents);
        let _ = writeln!(
            out,
            "             {} without a prediction (scored as empty), {} inputs without a gold entry (ignored)",
            self.missing_predictions, self.unmatched_inputs
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "             mean    ± sd");
        let rows = [
            ("precision", self.metrics.precision, self.std.precision, ""),
            ("recall", self.metrics.recall, self.std.recall, ""),
            ("F1", self.metrics.f1, self.std.f1, "  (from mean P and R)"),
            (
                "accuracy",
                self.metrics.accuracy,
                self.std.accuracy,
                "  (tokens equal to gold)",
            ),
        ];
        for (name, mean, sd, note) in rows {
            let _ = writeln!(out, "{name:<12} {mean:>6.3}  {sd:>6.3}{note}");
        }
        let _ = writeln!(
            out,
            "± is the bootstrap standard deviation over documents ({} resamples).",
            self.bootstrap_resamples
        );
        let by_id: HashMap<&str, &DocumentScore> = self
            .per_document
            .iter()
            .map(|s| (s.id.as_str(), s))
            .collect();
        if !self.worst.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "worst {} by F1", self.worst.len());
            let _ = writeln!(out, "{:>6} {:>6} {:>6}  {:<36} ID", "P", "R", "F1", "NOTE");
            for score in self.worst.iter().filter_map(|id| by_id.get(id.as_str())) {
                let _ = writeln!(
                    out,
                    "{:>6} {:>6} {:>6.3}  {:<36} {}",
                    fixed(score.precision),
                    fixed(score.recall),
                    score.f1,
                    note(score),
                    score.id
                );
            }
        }
        out
    }
}

fn fixed(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

/// How much text the prediction has next to the gold text, which tells a reviewer at once
/// whether the cleaning kept too much or too little.
fn note(score: &DocumentScore) -> String {
    if !score.predicted {
        return format!("no prediction; gold {} B", score.gold_bytes);
    }
    match score.raw_bytes {
        Some(raw) => format!(
            "kept {} of {raw} B; gold {} B",
            score.pred_bytes, score.gold_bytes
        ),
        None => format!("pred {} B; gold {} B", score.pred_bytes, score.gold_bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(gold: &str, pred: &str) -> Overlap {
        shingle_overlap(&tokens(gold), &tokens(pred))
    }

    fn score(id: &str, gold: &str, pred: Option<&str>) -> DocumentScore {
        DocumentScore::new(id, gold, pred, None)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn tokens_follow_python_word_characters() {
        assert_eq!(
            tokens("Hello, world_1 x² ½ 日本語!"),
            ["Hello", "world_1", "x²", "½", "日本語"]
        );
        // A combining accent and a connector other than `_` end a token in Python's `\w+`,
        // unlike in Rust's own `\w`.
        assert_eq!(tokens("e\u{301}t\u{e9}"), ["e", "t\u{e9}"]);
        assert_eq!(tokens("नमस्ते"), ["नमस", "त"]);
        assert_eq!(tokens("\u{203f}a"), ["a"]);
        assert!(tokens(" \n—…").is_empty());
    }

    #[test]
    fn identical_texts_score_one() {
        let gold = "The council voted seven to two on Tuesday.";
        let s = score("a", gold, Some(gold));
        assert_eq!(s.overlap.tp, 1.0);
        assert_eq!((s.precision, s.recall, s.f1), (Some(1.0), Some(1.0), 1.0));
        assert!(s.exact);
        let m = metrics([&s]);
        assert_eq!(
            (m.precision, m.recall, m.f1, m.accuracy),
            (1.0, 1.0, 1.0, 1.0)
        );
    }

    #[test]
    fn disjoint_texts_score_zero() {
        let o = overlap("a b c d e", "v w x y z");
        assert_eq!((o.tp, o.fp, o.fn_), (0.0, 0.5, 0.5));
        assert_eq!((o.precision(), o.recall()), (0.0, 0.0));
        let s = score("a", "a b c d e", Some("v w x y z"));
        assert_eq!((s.precision, s.recall, s.f1), (Some(0.0), Some(0.0), 0.0));
        assert!(!s.exact);
    }

    #[test]
    fn extra_predicted_text_costs_precision_only() {
        // Gold shingles {abcd, bcde}; predicted {abcd, bcde, cdef}: tp 2, fp 1, fn 0.
        let o = overlap("a b c d e", "a b c d e f");
        assert!(close(o.tp, 2.0 / 3.0) && close(o.fp, 1.0 / 3.0) && o.fn_ == 0.0);
        assert!(close(o.precision(), 2.0 / 3.0));
        assert_eq!(o.recall(), 1.0);
        let s = score("a", "a b c d e", Some("a b c d e f"));
        assert!(close(s.f1, 0.8));
    }

    #[test]
    fn missing_text_costs_recall_only() {
        // Gold {abcd, bcde, cdef}; predicted {abcd}: tp 1, fp 0, fn 2.
        let o = overlap("a b c d e f", "a b c d");
        assert_eq!(o.precision(), 1.0);
        assert!(close(o.recall(), 1.0 / 3.0));
    }

    #[test]
    fn case_matters() {
        let o = overlap("The cat sat down", "the cat sat down");
        assert_eq!((o.precision(), o.recall()), (0.0, 0.0));
    }

    #[test]
    fn short_texts_give_one_shorter_shingle() {
        assert_eq!(overlap("a b c", "a, b. c").precision(), 1.0);
        // (a b) is a different shingle from (a b c), not a part of it.
        let o = overlap("a b c", "a b");
        assert_eq!((o.tp, o.fp, o.fn_), (0.0, 0.5, 0.5));
        // (x a b c) is one 4-gram, sharing nothing with the 3-token shingle.
        assert_eq!(overlap("a b c", "x a b c").recall(), 0.0);
        // One token is a shingle too.
        assert_eq!(overlap("Hello", "Hello").recall(), 1.0);
    }

    #[test]
    fn repeated_shingles_count_as_a_multiset() {
        // Gold "a b c d a b c d": abcd ×2, bcda, cdab, dabc (5 shingles).
        // Predicted "a b c d": abcd ×1, so tp 1, fp 0, fn 4 (a set would give recall 1/4).
        let o = overlap("a b c d a b c d", "a b c d");
        assert!(close(o.tp, 0.2) && o.fp == 0.0 && close(o.fn_, 0.8));
        assert!(close(o.recall(), 0.2));
        // Predicted three times over: abcd ×3, bcda ×2, cdab ×2, dabc ×2 (9 shingles);
        // tp = min(2,3) + 1 + 1 + 1 = 5, fp 4, fn 0.
        let o = overlap("a b c d a b c d", "a b c d a b c d a b c d");
        assert!(close(o.precision(), 5.0 / 9.0));
        assert_eq!(o.recall(), 1.0);
    }

    #[test]
    fn empty_texts_follow_evaluate_py() {
        // No prediction: no shingle, so tp = fp = 0 and the document drops out of the
        // precision mean but counts as recall 0.
        let missing = score("m", "a b c d e", None);
        assert_eq!((missing.precision, missing.recall), (None, Some(0.0)));
        assert!(!missing.predicted && !missing.exact);
        let empty = score("e", "a b c d e", Some("  ...  "));
        assert_eq!((empty.precision, empty.recall), (None, Some(0.0)));
        assert!(empty.predicted);
        // Both empty: counted in neither mean, but the token lists are equal.
        let both = score("b", "", Some("—"));
        assert_eq!(both.overlap, Overlap::default());
        assert_eq!((both.precision, both.recall), (None, None));
        assert!(both.exact);

        let perfect = score("p", "a b c d e", Some("a b c d e"));
        let m = metrics([&perfect, &missing]);
        assert_eq!((m.precision, m.recall, m.accuracy), (1.0, 0.5, 0.5));
        assert!(close(m.f1, 2.0 / 3.0));
    }

    #[test]
    fn metrics_are_macro_averages_with_f1_from_the_means() {
        // Document one: P 1, R 1/5 (F1 1/3). Document two: P 2/3, R 1 (F1 4/5).
        let one = score("1", "a b c d a b c d", Some("a b c d"));
        let two = score("2", "a b c d e", Some("a b c d e f"));
        let m = metrics([&one, &two]);
        assert!(close(m.precision, 5.0 / 6.0));
        assert!(close(m.recall, 3.0 / 5.0));
        // 2 · 5/6 · 3/5 / (5/6 + 3/5) = 30/43, not the mean of the F1s (17/30).
        assert!(close(m.f1, 30.0 / 43.0));
        assert!(!close(m.f1, (one.f1 + two.f1) / 2.0));
        assert_eq!(m.accuracy, 0.0);
    }

    #[test]
    fn metrics_of_nothing_are_zero() {
        assert_eq!(metrics([]), Metrics::default());
        let m = metrics([&score("m", "a b", None)]);
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn bootstrap_is_deterministic_and_measures_spread() {
        // 100 documents, half exact and half disjoint: the accuracy is a mean of 100
        // Bernoulli(1/2) draws, whose standard deviation is 0.05.
        let scores: Vec<DocumentScore> = (0..100)
            .map(|i| {
                let pred = if i % 2 == 0 { "a b c d e" } else { "v w x y z" };
                score(&i.to_string(), "a b c d e", Some(pred))
            })
            .collect();
        let first = bootstrap(&scores, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED);
        let again = bootstrap(&scores, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED);
        assert_eq!(first, again);
        assert!((0.04..0.06).contains(&first.accuracy), "{}", first.accuracy);
        assert!((0.04..0.06).contains(&first.precision));
        assert_ne!(first, bootstrap(&scores, BOOTSTRAP_RESAMPLES, 7));

        let same: Vec<DocumentScore> = (0..10)
            .map(|i| score(&i.to_string(), "a b c d e", Some("a b c d e f")))
            .collect();
        let flat = bootstrap(&same, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED);
        assert!(flat.precision.abs() < 1e-12 && flat.f1.abs() < 1e-12);
        assert_eq!(bootstrap(&[], BOOTSTRAP_RESAMPLES, 1), Metrics::default());
    }

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn gold_files_that_are_not_the_benchmark_format_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("broken.json", "{\"a\": {\"articleBody\": \"x\""),
            ("list.json", "[{\"articleBody\": \"x\"}]"),
            ("nobody.json", "{\"a\": {\"text\": \"x\", \"url\": \"u\"}}"),
            ("empty.json", "{}"),
        ];
        for (name, text) in cases {
            let path = dir.path().join(name);
            write(&path, text);
            match load_gold(&path) {
                Err(EvalError::Gold(message)) => assert!(message.contains(name), "{message}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        match load_gold(&dir.path().join("absent.json")) {
            Err(EvalError::Gold(message)) => assert!(message.contains("absent.json")),
            other => panic!("{other:?}"),
        }
        let good = dir.path().join("good.json");
        write(
            &good,
            r#"{"a": {"articleBody": "x", "url": "https://example.com/a", "extra": 1}, "b": {"articleBody": ""}}"#,
        );
        let gold = load_gold(&good).unwrap();
        assert_eq!(gold.len(), 2);
        assert_eq!(gold["a"].url.as_deref(), Some("https://example.com/a"));
        assert_eq!(gold["b"].url, None);
    }

    #[test]
    fn predictions_are_matched_to_gold_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let gold = dir.path().join("gold.json");
        write(
            &gold,
            r#"{"a": {"articleBody": "a b c d e", "url": ""},
                "b": {"articleBody": "a b c d e", "url": ""},
                "c": {"articleBody": "a b c d e", "url": ""}}"#,
        );
        let pred = dir.path().join("pred");
        write(&pred.join("a.txt"), "a b c d e\n");
        write(&pred.join("b.txt"), "a b c d e f\n");
        write(&pred.join("stray.txt"), "a b c d e\n");
        let evaluation = evaluate(&gold, Predictions::Files { dir: &pred }).unwrap();
        assert_eq!(evaluation.documents, 3);
        assert_eq!(evaluation.missing_predictions, 1);
        assert_eq!(evaluation.unmatched_inputs, 1);
        let ids: Vec<&str> = evaluation
            .per_document
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        // P: mean of 1 and 2/3 (c has no prediction); R: mean of 1, 1 and 0.
        assert!(close(evaluation.metrics.precision, 5.0 / 6.0));
        assert!(close(evaluation.metrics.recall, 2.0 / 3.0));
        assert!(close(evaluation.metrics.accuracy, 1.0 / 3.0));
        assert_eq!(evaluation.worst, ["c", "b", "a"]);
        assert!(evaluation.render().contains("no prediction"));

        let absent = dir.path().join("absent");
        assert!(matches!(
            evaluate(&gold, Predictions::Files { dir: &absent }),
            Err(EvalError::Predictions(_))
        ));
    }

    #[test]
    fn cleaning_knows_the_site_from_the_gold_url() {
        let dir = tempfile::tempdir().unwrap();
        let rules_file = dir.path().join("site.toml");
        write(
            &rules_file,
            r#"
[[rule]]
id = "test.sponsored"
description = "A sponsor line on one site."
match.line = ["Sponsored"]
action = "drop"
sites = ["example.com"]
"#,
        );
        let rules = RuleSet::load(&crate::RuleSources {
            defaults: false,
            paths: vec![rules_file],
        })
        .unwrap();
        let text = dir.path().join("text");
        write(
            &text.join("story.txt"),
            "Sponsored\nThe council voted seven to two on Tuesday night.\n",
        );
        let body = "The council voted seven to two on Tuesday night.";
        let precision_with_url = |url: &str| {
            let gold = dir.path().join("gold.json");
            let entry = serde_json::json!({"story": {"articleBody": body, "url": url}});
            write(&gold, &entry.to_string());
            let inputs = [text.clone()];
            let evaluation = evaluate(
                &gold,
                Predictions::Clean {
                    inputs: &inputs,
                    rules: &rules,
                },
            )
            .unwrap();
            assert_eq!(evaluation.per_document[0].raw_bytes, Some(59));
            evaluation.metrics.precision
        };
        assert_eq!(
            precision_with_url("https://www.example.com/news/story"),
            1.0
        );
        assert!(precision_with_url("https://other.org/story") < 1.0);
    }
}
