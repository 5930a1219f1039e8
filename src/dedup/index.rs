//! The kept documents of near-duplicate search: their LSH band keys in one compact hash table,
//! their shingle sets for verification, and the file format that carries them from one run to
//! the next so tomorrow's batch is checked against today's without hashing today's again.
//!
//! Only kept documents are indexed: a copy is only ever compared with kept documents, so
//! dropped copies need no band entries. The band table is an open-addressing multimap of
//! 8-byte slots (32-bit band key, document number), a few hundred bytes per kept document,
//! where a general hash map of vectors would cost several times that.
//!
//! The file starts with a magic line and a version, then the settings the fingerprints were
//! made with, and ends with a checksum of everything before it. Reading checks all of them
//! and every length inside, so a truncated, corrupt or foreign file is an error that names
//! the file, never an empty index.

use std::collections::HashMap;
use std::path::Path;

use super::minhash::{mix64, BANDS, ROWS, SHINGLE_WORDS};
use super::Candidate;

/// A kept document.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    /// Position in the current run's input, or `None` for a document from an index file.
    pub position: Option<usize>,
    /// Clean text length in bytes.
    pub len: u64,
    pub exact: [u64; 2],
    pub shingles: Vec<u32>,
    /// Ids of the copies dropped in its favour, in the order they were decided.
    pub members: Vec<String>,
}

/// Kept documents with their band table.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    table: BandTable,
    exact: HashMap<[u64; 2], u32>,
}

impl Index {
    pub fn new() -> Index {
        Index::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, kept: usize) -> &Entry {
        &self.entries[kept]
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(crate) fn shingles(&self, kept: usize) -> &[u32] {
        &self.entries[kept].shingles
    }

    /// The kept document whose normalised text has this hash.
    pub(crate) fn exact(&self, hash: &[u64; 2]) -> Option<usize> {
        self.exact.get(hash).map(|&k| k as usize)
    }

    /// The kept documents sharing a band with `bands`, ascending and without repeats.
    pub(crate) fn candidates(&self, bands: &[u32], out: &mut Vec<usize>) {
        out.clear();
        for (band, &key) in bands.iter().enumerate() {
            self.table
                .for_each(band_slot_key(band, key), |kept| out.push(kept as usize));
        }
        out.sort_unstable();
        out.dedup();
    }

    pub(crate) fn add_kept(&mut self, candidate: Candidate, position: Option<usize>) {
        let fp = candidate.fingerprint;
        let keys: Vec<u32> = fp
            .bands
            .iter()
            .enumerate()
            .map(|(band, &key)| band_slot_key(band, key))
            .collect();
        self.push(
            Entry {
                id: candidate.id,
                position,
                len: candidate.len as u64,
                exact: fp.exact,
                shingles: fp.shingles,
                members: Vec::new(),
            },
            &keys,
        );
    }

    /// Adds a kept document with its band table keys (band numbers already folded in).
    fn push(&mut self, entry: Entry, keys: &[u32]) {
        let number = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        for &key in keys {
            self.table.insert(key, number);
        }
        self.exact.entry(entry.exact).or_insert(number);
        self.entries.push(entry);
    }

    pub(crate) fn add_member(&mut self, kept: usize, id: String) {
        self.entries[kept].members.push(id);
    }

    /// Bytes held by the search structures (band table, exact-text map, per-document
    /// records), not counting the shingle sets kept for verification.
    pub fn index_bytes(&self) -> usize {
        let table = self.table.slots.capacity() * 8;
        // A hashbrown map stores its entries in buckets, 8/7 of its capacity rounded up to a
        // power of two, plus one control byte per bucket.
        let buckets = (self.exact.capacity() * 8 / 7).next_power_of_two();
        let exact = buckets * (16 + 4 + 1);
        let entries: usize = self
            .entries
            .iter()
            .map(|e| {
                std::mem::size_of::<Entry>()
                    + e.id.capacity()
                    + e.members.iter().map(|m| m.capacity() + 24).sum::<usize>()
            })
            .sum();
        table + exact + entries
    }

    /// Bytes of the shingle sets kept for verification.
    pub fn shingle_bytes(&self) -> usize {
        self.entries.iter().map(|e| e.shingles.capacity() * 4).sum()
    }

    /// The bytes of an index file holding every kept document.
    fn serialise(&self) -> Vec<u8> {
        // Band keys live only in the table; each document's are collected from there.
        let mut keys: Vec<Vec<u32>> = vec![Vec::new(); self.entries.len()];
        self.table
            .for_all(|key, document| keys[document as usize].push(key));
        for k in &mut keys {
            k.sort_unstable();
        }
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, VERSION);
        for setting in settings() {
            put_u32(&mut out, setting);
        }
        put_u32(&mut out, self.entries.len() as u32);
        for (e, keys) in self.entries.iter().zip(&keys) {
            put_str(&mut out, &e.id);
            put_u64(&mut out, e.len);
            put_u64(&mut out, e.exact[0]);
            put_u64(&mut out, e.exact[1]);
            put_u32(&mut out, keys.len() as u32);
            for &key in keys {
                put_u32(&mut out, key);
            }
            put_u32(&mut out, e.shingles.len() as u32);
            let mut previous = 0u32;
            for &s in &e.shingles {
                put_varint(&mut out, s - previous);
                previous = s;
            }
            put_u32(&mut out, e.members.len() as u32);
            for m in &e.members {
                put_str(&mut out, m);
            }
        }
        let sum = checksum(&out);
        put_u64(&mut out, sum);
        out
    }

