//! A tiny HTML writer: a page is built from headings, paragraphs of text,
//! code and links, tables and inline SVG figures. Every piece of text goes
//! through [`escape`]; nothing else can be written, so a page never holds
//! markup from its inputs.
//!
//! The page is self-contained: the style sheet is inline, the charts are
//! inline `<svg>` elements, and a Content-Security-Policy forbids loading
//! anything at all (scripts, images, fonts, style sheets), so that a
//! reference that slipped in shows up as a console error in a browser
//! rather than as a silent request.

use super::escape::escape;
use crate::report::charts::Chart;

/// The inline style sheet.
const STYLE: &str = include_str!("style.css");

/// The page's Content-Security-Policy: inline styles only, no loads.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// A piece of a paragraph.
#[derive(Debug, Clone, Copy)]
pub enum Inline<'a> {
    /// Plain text.
    Text(&'a str),
    /// Code (a name, a key, a digest): `<code>`.
    Code(&'a str),
    /// A relative link to another file of the report: `text`, `href`.
    Link(&'a str, &'a str),
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The cells, as text.
    pub cells: Vec<String>,
    /// A CSS class for the row (`bound`, `pareto`), if any.
    pub class: Option<&'static str>,
}

impl Row {
    /// A plain row.
    pub fn new(cells: Vec<String>) -> Self {
        Self { cells, class: None }
    }

    /// A row with CSS class `class`.
    pub fn with_class(cells: Vec<String>, class: &'static str) -> Self {
        Self {
            cells,
            class: Some(class),
        }
    }
}

/// A table: a header row naming each column with its unit, then rows.
/// The first `text_columns` columns are left-aligned (names), the others
/// right-aligned (numbers). A row shorter than the header gets empty
/// cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Row>,
    /// Leading left-aligned columns.
    pub text_columns: usize,
    /// Columns whose text may wrap (long reasons), by index.
    pub wrap_columns: Vec<usize>,
}

