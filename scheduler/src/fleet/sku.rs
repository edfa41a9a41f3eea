//! Elastic pool SKUs as ARM names them (`sku.name`, `sku.tier`,
//! `sku.family`, `sku.capacity`).

use serde::Serialize;

/// An elastic pool's ARM SKU.
///
/// DTU pools are named `<Edition>Pool` (`BasicPool`, `StandardPool`,
/// `PremiumPool`) with the eDTU as capacity; vCore pools `GP_<family>`,
/// `BC_<family>` or `HS_<family>` with the vCores as capacity (family
/// `Gen5` unless given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolSku {
    /// `sku.name`, e.g. `StandardPool` or `GP_Gen5`.
    pub name: String,
    /// `sku.tier`: the edition, e.g. `Standard` or `GeneralPurpose`.
    pub tier: String,
    /// `sku.family` of a vCore pool, e.g. `Gen5`.
    pub family: Option<String>,
    /// `sku.capacity`: eDTU or vCores.
    pub capacity: u32,
}

impl PoolSku {
    /// The SKU of a DTU pool of `edition` with `dtu` eDTU; `name`
    /// overrides the derived name.
    pub fn dtu(edition: &str, dtu: u32, name: Option<&str>) -> PoolSku {
        PoolSku {
            name: name.map_or_else(|| format!("{edition}Pool"), str::to_owned),
            tier: edition.to_owned(),
            family: None,
            capacity: dtu,
        }
    }

    /// The SKU of a vCore pool, or `None` when the edition has no known
    /// SKU prefix and no `name` is given.
    pub fn vcores(
        edition: &str,
        vcores: u32,
        family: Option<&str>,
        name: Option<&str>,
    ) -> Option<PoolSku> {
        let family = family.unwrap_or("Gen5");
        let name = match name {
            Some(name) => name.to_owned(),
            None => {
                let prefix = match edition {
                    "GeneralPurpose" => "GP",
                    "BusinessCritical" => "BC",
                    "Hyperscale" => "HS",
                    _ => return None,
                };
                format!("{prefix}_{family}")
            }
        };
        Some(PoolSku {
            name,
            tier: edition.to_owned(),
            family: Some(family.to_owned()),
            capacity: vcores,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_follow_arm() {
        assert_eq!(PoolSku::dtu("Standard", 100, None).name, "StandardPool");
        assert_eq!(PoolSku::dtu("Premium", 125, Some("X")).name, "X");
        let gp = PoolSku::vcores("GeneralPurpose", 2, None, None).expect("known edition");
        assert_eq!(
            (gp.name.as_str(), gp.family.as_deref(), gp.capacity),
            ("GP_Gen5", Some("Gen5"), 2)
        );
        let bc = PoolSku::vcores("BusinessCritical", 4, Some("DC"), None).expect("known");
        assert_eq!(bc.name, "BC_DC");
        assert!(PoolSku::vcores("Standard", 2, None, None).is_none());
    }
}
