//! One `--vary` argument: a scenario key in dotted form and the values it
//! takes, `key=v1,v2,...` or `key=a..b:step`.
//!
//! Values are TOML literals where they parse as one (`4`, `0.5`, `true`,
//! `"x"`), bare strings otherwise (`wingtip`). A range `a..b:step` gives
//! `a, a + step, ...` up to `b` inclusive: integers when `a`, `b` and `step`
//! are all integers, floats otherwise (each rounded to 9 decimals, so
//! `0..1:0.1` gives `0.3`, not `0.30000000000000004`).

use super::SweepError;

/// Most values one `--vary` may give (a range included).
pub const MAX_VALUES: usize = 10_000;

/// A varied key and its values, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// The dotted key, e.g. `model.pool_restore_slots` (`strategy` is
    /// short for `strategy.name`).
    pub key: String,
    /// Its values, at least one.
    pub values: Vec<toml::Value>,
}

fn error(arg: &str, message: impl Into<String>, fix: impl Into<String>) -> SweepError {
    SweepError::Vary {
        arg: arg.to_owned(),
        message: message.into(),
        fix: fix.into(),
    }
}

const FORM: &str = "write --vary key=v1,v2,... or --vary key=a..b:step, with a dotted scenario key such as strategy.name or model.pool_restore_slots";

impl Vary {
    /// Parses `key=v1,v2,...` or `key=a..b:step`.
    ///
    /// Contract: the key is non-empty, made of `[A-Za-z0-9_-]` segments
    /// joined by dots; `runs` is refused (it is `--runs`); at least one and
    /// at most [`MAX_VALUES`] values. Whether the key exists in scenario
    /// files is checked when the grid loads (by the scenario loader).
    pub fn parse(arg: &str) -> Result<Vary, SweepError> {
        let Some((key, values)) = arg.split_once('=') else {
            return Err(error(arg, "no `=` between the key and its values", FORM));
        };
        let key = checked_key(arg, key, FORM)?;
        let values = values.trim();
        let values = match range(values) {
            Some(r) => r.map_err(|(message, fix)| error(arg, message, fix))?,
            None => list(values),
        };
        if values.is_empty() || values.iter().any(|v| v.as_str() == Some("")) {
            return Err(error(arg, "an empty value", FORM));
        }
        if values.len() > MAX_VALUES {
            return Err(error(
                arg,
                format!("{} values; at most {MAX_VALUES}", values.len()),
                "use a larger step or fewer values",
            ));
        }
        Ok(Vary {
            key: key.to_owned(),
            values,
        })
    }
}

const ONE_FORM: &str = "write --set KEY=VALUE with a dotted scenario key such as strategy.queue_margin or model.pool_restore_slots (`georestore schema` lists them)";

impl Vary {
    /// Parses `key=value` (what `--set` takes): one value, the whole text
    /// after the first `=` (commas and `..` included), as a TOML literal or
    /// a bare string.
    ///
    /// Contract: the key rules of [`Vary::parse`]; the value is not empty.
    pub fn parse_one(arg: &str) -> Result<Vary, SweepError> {
        let Some((key, value)) = arg.split_once('=') else {
            return Err(error(arg, "no `=` between the key and its value", ONE_FORM));
        };
        let key = checked_key(arg, key, ONE_FORM)?;
        if value.trim().is_empty() {
            return Err(error(arg, "an empty value", ONE_FORM));
        }
        Ok(Vary {
            key: key.to_owned(),
            values: vec![literal(value)],
        })
    }
}

/// The dotted key of `arg` (`strategy` stands for `strategy.name`), or the
/// error for it with `form` as the fix.
fn checked_key<'a>(arg: &str, key: &'a str, form: &str) -> Result<&'a str, SweepError> {
    let key = key.trim();
    let key = if key == "strategy" {
        "strategy.name"
    } else {
        key
    };
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if !key.split('.').all(segment_ok) {
        return Err(error(
            arg,
            format!("`{key}` is not a dotted scenario key"),
            form,
        ));
    }
    if key == "runs" {
        return Err(error(
            arg,
            "the number of runs is not a scenario key here",
            "give it with --runs N",
        ));
    }
    Ok(key)
}

