//! The response headers that carry protocol meaning, and `Retry-After`.
//!
//! [`Headers`] keeps only what matters (LRO URLs, `Retry-After`, `Date`,
//! request id, remaining-request counters). [`Headers::from_pairs`] reads
//! raw pairs with case-insensitive names; a value that does not parse is
//! ignored (the field stays `None`), never a panic. When a header appears
//! twice, the last one wins.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::request::ArmClass;

/// `Azure-AsyncOperation`.
pub const AZURE_ASYNC_OPERATION: &str = "Azure-AsyncOperation";
/// `Location`.
pub const LOCATION: &str = "Location";
/// `Retry-After`.
pub const RETRY_AFTER: &str = "Retry-After";
/// `Date`.
pub const DATE: &str = "Date";
/// `x-ms-request-id`.
pub const REQUEST_ID: &str = "x-ms-request-id";

/// Remaining-request counters ARM (and resource providers) return,
/// `x-ms-ratelimit-remaining-*`. `None` = header absent or unreadable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RateLimits {
    /// `x-ms-ratelimit-remaining-subscription-reads`.
    pub subscription_reads: Option<u32>,
    /// `x-ms-ratelimit-remaining-subscription-writes`.
    pub subscription_writes: Option<u32>,
    /// `x-ms-ratelimit-remaining-subscription-deletes`.
    pub subscription_deletes: Option<u32>,
    /// `x-ms-ratelimit-remaining-tenant-reads`.
    pub tenant_reads: Option<u32>,
    /// `x-ms-ratelimit-remaining-tenant-writes`.
    pub tenant_writes: Option<u32>,
    /// `x-ms-ratelimit-remaining-tenant-deletes`.
    pub tenant_deletes: Option<u32>,
    /// `x-ms-ratelimit-remaining-subscription-global-reads` (limit shared by all principals).
    pub global_reads: Option<u32>,
    /// `x-ms-ratelimit-remaining-subscription-global-writes`.
    pub global_writes: Option<u32>,
    /// `x-ms-ratelimit-remaining-subscription-global-deletes`.
    pub global_deletes: Option<u32>,
    /// `x-ms-ratelimit-remaining-subscription-resource-requests`: a
    /// resource provider's own limit, counted over every request class.
    pub resource_requests: Option<u32>,
    /// `x-ms-ratelimit-remaining-subscription-resource-entities-read`: a
    /// resource provider's own limit on reads.
    pub resource_entities_read: Option<u32>,
}

/// (header name, accessor) for every counter, in `to_pairs` order.
type Slot = (&'static str, fn(&mut RateLimits) -> &mut Option<u32>);

const RATE_LIMIT_HEADERS: [Slot; 11] = [
    ("x-ms-ratelimit-remaining-subscription-reads", |r| {
        &mut r.subscription_reads
    }),
    ("x-ms-ratelimit-remaining-subscription-writes", |r| {
        &mut r.subscription_writes
    }),
    ("x-ms-ratelimit-remaining-subscription-deletes", |r| {
        &mut r.subscription_deletes
    }),
    ("x-ms-ratelimit-remaining-tenant-reads", |r| {
        &mut r.tenant_reads
    }),
    ("x-ms-ratelimit-remaining-tenant-writes", |r| {
        &mut r.tenant_writes
    }),
    ("x-ms-ratelimit-remaining-tenant-deletes", |r| {
        &mut r.tenant_deletes
    }),
    ("x-ms-ratelimit-remaining-subscription-global-reads", |r| {
        &mut r.global_reads
    }),
    ("x-ms-ratelimit-remaining-subscription-global-writes", |r| {
        &mut r.global_writes
    }),
    (
        "x-ms-ratelimit-remaining-subscription-global-deletes",
        |r| &mut r.global_deletes,
    ),
    (
        "x-ms-ratelimit-remaining-subscription-resource-requests",
        |r| &mut r.resource_requests,
    ),
    (
        "x-ms-ratelimit-remaining-subscription-resource-entities-read",
        |r| &mut r.resource_entities_read,
    ),
];

impl RateLimits {
    /// The most constraining (smallest) counter that applies to `class`:
    /// the subscription, tenant and global counters of that class, the
    /// provider's `resource-requests` (all classes) and, for reads,
    /// `resource-entities-read`. `None` if no such header was present.
    pub fn remaining(&self, class: ArmClass) -> Option<u32> {
        let per_class = match class {
            ArmClass::Read => [
                self.subscription_reads,
                self.tenant_reads,
                self.global_reads,
                self.resource_entities_read,
            ],
            ArmClass::Write => [
                self.subscription_writes,
                self.tenant_writes,
                self.global_writes,
                None,
            ],
            ArmClass::Delete => [
                self.subscription_deletes,
                self.tenant_deletes,
                self.global_deletes,
                None,
            ],
        };
        per_class
            .into_iter()
            .chain([self.resource_requests])
            .flatten()
            .min()
    }
}

/// The protocol-relevant headers of a response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headers {
    /// `Azure-AsyncOperation`: status-monitor URL (poll this first).
    pub azure_async_operation: Option<String>,
    /// `Location`: result URL (poll this when there is no Azure-AsyncOperation).
    pub location: Option<String>,
    /// `Retry-After`, raw (seconds or an HTTP date); see [`parse_retry_after`].
    pub retry_after: Option<String>,
    /// `Date`, raw (the server's clock, used to read an HTTP-date Retry-After).
    pub date: Option<String>,
    /// `x-ms-request-id`, for diagnostics.
    pub request_id: Option<String>,
    /// `x-ms-ratelimit-remaining-*` counters.
    pub rate_limits: RateLimits,
}

