//! Every number of the Azure service model, with its default and its source.
//!
//! Sources are cited per field. "Limits doc" below is Azure SQL Database
//! "Restore a database from a backup"
//! (<https://learn.microsoft.com/azure/azure-sql/database/recovery-using-backups>,
//! `azure-sql/database/recovery-using-backups.md` in MicrosoftDocs/sql-docs);
//! "ARM doc" is Azure Resource Manager "request limits and throttling"
//! (<https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling>,
//! regional token-bucket model since 2024). Where no figure is published the
//! doc comment says "no published figure; assumed".

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A token bucket's size and refill rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BucketParams {
    /// Bucket size in tokens (the burst a full bucket allows). Must be >= 1.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub capacity: u32,
    /// Tokens added per second. Must be >= 1.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub refill_per_s: u32,
}

/// A lognormal duration: `median_ms * exp(sigma * Z)`, Z standard normal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LogNormalMs {
    /// The median duration in milliseconds.
    pub median_ms: u64,
    /// The standard deviation of the log (0 = fixed duration). Finite, >= 0.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10)))]
    pub sigma: f64,
}

/// The Azure service model's parameters. Every field has a default (below);
/// a scenario overrides any subset. Unknown keys are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ModelParams {
    /// ARM read bucket per subscription (GETs, including operation polls and
    /// lists). Default 250 tokens, refill 25/s. Source: ARM doc, token-bucket
    /// table (subscription reads 250 / 25 per s).
    pub arm_reads: BucketParams,
    /// ARM write bucket per subscription (PUT/PATCH/POST). Default 200
    /// tokens, refill 10/s. Source: ARM doc (subscription writes 200 / 10 per s).
    pub arm_writes: BucketParams,
    /// ARM delete bucket per subscription. Default 200 tokens, refill 10/s.
    /// Source: ARM doc (subscription deletes 200 / 10 per s).
    pub arm_deletes: BucketParams,

    /// Restores processed at once per elastic pool. Default 4. Source: limits
    /// doc, table "Elastic pool (per pool): max concurrent requests being
    /// processed 4".
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub pool_restore_slots: u32,
    /// Restores submitted (queued + processing) per elastic pool; more are
    /// refused. Default 2000. Source: limits doc, "being submitted 2,000".
    ///
    /// With the default [`ModelParams::max_databases_per_pool`] (500) this
    /// limit is never reached: a restore into a pool creates its database
    /// there at once (restoring databases count against the pool), so a
    /// pool holds at most 500 submitted restores and the 501st is refused
    /// with `DatabaseLimitReached` (409, permanent) before the queue is
    /// consulted. `RestoreQueueFull` (409, transient) shows only when
    /// `max_databases_per_pool` is raised above this limit. Scenario files
    /// refuse fleets with more databases in a pool than
    /// `max_databases_per_pool`.
    pub pool_restore_max_submitted: u32,
    /// Standalone (non-pool) restores processed at once per subscription.
    /// Default 30. Source: limits doc, "Single database (per subscription):
    /// being processed 30".
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub standalone_restore_slots: u32,
    /// Standalone restores submitted per subscription; more are refused.
    /// Default 100. Source: limits doc, "being submitted 100".
    pub standalone_restore_max_submitted: u32,
    /// Databases per elastic pool (restoring ones count). Default 500; it
    /// binds before [`ModelParams::pool_restore_max_submitted`] (2000), see
    /// there.
    /// Source: `resource-limits-dtu-elastic-pools.md` /
    /// `resource-limits-vcore-elastic-pools.md` (500 for >= 200 eDTU or
    /// >= 6 vCores).
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub max_databases_per_pool: u32,
    /// Databases per logical server (restoring ones count). Default 5000.
    /// Source: `resource-limits-logical-server.md` ("Databases per logical
    /// server 5000").
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub max_databases_per_server: u32,

    /// Fixed part of a restore's median duration, in ms. Default 600000
    /// (10 min). No published figure; assumed (Hyperscale restores are
    /// reported at ~10 min regardless of size).
    pub restore_base_ms: u64,
    /// Size-dependent part of a restore's median duration, ms per GB.
    /// Default 60000 (1 min/GB). Source: `elastic-pool-scale.md` data-copy
    /// operations "typically < 1 min per GB"; no published geo-restore
    /// throughput, so this is an assumed upper-typical rate.
    pub restore_per_gb_ms: u64,
    /// Lognormal sigma of restore durations around the size-based median;
    /// stands for log volume to replay and activity. Default 0.6. No
    /// published figure; assumed (with the defaults, restores of databases
    /// up to ~250 GB finish in under 12 h in > 90% of draws, matching the
    /// limits doc's "most database restores finish in less than 12 hours").
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10)))]
    pub restore_sigma: f64,
    /// Upper bound on any one restore's duration (after contention), in ms.
    /// Default 86400000 (24 h). No published figure; assumed (twice the
    /// published geo-restore ERT of 12 h).
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub restore_cap_ms: u64,
    /// Probability that one restore attempt fails with a retryable error
    /// part-way through. Default 0.01. No published figure; assumed.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub restore_transient_failure_prob: f64,
    /// Probability that a recoverable database cannot be restored at all
    /// (every attempt fails, not retryable). Default 0.001. No published
    /// figure; assumed.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub restore_permanent_failure_prob: f64,

    /// Mean age of a database's newest geo-replicated backup at the time of
    /// the outage (exponential), in ms: the data-loss window. Default 600000
    /// (10 min). Source: SaaS DR tutorial (`saas-dbpertenant-dr-geo-restore.md`):
    /// geo-backups "typically available within 10 minutes".
    pub geo_backup_age_mean_ms: u64,
    /// Cap on the geo-backup age, in ms. Default 3600000 (1 h). Source:
    /// limits doc: a geo-restored database "can be up to one hour behind"
    /// (RPO < 1 h).
    pub geo_backup_age_max_ms: u64,

    /// Logical server creation time. Default median 180000 ms (3 min), sigma
    /// 0.5. No published figure; assumed (community reports: minutes, heavy
    /// tail).
    pub server_create: LogNormalMs,
    /// Elastic pool creation time. Default median 300000 ms (5 min), sigma
    /// 0.5. No published figure; assumed (`elastic-pool-scale.md` gives
    /// "typically < 5 min" for constant-time pool operations).
    pub pool_create: LogNormalMs,
    /// Probability that a pool creation attempt fails with the retryable
    /// `RegionDoesNotAllowProvisioning` (capacity shortage in the recovery
    /// region). Default 0.0. No published figure; assumed (scenarios with a
    /// capacity shortage raise it).
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub pool_create_failure_prob: f64,
    /// Mean extra delay (exponential) added to every pool creation under a
    /// capacity shortage, in ms. Default 0. No published figure; assumed.
    pub pool_create_shortage_delay_mean_ms: u64,
    /// Web app (App Service) creation time. Default median 120000 ms (2 min),
    /// sigma 0.5. No published figure; assumed.
    pub web_app_create: LogNormalMs,
    /// Logical server deletion time (with its pools and databases). Default
    /// median 60000 ms, sigma 0.5. No published figure; assumed.
    pub server_delete: LogNormalMs,
    /// Database deletion time. Default median 10000 ms, sigma 0.5. No
    /// published figure; assumed.
    pub database_delete: LogNormalMs,
    /// Fixed part of moving a database into an elastic pool, in ms. Default
    /// 60000. Source: `elastic-pool-scale.md` (constant-time moves "typically
    /// < 5 min"); exact value assumed.
    pub move_to_pool_base_ms: u64,
    /// Size part of moving a database into a pool, ms per GB. Default 60000.
    /// Source: `elastic-pool-scale.md` ("proportional to space used,
    /// typically < 1 min per GB").
    pub move_to_pool_per_gb_ms: u64,

    /// Minimum DNS alias switch latency (uniform), in ms. Default 1000. No
    /// published figure; assumed.
    pub dns_alias_min_ms: u64,
    /// Maximum DNS alias switch latency (uniform), in ms. Default 120000.
    /// Source: `dns-alias-overview.md`: "up to 2 minutes for a DNS alias to
    /// be updated or removed".
    pub dns_alias_max_ms: u64,
    /// Minimum Traffic Manager endpoint enable/disable latency (uniform), ms.
    /// Default 1000. No published figure; assumed.
    pub traffic_manager_min_ms: u64,
    /// Maximum Traffic Manager endpoint change latency (uniform), ms. Default
    /// 60000. Source: a manual endpoint change skips health probing, leaving
    /// the DNS TTL (~60 s in the LogScale DR guide's worked example).
    pub traffic_manager_max_ms: u64,

    /// Fixed part of geo-replica seeding, ms. Default 60000. No published
    /// figure; assumed.
    pub seeding_base_ms: u64,
    /// Size part of geo-replica seeding, ms per GB. Default 30000. No
    /// published seeding rate; assumed.
    pub seeding_per_gb_ms: u64,
    /// Lognormal sigma of seeding durations. Default 0.3. No published
    /// figure; assumed.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10)))]
    pub seeding_sigma: f64,
    /// Planned (no data loss) failover of one geo-replica. Default median
    /// 30000 ms, sigma 0.5. Source: business-continuity table, manual database
    /// failover RTO 30 s; planned failover duration otherwise unpublished.
    pub planned_failover: LogNormalMs,
    /// Catalog operation (mark tenant online/offline, shard pointer update: a
    /// SQL call, not ARM). Default median 20 ms, sigma 0.5. No published
    /// figure; assumed.
    pub catalog_update: LogNormalMs,
}

