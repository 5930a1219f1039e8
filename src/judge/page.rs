//! What the judge knows about a page as a whole: where its sentence-like text lies.
//!
//! Rules and detectors ask "is this block in the head or the tail of the page?". Counting
//! lines or bytes answers badly for page dumps, where a menu can be ten times longer than
//! the article. So positions are measured in article text: the bytes of sentence-like lines
//! (several words ending in sentence punctuation). The head is where less than half of that
//! text has been read, the tail where at least half has; a related-stories marker in the
//! middle of a long article is therefore not in the tail.

use std::cell::Cell;

use crate::dedup::minhash::mix64;
use crate::detect::CharCounts;
use crate::document::{Block, Document};
use crate::normalize::is_ascii_space;

/// A document with its blocks and the layout facts derived from them.
pub struct Page<'a> {
    pub doc: &'a Document,
    pub blocks: &'a [Block<'a>],
    /// Sentence-like bytes strictly before each block.
    sentence_bytes_before: Vec<usize>,
    sentence_bytes_total: usize,
    /// Index of the first sentence-like block, if any.
    pub first_sentence: Option<usize>,
    /// Per-block text features, computed once for all rules and detectors.
    pub features: Vec<LineFeatures>,
    /// Indices of the blocks with visible text, in order: detectors that measure distance in
    /// text lines walk this instead of skipping blank blocks themselves.
    pub text_blocks: Vec<usize>,
    /// Each block's text without surrounding white space, sliced once: detectors ask for it
    /// many times per line.
    trimmed: Vec<&'a str>,
    /// What detectors worked out about single lines, by the line's index among all the
    /// document's blocks.
    memos: &'a [LineMemo],
    /// Each block's index among the document's blocks, on a page of only some of them (a
    /// later round of judging, which sees the kept ones); `None` when the page has them all.
    origin: Option<&'a [usize]>,
    /// How many of the page's lines have some mark that a detector's finds all need, counted
    /// as the page is made: a detector rules out a page with too few such lines before it
    /// looks at any line, as most pages have none or few.
    pub(crate) marks: LineMarks,
}

/// How many lines of a page have each of a few marks (see `Page::marks`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct LineMarks {
    /// Lines whose trimmed text ends in a colon (a comment's attribution does).
    pub colon_end: usize,
    /// Lines whose trimmed text starts with an ASCII digit (an item of a numbered list
    /// does).
    pub digit_start: usize,
    /// Truncated lines (`LineFeatures::truncated`: a teaser is one).
    pub truncated: usize,
}

/// What detectors work out about one line by itself, on first asking. The judge keeps it
/// from the first round of judging a document for every later round, which sees the same
/// lines again (those still kept), so no line is scored twice.
#[derive(Default)]
pub struct LineMemo {
    /// The content region's score of the line alone and its kind.
    region_score: Cell<Option<(f64, &'static str)>>,
}

impl LineMemo {
    /// One memo per block of a document.
    pub fn for_blocks(len: usize) -> Vec<LineMemo> {
        std::iter::repeat_with(LineMemo::default)
            .take(len)
            .collect()
    }

    /// The content region's score of the line alone, found by `score` on first asking.
    pub fn region_score(&self, score: impl FnOnce() -> (f64, &'static str)) -> (f64, &'static str) {
        remembered(&self.region_score, score)
    }
}

/// The value in `cell`, or what `find` gives, which is kept there.
fn remembered<T: Copy>(cell: &Cell<Option<T>>, find: impl FnOnce() -> T) -> T {
    match cell.get() {
        Some(value) => value,
        None => {
            let value = find();
            cell.set(Some(value));
            value
        }
    }
}

/// Facts about one line that the rules and several detectors ask for, found in one scan of
/// the line when the judge first sees it and kept for every later round of judging, so no
/// detector trims, counts or decodes the line again.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineFeatures {
    /// Where the line's text without surrounding white space (as `str::trim` has it) starts
    /// and ends, in bytes.
    pub start: usize,
    pub end: usize,
    /// Characters of the trimmed text, and of those the ones of scripts written without
    /// spaces between words (see `detect::CharCounts`).
    pub chars: usize,
    pub unspaced: usize,
    /// Words separated by white space (saturating at `u16::MAX`).
    pub words: u16,
    /// The words the unspaced characters make, about (saturating at `u16::MAX`).
    pub unspaced_words: u16,
    /// Reads as prose (see `is_sentence_like`).
    pub sentence: bool,
    /// Ends in "..." or "…": a teaser cut short.
    pub truncated: bool,
    /// Short, every word capitalised, no digits or end punctuation: the word count when the
    /// line looks like a label or menu item (see `label_words`), else 0.
    pub label_words: u8,
    /// No visible text (see `Block::is_blank`).
    pub blank: bool,
    /// The trimmed text is ASCII.
    pub ascii: bool,
    /// How the trimmed text starts and ends, as `LineFeatures::COLON_END` and
    /// `LineFeatures::DIGIT_START` bits: what a page counts of its lines (see `Page::marks`).
    pub edges: u8,
}

impl LineFeatures {
    /// The `edges` bit of a line whose trimmed text ends in a colon.
    pub const COLON_END: u8 = 1;
    /// The `edges` bit of a line whose trimmed text starts with an ASCII digit.
    pub const DIGIT_START: u8 = 2;

