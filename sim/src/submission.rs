//! The restore-submission window: how fast ARM writes arrive while
//! geo-restores are being submitted, against the write bucket's refill.
//!
//! The window runs from the first geo-restore PUT
//! ([`crate::ArmRequest::RestoreDatabase`]) the model receives to the last
//! one, in arrival order, both included; 429s count (a throttled restore
//! PUT was still sent). The writes in it are every request the ARM write
//! bucket counts (PUT, PATCH, POST: [`crate::OpClass::Writes`]), whatever
//! the answer. The model keeps the exact counts as requests arrive
//! ([`SubmissionTracker`]), so the simulator and the emulator (the real
//! driver's requests) report the same figure the same way.

use serde::{Deserialize, Serialize};

/// Follows write requests as they arrive and remembers the write counts at
/// the first and the last geo-restore PUT.
///
/// Contract: feed it every write-class request in arrival order with
/// [`SubmissionTracker::write`]; [`SubmissionTracker::window`] then says
/// exactly which writes fell from the first restore PUT to the last, both
/// included. Times earlier than a time already seen are taken as that time
/// (the model's clock never goes backwards).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SubmissionTracker {
    /// Write-class requests seen so far.
    writes: u64,
    /// Of those, answered 429.
    throttled: u64,
    /// Restore PUTs seen so far.
    restore_puts: u64,
    /// The latest time seen (ms).
    now_ms: u64,
    /// At the first restore PUT: its time, and the writes and 429s seen
    /// before it.
    first: Option<Mark>,
    /// At the last restore PUT so far: its time, and the writes and 429s
    /// seen up to and including it.
    last: Option<Mark>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Mark {
    at_ms: u64,
    writes: u64,
    throttled: u64,
}

impl SubmissionTracker {
    /// Notes one write-class request received at `at_ms`: whether it is a
    /// geo-restore PUT and whether it was answered 429.
    pub fn write(&mut self, at_ms: u64, restore_put: bool, throttled: bool) {
        self.now_ms = self.now_ms.max(at_ms);
        if restore_put && self.first.is_none() {
            self.first = Some(Mark {
                at_ms: self.now_ms,
                writes: self.writes,
                throttled: self.throttled,
            });
        }
        self.writes += 1;
        self.throttled += u64::from(throttled);
        if restore_put {
            self.restore_puts += 1;
            self.last = Some(Mark {
                at_ms: self.now_ms,
                writes: self.writes,
                throttled: self.throttled,
            });
        }
    }

    /// The window so far, `None` before the first restore PUT.
    pub fn window(&self) -> Option<SubmissionWindow> {
        let (first, last) = (self.first?, self.last?);
        Some(SubmissionWindow {
            first_ms: first.at_ms,
            last_ms: last.at_ms,
            restore_puts: self.restore_puts,
            writes: last.writes - first.writes,
            throttled_writes: last.throttled - first.throttled,
        })
    }
}

/// The writes from the first geo-restore PUT to the last (model time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionWindow {
    /// When the first restore PUT arrived (ms).
    pub first_ms: u64,
    /// When the last restore PUT arrived (ms); `>= first_ms`.
    pub last_ms: u64,
    /// Restore PUTs received (429s included).
    pub restore_puts: u64,
    /// Write-class requests received from the first restore PUT to the
    /// last, both included (429s included; `>= restore_puts`).
    pub writes: u64,
    /// Of `writes`, answered 429.
    pub throttled_writes: u64,
}

impl SubmissionWindow {
    /// The window's length in seconds (0 when one restore PUT was sent).
    pub fn seconds(&self) -> f64 {
        (self.last_ms - self.first_ms) as f64 / 1000.0
    }

    /// Writes received per second of the window; `None` for a window of
    /// length 0.
    pub fn writes_per_s(&self) -> Option<f64> {
        let s = self.seconds();
        (s > 0.0).then(|| self.writes as f64 / s)
    }

