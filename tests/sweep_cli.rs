//! `georestore sweep` and `merge` in a real process: the merge of a sweep's
//! shards is byte-identical to the sweep run whole, whatever the thread
//! count; shards that do not belong together are refused with the reason.

use std::path::Path;
use std::process::{Command, Output};

const SCENARIO: &str = "scenarios/wingtip-demo.toml";
const VARY: &str = "strategy=wingtip,priority-pacing";

fn georestore(args: &[&str], threads: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_georestore"));
    cmd.args(args);
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    cmd.output().expect("run georestore")
}

fn ok(args: &[&str]) -> String {
    let out = georestore(args, None);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn fails(args: &[&str]) -> String {
    let out = georestore(args, None);
    assert!(!out.status.success(), "{args:?} succeeded");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes shard `k` of `n` of a sweep with `runs` runs into `dir`.
fn shard(dir: &Path, runs: &str, k: u32, n: u32) -> String {
    let path = dir.join(format!("shard-{k}-of-{n}-runs-{runs}.json"));
    let path = path.display().to_string();
    let spec = format!("{k}/{n}");
    ok(&[
        "sweep", SCENARIO, "--runs", runs, "--vary", VARY, "--shard", &spec, "--out", &path,
        "--quiet",
    ]);
    path
}

#[test]
fn merged_shards_are_byte_identical_to_the_whole_sweep_on_any_thread_count() {
    let whole_args = ["sweep", SCENARIO, "--runs", "3", "--vary", VARY, "--json"];
    let one = georestore(&whole_args, Some("1"));
    let two = georestore(&whole_args, Some("2"));
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(
        one.stdout, two.stdout,
        "the thread count changed the result"
    );
    let whole = String::from_utf8(one.stdout).expect("utf-8");
    let value: serde_json::Value = serde_json::from_str(&whole).expect("json");
    assert_eq!(value["points"].as_array().map(Vec::len), Some(2));
    assert_eq!(value["points"][1]["strategy"], "priority-pacing");
    assert_eq!(value["points"][0]["runs"], 3);
    assert_eq!(value["points"][0]["makespan"]["samples"], 3);
    assert!(
        value["points"][0]["tiers"][0]["time_to_online"]["histogram_v2_base64"]
            .as_str()
            .is_some_and(|s| s.len() > 20),
        "{whole}"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    // 6 runs in 4 shards: one shard with 1 run, one point missing from some.
    let files: Vec<String> = (0..4).map(|k| shard(dir.path(), "3", k, 4)).collect();
    let mut merge: Vec<&str> = vec!["merge", "--json"];
    // Any order of the files.
    merge.extend(files.iter().rev().map(String::as_str));
    let merged = ok(&merge);
    assert_eq!(merged, whole, "merged shards differ from the whole sweep");

    // Their reports too: report.json is the result, report.html the same
    // bytes from the shards as from the whole sweep.
    let report = |name: &str| dir.path().join(name).display().to_string();
    let (whole_dir, merged_dir) = (report("whole-report"), report("merged-report"));
    ok(&[
        "sweep", SCENARIO, "--runs", "3", "--vary", VARY, "--quiet", "--report", &whole_dir,
    ]);
    let mut merge_report = merge.clone();
    merge_report.extend(["--report", merged_dir.as_str()]);
    ok(&merge_report);
    let read = |dir: &str, file: &str| {
        std::fs::read(Path::new(dir).join(file)).unwrap_or_else(|e| panic!("{dir}/{file}: {e}"))
    };
    assert_eq!(read(&merged_dir, "report.json"), whole.as_bytes());
    for file in ["report.json", "report.html", "frontier_makespan_p95.svg"] {
        assert!(
            read(&whole_dir, file) == read(&merged_dir, file),
            "{file}: the merge's report differs from the sweep's"
        );
    }
    let err = fails(&[
        "sweep", SCENARIO, "--vary", VARY, "--shard", "0/2", "--report", &whole_dir,
    ]);
    assert!(err.contains("--report") && err.contains("--shard"), "{err}");

    // The text tables: the same figures, in simulate's units and names.
    let text = ok(&merge[..1]
        .iter()
        .copied()
        .chain(files.iter().map(String::as_str))
        .collect::<Vec<_>>());
    assert!(
        text.contains(
            "point 2/2: strategy.name=priority-pacing | strategy priority-pacing | 3 runs"
        ),
        "{text}"
    );
    assert!(
        text.contains("tier              online        p50        p95        max"),
        "{text}"
    );
    assert!(text.contains(" h "), "{text}");
    assert!(text.contains("pool-hours per run"), "{text}");
}

#[test]
fn shards_that_do_not_belong_together_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a: Vec<String> = (0..2).map(|k| shard(dir.path(), "1", k, 2)).collect();
    let other_sweep = shard(dir.path(), "2", 1, 2);
    let other_split = shard(dir.path(), "1", 1, 3);

    let err = fails(&["merge", &a[0], &other_sweep]);
    assert!(err.contains("is a shard of another sweep than"), "{err}");
    assert!(err.contains("runs 1 against 2"), "{err}");

    let err = fails(&["merge", &a[0], &a[1], &a[1]]);
    assert!(
        err.contains("are both shard 1/2; give each shard once"),
        "{err}"
    );

    let err = fails(&["merge", &a[1]]);
    assert!(err.contains("missing 1 of 2 shards: 0"), "{err}");
    assert!(err.contains("--shard 0/2"), "{err}");

    let err = fails(&["merge", &a[0], &other_split]);
    assert!(err.contains("split in 3 and in 2 shards"), "{err}");

    let result = dir.path().join("result.json").display().to_string();
    ok(&["merge", &a[0], &a[1], "--out", &result]);
    let err = fails(&["merge", &result]);
    assert!(err.contains("a sweep result, not a shard"), "{err}");

    // An altered file.
    let text = std::fs::read_to_string(&a[0]).expect("read");
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, text.replacen("\"runs\": 1", "\"runs\": 5", 1)).expect("write");
    let err = fails(&["merge", &tampered.display().to_string(), &a[1]]);
    assert!(err.contains("another sweep"), "{err}");

    let err = fails(&["merge", &dir.path().join("nope.json").display().to_string()]);
    assert!(err.contains("nope.json"), "{err}");
}

#[test]
fn bad_vary_and_shard_arguments_name_the_key_and_the_fix() {
    let err = fails(&["sweep", SCENARIO, "--vary", "model.pool_restore_slotz=1,2"]);
    assert!(
        err.contains("with model.pool_restore_slotz=1: key `model.pool_restore_slotz`"),
        "{err}"
    );
    assert!(err.contains("unknown field"), "{err}");
    assert!(err.contains("fix:"), "{err}");
    let err = fails(&[
        "sweep",
        SCENARIO,
        "--vary",
        "model.pool_restore_slots=0..2:1",
    ]);
    assert!(err.contains("with model.pool_restore_slots=0"), "{err}");
    assert!(err.contains("fix:"), "{err}");
    let err = fails(&["sweep", SCENARIO, "--shard", "4/4"]);
    assert!(
        err.contains("--shard 4/4: K is 4, not below N = 4"),
        "{err}"
    );
    assert!(err.contains("fix:"), "{err}");
}
