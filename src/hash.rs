//! A fast hasher for the maps whose keys are short texts from the rules and the run (rule
//! ids, sites, reasons, words): eight bytes per step, where the standard library's
//! SipHash spends a hundred instructions or more on setting up and finishing each key. The
//! keys come from the rules and one run, so the keyed hash's protection against chosen
//! collisions is not needed.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::dedup::minhash::mix64;

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
        // MurmurHash3's finaliser, so that the table's bits of the hash (its low bits for
        // the slot, its top bits for the tag) depend on every byte.
        mix64(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(bytes: &[u8]) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(bytes)
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
