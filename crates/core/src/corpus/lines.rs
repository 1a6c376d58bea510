//! Recognisers for single lines of Chinese policy documents: numbering markers (`一、`,
//! `（一）`, `1.`, `（1）`, `第X章`, `第X条`), page numbers, table-of-contents lines, database
//! headers, dates, document numbers, addressees, titles and signatures. Used by
//! `crate::corpus::split`; every function looks at one already-trimmed line.

/// Kinds of numbering marker, in their conventional rank (outermost first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkerKind {
    /// `第一章`
    Chapter,
    /// `第一节`
    Section,
    /// `第一条`
    Article,
    /// `一、`
    Cn,
    /// `（一）` or `(一)`
    ParenCn,
    /// `1.` `1．` `1、` `1﹒`
    Num,
    /// `（1）` or `(1)`
    ParenNum,
    /// `①`
    Circled,
}

/// A numbering marker at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub kind: MarkerKind,
    /// The marker as written, e.g. `（二）`, `1．`, `第五条`.
    pub text: String,
    /// What follows the marker, with separating spaces removed.
    pub rest: String,
}

const CN_DIGITS: &str = "一二三四五六七八九十百零〇两";

fn is_cn_digit(c: char) -> bool {
    CN_DIGITS.contains(c)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Spaces that may pad a line or separate a marker from its text.
pub(crate) fn is_pad(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

/// Trims ASCII, ideographic and no-break spaces on both sides.
pub fn trim_pad(s: &str) -> &str {
    s.trim_matches(is_pad)
}

/// Parses the numbering marker at the start of `line`, if any.
pub fn parse_marker(line: &str) -> Option<Marker> {
    // Markers are short: looking at the first few characters keeps this cheap on long lines.
    let head: Vec<char> = line.chars().take(12).collect();
    let (kind, len) = marker_len(&head)?;
    let text: String = head[..len].iter().collect();
    let rest = &line[text.len()..];
    Some(Marker {
        kind,
        text,
        rest: rest.trim_start_matches(is_pad).to_string(),
    })
}

fn run(chars: &[char], from: usize, pred: fn(char) -> bool) -> usize {
    chars[from..].iter().take_while(|&&c| pred(c)).count()
}

fn marker_len(c: &[char]) -> Option<(MarkerKind, usize)> {
    let first = *c.first()?;
    if first == '第' {
        let n = run(c, 1, |x| is_cn_digit(x) || is_digit(x));
        if n == 0 || n > 6 {
            return None;
        }
        let kind = match c.get(1 + n)? {
            '章' => MarkerKind::Chapter,
            '节' => MarkerKind::Section,
            '条' => MarkerKind::Article,
            _ => return None,
        };
        // `第一条件` / `第二节点` are words, not markers.
        if matches!(c.get(2 + n), Some('件' | '点' | '例' | '款')) {
            return None;
        }
        return Some((kind, 2 + n));
    }
    if is_cn_digit(first) {
        let n = run(c, 0, is_cn_digit);
        if n <= 4 && c.get(n) == Some(&'、') && !matches!(first, '零' | '〇' | '百' | '两') {
            return Some((MarkerKind::Cn, n + 1));
        }
        return None;
    }
    if first == '（' || first == '(' {
        let cn = run(c, 1, is_cn_digit);
        let num = run(c, 1, is_digit);
        let n = cn.max(num);
        if n == 0 || n > 4 || !matches!(c.get(1 + n), Some('）' | ')')) {
            return None;
        }
        let kind = if cn > 0 {
            MarkerKind::ParenCn
        } else {
            MarkerKind::ParenNum
        };
        return Some((kind, n + 2));
    }
    if is_digit(first) {
        let n = run(c, 0, is_digit);
        if n > 3 || !matches!(c.get(n), Some('.' | '．' | '﹒' | '、')) {
            return None;
        }
        // `2.5万亿` is a number; a marker is followed by text (or a space, as in `1. 指导思想`).
        match c.get(n + 1) {
            Some(&next) if !is_digit(next) && next != '%' => return Some((MarkerKind::Num, n + 1)),
            _ => return None,
        }
    }
    if ('①'..='⑳').contains(&first) {
        return Some((MarkerKind::Circled, 1));
    }
    None
}

/// Sentence-final punctuation, allowing closing quotes/brackets after it and a trailing
/// responsibility tag such as `。（省发展改革委牵头）`.
pub(crate) fn ends_sentence(line: &str) -> bool {
    let mut s = line.trim_end_matches(is_pad);
    if s.ends_with('）') || s.ends_with(')') {
        if let Some(open) = s.rfind(['（', '(']) {
            let before = &s[..open];
            if before.ends_with(['。', '！', '？', '；']) {
                return true;
            }
        }
    }
    s = s.trim_end_matches(['”', '’', '"', '」', '』', '》', '）', ')', '】']);
    s.ends_with(['。', '！', '？', '!', '?', '…'])
}

/// A bare page number: `3`, `- 3 -`, `—3—`, `－ 12 －`, `第3页`, `第 3 页 共 20 页`.
pub fn is_page_number(line: &str) -> bool {
    if line.len() > 60 {
        return false;
    }
    let s =
        line.trim_matches(|c: char| is_pad(c) || matches!(c, '-' | '—' | '–' | '－' | '~' | '·'));
    if s.is_empty() {
        return false;
    }
    let digits = s.chars().filter(|&c| is_digit(c)).count();
    if digits == s.chars().count() {
        return digits <= 4;
    }
    let compact: String = s.chars().filter(|&c| !is_pad(c)).collect();
    let rest = compact.strip_prefix('第').and_then(|r| {
        let n = r.chars().take_while(|&c| is_digit(c)).count();
        (n > 0).then(|| &r[n..])
    });
    match rest {
        Some("页") => true,
        Some(r) => r
            .strip_prefix("页共")
            .and_then(|r| r.strip_suffix('页'))
            .is_some_and(|n| !n.is_empty() && n.chars().all(is_digit)),
        None => false,
    }
}

/// A table-of-contents entry with dot leaders and a page number, or the `目录` heading.
pub(crate) fn is_toc_line(line: &str) -> bool {
    if !line.ends_with(|c: char| is_digit(c) || is_pad(c)) && !line.contains('录') {
        return false;
    }
    let compact: String = line.chars().filter(|&c| !is_pad(c)).collect();
    if compact == "目录" {
        return true;
    }
    let body = compact.trim_end_matches(is_digit);
    if body.len() == compact.len() {
        return false;
    }
    let leaders = body
        .chars()
        .rev()
        .take_while(|&c| matches!(c, '.' | '…' | '·' | '．' | '・' | '-'))
        .count();
    leaders >= 4
}

/// Header lines of database exports (北大法宝 and the like).
pub(crate) fn is_db_header(line: &str) -> bool {
    const KEYS: &[&str] = &[
        "【法宝引证码】",
        "原文链接",
        "【发布部门】",
        "【发文字号】",
        "【发布日期】",
        "【实施日期】",
        "【时效性】",
        "【效力级别】",
        "【法规类别】",
        "【来源】",
        "【标题】",
        "法宝联想",
    ];
    KEYS.iter().any(|k| line.starts_with(k))
}

/// A date line such as `2021年3月5日`, `二〇一九年三月十五日`, `2021-03-05`, optionally
/// followed by `印发` or `发布`.
pub(crate) fn is_date_line(line: &str) -> bool {
    if line.chars().nth(40).is_some() {
        return false;
    }
    let s: String = line.chars().filter(|&c| !is_pad(c)).collect();
    let s = s
        .strip_suffix("印发")
        .or_else(|| s.strip_suffix("发布"))
        .unwrap_or(&s);
    let num = |c: char| is_digit(c) || is_cn_digit(c) || c == 'O' || c == 'o' || c == '○';
    let mut parts = s.splitn(2, '年');
    let (Some(y), Some(rest)) = (parts.next(), parts.next()) else {
        return is_iso_date(s);
    };
    if y.chars().count() != 4 || !y.chars().all(num) {
        return false;
    }
    let Some((m, d)) = rest.split_once('月') else {
        return false;
    };
    let d = d.strip_suffix('日').unwrap_or(d);
    let ok = |p: &str, max: usize| !p.is_empty() && p.chars().count() <= max && p.chars().all(num);
    ok(m, 3) && (d.is_empty() || ok(d, 3))
}

fn is_iso_date(s: &str) -> bool {
    let p: Vec<&str> = s.split(['-', '/', '.']).collect();
    p.len() == 3
        && p[0].len() == 4
        && p.iter()
            .all(|x| !x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit()))
}

/// A footer: `抄送：…`, or `…办公厅2019年3月15日印发`.
pub(crate) fn is_footer(line: &str) -> bool {
    if line.starts_with("抄送") || line.starts_with("主送") {
        return true;
    }
    if line.chars().nth(60).is_some() {
        return false;
    }
    let s: String = line.chars().filter(|&c| !is_pad(c)).collect();
    s.ends_with("印发") && s.contains('年') && s.contains('月') && s.chars().count() <= 50
}

/// `（此件公开发布）`, `（此件主动公开）`, `（此页无正文）`.
pub(crate) fn is_release_note(line: &str) -> bool {
    let s = line.trim();
    (s.starts_with("（此件") || s.starts_with("(此件") || s.starts_with("（此页"))
        && (s.ends_with('）') || s.ends_with(')'))
        && s.chars().count() <= 20
}

/// A document-number line: `国发〔2017〕35号`, `（皖政办秘〔2021〕82号）`, `（第290号）`,
/// `广东省人民政府令第290号`.
pub(crate) fn is_doc_number(line: &str) -> bool {
    let s = line.trim_matches(|c| is_pad(c) || matches!(c, '（' | '）' | '(' | ')'));
    if s.chars().count() > 40 || s.contains('。') || !s.ends_with('号') {
        return false;
    }
    let year_bracket = ['〔', '[', '［', '【'].iter().any(|&open| {
        s.split_once(open).is_some_and(|(_, after)| {
            let y: String = after.chars().take(4).collect();
            y.chars().count() == 4 && y.chars().all(is_digit)
        })
    });
    let numbered = s
        .strip_prefix('第')
        .or_else(|| s.split_once("令第").map(|(_, r)| r))
        .and_then(|r| r.strip_suffix('号'))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| is_digit(c) || is_cn_digit(c)));
    year_bracket || numbered
}

