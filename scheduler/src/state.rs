//! Explicit states of tenants and resources, with checked transitions.

use crate::command::Region;

/// Where a tenant stands. Every change goes through
/// [`TenantState::can_become`]; the scheduler refuses any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TenantState {
    /// Still listed online in the catalog and routed to its origin copy
    /// (which the outage made unreachable). The starting state.
    Unmarked,
    /// Being marked offline in the catalog.
    MarkingOffline,
    /// Offline; routed to the origin copy; waiting for a copy to route to.
    Offline,
    /// Routing (catalog pointer or server alias) moving to the copy in a region.
    Routing(Region),
    /// Routed to its copy in a region; being marked online.
    MarkingOnline(Region),
    /// Online, served from the copy in that region.
    Online(Region),
    /// Repatriation: asking whether its data changed in recovery.
    CheckingChanges,
    /// Repatriation: preparing the origin side while the tenant stays online
    /// in recovery: a changed tenant's origin copy is renamed aside and a
    /// replica seeded; an unchanged tenant passes straight through (with
    /// server aliases, it waits here for its server-mates).
    Replicating,
    /// Repatriation: being marked offline before the switch (and, if its
    /// data changed, the planned failover).
    MarkingOfflineForFailover,
    /// Repatriation: planned failover to the origin replica in progress.
    FailingOver,
    /// Could not be recovered; offline with a reason (see the failure list).
    Failed,
}

impl TenantState {
    /// Whether `self -> next` is a legal transition.
    pub fn can_become(self, next: TenantState) -> bool {
        use Region::{Origin, Recovery};
        use TenantState::*;
        matches!(
            (self, next),
            (Unmarked, MarkingOffline)
                | (Unmarked, Online(Origin))
                | (Unmarked, Failed)
                | (MarkingOffline, Offline)
                | (MarkingOffline, Failed)
                | (Offline, Routing(Recovery))
                | (Offline, MarkingOnline(Origin))
                | (Offline, Failed)
                | (Failed, MarkingOnline(Origin))
                | (Routing(Recovery), MarkingOnline(Recovery))
                | (Routing(Origin), MarkingOnline(Origin))
                | (Routing(_), Failed)
                | (MarkingOnline(_), Failed)
                | (MarkingOnline(Recovery), Online(Recovery))
                | (MarkingOnline(Origin), Online(Origin))
                | (Online(Recovery), CheckingChanges)
                | (CheckingChanges, Replicating)
                | (CheckingChanges, Failed)
                | (Replicating, MarkingOfflineForFailover)
                | (Replicating, Failed)
                | (MarkingOfflineForFailover, FailingOver)
                | (MarkingOfflineForFailover, Failed)
                | (FailingOver, Routing(Origin))
                | (MarkingOfflineForFailover, Routing(Origin))
                | (FailingOver, Failed)
                | (Offline, Routing(Origin))
                | (Routing(Recovery), MarkingOnline(Origin))
                | (Online(Recovery), Replicating)
                | (CheckingChanges, Online(Recovery))
                | (Replicating, Online(Recovery))
                | (MarkingOfflineForFailover, MarkingOnline(Recovery))
                | (FailingOver, MarkingOnline(Recovery))
        )
    }

    /// Whether the tenant is served (online in some region).
    pub fn is_online(self) -> bool {
        matches!(
            self,
            TenantState::Online(_) | TenantState::CheckingChanges | TenantState::Replicating
        )
    }
}

/// The tenant database's copy in the recovery region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecoveryCopy {
    /// Waiting in its lane for the strategy to pick it.
    Waiting,
    /// Restore command issued, not yet accepted.
    Submitted,
    /// Restore accepted: queued or processing in Azure.
    Restoring,
    /// Transient failure; resubmitted after a backoff.
    Backoff,
    /// Restored and online.
    Online,
    /// Being deleted (cancel, repatriation cleanup).
    Deleting,
    /// Deleted, or never made.
    Gone,
    /// Restore failed permanently.
    Failed,
}

impl RecoveryCopy {
    /// Whether `self -> next` is a legal transition.
    pub fn can_become(self, next: RecoveryCopy) -> bool {
        use RecoveryCopy::*;
        matches!(
            (self, next),
            (Waiting, Submitted)
                | (Waiting, Gone)
                | (Submitted, Restoring)
                | (Submitted, Online)
                | (Submitted, Backoff)
                | (Submitted, Failed)
                | (Submitted, Gone)
                | (Restoring, Online)
                | (Restoring, Backoff)
                | (Restoring, Failed)
                | (Restoring, Deleting)
                | (Backoff, Submitted)
                | (Backoff, Gone)
                | (Online, Deleting)
                | (Deleting, Gone)
        )
    }

    /// Whether a restore was started and has not ended.
    pub fn in_flight(self) -> bool {
        matches!(
            self,
            RecoveryCopy::Submitted | RecoveryCopy::Restoring | RecoveryCopy::Backoff
        )
    }
}

/// A server, pool, app or other resource the recovery creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ResourceState {
    /// Not requested.
    #[default]
    Absent,
    /// Create requested.
    Creating,
    /// Exists.
    Ready,
    /// Could not be created.
    Failed,
    /// Delete requested.
    Deleting,
    /// Deleted.
    Deleted,
}

impl ResourceState {
    /// Applies `next` if the transition is legal; returns whether it was.
    /// Callers assert on the result in debug builds: an illegal resource
    /// transition is a scheduler bug, never caused by input.
    pub fn advance(&mut self, next: ResourceState) -> bool {
        let legal = self.can_become(next);
        debug_assert!(legal, "illegal resource transition {self:?} -> {next:?}");
        if legal {
            *self = next;
        }
        legal
    }

    /// Whether `self -> next` is a legal transition.
    pub fn can_become(self, next: ResourceState) -> bool {
        use ResourceState::*;
        matches!(
            (self, next),
            (Absent, Creating)
                | (Absent, Failed)
                | (Creating, Absent)
                | (Creating, Ready)
                | (Creating, Failed)
                | (Ready, Deleting)
                | (Deleting, Deleted)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_cannot_go_online_in_recovery_without_routing() {
        assert!(!TenantState::Offline.can_become(TenantState::MarkingOnline(Region::Recovery)));
        assert!(!TenantState::Offline.can_become(TenantState::Online(Region::Recovery)));
        assert!(TenantState::Offline.can_become(TenantState::Routing(Region::Recovery)));
    }

    #[test]
    fn copies_and_resources_follow_their_lifecycle() {
        assert!(!RecoveryCopy::Waiting.can_become(RecoveryCopy::Online));
        assert!(RecoveryCopy::Restoring.can_become(RecoveryCopy::Deleting));
        assert!(!ResourceState::Absent.can_become(ResourceState::Ready));
    }
}
