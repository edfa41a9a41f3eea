//! Steps: an operation may take more than one request. Creating the web
//! app first creates its App Service plan; a planned failover first finds
//! the replication link to fail over; the first recovery-region creation
//! first creates the recovery resource group. The scheduler's state machine
//! sees one operation; the protocol layer walks its steps.

use serde::{Deserialize, Serialize};

use crate::command::{Action, ArmClass, ServerRef};

/// One request of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// PUT the recovery resource group (skipped once it exists).
    ResourceGroup,
    /// PUT the recovery web app's App Service plan.
    Plan,
    /// GET the secondary's replication links to find the one to fail over.
    FindLink,
    /// The action's own request.
    Main,
    /// DELETE the App Service plan after its web app.
    DeletePlan,
}

impl Step {
    /// The ARM budget this step spends, given its action's.
    pub(crate) fn class(self, action: &Action) -> Option<ArmClass> {
        match self {
            Step::ResourceGroup | Step::Plan => Some(ArmClass::Write),
            Step::FindLink => Some(ArmClass::Read),
            Step::DeletePlan => Some(ArmClass::Delete),
            Step::Main => action.arm_class(),
        }
    }
}

/// The steps of `action`, in order.
pub(crate) fn program(action: &Action) -> &'static [Step] {
    match action {
        Action::CreateServer {
            server: ServerRef::Mirror(_) | ServerRef::Catalog,
        } => &[Step::ResourceGroup, Step::Main],
        Action::CreateWebApp => &[Step::ResourceGroup, Step::Plan, Step::Main],
        Action::Failover { .. } | Action::FailoverCatalog => &[Step::FindLink, Step::Main],
        Action::DeleteWebApp => &[Step::Main, Step::DeletePlan],
        _ => &[Step::Main],
    }
}

/// The step at `index` of `action`'s program (the last one past the end).
pub(crate) fn at(action: &Action, index: u8) -> Step {
    let steps = program(action);
    steps
        .get(usize::from(index))
        .or(steps.last())
        .copied()
        .unwrap_or(Step::Main)
}
