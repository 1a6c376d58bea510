//! Text of a web page as a browser or a government site saved it (issue 14): the page is read
//! into a small, forgiving element tree, the article is picked out of the site's chrome
//! (navigation, breadcrumbs, sidebars, share bars, footers), and the article is laid out as
//! lines the way a browser shows it, so that the paragraph splitter sees the same lines as in
//! a plain-text file.
//!
//! Layout follows the browser, not the source: whitespace in the source collapses (a source
//! line break between two CJK characters vanishes, as CSS does for Chinese); every block
//! element (`<p>`, `<div>`, `<li>`, a table cell, …) is a line of its own, so a page saved
//! with one `<p>` per printed line is a hard-wrapped text and is re-joined like one; an empty
//! block (`<p><br></p>`, `<div>&nbsp;</div>`) or two `<br>` in a row is a blank line, which
//! ends a paragraph. `<pre>` keeps its lines.
//!
//! The article: the element that directly holds the most text outside links (the parent of
//! the blocks the text sits in; table rows count for their table) is the article when it holds
//! at least three quarters of the page's text outside links and chrome, so nothing that looks
//! like body text is dropped; otherwise the whole page is kept, without the elements that are
//! chrome by their tag, role or class (`nav`, `footer`, `breadcrumb`, `share`, …) and blocks that
//! are mostly links. A page `<h1>` outside the article is kept as its first line (the title).

use super::formats::decode_entities;

/// The text of a page, its title and what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageText {
    /// One line per displayed line; blank lines end paragraphs.
    pub text: String,
    /// `<h1>`, else `<title>`.
    pub title: Option<String>,
    /// Characters (outside whitespace) of navigation and other page chrome left out.
    pub left_out: usize,
}

/// Open elements nested deeper than this are treated as siblings (real pages nest a few dozen).
const MAX_DEPTH: usize = 200;
/// Elements whose content is never text of the page.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "select", "textarea", "button", "iframe", "object",
    "svg", "math", "canvas",
];
/// Elements with no content or end tag.
const VOID: &[&str] = &[
    "br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source", "embed",
    "param", "track", "keygen",
];
/// Elements laid out as blocks (each starts and ends a line).
const BLOCK: &[&str] = &[
    "p",
    "div",
    "li",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "section",
    "article",
    "header",
    "footer",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "hr",
    "body",
    "center",
    "main",
    "nav",
    "aside",
    "form",
    "figure",
    "figcaption",
    "address",
    "fieldset",
    "legend",
    "details",
    "summary",
    "html",
];
/// Elements that are page chrome by their tag.
const CHROME_TAGS: &[&str] = &["nav", "aside", "form", "menu", "header", "footer"];
/// Class or id words that mark page chrome (compared with each word of `class` and `id`,
/// split at spaces, `-` and `_`, lower case).
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menubar",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "bread",
    "sidebar",
    "side",
    "footer",
    "foot",
    "header",
    "topbar",
    "toolbar",
    "share",
    "print",
    "copyright",
    "banner",
    "search",
    "login",
    "related",
    "pager",
];
/// Roles that mark page chrome.
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "complementary",
    "menu",
    "menubar",
];

#[derive(Debug)]
enum Node {
    Text(String),
    Element(Element),
}

#[derive(Debug)]
struct Element {
    name: String,
    /// `class` and `id` words, lower case.
    words: Vec<String>,
    role: String,
    children: Vec<usize>,
}

/// A forgiving tree: `nodes[0]` is the document root.
struct Tree {
    nodes: Vec<Node>,
    title: Option<String>,
}

impl Tree {
    fn element(&self, i: usize) -> Option<&Element> {
        match &self.nodes[i] {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        }
    }

    fn children(&self, i: usize) -> &[usize] {
        self.element(i).map_or(&[], |e| e.children.as_slice())
    }
}