impl Default for ModelParams {
    fn default() -> Self {
        Self {
            arm_reads: BucketParams {
                capacity: 250,
                refill_per_s: 25,
            },
            arm_writes: BucketParams {
                capacity: 200,
                refill_per_s: 10,
            },
            arm_deletes: BucketParams {
                capacity: 200,
                refill_per_s: 10,
            },
            pool_restore_slots: 4,
            pool_restore_max_submitted: 2_000,
            standalone_restore_slots: 30,
            standalone_restore_max_submitted: 100,
            max_databases_per_pool: 500,
            max_databases_per_server: 5_000,
            restore_base_ms: 600_000,
            restore_per_gb_ms: 60_000,
            restore_sigma: 0.6,
            restore_cap_ms: 86_400_000,
            restore_transient_failure_prob: 0.01,
            restore_permanent_failure_prob: 0.001,
            geo_backup_age_mean_ms: 600_000,
            geo_backup_age_max_ms: 3_600_000,
            server_create: LogNormalMs {
                median_ms: 180_000,
                sigma: 0.5,
            },
            pool_create: LogNormalMs {
                median_ms: 300_000,
                sigma: 0.5,
            },
            pool_create_failure_prob: 0.0,
            pool_create_shortage_delay_mean_ms: 0,
            web_app_create: LogNormalMs {
                median_ms: 120_000,
                sigma: 0.5,
            },
            server_delete: LogNormalMs {
                median_ms: 60_000,
                sigma: 0.5,
            },
            database_delete: LogNormalMs {
                median_ms: 10_000,
                sigma: 0.5,
            },
            move_to_pool_base_ms: 60_000,
            move_to_pool_per_gb_ms: 60_000,
            dns_alias_min_ms: 1_000,
            dns_alias_max_ms: 120_000,
            traffic_manager_min_ms: 1_000,
            traffic_manager_max_ms: 60_000,
            seeding_base_ms: 60_000,
            seeding_per_gb_ms: 30_000,
            seeding_sigma: 0.3,
            planned_failover: LogNormalMs {
                median_ms: 30_000,
                sigma: 0.5,
            },
            catalog_update: LogNormalMs {
                median_ms: 20,
                sigma: 0.5,
            },
        }
    }
}

