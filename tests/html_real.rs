//! The 41 real documents of `../shared/corpus` saved as web pages the ways browsers and
//! government sites save them (issue 14): one `<p>` per line, `<br>`-separated lines in one
//! `<p>`, `<div>` soup, a layout table of cells, navigation/breadcrumb/sidebar/footer chrome around
//! the article, and GBK with a `<meta charset>`. Each must import to exactly the paragraphs
//! (text and kind) of the plain-text import. Skipped, with a message, without the corpus.

use std::path::{Path, PathBuf};

use polcode_core::corpus::import::{read_document, ImportOptions};
use polcode_core::corpus::Paragraph;

fn corpus_docs() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    (!files.is_empty()).then_some(files)
}

/// Escaped as an editor saves text: markup characters as references, and runs of spaces as
/// no-break spaces (a browser would collapse them).
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("  ", "&nbsp;&nbsp;")
}

fn page(title: &str, charset: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"{charset}\">\n\
         <title>{} - 中国政府网</title>\n<style>p {{ text-indent: 2em; }}</style>\n\
         <script>var x = '<p>not text</p>';</script>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        esc(title)
    )
}

/// One `<p>` per source line; an empty line is an empty paragraph.
fn p_per_line(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| match l.trim().is_empty() {
            true => "<p><br></p>".to_string(),
            false => format!("<p style=\"text-indent:2em\">{}</p>", esc(l)),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// All lines in one `<p>`, separated by `<br>` (an empty line is two `<br>` in a row).
fn br_lines(lines: &[&str]) -> String {
    let inner: Vec<String> = lines.iter().map(|l| esc(l)).collect();
    format!("<p>{}</p>", inner.join("<br>\n"))
}

/// Nested `<div>`s with styled spans, as rich-text editors save them.
fn div_soup(lines: &[&str]) -> String {
    let mut s = String::from("<div class=\"wrap\"><div class=\"TRS_Editor\"><div>\n");
    for l in lines {
        if l.trim().is_empty() {
            s.push_str("<div><br/></div>\n");
        } else {
            s.push_str(&format!(
                "<div><span style=\"font-family:仿宋\"><font size=\"3\">{}</font></span></div>\n",
                esc(l)
            ));
        }
    }
    s.push_str("</div></div></div>");
    s
}

/// A layout table: a navigation row, then one row and cell per line of the article.
fn table_cells(lines: &[&str]) -> String {
    let mut s = String::from(
        "<table width=\"100%\"><tr><td class=\"nav\"><a href=\"/\">首页</a> | \
         <a href=\"/zc\">政策</a> | <a href=\"/jd\">解读</a></td></tr>\n\
         <tr><td><table class=\"content\"><tbody>\n",
    );
    for l in lines {
        s.push_str(&format!("<tr><td>{}</td></tr>\n", esc(l)));
    }
    s.push_str("</tbody></table></td></tr></table>");
    s
}

/// The article inside a government site's chrome: header, navigation, breadcrumb, a sidebar
/// of related links, a share bar and a footer with the site's registration lines.
fn with_chrome(lines: &[&str]) -> String {
    format!(
        "<div class=\"header\"><div class=\"logo\">某省人民政府门户网站</div>\
         <div class=\"search\"><input type=\"text\" placeholder=\"请输入关键词\"><button>搜索</button></div></div>\n\
         <nav><ul><li><a href=\"/\">首页</a></li><li><a href=\"/zw\">政务公开</a></li>\
         <li><a href=\"/bs\">政务服务</a></li><li><a href=\"/hd\">互动交流</a></li></ul></nav>\n\
         <div class=\"breadcrumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zw\">政务公开</a> &gt; 政策文件</div>\n\
         <div class=\"main\"><div class=\"sidebar\"><h3>相关文件</h3><ul>\
         <li><a href=\"/a\">关于印发数字经济发展规划的通知</a></li>\
         <li><a href=\"/b\">关于加快区块链技术应用的实施意见</a></li></ul></div>\n\
         <div class=\"article\" id=\"zoom\">\n{}\n</div>\n\
         <div class=\"share\">分享到：<a href=\"#\">微信</a> <a href=\"#\">微博</a></div>\
         <div class=\"print\"><a href=\"javascript:window.print()\">【打印本页】</a> <a href=\"javascript:window.close()\">【关闭窗口】</a></div></div>\n\
         <footer><p>主办单位：某省人民政府办公厅　承办单位：某省大数据发展管理局</p>\
         <p>网站标识码：3300000001　ICP备案号：某ICP备05010530号　公安机关备案号：33010602000001</p></footer>",
        p_per_line(lines)
    )
}

fn paragraphs(path: &Path) -> Vec<Paragraph> {
    read_document(path, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .doc
        .paragraphs
}

/// The first differing paragraph, for the failure message.
fn first_difference(a: &[Paragraph], b: &[Paragraph]) -> String {
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i), b.get(i));
        let same = matches!((x, y), (Some(x), Some(y)) if x.text == y.text && x.kind == y.kind);
        if !same {
            let show = |p: Option<&Paragraph>| {
                p.map_or("(none)".to_string(), |p| {
                    format!(
                        "{:?} {}",
                        p.kind,
                        p.text.chars().take(40).collect::<String>()
                    )
                })
            };
            return format!("#{}: txt {} | html {}", i + 1, show(x), show(y));
        }
    }
    String::new()
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn every_html_variant_imports_like_the_plain_text() {
    let Some(files) = corpus_docs() else {
        eprintln!("SKIPPED: ../shared/corpus not found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    type Variant = (&'static str, fn(&[&str]) -> String);
    let variants: [Variant; 5] = [
        ("p-per-line", p_per_line),
        ("br-lines", br_lines),
        ("div-soup", div_soup),
        ("table-cells", table_cells),
        ("chrome", with_chrome),
    ];
    let mut failures = Vec::new();
    let mut same = std::collections::BTreeMap::<&str, usize>::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let title = lines.first().copied().unwrap_or("");
        let want = paragraphs(f);
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let mut pages: Vec<(String, Vec<u8>)> = variants
            .iter()
            .map(|(name, make)| {
                let html = page(title, "utf-8", &make(&lines));
                (name.to_string(), html.into_bytes())
            })
            .collect();
        // GBK with the charset declared the old way; characters GBK lacks become references.
        let html = page(title, "gbk", &p_per_line(&lines)).replace(
            "<meta charset=\"gbk\">",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(&html);
        pages.push(("gbk-meta".to_string(), gbk.into_owned()));
        for (name, bytes) in pages {
            let path = tmp.path().join(format!("{stem}.{name}.html"));
            std::fs::write(&path, bytes).unwrap();
            let got = paragraphs(&path);
            let entry = same
                .entry(Box::leak(name.clone().into_boxed_str()))
                .or_default();
            if got.len() == want.len()
                && got
                    .iter()
                    .zip(&want)
                    .all(|(g, w)| g.text == w.text && g.kind == w.kind)
            {
                *entry += 1;
            } else {
                failures.push(format!(
                    "{stem} as {name}: {} paragraphs, txt {}; {}",
                    got.len(),
                    want.len(),
                    first_difference(&want, &got)
                ));
            }
        }
    }
    eprintln!("identical to the .txt import, of {}: {same:?}", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
