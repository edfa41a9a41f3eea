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
//!
//! Cost: FNV-1a is a serial chain (a multiply per byte) and a large run logs
//! millions of lines, so once a run has logged a few thousand entries the
//! formatting and hashing move to a helper thread: the runner hands over
//! the commands and events themselves in batches, in order, and the value
//! is the same as hashing on the spot (the same bytes in the same order).
//! If the thread cannot be started the log is hashed on the caller's thread.

use std::fmt::{self, Write};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;

use scheduler::{Action, Command, Event, OpId};

use crate::rng::Fnv1a;

/// Entries handed to the helper thread at once.
const BATCH: usize = 4096;

/// Batches in flight to the helper thread (bounds the memory it may lag by).
const IN_FLIGHT: usize = 8;

/// One log entry, kept until it is hashed.
#[derive(Debug, Clone)]
enum Entry {
    /// `"{t_ms} C ({op:?}, {action:?})\n"`: a command, without its
    /// rendered request (which follows from the action).
    Command(u64, OpId, Action),
    /// `"{t_ms} R ({op:?}, {status})\n"`: the HTTP status of an ARM answer
    /// (0: lost on the way).
    Response(u64, OpId, u16),
    /// `"{t_ms} E {event:?}\n"`.
    Event(u64, Box<Event>),
    /// A line formatted by [`Digest::record`].
    Line(String),
}

/// Feeds formatted text straight into the hash (no line buffer).
struct HashWriter<'a>(&'a mut Fnv1a);

impl Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        *self.0 = self.0.update(s.as_bytes());
        Ok(())
    }
}

/// `hash` fed with `entries`' lines.
fn hash_entries(mut hash: Fnv1a, entries: &[Entry]) -> Fnv1a {
    let mut w = HashWriter(&mut hash);
    for entry in entries {
        // Hashing cannot fail.
        let _ = match entry {
            Entry::Command(t_ms, op, action) => writeln!(w, "{t_ms} C {:?}", (op, action)),
            Entry::Response(t_ms, op, status) => writeln!(w, "{t_ms} R {:?}", (op, status)),
            Entry::Event(t_ms, event) => writeln!(w, "{t_ms} E {event:?}"),
            Entry::Line(line) => w.write_str(line),
        };
    }
    hash
}

/// The helper thread hashing batches in the order they are sent.
struct Worker {
    batches: SyncSender<Vec<Entry>>,
    /// Emptied batches coming back for reuse.
    spare: Receiver<Vec<Entry>>,
    done: JoinHandle<Fnv1a>,
}

impl Worker {
    /// A helper continuing from `hash`; `None` if no thread can be started.
    fn start(hash: Fnv1a) -> Option<Self> {
        let (batches, inbox) = sync_channel::<Vec<Entry>>(IN_FLIGHT);
        let (give_back, spare) = sync_channel::<Vec<Entry>>(IN_FLIGHT + 2);
        let done = std::thread::Builder::new()
            .name("digest".into())
            .spawn(move || {
                let mut hash = hash;
                for mut batch in inbox {
                    hash = hash_entries(hash, &batch);
                    batch.clear();
                    // Nobody waiting for spares is fine.
                    let _ = give_back.try_send(batch);
                }
                hash
            })
            .ok()?;
        Some(Self {
            batches,
            spare,
            done,
        })
    }

