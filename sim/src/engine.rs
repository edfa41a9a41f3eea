//! The discrete-event queue: events ordered by (time, insertion sequence).
//!
//! Ties on time are broken by insertion order (FIFO), so the order in which
//! events pop depends only on the order and times they were pushed: the queue
//! is deterministic by construction.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One heap entry: the packed (time, sequence) key and the event itself.
///
/// The key packs `time_ms` in the high 64 bits and the sequence number in the
/// low 64 bits of a `u128`, so a single integer comparison orders entries.
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the smallest key first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// A min-priority queue of events keyed by time in milliseconds.
///
/// Contract: `pop` returns events in non-decreasing `time_ms`; events pushed
/// with equal times pop in the order they were pushed. Events are stored in
/// the heap inline (no boxing). Pushing an event earlier than one already
/// popped is allowed (the queue does not own a clock); the caller decides
/// whether that is meaningful.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }

    /// An empty queue with room for `capacity` events before reallocating.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            next_seq: 0,
        }
    }

    /// Schedules `event` at `at_ms`. It pops after every event already queued
    /// with a time `<= at_ms`.
    #[inline]
    pub fn push(&mut self, at_ms: u64, event: E) {
        let key = (u128::from(at_ms) << 64) | u128::from(self.next_seq);
        // 2^64 pushes cannot happen in practice; wrapping keeps this panic-free.
        self.next_seq = self.next_seq.wrapping_add(1);
        self.heap.push(Entry { key, event });
    }

    /// Removes and returns the earliest event with its time, or `None` when
    /// the queue is empty.
    #[inline]
    pub fn pop(&mut self) -> Option<(u64, E)> {
        self.heap
            .pop()
            .map(|entry| ((entry.key >> 64) as u64, entry.event))
    }

    /// Removes and returns the earliest event if its time is `<= until_ms`.
    #[inline]
    pub fn pop_until(&mut self, until_ms: u64) -> Option<(u64, E)> {
        match self.peek_time() {
            Some(t) if t <= until_ms => self.pop(),
            _ => None,
        }
    }

    /// The time of the earliest event, or `None` when the queue is empty.
    #[inline]
    pub fn peek_time(&self) -> Option<u64> {
        self.heap.peek().map(|entry| (entry.key >> 64) as u64)
    }

    /// The number of queued events.
    #[inline]
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is queued.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Drops every queued event. The sequence counter keeps counting, so FIFO
    /// order among events pushed afterwards is unaffected.
    pub fn clear(&mut self) {
        self.heap.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_fifo_on_ties() {
        let mut q = EventQueue::new();
        q.push(30, "c");
        q.push(10, "a1");
        q.push(20, "b");
        q.push(10, "a2");
        q.push(10, "a3");
        assert_eq!(q.len(), 5);
        assert_eq!(q.peek_time(), Some(10));
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![(10, "a1"), (10, "a2"), (10, "a3"), (20, "b"), (30, "c")]
        );
        assert!(q.is_empty());
        assert_eq!(q.pop(), None);
        assert_eq!(q.peek_time(), None);
    }

    #[test]
    fn pop_until_respects_the_horizon() {
        let mut q = EventQueue::new();
        q.push(5, 1u8);
        q.push(15, 2u8);
        assert_eq!(q.pop_until(10), Some((5, 1)));
        assert_eq!(q.pop_until(10), None);
        assert_eq!(q.pop_until(15), Some((15, 2)));
    }

    #[test]
    fn interleaved_pushes_and_pops_match_a_sorted_reference() {
        // Reference: the pending (time, seq) pairs, smallest popped first.
        let mut q = EventQueue::new();
        let mut reference = std::collections::BTreeSet::new();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        let mut seq = 0u64;
        let mut now = 0u64;
        for _ in 0..20_000 {
            if next() % 3 != 0 {
                let t = now + next() % 50;
                q.push(t, seq);
                reference.insert((t, seq));
                seq += 1;
            } else {
                let expected = reference.pop_first();
                assert_eq!(q.pop(), expected);
                if let Some((t, _)) = expected {
                    now = t;
                }
            }
            assert_eq!(q.len(), reference.len());
            assert_eq!(q.peek_time(), reference.first().map(|&(t, _)| t));
        }
        while let Some(expected) = reference.pop_first() {
            assert_eq!(q.pop(), Some(expected));
        }
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn extreme_times_are_ordered() {
        let mut q = EventQueue::new();
        q.push(u64::MAX, 'z');
        q.push(0, 'a');
        assert_eq!(q.pop(), Some((0, 'a')));
        assert_eq!(q.pop(), Some((u64::MAX, 'z')));
    }
}
