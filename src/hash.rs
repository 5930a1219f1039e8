//! A fast hasher for the maps whose keys are short texts from the rules and the run (rule
//! ids, sites, reasons, phrases, words): eight bytes per step, where the standard library's
//! SipHash spends a hundred instructions or more on setting up and finishing each key. The
//! keys come from the rules and one run, so the keyed hash's protection against chosen
//! collisions is not needed.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::judge::ascii_lowercase_word;

/// A `HashMap` with `FastHasher`.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A `HashSet` with `FastHasher`.
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

#[derive(Default)]
pub struct FastHasher(u64);

impl FastHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.mix(<[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes));
        }
        let rest = words.remainder();
        let last = rest
            .iter()
            .rev()
            .fold(rest.len() as u64, |word, &b| word << 8 | u64::from(b));
        self.mix(last);
    }

    fn write_u8(&mut self, b: u8) {
        self.mix(u64::from(b));
    }

    fn finish(&self) -> u64 {
        // The finaliser of MurmurHash3, so that the table's bits of the hash (its low bits
        // for the slot, its top bits for the tag) depend on every byte.
        let mut hash = self.0;
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        hash ^ (hash >> 33)
    }
}

/// The hash of `bytes` with ASCII capitals taken as small letters: two texts that are equal
/// ignoring ASCII case hash alike. Eight bytes are lower-cased and mixed in per step.
pub fn hash_ignoring_ascii_case(bytes: &[u8]) -> u64 {
    let mut hasher = FastHasher::default();
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let word = <[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes);
        hasher.mix(ascii_lowercase_word(word));
    }
    let rest = words.remainder();
    let last = rest.iter().rev().fold(rest.len() as u64, |word, &b| {
        word << 8 | u64::from(b.to_ascii_lowercase())
    });
    hasher.mix(last);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(bytes: &[u8]) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(bytes)
    }

    #[test]
    fn hashes_ignore_ascii_case_only() {
        let text = b"Share This Story On FACEBOOK \xc3\x89";
        assert_eq!(
            hash_ignoring_ascii_case(text),
            hash_ignoring_ascii_case(&text.to_ascii_lowercase())
        );
        assert_ne!(
            hash_ignoring_ascii_case(b"share this"),
            hash_ignoring_ascii_case(b"share that")
        );
        // Other capitals are other bytes.
        assert_ne!(
            hash_ignoring_ascii_case("É".as_bytes()),
            hash_ignoring_ascii_case("é".as_bytes())
        );
    }

    #[test]
    fn every_byte_and_the_length_count() {
        let base = b"share this story!".to_vec();
        let mut seen = FastSet::default();
        seen.insert(hash(&base));
        for at in 0..base.len() {
            let mut changed = base.clone();
            changed[at] ^= 1;
            assert!(seen.insert(hash(&changed)), "byte {at}");
        }
        // Trailing zero bytes are not lost.
        assert_ne!(hash(b"ab"), hash(b"ab\0"));
        assert_ne!(hash(b""), hash(b"\0"));
    }
}