impl Headers {
    /// Reads raw header pairs. Names are case-insensitive; values are
    /// trimmed; an empty or unreadable value is ignored; unknown headers
    /// are ignored; for a repeated header the last readable value wins.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut h = Self::default();
        for (name, value) in pairs {
            let name = name.trim();
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let text = Some(value.to_owned());
            if name.eq_ignore_ascii_case(AZURE_ASYNC_OPERATION) {
                h.azure_async_operation = text;
            } else if name.eq_ignore_ascii_case(LOCATION) {
                h.location = text;
            } else if name.eq_ignore_ascii_case(RETRY_AFTER) {
                h.retry_after = text;
            } else if name.eq_ignore_ascii_case(DATE) {
                h.date = text;
            } else if name.eq_ignore_ascii_case(REQUEST_ID) {
                h.request_id = text;
            } else if let Some((_, slot)) = RATE_LIMIT_HEADERS
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                && let Ok(n) = value.parse::<u32>()
            {
                *slot(&mut h.rate_limits) = Some(n);
            }
        }
        h
    }

    /// The headers as (canonical name, value) pairs, for a server to send.
    /// Only present fields are listed, in a fixed order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let text = [
            (AZURE_ASYNC_OPERATION, &self.azure_async_operation),
            (LOCATION, &self.location),
            (RETRY_AFTER, &self.retry_after),
            (DATE, &self.date),
            (REQUEST_ID, &self.request_id),
        ];
        for (name, value) in text {
            if let Some(v) = value {
                out.push((name, v.clone()));
            }
        }
        let mut limits = self.rate_limits;
        for (name, slot) in RATE_LIMIT_HEADERS {
            if let Some(n) = *slot(&mut limits) {
                out.push((name, n.to_string()));
            }
        }
        out
    }

    /// The most constraining remaining-request counter for `class`
    /// ([`RateLimits::remaining`]).
    pub fn remaining(&self, class: ArmClass) -> Option<u32> {
        self.rate_limits.remaining(class)
    }

    /// The `Retry-After` delay in milliseconds ([`parse_retry_after`] with
    /// this response's `Date`); `None` if absent or unreadable.
    pub fn retry_after_ms(&self) -> Option<u64> {
        parse_retry_after(self.retry_after.as_deref()?, self.date.as_deref())
    }
}

