//! The dispatcher: which database to submit next, incrementally.
//!
//! Databases wait in *lanes*: one per elastic pool, plus one per server for
//! databases restored standalone. A lane opens when its mirror pool (or
//! server) exists and, under [`Gate::AllPools`], every pool exists too.
//! Eligible lanes sit in a round-robin queue or a min-heap keyed by their
//! next database's order key, so picking the next database costs O(log lanes)
//! and never scans the fleet.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};

use crate::fleet::DbId;
use crate::strategy::{Batching, CrossPool, Gate, Policy};

/// Index of a lane: pools first (`PoolId` order), then one standalone lane
/// per server (`ServerId` order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct LaneId(pub u32);

#[derive(Debug, Clone)]
struct Lane {
    /// Its own resource exists.
    resource_ready: bool,
    /// Waiting databases, sorted by key descending: the next one is last.
    waiting: Vec<(u64, DbId)>,
    /// Submitted and not finished.
    outstanding: u32,
    depth: u32,
    standalone: bool,
    /// Present in the round-robin queue or the heap.
    listed: bool,
}

/// Chooses the next restore to submit under a [`Policy`].
#[derive(Debug, Clone)]
pub(crate) struct Dispatcher {
    policy: Policy,
    lanes: Vec<Lane>,
    pool_lanes: u32,
    pools_ready: u32,
    round_robin: VecDeque<LaneId>,
    heap: BinaryHeap<Reverse<(u64, LaneId)>>,
    standalone_outstanding: u32,
    standalone_cap: u32,
    batches: Option<Batches>,
    stopped: bool,
}

#[derive(Debug, Clone)]
struct Batches {
    limits: Batching,
    /// Members of the batch being emitted, not yet handed out.
    forming: VecDeque<(DbId, LaneId)>,
    next_id: u32,
    /// Batch id -> members not finished.
    remaining: BTreeMap<u32, u32>,
    member_of: BTreeMap<DbId, u32>,
}

impl Dispatcher {
    /// `pool_lanes` pool lanes followed by `server_lanes` standalone lanes.
    pub(crate) fn new(
        policy: Policy,
        pool_lanes: u32,
        server_lanes: u32,
        standalone_cap: u32,
    ) -> Self {
        let lane = |standalone: bool| Lane {
            resource_ready: false,
            waiting: Vec::new(),
            outstanding: 0,
            depth: if standalone {
                policy.standalone_depth.max(1)
            } else {
                policy.pool_depth.max(1)
            },
            standalone,
            listed: false,
        };
        let mut lanes = Vec::with_capacity((pool_lanes + server_lanes) as usize);
        lanes.extend((0..pool_lanes).map(|_| lane(false)));
        lanes.extend((0..server_lanes).map(|_| lane(true)));
        Dispatcher {
            policy,
            lanes,
            pool_lanes,
            pools_ready: 0,
            round_robin: VecDeque::new(),
            heap: BinaryHeap::new(),
            standalone_outstanding: 0,
            standalone_cap: standalone_cap.min(policy.standalone_depth).max(1),
            batches: policy.batching.map(|limits| Batches {
                limits,
                forming: VecDeque::new(),
                next_id: 0,
                remaining: BTreeMap::new(),
                member_of: BTreeMap::new(),
            }),
            stopped: false,
        }
    }

    /// Adds a database before the recovery starts; call [`Self::sort`] after.
    pub(crate) fn add(&mut self, lane: LaneId, key: u64, db: DbId) {
        self.lanes[lane.0 as usize].waiting.push((key, db));
    }

    /// Sorts every lane once all databases are added.
    pub(crate) fn sort(&mut self) {
        for lane in &mut self.lanes {
            lane.waiting.sort_unstable_by(|a, b| b.cmp(a));
        }
    }

    /// The lane's pool or server now exists.
    pub(crate) fn resource_ready(&mut self, lane: LaneId) {
        let entry = &mut self.lanes[lane.0 as usize];
        if entry.resource_ready {
            return;
        }
        entry.resource_ready = true;
        if lane.0 < self.pool_lanes {
            self.pools_ready += 1;
            if self.policy.gate == Gate::AllPools && self.pools_ready == self.pool_lanes {
                for id in 0..self.lanes.len() as u32 {
                    self.relist(LaneId(id));
                }
                return;
            }
        }
        self.relist(lane);
    }

    /// The lane's pool or server could not be created: its waiting
    /// databases are returned (they will never be submitted), and for the
    /// all-pools gate it counts as settled so other pools are not held back.
    pub(crate) fn resource_failed(&mut self, lane: LaneId) -> Vec<DbId> {
        let entry = &mut self.lanes[lane.0 as usize];
        let dropped: Vec<DbId> = entry.waiting.drain(..).rev().map(|(_, db)| db).collect();
        if !entry.resource_ready {
            entry.resource_ready = true;
            if lane.0 < self.pool_lanes {
                self.pools_ready += 1;
                if self.policy.gate == Gate::AllPools && self.pools_ready == self.pool_lanes {
                    for id in 0..self.lanes.len() as u32 {
                        self.relist(LaneId(id));
                    }
                }
            }
        }
        dropped
    }

