//! `report.html`: one self-contained page per report directory, for
//! people with a browser (or a phone, or a printer).
//!
//! - [`escape`]: the escaping every piece of text goes through.
//! - [`page`]: the tiny writer (headings, paragraphs, tables, inline SVG
//!   figures), the inline style sheet and the no-loads
//!   Content-Security-Policy.
//! - [`run`]: one run (`simulate --report`, also per strategy under
//!   `compare --report`).
//! - [`comparison`]: `compare --report`.
//! - [`sweep`]: `sweep --report` and `merge --report`.
//!
//! The bytes depend on the inputs only (no clock, no map order), like the
//! other report files.

pub mod comparison;
pub mod escape;
pub mod page;
pub mod run;
pub mod sweep;

/// The file name of the page in a report directory.
pub const FILE: &str = "report.html";
