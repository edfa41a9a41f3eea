//! The single-writer lock of a journal: one `recover` at a time per journal.
//!
//! An OS advisory lock (`flock` on Unix, through [`std::fs::File::try_lock`])
//! on a lock file beside the journal (`<journal>.lock`). The kernel drops
//! the lock when its owner exits, however it exits (`kill -9` included), so
//! a dead owner never leaves a stale lock. While it holds the lock, the
//! owner keeps its pid, host and start time in the file (JSON) so that a
//! refused second writer can name it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Who holds a journal's lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// Process id.
    pub pid: u32,
    /// Host name.
    pub host: String,
    /// When it took the lock, milliseconds since the Unix epoch.
    pub started_at_ms: i64,
}

impl Owner {
    /// This process, now.
    pub fn this_process() -> Owner {
        Owner {
            pid: std::process::id(),
            host: gethostname::gethostname().to_string_lossy().into_owned(),
            started_at_ms: crate::unix_ms(),
        }
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {} on host {}, started {}",
            self.pid,
            self.host,
            crate::format_unix_ms(self.started_at_ms)
        )
    }
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it.
    #[error(
        "journal {journal} is in use by another georestore process ({owner}); \
         wait for it to finish, or stop it before starting another recovery"
    )]
    Held {
        /// The journal.
        journal: PathBuf,
        /// The holder as its lock file names it (`unknown` fields if it
        /// has not written them yet).
        owner: Owner,
    },
    /// The lock file could not be opened, locked or written.
    #[error("cannot lock {path}: {cause}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// What the OS said.
        cause: std::io::Error,
    },
}

/// The lock file of a journal: `<journal>.lock`.
pub fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// A held journal lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
    owner: Owner,
}

impl RunLock {
    /// Takes the lock of `journal` for this process, without waiting.
    ///
    /// Errors: [`LockError::Held`] naming the holder when another process
    /// (or another open handle in this one) holds it; [`LockError::Io`]
    /// when the lock file cannot be created, locked or written.
    pub fn acquire(journal: &Path) -> Result<RunLock, LockError> {
        let path = lock_path(journal);
        let io = |cause| LockError::Io {
            path: path.clone(),
            cause,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Held {
                    journal: journal.to_owned(),
                    owner: read_owner(&path).unwrap_or_else(|| Owner {
                        pid: 0,
                        host: "unknown (the holder has not written its name yet)".to_owned(),
                        started_at_ms: 0,
                    }),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let owner = Owner::this_process();
        let text = serde_json::to_string(&owner).map_err(|e| io(std::io::Error::other(e)))?;
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok(RunLock { file, path, owner })
    }

    /// Who holds it (this process).
    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Closing the file releases the lock anyway; unlocking first keeps
        // the order clear. An error here has no one to report to.
        let _ = self.file.unlock();
    }
}

/// The owner recorded in a lock file, if it holds one (the holder may be
/// gone: only a failed [`RunLock::acquire`] proves it is alive).
pub fn read_owner(lock_file: &Path) -> Option<Owner> {
    let mut text = String::new();
    File::open(lock_file).ok()?.read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

/// The process writing `journal` now, if one is: the lock is held (probed
/// with a shared lock, released at once) and its file names the holder.
/// `None` when no process holds it or there is no lock file. Takes no lock
/// that a starting `recover` could trip over except for that instant.
pub fn holder(journal: &Path) -> Option<Owner> {
    let path = lock_path(journal);
    let file = File::open(&path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(TryLockError::WouldBlock) => Some(read_owner(&path).unwrap_or(Owner {
            pid: 0,
            host: "unknown".to_owned(),
            started_at_ms: 0,
        })),
        Err(TryLockError::Error(_)) => None,
    }
}