    pub fn of(text: &str) -> LineFeatures {
        // An empty line (most blank lines, once normalised) has nothing to scan.
        if text.is_empty() {
            return LineFeatures {
                blank: true,
                ascii: true,
                ..LineFeatures::default()
            };
        }
        let (start, end) = trimmed_bounds(text);
        let trimmed = &text[start..end];
        // Only a short line can be a label.
        let scan = if trimmed.len() <= LABEL_MAX_CHARS {
            scan::<true>(trimmed.as_bytes())
        } else {
            scan::<false>(trimmed.as_bytes())
        };
        let ascii = scan.ascii;
        let counts = if ascii {
            CharCounts {
                chars: trimmed.len(),
                ..CharCounts::default()
            }
        } else if scan.unspaced_lead {
            crate::detect::char_counts(trimmed)
        } else {
            CharCounts {
                chars: trimmed.len() - scan.continuation,
                ..CharCounts::default()
            }
        };
        let chars = counts.chars;
        let words = scan.words;
        let truncated = is_truncated(trimmed);
        // A trimmed line that starts with an ASCII character has visible text; only one
        // that starts with another character can be all invisible characters.
        let first = trimmed.as_bytes().first();
        let blank = match first {
            None => true,
            Some(b) if b.is_ascii() => false,
            Some(_) => crate::document::is_blank_text(trimmed),
        };
        let edges = (u8::from(trimmed.as_bytes().last() == Some(&b':')) * Self::COLON_END)
            | (u8::from(first.is_some_and(u8::is_ascii_digit)) * Self::DIGIT_START);
        LineFeatures {
            start,
            end,
            chars,
            unspaced: counts.unspaced,
            words: words.min(u16::MAX as usize) as u16,
            unspaced_words: counts.unspaced_words.min(u16::MAX as usize) as u16,
            sentence: !truncated && words.max(counts.unspaced_words) >= 4 && ends_sentence(trimmed),
            truncated,
            label_words: if ascii {
                ascii_label_words_of(trimmed, &scan)
            } else {
                label_words_of(trimmed, chars)
            },
            blank,
            ascii,
            edges,
        }
    }

    /// A label of at most `max_words` words.
    pub fn is_label(&self, max_words: usize) -> bool {
        self.label_words > 0 && self.label_words as usize <= max_words
    }

    /// The line's text without surrounding white space.
    pub fn trimmed<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// The words of the line, counted again only when `words` saturated.
    pub fn word_count(&self, text: &str) -> usize {
        match self.words {
            u16::MAX => word_count(self.trimmed(text)),
            words => usize::from(words),
        }
    }
}

/// The bounds of `text.trim()`. Most lines neither start nor end with white space, which
/// their first and last bytes settle without a call.
#[inline(always)]
pub(crate) fn trimmed_bounds(text: &str) -> (usize, usize) {
    match text.as_bytes() {
        [first, .., last] if is_visible_ascii(*first) && is_visible_ascii(*last) => (0, text.len()),
        _ => trimmed_bounds_of(text),
    }
}

/// An ASCII byte that `trim` does not take off: not white space.
fn is_visible_ascii(b: u8) -> bool {
    b.is_ascii() && !SPACE[b as usize]
}

/// `trimmed_bounds` of any line: ASCII white space is passed over byte by byte, and only a
/// line that starts or ends with another character decodes it.
fn trimmed_bounds_of(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        while start < bytes.len() && SPACE[bytes[start] as usize] {
            start += 1;
        }
        if start == bytes.len() || bytes[start].is_ascii() {
            break;
        }
        match text[start..].chars().next() {
            Some(c) if c.is_whitespace() => start += c.len_utf8(),
            _ => break,
        }
    }
    let mut end = bytes.len();
    loop {
        while end > start && SPACE[bytes[end - 1] as usize] {
            end -= 1;
        }
        if end == start || bytes[end - 1].is_ascii() {
            break;
        }
        match text[start..end].chars().next_back() {
            Some(c) if c.is_whitespace() => end -= c.len_utf8(),
            _ => break,
        }
    }
    (start, end)
}

/// What one pass over a line's bytes finds.
struct Scan {
    words: usize,
    ascii: bool,
    /// UTF-8 continuation bytes: the line has this many fewer characters than bytes.
    continuation: usize,
    /// A lead byte of the scripts written without spaces between words occurs (see
    /// `detect::char_counts`).
    unspaced_lead: bool,
    /// When asked for (`LABEL`): some word starts with a byte other than an ASCII capital
    /// or `&`, or some byte is an ASCII digit; such an ASCII line is no label.
    not_label: bool,
}

/// Words (as `word_count`), ASCII-ness, continuation bytes and CJK lead bytes, eight bytes
/// at a time, and with `LABEL` what rules out an ASCII label. The last bytes are padded with
/// spaces, which neither start a word nor are a character. (The line hash the repeated-line
/// detector counts lines by is not taken here: its survey of the run has hashed every line
/// already.)
fn scan<const LABEL: bool>(bytes: &[u8]) -> Scan {
    let mut state = ScanState {
        words: 0,
        visible_before: 0,
        high: 0,
        continuation: 0,
        unspaced_lead: false,
        not_label: 0,
    };
    let mut whole = bytes;
    if !LABEL {
        // A line too long to be a label (most of the bytes of a page): sixteen bytes at a
        // time while they are ASCII.
        let mut pairs = bytes.chunks_exact(16);
        for pair in &mut pairs {
            let mut first = [0u8; 8];
            let mut second = [0u8; 8];
            first.copy_from_slice(&pair[..8]);
            second.copy_from_slice(&pair[8..]);
            state.step_pair(u64::from_le_bytes(first), u64::from_le_bytes(second));
        }
        whole = pairs.remainder();
    }
    let mut chunks = whole.chunks_exact(8);
    for chunk in &mut chunks {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        state.step::<LABEL>(u64::from_le_bytes(eight));
    }
    // As many bytes as `bytes` has past its last whole eight.
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let word = last_word(bytes, rest.len());
        state.step::<LABEL>(word | (0x2020_2020_2020_2020 << (8 * rest.len())));
    }
    Scan {
        words: state.words,
        ascii: state.high & HIGH_BITS == 0,
        continuation: state.continuation,
        unspaced_lead: state.unspaced_lead,
        not_label: state.not_label != 0,
    }
}