    /// Writes the index to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        crate::output::write_atomic(path, &self.serialise())
            .map_err(|e| format!("cannot write the index {}: {e}", path.display()))
    }

    /// Reads an index written by `save`. A missing file is `Ok(None)`; anything else that is
    /// not a whole index of this version and these settings is an error naming the file.
    pub fn load(path: &Path) -> Result<Option<Index>, String> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read the index {}: {e}", path.display())),
        };
        Index::parse(&bytes)
            .map(Some)
            .map_err(|why| format!("{} is not a usable dedup index: {why}", path.display()))
    }

    fn parse(bytes: &[u8]) -> Result<Index, String> {
        if !bytes.starts_with(MAGIC) {
            return Err("it does not start with the newsclean index header".into());
        }
        if bytes.len() < MAGIC.len() + 4 + 8 {
            return Err("it is truncated".into());
        }
        let mut r = Reader {
            bytes: &bytes[..bytes.len() - 8],
            at: MAGIC.len(),
        };
        let version = r.u32()?;
        if version != VERSION {
            return Err(format!(
                "it has format version {version}; this newsclean reads version {VERSION}"
            ));
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        let stored = u64::from_le_bytes(sum.try_into().map_err(|_| "it is truncated")?);
        if checksum(body) != stored {
            return Err("its checksum does not match (truncated or corrupt)".into());
        }
        for (name, expected) in ["shingle words", "bands", "rows", "hash scheme"]
            .iter()
            .zip(settings())
        {
            let found = r.u32()?;
            if found != expected {
                return Err(format!(
                    "it was made with {name} = {found}, this newsclean uses {expected}"
                ));
            }
        }
        let count = r.u32()? as usize;
        let mut index = Index::new();
        for _ in 0..count {
            let id = r.string()?;
            let len = r.u64()?;
            let exact = [r.u64()?, r.u64()?];
            let k = r.u32()? as usize;
            if k > BANDS {
                return Err("a document has more band keys than bands".into());
            }
            let mut keys = Vec::with_capacity(k);
            for _ in 0..k {
                keys.push(r.u32()?);
            }
            let n = r.u32()? as usize;
            if n > r.remaining() {
                return Err("a shingle count runs past the end".into());
            }
            let mut shingles = Vec::with_capacity(n);
            let mut value = 0u32;
            for i in 0..n {
                let delta = r.varint()?;
                if i > 0 && delta == 0 {
                    return Err("shingles are not strictly ascending".into());
                }
                value = value
                    .checked_add(delta)
                    .ok_or("a shingle value overflows")?;
                shingles.push(value);
            }
            let m = r.u32()? as usize;
            if m > r.remaining() {
                return Err("a member count runs past the end".into());
            }
            let mut members = Vec::with_capacity(m);
            for _ in 0..m {
                members.push(r.string()?);
            }
            index.push(
                Entry {
                    id,
                    position: None,
                    len,
                    exact,
                    shingles,
                    members,
                },
                &keys,
            );
        }
        if r.remaining() != 0 {
            return Err("it has bytes after its last document".into());
        }
        Ok(index)
    }
}

