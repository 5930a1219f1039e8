//! HTML input: a saved page becomes a `Document` like a text dump, plus what its markup says.
//!
//! The page is decoded (`decode`), rid of script and style bodies (`strip`), guarded against
//! absurd nesting (`nesting`), parsed with
//! `scraper`, and walked once (`walk`): every run of visible text between block boundaries
//! (paragraphs, headings, list items, table cells, line breaks...) becomes one line of the
//! document's `raw` text, so `raw` is the whole-page text a text dump would hold and the
//! judge, the report and the diff work on it exactly as they do on a dump. Beside each line
//! the walk keeps its `BlockContext`: the elements around it (article, nav, headings...),
//! its link text, and the boilerplate words in the class and id names above it. The DOM
//! detectors (`detect::dom_region`, `detect::dom_boilerplate`) judge with those. Text that is
//! never visible (scripts, styles, templates, SVG) produces no line at all.
//!
//! The metadata a page declares (title, canonical URL, site name, publication date, author,
//! from meta tags and JSON-LD) is gathered in the same walk (`meta`).

mod decode;
mod meta;
mod nesting;
mod strip;
mod walk;

pub use decode::{decode, Decoded};
pub use meta::Metadata;
pub use nesting::{limit_nesting, MAX_DEPTH};
pub use strip::strip_scripts;
pub use walk::{extract, Extracted, SelectorRule};

use crate::document::Document;
use crate::rules::RuleSet;

/// Pages larger than this are cut at this size when read (with a warning): a DOM takes
/// many times the bytes of its page, and no news page comes near it.
pub const MAX_PAGE_BYTES: usize = 32 << 20;

/// No element: the root of the element tree, or a block with no boilerplate ancestor.
pub const NONE: u32 = u32::MAX;

/// What the markup says about one line of the page text.
#[derive(Debug, Clone, Copy)]
pub struct BlockContext {
    /// The innermost block-level element around the line (an index into `HtmlFacts::elements`).
    pub element: u32,
    /// Visible characters in the line (white space not counted).
    pub chars: u32,
    /// Of those, the characters inside links.
    pub link_chars: u32,
    /// `flags::*` of the elements around the line.
    pub flags: u32,
    /// Heading level 1 to 6, 0 outside headings.
    pub heading: u8,
    /// The innermost element around the line whose class or id names boilerplate, or `NONE`.
    pub boiler_element: u32,
    /// 1 + the index of the selector rule whose selector matched an element around the line;
    /// 0 when none did.
    pub selector_rule: u32,
}

impl BlockContext {
    /// The share of the line's characters that are link text.
    pub fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            f64::from(self.link_chars) / f64::from(self.chars)
        }
    }

    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

/// One block-level element that holds text, in document order (a parent comes before its
/// children, so sums over subtrees run backwards over this list).
#[derive(Debug, Clone, Copy)]
pub struct ElementInfo {
    /// The parent element's index, `NONE` for the outermost.
    pub parent: u32,
    /// The tag name when it is one the walk knows, else `"element"`.
    pub tag: &'static str,
    /// `flags::*` of this element and those around it.
    pub flags: u32,
    /// `boilerplate::*` words in this element's own class and id.
    pub boiler: u32,
    /// Whether this element's own class, id or itemprop names article content.
    pub content_name: bool,
}

/// Facts about the lines of an HTML page, kept with its `Document`.
#[derive(Debug, Clone, Default)]
pub struct HtmlFacts {
    /// One per line of the document's `raw` text.
    pub blocks: Vec<BlockContext>,
    pub elements: Vec<ElementInfo>,
    pub meta: Metadata,
    /// Sorted hashes of the word trigrams of the page's JSON-LD `articleBody`, when it has one.
    pub body_shingles: Vec<u64>,
}

impl HtmlFacts {
    /// The context of the line with this 1-based number.
    pub fn line(&self, line: usize) -> Option<&BlockContext> {
        self.blocks.get(line.checked_sub(1)?)
    }

    /// Whether element `inner` is `outer` or lies inside it.
    pub fn is_within(&self, mut inner: u32, outer: u32) -> bool {
        while inner != NONE {
            if inner == outer {
                return true;
            }
            inner = self.elements[inner as usize].parent;
        }
        false
    }

    /// The share of a line's word trigrams found in the JSON-LD `articleBody`; `None` when
    /// the page has none or the line has no trigram.
    pub fn body_share(&self, text: &str) -> Option<f64> {
        if self.body_shingles.is_empty() {
            return None;
        }
        let (mut found, mut total) = (0usize, 0usize);
        shingles(text, |hash| {
            total += 1;
            found += usize::from(self.body_shingles.binary_search(&hash).is_ok());
        });
        (total > 0).then(|| found as f64 / total as f64)
    }
}

/// `html` without the byte ranges in `cut` (in order, not overlapping); `html` itself when
/// there are none. The passes that take markup out before parsing share it.
fn without_ranges(html: &str, cut: Vec<std::ops::Range<usize>>) -> std::borrow::Cow<'_, str> {
    if cut.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for range in cut {
        out.push_str(&html[from..range.start]);
        from = range.end;
    }
    out.push_str(&html[from..]);
    std::borrow::Cow::Owned(out)
}

