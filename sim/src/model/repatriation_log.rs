//! What a repatriation did to the origin region, per database: the
//! geo-secondaries seeded, the planned failovers accepted, and pre-outage
//! copies deleted before their replacement was a primary. Kept apart from
//! [`crate::stats::Stats`] (reports do not show it); tests read it to check
//! that nothing was done twice (e.g. after a crash and a resume).

use std::collections::BTreeMap;

use super::AzureModel;

/// Per-database counts of repatriation steps, by `server/name`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepatriationLog {
    /// Geo-secondaries created (a seeding started), by the secondary's
    /// `server/name`.
    pub seedings: BTreeMap<String, u32>,
    /// Planned failovers accepted, by the secondary's `server/name` (the
    /// database the failover was asked on).
    pub failovers: BTreeMap<String, u32>,
    /// `server/name` of pre-outage copies (`<name>-preoutage`) deleted
    /// while the database under the original name was not an online
    /// primary (its replacement had not failed over yet).
    pub early_preoutage_deletes: Vec<String>,
}

impl RepatriationLog {
    pub(super) fn seeded(&mut self, server: &str, name: &str) {
        *self.seedings.entry(format!("{server}/{name}")).or_default() += 1;
    }

    pub(super) fn failed_over(&mut self, server: &str, name: &str) {
        *self
            .failovers
            .entry(format!("{server}/{name}"))
            .or_default() += 1;
    }
}

impl AzureModel {
    /// What repatriations did to the origin region so far (see
    /// [`RepatriationLog`]).
    pub fn repatriation_log(&self) -> &RepatriationLog {
        &self.repatriation
    }

    /// Notes a deletion of `server/name` about to happen: a pre-outage copy
    /// deleted while its original name is not an online primary is logged.
    pub(super) fn note_preoutage_delete(&mut self, server: &str, name: &str) {
        let Some(original) = name.strip_suffix(scheduler::fleet::PREOUTAGE_SUFFIX) else {
            return;
        };
        let replaced = self
            .database(server, original)
            .is_some_and(|d| d.state == crate::request::DbState::Online);
        if !replaced {
            self.repatriation
                .early_preoutage_deletes
                .push(format!("{server}/{name}"));
        }
    }
}
