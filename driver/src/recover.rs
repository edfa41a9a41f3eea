//! `recover`: a whole recovery (or its resumption) against ARM.
//!
//! A fresh run builds the scheduler from the fleet. A resumed run
//! (`--resume`, after a crash, `kill -9` or reboot) surveys the recovery
//! region through ARM ([`scheduler::resume::survey`], the reads the
//! simulator's crash test makes too), adds the catalog's rows and what the
//! journal says was sent and not finished, and rebuilds the scheduler with
//! [`Scheduler::resume`]: nothing observed is restored again. Either way
//! the [`Executor`] then carries the recovery to its end.

use std::path::PathBuf;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use scheduler::fleet::Fleet;
use scheduler::resume::ObservedEstate;
use scheduler::resume::survey::{ReadId, Survey, SurveyError, SurveyPoll};
use scheduler::{Config, Scheduler, Status};
use tokio::sync::mpsc;

use crate::catalog::{Catalog, CatalogError};
use crate::clock::ScaledClock;
use crate::executor::{Control, ExecError, Executor, Progress, RunCounts, RunEnd};
use crate::journal::{Journal, JournalError, RunInfo};
use crate::transport::{ArmClient, SendError};

/// Reads in flight at once while surveying.
const SURVEY_CONCURRENCY: usize = 16;

/// What a recovery runs with.
#[derive(Debug)]
pub struct Recovery {
    /// The fleet, as loaded from `fleet_path`.
    pub fleet: Fleet,
    /// The fleet file (hashed into the journal's header).
    pub fleet_path: PathBuf,
    /// The strategy's name ([`scheduler::strategy::by_name`]).
    pub strategy: String,
    /// The scheduler's settings (limits, poll intervals, in-flight caps).
    pub config: Config,
    /// HTTPS to ARM.
    pub arm: ArmClient,
    /// The journal file.
    pub journal_path: PathBuf,
    /// Clock speed: 1 against Azure; the emulator's `--time-scale`
    /// against the emulator.
    pub time_scale: u32,
    /// Resume what the journal holds (after a crash or a stop).
    pub resume: bool,
}

/// How a recovery ended.
#[derive(Debug, Clone)]
pub struct RecoveryEnd {
    /// Finished (in which phase) or detached.
    pub end: RunEnd,
    /// Counters of this process's run.
    pub counts: RunCounts,
    /// The scheduler's final summary.
    pub status: Status,
    /// Whether this run resumed an earlier one.
    pub resumed: bool,
    /// Scheduler time at the end (scaled ms since this process started).
    pub elapsed_ms: u64,
    /// Per tier (fleet order): the scheduler times (scaled ms since this
    /// process started) at which its tenants came online, sorted.
    pub tier_online_ms: Vec<(String, Vec<u64>)>,
}

/// The nearest-rank `q` quantile (0 < q <= 1) of sorted `values`.
pub fn nearest_rank(values: &[u64], q: f64) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let rank = (q * values.len() as f64).ceil() as usize;
    values.get(rank.clamp(1, values.len()) - 1).copied()
}

