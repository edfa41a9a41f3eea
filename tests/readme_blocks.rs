//! The READMEs' `console` blocks are real output: every fenced block tagged
//! `console` in README.md and sim/README.md is run, command by command, and
//! what it prints is compared with what the block shows.
//!
//! Block syntax:
//! - `$ COMMAND` starts a command (a line ending in `\` continues it on the
//!   next line); it runs under `sh -c` with the `georestore` built for this
//!   test first on `PATH`, in a fresh directory per README in which
//!   `scenarios/`, `examples/` and `reports/` point at the repository's.
//!   A README's blocks run in order and share that directory (a block can
//!   read the files an earlier one wrote).
//! - The lines up to the next `$ ` are the command's stdout followed by its
//!   stderr (no terminal: no progress bars), then `[exit N]` when it exits
//!   with N other than 0, so an error example is checked to fail.
//! - `...` alone on a line (indented or not) stands for any number of lines
//!   (zero included): it cuts long output to an excerpt, and every line
//!   shown is checked. `[..]` inside a line stands for any text within it:
//!   used only for wall-clock figures, never for a simulated number.
//!
//! `GEORESTORE_BLESS=1 cargo test --test readme_blocks` rewrites the output
//! of every command that does not match with what it printed (elisions in
//! that command's output are lost; put them back by hand).

use std::path::{Path, PathBuf};
use std::process::Command;

const READMES: [&str; 2] = ["README.md", "sim/README.md"];

/// One `$ ` command of a block and the output the block shows for it.
#[derive(Debug)]
struct Step {
    command: String,
    /// The block's lines for this command's output.
    expected: Vec<String>,
    /// Line range of `expected` in the file (0-based, end exclusive).
    lines: std::ops::Range<usize>,
}

/// One `console` block: its first line in the file (1-based) and its steps.
#[derive(Debug)]
struct Block {
    line: usize,
    steps: Vec<Step>,
}

fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```console" {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && !lines[end].starts_with("```") {
            end += 1;
        }
        let mut steps: Vec<Step> = Vec::new();
        let mut j = start;
        while j < end {
            let Some(first) = lines[j].strip_prefix("$ ") else {
                panic!(
                    "console block at line {start}: line {} is output before any `$ ` command",
                    j + 1
                );
            };
            let mut command = first.to_owned();
            while command.ends_with('\\') && j + 1 < end {
                command.pop();
                j += 1;
                command.push(' ');
                command.push_str(lines[j].trim_start());
            }
            j += 1;
            let from = j;
            while j < end && !lines[j].starts_with("$ ") {
                j += 1;
            }
            steps.push(Step {
                command,
                expected: lines[from..j].iter().map(|l| l.to_string()).collect(),
                lines: from..j,
            });
        }
        out.push(Block { line: start, steps });
        i = end + 1;
    }
    out
}

/// Whether `line` matches `pattern`, where `[..]` in the pattern stands for
/// any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || line.len() < first.len() + last.len() || !line.ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Whether `actual` matches `expected`, where a `...` line stands for any
/// number of lines. Trailing blanks are ignored on every line.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((e, rest)) => match actual.split_first() {
            Some((a, more)) => line_matches(e.trim_end(), a.trim_end()) && matches(rest, more),
            None => false,
        },
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh directory for one README, with the repository's shipped inputs.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for shipped in ["scenarios", "examples", "reports"] {
        std::os::unix::fs::symlink(repo().join(shipped), dir.path().join(shipped))
            .expect("link the shipped inputs");
    }
    dir
}

fn run(command: &str, dir: &Path) -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_georestore"));
    let bin_dir = bin.parent().expect("the binary's directory");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin_dir.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", std::env::join_paths(paths).expect("PATH"))
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    match output.status.code() {
        Some(0) => {}
        Some(code) => text.push_str(&format!("[exit {code}]\n")),
        None => text.push_str("[killed by a signal]\n"),
    }
    text
}

#[test]
fn readme_console_blocks_print_what_they_show() {
    let bless = std::env::var_os("GEORESTORE_BLESS").is_some();
    let mut failures = Vec::new();
    let mut commands = 0;
    for readme in READMES {
        let path = repo().join(readme);
        let text = std::fs::read_to_string(&path).expect("read the README");
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        // Replacements (line range, new lines), applied from the end.
        let mut blessed: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
        let dir = workdir();
        for block in blocks(&text) {
            for step in &block.steps {
                commands += 1;
                let started = std::time::Instant::now();
                let actual = run(&step.command, dir.path());
                // Shown with --nocapture: which blocks cost the suite time.
                eprintln!(
                    "{:>6.1} s  $ {}",
                    started.elapsed().as_secs_f64(),
                    step.command
                );
                let actual_lines: Vec<&str> = actual.lines().collect();
                if matches(&step.expected, &actual_lines) {
                    continue;
                }
                if bless {
                    let new = actual_lines.iter().map(|l| l.trim_end().to_owned());
                    blessed.push((step.lines.clone(), new.collect()));
                } else {
                    failures.push(format!(
                        "{readme}, block at line {}: `$ {}`\n--- the README shows:\n{}\n--- it printed:\n{}",
                        block.line,
                        step.command,
                        step.expected.join("\n"),
                        actual
                    ));
                }
            }
        }
        if bless && !blessed.is_empty() {
            for (range, new) in blessed.into_iter().rev() {
                lines.splice(range, new);
            }
            let mut updated = lines.join("\n");
            updated.push('\n');
            std::fs::write(&path, updated).expect("write the README");
        }
    }
    assert!(
        commands >= 10,
        "only {commands} console commands found in the READMEs"
    );
    assert!(
        failures.is_empty(),
        "{} README command(s) print something else than shown (GEORESTORE_BLESS=1 rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_matcher_elides_only_where_told() {
    let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
    assert!(matches(&lines("a\n...\nd"), &["a", "b", "c", "d"]));
    assert!(matches(&lines("a\n...\nd"), &["a", "d"]));
    assert!(!matches(&lines("a\n...\nd"), &["a", "b", "c"]));
    assert!(!matches(&lines("a\nd"), &["a", "b", "d"]));
    assert!(matches(&lines("took [..] s, 7 h"), &["took 1.2 s, 7 h"]));
    assert!(!matches(&lines("took [..] s, 7 h"), &["took 1.2 s, 8 h"]));
    assert!(!matches(&lines("x [..] y [..] z"), &["x y"]));
    assert!(matches(&lines("x [..] y [..] z"), &["x 1 y 2 z"]));
    assert!(!matches(&lines("7.46 h"), &["7.47 h"]));
}

#[test]
fn blocks_parse_commands_continuations_and_outputs() {
    let text = "intro\n```console\n$ georestore a \\\n    --b\nout 1\nout 2\n$ georestore c\n```\n";
    let found = blocks(text);
    assert_eq!(found.len(), 1);
    let steps = &found[0].steps;
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].command, "georestore a  --b");
    assert_eq!(steps[0].expected, ["out 1", "out 2"]);
    assert_eq!(steps[0].lines, 4..6);
    assert!(steps[1].expected.is_empty());
}
