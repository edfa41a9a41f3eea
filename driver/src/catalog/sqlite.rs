//! The embedded catalog: one SQLite file (WAL mode, `synchronous = NORMAL`:
//! a change survives the process being killed; a power loss may undo the
//! last few, which a resume reads back and the scheduler makes again — the
//! calls are idempotent. `FULL` would cost an fsync, ~3.5 ms here, per
//! call, on the executor's critical path).
//!
//! Schema ([`SCHEMA`]):
//!
//! ```sql
//! CREATE TABLE tenants (
//!     tenant_id     TEXT PRIMARY KEY,      -- the fleet's tenant key
//!     tenant_name   TEXT NOT NULL,         -- for people
//!     server        TEXT NOT NULL,         -- fully qualified server its entry points at
//!     database      TEXT NOT NULL,         -- database its entry points at
//!     online        INTEGER NOT NULL,      -- 1 online, 0 offline
//!     changed       INTEGER NOT NULL,      -- 1 if its data changed since it came online
//!                                          -- in recovery (set by the application or an
//!                                          -- operator: the catalog cannot see tenant data)
//!     updated_at_ms INTEGER NOT NULL       -- last change, ms since the Unix epoch
//! );
//! CREATE TABLE catalog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);  -- ('schema', '1')
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};
use scheduler::fleet::Fleet;
use scheduler::protocol::SQL_DNS_SUFFIX;

use super::{Catalog, CatalogError, TenantRow};
use crate::unix_ms;

/// The embedded catalog's tables (idempotent).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tenants (
    tenant_id     TEXT PRIMARY KEY,
    tenant_name   TEXT NOT NULL DEFAULT '',
    server        TEXT NOT NULL,
    database      TEXT NOT NULL,
    online        INTEGER NOT NULL CHECK (online IN (0, 1)),
    changed       INTEGER NOT NULL DEFAULT 0 CHECK (changed IN (0, 1)),
    updated_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS catalog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO catalog_meta (key, value) VALUES ('schema', '1');
";

/// The default embedded catalog of a fleet file: `<fleet>.catalog.sqlite`.
pub fn default_path(fleet: &Path) -> PathBuf {
    let mut name = fleet.as_os_str().to_owned();
    name.push(".catalog.sqlite");
    PathBuf::from(name)
}

/// The embedded SQLite catalog.
pub struct SqliteCatalog {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteCatalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteCatalog")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteCatalog {
    /// Opens (creating if needed) the catalog at `path`.
    ///
    /// Errors: [`CatalogError::Sqlite`] when the file cannot be opened or
    /// is not an SQLite database.
    pub fn open(path: &Path) -> Result<SqliteCatalog, CatalogError> {
        let db = |cause| CatalogError::Sqlite {
            path: path.to_owned(),
            cause,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(db)?;
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db)?;
        conn.execute_batch(SCHEMA).map_err(db)?;
        Ok(SqliteCatalog {
            conn,
            path: path.to_owned(),
        })
    }

    /// The catalog file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite(&self) -> impl Fn(rusqlite::Error) -> CatalogError + '_ {
        |cause| CatalogError::Sqlite {
            path: self.path.clone(),
            cause,
        }
    }

    /// Adds a row for every tenant database of `fleet` that has none yet:
    /// online, pointing at its origin server (fully qualified) and
    /// database, as the catalog stood before the outage. Rows already there
    /// are left alone. Returns how many were added.
    ///
    /// Errors: [`CatalogError::Sqlite`].
    pub fn seed_from_fleet(&mut self, fleet: &Fleet) -> Result<usize, CatalogError> {
        let path = self.path.clone();
        let db = |cause| CatalogError::Sqlite {
            path: path.clone(),
            cause,
        };
        let at = unix_ms();
        let tx = self.conn.transaction().map_err(db)?;
        let mut added = 0;
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR IGNORE INTO tenants \
                     (tenant_id, tenant_name, server, database, online, changed, updated_at_ms) \
                     VALUES (?1, ?2, ?3, ?4, 1, 0, ?5)",
                )
                .map_err(db)?;
            for d in &fleet.databases {
                let server = fleet
                    .servers
                    .get(d.server.0 as usize)
                    .map_or_else(String::new, |s| format!("{}{SQL_DNS_SUFFIX}", s.name));
                added += insert
                    .execute(params![d.tenant_id, d.tenant, server, d.name, at])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(added)
    }

    /// Inserts or replaces `row` (its `changed` flag cleared).
    ///
    /// Errors: [`CatalogError::Sqlite`].
    pub fn put(&mut self, row: &TenantRow) -> Result<(), CatalogError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO tenants \
                 (tenant_id, tenant_name, server, database, online, changed, updated_at_ms) \
                 VALUES (?1, '', ?2, ?3, ?4, 0, ?5)",
                params![
                    row.tenant_id,
                    row.server,
                    row.database,
                    row.online,
                    unix_ms()
                ],
            )
            .map_err(self.sqlite())?;
        Ok(())
    }

    /// Sets the tenant's `changed` flag (what [`Catalog::check_changed`]
    /// answers).
    ///
    /// Errors: [`CatalogError::UnknownTenant`], [`CatalogError::Sqlite`].
    pub fn set_changed(&mut self, tenant_id: &str, changed: bool) -> Result<(), CatalogError> {
        self.update("changed = ?2", tenant_id, params![tenant_id, changed])
    }

    fn update(
        &mut self,
        set: &str,
        tenant_id: &str,
        args: impl rusqlite::Params,
    ) -> Result<(), CatalogError> {
        // The time comes from SQLite, so each statement's text stays the
        // same and its prepared form is reused.
        let sql = format!(
            "UPDATE tenants SET {set}, updated_at_ms = \
             CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE tenant_id = ?1"
        );
        let changed = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.execute(args))
            .map_err(self.sqlite())?;
        if changed == 0 {
            return Err(CatalogError::UnknownTenant {
                tenant_id: tenant_id.to_owned(),
            });
        }
        Ok(())
    }
}

impl Catalog for SqliteCatalog {
    fn mark_offline(&mut self, tenant_id: &str) -> Result<(), CatalogError> {
        self.update("online = 0", tenant_id, params![tenant_id])
    }

    fn mark_online(&mut self, tenant_id: &str) -> Result<(), CatalogError> {
        self.update("online = 1", tenant_id, params![tenant_id])
    }

    fn route(&mut self, tenant_id: &str, server: &str, database: &str) -> Result<(), CatalogError> {
        self.update(
            "server = ?2, database = ?3",
            tenant_id,
            params![tenant_id, server, database],
        )
    }

    fn check_changed(&mut self, tenant_id: &str) -> Result<bool, CatalogError> {
        use rusqlite::OptionalExtension;
        let changed: Option<bool> = self
            .conn
            .query_row(
                "SELECT changed FROM tenants WHERE tenant_id = ?1",
                params![tenant_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sqlite())?;
        changed.ok_or_else(|| CatalogError::UnknownTenant {
            tenant_id: tenant_id.to_owned(),
        })
    }

    fn rows(&mut self) -> Result<Vec<TenantRow>, CatalogError> {
        let path = self.path.clone();
        let db = |cause| CatalogError::Sqlite {
            path: path.clone(),
            cause,
        };
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT tenant_id, online, server, database FROM tenants ORDER BY tenant_id",
            )
            .map_err(db)?;
        let rows = statement
            .query_map([], |r| {
                Ok(TenantRow {
                    tenant_id: r.get(0)?,
                    online: r.get(1)?,
                    server: r.get(2)?,
                    database: r.get(3)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }
}
