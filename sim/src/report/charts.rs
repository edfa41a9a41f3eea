//! SVG charts (plotters, SVG backend only).

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::ReportError;
use crate::results::Series;

const SIZE: (u32, u32) = (900, 500);

fn chart_err(path: &Path, e: impl std::fmt::Display) -> ReportError {
    ReportError::Chart {
        name: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Thins a series to at most `max` points (keeps the last).
fn thin<T: Copy>(points: &[T], max: usize) -> Vec<T> {
    if points.len() <= max {
        return points.to_vec();
    }
    let step = points.len().div_ceil(max);
    let mut out: Vec<T> = points.iter().step_by(step).copied().collect();
    if let Some(&last) = points.last() {
        out.push(last);
    }
    out
}

/// The charts' coordinates: hours on x, `f64` on y.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// What differs between the charts' frames.
struct Frame<'a> {
    caption: &'a str,
    y_desc: &'a str,
    y_label_area: u32,
    /// The end of the x axis, hours.
    x_end: f64,
    /// The end of the y axis.
    y_end: f64,
}

/// The end of the x axis for a run that lasted `max_hours`.
fn x_end(max_hours: f64) -> f64 {
    max_hours.max(0.01) * 1.05
}

/// Draws one chart into `path`: the frame (caption, axes, mesh), then the
/// series `draw` adds, then their legend.
fn draw_chart(
    path: &Path,
    frame: Frame<'_>,
    draw: impl FnOnce(&mut Chart<'_, '_>) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|e| chart_err(path, e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(frame.caption, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(frame.y_label_area)
        .build_cartesian_2d(0.0..frame.x_end, 0.0..frame.y_end)
        .map_err(|e| chart_err(path, e))?;
    chart
        .configure_mesh()
        .x_desc("hours since the start")
        .y_desc(frame.y_desc)
        .draw()
        .map_err(|e| chart_err(path, e))?;
    draw(&mut chart)?;
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()
        .map_err(|e| chart_err(path, e))?;
    root.present().map_err(|e| chart_err(path, e))
}

/// Draws one labelled line (its legend entry a short line of its colour).
fn line(
    chart: &mut Chart<'_, '_>,
    path: &Path,
    points: Vec<(f64, f64)>,
    style: ShapeStyle,
    name: impl Into<String>,
) -> Result<(), ReportError> {
    let legend = ShapeStyle::from(style.color);
    chart
        .draw_series(LineSeries::new(points, style))
        .map_err(|e| chart_err(path, e))?
        .label(name)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], legend));
    Ok(())
}

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

/// Time-to-online CDF per tier (hours on x, fraction of the tier on y).
pub fn time_to_online_cdf(path: &Path, series: &Series) -> Result<(), ReportError> {
    let max_h = series
        .tier_times_s
        .iter()
        .filter_map(|(_, t)| t.last())
        .fold(0.0f64, |a, &b| a.max(b))
        / 3600.0;
    let frame = Frame {
        caption: "Time to online per tier (CDF)",
        y_desc: "fraction of tier online",
        y_label_area: 50,
        x_end: x_end(max_h),
        y_end: 1.0,
    };
    draw_chart(path, frame, |chart| {
        for (i, (name, times)) in series.tier_times_s.iter().enumerate() {
            if times.is_empty() {
                continue;
            }
            let tenants = series.tier_tenants.get(i).copied().unwrap_or(times.len());
            let points = cdf_points(times, tenants);
            let color = Palette99::pick(i).to_rgba();
            line(
                chart,
                path,
                thin(&points, 2000),
                color.stroke_width(2),
                name.clone(),
            )?;
        }
        Ok(())
    })
}

