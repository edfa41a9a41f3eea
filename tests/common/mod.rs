//! What several CLI tests share: running the built `georestore`.

use std::process::{Command, Output};

/// Runs `georestore ARGS` from the repository root and returns its output;
/// panics with the arguments and stderr unless it exits 0.
pub fn succeeds(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_georestore"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run georestore");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