/// The text of an HTML page (see the module documentation).
pub(crate) fn page_text(html: &str) -> PageText {
    let tree = parse(html);
    let mut stats = vec![Counts::default(); tree.nodes.len()];
    count_all(&tree, 0, &mut stats);
    let mut page = Page {
        tree: &tree,
        stats,
        root: 0,
    };
    count(&mut page, 0, false);
    let article = article(&page);
    let mut out = Layout::default();
    if let Some(a) = article {
        page.root = a;
        if let Some(h1) = first_h1_outside(&page, 0, a) {
            layout(&page, h1, true, &mut out);
        }
        layout(&page, a, true, &mut out);
    } else {
        layout(&page, 0, false, &mut out);
    }
    out.block_boundary();
    let kept = chars(&out.text);
    let title = first_h1_text(&page, 0).filter(|t| !t.is_empty());
    PageText {
        left_out: page.stats[0].all.saturating_sub(kept),
        text: out.text,
        title: title.or(tree.title),
    }
}

// ---------------------------------------------------------------- parsing

fn parse(html: &str) -> Tree {
    let mut nodes = vec![Node::Element(Element {
        name: "#root".into(),
        words: Vec::new(),
        role: String::new(),
        children: Vec::new(),
    })];
    let mut stack: Vec<usize> = vec![0];
    let mut title: Option<String> = None;
    let mut rest = html;
    let push = |nodes: &mut Vec<Node>, stack: &[usize], node: Node| -> usize {
        let id = nodes.len();
        nodes.push(node);
        let parent = *stack.last().unwrap_or(&0);
        if let Node::Element(e) = &mut nodes[parent] {
            e.children.push(id);
        }
        id
    };
    while !rest.is_empty() {
        let lt = rest.find('<').unwrap_or(rest.len());
        if lt > 0 {
            push(&mut nodes, &stack, Node::Text(decode_entities(&rest[..lt])));
        }
        rest = &rest[lt..];
        if rest.is_empty() {
            break;
        }
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map_or("", |e| &r[e + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |g| &rest[g + 1..]);
            continue;
        }
        // A `<` that opens no tag is text.
        let opens_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/');
        if !opens_tag {
            push(&mut nodes, &stack, Node::Text("<".into()));
            rest = &rest[1..];
            continue;
        }
        let gt = tag_end(rest);
        let tag = &rest[1..gt.min(rest.len())];
        rest = rest.get(gt + 1..).unwrap_or("");
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if closing {
            close(&nodes, &mut stack, &name);
            continue;
        }
        // `<svg …/>` or `<iframe …/>` written self-closing has no content to skip (skipping to
        // the next `</svg` would drop everything between, the article included).
        let self_closing = tag.trim_end().ends_with('/');
        if name == "title" || SKIPPED.contains(&name.as_str()) && !self_closing {
            // Raw text up to the end tag; `<title>` is kept as the page title.
            let stop = end_tag_at(rest, &name);
            if name == "title" {
                let t = decode_entities(&rest[..stop]);
                let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                title.get_or_insert(t);
            }
            rest = &rest[stop..];
            rest = rest.find('>').map_or("", |g| &rest[g + 1..]);
            continue;
        }
        implied_ends(&nodes, &mut stack, &name);
        let attrs = &body[name.len()..];
        let mut words: Vec<String> = Vec::new();
        for key in ["class", "id"] {
            if let Some(v) = attr(attrs, key) {
                words.extend(
                    v.to_ascii_lowercase()
                        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                );
            }
        }
        let role = attr(attrs, "role").unwrap_or_default().to_ascii_lowercase();
        let id = push(
            &mut nodes,
            &stack,
            Node::Element(Element {
                name: name.clone(),
                words,
                role,
                children: Vec::new(),
            }),
        );
        // Deeper nesting is flattened: the tree is walked recursively, and a hostile page of
        // 100,000 nested `<div>`s must not overflow the stack.
        if !VOID.contains(&name.as_str()) && !self_closing && stack.len() < MAX_DEPTH {
            stack.push(id);
        }
    }
    let title = title.filter(|t| !t.is_empty());
    Tree { nodes, title }
}

/// Where `</name` (any case) starts in `s`, or the end of `s`; linear, whatever the page holds.
fn end_tag_at(s: &str, name: &str) -> usize {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find("</").map(|i| i + from) {
        let n = &b[i + 2..(i + 2 + name.len()).min(b.len())];
        if n.eq_ignore_ascii_case(name.as_bytes()) {
            return i;
        }
        from = i + 2;
    }
    s.len()
}

