//! The Kubernetes manifests under deploy/k8s: valid against the Kubernetes
//! schemas (offline, with kubernetes-validate), and the exact command the
//! Indexed Job's pods run, run here for every index of a small split, then
//! the merge Job's command: byte-identical to the sweep run whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_norway::Value;

const KUBERNETES_VERSION: &str = "1.33.0";
const MANIFESTS: [&str; 3] = ["pvc.yaml", "sweep-job.yaml", "merge-job.yaml"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn manifest(name: &str) -> PathBuf {
    root().join("deploy/k8s").join(name)
}

/// kubernetes-validate: $KUBERNETES_VALIDATE, the venv
/// `.ci/install-kubernetes-validate` makes, or PATH.
fn validator() -> PathBuf {
    if let Some(path) = std::env::var_os("KUBERNETES_VALIDATE") {
        return PathBuf::from(path);
    }
    let venv = root().join("target/k8s-venv/bin/kubernetes-validate");
    if venv.exists() {
        return venv;
    }
    let on_path = Command::new("kubernetes-validate")
        .arg("--version")
        .output();
    if on_path.is_ok_and(|o| o.status.success()) {
        return PathBuf::from("kubernetes-validate");
    }
    panic!(
        "kubernetes-validate is not installed; run `.ci/install-kubernetes-validate` \
         (a venv in target/k8s-venv with `pip install kubernetes-validate`), or set \
         KUBERNETES_VALIDATE to its path"
    );
}

fn validate(path: &Path) -> (bool, String) {
    let out = Command::new(validator())
        .args(["--strict", "--kubernetes-version", KUBERNETES_VERSION])
        .arg(path)
        .output()
        .expect("run kubernetes-validate");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_manifests_are_valid_kubernetes_objects() {
    for name in MANIFESTS {
        let (ok, text) = validate(&manifest(name));
        assert!(ok, "{name}: {text}");
        assert!(text.contains("passed"), "{name}: {text}");
    }
    // The validator does refuse: a misspelled field and a wrong type.
    let dir = tempfile::tempdir().expect("tempdir");
    let job = std::fs::read_to_string(manifest("sweep-job.yaml")).expect("read");
    for (from, to) in [
        ("completionMode: Indexed", "completionMod: Indexed"),
        ("completions: 1000", "completions: many"),
    ] {
        assert!(job.contains(from), "{from}");
        let bad = dir.path().join("bad.yaml");
        std::fs::write(&bad, job.replacen(from, to, 1)).expect("write");
        let (ok, text) = validate(&bad);
        assert!(!ok, "{to} passed: {text}");
    }
}

fn yaml(name: &str) -> Value {
    let text = std::fs::read_to_string(manifest(name)).expect("read manifest");
    serde_norway::from_str(&text).expect("manifest is YAML")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

/// A Job's single container: command, args, env (name -> value),
/// workingDir.
struct Container {
    command: Vec<String>,
    args: Vec<String>,
    env: BTreeMap<String, String>,
    working_dir: Option<String>,
}

fn container(job: &Value) -> Container {
    let c = &job["spec"]["template"]["spec"]["containers"][0];
    let env = c["env"]
        .as_sequence()
        .map(|list| {
            list.iter()
                .map(|e| {
                    (
                        e["name"].as_str().expect("env name").to_owned(),
                        e["value"].as_str().expect("env value").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Container {
        command: strings(&c["command"]),
        args: strings(&c["args"]),
        env,
        working_dir: c["workingDir"].as_str().map(str::to_owned),
    }
}

/// Kubernetes' `$(VAR)` expansion of command and args from the env.
fn expand(s: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = s.to_owned();
    for (k, v) in env {
        out = out.replace(&format!("$({k})"), v);
    }
    assert!(!out.contains("$("), "unexpanded variable in {s}: {out}");
    out
}

#[test]
fn the_jobs_commands_run_here_merge_to_the_whole_sweep() {
    let job = yaml("sweep-job.yaml");
    assert_eq!(job["spec"]["completionMode"], "Indexed");
    let c = container(&job);
    let completions = job["spec"]["completions"].as_u64().expect("completions");
    assert_eq!(
        c.env.get("SHARDS").map(String::as_str),
        Some(completions.to_string().as_str()),
        "SHARDS must equal spec.completions"
    );
    assert_eq!(c.command, ["georestore"]);
    let mount = job["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][0]["mountPath"]
        .as_str()
        .expect("mount");

    // The manifest's command on a small sweep: the demo scenario, 2 seeds,
    // 4 shards; the results directory is a temporary one.
    let results = tempfile::tempdir().expect("tempdir");
    let results_dir = results.path().display().to_string();
    assert_eq!(c.env.get("RESULTS").map(String::as_str), Some(mount));
    let mut env = c.env.clone();
    env.insert("SCENARIO".into(), "scenarios/wingtip-demo.toml".into());
    env.insert("RUNS".into(), "2".into());
    env.insert("SHARDS".into(), "4".into());
    env.insert("RESULTS".into(), results_dir.clone());
    // The image holds the repository's scenarios/ in the working directory
    // (deploy/Dockerfile); here, the repository itself.
    assert_eq!(c.working_dir.as_deref(), Some("/opt/georestore"));
    let dockerfile = std::fs::read_to_string(root().join("deploy/Dockerfile")).expect("Dockerfile");
    assert!(
        dockerfile.contains("COPY scenarios /opt/georestore/scenarios"),
        "{dockerfile}"
    );
    let workdir = root();
    for index in 0..4 {
        env.insert("JOB_COMPLETION_INDEX".into(), index.to_string());
        let args: Vec<String> = c.args.iter().map(|a| expand(a, &env)).collect();
        let out = Command::new(env!("CARGO_BIN_EXE_georestore"))
            .args(&args)
            .current_dir(workdir)
            .output()
            .expect("run the shard");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            results.path().join(format!("shard-{index}.json")).exists(),
            "{args:?} wrote no shard-{index}.json"
        );
    }

    // The merge Job's command, with `georestore` on PATH.
    let merge = container(&yaml("merge-job.yaml"));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_georestore"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut merge_env = merge.env.clone();
    merge_env.insert("RESULTS".into(), results_dir.clone());
    let out = Command::new(&merge.command[0])
        .args(&merge.command[1..])
        .args(merge.args.iter().map(|a| expand(a, &merge_env)))
        .envs(&merge_env)
        .env("PATH", path)
        .output()
        .expect("run the merge");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = std::fs::read_to_string(results.path().join("sweep.json")).expect("sweep.json");

    let strategies = format!("strategy.name={}", c.env["STRATEGIES"]);
    let whole = Command::new(env!("CARGO_BIN_EXE_georestore"))
        .args([
            "sweep",
            "scenarios/wingtip-demo.toml",
            "--runs",
            "2",
            "--vary",
        ])
        .arg(&strategies)
        .arg("--json")
        .current_dir(root())
        .output()
        .expect("run the whole sweep");
    assert!(
        whole.status.success(),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    assert_eq!(merged, String::from_utf8_lossy(&whole.stdout));
}
