//! Content region: the article in a page dump is one contiguous stretch of long,
//! sentence-like lines; menus, footers and teaser lists are runs of short lines without
//! sentence punctuation. Every line gets a score from generic features (length, words,
//! sentence end, share of function words, truncation), and the stretch with the largest
//! total score is the article (the maximum-sum segment, Kadane's algorithm). Short lines
//! inside it, such as subheadings, stay because the prose around them outweighs them; the
//! title-like lines right above it (the headline) stay too. Everything else goes. Items of
//! a list numbered in sequence whose items hold data (a ranking, a schedule) count by their
//! length like prose: their lines are short, but menus are not numbered, and a numbered
//! list of headlines holds no dates, scores or times. So do the lines an item goes on for
//! under its number, and the items of a list that a paragraph leads into with a colon when
//! they tell something (dates, quantities, a sentence going on) rather than name places to
//! go. A short box of chrome between paragraphs, with two story paragraphs after it, does
//! not split the page: the region reaches across it when the story below outweighs it, and
//! the box goes.
//!
//! Lines that a rule or another detector already removed count as chrome (a short line's
//! cost): a share bar or a newsletter box between the article and a teaser block is a gap
//! between them, not nothing. This detector runs last. A page whose best stretch scores too low (a list page, a very short
//! note) is left alone rather than guessed at.

use crate::hash::{FastMap, FastSet};
use aho_corasick::AhoCorasick;
use serde::Deserialize;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use crate::document::Verdict;
use crate::judge::{ends_sentence, LineFeatures, Page, BOX_LINES, HIGH_BITS};

use super::Detector;

pub const ID: &str = "detect.content-region";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A prose line has at least this many words (CJK text counts two characters a word).
    pub min_prose_words: usize,
    /// A prose line scores one point per this many characters.
    pub chars_per_point: f64,
    /// Longest contribution of one line, so one huge line cannot carry a page of chrome.
    pub max_line_points: f64,
    /// What a short line without sentence punctuation costs (menu item, label, date).
    pub short_line_penalty: f64,
    /// A long line without a sentence end counts as prose only with at least this share of
    /// function words ("the", "und", "de"...); lists of names and link rows have few.
    pub min_function_word_share: f64,
    /// The best stretch must score at least this much, or the page is left alone.
    pub min_region_points: f64,
    /// How many title-like lines right above the region are kept as its headline.
    pub headline_lines: usize,
    /// A run of chrome lines costing this many points splits the page into separate
    /// stretches: the article does not reach across a comment section's header and menus.
    pub max_gap_points: f64,
    /// A short line that is a date or time ("November 19, 2019 at 6:34 am", "2 days ago")
    /// costs this many times the short-line penalty: such lines mark comments and teasers.
    pub date_line_factor: f64,
    /// Below a repeated headline, the first stretch scoring at least this share of the
    /// strongest stretch is the article.
    pub first_stretch_share: f64,
    /// How many of the region's first lines are searched for a dateline that opens the story.
    pub dateline_window: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_prose_words: 10,
            chars_per_point: 40.0,
            max_line_points: 25.0,
            short_line_penalty: 1.0,
            min_function_word_share: 0.2,
            min_region_points: 4.0,
            headline_lines: 2,
            max_gap_points: 8.0,
            date_line_factor: 2.0,
            first_stretch_share: 0.3,
            dateline_window: 6,
        }
    }
}

pub struct ContentRegion {
    config: Config,
}

impl ContentRegion {
    pub fn new(config: Config) -> ContentRegion {
        ContentRegion { config }
    }

    /// The score of one line of text and a word for why. `text` is the line without
    /// surrounding white space and `features` are the line's (`LineFeatures::of`), which
    /// already hold its word, character and CJK counts and its truncation.
    fn score(&self, text: &str, features: &LineFeatures) -> (f64, &'static str) {
        let (chars, unspaced) = (features.chars, features.unspaced);
        // The features' count saturates at `u16::MAX`; only a longer line is counted again.
        let words = match features.words {
            u16::MAX => crate::judge::word_count(text),
            words => usize::from(words),
        };
        let spaced_words = words;
        let words = words.max(usize::from(features.unspaced_words));
        let truncated = features.truncated;
        let sentence_end = !truncated && ends_sentence(text);
        let points = (chars as f64 / self.config.chars_per_point).min(self.config.max_line_points);
        if truncated {
            return (-self.config.short_line_penalty, "truncated teaser");
        }
        if words >= self.config.min_prose_words {
            if sentence_end {
                return (points, "prose");
            }
            // An ASCII line has no more words for the share than between white space.
            let most_words = features.ascii.then_some(spaced_words);
            if unspaced * 2 >= chars
                || function_words_reach(text, self.config.min_function_word_share, most_words)
            {
                return (points / 2.0, "prose without a sentence end");
            }
            return (-self.config.short_line_penalty, "long line without prose");
        }
        if sentence_end && words >= 4 {
            // A short sentence: article text as often as chrome; neutral.
            return (0.0, "short sentence");
        }
        if looks_like_date(text, spaced_words) {
            return (
                -self.config.short_line_penalty * self.config.date_line_factor,
                "date or time line",
            );
        }
        (-self.config.short_line_penalty, "short line")
    }

