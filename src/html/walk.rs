//! The one walk over a parsed page: visible text into lines, each line with its
//! `BlockContext`, block-level elements into `ElementInfo`s, metadata into a `MetaCollector`.
//!
//! The walk is iterative (first child, next sibling, parent), so nesting depth costs no
//! stack. Text is appended to one line buffer with white space collapsed, and a line ends at
//! every block boundary; lines are copied into the page text as they end, so the walk
//! allocates per line of text, not per node. Elements that are never visible (scripts,
//! styles, templates, SVG, `hidden`) are not descended into.

use scraper::{ElementRef, Html, Node, Selector};

/// A node of the parsed page.
type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

use super::meta::MetaCollector;
use super::{boilerplate, flags, BlockContext, ElementInfo, HtmlFacts, NONE};

/// A selector rule to match during the walk.
pub struct SelectorRule<'a> {
    /// The rule's index in its `RuleSet`.
    pub rule: usize,
    pub selector: &'a Selector,
    /// The rule's `sites`; empty for every site.
    pub sites: &'a [String],
}

/// The page text and what the walk learnt about it.
#[derive(Debug)]
pub struct Extracted {
    /// The visible text, one line per block, each ending in a line feed.
    pub text: String,
    pub facts: HtmlFacts,
}

/// How the walk treats an element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Never visible: not descended into.
    Hidden,
    /// Starts and ends a line.
    Block,
    /// A line break.
    Break,
    /// Part of the line around it.
    Inline,
}

/// What the walk knows about an open element.
#[derive(Clone, Copy)]
struct Open {
    kind: Kind,
    /// The innermost recorded block element at or above this one.
    element: u32,
    flags: u32,
    heading: u8,
    boiler_element: u32,
    selector_rule: u32,
    link: bool,
}

impl Open {
    /// The document itself: inside nothing.
    const ROOT: Open = Open {
        kind: Kind::Inline,
        element: NONE,
        flags: 0,
        heading: 0,
        boiler_element: NONE,
        selector_rule: 0,
        link: false,
    };
}

struct Walker<'r> {
    text: String,
    line: String,
    pending_space: bool,
    chars: u32,
    link_chars: u32,
    /// The context of the line being built, taken when its first text arrives.
    line_context: Option<BlockContext>,
    facts: HtmlFacts,
    meta: MetaCollector,
    selectors: &'r [SelectorRule<'r>],
    site: Option<String>,
    /// The selector rules for this page's site, chosen when the body starts (the canonical
    /// URL in the head may be what tells the site).
    active: Option<Vec<usize>>,
    stack: Vec<Open>,
}

