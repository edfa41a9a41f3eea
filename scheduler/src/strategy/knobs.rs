//! Knobs of the built-in strategies, settable from scenario files.

use serde::{Deserialize, Serialize};

use super::{CriticalFirst, PriorityPacing, SizeAware, Strategy, Wingtip, WingtipBatched};

/// Optional settings of the built-in strategies; `None` keeps the default.
/// Each knob applies to some strategies only ([`Knobs::check`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Knobs {
    /// `priority-pacing`, `size-aware`, `fast-lane`: restores kept queued
    /// per pool beyond its processing slots (default 2).
    pub queue_margin: Option<u32>,
    /// `size-aware`: least important tiers ordered largest first (default 1).
    pub tail_tiers: Option<u8>,
    /// `critical-first`: share of its pool's total size, in percent, from
    /// which a database goes first in its pool (default 20).
    pub critical_share_pct: Option<u8>,
    /// `fast-lane`: top tiers eligible for the fast lane (default 1).
    pub fast_lane_tiers: Option<u8>,
    /// `fast-lane`: fast-lane databases, in waves of the subscription's
    /// standalone processing slots (default 1 = 30 databases).
    pub fast_lane_waves: Option<u32>,
    /// `wingtip-batched`: databases per batch (default 15).
    pub batch_size: Option<u32>,
    /// `wingtip-batched`: databases per pool per batch (default 5).
    pub batch_per_pool: Option<u32>,
    /// `wingtip-batched`: batches in flight (default 5).
    pub batches_in_flight: Option<u32>,
}

/// Every knob's name, as written in a scenario's `[strategy]` table.
pub const KNOB_NAMES: &[&str] = &[
    "queue_margin",
    "tail_tiers",
    "critical_share_pct",
    "fast_lane_tiers",
    "fast_lane_waves",
    "batch_size",
    "batch_per_pool",
    "batches_in_flight",
];

impl Knobs {
    /// The knobs that are set, by name.
    fn set(&self) -> Vec<&'static str> {
        let all = [
            ("queue_margin", self.queue_margin.is_some()),
            ("tail_tiers", self.tail_tiers.is_some()),
            ("critical_share_pct", self.critical_share_pct.is_some()),
            ("fast_lane_tiers", self.fast_lane_tiers.is_some()),
            ("fast_lane_waves", self.fast_lane_waves.is_some()),
            ("batch_size", self.batch_size.is_some()),
            ("batch_per_pool", self.batch_per_pool.is_some()),
            ("batches_in_flight", self.batches_in_flight.is_some()),
        ];
        all.into_iter()
            .filter(|(_, set)| *set)
            .map(|(name, _)| name)
            .collect()
    }

    /// The knobs a strategy takes.
    pub fn accepted_by(strategy: &str) -> &'static [&'static str] {
        match strategy {
            "priority-pacing" => &["queue_margin"],
            "size-aware" => &["queue_margin", "tail_tiers"],
            "critical-first" => &["queue_margin", "tail_tiers", "critical_share_pct"],
            "fast-lane" => &["queue_margin", "fast_lane_tiers", "fast_lane_waves"],
            "wingtip-batched" => &["batch_size", "batch_per_pool", "batches_in_flight"],
            _ => &[],
        }
    }

    /// `Err(knob)` names the first set knob `strategy` does not take.
    pub fn check(&self, strategy: &str) -> Result<(), &'static str> {
        let accepted = Self::accepted_by(strategy);
        match self.set().into_iter().find(|knob| !accepted.contains(knob)) {
            Some(knob) => Err(knob),
            None => Ok(()),
        }
    }
}

/// Builds a built-in strategy by name with `knobs` applied; knobs the
/// strategy does not take are ignored (see [`Knobs::check`]).
pub fn build(name: &str, knobs: &Knobs) -> Option<Box<dyn Strategy>> {
    let pacing = PriorityPacing::default();
    Some(match name {
        "wingtip" => Box::new(Wingtip),
        "wingtip-batched" => {
            let d = WingtipBatched::default();
            Box::new(WingtipBatched {
                total_max: knobs.batch_size.unwrap_or(d.total_max),
                per_pool_max: knobs.batch_per_pool.unwrap_or(d.per_pool_max),
                concurrent_max: knobs.batches_in_flight.unwrap_or(d.concurrent_max),
            })
        }
        "priority-pacing" => Box::new(PriorityPacing {
            queue_margin: knobs.queue_margin.unwrap_or(pacing.queue_margin),
            ..pacing
        }),
        "size-aware" => {
            let d = SizeAware::default();
            Box::new(SizeAware {
                queue_margin: knobs.queue_margin.unwrap_or(d.queue_margin),
                tail_tiers: knobs.tail_tiers.unwrap_or(d.tail_tiers),
            })
        }
        "critical-first" => {
            let d = CriticalFirst::default();
            Box::new(CriticalFirst {
                size_aware: SizeAware {
                    queue_margin: knobs.queue_margin.unwrap_or(d.size_aware.queue_margin),
                    tail_tiers: knobs.tail_tiers.unwrap_or(d.size_aware.tail_tiers),
                },
                critical_share_pct: knobs
                    .critical_share_pct
                    .unwrap_or(d.critical_share_pct)
                    .clamp(1, 100),
            })
        }
        "fast-lane" => Box::new(PriorityPacing {
            queue_margin: knobs.queue_margin.unwrap_or(pacing.queue_margin),
            fast_lane_tiers: knobs.fast_lane_tiers.unwrap_or(1).max(1),
            fast_lane_waves: knobs.fast_lane_waves.unwrap_or(pacing.fast_lane_waves),
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;

    #[test]
    fn knob_names_are_the_knobs() {
        let all = Knobs {
            queue_margin: Some(1),
            tail_tiers: Some(1),
            critical_share_pct: Some(1),
            fast_lane_tiers: Some(1),
            fast_lane_waves: Some(1),
            batch_size: Some(1),
            batch_per_pool: Some(1),
            batches_in_flight: Some(1),
        };
        assert_eq!(all.set(), KNOB_NAMES);
    }

    #[test]
    fn knobs_change_the_policy_and_foreign_knobs_are_named() {
        let knobs = Knobs {
            queue_margin: Some(7),
            ..Knobs::default()
        };
        let strategy = build("priority-pacing", &knobs).expect("built in");
        assert_eq!(strategy.policy(&Limits::default()).pool_depth, 4 + 7);
        assert_eq!(knobs.check("priority-pacing"), Ok(()));
        assert_eq!(knobs.check("wingtip"), Err("queue_margin"));
        let batched = Knobs {
            batch_size: Some(30),
            ..Knobs::default()
        };
        let policy = build("wingtip-batched", &batched)
            .expect("built in")
            .policy(&Limits::default());
        assert_eq!(policy.batching.map(|b| b.total_max), Some(30));
        assert!(build("fastest", &Knobs::default()).is_none());
    }
}
