//! Read-only queries of the model's first draws, for lower bounds: what the
//! first attempt of an operation on a named resource takes, computed from
//! the same streams the model uses, without consuming any draw.

use super::AzureModel;
use crate::durations::{self, RestoreAttempt};
use crate::rng::{Draws, fnv1a_64_parts, stream_rng};

impl AzureModel {
    fn first_draws(&self, parts: &[&str]) -> Draws {
        Draws::new(stream_rng(self.seed, fnv1a_64_parts(parts), 0))
    }

    /// The first restore attempt of the recoverable database `server/name`
    /// as the model draws it (duration, transient failure, failure point),
    /// and whether the database is unrestorable. `None` for an unknown
    /// source. Pure: the model's streams are not advanced.
    pub fn first_restore_attempt(
        &self,
        server: &str,
        name: &str,
    ) -> Option<(RestoreAttempt, bool)> {
        let sid = *self.server_names.get(server)?;
        let db = *self.servers[sid.0 as usize].databases.get(name)?;
        let src = self.databases[db.0 as usize].source?;
        let src = self.sources.get(src as usize)?;
        let mut draws = Draws::new(stream_rng(self.seed, src.restore_stream, 0));
        let attempt =
            durations::restore_attempt(&self.params, src.size_gb, self.contention, &mut draws);
        Some((attempt, src.unrestorable))
    }

    /// The duration of the first creation of server `name`, in ms.
    pub fn first_server_create_ms(&self, name: &str) -> u64 {
        let mut draws = self.first_draws(&["server_create", name]);
        durations::lognormal_ms(&mut draws, self.params.server_create)
    }

    /// The duration of the first creation attempt of pool `server/pool`, in
    /// ms (a failing attempt also takes this long before it fails).
    pub fn first_pool_create_ms(&self, server: &str, pool: &str) -> u64 {
        let mut draws = self.first_draws(&["pool_create", server, pool]);
        durations::pool_create(&self.params, &mut draws).0
    }
}
