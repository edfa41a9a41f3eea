//! Bad input in a real process: the wrong kind of file, a missing file,
//! located errors with fixes, and sizes refused up front.

use std::process::{Command, Output};

const FLEET: &str = "scenarios/fleets/wingtip-demo.toml";

fn georestore(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_georestore"))
        .args(args)
        .output()
        .expect("run georestore")
}

/// Runs a command that must fail and returns its stderr.
fn fails(args: &[&str]) -> String {
    let out = georestore(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes `text` into a temporary directory as `name`.
fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[test]
fn a_fleet_file_where_a_scenario_belongs_is_named_as_one() {
    for command in ["simulate", "compare", "loadtest", "emulate"] {
        let err = fails(&[command, FLEET]);
        assert!(
            err.contains(&format!("{FLEET}: this is a fleet file, not a scenario")),
            "{command}: {err}"
        );
        assert!(
            err.contains(&format!(
                "`georestore plan {FLEET}` or `georestore recover {FLEET}`"
            )),
            "{command}: {err}"
        );
        assert!(!err.contains("description"), "{command}: {err}");
    }
}

#[test]
fn plan_and_recover_take_a_scenario_through_its_fleet() {
    let out = georestore(&["plan", "scenarios/saas-1k.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("plan for fleet `saas-1k`"), "{text}");
    let out = georestore(&["plan", "scenarios/wingtip-demo.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = georestore(&["recover", "--dry-run", "scenarios/wingtip-demo.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_scenario_named_as_a_scenarios_fleet_file_is_refused_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inner = std::fs::read_to_string("scenarios/saas-1k.toml").expect("read");
    file(&dir, "inner.toml", &inner);
    let outer = file(
        &dir,
        "outer.toml",
        "name = \"x\"\n\n[fleet]\nfile = \"inner.toml\"\n",
    );
    let err = fails(&["simulate", &outer]);
    assert!(
        err.contains(&format!("{outer}:4: key `fleet.file`")),
        "{err}"
    );
    assert!(
        err.contains("is a scenario file, not a fleet file"),
        "{err}"
    );
}

#[test]
fn a_missing_file_reads_the_same_in_every_subcommand() {
    let expected = "error: no-such-file.toml: cannot read this file: No such file or directory";
    for command in [
        "plan", "simulate", "compare", "recover", "loadtest", "emulate",
    ] {
        let err = fails(&[command, "no-such-file.toml"]);
        assert!(err.starts_with(expected), "{command}: {err}");
        assert!(err.contains("fix: check the path"), "{command}: {err}");
    }
}
