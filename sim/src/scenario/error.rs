//! Scenario errors: every one names the file, the line (when known), the
//! key and a fix: [`scheduler::diagnostic::FileError`], plus finding the
//! line of a key that semantic validation rejects.

use scheduler::diagnostic::FileError;

/// A scenario file that cannot be used: file, line, key and a fix (the
/// same located error the fleet files use).
pub type ScenarioError = FileError;

pub(crate) use scheduler::diagnostic::locate;