/// The addressee line of a notice: `各省、自治区、直辖市人民政府，国务院各部委、各直属机构：`.
pub(crate) fn is_addressee(line: &str) -> bool {
    let Some(s) = line.strip_suffix('：').or_else(|| line.strip_suffix(':')) else {
        return false;
    };
    if s.chars().count() > 120 || s.contains(['。', '；']) {
        return false;
    }
    if ["要", "应", "将", "如下", "以下", "为", "是"]
        .iter()
        .any(|w| s.contains(w))
    {
        return false;
    }
    s.starts_with('各')
        || [
            "单位",
            "部门",
            "机构",
            "人民政府",
            "政府",
            "委员会",
            "局",
            "厅",
        ]
        .iter()
        .any(|w| s.ends_with(w))
}

/// The covering text of a notice that only transmits or promulgates the document.
pub(crate) fn is_transmittal(line: &str) -> bool {
    line.chars().count() <= 200
        && [
            "印发给你们",
            "现予公布",
            "现予发布",
            "现予印发",
            "现印发给你们",
        ]
        .iter()
        .any(|w| line.contains(w))
}

/// `附件`, `附件1`, `附件：`: the label of an attachment.
pub(crate) fn is_attachment_label(line: &str) -> bool {
    let s = line.trim_end_matches(['：', ':']);
    s.strip_prefix("附件")
        .is_some_and(|r| r.chars().all(|c| is_digit(c) || is_cn_digit(c)))
}