/// A TOML literal, or the text as a string.
fn literal(text: &str) -> toml::Value {
    let text = text.trim();
    format!("v = {text}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(text.to_owned()))
}

fn list(values: &str) -> Vec<toml::Value> {
    values.split(',').map(literal).collect()
}

type RangeResult = Result<Vec<toml::Value>, (String, String)>;

/// `a..b:step`, or `None` when `values` is not of that form.
fn range(values: &str) -> Option<RangeResult> {
    let (bounds, step) = values.split_once(':')?;
    let (a, b) = bounds.split_once("..")?;
    let fix = "write a..b:step with numbers a <= b and step > 0, e.g. 2..8:2 or 0..1:0.25";
    let bad = |message: String| Some(Err((message, fix.to_owned())));
    let (a, b, step) = (a.trim(), b.trim(), step.trim());
    if let (Ok(a), Ok(b), Ok(step)) = (a.parse::<i64>(), b.parse::<i64>(), step.parse::<i64>()) {
        if step <= 0 || b < a {
            return bad(format!("the range {a}..{b}:{step} is empty"));
        }
        let count = (i128::from(b) - i128::from(a)) / i128::from(step) + 1;
        if count > MAX_VALUES as i128 {
            return bad(format!("{count} values; at most {MAX_VALUES}"));
        }
        let values = (0..count as i64)
            .map(|k| toml::Value::Integer(a + k * step))
            .collect();
        return Some(Ok(values));
    }
    let (Ok(fa), Ok(fb), Ok(fstep)) = (a.parse::<f64>(), b.parse::<f64>(), step.parse::<f64>())
    else {
        return bad(format!("`{a}`, `{b}` or `{step}` is not a number"));
    };
    if !(fa.is_finite() && fb.is_finite() && fstep.is_finite() && fstep > 0.0 && fb >= fa) {
        return bad(format!("the range {a}..{b}:{step} is empty or not finite"));
    }
    let count = ((fb - fa) / fstep + 1e-9).floor() + 1.0;
    if count > MAX_VALUES as f64 {
        return bad(format!("{count} values; at most {MAX_VALUES}"));
    }
    let values = (0..count as u32)
        .map(|k| {
            let v = fa + f64::from(k) * fstep;
            toml::Value::Float((v * 1e9).round() / 1e9)
        })
        .collect();
    Some(Ok(values))
}

/// A value as a grid point shows it: strings bare, others as TOML.
pub fn show(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(arg: &str) -> Vec<String> {
        Vary::parse(arg)
            .expect("parses")
            .values
            .iter()
            .map(show)
            .collect()
    }

    #[test]
    fn lists_ranges_and_literals() {
        assert_eq!(
            values("strategy=wingtip,size-aware"),
            ["wingtip", "size-aware"]
        );
        assert_eq!(Vary::parse("strategy=x").expect("ok").key, "strategy.name");
        assert_eq!(
            values("model.pool_restore_slots=2..8:2"),
            ["2", "4", "6", "8"]
        );
        assert_eq!(
            values("disaster.contention=0..0.5:0.1"),
            ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5"]
        );
        assert_eq!(values("a.b=1,0.5,true,\"s\""), ["1", "0.5", "true", "s"]);
        let v = Vary::parse("a=3").expect("ok");
        assert_eq!(v.values, [toml::Value::Integer(3)]);
    }

    #[test]
    fn bad_arguments_name_the_fix() {
        for (arg, needle) in [
            ("strategy", "no `=`"),
            ("=1", "not a dotted scenario key"),
            ("a..b=1", "not a dotted scenario key"),
            ("runs=1,2", "--runs"),
            ("a=1,,2", "empty value"),
            ("a=5..1:1", "is empty"),
            ("a=0..1:0", "is empty"),
            ("a=x..y:1", "not a number"),
            ("a=0..1000000:1", "at most"),
        ] {
            let e = Vary::parse(arg).expect_err(arg).to_string();
            assert!(e.contains(needle), "{arg}: {e}");
            assert!(e.contains("fix:"), "{arg}: {e}");
        }
    }
}
