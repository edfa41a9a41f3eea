//! The report's SVG charts, rendered with resvg: each parses, carries its
//! title, axis names, legend entries and limit labels as `<text>`, is not
//! blank, and shows its features in their colours (the tiers' curves, the
//! dashed limit lines, 429 crosses, the cancel mark). Pixel checks rely on
//! lines and areas only, so they pass without any font installed.
//!
//! `CHARTS_PNG_DIR=/some/dir cargo test -p georestore-sim --test charts`
//! also writes each rendered chart there as PNG, to look at.

use std::path::{Path, PathBuf};

use resvg::tiny_skia::Pixmap;
use resvg::usvg;
use sim::report::charts::palette;
use sim::simulate::{Simulation, simulate};

mod common;

use common::scenario;

type Rgb = (u8, u8, u8);

fn rgb(c: plotters::style::RGBColor) -> Rgb {
    (c.0, c.1, c.2)
}

/// A scenario's report in a fresh directory.
fn report(name: &str, tag: &str) -> (PathBuf, Simulation) {
    let s = scenario(name);
    let sim = simulate(&s, &s.file.strategy.name, s.file.seed).expect("run");
    let dir = std::env::temp_dir().join(format!(
        "georestore-charts-{}-{name}-{tag}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    sim::report::write(&dir, &s, &sim).expect("report");
    (dir, sim)
}

/// A rendered chart and its `<text>` contents.
struct Rendered {
    pixmap: Pixmap,
    texts: Vec<String>,
    /// The numbers right-aligned (`text-anchor="end"`): the y ticks.
    y_ticks: Vec<String>,
}

impl Rendered {
    fn pixel(&self, x: u32, y: u32) -> Rgb {
        let p = self.pixmap.pixel(x, y).expect("pixel in range");
        (p.red(), p.green(), p.blue())
    }

    /// Pixels within a small distance of `c` (anti-aliasing blends edges).
    fn count(&self, c: Rgb) -> usize {
        let (w, h) = (self.pixmap.width(), self.pixmap.height());
        (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .filter(|&(x, y)| near(self.pixel(x, y), c))
            .count()
    }

    /// Share of pixels that are not white.
    fn ink(&self) -> f64 {
        let (w, h) = (self.pixmap.width(), self.pixmap.height());
        let inked = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .filter(|&(x, y)| !near(self.pixel(x, y), (255, 255, 255)))
            .count();
        inked as f64 / f64::from(w * h)
    }

    /// The longest run of one row's pixels of colour `c` counted with the
    /// gaps of a dashed line (at most 8 pixels) bridged, over all rows.
    fn longest_row(&self, c: Rgb) -> u32 {
        (0..self.pixmap.height())
            .map(|y| longest_run((0..self.pixmap.width()).map(|x| near(self.pixel(x, y), c))))
            .max()
            .unwrap_or(0)
    }

    /// The same over columns, for vertical lines.
    fn longest_column(&self, c: Rgb) -> u32 {
        (0..self.pixmap.width())
            .map(|x| longest_run((0..self.pixmap.height()).map(|y| near(self.pixel(x, y), c))))
            .max()
            .unwrap_or(0)
    }

    fn has_text(&self, needle: &str) -> bool {
        self.texts.iter().any(|t| t.contains(needle))
    }

    fn assert_texts(&self, name: &str, needles: &[&str]) {
        for needle in needles {
            assert!(
                self.has_text(needle),
                "{name}: no <text> with {needle:?} in {:?}",
                self.texts
            );
        }
    }
}

/// The longest run of `true`, gaps of up to 8 `false` bridged.
fn longest_run(cells: impl Iterator<Item = bool>) -> u32 {
    let (mut best, mut run, mut gap) = (0u32, 0u32, 0u32);
    for on in cells {
        if on {
            run += gap + 1;
            gap = 0;
            best = best.max(run);
        } else if run > 0 && gap < 8 {
            gap += 1;
        } else {
            (run, gap) = (0, 0);
        }
    }
    best
}

fn near(a: Rgb, b: Rgb) -> bool {
    let d = |x: u8, y: u8| i32::from(x).abs_diff(i32::from(y));
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2) <= 24
}

/// Parses (XML and SVG) and renders `file` of `dir`, writing it as PNG into
/// `$CHARTS_PNG_DIR` when set.
fn render(dir: &Path, file: &str, tag: &str) -> Rendered {
    let data = std::fs::read_to_string(dir.join(file)).expect("svg");
    let xml = usvg::roxmltree::Document::parse(&data).expect("well-formed XML");
    let content = |n: usvg::roxmltree::Node<'_, '_>| {
        n.descendants()
            .filter(|t| t.is_text())
            .filter_map(|t| t.text())
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let text_nodes = || xml.descendants().filter(|n| n.has_tag_name("text"));
    let texts = text_nodes().map(content).collect();
    let y_ticks = text_nodes()
        .filter(|n| n.attribute("text-anchor") == Some("end"))
        .map(content)
        .filter(|t| t.parse::<f64>().is_ok())
        .collect();
    let mut opt = usvg::Options::default();
    // Fonts only if the machine has them: the pixel checks do not need text.
    opt.fontdb_mut().load_system_fonts();
    opt.fontdb_mut().set_sans_serif_family("DejaVu Sans");
    let tree = usvg::Tree::from_str(&data, &opt).expect("valid SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = Pixmap::new(size.width(), size.height()).expect("pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    if let Some(out) = std::env::var_os("CHARTS_PNG_DIR") {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out).expect("png dir");
        let png = out.join(format!("{tag}-{}", file.replace(".svg", ".png")));
        pixmap.save_png(png).expect("png");
    }
    Rendered {
        pixmap,
        texts,
        y_ticks,
    }
}

const CDF: &str = "time_to_online_cdf.svg";
const IN_FLIGHT: &str = "restores_over_time.svg";
const ARM: &str = "arm_requests.svg";

/// A dashed limit line spans most of a plot's width (plots are at least
/// 600 pixels wide).
const LIMIT_RUN: u32 = 500;

#[test]
fn the_cdf_draws_every_tier_in_its_own_colour_with_the_legend_beside_it() {
    let (dir, sim) = report("saas-1k", "cdf");
    let cdf = render(&dir, CDF, "saas-1k");
    cdf.assert_texts(
        CDF,
        &[
            "Time to online per tier",
            "hours since the start",
            "fraction of the tier online",
        ],
    );
    for (i, (tier, times)) in sim.series.tier_times_s.iter().enumerate() {
        assert!(!times.is_empty());
        assert!(
            cdf.has_text(tier),
            "legend entry for {tier}: {:?}",
            cdf.texts
        );
        let color = rgb(palette::tier(i));
        let n = cdf.count(color);
        // A 3-pixel curve rising across the plot: hundreds of pixels.
        assert!(n > 300, "{tier}: only {n} pixels of {color:?}");
    }
    assert!(cdf.ink() > 0.02, "{CDF} is nearly blank: {}", cdf.ink());
    // No tier's yellow: every tier colour is dark enough on white.
    for c in palette::TIERS {
        let luma = 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
        assert!(luma < 180.0, "{c:?} is faint on white");
    }
    // The legend lies right of the plot: the tiers' colours appear in the
    // margin, where no curve goes.
    let w = cdf.pixmap.width();
    let legend_colours = (0..cdf.pixmap.height())
        .flat_map(|y| (w - 240..w).map(move |x| (x, y)))
        .filter(|&(x, y)| near(cdf.pixel(x, y), rgb(palette::tier(0))))
        .count();
    assert!(legend_colours > 20, "no legend swatch in the right margin");
    let _ = std::fs::remove_dir_all(dir);
}

/// Each chart of `name`'s report marks `event` as a labelled vertical line.
fn assert_event_marked(name: &str, event: &str) -> f64 {
    let (dir, sim) = report(name, "event");
    let mark = sim
        .series
        .marks
        .iter()
        .find(|m| m.label == event)
        .unwrap_or_else(|| panic!("{name}: no {event} in {:?}", sim.series.marks));
    let label = format!("{event} ({:.2} h)", mark.t_s / 3600.0);
    for file in [CDF, IN_FLIGHT, ARM] {
        let chart = render(&dir, file, name);
        chart.assert_texts(file, &[&label]);
        let run = chart.longest_column(rgb(palette::EVENT));
        assert!(
            run > 200,
            "{name} {file}: no vertical {event} line ({run} px)"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
    mark.t_s
}

#[test]
fn a_cancel_is_marked_on_the_time_axis_of_every_chart() {
    let t = assert_event_marked("cancel-midway", "cancel requested");
    assert_eq!(t, 5400.0, "the scenario's cancel_at_s");
}

#[test]
fn a_repatriation_is_marked_on_the_time_axis_of_every_chart() {
    let t = assert_event_marked("repatriation", "repatriation requested");
    assert!(t > 0.0);
}

#[test]
fn the_arm_chart_shows_peaks_429s_and_dashed_labelled_limits() {
    let (dir, sim) = report("tight-throttle", "arm");
    assert!(sim.result.arm.throttled > 0, "the scenario throttles");
    let arm = render(&dir, ARM, "tight-throttle");
    arm.assert_texts(
        ARM,
        &[
            "ARM requests per second",
            "hours since the start",
            "requests per second",
            "reads (GET)",
            "writes (PUT, POST)",
            "busiest second",
            "429s, busiest second",
            "refill limit 3/s (bucket 25)",
            "refill limit 1/s (bucket 20)",
        ],
    );
    assert!(arm.ink() > 0.02, "{ARM} is nearly blank: {}", arm.ink());
    for (what, c, min) in [
        ("reads", palette::READS, 300),
        ("writes", palette::WRITES, 300),
        ("429 crosses", palette::THROTTLED, 50),
    ] {
        let n = arm.count(rgb(c));
        assert!(n > min, "{what}: {n} pixels of {c:?}");
    }
    let run = arm.longest_row(rgb(palette::LIMIT));
    assert!(
        run > LIMIT_RUN,
        "no dashed limit line across the plot ({run} px)"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn restores_in_flight_have_whole_ticks_and_the_slot_limits() {
    let (dir, sim) = report("saas-1k", "in-flight");
    let chart = render(&dir, IN_FLIGHT, "saas-1k");
    let slots = sim.series.pool_restore_slots;
    let pools = sim.series.pools_restoring;
    chart.assert_texts(
        IN_FLIGHT,
        &[
            "Restores in flight",
            "processing per pool",
            "all pools",
            "busiest pool",
            &format!("mean of {pools} pools"),
            "processing",
            "queued",
            &format!("per-pool limit: {slots} restore slots"),
            &format!("all slots: {pools} pools × {slots} = {}", pools * slots),
        ],
    );
    // The y ticks are whole restores, and go up to the slot limit.
    assert!(chart.y_ticks.len() > 4, "{:?}", chart.texts);
    for t in &chart.y_ticks {
        assert!(t.parse::<u64>().is_ok(), "y tick {t} is not a whole number");
    }
    assert!(
        chart
            .y_ticks
            .iter()
            .filter_map(|t| t.parse::<u64>().ok())
            .any(|n| n >= u64::from(slots)),
        "{:?}",
        chart.y_ticks
    );
    assert!(chart.ink() > 0.02, "{IN_FLIGHT} is nearly blank");
    for (what, c) in [
        ("busiest pool", palette::BUSIEST),
        ("processing", palette::PROCESSING),
        ("queued", palette::QUEUED),
    ] {
        let n = chart.count(rgb(c));
        assert!(n > 300, "{what}: {n} pixels of {c:?}");
    }
    let run = chart.longest_row(rgb(palette::LIMIT));
    assert!(run > LIMIT_RUN, "no dashed limit line ({run} px)");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_same_run_draws_byte_identical_charts() {
    let (a, _) = report("wingtip-demo", "a");
    let (b, _) = report("wingtip-demo", "b");
    for file in [CDF, IN_FLIGHT, ARM] {
        let (x, y) = (
            std::fs::read(a.join(file)).expect("a"),
            std::fs::read(b.join(file)).expect("b"),
        );
        assert!(x == y, "{file} differs between identical runs");
        render(&a, file, "wingtip-demo");
    }
    let _ = std::fs::remove_dir_all(a);
    let _ = std::fs::remove_dir_all(b);
}
