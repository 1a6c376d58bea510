//! Metadata read from a document's own text when neither the metadata CSV nor the import flags
//! give it (issue 14): the issuer's place from the lines that name the issuing body — the
//! signature at the end, an order's heading (`上海市人民政府令`), a place in brackets at the
//! top (`（上海）`) — and the date from the date line under the signature.
//!
//! Only the first and last lines of a document are read: those are where an issuing body and
//! its date stand; the body text names many other places (`支持海南全面深化改革…`).

use super::gazetteer::{detect_location, provinces, Location};
use super::lines::{is_date_line, is_signature_like, trim_pad};

/// Lines read at the top and at the end of a document.
const HEAD_LINES: usize = 6;
const TAIL_LINES: usize = 8;

fn head_and_tail(text: &str) -> (Vec<&str>, Vec<&str>) {
    let lines: Vec<&str> = text
        .lines()
        .map(trim_pad)
        .filter(|l| !l.is_empty())
        .collect();
    let head = lines.iter().take(HEAD_LINES).copied().collect();
    // Attachments (`附件1：…`, a table of cities) come after the signature: the tail ends
    // where the second half of the document starts one.
    let end = (lines.len() / 2..lines.len())
        .find(|&i| lines[i].starts_with("附件"))
        .unwrap_or(lines.len());
    let tail = lines[..end]
        .iter()
        .rev()
        .take(TAIL_LINES)
        .copied()
        .collect();
    (head, tail)
}

/// The issuing body's place, from the document's text: the signature lines at the end (last
/// first), then an order's heading or a bracketed place name among the first lines.
pub(crate) fn location_from_text(text: &str) -> Option<Location> {
    let (head, tail) = head_and_tail(text);
    let from_tail = tail.iter().find_map(|l| {
        let signer = match signed_and_dated(l) {
            Some((signer, _)) => signer,
            None if !is_date_line(l) => l,
            None => return None,
        };
        let signer: String = signer.chars().filter(|c| !c.is_whitespace()).collect();
        is_signature_like(&signer)
            .then(|| detect_location(&signer, ""))
            .flatten()
    });
    from_tail.or_else(|| {
        head.iter().find_map(|l| {
            if l.contains("政府令") || is_signature_like(l) && l.ends_with("令") {
                detect_location(l, "")
            } else {
                bracketed_province(l)
            }
        })
    })
}

/// A province in full-width brackets, `（上海）` or `（浙江省）`, as a provincial location.
fn bracketed_province(line: &str) -> Option<Location> {
    let mut rest = line;
    while let Some(open) = rest.find('（') {
        let after = &rest[open + '（'.len_utf8()..];
        let close = after.find('）')?;
        let inner = &after[..close];
        if let Some(p) = provinces()
            .iter()
            .find(|p| inner == p.short || inner == p.full)
        {
            return detect_location(&p.full, "");
        }
        rest = &after[close..];
    }
    None
}

/// The date of the date line nearest the end (under the signature), as `YYYY-MM-DD` (or
/// `YYYY-MM` when the line gives no day).
///
/// A date line of its own is the signature's date; a `…印发` line (the office's printing note,
/// days later) is used only when there is none.
pub(crate) fn date_from_text(text: &str) -> Option<String> {
    let (_, tail) = head_and_tail(text);
    let printed = |l: &str| l.ends_with("印发") || l.ends_with("发布");
    let own = tail
        .iter()
        .filter(|l| !printed(l) && signed_and_dated(l).is_none())
        .find_map(|l| is_date_line(l).then(|| iso_date(l)).flatten());
    own.or_else(|| {
        tail.iter().find_map(|l| match signed_and_dated(l) {
            Some((_, date)) => iso_date(date),
            None => is_date_line(l).then(|| iso_date(l)).flatten(),
        })
    })
}

/// A signature and its date on one line, `山东省人民政府办公厅2019年3月15日印发` or
/// `青岛市工业和信息化局 2020年6月1日`: the signer and the date part.
fn signed_and_dated(line: &str) -> Option<(&str, &str)> {
    let year_at = line.find('年')?;
    // The date starts four characters (the year's digits) before `年`.
    let start = line[..year_at].char_indices().rev().nth(3)?.0;
    let (signer, date) = (line[..start].trim_end(), &line[start..]);
    (!signer.is_empty() && is_date_line(date) && is_signature_like(signer))
        .then_some((signer, date))
}

