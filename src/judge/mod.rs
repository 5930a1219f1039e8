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

use page::short_line_hash;
#[cfg(test)]
pub(crate) use page::with_page_of;
pub(crate) use page::{
    ascii_lowercase_word, byte_range_bits, ends_like_sentence, ends_sentence, line_hash,
    space_bytes, trimmed_bounds, word_starts, HIGH_BITS,
};
pub use page::{is_sentence_like, label_words, word_count, LineFeatures, LineMemo, Page};

use std::borrow::Cow;
use std::sync::Arc;

use crate::document::{Block, Document, Verdict};
use crate::normalize::RULE_BLANK_LINES;
use crate::rules::{Action, Position, RuleMatch, RuleSet};

/// Rounds of judging at most; the last round's removals stand even if another would remove more.
const MAX_ROUNDS: usize = 4;

/// The longest trimmed line, in bytes, whose rule matches a page looks up once for all its
/// occurrences (see `LineMatches::find`): lines that recur on a page are short, and a
/// longer line would cost more to remember than most recurring ones save.
const SHORT_LINE_BYTES: usize = 32;

/// Judges every block of a document, re-judging the kept blocks until they are stable.
pub fn judge(doc: &Document, blocks: &[Block<'_>], rules: &RuleSet) -> Vec<Verdict> {
    // Line features, the rules a line matches and what detectors find in a line by itself
    // depend on the line alone, so later rounds reuse the first round's.
    let memos = LineMemo::for_blocks(blocks.len());
    let page = Page::new(doc, blocks, &memos);
    // Whether any rule can drop a line of this document is the same for every line: when
    // none is enabled for its site, no line is looked up at all.
    let matches = rules_apply(rules, doc).then(|| LineMatches::find(&page, rules));
    let mut verdicts = judge_once(&page, rules, matches.as_ref(), None);
    for _ in 1..MAX_ROUNDS {
        // Room for every block at once: a filtered collect would grow the vector step by
        // step.
        let mut kept: Vec<usize> = Vec::with_capacity(blocks.len());
        kept.extend((0..blocks.len()).filter(|&i| verdicts[i].is_keep()));
        if kept.len() == blocks.len() || kept.is_empty() {
            break;
        }
        // The kept blocks, their text borrowed rather than copied.
        let kept_blocks: Vec<Block<'_>> = kept
            .iter()
            .map(|&i| {
                let block = &blocks[i];
                Block {
                    line: block.line,
                    span: block.span.clone(),
                    has_newline: block.has_newline,
                    text: Cow::Borrowed(&block.text),
                    changes: block.changes,
                }
            })
            .collect();
        let again = judge_once(
            &Page::of_kept(doc, &kept_blocks, &page.features, &memos, &kept),
            rules,
            matches.as_ref(),
            Some(&kept),
        );
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

/// The rules each block of a document matches, found once: a flat list with each block's
/// share marked by offsets.
struct LineMatches {
    found: Vec<RuleMatch>,
    /// `found[start[i]..start[i + 1]]` are block `i`'s matches.
    start: Vec<u32>,
    /// The blocks that match some rule, in order: most match none, and a round of judging
    /// visits only these.
    matched: Vec<u32>,
}

impl LineMatches {
    fn find(page: &Page<'_>, rules: &RuleSet) -> LineMatches {
        let mut found = Vec::new();
        let mut start = Vec::with_capacity(page.blocks.len() + 1);
        let mut line = Vec::new();
        let mut matched = Vec::new();
        // The rules a line matches depend on its trimmed text alone (`RuleSet::matches`
        // trims it first), and a page repeats many of its short lines (menu items, "Reply",
        // "Share" under every comment): a short line seen before takes the matches of its
        // first occurrence instead of being looked up again.
        let mut seen = ShortLines::for_blocks(page.blocks.len());
        for (i, block) in page.blocks.iter().enumerate() {
            let from = found.len();
            start.push(from as u32);
            if page.is_blank(i) {
                continue;
            }
            let trimmed = page.trimmed(i);
            let short = (trimmed.len() <= SHORT_LINE_BYTES).then(|| short_line_hash(trimmed));
            match short.and_then(|hash| seen.first(trimmed, hash)) {
                Some((first_from, first_to)) => found.extend_from_within(first_from..first_to),
                None => {
                    rules.matches(&block.text, &mut line);
                    found.append(&mut line);
                    if let Some(hash) = short {
                        seen.add(trimmed, hash, from, found.len());
                    }
                }
            }
            // On an HTML page, a block inside an element that a rule's selector matched.
            if let Some(rule) = page.selector_rule(i) {
                if let Some(why) = rules.selector_why(rule) {
                    found.push(RuleMatch {
                        rule,
                        why: Arc::clone(why),
                    });
                }
            }
            if found.len() > from {
                matched.push(i as u32);
            }
        }
        start.push(found.len() as u32);
        LineMatches {
            found,
            start,
            matched,
        }
    }

    /// The blocks of a page that match some rule, in order, each as its index on the page
    /// and its index among the document's blocks. `kept` lists the document's blocks the
    /// page holds (ascending), or is `None` when the page holds them all.
    fn matched_on<'m>(
        &'m self,
        kept: Option<&'m [usize]>,
    ) -> impl Iterator<Item = (usize, usize)> + 'm {
        let mut next = 0;
        self.matched.iter().filter_map(move |&block| {
            let block = block as usize;
            let Some(kept) = kept else {
                return Some((block, block));
            };
            // Both lists ascend: the kept blocks before this one match nothing.
            next += kept[next..].partition_point(|&k| k < block);
            (kept.get(next) == Some(&block)).then_some((next, block))
        })
    }

    fn of(&self, block: usize) -> &[RuleMatch] {
        &self.found[self.start[block] as usize..self.start[block + 1] as usize]
    }
}

/// The short lines of a page already looked up, each with where its matches are in
/// `LineMatches::found`: an open-addressing table by `short_line_hash`, the lines compared
/// in full, sized for the blocks of the page at once (up to `MAX_SLOTS`; past half of
/// those, no more lines are noted).
struct ShortLines<'t> {
    /// `firsts[k]`: a line, and where its matches start and end.
    firsts: Vec<(&'t str, usize, usize)>,
    /// Each slot holds an index into `firsts` plus one, or 0 when empty.
    slots: Vec<u32>,
}

impl<'t> ShortLines<'t> {
    const MAX_SLOTS: usize = 1 << 20;

    fn for_blocks(blocks: usize) -> ShortLines<'t> {
        let size = blocks
            .saturating_mul(2)
            .clamp(16, Self::MAX_SLOTS)
            .next_power_of_two();
        ShortLines {
            firsts: Vec::with_capacity(size / 4),
            slots: vec![0; size],
        }
    }

    /// Where the matches of `line`'s first occurrence are, if it was noted (with its
    /// `short_line_hash`, `hash`).
    #[inline]
    fn first(&self, line: &str, hash: u64) -> Option<(usize, usize)> {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = *self.slots.get(at)?;
            let (first, from, to) = *self.firsts.get((slot as usize).checked_sub(1)?)?;
            if first == line {
                return Some((from, to));
            }
            at = (at + 1) & mask;
        }
    }

    /// Notes that the matches of `line` (whose `short_line_hash` is `hash`) are
    /// `found[from..to]`, while the table is at most half full.
    fn add(&mut self, line: &'t str, hash: u64, from: usize, to: usize) {
        if (self.firsts.len() + 1) * 2 > self.slots.len() {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        self.firsts.push((line, from, to));
        self.slots[at] = self.firsts.len() as u32;
    }
}

