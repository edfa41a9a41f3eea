//! A sweep's frontier: each grid point's cost against a time, as a
//! scatter, the Pareto-optimal points filled and joined, the dominated ones
//! as grey rings, every point numbered as in the report's tables.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::picture;
use super::legend::{self, Entry, Swatch};
use super::{ReportError, chart_err, font, palette};
use crate::sweep::frontier::FrontierPoint;

/// The picture's size, pixels.
const SIZE: (u32, u32) = (1000, 560);

/// A range holding `values` with some room on both sides (a single value
/// gets 10 % of itself, or 1, either way); never below 0.
fn padded(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return 0.0..1.0;
    }
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * 0.08
    } else {
        (hi.abs() * 0.1).max(1.0)
    };
    (lo - pad).max(0.0)..hi + pad
}

/// Points closer than this (pixels, either way) share one label.
const NEAR: i32 = 10;

/// One label per cluster of points drawn at (nearly) the same pixel
/// (`pixels`, in `points` order): their numbers joined (`4, 6`), at the
/// first one's place, in the optimal colour if any of them is optimal.
fn label_groups(
    points: &[FrontierPoint],
    pixels: &[(i32, i32)],
) -> Vec<(String, (i32, i32), bool)> {
    let mut groups: Vec<(Vec<usize>, (i32, i32), bool)> = Vec::new();
    for (p, &(x, y)) in points.iter().zip(pixels) {
        let near = groups
            .iter_mut()
            .find(|(_, (gx, gy), _)| (gx - x).abs() < NEAR && (gy - y).abs() < NEAR);
        match near {
            Some((numbers, _, pareto)) => {
                numbers.push(p.index + 1);
                *pareto |= p.pareto;
            }
            None => groups.push((vec![p.index + 1], (x, y), p.pareto)),
        }
    }
    groups
        .into_iter()
        .map(|(numbers, at, pareto)| {
            let label: Vec<String> = numbers.iter().map(ToString::to_string).collect();
            (label.join(", "), at, pareto)
        })
        .collect()
}

/// The frontier of `points` titled `title`, `time` naming the y axis
/// (e.g. `makespan p95, hours`); `file` names the chart in errors.
/// Returns the SVG document.
pub fn frontier(
    points: &[FrontierPoint],
    title: &str,
    time: &str,
    file: &str,
) -> Result<String, ReportError> {
    let mut svg = String::new();
    draw(&mut svg, points, title, time).map_err(|e| chart_err(file, e))?;
    Ok(svg)
}

fn draw(
    svg: &mut String,
    points: &[FrontierPoint],
    title: &str,
    time: &str,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let pic = picture(SVGBackend::with_string(svg, SIZE), title, 1)?;
    let Some(area) = pic.panels.first() else {
        return Ok(());
    };
    let x = padded(points.iter().map(|p| p.cost_pool_hours));
    let y = padded(points.iter().map(|p| p.time_h));
    let mut chart = ChartBuilder::on(area)
        .margin_top(10)
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(5)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(x, y)?;
    chart
        .configure_mesh()
        .x_desc("cost: recovery-region pool-hours per run (mean)")
        .y_desc(time)
        .label_style(font(16))
        .axis_desc_style(font(17))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
        .draw()?;
    let mut optimal: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.pareto)
        .map(|p| (p.cost_pool_hours, p.time_h))
        .collect();
    optimal.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    chart.draw_series(LineSeries::new(
        optimal.iter().copied(),
        palette::PARETO.stroke_width(2),
    ))?;
    // Dominated points first, so that an optimal point on top of one
    // stays visible.
    for pareto in [false, true] {
        for p in points.iter().filter(|p| p.pareto == pareto) {
            let style = if p.pareto {
                palette::PARETO.filled()
            } else {
                palette::DOMINATED.stroke_width(2)
            };
            let at = (p.cost_pool_hours, p.time_h);
            chart.draw_series(std::iter::once(Circle::new(at, 6, style)))?;
        }
    }
    let pixels: Vec<(i32, i32)> = points
        .iter()
        .map(|p| chart.backend_coord(&(p.cost_pool_hours, p.time_h)))
        .collect();
    for (label, (px, py), pareto) in label_groups(points, &pixels) {
        pic.root.draw(&Text::new(
            label,
            (px + 8, py - 4),
            font(15)
                .color(if pareto {
                    &palette::PARETO
                } else {
                    &palette::DOMINATED
                })
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))?;
    }
    let entries = [
        Entry::new(Swatch::Dot(palette::PARETO, true), "Pareto-optimal point"),
        Entry::new(Swatch::Line(palette::PARETO, 2), "frontier"),
        Entry::new(Swatch::Dot(palette::DOMINATED, false), "dominated point"),
        Entry::new(Swatch::Blank, "n: grid point n"),
    ];
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    legend::draw(&pic.root, (xs.end + 30, ys.start), &entries)?;
    pic.root.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_one_place_share_a_label() {
        let point = |index, pareto| FrontierPoint {
            index,
            label: String::new(),
            cost_pool_hours: 1.0,
            time_h: 1.0,
            pareto,
        };
        let points = [
            point(0, false),
            point(1, false),
            point(2, true),
            point(3, false),
        ];
        let pixels = [(100, 100), (300, 50), (104, 97), (302, 52)];
        let labels = label_groups(&points, &pixels);
        assert_eq!(
            labels,
            [
                ("1, 3".to_owned(), (100, 100), true),
                ("2, 4".to_owned(), (300, 50), false)
            ]
        );
    }

    #[test]
    fn ranges_hold_their_values_with_room() {
        let r = padded([100.0, 150.0].into_iter());
        assert!(r.start < 100.0 && r.start > 90.0 && r.end > 150.0 && r.end < 160.0);
        let r = padded([5.0].into_iter());
        assert!(r.start < 5.0 && r.end > 5.0);
        assert_eq!(padded(std::iter::empty()), 0.0..1.0);
        assert!(padded([0.1, 0.2].into_iter()).start >= 0.0);
    }
}
