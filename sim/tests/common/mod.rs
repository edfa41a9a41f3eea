//! Helpers shared by the integration tests and the benches (a bench takes
//! this file in with `#[path]`).

use std::path::Path;

use sim::scenario::{Scenario, load};

/// Loads the shipped scenario `scenarios/{name}.toml`; panics with the
/// loader's message if it does not load.
pub fn scenario(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(format!("{name}.toml"));
    match load(&path) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}
