//! Where a journal lives by default.

use std::path::{Path, PathBuf};

/// The default journal of a fleet file: `<fleet>.journal.sqlite` beside it
/// (`fleets/prod.toml` -> `fleets/prod.toml.journal.sqlite`).
pub fn default_path(fleet: &Path) -> PathBuf {
    let mut name = fleet.as_os_str().to_owned();
    name.push(".journal.sqlite");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_sits_beside_the_fleet_file() {
        assert_eq!(
            default_path(Path::new("fleets/prod.toml")),
            PathBuf::from("fleets/prod.toml.journal.sqlite")
        );
    }
}
