//! Unit tests of `corpus::split`.
use super::*;
use crate::corpus::normalize::normalize;
use ParaKind::*;

fn kinds_texts(text: &str) -> Vec<(ParaKind, String, String)> {
    split(&normalize(text))
        .into_iter()
        .map(|p| (p.kind, p.section, p.text))
        .collect()
}

#[test]
fn inline_heading_stays_with_its_body() {
    let t = "三、重点任务\n（一）加强人才培养。各地区要加大人才引进力度。\n（二）完善政策\n　　落实税收优惠政策。\n";
    let got = kinds_texts(t);
    assert_eq!(got.len(), 4);
    assert_eq!(got[0], (Heading, "三、".into(), "三、重点任务".into()));
    assert_eq!(
        got[1],
        (
            Body,
            "三、（一）".into(),
            "（一）加强人才培养。各地区要加大人才引进力度。".into()
        )
    );
    assert_eq!(
        got[2],
        (Heading, "三、（二）".into(), "（二）完善政策".into())
    );
    assert_eq!(
        got[3],
        (Body, "三、（二）".into(), "落实税收优惠政策。".into()),
        "indent removed"
    );
}

#[test]
fn numbering_levels_build_section_paths() {
    let t = "一、总体要求\n（一）指导思想。\n1．加快发展。推动区块链技术创新。\n（1）示范应用。开展试点。\n2. 完善机制。\n二、保障措施\n加强组织领导。";
    let secs: Vec<String> = split(t).into_iter().map(|p| p.section).collect();
    assert_eq!(
        secs,
        [
            "一、",
            "一、（一）",
            "一、（一）1．",
            "一、（一）1．（1）",
            "一、（一）2.",
            "二、",
            "二、"
        ]
    );
}

#[test]
fn regulations_split_at_articles_with_chapter_paths() {
    let t = "第一章　总则\r\n　　第一条　为了规范公共数据管理，制定本办法。\r\n　　第二条　本办法下列用语的含义：\r\r\n　　（一）公共数据，是指政务部门获取的数据；\r\n　　（二）数源部门，是指法定采集部门。\r第二章　管理\n第三条　（机构职责）\n管委会履行以下职责。";
    let got = kinds_texts(t);
    let view: Vec<(ParaKind, &str)> = got.iter().map(|(k, s, _)| (*k, s.as_str())).collect();
    assert_eq!(
        view,
        [
            (Heading, "第一章"),
            (Body, "第一章第一条"),
            (Body, "第一章第二条"),
            (Body, "第一章第二条"),
            (Body, "第一章第二条"),
            (Heading, "第二章"),
            (Heading, "第二章第三条"),
            (Body, "第二章第三条"),
        ]
    );
    assert!(got.iter().all(|(_, _, t)| !t.contains(['\n', '\r'])));
}

fn wrapped_fixture() -> String {
    // A paragraph hard-wrapped at 20 characters with a page number and blank lines inside.
    let para = "智能检测装备作为智能制造的核心装备，是工业基础的重要组成和产业基础高级化的重要领域，已成为稳定生产运行、保障产品质量、提升制造效率、确保服役安全的核心手段，对加快制造业高端化智能化绿色化发展具有重要意义。";
    let chars: Vec<char> = para.chars().collect();
    let mut lines: Vec<String> = chars.chunks(20).map(|c| c.iter().collect()).collect();
    lines.insert(3, "\n- 2 -\n".to_string());
    let mut t = String::from("一、总体要求\n（一）指导思想\n");
    for _ in 0..3 {
        t.push_str(&lines.join("\n"));
        t.push('\n');
    }
    t.push_str("3\n（二）基本原则\n坚持市场主导。\n");
    t
}