const MAGIC: &[u8] = b"newsclean dedup index\n";
const VERSION: u32 = 1;
/// Bumped whenever words, shingles or sketches are hashed differently.
const HASH_SCHEME: u32 = 2;

fn settings() -> [u32; 4] {
    [SHINGLE_WORDS as u32, BANDS as u32, ROWS as u32, HASH_SCHEME]
}

/// Band number folded into the key so one table serves all bands.
fn band_slot_key(band: usize, key: u32) -> u32 {
    key ^ (mix64(band as u64 + 1) as u32)
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = mix64(h ^ u64::from_le_bytes(word)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    mix64(h ^ u64::from_le_bytes(last))
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        if n > self.remaining() {
            return Err("it is truncated".into());
        }
        let slice = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> Result<u64, String> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| "a document id is not UTF-8".to_string())
    }

    fn varint(&mut self) -> Result<u32, String> {
        let mut value = 0u32;
        for shift in [0, 7, 14, 21, 28] {
            let b = self.take(1)?[0];
            let part = u32::from(b & 0x7f);
            if shift == 28 && part > 0x0f {
                return Err("a number is too large".into());
            }
            value |= part << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number is too long".into())
    }
}

/// An open-addressing multimap from 32-bit keys to document numbers: 8-byte slots, linear
/// probing, grown to keep at most 75% of slots in use. Keys may repeat.
#[derive(Debug, Default)]
struct BandTable {
    /// `(key << 32) | (document + 1)`; 0 is an empty slot.
    slots: Vec<u64>,
    used: usize,
}

impl BandTable {
    /// The slot a key's probe starts at: the key's mixed bits scaled to the table length,
    /// which need not be a power of two.
    fn home(&self, key: u32) -> usize {
        let mixed = u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
        ((mixed * self.slots.len() as u64) >> 32) as usize
    }

    fn insert(&mut self, key: u32, document: u32) {
        if (self.used + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        self.place((u64::from(key) << 32) | (u64::from(document) + 1));
        self.used += 1;
    }

    fn place(&mut self, slot: u64) {
        let mut at = self.home((slot >> 32) as u32);
        while self.slots[at] != 0 {
            at = self.next(at);
        }
        self.slots[at] = slot;
    }

    #[inline]
    fn next(&self, at: usize) -> usize {
        if at + 1 == self.slots.len() {
            0
        } else {
            at + 1
        }
    }

    /// Grows by half, so slots stay between half and three quarters used: a few hundred
    /// bytes per kept document where doubling would leave up to two thirds empty.
    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.slots = vec![0; (old.len() + old.len() / 2).max(64)];
        for slot in old.into_iter().filter(|&s| s != 0) {
            self.place(slot);
        }
    }

    /// Calls `f(key, document)` for every slot in use.
    fn for_all(&self, mut f: impl FnMut(u32, u32)) {
        for &slot in self.slots.iter().filter(|&&s| s != 0) {
            f((slot >> 32) as u32, (slot & 0xffff_ffff) as u32 - 1);
        }
    }