/// Whether some rule is enabled for the document's site. Its position is checked per line,
/// when the rule matched one.
fn rules_apply(rules: &RuleSet, doc: &Document) -> bool {
    rules
        .rules
        .iter()
        .any(|rule| rule.def.applies_to(doc.site.as_deref()))
}

/// One round of judging over `page`. Without `matches` no rule applies to the document.
/// `kept` lists the document's blocks that the page holds, or is `None` when it holds all.
fn judge_once(
    page: &Page<'_>,
    rules: &RuleSet,
    matches: Option<&LineMatches>,
    kept: Option<&[usize]>,
) -> Vec<Verdict> {
    let mut verdicts = vec![Verdict::Keep; page.blocks.len()];
    if let Some(matches) = matches {
        apply_rules(page, rules, matches, kept, &mut verdicts);
    }
    for entry in rules.detectors.iter().filter(|d| d.def.enabled) {
        entry.detector.judge(&entry.id, page, &mut verdicts);
    }
    tidy_blank_between(&page.text_blocks, &mut verdicts);
    verdicts
}

/// Offers the lines from the `drop-rest` marker at `marker` (matched as `m`) up to the line
/// where the story resumes, `resume`, to the marker's rule: a box of links inside the story
/// goes, the story below it stays.
fn offer_box(own: &mut FirstDrops, page: &Page<'_>, marker: usize, resume: usize, m: &RuleMatch) {
    let why: Arc<str> = format!(
        "{}; a box inside the story, which resumes on line {}",
        m.why, page.blocks[resume].line
    )
    .into();
    for j in marker..resume {
        own.offer(j, m.rule, &why);
    }
}