    /// [`SubmissionWindow::writes_per_s`] as a share of a bucket refill of
    /// `refill_per_s` tokens/s (1.0 = exactly the refill rate). The bucket's
    /// starting tokens let a short window exceed 1.0; see
    /// [`SubmissionWindow::share_beyond_capacity`]. `None` for a window of
    /// length 0 or a refill of 0.
    pub fn share_of_refill(&self, refill_per_s: u32) -> Option<f64> {
        let rate = self.writes_per_s()?;
        (refill_per_s > 0).then(|| rate / f64::from(refill_per_s))
    }

    /// The writes the bucket accepted in the window beyond what a full
    /// bucket of `capacity` tokens holds at the start, per second, as a
    /// share of `refill_per_s`: `max(0, writes - 429s - capacity) / seconds
    /// / refill`. It cannot exceed 1.0 (at most `capacity + refill *
    /// seconds` writes are accepted in a window), so it measures how much
    /// of the refill a client used once the start-up tokens are spent (a
    /// lower bound if the bucket was not full when the window opened).
    /// `None` for a window of length 0 or a refill of 0.
    pub fn share_beyond_capacity(&self, capacity: u32, refill_per_s: u32) -> Option<f64> {
        let s = self.seconds();
        if s <= 0.0 || refill_per_s == 0 {
            return None;
        }
        let accepted = self.writes - self.throttled_writes;
        let beyond = accepted.saturating_sub(u64::from(capacity));
        Some(beyond as f64 / s / f64::from(refill_per_s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (ms, restore PUT, 429)
    fn feed(writes: &[(u64, bool, bool)]) -> SubmissionTracker {
        let mut t = SubmissionTracker::default();
        for &(at, restore, throttled) in writes {
            t.write(at, restore, throttled);
        }
        t
    }

    #[test]
    fn no_restore_put_no_window() {
        assert_eq!(feed(&[(0, false, false), (5, false, true)]).window(), None);
    }

    #[test]
    fn window_counts_writes_from_first_to_last_restore_put() {
        let t = feed(&[
            (0, false, false),     // server PUT before: outside
            (1_000, false, false), // pool PUT before: outside
            (2_000, true, false),  // first restore PUT
            (2_500, false, true),  // a throttled pool PATCH inside
            (3_000, true, true),   // a throttled restore PUT
            (4_000, true, false),
            (6_000, true, false),  // last restore PUT
            (7_000, false, false), // alias PUT after: outside
        ]);
        let w = t.window().unwrap();
        assert_eq!(
            w,
            SubmissionWindow {
                first_ms: 2_000,
                last_ms: 6_000,
                restore_puts: 4,
                writes: 5,
                throttled_writes: 2,
            }
        );
        assert_eq!(w.seconds(), 4.0);
        assert_eq!(w.writes_per_s(), Some(1.25));
        assert_eq!(w.share_of_refill(10), Some(0.125));
        assert_eq!(w.share_of_refill(0), None);
        // 3 accepted, capacity 1: 2 beyond it in 4 s at refill 1/s.
        assert_eq!(w.share_beyond_capacity(1, 1), Some(0.5));
        // Capacity larger than what was accepted: 0, not negative.
        assert_eq!(w.share_beyond_capacity(200, 10), Some(0.0));
    }

    #[test]
    fn one_restore_put_has_no_rate() {
        let w = feed(&[(10, false, false), (20, true, false)])
            .window()
            .unwrap();
        assert_eq!(
            (w.first_ms, w.last_ms, w.writes, w.restore_puts),
            (20, 20, 1, 1)
        );
        assert_eq!(w.writes_per_s(), None);
        assert_eq!(w.share_of_refill(10), None);
        assert_eq!(w.share_beyond_capacity(200, 10), None);
    }

    #[test]
    fn time_never_goes_backwards() {
        let w = feed(&[(5_000, true, false), (4_000, true, false)])
            .window()
            .unwrap();
        assert_eq!((w.first_ms, w.last_ms), (5_000, 5_000));
    }
}