/// The last `rest` bytes of `bytes` (up to 7) as a little-endian number padded with
/// zeros: a line of eight bytes or more has them read as its last eight, shifted down; a
/// shorter one (`rest` bytes long) as two overlapping reads of four, two or one byte.
#[inline(always)]
fn last_word(bytes: &[u8], rest: usize) -> u64 {
    let len = bytes.len();
    if let Some(eight) = len.checked_sub(8).and_then(|from| bytes.get(from..)) {
        let eight = <[u8; 8]>::try_from(eight).unwrap_or([0; 8]);
        return u64::from_le_bytes(eight) >> (8 * (8 - rest));
    }
    let read4 = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|part| <[u8; 4]>::try_from(part).ok())
            .map_or(0, |four| u64::from(u32::from_le_bytes(four)))
    };
    let read2 = |at: usize| {
        bytes
            .get(at..at + 2)
            .and_then(|part| <[u8; 2]>::try_from(part).ok())
            .map_or(0, |two| u64::from(u16::from_le_bytes(two)))
    };
    // The two reads overlap where the text is shorter than twice their width, and agree
    // on the bytes they share.
    match len {
        4.. => read4(0) | read4(len - 4) << (8 * (len - 4)),
        2.. => read2(0) | read2(len - 2) << (8 * (len - 2)),
        _ => bytes.first().map_or(0, |&b| u64::from(b)),
    }
}

/// What `scan` has found so far.
struct ScanState {
    words: usize,
    /// The previous eight bytes' `visible_bytes` (none before the first).
    visible_before: u64,
    high: u64,
    continuation: usize,
    unspaced_lead: bool,
    not_label: u64,
}

impl ScanState {
    /// Takes in eight bytes.
    #[inline(always)]
    fn step<const LABEL: bool>(&mut self, word: u64) {
        // A word starts at a visible byte after a space; the byte before the first is the
        // previous eight's last, whose flag moves down to the first byte's place.
        let visible = visible_bytes(word);
        let starts = starts_of_visible(visible, self.visible_before);
        self.visible_before = visible;
        self.words += high_bits_set(starts);
        if word & HIGH_BITS != 0 {
            self.high |= word;
            // A continuation byte is 0b10xx_xxxx: its high bit set and the next one clear.
            self.continuation += high_bits_set(word & !(word << 1) & HIGH_BITS);
            self.unspaced_lead |= crate::detect::has_unspaced_lead_byte_word(word);
        }
        if LABEL {
            let capital = byte_range_bits(word, b'A', b'Z') | byte_range_bits(word, b'&', b'&');
            self.not_label |= (starts & !capital) | byte_range_bits(word, b'0', b'9');
        }
    }

    /// Takes in sixteen bytes, `first` then `second`, as two `step::<false>` do. When both
    /// are ASCII and neither has a byte below b' ', the tests of `visible_bytes` are made for
    /// both at once and their word starts counted together.
    #[inline(always)]
    fn step_pair(&mut self, first: u64, second: u64) {
        const SPACE_UP: u64 = 0x6060_6060_6060_6060;
        // ASCII bytes have no high bit, so adding to them carries into no other byte.
        if (first | second) & HIGH_BITS != 0
            || !((first + SPACE_UP) & (second + SPACE_UP)) & HIGH_BITS != 0
        {
            self.step::<false>(first);
            self.step::<false>(second);
            return;
        }
        // The high bit set for the bytes above b' '.
        let visible_first = (first + 0x5F5F_5F5F_5F5F_5F5F) & HIGH_BITS;
        let visible_second = (second + 0x5F5F_5F5F_5F5F_5F5F) & HIGH_BITS;
        let starts_first = starts_of_visible(visible_first, self.visible_before);
        let starts_second = starts_of_visible(visible_second, visible_first);
        self.visible_before = visible_second;
        // At most two flags a byte: their sum fits the top byte of `high_bits_set`'s product.
        self.words += high_bits_set_sum(starts_first, starts_second);
    }
}

/// For eight bytes, the high bit of each byte from `low` to `high` (ASCII bytes, `low` at
/// least 1), and no other bit. Adding to the low seven bits of a byte cannot carry into the
/// next byte.
#[inline(always)]
pub(crate) fn byte_range_bits(word: u64, low: u8, high: u8) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let bytes = word & LOW;
    let at_least_low = bytes + 0x0101_0101_0101_0101 * u64::from(0x80 - low);
    let past_high = bytes + 0x0101_0101_0101_0101 * u64::from(0x7F - high);
    at_least_low & !past_high & !word & HIGH_BITS
}

/// The hash a line is counted by (see `detect::repeated_line`): its text without
/// surrounding white space (given so), ASCII case folded. Eight bytes at a time with a
/// multiply-rotate mix and a final avalanche; the last bytes are padded with zeros.
/// Deterministic across runs and platforms, so the same corpus gives the same counts.
pub fn line_hash(trimmed: &str) -> u64 {
    let bytes = trimmed.as_bytes();
    let mut hash = (bytes.len() as u64).wrapping_mul(HASH_K);
    // Sixteen bytes a round, which halves the loop's own steps; then the eight and the
    // 1 to 7 bytes left.
    let mut pairs = bytes.chunks_exact(16);
    for pair in &mut pairs {
        let (first, second) = pair.split_at(8);
        hash = hash_step(hash_step(hash, word_at(first)), word_at(second));
    }
    let rest = pairs.remainder();
    if rest.len() >= 8 {
        hash = hash_step(hash, word_at(rest));
    }
    if rest.len() % 8 != 0 {
        hash = hash_step(hash, last_word(bytes, rest.len() % 8));
    }
    mix64(hash)
}

const HASH_K: u64 = 0x9E37_79B9_7F4A_7C15;

/// A hash of a line of at most 32 bytes that picks its slot in the judge's table of a page's
/// short lines: its length and its bytes as they are (the table compares lines exactly),
/// read as up to four words of eight that overlap as they must to cover them all (a line
/// shorter than eight is read whole), mixed. Every byte counts, so lines that differ only
/// inside (dates, counters) do not share a probe sequence.
#[inline]
pub(super) fn short_line_hash(line: &str) -> u64 {
    let bytes = line.as_bytes();
    let len = bytes.len();
    let step = |hash: u64, word: u64| (hash ^ word).wrapping_mul(HASH_K).rotate_left(29);
    let word = |at: usize| bytes.get(at..).map_or(0, word_at);
    let mut hash = (len as u64).wrapping_mul(HASH_K);
    match len.checked_sub(8) {
        // Up to sixteen bytes (most recurring lines), the first and last eight are all.
        Some(last) if last <= 8 => hash = step(step(hash, word(0)), word(last)),
        Some(last) => {
            for at in [0, 8, last.min(16), last] {
                hash = step(hash, word(at));
            }
        }
        None => hash = step(hash, last_word(bytes, len)),
    }
    hash ^ (hash >> 32)
}

