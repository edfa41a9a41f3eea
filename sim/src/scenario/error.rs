//! Scenario errors: every one names the file, the line (when known), the
//! key and a fix: [`scheduler::diagnostic::FileError`], plus finding the
//! line of a key that semantic validation rejects.

use scheduler::diagnostic::FileError;

/// A scenario file that cannot be used: file, line, key and a fix (the
/// same located error the fleet files use).
pub type ScenarioError = FileError;

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
    }
}
