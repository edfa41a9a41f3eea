//! Restores in flight: per pool against the pool's restore slots, and over
//! all pools (processing and queued) against every restoring pool's slots.

use plotters::prelude::*;

use super::frame::{
    LabelRow, PanelSpec, event_labels, event_lines, limit, panel, picture, plot_pixels,
};
use super::legend::{self, Entry, Swatch};
use super::{ReportError, chart_err, palette, steps, thin, x_end};
use crate::results::Series;

/// The picture's size, pixels.
const SIZE: (u32, u32) = (1000, 720);

/// Most points per line.
const MAX_POINTS: usize = 3000;

/// The top of an integer y axis holding `max`: a little headroom, so that
/// a line at the top of the data stays visible.
fn y_top(max: u32) -> i32 {
    let max = i32::try_from(max).unwrap_or(i32::MAX / 2).max(1);
    max + (max / 10).max(1)
}

/// Restores processing per pool (the busiest pool, and the mean over the
/// pools restored into) and processing and queued over all pools, with the
/// slot limits; y ticks are whole restores.
/// Returns the SVG document ([`FILE`] in a report directory).
pub fn restores_over_time(series: &Series) -> Result<String, ReportError> {
    let mut svg = String::new();
    draw(&mut svg, series)?;
    Ok(svg)
}

/// The chart's file name in a report directory.
pub const FILE: &str = "restores_over_time.svg";

fn draw(svg: &mut String, series: &Series) -> Result<(), ReportError> {
    let err = |e: DrawingAreaErrorKind<std::io::Error>| chart_err(FILE, e);
    let total = &series.restores_total;
    let last_t = total
        .last()
        .map_or(0.0, |p| p.0)
        .max(series.marks.iter().fold(0.0, |a, m| a.max(m.t_s)));
    let end = x_end(last_t / 3600.0);
    let pic = picture(SVGBackend::with_string(svg, SIZE), "Restores in flight", 2).map_err(err)?;
    let [per_pool_area, all_area] = pic.panels.as_slice() else {
        return Ok(());
    };
    let slots = series.pool_restore_slots;
    let h = |t: f64| t / 3600.0;

    // Per pool: the busiest, and the mean over the pools restored into.
    let pools = series.pools_restoring;
    let busiest: Vec<(f64, f64)> = thin(&series.busiest_pool, MAX_POINTS)
        .iter()
        .map(|&(t, n)| (h(t), f64::from(n)))
        .collect();
    let mean: Vec<(f64, f64)> = thin(total, MAX_POINTS)
        .iter()
        .map(|p| (h(p.0), f64::from(p.1) / f64::from(pools.max(1))))
        .collect();
    let most = series.busiest_pool.iter().map(|p| p.1).max().unwrap_or(0);
    let top = y_top(most.max(slots));
    let spec = PanelSpec {
        caption: Some("processing per pool"),
        y_desc: "restores",
        x_end: end,
        // One label per whole restore (a finer step would not fit).
        y_labels: usize::try_from(top).unwrap_or(10).saturating_add(1),
    };
    let whole = |v: &f64| format!("{v:.0}");
    let mut chart = panel(per_pool_area, &spec, 0.0..f64::from(top), Some(&whole)).map_err(err)?;
    event_lines(&pic.root, &chart, &series.marks).map_err(err)?;
    // The busiest pool is wider, so that it shows around the mean where
    // every pool is equally busy.
    for (points, color, width) in [
        (busiest, palette::BUSIEST, 6),
        (mean, palette::PROCESSING, 2),
    ] {
        chart
            .draw_series(LineSeries::new(steps(&points), color.stroke_width(width)))
            .map_err(err)?;
    }
    let per_pool_limit = format!("per-pool limit: {slots} restore slots");
    limit(&pic.root, &chart, f64::from(slots), &per_pool_limit).map_err(err)?;
    event_labels(&pic.root, &chart, &series.marks, LabelRow::Top).map_err(err)?;
    let entries = [
        Entry::new(Swatch::Line(palette::BUSIEST, 6), "busiest pool"),
        Entry::new(
            Swatch::Line(palette::PROCESSING, 2),
            format!("mean of {pools} pools"),
        ),
        Entry::new(Swatch::Dashed(palette::LIMIT), "per-pool limit"),
    ];
    let (xs, ys) = plot_pixels(&chart);
    legend::draw(&pic.root, (xs.end + 30, ys.start), &entries).map_err(err)?;

    // All pools.
    let cap = pools.saturating_mul(slots);
    let column = |pick: fn(&(f64, u32, u32)) -> u32| -> Vec<(f64, i32)> {
        thin(total, MAX_POINTS)
            .iter()
            .map(|p| (h(p.0), i32::try_from(pick(p)).unwrap_or(i32::MAX)))
            .collect()
    };
    let processing = column(|p| p.1);
    let queued = column(|p| p.2);
    let max = total.iter().map(|p| p.1.max(p.2)).max().unwrap_or(0);
    let spec = PanelSpec {
        caption: Some("all pools"),
        y_desc: "restores",
        x_end: end,
        y_labels: 10,
    };
    let mut chart = panel(all_area, &spec, 0..y_top(max.max(cap)), None).map_err(err)?;
    event_lines(&pic.root, &chart, &series.marks).map_err(err)?;
    for (points, color) in [
        (&processing, palette::PROCESSING),
        (&queued, palette::QUEUED),
    ] {
        chart
            .draw_series(LineSeries::new(steps(points), color.stroke_width(3)))
            .map_err(err)?;
    }
    let cap_label = format!("all slots: {pools} pools × {slots} = {cap}");
    limit(
        &pic.root,
        &chart,
        i32::try_from(cap).unwrap_or(i32::MAX),
        &cap_label,
    )
    .map_err(err)?;
    event_labels(&pic.root, &chart, &series.marks, LabelRow::Top).map_err(err)?;
    let entries = [
        Entry::new(Swatch::Line(palette::PROCESSING, 3), "processing"),
        Entry::new(Swatch::Line(palette::QUEUED, 3), "queued"),
        Entry::new(Swatch::Dashed(palette::LIMIT), "slots of restoring pools"),
    ];
    let (xs, ys) = plot_pixels(&chart);
    legend::draw(&pic.root, (xs.end + 30, ys.start), &entries).map_err(err)?;
    pic.root.present().map_err(err)
}