/// The first eight bytes of `bytes` (which has at least eight) as a little-endian number.
#[inline(always)]
fn word_at(bytes: &[u8]) -> u64 {
    bytes
        .get(..8)
        .and_then(|eight| <[u8; 8]>::try_from(eight).ok())
        .map_or(0, u64::from_le_bytes)
}

fn hash_step(hash: u64, word: u64) -> u64 {
    (hash ^ ascii_lowercase_word(word))
        .wrapping_mul(HASH_K)
        .rotate_left(29)
}

/// Eight bytes with `make_ascii_lowercase` applied, all at once: a byte from `A` to `Z`
/// gets its 0x20 bit; any other byte (non-ASCII ones too) is left as it is. Adding to the
/// low seven bits of a byte cannot carry into the next byte.
pub(crate) fn ascii_lowercase_word(word: u64) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let low = word & LOW;
    let at_least_a = low + 0x3F3F_3F3F_3F3F_3F3F; // high bit set when the byte >= b'A'
    let past_z = low + 0x2525_2525_2525_2525; // high bit set when the byte > b'Z'
    let upper = at_least_a & !past_z & !word & HIGH_BITS;
    word | (upper >> 2)
}

impl<'a> Page<'a> {
    /// The page of all of a document's blocks, with one memo per block (see
    /// `LineMemo::for_blocks`).
    pub fn new(doc: &'a Document, blocks: &'a [Block<'a>], memos: &'a [LineMemo]) -> Page<'a> {
        debug_assert_eq!(memos.len(), blocks.len());
        Page::assemble(doc, blocks, memos, None, |k| {
            LineFeatures::of(&blocks[k].text)
        })
    }

    /// The page of the blocks of a document that `kept` lists (by their index among the
    /// document's blocks, in order), given as `blocks`, with the features of all of the
    /// document's blocks (`all_features`, as the page of all of them has them): a later
    /// round of judging, which reads each kept line's features where the first round found
    /// them.
    pub fn of_kept(
        doc: &'a Document,
        blocks: &'a [Block<'a>],
        all_features: &[LineFeatures],
        memos: &'a [LineMemo],
        kept: &'a [usize],
    ) -> Page<'a> {
        debug_assert_eq!(kept.len(), blocks.len());
        debug_assert_eq!(all_features.len(), memos.len());
        Page::assemble(doc, blocks, memos, Some(kept), |k| all_features[kept[k]])
    }

    /// The page of `blocks`, block `k`'s features given by `features_of(k)`.
    fn assemble(
        doc: &'a Document,
        blocks: &'a [Block<'a>],
        memos: &'a [LineMemo],
        origin: Option<&'a [usize]>,
        features_of: impl Fn(usize) -> LineFeatures,
    ) -> Page<'a> {
        // A few tight passes, each collected into a vector of known length (one loop
        // pushing onto all of them is slower).
        let features: Vec<LineFeatures> = (0..blocks.len()).map(features_of).collect();
        let trimmed: Vec<&str> = blocks
            .iter()
            .zip(&features)
            .map(|(block, f)| f.trimmed(&block.text))
            .collect();
        let mut total = 0;
        // A sentence's bytes are its trimmed text's: indentation is no text.
        let sentence_bytes_before: Vec<usize> = features
            .iter()
            .map(|f| {
                let before = total;
                if f.sentence {
                    total += f.end - f.start;
                }
                before
            })
            .collect();
        let first_sentence = features.iter().position(|f| f.sentence);
        // The marks are counted on the way: only text lines have any.
        let mut marks = LineMarks::default();
        let mut text_blocks: Vec<usize> = Vec::with_capacity(features.len());
        text_blocks.extend(
            features
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.blank)
                .map(|(i, f)| {
                    marks.colon_end += usize::from(f.edges & LineFeatures::COLON_END);
                    marks.digit_start += usize::from(f.edges & LineFeatures::DIGIT_START) >> 1;
                    marks.truncated += usize::from(f.truncated);
                    i
                }),
        );
        Page {
            doc,
            blocks,
            sentence_bytes_before,
            sentence_bytes_total: total,
            first_sentence,
            features,
            text_blocks,
            trimmed,
            memos,
            origin,
            marks,
        }
    }

    /// What detectors worked out about a block's line by itself in this round or an earlier
    /// one.
    pub fn memo(&self, block: usize) -> &LineMemo {
        &self.memos[self.origin_of(block)]
    }

    /// A block's index among all the document's blocks.
    pub(crate) fn origin_of(&self, block: usize) -> usize {
        self.origin.map_or(block, |origin| origin[block])
    }

    /// What the markup says about a block, on a page read from HTML.
    pub fn html_context(&self, block: usize) -> Option<&crate::html::BlockContext> {
        self.doc.html.as_ref()?.line(self.blocks[block].line)
    }

    /// The index of the rule whose selector matched an element around a block of an HTML
    /// page.
    pub fn selector_rule(&self, block: usize) -> Option<usize> {
        let rule = self.html_context(block)?.selector_rule;
        (rule > 0).then(|| rule as usize - 1)
    }

    /// On an HTML page, where a `drop-rest` marker at `block` ends: after the last block
    /// inside the parent of the marker's element (a "Related" heading takes its box, not the
    /// rest of the page). `None` on other pages, where it is the end of the page.
    pub fn html_rest_end(&self, block: usize) -> Option<usize> {
        let facts = self.doc.html.as_deref()?;
        let element = self.html_context(block)?.element;
        let scope = facts.elements.get(element as usize)?.parent;
        if scope == crate::html::NONE {
            return None;
        }
        let end = (block + 1..self.blocks.len())
            .find(|&j| {
                self.html_context(j)
                    .is_none_or(|c| !facts.is_within(c.element, scope))
            })
            .unwrap_or(self.blocks.len());
        Some(end)
    }

    /// A block's text without surrounding white space (`text.trim()`, found once).
    pub fn trimmed(&self, block: usize) -> &'a str {
        self.trimmed[block]
    }

    /// A block's words (`word_count` of its text), counted again only for a line with more
    /// words than the features hold.
    pub fn words(&self, block: usize) -> usize {
        self.features[block].word_count(&self.blocks[block].text)
    }

    /// Whether a block has no visible text (the same as `Block::is_blank`, precomputed).
    pub fn is_blank(&self, block: usize) -> bool {
        self.features[block].blank
    }

    /// Whether a block is a sentence-like line (see `is_sentence_like`).
    pub fn is_sentence(&self, block: usize) -> bool {
        self.features[block].sentence
    }

    /// Less than half of the page's sentence-like text comes before this block. On a page
    /// with no sentence-like line, the first half of its lines. Either way the head is a
    /// run of blocks from the first: a block after one outside it is outside it too.
    pub fn in_head(&self, block: usize) -> bool {
        if self.sentence_bytes_total == 0 {
            return block * 2 < self.blocks.len();
        }
        self.sentence_bytes_before[block] * 2 < self.sentence_bytes_total
    }

    /// At least half of the page's sentence-like text comes before this block.
    pub fn in_tail(&self, block: usize) -> bool {
        if self.sentence_bytes_total == 0 {
            return block * 2 >= self.blocks.len();
        }
        self.sentence_bytes_before[block] * 2 >= self.sentence_bytes_total
    }

    /// How many bytes of sentence-like text come before this block.
    pub fn text_before(&self, block: usize) -> usize {
        self.sentence_bytes_before
            .get(block)
            .copied()
            .unwrap_or(self.sentence_bytes_total)
    }

    /// No sentence-like line comes before this block: the page's head proper, where menus,
    /// labels and headlines sit.
    pub fn before_text(&self, block: usize) -> bool {
        self.first_sentence.is_none_or(|first| block < first)
    }
}