    /// An item of a numbered list, which scores `(score, kind)` by itself: counted like prose
    /// by its length (a ranking, a schedule, the steps of a recipe are the article's own
    /// text), unless it is prose.
    fn list_item_score(
        &self,
        (score, kind): (f64, &'static str),
        features: &LineFeatures,
    ) -> (f64, &'static str) {
        let chars = features.chars as f64;
        let points = (chars / self.config.chars_per_point).min(self.config.max_line_points);
        if score >= points {
            (score, kind)
        } else {
            (points, "item of a numbered list")
        }
    }

    /// Scores each paragraph that the dump broke into lines at its inline markup as the one
    /// paragraph it is. A dump that puts a line break at every tag cuts a paragraph at each
    /// link or emphasis into pieces ("...said, via the" / "Los Angeles Times" / ". “Yes," /
    /// "we needed to win" / " this game today."), each of which alone scores as a short line
    /// of chrome. Such a break is told by the text around it (`breaks_inside_text`); menus
    /// and lists are lines of their own, which a dump does not break that way. The
    /// paragraph's score is shared equally among its lines, so it stays whole in any stretch
    /// and its removed lines share one reason.
    fn join_broken_paragraphs(
        &self,
        page: &Page<'_>,
        lines: &[usize],
        verdicts: &[Verdict],
        mut scores: Vec<(f64, &'static str)>,
    ) -> Vec<(f64, &'static str)> {
        for run in broken_runs(page, lines, |i| verdicts[i].is_keep()) {
            let mut joined = String::new();
            for &i in &lines[run.clone()] {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(page.trimmed(i));
            }
            let (score, kind) = self.score(&joined, &LineFeatures::of(&joined));
            let share = (score / run.clone().count() as f64, split_kind(kind));
            scores[run].fill(share);
        }
        scores
    }

    /// A line that could be the story's headline: a few words, not a truncated teaser, not
    /// a sentence ending in a full stop (captions do), not a byline or a timestamp. `text`
    /// is the line without surrounding white space, of `words` words.
    fn is_headline(&self, text: &str, words: usize) -> bool {
        let core = text.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
        (4..=30).contains(&words)
            && !text.ends_with("...")
            && !text.ends_with('…')
            && !core.ends_with('.')
            && !text.starts_with("By ")
            && !has_time_of_day(text)
    }
}

impl Detector for ContentRegion {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        // An HTML page's region is chosen from its markup (`dom_region`).
        if page.doc.html.is_some() {
            return;
        }
        let blocks = page.blocks;
        let lines: &[usize] = &page.text_blocks;
        if lines.iter().all(|&i| !verdicts[i].is_keep()) {
            return;
        }
        // A title written twice in a row is a link and its heading (teaser lists print a
        // story's title as both); an article does not repeat its subheadings. (Sentences are
        // left to their score: a photo gallery repeats its captions around the story.)
        let same = |a: usize, b: usize| page.trimmed(lines[a]) == page.trimmed(lines[b]);
        let repeats_neighbour =
            |k: usize| (k > 0 && same(k, k - 1)) || (k + 1 < lines.len() && same(k, k + 1));
        // An item starts with its number (a trimmed line has no white space before it), and
        // a list has at least `MIN_LIST_ITEMS`: a page with fewer lines that start with a
        // digit (about half of them) has none.
        let mut listed = if page.marks.digit_start >= MIN_LIST_ITEMS {
            numbered_items(lines, |i| verdicts[i].is_keep().then(|| page.trimmed(i)))
        } else {
            vec![false; lines.len()]
        };
        lead_in_lists(
            page,
            lines,
            |i| verdicts[i].is_keep(),
            self.config.min_prose_words,
            &mut listed,
        );
        // A line's own score is the same in every round of judging.
        let own_score = |i: usize| {
            page.memo(i)
                .region_score(|| self.score(page.trimmed(i), &page.features[i]))
        };
        // A run of removed lines (a share bar, a newsletter box) costs as much as a few
        // short lines at most: it is one piece of chrome, however many lines it has. The
        // removed lines right before the current one are counted on the way (up to the most
        // that cost anything), not looked back at from each.
        let mut removed_before = 0;
        let mut scores: Vec<(f64, &'static str)> = Vec::with_capacity(lines.len());
        for (k, &i) in lines.iter().enumerate() {
            let score = if verdicts[i].is_keep() {
                removed_before = 0;
                if listed[k] {
                    self.list_item_score(own_score(i), &page.features[i])
                } else if !page.features[i].sentence && repeats_neighbour(k) {
                    (
                        -self.config.short_line_penalty * self.config.date_line_factor,
                        "line written twice in a row",
                    )
                } else {
                    own_score(i)
                }
            } else {
                let run = removed_before;
                removed_before = (removed_before + 1).min(MAX_REMOVED_RUN_COST);
                if run >= MAX_REMOVED_RUN_COST {
                    (0.0, "removed")
                } else {
                    (-self.config.short_line_penalty, "removed")
                }
            };
            scores.push(score);
        }
        let scores = self.join_broken_paragraphs(page, lines, verdicts, scores);
        // A page dump usually starts with the page's <title>, and the headline repeats it
        // right above the article: when it does, the article is the first good stretch after
        // that repeat, and the menus above it are out whatever they score.
        let anchor = headline_repeat(page, lines);
        let from = anchor.map_or(0, |k| k + 1);
        let paragraph = |k: usize| {
            let i = lines[from + k];
            verdicts[i].is_keep() && crate::judge::is_story_paragraph(&page.features[i])
        };
        let (stretches, boxes) = stretches(&scores[from..], paragraph, self.config.max_gap_points);
        let strongest = stretches.iter().map(|s| s.2).fold(f64::MIN, f64::max);
        // After a headline the article comes first: take the first stretch that is a fair
        // share of the strongest, so a caption block right under the headline does not win
        // but a longer comment thread further down does not either.
        let chosen = match anchor {
            Some(_) => stretches.iter().find(|s| {
                s.2 >= self.config.min_region_points
                    && s.2 >= strongest * self.config.first_stretch_share
            }),
            None => stretches.iter().max_by(|a, b| a.2.total_cmp(&b.2)),
        };
        let Some(&(start, end, best)) = chosen else {
            return;
        };
        let (mut best_start, best_end) = (start + from, end + from);
        if best < self.config.min_region_points {
            return;
        }
        // A news story's first paragraph often opens with a dateline ("HANOI, Vietnam (AP) —"):
        // when one of the region's first lines does, the story starts there, and the photo
        // captions and bylines above it are not the story.
        //
        // The dateline opens the story's first paragraph, which is prose (a sentence, or the
        // first piece of a paragraph that the dump broke at its links). A line that opens
        // like one but is no prose (a "PUBLISHED: ..." line, a shop's "ADD TO CART: ...")
        // is where the story starts only while no more than a caption or a summary has
        // come above it: below two story paragraphs, the story has started already.
        let found_start = best_start;
        let mut paragraphs_passed = 0;
        for k in (best_start..=best_end)
            .filter(|&k| verdicts[lines[k]].is_keep())
            .take(self.config.dateline_window)
        {
            let i = lines[k];
            if opens_with_dateline(&blocks[i].text) {
                let prose = page.features[i].sentence
                    || lines
                        .get(k + 1)
                        .is_some_and(|&next| breaks_inside_text(page, i, next));
                if prose || paragraphs_passed < MAX_PARAGRAPHS_ABOVE_DATELINE {
                    best_start = k;
                    break;
                }
            }
            paragraphs_passed += usize::from(crate::judge::is_story_paragraph(&page.features[i]));
        }
        // The headline: the repeated title when it sits right above the region (or among the
        // lines a dateline passed over), and title-like lines directly above. Lines already
        // removed between them (a caption that echoes the headline, a share bar) are passed
        // over.
        let kept_above = |from: usize| (0..from).rev().filter(|&k| verdicts[lines[k]].is_keep());
        let mut headline = Vec::new();
        if let Some(k) = anchor {
            if kept_above(best_start).next() == Some(k) || (found_start..best_start).contains(&k) {
                headline.push(k);
            }
        }
        // Without the repeated title, the headline sits above the dateline, or above the
        // captions that the dateline passed over.
        let tops = match headline.first() {
            Some(&k) => vec![k],
            None => vec![best_start, found_start],
        };
        for top in tops {
            let room = self.config.headline_lines.saturating_sub(headline.len());
            for k in kept_above(top).take(room) {
                if !self.is_headline(page.trimmed(lines[k]), page.words(lines[k])) {
                    break;
                }
                headline.push(k);
            }
            if !headline.is_empty() {
                break;
            }
        }
        let first = headline.last().copied().unwrap_or(best_start);
        let first_line = blocks[lines[first]].line;
        let last_line = blocks[lines[best_end]].line;
        // The two beginnings of a reason, formatted when a line first needs one: a later
        // round of judging often removes nothing here.
        let mut outside: Option<String> = None;
        let mut inside: Option<String> = None;
        // The boxes the region reaches across go, as the chrome outside it does.
        let boxed = |k: usize| boxes.iter().any(|b| (b.0 + from..b.1 + from).contains(&k));
        // Most removed lines share a few scores (every short line costs the same), so each
        // distinct reason is formatted once (in one buffer) and shared.
        let mut reasons: Vec<(u64, &'static str, bool, Arc<str>)> =
            Vec::with_capacity(MAX_SHARED_REASONS);
        let mut reason = String::new();
        for (k, &i) in lines.iter().enumerate() {
            if !verdicts[i].is_keep() || headline.contains(&k) {
                continue;
            }
            let in_box = (best_start..=best_end).contains(&k) && boxed(k);
            if (best_start..=best_end).contains(&k) && !in_box {
                continue;
            }
            let (score, kind) = scores[k];
            let known = reasons.iter().find(|(bits, known_kind, known_box, _)| {
                *bits == score.to_bits() && *known_kind == kind && *known_box == in_box
            });
            let why = match known {
                Some((_, _, _, why)) => Arc::clone(why),
                None => {
                    let region = if in_box {
                        inside.get_or_insert_with(|| {
                            format!(
                                "a box inside the content region \
                                 (lines {first_line}-{last_line}, {best:.1} points); "
                            )
                        })
                    } else {
                        outside.get_or_insert_with(|| {
                            format!(
                                "outside the content region \
                                 (lines {first_line}-{last_line}, {best:.1} points); "
                            )
                        })
                    };
                    let why: Arc<str> = reason_suffix(score, kind, |suffix| {
                        reason.clear();
                        reason.push_str(region);
                        reason.push_str(suffix);
                        Arc::from(reason.as_str())
                    });
                    if reasons.len() < MAX_SHARED_REASONS {
                        reasons.push((score.to_bits(), kind, in_box, Arc::clone(&why)));
                    }
                    why
                }
            };
            verdicts[i] = Verdict::drop(id, why);
        }
    }
}

/// The kind of a paragraph's score, said of one of the lines it was broken into.
fn split_kind(kind: &'static str) -> &'static str {
    match kind {
        "prose" => "prose broken into lines",
        "prose without a sentence end" => "prose without a sentence end, broken into lines",
        "long line without prose" => "long line without prose, broken into lines",
        "short sentence" => "short sentence broken into lines",
        "date or time line" => "date or time line broken into lines",
        "truncated teaser" => "truncated teaser broken into lines",
        _ => "short line broken into lines",
    }
}

/// Whether the break between text lines `a` and `b` falls inside a paragraph (see
/// `ContentRegion::join_broken_paragraphs`): the lines are next to each other, the first
/// does not end a sentence, and the second goes on from it. It starts with the one space
/// that separated it from the word before, where the first line has none (a renderer that
/// keeps the page's layout indents the lines of a block alike); or, like the first, it
/// starts at the margin and the line right after it opens with such a space: the text of
/// an inline element (a link) that a renderer keeping the text's own spaces puts on a line
/// of its own, between the words before it and the words after it; or, indented no deeper
/// than the first, it starts with punctuation that follows a word (", ", ". ", a closing
/// quote or bracket, and the full-width and CJK ones: "）", "」", "、", "。"), or with a word after a first line that stops where a sentence cannot
/// (`ends_mid_sentence`). White space at the end of the first line would say as much, but
/// cleaning takes it off, and cleaning clean text must find the same paragraphs.
pub(crate) fn breaks_inside_text(page: &Page<'_>, a: usize, b: usize) -> bool {
    let blocks = page.blocks;
    if blocks[b].line != blocks[a].line + 1 {
        return false;
    }
    let first = page.trimmed(a);
    if first.is_empty() || page.features[a].truncated || ends_sentence(first) {
        return false;
    }
    let (first_indent, second_indent) = (page.features[a].start, page.features[b].start);
    if first_indent == 0 && goes_on_from(page, a, b) {
        return true;
    }
    if first_indent == 0 && second_indent == 0 && goes_on_from(page, b, b + 1) {
        return true;
    }
    if second_indent > first_indent.max(1) {
        return false;
    }
    let second = page.trimmed(b);
    // Most lines start with an ASCII character, which its byte settles.
    match second.as_bytes().first() {
        None => return false,
        Some(b',' | b'.' | b';' | b':' | b')' | b']' | b'!' | b'?') => return true,
        Some(&lead) if lead.is_ascii_alphanumeric() || matches!(lead, b'"' | b'(') => {
            return ends_mid_sentence(first)
        }
        Some(&lead) if lead.is_ascii() => return false,
        Some(_) => {}
    }
    match second.chars().next() {
        Some(
            ',' | '.' | ';' | ':' | ')' | ']' | '!' | '?' | '”' | '’' | '）' | '］' | '」' | '』'
            | '】' | '〕' | '》' | '〉' | '、' | '。' | '，' | '．' | '：' | '；' | '！' | '？',
        ) => true,
        Some(c) if c.is_alphanumeric() || matches!(c, '“' | '‘' | '"' | '(') => {
            ends_mid_sentence(first)
        }
        _ => false,
    }
}

/// The runs of two or more of `lines` (as ranges of positions in it) that are one paragraph
/// a dump broke into lines at its inline markup: each line breaks inside text
/// (`breaks_inside_text`) into the next, and `joins` says of every line of the run (a block)
/// that it may be part of one.
pub(crate) fn broken_runs<'p>(
    page: &'p Page<'_>,
    lines: &'p [usize],
    joins: impl Fn(usize) -> bool + 'p,
) -> impl Iterator<Item = std::ops::RangeInclusive<usize>> + 'p {
    let mut k = 0;
    std::iter::from_fn(move || {
        while k < lines.len() {
            let start = k;
            let mut end = k;
            while end + 1 < lines.len()
                && joins(lines[end])
                && joins(lines[end + 1])
                && breaks_inside_text(page, lines[end], lines[end + 1])
            {
                end += 1;
            }
            k = end + 1;
            if end > start {
                return Some(start..=end);
            }
        }
        None
    })
}

/// Whether block `b` is the line right after block `a` and opens with the one space that
/// separated it from the word before.
fn goes_on_from(page: &Page<'_>, a: usize, b: usize) -> bool {
    // The indent first: most lines start at the margin.
    page.features.get(b).is_some_and(|next| next.start == 1)
        && page
            .blocks
            .get(b)
            .is_some_and(|next| next.line == page.blocks[a].line + 1 && next.text.starts_with(' '))
}

/// Whether a line stops where a sentence cannot: after a comma, a bracket or quotation mark
/// that opens what follows (`opens_at_end`), or an article, a preposition or a conjunction
/// (`UNENDING_WORDS`, none longer than `MAX_UNENDING_BYTES`).
fn ends_mid_sentence(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.last() == Some(&b',') {
        return true;
    }
    if opens_at_end(text) {
        return true;
    }
    // The last word: most lines' is longer than any of the words, which settles them. Its
    // bytes are read back from the end up to one past the longest word (a plain loop: an
    // iterator chain here cost more than the rest of the test), each put in ASCII lower case
    // into `reversed`, the last byte lowest: `unending_key` of the word with its bytes in
    // reverse order.
    let mut length = 0;
    let mut reversed = 0u32;
    for &b in bytes.iter().rev() {
        if !WORD_BYTES[usize::from(b)] {
            break;
        }
        if length == MAX_UNENDING_BYTES {
            return false;
        }
        reversed |= u32::from(b.to_ascii_lowercase()) << (8 * length);
        length += 1;
    }
    if length == 0 {
        return false;
    }
    // The bytes back in order, the first lowest.
    let key = reversed.swap_bytes() >> (8 * (MAX_UNENDING_BYTES - length));
    // Most short last words ("News", "Home", "More") have their bit clear.
    let bit = unending_bit(key);
    UNENDING_BITS[bit / 64] & (1 << (bit % 64)) != 0 && UNENDING_KEYS.contains(&key)
}

/// The bytes a word is made of, as `ends_mid_sentence` reads a line's last word: ASCII
/// letters and digits, and every byte of a character beyond ASCII.
const WORD_BYTES: [bool; 256] = {
    let mut word = [false; 256];
    let mut b = 0;
    while b < 256 {
        word[b] = b >= 0x80 || (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    word
};

/// A key's bit among 256 (see `UNENDING_BITS`), from its top eight bits once mixed.
const fn unending_bit(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> 24) as usize
}

/// The bits of `UNENDING_KEYS` (see `unending_bit`): a word whose bit is clear is none of
/// them, which rules most words out before they are compared with each.
const UNENDING_BITS: [u64; 4] = {
    let mut bits = [0u64; 4];
    let mut k = 0;
    while k < UNENDING_KEYS.len() {
        let bit = unending_bit(UNENDING_KEYS[k]);
        bits[bit / 64] |= 1 << (bit % 64);
        k += 1;
    }
    bits
};

/// A word of at most `MAX_UNENDING_BYTES` bytes as one number, its bytes in ASCII lower case
/// (the rest zero): comparing it with `UNENDING_KEYS` is one pass over a few numbers
/// instead of a comparison of bytes with every word.
const fn unending_key(word: &[u8]) -> u32 {
    let mut key = [0u8; MAX_UNENDING_BYTES];
    let mut k = 0;
    while k < word.len() && k < key.len() {
        key[k] = word[k].to_ascii_lowercase();
        k += 1;
    }
    u32::from_le_bytes(key)
}

/// `UNENDING_WORDS` as `unending_key`s.
const UNENDING_KEYS: [u32; UNENDING_WORDS.len()] = {
    let mut keys = [0u32; UNENDING_WORDS.len()];
    let mut k = 0;
    while k < keys.len() {
        keys[k] = unending_key(UNENDING_WORDS[k].as_bytes());
        k += 1;
    }
    keys
};

/// Whether a line ends in a bracket or a quotation mark that opens what follows: a bracket
/// (or a full-width or CJK one, "（", "「", "【") always does; a quotation mark does after a space or alone on its line (after a word it
/// may close a quotation, as „...“ does). Not "»", which ends links as an arrow ("More »")
/// as often as it opens a quotation.
fn opens_at_end(text: &str) -> bool {
    // An ASCII last character other than a bracket or a quotation mark (most lines') opens
    // nothing.
    match text.as_bytes().last() {
        Some(b'(' | b'[') => return true,
        Some(&b) if b.is_ascii() && b != b'"' => return false,
        _ => {}
    }
    let mut chars = text.chars().rev();
    match chars.next() {
        Some('(' | '[' | '（' | '［' | '「' | '『' | '【' | '〔' | '《' | '〈') => true,
        Some('"' | '“' | '‘' | '«' | '„') => chars.next().is_none_or(char::is_whitespace),
        _ => false,
    }
}

/// The longest of `UNENDING_WORDS`, in bytes.
const MAX_UNENDING_BYTES: usize = 4;

/// Words that do not end a sentence (articles, prepositions, conjunctions) in the languages
/// the rules ship phrases for. Left out: particles that end menu entries ("Sign in", "Log
/// on"), and words that end English lines as names or abbreviations ("Plan A", "Nick A",
/// "8 p.m. ET", "the UN", "MIT", "Never say die", "Dem").
const UNENDING_WORDS: &[&str] = &[
    "the", "an", "and", "or", "but", "of", "to", "for", "with", "from", "into", "than", "der",
    "das", "und", "oder", "ein", "eine", "zu", "für", "des", "le", "la", "les", "ou", "du", "une",
    "dans", "pour", "avec", "aux", "el", "los", "las", "por", "para", "una", "che", "per", "het",
    "een",
];

/// Calls `with` with the end of a removed line's reason, "<kind>, <score>" (the score with
/// its sign and one decimal). Scores recur from page to page (every short line costs the
/// same, prose scores by its length), and formatting a float costs more than judging a
/// line, so each thread keeps the ends it has formatted, up to `MAX_CACHED_SUFFIXES`.
fn reason_suffix<T>(score: f64, kind: &'static str, with: impl FnOnce(&str) -> T) -> T {
    thread_local! {
        static SUFFIXES: RefCell<Suffixes> = RefCell::new(FastMap::default());
    }
    SUFFIXES.with(|suffixes| {
        let mut suffixes = suffixes.borrow_mut();
        let key = (score.to_bits(), kind);
        if let Some(suffix) = suffixes.get(&key) {
            return with(suffix);
        }
        let suffix = format!("{kind}, {score:+.1}");
        let result = with(&suffix);
        if suffixes.len() < MAX_CACHED_SUFFIXES {
            suffixes.insert(key, suffix.into_boxed_str());
        }
        result
    })
}

/// Formatted reason ends by score and kind (short keys, so a fast hasher).
type Suffixes = FastMap<(u64, &'static str), Box<str>>;

/// How many reason ends a thread keeps formatted.
const MAX_CACHED_SUFFIXES: usize = 4096;

/// Items of numbered lists of data: runs of at least `MIN_LIST_ITEMS` kept lines numbered in
/// sequence ("1. ...", "2. ...", or "1a etapa: ...", "2a etapa: ..."), at least half of
/// them holding data beyond the number (`list_item`). Menus are not numbered; rankings,
/// schedules and results are, and they are made of short lines that would otherwise score
/// as chrome. A numbered list of headlines ("Most read: 1. ... 2. ...") carries no data and
/// stays chrome. An item may go on for a few lines before the next number (a link, a
/// price, a line of description under a product's name): those lines are the item's too,
/// and when every item goes on for the same number of lines, so does the last.
/// `text` gives a kept line's text and `None` for a removed one, which is passed over (so
/// later judging rounds, which see only kept lines, find the same runs).
fn numbered_items<'t>(lines: &[usize], text: impl Fn(usize) -> Option<&'t str>) -> Vec<bool> {
    let mut listed = vec![false; lines.len()];
    // (index into `lines`, number, holds data) of the current run's items, the indices of
    // the lines that went on from one item to the next, and those after the last item so far.
    let mut run: Vec<(usize, u32, bool)> = Vec::new();
    let mut within: Vec<usize> = Vec::new();
    let mut after: Vec<usize> = Vec::new();
    let mut gaps = Gaps::None;
    let close = |run: &mut Vec<(usize, u32, bool)>,
                 within: &mut Vec<usize>,
                 after: &mut Vec<usize>,
                 gaps: &mut Gaps,
                 listed: &mut Vec<bool>| {
        let with_data = run.iter().filter(|item| item.2).count();
        if run.len() >= MIN_LIST_ITEMS && with_data * 2 >= run.len() {
            // When every item went on for the same number of lines, the last one does too.
            let last = match *gaps {
                Gaps::Same(lines) => lines.min(after.len()),
                Gaps::None | Gaps::Differ => 0,
            };
            for k in run.iter().map(|item| item.0).chain(within.iter().copied()) {
                listed[k] = true;
            }
            for &k in &after[..last] {
                listed[k] = true;
            }
        }
        run.clear();
        within.clear();
        after.clear();
        *gaps = Gaps::None;
    };
    for (k, &i) in lines.iter().enumerate() {
        let Some(line) = text(i) else { continue };
        match list_item(line) {
            Some((n, data)) if run.last().is_some_and(|&(_, last, _)| n == last + 1) => {
                gaps = match gaps {
                    Gaps::None => Gaps::Same(after.len()),
                    Gaps::Same(lines) if lines == after.len() => Gaps::Same(lines),
                    _ => Gaps::Differ,
                };
                within.append(&mut after);
                run.push((k, n, data))
            }
            Some((n, data)) => {
                close(&mut run, &mut within, &mut after, &mut gaps, &mut listed);
                run.push((k, n, data));
            }
            None if run.is_empty() => {}
            None if after.len() < MAX_ITEM_LINES => after.push(k),
            None => close(&mut run, &mut within, &mut after, &mut gaps, &mut listed),
        }
    }
    close(&mut run, &mut within, &mut after, &mut gaps, &mut listed);
    listed
}

/// How many lines after its numbered line an item of a list may go on for.
const MAX_ITEM_LINES: usize = 2;

/// How many lines the items of a numbered list went on for after their numbered lines.
#[derive(Clone, Copy)]
enum Gaps {
    /// No item has been followed by a next one yet.
    None,
    /// Every item so far went on for this many lines.
    Same(usize),
    /// Items went on for different numbers of lines.
    Differ,
}

/// Items of lists that a paragraph of the article leads into: after a prose line and a blank
/// line, a line of at least `MIN_LEAD_IN_WORDS` words ending in a colon ("The band's 2020
/// tour dates:", "Foods you may eat:"), then the lines right below it, one under the other
/// with no blank line between them (a page dump that sets paragraphs apart writes a list's
/// items so), up to a blank line or a prose line; at least `MIN_LIST_ITEMS` of them, more
/// than half of them telling something (`is_told_item`). A list the story announces is the
/// story's, although its items are short lines that would otherwise score as chrome; a menu
/// or a list of newsletters to sign up for names things without telling anything, and a box
/// heading ("Share this:", "Related links:") has too few words. A short heading instead of
/// the colon ("Tour dates", "Qualified teams") leads into a table: every item holds the same
/// kind of data (`data_marks`), as a schedule's or a results table's rows do. `kept` says whether a block
/// is still kept; removed lines are passed over (so later judging rounds, which see only
/// kept lines, find the same lists). The items are marked in `listed`, which holds a flag
/// per line of `lines`.
fn lead_in_lists(
    page: &Page<'_>,
    lines: &[usize],
    kept: impl Fn(usize) -> bool,
    min_prose_words: usize,
    listed: &mut [bool],
) {
    let mut previous: Option<usize> = None;
    for (k, &i) in lines.iter().enumerate() {
        if !kept(i) {
            continue;
        }
        let above = previous.replace(i);
        // A lead-in ends in a colon; a heading is a short line that is no sentence.
        let colon = page.trimmed(i).as_bytes().last() == Some(&b':');
        let lead_in = if colon {
            page.words(i) >= MIN_LEAD_IN_WORDS
        } else {
            !page.features[i].sentence && page.words(i) < min_prose_words
        };
        if !lead_in {
            continue;
        }
        // The paragraph above the lead-in is set apart from it by a blank line, as a page dump
        // that writes a list's items one under the other sets paragraphs apart.
        let after_prose = above.is_some_and(|p| {
            page.features[p].sentence
                && page.words(p) >= min_prose_words
                && (p + 1..i).any(|between| page.is_blank(between))
        });
        if !after_prose {
            continue;
        }
        // The items: kept lines after the lead-in, each with no blank line above it but the
        // first, up to a blank line or a paragraph of prose (the story going on).
        let mut items: Vec<usize> = Vec::new();
        let mut last_block = i;
        for (j, &b) in lines.iter().enumerate().skip(k + 1) {
            if !kept(b) {
                continue;
            }
            let prose = page.features[b].sentence && page.words(b) >= min_prose_words;
            if prose
                || !items.is_empty() && (last_block + 1..b).any(|between| page.is_blank(between))
            {
                break;
            }
            items.push(j);
            last_block = b;
        }
        if items.len() < MIN_LIST_ITEMS {
            continue;
        }
        let is_list = if colon {
            let told = items
                .iter()
                .filter(|&&j| is_told_item(page.trimmed(lines[j]), &page.features[lines[j]]))
                .count();
            told * 2 > items.len()
        } else {
            // The rows' shared marks, until none are left.
            let mut shared = DATA_MARKS;
            for &j in &items {
                shared &= data_marks(page.trimmed(lines[j]));
                if shared == 0 {
                    break;
                }
            }
            shared != 0
        };
        if is_list {
            for j in items {
                listed[j] = true;
            }
        }
    }
}

/// An item of a list that tells something rather than names a place to go: it goes on with
/// the sentence that leads into it (it starts in lower case), holds a number (a date, a
/// quantity, a price), or is a sentence itself. Menu entries, newsletter names and the
/// labels of a share bar do none of these. A renderer that prints a list as the page shows
/// it marks each item with a bullet ("* ", "+ " for a list inside an item), which is not
/// the item's text.
fn is_told_item(text: &str, features: &LineFeatures) -> bool {
    features.sentence
        || text.bytes().any(|b| b.is_ascii_digit())
        || without_bullet(text)
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
}

/// A list item's text without the bullet and the space after it that a renderer put before
/// it.
fn without_bullet(text: &str) -> &str {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some('*' | '+' | '-' | '•' | '◦' | '▪' | '·' | '–'), Some(' ')) => chars.as_str(),
        _ => text,
    }
}

/// What data a line holds, as bits: `DIGIT` (a date, a quantity, a score), `COLON` ("England
/// (Group A): 10th appearance") and `SPACED_DASH` ("June 9 – Tampa, FL"). The rows of a
/// table or a schedule share one of them.
fn data_marks(text: &str) -> u8 {
    let mut marks = 0;
    for b in text.bytes() {
        match b {
            b'0'..=b'9' => marks |= DIGIT,
            b':' => marks |= COLON,
            _ => {}
        }
    }
    if SPACED_DASHES.iter().any(|dash| text.contains(dash)) {
        marks |= SPACED_DASH;
    }
    marks
}

const DIGIT: u8 = 1;
const COLON: u8 = 2;
const SPACED_DASH: u8 = 4;
const DATA_MARKS: u8 = DIGIT | COLON | SPACED_DASH;

/// The dashes that set a list item's fields apart, with the spaces around them.
const SPACED_DASHES: [&str; 3] = [" – ", " — ", " - "];

/// The fewest words of a line that leads into a list.
const MIN_LEAD_IN_WORDS: usize = 3;

/// A numbered list needs at least this many items in sequence.
const MIN_LIST_ITEMS: usize = 3;

/// The number a list item opens with: one to three digits, then a list mark (`.`, `)`,
/// `:`, an ordinal suffix such as `º`, `a`, `st`, `th`) or a space, then text; and whether
/// that text holds data: a digit, a colon or a spaced dash ("March 8: Sebring", "Kyle Busch
/// 5040 5 1", "Oslo – Bergen"). A photo counter ("1 of 4 ...", "2/4") is not an item.
fn list_item(line: &str) -> Option<(u32, bool)> {
    // Most lines start with an ASCII character that is neither a digit nor white space:
    // they start with no number.
    match line.as_bytes().first() {
        None => return None,
        Some(&b) if b.is_ascii() && !b.is_ascii_digit() && !crate::normalize::is_ascii_space(b) => {
            return None
        }
        Some(_) => {}
    }
    let number = list_number(line)?;
    let digits = line
        .trim_start()
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let rest = &line.trim_start()[digits..];
    let data = (rest
        .bytes()
        .skip(1)
        .any(|b| b.is_ascii_digit() || b == b':')
        || SPACED_DASHES.iter().any(|dash| rest.contains(dash)))
        && !is_timestamp(rest.get(1..).unwrap_or(""));
    Some((number, data))
}

/// Whether a text is only a date or a time ("20 Nov 2019, 9:42am", "2 hours ago"): every
/// word holds a digit or is a word of dates and times. Teaser lists number their stories'
/// timestamps; a schedule's item says what happens on the date ("March 8: Sebring").
fn is_timestamp(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
        "am",
        "pm",
        "a.m",
        "p.m",
        "at",
        "ago",
        "min",
        "mins",
        "minute",
        "minutes",
        "hour",
        "hours",
        "hr",
        "hrs",
        "day",
        "days",
        "today",
        "yesterday",
        "updated",
        "published",
        "utc",
        "gmt",
        "et",
        "edt",
        "est",
        "ct",
        "cst",
        "cdt",
        "mt",
        "mst",
        "mdt",
        "pt",
        "pst",
        "pdt",
        "bst",
        "cet",
        "cest",
    ];
    let mut words = 0;
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
        let word = word.trim_end_matches('.');
        if word.is_empty() || word.bytes().any(|b| b.is_ascii_digit()) {
            words += 1;
            continue;
        }
        if !WORDS.iter().any(|known| known.eq_ignore_ascii_case(word)) {
            return false;
        }
        words += 1;
    }
    words > 0
}