/// A parameter value outside its allowed range.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("model parameter `{field}` {problem}")]
pub struct ParamsError {
    /// The offending field, as spelled in a scenario file.
    pub field: &'static str,
    /// What is wrong and what is allowed.
    pub problem: String,
}

fn err(field: &'static str, problem: impl Into<String>) -> ParamsError {
    ParamsError {
        field,
        problem: problem.into(),
    }
}

fn check_prob(field: &'static str, p: f64) -> Result<(), ParamsError> {
    if p.is_finite() && (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(err(field, format!("is {p}; use a probability in [0, 1]")))
    }
}

fn check_sigma(field: &'static str, sigma: f64) -> Result<(), ParamsError> {
    if sigma.is_finite() && (0.0..=10.0).contains(&sigma) {
        Ok(())
    } else {
        Err(err(
            field,
            format!("sigma is {sigma}; use a finite value in [0, 10]"),
        ))
    }
}

fn check_bucket(field: &'static str, b: BucketParams) -> Result<(), ParamsError> {
    if b.capacity == 0 || b.refill_per_s == 0 {
        Err(err(
            field,
            "needs capacity >= 1 and refill_per_s >= 1 (an empty bucket that never refills stalls every client)",
        ))
    } else {
        Ok(())
    }
}

fn check_at_least_one(field: &'static str, v: u32) -> Result<(), ParamsError> {
    if v == 0 {
        Err(err(field, "is 0; use at least 1"))
    } else {
        Ok(())
    }
}

fn check_range(
    min_field: &'static str,
    min: u64,
    max_field: &'static str,
    max: u64,
) -> Result<(), ParamsError> {
    if min > max {
        Err(err(
            min_field,
            format!("({min}) is above `{max_field}` ({max}); make min <= max"),
        ))
    } else {
        Ok(())
    }
}

