//! Scenario errors: every one names the file, the line (when known), the
//! key and a fix, formatted like `scheduler::fleet::FleetError`.

use std::fmt;

use scheduler::fleet::FleetError;

/// A scenario file that cannot be used, with where and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// File name as given (for messages only).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Dotted key path, e.g. `strategy.name`.
    pub key: String,
    /// What is wrong.
    pub message: String,
    /// What to change.
    pub fix: String,
}

impl fmt::Display for ScenarioError {
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

impl From<FleetError> for ScenarioError {
    fn from(e: FleetError) -> Self {
        Self {
            file: e.file,
            line: e.line,
            column: e.column,
            key: e.key,
            message: e.message,
            fix: e.fix,
        }
    }
}

/// 1-based (line, column) of a byte offset.
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - start + 1)
}

/// The 1-based line where the dotted `key` (e.g. `strategy.name`) is set:
/// `leaf = ...` under the `[table]` header, or `table = { ... }` inline
/// under its parent, or else the table's header line.
pub(crate) fn locate(text: &str, key: &str) -> Option<usize> {
    let clean = key.split('[').next().unwrap_or(key);
    let (table, leaf) = match clean.rsplit_once('.') {
        Some((t, l)) => (t, l),
        None => ("", clean),
    };
    let (parent, last) = match table.rsplit_once('.') {
        Some((p, l)) => (p, l),
        None => ("", table),
    };
    let mut header = String::new();
    let mut header_line = None;
    let mut inline_line = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            header = line
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            if header == clean {
                return Some(i + 1);
            }
            if header == table && header_line.is_none() {
                header_line = Some(i + 1);
            }
            continue;
        }
        let assigns = |name: &str| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        };
        if header == table && !leaf.is_empty() && assigns(leaf) {
            return Some(i + 1);
        }
        if header == parent && !last.is_empty() && assigns(last) && inline_line.is_none() {
            inline_line = Some(i + 1);
        }
        if table.is_empty() && header.is_empty() && assigns(leaf) {
            return Some(i + 1);
        }
    }
    inline_line.or(header_line)
}

/// Suggests a fix for a serde/TOML message.
pub(crate) fn fix_for(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return match rest.split_once("expected ") {
            Some((_, expected)) => format!("remove {field} or rename it to {expected}"),
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
        return format!("write {expected} here");
    }
    if message.contains("duplicate key") {
        return "keep one of the two definitions".to_owned();
    }
    "check the TOML syntax at this position".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_keys_in_tables_and_inline_tables() {
        let text = "name = \"x\"\n[fleet]\nfile = \"a\"\n[strategy]\nname = \"y\"\n[disaster]\nnew_tenants = { count = 1 }\n";
        assert_eq!(locate(text, "name"), Some(1));
        assert_eq!(locate(text, "strategy.name"), Some(5));
        assert_eq!(locate(text, "fleet.file"), Some(3));
        assert_eq!(locate(text, "disaster.new_tenants.count"), Some(7));
        assert_eq!(locate(text, "strategy.nothing"), Some(4));
        assert_eq!(position("ab\ncd", 4), (2, 2));
    }
}
