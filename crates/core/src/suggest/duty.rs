//! Responsibility notes are not instruments. Chinese policy documents end a measure with the
//! units that carry it out — `（省发展改革委、省财政厅牵头，各市负责）`, `责任单位：省人力资源
//! 社会保障厅` — and department names are full of keywords (`财政` funding, `人力资源` talent,
//! `金融` finance, `宣传` publicity). The codebook's exclusion notes say so (`仅作为责任单位出现的
//! …部门不算`). Before keywords are matched and the prior reads the wording, such notes are
//! masked: every character replaced by an ideographic space, so character offsets (and hence
//! keyword highlights) stay where they were.

use std::borrow::Cow;

/// Words that make a parenthetical a responsibility note.
const DUTY_WORDS: &[&str] = &["牵头", "负责", "责任单位", "配合", "按职责分工", "参与单位"];
/// Labels that start a responsibility note running to the end of the sentence.
const DUTY_LABELS: &[&str] = &[
    "责任单位：",
    "牵头单位：",
    "责任部门：",
    "配合单位：",
    "责任单位:",
];
/// Longest parenthetical taken as a note (characters): longer ones are text, not a list.
const MAX_NOTE: usize = 120;
const MASK: char = '\u{3000}';

/// `text` with its responsibility notes masked (see the module docs); borrowed when it has none.
pub(crate) fn mask_duties(text: &str) -> Cow<'_, str> {
    if !DUTY_WORDS.iter().any(|w| text.contains(w)) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut masked = vec![false; chars.len()];
    // Parentheticals (full-width or ASCII) that name who is responsible.
    let mut open: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '（' | '(' => open = Some(i),
            '）' | ')' => {
                if let Some(s) = open.take() {
                    let inner: String = chars[s + 1..i].iter().collect();
                    if i - s <= MAX_NOTE && DUTY_WORDS.iter().any(|w| inner.contains(w)) {
                        masked[s..=i].iter_mut().for_each(|m| *m = true);
                    }
                }
            }
            _ => {}
        }
    }
    // "责任单位：…" to the end of its sentence.
    for label in DUTY_LABELS {
        let mut from = 0;
        while let Some(pos) = text[from..].find(label) {
            let start_byte = from + pos;
            let start = text[..start_byte].chars().count();
            let mut end = start;
            while end < chars.len() && !matches!(chars[end], '。' | '；' | '\n') {
                end += 1;
            }
            masked[start..end].iter_mut().for_each(|m| *m = true);
            from = start_byte + label.len();
        }
    }
    if !masked.iter().any(|&m| m) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        chars
            .iter()
            .zip(&masked)
            .map(|(&c, &m)| if m { MASK } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_responsibility_notes_keeping_character_offsets() {
        let t = "加大财政资金支持。（省发展改革委、省财政厅牵头，各市负责）";
        let m = mask_duties(t);
        assert_eq!(m.chars().count(), t.chars().count());
        assert!(m.starts_with("加大财政资金支持。"));
        assert!(!m.contains("财政厅"), "{m}");
        let t = "开展人才培训。责任单位：省人力资源社会保障厅、省教育厅；完成时间：2025年";
        let m = mask_duties(t);
        assert!(m.contains("人才培训") && !m.contains("人力资源"), "{m}");
        assert!(m.contains("完成时间"), "the note ends at its sentence: {m}");
        // A parenthesis that lists no duty is text.
        let t = "推进区块链（含分布式账本）技术应用。";
        assert!(matches!(mask_duties(t), Cow::Borrowed(_)));
    }
}