fn rule_applies(rules: &RuleSet, index: usize, page: &Page<'_>, block: usize) -> bool {
    let def = &rules.rules[index].def;
    if !def.applies_to(page.doc.site.as_deref()) {
        return false;
    }
    match def.position {
        Position::Anywhere => true,
        Position::Head => page.in_head(block),
        Position::Tail => page.in_tail(block),
    }
}

fn apply_rules(
    page: &Page<'_>,
    rules: &RuleSet,
    matches: &LineMatches,
    kept: Option<&[usize]>,
    verdicts: &mut [Verdict],
) {
    let blocks = page.blocks;
    // The first match per block, and the range markers.
    let mut own = FirstDrops::new(blocks.len());
    let mut rest: Option<(usize, usize, Arc<str>)> = None;
    let mut upto: Vec<(usize, usize, Arc<str>)> = Vec::new();
    // Blocks that match nothing (blank ones among them) are passed over.
    for (i, origin) in matches.matched_on(kept) {
        for m in matches.of(origin) {
            if !rule_applies(rules, m.rule, page, i) {
                // A `drop-rest` marker above the part of the page its rule is kept to does
                // not take the rest of the page from there, but the box under it is chrome
                // all the same when the story resumes right below the box: a heading such
                // as "Most Popular" set between a long story's first paragraphs.
                let def = &rules.rules[m.rule].def;
                if def.action == Action::DropRest && def.applies_to(page.doc.site.as_deref()) {
                    if let Some(resume) = story_resumes_after(page, i) {
                        offer_box(&mut own, page, i, resume, m);
                    }
                }
                continue;
            }
            match rules.rules[m.rule].def.action {
                Action::Drop => own.offer(i, m.rule, &m.why),
                Action::DropRest => {
                    if rest.is_some() {
                        continue;
                    }
                    // On an HTML page the marker's element says where its box ends, unless
                    // the story resumes right below it (the marker sits among paragraphs).
                    let resumes = story_resumes_after(page, i);
                    if let (None, Some(end)) = (resumes, page.html_rest_end(i)) {
                        let why: Arc<str> =
                            format!("{}; to the end of the element around it", m.why).into();
                        for j in i..end {
                            own.offer(j, m.rule, &why);
                        }
                        continue;
                    }
                    match resumes {
                        // A box of links inside the story: the marker and the box go, the
                        // story below them stays.
                        Some(resume) => offer_box(&mut own, page, i, resume, m),
                        None => rest = Some((i, m.rule, Arc::clone(&m.why))),
                    }
                }
                Action::DropUpto => upto.push((i, m.rule, Arc::clone(&m.why))),
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
    // Each block is in the set once at most.
    for (i, rule, why) in own.set {
        if verdicts[i].is_keep() {
            verdicts[i] = Verdict::drop(&rules.rules[rule].id, why);
        }
    }
}

/// The first single-block drop each block gets from the rules (its own rule's, or a box's
/// that it is in), in the order they came, with a flag per block that has one; the flags
/// are made when the first comes. The flags hold nothing to drop, so a page with a few
/// drops does not pay a pass over all its blocks for them afterwards.
struct FirstDrops {
    taken: Vec<bool>,
    set: Vec<(usize, usize, Arc<str>)>,
    len: usize,
}

impl FirstDrops {
    fn new(len: usize) -> FirstDrops {
        FirstDrops {
            taken: Vec::new(),
            set: Vec::new(),
            len,
        }
    }

    /// Block `i` is dropped by `rule` for `why`, unless an earlier drop came first.
    fn offer(&mut self, i: usize, rule: usize, why: &Arc<str>) {
        if self.taken.is_empty() {
            self.taken.resize(self.len, false);
        }
        if !self.taken[i] {
            self.taken[i] = true;
            self.set.push((i, rule, Arc::clone(why)));
        }
    }
}

/// The reason of a blank line dropped because removed text is next to it; the report
/// counts such a line as part of that removal (see `removed_spans` in `lib.rs`).
pub const BLANK_NEXT_TO_REMOVED: &str = "blank line next to removed text";

/// Lines after a `drop-rest` marker (or in a run of chrome between paragraphs, for the
/// content region) that may still be a box inside the story.
pub(crate) const BOX_LINES: usize = 8;
/// Words from which a sentence-like line counts as a story paragraph.
const PARAGRAPH_WORDS: u16 = 15;

/// A line that reads as a paragraph of a story: sentence-like, of `PARAGRAPH_WORDS` words.
pub(crate) fn is_story_paragraph(features: &LineFeatures) -> bool {
    features.sentence && features.words >= PARAGRAPH_WORDS
}

/// When the story goes on below a related-stories marker, the block where it resumes: two
/// story paragraphs in a row within the few lines after the marker. Teaser lists alternate
/// short titles with their summaries, so they do not look like this; a box of links set
/// between paragraphs does.
///
/// A marker whose line is on the page more than once is given `RECURRING_BOX_LINES`
/// instead: the end of an article has one block of related stories, so a heading such as
/// "Most Popular" that comes back further down marks boxes that the page sets between the
/// story's paragraphs, and such a box (several teasers of a section, a title and a byline
/// each) is often longer than `BOX_LINES`.
fn story_resumes_after(page: &Page<'_>, marker: usize) -> Option<usize> {
    story_resumes_within(page, marker, BOX_LINES).or_else(|| {
        marker_recurs(page, marker)
            .then(|| story_resumes_within(page, marker, RECURRING_BOX_LINES))
            .flatten()
    })
}

/// Lines after a `drop-rest` marker that recurs on its page that may still be a box inside
/// the story.
const RECURRING_BOX_LINES: usize = 4 * BOX_LINES;

/// Where the story resumes within `lines` text lines after `marker`: the first of two story
/// paragraphs in a row, or the story's text right above them. A dump that breaks lines at
/// inline markup cuts a paragraph into pieces that are no paragraphs by themselves, so the
/// story goes back from the two paragraphs over every line that is a sentence, as long as a
/// paragraph, or goes on into the line after it (`breaks_inside_text`), up to the box's
/// last line (a title, a byline, a section's name: short, and none ends a sentence).
fn story_resumes_within(page: &Page<'_>, marker: usize, lines: usize) -> Option<usize> {
    let is_paragraph = |i: usize| is_story_paragraph(&page.features[i]);
    let after = page.text_blocks.partition_point(|&i| i <= marker);
    let text = &page.text_blocks[after..page.text_blocks.len().min(after + lines + 1)];
    let mut resume = text
        .windows(2)
        .position(|pair| is_paragraph(pair[0]) && is_paragraph(pair[1]))?;
    while resume > 0 {
        let (above, first) = (text[resume - 1], text[resume]);
        let story = page.features[above].sentence
            || page.features[above].words >= PARAGRAPH_WORDS
            || crate::judge::ends_sentence(page.trimmed(above))
            || crate::detect::breaks_inside_text(page, above, first);
        if !story {
            break;
        }
        resume -= 1;
    }
    Some(text[resume])
}

/// Whether another text line of the page is the marker's line (its trimmed text).
fn marker_recurs(page: &Page<'_>, marker: usize) -> bool {
    let text = page.trimmed(marker);
    page.text_blocks
        .iter()
        .any(|&i| i != marker && page.trimmed(i) == text)
}

/// Drops blank lines that would be leading, trailing or doubled in the clean text. A blank
/// line next to a removed block is charged to that block's rule: it is part of what the rule
/// took out. Otherwise it is charged to `normalize.blank-lines`.
pub fn tidy_blank_lines(blocks: &[Block<'_>], verdicts: &mut [Verdict]) {
    let text: Vec<usize> = (0..blocks.len())
        .filter(|&i| !blocks[i].is_blank())
        .collect();
    tidy_blank_between(&text, verdicts);
}

/// `tidy_blank_lines` of a page whose text lines (the lines that are not blank) are `text`,
/// in order: every other line is blank. The judge knows the text lines of its page, so it
/// walks the runs of blank lines between them rather than asking each line whether it is
/// blank; a line before and after each run are what the run's lines are charged to.
fn tidy_blank_between(text: &[usize], verdicts: &mut [Verdict]) {
    let len = verdicts.len();
    let last_kept_text = text.iter().rev().find(|&&i| verdicts[i].is_keep()).copied();
    let mut reasons = BlankReasons::default();
    let mut seen_text = false;
    let mut previous_kept_blank = false;
    for k in 0..=text.len() {
        // The blank lines `start..end`, between text lines `k - 1` and `k` (if there are).
        let text_before = k.checked_sub(1).map(|before| text[before]);
        let start = text_before.map_or(0, |before| before + 1);
        let end = text.get(k).copied().unwrap_or(len);
        for i in start..end {
            if !verdicts[i].is_keep() {
                continue;
            }
            let redundant =
                !seen_text || previous_kept_blank || last_kept_text.is_none_or(|last| i > last);
            if !redundant {
                previous_kept_blank = true;
                continue;
            }
            let removed_before = text_before.and_then(|j| dropped_rule(&verdicts[j]));
            let charged = removed_before
                .or_else(|| (end < len).then(|| dropped_rule(&verdicts[end])).flatten());
            verdicts[i] = blank_drop(charged, &mut reasons);
        }
        if end < len && verdicts[end].is_keep() {
            seen_text = true;
            previous_kept_blank = false;
        }
    }
}

/// The reasons of the blank lines a page's tidying drops, made on first use and shared.
#[derive(Default)]
struct BlankReasons {
    next_to_removed: Option<Arc<str>>,
    blank_lines: Option<(Arc<str>, Arc<str>)>,
}

/// The verdict on a redundant blank line: charged to the rule of the removed text next to it
/// (`charged`) when there is one, else dropped as a blank line.
fn blank_drop(charged: Option<Arc<str>>, reasons: &mut BlankReasons) -> Verdict {
    match charged {
        Some(rule) => Verdict::Drop {
            rule,
            why: Arc::clone(
                reasons
                    .next_to_removed
                    .get_or_insert_with(|| Arc::from(BLANK_NEXT_TO_REMOVED)),
            ),
        },
        None => {
            let (rule, why) = reasons.blank_lines.get_or_insert_with(|| {
                (
                    Arc::from(RULE_BLANK_LINES),
                    Arc::from("leading, trailing or repeated blank line"),
                )
            });
            Verdict::Drop {
                rule: Arc::clone(rule),
                why: Arc::clone(why),
            }
        }
    }
}

fn dropped_rule(verdict: &Verdict) -> Option<Arc<str>> {
    match verdict {
        Verdict::Drop { rule, .. } => Some(Arc::clone(rule)),
        Verdict::Keep => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Matches for the blocks of a document, block `i` matching `counts[i]` rules.
    fn line_matches(counts: &[usize]) -> LineMatches {
        let mut found = Vec::new();
        let mut start = Vec::new();
        let mut matched = Vec::new();
        for (i, &count) in counts.iter().enumerate() {
            start.push(found.len() as u32);
            if count > 0 {
                matched.push(i as u32);
            }
            found.extend((0..count).map(|rule| RuleMatch {
                rule,
                why: Arc::from("why"),
            }));
        }
        start.push(found.len() as u32);
        LineMatches {
            found,
            start,
            matched,
        }
    }

    #[test]
    fn a_page_looks_up_a_short_line_once_and_finds_what_each_line_matches() {
        let rules = RuleSet::load(&crate::rules::RuleSources {
            defaults: true,
            paths: Vec::new(),
        })
        .expect("the built-in rules load");
        // Lines that recur, with and without white space around them and in other cases,
        // lines that share their first and last bytes, and long ones.
        let lines = [
            "Share this:",
            "Reply",
            "  Reply  ",
            "REPLY",
            "Advertisement",
            "Share on Facebook",
            "Share on Xacebook",
            "Share this article with a friend",
            "Share this article with a friend today",
            "Reply",
            "Advertisement",
            "",
            "Share on Facebook",
            "Read more: the story",
            "Related Articles",
            "Related Articles",
            "Share this article with a friend",
        ];
        let raw = lines.join("\n");
        let matching = with_page_of(&raw, |page, _, blocks, _| {
            let found = LineMatches::find(page, &rules);
            let mut line = Vec::new();
            let mut matching = 0;
            for (i, block) in blocks.iter().enumerate() {
                rules.matches(&block.text, &mut line);
                let rules_of = |matches: &[RuleMatch]| -> Vec<(usize, String)> {
                    matches
                        .iter()
                        .map(|m| (m.rule, m.why.to_string()))
                        .collect()
                };
                assert_eq!(rules_of(found.of(i)), rules_of(&line), "{:?}", block.text);
                matching += usize::from(!line.is_empty());
            }
            matching
        });
        assert!(matching >= 4, "{matching}");
        // Every byte of a short line counts in its hash: lines that differ in one byte
        // anywhere, or in their length, do not share a probe sequence.
        let base = "Posted on 2024-01-15 at 10:00 xy";
        let mut hashes = std::collections::HashSet::new();
        for len in 0..=base.len() {
            let line = &base[..len];
            assert!(hashes.insert(short_line_hash(line)), "{line:?}");
            for at in 0..len {
                let mut changed = line.as_bytes().to_vec();
                changed[at] ^= 1;
                let changed = String::from_utf8(changed).expect("ASCII stays ASCII");
                assert_ne!(
                    short_line_hash(line),
                    short_line_hash(&changed),
                    "{changed:?}"
                );
            }
        }
    }

    #[test]
    fn matched_blocks_are_found_on_a_page_of_all_blocks_and_of_the_kept_ones() {
        let matches = line_matches(&[0, 2, 0, 1, 0, 0, 3]);
        let all: Vec<(usize, usize)> = matches.matched_on(None).collect();
        assert_eq!(all, [(1, 1), (3, 3), (6, 6)]);
        // A page of blocks 0, 3, 4 and 6: block 1 is gone, block 3 is the page's second.
        let kept = [0, 3, 4, 6];
        let some: Vec<(usize, usize)> = matches.matched_on(Some(&kept)).collect();
        assert_eq!(some, [(1, 3), (3, 6)]);
        for (i, origin) in some {
            assert_eq!(kept[i], origin);
            assert!(!matches.of(origin).is_empty());
        }
        assert_eq!(matches.matched_on(Some(&[2, 5])).count(), 0);
    }

    /// Blank-line tidying line by line, as the rule reads: the reference for the walk over
    /// the runs between text lines.
    fn tidy_blank(blank: impl Fn(usize) -> bool, verdicts: &mut [Verdict]) {
        let len = verdicts.len();
        let last_kept_text = (0..len).rposition(|i| !blank(i) && verdicts[i].is_keep());
        // Only blank lines change below, so the verdicts of text lines, which decide whom a
        // blank line is charged to, are the same throughout the loop.
        let mut previous_text: Option<usize> = None;
        // The first text line after the current position; found again only once passed, so
        // long runs of blank lines stay linear.
        let mut next_text = 0;
        let mut reasons = BlankReasons::default();
        let mut seen_text = false;
        let mut previous_kept_blank = false;
        for i in 0..len {
            let is_blank = blank(i);
            let text_before = previous_text;
            if !is_blank {
                previous_text = Some(i);
            }
            if !verdicts[i].is_keep() {
                continue;
            }
            if !is_blank {
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
            if next_text <= i {
                next_text = (i + 1..len).find(|&j| !blank(j)).unwrap_or(len);
            }
            let removed_before = text_before.and_then(|j| dropped_rule(&verdicts[j]));
            let charged = removed_before.or_else(|| {
                (next_text < len)
                    .then(|| dropped_rule(&verdicts[next_text]))
                    .flatten()
            });
            verdicts[i] = blank_drop(charged, &mut reasons);
        }
    }

    #[test]
    fn blank_lines_are_tidied_between_the_text_lines_as_line_by_line() {
        // Every page of up to eight lines, each blank or not and kept or dropped (by one of
        // two rules, so the charge shows whose it is).
        for len in 0..=8usize {
            for pattern in 0..3u32.pow(len as u32) * (1 << len) {
                let (mut kinds, mut blanks) = (pattern >> len, pattern);
                let mut blank = Vec::new();
                let mut verdicts = Vec::new();
                let rules: [Arc<str>; 2] = [Arc::from("r0"), Arc::from("r1")];
                for _ in 0..len {
                    blank.push(blanks & 1 == 1);
                    blanks >>= 1;
                    verdicts.push(match kinds % 3 {
                        0 => Verdict::Keep,
                        kind => Verdict::drop(&rules[kind as usize - 1], "why"),
                    });
                    kinds /= 3;
                }
                let text: Vec<usize> = (0..len).filter(|&i| !blank[i]).collect();
                let mut by_line = verdicts.clone();
                tidy_blank(|i| blank[i], &mut by_line);
                tidy_blank_between(&text, &mut verdicts);
                assert_eq!(verdicts, by_line, "{blank:?}");
            }
        }
    }

    /// A page of six paragraphs of a story, then `markers` boxes of "Most Popular" teasers,
    /// each followed by two more paragraphs: a box is a section, a title and a byline for
    /// four stories, longer than `BOX_LINES`.
    fn page_with_boxes(markers: usize) -> String {
        let paragraph = |n: usize| {
            format!(
                "Paragraph {n} of the story tells what the residents of the town saw and heard \
                 on the night the river rose over its banks."
            )
        };
        let mut text = String::from("The River Rose Overnight\n\n");
        let mut n = 0;
        for _ in 0..6 {
            n += 1;
            text.push_str(&paragraph(n));
            text.push_str("\n\n");
        }
        for _ in 0..markers {
            text.push_str("Most Popular\n\n");
            for (section, title, byline) in [
                ("Gear", "The Best Tools for Every Home", "Ana Ruiz"),
                ("Business", "Markets Slide as Rates Climb", "Tom Lee"),
                ("Culture", "A Festival Returns to the Coast", "Mia Chen"),
                ("Science", "What the Probe Found on the Moon", "Sam Okafor"),
            ] {
                text.push_str(&format!("{section}\n{title}\n\n{byline}\n\n"));
            }
            for _ in 0..2 {
                n += 1;
                text.push_str(&paragraph(n));
                text.push_str("\n\n");
            }
        }
        text
    }

    #[test]
    fn a_related_marker_that_recurs_marks_long_boxes_inside_the_story() {
        let rules = crate::rules::RuleSet::load(&crate::rules::RuleSources {
            defaults: true,
            paths: Vec::new(),
        })
        .unwrap();
        let clean = crate::clean_text(&page_with_boxes(2), &rules);
        for n in 1..=10 {
            assert!(clean.contains(&format!("Paragraph {n} ")), "{n}: {clean}");
        }
        for gone in ["Most Popular", "Gear", "Markets Slide", "Sam Okafor"] {
            assert!(!clean.contains(gone), "{gone}: {clean}");
        }
        // Once on the page, the marker starts the related stories at the end of the article
        // when the story does not resume within `BOX_LINES` lines.
        let clean = crate::clean_text(&page_with_boxes(1), &rules);
        assert!(clean.contains("Paragraph 6 "), "{clean}");
        assert!(!clean.contains("Paragraph 7 "), "{clean}");
    }
    #[test]
    fn a_related_box_high_in_the_story_goes_and_the_story_around_it_stays() {
        let rules = crate::rules::RuleSet::load(&crate::rules::RuleSources {
            defaults: true,
            paths: Vec::new(),
        })
        .unwrap();
        let paragraph = |n: usize| {
            format!(
                "Paragraph {n} of the story tells what the residents of the town saw and heard \
                 on the night the river rose over its banks.\n\n"
            )
        };
        // The box sits after the second of twelve paragraphs, far above the half of the
        // story's text where the marker's rule may take the rest of the page; the story
        // resumes under it with a paragraph that the dump broke at a link.
        let mut text = String::from("The River Rose Overnight\n\n");
        text.push_str(&paragraph(1));
        text.push_str(&paragraph(2));
        text.push_str("Most Popular\nGear\nThe Best Tools for Every Home\nAna Ruiz\n");
        text.push_str("Officials said the new levee would give the town a\n\"dry\"\n");
        text.push_str(" winter for the first time in years, once the last section is built.\n\n");
        for n in 3..=12 {
            text.push_str(&paragraph(n));
        }
        let clean = crate::clean_text(&text, &rules);
        for n in 1..=12 {
            assert!(clean.contains(&format!("Paragraph {n} ")), "{n}: {clean}");
        }
        assert!(
            clean.contains("\"dry\"\n winter for the first time"),
            "{clean}"
        );
        for gone in ["Most Popular", "Gear", "The Best Tools", "Ana Ruiz"] {
            assert!(!clean.contains(gone), "{gone}: {clean}");
        }
    }
}
