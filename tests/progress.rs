//! Progress on stderr: drawn only on a terminal (here a pseudo-terminal
//! from `script`), never when stderr is piped, never with `--quiet` or
//! `--json`, never on stdout; and it does not change the results.

use std::process::{Command, Output};

const DEMO: &str = "scenarios/wingtip-demo.toml";

fn georestore(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_georestore"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run georestore")
}

/// Runs georestore with stderr on a pseudo-terminal (`script`) and stdout
/// into a file; returns (what the terminal showed, stdout).
fn on_a_terminal(args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let stdout = dir.path().join("stdout.txt");
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let command = format!(
        "{} {} > {}",
        quote(env!("CARGO_BIN_EXE_georestore")),
        args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "),
        quote(&stdout.display().to_string())
    );
    let out = Command::new("script")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TERM", "xterm")
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script (util-linux)");
    assert!(out.status.success(), "{args:?}: {out:?}");
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    let printed = std::fs::read_to_string(&stdout).expect("stdout file");
    (shown, printed)
}

/// What only a progress display writes: carriage returns, escapes, or
/// its count (`3/4 runs`).
fn has_progress_bytes(text: &str) -> bool {
    text.contains('\r') || text.contains('\u{1b}') || progress_count(text)
}

/// `N/M runs` somewhere in `text`.
fn progress_count(text: &str) -> bool {
    text.match_indices(" runs").any(|(at, _)| {
        let before = text[..at].trim_end_matches(|c: char| c.is_ascii_digit());
        before.len() < at && before.ends_with('/')
    })
}

const LONG_RUNS: [&[&str]; 2] = [
    &["simulate", DEMO, "--runs", "4", "--seed", "1"],
    &["compare", DEMO, "--runs", "2", "--seed", "1"],
];

#[test]
fn piped_stderr_gets_no_progress() {
    for args in LONG_RUNS {
        let out = georestore(args);
        assert!(out.status.success(), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {:?}", out.stderr);
        assert!(!has_progress_bytes(&String::from_utf8_lossy(&out.stdout)));
    }
    let out = georestore(&["plan", "scenarios/saas-1k.toml"]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{:?}", out.stderr);
}

#[test]
fn a_terminal_shows_progress_unless_quiet_or_json_and_never_on_stdout() {
    for args in LONG_RUNS {
        let (shown, printed) = on_a_terminal(args);
        assert!(progress_count(&shown), "{args:?}: no progress in {shown:?}");
        assert!(!has_progress_bytes(&printed), "{args:?}: {printed:?}");
        // The same results as without a terminal.
        let piped = georestore(args);
        assert_eq!(printed, String::from_utf8_lossy(&piped.stdout), "{args:?}");
        for flag in ["--quiet", "--json"] {
            let mut with = args.to_vec();
            with.push(flag);
            let (shown, _) = on_a_terminal(&with);
            assert!(shown.is_empty(), "{with:?}: {shown:?}");
        }
    }
}

#[test]
fn quiet_is_accepted_wherever_help_documents_it() {
    let fleet = "scenarios/fleets/wingtip-demo.toml";
    let cases: [&[&str]; 4] = [
        &["plan", fleet, "--quiet"],
        &["simulate", DEMO, "--quiet"],
        &["compare", DEMO, "--quiet", "--strategies", "wingtip"],
        &["recover", fleet, "--dry-run", "--quiet"],
    ];
    for args in cases {
        let help = georestore(&[args[0], "--help"]);
        let help = String::from_utf8_lossy(&help.stdout);
        assert!(help.contains("--quiet"), "{}: {help}", args[0]);
        let out = georestore(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Nothing else documents it.
    for command in ["status", "loadtest", "emulate", "schema"] {
        let help = georestore(&[command, "--help"]);
        assert!(!String::from_utf8_lossy(&help.stdout).contains("--quiet"));
    }
}
