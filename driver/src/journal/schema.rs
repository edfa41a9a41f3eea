//! The journal's SQLite schema (version [`JOURNAL_SCHEMA`]).
//!
//! One file, append-only tables, every timestamp in milliseconds since the
//! Unix epoch (`*_at_ms`). JSON columns hold the scheduler's own serde
//! shapes, versioned by `header.format_version` ([`scheduler::FORMAT_VERSION`]).

/// Version of the table layout below; a journal of another layout is refused.
pub const JOURNAL_SCHEMA: u32 = 1;

/// The tables, created if missing (idempotent).
pub const CREATE: &str = r#"
-- One row: which run this journal belongs to.
CREATE TABLE IF NOT EXISTS header (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    journal_schema     INTEGER NOT NULL,  -- JOURNAL_SCHEMA
    format_version     INTEGER NOT NULL,  -- scheduler::FORMAT_VERSION of the JSON columns
    fleet_path         TEXT    NOT NULL,  -- the fleet file as first given
    fleet_sha256       TEXT    NOT NULL,  -- hex SHA-256 of its bytes
    fleet_name         TEXT    NOT NULL,
    strategy           TEXT    NOT NULL,
    started_at_ms      INTEGER NOT NULL,
    georestore_version TEXT    NOT NULL,  -- of the run that created the journal
    tiers              TEXT    NOT NULL   -- JSON [{"name":"premium","tenants":3}, ...]
);
-- One row per process that wrote to the journal (`recover`, each `--resume`).
CREATE TABLE IF NOT EXISTS sessions (
    session            INTEGER PRIMARY KEY,  -- 1, 2, ...; op ids are unique per session
    started_at_ms      INTEGER NOT NULL,
    pid                INTEGER NOT NULL,
    host               TEXT    NOT NULL,
    georestore_version TEXT    NOT NULL
);
-- A command's intent, durable before its request is sent; a retry of the
-- same operation is a new row with the same (session, op).
CREATE TABLE IF NOT EXISTS intents (
    seq     INTEGER PRIMARY KEY,
    session INTEGER NOT NULL,
    op      INTEGER NOT NULL,  -- scheduler::OpId
    arm     INTEGER NOT NULL,  -- 1: an ARM request; 0: a catalog call
    action  TEXT    NOT NULL,  -- scheduler::Action JSON
    command TEXT    NOT NULL,  -- scheduler::Command JSON, as handed out
    at_ms   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS intents_by_op ON intents (session, op);
-- What came back for an intent.
CREATE TABLE IF NOT EXISTS outcomes (
    seq     INTEGER PRIMARY KEY,
    intent  INTEGER NOT NULL,  -- intents.seq answered
    session INTEGER NOT NULL,
    op      INTEGER NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('response', 'transport_failed', 'catalog')),
    status  INTEGER,           -- HTTP status of a 'response'
    detail  TEXT,              -- transport failure reason, or catalog outcome JSON
    at_ms   INTEGER NOT NULL
);
-- The status URL of an intent answered 201/202 (arm::PollTarget JSON).
CREATE TABLE IF NOT EXISTS status_urls (
    intent  INTEGER PRIMARY KEY,
    session INTEGER NOT NULL,
    op      INTEGER NOT NULL,
    target  TEXT    NOT NULL,
    at_ms   INTEGER NOT NULL
);
-- Operations the scheduler no longer counts in flight.
CREATE TABLE IF NOT EXISTS finished (
    session INTEGER NOT NULL,
    op      INTEGER NOT NULL,
    at_ms   INTEGER NOT NULL,
    PRIMARY KEY (session, op)
);
-- Operator requests (possibly written by another process: `georestore cancel`).
CREATE TABLE IF NOT EXISTS operator_requests (
    seq     INTEGER PRIMARY KEY,
    kind    TEXT    NOT NULL CHECK (kind IN ('cancel', 'repatriate')),
    by_pid  INTEGER NOT NULL,
    by_host TEXT    NOT NULL,
    at_ms   INTEGER NOT NULL
);
-- Notices worth keeping for `georestore status`.
CREATE TABLE IF NOT EXISTS notices (
    seq       INTEGER PRIMARY KEY,
    session   INTEGER NOT NULL,
    kind      TEXT    NOT NULL,  -- tenant_online, tenant_failed, phase_changed, step_blocked
    tenant_id TEXT,              -- tenant notices: the tenant key
    tenant    TEXT,              -- tenant notices: its name
    tier      TEXT,              -- tenant notices: its tier's name
    detail    TEXT    NOT NULL,  -- scheduler::Notice JSON
    at_ms     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS notices_by_tenant ON notices (tenant_id, seq);
"#;
