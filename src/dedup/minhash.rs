//! A document's fingerprint for near-duplicate search: its normalised words hashed once,
//! word 3-shingles as combinations of those hashes, the sorted set of shingle hashes that
//! pairs are verified against, and a one-permutation MinHash sketch cut into LSH bands.
//!
//! One-permutation hashing (each shingle hash falls into one of `BINS` bins, the bin keeps
//! its smallest value; empty bins borrow from another bin along a fixed probe sequence, the
//! "optimal densification" of Shrivastava 2017) costs one pass over the shingles instead of
//! one pass per permutation, and two documents' bins agree with probability about their
//! Jaccard similarity, as with classic MinHash. Bands of `ROWS` bins make candidates.

/// Words per shingle. Three keeps recall for copies with a few edited words (an edit every
/// 30 words still leaves a Jaccard similarity of about 0.84) while sentences that merely share
/// a phrase of news language stay far apart.
pub const SHINGLE_WORDS: usize = 3;
/// Bins of the one-permutation sketch.
pub const BINS: usize = BANDS * ROWS;
/// LSH bands and rows per band, chosen for recall where verification must decide: a pair at
/// Jaccard 0.8 is a candidate with probability above 0.9999, and a copy holding 90% of a text
/// twice its length (Jaccard about 0.43) with probability about 0.95; unrelated texts (Jaccard
/// below 0.05) meet in a band with probability under 0.5%. See `tests::banding_recall`.
pub const BANDS: usize = 36;
pub const ROWS: usize = 3;

/// What near-duplicate search needs of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Normalised words in the text.
    pub words: u32,
    /// A 128-bit hash of the normalised word sequence: equal for exact duplicates.
    pub exact: [u64; 2],
    /// The distinct shingle hashes, sorted; what candidate pairs are verified against.
    pub shingles: Vec<u32>,
    /// One key per LSH band; empty when the text has no words.
    pub bands: Vec<u32>,
}

/// The 64-bit finaliser of MurmurHash3: every input bit affects every output bit.
#[inline]
pub(crate) fn mix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

const SLOW: u32 = u32::MAX;

/// For each ASCII byte: its lower-case form when it is a letter or digit, else 0.
static ASCII: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// For each code point below U+0800 (two bytes in UTF-8, where Latin, Greek, Cyrillic,
/// Hebrew and Arabic letters are): 0 when it is not a letter or digit, `SLOW` when its
/// lower case is several characters, else its lower-case form's UTF-8 bytes packed as
/// `len | b0 << 8 | b1 << 16 | b2 << 24`. Unicode's own lookups cost more than the rest of
/// fingerprinting for such text.
fn two_byte_table() -> &'static [u32; 0x800] {
    static TABLE: std::sync::OnceLock<Box<[u32; 0x800]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Box::new([0u32; 0x800]);
        for (cp, slot) in table.iter_mut().enumerate() {
            let Some(c) = char::from_u32(cp as u32) else {
                continue;
            };
            if !c.is_alphanumeric() {
                continue;
            }
            *slot = SLOW;
            let mut lower = c.to_lowercase();
            if let (Some(l), None) = (lower.next(), lower.next()) {
                let mut buf = [0u8; 4];
                let bytes = l.encode_utf8(&mut buf).as_bytes();
                if bytes.len() <= 3 {
                    let mut packed = bytes.len() as u32;
                    for (i, &b) in bytes.iter().enumerate() {
                        packed |= u32::from(b) << (8 * (i + 1));
                    }
                    *slot = packed;
                }
            }
        }
        table
    })
}

const SEPARATOR: u8 = 0;
const OWN_LOWER_CASE: u8 = 1;

