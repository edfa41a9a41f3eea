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
            err.contains(&format!(
                "{FLEET}:7: key `subscription`: this is a fleet file, not a scenario"
            )),
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

/// `scenarios/saas-1k.toml` with `from` replaced by `to`, written into `dir`.
fn saas_1k_with(dir: &tempfile::TempDir, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string("scenarios/saas-1k.toml").expect("read");
    assert!(text.contains(from), "{from}");
    file(dir, "s.toml", &text.replacen(from, to, 1))
}

#[test]
fn a_recovery_region_equal_to_the_origin_is_located_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(FLEET).expect("read");
    let line = text
        .lines()
        .position(|l| l.starts_with("recovery_region"))
        .expect("recovery_region")
        + 1;
    let origin = text
        .lines()
        .find_map(|l| l.strip_prefix("origin_region = "))
        .expect("origin_region");
    let mut bad = String::new();
    for l in text.lines() {
        if l.starts_with("recovery_region") {
            bad.push_str(&format!("recovery_region = {origin}\n"));
        } else {
            bad.push_str(l);
            bad.push('\n');
        }
    }
    let path = file(&dir, "same-region.toml", &bad);
    let err = fails(&["plan", &path]);
    assert!(
        err.contains(&format!("{path}:{line}: key `recovery_region`")),
        "{err}"
    );
    assert!(
        err.contains("fix: set recovery_region to the region paired with"),
        "{err}"
    );
}

#[test]
fn integers_out_of_range_and_wrong_types_are_said_in_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = saas_1k_with(&dir, "runs = 1", "runs = -1");
    let err = fails(&["simulate", &path]);
    assert!(
        err.contains(&format!(
            "{path}:5:8: key `runs`: `-1` is out of range: expected a whole number from 1 to 1000"
        )),
        "{err}"
    );
    let path = saas_1k_with(&dir, "runs = 1", "runs = \"three\"");
    let err = fails(&["simulate", &path]);
    assert!(
        err.contains("expected a whole number from 1 to 1000, found the text \"three\""),
        "{err}"
    );
    assert!(!err.contains("u32"), "{err}");
    let path = saas_1k_with(&dir, "[disaster]", "[model]\narm_reads = 5\n\n[disaster]");
    let err = fails(&["simulate", &path]);
    assert!(
        err.contains(&format!("{path}:11:13: key `model.arm_reads`: expected a table such as {{ capacity = 250, refill_per_s = 25 }}, found the whole number `5`")),
        "{err}"
    );
}

#[test]
fn model_range_errors_point_at_the_readme_table_that_lists_the_range() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = saas_1k_with(
        &dir,
        "[disaster]",
        "[model]\nrestore_sigma = 20.0\n\n[disaster]",
    );
    let err = fails(&["simulate", &path]);
    assert!(
        err.contains(&format!("{path}:11: key `model.restore_sigma`")),
        "{err}"
    );
    assert!(
        err.contains("see the `restore_sigma` row of the [model] table in README.md (section \"[model]: the Azure service model\", column \"allowed\")"),
        "{err}"
    );
    let readme = std::fs::read_to_string("README.md").expect("README");
    assert!(readme.contains("### `[model]`: the Azure service model"));
    assert!(readme.contains("| key | type | allowed | meaning, default and source |"));
    assert!(readme.contains("| `restore_sigma` | number | 0 to 10 |"));
}

#[test]
fn estates_a_machine_cannot_hold_are_refused_before_anything_is_allocated() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (tenants, memory) in [("4000000000", "16 TB"), ("10000000", "41 GB")] {
        let path = saas_1k_with(&dir, "tenants = 1000", &format!("tenants = {tenants}"));
        let started = std::time::Instant::now();
        let err = fails(&["simulate", &path]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
        assert!(
            err.contains(&format!("{path}:14: key `fleet.generate.tenants`: {tenants} tenants need about {memory} of memory")),
            "{err}"
        );
        assert!(
            err.contains("this tool takes at most 1000000 tenants"),
            "{err}"
        );
        // plan generates the same fleet: refused the same way.
        let err = fails(&["plan", &path]);
        assert!(
            err.contains("this tool takes at most 1000000 tenants"),
            "{err}"
        );
    }
    let path = saas_1k_with(
        &dir,
        "contention = 0.5",
        "contention = 0.5\nnew_tenants = { count = 4000000000, per_hour = 3600000.0 }",
    );
    let err = fails(&["simulate", &path]);
    assert!(
        err.contains("key `disaster.new_tenants.count`: 4000001000 tenants"),
        "{err}"
    );
}

#[test]
fn run_counts_have_an_upper_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = saas_1k_with(&dir, "runs = 1", "runs = 100000");
    let err = fails(&["simulate", &path]);
    assert!(
        err.contains(&format!(
            "{path}:5: key `runs`: runs is 100000; a scenario runs 1 to 1000 times"
        )),
        "{err}"
    );
    for command in ["simulate", "compare"] {
        let err = fails(&[command, "scenarios/saas-1k.toml", "--runs", "5000"]);
        assert!(err.contains("5000 is not in 1..=1000"), "{command}: {err}");
    }
}

#[test]
fn an_input_file_too_large_to_be_a_fleet_is_refused_unread() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.toml");
    let handle = std::fs::File::create(&path).expect("create");
    handle.set_len(300 * 1024 * 1024).expect("sparse file");
    let path = path.display().to_string();
    for command in ["plan", "simulate"] {
        let err = fails(&[command, &path]);
        assert!(
            err.contains(&format!(
                "{path}: the file is 315 MB; input files are read whole and may be at most 134 MB"
            )),
            "{command}: {err}"
        );
    }
}

#[test]
fn completions_are_printed_for_each_shell_and_refused_for_others() {
    for (shell, marker) in [
        ("bash", "_georestore()"),
        ("zsh", "#compdef georestore"),
        ("fish", "complete -c georestore"),
        ("elvish", "georestore"),
        ("powershell", "georestore"),
    ] {
        let out = georestore(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("simulate"), "{shell}");
    }
    let err = fails(&["completions", "tcsh"]);
    assert!(
        err.contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{err}"
    );
}