/// The index of the `>` ending the tag at the start of `s`, outside quoted attribute values.
fn tag_end(s: &str) -> usize {
    // A quote opens a value only right after `=` (spaces allowed): `<p class=don't>` has an
    // apostrophe in an unquoted value, as browsers read it.
    let mut quote: Option<char> = None;
    let mut after_eq = false;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if after_eq => quote = Some(c),
            (None, '>') => return i,
            _ => {}
        }
        if quote.is_none() {
            after_eq = c == '=' || after_eq && c.is_ascii_whitespace();
        } else {
            after_eq = false;
        }
    }
    // A quote left open: the first `>` ends the tag, so the rest of the page is not lost.
    s.find('>').unwrap_or(s.len())
}

/// The value of attribute `key` in a tag's attribute text.
fn attr(attrs: &str, key: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(key).map(|i| i + from) {
        from = at + key.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let v = attrs[attrs.len() - after.len() + 1..].trim_start();
        let value = match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].split(q).next().unwrap_or(""),
            _ => v
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(decode_entities(value));
    }
    None
}

/// Closes the innermost open `name`, and everything opened inside it; a stray end tag is ignored.
fn close(nodes: &[Node], stack: &mut Vec<usize>, name: &str) {
    let is = |i: usize, n: &str| matches!(&nodes[i], Node::Element(e) if e.name == n);
    if let Some(pos) = stack.iter().rposition(|&i| is(i, name)) {
        if pos > 0 {
            stack.truncate(pos);
        }
    }
}

/// End tags HTML leaves implied: a block closes an open `<p>`, a `<li>` an open `<li>`, a cell
/// an open cell, a row an open row (never past the table or list they belong to).
fn implied_ends(nodes: &[Node], stack: &mut Vec<usize>, name: &str) {
    let name_of = |i: usize| match &nodes[i] {
        Node::Element(e) => e.name.as_str(),
        Node::Text(_) => "",
    };
    let close_open = |stack: &mut Vec<usize>, target: &[&str], fence: &[&str]| {
        for pos in (1..stack.len()).rev() {
            let n = name_of(stack[pos]);
            if target.contains(&n) {
                stack.truncate(pos);
                return;
            }
            if fence.contains(&n) {
                return;
            }
        }
    };
    if BLOCK.contains(&name) && !matches!(name, "td" | "th" | "tr" | "li") {
        close_open(
            stack,
            &["p"],
            &[
                "div",
                "td",
                "th",
                "li",
                "table",
                "blockquote",
                "section",
                "article",
            ],
        );
    }
    match name {
        "li" => close_open(stack, &["li"], &["ul", "ol"]),
        "td" | "th" => close_open(stack, &["td", "th"], &["tr", "table"]),
        "tr" => close_open(stack, &["tr"], &["table", "tbody", "thead", "tfoot"]),
        "dd" | "dt" => close_open(stack, &["dd", "dt"], &["dl"]),
        _ => {}
    }
}

// ---------------------------------------------------------------- picking the article

/// Characters (not whitespace) under an element.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    /// All text, chrome included.
    all: usize,
    /// Text outside links and outside chrome.
    plain: usize,
    /// Text in links, outside chrome.
    linked: usize,
    /// Text outside links and chrome in the inline content of this element's child blocks:
    /// the text this element holds as a container of blocks.
    direct: usize,
}

fn chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// What is known about the page while picking its article and laying it out.
struct Page<'a> {
    tree: &'a Tree,
    stats: Vec<Counts>,
    /// The element laid out as the article (the document root when none was picked): never
    /// left out as chrome, whatever its tag (ASP.NET sites wrap whole pages in a `<form>`).
    root: usize,
}