    fn for_each(&self, key: u32, mut f: impl FnMut(u32)) {
        if self.slots.is_empty() {
            return;
        }
        let mut at = self.home(key);
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return;
            }
            if (slot >> 32) as u32 == key {
                f((slot & 0xffff_ffff) as u32 - 1);
            }
            at = self.next(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::{decide, fingerprint, Config};

    fn sample() -> Index {
        let mut index = Index::new();
        let texts: Vec<String> = (0..30)
            .map(|i| {
                (0..120)
                    .map(|w| format!("t{}", mix64(i / 2 * 1000 + w) % 900))
                    .collect::<Vec<_>>()
                    .join(" ")
                    + if i % 2 == 1 { " tail" } else { "" }
            })
            .collect();
        let candidates = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Candidate {
                id: format!("doc {i}"),
                len: t.len(),
                fingerprint: fingerprint(t),
            })
            .collect();
        decide(&mut index, candidates, &Config::default());
        index
    }

    #[test]
    fn table_finds_every_key_it_holds() {
        let mut table = BandTable::default();
        for d in 0..5000u32 {
            table.insert(d % 1000, d);
        }
        let mut found = Vec::new();
        table.for_each(7, |d| found.push(d));
        found.sort();
        assert_eq!(found, vec![7, 1007, 2007, 3007, 4007]);
        let mut none = 0;
        table.for_each(5000, |_| none += 1);
        assert_eq!(none, 0);
    }

    #[test]
    fn saved_index_reads_back_the_same() {
        let index = sample();
        assert_eq!(index.len(), 15);
        let bytes = index.serialise();
        let back = Index::parse(&bytes).unwrap();
        assert_eq!(back.len(), index.len());
        for (a, b) in index.entries().iter().zip(back.entries()) {
            assert_eq!((&a.id, a.len, a.exact), (&b.id, b.len, b.exact));
            assert_eq!((&a.shingles, &a.members), (&b.shingles, &b.members));
            assert_eq!(b.position, None);
        }
        assert_eq!(back.serialise(), bytes);
    }

    #[test]
    fn damaged_or_foreign_files_are_errors() {
        let bytes = sample().serialise();
        assert!(Index::parse(b"").is_err());
        assert!(Index::parse(b"{\"not\": \"an index\"}").is_err());
        assert!(Index::parse(&bytes[..bytes.len() - 1]).is_err());
        assert!(Index::parse(&bytes[..MAGIC.len() + 2]).is_err());
        for at in [MAGIC.len() + 1, bytes.len() / 2, bytes.len() - 3] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x10;
            assert!(Index::parse(&bad).is_err(), "flipped byte {at}");
        }
        let mut other_version = bytes.clone();
        other_version[MAGIC.len()] = 9;
        let err = Index::parse(&other_version).unwrap_err();
        assert!(err.contains("version 9"), "{err}");
    }

    /// Re-seals a changed body with a valid checksum, as a buggy or hostile writer would.
    fn resealed(mut body: Vec<u8>) -> Vec<u8> {
        let sum = checksum(&body);
        body.extend_from_slice(&sum.to_le_bytes());
        body
    }

    #[test]
    fn lengths_inside_a_checksummed_file_are_checked_too() {
        let bytes = sample().serialise();
        let body = &bytes[..bytes.len() - 8];
        // Every four-byte field set to a huge number, and every truncation, in turn: the
        // reader must refuse or accept, never panic or allocate without bound.
        for at in (MAGIC.len()..body.len().saturating_sub(4)).step_by(7) {
            let mut bad = body.to_vec();
            bad[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
            let _ = Index::parse(&resealed(bad));
        }
        for end in (MAGIC.len()..body.len()).step_by(5) {
            assert!(
                Index::parse(&resealed(body[..end].to_vec())).is_err(),
                "cut at {end}"
            );
        }
        assert!(Index::parse(&resealed(body.to_vec())).is_ok());
    }

    #[test]
    fn an_empty_index_is_valid() {
        let bytes = Index::new().serialise();
        assert_eq!(Index::parse(&bytes).unwrap().len(), 0);
    }
}
