//! `[prices]`: what recovery-region pool capacity costs per hour, by SKU
//! family, to turn the runs' capacity-hours into money (`plan-capacity`).
//!
//! The built-in rates ([`DEFAULT_EDTU_HOUR`], [`DEFAULT_VCORE_HOUR`]) are
//! **illustrative**: round figures of the order of Azure's pay-as-you-go
//! list prices, not taken from a published source this project cites (the
//! sources in `/work/shared/reference` publish limits, not prices). Set
//! your own rates from your agreement or the Azure pricing page; a rate
//! given for an edition replaces the built-in one, the others stay.

use std::collections::BTreeMap;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use scheduler::fleet::PoolCapacity;

/// Built-in price of one eDTU-hour of an elastic pool, by edition
/// (illustrative, see the module doc).
pub const DEFAULT_EDTU_HOUR: &[(&str, f64)] =
    &[("Basic", 0.002), ("Standard", 0.003), ("Premium", 0.0075)];

/// Built-in price of one vCore-hour of an elastic pool, by edition
/// (illustrative, see the module doc).
pub const DEFAULT_VCORE_HOUR: &[(&str, f64)] = &[
    ("GeneralPurpose", 0.38),
    ("BusinessCritical", 1.0),
    ("Hyperscale", 0.38),
];

/// The unit a pool's capacity is sold in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum CapacityUnit {
    /// eDTU (DTU pools).
    #[serde(rename = "eDTU")]
    Edtu,
    /// vCores (vCore pools).
    #[serde(rename = "vCore")]
    VCore,
}

impl CapacityUnit {
    /// The unit and amount of a pool's capacity.
    pub fn of(capacity: PoolCapacity) -> (CapacityUnit, u32) {
        match capacity {
            PoolCapacity::Dtu(d) => (CapacityUnit::Edtu, d),
            PoolCapacity::VCores(v) => (CapacityUnit::VCore, v),
        }
    }

    /// The unit's name, `eDTU` or `vCore`.
    pub fn label(self) -> &'static str {
        match self {
            CapacityUnit::Edtu => "eDTU",
            CapacityUnit::VCore => "vCore",
        }
    }

    /// The `[prices]` key of the unit's table.
    pub fn key(self) -> &'static str {
        match self {
            CapacityUnit::Edtu => "edtu_hour",
            CapacityUnit::VCore => "vcore_hour",
        }
    }
}

/// Hourly prices of recovery-region pool capacity (`[prices]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Prices {
    /// Currency the rates are in (a label only). Default `USD`.
    #[serde(default = "usd")]
    pub currency: String,
    /// Price of one eDTU for one hour, by edition (`Basic`, `Standard`,
    /// `Premium`); editions not given keep the built-in illustrative rate.
    #[serde(default)]
    pub edtu_hour: BTreeMap<String, f64>,
    /// Price of one vCore for one hour, by edition (`GeneralPurpose`,
    /// `BusinessCritical`, `Hyperscale`); editions not given keep the
    /// built-in illustrative rate.
    #[serde(default)]
    pub vcore_hour: BTreeMap<String, f64>,
}

fn usd() -> String {
    "USD".to_owned()
}

impl Default for Prices {
    fn default() -> Self {
        Prices {
            currency: usd(),
            edtu_hour: BTreeMap::new(),
            vcore_hour: BTreeMap::new(),
        }
    }
}

/// Where a rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RateSource {
    /// Given in the scenario's `[prices]`.
    #[serde(rename = "scenario")]
    Scenario,
    /// The built-in illustrative rate.
    #[serde(rename = "built-in (illustrative)")]
    BuiltIn,
}

impl Prices {
    /// The hourly rate of one `unit` of an `edition` pool and where it came
    /// from; `None` when neither the scenario nor the built-in table has it.
    pub fn rate(&self, unit: CapacityUnit, edition: &str) -> Option<(f64, RateSource)> {
        let (given, builtin) = match unit {
            CapacityUnit::Edtu => (&self.edtu_hour, DEFAULT_EDTU_HOUR),
            CapacityUnit::VCore => (&self.vcore_hour, DEFAULT_VCORE_HOUR),
        };
        if let Some(&r) = given.get(edition) {
            return Some((r, RateSource::Scenario));
        }
        builtin
            .iter()
            .find(|(e, _)| *e == edition)
            .map(|&(_, r)| (r, RateSource::BuiltIn))
    }

    /// `Err((key, message, fix))` for a rate that is negative or not finite.
    pub fn validate(&self) -> Result<(), (String, String, String)> {
        for (unit, table) in [
            (CapacityUnit::Edtu, &self.edtu_hour),
            (CapacityUnit::VCore, &self.vcore_hour),
        ] {
            for (edition, &rate) in table {
                if !(rate.is_finite() && rate >= 0.0) {
                    return Err((
                        format!("prices.{}.{edition}", unit.key()),
                        format!("the {edition} rate is {rate}"),
                        "use a price per unit-hour >= 0".into(),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_rate_replaces_the_built_in_one_only() {
        let mut p = Prices::default();
        assert_eq!(
            p.rate(CapacityUnit::Edtu, "Standard"),
            Some((0.003, RateSource::BuiltIn))
        );
        p.edtu_hour.insert("Standard".into(), 0.01);
        assert_eq!(
            p.rate(CapacityUnit::Edtu, "Standard"),
            Some((0.01, RateSource::Scenario))
        );
        assert_eq!(
            p.rate(CapacityUnit::Edtu, "Premium"),
            Some((0.0075, RateSource::BuiltIn))
        );
        assert_eq!(p.rate(CapacityUnit::VCore, "Standard"), None);
        p.vcore_hour.insert("GeneralPurpose".into(), -1.0);
        let (key, ..) = p.validate().expect_err("negative");
        assert_eq!(key, "prices.vcore_hour.GeneralPurpose");
    }
}