/// Walks a page's markup. `site` is the document's host when the input says it.
pub fn extract(markup: &str, selectors: &[SelectorRule<'_>], site: Option<&str>) -> Extracted {
    let html = Html::parse_document(markup);
    let mut walker = Walker {
        text: String::with_capacity(markup.len() / 4),
        line: String::new(),
        pending_space: false,
        chars: 0,
        link_chars: 0,
        line_context: None,
        facts: HtmlFacts::default(),
        meta: MetaCollector::default(),
        selectors,
        site: site.map(str::to_string),
        active: None,
        stack: Vec::with_capacity(64),
    };
    walker.walk(&html);
    walker.flush();
    let (meta, body) = walker.meta.finish();
    walker.facts.meta = meta;
    if let Some(body) = body {
        let mut hashes = Vec::new();
        super::shingles(&body, |h| hashes.push(h));
        hashes.sort_unstable();
        hashes.dedup();
        walker.facts.body_shingles = hashes;
    }
    Extracted {
        text: walker.text,
        facts: walker.facts,
    }
}

impl Walker<'_> {
    /// Visits every node in document order. `open` says whether to descend into a node
    /// (and then has pushed its `Open`); every pushed entry is popped by `close` once the
    /// node's children are done.
    fn walk(&mut self, html: &Html) {
        let root = html.tree.root();
        let mut node = root;
        'nodes: loop {
            if self.open(node) {
                if let Some(child) = node.first_child() {
                    node = child;
                    continue;
                }
                self.close();
            }
            loop {
                if node == root {
                    return;
                }
                if let Some(next) = node.next_sibling() {
                    node = next;
                    continue 'nodes;
                }
                match node.parent() {
                    Some(parent) => {
                        node = parent;
                        self.close();
                    }
                    None => return,
                }
            }
        }
    }

    fn open(&mut self, node: NodeRef<'_>) -> bool {
        match node.value() {
            Node::Document | Node::Fragment => {
                self.stack.push(Open::ROOT);
                true
            }
            Node::Text(text) => {
                self.push_text(text);
                false
            }
            Node::Element(_) => match ElementRef::wrap(node) {
                Some(element) => self.open_element(element),
                None => false,
            },
            _ => false,
        }
    }

    fn open_element(&mut self, element: ElementRef<'_>) -> bool {
        let value = element.value();
        let name = value.name();
        let parent = self.stack.last().copied().unwrap_or(Open::ROOT);
        let (mut kind, tag) = classify(name);
        match name {
            "title" => {
                self.meta.title_tag(element.text().collect());
                return false;
            }
            "meta" => {
                let key = value
                    .attr("property")
                    .or_else(|| value.attr("name"))
                    .or_else(|| value.attr("itemprop"));
                if let (Some(key), Some(content)) = (key, value.attr("content")) {
                    self.meta.meta(key, content);
                }
                return false;
            }
            "link" => {
                let canonical = value
                    .attr("rel")
                    .is_some_and(|rel| rel.eq_ignore_ascii_case("canonical"));
                if let (true, Some(href)) = (canonical, value.attr("href")) {
                    self.meta.canonical_link(href);
                }
                return false;
            }
            "script" => {
                let ld = value
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if ld {
                    self.meta.json_ld(element.text().collect());
                }
                return false;
            }
            _ => {}
        }
        if kind == Kind::Hidden {
            return false;
        }
        if kind == Kind::Break {
            self.flush();
            return false;
        }
        // One pass over the attributes.
        let mut own_flags = tag_flags(name);
        let mut boiler = 0u32;
        let mut content_name = false;
        for (attr, text) in value.attrs() {
            match attr {
                "hidden" => return false,
                "style" if hides(text) => return false,
                "class" | "id" => {
                    let names = name_words(text);
                    boiler |= names.boiler;
                    content_name |= names.content;
                    // A paragraph, heading or list that names the paywall is the story's
                    // text that the wall hides from readers who have not paid (the page
                    // sends all of it, and a script hides it), not the wall, whose notice
                    // is a box of its own.
                    if names.paywall && !is_text_element(name) {
                        boiler |= boilerplate::OVERLAY;
                    }
                }
                "itemprop"
                    if text
                        .split_ascii_whitespace()
                        .any(|p| p.eq_ignore_ascii_case("articleBody")) =>
                {
                    own_flags |= flags::BODY_PROP;
                }
                "role" => own_flags |= role_flags(text),
                _ => {}
            }
        }
        if content_name {
            own_flags |= flags::CONTENT_NAME;
        }
        if own_flags & flags::CHROME != 0 && parent.flags & flags::ARTICLE_LIKE == 0 {
            own_flags |= flags::CHROME_OUTSIDE;
        }
        let mut selector_rule = parent.selector_rule;
        if selector_rule == 0 && !self.selectors.is_empty() && name != "html" && name != "head" {
            if let Some(rule) = self.matching_selector(element) {
                selector_rule = rule as u32 + 1;
                kind = Kind::Block;
            }
        }
        // An element that names boilerplate gets lines of its own, so a share button inside
        // a paragraph's container can go without the paragraph.
        if boiler != 0 {
            kind = Kind::Block;
        }
        let heading = match tag.as_bytes() {
            [b'h', level @ b'1'..=b'6'] => level - b'0',
            _ => parent.heading,
        };
        let mut open = Open {
            kind,
            element: parent.element,
            flags: parent.flags | own_flags,
            heading,
            boiler_element: parent.boiler_element,
            selector_rule,
            link: parent.link || name == "a",
        };
        if kind == Kind::Block {
            self.flush();
            let index = self.facts.elements.len() as u32;
            self.facts.elements.push(ElementInfo {
                parent: parent.element,
                tag,
                flags: open.flags,
                boiler,
                content_name: content_name || own_flags & flags::BODY_PROP != 0,
            });
            open.element = index;
            if boiler != 0 {
                open.boiler_element = index;
            }
        }
        self.stack.push(open);
        true
    }

    fn close(&mut self) {
        if let Some(open) = self.stack.pop() {
            if open.kind == Kind::Block {
                self.flush();
            }
        }
    }

    /// The first selector rule (for this page's site) whose selector matches the element.
    fn matching_selector(&mut self, element: ElementRef<'_>) -> Option<usize> {
        if self.active.is_none() {
            let site = self
                .site
                .clone()
                .or_else(|| self.meta.url_so_far().and_then(crate::input::host_of));
            let active = self
                .selectors
                .iter()
                .enumerate()
                .filter(|(_, s)| crate::rules::on_site(s.sites, site.as_deref()))
                .map(|(k, _)| k)
                .collect();
            self.active = Some(active);
        }
        let active = self.active.as_deref()?;
        active
            .iter()
            .map(|&k| &self.selectors[k])
            .find(|s| s.selector.matches(&element))
            .map(|s| s.rule)
    }

    fn push_text(&mut self, text: &str) {
        let Some(&open) = self.stack.last() else {
            return;
        };
        let preformatted = open.flags & flags::PRE != 0;
        for piece in text.split_inclusive('\n') {
            if piece.starts_with(char::is_whitespace) {
                self.pending_space = true;
            }
            for (k, word) in piece.split_whitespace().enumerate() {
                if k > 0 {
                    self.pending_space = true;
                }
                if self.line_context.is_none() {
                    self.line_context = Some(BlockContext {
                        element: open.element,
                        chars: 0,
                        link_chars: 0,
                        flags: open.flags,
                        heading: open.heading,
                        boiler_element: open.boiler_element,
                        selector_rule: open.selector_rule,
                    });
                } else if self.pending_space {
                    self.line.push(' ');
                }
                self.pending_space = false;
                self.line.push_str(word);
                let chars = word.chars().count() as u32;
                self.chars = self.chars.saturating_add(chars);
                if open.link {
                    self.link_chars = self.link_chars.saturating_add(chars);
                }
            }
            if piece.ends_with(char::is_whitespace) {
                self.pending_space = true;
            }
            if preformatted && piece.ends_with('\n') {
                self.flush();
            }
        }
    }

    /// Ends the current line, if it has text.
    fn flush(&mut self) {
        self.pending_space = false;
        let Some(mut context) = self.line_context.take() else {
            return;
        };
        context.chars = self.chars;
        context.link_chars = self.link_chars;
        self.text.push_str(&self.line);
        self.text.push('\n');
        self.facts.blocks.push(context);
        self.line.clear();
        self.chars = 0;
        self.link_chars = 0;
    }
}

