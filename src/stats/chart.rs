//! SVG grouped bar charts of tool use by group (e.g. supply / environment / demand coverage per
//! region): hand-written, deterministic SVG with a title, legend, axis labels, ticks and Chinese
//! labels in a CJK font stack.

use std::fmt::Write as _;

use crate::codebook::Codebook;

use super::coverage::{Aggregate, Coverage};
use super::tally::Tally;
use super::Groups;

/// Fonts tried in order, so Chinese labels render on Linux, Windows and macOS.
pub const FONT_FAMILY: &str =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'Source Han Sans', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/// Colours for series whose node has no valid colour of its own.
const PALETTE: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f",
];

/// One series of bars (one node), a value per group.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// `#rrggbb`; anything else falls back to the palette.
    pub color: Option<String>,
    pub values: Vec<f64>,
}

/// A grouped bar chart: for each group (x axis), one bar per series.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub groups: Vec<String>,
    pub series: Vec<Series>,
    /// Tick labels get a `%` sign.
    pub percent: bool,
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

fn valid_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|h| h.is_ascii_hexdigit())
}

/// A "nice" tick step (1, 2, 2.5 or 5 × 10ⁿ) giving about five ticks up to `max`.
fn tick_step(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 0.2;
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let r = raw / mag;
    let nice = if r <= 1.0 {
        1.0
    } else if r <= 2.0 {
        2.0
    } else if r <= 2.5 {
        2.5
    } else if r <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn fmt_num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

impl BarChart {
    /// The chart as a standalone SVG document. Same input, same bytes.
    pub fn to_svg(&self) -> String {
        let (left, right, top, bottom) = (80.0, 190.0, 60.0, 90.0);
        let bar_w = 18.0;
        let gap = 28.0;
        let nser = self.series.len().max(1) as f64;
        let group_w = nser * bar_w + gap;
        let plot_w = (group_w * self.groups.len() as f64).max(360.0);
        let plot_h = 300.0;
        let width = left + plot_w + right;
        let height = top + plot_h + bottom;
        let max = self
            .series
            .iter()
            .flat_map(|s| s.values.iter())
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let step = tick_step(max);
        let ticks = ((max / step).ceil() as usize).max(1);
        let y_max = step * ticks as f64;
        let y = |v: f64| top + plot_h - plot_h * (v.max(0.0) / y_max);

        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}" font-size="13">"#
        );
        let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="32" text-anchor="middle" font-size="18" font-weight="bold">{}</text>"#,
            left + plot_w / 2.0,
            xml_escape(&self.title)
        );
        // Grid lines and y ticks.
        for t in 0..=ticks {
            let v = step * t as f64;
            let yy = y(v);
            let label = format!("{}{}", fmt_num(v), if self.percent { "%" } else { "" });
            let _ = writeln!(
                s,
                r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#dddddd"/>"##,
                left + plot_w
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 8.0,
                yy + 4.0,
                xml_escape(&label)
            );
        }
        // Axes.
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{:.1}" stroke="#333333"/>"##,
            top + plot_h
        );
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#333333"/>"##,
            top + plot_h,
            left + plot_w
        );
        // Bars and group labels.
        for (g, label) in self.groups.iter().enumerate() {
            let x0 = left + gap / 2.0 + group_w * g as f64;
            for (k, ser) in self.series.iter().enumerate() {
                let v = ser
                    .values
                    .get(g)
                    .copied()
                    .filter(|v| v.is_finite())
                    .unwrap_or(0.0);
                let yy = y(v);
                let _ = writeln!(
                    s,
                    r#"<rect class="bar" x="{:.1}" y="{yy:.1}" width="{bar_w}" height="{:.1}" fill="{}"><title>{}</title></rect>"#,
                    x0 + bar_w * k as f64,
                    top + plot_h - yy,
                    self.color(k),
                    xml_escape(&format!("{} · {}: {}", label, ser.name, fmt_num(v)))
                );
            }
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x0 + nser * bar_w / 2.0,
                top + plot_h + 22.0,
                xml_escape(label)
            );
        }
        // Axis labels.
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            left + plot_w / 2.0,
            top + plot_h + 60.0,
            xml_escape(&self.x_label)
        );
        let _ = writeln!(
            s,
            r#"<text transform="translate(22 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
            top + plot_h / 2.0,
            xml_escape(&self.y_label)
        );
        // Legend.
        let lx = left + plot_w + 24.0;
        for (k, ser) in self.series.iter().enumerate() {
            let ly = top + 10.0 + 24.0 * k as f64;
            let _ = writeln!(
                s,
                r#"<rect x="{lx:.1}" y="{ly:.1}" width="14" height="14" fill="{}"/>"#,
                self.color(k)
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
                lx + 20.0,
                ly + 12.0,
                xml_escape(&ser.name)
            );
        }
        s.push_str("</svg>\n");
        s
    }

    fn color(&self, k: usize) -> String {
        self.series[k]
            .color
            .as_deref()
            .filter(|c| valid_color(c))
            .map(str::to_string)
            .unwrap_or_else(|| PALETTE[k % PALETTE.len()].to_string())
    }
}

