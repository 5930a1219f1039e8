//! Repeated line: chrome that a site prints on many of its pages (menu entries, footer
//! lines, newsletter boxes, the same "Most read" heading) is the same line of text in many
//! documents of one run, while a story's own lines are in one document, or a few copies.
//!
//! This needs the whole run, so it works in two steps. Before any document is judged,
//! `prepare` hashes every line of every document (in parallel), counts per site in how many
//! documents each line occurs, and hands each document the hashes of its lines that occur
//! in enough of its site's documents. Judging a document then only looks its lines up. The
//! site is the document's host (from its URL or `--site`), or else the input it came from.
//!
//! Two kinds of line are spared. The page's headline appears in other pages' teaser lists,
//! so the first line of a dump (its title) and lines that repeat it stay. And a sentence of
//! prose is chrome only when most pages of the site carry it (a disclaimer); a story
//! reprinted a few times, or a background paragraph that a series of stories shares, keeps
//! its text. A document most of whose prose is on other pages too is one of several copies
//! of a story, and none of its lines is taken for chrome.

use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

use crate::document::{Document, Verdict};
use crate::judge::{line_hash, trimmed_bounds, Page};
use crate::normalize::Changes;

use super::{Detector, Survey};

pub const ID: &str = "detect.repeated-line";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A line is chrome when at least this many documents of its site carry it...
    pub min_documents: usize,
    /// ...and at least this share of the site's documents.
    pub min_share: f64,
    /// A line of prose (a sentence of at least `prose_words` words) needs this share of
    /// the site's documents.
    pub prose_share: f64,
    /// Words from which a sentence counts as prose.
    pub prose_words: usize,
    /// A document of which at least this share of prose (in bytes) is on other pages too is
    /// a copy of a story: nothing of it is taken for chrome.
    pub max_copy_share: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_documents: 3,
            min_share: 0.01,
            prose_share: 0.5,
            prose_words: 10,
            max_copy_share: 0.5,
        }
    }
}

pub struct RepeatedLine {
    config: Config,
}

impl RepeatedLine {
    pub fn new(config: Config) -> RepeatedLine {
        RepeatedLine { config }
    }
}

/// A sentence (`is_sentence_like`) of at least `prose_words` words (counted in the whole
/// `line`), given the line and its text without surrounding white space.
fn is_prose(line: &str, trimmed: &str, prose_words: usize) -> bool {
    // The end of the line is a few characters to test; most lines fail it before their
    // words are counted.
    if !crate::judge::ends_like_sentence(trimmed) {
        return false;
    }
    let trimmed_words = crate::judge::word_count(trimmed);
    // Trimming leaves the words as they are unless it took something off.
    let words = if trimmed.len() == line.len() {
        trimmed_words
    } else {
        crate::judge::word_count(line)
    };
    words >= prose_words && trimmed_words >= 4
}

/// The lines of a text as `str::lines` cuts them (at `\n`, and a `\r` before it goes too),
/// found with `memchr`.
fn raw_lines(raw: &str) -> impl Iterator<Item = &str> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let line = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(at) => {
                let line = &rest[..at];
                rest = &rest[at + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        };
        Some(line)
    })
}

/// An ASCII byte that `trimmed_bounds` does not trim: not white space.
fn is_visible_ascii(b: u8) -> bool {
    b.is_ascii() && !crate::normalize::is_ascii_space(b)
}

/// Each document's site, distinct lines and, with `keep_hashes`, line hashes (see
/// `document_lines`), found in parallel.
fn sites_and_lines(
    documents: &[Document],
    prose_words: usize,
    keep_hashes: bool,
) -> Vec<(String, Vec<CountedLine>, Vec<u64>)> {
    documents
        .par_iter()
        .map(|doc| {
            let (lines, hashes) = document_lines(doc, prose_words, keep_hashes);
            (site_key(doc), lines, hashes)
        })
        .collect()
}

/// The key documents are grouped by: the host, or the input the document came from.
fn site_key(doc: &Document) -> String {
    match &doc.site {
        Some(site) => site.clone(),
        None => format!("\u{0}input {}", doc.input),
    }
}

/// A number per line hash: open addressing with linear probing in one flat table. The keys
/// are well-mixed hashes already, so their low bits pick the slot and they are not hashed
/// again. Key 0 marks an empty slot; a line whose hash is 0 has its number kept apart.
struct HashTable {
    slots: Vec<(u64, u32)>,
    len: usize,
    zero: Option<u32>,
}

