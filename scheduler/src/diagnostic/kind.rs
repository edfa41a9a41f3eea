//! Which kind of input file a text is (fleet or scenario), and reading an
//! input file with the same error in every command.

use std::path::Path;

use super::{FileError, locate};

/// What an input file looks like, judged from its top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A fleet file: the estate itself (`subscription`, `origin_region`,
    /// `databases`, ...), no `[fleet]` table.
    Fleet,
    /// A scenario: it has a top-level `[fleet]` table (a fleet file never
    /// does).
    Scenario,
    /// Not TOML, or neither kind's keys.
    Unknown,
}

/// Top-level keys only a fleet file has.
const FLEET_KEYS: &[&str] = &[
    "subscription",
    "origin_region",
    "recovery_region",
    "routing",
    "resource_groups",
    "catalog",
    "app",
    "servers",
    "pools",
    "databases",
];

/// Judges the kind of `text` from its top-level keys.
pub fn kind_of(text: &str) -> InputKind {
    let Ok(table) = text.parse::<toml::Table>() else {
        return InputKind::Unknown;
    };
    if table.contains_key("fleet") {
        InputKind::Scenario
    } else if FLEET_KEYS.iter().any(|k| table.contains_key(*k)) {
        InputKind::Fleet
    } else {
        InputKind::Unknown
    }
}

/// The error for a fleet file given where a scenario is expected, at the
/// first fleet-only key of `text`.
pub fn fleet_given_for_scenario(file: &str, text: &str) -> FileError {
    let (key, line) = first_of(text, FLEET_KEYS);
    FileError {
        file: file.to_owned(),
        line,
        column: None,
        key,
        message: "this is a fleet file, not a scenario".into(),
        fix: format!(
            "use `georestore plan {file}` or `georestore recover {file}`; to simulate it, write a scenario with [fleet] file = \"<path to this file>\" (see scenarios/wingtip-demo.toml)"
        ),
    }
}

/// The error for a scenario given where a fleet file is expected, at its
/// `[fleet]` table.
pub fn scenario_given_for_fleet(file: &str, text: &str) -> FileError {
    let (key, line) = first_of(text, &["fleet"]);
    FileError {
        file: file.to_owned(),
        line,
        column: None,
        key,
        message: "this is a scenario file, not a fleet file".into(),
        fix: format!(
            "use `georestore simulate {file}` or `georestore compare {file}`; `plan` and `recover` take a scenario too, through its [fleet] file or generate"
        ),
    }
}

/// The first of `keys` written in `text` and its line.
fn first_of(text: &str, keys: &[&str]) -> (String, Option<usize>) {
    keys.iter()
        .filter_map(|k| locate(text, k).map(|line| (line, *k)))
        .min()
        .map_or((String::new(), None), |(line, key)| {
            (key.to_owned(), Some(line))
        })
}

/// Reads an input file (fleet or scenario) as text; a file that cannot be
/// read gets the same message in every command, naming the path.
pub fn read_input(path: &Path) -> Result<String, FileError> {
    use crate::fleet::size::{MAX_INPUT_BYTES, MAX_TENANTS, in_units};
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_INPUT_BYTES
    {
        return Err(FileError {
            file: path.display().to_string(),
            line: None,
            column: None,
            key: String::new(),
            message: format!(
                "the file is {}; input files are read whole and may be at most {} (a fleet of {MAX_TENANTS} databases, the most this tool takes, is about 95 MB)",
                in_units(meta.len()),
                in_units(MAX_INPUT_BYTES)
            ),
            fix: "check that this is a fleet or scenario file; split a larger estate into several fleets".into(),
        });
    }
    std::fs::read_to_string(path).map_err(|e| FileError {
        file: path.display().to_string(),
        line: None,
        column: None,
        key: String::new(),
        message: format!("cannot read this file: {e}"),
        fix: "check the path; it is relative to the current directory (shipped scenarios are in scenarios/, fleet files in scenarios/fleets/)".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_apart_by_top_level_keys() {
        assert_eq!(
            kind_of("name = \"x\"\n[fleet]\nfile = \"f.toml\"\n"),
            InputKind::Scenario
        );
        assert_eq!(kind_of("name = \"x\"\n[fleet]\n"), InputKind::Scenario);
        assert_eq!(
            kind_of("name = \"x\"\norigin_region = \"a\"\n"),
            InputKind::Fleet
        );
        assert_eq!(kind_of("name = \"x\"\n"), InputKind::Unknown);
        assert_eq!(kind_of("not toml ["), InputKind::Unknown);
    }
}
