//! The journal's header: which run, which fleet, which format.

use std::path::{Path, PathBuf};

use scheduler::fleet::Fleet;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::JournalError;

/// Tenants of one priority tier in the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierCount {
    /// Tier name, e.g. `premium`.
    pub name: String,
    /// Tenants in the fleet file with that tier.
    pub tenants: u64,
}

/// What a run says about itself when it opens a journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    /// The fleet file as given on the command line.
    pub fleet_path: String,
    /// Hex SHA-256 of the fleet file's bytes ([`fleet_sha256`]).
    pub fleet_sha256: String,
    /// The fleet's name.
    pub fleet_name: String,
    /// Tenants per tier, highest tier first.
    pub tiers: Vec<TierCount>,
    /// Restore strategy name.
    pub strategy: String,
    /// georestore's version (the binary's `CARGO_PKG_VERSION`).
    pub georestore_version: String,
}

impl RunInfo {
    /// The run of `fleet`, read from the file at `fleet_path` (hashed here),
    /// with `strategy`, by georestore `version`.
    ///
    /// Errors: [`JournalError::Io`] if the fleet file cannot be read.
    pub fn for_fleet(
        fleet_path: &Path,
        fleet: &Fleet,
        strategy: &str,
        version: &str,
    ) -> Result<RunInfo, JournalError> {
        let bytes = std::fs::read(fleet_path).map_err(|cause| JournalError::Io {
            path: fleet_path.to_owned(),
            cause,
        })?;
        Ok(RunInfo {
            fleet_path: fleet_path.display().to_string(),
            fleet_sha256: fleet_sha256(&bytes),
            fleet_name: fleet.name.clone(),
            tiers: tier_counts(fleet),
            strategy: strategy.to_owned(),
            georestore_version: version.to_owned(),
        })
    }
}

/// Hex SHA-256 of a fleet file's bytes.
pub fn fleet_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Tenants per tier of `fleet`, in the fleet's tier order.
pub fn tier_counts(fleet: &Fleet) -> Vec<TierCount> {
    let mut counts: Vec<TierCount> = fleet
        .tiers
        .iter()
        .map(|t| TierCount {
            name: t.name.clone(),
            tenants: 0,
        })
        .collect();
    for db in &fleet.databases {
        if let Some(count) = counts.get_mut(usize::from(db.tier.0)) {
            count.tenants += 1;
        }
    }
    counts
}

/// The header as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Layout version ([`super::JOURNAL_SCHEMA`] when written).
    pub journal_schema: u32,
    /// [`scheduler::FORMAT_VERSION`] of the JSON columns.
    pub format_version: u32,
    /// The fleet file as first given.
    pub fleet_path: PathBuf,
    /// Hex SHA-256 of the fleet file.
    pub fleet_sha256: String,
    /// The fleet's name.
    pub fleet_name: String,
    /// Restore strategy of the first run.
    pub strategy: String,
    /// When the first run started (ms since the Unix epoch).
    pub started_at_ms: i64,
    /// georestore version of the first run.
    pub georestore_version: String,
    /// Tenants per tier.
    pub tiers: Vec<TierCount>,
}

/// Reads the header of an open journal; `None` if it has none yet.
pub(crate) fn read(conn: &rusqlite::Connection) -> rusqlite::Result<Option<(Header, String)>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT journal_schema, format_version, fleet_path, fleet_sha256, fleet_name, strategy, \
         started_at_ms, georestore_version, tiers FROM header WHERE id = 1",
        [],
        |r| {
            let tiers: String = r.get(8)?;
            Ok((
                Header {
                    journal_schema: r.get(0)?,
                    format_version: r.get(1)?,
                    fleet_path: PathBuf::from(r.get::<_, String>(2)?),
                    fleet_sha256: r.get(3)?,
                    fleet_name: r.get(4)?,
                    strategy: r.get(5)?,
                    started_at_ms: r.get(6)?,
                    georestore_version: r.get(7)?,
                    tiers: Vec::new(),
                },
                tiers,
            ))
        },
    )
    .optional()
}

/// Parses the tiers column into `header`.
pub(crate) fn with_tiers(
    mut header: Header,
    tiers: &str,
    path: &Path,
) -> Result<Header, JournalError> {
    header.tiers = serde_json::from_str(tiers).map_err(|e| JournalError::Damaged {
        path: path.to_owned(),
        what: format!("header tiers: {e}"),
    })?;
    Ok(header)
}

/// Refuses a header of another format, layout or fleet.
pub(crate) fn check(header: &Header, run: &RunInfo, path: &Path) -> Result<(), JournalError> {
    if header.format_version != scheduler::FORMAT_VERSION
        || header.journal_schema != super::JOURNAL_SCHEMA
    {
        return Err(JournalError::Version {
            path: path.to_owned(),
            found_format: header.format_version,
            found_schema: header.journal_schema,
            expected_format: scheduler::FORMAT_VERSION,
            expected_schema: super::JOURNAL_SCHEMA,
            writer: header.georestore_version.clone(),
        });
    }
    if header.fleet_sha256 != run.fleet_sha256 {
        return Err(JournalError::OtherFleet {
            path: path.to_owned(),
            mismatch: Box::new(super::FleetMismatch {
                journal_fleet: header.fleet_name.clone(),
                journal_fleet_path: header.fleet_path.display().to_string(),
                journal_sha256: header.fleet_sha256.clone(),
                given_path: run.fleet_path.clone(),
                given_sha256: run.fleet_sha256.clone(),
            }),
        });
    }
    Ok(())
}