impl HashTable {
    fn with_capacity(capacity: usize) -> HashTable {
        HashTable {
            slots: vec![(0, 0); (capacity * 2).next_power_of_two().max(16)],
            len: 0,
            zero: None,
        }
    }

    /// The number of `hash`, and whether it was just added (with `value`).
    #[inline(always)]
    fn entry(&mut self, hash: u64, value: u32) -> (&mut u32, bool) {
        if hash == 0 {
            let new = self.zero.is_none();
            return (self.zero.get_or_insert(value), new);
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let key = self.slots[at].0;
            if key == hash {
                return (&mut self.slots[at].1, false);
            }
            if key == 0 {
                self.slots[at] = (hash, value);
                self.len += 1;
                return (&mut self.slots[at].1, true);
            }
            at = (at + 1) & mask;
        }
    }

    fn get(&self, hash: u64) -> Option<u32> {
        if hash == 0 {
            return self.zero;
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            match self.slots[at] {
                (0, _) => return None,
                (key, value) if key == hash => return Some(value),
                _ => at = (at + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        let mask = self.slots.len() - 1;
        for (key, value) in old.into_iter().filter(|(key, _)| *key != 0) {
            let mut at = key as usize & mask;
            while self.slots[at].0 != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = (key, value);
        }
    }
}

/// The most lines room is made for before a document's lines are read.
const EXPECTED_LINES_AT_MOST: usize = 4096;

/// One line of a document as counted: its hash, and its length when it is prose (0 when
/// it is not).
type CountedLine = (u64, usize);

/// One document's distinct lines, in the order they first occur (a line that occurs more
/// than once counts as prose by its shortest occurrence), and with `keep_hashes` the hash of
/// each of its lines in order (0, `line_hash("")`, for one without visible text; empty
/// without it: counting the run needs only the distinct lines).
fn document_lines(
    doc: &Document,
    prose_words: usize,
    keep_hashes: bool,
) -> (Vec<CountedLine>, Vec<u64>) {
    // Room for the lines a page dump of this size usually has, but not for a line per 32
    // bytes of a huge one-line file: all grow when they must.
    let expected = (doc.raw.len() / 32 + 1).min(EXPECTED_LINES_AT_MOST);
    let mut lines: Vec<CountedLine> = Vec::with_capacity(expected);
    let mut hashes: Vec<u64> = Vec::with_capacity(if keep_hashes { expected } else { 0 });
    let mut keep = |hash: u64| {
        if keep_hashes {
            hashes.push(hash);
        }
    };
    let mut seen = HashTable::with_capacity(expected);
    for line in raw_lines(&doc.raw) {
        let (start, end) = match line.as_bytes() {
            [] => {
                keep(0);
                continue;
            }
            // Most lines neither start nor end with white space: no need to look for it.
            [first, .., last] if is_visible_ascii(*first) && is_visible_ascii(*last) => {
                (0, line.len())
            }
            _ => trimmed_bounds(line),
        };
        if start == end {
            keep(0);
            continue;
        }
        let trimmed = &line[start..end];
        let hash = crate::judge::line_hash(trimmed);
        keep(hash);
        let prose = if is_prose(line, trimmed, prose_words) {
            line.len()
        } else {
            0
        };
        let next = lines.len() as u32;
        match seen.entry(hash, next) {
            (_, true) => lines.push((hash, prose)),
            (&mut index, false) => {
                let known = &mut lines[index as usize].1;
                *known = (*known).min(prose);
            }
        }
    }
    (lines, hashes)
}

/// Per site: how many documents, and in how many of them each line occurs. Counting is
/// order-free, so the counts do not depend on the thread count or on how the run was cut
/// into batches.
#[derive(Default)]
struct SiteCounts {
    sites: HashMap<String, (usize, HashTable)>,
}

impl SiteCounts {
    /// Counts one document's distinct lines; `room` is how many lines its site's table
    /// should have room for when it is new.
    fn add(&mut self, site: &str, lines: &[CountedLine], room: usize) {
        if !self.sites.contains_key(site) {
            self.sites
                .insert(site.to_string(), (0, HashTable::with_capacity(room)));
        }
        let Some((count, counts)) = self.sites.get_mut(site) else {
            return;
        };
        *count += 1;
        for &(hash, _) in lines {
            *counts.entry(hash, 0).0 += 1;
        }
    }

    /// The hashes of a document's lines that enough documents of its site carry, sorted.
    fn repeated(&self, config: &Config, site: &str, lines: &[CountedLine]) -> Vec<u64> {
        let Some((documents, counts)) = self.sites.get(site) else {
            return Vec::new();
        };
        let documents = *documents as f64;
        let needed = (config.min_documents as f64).max(config.min_share * documents);
        let needed_prose = needed.max(config.prose_share * documents);
        let seen = |hash: &u64| counts.get(*hash).unwrap_or(0) as f64;
        // A document most of whose prose other documents carry too is one of several
        // copies of a story, not a page of chrome: its lines are the story's, and finding
        // copies is dedup's business.
        let prose: usize = lines.iter().map(|(_, len)| len).sum();
        let shared: usize = lines
            .iter()
            .filter(|(hash, _)| seen(hash) >= needed)
            .map(|(_, len)| len)
            .sum();
        if prose > 0 && shared as f64 >= config.max_copy_share * prose as f64 {
            return Vec::new();
        }
        let mut repeated: Vec<u64> = lines
            .iter()
            .filter(|(hash, len)| seen(hash) >= if *len > 0 { needed_prose } else { needed })
            .map(|(hash, _)| *hash)
            .collect();
        repeated.sort_unstable();
        repeated
    }
}

/// The counts of a run read a batch at a time: each document's lines are found once to
/// count them and again to decide, since the run's documents are not all held at once.
struct RunCounts<'a> {
    config: &'a Config,
    counts: SiteCounts,
}

impl Survey for RunCounts<'_> {
    fn add(&mut self, documents: &[Document]) {
        for (site, lines, _) in &sites_and_lines(documents, self.config.prose_words, false) {
            self.counts.add(site, lines, lines.len());
        }
    }

    fn apply(&self, documents: &mut [Document]) {
        documents.par_iter_mut().for_each(|doc| {
            let (lines, hashes) = document_lines(doc, self.config.prose_words, true);
            let repeated = self.counts.repeated(self.config, &site_key(doc), &lines);
            leave_found(doc, repeated, hashes);
        });
    }
}

/// Leaves in a document the hashes of its repeated lines and, when there are any, the hash
/// of each of its lines, which the judge then looks them up by.
fn leave_found(doc: &mut Document, repeated: Vec<u64>, hashes: Vec<u64>) {
    doc.line_hashes = if repeated.is_empty() {
        Vec::new()
    } else {
        hashes
    };
    doc.repeated_lines = Arc::from(repeated);
}

impl Detector for RepeatedLine {
    fn survey(&self) -> Option<Box<dyn Survey + '_>> {
        Some(Box::new(RunCounts {
            config: &self.config,
            counts: SiteCounts::default(),
        }))
    }

