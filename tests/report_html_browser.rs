//! `report.html` in a real browser: headless Chromium renders the pages
//! `simulate --report` (one run and `--runs`), `compare --report` and
//! `sweep --report` write; each screenshot must not be blank (a fair share
//! of non-white pixels, many colours, the charts' colours among them) and
//! the page must log nothing to the console (a script error, or a load the
//! page's no-loads Content-Security-Policy refused: `<img src>`, a font, a
//! style sheet). A deliberately broken copy of a page proves the console
//! check catches both on this Chromium.
//!
//! Needs Chromium: `/usr/bin/chromium`, or `chromium` / `chromium-browser`
//! on PATH (Debian: `apt-get install -y --no-install-recommends chromium`,
//! which `.ci/run` does). Without it the test fails, unless
//! `GEORESTORE_SKIP_BROWSER=1` is set. `REPORT_PNG_DIR=/some/dir` keeps the
//! screenshots there, to look at.

mod common;

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one page may take to render before the browser is killed
/// (a bound for a stuck browser, not a speed check: a page takes about
/// a second).
const RENDER_LIMIT: Duration = Duration::from_secs(120);

/// The browser: `/usr/bin/chromium`, else `chromium` or `chromium-browser`
/// on PATH.
fn find_chromium() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// The browser, or `None` (the test passes, saying why) when it is absent
/// and `GEORESTORE_SKIP_BROWSER=1`; fails when it is absent otherwise.
fn chromium_or_skip() -> Option<PathBuf> {
    if let Some(browser) = find_chromium() {
        return Some(browser);
    }
    if std::env::var("GEORESTORE_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("GEORESTORE_SKIP_BROWSER=1 and no Chromium: report.html is not rendered");
        return None;
    }
    panic!(
        "no Chromium (looked for /usr/bin/chromium, and chromium and chromium-browser on PATH); \
         install Debian's package: `apt-get update && apt-get install -y --no-install-recommends chromium` \
         (as .ci/run does), or set GEORESTORE_SKIP_BROWSER=1 to skip this test"
    );
}

fn georestore(args: &[&str]) {
    common::succeeds(args);
}

/// What the browser made of a page.
struct Rendered {
    /// The page's console messages (`...:CONSOLE...] "message", source: ...`).
    console: Vec<String>,
    /// Everything it wrote on stderr.
    stderr: String,
    /// The screenshot.
    png: PathBuf,
}

/// Renders `page` in headless Chromium (a throwaway profile, 1280×2000),
/// screenshot into `work`.
fn render(browser: &Path, page: &Path, work: &Path, tag: &str) -> Rendered {
    let profile = work.join(format!("profile-{tag}"));
    let png = work.join(format!("{tag}.png"));
    let log = work.join(format!("{tag}.stderr"));
    let page = page.canonicalize().expect("page path");
    let url = format!("file://{}", page.display()).replace(' ', "%20");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("stderr file"))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > RENDER_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish {url} within {RENDER_LIMIT:?}; killed. stderr:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(status.success(), "chromium {url}: {status}\n{stderr}");
    assert!(png.is_file(), "no screenshot of {url}:\n{stderr}");
    if let Some(dir) = std::env::var_os("REPORT_PNG_DIR") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("png dir");
        std::fs::copy(&png, dir.join(format!("{tag}.png"))).expect("copy png");
    }
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .map(str::to_owned)
        .collect();
    Rendered {
        console,
        stderr,
        png,
    }
}