/// For a code point below U+10000: `SEPARATOR` when it is not a letter or digit,
/// `OWN_LOWER_CASE` when it is one and lower-cases to itself (all of CJK, most scripts), else
/// `SLOW` (as u8): the character is decoded and looked up. The answers are tables of 256
/// code points each, built on first use: a run's text uses a handful of them (general
/// punctuation, a script or two), and all of them would cost more to build than
/// fingerprinting a corpus of a few hundred pages.
fn three_byte_class(cp: usize) -> u8 {
    static BLOCKS: [std::sync::OnceLock<[u8; 256]>; 256] =
        [const { std::sync::OnceLock::new() }; 256];
    let block = BLOCKS[(cp >> 8) & 0xFF].get_or_init(|| {
        if own_lower_case_letters_only(cp >> 8) {
            return [OWN_LOWER_CASE; 256];
        }
        let mut table = [SLOW as u8; 256];
        for (offset, slot) in table.iter_mut().enumerate() {
            let Some(c) = char::from_u32(((cp & !0xFF) | offset) as u32) else {
                continue;
            };
            if !c.is_alphanumeric() {
                *slot = SEPARATOR;
            } else {
                let mut lower = c.to_lowercase();
                if let (Some(l), None) = (lower.next(), lower.next()) {
                    if l == c {
                        *slot = OWN_LOWER_CASE;
                    }
                }
            }
        }
        table
    });
    block[cp & 0xFF]
}

/// Whether Unicode fills block `block` (the code points `block << 8` to `block << 8 | 0xFF`)
/// with letters that are their own lower case: the CJK ideographs, their first extension and
/// the Hangul syllables, which most blocks of an East Asian text are in. Their tables need
/// none of the lookups (a few hundred instructions per code point) that cost more than
/// fingerprinting such a text. `tests::tables_agree_with_unicode` checks every code point.
fn own_lower_case_letters_only(block: usize) -> bool {
    matches!(block, 0x34..=0x4C | 0x4E..=0x9F | 0xAC..=0xD6)
}

/// Hashes one word a byte at a time. Bytes are shifted into a 64-bit word and only every
/// eighth byte costs a multiplication, so most words (up to seven bytes) are hashed by one
/// final mix; words never contain a zero byte, so the shifted bytes and the length identify
/// a short word exactly.
#[derive(Clone, Copy)]
struct WordHasher {
    acc: u64,
    h: u64,
    len: u64,
}

impl WordHasher {
    const NEW: WordHasher = WordHasher {
        acc: 0,
        h: 0x243f_6a88_85a3_08d3,
        len: 0,
    };

    #[inline]
    fn push(&mut self, byte: u8) {
        self.acc = (self.acc << 8) | u64::from(byte);
        self.len += 1;
        if self.len % 8 == 0 {
            self.h = mix64(self.h ^ self.acc);
            self.acc = 0;
        }
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn finish(&mut self) -> u64 {
        let hash = mix64(self.h ^ self.acc ^ (self.len << 56));
        *self = WordHasher::NEW;
        hash
    }
}

/// Calls `word` with the hash of each normalised word of `text`: runs of letters and digits,
/// lower-cased; everything else (punctuation, spaces, line breaks) only separates words.
/// ASCII and two-byte characters are classified by table, without Unicode lookups.
pub fn for_each_word(text: &str, mut word: impl FnMut(u64)) {
    let bytes = text.as_bytes();
    let two_byte = two_byte_table();
    let mut w = WordHasher::NEW;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let lower = ASCII[b as usize];
            if lower != 0 {
                w.push(lower);
            } else if !w.is_empty() {
                word(w.finish());
            }
            i += 1;
            continue;
        }
        let packed = if (0xC2..0xE0).contains(&b) && i + 1 < bytes.len() {
            two_byte[(usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F)]
        } else if (0xE0..0xF0).contains(&b) && i + 2 < bytes.len() {
            // Three bytes: curly quotes and dashes, CJK, Indic and other scripts.
            let cp = (usize::from(b & 0x0F) << 12)
                | (usize::from(bytes[i + 1] & 0x3F) << 6)
                | usize::from(bytes[i + 2] & 0x3F);
            match three_byte_class(cp) {
                SEPARATOR => {
                    if !w.is_empty() {
                        word(w.finish());
                    }
                    i += 3;
                    continue;
                }
                OWN_LOWER_CASE => {
                    w.push(b);
                    w.push(bytes[i + 1]);
                    w.push(bytes[i + 2]);
                    i += 3;
                    continue;
                }
                _ => SLOW,
            }
        } else {
            SLOW
        };
        if packed != SLOW {
            if packed != 0 {
                for k in 1..=(packed & 0xff) {
                    w.push(((packed >> (8 * k)) & 0xff) as u8);
                }
            } else if !w.is_empty() {
                word(w.finish());
            }
            i += 2;
            continue;
        }
        // A multi-byte character: `i` is on a character boundary because every earlier step
        // advanced by a whole character.
        let c = text[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for &byte in lower.encode_utf8(&mut buf).as_bytes() {
                    w.push(byte);
                }
            }
        } else if !w.is_empty() {
            word(w.finish());
        }
    }
    if !w.is_empty() {
        word(w.finish());
    }
}

