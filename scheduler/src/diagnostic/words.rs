//! serde's type names in plain words: "a whole number from 0 to
//! 4294967295", not `u32`; "a table such as { ... }", not `struct X`.

/// The expected type `expected` (as serde names it after "expected ") in
/// words a user of the file understands.
pub fn in_words(expected: &str) -> String {
    let expected = expected.trim();
    let whole = |min: &str, max: &str| format!("a whole number from {min} to {max}");
    match expected {
        "u8" => whole("0", "255"),
        "u16" => whole("0", "65535"),
        "u32" => whole("0", "4294967295"),
        "u64" | "usize" => whole("0", "18446744073709551615"),
        "i8" => whole("-128", "127"),
        "i16" => whole("-32768", "32767"),
        "i32" => whole("-2147483648", "2147483647"),
        "i64" | "isize" => whole("-9223372036854775808", "9223372036854775807"),
        "f32" | "f64" => "a number (such as 2 or 0.5)".to_owned(),
        "a string" | "a borrowed string" | "string" => "text in double quotes".to_owned(),
        "a boolean" | "bool" => "true or false".to_owned(),
        "a sequence" => "a list [ ... ]".to_owned(),
        "a map" => "a table".to_owned(),
        "struct BucketParams" => "a table such as { capacity = 250, refill_per_s = 25 }".to_owned(),
        "struct LogNormalMs" => "a table such as { median_ms = 60000, sigma = 0.5 }".to_owned(),
        "struct SizeDistribution" => {
            "a table such as { median_gb = 2.0, sigma = 1.0, max_gb = 500.0 }".to_owned()
        }
        "a path" | "path string" => "a path in double quotes".to_owned(),
        other => match other.strip_prefix("struct ") {
            Some(_) => "a table".to_owned(),
            None => other.to_owned(),
        },
    }
}

/// A serde/TOML type or value error rewritten in words, with its fix:
/// `invalid value: integer `-1`, expected u32` becomes "`-1` is out of
/// range: expected a whole number from 0 to 4294967295". `None` for other
/// messages.
pub fn type_error_in_words(message: &str) -> Option<(String, String)> {
    let (found, expected) = if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ")?;
        let expected = in_words(expected);
        let value = found.split_once(' ').map_or(found, |(_, v)| v);
        return Some((
            format!("{value} is out of range: expected {expected}"),
            format!("write {expected} here"),
        ));
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        rest.split_once(", expected ")?
    } else {
        return None;
    };
    let expected = in_words(expected);
    let found = found_in_words(found);
    Some((
        format!("expected {expected}, found {found}"),
        format!("write {expected} here"),
    ))
}

/// serde's "found" side (`string "x"`, `floating point `1.5``) in words.
fn found_in_words(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string ") {
        format!("the text {text}")
    } else if let Some(value) = found.strip_prefix("floating point ") {
        format!("the number {value}")
    } else if let Some(value) = found.strip_prefix("integer ") {
        format!("the whole number {value}")
    } else if let Some(value) = found.strip_prefix("boolean ") {
        value.to_owned()
    } else if found == "sequence" {
        "a list".to_owned()
    } else if found == "map" {
        "a table".to_owned()
    } else {
        found.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ranges_and_types_are_said_in_words() {
        assert_eq!(
            type_error_in_words("invalid value: integer `-1`, expected u32"),
            Some((
                "`-1` is out of range: expected a whole number from 0 to 4294967295".into(),
                "write a whole number from 0 to 4294967295 here".into()
            ))
        );
        assert_eq!(
            type_error_in_words("invalid type: string \"three\", expected u32"),
            Some((
                "expected a whole number from 0 to 4294967295, found the text \"three\"".into(),
                "write a whole number from 0 to 4294967295 here".into()
            ))
        );
        let (message, _) =
            type_error_in_words("invalid type: integer `5`, expected struct BucketParams")
                .expect("rewritten");
        assert_eq!(
            message,
            "expected a table such as { capacity = 250, refill_per_s = 25 }, found the whole number `5`"
        );
        assert_eq!(type_error_in_words("missing field `x`"), None);
    }
}
