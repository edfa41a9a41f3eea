//! Crashing a run on purpose and resuming it, as a driver does after
//! `kill -9`: what exists is listed through the model's ARM surface, the
//! catalog rows and the journal (the one request that may have reached ARM
//! without its answer) are what the driver kept, and
//! [`scheduler::Scheduler::resume`] rebuilds the scheduler from that.

use scheduler::fleet::Fleet;
use scheduler::resume::survey::{Survey, SurveyPoll};
use scheduler::resume::{CatalogRow, ObservedEstate};
use scheduler::{Command, Scheduler, Strategy};

use super::{RunOutput, Runner, SimError};

/// A crash to come, and what the driver kept until then.
pub(super) struct Crash {
    /// Commands still to hand out before the crash.
    left: u64,
    /// Whether the last command's request reaches ARM before the crash.
    pub(super) reached: bool,
    /// That command, if it reached ARM (its answer is lost).
    pub(super) lost: Option<Command>,
    /// The fleet as given (without what the scheduler adds to it).
    fleet: Fleet,
}

impl Crash {
    /// Counts one command; `true` when it is the one the crash falls on.
    pub(super) fn due(&mut self) -> bool {
        if self.left == 0 {
            return true;
        }
        self.left -= 1;
        false
    }
}

impl Runner {
    /// Runs, crashes when the scheduler hands out its `after`-th command
    /// (that command's request reaches ARM first when `reached`, and its
    /// answer is lost), rebuilds the scheduler with
    /// [`Scheduler::resume`] from what a driver would observe then (with
    /// `strategy`, the same as the run's), and runs to the end.
    pub fn run_with_crash(
        mut self,
        after: u64,
        reached: bool,
        strategy: Box<dyn Strategy>,
    ) -> Result<RunOutput, SimError> {
        let estate = self.scheduler.estate();
        let mut fleet = estate.fleet.clone();
        fleet.servers.truncate(estate.new_tenant_server.0 as usize);
        fleet.pools.truncate(estate.new_tenant_pool.0 as usize);
        fleet.databases.truncate(estate.fleet_databases);
        let rows = fleet
            .databases
            .iter()
            .map(|d| {
                let server = fleet
                    .servers
                    .get(d.server.0 as usize)
                    .map_or_else(String::new, |s| s.name.clone());
                (
                    d.tenant_id.clone(),
                    CatalogRow {
                        online: true,
                        server,
                    },
                )
            })
            .collect();
        self.recorder.catalog_rows = Some(rows);
        self.crash = Some(Crash {
            left: after,
            reached,
            lost: None,
            fleet,
        });
        match self.run_loop() {
            Err(SimError::Crashed) => {}
            other => other?,
        }
        if let Some(crash) = self.crash.take() {
            let observed = self.observe(&crash)?;
            self.scheduler =
                Scheduler::resume(crash.fleet, strategy, self.config, self.now_ms, &observed)?;
            // Catalog calls in flight died with the driver.
            self.catalog.clear();
            self.run_loop()?;
        }
        let end_ms = self.now_ms;
        Ok(RunOutput {
            scheduler: self.scheduler,
            model: self.model,
            recorder: self.recorder,
            end_ms,
        })
    }

    /// What a driver sees after the crash: the recovery region (and,
    /// once a repatriation was requested, the origin region too) as the
    /// shared [`Survey`] reads it through the model's ARM surface (the
    /// driver's very reads; time passes while a throttled read waits), the
    /// catalog rows and the journal.
    fn observe(&mut self, crash: &Crash) -> Result<ObservedEstate, SimError> {
        let mut survey = if self.repatriate_sent {
            Survey::including_origin(&crash.fleet)
        } else {
            Survey::new(&crash.fleet)
        };
        loop {
            match survey.poll(self.now_ms) {
                SurveyPoll::Send(id, request) => {
                    let response = self.model.serve(&self.context, self.now_ms, &request);
                    survey
                        .answer(self.now_ms, id, &response)
                        .map_err(SimError::Survey)?;
                }
                SurveyPoll::WaitUntil(at) => {
                    self.now_ms = self.now_ms.max(at);
                    self.model.advance_into(self.now_ms, &mut Vec::new());
                }
                // Every read is answered as soon as it is sent.
                SurveyPoll::AwaitAnswers | SurveyPoll::Done => break,
            }
        }
        let mut observed = survey.finish().map_err(SimError::Survey)?;
        observed.catalog = self.recorder.catalog_rows.clone().unwrap_or_default();
        observed.repatriate_requested = self.repatriate_sent;
        if let Some(command) = &crash.lost {
            observed.journalled(command.clone(), None);
        }
        Ok(observed)
    }
}
