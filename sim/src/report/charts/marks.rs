//! Lines that are not data: limits (dashed, horizontal, labelled at their
//! right end) and the run's events (vertical, labelled at the top). Drawn
//! on the picture in pixels, after the data, so they stay on top.

use std::ops::Range;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Root, font};

/// Label size, pixels.
const LABEL: u32 = 16;

/// A generous estimate of a label's width (fonts vary), pixels.
fn label_width(text: &str) -> i32 {
    i32::try_from(text.chars().count()).unwrap_or(i32::MAX / 8) * 13 / 2
}

/// Draws a limit: a dashed line across the plot (`xs` by `ys`, pixels) at
/// pixel row `y`, labelled `label` at its left end (events, labelled at
/// the top, mostly come late), above the line (below it when the line is
/// at the top of the plot), on a white backing.
pub fn limit(
    root: &Root<'_>,
    (xs, ys): (&Range<i32>, &Range<i32>),
    y: i32,
    label: &str,
    color: RGBColor,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    root.draw(&DashedPathElement::new(
        vec![(xs.start, y), (xs.end, y)],
        10,
        5,
        color.stroke_width(2),
    ))?;
    let above = y - 22 >= ys.start;
    let (top, anchor) = if above {
        (y - 20, VPos::Bottom)
    } else {
        (y + 4, VPos::Top)
    };
    let left = xs.start + 8;
    let width = label_width(label);
    root.draw(&Rectangle::new(
        [(left - 2, top), (left + width + 4, top + 17)],
        WHITE.mix(0.85).filled(),
    ))?;
    let text_y = if above { y - 4 } else { y + 5 };
    root.draw(&Text::new(
        label.to_owned(),
        (left, text_y),
        font(LABEL).color(&color).pos(Pos::new(HPos::Left, anchor)),
    ))?;
    Ok(())
}

/// Where event labels go: the corner of the plot the data leave empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelRow {
    /// Stacked down from the top of the plot.
    Top,
    /// Stacked up from the bottom of the plot.
    Bottom,
}

/// Draws an event's vertical line at pixel column `x` over the plot's
/// rows `ys` (before the data, so that the data stay visible over it).
pub fn event_line(
    root: &Root<'_>,
    ys: &Range<i32>,
    x: i32,
    color: RGBColor,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    root.draw(&PathElement::new(
        vec![(x, ys.start), (x, ys.end)],
        color.stroke_width(2),
    ))
}

/// Labels the event at pixel column `x` of the plot (`xs` by `ys`) with
/// `label`, in row `slot` from `row`'s edge (so that nearby events do not
/// overwrite each other), to the right of the line, or to its left where
/// the plot ends.
pub fn event_label(
    root: &Root<'_>,
    (xs, ys): (&Range<i32>, &Range<i32>),
    (x, slot, row): (i32, usize, LabelRow),
    label: &str,
    color: RGBColor,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let width = label_width(label);
    let offset = 4 + 18 * i32::try_from(slot).unwrap_or(0);
    let y = match row {
        LabelRow::Top => ys.start + offset,
        LabelRow::Bottom => ys.end - offset - 17,
    };
    let right_side = x + 6 + width <= xs.end;
    let (from, to, tx, h) = if right_side {
        (x + 3, x + 8 + width, x + 6, HPos::Left)
    } else {
        (x - 8 - width, x - 3, x - 6, HPos::Right)
    };
    root.draw(&Rectangle::new(
        [(from, y), (to, y + 17)],
        WHITE.mix(0.85).filled(),
    ))?;
    root.draw(&Text::new(
        label.to_owned(),
        (tx, y + 2),
        font(LABEL).color(&color).pos(Pos::new(h, VPos::Top)),
    ))?;
    Ok(())
}
