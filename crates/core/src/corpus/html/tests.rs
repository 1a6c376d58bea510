//! Unit tests of `corpus::html`.

use super::*;

#[test]
fn html_with_entities_scripts_and_blocks() {
    let html = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>国务院关于 加快推进 的意见</title>
<style>p { color: red }</style><script>var a = "<p>不是正文</p>";</script></head>
<body><h1>国务院关于<br>加快推进的意见</h1><!-- 注释 <p>x</p> -->
<p>&ldquo;十四五&rdquo;时期&mdash;&mdash;数字&amp;经济&nbsp;发展&#65292;&#x533A;块链。</p>
<div>第二段<br/>第三段</div><table><tr><td>指标</td><td>72.45</td></tr></table>
</body></html>"#;
    let PageText { text, title, .. } = page_text(html);
    // The page's own heading, not the site's `<title>`.
    assert_eq!(title.as_deref(), Some("国务院关于 加快推进的意见"));
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        lines,
        [
            "国务院关于",
            "加快推进的意见",
            "“十四五”时期——数字&经济 发展，区块链。",
            "第二段",
            "第三段",
            "指标",
            "72.45",
        ]
    );
    assert!(!text.contains("不是正文") && !text.contains("color") && !text.contains("注释"));
}

#[test]
fn html_title_falls_back_to_h1_and_unknown_entities_stay() {
    let PageText { text, title, .. } =
        page_text("<h1>青岛市人工智能产业园发展若干政策</h1><p>A &foo; B &amp</p>");
    assert_eq!(title.as_deref(), Some("青岛市人工智能产业园发展若干政策"));
    assert!(text.contains("A &foo; B &amp"));
}

fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

const BODY: &str = "为深入贯彻落实党中央、国务院决策部署，加快推动区块链技术和产业创新发展，\
    现提出如下意见。各地区、各部门要结合实际认真贯彻执行，确保各项任务落到实处，取得实效。";

#[test]
fn one_p_per_line_is_one_line_each_and_empty_blocks_are_blank_lines() {
    let page =
        page_text("<p>第一行</p>\n<p>第二行</p><p><br></p><p>&nbsp;</p><div></div><p>第三行</p>");
    assert_eq!(page.text, "第一行\n第二行\n\n\n\n第三行\n");
}

#[test]
fn source_line_breaks_vanish_between_chinese_and_are_spaces_elsewhere() {
    let page = page_text("<p>区块链\n技术 与 block\nchain</p><pre>甲\n  乙</pre>");
    assert_eq!(lines(&page.text), ["区块链技术 与 block chain", "甲", "乙"]);
}

#[test]
fn chrome_around_the_article_is_left_out_and_counted() {
    let html = format!(
        "<div class=\"top-nav\"><a href=/>首页</a><a href=/a>政务公开</a></div>\
         <div class=\"bread-crumb\">当前位置：<a href=/>首页</a></div>\
         <h1>关于推进区块链发展的意见</h1>\
         <div id=\"zoom\"><p>{BODY}</p><p>{BODY}</p><footer>（此件公开发布）</footer></div>\
         <div class=\"footer\">主办单位：某省人民政府办公厅</div>"
    );
    let page = page_text(&html);
    assert_eq!(
        lines(&page.text),
        ["关于推进区块链发展的意见", BODY, BODY, "（此件公开发布）"]
    );
    assert_eq!(page.title.as_deref(), Some("关于推进区块链发展的意见"));
    let dropped = "首页政务公开当前位置：首页主办单位：某省人民政府办公厅";
    assert_eq!(page.left_out, dropped.chars().count());
}

#[test]
fn text_split_over_two_containers_is_all_kept() {
    // No container holds three quarters of the text: nothing that reads as body is dropped,
    // only the link list.
    let html = format!(
        "<div class=\"part\"><p>{BODY}</p></div><div class=\"part\"><p>{BODY}</p></div>\
         <ul><li><a href=/x>相关文件一</a></li><li><a href=/y>相关文件二</a></li></ul>"
    );
    assert_eq!(lines(&page_text(&html).text), [BODY, BODY]);
}

#[test]
fn a_misleading_class_never_drops_the_article() {
    let html = format!("<div class=\"sidebar\"><p>{BODY}</p><p>{BODY}</p></div><nav>首页</nav>");
    assert_eq!(lines(&page_text(&html).text), [BODY, BODY]);
}

#[test]
fn broken_markup_still_gives_the_text() {
    // Stray end tags are ignored (戊 is still in the open `<div>`), end tags left out are implied.
    let page = page_text("<p>甲 < 乙<p>丙<div>丁</span></td>戊<table><tr><td>1<td>2</table");
    assert_eq!(lines(&page.text), ["甲 < 乙", "丙", "丁戊", "1", "2"]);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let html = format!(
        "{}<p>正文</p>{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    assert_eq!(lines(&page_text(&html).text), ["正文"]);
}

#[test]
fn an_article_in_a_form_is_kept_and_a_logo_h1_is_not_the_title() {
    // ASP.NET sites wrap the whole page in a <form>; sites put their name in an <h1> logo.
    let html = format!(
        "<body><form id=\"form1\"><div class=\"header\"><h1 class=\"logo\">某市人民政府</h1></div>\
         <h1>关于推进区块链发展的意见</h1><div class=\"content\"><p>{BODY}</p><p>{BODY}</p></div>\
         </form></body>"
    );
    let page = page_text(&html);
    assert_eq!(lines(&page.text), ["关于推进区块链发展的意见", BODY, BODY]);
    assert_eq!(page.title.as_deref(), Some("关于推进区块链发展的意见"));
}

#[test]
fn self_closing_raw_elements_and_apostrophes_in_unquoted_values_lose_nothing() {
    let page = page_text("<p>甲<svg class=icon/>乙</p><p class=don't>丙</p><p>丁'戊</p>");
    assert_eq!(lines(&page.text), ["甲乙", "丙", "丁'戊"]);
}
