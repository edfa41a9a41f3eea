//! Seeded random streams, one per model component, and the primitive draws.
//!
//! # Stream derivation (stable, documented, machine independent)
//!
//! A component is named by one or more string parts, e.g. `["restore",
//! "tenants1-dpt-recovery", "contosoconcerthall"]`. Its name hash is
//! FNV-1a 64 ([`fnv1a_64_parts`]) over the UTF-8 bytes of the parts, each part
//! followed by the byte `0xFF` (a byte that never occurs in UTF-8, so
//! `["ab","c"]` and `["a","bc"]` differ).
//!
//! The ChaCha8 key (32 bytes) is `seed` as 8 little-endian bytes, then the
//! name hash as 8 little-endian bytes, then 16 zero bytes. The ChaCha stream
//! id is the draw index (0 for the first use of a component, 1 for the
//! second, ...). So a component's draws depend only on the seed, its own
//! name and how many times it drew before; adding a component or changing
//! the order of requests on other components does not shift them.
//!
//! Floating-point transforms use the `libm` crate (pure Rust), so draws are
//! identical on every machine.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// FNV-1a 64-bit offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Streaming FNV-1a 64 (offset basis 0xcbf29ce484222325, prime
/// 0x100000001b3): the one implementation behind [`fnv1a_64`],
/// [`fnv1a_64_parts`] and the event-log digest ([`crate::digest`]).
///
/// Contract: feeding bytes in any number of pieces gives the hash of their
/// concatenation; the values never change between versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self::new()
    }
}

impl Fnv1a {
    /// The hash of nothing (the offset basis).
    pub const fn new() -> Self {
        Self(FNV_OFFSET)
    }

    /// Feeds one byte.
    pub const fn byte(self, b: u8) -> Self {
        Self((self.0 ^ b as u64).wrapping_mul(FNV_PRIME))
    }

    /// Feeds `bytes`.
    pub const fn update(mut self, bytes: &[u8]) -> Self {
        let mut i = 0;
        while i < bytes.len() {
            self = self.byte(bytes[i]);
            i += 1;
        }
        self
    }

    /// The hash of everything fed so far.
    pub const fn finish(self) -> u64 {
        self.0
    }
}

/// FNV-1a 64 of `bytes` (see [`Fnv1a`]).
///
/// Contract: a fixed function; its values never change between versions.
pub const fn fnv1a_64(bytes: &[u8]) -> u64 {
    Fnv1a::new().update(bytes).finish()
}

/// FNV-1a 64 over `parts`, each part's UTF-8 bytes followed by `0xFF`.
///
/// Contract: stable across versions; `fnv1a_64_parts(&[s])` equals
/// `fnv1a_64` of `s`'s bytes followed by `0xFF`.
pub fn fnv1a_64_parts(parts: &[&str]) -> u64 {
    parts
        .iter()
        .fold(Fnv1a::new(), |h, part| h.update(part.as_bytes()).byte(0xFF))
        .finish()
}

/// The ChaCha8 generator for the component whose name hash is `name_hash`,
/// at draw index `index` (see the module docs for the exact derivation).
pub fn stream_rng(seed: u64, name_hash: u64, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&name_hash.to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(index);
    rng
}

/// [`Draws`] for the component named by `parts`, draw index `index`.
pub fn component_draws(seed: u64, parts: &[&str], index: u64) -> Draws {
    Draws::new(stream_rng(seed, fnv1a_64_parts(parts), index))
}

/// 2^-53, the spacing of the 53-bit uniform grid.
const UNIT: f64 = 1.0 / 9_007_199_254_740_992.0;

/// Primitive draws over one ChaCha8 stream.
///
/// Contract: every method consumes a fixed number of `u64`s from the stream
/// (documented per method), so the sequence of values is a pure function of
/// the stream and the sequence of calls.
pub struct Draws {
    rng: ChaCha8Rng,
}

impl Draws {
    /// Wraps a generator.
    pub fn new(rng: ChaCha8Rng) -> Self {
        Self { rng }
    }