/// Words as separated by ASCII white space. A byte loop over UTF-8 (other bytes count as
/// word characters): this runs on every line of every page.
pub fn word_count(text: &str) -> usize {
    // `scan` takes the same steps and finds more; this only counts.
    let mut words = 0;
    let mut previous_space = true;
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        words += word_starts(u64::from_le_bytes(eight), &mut previous_space);
    }
    for &b in chunks.remainder() {
        words += byte_word_start(b, &mut previous_space);
    }
    words
}

/// How many words start in eight bytes: a word starts at a byte that is not space right
/// after one that is; the byte before the first is the previous chunk's last, whose
/// spaceness `previous_space` carries from chunk to chunk.
#[inline(always)]
pub(crate) fn word_starts(word: u64, previous_space: &mut bool) -> usize {
    high_bits_set(word_start_bits(word, previous_space))
}

/// The high bit of each of eight bytes where a word starts (see `word_starts`).
#[inline(always)]
fn word_start_bits(word: u64, previous_space: &mut bool) -> u64 {
    let space = space_bytes(word);
    let space_before = (space << 8) | (u64::from(*previous_space) << 7);
    *previous_space = space >> 63 != 0;
    !space & space_before & HIGH_BITS
}

/// `word_starts` for one byte.
#[inline(always)]
fn byte_word_start(b: u8, previous_space: &mut bool) -> usize {
    let space = SPACE[b as usize];
    let start = usize::from(*previous_space & !space);
    *previous_space = space;
    start
}

pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// How many bytes of `bits` (which has no bit but the high bit of each byte) have it set:
/// the flags moved to the low bits and summed into the top byte by one multiplication
/// (a population count without the instruction is a dozen).
fn high_bits_set(bits: u64) -> usize {
    ((bits >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

/// `high_bits_set(a) + high_bits_set(b)`, with one multiplication.
#[inline(always)]
fn high_bits_set_sum(a: u64, b: u64) -> usize {
    (((a >> 7) + (b >> 7)).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

/// For eight bytes, the high bit of each byte that is ASCII white space (as `SPACE` says:
/// space, or tab to carriage return), and no other bit. Adding to the low seven bits of a
/// byte cannot carry into the next byte.
pub(crate) fn space_bytes(word: u64) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let spaces = word ^ 0x2020_2020_2020_2020;
    let is_space = !(((spaces & LOW) + LOW) | spaces) & HIGH_BITS; // the byte was b' '
    let low = word & LOW;
    let at_least_tab = low + 0x7777_7777_7777_7777; // high bit set when the byte >= 9
    let past_return = low + 0x7272_7272_7272_7272; // high bit set when the byte >= 14
    let is_control_space = at_least_tab & !past_return & !word & HIGH_BITS;
    is_space | is_control_space
}

/// The word starts among eight bytes whose `visible_bytes` are `visible`, the eight before
/// them having `before`: a visible byte after one that is not, the byte before the first
/// being the last of `before`.
#[inline(always)]
fn starts_of_visible(visible: u64, before: u64) -> u64 {
    visible & !((visible << 8) | (before >> 56))
}

/// For eight bytes, the high bit of each byte that is not ASCII white space (`space_bytes`
/// clear), and no other bit. Below b' ', only tab to carriage return are white space, and
/// text has few other bytes there: eight bytes without any byte below b' ' are settled by
/// a comparison with b' ' alone, and only others take the full test.
#[inline(always)]
fn visible_bytes(word: u64) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let low = word & LOW;
    // The high bit set when the byte is above b' ' or not ASCII.
    let above_space = (low + 0x5F5F_5F5F_5F5F_5F5F) | word;
    // The high bit set when the byte is ASCII and below b' '.
    let below_space = !((low + 0x6060_6060_6060_6060) | word) & HIGH_BITS;
    if below_space == 0 {
        above_space & HIGH_BITS
    } else {
        !space_bytes(word) & HIGH_BITS
    }
}

/// ASCII white space as `split_whitespace` sees it, for the byte loops above.
static SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_ascii_space(b as u8);
        b += 1;
    }
    table
};

/// Whether a line ends in sentence punctuation (`SENTENCE_ENDS`), possibly inside closing
/// quotes or brackets (`CLOSERS`).
pub(crate) fn ends_sentence(text: &str) -> bool {
    match text.as_bytes().last() {
        // A line that ends in an ASCII character other than a closing quote or bracket (most
        // lines) has nothing to trim: its last byte decides.
        Some(&b) if b.is_ascii() && !is_ascii_closer(b) => matches!(b, b'.' | b'!' | b'?'),
        _ => text.trim_end_matches(CLOSERS).ends_with(SENTENCE_ENDS),
    }
}

/// The marks that end a sentence: ".", "!" and "?"; the ideographic full stop and the
/// full-width marks of Chinese and Japanese; the danda and double danda of the scripts of
/// India; the full stops of Myanmar, Khmer, Armenian and Ethiopic; the Arabic full stop and
/// question mark.
pub(crate) const SENTENCE_ENDS: [char; 14] = [
    '.', '!', '?', '\u{3002}', '\u{FF01}', '\u{FF1F}', '\u{0964}', '\u{0965}', '\u{104B}',
    '\u{17D4}', '\u{0589}', '\u{1362}', '\u{06D4}', '\u{061F}',
];

/// Closing quotes and brackets a sentence end may sit inside.
pub(crate) const CLOSERS: [char; 11] = [
    '"', '\'', '\u{201D}', '\u{2019}', ')', ']', '\u{BB}', '\u{300D}', '\u{300F}', '\u{FF09}',
    '\u{300B}',
];

/// The ASCII closing quotes and brackets that the sentence tests look behind.
pub(crate) fn is_ascii_closer(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b')' | b']')
}

