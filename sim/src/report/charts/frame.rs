//! The frame every chart shares: a white picture with a title, a legend
//! margin on the right, and one or more panels of hours on x.

use std::ops::Range;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

pub use super::marks::LabelRow;
use super::{LEGEND_WIDTH, Root, font};

/// A picture split into its title, plot panels and legend margin.
pub struct Picture<'a> {
    /// The whole picture (overlays are drawn on it, in pixels).
    pub root: Root<'a>,
    /// The plot panels, top to bottom.
    pub panels: Vec<Root<'a>>,
}

/// Starts a `size` picture titled `title` with `panels` plot panels of
/// equal height (at least one), the legend margin on their right.
pub fn picture<'a>(
    backend: SVGBackend<'a>,
    title: &str,
    panels: usize,
) -> Result<Picture<'a>, DrawingAreaErrorKind<std::io::Error>> {
    let root = backend.into_drawing_area();
    root.fill(&WHITE)?;
    let body = root.titled(title, font(24))?;
    let (w, _) = body.dim_in_pixel();
    let (plots, _legend) = body.split_horizontally(w.saturating_sub(LEGEND_WIDTH));
    let panels = plots.split_evenly((panels.max(1), 1));
    Ok(Picture { root, panels })
}

/// What a panel shows.
pub struct PanelSpec<'s> {
    /// The panel's own caption, if any.
    pub caption: Option<&'s str>,
    /// The y axis' description.
    pub y_desc: &'s str,
    /// The end of the x axis, hours.
    pub x_end: f64,
    /// Most y tick labels.
    pub y_labels: usize,
}

/// One panel's chart: hours on x, `Y` on y.
pub type Panel<'a, 'b, Y> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, Y>>;

/// Writes a tick label.
pub type TickFormat<'f, V> = &'f dyn Fn(&V) -> String;

/// Draws a panel's axes and mesh in `area`, with `y` as its y range and
/// `y_format` (if any) writing its tick labels.
pub fn panel<'a, 'b, R>(
    area: &'a Root<'b>,
    spec: &PanelSpec<'_>,
    y: R,
    y_format: Option<TickFormat<'_, <R::CoordDescType as Ranged>::ValueType>>,
) -> Result<Panel<'a, 'b, R::CoordDescType>, DrawingAreaErrorKind<std::io::Error>>
where
    R: AsRangedCoord,
    R::CoordDescType: ValueFormatter<<R::CoordDescType as Ranged>::ValueType>,
{
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(10)
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(5)
        .x_label_area_size(45)
        .y_label_area_size(70);
    if let Some(caption) = spec.caption {
        builder.caption(caption, font(19));
    }
    let mut chart = builder.build_cartesian_2d(0.0..spec.x_end, y)?;
    let mut mesh = chart.configure_mesh();
    if let Some(format) = y_format {
        mesh.y_label_formatter(format);
    }
    mesh.x_desc("hours since the start")
        .y_desc(spec.y_desc)
        .label_style(font(16))
        .axis_desc_style(font(17))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
        .y_labels(spec.y_labels)
        .draw()?;
    Ok(chart)
}

/// The plot area of `chart` in pixels of the picture: x range, y range
/// (top to bottom).
pub fn plot_pixels<Y: Ranged>(chart: &Panel<'_, '_, Y>) -> (Range<i32>, Range<i32>) {
    chart.plotting_area().get_pixel_range()
}

/// The pixel columns of the `marks` that fall on the panel's x axis, with
/// their labels (the event and its time in hours).
fn event_columns<Y>(
    chart: &Panel<'_, '_, Y>,
    marks: &[crate::results::TimeMark],
) -> Vec<(i32, String)>
where
    Y: Ranged,
    Y::ValueType: Clone,
{
    let x_end = chart.x_range().end;
    let y0 = chart.y_range().start;
    marks
        .iter()
        .filter(|m| m.t_s / 3600.0 <= x_end)
        .map(|m| {
            let hours = m.t_s / 3600.0;
            let (x, _) = chart.backend_coord(&(hours, y0.clone()));
            (x, format!("{} ({hours:.2} h)", m.label))
        })
        .collect()
}

/// Draws the vertical lines of the `marks` on the panel's x axis (call
/// before the data, then [`event_labels`] after).
pub fn event_lines<Y>(
    root: &Root<'_>,
    chart: &Panel<'_, '_, Y>,
    marks: &[crate::results::TimeMark],
) -> Result<(), DrawingAreaErrorKind<std::io::Error>>
where
    Y: Ranged,
    Y::ValueType: Clone,
{
    let (_, ys) = plot_pixels(chart);
    for (x, _) in event_columns(chart, marks) {
        super::marks::event_line(root, &ys, x, super::palette::EVENT)?;
    }
    Ok(())
}

/// Labels the `marks` on the panel's x axis in `row`.
pub fn event_labels<Y>(
    root: &Root<'_>,
    chart: &Panel<'_, '_, Y>,
    marks: &[crate::results::TimeMark],
    row: LabelRow,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>>
where
    Y: Ranged,
    Y::ValueType: Clone,
{
    let (xs, ys) = plot_pixels(chart);
    for (slot, (x, label)) in event_columns(chart, marks).into_iter().enumerate() {
        super::marks::event_label(
            root,
            (&xs, &ys),
            (x, slot, row),
            &label,
            super::palette::EVENT,
        )?;
    }
    Ok(())
}

/// Draws the limit `value` of a panel as a labelled dashed line.
pub fn limit<Y: Ranged>(
    root: &Root<'_>,
    chart: &Panel<'_, '_, Y>,
    value: Y::ValueType,
    label: &str,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let pixels = plot_pixels(chart);
    let (_, y) = chart.backend_coord(&(0.0, value));
    super::marks::limit(
        root,
        (&pixels.0, &pixels.1),
        y,
        label,
        super::palette::LIMIT,
    )
}
