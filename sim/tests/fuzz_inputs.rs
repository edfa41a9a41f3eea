//! Fuzz-style tests of input parsing: arbitrary bytes and mutated shipped
//! files (`scenarios/*.toml`, `scenarios/fleets/*.toml`) fed to the
//! scenario and the fleet parser. Neither may panic, and every error must
//! be located: it names the file, and gives a line (within the input)
//! whenever the input has lines.
//!
//! By default 90,000 byte strings and 10,000 mutated files (100,000
//! malformed inputs, each fed to both parsers; TOML parsing of a whole
//! file costs about 0.5 ms unoptimized, so the mutated files are the
//! fewer); `GEORESTORE_FUZZ_CASES=N` runs N of each.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use scheduler::diagnostic::FileError;
use scheduler::fleet::Fleet;

/// The name inputs are given under, checked in every error.
const NAME: &str = "fuzzed.toml";

/// Cases of a test: `GEORESTORE_FUZZ_CASES`, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("GEORESTORE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default_cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default_cases),
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

/// The shipped scenarios and fleet files, generators scaled down to at
/// most 50 tenants so that a mutant that stays valid is cheap to build.
fn corpus() -> Vec<String> {
    let mut files = Vec::new();
    for dir in [scenarios_dir(), scenarios_dir().join("fleets")] {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("scenarios dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("read");
            let scaled: Vec<String> = text
                .lines()
                .map(|line| match line.strip_prefix("tenants = ") {
                    Some(n) if n.parse::<u64>().is_ok_and(|n| n > 50) => "tenants = 50".to_owned(),
                    _ => line.to_owned(),
                })
                .collect();
            files.push(scaled.join("\n") + "\n");
        }
    }
    assert!(files.len() >= 9, "{} shipped files", files.len());
    files
}

/// Checks one input against both parsers.
fn check(text: &str) -> Result<(), TestCaseError> {
    if let Err(e) = sim::scenario::parse(text, NAME, &scenarios_dir()) {
        located(&e, text)?;
    }
    if let Err(e) = Fleet::from_toml_str(text, NAME) {
        located(&e, text)?;
    }
    Ok(())
}

/// The error names the file and a line within the input (when the input
/// has any), and reads as `file:line...` with a message and a fix.
fn located(e: &FileError, text: &str) -> Result<(), TestCaseError> {
    let shown = e.to_string();
    let lines = text.lines().count().max(1);
    prop_assert!(
        e.file == NAME || e.file.ends_with(".toml"),
        "names no file: {shown}"
    );
    prop_assert!(!e.message.is_empty(), "no message: {shown}");
    prop_assert!(!e.fix.is_empty(), "no fix: {shown}");
    if e.file == NAME && !text.trim().is_empty() {
        let line = e.line;
        prop_assert!(line.is_some(), "no line: {shown}\n--- input:\n{text}");
        let line = line.unwrap_or(0);
        prop_assert!(
            (1..=lines + 1).contains(&line),
            "line {line} of {lines}: {shown}"
        );
        prop_assert!(shown.starts_with(&format!("{NAME}:{line}")), "{shown}");
    }
    Ok(())
}

/// Fragments that make inputs malformed in interesting ways.
const TOKENS: &[&str] = &[
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "\"",
    "'",
    "\"\"\"",
    "#",
    ",",
    ".",
    "\n",
    " ",
    "-1",
    "0",
    "4294967296",
    "18446744073709551616",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "1.5",
    "true",
    "\"x\"",
    "[fleet]",
    "[model]",
    "[disaster]",
    "[strategy]",
    "[[tiers]]",
    "[[databases]]",
    "tenants = ",
    "runs = ",
    "name = ",
    "file = ",
    "generate",
    "recovery_region = \"westus2\"",
    "origin_region = ",
    "weight = 0",
    "share = ",
    "count = ",
    "\u{0}",
    "\u{feff}",
    "é",
];

/// One edit of a text at a byte position (clamped to a char boundary).
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Token(usize, usize),
    DuplicateLine(usize),
    DropLine(usize),
    Number(usize, u64),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), prop::collection::vec(any::<char>(), 0..8))
            .prop_map(|(at, s)| Edit::Insert(at, s.into_iter().collect())),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Edit::Token(at, t)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        any::<usize>().prop_map(Edit::DropLine),
        (
            any::<usize>(),
            prop_oneof![Just(0u64), Just(u64::MAX), Just(1u64 << 32), any::<u64>()]
        )
            .prop_map(|(at, n)| Edit::Number(at, n)),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::Delete(at, n) => {
            let start = boundary(text, *at);
            let end = boundary(text, start.saturating_add(*n).min(text.len()));
            text.replace_range(start..end.max(start), "");
        }
        Edit::Insert(at, s) => {
            let at = boundary(text, *at);
            text.insert_str(at, s);
        }
        Edit::Token(at, t) => {
            let at = boundary(text, *at);
            text.insert_str(at, TOKENS[*t]);
        }
        Edit::DuplicateLine(at) | Edit::DropLine(at) => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                return;
            }
            let i = at % lines.len();
            if matches!(edit, Edit::DuplicateLine(_)) {
                lines.insert(i, lines[i]);
            } else {
                lines.remove(i);
            }
            *text = lines.join("\n") + "\n";
        }
        Edit::Number(at, n) => {
            // Replace the first number at or after `at` by `n`.
            let from = boundary(text, *at);
            if let Some(offset) = text[from..].find(|c: char| c.is_ascii_digit()) {
                let start = from + offset;
                let len = text[start..]
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(text.len() - start);
                text.replace_range(start..start + len, &n.to_string());
            }
        }
    }
}

proptest! {
    #![proptest_config(config(90_000))]

    #[test]
    fn arbitrary_bytes_are_refused_with_a_located_error(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let text = String::from_utf8_lossy(&bytes);
        check(&text)?;
    }
}

proptest! {
    #![proptest_config(config(10_000))]

    #[test]
    fn mutated_shipped_files_never_panic_and_every_error_is_located(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        thread_local! {
            static CORPUS: Vec<String> = corpus();
        }
        let mut text = CORPUS.with(|c| c[file.index(c.len())].clone());
        for e in &edits {
            apply(&mut text, e);
        }
        check(&text)?;
    }
}