/// A line that reads as prose: at least four words (or characters of a script that does
/// not space its words that make as many) and a sentence end (`SENTENCE_ENDS`, possibly
/// inside closing quotes or brackets), but not a truncated teaser ending in `...`.
pub fn is_sentence_like(text: &str) -> bool {
    LineFeatures::of(text).sentence
}

/// The end of `is_sentence_like` for a line given without surrounding white space: sentence
/// punctuation, and no truncation.
#[inline]
pub(crate) fn ends_like_sentence(text: &str) -> bool {
    // Most lines end in an ASCII character that neither ends a sentence nor closes a quote
    // or bracket after one: their last byte settles them.
    if let Some(&b) = text.as_bytes().last() {
        if b.is_ascii() && !is_ascii_closer(b) && !matches!(b, b'.' | b'!' | b'?') {
            return false;
        }
    }
    !is_truncated(text) && ends_sentence(text)
}

/// Whether a line ends in "..." or "…", a teaser cut short: its last three bytes, with no
/// search for a character.
#[inline(always)]
fn is_truncated(text: &str) -> bool {
    matches!(
        text.as_bytes(),
        [.., b'.', b'.', b'.'] | [.., 0xE2, 0x80, 0xA6]
    )
}

/// The longest line, in characters, that can be a label.
const LABEL_MAX_CHARS: usize = 32;

/// The number of words when a line looks like a section label or menu item ("News",
/// "World Cup", "CRIME"): at most three words and 32 characters, each word capitalised, no
/// digits, no end punctuation. Zero otherwise.
pub fn label_words(text: &str) -> u8 {
    let text = text.trim();
    label_words_of(text, text.chars().count())
}

/// `label_words` of a trimmed line with `chars` characters. The tests run cheapest first:
/// every failed test means "not a label", so their order does not change the answer. (An
/// ASCII line's features come from its `scan` instead: `ascii_label_words_of`.)
fn label_words_of(text: &str, chars: usize) -> u8 {
    if text.is_empty() || chars > LABEL_MAX_CHARS || ends_with_label_stop(text) {
        return 0;
    }
    label_words_by_chars(text)
}

/// A line that ends in a mark no label ends in (a sentence's, a lead-in's or a list's).
/// The marks are ASCII: the line ends in one exactly when its last byte is one.
fn ends_with_label_stop(text: &str) -> bool {
    matches!(
        text.as_bytes().last(),
        Some(b'.' | b'!' | b'?' | b':' | b',' | b';')
    )
}

/// The words of a label-length line when each is capitalised and holds no digit, at most
/// three (else 0), cut by `split_whitespace`.
fn label_words_by_chars(text: &str) -> u8 {
    let mut words = 0u8;
    for word in text.split_whitespace() {
        let capitalised = word
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c == '&');
        if !capitalised || word.bytes().any(|b| b.is_ascii_digit()) {
            return 0;
        }
        words += 1;
        if words > 3 {
            return 0;
        }
    }
    words
}

/// `label_words_of` an ASCII trimmed line, given its `scan` (with `LABEL` when the line is
/// short enough to be a label).
fn ascii_label_words_of(text: &str, scan: &Scan) -> u8 {
    if text.is_empty()
        || text.len() > LABEL_MAX_CHARS
        || scan.not_label
        || scan.words > 3
        || ends_with_label_stop(text)
    {
        return 0;
    }
    scan.words as u8
}

