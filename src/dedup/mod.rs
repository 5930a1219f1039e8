//! Near-duplicate stories: finds the copies of one story among the documents of a run (and
//! of earlier runs kept in an index), keeps one copy of each and says which were dropped.
//!
//! The same wire story reaches many sites with its own chrome and small edits, so copies are
//! judged on clean text. Each document gets a `Fingerprint` (`minhash`); documents are visited
//! in keep order (longest first, or input order) and each is compared only with the kept
//! documents it meets in an LSH band (`index`). A candidate counts only after its shingle sets
//! are compared exactly: LSH proposes, never decides. A document joins the kept document it is
//! most similar to, or is kept itself: clusters cannot chain, because a copy is always
//! compared with the kept copy and never with another copy. Visiting in a fixed order makes the
//! clusters the same whatever the thread count; only fingerprinting runs in parallel.

pub mod index;
pub mod minhash;
pub mod run;

use std::collections::HashMap;

pub use index::Index;
pub use minhash::{fingerprint, overlap, Fingerprint, Overlap};

/// Which copy of a story is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// The longest clean text (ties: the earlier in input order).
    #[default]
    Longest,
    /// The first in input order.
    First,
}

/// Thresholds for calling two documents copies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Jaccard similarity of word-shingle sets at or above which two texts are copies.
    pub similarity: f64,
    /// Share of the smaller text's shingles found in the larger at or above which the smaller
    /// is a truncated copy of the larger (or the larger an extended copy).
    pub containment: f64,
    pub keep: Keep,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            similarity: 0.8,
            containment: 0.9,
            keep: Keep::Longest,
        }
    }
}

/// Containment is only trusted when the smaller text has at least this many shingles: a
/// two-line text is "contained" in any story that quotes the same two lines.
pub const MIN_CONTAINED_SHINGLES: usize = 20;

/// A document offered for deduplication.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    /// Length of the clean text in bytes, for `Keep::Longest`.
    pub len: usize,
    pub fingerprint: Fingerprint,
}

/// Why a document was dropped: the kept copy it duplicates and how close they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duplicate {
    /// The kept document, as a position in `Index::kept`.
    pub kept: usize,
    pub similarity: f64,
    pub containment: f64,
    /// The normalised texts are identical.
    pub exact: bool,
}

impl Duplicate {
    fn rank(&self) -> (f64, f64) {
        (self.similarity, self.containment)
    }
}

/// Decides every candidate of one run against the index, in keep order, and adds the kept
/// ones to the index. Returns one decision per candidate, in the order given: `None` for a
/// document that is kept (or has no words to compare).
pub fn decide(
    index: &mut Index,
    candidates: Vec<Candidate>,
    config: &Config,
) -> Vec<Option<Duplicate>> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    if config.keep == Keep::Longest {
        order.sort_by_key(|&i| (std::cmp::Reverse(candidates[i].len), i));
    }
    let mut slots: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    let mut decisions = vec![None; slots.len()];
    // Exact copies of a dropped document go to that document's kept copy with its scores.
    let mut exact: HashMap<[u64; 2], Duplicate> = HashMap::new();
    let mut seen = Vec::new();
    for position in order {
        let Some(candidate) = slots[position].take() else {
            continue;
        };
        let fp = &candidate.fingerprint;
        if fp.words == 0 {
            continue;
        }
        if let Some(dup) = exact.get(&fp.exact).copied().or_else(|| {
            index.exact(&fp.exact).map(|kept| Duplicate {
                kept,
                similarity: 1.0,
                containment: 1.0,
                exact: true,
            })
        }) {
            index.add_member(dup.kept, candidate.id);
            decisions[position] = Some(dup);
            continue;
        }
        let mut best: Option<Duplicate> = None;
        index.candidates(&fp.bands, &mut seen);
        for &kept in &seen {
            let other = index.shingles(kept);
            let Some(o) = minhash::overlap_at_least(
                &fp.shingles,
                other,
                shared_needed(fp.shingles.len(), other.len(), config),
            ) else {
                continue;
            };
            let similar = o.similarity >= config.similarity
                || (o.containment >= config.containment && o.smaller >= MIN_CONTAINED_SHINGLES);
            if !similar {
                continue;
            }
            let dup = Duplicate {
                kept,
                similarity: o.similarity,
                containment: o.containment,
                exact: false,
            };
            // `seen` is in ascending kept order, so ties go to the earlier kept document.
            if best.is_none_or(|b| dup.rank() > b.rank()) {
                best = Some(dup);
            }
        }
        match best {
            Some(dup) => {
                exact.entry(fp.exact).or_insert(dup);
                index.add_member(dup.kept, candidate.id);
                decisions[position] = Some(dup);
            }
            None => {
                index.add_kept(candidate, Some(position));
            }
        }
    }
    decisions
}