#[test]
fn hard_wrapped_lines_are_rejoined_across_page_numbers() {
    let got = kinds_texts(&wrapped_fixture());
    let bodies: Vec<&String> = got
        .iter()
        .filter(|(k, _, _)| *k == Body)
        .map(|(_, _, t)| t)
        .collect();
    assert_eq!(bodies.len(), 4, "{got:?}");
    for b in &bodies[..3] {
        assert!(
            b.starts_with("智能检测装备") && b.ends_with("具有重要意义。"),
            "{b}"
        );
        assert!(b.contains("确保服役安全的核心手段"), "{b}");
    }
    assert!(got.iter().all(|(_, _, t)| t != "3" && !t.contains("- 2 -")));
    assert_eq!(got.last().unwrap().1, "一、（二）");
}

#[test]
fn short_unwrapped_lines_are_not_joined() {
    let t = "一、总体要求\n坚持创新驱动，\n坚持融合发展\n";
    assert_eq!(split(t).len(), 3);
}

#[test]
fn glued_heading_after_sentence_is_cut_in_wrapped_text() {
    let mut t = wrapped_fixture();
    t.push_str("加快完善公共服务体系，营造产业良好发展环境。（三）技术装备推广工程\n");
    let got = kinds_texts(&t);
    assert_eq!(got.last().unwrap().2, "（三）技术装备推广工程");
    assert_eq!(got.last().unwrap().0, Heading);
}

#[test]
fn front_and_back_matter_are_non_body() {
    let t = "    【法宝引证码】 CLI.12.1\n原文链接：https://example.com/x\n国务院关于加快推进\n农业机械化的指导意见\n国发〔2018〕42号\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n农业机械化是重要基础。\n一、总体要求\n（一）指导思想。以新发展理念为指导。\n国务院\n2018年12月21日\n（此件公开发布）\n抄送：省委各部门。\n";
    let d = split_doc(&normalize(t));
    assert_eq!(
        d.title.as_deref(),
        Some("国务院关于加快推进农业机械化的指导意见")
    );
    let kinds: Vec<ParaKind> = d.paragraphs.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            NonBody, NonBody, NonBody, NonBody, NonBody, Body, Heading, Body, NonBody, NonBody,
            NonBody, NonBody
        ]
    );
    assert!(d
        .paragraphs
        .iter()
        .filter(|p| p.kind == NonBody)
        .all(|p| p.section.is_empty()));
}

#[test]
fn fixed_paragraphs_get_the_kinds_and_sections_split_gives() {
    // An export writes one paragraph per line; classifying those lines as they stand must
    // give back what split() found, without moving a boundary.
    let t = "    【法宝引证码】 CLI.12.1\n国务院关于加快推进\n农业机械化的指导意见\n国发〔2018〕42号\n目  录\n一、总体要求……………1\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n农业机械化是重要基础。\n一、总体要求\n（一）指导思想。以新发展理念为指导。\n二、主要任务\n推进全程机械化。\n国务院\n2018年12月21日\n（此件公开发布）\n";
    let want = split(&normalize(t));
    let texts: Vec<&str> = want.iter().map(|p| p.text.as_str()).collect();
    let got = classify_fixed(&texts);
    assert_eq!(got, want);
    assert!(want
        .iter()
        .any(|p| p.kind == Heading && p.section == "二、"));
}

#[test]
fn toc_and_tables() {
    let t = "目 录\n一、现状与形势.........................1\n（一）指导思想....................... 2\n正文第一段。\n基本情况\n指　标\n2015年\n>79\n—\n72.45\n28\n注：单位为百分点。\n";
    let got = kinds_texts(t);
    assert_eq!(got[0].0, NonBody);
    assert_eq!(got[1].0, NonBody);
    assert_eq!(got[2].0, NonBody);
    assert_eq!(
        got[4],
        (
            Body,
            String::new(),
            "基本情况 | 指　标 | 2015年 | >79 | — | 72.45 | 28".into()
        )
    );
    assert_eq!(got.len(), 6);
}

#[test]
fn numbering_and_hashes() {
    let ps = split("第一段。\n\n\n第二段。\n第一段。");
    assert_eq!(ps.iter().map(|p| p.n).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(ps[0].hash, ps[2].hash);
    assert_ne!(ps[0].hash, ps[1].hash);
    assert!(split("").is_empty() && split("\n \n　\n").is_empty());
}