fn list_number(line: &str) -> Option<u32> {
    let line = line.trim_start();
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let number: u32 = line[..digits].parse().ok()?;
    let rest = &line[digits..];
    let rest = ["º", "ª", "°", "st", "nd", "rd", "th", "a", "o", "e"]
        .iter()
        .find_map(|suffix| {
            rest.strip_prefix(suffix)
                .filter(|after| after.starts_with([' ', ':', '.']))
        })
        .unwrap_or(rest);
    let rest = rest.strip_prefix(['.', ')', ':']).unwrap_or(rest);
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let mut words = rest.split_whitespace();
    let first = words.next()?;
    // "1 of 4", "1 / 4", "2 de 10": a counter of photos or pages (but "3. May 3: ...").
    let counter = first.chars().count() <= 3
        && !first.chars().any(char::is_uppercase)
        && words
            .next()
            .is_some_and(|w| w.bytes().next().is_some_and(|b| b.is_ascii_digit()));
    (!counter).then_some(number)
}

/// A run of lines already removed costs at most this many short lines.
const MAX_REMOVED_RUN_COST: usize = 3;

/// Below this many story paragraphs of a region (`judge::is_story_paragraph`), a line that
/// opens like a dateline but is no prose is not where the story starts.
const MAX_PARAGRAPHS_ABOVE_DATELINE: usize = 2;

