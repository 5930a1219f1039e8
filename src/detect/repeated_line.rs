//! Repeated line: chrome that a site prints on many of its pages (menu entries, footer
//! lines, newsletter boxes, the same "Most read" heading) is the same line of text in many
//! documents of one run, while a story's own lines are in one document, or a few copies.
//!
//! This needs the whole run, so it works in two steps. Before any document is judged,
//! `prepare` hashes every line of every document (in parallel), counts per site in how many
//! documents each line occurs, and hands each document the hashes of its lines that occur
//! in enough of its site's documents and which of its lines they are. Judging a document
//! then only reads that of each line (and looks up by its hash a line that normalisation
//! changed). The site is the document's host (from its URL or `--site`), or else the input
//! it came from.
//!
//! Two kinds of line are spared. The page's headline appears in other pages' teaser lists,
//! so the first line of a dump (its title) and lines that repeat it stay. And a sentence of
//! prose is chrome only when most pages of the site carry it (a disclaimer); a story
//! reprinted a few times, or a background paragraph that a series of stories shares, keeps
//! its text. A document most of whose prose is on other pages too is one of several copies
//! of a story, and none of its lines is taken for chrome.

use rayon::prelude::*;
use serde::Deserialize;
use std::cell::RefCell;
use std::sync::Arc;

use crate::document::{Document, Verdict};
use crate::hash::FastMap;
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
/// `line`), given the line and its text without surrounding white space. The end of the
/// line is a few characters to test; most lines fail it, here, before a call counts their
/// words.
#[inline(always)]
fn is_prose(line: &str, trimmed: &str, prose_words: usize) -> bool {
    crate::judge::ends_like_sentence(trimmed) && has_prose_words(line, trimmed, prose_words)
}

/// Whether a line that ends like a sentence has the words of prose (see `is_prose`): at
/// least `prose_words` in the whole line and 4 in its trimmed text, which are the same words
/// unless trimming took something off.
fn has_prose_words(line: &str, trimmed: &str, prose_words: usize) -> bool {
    if trimmed.len() == line.len() {
        return has_words(line, prose_words.max(4));
    }
    has_words(line, prose_words) && has_words(trimmed, 4)
}

/// Whether `text` has at least `enough` words as `word_count` counts them. Words are
/// counted where they start, eight bytes at a time, so the count of the bytes read so far is
/// never more than the whole text's: a long sentence is settled by its first words, and its
/// rest is not read. The last bytes are padded with spaces, which start no word.
fn has_words(text: &str, enough: usize) -> bool {
    let mut words = 0;
    let mut previous_space = true;
    let mut starts = |word: u64| crate::judge::word_starts(word, &mut previous_space);
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        if words >= enough {
            return true;
        }
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        words += starts(u64::from_le_bytes(eight));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut eight = [b' '; 8];
        eight[..rest.len()].copy_from_slice(rest);
        words += starts(u64::from_le_bytes(eight));
    }
    words >= enough
}

/// The lines of a text as `str::lines` cuts them (at `\n`, and a `\r` before it goes too),
/// their ends found as segmenting finds them (short lines are most lines).
fn raw_lines(raw: &str) -> impl Iterator<Item = &str> {
    let bytes = raw.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = crate::segment::line_end(bytes, start).unwrap_or(bytes.len());
        let next = end + 1;
        let end = match bytes.get(start..end) {
            Some([.., b'\r']) => end - 1,
            _ => end,
        };
        // A line ends before a `\n` (and a `\r` before it) or at the text's end: never
        // inside a character.
        let line = raw.get(start..end).unwrap_or_default();
        start = next;
        Some(line)
    })
}

/// Each document's lines (see `document_lines`), found in parallel.
fn lines_of<const DECIDE: bool>(
    documents: &[Document],
    prose_words: usize,
    shard_shift: u32,
) -> Vec<DocumentLines> {
    documents
        .par_iter()
        .map(|doc| document_lines::<DECIDE>(doc, prose_words, shard_shift))
        .collect()
}