    /// Whether [`Self::next`] would return a database now.
    pub(crate) fn has_ready(&mut self) -> bool {
        if let Some(batches) = &self.batches {
            if !batches.forming.is_empty() {
                return true;
            }
            if batches.remaining.len() as u32 >= batches.limits.concurrent_max {
                return false;
            }
        }
        self.front_lane().is_some()
    }

    /// A submitted restore finished (succeeded, failed or was cancelled).
    pub(crate) fn finished(&mut self, lane: LaneId, db: DbId) {
        let entry = &mut self.lanes[lane.0 as usize];
        entry.outstanding = entry.outstanding.saturating_sub(1);
        if entry.standalone {
            let was_full = self.standalone_outstanding >= self.standalone_cap;
            self.standalone_outstanding = self.standalone_outstanding.saturating_sub(1);
            if was_full {
                for id in self.pool_lanes..self.lanes.len() as u32 {
                    self.relist(LaneId(id));
                }
            }
        }
        if let Some(batches) = &mut self.batches
            && let Some(batch) = batches.member_of.remove(&db)
            && let Some(left) = batches.remaining.get_mut(&batch)
        {
            *left -= 1;
            if *left == 0 {
                batches.remaining.remove(&batch);
            }
        }
        self.relist(lane);
    }

    /// Resume: takes `db` out of `lane`'s waiting list and counts it as
    /// outstanding, whatever the lane's depth (its restore already runs or
    /// ran in Azure). Returns whether `db` was waiting there.
    pub(crate) fn take(&mut self, lane: LaneId, db: DbId) -> bool {
        let Some(entry) = self.lanes.get_mut(lane.0 as usize) else {
            return false;
        };
        let Some(at) = entry.waiting.iter().position(|&(_, d)| d == db) else {
            return false;
        };
        entry.waiting.remove(at);
        entry.outstanding += 1;
        if entry.standalone {
            self.standalone_outstanding += 1;
        }
        true
    }

    /// Stops all further submissions (cancel) and forgets waiting databases.
    pub(crate) fn stop(&mut self) -> Vec<DbId> {
        self.stopped = true;
        self.round_robin.clear();
        self.heap.clear();
        let mut dropped = Vec::new();
        for lane in &mut self.lanes {
            dropped.extend(lane.waiting.drain(..).map(|(_, db)| db));
            lane.listed = false;
        }
        if let Some(batches) = &mut self.batches {
            dropped.extend(batches.forming.drain(..).map(|(db, _)| db));
        }
        dropped.sort_unstable();
        dropped
    }

    fn open(&self, lane: LaneId) -> bool {
        let entry = &self.lanes[lane.0 as usize];
        entry.resource_ready
            && (self.policy.gate == Gate::OwnPool || self.pools_ready == self.pool_lanes)
    }

    fn eligible(&self, lane: LaneId) -> bool {
        let entry = &self.lanes[lane.0 as usize];
        !self.stopped
            && !entry.waiting.is_empty()
            && entry.outstanding < entry.depth
            && (!entry.standalone || self.standalone_outstanding < self.standalone_cap)
            && self.open(lane)
    }

    fn relist(&mut self, lane: LaneId) {
        if self.lanes[lane.0 as usize].listed || !self.eligible(lane) {
            return;
        }
        let entry = &mut self.lanes[lane.0 as usize];
        entry.listed = true;
        match self.policy.cross_pool {
            CrossPool::RoundRobin => self.round_robin.push_back(lane),
            CrossPool::LowestKey => {
                let key = entry.waiting.last().map_or(u64::MAX, |&(key, _)| key);
                self.heap.push(Reverse((key, lane)));
            }
        }
    }

    /// The first listed lane still eligible, dropping stale entries on the way.
    fn front_lane(&mut self) -> Option<LaneId> {
        loop {
            let lane = match self.policy.cross_pool {
                CrossPool::RoundRobin => *self.round_robin.front()?,
                CrossPool::LowestKey => self.heap.peek()?.0.1,
            };
            if self.eligible(lane) {
                return Some(lane);
            }
            self.unlist_front();
        }
    }

    /// Removes the first listed lane.
    fn unlist_front(&mut self) -> Option<LaneId> {
        let lane = match self.policy.cross_pool {
            CrossPool::RoundRobin => self.round_robin.pop_front()?,
            CrossPool::LowestKey => self.heap.pop()?.0.1,
        };
        self.lanes[lane.0 as usize].listed = false;
        Some(lane)
    }

    fn pop_lane(&mut self) -> Option<LaneId> {
        self.front_lane()?;
        self.unlist_front()
    }

    fn take_from(&mut self, lane: LaneId) -> Option<DbId> {
        let entry = &mut self.lanes[lane.0 as usize];
        let (_, db) = entry.waiting.pop()?;
        entry.outstanding += 1;
        if entry.standalone {
            self.standalone_outstanding += 1;
        }
        Some(db)
    }

    /// The next database to submit now, counted as outstanding from here on.
    pub(crate) fn next(&mut self) -> Option<(DbId, LaneId)> {
        if self.batches.is_some() {
            return self.next_batched();
        }
        let lane = self.pop_lane()?;
        let db = self.take_from(lane)?;
        self.relist(lane);
        Some((db, lane))
    }