/// The fingerprint of a (clean) text.
pub fn fingerprint(text: &str) -> Fingerprint {
    // Word hashes and the unsorted shingles are scratch space, reused per thread: a run
    // fingerprints hundreds of thousands of documents.
    thread_local! {
        static SCRATCH: std::cell::RefCell<(Vec<u64>, Vec<u32>, Vec<u32>)> =
            Default::default();
    }
    SCRATCH.with(|scratch| {
        let (words, shingles, sort) = &mut *scratch.borrow_mut();
        fingerprint_with(text, words, shingles, sort)
    })
}

fn fingerprint_with(
    text: &str,
    words: &mut Vec<u64>,
    shingles: &mut Vec<u32>,
    sort: &mut Vec<u32>,
) -> Fingerprint {
    words.clear();
    shingles.clear();
    for_each_word(text, |w| words.push(w));
    let exact = exact_hash(words);
    let mut bins = [u32::MAX; BINS];
    let mut filled = [false; BINS];
    let mut add = |h: u64| {
        let bin = ((h & 0xffff_ffff) * BINS as u64) >> 32;
        let value = (h >> 32) as u32;
        let bin = bin as usize;
        filled[bin] = true;
        if value < bins[bin] {
            bins[bin] = value;
        }
        shingles.push(value);
    };
    if words.len() >= SHINGLE_WORDS {
        for w in words.windows(SHINGLE_WORDS) {
            add(shingle_hash(w));
        }
    } else if !words.is_empty() {
        // A text shorter than a shingle is one shorter shingle.
        add(shingle_hash(words));
    }
    bucket_sort(shingles, sort);
    shingles.dedup();
    let shingles = shingles.to_vec();
    let bands = if shingles.is_empty() {
        Vec::new()
    } else {
        densify(&mut bins, &filled);
        band_keys(&bins)
    };
    Fingerprint {
        words: u32::try_from(words.len()).unwrap_or(u32::MAX),
        exact,
        shingles,
        bands,
    }
}

/// Sorts shingle hashes, which are uniformly spread: one pass scatters them into 256 buckets
/// by their top byte, then each bucket (a couple of values on average) is sorted by
/// insertion. For the few hundred shingles of an article this is several times cheaper than
/// a comparison sort.
fn bucket_sort(values: &mut [u32], scratch: &mut Vec<u32>) {
    let n = values.len();
    if n < 64 {
        values.sort_unstable();
        return;
    }
    if scratch.len() < n {
        scratch.resize(n, 0);
    }
    let scratch = &mut scratch[..n];
    let mut starts = [0u32; 257];
    for &v in values.iter() {
        starts[(v >> 24) as usize + 1] += 1;
    }
    for d in 1..257 {
        starts[d] += starts[d - 1];
    }
    let mut next = starts;
    for &v in values.iter() {
        let d = (v >> 24) as usize;
        scratch[next[d] as usize] = v;
        next[d] += 1;
    }
    for d in 0..256 {
        let bucket = &mut scratch[starts[d] as usize..starts[d + 1] as usize];
        if bucket.len() > 32 {
            // Only text made to collide gets here; insertion sort would be quadratic.
            bucket.sort_unstable();
            continue;
        }
        for i in 1..bucket.len() {
            let v = bucket[i];
            let mut j = i;
            while j > 0 && bucket[j - 1] > v {
                bucket[j] = bucket[j - 1];
                j -= 1;
            }
            bucket[j] = v;
        }
    }
    values.copy_from_slice(scratch);
}