    /// The survey with every document at hand: each document's lines are found once.
    fn prepare(&self, documents: &mut [Document]) {
        let config = &self.config;
        let per_document = sites_and_lines(documents, config.prose_words, true);
        // Each site's table gets room for all its lines at once.
        let mut sizes: HashMap<&str, usize> = HashMap::new();
        for (site, lines, _) in &per_document {
            *sizes.entry(site.as_str()).or_default() += lines.len();
        }
        let mut counts = SiteCounts::default();
        for (site, lines, _) in &per_document {
            counts.add(site, lines, sizes[site.as_str()]);
        }
        let repeated: Vec<Vec<u64>> = per_document
            .par_iter()
            .map(|(site, lines, _)| counts.repeated(config, site, lines))
            .collect();
        for ((doc, repeated), (_, _, hashes)) in
            documents.iter_mut().zip(repeated).zip(per_document)
        {
            leave_found(doc, repeated, hashes);
        }
    }

    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        let repeated = &page.doc.repeated_lines;
        if repeated.is_empty() {
            return;
        }
        let blocks = page.blocks;
        // The page's title (its first line, or the title the input gave) and its repeats.
        let title = page
            .doc
            .title
            .as_deref()
            .or_else(|| page.text_blocks.first().map(|&i| &*blocks[i].text))
            .map(str::trim)
            .unwrap_or("");
        let why: Arc<str> = "the same line is on many pages of this site".into();
        // A bit per value of a hash's top ten bits, set for the repeated lines: most lines'
        // bits are clear, which rules them out without a binary search.
        let mut seen = [0u64; 16];
        for &hash in repeated.iter() {
            let bit = (hash >> 54) as usize;
            seen[bit / 64] |= 1 << (bit % 64);
        }
        let may_be_repeated = |hash: u64| {
            let bit = (hash >> 54) as usize;
            seen[bit / 64] & (1 << (bit % 64)) != 0
        };
        for &i in &page.text_blocks {
            if !verdicts[i].is_keep() {
                continue;
            }
            // The survey's hash of the raw line is the hash of the block's text unless
            // normalisation changed more than the white space at its ends (a carriage
            // return, trailing spaces), which trimming takes off anyway.
            let block = &blocks[i];
            let hash = match page.doc.line_hashes.get(block.line - 1) {
                Some(&hash) if !block.changes.contains(Changes::NFC) => hash,
                _ => line_hash(page.trimmed(i)),
            };
            // The cheapest test first: most lines' bits are clear.
            if !may_be_repeated(hash) {
                continue;
            }
            let text = page.trimmed(i);
            if !title.is_empty() && title.starts_with(text) {
                continue;
            }
            if repeated.binary_search(&hash).is_ok() {
                verdicts[i] = Verdict::drop(id, Arc::clone(&why));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::{is_sentence_like, word_count};

    #[test]
    fn the_table_counts_as_a_map_does() {
        let mut table = HashTable::with_capacity(1);
        let mut map = HashMap::new();
        for k in 0..5000u64 {
            // Few distinct keys, 0 among them, many sharing their low bits.
            let hash = (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) % 701) << 20;
            *table.entry(hash, 0).0 += 1;
            *map.entry(hash).or_insert(0u32) += 1;
        }
        for (&hash, &count) in &map {
            assert_eq!(table.get(hash), Some(count), "{hash}");
        }
        assert_eq!(table.get(1), None);
    }

    /// `document_lines` with prose lines of ten words, sorted.
    fn sorted_document_lines(doc: &Document) -> Vec<CountedLine> {
        let (mut found, _) = document_lines(doc, 10, false);
        found.sort_unstable();
        found
    }

    /// A text's lines as the survey should count them, found with the judge's own
    /// functions: all of them, sorted, the first of each hash kept.
    fn counted_by_the_judge(raw: &str) -> Vec<CountedLine> {
        let mut expected: Vec<CountedLine> = raw
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let prose = word_count(line) >= 10 && is_sentence_like(line);
                (line_hash(line.trim()), if prose { line.len() } else { 0 })
            })
            .collect();
        expected.sort_unstable();
        expected.dedup_by_key(|(hash, _)| *hash);
        expected
    }

    #[test]
    fn a_documents_lines_are_its_distinct_lines_counted_as_prose_by_the_shortest() {
        let sentence = "The council voted on the new budget for the city today, and passed it.";
        let raw = format!(
            "Menu\n  Menu\n{sentence}\n   {sentence}\n\n\u{a0} {sentence}\nMENU\r\n \t\nlast\r"
        );
        let doc = Document {
            raw,
            ..Document::default()
        };
        let found = sorted_document_lines(&doc);
        assert_eq!(found, counted_by_the_judge(&doc.raw));
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn the_line_hashes_are_those_of_the_blocks_the_judge_sees() {
        let raw = "Menu\r\n  Share  \n\n\u{a0}\nCafe\u{301}\t\nMOST READ\r\nlast\r";
        let doc = Document {
            raw: raw.to_string(),
            ..Document::default()
        };
        let (_, hashes) = document_lines(&doc, 10, true);
        let blocks = crate::segment::lines(raw);
        assert_eq!(hashes.len(), blocks.len());
        for (block, &hash) in blocks.iter().zip(&hashes) {
            if !block.changes.contains(Changes::NFC) {
                assert_eq!(hash, line_hash(block.text.trim()), "{:?}", block.text);
            }
        }
    }

    #[test]
    fn lines_are_trimmed_and_found_prose_as_the_judge_does() {
        // Sentences ending in every way the judge accepts or turns down, with white space
        // and other characters at either end.
        let words = "The council voted on the new budget for the city today and";
        let mut raw = String::new();
        for end in [
            ".", "!", "?", ".\"", ".'", ".)", ".]", ".”", ".’", ".»", "...", "…", ",", "x", ":",
        ] {
            for (before, after) in [
                ("", ""),
                (" ", ""),
                ("", " "),
                ("\t", "\r"),
                ("\u{a0}", "\u{2003}"),
            ] {
                raw.push_str(&format!("{before}{words} passed it{end}{after}\n"));
            }
        }
        raw.push_str("a\n \n\u{a0}\n.\n");
        let doc = Document {
            raw,
            ..Document::default()
        };
        let found = sorted_document_lines(&doc);
        assert_eq!(found, counted_by_the_judge(&doc.raw));
        assert!(found.iter().filter(|(_, prose)| *prose > 0).count() >= 8);
    }
}