/// How many distinct reasons a page keeps for sharing; the search among them is linear, and
/// prose lines outside the region mostly have scores of their own.
const MAX_SHARED_REASONS: usize = 16;

/// The maximum-sum stretch within each part of the page between gaps of at least
/// `max_gap` points of chrome: `(first, last, points)` per part, in page order. A run of
/// chrome of at most `BOX_LINES` lines with two story paragraphs in a row after it
/// (`paragraph` says whether a line is one) is a box set inside the story (a list of other
/// stories, an embedded post), not a gap: the story goes on below it, as the judge has it
/// for a box under a related-stories marker. The box still costs its points, so the
/// region reaches across it only when the story below outweighs it. Such boxes come second,
/// as ranges of lines.
fn stretches(
    scores: &[(f64, &'static str)],
    paragraph: impl Fn(usize) -> bool,
    max_gap: f64,
) -> (Vec<Stretch>, Vec<(usize, usize)>) {
    let mut found = Vec::new();
    let mut boxes = Vec::new();
    let mut part_start = 0;
    let mut gap = 0.0;
    // Where the current run of chrome began.
    let mut gap_start = 0;
    let mut k = 0;
    while k <= scores.len() {
        let at_end = k == scores.len();
        if !at_end {
            let score = scores[k].0;
            if score > 0.0 {
                gap = 0.0;
                gap_start = k + 1;
            } else {
                gap += score;
            }
        }
        if at_end || gap <= -max_gap {
            let resumes = (gap_start..scores.len().min(gap_start + BOX_LINES + 1))
                .find(|&j| scores[j].0 > 0.0)
                .filter(|&j| j + 1 < scores.len() && paragraph(j) && paragraph(j + 1));
            if let (false, Some(resume)) = (at_end, resumes) {
                boxes.push((gap_start, resume));
                gap = 0.0;
                gap_start = resume + 1;
                k = resume + 1;
                continue;
            }
            if let Some(best) = kadane(scores[part_start..k].iter().map(|s| s.0)) {
                found.push((best.0 + part_start, best.1 + part_start, best.2));
            }
            // Skip the rest of the gap.
            while k < scores.len() && scores[k].0 <= 0.0 {
                k += 1;
            }
            part_start = k;
            gap = 0.0;
            gap_start = k;
            if at_end {
                break;
            }
            continue;
        }
        k += 1;
    }
    (found, boxes)
}

/// A stretch of lines: `(first, last, points)`.
type Stretch = (usize, usize, f64);

/// Kadane's algorithm: the stretch with the largest total score.
fn kadane(scores: impl Iterator<Item = f64>) -> Option<Stretch> {
    let mut best: Option<Stretch> = None;
    let (mut running, mut start) = (0.0, 0);
    for (k, score) in scores.enumerate() {
        if running <= 0.0 {
            running = 0.0;
            start = k;
        }
        running += score;
        if best.is_none_or(|b| running > b.2) {
            best = Some((start, k, running));
        }
    }
    best
}

/// The page's title and its line number: the title the input gave, or else the document's
/// own first line (not the first line still kept: once the menus are gone, a caption
/// repeated further down must not pass for a title).
fn page_title<'d>(page: &Page<'d>) -> Option<(&'d str, Option<usize>)> {
    match page.doc.title.as_deref() {
        Some(title) => Some((title.trim(), None)),
        None => {
            let (n, line) = page
                .doc
                .raw
                .lines()
                .enumerate()
                .find(|(_, l)| !l.trim().is_empty())?;
            Some((line.trim(), Some(n + 1)))
        }
    }
}

/// The index (into `lines`) of the headline, when the first line after the page's title that
/// repeats it does so as a headline. A page dump's first line that is the headline plus the
/// site's name ("... - Example News") is the page's <title>, and the line repeating it
/// without the name is the headline. A bare repeat of a first line proves nothing: it may
/// be a line of the article, or the first line may be the headline of a page already
/// cleaned. A title the input gives (a JSONL field) is the headline itself, so its bare
/// repeat counts.
fn headline_repeat(page: &Page<'_>, lines: &[usize]) -> Option<usize> {
    let given_title = page.doc.title.is_some();
    let (title, title_line) = page_title(page)?;
    if crate::judge::word_count(title) < 3 || title.ends_with(['.', '…']) {
        return None;
    }
    // A first line taken as the title must be followed by other lines (the menus) before
    // its repeat: a line merely written twice is no title. The distance is counted in the
    // document's own lines, so later rounds of judging, which see only the kept lines, find
    // the same repeat.
    let min_line = title_line.map_or(0, |line| line + 4);
    let first = title.as_bytes().first();
    // The first repeat decides: a bare one that does not count is no anchor either.
    let (k, suffixed) = lines.iter().enumerate().find_map(|(k, &i)| {
        let line = page.trimmed(i);
        // The first bytes differ on most lines, which settles them without a comparison (an
        // empty line is neither the title nor a start of it with three words).
        if line.as_bytes().first() != first || page.blocks[i].line < min_line {
            return None;
        }
        if line == title {
            return Some((k, false));
        }
        let suffixed = title.starts_with(line)
            && page.words(i) >= 3
            && title[line.len()..]
                .trim_start()
                .starts_with(['-', '|', '–', '—', ':', '·']);
        suffixed.then_some((k, true))
    })?;
    (suffixed || given_title).then_some(k)
}

/// A paragraph that opens with a news dateline: a place in capitals, maybe a region and an
/// agency in parentheses, then a dash or colon ("WASHINGTON (AP) —", "BUFFALO, N.Y. —",
/// "NEW DELHI:").
///
/// The line (without leading white space) must start as this pattern says:
/// `[A-Z][A-Z.'’ -]{2,40}(, [A-Z][A-Za-z.' ]{1,30}){0,2} ?(\([^)]{1,40}\))? ?(—|–|--?|:) [^ ]`.
/// It is matched by hand, a step at a time over the set of byte offsets the steps so far can
/// end at: compiling it as a regular expression cost more than every match it ever made.
fn opens_with_dateline(text: &str) -> bool {
    let text = text.trim_start();
    // Cheap checks first: two capitals to start, and enough words to be a paragraph.
    let bytes = text.as_bytes();
    if bytes.len() < 40 || !bytes[0].is_ascii_uppercase() || !bytes[1].is_ascii_uppercase() {
        return false;
    }
    dateline_prefix(text)
}

/// Whether `text` starts with a match of the dateline pattern (see `opens_with_dateline`).
fn dateline_prefix(text: &str) -> bool {
    let is_place = |c: char| c.is_ascii_uppercase() || matches!(c, '.' | '\'' | '’' | ' ' | '-');
    let is_region = |c: char| c.is_ascii_alphabetic() || matches!(c, '.' | '\'' | ' ');
    // `[A-Z]`, then `[A-Z.'’ -]{2,40}`.
    if !text.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let mut ends = run_ends(text, 1, is_place, 2, 40);
    // `(, [A-Z][A-Za-z.' ]{1,30}){0,2}`.
    let mut last = ends.clone();
    for _ in 0..2 {
        let mut next = Vec::new();
        for &at in &last {
            let rest = &text.as_bytes()[at..];
            if rest.len() >= 3 && rest[..2] == *b", " && rest[2].is_ascii_uppercase() {
                next.extend(run_ends(text, at + 3, is_region, 1, 30));
            }
        }
        ends.extend_from_slice(&next);
        last = next;
    }
    // ` ?`
    let optional_space = |ends: &mut Vec<usize>| {
        let spaced: Vec<usize> = ends
            .iter()
            .filter(|&&at| text.as_bytes().get(at) == Some(&b' '))
            .map(|&at| at + 1)
            .collect();
        ends.extend(spaced);
    };
    optional_space(&mut ends);
    // `(\([^)]{1,40}\))?`: the parenthesis closes at the first `)`.
    let closed: Vec<usize> = ends
        .iter()
        .filter_map(|&at| {
            let inside = text.get(at..)?.strip_prefix('(')?;
            let close = inside.find(')')?;
            let chars = inside[..close].chars().count();
            (1..=40).contains(&chars).then_some(at + 1 + close + 1)
        })
        .collect();
    ends.extend(closed);
    optional_space(&mut ends);
    // `(—|–|--?|:) [^ ]`
    ends.iter().any(|&at| {
        let Some(rest) = text.get(at..) else {
            return false;
        };
        ["—", "–", "--", "-", ":"].iter().any(|mark| {
            rest.strip_prefix(mark)
                .and_then(|after| after.strip_prefix(' '))
                .and_then(|after| after.chars().next())
                .is_some_and(|c| c != ' ')
        })
    })
}

/// The byte offsets at which a run of `min` to `max` characters that `class` accepts,
/// starting at byte `start` of `text`, can end.
fn run_ends(
    text: &str,
    start: usize,
    class: impl Fn(char) -> bool,
    min: usize,
    max: usize,
) -> Vec<usize> {
    let mut ends = Vec::new();
    let Some(rest) = text.get(start..) else {
        return ends;
    };
    for (n, (at, c)) in rest.char_indices().enumerate().take(max) {
        if !class(c) {
            break;
        }
        if n + 1 >= min {
            ends.push(start + at + c.len_utf8());
        }
    }
    ends
}

/// A time of day such as "6:34" somewhere in the line.
fn has_time_of_day(text: &str) -> bool {
    has_time_of_day_bytes(text.as_bytes())
}

fn has_time_of_day_bytes(bytes: &[u8]) -> bool {
    bytes
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
}

/// A short line of `words` words (`word_count`) that is mostly a date or a time of day.
pub(super) fn looks_like_date(text: &str, words: usize) -> bool {
    if words > 8 {
        return false;
    }
    let Some(first_digit) = first_digit(text.as_bytes()) else {
        return false;
    };
    // Lower-casing leaves ASCII digits and colons where they are, so the time of day (which
    // starts with a digit) can be looked for in the line itself, from its first digit on.
    if has_time_of_day_bytes(&text.as_bytes()[first_digit..]) {
        return true;
    }
    // The marks are ASCII and lower-case, and no character beyond ASCII lower-cases to one
    // of their characters (only two do to ASCII at all: "İ" to an `i` and a dot above, the
    // Kelvin sign to a `k`): ignoring ASCII case in the line itself finds what lower-casing it
    // first would.
    date_marks().is_match(text)
}

/// Where the first ASCII digit of `bytes` is, looked for eight bytes at a time.
fn first_digit(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    for (k, chunk) in (&mut chunks).enumerate() {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let digits = crate::judge::byte_range_bits(u64::from_le_bytes(eight), b'0', b'9');
        if digits != 0 {
            return Some(k * 8 + (digits.trailing_zeros() / 8) as usize);
        }
    }
    let rest = chunks.remainder();
    let at = rest.iter().position(u8::is_ascii_digit)?;
    Some(bytes.len() - rest.len() + at)
}

/// Words and abbreviations of dates and times, ASCII and lower-case.
const DATE_MARKS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", " ago",
    " am", " pm", "a.m.", "p.m.", "utc", "gmt", "edt", "est", "pst", "pdt",
];

