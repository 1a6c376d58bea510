//! SVG grouped bar charts of tool use by group (e.g. supply / environment / demand coverage per
//! region), for papers: hand-written, deterministic SVG with a title, the coders it counts,
//! legend, axis labels, ticks and a value on every bar, in one language (`Lang`); every group
//! of the grouping is drawn, those without documents marked. Chinese renders through a stack
//! of common CJK font families, or an embedded font; [`render`] converts text to paths and
//! rasterises to PNG in-process (resvg).

use std::fmt::Write as _;

use crate::codebook::{Codebook, Node};
use crate::corpus::regions::RegionScheme;
use crate::xmltext;

use super::coverage::{Aggregate, Coverage};
use super::tally::Tally;
use super::{By, Groups, Pool};

pub mod render;

/// Font families tried in order, so Chinese labels render on Linux (Noto CJK, Source Han,
/// WenQuanYi, Droid), Windows (Microsoft YaHei, DengXian, SimHei) and macOS (PingFang,
/// Hiragino, Heiti).
pub(crate) const FONT_FAMILY: &str = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', \
'Source Han Sans CN', 'WenQuanYi Micro Hei', 'WenQuanYi Zen Hei', 'Droid Sans Fallback', \
'Microsoft YaHei', 'DengXian', 'SimHei', 'PingFang SC', 'Hiragino Sans GB', 'Heiti SC', \
'Arial Unicode MS', sans-serif";

/// Colours for series whose node has no valid colour of its own.
const PALETTE: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f",
];

/// The language of a chart's words: titles, axis labels, series and group names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Parses `zh` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "cn" | "chinese" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A node's name in this language (the other language, then the id, when it has none).
    pub(crate) fn node_name(self, n: &Node) -> String {
        let (first, second) = match self {
            Lang::Zh => (&n.name_zh, &n.name_en),
            Lang::En => (&n.name_en, &n.name_zh),
        };
        [first, second, &n.id]
            .into_iter()
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_default()
    }

    fn by(self, by: By) -> &'static str {
        match (self, by) {
            (Lang::Zh, By::Region) => "地区",
            (Lang::Zh, By::Level) => "行政层级",
            (Lang::Zh, By::Province) => "省份",
            (Lang::Zh, By::Year) => "年份",
            (Lang::Zh, By::Kind) => "文件类型",
            (Lang::Zh, By::Document) => "文件",
            (Lang::Zh, By::None) => "全部文件",
            (Lang::En, b) => b.as_str(),
        }
    }

    /// A group's label: region names from the scheme, levels and kinds translated.
    fn group_label(self, g: &Groups, i: usize, scheme: &RegionScheme) -> String {
        let key = g.keys[i].as_str();
        if key.is_empty() {
            return self.pick("（无）", "(none)").to_string();
        }
        let zh = |s: &str| -> Option<&'static str> {
            Some(match s {
                "national" => "国家级",
                "provincial" => "省级",
                "municipal" => "市级",
                "county" => "县级",
                "unknown" => "未知",
                "special" => "专项政策",
                "related" => "相关政策",
                "all" => "全部",
                _ => return None,
            })
        };
        match (g.by, self) {
            (By::Region, _) => scheme
                .regions
                .iter()
                .find(|r| r.id == key)
                .map(|r| {
                    let (a, b) = match self {
                        Lang::Zh => (&r.name_zh, &r.name_en),
                        Lang::En => (&r.name_en, &r.name_zh),
                    };
                    if a.is_empty() { b } else { a }.clone()
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| g.labels[i].clone()),
            (By::Level | By::Kind | By::None, Lang::Zh) => {
                zh(key).map_or_else(|| g.labels[i].clone(), str::to_string)
            }
            _ => g.labels[i].clone(),
        }
    }
}

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
    /// A smaller line under the title: the coders and how they were combined.
    pub subtitle: String,
    pub x_label: String,
    pub y_label: String,
    pub groups: Vec<String>,
    /// Per group: it has no documents (drawn without bars, marked with `empty_label`).
    pub empty: Vec<bool>,
    pub empty_label: String,
    pub series: Vec<Series>,
    /// Tick and value labels get a `%` sign.
    pub percent: bool,
    /// A value over every bar.
    pub value_labels: bool,
    /// The `font-family` of the whole chart.
    pub font_family: String,
    /// A font file embedded as `@font-face` (family name, file bytes), named first.
    pub embedded_font: Option<(String, Vec<u8>)>,
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

/// Estimated width in pixels of `s` at `size` px: CJK a full em, other characters 0.6 em.
fn text_px(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| {
            if unicode_width::UnicodeWidthChar::width(c) == Some(2) {
                size
            } else {
                0.6 * size
            }
        })
        .sum()
}