/// Reads a `Retry-After` value as a delay in milliseconds, without a clock:
/// - delta-seconds (`"5"`) → 5000; a negative number (`"-3"`) → 0; a
///   number too large for `u64` milliseconds saturates;
/// - an HTTP date → that date minus the response's `Date` header (the
///   server's own clock, so no local clock is needed); a date in the past
///   → 0. **Without a readable `Date` header an HTTP-date Retry-After
///   yields `None`** (the caller then uses its own interval);
/// - anything else (empty, fractional, garbage) → `None`.
pub fn parse_retry_after(value: &str, date_header: Option<&str>) -> Option<u64> {
    let v = value.trim();
    let (negative, digits) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if negative {
            return Some(0);
        }
        let secs = digits.parse::<u64>().unwrap_or(u64::MAX);
        return Some(secs.saturating_mul(1000));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    let now: SystemTime = httpdate::parse_http_date(date_header?.trim()).ok()?;
    Some(match at.duration_since(now) {
        Ok(d) => u64::try_from(d.as_millis()).unwrap_or(u64::MAX),
        Err(_) => 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds() {
        assert_eq!(parse_retry_after("5", None), Some(5000));
        assert_eq!(parse_retry_after(" 0 ", None), Some(0));
        assert_eq!(parse_retry_after("+2", None), Some(2000));
        assert_eq!(parse_retry_after("-3", None), Some(0));
        assert_eq!(
            parse_retry_after("99999999999999999999999", None),
            Some(u64::MAX)
        );
    }

    #[test]
    fn retry_after_http_date_is_relative_to_the_date_header() {
        let date = Some("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:07 GMT", date),
            Some(7000)
        );
        // In the past → 0.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", date),
            Some(0)
        );
        // No Date header, or an unreadable one → None (no wall clock).
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:07 GMT", None),
            None
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:07 GMT", Some("yesterday")),
            None
        );
    }

    #[test]
    fn retry_after_garbage() {
        for v in [
            "",
            " ",
            "soon",
            "1.5",
            "5s",
            "-",
            "+",
            "0x10",
            "Wed, 99 Foo",
        ] {
            assert_eq!(
                parse_retry_after(v, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
                None,
                "{v:?}"
            );
        }
    }

    #[test]
    fn from_pairs_is_case_insensitive_and_ignores_garbage() {
        let h = Headers::from_pairs([
            ("azure-asyncoperation", "https://a/op?api-version=1"),
            ("LOCATION", "https://a/loc"),
            ("retry-after", "10"),
            ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ("X-MS-RATELIMIT-REMAINING-SUBSCRIPTION-READS", "11999"),
            ("x-ms-ratelimit-remaining-subscription-writes", "banana"),
            ("x-ms-ratelimit-remaining-subscription-deletes", "-1"),
            ("x-ms-ratelimit-remaining-tenant-reads", " 42 "),
            ("content-type", "application/json"),
            ("Location", ""),
        ]);
        assert_eq!(
            h.azure_async_operation.as_deref(),
            Some("https://a/op?api-version=1")
        );
        assert_eq!(h.location.as_deref(), Some("https://a/loc"));
        assert_eq!(h.retry_after_ms(), Some(10_000));
        assert_eq!(h.rate_limits.subscription_reads, Some(11999));
        assert_eq!(h.rate_limits.subscription_writes, None);
        assert_eq!(h.rate_limits.subscription_deletes, None);
        assert_eq!(h.remaining(ArmClass::Read), Some(42));
        assert_eq!(h.remaining(ArmClass::Write), None);
    }

    #[test]
    fn remaining_is_the_minimum_for_the_class() {
        let limits = RateLimits {
            subscription_reads: Some(200),
            tenant_reads: Some(150),
            global_reads: Some(3000),
            subscription_writes: Some(90),
            tenant_writes: Some(100),
            global_writes: Some(7),
            subscription_deletes: Some(14997),
            resource_entities_read: Some(120),
            ..RateLimits::default()
        };
        assert_eq!(limits.remaining(ArmClass::Read), Some(120));
        assert_eq!(limits.remaining(ArmClass::Write), Some(7));
        assert_eq!(limits.remaining(ArmClass::Delete), Some(14997));
        let rp = RateLimits {
            resource_requests: Some(3),
            ..limits
        };
        assert_eq!(rp.remaining(ArmClass::Read), Some(3));
        assert_eq!(rp.remaining(ArmClass::Delete), Some(3));
        assert_eq!(RateLimits::default().remaining(ArmClass::Read), None);
    }

    #[test]
    fn to_pairs_round_trips() {
        let h = Headers {
            azure_async_operation: Some("https://a/op".into()),
            location: Some("https://a/loc".into()),
            retry_after: Some("0".into()),
            date: None,
            request_id: Some("r-1".into()),
            rate_limits: RateLimits {
                subscription_deletes: Some(14997),
                global_writes: Some(2999),
                resource_requests: Some(5),
                ..RateLimits::default()
            },
        };
        let pairs = h.to_pairs();
        assert!(pairs.contains(&(
            "x-ms-ratelimit-remaining-subscription-deletes",
            "14997".into()
        )));
        let back = Headers::from_pairs(pairs.iter().map(|(n, v)| (*n, v.as_str())));
        assert_eq!(back, h);
    }
}
