//! Pieces shared by several bodies: SKU, byte counts, secrets, tags.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Properties this crate does not type, kept as received (flattened into
/// the enclosing object when written).
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Resource tags (sorted, so serialization is deterministic).
pub type Tags = BTreeMap<String, String>;

/// An ARM SKU (`{name, tier?, size?, family?, capacity?}`), as used by
/// databases, elastic pools and App Service plans.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sku {
    /// SKU name (`S0`, `StandardPool`, `GP_Gen5`, `BC_Gen5`, `ElasticPool`...).
    pub name: String,
    /// Tier (`Standard`, `GeneralPurpose`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Size, for providers that use it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Hardware family (`Gen5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Capacity: DTUs, vCores or instance count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Sku {
    /// A SKU with a name only (a service objective such as `S3`, or an
    /// App Service plan size such as `S1`).
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    /// A SKU with a name and a tier only.
    pub fn new(name: impl Into<String>, tier: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            tier: Some(tier.into()),
            ..Self::default()
        }
    }
}

/// A size in bytes. Written as a JSON number; read from a number **or** a
/// numeric string (the 2014-04-01 API sends `"maxSizeBytes": "268435456000"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ByteCount(pub u64);

impl<'de> Deserialize<'de> for ByteCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(n) => Ok(Self(n)),
            Raw::Text(s) => {
                s.trim().parse().map(Self).map_err(|_| {
                    serde::de::Error::custom(format!("byte count {s:?} is not a number"))
                })
            }
        }
    }
}

/// A secret string (a password). Serialized as the plain string, because
/// ARM needs it, but its `Debug` never shows it, so it cannot reach a log
/// through `{:?}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }
    /// The secret itself, for the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_count_reads_numbers_and_numeric_strings() {
        let n: ByteCount = serde_json::from_str("268435456000").unwrap();
        let s: ByteCount = serde_json::from_str("\"268435456000\"").unwrap();
        assert_eq!(n, ByteCount(268_435_456_000));
        assert_eq!(n, s);
        assert_eq!(serde_json::to_string(&s).unwrap(), "268435456000");
        assert!(serde_json::from_str::<ByteCount>("\"lots\"").is_err());
        assert!(serde_json::from_str::<ByteCount>("-1").is_err());
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"hunter2\"");
        assert_eq!(s.expose(), "hunter2");
    }
}