    fn next_batched(&mut self) -> Option<(DbId, LaneId)> {
        let batches = self.batches.as_mut()?;
        if let Some(next) = batches.forming.pop_front() {
            return Some(next);
        }
        if batches.remaining.len() as u32 >= batches.limits.concurrent_max {
            return None;
        }
        let limits = batches.limits;
        let id = batches.next_id;
        let mut members = Vec::new();
        let mut deferred = Vec::new();
        while (members.len() as u32) < limits.total_max {
            let Some(lane) = self.pop_lane() else { break };
            let mut taken = 0;
            while taken < limits.per_pool_max
                && (members.len() as u32) < limits.total_max
                && self.eligible(lane)
            {
                match self.take_from(lane) {
                    Some(db) => members.push((db, lane)),
                    None => break,
                }
                taken += 1;
            }
            deferred.push(lane);
        }
        for lane in deferred {
            self.relist(lane);
        }
        if members.is_empty() {
            return None;
        }
        let batches = self.batches.as_mut()?;
        batches.next_id += 1;
        batches.remaining.insert(id, members.len() as u32);
        for &(db, _) in &members {
            batches.member_of.insert(db, id);
        }
        batches.forming.extend(members);
        batches.forming.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(gate: Gate, cross_pool: CrossPool, depth: u32) -> Policy {
        Policy {
            gate,
            cross_pool,
            pool_depth: depth,
            standalone_depth: 2,
            batching: None,
            preparation: crate::strategy::Preparation::Eager,
        }
    }

    #[test]
    fn lowest_key_goes_first_across_pools_and_depth_is_respected() {
        let mut d = Dispatcher::new(policy(Gate::OwnPool, CrossPool::LowestKey, 2), 2, 0, 100);
        d.add(LaneId(0), 5, DbId(0));
        d.add(LaneId(0), 1, DbId(1));
        d.add(LaneId(0), 3, DbId(4));
        d.add(LaneId(1), 2, DbId(2));
        d.add(LaneId(1), 4, DbId(3));
        d.sort();
        assert_eq!(d.next(), None, "no pool exists yet");
        d.resource_ready(LaneId(1));
        d.resource_ready(LaneId(0));
        let order: Vec<_> = std::iter::from_fn(|| d.next().map(|(db, _)| db.0)).collect();
        assert_eq!(order, vec![1, 2, 4, 3], "pool 0 stops at depth 2");
        d.finished(LaneId(0), DbId(1));
        assert_eq!(d.next().map(|(db, _)| db.0), Some(0));
    }

    #[test]
    fn all_pools_gate_waits_for_every_pool_and_round_robins() {
        let mut d = Dispatcher::new(policy(Gate::AllPools, CrossPool::RoundRobin, 10), 2, 0, 100);
        for i in 0..3 {
            d.add(LaneId(0), i, DbId(i as u32));
            d.add(LaneId(1), i, DbId(10 + i as u32));
        }
        d.sort();
        d.resource_ready(LaneId(0));
        assert_eq!(d.next(), None);
        d.resource_ready(LaneId(1));
        let order: Vec<_> = std::iter::from_fn(|| d.next().map(|(db, _)| db.0)).collect();
        assert_eq!(order, vec![0, 10, 1, 11, 2, 12]);
    }

    #[test]
    fn batches_respect_size_per_pool_and_concurrency() {
        let batching = Batching {
            total_max: 3,
            per_pool_max: 2,
            concurrent_max: 1,
        };
        let p = Policy {
            batching: Some(batching),
            ..policy(Gate::AllPools, CrossPool::RoundRobin, 100)
        };
        let mut d = Dispatcher::new(p, 2, 0, 100);
        for i in 0..4 {
            d.add(LaneId(0), i, DbId(i as u32));
            d.add(LaneId(1), i, DbId(10 + i as u32));
        }
        d.sort();
        d.resource_ready(LaneId(0));
        d.resource_ready(LaneId(1));
        let first: Vec<_> = std::iter::from_fn(|| d.next()).collect();
        assert_eq!(
            first.iter().map(|(db, _)| db.0).collect::<Vec<_>>(),
            vec![0, 1, 10]
        );
        assert_eq!(d.next(), None, "one batch in flight");
        for (db, lane) in first {
            d.finished(lane, db);
        }
        assert!(d.next().is_some());
    }

    #[test]
    fn standalone_cap_is_fleet_wide() {
        let mut d = Dispatcher::new(policy(Gate::OwnPool, CrossPool::LowestKey, 10), 0, 2, 3);
        for i in 0..4 {
            d.add(LaneId(0), i, DbId(i as u32));
            d.add(LaneId(1), i, DbId(10 + i as u32));
        }
        d.sort();
        d.resource_ready(LaneId(0));
        d.resource_ready(LaneId(1));
        let got: Vec<_> = std::iter::from_fn(|| d.next()).collect();
        assert_eq!(
            got.len(),
            2,
            "standalone depth 2 caps the subscription-wide lane"
        );
    }
}