/// How an element is walked, and its tag as a static name for reasons.
fn classify(name: &str) -> (Kind, &'static str) {
    match name {
        "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "title"
        | "meta" | "link" | "object" | "embed" | "canvas" | "select" | "datalist" | "audio"
        | "video" | "picture" | "img" | "input" | "textarea" | "frameset" | "frame" | "noembed"
        | "noframes" => (Kind::Hidden, "hidden"),
        "br" | "hr" => (Kind::Break, "br"),
        "p" => (Kind::Block, "p"),
        "div" => (Kind::Block, "div"),
        "section" => (Kind::Block, "section"),
        "article" => (Kind::Block, "article"),
        "main" => (Kind::Block, "main"),
        "body" => (Kind::Block, "body"),
        "h1" => (Kind::Block, "h1"),
        "h2" => (Kind::Block, "h2"),
        "h3" => (Kind::Block, "h3"),
        "h4" => (Kind::Block, "h4"),
        "h5" => (Kind::Block, "h5"),
        "h6" => (Kind::Block, "h6"),
        "ul" => (Kind::Block, "ul"),
        "ol" => (Kind::Block, "ol"),
        "li" => (Kind::Block, "li"),
        "dl" => (Kind::Block, "dl"),
        "dt" => (Kind::Block, "dt"),
        "dd" => (Kind::Block, "dd"),
        "table" => (Kind::Block, "table"),
        "tr" => (Kind::Block, "tr"),
        "td" => (Kind::Block, "td"),
        "th" => (Kind::Block, "th"),
        "caption" => (Kind::Block, "caption"),
        "blockquote" => (Kind::Block, "blockquote"),
        "pre" => (Kind::Block, "pre"),
        "figure" => (Kind::Block, "figure"),
        "figcaption" => (Kind::Block, "figcaption"),
        "header" => (Kind::Block, "header"),
        "footer" => (Kind::Block, "footer"),
        "nav" => (Kind::Block, "nav"),
        "aside" => (Kind::Block, "aside"),
        "form" => (Kind::Block, "form"),
        "fieldset" => (Kind::Block, "fieldset"),
        "address" => (Kind::Block, "address"),
        "details" => (Kind::Block, "details"),
        "summary" => (Kind::Block, "summary"),
        "dialog" => (Kind::Block, "dialog"),
        "menu" => (Kind::Block, "menu"),
        "center" => (Kind::Block, "center"),
        "button" => (Kind::Block, "button"),
        "label" => (Kind::Inline, "label"),
        "html" => (Kind::Block, "html"),
        _ => (Kind::Inline, "element"),
    }
}