    /// Waits for every batch sent so far; the hash after them.
    fn finish(self) -> Fnv1a {
        drop(self.batches);
        match self.done.join() {
            Ok(hash) => hash,
            // Formatting a command or event panicked on the helper thread:
            // the same panic the caller's thread would have had.
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// What has been hashed: the hash of every batch handed over, on this
/// thread or by the worker (then only the worker knows it yet).
struct State {
    hash: Fnv1a,
    worker: Option<Worker>,
}

impl State {
    /// Waits for the worker, if any, and returns the hash of everything
    /// handed over.
    fn settle(&mut self) -> Fnv1a {
        if let Some(worker) = self.worker.take() {
            self.hash = worker.finish();
        }
        self.hash
    }
}

/// Incremental FNV-1a 64 over the event log.
///
/// `Send` and `Sync`; cloning or reading the value waits for the helper
/// thread, if one is running, to catch up.
pub struct Digest {
    entries: u64,
    /// Entries not handed over yet, in order.
    pending: Vec<Entry>,
    state: Mutex<State>,
}

impl Default for Digest {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for Digest {
    fn clone(&self) -> Self {
        let hash = self.settled();
        Self {
            entries: self.entries,
            pending: self.pending.clone(),
            state: Mutex::new(State { hash, worker: None }),
        }
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Digest")
            .field("entries", &self.entries)
            .field("value", &self.hex())
            .finish()
    }
}

impl Drop for Digest {
    fn drop(&mut self) {
        // Let the helper thread end now rather than outlive the log.
        if let Ok(state) = self.state.get_mut()
            && let Some(worker) = state.worker.take()
        {
            drop(worker.batches);
            let _ = worker.done.join();
        }
    }
}

impl Digest {
    /// An empty log.
    pub fn new() -> Self {
        Self {
            entries: 0,
            pending: Vec::new(),
            state: Mutex::new(State {
                hash: Fnv1a::new(),
                worker: None,
            }),
        }
    }

    /// Appends one entry: `"{t_ms} {kind} {what:?}\n"` (formatted now).
    pub fn record(&mut self, t_ms: u64, kind: char, what: &dyn fmt::Debug) {
        self.push(Entry::Line(format!("{t_ms} {kind} {what:?}\n")));
    }

    /// Appends a command handed out at `t_ms`:
    /// `"{t_ms} C ({op:?}, {action:?})\n"`.
    pub fn record_command(&mut self, t_ms: u64, command: &Command) {
        self.push(Entry::Command(t_ms, command.op, command.action));
    }

    /// Appends the HTTP status of an ARM answer received at `t_ms` (0 when
    /// the answer was lost): `"{t_ms} R ({op:?}, {status})\n"`.
    pub fn record_response(&mut self, t_ms: u64, op: OpId, status: u16) {
        self.push(Entry::Response(t_ms, op, status));
    }

    /// Appends an event fed at `t_ms`: `"{t_ms} E {event:?}\n"`.
    pub fn record_event(&mut self, t_ms: u64, event: &Event) {
        self.push(Entry::Event(t_ms, Box::new(event.clone())));
    }

    fn push(&mut self, entry: Entry) {
        if self.pending.capacity() == 0 {
            self.pending.reserve_exact(BATCH);
        }
        self.pending.push(entry);
        self.entries += 1;
        if self.pending.len() >= BATCH {
            self.hand_over();
        }
    }

    /// Hands the pending entries to the helper thread (started on first
    /// use), or hashes them here if it cannot run.
    fn hand_over(&mut self) {
        let state = match self.state.get_mut() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        if state.worker.is_none() {
            state.worker = Worker::start(state.hash);
        }
        let Some(worker) = &state.worker else {
            state.hash = hash_entries(state.hash, &self.pending);
            self.pending.clear();
            return;
        };
        let next = match worker.spare.try_recv() {
            Ok(spare) => spare,
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => Vec::with_capacity(BATCH),
        };
        let batch = std::mem::replace(&mut self.pending, next);
        if let Err(returned) = worker.batches.send(batch) {
            // The helper thread is gone (it panicked): `settle` re-raises
            // its panic; hash here if it somehow did not.
            state.hash = state.settle();
            state.hash = hash_entries(state.hash, &returned.0);
        }
    }

    /// The hash of every entry handed over (waiting for the helper).
    fn settled(&self) -> Fnv1a {
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        state.settle()
    }

    /// The digest so far.
    pub fn value(&self) -> u64 {
        hash_entries(self.settled(), &self.pending).finish()
    }

    /// Entries recorded.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// The digest as 16 lower-case hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_and_the_run_types_holding_it_can_move_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Digest>();
        send_sync::<crate::runner::Recorder>();
        send_sync::<crate::AzureModel>();
        send_sync::<crate::ArmRequest>();
    }

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
    fn batches_hashed_by_the_helper_thread_give_the_same_digest() {
        use scheduler::fleet::DbId;
        use scheduler::{Action, FailureKind, OpId};
        let mut threaded = Digest::new();
        let mut log = String::new();
        let n = 3 * BATCH as u64 + 17;
        for i in 0..n {
            let action = Action::CheckChanged { db: DbId(i as u32) };
            let command = (OpId(i), action);
            let event = Event::Failed {
                op: OpId(i),
                kind: FailureKind::Transient,
                reason: format!("r{i}"),
            };
            threaded.push(Entry::Command(i, OpId(i), action));
            threaded.record_event(i + 1, &event);
            log.push_str(&format!("{i} C {command:?}\n{} E {event:?}\n", i + 1));
            if i == BATCH as u64 {
                // Reading midway waits for the helper and goes on.
                assert_eq!(threaded.value(), crate::rng::fnv1a_64(log.as_bytes()));
            }
        }
        threaded.record(n, 'X', &"end");
        log.push_str(&format!("{n} X \"end\"\n"));
        let expected = crate::rng::fnv1a_64(log.as_bytes());
        assert_eq!(threaded.entries(), 2 * n + 1);
        assert_eq!(threaded.value(), expected);
        assert_eq!(threaded.clone().value(), expected);
        assert_eq!(threaded.value(), expected);
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