impl Page<'_> {
    /// Whether element `i` is chrome by its tag, role or class words. An element holding a
    /// large share of the page's text (a quarter, and at least 100 characters) never is: a
    /// misleading class name must not drop an article.
    fn is_chrome(&self, i: usize) -> bool {
        let Some(e) = self.tree.element(i) else {
            return false;
        };
        let marked = CHROME_TAGS.contains(&e.name.as_str())
            || CHROME_ROLES.contains(&e.role.as_str())
            || e.words.iter().any(|w| CHROME_WORDS.contains(&w.as_str()));
        let all = self.stats[i].all;
        marked && !(all >= 100 && all * 4 >= self.stats[0].all)
    }

    /// Inside the article only chrome tags (not `header`/`footer`, which articles use for their
    /// own title and signature) and roles mark chrome, and never on an element holding a large
    /// share of the text, nor on the article itself.
    fn is_chrome_in_article(&self, i: usize) -> bool {
        let Some(e) = self.tree.element(i) else {
            return false;
        };
        let marked = CHROME_TAGS.contains(&e.name.as_str())
            && !matches!(e.name.as_str(), "header" | "footer")
            || CHROME_ROLES.contains(&e.role.as_str());
        let all = self.stats[i].all;
        i != self.root && marked && !(all >= 100 && all * 4 >= self.stats[0].all)
    }

    /// Whether block `i` is mostly links (a menu or a list of related documents).
    fn is_link_list(&self, i: usize) -> bool {
        let s = self.stats[i];
        s.linked >= 4 && s.linked * 10 >= (s.linked + s.plain) * 7
    }
}

/// Counts all text under each node (chrome included).
fn count_all(tree: &Tree, i: usize, stats: &mut [Counts]) {
    stats[i].all = match &tree.nodes[i] {
        Node::Text(t) => chars(t),
        Node::Element(e) => e
            .children
            .iter()
            .map(|&c| {
                count_all(tree, c, stats);
                stats[c].all
            })
            .sum(),
    };
}

/// Counts text outside chrome, in and out of links, and the text each element holds as a
/// container of blocks.
fn count(page: &mut Page, i: usize, in_link: bool) {
    let tree = page.tree;
    match &tree.nodes[i] {
        Node::Text(t) => {
            let n = chars(t);
            if in_link {
                page.stats[i].linked = n;
            } else {
                page.stats[i].plain = n;
            }
        }
        Node::Element(e) => {
            let link = in_link || e.name == "a";
            for &c in &e.children {
                count(page, c, link);
            }
            if i != 0 && page.is_chrome(i) {
                return;
            }
            for &c in &e.children {
                if page.tree.element(c).is_some() && page.is_chrome(c) {
                    continue;
                }
                let s = page.stats[c];
                page.stats[i].plain += s.plain;
                page.stats[i].linked += s.linked;
                if page.tree.element(c).is_some_and(|ce| is_block(&ce.name)) {
                    page.stats[i].direct += own_plain(page, c);
                }
            }
        }
    }
}

/// Text outside links in `i`'s inline content (not in its child blocks or chrome).
fn own_plain(page: &Page, i: usize) -> usize {
    page.tree
        .children(i)
        .iter()
        .map(|&c| match page.tree.element(c) {
            Some(ce) if is_block(&ce.name) || page.is_chrome(c) => 0,
            Some(_) => own_plain(page, c),
            None => page.stats[c].plain,
        })
        .sum()
}

fn is_block(name: &str) -> bool {
    BLOCK.contains(&name)
}

/// The element holding the article, if one holds at least three quarters of the page's text
/// outside links and chrome.
fn article(page: &Page) -> Option<usize> {
    let tree = page.tree;
    let mut parent = vec![usize::MAX; tree.nodes.len()];
    for (i, n) in tree.nodes.iter().enumerate() {
        if let Node::Element(e) = n {
            for &c in &e.children {
                parent[c] = i;
            }
        }
    }
    // A table's rows and cells hold its text for the table: walk up through them.
    let mut credit = vec![0usize; tree.nodes.len()];
    for (i, s) in page.stats.iter().enumerate() {
        if s.direct == 0 {
            continue;
        }
        let mut holder = i;
        while let Some(e) = tree.element(holder) {
            let p = parent[holder];
            let in_table = matches!(
                e.name.as_str(),
                "tr" | "tbody" | "thead" | "tfoot" | "td" | "th"
            );
            if !in_table || p == usize::MAX {
                break;
            }
            holder = p;
        }
        credit[holder] += s.direct;
    }
    let best = (1..tree.nodes.len()).max_by_key(|&i| (credit[i], std::cmp::Reverse(i)))?;
    let total = page.stats[0].plain;
    (credit[best] > 0 && page.stats[best].plain * 4 >= total * 3).then_some(best)
}

/// The first `<h1>` outside the article and outside chrome (a site's logo is often an `<h1>`
/// in its header).
fn first_h1_outside(page: &Page, i: usize, article: usize) -> Option<usize> {
    if i == article || i != 0 && page.is_chrome(i) {
        return None;
    }
    let e = page.tree.element(i)?;
    if e.name == "h1" {
        return Some(i);
    }
    e.children
        .iter()
        .find_map(|&c| first_h1_outside(page, c, article))
}

