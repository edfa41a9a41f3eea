//! The tenant catalog (shard map): what the scheduler's
//! [`CatalogCall`]s change, and the rows a resume reads back.
//!
//! [`Catalog`] has one method per [`CatalogCall`] variant ([`Catalog::apply`]
//! dispatches exhaustively, so a new call cannot be forgotten) plus
//! [`Catalog::rows`]. Two back ends:
//!
//! - [`SqliteCatalog`]: an embedded SQLite file (the default), seeded from
//!   the fleet file ([`SqliteCatalog::seed_from_fleet`]);
//! - [`ExecCatalog`]: runs the user's command once per call, with the call
//!   as JSON on stdin and a JSON answer on stdout (how a real shard map,
//!   e.g. Wingtip's in Azure SQL, is plugged in); protocol in [`exec`].
//!
//! Both pass one contract suite (`driver/tests/catalog_contract.rs`).

mod error;
pub mod exec;
pub mod sqlite;

use std::collections::BTreeMap;

use scheduler::resume::CatalogRow;
use scheduler::{CatalogCall, Event, OpId};
use serde::{Deserialize, Serialize};

pub use error::CatalogError;
pub use exec::ExecCatalog;
pub use sqlite::{SqliteCatalog, default_path};

use crate::journal::CatalogOutcome;

/// A tenant's catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TenantRow {
    /// Tenant key.
    pub tenant_id: String,
    /// Marked online.
    pub online: bool,
    /// The server its entry points at (fully qualified, e.g.
    /// `tenants1-recovery.database.windows.net`).
    pub server: String,
    /// The database its entry points at.
    pub database: String,
}

impl TenantRow {
    /// The row as [`scheduler::resume::ObservedEstate::catalog`] takes it.
    pub fn to_catalog_row(&self) -> CatalogRow {
        CatalogRow {
            online: self.online,
            server: self.server.clone(),
        }
    }
}

/// What a successful call returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogAnswer {
    /// Done (mark, route).
    Done,
    /// Answer to [`CatalogCall::CheckChanged`].
    Changed(bool),
}

impl CatalogAnswer {
    /// The scheduler event reporting it for `op`.
    pub fn to_event(self, op: OpId) -> Event {
        match self {
            CatalogAnswer::Done => Event::Succeeded { op },
            CatalogAnswer::Changed(changed) => Event::Changed { op, changed },
        }
    }

    /// The journal record of it.
    pub fn to_outcome(self) -> CatalogOutcome {
        match self {
            CatalogAnswer::Done => CatalogOutcome::Succeeded,
            CatalogAnswer::Changed(changed) => CatalogOutcome::Changed { changed },
        }
    }
}

/// A tenant catalog. Every method either does what it says and returns
/// `Ok`, or returns an error saying whether retrying may help
/// ([`CatalogError::kind`]). Marks and routes are idempotent: repeating a
/// call that was done is `Ok`. A tenant the catalog does not hold is
/// [`CatalogError::UnknownTenant`] (permanent).
pub trait Catalog: Send {
    /// Marks the tenant offline ([`CatalogCall::MarkOffline`]).
    fn mark_offline(&mut self, tenant_id: &str) -> Result<(), CatalogError>;

    /// Marks the tenant online ([`CatalogCall::MarkOnline`]).
    fn mark_online(&mut self, tenant_id: &str) -> Result<(), CatalogError>;

    /// Points the tenant's entry at `server`/`database`
    /// ([`CatalogCall::Route`]); its online mark is left as it is.
    fn route(&mut self, tenant_id: &str, server: &str, database: &str) -> Result<(), CatalogError>;

    /// Whether the tenant's data changed since it came online in recovery
    /// ([`CatalogCall::CheckChanged`]).
    fn check_changed(&mut self, tenant_id: &str) -> Result<bool, CatalogError>;

    /// Every tenant's entry, ordered by tenant key.
    fn rows(&mut self) -> Result<Vec<TenantRow>, CatalogError>;

    /// Carries out `call` (exhaustive over [`CatalogCall`]).
    fn apply(&mut self, call: &CatalogCall) -> Result<CatalogAnswer, CatalogError> {
        match call {
            CatalogCall::MarkOffline { tenant_id } => {
                self.mark_offline(tenant_id).map(|()| CatalogAnswer::Done)
            }
            CatalogCall::MarkOnline { tenant_id } => {
                self.mark_online(tenant_id).map(|()| CatalogAnswer::Done)
            }
            CatalogCall::Route {
                tenant_id,
                server,
                database,
            } => self
                .route(tenant_id, server, database)
                .map(|()| CatalogAnswer::Done),
            CatalogCall::CheckChanged { tenant_id } => {
                self.check_changed(tenant_id).map(CatalogAnswer::Changed)
            }
        }
    }

    /// The rows keyed by tenant, as [`scheduler::resume::ObservedEstate::catalog`]
    /// takes them.
    fn observed_rows(&mut self) -> Result<BTreeMap<String, CatalogRow>, CatalogError> {
        Ok(self
            .rows()?
            .into_iter()
            .map(|r| {
                let row = r.to_catalog_row();
                (r.tenant_id, row)
            })
            .collect())
    }
}