/// The screenshot's pixels, RGB.
fn pixels(png: &Path) -> Vec<[u8; 3]> {
    let file = std::fs::File::open(png).expect("open png");
    let mut decoder = png::Decoder::new(BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
    let info = reader.next_frame(&mut buf).expect("png data");
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    assert_eq!((info.width, info.height), (1280, 2000), "screenshot size");
    buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// How much of a screenshot is drawn.
#[derive(Debug)]
struct Ink {
    /// Share of pixels that are not (near) white.
    inked: f64,
    /// Colours, 16 levels a channel.
    colours: usize,
    /// Pixels of a strong colour (the charts' lines; text and tables are
    /// greys).
    chromatic: usize,
}

fn ink(pixels: &[[u8; 3]]) -> Ink {
    let inked = pixels.iter().filter(|p| p.iter().any(|&c| c < 235)).count();
    let colours: std::collections::BTreeSet<[u8; 3]> =
        pixels.iter().map(|p| p.map(|c| c >> 4)).collect();
    let chromatic = pixels
        .iter()
        .filter(|p| {
            let (lo, hi) = (p.iter().min().copied(), p.iter().max().copied());
            hi.unwrap_or(0) - lo.unwrap_or(0) >= 80
        })
        .count();
    Ink {
        inked: inked as f64 / pixels.len().max(1) as f64,
        colours: colours.len(),
        chromatic,
    }
}

fn assert_renders_cleanly(browser: &Path, page: &Path, work: &Path, tag: &str) {
    let r = render(browser, page, work, tag);
    assert!(
        r.console.is_empty(),
        "{tag}: the page logged to the console:\n{}",
        r.console.join("\n")
    );
    let ink = ink(&pixels(&r.png));
    eprintln!("{tag}: {ink:?}");
    // Measured: text and tables on white ink 3.5 to 4 % of the pixels,
    // in 60 to 200 colours, 600 to 10,000 of them strong (the charts).
    // A blank page has 0 %, one colour and none.
    assert!(ink.inked > 0.015, "{tag}: blank screenshot? {ink:?}");
    assert!(ink.colours >= 12, "{tag}: too few colours {ink:?}");
    assert!(ink.chromatic >= 200, "{tag}: no chart colours {ink:?}");
    // A healthy page: nothing in the log hints at a crash either.
    assert!(
        !r.stderr.contains("FATAL"),
        "{tag}: chromium reported a fatal error:\n{}",
        r.stderr
    );
}

#[test]
fn every_report_page_renders_in_chromium_without_console_errors() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let work = tempfile::tempdir().expect("tempdir");
    let dir = |name: &str| work.path().join(name).display().to_string();
    let demo = "scenarios/wingtip-demo.toml";
    georestore(&["simulate", demo, "--report", &dir("sim")]);
    georestore(&["simulate", demo, "--runs", "2", "--report", &dir("runs")]);
    georestore(&[
        "compare",
        "scenarios/cancel-midway.toml",
        "--strategies",
        "wingtip,priority-pacing",
        "--quiet",
        "--report",
        &dir("compare"),
    ]);
    georestore(&[
        "sweep",
        demo,
        "--runs",
        "1",
        "--vary",
        "strategy=wingtip,size-aware",
        "--vary",
        "model.pool_restore_slots=2,8",
        "--quiet",
        "--report",
        &dir("sweep"),
    ]);
    for tag in ["sim", "runs", "compare", "sweep"] {
        let page = work.path().join(tag).join("report.html");
        assert_renders_cleanly(&browser, &page, work.path(), tag);
    }
}

#[test]
fn the_console_check_catches_a_script_error_and_a_refused_load() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path().join("sim");
    georestore(&[
        "simulate",
        "scenarios/wingtip-demo.toml",
        "--report",
        &dir.display().to_string(),
    ]);
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    // What a careless change could add: an image by file name, and a script.
    let broken = html.replacen(
        "<h2>Summary</h2>",
        "<img src=\"time_to_online_cdf.svg\" alt=\"\"><script>oops(</script><h2>Summary</h2>",
        1,
    );
    assert_ne!(broken, html);
    let page = dir.join("broken.html");
    std::fs::write(&page, broken).expect("write");
    let r = render(&browser, &page, work.path(), "broken");
    let text = r.console.join("\n");
    assert!(
        text.contains("time_to_online_cdf.svg") && text.contains("Content Security Policy"),
        "the refused image is not in the console lines:\n{text}\n--- stderr:\n{}",
        r.stderr
    );
    // The inline script is refused by the same policy, so it never runs.
    assert!(
        text.contains("inline script") || text.contains("Uncaught"),
        "the script is not in the console lines:\n{text}"
    );
}