fn first_h1_text(page: &Page, i: usize) -> Option<String> {
    if i != 0 && page.is_chrome(i) {
        return None;
    }
    let e = page.tree.element(i)?;
    if e.name == "h1" {
        let mut out = Layout::default();
        layout(page, i, true, &mut out);
        return Some(out.text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    e.children.iter().find_map(|&c| first_h1_text(page, c))
}

// ---------------------------------------------------------------- layout

#[derive(Default)]
struct Layout {
    text: String,
    /// Where the current line starts in `text`.
    line_start: usize,
    /// A collapsed whitespace run is pending before the next character.
    space: bool,
    /// The pending run holds a source line break.
    segment_break: bool,
    /// Inside `<pre>`.
    pre: usize,
}

impl Layout {
    fn line_is_empty(&self) -> bool {
        self.text[self.line_start..].trim().is_empty()
    }

    fn end_line(&mut self) {
        self.text.push('\n');
        self.line_start = self.text.len();
        self.space = false;
        self.segment_break = false;
    }

    /// Starts a new line unless the current one is empty.
    fn block_boundary(&mut self) {
        if !self.line_is_empty() {
            self.end_line();
        } else {
            self.text.truncate(self.line_start);
            self.space = false;
            self.segment_break = false;
        }
    }

    /// A blank line (an empty block, a `<br>` on an empty line).
    fn blank(&mut self) {
        self.block_boundary();
        self.end_line();
    }

    fn push_text(&mut self, t: &str) {
        if self.pre > 0 {
            for (k, part) in t.split('\n').enumerate() {
                if k > 0 {
                    self.end_line();
                }
                self.text
                    .push_str(&part.trim_end_matches('\r').replace('\u{a0}', " "));
            }
            return;
        }
        for c in t.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.space = true;
                self.segment_break |= matches!(c, '\n' | '\r');
                continue;
            }
            if self.space {
                // A collapsed run is one space, none at the start of a line, and none when it
                // holds a source line break between two CJK characters (CSS Text 3: segment
                // breaks vanish between Chinese characters).
                let prev = self.text[self.line_start..].chars().next_back();
                if let Some(p) = prev {
                    if !(self.segment_break && is_cjk(p) && is_cjk(c)) {
                        self.text.push(' ');
                    }
                }
                self.space = false;
                self.segment_break = false;
            }
            // A no-break space is a space that does not collapse.
            self.text.push(if c == '\u{a0}' { ' ' } else { c });
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3134F)
}

/// Lays out element `i`. Inside the article (`in_article`) only chrome tags (not `header` or
/// `footer`, which articles use for their own title and signature) and roles are left out;
/// outside it class words and blocks that are mostly links are too.
fn layout(page: &Page, i: usize, in_article: bool, out: &mut Layout) {
    let e = match &page.tree.nodes[i] {
        Node::Text(t) => {
            out.push_text(t);
            return;
        }
        Node::Element(e) => e,
    };
    let block = is_block(&e.name);
    let chrome = if in_article {
        page.is_chrome_in_article(i)
    } else {
        i != page.root && (page.is_chrome(i) || block && page.is_link_list(i))
    };
    if chrome {
        return;
    }
    match e.name.as_str() {
        "br" => {
            if out.line_is_empty() {
                out.blank();
            } else {
                out.end_line();
            }
            return;
        }
        "hr" => {
            out.block_boundary();
            return;
        }
        _ => {}
    }
    if !block {
        for &c in &e.children {
            layout(page, c, in_article, out);
        }
        return;
    }
    out.block_boundary();
    let before = out.text.len();
    if e.name == "pre" {
        out.pre += 1;
    }
    for &c in &e.children {
        layout(page, c, in_article, out);
    }
    if e.name == "pre" {
        out.pre -= 1;
    }
    let produced = out.text[before..].contains('\n') || !out.line_is_empty();
    if !produced && matches!(e.name.as_str(), "p" | "div" | "li" | "dd" | "center") {
        out.blank();
    } else {
        out.block_boundary();
    }
}

#[cfg(test)]
mod tests;