/// Restores processing and queued over time: the total over every pool,
/// plus each pool for small fleets.
pub fn restores_over_time(path: &Path, series: &Series) -> Result<(), ReportError> {
    let total = &series.restores_total;
    let max_t = total.last().map_or(1.0, |p| p.0) / 3600.0;
    let max_y = total.iter().map(|p| p.1.max(p.2)).max().unwrap_or(1).max(1) as f64;
    let frame = Frame {
        caption: "Restores in flight and queued (all pools)",
        y_desc: "restores",
        y_label_area: 60,
        x_end: x_end(max_t),
        y_end: max_y * 1.1,
    };
    let step = |pts: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        let mut out = Vec::with_capacity(pts.len() * 2);
        for (i, &(x, y)) in pts.iter().enumerate() {
            if i > 0 {
                out.push((x, pts[i - 1].1));
            }
            out.push((x, y));
        }
        out
    };
    let processing: Vec<(f64, f64)> = thin(total, 3000)
        .iter()
        .map(|p| (p.0 / 3600.0, f64::from(p.1)))
        .collect();
    let queued: Vec<(f64, f64)> = thin(total, 3000)
        .iter()
        .map(|p| (p.0 / 3600.0, f64::from(p.2)))
        .collect();
    draw_chart(path, frame, |chart| {
        for (name, pts, color) in [("processing", processing, BLUE), ("queued", queued, RED)] {
            line(chart, path, step(pts), color.stroke_width(2), name)?;
        }
        for (i, (name, pts)) in series.restores_per_pool.iter().enumerate() {
            let color = Palette99::pick(i + 2).to_rgba();
            let points: Vec<(f64, f64)> =
                pts.iter().map(|p| (p.0 / 3600.0, f64::from(p.1))).collect();
            line(
                chart,
                path,
                step(points),
                color.stroke_width(1),
                format!("{name} processing"),
            )?;
        }
        Ok(())
    })
}

/// ARM requests per second (per-minute averages) against the refill limits.
pub fn arm_requests(path: &Path, series: &Series) -> Result<(), ReportError> {
    let minutes: Vec<(f64, f64, f64, f64)> = series
        .arm_per_s
        .chunks(60)
        .enumerate()
        .map(|(m, chunk)| {
            let sum = |c: usize| chunk.iter().map(|s| f64::from(s.requests[c])).sum::<f64>();
            let throttled: f64 = chunk
                .iter()
                .map(|s| f64::from(s.throttled.iter().sum::<u32>()))
                .sum();
            let n = chunk.len() as f64;
            (m as f64 / 60.0, sum(0) / n, sum(1) / n, throttled / n)
        })
        .collect();
    let max_t = minutes.len() as f64 / 60.0;
    let max_y = minutes
        .iter()
        .map(|m| m.1.max(m.2).max(m.3))
        .fold(f64::from(series.read_limit_per_s), f64::max);
    let end = x_end(max_t);
    let frame = Frame {
        caption: "ARM requests per second (1-minute means) vs. refill limits",
        y_desc: "requests per second",
        y_label_area: 50,
        x_end: end,
        y_end: max_y * 1.1,
    };
    type Line<'a> = (&'a str, Vec<(f64, f64)>, RGBColor);
    let lines: [Line<'_>; 3] = [
        (
            "reads/s",
            minutes.iter().map(|m| (m.0, m.1)).collect(),
            BLUE,
        ),
        (
            "writes/s",
            minutes.iter().map(|m| (m.0, m.2)).collect(),
            GREEN,
        ),
        ("429s/s", minutes.iter().map(|m| (m.0, m.3)).collect(), RED),
    ];
    draw_chart(path, frame, |chart| {
        for (name, pts, color) in lines {
            line(chart, path, thin(&pts, 3000), color.stroke_width(2), name)?;
        }
        for (name, limit, color) in [
            ("write refill limit", series.write_limit_per_s, GREEN),
            ("read refill limit", series.read_limit_per_s, BLUE),
        ] {
            let y = f64::from(limit);
            let style = color.mix(0.5).stroke_width(1);
            line(chart, path, vec![(0.0, y), (end, y)], style, name)?;
        }
        Ok(())
    })
}
