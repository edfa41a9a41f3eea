//! What every connection shares.

use crate::identity::Identity;
use crate::world::World;

/// The state behind every request: the world, the identity endpoint and
/// the emulator's own addressing.
pub struct App {
    /// The model and its counters.
    pub world: World,
    /// Token issuance and checks.
    pub identity: Identity,
    /// `http(s)://host:port`, no trailing slash.
    pub base_url: String,
    /// Bearer token of `/_emulator/*`.
    pub admin_token: String,
    /// Items per list page (0 = one page).
    pub page_size: usize,
}
