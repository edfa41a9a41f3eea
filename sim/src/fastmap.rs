//! A fast hash map for name → id look-ups inside the model and the runner.
//!
//! The hasher is a fixed function (no per-process random state), so a map's
//! contents never depend on the run; but the maps built on it are used for
//! look-ups only: nothing iterates them where the order could reach an
//! output (the crate's determinism rule). Where a list in name order is
//! needed, the ids are collected and sorted by name.
//!
//! Not resistant to hash flooding, which does not matter for names the
//! simulator or its own tests choose.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Multiplier of the word-at-a-time mixing step (the `rustc-hash` constant).
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// Word-at-a-time multiplicative hasher with a MurmurHash3 finalizer, so
/// both the low bits (bucket index) and the high bits (tag) are well mixed.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length keeps "a" and "a\0" apart.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_their_ids() {
        let mut m: FastMap<Box<str>, u32> = FastMap::default();
        for i in 0..10_000u32 {
            m.insert(format!("t{i:06}").into(), i);
        }
        for i in 0..10_000u32 {
            assert_eq!(m.get(format!("t{i:06}").as_str()), Some(&i));
        }
        assert_eq!(m.get("t010000"), None);
        assert_eq!(m.get(""), None);
    }

    #[test]
    fn trailing_bytes_and_lengths_hash_apart() {
        let hash = |s: &str| {
            let mut h = FastHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(hash("abcdefgh"), hash("abcdefgh\0"));
        assert_ne!(hash("ab"), hash("ba"));
    }
}