/// How many documents of a site carry each of its lines: open addressing with linear
/// probing in one flat table keyed by site and line hash. The line hashes are well mixed
/// already, so their low bits (mixed with the site's number) pick the slot and they are not
/// hashed again. A slot whose count is 0 is empty. The table starts small and doubles when
/// half full, so it is the size of the distinct lines it holds, not of all the lines it
/// was given (most of a site's lines are on many of its pages).
struct LineCounts {
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u64,
    site: u32,
    count: u32,
}

impl LineCounts {
    const SMALLEST: usize = 16;

    fn new() -> LineCounts {
        LineCounts {
            slots: vec![Slot::default(); Self::SMALLEST],
            len: 0,
        }
    }

    /// A table holding nothing, without room (it allocates nothing).
    fn empty() -> LineCounts {
        LineCounts {
            slots: Vec::new(),
            len: 0,
        }
    }

    /// The slot a line of a site starts looking at, for a table of `mask + 1` slots.
    #[inline(always)]
    fn start(hash: u64, site: u32, mask: usize) -> usize {
        (hash ^ u64::from(site).wrapping_mul(0x9E37_79B9_7F4A_7C15)) as usize & mask
    }

    /// Counts one more document of `site` carrying the line `hash`.
    #[inline(always)]
    fn add(&mut self, hash: u64, site: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = Self::start(hash, site, mask);
        loop {
            let slot = &mut self.slots[at];
            if slot.count == 0 {
                *slot = Slot {
                    hash,
                    site,
                    count: 1,
                };
                self.len += 1;
                return;
            }
            if slot.hash == hash && slot.site == site {
                slot.count = slot.count.saturating_add(1);
                return;
            }
            at = (at + 1) & mask;
        }
    }

