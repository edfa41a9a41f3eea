//! The charts' colours: Okabe–Ito's colour-blind-safe palette without its
//! yellow (too faint on white), and two colours no data series uses, for
//! limits and for the run's events.

use plotters::style::RGBColor;

/// One colour per tier (cycled past six), most important tier first.
pub const TIERS: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
];

/// The colour of tier `i` (fleet order).
pub fn tier(i: usize) -> RGBColor {
    TIERS[i % TIERS.len()]
}

/// ARM reads.
pub const READS: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// ARM writes.
pub const WRITES: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// ARM deletes.
pub const DELETES: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
/// 429 (throttled) answers.
pub const THROTTLED: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// Restores processing.
pub const PROCESSING: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Restores queued.
pub const QUEUED: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// The busiest pool.
pub const BUSIEST: RGBColor = RGBColor(0x00, 0x9E, 0x73);

/// Limit lines (dashed): a magenta no data series uses.
pub const LIMIT: RGBColor = RGBColor(0xAA, 0x33, 0x77);
/// Cancel and repatriation marks (vertical lines): a dark grey.
pub const EVENT: RGBColor = RGBColor(0x44, 0x44, 0x44);

/// Pareto-optimal points of a sweep's frontier, and the line through them.
pub const PARETO: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Dominated points of a sweep's frontier: a mid grey.
pub const DOMINATED: RGBColor = RGBColor(0x6E, 0x6E, 0x6E);