/// Order-sensitive combination of a few word hashes: each position rotates by a different
/// amount, so "a b c" and "c b a" differ.
#[inline]
fn shingle_hash(words: &[u64]) -> u64 {
    let mut h = 0u64;
    for (i, w) in words.iter().enumerate() {
        h ^= w.rotate_left(21 * i as u32);
    }
    mix64(h ^ words.len() as u64)
}

fn exact_hash(words: &[u64]) -> [u64; 2] {
    let mut a = 0x243f_6a88_85a3_08d3u64;
    let mut b = 0x1319_8a2e_0370_7344u64;
    for &w in words {
        a = (a.rotate_left(29) ^ w).wrapping_mul(0xff51_afd7_ed55_8ccd);
        b = (b.rotate_left(23) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    [mix64(a), mix64(b ^ words.len() as u64)]
}

/// Fills each empty bin from the first non-empty bin along its own fixed pseudo-random probe
/// sequence, the same for every document, so two documents' densified bins agree with the
/// probability their shingle sets overlap.
fn densify(bins: &mut [u32; BINS], filled: &[bool; BINS]) {
    let original = *bins;
    for i in 0..BINS {
        if filled[i] {
            continue;
        }
        let mut attempt = 1u64;
        loop {
            let j = ((mix64(((i as u64) << 32) | attempt) & 0xffff_ffff) * BINS as u64) >> 32;
            if filled[j as usize] {
                bins[i] = original[j as usize];
                break;
            }
            attempt += 1;
        }
    }
}

fn band_keys(bins: &[u32; BINS]) -> Vec<u32> {
    bins.chunks_exact(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = (band as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            for &r in rows {
                h = mix64(h ^ u64::from(r));
            }
            h as u32
        })
        .collect()
}

/// How much two documents' shingle sets overlap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlap {
    /// Jaccard similarity: shared shingles over all shingles of either.
    pub similarity: f64,
    /// Shared shingles over the shingles of the smaller document: 1.0 when one is a
    /// truncated copy of the other.
    pub containment: f64,
    /// Shingles of the smaller document.
    pub smaller: usize,
}

/// Compares two sorted, distinct shingle sets.
pub fn overlap(a: &[u32], b: &[u32]) -> Overlap {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    let smaller = a.len().min(b.len());
    Overlap {
        similarity: if union == 0 {
            0.0
        } else {
            shared as f64 / union as f64
        },
        containment: if smaller == 0 {
            0.0
        } else {
            shared as f64 / smaller as f64
        },
        smaller,
    }
}

/// Like `overlap`, but gives up (`None`) as soon as fewer than `need` shingles can still be
/// shared. Most candidates from LSH share a few shingles and no more; walking the smaller
/// set and counting its misses rejects them after a small part of it.
pub fn overlap_at_least(a: &[u32], b: &[u32], need: usize) -> Option<Overlap> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if need > small.len() {
        return None;
    }
    let allowed_misses = small.len() - need;
    let (mut j, mut shared, mut misses) = (0, 0usize, 0usize);
    for &x in small {
        while j < large.len() && large[j] < x {
            j += 1;
        }
        if j < large.len() && large[j] == x {
            shared += 1;
            j += 1;
        } else {
            misses += 1;
            if misses > allowed_misses {
                return None;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    Some(Overlap {
        similarity: if union == 0 {
            0.0
        } else {
            shared as f64 / union as f64
        },
        containment: if small.is_empty() {
            0.0
        } else {
            shared as f64 / small.len() as f64
        },
        smaller: small.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w));
        out
    }

    /// The definition `for_each_word` implements with its tables and 8-byte steps: runs of
    /// alphanumeric characters, lower-cased, each byte pushed into the hasher one by one.
    fn words_by_definition(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let mut w = WordHasher::NEW;
        for c in text.chars() {
            if c.is_alphanumeric() {
                for lower in c.to_lowercase() {
                    let mut buf = [0u8; 4];
                    lower.encode_utf8(&mut buf).bytes().for_each(|b| w.push(b));
                }
            } else if !w.is_empty() {
                out.push(w.finish());
            }
        }
        if !w.is_empty() {
            out.push(w.finish());
        }
        out
    }

    proptest! {
        #[test]
        fn word_hashes_follow_their_definition(
            text in "([a-zA-Z0-9]{0,20}|[ .,:'\n_-]{1,3}|[éÉßİŁœ]|[中文]|[\\x{80}-\\x{10FFFF}]){0,40}"
        ) {
            prop_assert_eq!(words(&text), words_by_definition(&text));
        }
    }

    #[test]
    fn word_hashes_follow_their_definition_around_eight_bytes() {
        for text in [
            "abcdefgh",
            "abcdefghi jk",
            "ABCDEFGHIJKLMNOPQ",
            "abcdefg\u{e9}xyz",
            "12345678\u{e9}",
            "Zürich-Oerlikon_2026 \u{130}stanbul",
            "a_b",
        ] {
            assert_eq!(words(text), words_by_definition(text), "{text:?}");
        }
    }

    #[test]
    fn words_ignore_case_punctuation_and_spacing() {
        assert_eq!(
            words("The  Minister, said:\n\"Yes.\""),
            words("the minister said yes")
        );
        assert_eq!(words("ÉTÉ à Zürich"), words("été À zürich"));
        assert_eq!(words("...").len(), 0);
        assert_eq!(words("don't stop").len(), 3);
        assert_ne!(words("a b"), words("ab"));
        // Long words are hashed in eight-byte pieces; nearby long words still differ.
        let long = words("internationalisation internationalisations internationalisatiom");
        assert!(long[0] != long[1] && long[0] != long[2] && long[1] != long[2]);
        let mut distinct: Vec<u64> = (0..20_000)
            .flat_map(|i| words(&format!("w{i} word{i}x")))
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 40_000);
    }

    /// The Unicode-lookup way of hashing words, which the tables must agree with.
    fn words_slowly(text: &str) -> Vec<u64> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut h = WordHasher::NEW;
                let lower: String = w.chars().flat_map(char::to_lowercase).collect();
                for b in lower.bytes() {
                    h.push(b);
                }
                h.finish()
            })
            .collect()
    }

    #[test]
    fn bucket_sort_sorts() {
        for n in [0, 1, 63, 64, 65, 1000] {
            let mut v: Vec<u32> = (0..n).map(|i| mix64(i as u64) as u32).collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            bucket_sort(&mut v, &mut Vec::new());
            assert_eq!(v, expected);
        }
        // Skewed values all in one bucket still sort.
        let mut skewed: Vec<u32> = (0..500).map(|i| (mix64(i) as u32) >> 12).collect();
        let mut expected = skewed.clone();
        expected.sort_unstable();
        bucket_sort(&mut skewed, &mut vec![7; 3]);
        assert_eq!(skewed, expected);
    }

    #[test]
    fn tables_agree_with_unicode() {
        let mut all = String::new();
        for cp in 0..0x10000u32 {
            if let Some(c) = char::from_u32(cp) {
                all.push(c);
                all.push(if cp % 3 == 0 { ' ' } else { 'x' });
            }
        }
        all.push_str(" İstanbul ΣΑΣ Ǆemal ﬁnance 中文 𝐀b");
        assert_eq!(words(&all), words_slowly(&all));
    }

    #[test]
    fn exact_duplicates_after_normalising_share_every_hash() {
        let a = fingerprint("Storm hits the coast.\n\nThousands without power.");
        let b = fingerprint("STORM hits the coast   thousands without power!!");
        assert_eq!(a, b);
        let c = fingerprint("Storm hits the coast. Thousands without water.");
        assert_ne!(a.exact, c.exact);
    }

    #[test]
    fn shingle_order_matters() {
        assert_ne!(fingerprint("a b c").shingles, fingerprint("c b a").shingles);
    }

    #[test]
    fn short_texts_have_one_shingle_and_empty_texts_none() {
        assert_eq!(fingerprint("Breaking news").shingles.len(), 1);
        let empty = fingerprint(" -- \n");
        assert!(empty.shingles.is_empty() && empty.bands.is_empty());
        assert_eq!(empty.words, 0);
    }

    #[test]
    fn overlap_at_least_agrees_with_overlap_or_gives_up() {
        let a: Vec<u32> = (0..300).map(|i| i * 3).collect();
        let b: Vec<u32> = (0..400).map(|i| i * 2).collect();
        let full = overlap(&a, &b);
        let shared = (full.containment * 300.0).round() as usize;
        assert_eq!(overlap_at_least(&a, &b, shared), Some(full));
        assert_eq!(overlap_at_least(&b, &a, 0), Some(full));
        assert_eq!(overlap_at_least(&a, &b, shared + 1), None);
        assert_eq!(overlap_at_least(&a, &b, 301), None);
    }

    #[test]
    fn overlap_counts_shared_shingles() {
        let o = overlap(&[1, 2, 3, 4], &[2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(o.similarity, 3.0 / 9.0);
        assert_eq!(o.containment, 3.0 / 4.0);
        assert_eq!(o.smaller, 4);
        assert_eq!(overlap(&[], &[]).similarity, 0.0);
    }

    /// Probability that a pair with Jaccard `j` shares at least one band.
    fn candidate_probability(j: f64) -> f64 {
        1.0 - (1.0 - j.powi(ROWS as i32)).powi(BANDS as i32)
    }

    #[test]
    fn banding_recall() {
        assert!(candidate_probability(0.8) > 0.9999);
        // A copy holding 90% of a text twice its length.
        let contained = 0.9 / (2.0 + 0.1);
        assert!(candidate_probability(contained) > 0.94);
        assert!(candidate_probability(0.05) < 0.005);
    }

    fn text(seed: u64, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("w{}", mix64(seed * 1_000_003 + i as u64) % 5000))
            .collect()
    }

    #[test]
    fn sketch_bins_agree_about_as_often_as_the_sets_overlap() {
        // Two texts sharing a long middle: the share of agreeing bands must follow the
        // verified Jaccard similarity closely enough for banding to find the pair.
        let base = text(1, 600);
        let mut other = base.clone();
        for i in (0..600).step_by(25) {
            other[i] = format!("edit{i}");
        }
        let a = fingerprint(&base.join(" "));
        let b = fingerprint(&other.join(" "));
        let j = overlap(&a.shingles, &b.shingles).similarity;
        assert!(j > 0.75 && j < 0.9, "{j}");
        let agreeing = a.bands.iter().zip(&b.bands).filter(|(x, y)| x == y).count();
        let expected = j.powi(ROWS as i32) * BANDS as f64;
        assert!(
            (agreeing as f64 - expected).abs() < 10.0,
            "{agreeing} vs {expected}"
        );
        let unrelated = fingerprint(&text(2, 600).join(" "));
        assert_eq!(
            a.bands
                .iter()
                .zip(&unrelated.bands)
                .filter(|(x, y)| x == y)
                .count(),
            0
        );
    }
}
