//! `newsclean rules lint`: finds rules that cannot do what their author meant before they
//! are run on a corpus, and with a corpus, rules that did nothing or removed article text.
//!
//! The static checks follow from how rules are matched: each line is trimmed before matching,
//! whole-line phrases ignore case, and the first matching rule in load order removes the line,
//! so a later rule whose every phrase an earlier rule also matches never gets a line.

use regex::Regex;
use std::collections::BTreeMap;

use crate::rules::{Action, Position, RuleDef, RuleSet};

/// One thing lint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    /// Where the rule is defined (`file:line`).
    pub origin: String,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.rule, self.origin, self.message)
    }
}

/// The checks that need no corpus.
pub fn check(rules: &RuleSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    let defs: Vec<&RuleDef> = rules.rules.iter().map(|r| &r.def).collect();
    for (i, def) in defs.iter().enumerate() {
        let mut say = |message: String| {
            findings.push(Finding {
                rule: def.id.clone(),
                origin: def.origin.to_string(),
                message,
            })
        };
        let m = &def.matcher;
        for phrase in &m.line {
            if phrase.contains(['\n', '\r']) {
                say(format!(
                    "can never fire: line phrase {phrase:?} holds a line break, and rules see one line at a time"
                ));
            } else if phrase.trim().is_empty() {
                say("matches an empty line: a line phrase is blank".into());
            } else if phrase.trim() != phrase {
                say(format!(
                    "can never fire as written: line phrase {phrase:?} starts or ends with white space, and lines are trimmed before matching"
                ));
            }
        }
        for phrase in &m.contains {
            if phrase.contains(['\n', '\r']) {
                say(format!(
                    "can never fire: contains phrase {phrase:?} holds a line break"
                ));
            } else if phrase.is_empty() {
                say("matches every line, the empty one too: a contains phrase is empty".into());
            }
        }
        if let Some(pattern) = &m.regex {
            match Regex::new(pattern) {
                Ok(regex) if regex.is_match("") => say(format!(
                    "regex /{pattern}/ matches an empty line (it would remove blank lines, or every line if unanchored)"
                )),
                Ok(_) => {}
                Err(e) => say(format!("regex /{pattern}/ does not compile: {e}")),
            }
            if let Ok(hir) = regex_syntax::parse(pattern) {
                if hir.properties().minimum_len().is_none() {
                    say(format!("can never fire: regex /{pattern}/ matches nothing"));
                } else if pattern.contains("\\n") && !pattern.contains("[^") {
                    say(format!(
                        "regex /{pattern}/ asks for a line break, but rules see one line at a time"
                    ));
                }
            }
        }
        if !def.enabled {
            say("never fires: switched off (enabled = false)".into());
        }
        if def.examples.is_empty() {
            say("no examples: add one line it removes and one look-alike it keeps".into());
        } else {
            if !def.examples.iter().any(|e| e.expect.is_some()) {
                say("no example of a line it removes (an example with `expect`)".into());
            }
            if !def.examples.iter().any(|e| e.expect.is_none()) {
                say(
                    "no example of a look-alike line it keeps (an example without `expect`)".into(),
                );
            }
        }
        if let Some(by) = defs[..i].iter().find(|earlier| shadows(earlier, def)) {
            say(format!(
                "shadowed by {} ({}): that earlier rule matches every line this one does, and the first match removes the line",
                by.id, by.origin
            ));
        }
    }
    findings
}

/// Whether `earlier` removes every line `later` matches, before `later` is tried.
fn shadows(earlier: &RuleDef, later: &RuleDef) -> bool {
    if !earlier.enabled || !later.enabled || earlier.action != Action::Drop {
        return false;
    }
    if later.action != Action::Drop {
        return false;
    }
    if earlier.position != Position::Anywhere && earlier.position != later.position {
        return false;
    }
    let sites_covered = earlier.sites.is_empty()
        || (!later.sites.is_empty() && later.sites.iter().all(|s| earlier.sites.contains(s)));
    if !sites_covered {
        return false;
    }
    let m = &later.matcher;
    if m.selector.is_some() && m.selector != earlier.matcher.selector {
        return false;
    }
    if m.regex.is_some() && m.regex != earlier.matcher.regex {
        return false;
    }
    if m.line.is_empty() && m.contains.is_empty() && m.regex.is_none() && m.selector.is_none() {
        return false;
    }
    let regex = earlier
        .matcher
        .regex
        .as_deref()
        .and_then(|p| Regex::new(p).ok());
    let covered = |phrase: &str, whole_line: bool| {
        let lower = phrase.to_lowercase();
        (whole_line
            && earlier
                .matcher
                .line
                .iter()
                .any(|p| p.to_lowercase() == lower))
            || earlier
                .matcher
                .contains
                .iter()
                .any(|p| !p.is_empty() && lower.contains(&p.to_lowercase()))
            || (whole_line && regex.as_ref().is_some_and(|r| r.is_match(phrase)))
    };
    m.line.iter().all(|p| covered(p, true)) && m.contains.iter().all(|p| covered(p, false))
}

