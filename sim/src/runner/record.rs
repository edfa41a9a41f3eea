//! What a run records as it goes: the digest, per-tenant online times and
//! ARM traffic per second.

use std::collections::BTreeMap;

use scheduler::CatalogCall;
use scheduler::resume::CatalogRow;

use crate::arm::OpClass;
use crate::digest::Digest;

/// ARM requests sent in one second of virtual time, per class, and how
/// many of them were answered 429.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ArmSecond {
    /// Requests per class (reads, writes, deletes).
    pub requests: [u32; 3],
    /// 429 answers per class.
    pub throttled: [u32; 3],
}

/// The run's log.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// Digest of every command and event.
    pub digest: Digest,
    /// Per fleet tenant: when it was marked online in the recovery region
    /// (ms since the start), if it was.
    pub online_at_ms: Vec<Option<u64>>,
    /// ARM traffic, one entry per second from the start.
    pub arm_per_s: Vec<ArmSecond>,
    /// When the scheduler first reported the recovery settled.
    pub recovered_at_ms: Option<u64>,
    /// When the cancel was sent to the scheduler (charts mark it).
    pub cancel_requested_at_ms: Option<u64>,
    /// When a cancel finished.
    pub cancelled_at_ms: Option<u64>,
    /// When the repatriation was sent to the scheduler (charts mark it).
    pub repatriate_requested_at_ms: Option<u64>,
    /// When a repatriation finished.
    pub repatriated_at_ms: Option<u64>,
    /// New tenants created during the outage.
    pub new_tenants: u32,
    /// Commands the scheduler handed out (the count a crash point is
    /// given in; after a resume, those of both runs).
    pub commands: u64,
    /// [`Self::commands`] when the repatriation was sent to the scheduler.
    pub commands_at_repatriation: Option<u64>,
    /// The catalog's rows by tenant key, as the catalog calls that
    /// succeeded left them; kept only in a crash run
    /// ([`super::Runner::run_with_crash`]), before and after the resume.
    pub catalog_rows: Option<BTreeMap<String, CatalogRow>>,
    /// ARM answers the network lost ([`super::RunSettings::lost_answer_share`]).
    pub lost_answers: u64,
}

impl Recorder {
    /// A catalog call succeeded: its row changes (when rows are kept).
    pub(super) fn catalog_done(&mut self, call: &CatalogCall) {
        let Some(rows) = &mut self.catalog_rows else {
            return;
        };
        let tenant_id = match call {
            CatalogCall::MarkOffline { tenant_id }
            | CatalogCall::MarkOnline { tenant_id }
            | CatalogCall::Route { tenant_id, .. } => tenant_id,
            CatalogCall::CheckChanged { .. } => return,
        };
        let row = rows.entry(tenant_id.clone()).or_insert_with(|| CatalogRow {
            online: false,
            server: String::new(),
        });
        match call {
            CatalogCall::MarkOffline { .. } => row.online = false,
            CatalogCall::MarkOnline { .. } => row.online = true,
            CatalogCall::Route { server, .. } => row.server = server.clone(),
            CatalogCall::CheckChanged { .. } => {}
        }
    }

    /// A recorder for `tenants` fleet tenants.
    pub fn new(tenants: usize) -> Self {
        Self {
            online_at_ms: vec![None; tenants],
            ..Self::default()
        }
    }

    /// Counts one ARM request of `class` sent at `t_ms`.
    pub fn arm_request(&mut self, t_ms: u64, class: OpClass, throttled: bool) {
        let second = usize::try_from(t_ms / 1000).unwrap_or(usize::MAX);
        if second >= self.arm_per_s.len() {
            // Bounded by the run's horizon (see `RunSettings::horizon_ms`).
            self.arm_per_s.resize(second + 1, ArmSecond::default());
        }
        let entry = &mut self.arm_per_s[second];
        entry.requests[class.index()] += 1;
        if throttled {
            entry.throttled[class.index()] += 1;
        }
    }
}