/// `DATE_MARKS` in one automaton that ignores ASCII case.
fn date_marks() -> &'static AhoCorasick {
    static MARKS: OnceLock<AhoCorasick> = OnceLock::new();
    MARKS.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(DATE_MARKS)
            .expect("the date marks are a handful of short literals")
    })
}

/// Whether at least `min_share` of the words of `text` are common function words of the
/// languages newsclean ships rules for (a share high in prose of any of them, low in menus,
/// name lists and link rows). `most_words`, when given, is
/// at least the number of words the share is taken of (for an ASCII line, its words between
/// white space): the count then stops once the hits reach the share of that many words,
/// which the share of fewer words reaches too (a correctly rounded quotient grows with its
/// dividend and shrinks with its divisor).
fn function_words_reach(text: &str, min_share: f64, most_words: Option<usize>) -> bool {
    let enough =
        |hits: usize| most_words.is_some_and(|most| hits as f64 / most as f64 >= min_share);
    let (hits, total, stopped) = count_function_words(text, enough);
    stopped || share(hits, total) >= min_share
}

fn share(hits: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        hits as f64 / total as f64
    }
}

/// The function words among the words of `text` and the words, until `enough` says of the
/// function words found so far that the count may stop (then the third value is true).
///
/// Words are what `split_whitespace` gives, with the characters that are not alphanumeric
/// trimmed off. The line is cut at ASCII white space byte by byte first, and only a piece
/// holding other characters is cut again by `split_whitespace` (it may hold a no-break
/// space): the words are the same, and ASCII words never go through character decoding.
fn count_function_words(text: &str, enough: impl Fn(usize) -> bool) -> (usize, usize, bool) {
    let words = function_words();
    let ascii_words = ascii_function_words();
    let mut total = 0usize;
    let mut hits = 0usize;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Most pieces are short ASCII words: eight bytes from `at` hold one whole, and its
        // word is cut out of them with bit masks.
        let eight = eight_from(bytes, at);
        let space = crate::judge::space_bytes(eight);
        if space & 0x80 != 0 {
            // An empty piece.
            at += 1;
            continue;
        }
        // The high bits of the bytes before the first white space.
        let before_space = (space & space.wrapping_neg()).wrapping_sub(1) & HIGH_BITS;
        if space != 0 && eight & before_space == 0 {
            let alnum = ascii_alphanumeric_bits(eight) & before_space;
            if alnum != 0 {
                total += 1;
                // Bytes `first..=last` of the eight are the word, fewer than eight.
                let first = alnum.trailing_zeros() / 8;
                let last = (63 - alnum.leading_zeros()) / 8;
                let word = (eight >> (8 * first)) & ((1u64 << (8 * (last - first + 1))) - 1);
                if ascii_words.contains(crate::judge::ascii_lowercase_word(word)) {
                    hits += 1;
                    if enough(hits) {
                        return (hits, total, true);
                    }
                }
            }
            at += (space.trailing_zeros() / 8) as usize + 1;
            continue;
        }
        // A longer piece, or one with other characters: one piece between ASCII white space
        // (as `char::is_whitespace` has it: space, tab to carriage return), with where its
        // first and last ASCII letters or digits are.
        let start = at;
        let mut classes = 0u8;
        let (mut first, mut last) = (usize::MAX, 0);
        while at < bytes.len() {
            let class = BYTE_CLASS[bytes[at] as usize];
            if class & CLASS_SPACE != 0 {
                break;
            }
            classes |= class;
            if class & CLASS_ALNUM != 0 {
                first = first.min(at);
                last = at;
            }
            at += 1;
        }
        let end = at;
        at += 1;
        if classes & CLASS_HIGH == 0 {
            // An ASCII piece: its word is from its first to its last letter or digit.
            if first == usize::MAX {
                continue;
            }
            total += 1;
            // ASCII words are lower-cased into a number and looked up among the ASCII
            // function words as numbers; this runs for every word of long lines.
            if last - first < 8 && ascii_words.contains(ascii_key(&bytes[first..=last])) {
                hits += 1;
                if enough(hits) {
                    return (hits, total, true);
                }
            }
        } else {
            // Cut at ASCII bytes, which are character boundaries; the piece may hold other
            // white space (a no-break space).
            for word in text[start..end].split_whitespace() {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                if word.is_empty() {
                    continue;
                }
                total += 1;
                let hit = word.len() <= 8
                    && if word.is_ascii() {
                        ascii_words.contains(ascii_key(word.as_bytes()))
                    } else {
                        words.contains(word.to_lowercase().as_str())
                    };
                if hit {
                    hits += 1;
                    if enough(hits) {
                        return (hits, total, true);
                    }
                }
            }
        }
    }
    (hits, total, false)
}

