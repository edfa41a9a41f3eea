//! ARM requests per second, one panel per request class that saw traffic:
//! the busiest second of each bucket (a shaded envelope), the mean rate
//! (a line), 429s as crosses, and the class's refill limit as a labelled
//! dashed line.

use plotters::prelude::*;

use super::buckets::{ArmBucket, arm_buckets, bucket_width};
use super::frame::{
    LabelRow, PanelSpec, event_labels, event_lines, limit, panel, picture, plot_pixels,
};
use super::legend::{self, Entry, Swatch};
use super::{ReportError, chart_err, palette, x_end};
use crate::results::Series;

/// Most buckets per panel.
const MAX_BUCKETS: usize = 400;

/// Width of the picture, and height per panel (plus the title), pixels.
const WIDTH: u32 = 1000;
const PANEL_HEIGHT: u32 = 300;

/// The classes, in `ArmSecond` order: name, colour.
const CLASSES: [(&str, RGBColor); 3] = [
    ("reads (GET)", palette::READS),
    ("writes (PUT, POST)", palette::WRITES),
    ("deletes (DELETE)", palette::DELETES),
];

/// A bucket width in words.
fn width_words(w: usize) -> String {
    match w {
        1 => "1 s".to_owned(),
        w if w % 3600 == 0 => format!("{} h", w / 3600),
        w if w % 60 == 0 => format!("{} min", w / 60),
        w => format!("{w} s"),
    }
}

/// ARM requests per second against the refill limits: reads and writes
/// always, deletes when there were any.
/// Returns the SVG document ([`FILE`] in a report directory).
pub fn arm_requests(series: &Series) -> Result<String, ReportError> {
    let mut svg = String::new();
    draw(&mut svg, series)?;
    Ok(svg)
}

/// The chart's file name in a report directory.
pub const FILE: &str = "arm_requests.svg";

fn draw(svg: &mut String, series: &Series) -> Result<(), ReportError> {
    let err = |e: DrawingAreaErrorKind<std::io::Error>| chart_err(FILE, e);
    let per_s = &series.arm_per_s;
    let classes: Vec<usize> = (0..3)
        .filter(|&c| c < 2 || per_s.iter().any(|s| s.requests[c] > 0))
        .collect();
    let width = bucket_width(per_s.len(), MAX_BUCKETS);
    let title = format!(
        "ARM requests per second: busiest second and mean per {} bucket",
        width_words(width)
    );
    let height = 40 + PANEL_HEIGHT * u32::try_from(classes.len()).unwrap_or(3);
    let pic = picture(
        SVGBackend::with_string(svg, (WIDTH, height)),
        &title,
        classes.len(),
    )
    .map_err(err)?;
    let end = x_end(per_s.len() as f64 / 3600.0);
    for (&class, area) in classes.iter().zip(&pic.panels) {
        let (name, color) = CLASSES[class];
        let budget = series.arm_budgets[class];
        let buckets = arm_buckets(per_s, class, width);
        let top = buckets
            .iter()
            .map(|b| b.peak_per_s)
            .fold(budget.refill_per_s, u32::max)
            .max(1);
        let spec = PanelSpec {
            caption: Some(name),
            y_desc: "requests per second",
            x_end: end,
            y_labels: 8,
        };
        // Whole requests once the axis reaches 5/s.
        let whole = |v: &f64| format!("{v:.0}");
        let format: Option<&dyn Fn(&f64) -> String> = (top >= 5).then_some(&whole);
        let mut chart = panel(area, &spec, 0.0..f64::from(top) * 1.15, format).map_err(err)?;
        event_lines(&pic.root, &chart, &series.marks).map_err(err)?;
        draw_class(&mut chart, &buckets, color).map_err(err)?;
        let refill = f64::from(budget.refill_per_s);
        let label = format!(
            "refill limit {}/s (bucket {})",
            budget.refill_per_s, budget.capacity
        );
        limit(&pic.root, &chart, refill, &label).map_err(err)?;
        event_labels(&pic.root, &chart, &series.marks, LabelRow::Top).map_err(err)?;
        let throttled: u32 = buckets.iter().map(|b| b.throttled).sum();
        let entries = [
            Entry::new(Swatch::Area(color, 0.3), "busiest second"),
            Entry::new(
                Swatch::Line(color, 2),
                format!("mean per {}", width_words(width)),
            ),
            Entry::new(
                Swatch::Cross(palette::THROTTLED),
                format!("429s, busiest second ({throttled} in all)"),
            ),
            Entry::new(Swatch::Dashed(palette::LIMIT), "refill limit"),
        ];
        let (xs, ys) = plot_pixels(&chart);
        legend::draw(&pic.root, (xs.end + 30, ys.start), &entries).map_err(err)?;
    }
    pic.root.present().map_err(err)
}

/// The envelope, mean line and 429 crosses of one class's buckets.
fn draw_class(
    chart: &mut super::frame::Panel<'_, '_, plotters::coord::types::RangedCoordf64>,
    buckets: &[ArmBucket],
    color: RGBColor,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let h = |s: f64| s / 3600.0;
    let step = |value: fn(&ArmBucket) -> f64| -> Vec<(f64, f64)> {
        buckets
            .iter()
            .flat_map(|b| [(h(b.start_s), value(b)), (h(b.end_s), value(b))])
            .collect()
    };
    chart.draw_series(AreaSeries::new(
        step(|b| f64::from(b.peak_per_s)),
        0.0,
        color.mix(0.3).filled(),
    ))?;
    chart.draw_series(LineSeries::new(
        step(|b| b.mean_per_s),
        color.stroke_width(2),
    ))?;
    chart.draw_series(buckets.iter().filter(|b| b.throttled > 0).map(|b| {
        Cross::new(
            (
                h((b.start_s + b.end_s) / 2.0),
                f64::from(b.peak_throttled_per_s),
            ),
            4,
            palette::THROTTLED.stroke_width(2),
        )
    }))?;
    Ok(())
}