/// Why a recovery could not run or stopped.
#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    /// The strategy name is unknown.
    #[error("unknown strategy `{0}`; choose one of: {names}", names = scheduler::strategy::STRATEGY_NAMES.join(", "))]
    UnknownStrategy(String),
    /// The journal holds an earlier run and `--resume` was not given.
    #[error(
        "the journal {0} holds an earlier run of this fleet: finish it with `georestore recover --resume` (or move the journal aside to start over)"
    )]
    EarlierRun(PathBuf),
    /// The journal refused (locked by another process, another fleet, ...).
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The catalog could not be read for resume.
    #[error("reading the catalog: {0}")]
    Catalog(#[from] CatalogError),
    /// The survey of the recovery region failed.
    #[error("surveying the recovery region: {0}")]
    Survey(#[from] SurveyError),
    /// No token for the survey.
    #[error("surveying the recovery region: {0}")]
    Auth(#[from] crate::credential::AuthError),
    /// The scheduler refused the observation.
    #[error("resuming: {0}")]
    Resume(#[from] scheduler::resume::ResumeError),
    /// The run stopped.
    #[error(transparent)]
    Exec(#[from] ExecError),
}

/// Runs `recovery` to its end (or until the operator detaches).
pub async fn run(
    recovery: Recovery,
    catalog: &mut dyn Catalog,
    progress: &mut dyn Progress,
    control: mpsc::Receiver<Control>,
) -> Result<RecoveryEnd, RecoverError> {
    let strategy = || {
        scheduler::strategy::by_name(&recovery.strategy)
            .ok_or_else(|| RecoverError::UnknownStrategy(recovery.strategy.clone()))
    };
    let info = RunInfo::for_fleet(
        &recovery.fleet_path,
        &recovery.fleet,
        &recovery.strategy,
        env!("CARGO_PKG_VERSION"),
    )?;
    let mut journal = Journal::open(&recovery.journal_path, &info)?;
    let earlier = journal.session() > 1;
    if earlier && !recovery.resume {
        return Err(RecoverError::EarlierRun(recovery.journal_path.clone()));
    }
    let clock = ScaledClock::start(recovery.time_scale, 0);
    let mut scheduler = if earlier {
        // The journal first: a repatriation in progress is surveyed in
        // both regions.
        let input = journal.resume_input()?;
        let mut observed = survey_regions(
            &recovery.arm,
            &recovery.fleet,
            &clock,
            input.repatriate_requested,
        )
        .await?;
        observed.catalog = catalog.observed_rows()?;
        input.apply_to(&mut observed);
        Scheduler::resume(
            recovery.fleet.clone(),
            strategy()?,
            recovery.config,
            clock.now_ms(),
            &observed,
        )?
    } else {
        Scheduler::new(
            recovery.fleet.clone(),
            strategy()?,
            recovery.config,
            clock.now_ms(),
        )
    };
    // Requests already in the journal were applied by the resume (or
    // predate this run): only newer ones are read.
    let operator_seq = journal
        .operator_requests(0)?
        .iter()
        .map(|r| r.seq)
        .max()
        .unwrap_or(0);
    let mut executor = Executor {
        scheduler: &mut scheduler,
        clock,
        arm: recovery.arm.clone(),
        catalog,
        journal: &mut journal,
        progress,
        counts: RunCounts::default(),
        operator_seq,
        online_at: Vec::new(),
    };
    let end = executor.run(control).await?;
    let counts = executor.counts;
    if matches!(end, RunEnd::Finished(_)) {
        // Earlier sessions' operations are now done or superseded.
        executor.journal.close_earlier_sessions()?;
    }
    let online_at = std::mem::take(&mut executor.online_at);
    let estate = scheduler.estate();
    let mut tier_online_ms: Vec<(String, Vec<u64>)> = estate
        .fleet
        .tiers
        .iter()
        .map(|t| (t.name.clone(), Vec::new()))
        .collect();
    for (db, at) in online_at {
        let tier = estate.database(db).map(|d| usize::from(d.tier.0));
        if let Some((_, times)) = tier.and_then(|t| tier_online_ms.get_mut(t)) {
            times.push(at);
        }
    }
    for (_, times) in &mut tier_online_ms {
        times.sort_unstable();
    }
    Ok(RecoveryEnd {
        end,
        counts,
        status: scheduler.status(),
        resumed: earlier,
        elapsed_ms: clock.now_ms(),
        tier_online_ms,
    })
}

/// What exists in the recovery region, read through ARM with
/// [`Survey`] (up to [`SURVEY_CONCURRENCY`] reads at once).
pub async fn survey(
    arm: &ArmClient,
    fleet: &Fleet,
    clock: &ScaledClock,
) -> Result<ObservedEstate, RecoverError> {
    survey_regions(arm, fleet, clock, false).await
}

/// [`survey`], and with `origin` the origin region too
/// ([`Survey::including_origin`]: what a repatriation to resume needs).
pub async fn survey_regions(
    arm: &ArmClient,
    fleet: &Fleet,
    clock: &ScaledClock,
    origin: bool,
) -> Result<ObservedEstate, RecoverError> {
    let mut survey = if origin {
        Survey::including_origin(fleet)
    } else {
        Survey::new(fleet)
    };
    let mut out = FuturesUnordered::new();
    loop {
        let mut waiting_until = None;
        while out.len() < SURVEY_CONCURRENCY {
            match survey.poll(clock.now_ms()) {
                SurveyPoll::Send(id, request) => {
                    let arm = arm.clone();
                    out.push(async move {
                        let answer = arm.send(&request).await;
                        (id, answer)
                    });
                }
                SurveyPoll::WaitUntil(at) => {
                    waiting_until = Some(at);
                    break;
                }
                SurveyPoll::AwaitAnswers | SurveyPoll::Done => break,
            }
        }
        if out.is_empty() {
            match waiting_until {
                Some(at) => tokio::time::sleep_until(clock.instant_of(at)).await,
                None => break,
            }
            continue;
        }
        if let Some((id, answer)) = out.next().await {
            answered(&mut survey, clock, id, answer)?;
        }
    }
    Ok(survey.finish()?)
}

fn answered(
    survey: &mut Survey,
    clock: &ScaledClock,
    id: ReadId,
    answer: Result<arm::Response, SendError>,
) -> Result<(), RecoverError> {
    match answer {
        Ok(response) => survey.answer(clock.now_ms(), id, &response)?,
        Err(SendError::Transport(reason)) => {
            survey.transport_failed(clock.now_ms(), id, &reason)?
        }
        Err(SendError::Auth(e)) => return Err(RecoverError::Auth(e)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn nearest_rank_takes_the_ceiling_rank() {
        let v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        assert_eq!(nearest_rank(&v, 0.95), Some(100));
        assert_eq!(nearest_rank(&v, 0.5), Some(50));
        assert_eq!(nearest_rank(&v, 0.51), Some(60));
        assert_eq!(nearest_rank(&v[..3], 0.95), Some(30));
        assert_eq!(nearest_rank(&v[..1], 0.01), Some(10));
        assert_eq!(nearest_rank(&[], 0.95), None);
    }
}