/// Eight bytes of `bytes` from `at` as a little-endian number, spaces past the end.
fn eight_from(bytes: &[u8], at: usize) -> u64 {
    let mut eight = [b' '; 8];
    match bytes.get(at..at + 8) {
        Some(whole) => eight.copy_from_slice(whole),
        None => {
            let rest = &bytes[at.min(bytes.len())..];
            eight[..rest.len()].copy_from_slice(rest);
        }
    }
    u64::from_le_bytes(eight)
}

/// The high bit of each of eight bytes that is an ASCII letter or digit.
fn ascii_alphanumeric_bits(eight: u64) -> u64 {
    use crate::judge::byte_range_bits;
    byte_range_bits(eight, b'0', b'9')
        | byte_range_bits(eight, b'A', b'Z')
        | byte_range_bits(eight, b'a', b'z')
}

/// `BYTE_CLASS` bits: ASCII white space, an ASCII letter or digit, a byte of a non-ASCII
/// character.
const CLASS_SPACE: u8 = 1;
const CLASS_ALNUM: u8 = 2;
const CLASS_HIGH: u8 = 4;

/// What `count_function_words` needs to know of each byte, in one look-up.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte == b' ' || (byte >= b'\t' && byte <= b'\r') {
            CLASS_SPACE
        } else if byte.is_ascii_alphanumeric() {
            CLASS_ALNUM
        } else if byte >= 0x80 {
            CLASS_HIGH
        } else {
            0
        };
        b += 1;
    }
    table
};

/// An ASCII word of at most eight bytes, lower-cased, as a little-endian number padded with
/// zeros.
fn ascii_key(word: &[u8]) -> u64 {
    word.iter().enumerate().fold(0, |key, (k, b)| {
        key | u64::from(b.to_ascii_lowercase()) << (8 * k)
    })
}

/// The ASCII function words as `ascii_key`s in an open-addressing table: a lookup is a
/// multiplication and a probe or two.
struct AsciiWords {
    slots: Vec<u64>,
}

impl AsciiWords {
    const SLOT_BITS: u32 = 9;

    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::SLOT_BITS)) as usize
    }

    fn new(keys: impl Iterator<Item = u64>) -> AsciiWords {
        let mut slots = vec![0u64; 1 << Self::SLOT_BITS];
        let mask = slots.len() - 1;
        for key in keys {
            let mut at = Self::slot(key);
            while slots[at] != 0 && slots[at] != key {
                at = (at + 1) & mask;
            }
            slots[at] = key;
        }
        AsciiWords { slots }
    }

    /// Whether `key` (never 0: words are not empty) is one of the words.
    fn contains(&self, key: u64) -> bool {
        let mask = self.slots.len() - 1;
        let mut at = Self::slot(key);
        loop {
            match self.slots[at] {
                0 => return false,
                slot if slot == key => return true,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

/// The function words: the keys are a few bytes long and looked up once per word of every
/// long line, where the default hasher's set-up costs more than the hashing itself.
type WordSet = FastSet<&'static str>;

/// The ASCII function words (at most eight bytes long, as they all are) as `ascii_key`s.
fn ascii_function_words() -> &'static AsciiWords {
    static WORDS: OnceLock<AsciiWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        AsciiWords::new(
            function_words()
                .iter()
                .filter(|word| word.is_ascii() && word.len() <= 8)
                .map(|word| ascii_key(word.as_bytes())),
        )
    })
}