/// How many words a removed line needs, ending like a sentence, to look like article text.
pub const SENTENCE_WORDS: usize = 20;

/// What a corpus run says about each rule.
#[derive(Debug, Default)]
pub struct Fired {
    /// Lines removed per rule or detector id.
    pub lines: BTreeMap<String, usize>,
    /// Sentence-like removed lines per id, with up to three of them.
    pub sentences: BTreeMap<String, (usize, Vec<String>)>,
}

/// Whether a removed line reads like a sentence of an article: many words, a capital or
/// digit first, sentence punctuation last.
pub fn sentence_like(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let starts = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '“' | '‘'));
    let ends = line
        .trim_end_matches(['"', '”', '’', '\'', ')'])
        .ends_with(['.', '!', '?']);
    words >= SENTENCE_WORDS && starts && ends
}

impl Fired {
    pub fn add(&mut self, removed: &[crate::ReportedSpan]) {
        for span in removed {
            for line in span.text.lines() {
                if line.trim().is_empty() {
                    continue;
                }
                *self.lines.entry(span.rule.to_string()).or_default() += 1;
                if sentence_like(line) {
                    let entry = self.sentences.entry(span.rule.to_string()).or_default();
                    entry.0 += 1;
                    if entry.1.len() < 3 {
                        entry.1.push(line.trim().to_string());
                    }
                }
            }
        }
    }

    /// Rules that never fired on the corpus, and rules that removed sentence-like lines.
    pub fn findings(&self, rules: &RuleSet, documents: usize) -> Vec<Finding> {
        let mut findings = Vec::new();
        let all = rules
            .rules
            .iter()
            .map(|r| (r.def.id.as_str(), r.def.origin.to_string(), r.def.enabled))
            .chain(
                rules
                    .detectors
                    .iter()
                    .map(|d| (d.def.id.as_str(), d.def.origin.to_string(), d.def.enabled)),
            );
        for (id, origin, enabled) in all {
            if enabled && !self.lines.contains_key(id) {
                findings.push(Finding {
                    rule: id.to_string(),
                    origin: origin.clone(),
                    message: format!("never fired on the corpus ({documents} documents)"),
                });
            }
            if let Some((count, examples)) = self.sentences.get(id) {
                let mut message = format!(
                    "removed {count} sentence-like lines ({SENTENCE_WORDS}+ words ending like a sentence): likely article text, e.g."
                );
                for example in examples {
                    let short: String = example.chars().take(120).collect();
                    message.push_str(&format!("\n    {short:?}"));
                }
                findings.push(Finding {
                    rule: id.to_string(),
                    origin,
                    message,
                });
            }
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSources;

    fn load(toml: &str) -> RuleSet {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        std::fs::write(&path, toml).unwrap();
        RuleSet::load(&RuleSources {
            defaults: false,
            paths: vec![path],
        })
        .unwrap()
    }

    #[test]
    fn finds_empty_matches_shadowing_and_missing_examples() {
        let rules = load(
            r#"
[[rule]]
id = "a.share"
description = "share"
match.contains = ["share"]
action = "drop"
[[rule.example]]
input = "Share\n"
expect = ""
[[rule.example]]
input = "The council met.\n"

[[rule]]
id = "b.share-this"
description = "share this"
match.line = ["Share this"]
action = "drop"

[[rule]]
id = "c.empty"
description = "anything"
match.regex = "^\\s*$"
action = "drop"
"#,
        );
        let findings = check(&rules);
        let about = |id: &str| -> Vec<String> {
            findings
                .iter()
                .filter(|f| f.rule == id)
                .map(|f| f.message.clone())
                .collect()
        };
        assert!(about("a.share").is_empty(), "{:?}", about("a.share"));
        let b = about("b.share-this");
        assert!(
            b.iter().any(|m| m.starts_with("shadowed by a.share")),
            "{b:?}"
        );
        assert!(b.iter().any(|m| m.starts_with("no examples")), "{b:?}");
        let c = about("c.empty");
        assert!(
            c.iter().any(|m| m.contains("matches an empty line")),
            "{c:?}"
        );
    }

    #[test]
    fn sentence_like_lines() {
        assert!(sentence_like(
            "The council voted on Tuesday to approve the budget after a long debate about roads, buses and the cost of new schools."
        ));
        assert!(!sentence_like("Share this article"));
        assert!(!sentence_like(
            "home news sport weather business politics culture travel food style health science tech money opinion video audio games puzzles"
        ));
    }
}