    /// The next raw `u64` (one draw).
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// Uniform in `[0, 1)` on a 2^-53 grid (one draw).
    pub fn unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * UNIT
    }

    /// Uniform in `(0, 1]` on a 2^-53 grid (one draw); safe to take `ln` of.
    pub fn open_unit(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) + 1) as f64 * UNIT
    }

    /// `true` with probability `p` (one draw). `p <= 0` is never, `p >= 1`
    /// always; NaN is never.
    pub fn bernoulli(&mut self, p: f64) -> bool {
        let u = self.unit();
        u < p
    }

    /// A standard normal deviate by the Box-Muller transform, cosine branch
    /// (two draws).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = self.open_unit();
        let u2 = self.unit();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// `median * exp(sigma * Z)` for a standard normal Z (two draws): a
    /// lognormal with the given median. Non-finite results become 0.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        let z = self.standard_normal();
        let v = median * libm::exp(sigma * z);
        if v.is_finite() { v } else { 0.0 }
    }

    /// Exponential with the given mean (one draw); 0 when `mean <= 0`.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        let u = self.open_unit();
        if mean > 0.0 {
            -mean * libm::log(u)
        } else {
            0.0
        }
    }

    /// Uniform integer in `[min, max]` (one draw); `min` when `max <= min`.
    pub fn uniform_u64(&mut self, min: u64, max: u64) -> u64 {
        let raw = self.rng.next_u64();
        if max <= min {
            return min;
        }
        let span = u128::from(max - min) + 1;
        // Multiply-shift: bias below 2^-64 per value, and no loop, so the
        // number of draws stays fixed.
        min + ((u128::from(raw) * span) >> 64) as u64
    }
}

/// Rounds a non-negative duration in ms to `u64`, clamped to `[0, cap_ms]`.
/// NaN and negative values become 0.
pub fn to_ms(value: f64, cap_ms: u64) -> u64 {
    if value.is_nan() || value <= 0.0 {
        return 0;
    }
    let rounded = libm::round(value);
    if rounded >= cap_ms as f64 {
        cap_ms
    } else {
        rounded as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_streaming_equals_one_shot() {
        let whole = b"0 C Command { op: OpId(1) }\n12 E Succeeded\n";
        let (a, b) = whole.split_at(17);
        assert_eq!(Fnv1a::new().update(a).update(b).finish(), fnv1a_64(whole));
        assert_eq!(Fnv1a::new().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(
            fnv1a_64_parts(&["ab", "c"]),
            Fnv1a::new()
                .update(b"ab")
                .byte(0xFF)
                .update(b"c")
                .byte(0xFF)
                .finish()
        );
    }

    #[test]
    fn fnv_known_vectors() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fnv1a_64_parts(&["a"]), fnv1a_64(&[b'a', 0xFF]));
        assert_ne!(fnv1a_64_parts(&["ab", "c"]), fnv1a_64_parts(&["a", "bc"]));
    }

    #[test]
    fn streams_are_reproducible_and_independent() {
        let a1 = component_draws(7, &["restore", "db1"], 0).next_u64();
        let a2 = component_draws(7, &["restore", "db1"], 0).next_u64();
        let b = component_draws(7, &["restore", "db2"], 0).next_u64();
        let c = component_draws(8, &["restore", "db1"], 0).next_u64();
        let d = component_draws(7, &["restore", "db1"], 1).next_u64();
        assert_eq!(a1, a2);
        assert_ne!(a1, b);
        assert_ne!(a1, c);
        assert_ne!(a1, d);
    }

    #[test]
    fn draws_are_in_range() {
        let mut d = component_draws(1, &["t"], 0);
        for _ in 0..10_000 {
            let u = d.unit();
            assert!((0.0..1.0).contains(&u));
            let o = d.open_unit();
            assert!(o > 0.0 && o <= 1.0);
            let k = d.uniform_u64(3, 5);
            assert!((3..=5).contains(&k));
            assert!(d.exponential(10.0) >= 0.0);
            assert!(d.lognormal(100.0, 0.5) > 0.0);
        }
        assert_eq!(d.uniform_u64(9, 9), 9);
        assert_eq!(d.uniform_u64(9, 2), 9);
    }

    #[test]
    fn normal_moments_are_plausible() {
        let mut d = component_draws(42, &["normal"], 0);
        let n = 20_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for _ in 0..n {
            let z = d.standard_normal();
            sum += z;
            sq += z * z;
        }
        let mean = sum / n as f64;
        let var = sq / n as f64 - mean * mean;
        assert!(mean.abs() < 0.05, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "var {var}");
    }

    #[test]
    fn to_ms_clamps() {
        assert_eq!(to_ms(f64::NAN, 10), 0);
        assert_eq!(to_ms(-3.0, 10), 0);
        assert_eq!(to_ms(4.4, 10), 4);
        assert_eq!(to_ms(1e300, 10), 10);
    }
}
