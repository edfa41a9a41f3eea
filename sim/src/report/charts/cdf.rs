//! Time-to-online CDF per tier.

use plotters::prelude::*;

use super::frame::{LabelRow, PanelSpec, event_labels, event_lines, panel, picture, plot_pixels};
use super::legend::{self, Entry, Swatch};
use super::{ReportError, chart_err, palette, thin, x_end};
use crate::results::Series;

/// The picture's size, pixels.
const SIZE: (u32, u32) = (1000, 520);

/// The CDF of one tier: `(hours, fraction of the tier's tenants online)`
/// at each sorted time. The fraction is of every tenant of the tier, not
/// only those that came online, so a cancelled or partial run's curve ends
/// below 1.
pub fn cdf_points(times_s: &[f64], tenants: usize) -> Vec<(f64, f64)> {
    let n = tenants.max(times_s.len()).max(1) as f64;
    times_s
        .iter()
        .enumerate()
        .map(|(k, &t)| (t / 3600.0, (k + 1) as f64 / n))
        .collect()
}

/// Time-to-online CDF per tier (hours on x, fraction of the tier on y),
/// one Okabe–Ito colour per tier, the legend beside the plot, and the
/// cancel or repatriation request marked on the time axis.
/// Returns the SVG document ([`FILE`] in a report directory).
pub fn time_to_online_cdf(series: &Series) -> Result<String, ReportError> {
    let mut svg = String::new();
    draw(&mut svg, series)?;
    Ok(svg)
}

/// The chart's file name in a report directory.
pub const FILE: &str = "time_to_online_cdf.svg";

fn draw(svg: &mut String, series: &Series) -> Result<(), ReportError> {
    let err = |e: DrawingAreaErrorKind<std::io::Error>| chart_err(FILE, e);
    let last_online = series
        .tier_times_s
        .iter()
        .filter_map(|(_, t)| t.last())
        .fold(0.0f64, |a, &b| a.max(b));
    // Requests (not their ends, which may come much later) widen the axis.
    let last_request = series
        .marks
        .iter()
        .filter(|m| m.label.ends_with("requested"))
        .fold(0.0f64, |a, m| a.max(m.t_s));
    let spec = PanelSpec {
        caption: None,
        y_desc: "fraction of the tier online",
        x_end: x_end(last_online.max(last_request) / 3600.0),
        y_labels: 11,
    };
    let pic = picture(
        SVGBackend::with_string(svg, SIZE),
        "Time to online per tier (CDF)",
        1,
    )
    .map_err(err)?;
    let Some(area) = pic.panels.first() else {
        return Ok(());
    };
    let mut chart = panel(area, &spec, 0.0..1.02, None).map_err(err)?;
    event_lines(&pic.root, &chart, &series.marks).map_err(err)?;
    let mut entries = Vec::new();
    for (i, (name, times)) in series.tier_times_s.iter().enumerate() {
        let tenants = series.tier_tenants.get(i).copied().unwrap_or(times.len());
        let color = palette::tier(i);
        entries.push(Entry::new(
            Swatch::Line(color, 3),
            format!("{name} ({} of {tenants})", times.len()),
        ));
        if times.is_empty() {
            continue;
        }
        let points = thin(&cdf_points(times, tenants), 2000);
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(3)))
            .map_err(err)?;
    }
    event_labels(&pic.root, &chart, &series.marks, LabelRow::Bottom).map_err(err)?;
    let (xs, ys) = plot_pixels(&chart);
    legend::draw(&pic.root, (xs.end + 30, ys.start), &entries).map_err(err)?;
    pic.root.present().map_err(err)
}
