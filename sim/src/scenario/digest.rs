//! The scenario digest: a 64-bit fingerprint of what a scenario runs (its
//! file as parsed and its fleet as built), so that results recorded for a
//! scenario can tell when it changed.
//!
//! Definition: FNV-1a 64 ([`crate::rng::Fnv1a`]) over, per scenario,
//! `"{file as JSON}\n{fleet:?}\n"`. Comments and formatting of the TOML do
//! not count; any parsed value (the description too) and any fleet change
//! (a generated one included) do. Sweeps hash their grid points' scenarios
//! one after another the same way (`sweep::grid`).

use std::fmt::Write;

use super::Scenario;
use crate::rng::Fnv1a;

/// Feeds formatted text into a hash without building the string.
pub(crate) struct HashWriter(pub(crate) Fnv1a);

impl Write for HashWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 = self.0.update(s.as_bytes());
        Ok(())
    }
}

/// Adds `scenario` to the hash in `h` (see the module's definition).
pub(crate) fn feed(h: &mut HashWriter, scenario: &Scenario) {
    let file = serde_json::to_string(&scenario.file).unwrap_or_default();
    let _ = write!(h, "{file}\n{:?}\n", scenario.fleet);
}

/// The digest of one scenario, as 16 lower-case hex digits.
pub fn digest(scenario: &Scenario) -> String {
    let mut h = HashWriter(Fnv1a::new());
    feed(&mut h, scenario);
    format!("{:016x}", h.0.finish())
}
