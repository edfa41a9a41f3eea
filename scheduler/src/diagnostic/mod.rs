//! Errors in input files (fleets, scenarios) that name the file, line,
//! column, key and a fix, and the TOML loading that produces them.

mod kind;
mod locate;
mod words;

use std::fmt;

use serde::de::DeserializeOwned;

pub use kind::{
    InputKind, fleet_given_for_scenario, kind_of, read_input, scenario_given_for_fleet,
};
pub use locate::locate;
pub use words::{in_words, type_error_in_words};

/// An input file that cannot be used, with where and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FileError {
    /// File name as given by the caller (for messages only).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Dotted key path, e.g. `databases[3].tier`.
    pub key: String,
    /// What is wrong.
    pub message: String,
    /// What to change.
    pub fix: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.key.is_empty() {
            write!(f, ": key `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)?;
        if !self.fix.is_empty() {
            write!(f, "\n  fix: {}", self.fix)?;
        }
        Ok(())
    }
}

/// Maps byte offsets of a source text to 1-based (line, column).
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Self { line_starts }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line.saturating_sub(1)];
        (line.max(1), offset - start + 1)
    }
}

/// Suggests a fix for a serde/TOML message.
pub fn fix_for(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return match rest.split_once("expected ") {
            Some((_, expected)) => {
                format!("remove {field} or rename it to {expected}")
            }
            None => format!("remove {field}"),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("add {rest} = ... to this table");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ")
        && let Some((_, expected)) = rest.split_once("expected ")
    {
        return format!("use {expected}");
    }
    if message.starts_with("invalid type")
        && let Some((_, expected)) = message.split_once("expected ")
    {
        return format!("write {} here", in_words(expected));
    }
    if message.contains("duplicate key") {
        return "keep one of the two definitions".to_owned();
    }
    "check the TOML syntax at this position".to_owned()
}

/// Deserializes TOML `text` into `T`; an error names `file`, the line and
/// column, the dotted key path and a fix.
pub fn deserialize_toml<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, FileError> {
    let deserializer = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        // Spanned<T> adds a private segment to the path; users never wrote it.
        let key = err
            .path()
            .to_string()
            .replace(".$__serde_spanned_private_value", "");
        let inner = err.into_inner();
        let (line, column) = match inner.span() {
            Some(span) => {
                let (line, column) = LineIndex::new(text).position(span.start);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        let mut raw = inner.message().trim().to_owned();
        if raw.is_empty() {
            "this is not valid TOML".clone_into(&mut raw);
        }
        let (message, fix) = match type_error_in_words(&raw) {
            Some(worded) => worded,
            None => {
                let fix = fix_for(&raw);
                (raw, fix)
            }
        };
        FileError {
            file: file.to_owned(),
            line,
            column,
            key: if key == "." { String::new() } else { key },
            message,
            fix,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_maps_offsets_to_lines_and_columns() {
        let index = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(1), (1, 2));
        assert_eq!(index.position(3), (2, 1));
        assert_eq!(index.position(6), (3, 1));
        assert_eq!(index.position(8), (4, 2));
    }

    #[test]
    fn fixes_name_the_expected_fields() {
        let fix = fix_for("unknown field `sise_gb`, expected one of `name`, `size_gb`");
        assert_eq!(
            fix,
            "remove `sise_gb` or rename it to one of `name`, `size_gb`"
        );
        assert_eq!(
            fix_for("missing field `tier`"),
            "add `tier` = ... to this table"
        );
    }
}
