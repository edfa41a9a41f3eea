//! Finding the line of a key in TOML text, for errors found after parsing
//! (cross-field checks) where serde has no span.

/// The 1-based line where the dotted `key` (e.g. `strategy.name`,
/// `tiers[1].weight`) is set: `leaf = ...` under the `[table]` header (the
/// n-th `[[table]]` for `table[n]`), or `table = { ... }` inline under its
/// parent, or else the table's header line.
pub fn locate(text: &str, key: &str) -> Option<usize> {
    let clean = match key.split_once('[') {
        Some((name, rest)) => {
            let index = rest.split(']').next().and_then(|n| n.parse::<usize>().ok());
            let leaf = rest.split_once("].").map_or("", |(_, leaf)| leaf);
            if let Some(i) = index
                && let Some(line) = locate_in_array(text, name, i, leaf)
            {
                return Some(line);
            }
            name
        }
        None => key,
    };
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
    // `[key.sub]` or `key.sub = ...` when `key` itself is never written.
    let mut nested_line = None;
    let dotted = format!("{clean}.");
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            header = header_name(line);
            if header == clean {
                return Some(i + 1);
            }
            if header.starts_with(&dotted) && nested_line.is_none() {
                nested_line = Some(i + 1);
            }
            if header == table && header_line.is_none() {
                header_line = Some(i + 1);
            }
            continue;
        }
        if header == table && !leaf.is_empty() && assigns(line, leaf) {
            return Some(i + 1);
        }
        if header == parent && !last.is_empty() && assigns(line, last) && inline_line.is_none() {
            inline_line = Some(i + 1);
        }
        if table.is_empty() && header.is_empty() && assigns(line, leaf) {
            return Some(i + 1);
        }
        if header.is_empty() && line.starts_with(&dotted) && nested_line.is_none() {
            nested_line = Some(i + 1);
        }
    }
    inline_line.or(header_line).or(nested_line)
}

/// The name inside a `[table]` or `[[array]]` header line.
fn header_name(line: &str) -> String {
    line.trim_start_matches('[')
        .split(']')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// Whether a trimmed line sets `name = ...`.
fn assigns(line: &str, name: &str) -> bool {
    line.strip_prefix(name)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// The line of `leaf` in the `index`-th `[[array]]` table (its header line
/// if the leaf is not written there, or `leaf` is empty).
fn locate_in_array(text: &str, array: &str, index: usize, leaf: &str) -> Option<usize> {
    let mut seen = 0usize;
    let mut inside = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            if inside.is_some() {
                break;
            }
            if line.starts_with("[[") && header_name(line) == array {
                if seen == index {
                    inside = Some(i + 1);
                    if leaf.is_empty() {
                        return inside;
                    }
                }
                seen += 1;
            }
            continue;
        }
        if inside.is_some() && assigns(line, leaf) {
            return Some(i + 1);
        }
    }
    inside
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
        assert_eq!(locate("name = 1\n[fleet.generate]\n", "fleet"), Some(2));
        assert_eq!(locate("fleet.file = \"x\"\n", "fleet"), Some(1));
    }

    #[test]
    fn locate_finds_keys_in_arrays_of_tables() {
        let text =
            "[[tiers]]\nname = \"a\"\nweight = 1\n[[tiers]]\nname = \"b\"\nweight = 0\n[app]\n";
        assert_eq!(locate(text, "tiers[1].weight"), Some(6));
        assert_eq!(locate(text, "tiers[0].name"), Some(2));
        assert_eq!(locate(text, "tiers[1]"), Some(4));
        assert_eq!(locate(text, "tiers[2].name"), Some(1));
    }
}
