//! The judge: gives every block of a document a `Verdict`, from the rules first and then the
//! detectors, and finally tidies the blank lines that removals leave behind.
//!
//! The judge runs again over what it kept until nothing more goes (at most a few rounds):
//! a detector's view of a page changes once chrome is gone (the article's first sentence
//! moves up, a headline and its echo become neighbours), and without the extra rounds cleaning
//! clean output could remove more. Most pages settle in one or two rounds.
//!
//! Range actions (`drop-rest`, `drop-upto`) are resolved before single-block drops so a
//! reviewer sees one reason for a removed tail, not one per line. Detectors run after the
//! rules and only ever turn a `Keep` into a `Drop`, so the order of detectors cannot undo a
//! rule, and each detector can see what the rules already removed.

mod page;

pub use page::{is_sentence_like, label_words, word_count, LineFeatures, Page};

use std::sync::Arc;

use crate::document::{Block, Document, Verdict};
use crate::normalize::RULE_BLANK_LINES;
use crate::rules::{Action, Position, RuleMatch, RuleSet};

/// Rounds of judging at most; the last round's removals stand even if another would remove more.
const MAX_ROUNDS: usize = 4;

/// Judges every block of a document, re-judging the kept blocks until they are stable.
pub fn judge(doc: &Document, blocks: &[Block<'_>], rules: &RuleSet) -> Vec<Verdict> {
    let mut verdicts = judge_once(doc, blocks, rules);
    for _ in 1..MAX_ROUNDS {
        let kept: Vec<usize> = (0..blocks.len())
            .filter(|&i| verdicts[i].is_keep())
            .collect();
        if kept.len() == blocks.len() || kept.is_empty() {
            break;
        }
        let kept_blocks: Vec<Block<'_>> = kept.iter().map(|&i| blocks[i].clone()).collect();
        let again = judge_once(doc, &kept_blocks, rules);
        if again.iter().all(Verdict::is_keep) {
            break;
        }
        for (verdict, &i) in again.into_iter().zip(&kept) {
            if !verdict.is_keep() {
                verdicts[i] = verdict;
            }
        }
    }
    verdicts
}

fn judge_once(doc: &Document, blocks: &[Block<'_>], rules: &RuleSet) -> Vec<Verdict> {
    let page = Page::new(doc, blocks);
    let mut verdicts = vec![Verdict::Keep; blocks.len()];
    apply_rules(&page, rules, &mut verdicts);
    for entry in rules.detectors.iter().filter(|d| d.def.enabled) {
        entry.detector.judge(&entry.id, &page, &mut verdicts);
    }
    tidy_blank_lines(blocks, &mut verdicts);
    verdicts
}

fn rule_applies(rules: &RuleSet, index: usize, page: &Page<'_>, block: usize) -> bool {
    let def = &rules.rules[index].def;
    if !def.enabled {
        return false;
    }
    if !def.sites.is_empty() {
        let Some(site) = page.doc.site.as_deref() else {
            return false;
        };
        let on_site = def.sites.iter().any(|s| {
            site == s || (site.ends_with(s.as_str()) && site[..site.len() - s.len()].ends_with('.'))
        });
        if !on_site {
            return false;
        }
    }
    match def.position {
        Position::Anywhere => true,
        Position::Head => page.in_head(block),
        Position::Tail => page.in_tail(block),
    }
}

fn apply_rules(page: &Page<'_>, rules: &RuleSet, verdicts: &mut [Verdict]) {
    let blocks = page.blocks;
    let mut found: Vec<RuleMatch> = Vec::new();
    // The first match per block, and the range markers.
    let mut own: Vec<Option<(usize, String)>> = vec![None; blocks.len()];
    let mut rest: Option<(usize, usize, String)> = None;
    let mut upto: Vec<(usize, usize, String)> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if block.is_blank() {
            continue;
        }
        rules.matches(&block.text, &mut found);
        for m in found.drain(..) {
            if !rule_applies(rules, m.rule, page, i) {
                continue;
            }
            match rules.rules[m.rule].def.action {
                Action::Drop => {
                    if own[i].is_none() {
                        own[i] = Some((m.rule, m.why));
                    }
                }
                Action::DropRest => {
                    if rest.is_none() {
                        rest = Some((i, m.rule, m.why));
                    }
                }
                Action::DropUpto => upto.push((i, m.rule, m.why)),
            }
        }
        if rest.is_some() {
            break;
        }
    }
    let rest_start = rest.as_ref().map_or(blocks.len(), |r| r.0);
    // A drop-upto marker after the drop-rest marker would remove everything; ignore it.
    let upto = upto.into_iter().rfind(|u| u.0 < rest_start);
    if let Some((end, rule, why)) = upto {
        let why: Arc<str> = format!("before line {}: {why}", blocks[end].line).into();
        for verdict in &mut verdicts[..=end] {
            *verdict = Verdict::drop(&rules.rules[rule].id, Arc::clone(&why));
        }
    }
    if let Some((start, rule, why)) = rest {
        let why: Arc<str> = format!("from line {}: {why}", blocks[start].line).into();
        for verdict in &mut verdicts[start..] {
            *verdict = Verdict::drop(&rules.rules[rule].id, Arc::clone(&why));
        }
    }
    for (i, matched) in own.into_iter().enumerate() {
        if let (Some((rule, why)), true) = (matched, verdicts[i].is_keep()) {
            verdicts[i] = Verdict::drop(&rules.rules[rule].id, why);
        }
    }
}

/// Drops blank lines that would be leading, trailing or doubled in the clean text. A blank
/// line next to a removed block is charged to that block's rule: it is part of what the rule
/// took out. Otherwise it is charged to `normalize.blank-lines`.
pub fn tidy_blank_lines(blocks: &[Block<'_>], verdicts: &mut [Verdict]) {
    let last_kept_text = blocks
        .iter()
        .zip(verdicts.iter())
        .rposition(|(b, v)| !b.is_blank() && v.is_keep());
    // The rule that removed the nearest text line before / after each line, found in two
    // linear passes so long runs of blank lines stay linear.
    let mut removed_before: Vec<Option<Arc<str>>> = Vec::with_capacity(blocks.len());
    let mut current: Option<Arc<str>> = None;
    for (block, verdict) in blocks.iter().zip(verdicts.iter()) {
        removed_before.push(current.clone());
        if !block.is_blank() {
            current = dropped_rule(verdict);
        }
    }
    let mut removed_after: Vec<Option<Arc<str>>> = vec![None; blocks.len()];
    current = None;
    for i in (0..blocks.len()).rev() {
        removed_after[i] = current.clone();
        if !blocks[i].is_blank() {
            current = dropped_rule(&verdicts[i]);
        }
    }
    let mut seen_text = false;
    let mut previous_kept_blank = false;
    for i in 0..blocks.len() {
        if !verdicts[i].is_keep() {
            continue;
        }
        if !blocks[i].is_blank() {
            seen_text = true;
            previous_kept_blank = false;
            continue;
        }
        let redundant =
            !seen_text || previous_kept_blank || last_kept_text.is_none_or(|last| i > last);
        if !redundant {
            previous_kept_blank = true;
            continue;
        }
        verdicts[i] = match removed_before[i].take().or_else(|| removed_after[i].take()) {
            Some(rule) => Verdict::Drop {
                rule,
                why: Arc::from("blank line next to removed text"),
            },
            None => Verdict::Drop {
                rule: Arc::from(RULE_BLANK_LINES),
                why: Arc::from("leading, trailing or repeated blank line"),
            },
        };
    }
}

fn dropped_rule(verdict: &Verdict) -> Option<Arc<str>> {
    match verdict {
        Verdict::Drop { rule, .. } => Some(Arc::clone(rule)),
        Verdict::Keep => None,
    }
}
