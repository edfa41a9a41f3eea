//! Faults injected into ARM answers, set at start or at run time through
//! `POST /_emulator/faults`.
//!
//! Supported: 429 storms, a rate of 500 and of 503 answers, connection
//! resets (the connection is closed without an answer, after the model
//! acted on the request: a lost answer), added latency, and the origin
//! region coming back at a model time, and operations whose status
//! monitors never report an end. A restore failure rate is a scenario
//! parameter of the model (`[model] restore_transient_failure_prob` /
//! `restore_permanent_failure_prob`) and cannot change at run time.
//! Unknown keys are refused (400), so a client learns at once that a
//! fault it asks for is not supported.

use serde::{Deserialize, Serialize};

/// The fault settings. Every field defaults to "no fault".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Answer every ARM call `429 TooManyRequests` (without asking the
    /// model) for this many real seconds from when the faults are set.
    pub throttle_storm_s: f64,
    /// `Retry-After` of a storm's 429s, seconds (0 → 1).
    pub throttle_retry_after_s: u32,
    /// Fraction of ARM calls answered `500 InternalServerError` before
    /// the model sees them, in [0, 1].
    pub error_500_rate: f64,
    /// Fraction of ARM calls answered `503 ServiceUnavailable` before the
    /// model sees them, in [0, 1].
    pub error_503_rate: f64,
    /// Fraction of ARM calls whose connection is closed without an
    /// answer **after** the model acted on them, in [0, 1].
    pub reset_rate: f64,
    /// Real milliseconds added before each ARM answer.
    pub latency_ms: u64,
    /// Model seconds from the start at which the origin region comes back
    /// (`None`: keep the current setting).
    pub origin_back_at_s: Option<f64>,
    /// Fraction of operations that never finish as their status monitors
    /// tell it, in [0, 1]: their `Azure-AsyncOperation` monitor answers
    /// `InProgress` and their `Location` monitor 202 for as long as the
    /// fault is set, whatever the model did (the resource itself shows
    /// the outcome). Which operations is a fixed function of their id
    /// ([`Faults::stuck`]), so a stuck operation stays stuck.
    pub stuck_operations_rate: f64,
}

/// A fault setting that is out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fault setting {field}: {problem}")]
pub struct FaultError {
    /// The field.
    pub field: &'static str,
    /// What is wrong.
    pub problem: String,
}

impl Faults {
    /// Checks ranges: rates in [0, 1] summing to at most 1 with the reset
    /// rate apart, durations finite and >= 0.
    pub fn validate(&self) -> Result<(), FaultError> {
        let rate = |field: &'static str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(FaultError {
                    field,
                    problem: format!("{v} is not in [0, 1]"),
                })
            }
        };
        rate("error_500_rate", self.error_500_rate)?;
        rate("error_503_rate", self.error_503_rate)?;
        rate("reset_rate", self.reset_rate)?;
        rate("stuck_operations_rate", self.stuck_operations_rate)?;
        if self.error_500_rate + self.error_503_rate > 1.0 {
            return Err(FaultError {
                field: "error_503_rate",
                problem: "error_500_rate + error_503_rate exceeds 1".to_owned(),
            });
        }
        let duration = |field: &'static str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(FaultError {
                    field,
                    problem: format!("{v} is not a finite number >= 0"),
                })
            }
        };
        duration("throttle_storm_s", self.throttle_storm_s)?;
        if let Some(s) = self.origin_back_at_s {
            duration("origin_back_at_s", s)?;
        }
        Ok(())
    }
}

impl Faults {
    /// Whether the operation `operation_id` is one of the stuck ones: its
    /// FNV-1a hash, as a fraction of `u64::MAX`, is below the rate.
    pub fn stuck(&self, operation_id: &str) -> bool {
        if self.stuck_operations_rate <= 0.0 {
            return false;
        }
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in operation_id.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        (h as f64 / u64::MAX as f64) < self.stuck_operations_rate
    }
}

/// What a fault does to one ARM call, decided before the model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    /// No fault before the model.
    None,
    /// Answer 429 with this Retry-After (s).
    Throttle(u32),
    /// Answer 500.
    Error500,
    /// Answer 503.
    Error503,
}

/// A small deterministic generator (SplitMix64) for fault draws.
#[derive(Debug, Clone)]
pub struct Draws(u64);

impl Draws {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// A uniform draw in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked() {
        assert!(Faults::default().validate().is_ok());
        for bad in [
            Faults {
                error_500_rate: 1.5,
                ..Faults::default()
            },
            Faults {
                error_500_rate: 0.6,
                error_503_rate: 0.6,
                ..Faults::default()
            },
            Faults {
                throttle_storm_s: f64::NAN,
                ..Faults::default()
            },
            Faults {
                origin_back_at_s: Some(-1.0),
                ..Faults::default()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn unknown_faults_are_refused() {
        let e = serde_json::from_str::<Faults>(r#"{"never_finish_rate": 0.1}"#);
        assert!(e.is_err());
        let ok: Faults = serde_json::from_str(r#"{"error_503_rate": 0.25}"#).expect("parses");
        assert_eq!(ok.error_503_rate, 0.25);
    }

    #[test]
    fn stuck_operations_are_a_fixed_share() {
        let f = Faults {
            stuck_operations_rate: 0.3,
            ..Faults::default()
        };
        let stuck = (0..10_000).filter(|i| f.stuck(&i.to_string())).count();
        assert!((2_700..3_300).contains(&stuck), "{stuck}");
        assert_eq!(f.stuck("42"), f.stuck("42"));
        assert!(!Faults::default().stuck("42"));
        let all = Faults {
            stuck_operations_rate: 1.0,
            ..Faults::default()
        };
        assert!((0..100).all(|i| all.stuck(&i.to_string())));
    }

    #[test]
    fn draws_are_uniform_enough() {
        let mut d = Draws::new(7);
        let n = 10_000;
        let below = (0..n).filter(|_| d.uniform() < 0.25).count();
        assert!((2_300..2_700).contains(&below), "{below}");
    }
}