/// For tests: the page of a document whose text is `raw` (no site), given to `test` with
/// the document, its blocks and their memos, which a later round's page is made from.
#[cfg(test)]
pub(crate) fn with_page_of<R>(
    raw: &str,
    test: impl FnOnce(&Page<'_>, &Document, &[Block<'_>], &[LineMemo]) -> R,
) -> R {
    let doc = Document {
        raw: raw.to_string(),
        ..Document::default()
    };
    let blocks = crate::segment::lines(raw);
    let memos = LineMemo::for_blocks(blocks.len());
    let page = Page::new(&doc, &blocks, &memos);
    test(&page, &doc, &blocks, &memos)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `word_count` one byte at a time, as the chunked loop must count.
    fn words_bytewise(text: &[u8]) -> usize {
        let mut words = 0;
        let mut previous_space = true;
        for &b in text {
            words += usize::from(previous_space & !SPACE[b as usize]);
            previous_space = SPACE[b as usize];
        }
        words
    }

    #[test]
    fn line_hashes_ignore_ascii_case_only() {
        let text = "Share This Story On FACEBOOK \u{c9}";
        assert_eq!(line_hash(text), line_hash(&text.to_ascii_lowercase()));
        assert_ne!(line_hash("share this"), line_hash("share that"));
        // Other capitals are other bytes.
        assert_ne!(line_hash("É"), line_hash("é"));
    }

    #[test]
    fn words_are_counted_eight_bytes_at_a_time_as_one_at_a_time() {
        // Every byte value at every place of a few lines that cross chunk boundaries.
        let base = b"A line\tof  words,\r\nspanning chunks \x0bhere \xc3\xa9t\xc3\xa9 ok";
        for b in 0..=255u8 {
            for at in 0..base.len() {
                let mut line = base.to_vec();
                line[at] = b;
                let text = String::from_utf8_lossy(&line);
                assert_eq!(
                    word_count(&text),
                    words_bytewise(text.as_bytes()),
                    "{text:?}"
                );
            }
        }
        for text in [
            "",
            " ",
            "        ",
            "x",
            "xxxxxxxx",
            "xxxxxxxx y",
            "       x        y",
        ] {
            assert_eq!(
                word_count(text),
                words_bytewise(text.as_bytes()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn long_lines_are_scanned_as_one_byte_at_a_time() {
        // Every byte value at every place of lines of whole pairs of eight bytes and more,
        // among ASCII words and others.
        let base = "Abcd efgh\tijkl mnop Qrst uvwx yz.. ABCD EFGH IJKL, mnop qrstu vwxyz ok";
        for len in [33, 40, 47, 48, 64, base.len()] {
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut line = base.as_bytes()[..len].to_vec();
                    line[at] = b;
                    let text = String::from_utf8_lossy(&line);
                    let features = LineFeatures::of(&text);
                    assert_eq!(usize::from(features.words), word_count(&text), "{text:?}");
                    assert_eq!(features.chars, text.trim().chars().count(), "{text:?}");
                    assert_eq!(features.ascii, text.trim().is_ascii(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn visible_bytes_are_the_bytes_other_than_space() {
        // Every byte value at every place, among bytes that take the short test and the
        // full one.
        for b in 0..=255u8 {
            for at in 0..8 {
                for filler in [b'x', b' ', b'\t', 0x01, 0x1F, 0xC3, 0x7F] {
                    let mut bytes = [filler, b'Y', b' ', 0x80, b'!', b'z', 0x0D, b'A'];
                    bytes[at] = b;
                    let word = u64::from_le_bytes(bytes);
                    assert_eq!(
                        visible_bytes(word),
                        !space_bytes(word) & HIGH_BITS,
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn word_lowercasing_is_make_ascii_lowercase() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [b'x', b'Y', 0x80, b'@', b'[', b'z', 0xC3, b'A'];
                bytes[at] = b;
                let mut expected = bytes;
                expected.make_ascii_lowercase();
                assert_eq!(
                    ascii_lowercase_word(u64::from_le_bytes(bytes)).to_le_bytes(),
                    expected,
                    "{bytes:?}"
                );
            }
        }
    }

    /// The line hash as first written: padded eight-byte words of the lower-cased line.
    fn hash_by_words(text: &str) -> u64 {
        let bytes = text.to_ascii_lowercase().into_bytes();
        let mut hash = (bytes.len() as u64).wrapping_mul(HASH_K);
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            hash = (hash ^ u64::from_le_bytes(word))
                .wrapping_mul(HASH_K)
                .rotate_left(29);
        }
        mix64(hash)
    }

    #[test]
    fn line_hash_folds_ascii_case_and_pads_the_last_word() {
        for text in [
            "",
            "a",
            "News",
            "NEWS",
            "Eight b!",
            "Nine byte",
            "You May Also Like",
            "Été à Zürich, ÉTÉ",
        ] {
            assert_eq!(line_hash(text), hash_by_words(text), "{text:?}");
        }
        // Every length around the sixteen bytes of a round and the eight of a word.
        let long = "Read More: The Headlines Of The Day, In Brief";
        for len in 0..=long.len() {
            let text = &long[..len];
            assert_eq!(line_hash(text), hash_by_words(text), "{text:?}");
        }
        assert_eq!(line_hash("Most Read"), line_hash("most read"));
        assert_ne!(line_hash("Most Read"), line_hash("Most Rea"));
    }

    #[test]
    fn last_words_are_the_last_bytes_padded_with_zeros() {
        let text: Vec<u8> = (1..=20u8).map(|b| b * 12).collect();
        for len in 1..=text.len() {
            let bytes = &text[..len];
            let rest = len % 8;
            if rest == 0 {
                continue;
            }
            let expected = bytes[len - rest..]
                .iter()
                .rev()
                .fold(0, |word, &b| (word << 8) | u64::from(b));
            assert_eq!(last_word(bytes, rest), expected, "{len}");
        }
    }

    /// Lines that are labels or nearly so.
    const LABEL_SAMPLES: &[&str] = &[
        "",
        "News",
        "World Cup",
        "CRIME",
        "Rock & Roll",
        "& More",
        "Top 10",
        "Four Words In Here",
        "lower case",
        "News:",
        "A\x0bB\x0cC",
        "  Spaced   Out  ",
        "Éditions Spéciales",
        "Économie",
        "Ünïcödé Ärger Öl",
        "News\u{A0}Today",
        "Abcdefghijklmnopqrstuvwxyzabcdefg",
        "Abcdefghijklmnopqrstuvwxyzabcdef",
        "Abcdefghijklmnopqrstuvwxyzabcde.",
        "Ééééééééééééééééééééééééééééééé Éé",
    ];

    #[test]
    fn sentence_ends_are_found_as_by_trimming_closers() {
        let trimming = |text: &str| {
            text.trim_end_matches(|c| CLOSERS.contains(&c))
                .ends_with(|c| SENTENCE_ENDS.contains(&c))
        };
        let ends = [
            "", ".", "!", "?", "\"", "'", ")", "]", "”", "’", "»", ":", "…", "é", " ", ".\"", ".”",
            "!)", "?»", ".)]", "x\"", "。", "。」", "？）", "।", "။", "۔", "؟", "،", "、", ".'\"",
            "\".",
        ];
        let mut texts: Vec<String> = ends
            .iter()
            .flat_map(|end| ["", "Word", "Word."].map(|base| format!("{base}{end}")))
            .collect();
        texts.extend((0..128u8).map(|b| format!("Word{}", b as char)));
        for text in &texts {
            assert_eq!(ends_sentence(text), trimming(text), "{text:?}");
        }
    }

    #[test]
    fn the_features_labels_and_words_are_label_words_and_word_count() {
        let mut texts: Vec<String> = LABEL_SAMPLES.iter().map(|text| text.to_string()).collect();
        texts.extend(
            [
                "Most Read",
                "You May Also Like",
                "The vote was 7-2 in favour of the new bus route.",
            ]
            .map(String::from),
        );
        // Every byte value at every place of a few lines of up to 33 bytes.
        for base in [
            "Ab Cd",
            "Abcdefgh Ijklmnop",
            "Abcdefgh Ijklmnop Qrstuvwx Yzabcdef",
        ] {
            for b in 0..128u8 {
                for at in 0..base.len() {
                    let mut line = base.as_bytes().to_vec();
                    line[at] = b;
                    texts.push(String::from_utf8_lossy(&line).into_owned());
                }
            }
        }
        for text in &texts {
            let features = LineFeatures::of(text);
            assert_eq!(features.label_words, label_words(text), "{text:?}");
            assert_eq!(usize::from(features.words), word_count(text), "{text:?}");
        }
    }

    #[test]
    fn an_empty_line_has_the_features_of_any_blank_line() {
        let empty = LineFeatures::of("");
        let blank = LineFeatures::of(" ");
        assert_eq!(
            format!("{empty:?}"),
            format!(
                "{:?}",
                LineFeatures {
                    start: 0,
                    end: 0,
                    ..blank
                }
            )
        );
    }

    #[test]
    fn truncation_is_an_ending_in_three_dots_or_an_ellipsis() {
        for text in [
            "",
            ".",
            "..",
            "...",
            "a...",
            "a..",
            "…",
            "a…",
            "a….",
            "a…a",
            ". ..",
            "\u{2025}",
            "\u{2026}\u{2026}",
            "x.\u{2026}",
        ] {
            assert_eq!(
                is_truncated(text),
                text.ends_with("...") || text.ends_with('…'),
                "{text:?}"
            );
        }
    }

    #[test]
    fn sentence_like_is_words_and_an_end() {
        for text in [
            "The vote was 7-2.",
            "  He said: \"We will win.\"  ",
            "A group of people gathered near the...",
            "A group of people gathered near the…",
            "Hi, what?",
            "One two three four!",
            "東京で会議が開かれた。",
            "東京で会議。",
            "「東京で会議が開かれた。」",
            "सरकार ने आज नई योजना की घोषणा की।",
            "",
        ] {
            let trimmed = text.trim();
            let words = word_count(trimmed).max(crate::detect::char_counts(trimmed).unspaced_words);
            let truncated = trimmed.ends_with("...") || trimmed.ends_with('…');
            let ends = trimmed
                .trim_end_matches(|c| CLOSERS.contains(&c))
                .ends_with(|c| SENTENCE_ENDS.contains(&c));
            assert_eq!(
                is_sentence_like(text),
                words >= 4 && !truncated && ends,
                "{text:?}"
            );
        }
        assert!(is_sentence_like("東京で会議が開かれた。"));
        assert!(is_sentence_like("सरकार ने आज नई योजना की घोषणा की।"));
        assert!(!is_sentence_like("東京で会議。"));
    }

    #[test]
    fn the_marks_are_counted_over_the_lines_of_the_page() {
        let raw = "Menu\n12 comments:\n  Share:  \n\n\u{a0}3. Item\n\t4) x\nRead more...\n\
                   A teaser cut short\u{2026}\nDate: \u{a0}\n\u{2163}. Four\n1\nsays:";
        with_page_of(raw, |page, doc, blocks, memos| {
            // Counted line by line, from the lines' own text.
            let count = |lines: &mut dyn Iterator<Item = &str>| {
                let mut marks = LineMarks::default();
                for line in lines {
                    let trimmed = line.trim();
                    marks.colon_end += usize::from(trimmed.ends_with(':'));
                    marks.digit_start +=
                        usize::from(trimmed.starts_with(|c: char| c.is_ascii_digit()));
                    marks.truncated +=
                        usize::from(trimmed.ends_with("...") || trimmed.ends_with('\u{2026}'));
                }
                marks
            };
            let all = count(&mut blocks.iter().map(|b| &*b.text));
            assert_eq!(page.marks, all);
            assert_eq!(
                all,
                LineMarks {
                    colon_end: 4,
                    digit_start: 4,
                    truncated: 2
                }
            );
            // A later round's page counts the lines it holds.
            let kept: Vec<usize> = (0..blocks.len()).filter(|i| i % 3 != 1).collect();
            let kept_blocks: Vec<Block<'_>> = kept.iter().map(|&i| blocks[i].clone()).collect();
            let later = Page::of_kept(doc, &kept_blocks, &page.features, memos, &kept);
            assert_eq!(
                later.marks,
                count(&mut kept_blocks.iter().map(|b| &*b.text))
            );
        });
    }

    #[test]
    fn sentence_like_lines() {
        assert!(is_sentence_like("The vote was 7-2."));
        assert!(is_sentence_like("He said: \"We will win.\""));
        assert!(!is_sentence_like("You May Also Like"));
        assert!(!is_sentence_like("A group of people gathered near the..."));
        assert!(!is_sentence_like("Hi, what?"));
    }
}