/// The element and line flags.
pub mod flags {
    /// Inside `<article>`.
    pub const ARTICLE: u32 = 1;
    /// Inside `<main>` or `role="main"`.
    pub const MAIN: u32 = 1 << 1;
    /// Inside an element with `itemprop="articleBody"`.
    pub const BODY_PROP: u32 = 1 << 2;
    /// Inside nav, aside, footer, header, dialog, menu, or an element with a
    /// navigation, banner, contentinfo, complementary or search role.
    pub const CHROME: u32 = 1 << 3;
    /// Inside such an element that is itself not inside an article, main or articleBody.
    pub const CHROME_OUTSIDE: u32 = 1 << 4;
    /// Inside a list item.
    pub const LIST_ITEM: u32 = 1 << 5;
    /// Inside a table cell.
    pub const TABLE_CELL: u32 = 1 << 6;
    pub const BLOCKQUOTE: u32 = 1 << 7;
    pub const PRE: u32 = 1 << 8;
    /// Inside `<figure>` or `<figcaption>`.
    pub const FIGURE: u32 = 1 << 9;
    /// Inside a paragraph.
    pub const PARAGRAPH: u32 = 1 << 10;
    /// Inside a button, label, select or option.
    pub const CONTROL: u32 = 1 << 11;
    /// Inside an element whose class, id or itemprop names article content.
    pub const CONTENT_NAME: u32 = 1 << 12;
    /// Any of the article containers.
    pub const ARTICLE_LIKE: u32 = ARTICLE | MAIN | BODY_PROP;
}

/// Words in class and id names that mark page chrome, as bits.
pub mod boilerplate {
    pub const RELATED: u32 = 1;
    pub const SHARE: u32 = 1 << 1;
    pub const COMMENT: u32 = 1 << 2;
    pub const PROMO: u32 = 1 << 3;
    pub const NEWSLETTER: u32 = 1 << 4;
    pub const SIDEBAR: u32 = 1 << 5;
    pub const NAVIGATION: u32 = 1 << 6;
    pub const FOOTER: u32 = 1 << 7;
    pub const HEADER: u32 = 1 << 8;
    pub const AD: u32 = 1 << 9;
    pub const RECOMMENDED: u32 = 1 << 10;
    pub const TAGS: u32 = 1 << 11;
    pub const BYLINE: u32 = 1 << 12;
    pub const CAPTION: u32 = 1 << 13;
    pub const DATE: u32 = 1 << 14;
    pub const WIDGET: u32 = 1 << 15;
    pub const OVERLAY: u32 = 1 << 16;
    pub const SCREEN_READER: u32 = 1 << 17;

    /// The word each bit stands for, for reasons a reviewer reads.
    pub fn name(bits: u32) -> &'static str {
        const NAMES: [&str; 18] = [
            "related",
            "share",
            "comment",
            "promo",
            "newsletter",
            "sidebar",
            "navigation",
            "footer",
            "header",
            "ad",
            "recommended",
            "tags",
            "byline",
            "caption",
            "date",
            "widget",
            "overlay",
            "screen-reader",
        ];
        let first = bits.trailing_zeros() as usize;
        NAMES.get(first).copied().unwrap_or("boilerplate")
    }
}

/// Calls `each` with a hash of every word trigram of `text` (words: runs of alphanumeric
/// characters, lower-cased). Shared by the JSON-LD body and the lines compared with it.
pub fn shingles(text: &str, mut each: impl FnMut(u64)) {
    let mut window = [0u64; 3];
    let mut words = 0usize;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for c in word.chars().flat_map(char::to_lowercase) {
            let mut buffer = [0u8; 4];
            for &b in c.encode_utf8(&mut buffer).as_bytes() {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        window = [window[1], window[2], hash];
        words += 1;
        if words >= 3 {
            each(window[0].rotate_left(42) ^ window[1].rotate_left(21) ^ window[2]);
        }
    }
}

/// Turns a document read from HTML (`markup`) into page text with its facts: `raw` becomes
/// the visible text, one line per block, and the page's metadata fills what the input did
/// not say (title, URL, site). Selector rules that apply to the document's site are matched
/// during the walk.
pub fn prepare(doc: &mut Document, markup: &str, rules: &RuleSet) {
    let selectors: Vec<SelectorRule<'_>> = rules
        .selectors()
        .map(|(rule, selector)| SelectorRule {
            rule,
            selector,
            sites: &rules.rules[rule].def.sites,
        })
        .collect();
    let stripped = strip_scripts(markup);
    let extracted = extract(&limit_nesting(&stripped), &selectors, doc.site.as_deref());
    doc.raw = extracted.text;
    doc.repeated_at = Vec::new();
    let facts = extracted.facts;
    if doc.title.is_none() {
        doc.title = facts.meta.title.clone();
    }
    if doc.url.is_none() {
        doc.url = facts.meta.canonical.clone();
    }
    if doc.site.is_none() {
        doc.site = doc.url.as_deref().and_then(crate::input::host_of);
    }
    doc.html = Some(Box::new(facts));
}

/// `prepare` for every document of a run that is still markup, in parallel.
pub fn prepare_all(documents: &mut [Document], rules: &RuleSet) {
    use rayon::prelude::*;
    documents.par_iter_mut().for_each(|doc| {
        if let Some(markup) = doc.markup.take() {
            prepare(doc, &markup, rules);
        }
    });
}

/// The largest index at most `at` that is a character boundary of `text`.
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}
