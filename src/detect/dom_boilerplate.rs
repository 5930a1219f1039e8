//! DOM boilerplate: what sits inside an HTML page's article container but is not article
//! text: the headline and byline block (`<header>` inside the article, the `<h1>`), share
//! bars, tag lists and related links (`<footer>`, `<aside>` or `<nav>` inside it,
//! or elements whose class or id names them), figure captions, buttons, and lines that are
//! mostly link text. The container is the smallest element that holds every line still
//! kept: after `detect.dom-region`, the article container it chose.

use serde::Deserialize;
use std::sync::Arc;

use crate::document::Verdict;
use crate::html::{boilerplate, flags, HtmlFacts, NONE};
use crate::judge::Page;

use super::Detector;

pub const ID: &str = "detect.dom-boilerplate";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A line with at least this share of link text and fewer than `link_line_words` words
    /// is a link, not article text.
    pub max_link_density: f64,
    pub link_line_words: usize,
    /// Drop the page's `<h1>` inside the container: it is the headline, which the page's
    /// metadata gives as the title.
    pub drop_headline: bool,
    /// Drop figure captions.
    pub drop_captions: bool,
    /// An element whose class or id names chrome but that holds at least this share of the
    /// kept text is a wrapper of the article, and its name is ignored.
    pub wrapper_share: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_link_density: 0.6,
            link_line_words: 20,
            drop_headline: true,
            drop_captions: true,
            wrapper_share: 0.6,
        }
    }
}

pub struct DomBoilerplate {
    config: Config,
}

/// Where the kept text of a page lies.
struct Container {
    element: u32,
    /// Elements naming chrome that hold most of the kept text.
    wrappers: Vec<u32>,
}

impl DomBoilerplate {
    pub fn new(config: Config) -> DomBoilerplate {
        DomBoilerplate { config }
    }

    /// The smallest element holding every kept line, and the chrome-named wrappers.
    fn container(
        &self,
        page: &Page<'_>,
        facts: &HtmlFacts,
        verdicts: &[Verdict],
    ) -> Option<Container> {
        let mut depth = vec![0u32; facts.elements.len()];
        for e in 0..facts.elements.len() {
            let parent = facts.elements[e].parent;
            if parent != NONE {
                depth[e] = depth[parent as usize] + 1;
            }
        }
        let mut chars = vec![0u64; facts.elements.len()];
        let mut common: Option<u32> = None;
        for &i in &page.text_blocks {
            if !verdicts[i].is_keep() {
                continue;
            }
            let Some(context) = page.html_context(i) else {
                continue;
            };
            if context.element == NONE {
                continue;
            }
            chars[context.element as usize] += u64::from(context.chars);
            common = Some(match common {
                None => context.element,
                Some(a) => lowest_common(facts, &depth, a, context.element)?,
            });
        }
        let element = common?;
        for e in (0..facts.elements.len()).rev() {
            let parent = facts.elements[e].parent;
            if parent != NONE {
                chars[parent as usize] += chars[e];
            }
        }
        let total = chars[element as usize] as f64;
        let wrappers = (0..facts.elements.len())
            .filter(|&e| {
                facts.elements[e].boiler != 0
                    && chars[e] as f64 >= self.config.wrapper_share * total
            })
            .map(|e| e as u32)
            .collect();
        Some(Container { element, wrappers })
    }
}

/// The lowest element that holds both `a` and `b`; `None` when they have none in common.
fn lowest_common(facts: &HtmlFacts, depth: &[u32], mut a: u32, mut b: u32) -> Option<u32> {
    while a != b {
        if a == NONE || b == NONE {
            return None;
        }
        if depth[a as usize] >= depth[b as usize] {
            a = facts.elements[a as usize].parent;
        } else {
            b = facts.elements[b as usize].parent;
        }
    }
    (a != NONE).then_some(a)
}

impl Detector for DomBoilerplate {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        let Some(facts) = page.doc.html.as_deref() else {
            return;
        };
        let Some(container) = self.container(page, facts, verdicts) else {
            return;
        };
        let mut reasons: Vec<(&'static str, Arc<str>)> = Vec::new();
        let mut why = |key: &'static str| -> Arc<str> {
            if let Some((_, why)) = reasons.iter().find(|(k, _)| *k == key) {
                return Arc::clone(why);
            }
            let why: Arc<str> = Arc::from(key);
            reasons.push((key, Arc::clone(&why)));
            why
        };
        for (i, verdict) in verdicts.iter_mut().enumerate() {
            if !verdict.is_keep() || page.is_blank(i) {
                continue;
            }
            let Some(context) = page.html_context(i) else {
                continue;
            };
            if !facts.is_within(context.element, container.element) {
                continue;
            }
            // Class and id names inside the container (a name on the container or above it
            // describes the whole article, not this line).
            let mut named = 0;
            let mut e = context.boiler_element;
            while e != NONE && e != container.element && facts.is_within(e, container.element) {
                let info = &facts.elements[e as usize];
                if !container.wrappers.contains(&e) {
                    named |= info.boiler;
                }
                e = info.parent;
            }
            let reason = if named != 0 {
                Some(name_reason(named))
            } else if chrome_inside(facts, context.element, container.element) {
                Some("inside nav, aside, header or footer within the article")
            } else if self.config.drop_headline && context.heading == 1 {
                Some("the headline (the page's metadata gives it as the title)")
            } else if self.config.drop_captions && context.has(flags::FIGURE) {
                Some("figure caption")
            } else if context.has(flags::CONTROL) {
                Some("button or form label")
            } else if context.link_density() >= self.config.max_link_density
                && usize::from(page.features[i].words) < self.config.link_line_words
                && !spells_out_address(&page.blocks[i].text)
            {
                Some("mostly link text")
            } else {
                None
            };
            if let Some(reason) = reason {
                *verdict = Verdict::drop(id, why(reason));
            }
        }
    }
}

/// A link whose text is a web or mail address is a reference the writer spelt out (a source,
/// a contact), not a menu item or a teaser, whose link text is words.
fn spells_out_address(text: &str) -> bool {
    text.contains("://") || text.contains("www.") || text.contains('@')
}

/// Whether a chrome element (nav, aside, header, footer...) lies between a line's
/// element and the container.
fn chrome_inside(facts: &crate::html::HtmlFacts, mut element: u32, container: u32) -> bool {
    while element != NONE && element != container {
        let info = &facts.elements[element as usize];
        let parent_flags = match info.parent {
            NONE => 0,
            parent => facts.elements[parent as usize].flags,
        };
        if info.flags & flags::CHROME != 0 && parent_flags & flags::CHROME == 0 {
            return true;
        }
        element = info.parent;
    }
    false
}

fn name_reason(bits: u32) -> &'static str {
    match boilerplate::name(bits) {
        "related" => "class or id names related links",
        "share" => "class or id names sharing",
        "comment" => "class or id names comments",
        "promo" => "class or id names a promotion",
        "newsletter" => "class or id names a newsletter or subscription",
        "sidebar" => "class or id names a sidebar",
        "navigation" => "class or id names navigation",
        "footer" => "class or id names a footer",
        "header" => "class or id names a header",
        "ad" => "class or id names an advertisement",
        "recommended" => "class or id names recommended stories",
        "tags" => "class or id names tags",
        "byline" => "class or id names the byline",
        "caption" => "class or id names a caption",
        "date" => "class or id names a date",
        "widget" => "class or id names a widget",
        "overlay" => "class or id names an overlay",
        "screen-reader" => "class or id names screen-reader text",
        _ => "class or id names boilerplate",
    }
}
