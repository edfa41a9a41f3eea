//! The workspace's `rust-version` is what the locked dependencies really
//! need: no package in `cargo metadata --locked` asks for a newer Rust,
//! and every member of the workspace declares the workspace's.

use std::process::Command;

use serde_json::Value;

/// `1.85`, `1.85.0` → (1, 85, 0).
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let run = |offline: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
        ]);
        if offline {
            cmd.arg("--offline");
        }
        cmd.output().expect("run cargo metadata")
    };
    // Offline first; packages for other platforms may not be downloaded
    // yet, then cargo fetches their manifests.
    let out = match run(true) {
        out if out.status.success() => out,
        _ => run(false),
    };
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("metadata JSON")
}

fn workspace_rust_version() -> String {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let manifest: toml::Value = toml::from_str(&text).expect("Cargo.toml is TOML");
    manifest["workspace"]["package"]["rust-version"]
        .as_str()
        .expect("[workspace.package] rust-version")
        .to_owned()
}

#[test]
fn no_locked_package_needs_a_newer_rust_than_the_workspace_declares() {
    let declared = workspace_rust_version();
    let metadata = metadata();
    let packages = metadata["packages"].as_array().expect("packages");
    assert!(packages.len() > 100, "{} packages", packages.len());
    let mut newer: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version(needs) > version(&declared)).then(|| {
                format!(
                    "{} {} needs Rust {needs}",
                    p["name"].as_str().unwrap_or("?"),
                    p["version"].as_str().unwrap_or("?")
                )
            })
        })
        .collect();
    newer.sort();
    assert!(
        newer.is_empty(),
        "rust-version = \"{declared}\" in Cargo.toml, but: {newer:#?}\nraise it to the highest of these"
    );
    // Every member says the workspace's version (`rust-version.workspace = true`).
    let members = metadata["workspace_members"].as_array().expect("members");
    for package in packages.iter().filter(|p| members.contains(&p["id"])) {
        assert_eq!(
            package["rust_version"].as_str().map(version),
            Some(version(&declared)),
            "{}",
            package["name"]
        );
    }
}

#[test]
fn versions_compare_by_number() {
    assert!(version("1.88") > version("1.85.1"));
    assert!(version("1.100") > version("1.99.9"));
    assert_eq!(version("1.85"), version("1.85.0"));
}
