//! The event-log digest: a stable 64-bit fingerprint of a whole run.
//!
//! Definition (stable across versions of this crate as long as the
//! scheduler's `Debug` renderings of [`scheduler::Command`] and
//! [`scheduler::Event`] do not change): FNV-1a 64 (offset basis
//! `0xcbf29ce484222325`, prime `0x100000001b3`, the shared
//! [`crate::rng::Fnv1a`])
//! over the UTF-8 bytes of one line per log entry, in the order the runner
//! saw them:
//!
//! - a command handed out by the scheduler: `"{t_ms} C {command:?}\n"`;
//! - an event fed to the scheduler: `"{t_ms} E {event:?}\n"`.
//!
//! Two runs with the same digest issued the same commands and saw the same
//! outcomes at the same virtual times. Printed as 16 lower-case hex digits.

use std::fmt::{self, Write};

use crate::rng::Fnv1a;

/// Incremental FNV-1a 64 over the event log.
#[derive(Debug, Clone)]
pub struct Digest {
    hash: Fnv1a,
    entries: u64,
    line: String,
}

impl Default for Digest {
    fn default() -> Self {
        Self::new()
    }
}

impl Digest {
    /// An empty log.
    pub fn new() -> Self {
        Self {
            hash: Fnv1a::new(),
            entries: 0,
            line: String::with_capacity(128),
        }
    }

    /// Appends one entry: `"{t_ms} {kind} {what:?}\n"`.
    pub fn record(&mut self, t_ms: u64, kind: char, what: &dyn fmt::Debug) {
        self.line.clear();
        // Writing to a String cannot fail.
        let _ = writeln!(self.line, "{t_ms} {kind} {what:?}");
        self.hash = self.hash.update(self.line.as_bytes());
        self.entries += 1;
    }

    /// The digest so far.
    pub fn value(&self) -> u64 {
        self.hash.finish()
    }

    /// Entries recorded.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// The digest as 16 lower-case hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.hash.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_log_is_the_offset_basis_and_order_matters() {
        assert_eq!(Digest::new().hex(), "cbf29ce484222325");
        let mut a = Digest::new();
        a.record(1, 'C', &"x");
        a.record(2, 'E', &"y");
        let mut b = Digest::new();
        b.record(2, 'E', &"y");
        b.record(1, 'C', &"x");
        assert_ne!(a.value(), b.value());
        assert_eq!(a.entries(), 2);
    }

    #[test]
    fn digest_is_fnv1a_of_the_log_lines() {
        let mut d = Digest::new();
        d.record(1, 'C', &"x");
        d.record(20, 'E', &7u8);
        let log = "1 C \"x\"\n20 E 7\n";
        assert_eq!(d.value(), crate::rng::fnv1a_64(log.as_bytes()));
    }
}