/// The fewest shared shingles with which sets of sizes `a` and `b` could pass either
/// threshold; a little below the exact bound, so float rounding never rejects a pair that
/// passes (the thresholds themselves are checked afterwards).
fn shared_needed(a: usize, b: usize, config: &Config) -> usize {
    let smaller = a.min(b) as f64;
    // shared / (a + b - shared) >= s  <=>  shared >= s (a + b) / (1 + s)
    let for_similarity = config.similarity * (a + b) as f64 / (1.0 + config.similarity);
    let bound = if a.min(b) >= MIN_CONTAINED_SHINGLES {
        for_similarity.min(config.containment * smaller)
    } else {
        for_similarity
    };
    (bound - 1e-6).ceil().max(0.0) as usize
}

/// Rounds a score for output: four decimals are what a reviewer reads, and fewer digits keep
/// the files short.
pub fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// The lines of `duplicates.jsonl`: one per cluster that lost at least one copy in this run,
/// in the order of the kept documents, members in input order. Written straight into bytes,
/// as serde_json writes such objects (compact, fields in this order); a run with many copies
/// has as many members, and building JSON values for them would cost more than the rest of
/// writing the file.
pub fn clusters_jsonl(index: &Index, ids: &[&str], decisions: &[Option<Duplicate>]) -> Vec<u8> {
    use crate::report::json_string;
    // The copies by kept document; the sort is stable, so members stay in input order.
    let mut members: Vec<(usize, Duplicate)> = decisions
        .iter()
        .enumerate()
        .filter_map(|(position, decision)| decision.map(|dup| (position, dup)))
        .collect();
    members.sort_by_key(|&(_, dup)| dup.kept);
    let score = |out: &mut Vec<u8>, score: f64| {
        // Floats are subtle to print; serde_json prints them. Writing into memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, &round(score));
    };
    let mut out = Vec::new();
    for cluster in members.chunk_by(|a, b| a.1.kept == b.1.kept) {
        let entry = index.entry(cluster[0].1.kept);
        out.extend_from_slice(b"{\"kept\":");
        json_string(&mut out, &entry.id);
        out.extend_from_slice(if entry.position.is_none() {
            b",\"kept_from_index\":true,\"members\":["
        } else {
            b",\"kept_from_index\":false,\"members\":["
        });
        for (k, &(position, dup)) in cluster.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"id\":");
            json_string(&mut out, ids[position]);
            out.extend_from_slice(b",\"similarity\":");
            score(&mut out, dup.similarity);
            out.extend_from_slice(b",\"containment\":");
            score(&mut out, dup.containment);
            out.extend_from_slice(if dup.exact {
                b",\"exact\":true}"
            } else {
                b",\"exact\":false}"
            });
        }
        out.extend_from_slice(b"]}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(seed: u64, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("w{}", minhash::mix64(seed * 7919 + i as u64) % 3000))
            .collect()
    }

    fn candidate(id: &str, text: &str) -> Candidate {
        Candidate {
            id: id.into(),
            len: text.len(),
            fingerprint: fingerprint(text),
        }
    }

    fn run(texts: &[(&str, String)], config: &Config) -> (Index, Vec<Option<Duplicate>>) {
        let mut index = Index::new();
        let candidates = texts.iter().map(|(id, t)| candidate(id, t)).collect();
        let decisions = decide(&mut index, candidates, config);
        (index, decisions)
    }

    /// `clusters_jsonl` as JSON values serialised by serde_json: what it writes directly.
    fn clusters_jsonl_by_values(
        index: &Index,
        ids: &[&str],
        decisions: &[Option<Duplicate>],
    ) -> Vec<u8> {
        use serde_json::{json, Value};
        let mut clusters: std::collections::BTreeMap<usize, Vec<Value>> = Default::default();
        for (position, decision) in decisions.iter().enumerate() {
            if let Some(dup) = decision {
                clusters.entry(dup.kept).or_default().push(json!({
                    "id": ids[position],
                    "similarity": round(dup.similarity),
                    "containment": round(dup.containment),
                    "exact": dup.exact,
                }));
            }
        }
        let mut out = Vec::new();
        for (kept, members) in clusters {
            let entry = index.entry(kept);
            let record = json!({
                "kept": entry.id,
                "kept_from_index": entry.position.is_none(),
                "members": members,
            });
            serde_json::to_writer(&mut out, &record).expect("in memory");
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn clusters_jsonl_writes_what_serde_json_writes() {
        let mut index = Index::new();
        let kept_ids = ["k\"0\"", "kept/1 \u{e9}\u{1F600}", "k\\2\u{1}\n"];
        for (k, id) in kept_ids.iter().enumerate() {
            let position = (k != 1).then_some(k);
            index.add_kept(candidate(id, &words(k as u64, 50).join(" ")), position);
        }
        let ids: Vec<String> = (0..12)
            .map(|i| format!("doc {i} \"\u{7f}\u{2028}"))
            .collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let scores = [1.0, 0.987_654_321, 1e-7, 1.0 / 3.0, 0.5, 0.999_95, 0.0];
        let decisions: Vec<Option<Duplicate>> = (0..12)
            .map(|i| {
                (i % 4 != 0).then(|| Duplicate {
                    kept: (i * 7) % 3,
                    similarity: scores[i % scores.len()],
                    containment: scores[(i + 3) % scores.len()],
                    exact: i % 3 == 0,
                })
            })
            .collect();
        let written = clusters_jsonl(&index, &ids, &decisions);
        assert_eq!(
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&clusters_jsonl_by_values(&index, &ids, &decisions))
        );
        assert_eq!(written.iter().filter(|&&b| b == b'\n').count(), 3);
        assert!(clusters_jsonl(&index, &ids, &[None; 12]).is_empty());
    }

    #[test]
    fn copies_join_the_longest_and_others_stay_apart() {
        let story = words(1, 400);
        let mut edited = story.clone();
        edited[100] = "changed".into();
        let truncated = story[..300].join(" ");
        let texts = vec![
            ("short", truncated),
            ("edited", edited.join(" ")),
            ("other", words(2, 400).join(" ")),
            ("full", story.join(" ") + " extra"),
            ("exact", story.join(" ").to_uppercase() + " EXTRA"),
        ];
        let (index, decisions) = run(&texts, &Config::default());
        let kept = |i: usize| decisions[i].map(|d| index.entry(d.kept).id.as_str());
        // "exact" and "full" have the same normalised text and length: input order decides.
        assert_eq!(kept(0), Some("full"));
        assert_eq!(kept(1), Some("full"));
        assert_eq!(kept(2), None);
        assert_eq!(kept(3), None);
        assert_eq!(kept(4), Some("full"));
        assert!(decisions[4].unwrap().exact);
        assert!(decisions[0].unwrap().containment >= 0.99);
        assert!(decisions[0].unwrap().similarity < 0.8);
    }

    #[test]
    fn keep_first_keeps_input_order() {
        let story = words(3, 300);
        let texts = vec![("a", story[..250].join(" ")), ("b", story.join(" "))];
        let config = Config {
            keep: Keep::First,
            ..Config::default()
        };
        let (index, decisions) = run(&texts, &config);
        assert_eq!(decisions[0], None);
        assert_eq!(index.entry(decisions[1].unwrap().kept).id, "a");
    }

    #[test]
    fn no_chaining_through_a_middle_copy() {
        // b is close to both a and c, but a and c are not close to each other.
        let base = words(4, 400);
        let shift = |from: usize| -> String {
            let mut w = base.clone();
            for (i, x) in w.iter_mut().enumerate().skip(from).step_by(9) {
                *x = format!("e{i}");
            }
            w.join(" ")
        };
        let a = base.join(" ") + " longest tail words here";
        let b = shift(0);
        let mut c_words: Vec<String> = b.split(' ').map(String::from).collect();
        for (i, x) in c_words.iter_mut().enumerate().skip(4).step_by(9) {
            *x = format!("f{i}");
        }
        let c = c_words.join(" ");
        let ab = overlap(&fingerprint(&a).shingles, &fingerprint(&b).shingles);
        let ac = overlap(&fingerprint(&a).shingles, &fingerprint(&c).shingles);
        let config = Config {
            similarity: (ab.similarity + ac.similarity) / 2.0,
            containment: 1.1,
            keep: Keep::Longest,
        };
        let bc = overlap(&fingerprint(&b).shingles, &fingerprint(&c).shingles);
        assert!(
            bc.similarity >= config.similarity,
            "c is similar to b: chaining would put it with a"
        );
        let (index, decisions) = run(&[("a", a), ("b", b), ("c", c)], &config);
        assert_eq!(index.entry(decisions[1].unwrap().kept).id, "a");
        assert_eq!(decisions[2], None, "c is not similar enough to a");
    }

    #[test]
    fn tiny_texts_are_not_contained_in_stories() {
        let story = words(5, 400);
        let quote = story[10..20].join(" ");
        let (_, decisions) = run(
            &[("story", story.join(" ")), ("quote", quote)],
            &Config::default(),
        );
        assert_eq!(decisions, vec![None, None]);
    }

    #[test]
    fn texts_without_words_are_never_clustered() {
        let (_, decisions) = run(
            &[("a", "--".into()), ("b", "--".into())],
            &Config::default(),
        );
        assert_eq!(decisions, vec![None, None]);
    }

    #[test]
    fn clusters_are_the_same_in_any_candidate_order() {
        let texts: Vec<(String, String)> = (0..40)
            .map(|i| {
                let mut w = words(10 + i / 4, 200);
                w[(i % 4) as usize * 30] = format!("x{i}");
                (format!("d{i}"), w.join(" "))
            })
            .collect();
        let borrowed: Vec<(&str, String)> =
            texts.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
        let (index, decisions) = run(&borrowed, &Config::default());
        let named: Vec<Option<String>> = decisions
            .iter()
            .map(|d| d.map(|d| index.entry(d.kept).id.clone()))
            .collect();
        assert_eq!(named.iter().filter(|d| d.is_none()).count(), 10);
        let mut reversed = borrowed.clone();
        reversed.reverse();
        let config = Config {
            keep: Keep::First,
            ..Config::default()
        };
        let (index2, decisions2) = run(&reversed, &config);
        // With keep-first in reverse order the kept copy is the last of each four.
        for (i, d) in decisions2.iter().enumerate() {
            let original = 39 - i;
            if original % 4 == 3 {
                assert!(d.is_none());
            } else {
                let kept = &index2.entry(d.unwrap().kept).id;
                assert_eq!(kept, &format!("d{}", original / 4 * 4 + 3));
            }
        }
    }
}
