//! A legend drawn beside a plot (in the margin on its right), so that it
//! never covers the data.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Root, font};

/// How a legend entry's sample looks.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A solid line of this colour and width.
    Line(RGBColor, u32),
    /// A dashed line (limits).
    Dashed(RGBColor),
    /// A filled box (areas).
    Area(RGBColor, f64),
    /// A cross (point marks).
    Cross(RGBColor),
    /// A dot (scatter points): filled, or a ring.
    Dot(RGBColor, bool),
    /// No sample: the entry is text only.
    Blank,
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The sample.
    pub swatch: Swatch,
    /// The text.
    pub label: String,
}

impl Entry {
    /// An entry.
    pub fn new(swatch: Swatch, label: impl Into<String>) -> Self {
        Self {
            swatch,
            label: label.into(),
        }
    }
}

/// Height of one legend row, pixels.
const ROW: i32 = 20;

/// Draws `entries` top-down from `(x, y)` (pixels of `root`).
pub fn draw(
    root: &Root<'_>,
    (x, y): (i32, i32),
    entries: &[Entry],
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    for (k, e) in entries.iter().enumerate() {
        let cy = y + ROW * i32::try_from(k).unwrap_or(0) + ROW / 2;
        let (x0, x1) = (x, x + 24);
        match e.swatch {
            Swatch::Line(c, w) => {
                root.draw(&PathElement::new(
                    vec![(x0, cy), (x1, cy)],
                    c.stroke_width(w.max(2)),
                ))?;
            }
            Swatch::Dashed(c) => {
                root.draw(&DashedPathElement::new(
                    vec![(x0, cy), (x1, cy)],
                    6,
                    3,
                    c.stroke_width(2),
                ))?;
            }
            Swatch::Area(c, alpha) => {
                root.draw(&Rectangle::new(
                    [(x0, cy - 6), (x1, cy + 6)],
                    c.mix(alpha).filled(),
                ))?;
            }
            Swatch::Cross(c) => {
                root.draw(&Cross::new((x0 + 12, cy), 5, c.stroke_width(2)))?;
            }
            Swatch::Dot(c, filled) => {
                let style = if filled {
                    c.filled()
                } else {
                    c.stroke_width(2)
                };
                root.draw(&Circle::new((x0 + 12, cy), 6, style))?;
            }
            Swatch::Blank => {}
        }
        root.draw(&Text::new(
            e.label.clone(),
            (x1 + 8, cy),
            font(16).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}