/// `2021年12月30日`, `二〇二一年十二月三十日`, `2021-12-30` as an ISO date.
pub(crate) fn iso_date(line: &str) -> Option<String> {
    let s: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some((y, rest)) = s.split_once('年') {
        let (m, d) = rest.split_once('月')?;
        let d = d.split('日').next().unwrap_or("");
        let year = year_number(y)?;
        let month = small_number(m).filter(|m| (1..=12).contains(m))?;
        return Some(match small_number(d).filter(|d| (1..=31).contains(d)) {
            Some(day) => format!("{year:04}-{month:02}-{day:02}"),
            None => format!("{year:04}-{month:02}"),
        });
    }
    let p: Vec<&str> = s.split(['-', '/', '.']).collect();
    let n = |x: &str| x.parse::<u32>().ok();
    match p.as_slice() {
        [y, m, d] if y.len() == 4 => {
            let (y, m, d) = (n(y)?, n(m)?, n(d)?);
            ((1..=12).contains(&m) && (1..=31).contains(&d))
                .then(|| format!("{y:04}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '〇' | '○' | '零' | 'O' | 'o' => Some(0),
        _ => "一二三四五六七八九"
            .chars()
            .position(|x| x == c)
            .map(|i| i as u32 + 1),
    }
}

/// A four-digit year written in Arabic or Chinese digits (`2021`, `二〇二一`).
fn year_number(s: &str) -> Option<u32> {
    let ds: Option<Vec<u32>> = s.chars().map(digit).collect();
    let ds = ds?;
    (ds.len() == 4).then(|| ds.iter().fold(0, |a, d| a * 10 + d))
}

/// A month or day number: `12`, `十二`, `三十`, `三十一`, `廿一`.
fn small_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        ['廿', u] => Some(20 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Level;

    #[test]
    fn dates_in_every_written_form() {
        assert_eq!(iso_date("2021年12月30日").as_deref(), Some("2021-12-30"));
        assert_eq!(
            iso_date("二〇二一年十二月三十日").as_deref(),
            Some("2021-12-30")
        );
        assert_eq!(
            iso_date("二○一九年三月五日印发").as_deref(),
            Some("2019-03-05")
        );
        assert_eq!(iso_date("2020年6月").as_deref(), Some("2020-06"));
        assert_eq!(iso_date("2018-1-9").as_deref(), Some("2018-01-09"));
        assert_eq!(iso_date("2021年13月1日"), None);
    }

    #[test]
    fn place_from_the_signature_the_order_heading_or_a_bracketed_name() {
        let signed = "关于印发某某方案的通知\n各市人民政府：\n现将方案印发给你们。\n山东省人民政府办公厅\n2021年3月5日\n";
        let l = location_from_text(signed).unwrap();
        assert_eq!((l.province.as_str(), l.level), ("山东", Level::Provincial));
        assert_eq!(date_from_text(signed).as_deref(), Some("2021-03-05"));

        let order = "上海市人民政府令\n第12号\n《上海市公共数据和一网通办管理办法》已经市政府常务会议通过。\n";
        assert_eq!(location_from_text(order).unwrap().province, "上海");

        let footer = "正文。\n抄送：省委各部门。\n山东省人民政府办公厅2019年3月15日印发\n";
        assert_eq!(location_from_text(footer).unwrap().province, "山东");
        assert_eq!(date_from_text(footer).as_deref(), Some("2019-03-15"));
        // The signature's own date wins over the office's printing date; an attachment's
        // last rows are not a signature.
        let both = "正文。\n山东省人民政府办公厅\n2021年3月5日\n抄送：省委各部门。\n山东省人民政府办公厅 2021年3月8日印发\n";
        assert_eq!(date_from_text(both).as_deref(), Some("2021-03-05"));
        let attached = "正文一。\n正文二。\n浙江省人民政府\n2021年3月5日\n附件\n地区\n温州市\n";
        assert_eq!(location_from_text(attached).unwrap().province, "浙江");
        let spaced = "正文。\n国 家 能 源 局\n2020年12月23日\n";
        assert_eq!(location_from_text(spaced).unwrap().level, Level::National);

        let bracket =
            "（上海）\n关于推进数据要素市场建设的若干措施\n为推进…，支持海南、浙江等地合作。\n";
        assert_eq!(location_from_text(bracket).unwrap().province, "上海");

        // A place named in the body is not the issuer's.
        assert!(location_from_text("支持海南全面深化改革开放。\n加快建设自由贸易港。\n").is_none());
    }
}