impl ModelParams {
    /// Checks every field's range; the first problem found is returned.
    ///
    /// Contract: a model built from validated params never panics on any
    /// request sequence.
    pub fn validate(&self) -> Result<(), ParamsError> {
        check_bucket("arm_reads", self.arm_reads)?;
        check_bucket("arm_writes", self.arm_writes)?;
        check_bucket("arm_deletes", self.arm_deletes)?;
        check_at_least_one("pool_restore_slots", self.pool_restore_slots)?;
        check_at_least_one("standalone_restore_slots", self.standalone_restore_slots)?;
        if self.pool_restore_max_submitted < self.pool_restore_slots {
            return Err(err(
                "pool_restore_max_submitted",
                "is below pool_restore_slots; use at least as many",
            ));
        }
        if self.standalone_restore_max_submitted < self.standalone_restore_slots {
            return Err(err(
                "standalone_restore_max_submitted",
                "is below standalone_restore_slots; use at least as many",
            ));
        }
        check_at_least_one("max_databases_per_pool", self.max_databases_per_pool)?;
        check_at_least_one("max_databases_per_server", self.max_databases_per_server)?;
        check_sigma("restore_sigma", self.restore_sigma)?;
        if self.restore_cap_ms == 0 {
            return Err(err("restore_cap_ms", "is 0; use a positive cap"));
        }
        check_prob(
            "restore_transient_failure_prob",
            self.restore_transient_failure_prob,
        )?;
        check_prob(
            "restore_permanent_failure_prob",
            self.restore_permanent_failure_prob,
        )?;
        check_sigma("server_create", self.server_create.sigma)?;
        check_sigma("pool_create", self.pool_create.sigma)?;
        check_prob("pool_create_failure_prob", self.pool_create_failure_prob)?;
        check_sigma("web_app_create", self.web_app_create.sigma)?;
        check_sigma("server_delete", self.server_delete.sigma)?;
        check_sigma("database_delete", self.database_delete.sigma)?;
        check_range(
            "dns_alias_min_ms",
            self.dns_alias_min_ms,
            "dns_alias_max_ms",
            self.dns_alias_max_ms,
        )?;
        check_range(
            "traffic_manager_min_ms",
            self.traffic_manager_min_ms,
            "traffic_manager_max_ms",
            self.traffic_manager_max_ms,
        )?;
        check_sigma("seeding_sigma", self.seeding_sigma)?;
        check_sigma("planned_failover", self.planned_failover.sigma)?;
        check_sigma("catalog_update", self.catalog_update.sigma)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_match_published_limits() {
        let p = ModelParams::default();
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(
            (p.arm_writes.capacity, p.arm_writes.refill_per_s),
            (200, 10)
        );
        assert_eq!(
            (p.arm_deletes.capacity, p.arm_deletes.refill_per_s),
            (200, 10)
        );
        assert_eq!((p.arm_reads.capacity, p.arm_reads.refill_per_s), (250, 25));
        assert_eq!(
            (p.pool_restore_slots, p.pool_restore_max_submitted),
            (4, 2000)
        );
        assert_eq!(
            (
                p.standalone_restore_slots,
                p.standalone_restore_max_submitted
            ),
            (30, 100)
        );
        assert_eq!(p.geo_backup_age_max_ms, 3_600_000);
        assert_eq!(p.dns_alias_max_ms, 120_000);
    }

    #[test]
    fn partial_toml_overrides_and_unknown_keys_are_refused() {
        let p: ModelParams = toml::from_str(
            "pool_restore_slots = 8\n[arm_writes]\ncapacity = 50\nrefill_per_s = 5\n",
        )
        .expect("valid overrides");
        assert_eq!(p.pool_restore_slots, 8);
        assert_eq!(p.arm_writes.capacity, 50);
        assert_eq!(p.arm_reads, ModelParams::default().arm_reads);

        let e = toml::from_str::<ModelParams>("pool_restore_slot = 8\n").unwrap_err();
        assert!(e.to_string().contains("pool_restore_slot"), "{e}");
        let e = toml::from_str::<ModelParams>("[arm_writes]\ncapacity = 5\n").unwrap_err();
        assert!(e.to_string().contains("refill_per_s"), "{e}");
    }

    #[test]
    fn serde_round_trip() {
        let p = ModelParams::default();
        let json = serde_json::to_string(&p).expect("serialize");
        let back: ModelParams = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, p);
    }

    #[test]
    fn validation_names_the_field() {
        let p = ModelParams {
            restore_transient_failure_prob: 1.5,
            ..ModelParams::default()
        };
        assert_eq!(
            p.validate().unwrap_err().field,
            "restore_transient_failure_prob"
        );
        let p = ModelParams {
            pool_restore_max_submitted: 2,
            ..ModelParams::default()
        };
        assert_eq!(
            p.validate().unwrap_err().field,
            "pool_restore_max_submitted"
        );
        let p = ModelParams {
            dns_alias_min_ms: 5,
            dns_alias_max_ms: 1,
            ..ModelParams::default()
        };
        assert_eq!(p.validate().unwrap_err().field, "dns_alias_min_ms");
        let p = ModelParams {
            restore_sigma: f64::NAN,
            ..ModelParams::default()
        };
        assert_eq!(p.validate().unwrap_err().field, "restore_sigma");
    }
}
