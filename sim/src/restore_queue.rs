//! A restore queue with limited processing slots and a submission cap.
//!
//! Azure queues restore requests per elastic pool (4 processed at a time,
//! 2,000 submitted) and per subscription for standalone databases (30 / 100),
//! and processes them in submission order. Source: limits doc (see
//! `params.rs`). This type is the pure bookkeeping; the model decides when
//! slots free.

use std::collections::VecDeque;

/// The outcome of admitting a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// A slot was free: the request is processing now.
    Started,
    /// All slots are busy: the request waits in FIFO order.
    Queued,
}

/// The queue is at its submission cap; the request was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull {
    /// The cap that was hit (queued + processing).
    pub max_submitted: u32,
}

/// FIFO restore queue with `slots` processing slots and at most
/// `max_submitted` requests (processing + waiting).
///
/// Contract: `processing() <= slots` and `processing() + waiting() <=
/// max_submitted` at all times; waiting requests start in admission order.
#[derive(Debug, Clone)]
pub struct RestoreQueue<T> {
    slots: u32,
    max_submitted: u32,
    processing: u32,
    waiting: VecDeque<T>,
}

impl<T: PartialEq> RestoreQueue<T> {
    /// An empty queue.
    pub fn new(slots: u32, max_submitted: u32) -> Self {
        Self {
            slots,
            max_submitted,
            processing: 0,
            waiting: VecDeque::new(),
        }
    }

    /// Requests being processed.
    pub fn processing(&self) -> u32 {
        self.processing
    }

    /// Requests waiting for a slot.
    pub fn waiting(&self) -> u32 {
        u32::try_from(self.waiting.len()).unwrap_or(u32::MAX)
    }

    /// Admits `item`: starts it if a slot is free, queues it otherwise, or
    /// refuses it when `processing + waiting` already equals `max_submitted`.
    pub fn admit(&mut self, item: T) -> Result<Admission, QueueFull> {
        let submitted = u64::from(self.processing) + self.waiting.len() as u64;
        if submitted >= u64::from(self.max_submitted) {
            return Err(QueueFull {
                max_submitted: self.max_submitted,
            });
        }
        if self.processing < self.slots {
            self.processing += 1;
            Ok(Admission::Started)
        } else {
            self.waiting.push_back(item);
            Ok(Admission::Queued)
        }
    }

    /// A processing request finished (or was canceled): frees its slot and
    /// returns the next waiting request, which now occupies that slot.
    /// Calling it with nothing processing is a no-op returning `None`.
    pub fn release(&mut self) -> Option<T> {
        if self.processing == 0 {
            return None;
        }
        match self.waiting.pop_front() {
            Some(next) => Some(next),
            None => {
                self.processing -= 1;
                None
            }
        }
    }

    /// Removes a waiting request (a canceled restore). Returns whether it was
    /// waiting. O(waiting).
    pub fn remove_waiting(&mut self, item: &T) -> bool {
        match self.waiting.iter().position(|w| w == item) {
            Some(i) => {
                self.waiting.remove(i);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_fifo_and_cap() {
        let mut q = RestoreQueue::new(2, 4);
        assert_eq!(q.admit(1), Ok(Admission::Started));
        assert_eq!(q.admit(2), Ok(Admission::Started));
        assert_eq!(q.admit(3), Ok(Admission::Queued));
        assert_eq!(q.admit(4), Ok(Admission::Queued));
        assert_eq!(q.admit(5), Err(QueueFull { max_submitted: 4 }));
        assert_eq!((q.processing(), q.waiting()), (2, 2));
        assert_eq!(q.release(), Some(3));
        assert!(q.remove_waiting(&4));
        assert!(!q.remove_waiting(&4));
        assert_eq!(q.release(), None);
        assert_eq!(q.release(), None);
        assert_eq!(q.release(), None);
        assert_eq!((q.processing(), q.waiting()), (0, 0));
    }
}