/// Standard base64 (RFC 4648, padded), for the embedded font's data URL.
pub(crate) fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The MIME type of a font file from its first bytes (OpenType/CFF, TrueType, WOFF, WOFF2).
fn font_mime(data: &[u8]) -> &'static str {
    match data.get(..4) {
        Some(b"OTTO") => "font/otf",
        Some(b"wOFF") => "font/woff",
        Some(b"wOF2") => "font/woff2",
        Some(b"ttcf") => "font/collection",
        _ => "font/ttf",
    }
}

impl BarChart {
    /// The value label of a bar.
    fn value_text(&self, v: f64) -> String {
        if self.percent {
            format!("{v:.1}%")
        } else {
            fmt_num(v)
        }
    }

    /// The chart as a standalone SVG document. Same input, same bytes.
    pub fn to_svg(&self) -> String {
        let legend_w = self
            .series
            .iter()
            .map(|s| text_px(&s.name, 13.0))
            .fold(0.0f64, f64::max)
            .ceil();
        let (left, right, top, bottom) = (80.0, 24.0 + 20.0 + legend_w + 16.0, 84.0, 90.0);
        let bar_w = 18.0;
        let gap = 28.0;
        let nser = self.series.len().max(1) as f64;
        let group_w = (nser * bar_w + gap).max(text_px(&self.empty_label, 11.0) + 12.0);
        let plot_w = (group_w * self.groups.len() as f64).max(360.0);
        let plot_h = 300.0;
        let width = (left + plot_w + right).max(text_px(&self.title, 18.0) + 40.0);
        let height = top + plot_h + bottom;
        let max = self
            .series
            .iter()
            .flat_map(|s| s.values.iter())
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let step = tick_step(max);
        // Room above the highest bar for its value label.
        let ticks = ((max * 1.08 / step).ceil() as usize).max(1);
        let y_max = step * ticks as f64;
        let y = |v: f64| top + plot_h - plot_h * (v.max(0.0) / y_max);
        let family = match &self.embedded_font {
            Some((name, _)) => format!("'{}', {}", xmltext::attr(name), self.font_family),
            None => self.font_family.clone(),
        };

        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{}" font-size="13">"#,
            xmltext::attr(&family)
        );
        if let Some((name, data)) = &self.embedded_font {
            let _ = writeln!(
                s,
                "<style>@font-face {{ font-family: '{}'; src: url(data:{};base64,{}); }}</style>",
                xmltext::attr(name),
                font_mime(data),
                base64(data)
            );
        }
        let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="32" text-anchor="middle" font-size="18" font-weight="bold">{}</text>"#,
            width / 2.0,
            xmltext::attr(&self.title)
        );
        if !self.subtitle.is_empty() {
            let _ = writeln!(
                s,
                r##"<text x="{}" y="54" text-anchor="middle" font-size="12" fill="#555555">{}</text>"##,
                width / 2.0,
                xmltext::attr(&self.subtitle)
            );
        }
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
                xmltext::attr(&label)
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
        // Bars, their values and group labels; an empty group gets its mark instead.
        for (g, label) in self.groups.iter().enumerate() {
            let slot = left + group_w * g as f64;
            let x0 = slot + (group_w - nser * bar_w) / 2.0;
            let center = slot + group_w / 2.0;
            let empty = self.empty.get(g).copied().unwrap_or(false);
            if empty {
                let _ = writeln!(
                    s,
                    r##"<text class="empty" x="{center:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#888888">{}</text>"##,
                    top + plot_h - 8.0,
                    xmltext::attr(&self.empty_label)
                );
            } else {
                for (k, ser) in self.series.iter().enumerate() {
                    let v = ser
                        .values
                        .get(g)
                        .copied()
                        .filter(|v| v.is_finite())
                        .unwrap_or(0.0);
                    let yy = y(v);
                    let bx = x0 + bar_w * k as f64;
                    let _ = writeln!(
                        s,
                        r#"<rect class="bar" x="{bx:.1}" y="{yy:.1}" width="{bar_w}" height="{:.1}" fill="{}"><title>{}</title></rect>"#,
                        top + plot_h - yy,
                        self.color(k),
                        xmltext::attr(&format!("{} · {}: {}", label, ser.name, fmt_num(v)))
                    );
                    if self.value_labels {
                        let text = self.value_text(v);
                        let cx = bx + bar_w / 2.0;
                        if text_px(&text, 10.0) <= bar_w + 2.0 {
                            let _ = writeln!(
                                s,
                                r##"<text class="value" x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="10" fill="#333333">{}</text>"##,
                                yy - 3.0,
                                xmltext::attr(&text)
                            );
                        } else {
                            // Too wide to sit over the bar: upright along it.
                            let _ = writeln!(
                                s,
                                r##"<text class="value" transform="translate({:.1} {:.1}) rotate(-90)" font-size="10" fill="#333333">{}</text>"##,
                                cx + 3.5,
                                yy - 3.0,
                                xmltext::attr(&text)
                            );
                        }
                    }
                }
            }
            let _ = writeln!(
                s,
                r##"<text x="{center:.1}" y="{:.1}" text-anchor="middle"{}>{}</text>"##,
                top + plot_h + 22.0,
                if empty { r##" fill="#888888""## } else { "" },
                xmltext::attr(label)
            );
        }
        // Axis labels.
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            left + plot_w / 2.0,
            top + plot_h + 60.0,
            xmltext::attr(&self.x_label)
        );
        let _ = writeln!(
            s,
            r#"<text transform="translate(22 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
            top + plot_h / 2.0,
            xmltext::attr(&self.y_label)
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
                xmltext::attr(&ser.name)
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

/// What a chart shows besides its figures: the series' parent, the language and the scheme
/// the group names come from.
#[derive(Debug, Clone, Copy)]
pub struct ChartOpts<'a> {
    /// Show the children of this node (index) instead of the roots.
    pub parent: Option<usize>,
    pub lang: Lang,
    pub scheme: &'a RegionScheme,
}