/// The flags an element's tag gives it.
fn tag_flags(name: &str) -> u32 {
    match name {
        "article" => flags::ARTICLE,
        "main" => flags::MAIN,
        "nav" | "aside" | "footer" | "header" | "dialog" | "menu" => flags::CHROME,
        "li" | "dt" | "dd" => flags::LIST_ITEM,
        "td" | "th" => flags::TABLE_CELL,
        "blockquote" => flags::BLOCKQUOTE,
        "pre" => flags::PRE,
        "figure" | "figcaption" => flags::FIGURE,
        "p" => flags::PARAGRAPH,
        "button" | "label" | "option" => flags::CONTROL,
        _ => 0,
    }
}

fn role_flags(role: &str) -> u32 {
    let mut found = 0;
    for role in role.split_ascii_whitespace() {
        if role.eq_ignore_ascii_case("main") {
            found |= flags::MAIN;
        } else if [
            "navigation",
            "banner",
            "contentinfo",
            "complementary",
            "search",
            "dialog",
        ]
        .iter()
        .any(|r| role.eq_ignore_ascii_case(r))
        {
            found |= flags::CHROME;
        }
    }
    found
}

/// An inline style that hides the element.
fn hides(style: &str) -> bool {
    let bytes = style.as_bytes();
    let mut compact = [0u8; 64];
    let mut len = 0;
    for &b in bytes {
        if b.is_ascii_whitespace() {
            continue;
        }
        if len == compact.len() {
            compact.copy_within(1.., 0);
            len -= 1;
        }
        compact[len] = b.to_ascii_lowercase();
        len += 1;
        let seen = &compact[..len];
        if seen.ends_with(b"display:none") || seen.ends_with(b"visibility:hidden") {
            return true;
        }
    }
    false
}

/// What the words of a class or id value say about an element.
#[derive(Debug, Default, PartialEq)]
struct NameWords {
    /// The boilerplate bits of the words.
    boiler: u32,
    /// A word names content ("article-body").
    content: bool,
    /// A word names the paywall, which says something only together with the element's
    /// tag (see `Walker`'s use of it).
    paywall: bool,
}

/// A paragraph, heading or list: an element that holds text, not boxes.
fn is_text_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "li" | "blockquote"
    )
}

/// What the words of a class or id value say: their boilerplate bits, whether a content
/// word is among them, and whether one names the paywall. Words are split at anything not
/// a letter or digit and compared lower-case; a long word also counts at the start of a
/// longer one ("sharebar", "comments").
fn name_words(value: &str) -> NameWords {
    let mut bits = 0;
    let mut content = false;
    let mut embed = false;
    let mut paywall = false;
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() || word.len() > 24 {
            continue;
        }
        let mut buffer = [0u8; 24];
        let lower = &mut buffer[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        let Ok(word) = std::str::from_utf8(lower) else {
            continue;
        };
        bits |= boilerplate_word(word);
        paywall |= word == "paywall";
        embed |= word.starts_with("embed") || word == "tweet";
        content |=
            CONTENT_WORDS.contains(&word) || CONTENT_PREFIXES.iter().any(|w| word.starts_with(w));
    }
    // An embedded social post ("social-media-embed", "twitter-tweet") is article content
    // that a reporter quotes, not a share bar.
    if embed {
        bits &= !boilerplate::SHARE;
    }
    NameWords {
        boiler: bits,
        content,
        paywall,
    }
}

const CONTENT_WORDS: &[&str] = &["content", "story", "body", "text", "entry", "post", "prose"];
const CONTENT_PREFIXES: &[&str] = &["article", "storybody", "postbody", "entrycontent"];

