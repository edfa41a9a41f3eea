//! SVG charts (plotters, SVG backend only): one file per chart, plus the
//! frame, legend, limit lines and event marks they share.
//!
//! Every chart keeps its legend in a margin on the right, outside the plot,
//! draws limits as labelled dashed lines in [`palette::LIMIT`], and marks a
//! cancel or repatriation as a labelled vertical line in
//! [`palette::EVENT`].

mod arm_rate;
mod buckets;
mod cdf;
mod frame;
mod frontier;
mod in_flight;
pub mod legend;
mod marks;
pub mod palette;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use arm_rate::arm_requests;
pub use buckets::{ArmBucket, arm_buckets, bucket_width};
pub use cdf::{cdf_points, time_to_online_cdf};
pub use frontier::frontier;
pub use in_flight::restores_over_time;

use super::ReportError;
use crate::results::Series;

/// One drawn chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Its file name in a report directory (`time_to_online_cdf.svg`).
    pub file: &'static str,
    /// What it shows, in a few words (alt text and captions).
    pub caption: String,
    /// The SVG document: an `<svg>` element with a `viewBox` and no XML
    /// declaration, so that it can be inlined in HTML as it is.
    pub svg: String,
}

/// The charts of one run, in report order: time to online per tier,
/// restores in flight, ARM requests per second.
pub fn run_charts(series: &Series) -> Result<Vec<Chart>, ReportError> {
    Ok(vec![
        Chart {
            file: cdf::FILE,
            caption: "time to online per tier (CDF)".to_owned(),
            svg: time_to_online_cdf(series)?,
        },
        Chart {
            file: in_flight::FILE,
            caption: "restores in flight".to_owned(),
            svg: restores_over_time(series)?,
        },
        Chart {
            file: arm_rate::FILE,
            caption: "ARM requests per second".to_owned(),
            svg: arm_requests(series)?,
        },
    ])
}

/// The whole picture of one chart.
type Root<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Width of the legend margin on the right, pixels.
const LEGEND_WIDTH: u32 = 250;

/// The charts' text style at `size` pixels.
fn font(size: u32) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size).into_font())
}

fn chart_err(file: &str, e: impl std::fmt::Display) -> ReportError {
    ReportError::Chart {
        name: file.to_owned(),
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

/// A step line through `(x, y)` change points: each value holds until the
/// next point.
fn steps<Y: Copy>(points: &[(f64, Y)]) -> Vec<(f64, Y)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, &(x, y)) in points.iter().enumerate() {
        if i > 0 {
            out.push((x, points[i - 1].1));
        }
        out.push((x, y));
    }
    out
}

/// The end of the x axis for a run that lasted `max_hours`.
fn x_end(max_hours: f64) -> f64 {
    max_hours.max(0.01) * 1.05
}