/// Coverage per group of the roots (or of one parent's children), aggregated as `agg`.
pub fn coverage_chart(cb: &Codebook, cov: &Coverage, agg: Aggregate, o: ChartOpts<'_>) -> BarChart {
    let l = o.lang;
    let y_label = match (l, agg) {
        (Lang::Zh, Aggregate::MeanOfDocs) => "覆盖率（各文件覆盖率的均值）".to_string(),
        (Lang::Zh, Aggregate::Ratio) => "覆盖率（编码字数 / 正文总字数）".to_string(),
        (Lang::Zh, Aggregate::SumOfDocs) => "覆盖率（各文件覆盖率之和）".to_string(),
        (Lang::En, a) => format!("coverage ({})", a.label()),
    };
    grouped(
        cb,
        cov.groups(),
        o,
        l.pick("覆盖率", "coverage"),
        y_label,
        who(l, cov.coders(), cov.pool()),
        true,
        |g, n| cov.group_pct(g, n, agg).unwrap_or(0.0),
    )
}

/// Reference points per group of the roots (or of one parent's children).
pub fn refs_chart(cb: &Codebook, tally: &Tally, o: ChartOpts<'_>) -> BarChart {
    let l = o.lang;
    grouped(
        cb,
        tally.groups(),
        o,
        l.pick("参考点数", "reference points"),
        l.pick(
            "参考点数（编码段落）",
            "reference points (coded paragraphs)",
        )
        .to_string(),
        who(l, tally.coders(), tally.pool()),
        false,
        |g, n| f64::from(tally.refs(g, n)),
    )
}

/// The subtitle naming the coders and how they were combined.
fn who(l: Lang, coders: &[String], pool: Pool) -> String {
    match (l, coders.len(), pool) {
        (Lang::Zh, 1, _) => format!("编码员：{}", coders[0]),
        (Lang::Zh, _, Pool::Pooled) => {
            format!("编码员：{}（合并，每位编码员各计一次）", coders.join("、"))
        }
        (Lang::Zh, _, Pool::Union) => {
            format!("编码员：{}（并集，每个段落计一次）", coders.join("、"))
        }
        (Lang::En, _, _) => pool.short(coders),
    }
}

/// One bar series per node of `parent` (or per root), one group per group of `g`; groups
/// without documents are kept and marked.
#[allow(clippy::too_many_arguments)]
fn grouped(
    cb: &Codebook,
    g: &Groups,
    o: ChartOpts<'_>,
    what: &str,
    y_label: String,
    subtitle: String,
    percent: bool,
    value: impl Fn(usize, usize) -> f64,
) -> BarChart {
    let l = o.lang;
    let empty: Vec<bool> = (0..g.len())
        .map(|i| g.docs_in(i).next().is_none())
        .collect();
    BarChart {
        title: chart_title(cb, o, what, g.by),
        subtitle,
        x_label: l.by(g.by).to_string(),
        y_label,
        groups: (0..g.len())
            .map(|i| l.group_label(g, i, o.scheme))
            .collect(),
        empty,
        empty_label: l.pick("无文件", "no documents").to_string(),
        series: series_nodes(cb, o.parent)
            .iter()
            .map(|n| Series {
                name: l.node_name(&cb.nodes[*n]),
                color: cb.nodes[*n].color.clone(),
                values: (0..g.len()).map(|gi| value(gi, *n)).collect(),
            })
            .collect(),
        percent,
        value_labels: true,
        font_family: FONT_FAMILY.to_string(),
        embedded_font: None,
    }
}