const TITLE_SUFFIXES: &[&str] = &[
    "通知",
    "意见",
    "规划",
    "方案",
    "办法",
    "措施",
    "政策",
    "计划",
    "决定",
    "规定",
    "细则",
    "纲要",
    "战略",
    "条例",
    "指南",
    "通告",
    "公告",
    "报告",
    "政府令",
    "清单",
];

/// Whether `line` reads as a document title: no sentence punctuation, no numbering marker,
/// at most `max_chars` characters, ending in a document-type word (`通知`, `意见`, `规划`,
/// `方案`, `办法`…) optionally followed by a year range in brackets.
pub(crate) fn is_title_like(line: &str, max_chars: usize) -> bool {
    let n = line.chars().count();
    if n < 4 || n > max_chars || line.contains(['。', '；', '：', '！', '？', ':']) {
        return false;
    }
    if parse_marker(line).is_some() {
        return false;
    }
    let core = strip_year_range(line);
    TITLE_SUFFIXES.iter().any(|s| core.ends_with(s))
}

/// Removes a trailing bracketed year range such as `（2021—2023年）` or `(2021-2023)`.
pub(crate) fn strip_year_range(line: &str) -> &str {
    let t = line.trim_end_matches(is_pad);
    if t.ends_with('）') || t.ends_with(')') {
        if let Some(open) = t.rfind(['（', '(']) {
            if is_year_range(&t[open..]) {
                return t[..open].trim_end_matches(is_pad);
            }
        }
    }
    t
}

