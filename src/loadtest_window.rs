//! `georestore loadtest`: the restore-submission window's figures (ARM
//! writes while geo-restores are submitted, against the write bucket's
//! refill; see [`sim::submission`]) as JSON, for the driver (from the
//! emulator's `/_emulator/state`) and the simulator alike.

use serde_json::{Value, json};
use sim::{BucketParams, SubmissionWindow};

/// The window's figures as the loadtest report shows them: `null` without
/// a geo-restore PUT; the rates are `null` for a window of length 0.
/// `writes` is the write bucket the run used (capacity and refill).
pub fn window_json(window: Option<SubmissionWindow>, writes: BucketParams) -> Value {
    let Some(w) = window else {
        return Value::Null;
    };
    json!({
        "first_s": w.first_ms as f64 / 1000.0,
        "last_s": w.last_ms as f64 / 1000.0,
        "window_h": w.seconds() / 3600.0,
        "restore_puts": w.restore_puts,
        "writes": w.writes,
        "throttled_writes": w.throttled_writes,
        "writes_per_s": w.writes_per_s(),
        "share_of_refill": w.share_of_refill(writes.refill_per_s),
        "share_beyond_capacity": w.share_beyond_capacity(writes.capacity, writes.refill_per_s),
    })
}

/// The window the emulator reports in its state document
/// (`model.submission_window`); `None` if it has none (no restore PUT) or
/// the document lacks it.
pub fn from_state(state: &Value) -> Option<SubmissionWindow> {
    serde_json::from_value(state["model"]["submission_window"].clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUCKET: BucketParams = BucketParams {
        capacity: 200,
        refill_per_s: 10,
    };

    #[test]
    fn figures_of_a_window() {
        let w = SubmissionWindow {
            first_ms: 60_000,
            last_ms: 420_000,
            restore_puts: 3_000,
            writes: 3_500,
            throttled_writes: 100,
        };
        let j = window_json(Some(w), BUCKET);
        assert_eq!(j["window_h"], 0.1);
        assert_eq!(j["writes_per_s"].as_f64().unwrap(), 3_500.0 / 360.0);
        assert_eq!(
            j["share_of_refill"].as_f64().unwrap(),
            3_500.0 / 360.0 / 10.0
        );
        assert_eq!(
            j["share_beyond_capacity"].as_f64().unwrap(),
            3_200.0 / 360.0 / 10.0
        );
        let state = json!({"model": {"submission_window": w}});
        assert_eq!(from_state(&state), Some(w));
    }

    #[test]
    fn no_window() {
        assert_eq!(window_json(None, BUCKET), Value::Null);
        assert_eq!(
            from_state(&json!({"model": {"submission_window": null}})),
            None
        );
        assert_eq!(from_state(&json!({})), None);
    }
}
