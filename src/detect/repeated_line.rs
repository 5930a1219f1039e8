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
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::document::{Document, Verdict};
use crate::judge::{trimmed_bounds, Page};

use super::Detector;

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

/// The hash a line is counted by: its text without surrounding white space (given so),
/// ASCII case folded. Eight bytes at a time with a multiply-rotate mix and a final avalanche: this runs
/// on every line of the run twice (counting and judging), so a byte-at-a-time hasher shows.
/// Deterministic across runs and platforms, so the same corpus gives the same counts.
fn line_hash(trimmed: &str) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes = trimmed.as_bytes();
    let mut hash = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash ^ ascii_lowercase_word(u64::from_le_bytes(word)))
            .wrapping_mul(K)
            .rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        hash = (hash ^ ascii_lowercase_word(u64::from_le_bytes(word)))
            .wrapping_mul(K)
            .rotate_left(29);
    }
    // The finaliser of MurmurHash3: every input bit moves every output bit.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    hash ^ (hash >> 33)
}

/// Eight bytes with `make_ascii_lowercase` applied, all at once: a byte from `A` to `Z`
/// gets its 0x20 bit; any other byte (non-ASCII ones too) is left as it is. Adding to the
/// low seven bits of a byte cannot carry into the next byte.
fn ascii_lowercase_word(word: u64) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = word & LOW;
    let at_least_a = low + 0x3F3F_3F3F_3F3F_3F3F; // high bit set when the byte >= b'A'
    let past_z = low + 0x2525_2525_2525_2525; // high bit set when the byte > b'Z'
    let upper = at_least_a & !past_z & !word & HIGH;
    word | (upper >> 2)
}

/// A sentence of at least `prose_words` words (counted in the whole `line`), given the
/// line and its text without surrounding white space.
fn is_prose(line: &str, trimmed: &str, prose_words: usize) -> bool {
    // The word count is a cheap byte loop; most lines fail it before the sentence test.
    let words = crate::judge::word_count(line);
    if words < prose_words {
        return false;
    }
    // Trimming leaves the words as they are unless it took something off.
    let trimmed_words = if trimmed.len() == line.len() {
        words
    } else {
        crate::judge::word_count(trimmed)
    };
    crate::judge::trimmed_sentence_like(trimmed, trimmed_words)
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

/// The key documents are grouped by: the host, or the input the document came from.
fn site_key(doc: &Document) -> String {
    match &doc.site {
        Some(site) => site.clone(),
        None => format!("\u{0}input {}", doc.input),
    }
}

/// Per line hash, in how many documents of a site the line is. The keys are hashes
/// already, so they are used as they are rather than hashed again.
type LineCounts = HashMap<u64, u32, BuildHasherDefault<HashedKey>>;

/// A `Hasher` for keys that are already well-mixed 64-bit hashes.
#[derive(Default)]
struct HashedKey(u64);

impl Hasher for HashedKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used for `u64` keys; fold anything else in all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// One line of a document as counted: its hash, and its length when it is prose (0 when
/// it is not).
type CountedLine = (u64, usize);

/// One document's distinct lines.
fn document_lines(doc: &Document, prose_words: usize) -> Vec<CountedLine> {
    let mut lines: Vec<CountedLine> = Vec::with_capacity(doc.raw.len() / 32 + 1);
    for line in raw_lines(&doc.raw) {
        let (start, end) = trimmed_bounds(line);
        if start == end {
            continue;
        }
        let prose = if is_prose(line, &line[start..end], prose_words) {
            line.len()
        } else {
            0
        };
        lines.push((line_hash(&line[start..end]), prose));
    }
    lines.sort_unstable();
    lines.dedup_by_key(|(hash, _)| *hash);
    lines
}

impl Detector for RepeatedLine {
    fn prepare(&self, documents: &mut [Document]) {
        let config = &self.config;
        let per_document: Vec<(String, Vec<CountedLine>)> = documents
            .par_iter()
            .map(|doc| (site_key(doc), document_lines(doc, config.prose_words)))
            .collect();
        // Per site: how many documents, and in how many each line occurs. Counting is
        // order-free, so the result does not depend on the thread count.
        let mut sites: HashMap<&str, (usize, LineCounts)> = HashMap::new();
        for (site, lines) in &per_document {
            let (count, counts) = sites.entry(site.as_str()).or_default();
            *count += 1;
            for (hash, _) in lines {
                *counts.entry(*hash).or_default() += 1;
            }
        }
        let repeated: Vec<Vec<u64>> = per_document
            .par_iter()
            .map(|(site, lines)| {
                let Some((documents, counts)) = sites.get(site.as_str()) else {
                    return Vec::new();
                };
                let documents = *documents as f64;
                let needed = (config.min_documents as f64).max(config.min_share * documents);
                let needed_prose = needed.max(config.prose_share * documents);
                let seen = |hash: &u64| counts.get(hash).copied().unwrap_or(0) as f64;
                // A document most of whose prose other documents carry too is one of several
                // copies of a story, not a page of chrome: its lines are the story's, and
                // finding copies is dedup's business.
                let prose: usize = lines.iter().map(|(_, len)| len).sum();
                let shared: usize = lines
                    .iter()
                    .filter(|(hash, _)| seen(hash) >= needed)
                    .map(|(_, len)| len)
                    .sum();
                if prose > 0 && shared as f64 >= config.max_copy_share * prose as f64 {
                    return Vec::new();
                }
                lines
                    .iter()
                    .filter(|(hash, len)| {
                        seen(hash) >= if *len > 0 { needed_prose } else { needed }
                    })
                    .map(|(hash, _)| *hash)
                    .collect()
            })
            .collect();
        for (doc, repeated) in documents.iter_mut().zip(repeated) {
            doc.repeated_lines = Arc::from(repeated);
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
            let text = page.trimmed(i);
            if !title.is_empty() && title.starts_with(text) {
                continue;
            }
            let hash = line_hash(text);
            if may_be_repeated(hash) && repeated.binary_search(&hash).is_ok() {
                verdicts[i] = Verdict::drop(id, Arc::clone(&why));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
