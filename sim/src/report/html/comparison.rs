//! `report.html` of a comparison (`compare --report`): the comparison
//! table, then per strategy its first run's time-to-online chart inline and
//! a link to that run's own `report.html`.

use super::page::{Inline, Page, Row, Table};
use crate::report::charts::Chart;
use crate::report::comparison::{Comparison, Units};
use crate::report::runs::seed_range;

/// The page of `comparison`; `charts` holds each strategy's first-run
/// charts, in the comparison's order (the time-to-online chart, the
/// first, is shown; the others are in the strategy's own report).
pub fn comparison_page(comparison: &Comparison, charts: &[Vec<Chart>]) -> String {
    let title = format!("Strategy comparison: {}", comparison.scenario);
    let mut page = Page::new(&title);
    page.heading(1, &title);
    page.text(&format!("{}.", comparison.heading()));
    let cells = comparison.table(Units::InHeader);
    let mut t = Table::new(cells.header);
    for row in cells.rows {
        t.row(Row::new(row));
    }
    for row in cells.bounds {
        t.row(Row::with_class(row, "bound"));
    }
    page.table(&t);
    for note in comparison.notes() {
        page.note(note);
    }
    page.heading(2, "Each strategy's report");
    page.text(&format!(
        "Each directory holds the report of the strategy's first run ({}): per-tier times, ARM traffic, failures and charts.",
        seed_range(comparison.seed, 1)
    ));
    for (i, run) in comparison.strategies.iter().enumerate() {
        page.heading(3, &run.strategy);
        let html = format!("{}/report.html", run.strategy);
        let md = format!("{}/report.md", run.strategy);
        page.paragraph(&[
            Inline::Link("the full report", &html),
            Inline::Text(" ("),
            Inline::Link("Markdown", &md),
            Inline::Text(")"),
        ]);
        if let Some(chart) = charts.get(i).and_then(|c| c.first()) {
            page.figure_captioned(chart, &format!("{}: {}", run.strategy, chart.caption));
        }
    }
    page.finish()
}