fn boilerplate_word(word: &str) -> u32 {
    use boilerplate::*;
    let exact = match word {
        "ad" | "ads" | "advert" | "adv" | "dfp" | "gpt" | "sponsored" | "sponsor" => AD,
        "nav" | "menu" | "breadcrumb" | "breadcrumbs" | "skip" | "pagination" | "pager" => {
            NAVIGATION
        }
        "tag" | "tags" | "topics" | "keywords" => TAGS,
        "bio" | "byline" | "author" | "authors" | "contributor" => BYLINE,
        "date" | "time" | "timestamp" | "dateline" | "published" | "updated" => DATE,
        "caption" | "credit" | "credits" | "figcaption" => CAPTION,
        "more" | "popular" | "trending" | "recirc" | "outbrain" | "taboola" => RECOMMENDED,
        "header" | "masthead" | "topbar" => HEADER,
        "footer" => FOOTER,
        "modal" | "popup" | "overlay" | "cookie" | "cookies" | "consent" | "gdpr" => OVERLAY,
        "sr" | "sronly" | "visuallyhidden" | "screenreader" => SCREEN_READER,
        _ => 0,
    };
    if exact != 0 {
        return exact;
    }
    const PREFIXES: &[(&str, u32)] = &[
        ("related", RELATED),
        ("share", SHARE),
        ("sharing", SHARE),
        ("social", SHARE),
        ("comment", COMMENT),
        ("disqus", COMMENT),
        ("promo", PROMO),
        ("newsletter", NEWSLETTER),
        ("subscri", NEWSLETTER),
        ("signup", NEWSLETTER),
        ("sidebar", SIDEBAR),
        ("navigation", NAVIGATION),
        ("navbar", NAVIGATION),
        ("breadcrumb", NAVIGATION),
        ("advert", AD),
        ("recommend", RECOMMENDED),
        ("trending", RECOMMENDED),
        ("popular", RECOMMENDED),
        ("widget", WIDGET),
        ("footer", FOOTER),
        ("caption", CAPTION),
        ("byline", BYLINE),
        ("timestamp", DATE),
        ("cookie", OVERLAY),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| word.starts_with(prefix))
        .map_or(0, |(_, bit)| *bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(markup: &str) -> Vec<String> {
        extract(markup, &[], None)
            .text
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn blocks_become_lines_and_hidden_text_none() {
        let page = "<html><head><title>T</title><style>p{}</style></head><body>\
            <nav><a href=/>Home</a> <a href=/w>World</a></nav>\
            <article><h1>Head  line</h1><p>First <b>para</b>\ngraph.</p><p>Second<br>line</p>\
            <script>var x = '<p>no</p>';</script><div hidden>secret</div></article></body></html>";
        assert_eq!(
            lines(page),
            [
                "Home World",
                "Head line",
                "First para graph.",
                "Second",
                "line"
            ]
        );
    }

    #[test]
    fn contexts_know_links_containers_and_names() {
        let page = "<body><nav><a href=/>Home</a></nav><article><p>Text <a href=/x>link</a></p>\
            <div class='share-tools'>Share this</div></article></body>";
        let extracted = extract(page, &[], None);
        let blocks = &extracted.facts.blocks;
        assert_eq!(blocks.len(), 3);
        assert!(blocks[0].has(flags::CHROME_OUTSIDE));
        assert_eq!(blocks[0].link_density(), 1.0);
        assert!(blocks[1].has(flags::ARTICLE) && blocks[1].has(flags::PARAGRAPH));
        assert_eq!((blocks[1].chars, blocks[1].link_chars), (8, 4));
        let boiler = blocks[2].boiler_element;
        assert_ne!(boiler, NONE);
        assert_eq!(
            extracted.facts.elements[boiler as usize].boiler,
            boilerplate::SHARE
        );
    }

    #[test]
    fn a_paragraph_behind_the_paywall_is_text_and_the_wall_is_an_overlay() {
        let page = "<body><article><p>First paragraph.</p>\
            <p class='paywall'>Second paragraph, which the wall hides.</p>\
            <h2 class='paywall'>A subheading</h2></article>\
            <div class='paywall'>Subscribe to keep reading</div></body>";
        let extracted = extract(page, &[], None);
        let blocks = &extracted.facts.blocks;
        assert_eq!(blocks.len(), 4);
        for block in &blocks[..3] {
            assert_eq!(block.boiler_element, NONE);
        }
        let wall = blocks[3].boiler_element;
        assert_ne!(wall, NONE);
        assert_eq!(
            extracted.facts.elements[wall as usize].boiler,
            boilerplate::OVERLAY
        );
    }

    #[test]
    fn class_words() {
        assert_eq!(name_words("post-share-buttons").boiler, boilerplate::SHARE);
        assert_eq!(name_words("relatedStories").boiler, boilerplate::RELATED);
        assert_eq!(
            name_words("header-ad").boiler,
            boilerplate::HEADER | boilerplate::AD
        );
        assert_eq!(name_words("shadow read-time").boiler, boilerplate::DATE);
        assert!(name_words("article-body").content);
        assert_eq!(name_words("social-media-embed").boiler, 0);
        assert_eq!(name_words("loaded"), NameWords::default());
        let paywall = name_words("paywall-prompt");
        assert!(paywall.paywall && paywall.boiler == 0);
    }

    #[test]
    fn inline_styles_that_hide() {
        assert!(hides("color: red; display : none"));
        assert!(hides("VISIBILITY:hidden"));
        assert!(!hides("display:block"));
    }
}