fn chart_title(cb: &Codebook, o: ChartOpts<'_>, what: &str, by: By) -> String {
    let l = o.lang;
    let parent = o
        .parent
        .and_then(|p| cb.nodes.get(p))
        .map(|n| l.node_name(n));
    match (l, parent) {
        (Lang::Zh, Some(p)) => format!("{p}：{what}（按{}）", l.by(by)),
        (Lang::Zh, None) => format!("{what}（按{}）", l.by(by)),
        (Lang::En, Some(p)) => format!("{p}: {what} by {}", by.as_str()),
        (Lang::En, None) => format!("{}: {what} by {}", cb.name, by.as_str()),
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

    fn opts(f: &fixture::Fixture, parent: Option<usize>, lang: Lang) -> ChartOpts<'_> {
        ChartOpts {
            parent,
            lang,
            scheme: &f.scheme,
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
        let chart = coverage_chart(
            &f.codebook,
            &cov,
            Aggregate::Ratio,
            opts(&f, None, Lang::En),
        );
        // Every region of the scheme, those without documents marked.
        assert_eq!(
            chart.groups,
            ["National", "East", "Central", "West", "Northeast"]
        );
        assert_eq!(chart.empty, [true, false, false, true, true]);
        assert_eq!(chart.series.len(), 2);
        assert_eq!(chart.series[0].values, [0.0, 62.5, 0.0, 0.0, 0.0]);
        let svg = chart.to_svg();
        well_formed(&svg);
        assert_eq!(svg, chart.to_svg());
        assert!(svg.contains("政策工具 &lt;A&amp;B&gt;"));
        assert!(svg.contains("Noto Sans CJK SC") && svg.contains("Microsoft YaHei"));
        // Bars only where there are documents; the others say so.
        assert_eq!(svg.matches(r#"class="bar""#).count(), 4);
        assert_eq!(svg.matches(">no documents</text>").count(), 3);
        // A value over every bar.
        assert_eq!(svg.matches(r#"class="value""#).count(), 4);
        assert!(svg.contains(">62.5%</text>"), "{svg}");
        assert!(svg.contains(r##"fill="#112233""##));
        assert!(!svg.contains("onload"));
        // Highest value 62.5 (and room for its label) → step 20 → ticks 0…80%.
        assert!(svg.contains(">80%</text>"));
        assert!(svg.contains(">supply</text>"), "{svg}");
        // One language: Chinese names, Chinese regions and axis, nothing English but ids.
        let zh = coverage_chart(
            &f.codebook,
            &cov,
            Aggregate::Ratio,
            opts(&f, None, Lang::Zh),
        );
        assert_eq!(zh.groups, ["国家", "东部", "中部", "西部", "东北"]);
        let svg = zh.to_svg();
        assert!(svg.contains(">供给型</text>") && svg.contains(">无文件</text>"));
        assert!(!svg.contains("supply") && !svg.contains("region"), "{svg}");
    }

    #[test]
    fn refs_chart_of_children_and_ticks() {
        let f = fixture::study();
        let g = Groups::new(By::Region, &f.scheme, &f.docs);
        let t = Tally::build(&f.codebook, &f.docs, g, &[&f.a, &f.b], Pool::Pooled);
        let chart = refs_chart(&f.codebook, &t, opts(&f, Some(3), Lang::Zh));
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["税收优惠", "法规管制"]);
        // E1 east: A d1#4 + B d1#3 = 2; E2 central: B d3#1 = 1.
        assert_eq!(chart.series[0].values, [0.0, 2.0, 1.0, 0.0, 0.0]);
        assert_eq!(chart.series[1].values, [0.0, 2.0, 1.0, 0.0, 0.0]);
        assert!(chart.subtitle.contains("A、B"), "{}", chart.subtitle);
        well_formed(&chart.to_svg());
        assert_eq!(tick_step(62.5), 20.0);
        assert_eq!(tick_step(7.0), 2.0);
        assert_eq!(tick_step(0.0), 0.2);
        assert_eq!(fmt_num(2.50), "2.5");
        assert_eq!(base64(b"polcode"), "cG9sY29kZQ==");
        assert_eq!(base64(b"ab"), "YWI=");
    }

    #[test]
    fn an_embedded_font_is_named_first() {
        let f = fixture::study();
        let g = Groups::new(By::Region, &f.scheme, &f.docs);
        let t = Tally::build(&f.codebook, &f.docs, g, &[&f.a], Pool::Pooled);
        let mut chart = refs_chart(&f.codebook, &t, opts(&f, None, Lang::Zh));
        chart.embedded_font = Some(("My Font".into(), b"OTTO....".to_vec()));
        let svg = chart.to_svg();
        well_formed(&svg);
        assert!(
            svg.contains("font-family=\"'My Font', 'Noto Sans CJK SC'"),
            "{svg}"
        );
        assert!(
            svg.contains("url(data:font/otf;base64,T1RUTy4uLi4=)"),
            "{svg}"
        );
    }
}