    /// How many documents of `site` carry the line `hash`.
    fn get(&self, hash: u64, site: u32) -> u32 {
        let Some(mask) = self.slots.len().checked_sub(1) else {
            return 0;
        };
        let mut at = Self::start(hash, site, mask);
        loop {
            let slot = &self.slots[at];
            if slot.count == 0 {
                return 0;
            }
            if slot.hash == hash && slot.site == site {
                return slot.count;
            }
            at = (at + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(Self::SMALLEST);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|slot| slot.count != 0) {
            let mut at = Self::start(slot.hash, slot.site, mask);
            while self.slots[at].count != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }
}

/// The most lines room is made for before a document's lines are read.
const EXPECTED_LINES_AT_MOST: usize = 4096;

/// One line of a document as counted: its hash, and its length when it is prose (0 when
/// it is not).
type CountedLine = (u64, usize);

/// The place of a line without visible text among a document's lines (see
/// `DocumentLines::places`): none.
const NO_LINE: u32 = u32::MAX;

/// One document's lines as the survey finds them (see `document_lines`).
struct DocumentLines {
    /// Its distinct lines, those of one shard of the counts side by side, in shard order.
    lines: Vec<CountedLine>,
    /// Where the lines of each shard end in `lines` (empty when the counts have one shard).
    shard_ends: Vec<usize>,
    /// For each of its lines, in order, the place in `lines` of its distinct line
    /// (`NO_LINE` for one without visible text), when asked for.
    places: Vec<u32>,
}

impl DocumentLines {
    /// The lines of one shard of the counts.
    fn of_shard(&self, shard: usize) -> &[CountedLine] {
        if self.shard_ends.is_empty() {
            return &self.lines;
        }
        let start = shard
            .checked_sub(1)
            .and_then(|before| self.shard_ends.get(before))
            .copied()
            .unwrap_or(0);
        let end = self.shard_ends.get(shard).copied().unwrap_or(start);
        self.lines.get(start..end).unwrap_or(&[])
    }
}

/// `lines` with those of each shard (a hash shifted right by `shard_shift`) side by side,
/// in shard order, and where each shard's lines end; with one shard (`shard_shift` 64)
/// they stay as they are. `places` (places in `lines`, see `DocumentLines::places`) are
/// moved with the lines they point at.
fn in_shards(
    lines: &[CountedLine],
    shard_shift: u32,
    places: &mut [u32],
) -> (Vec<CountedLine>, Vec<usize>) {
    if shard_shift >= 64 {
        return (lines.to_vec(), Vec::new());
    }
    let shard = |hash: u64| (hash >> shard_shift) as usize;
    // The count of each shard, then where each starts, then (once each line is in its
    // place) where each ends.
    let mut ends = vec![0; 1 << (64 - shard_shift)];
    for &(hash, _) in lines {
        ends[shard(hash)] += 1;
    }
    let mut start = 0;
    for end in &mut ends {
        let count = *end;
        *end = start;
        start += count;
    }
    let mut grouped = vec![(0, 0); lines.len()];
    // Where each line went, when there are places to move.
    let mut moved = vec![0u32; if places.is_empty() { 0 } else { lines.len() }];
    for (k, &line) in lines.iter().enumerate() {
        let next = &mut ends[shard(line.0)];
        grouped[*next] = line;
        if let Some(to) = moved.get_mut(k) {
            // Places are numbered as `SeenLines` numbers lines.
            *to = *next as u32;
        }
        *next += 1;
    }
    for place in places.iter_mut() {
        if let Some(&to) = moved.get(*place as usize) {
            *place = to;
        }
    }
    (grouped, ends)
}

/// The lines of one document seen so far, by hash: the number of each in the document's
/// distinct lines. One table per thread serves document after document: a slot belongs to
/// the document of its generation, so starting the next document clears nothing. A document
/// uses only as many slots from the table's start as its lines need, however large a
/// document before it made the table: a line's slot is then in a few kilobytes rather than
/// anywhere in the largest table yet, and mostly in the cache.
struct SeenLines {
    slots: Vec<SeenSlot>,
    /// The slots this document uses are the first `mask + 1`.
    mask: usize,
    len: usize,
    generation: u32,
}

#[derive(Clone, Copy, Default)]
struct SeenSlot {
    hash: u64,
    generation: u32,
    index: u32,
}

impl SeenLines {
    /// The most slots a thread's table keeps between documents; a larger one, for a
    /// document with very many lines, is let go.
    const KEPT: usize = 1 << 16;

    /// Starts a document of about `expected` distinct lines.
    fn start(&mut self, expected: usize) {
        let size = (expected * 2).next_power_of_two().max(16);
        if self.slots.len() > Self::KEPT.max(size) {
            self.slots = Vec::new();
        }
        self.len = 0;
        self.use_slots(size);
    }

    /// Empties the table (a new generation) and uses its first `size` slots, a power of
    /// two, making room for them if it has fewer.
    fn use_slots(&mut self, size: usize) {
        if self.slots.len() < size {
            self.slots = vec![SeenSlot::default(); size];
            self.generation = 0;
        }
        self.mask = size - 1;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // After 2^32 generations they come round again.
            self.slots.fill(SeenSlot::default());
            self.generation = 1;
        }
    }

    /// The number of `hash`, and whether it was just added (with `index`).
    #[inline(always)]
    fn entry(&mut self, hash: u64, index: u32) -> (u32, bool) {
        if (self.len + 1) * 2 > self.mask + 1 {
            self.grow();
        }
        let mask = self.mask;
        let mut at = hash as usize & mask;
        loop {
            let slot = &mut self.slots[at];
            if slot.generation != self.generation {
                *slot = SeenSlot {
                    hash,
                    generation: self.generation,
                    index,
                };
                self.len += 1;
                return (index, true);
            }
            if slot.hash == hash {
                return (slot.index, false);
            }
            at = (at + 1) & mask;
        }
    }

    /// Uses twice the slots, with the document's lines so far in their new places.
    fn grow(&mut self) {
        let held: Vec<SeenSlot> = self
            .slots
            .get(..=self.mask)
            .unwrap_or_default()
            .iter()
            .filter(|slot| slot.generation == self.generation)
            .copied()
            .collect();
        self.use_slots((self.mask + 1) * 2);
        let mask = self.mask;
        for mut slot in held {
            slot.generation = self.generation;
            let mut at = slot.hash as usize & mask;
            while self.slots[at].generation == self.generation {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }
}

/// What finding a document's lines works in, kept per thread from one document to the
/// next: the table of its lines seen so far, and its lines and their places as they are
/// found, copied out at the end into vectors of their exact size (they are held for the
/// whole survey).
struct Scratch {
    seen: SeenLines,
    lines: Vec<CountedLine>,
    places: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const {
        RefCell::new(Scratch {
            seen: SeenLines {
                slots: Vec::new(),
                mask: 0,
                len: 0,
                generation: 0,
            },
            lines: Vec::new(),
            places: Vec::new(),
        })
    };
}

/// One document's distinct lines put in the shards of counts cut at `shard_shift` (see
/// `SiteCounts`; 64 leaves them in the order they first occur), and with `DECIDE` what
/// deciding which are repeated needs besides: the length of each that is prose (a line
/// that occurs more than once counts as prose by its shortest occurrence) and the place
/// of each of the document's lines among them. Without it (counting the run needs only
/// the distinct lines) no line counts as prose and there are no places.
fn document_lines<const DECIDE: bool>(
    doc: &Document,
    prose_words: usize,
    shard_shift: u32,
) -> DocumentLines {
    SCRATCH.with_borrow_mut(|scratch| {
        let Scratch {
            seen,
            lines,
            places,
        } = scratch;
        // Room for the lines a page dump of this size usually has, but not for a line per
        // 32 bytes of a huge one-line file: all grow when they must.
        let expected = (doc.raw.len() / 32 + 1).min(EXPECTED_LINES_AT_MOST);
        seen.start(expected);
        lines.clear();
        places.clear();
        for line in raw_lines(&doc.raw) {
            // Many lines are empty, which need not be trimmed.
            let (start, end) = if line.is_empty() {
                (0, 0)
            } else {
                trimmed_bounds(line)
            };
            if start == end {
                if DECIDE {
                    places.push(NO_LINE);
                }
                continue;
            }
            let trimmed = &line[start..end];
            let hash = crate::judge::line_hash(trimmed);
            let prose = || {
                if DECIDE && is_prose(line, trimmed, prose_words) {
                    line.len()
                } else {
                    0
                }
            };
            let place = match seen.entry(hash, lines.len() as u32) {
                (index, true) => {
                    lines.push((hash, prose()));
                    index
                }
                // A line seen before counts as prose by its shortest occurrence: once one
                // was not prose, the others need no test.
                (index, false) => {
                    if let Some(known) = lines.get_mut(index as usize) {
                        if known.1 > 0 {
                            known.1 = known.1.min(prose());
                        }
                    }
                    index
                }
            };
            if DECIDE {
                places.push(place);
            }
        }
        let (grouped, shard_ends) = in_shards(lines, shard_shift, places);
        let found = DocumentLines {
            lines: grouped,
            shard_ends,
            places: places.to_vec(),
        };
        // A huge document's room is not kept for the next.
        if lines.capacity() > SeenLines::KEPT {
            *lines = Vec::new();
        }
        if places.capacity() > SeenLines::KEPT {
            *places = Vec::new();
        }
        found
    })
}

/// Per site: how many documents, and in how many of them each line occurs. Counting is
/// order-free, so the counts do not depend on the thread count or on how the run was cut
/// into batches.
///
/// The counts are cut by the top bits of the line hash into shards, one table each, so
/// that a batch is counted in parallel, a task per shard: a document's lines come grouped
/// by shard (`document_lines`), so each task reads its own part of every document. There
/// are two shards per thread (one with one thread); which shard counts a line does not
/// change its count.
struct SiteCounts {
    /// The number of each site: its host, or the input its documents without one came from.
    hosts: FastMap<String, u32>,
    inputs: FastMap<usize, u32>,
    /// How many documents each site has, by its number.
    documents: Vec<u32>,
    shards: Vec<LineCounts>,
    /// A line hash shifted right by this is its shard (64 with one shard: `shard` gives 0).
    shard_shift: u32,
}

impl SiteCounts {
    fn new() -> SiteCounts {
        let threads = rayon::current_num_threads();
        SiteCounts::with_shards(if threads > 1 {
            (threads * 2).next_power_of_two().trailing_zeros().min(8)
        } else {
            0
        })
    }

    /// Counts in `1 << shard_bits` shards.
    fn with_shards(shard_bits: u32) -> SiteCounts {
        SiteCounts {
            hosts: FastMap::default(),
            inputs: FastMap::default(),
            documents: Vec::new(),
            shards: (0..1usize << shard_bits)
                .map(|_| LineCounts::new())
                .collect(),
            shard_shift: 64 - shard_bits,
        }
    }

    fn shard(&self, hash: u64) -> usize {
        hash.checked_shr(self.shard_shift).unwrap_or(0) as usize
    }

    /// The number of a document's site, if it has documents counted.
    fn site(&self, doc: &Document) -> Option<u32> {
        match &doc.site {
            Some(host) => self.hosts.get(host.as_str()).copied(),
            None => self.inputs.get(&doc.input).copied(),
        }
    }

    /// Counts one more document of its site, and gives the site's number.
    fn add_document(&mut self, doc: &Document) -> u32 {
        // A run has fewer than 2^32 documents, so the numbers do not run out.
        let next = u32::try_from(self.documents.len()).unwrap_or(u32::MAX);
        let site = match &doc.site {
            Some(host) => match self.hosts.get(host.as_str()) {
                Some(&site) => site,
                None => *self.hosts.entry(host.clone()).or_insert(next),
            },
            None => *self.inputs.entry(doc.input).or_insert(next),
        };
        match self.documents.get_mut(site as usize) {
            Some(count) => *count = count.saturating_add(1),
            None => self.documents.push(1),
        }
        site
    }

    /// Counts a batch of documents: each one's site (in input order) and its distinct
    /// lines (as `document_lines` gives them for these counts' `shard_shift`), a task per
    /// shard.
    fn add(&mut self, documents: &[Document], lines: &[DocumentLines]) {
        let sites: Vec<u32> = documents.iter().map(|doc| self.add_document(doc)).collect();
        self.shards
            .par_iter_mut()
            .enumerate()
            .for_each(|(shard, shared)| {
                // The tables lie side by side: each task counts into its own away from
                // the others, so no two threads write to one cache line.
                let mut counts = std::mem::replace(shared, LineCounts::empty());
                for (&site, found) in sites.iter().zip(lines) {
                    for &(hash, _) in found.of_shard(shard) {
                        counts.add(hash, site);
                    }
                }
                *shared = counts;
            });
    }

    /// The hashes of a document's lines (as `document_lines` gives them) that enough
    /// documents of its site carry, and whether each of its lines is one of them. They are
    /// gathered in vectors the thread keeps from one document to the next, and copied out
    /// at their exact size.
    fn repeated(&self, config: &Config, doc: &Document, found: &DocumentLines) -> Repeated {
        thread_local! {
            static DECIDED: RefCell<(Vec<u64>, Vec<bool>)> =
                const { RefCell::new((Vec::new(), Vec::new())) };
        }
        let Some(site) = self.site(doc) else {
            return Repeated::none();
        };
        let documents = self.documents.get(site as usize).copied().unwrap_or(0) as f64;
        let needed = (config.min_documents as f64).max(config.min_share * documents);
        let needed_prose = needed.max(config.prose_share * documents);
        // A count reaches a share when it reaches the share rounded up (past the largest
        // count when the share is, which the conversion saturates to).
        let (needed, needed_prose) = (needed.ceil() as u64, needed_prose.ceil() as u64);
        // Each line is looked up once: it is repeated when enough documents carry it, and
        // shared when as many carry it as a line that is not prose needs.
        DECIDED.with_borrow_mut(|(repeated, decided)| {
            repeated.clear();
            decided.clear();
            let mut prose = 0;
            let mut shared = 0;
            for &(hash, len) in &found.lines {
                let seen = u64::from(self.shards[self.shard(hash)].get(hash, site));
                let mut is_repeated = false;
                if seen >= needed {
                    shared += len;
                    if len == 0 || seen >= needed_prose {
                        repeated.push(hash);
                        is_repeated = true;
                    }
                }
                decided.push(is_repeated);
                prose += len;
            }
            // A document most of whose prose other documents carry too is one of several
            // copies of a story, not a page of chrome: its lines are the story's, and finding
            // copies is dedup's business.
            if repeated.is_empty()
                || prose > 0 && shared as f64 >= config.max_copy_share * prose as f64
            {
                return Repeated::none();
            }
            // A line without visible text was counted by the hash 0 when hashes stood for
            // lines: it is repeated when that hash is.
            let blank = repeated.contains(&0);
            let found = Repeated {
                hashes: Arc::from(repeated.as_slice()),
                at: found
                    .places
                    .iter()
                    .map(|&place| decided.get(place as usize).copied().unwrap_or(blank))
                    .collect(),
            };
            // A huge document's room is not kept for the next.
            if repeated.capacity() > SeenLines::KEPT {
                *repeated = Vec::new();
            }
            if decided.capacity() > SeenLines::KEPT {
                *decided = Vec::new();
            }
            found
        })
    }
}

/// What the survey found in one document (see `SiteCounts::repeated`).
struct Repeated {
    /// The hashes of its repeated lines, in no order.
    hashes: Arc<[u64]>,
    /// Whether each of its lines is repeated, in order (empty when `hashes` is, or when the
    /// places of its lines were not asked for).
    at: Vec<bool>,
}

impl Repeated {
    /// No line repeated.
    fn none() -> Repeated {
        Repeated {
            hashes: Arc::from([]),
            at: Vec::new(),
        }
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
        let lines = lines_of::<false>(documents, self.config.prose_words, self.counts.shard_shift);
        self.counts.add(documents, &lines);
    }

    fn apply(&self, documents: &mut [Document]) {
        documents.par_iter_mut().for_each(|doc| {
            let found = document_lines::<true>(doc, self.config.prose_words, 64);
            leave_found(doc, self.counts.repeated(self.config, doc, &found));
        });
    }
}

/// Leaves in a document the hashes of its repeated lines and, when there are any, which of
/// its lines they are, which the judge then reads instead of looking the lines up.
fn leave_found(doc: &mut Document, repeated: Repeated) {
    doc.repeated_at = repeated.at;
    doc.repeated_lines = repeated.hashes;
}

impl Detector for RepeatedLine {
    fn survey(&self) -> Option<Box<dyn Survey + '_>> {
        Some(Box::new(RunCounts {
            config: &self.config,
            counts: SiteCounts::new(),
        }))
    }

    /// The survey with every document at hand: each document's lines are found once, and
    /// counted as a batch read a batch at a time is.
    fn prepare(&self, documents: &mut [Document]) {
        let config = &self.config;
        let mut counts = SiteCounts::new();
        let lines = lines_of::<true>(documents, config.prose_words, counts.shard_shift);
        counts.add(documents, &lines);
        let repeated: Vec<Repeated> = documents
            .par_iter()
            .zip(&lines)
            .map(|(doc, found)| counts.repeated(config, doc, found))
            .collect();
        drop(lines);
        for (doc, repeated) in documents.iter_mut().zip(repeated) {
            leave_found(doc, repeated);
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
        // The repeated lines' hashes in order, sorted when a line must be looked up by its
        // hash (see below).
        let mut sorted: Option<Vec<u64>> = None;
        for &i in &page.text_blocks {
            if !verdicts[i].is_keep() {
                continue;
            }
            // The survey's finding for the raw line holds for the block unless
            // normalisation changed more than the white space at its ends (a carriage
            // return, trailing spaces), which trimming takes off anyway; such a block's
            // text is looked up by its hash.
            let block = &blocks[i];
            let found = match page.doc.repeated_at.get(block.line - 1) {
                Some(&found) if !block.changes.contains(Changes::NFC) => found,
                _ => sorted
                    .get_or_insert_with(|| {
                        let mut sorted = repeated.to_vec();
                        sorted.sort_unstable();
                        sorted
                    })
                    .binary_search(&line_hash(page.trimmed(i)))
                    .is_ok(),
            };
            if !found {
                continue;
            }
            let text = page.trimmed(i);
            if title.is_empty() || !title.starts_with(text) {
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
        let mut table = LineCounts::new();
        let mut map = std::collections::HashMap::new();
        for k in 0..5000u64 {
            // Few distinct keys, 0 among them, many sharing their low bits, on a few sites.
            let hash = (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) % 701) << 20;
            let site = (k % 3) as u32;
            table.add(hash, site);
            *map.entry((hash, site)).or_insert(0u32) += 1;
        }
        for (&(hash, site), &count) in &map {
            assert_eq!(table.get(hash, site), count, "{hash} {site}");
        }
        assert_eq!(table.get(1, 0), 0);
        assert_eq!(table.get(0, 3), 0);
        assert_eq!(LineCounts::empty().get(0, 0), 0);
    }

    #[test]
    fn the_counts_do_not_depend_on_shards_or_batches() {
        // Documents of two sites and of no site, sharing some lines.
        let documents: Vec<Document> = (0..40)
            .map(|i| Document {
                raw: format!(
                    "Menu\nHome {}\nThe story number {i} is told here.\nFooter {}\n",
                    i % 3,
                    i % 7
                ),
                site: (i % 4 != 0).then(|| format!("site{}.example", i % 2)),
                ..Document::default()
            })
            .collect();
        let config = Config::default();
        // Each document's repeated hashes, sorted, and which of its lines they are, with
        // the places of its lines found in the counts' shards.
        let found = |shard_bits: u32, batch: usize| -> Vec<(Vec<u64>, Vec<bool>)> {
            let mut counts = SiteCounts::with_shards(shard_bits);
            for documents in documents.chunks(batch) {
                let lines = lines_of::<false>(documents, config.prose_words, counts.shard_shift);
                counts.add(documents, &lines);
            }
            documents
                .iter()
                .map(|doc| {
                    let found = document_lines::<true>(doc, config.prose_words, counts.shard_shift);
                    let repeated = counts.repeated(&config, doc, &found);
                    let mut hashes = repeated.hashes.to_vec();
                    hashes.sort_unstable();
                    (hashes, repeated.at)
                })
                .collect()
        };
        let expected = found(0, documents.len());
        assert!(expected
            .iter()
            .all(|(found, _)| found.contains(&line_hash("Menu"))));
        assert!(!expected[0]
            .0
            .contains(&line_hash("The story number 0 is told here.")));
        // A line is repeated when its hash is (0 for a blank line).
        for (doc, (hashes, at)) in documents.iter().zip(&expected) {
            let lines: Vec<&str> = doc.raw.lines().collect();
            assert_eq!(at.len(), lines.len());
            for (line, &repeated) in lines.iter().zip(at) {
                let hash = if line.trim().is_empty() {
                    0
                } else {
                    line_hash(line.trim())
                };
                assert_eq!(repeated, hashes.contains(&hash), "{line:?}");
            }
        }
        for (shard_bits, batch) in [(0, 7), (3, documents.len()), (3, 1), (8, 5)] {
            assert_eq!(found(shard_bits, batch), expected, "{shard_bits} {batch}");
        }
    }

    #[test]
    fn the_seen_lines_of_each_document_are_its_own() {
        // Documents of many lines and of few, one after the other in one table, each
        // expected to have fewer lines than it has, so that the table grows.
        let mut seen = SeenLines {
            slots: Vec::new(),
            mask: 0,
            len: 0,
            generation: 0,
        };
        for (doc, lines) in [5000u64, 3, 700, 1, 40_000, 90].into_iter().enumerate() {
            seen.start((lines as usize / 8).max(1));
            let mut map = std::collections::HashMap::new();
            for k in 0..lines * 2 {
                // Each line twice, hashes sharing their low bits, some from other documents.
                let hash = ((k % lines) + doc as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) << 8;
                let index = map.len() as u32;
                let expected = match map.get(&hash) {
                    Some(&known) => (known, false),
                    None => {
                        map.insert(hash, index);
                        (index, true)
                    }
                };
                assert_eq!(seen.entry(hash, index), expected, "{doc} {k}");
            }
            // The slots used are as many as its lines need, not the largest table yet.
            assert!(seen.mask < (map.len() * 4).next_power_of_two().max(16));
        }
    }

    #[test]
    fn lines_are_grouped_by_shard() {
        let lines: Vec<CountedLine> = (0..100u64)
            .map(|k| (k.wrapping_mul(0x9E37_79B9_7F4A_7C15), k as usize))
            .collect();
        // Places of lines, some twice, and of blank lines.
        let places: Vec<u32> = (0..150u32)
            .map(|k| if k % 7 == 3 { NO_LINE } else { k * 13 % 100 })
            .collect();
        for shard_shift in [64, 63, 60, 56] {
            let mut moved = places.clone();
            let (grouped, shard_ends) = in_shards(&lines, shard_shift, &mut moved);
            for (&place, &to) in places.iter().zip(&moved) {
                match lines.get(place as usize) {
                    Some(&line) => assert_eq!(grouped[to as usize], line),
                    None => assert_eq!(to, NO_LINE),
                }
            }
            let found = DocumentLines {
                lines: grouped,
                shard_ends,
                places: Vec::new(),
            };
            let shards = 1usize << (64 - shard_shift);
            let mut all = Vec::new();
            for shard in 0..shards {
                for &line in found.of_shard(shard) {
                    assert_eq!(line.0.checked_shr(shard_shift).unwrap_or(0), shard as u64);
                    all.push(line);
                }
            }
            all.sort_unstable();
            let mut expected = lines.clone();
            expected.sort_unstable();
            assert_eq!(all, expected, "{shard_shift}");
        }
    }

    /// `document_lines` with prose lines of ten words, sorted.
    fn sorted_document_lines(doc: &Document) -> Vec<CountedLine> {
        let mut found = document_lines::<true>(doc, 10, 64).lines;
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
        // Counting finds the same lines, none of them prose, and no places.
        let counted = document_lines::<false>(&doc, 10, 64);
        let mut counted_lines = counted.lines.clone();
        counted_lines.sort_unstable();
        let unprosed: Vec<CountedLine> = found.iter().map(|&(hash, _)| (hash, 0)).collect();
        assert_eq!(counted_lines, unprosed);
        assert!(counted.places.is_empty());
    }

    #[test]
    fn the_places_are_those_of_the_blocks_the_judge_sees() {
        let raw = "Menu\r\n  Share  \n\n\u{a0}\nCafe\u{301}\t\nMOST READ\r\nlast\r\nmenu";
        let doc = Document {
            raw: raw.to_string(),
            ..Document::default()
        };
        let blocks = crate::segment::lines(raw);
        for shard_shift in [64, 62] {
            let found = document_lines::<true>(&doc, 10, shard_shift);
            assert_eq!(found.places.len(), blocks.len());
            for (block, &place) in blocks.iter().zip(&found.places) {
                if block.changes.contains(Changes::NFC) {
                    continue;
                }
                let text = block.text.trim();
                match found.lines.get(place as usize) {
                    Some(&(hash, _)) => assert_eq!(hash, line_hash(text), "{text:?}"),
                    None => assert!(place == NO_LINE && text.is_empty(), "{text:?}"),
                }
            }
        }
    }

    #[test]
    fn words_are_enough_as_counted() {
        let pieces = [
            "a",
            "bc",
            " ",
            "\t",
            "\u{a0}",
            "\u{e9}t\u{e9}",
            "\n",
            "x.",
            "\u{b}",
            "  ",
        ];
        for k in 0..20_000usize {
            // Texts of up to forty bytes from the pieces, picked by the digits of `k`.
            let mut text = String::new();
            let mut digits = k.wrapping_mul(2_654_435_761);
            while text.len() < k % 41 {
                text.push_str(pieces[digits % pieces.len()]);
                digits = digits / pieces.len() + k;
            }
            let words = word_count(&text);
            for enough in 0..12 {
                assert_eq!(
                    has_words(&text, enough),
                    words >= enough,
                    "{text:?} {enough}"
                );
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
        // Lines longer than the piece whose words are counted first: few long words, many
        // words, and a character across the piece's end.
        raw.push_str(&format!(
            "{}.\n",
            ["Antidisestablishmentarianism"; 6].join(" ")
        ));
        raw.push_str(&format!("{} passed it.\n", [words; 3].join(", ")));
        raw.push_str(&format!("xx{}\u{e9}.\n", "\u{e9} ".repeat(50)));
        raw.push_str(&format!(
            "xx{} \u{e9}.\n",
            vec!["\u{e9}".repeat(20); 4].join(" ")
        ));
        let doc = Document {
            raw,
            ..Document::default()
        };
        let found = sorted_document_lines(&doc);
        assert_eq!(found, counted_by_the_judge(&doc.raw));
        assert!(found.iter().filter(|(_, prose)| *prose > 0).count() >= 8);
    }
}