fn function_words() -> &'static WordSet {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    WORDS.get_or_init(|| {
        [
            // English
            "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
            "from", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it",
            "its", "that", "this", "which", "who", "he", "she", "they", "we", "not", "will",
            "would", "said", "their", "his", "her", "about", "after", "than", "into", "there",
            // German
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "sich",
            "des", "auf", "für", "im", "dem", "es", "von", "auch", "sie", "er", "wird", "wurde",
            // French
            "le", "la", "les", "et", "des", "du", "un", "une", "est", "que", "qui", "dans", "pour",
            "pas", "sur", "au", "aux", "il", "elle", "ce", "par", "ont", "été",
            // Spanish, Portuguese, Italian
            "el", "los", "las", "y", "que", "en", "por", "con", "para", "una", "es", "su", "se",
            "lo", "del", "al", "o", "e", "il", "di", "che", "non", "per", "uma", "não", "com",
            // Dutch
            "het", "een", "van", "en", "niet", "op", "te", "dat", "zijn", // Russian
            "и", "в", "не", "на", "что", "с", "по", "это", "как", "из", "к", "о", "от", "за",
        ]
        .into_iter()
        .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_marks_are_found_in_a_line_as_in_its_lower_case() {
        // The characters beyond ASCII whose lower case holds ASCII ones, and those.
        let mut lowered_to_ascii = Vec::new();
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            for l in c.to_lowercase().filter(char::is_ascii) {
                lowered_to_ascii.push((c, l));
            }
        }
        assert_eq!(lowered_to_ascii, [('\u{130}', 'i'), ('\u{212A}', 'k')]);
        for (_, l) in lowered_to_ascii {
            assert!(DATE_MARKS.iter().all(|mark| !mark.contains(l)));
        }
        for text in [
            "20 NOV 2019",
            "Vor 2 Std. \u{130}stanbul AGO",
            "\u{212A}\u{130} 3 jan",
            "3 Jan\u{130}",
            "ÉTÉ 2019 — 5 P.M.",
            "Σ 12 DEC",
            "2 \u{212A}AGO",
        ] {
            assert_eq!(
                date_marks().is_match(text),
                date_marks().is_match(&text.to_lowercase()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_numbered_timestamp_is_no_data() {
        for text in [
            "20 Nov 2019 , 9:42am",
            "2 hours ago",
            "Updated 11:21 pm CST",
            "March 8, 2019 at 4:47 p.m.",
            "12:30",
        ] {
            assert!(is_timestamp(text), "{text}");
            assert_eq!(list_item(&format!("1. {text}")), Some((1, false)), "{text}");
        }
        for text in [
            "",
            "March 8: Sebring",
            "Kyle Busch 5040 5 1",
            "Oslo – Bergen 2:14",
        ] {
            assert!(!is_timestamp(text), "{text}");
        }
        assert_eq!(list_item("3. March 8: Sebring"), Some((3, true)));
    }

    #[test]
    fn the_last_word_is_read_as_a_plain_search_for_it_reads_it() {
        // The line's last word (its last bytes that are ASCII letters or digits or belong to
        // characters beyond ASCII), in ASCII lower case, is one of the words.
        let plain = |text: &str| {
            let bytes = text.as_bytes();
            let start = bytes
                .iter()
                .rposition(|b| b.is_ascii() && !b.is_ascii_alphanumeric())
                .map_or(0, |at| at + 1);
            let last = bytes[start..].to_ascii_lowercase();
            text.ends_with(',')
                || opens_at_end(text)
                || UNENDING_WORDS.iter().any(|word| word.as_bytes() == last)
        };
        let mut words: Vec<String> = UNENDING_WORDS.iter().map(|w| w.to_string()).collect();
        words.extend(
            [
                "", "a", "th", "thee", "them", "andy", "fÜr", "FÜR", "Für", "ü", "é", "x1", "9",
            ]
            .map(String::from),
        );
        for word in &words {
            for before in ["", " ", "x", "to ", "said, ", "é", "(", "1"] {
                for case in [word.clone(), word.to_uppercase(), word.to_ascii_uppercase()] {
                    let text = format!("{before}{case}");
                    assert_eq!(ends_mid_sentence(&text), plain(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn a_cjk_paragraph_broken_at_its_links_is_one_paragraph() {
        let raw =
            "【6月18日 AFP】ナイジェリア北東部ボルノ（\nBorno\n）州で16日夜、自爆攻撃が起きた。\n\
                   次の段落。\n";
        crate::judge::with_page_of(raw, |page, _, _, _| {
            assert!(breaks_inside_text(page, 0, 1));
            assert!(breaks_inside_text(page, 1, 2));
            // A line that ends its sentence does not go on into the next.
            assert!(!breaks_inside_text(page, 2, 3));
        });
    }

    #[test]
    fn lines_that_stop_mid_sentence_are_told() {
        for word in UNENDING_WORDS {
            assert!(word.len() <= MAX_UNENDING_BYTES, "{word}");
            assert_eq!(*word, word.to_lowercase(), "{word}");
            assert!(ends_mid_sentence(word), "{word}");
            assert!(ends_mid_sentence(&format!("according to {word}")), "{word}");
        }
        for text in [
            "Lynn said, via the",
            "after a debate with",
            "commuters, according to",
            "Dow Jones,",
            "THE PRICE OF",
            "Pläne für",
            "the timetable (",
            "which the council has named “",
            "le pont «",
            "“",
            "ナイジェリア北東部ボルノ（",
            "イスラム過激派組織「",
        ] {
            assert!(ends_mid_sentence(text), "{text}");
        }
        for text in [
            "",
            "Home",
            "Sign in",
            "Log on",
            "Privacy Policy",
            "Theo",
            "bathe",
            "Toronto",
            "Fort",
            "and.",
            "Andorra",
            "NY Jets",
            "über",
            "nannte sie „Flusstor“",
            "er las »Die Brücke«",
            "Update your preferences »",
            "called it \"River Gate\"",
        ] {
            assert!(!ends_mid_sentence(text), "{text}");
        }
    }

    /// Numbers below a bound from a xorshift generator with a fixed seed, so every run of a
    /// test sees the same ones.
    fn seeded(seed: u64) -> impl FnMut(usize) -> usize {
        let mut state = seed;
        move |bound| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        }
    }

    #[test]
    fn datelines_are_matched_as_the_pattern_matches_them() {
        let pattern = regex::Regex::new(
            r"^[A-Z][A-Z.'’ -]{2,40}(, [A-Z][A-Za-z.' ]{1,30}){0,2} ?(\([^)]{1,40}\))? ?(—|–|--?|:) [^ ]",
        )
        .expect("the dateline pattern is valid");
        let examples = [
            "WASHINGTON (AP) — The Senate voted",
            "BUFFALO, N.Y. — A storm",
            "NEW DELHI: The government",
            "MADRID — Rafael Nadal kept Spain's hopes alive",
            "HANOI, Vietnam (AP) — Officials said",
            "SAN JUAN, Puerto Rico, U.S. (Reuters) -- x",
            "AUGERI: Middletown",
            "AB —  x",
            "AB — ",
            "A — x",
            "ABC(AP)—x",
            "ABC () — x",
            "ABC (a)b) — x",
            "ABC, — x",
            "ABC, D — x",
            "ABC,  D — x",
            "ABC - - x",
            "ABC --- x",
            "ABC-- x",
            "ÉTÉ — x",
            "",
        ];
        let mut examples: Vec<String> = examples.map(String::from).to_vec();
        for n in [38, 39, 40, 41, 42] {
            let place = "A".repeat(n);
            let region = "b".repeat(n - 10);
            let agency = "é".repeat(n);
            examples.push(format!("{place} — x"));
            examples.push(format!("AB, C{region} — x"));
            examples.push(format!("AB (a{agency}) — x"));
            examples.push(format!("AB, Cd, Ef, G{region} — x"));
        }
        examples.push("AB, Cd, Ef — x".to_string());
        for text in &examples {
            assert_eq!(dateline_prefix(text), pattern.is_match(text), "{text:?}");
        }
        // Random lines over the characters the pattern cares about, seeded so every run
        // checks the same ones.
        let alphabet = [
            "A", "B", "Z", "a", "z", ".", "'", "’", " ", " ", "-", ",", ", ", "(", ")", "—", "–",
            ":", "x", "1", "é", "\n", "AB", "CD", "(AP)", " — ",
        ];
        let mut next = seeded(0x9E37_79B9_7F4A_7C15);
        let mut matched = 0;
        for _ in 0..100_000 {
            let mut text = String::from(["A", "AB", "NEW ", "X"][next(4)]);
            for _ in 0..next(40) {
                text.push_str(alphabet[next(alphabet.len())]);
            }
            let expected = pattern.is_match(&text);
            assert_eq!(dateline_prefix(&text), expected, "{text:?}");
            matched += usize::from(expected);
        }
        // Both answers are checked many times.
        assert!((1000..99_000).contains(&matched), "{matched}");
    }

    #[test]
    fn first_digits_are_found_eight_bytes_at_a_time_as_one_at_a_time() {
        let base = b"Abcdefgh ijklmnop q\xc3\xa9rst";
        for b in 0..=255u8 {
            for at in 0..base.len() {
                let mut bytes = base.to_vec();
                bytes[at] = b;
                let expected = bytes.iter().position(u8::is_ascii_digit);
                assert_eq!(first_digit(&bytes), expected, "{bytes:?}");
                let tail = &bytes[at..];
                assert_eq!(first_digit(tail), tail.iter().position(u8::is_ascii_digit));
            }
        }
        assert_eq!(first_digit(b""), None);
    }

    #[test]
    fn list_numbers_are_read_from_items_not_from_counters_or_years() {
        assert_eq!(list_number("1. March 8: Sebring"), Some(1));
        assert_eq!(list_number("12a etapa: 9 de dezembro"), Some(12));
        assert_eq!(list_number("3) Mix the flour"), Some(3));
        assert_eq!(list_number("2 Kyle Busch 5040 5 1"), Some(2));
        assert_eq!(list_number("1 of 4 Grass Valley's mayor"), None);
        assert_eq!(list_number("2 / 4 The crowd"), None);
        assert_eq!(list_number("2019 was a good year"), None);
        assert_eq!(list_number("3. May 3: Laguna Seca"), Some(3));
        assert_eq!(list_number("3 de 10 fotos"), None);
        assert_eq!(list_number("2/4"), None);
        assert_eq!(list_number("Home"), None);
        for line in [
            "",
            "Home",
            "1. March 8: Sebring",
            " 2) Kyle 5",
            "\t3 x",
            "\u{a0}4. y",
            "x1",
        ] {
            assert_eq!(
                list_item(line).map(|(n, _)| n),
                list_number(line),
                "{line:?}"
            );
        }
    }

    #[test]
    fn a_trimmed_line_that_is_an_item_starts_with_a_digit() {
        // Every character up to U+3000 and a few beyond before what may follow a number, the
        // line trimmed as a page has it: an item's first byte is an ASCII digit, which the
        // page's count of such lines rests on.
        let firsts = (0..=0x3000u32)
            .chain([0xFEFF, 0xFF11, 0x1D7CE])
            .filter_map(char::from_u32);
        for first in firsts {
            for rest in ["1. Item 2", "3) x 4", " 5: y 6", "7 - z"] {
                let line = format!("{first}{rest}");
                let trimmed = line.trim();
                if list_item(trimmed).is_some() {
                    assert!(trimmed.as_bytes()[0].is_ascii_digit(), "{line:?}");
                }
            }
        }
        // So fewer lines that start with a digit than a list has items are no list.
        let text = ["\u{a0}1. One: 1", "2. Two: 2", "\u{2163}. Three: 3", "x"];
        let lines: Vec<usize> = (0..text.len()).collect();
        assert_eq!(numbered_items(&lines, |i| Some(text[i].trim())), [false; 4]);
    }

    #[test]
    fn only_runs_of_items_in_sequence_are_lists() {
        let text = [
            "Menu", "1. One 1", "2. Two 2", "3. Three", "5 things", "1. Alone", "2. Pair", "x",
        ];
        let lines: Vec<usize> = (0..text.len()).collect();
        let listed = numbered_items(&lines, |i| Some(text[i]));
        assert_eq!(
            listed,
            [false, true, true, true, false, false, false, false]
        );
        // A removed line inside a run is passed over, not a break.
        let listed = numbered_items(&lines[1..], |i| (i != 2).then_some(text[i]));
        assert_eq!(listed, [false, false, false, false, false, false, false]);
        let text = ["1. One: 1", "removed", "2. Two: 2", "3. Three: 3"];
        let lines: Vec<usize> = (0..text.len()).collect();
        let listed = numbered_items(&lines, |i| (i != 1).then_some(text[i]));
        assert_eq!(listed, [true, false, true, true]);
    }

    #[test]
    fn an_item_takes_the_lines_under_it_before_the_next_number() {
        let text = [
            "Our picks",
            "1. Kettle 1.7 litres",
            "https://shop.example.com/1",
            "2. Toaster 4-slot",
            "https://shop.example.com/2",
            "3. Blender 600 W",
            "https://shop.example.com/3",
            "Privacy",
            "Terms",
        ];
        let lines: Vec<usize> = (0..text.len()).collect();
        let listed = numbered_items(&lines, |i| Some(text[i]));
        assert_eq!(
            listed,
            [false, true, true, true, true, true, true, false, false]
        );
        // Items that go on for different numbers of lines: the last one takes none.
        let text = [
            "1. Kettle 1.7 litres",
            "In stock",
            "2. Toaster 4-slot",
            "3. Blender 600 W",
            "Privacy",
        ];
        let lines: Vec<usize> = (0..text.len()).collect();
        let listed = numbered_items(&lines, |i| Some(text[i]));
        assert_eq!(listed, [true, true, true, true, false]);
        // More lines between two numbers than an item goes on for: two runs, too short.
        let text = [
            "1. Kettle 1.7 litres",
            "2. Toaster 4-slot",
            "Privacy",
            "Terms",
            "Contact",
            "3. Blender 600 W",
        ];
        let lines: Vec<usize> = (0..text.len()).collect();
        assert_eq!(numbered_items(&lines, |i| Some(text[i])), [false; 6]);
    }

    #[test]
    fn a_short_box_of_chrome_before_two_paragraphs_does_not_split_the_page() {
        let line = |score: f64| (score, "test");
        let mut scores = vec![line(12.0)];
        scores.extend(std::iter::repeat_n(line(-1.0), 8));
        scores.extend([line(5.0), line(5.0), line(-1.0)]);
        let mut paragraphs = vec![false; scores.len()];
        paragraphs[9] = true;
        paragraphs[10] = true;
        let (found, boxes) = stretches(&scores, |k| paragraphs[k], 8.0);
        assert_eq!(found, [(0, 10, 14.0)]);
        assert_eq!(boxes, [(1, 9)]);
        // Without two paragraphs in a row below it, the chrome is a gap.
        paragraphs[10] = false;
        let (found, boxes) = stretches(&scores, |k| paragraphs[k], 8.0);
        assert_eq!(found, [(0, 0, 12.0), (9, 10, 10.0)]);
        assert!(boxes.is_empty());
        // Nor is a run of chrome longer than a box one.
        scores.insert(1, line(-1.0));
        paragraphs.insert(1, false);
        paragraphs[11] = true;
        let (found, boxes) = stretches(&scores, |k| paragraphs[k], 8.0);
        assert_eq!(found, [(0, 0, 12.0), (10, 11, 10.0)]);
        assert!(boxes.is_empty());
    }

    #[test]
    fn a_dateline_moves_the_start_past_a_summary_and_a_line_like_one_does_not_past_the_story() {
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
        // A summary of two sentences above the dateline is not the story.
        let mut text = String::from("Flood Waters Rise in the Valley\n\n");
        text.push_str("The river rose two metres overnight and flooded the lower town, the mayor said on Monday.\n\n");
        text.push_str(
            "Hundreds of residents spent the night in the school hall while the water rose.\n\n",
        );
        text.push_str(
            "RIVERTON, Ore. (AP) — The river rose two metres overnight, the mayor said.\n\n",
        );
        for n in 1..=8 {
            text.push_str(&paragraph(n));
        }
        let clean = crate::clean_text(&text, &rules);
        assert!(clean.contains("RIVERTON, Ore. (AP)"), "{clean}");
        assert!(
            !clean.contains("spent the night in the school hall"),
            "{clean}"
        );
        // A shop's line that opens like a dateline below two paragraphs of the story is not
        // its start.
        let mut text = String::from("Flood Waters Rise in the Valley\n\n");
        text.push_str(&paragraph(1));
        text.push_str(&paragraph(2));
        text.push_str("ADD TO CART: A Rain Jacket for the Whole Family\n\n");
        for n in 3..=8 {
            text.push_str(&paragraph(n));
        }
        let clean = crate::clean_text(&text, &rules);
        for n in 1..=8 {
            assert!(clean.contains(&format!("Paragraph {n} ")), "{n}: {clean}");
        }
    }

    #[test]
    fn data_marks_say_what_kind_of_data_a_row_holds() {
        assert_eq!(
            data_marks("June 9 – Tampa, FL @ Amphitheatre"),
            DIGIT | SPACED_DASH
        );
        assert_eq!(
            data_marks("Czech Republic (Group A): Seventh appearance"),
            COLON
        );
        assert_eq!(data_marks("Hill Town: 70 points"), DIGIT | COLON);
        assert_eq!(data_marks("Why the derby still matters"), 0);
        assert_eq!(data_marks("Well-known names"), 0);
    }

    #[test]
    fn a_numbered_list_of_headlines_is_no_list_of_data() {
        let headlines = [
            "1. Mayor opens new library branch downtown",
            "2. High school team wins state title in overtime",
            "3. Storm knocks out power to thousands of homes",
            "4. Restaurant week returns with 40 local eateries",
        ];
        let lines: Vec<usize> = (0..headlines.len()).collect();
        assert_eq!(numbered_items(&lines, |i| Some(headlines[i])), [false; 4]);
        let results = [
            "1 Kyle Busch 5040 5 1",
            "2 Kevin Harvick 5033 4 1",
            "3 Denny Hamlin – Joe Gibbs Racing",
            "4 Martin Truex Jr.",
        ];
        assert_eq!(numbered_items(&lines, |i| Some(results[i])), [true; 4]);
    }

    fn function_word_share(text: &str) -> f64 {
        let (hits, total, _) = count_function_words(text, |_| false);
        share(hits, total)
    }

    /// `function_word_share` as it was first written: `split_whitespace` and a trim.
    fn share_by_chars(text: &str) -> f64 {
        let words = function_words();
        let (mut total, mut hits) = (0usize, 0usize);
        for word in text.split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() {
                continue;
            }
            total += 1;
            if word.len() <= 8 && words.contains(word.to_lowercase().as_str()) {
                hits += 1;
            }
        }
        if total == 0 {
            0.0
        } else {
            hits as f64 / total as f64
        }
    }

    #[test]
    fn function_words_of_random_lines_are_counted_as_split_whitespace_counts_them() {
        let pieces = [
            "the",
            "The",
            "THE",
            "of",
            "und",
            "été",
            "Что",
            "и",
            "a",
            "x",
            "word",
            "Longerword",
            "(the)",
            "\"of,",
            "7-2",
            "--",
            " ",
            "  ",
            "\t",
            "\u{a0}",
            "\r\n",
            ".",
            "'s",
            "an",
            "été.",
            "zijn",
            "which",
            "abcdefgh",
            "abcdefg",
            "(which)",
            "…",
        ];
        let mut next = seeded(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..next(30) {
                text.push_str(pieces[next(pieces.len())]);
                if next(3) > 0 {
                    text.push(' ');
                }
            }
            assert_eq!(
                function_word_share(&text),
                share_by_chars(&text),
                "{text:?}"
            );
            let reaches = share_by_chars(&text) >= 0.2;
            let most = text.is_ascii().then(|| crate::judge::word_count(&text));
            assert_eq!(function_words_reach(&text, 0.2, most), reaches, "{text:?}");
        }
    }

    #[test]
    fn function_words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " \t ",
            "The vote, of the council -- was (7-2) in favour of it",
            "Home | World | Politics | Sport | Video | More",
            "\"Der Rat\" und die\u{A0}Stadt:\u{2009}für alle, été\u{0B}été",
            "«Que» dit-il ? — IL EST LÀ … c'est ça",
            "Что это и как это было в Москве",
            "...",
            "a\u{85}b the\u{3000}of",
            "the a of",
            "x the",
            "Alpha Beta Gamma the Delta Epsilon Zeta Eta Theta Iota Kappa Lambda",
            "Names: Smith, Jones, Brown, the Taylors and Wilson",
        ] {
            assert_eq!(function_word_share(text), share_by_chars(text), "{text:?}");
            for min in [0.0, 0.1, 0.2, 0.25, 1.0 / 3.0, 0.5, 1.0] {
                let reaches = share_by_chars(text) >= min;
                assert_eq!(function_words_reach(text, min, None), reaches, "{text:?}");
                if text.is_ascii() {
                    let most = Some(crate::judge::word_count(text));
                    assert_eq!(function_words_reach(text, min, most), reaches, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn lines_of_scripts_without_spaces_are_scored_by_the_words_they_make() {
        let detector = ContentRegion::new(Config::default());
        let score = |text: &str| detector.score(text, &LineFeatures::of(text));
        // A paragraph of Thai (no sentence mark: Thai ends a sentence with a space) and one
        // of Burmese (ending in its full stop) read as prose.
        let thai = "ภูชนะ (นามแฝง) เป็นคนใกล้ชิดของนายสุรชัย ด่านวัฒนานุสรณ์ หรือ สุรชัย แซ่ด่าน \
                    นักเคลื่อนไหวทางการเมืองที่ลี้ภัยออกจากประเทศไทยและได้หายตัวไปจากที่พัก";
        assert_eq!(score(thai).1, "prose without a sentence end");
        let burmese = "ဒီစာမျက်နှာကို ဖတ်ရှုသူများအတွက် သတင်းအချက်အလက်များကို \
                       နေ့စဉ် တင်ဆက်ပေးနေပါသည်။";
        assert_eq!(score(burmese).1, "prose");
        // Their menu items are short lines, however many characters their marks add.
        for item in ["สิทธิมนุษยชน", "วัฒนธรรม บันเทิง", "မြန်မာ့ရေးရာ", "ကုန်သွယ်စီးပွား"]
        {
            assert_eq!(score(item).1, "short line", "{item}");
        }
    }
}