impl Table {
    /// A table with `header` and no rows, its first column left-aligned.
    pub fn new(header: Vec<String>) -> Self {
        Self {
            header,
            rows: Vec::new(),
            text_columns: 1,
            wrap_columns: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, row: Row) {
        self.rows.push(row);
    }
}

/// An HTML page being written.
#[derive(Debug)]
pub struct Page {
    title: String,
    body: String,
}

impl Page {
    /// An empty page titled `title` (the browser tab's title; the page's
    /// own heading is [`Page::heading`]).
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            body: String::new(),
        }
    }

    /// A heading of `level` (1 to 3; others are clamped into it).
    pub fn heading(&mut self, level: u8, text: &str) {
        let level = level.clamp(1, 3);
        self.body
            .push_str(&format!("<h{level}>{}</h{level}>\n", escape(text)));
    }

    /// A paragraph of plain text.
    pub fn text(&mut self, text: &str) {
        self.paragraph(&[Inline::Text(text)]);
    }

    /// A paragraph of `pieces`.
    pub fn paragraph(&mut self, pieces: &[Inline<'_>]) {
        self.body.push_str("<p>");
        self.inline(pieces);
        self.body.push_str("</p>\n");
    }

    /// A smaller, greyer paragraph (notes under a table).
    pub fn note(&mut self, text: &str) {
        self.body
            .push_str(&format!("<p class=\"note\">{}</p>\n", escape(text)));
    }

    /// A bulleted list, one item of `pieces` each.
    pub fn list(&mut self, items: &[Vec<Inline<'_>>]) {
        self.body.push_str("<ul>\n");
        for item in items {
            self.body.push_str("<li>");
            self.inline(item);
            self.body.push_str("</li>\n");
        }
        self.body.push_str("</ul>\n");
    }

    fn inline(&mut self, pieces: &[Inline<'_>]) {
        for piece in pieces {
            match piece {
                Inline::Text(t) => self.body.push_str(&escape(t)),
                Inline::Code(t) => {
                    self.body.push_str(&format!("<code>{}</code>", escape(t)));
                }
                Inline::Link(t, href) => {
                    self.body
                        .push_str(&format!("<a href=\"{}\">{}</a>", escape(href), escape(t)))
                }
            }
        }
    }

    /// A table (in a box that scrolls sideways on a narrow screen).
    pub fn table(&mut self, table: &Table) {
        let class = |i: usize| {
            let mut classes = Vec::new();
            if i < table.text_columns {
                classes.push("l");
            }
            if table.wrap_columns.contains(&i) {
                classes.push("wrap");
            }
            if classes.is_empty() {
                String::new()
            } else {
                format!(" class=\"{}\"", classes.join(" "))
            }
        };
        self.body
            .push_str("<div class=\"scroll\"><table>\n<thead><tr>");
        for (i, h) in table.header.iter().enumerate() {
            self.body
                .push_str(&format!("<th scope=\"col\"{}>{}</th>", class(i), escape(h)));
        }
        self.body.push_str("</tr></thead>\n<tbody>\n");
        for row in &table.rows {
            match row.class {
                Some(c) => self.body.push_str(&format!("<tr class=\"{c}\">")),
                None => self.body.push_str("<tr>"),
            }
            for i in 0..table.header.len().max(row.cells.len()) {
                let cell = row.cells.get(i).map_or("", String::as_str);
                self.body
                    .push_str(&format!("<td{}>{}</td>", class(i), escape(cell)));
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</tbody>\n</table></div>\n");
    }

    /// A chart, inline, labelled with its caption for screen readers (its
    /// own title is the visible caption). The chart's SVG is written as it
    /// is (the charts escape their own text); an SVG that does not start
    /// with `<svg` is not written (the page says so).
    pub fn figure(&mut self, chart: &Chart) {
        self.figure_with(chart, &chart.caption, false);
    }

    /// [`Page::figure`] with another caption, shown under the chart.
    pub fn figure_captioned(&mut self, chart: &Chart, caption: &str) {
        self.figure_with(chart, caption, true);
    }

    fn figure_with(&mut self, chart: &Chart, caption: &str, shown: bool) {
        let caption = escape(caption);
        self.body.push_str("<figure>\n");
        match chart.svg.trim_start().strip_prefix("<svg") {
            Some(rest) => self
                .body
                .push_str(&format!("<svg role=\"img\" aria-label=\"{caption}\"{rest}")),
            None => self.body.push_str("<p>(chart missing)</p>\n"),
        }
        if shown {
            self.body
                .push_str(&format!("<figcaption>{caption}</figcaption>\n"));
        }
        self.body.push_str("</figure>\n");
    }

    /// The whole document.
    pub fn finish(self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
            escape(CSP),
            escape(&self.title),
            self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_piece_of_text_is_escaped() {
        let mut page = Page::new("a <b> & c");
        page.heading(1, "<script>x</script>");
        page.paragraph(&[
            Inline::Text("1 < 2"),
            Inline::Code("&"),
            Inline::Link("\"q\"", "a\"b.html"),
        ]);
        let mut t = Table::new(vec!["<th>".into()]);
        t.row(Row::new(vec!["<td>".into(), "x&y".into()]));
        page.table(&t);
        let html = page.finish();
        assert!(
            html.contains("<title>a &lt;b&gt; &amp; c</title>"),
            "{html}"
        );
        assert!(html.contains("<h1>&lt;script&gt;x&lt;/script&gt;</h1>"));
        assert!(
            html.contains("1 &lt; 2<code>&amp;</code><a href=\"a&quot;b.html\">&quot;q&quot;</a>")
        );
        assert!(html.contains(">&lt;th&gt;</th>"));
        assert!(html.contains(">&lt;td&gt;</td><td>x&amp;y</td>"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn a_figure_inlines_an_svg_and_nothing_else() {
        let mut page = Page::new("t");
        page.figure(&Chart {
            file: "a.svg",
            caption: "a & b".into(),
            svg: "<svg width=\"1\" viewBox=\"0 0 1 1\"></svg>\n".into(),
        });
        page.figure(&Chart {
            file: "b.svg",
            caption: "b".into(),
            svg: "<script>x</script>".into(),
        });
        let html = page.finish();
        assert!(html.contains(
            "<svg role=\"img\" aria-label=\"a &amp; b\" width=\"1\" viewBox=\"0 0 1 1\"></svg>"
        ));
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("(chart missing)"));
        assert!(!html.contains("<figcaption>"));
    }
}