/// `（2021-2025 年）`, `(2021—2023年)`, `（2024—2026年）`: a bracketed year or year range.
pub(crate) fn is_year_range(s: &str) -> bool {
    let inner = s
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    let digits = inner.chars().filter(|&c| is_digit(c)).count();
    digits >= 4
        && inner.chars().all(|c| {
            is_digit(c) || is_pad(c) || matches!(c, '-' | '—' | '－' | '–' | '~' | '年' | '至')
        })
}

/// A signature line: an issuing body or an official's title and name, short and unpunctuated.
pub(crate) fn is_signature_like(line: &str) -> bool {
    let n = line.chars().count();
    (2..=40).contains(&n)
        && !line.contains(['，', '。', '；', '：', '！', '？', '、', ',', ':', '《'])
        && parse_marker(line).is_none()
        && !line.chars().any(is_digit)
}

/// A table cell that is a number, a range or a dash: `72.45`, `>79`, `〔28〕`, `—`, `（%）`.
pub(crate) fn is_numeric_cell(line: &str) -> bool {
    !line.is_empty()
        && line.chars().count() <= 16
        && line.chars().all(|c| {
            is_digit(c) || is_pad(c) || ".．%％><＞＜=≥≤~～—-+/〔〕[]（）(),，".contains(c)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<(MarkerKind, String, String)> {
        parse_marker(s).map(|m| (m.kind, m.text, m.rest))
    }

    #[test]
    fn markers() {
        use MarkerKind::*;
        assert_eq!(
            kind("一、总体要求"),
            Some((Cn, "一、".into(), "总体要求".into()))
        );
        assert_eq!(kind("（十二）加强").unwrap().0, ParenCn);
        assert_eq!(kind("(三)强化").unwrap().0, ParenCn);
        assert_eq!(kind("1．支持").unwrap().1, "1．");
        assert_eq!(kind("17. 多渠道").unwrap().2, "多渠道");
        assert_eq!(kind("13﹒重点引进").unwrap().0, Num);
        assert_eq!(kind("（19）推广").unwrap().0, ParenNum);
        assert_eq!(
            kind("第十二章　附则").unwrap(),
            (Chapter, "第十二章".into(), "附则".into())
        );
        assert_eq!(kind("第五十三条　公共").unwrap().0, Article);
        assert_eq!(kind("①推进").unwrap().0, Circled);
        for no in [
            "2.5万亿元",
            "2025年",
            "第一条件",
            "一是加强",
            "（2021-2025 年）",
            "50%",
        ] {
            assert!(parse_marker(no).is_none(), "{no}");
        }
    }

    #[test]
    fn line_kinds() {
        for p in ["3", "- 3 -", "—3—", "－ 12 －", "第3页", "第 3 页 共 20 页"] {
            assert!(is_page_number(p), "{p}");
        }
        assert!(!is_page_number("2021年") && !is_page_number("12345"));
        assert!(is_toc_line("（一）指导思想....................... 2"));
        assert!(is_toc_line("目 录"));
        assert!(!is_toc_line("截至2015年底，网民数达到6.88亿"));
        assert!(is_date_line("2021年3月5日") && is_date_line("　　2021年9月2日"));
        assert!(is_date_line("二〇一九年三月十五日") && is_date_line("2020年6月"));
        assert!(!is_date_line("2021年3月5日起施行。"));
        assert!(is_footer("山东省人民政府办公厅2019年3月15日印发"));
        assert!(is_doc_number("国发〔2017〕35号") && is_doc_number("（皖政办秘〔2021〕82号）"));
        assert!(is_doc_number("（第290号）") && !is_doc_number("第五条规定的编号"));
        assert!(is_addressee(
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
        ));
        assert!(is_addressee("省有关单位："));
        assert!(!is_addressee("各地区要重点做好以下工作："));
        assert!(is_release_note("（此件公开发布）"));
        assert!(is_title_like(
            "山东省推动智能传感器产业发展行动计划（2021-2023年）",
            60
        ));
        assert!(!is_title_like("（一）完善政策", 60));
        assert!(
            ends_sentence("……提升。（省发展改革委牵头）") && ends_sentence("实现“双碳”目标。”")
        );
        assert!(!ends_sentence(
            "提升产业链供应链韧性和安全水平，支撑制造强国、质量强国和数"
        ));
        assert!(is_numeric_cell(">79") && is_numeric_cell("〔>15〕") && !is_numeric_cell("指　标"));
    }
}