/// The series nodes: the roots (`parent = None`) or the children of one parent.
fn series_nodes(cb: &Codebook, parent: Option<usize>) -> Vec<usize> {
    match parent {
        None => cb.roots().collect(),
        Some(p) => cb
            .nodes
            .get(p)
            .map(|n| n.children.clone())
            .unwrap_or_default(),
    }
}

fn node_name(cb: &Codebook, i: usize) -> String {
    let n = &cb.nodes[i];
    if n.name_zh.is_empty() {
        n.label()
    } else {
        n.name_zh.clone()
    }
}

/// Coverage per group of the roots (or of one parent's children), aggregated as `agg`.
/// Groups with no documents are left out.
pub fn coverage_chart(
    cb: &Codebook,
    cov: &Coverage,
    parent: Option<usize>,
    agg: Aggregate,
) -> BarChart {
    let y_label = format!("coverage ({})", agg.label());
    grouped(
        cb,
        cov.groups(),
        parent,
        "coverage",
        y_label,
        true,
        |g, n| cov.group_pct(g, n, agg).unwrap_or(0.0),
    )
}

/// Reference points per group of the roots (or of one parent's children).
/// Groups with no documents are left out.
pub fn refs_chart(cb: &Codebook, tally: &Tally, parent: Option<usize>) -> BarChart {
    grouped(
        cb,
        tally.groups(),
        parent,
        "reference points",
        "reference points".into(),
        false,
        |g, n| f64::from(tally.refs(g, n)),
    )
}

/// One bar series per node of `parent` (or per root), one group per non-empty group of `g`.
fn grouped(
    cb: &Codebook,
    g: &Groups,
    parent: Option<usize>,
    what: &str,
    y_label: String,
    percent: bool,
    value: impl Fn(usize, usize) -> f64,
) -> BarChart {
    let shown: Vec<usize> = (0..g.len())
        .filter(|i| g.docs_in(*i).next().is_some())
        .collect();
    BarChart {
        title: chart_title(cb, parent, what),
        x_label: g.by.as_str().to_string(),
        y_label,
        groups: shown.iter().map(|i| g.labels[*i].clone()).collect(),
        series: series_nodes(cb, parent)
            .iter()
            .map(|n| Series {
                name: node_name(cb, *n),
                color: cb.nodes[*n].color.clone(),
                values: shown.iter().map(|gi| value(*gi, *n)).collect(),
            })
            .collect(),
        percent,
    }
}

fn chart_title(cb: &Codebook, parent: Option<usize>, what: &str) -> String {
    match parent {
        None => format!("{} — {what}", cb.name),
        Some(p) => format!(
            "{} — {what}",
            cb.nodes.get(p).map(|n| n.label()).unwrap_or_default()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{fixture, By, Groups, Pool};

    fn well_formed(svg: &str) {
        let mut r = quick_xml::Reader::from_str(svg);
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed XML: {e}"),
            }
        }
    }

    #[test]
    fn coverage_chart_of_regions() {
        let mut f = fixture::study();
        f.codebook.name = "政策工具 <A&B>".into();
        f.codebook.nodes[0].color = Some("#112233".into());
        f.codebook.nodes[3].color = Some("red\" onload=\"x".into());
        let g = Groups::new(By::Region, &f.scheme, &f.docs);
        let cov = Coverage::build(&f.codebook, &f.docs, g, &[&f.a], Pool::Pooled);
        let chart = coverage_chart(&f.codebook, &cov, None, Aggregate::Ratio);
        // Only east and central have documents.
        assert_eq!(chart.groups, ["东部", "中部"]);
        assert_eq!(chart.series.len(), 2);
        assert_eq!(chart.series[0].values, [62.5, 0.0]);
        let svg = chart.to_svg();
        well_formed(&svg);
        assert_eq!(svg, chart.to_svg());
        assert!(svg.contains("政策工具 &lt;A&amp;B&gt;"));
        assert!(svg.contains("Noto Sans CJK SC"));
        assert_eq!(svg.matches(r#"class="bar""#).count(), 4);
        assert!(svg.contains(r##"fill="#112233""##));
        assert!(!svg.contains("onload"));
        // Highest value 62.5 → step 20 → ticks 0…80%.
        assert!(svg.contains(">80%</text>"));
        assert!(svg.contains(">供给型</text>"));
    }

    #[test]
    fn refs_chart_of_children_and_ticks() {
        let f = fixture::study();
        let g = Groups::new(By::Region, &f.scheme, &f.docs);
        let t = Tally::build(&f.codebook, &f.docs, g, &[&f.a, &f.b], Pool::Pooled);
        let chart = refs_chart(&f.codebook, &t, Some(3));
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["税收优惠", "法规管制"]);
        // E1 east: A d1#4 + B d1#3 = 2; E2 central: B d3#1 = 1.
        assert_eq!(chart.series[0].values, [2.0, 1.0]);
        assert_eq!(chart.series[1].values, [2.0, 1.0]);
        well_formed(&chart.to_svg());
        assert_eq!(tick_step(62.5), 20.0);
        assert_eq!(tick_step(7.0), 2.0);
        assert_eq!(tick_step(0.0), 0.2);
        assert_eq!(fmt_num(2.50), "2.5");
    }
}
