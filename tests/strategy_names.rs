//! Every subcommand that takes a strategy lists the names in `--help` and
//! has clap refuse an unknown one, naming the choices.

use std::process::{Command, Output};

const FLEET: &str = "scenarios/fleets/wingtip-demo.toml";
const DEMO: &str = "scenarios/wingtip-demo.toml";
/// The scheduler's strategy names.
const NAMES: &[&str] = scheduler::strategy::STRATEGY_NAMES;

fn georestore(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_georestore"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run georestore")
}

/// (subcommand, its input, its strategy option).
const TAKERS: [(&str, &str, &str); 6] = [
    ("plan", FLEET, "--strategy"),
    ("simulate", DEMO, "--strategy"),
    ("compare", DEMO, "--strategies"),
    ("recover", FLEET, "--strategy"),
    ("loadtest", DEMO, "--strategy"),
    ("bench-gate", DEMO, "--strategy"),
];

#[test]
fn help_lists_every_strategy() {
    for (command, _, option) in TAKERS {
        let out = georestore(&[command, "--help"]);
        let help = String::from_utf8_lossy(&out.stdout);
        let at = help
            .find(&format!("{option} <"))
            .unwrap_or_else(|| panic!("{command}: no {option} in {help}"));
        let section = &help[at..];
        let values = section
            .find("[possible values: ")
            .map(|i| &section[i..section[i..].find(']').map_or(section.len(), |j| i + j)])
            .unwrap_or_else(|| panic!("{command}: no possible values in {section}"));
        for name in NAMES.iter().copied() {
            assert!(values.contains(name), "{command}: {name} missing: {values}");
        }
    }
}

#[test]
fn an_unknown_strategy_is_refused_by_every_subcommand_with_the_names() {
    for (command, input, option) in TAKERS {
        let value = if command == "compare" {
            "wingtip,fastest"
        } else {
            "fastest"
        };
        let out = georestore(&[command, input, option, value]);
        assert_eq!(out.status.code(), Some(2), "{command}: {out:?}");
        assert!(out.stdout.is_empty(), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("invalid value 'fastest'"), "{command}: {err}");
        for name in NAMES.iter().copied() {
            assert!(err.contains(name), "{command}: {name} missing: {err}");
        }
    }
}
