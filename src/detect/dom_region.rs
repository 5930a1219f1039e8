//! DOM region: on a page read from HTML, the article is the element whose lines score
//! highest together. Each kept line gets a score from its text (long prose scores by
//! length, short lines and link lines cost a point) and from its markup (lines inside nav,
//! aside, footer or header, or under a class or id naming chrome such as "related",
//! "share" or "comment", cost more; lines the page's JSON-LD `articleBody` holds score
//! more). Scores are summed up the element tree, and the element with the largest sum is the
//! article container (the best subtree, as the content-region detector finds the best
//! stretch of a page dump). Every line outside it goes.
//!
//! Negative scores count only `negative_weight` times (teasers and nav lines in full): an
//! article holds bylines, subheadings and product boxes, which must not outweigh its prose.
//! The page's own word comes next: an `<article>` or articleBody element inside the best
//! element that holds most of its score is taken instead (the best element also held
//! teasers or comments), and of several `<article>`s that each score as one (a page that
//! appends the next stories), the one whose heading repeats the page title, else the first.
//!
//! Last, a child of the chosen element that holds nearly all of its prose (`inner_share`)
//! is taken instead, and so on down, so a teaser box or an author note beside the article
//! body does not come along.
//!
//! A class name such as "has-comments" on `<body>` would mark the whole page as chrome, so
//! an element that names chrome but holds most of the page's prose is taken for a wrapper
//! and its name ignored. `dom_boilerplate` then cleans inside the container.

use serde::Deserialize;
use std::sync::Arc;

use crate::document::Verdict;
use crate::html::{boilerplate, flags, HtmlFacts, NONE};
use crate::judge::Page;

use super::Detector;

pub const ID: &str = "detect.dom-region";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A prose line has at least this many words.
    pub min_prose_words: usize,
    /// A prose line scores one point per this many characters.
    pub chars_per_point: f64,
    /// Longest contribution of one line.
    pub max_line_points: f64,
    /// What a short link line (a menu item, a teaser link) costs.
    pub short_line_penalty: f64,
    /// What a short line of plain text costs: article subheadings, list items and bylines
    /// are such lines as often as chrome labels are.
    pub plain_line_penalty: f64,
    /// A line with at least this share of link text is a link, not prose.
    pub max_link_density: f64,
    /// What a line inside nav, aside, footer or header costs, at least.
    pub chrome_penalty: f64,
    /// What a line under a class or id naming chrome costs, at least.
    pub name_penalty: f64,
    /// An element naming chrome that holds at least this share of the page's prose is a
    /// wrapper, and its name is ignored.
    pub wrapper_share: f64,
    /// A line whose word trigrams are at least this share in the JSON-LD `articleBody` is
    /// article text.
    pub body_match_share: f64,
    /// What such a line scores on top of its text.
    pub body_match_points: f64,
    /// An `<article>` or articleBody element inside the best element is chosen instead when
    /// it holds at least this share of the best element's score.
    pub marked_share: f64,
    /// A child of the chosen element that holds at least this share of its prose (positive
    /// score) is chosen instead, and so on down.
    pub inner_share: f64,
    /// Negative line scores count this much towards an element's sum: an article holds
    /// bylines, product boxes and share links, which should weigh less than its prose.
    pub negative_weight: f64,
    /// The container must score at least this much, or the page is left alone.
    pub min_region_points: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_prose_words: 10,
            chars_per_point: 40.0,
            max_line_points: 25.0,
            short_line_penalty: 1.0,
            plain_line_penalty: 0.2,
            max_link_density: 0.5,
            chrome_penalty: 2.0,
            name_penalty: 2.0,
            wrapper_share: 0.6,
            body_match_share: 0.5,
            body_match_points: 3.0,
            min_region_points: 4.0,
            negative_weight: 0.15,
            marked_share: 0.6,
            inner_share: 0.8,
        }
    }
}

/// The class and id words that count against a container choice; the others (byline,
/// date, caption, tags...) sit inside articles and are `dom_boilerplate`'s business.
const CHROME_NAMES: u32 = boilerplate::RELATED
    | boilerplate::SHARE
    | boilerplate::COMMENT
    | boilerplate::PROMO
    | boilerplate::NEWSLETTER
    | boilerplate::SIDEBAR
    | boilerplate::NAVIGATION
    | boilerplate::FOOTER
    | boilerplate::HEADER
    | boilerplate::AD
    | boilerplate::RECOMMENDED
    | boilerplate::WIDGET
    | boilerplate::OVERLAY;

pub struct DomRegion {
    config: Config,
}

/// The chosen article container of a page.
struct Container {
    element: u32,
    points: f64,
}

impl DomRegion {
    pub fn new(config: Config) -> DomRegion {
        DomRegion { config }
    }

    /// The text score of a kept line and a word for why.
    fn text_score(&self, page: &Page<'_>, i: usize) -> f64 {
        let features = &page.features[i];
        let text = page.trimmed(i);
        let chars = features.chars;
        // Chinese, Japanese, Thai and Burmese do not space their words: their characters
        // count for the words they make.
        let words = usize::from(features.words.max(features.unspaced_words));
        let points = (chars as f64 / self.config.chars_per_point).min(self.config.max_line_points);
        if features.truncated {
            return -self.config.short_line_penalty;
        }
        if words >= self.config.min_prose_words {
            if features.sentence || ends_clause(text) {
                return points;
            }
            return points / 2.0;
        }
        if features.sentence {
            return 0.5;
        }
        -self.config.plain_line_penalty
    }

    /// Chooses the container among the kept lines of an HTML page.
    fn container(&self, page: &Page<'_>, verdicts: &[Verdict]) -> Option<Container> {
        let facts = page.doc.html.as_deref()?;
        let lines: Vec<usize> = page
            .text_blocks
            .iter()
            .copied()
            .filter(|&i| verdicts[i].is_keep() && page.html_context(i).is_some())
            .collect();
        if lines.is_empty() || facts.elements.is_empty() {
            return None;
        }
        // Each line's score, and the part of it that counts only `negative_weight` times.
        let mut scores: Vec<f64> = Vec::with_capacity(lines.len());
        let mut discounted: Vec<bool> = Vec::with_capacity(lines.len());
        for &i in &lines {
            let Some(context) = page.html_context(i) else {
                scores.push(0.0);
                discounted.push(false);
                continue;
            };
            let mut score = self.text_score(page, i);
            let mut discount = score < 0.0 && !page.features[i].truncated;
            if context.link_density() >= self.config.max_link_density {
                score = -self.config.short_line_penalty;
            }
            if context.has(flags::CHROME) {
                score = score.min(0.0) - self.config.chrome_penalty;
                discount = false;
            }
            if let Some(share) = facts.body_share(&page.blocks[i].text) {
                if share >= self.config.body_match_share {
                    score = score.max(0.0) + self.config.body_match_points;
                    discount = false;
                }
            }
            scores.push(score);
            discounted.push(discount);
        }
        // First the positive mass of every element, to tell wrappers from chrome.
        let mut positive = vec![0.0f64; facts.elements.len()];
        for (k, &i) in lines.iter().enumerate() {
            if let Some(context) = page.html_context(i) {
                if context.element != NONE {
                    positive[context.element as usize] += scores[k].max(0.0);
                }
            }
        }
        sum_up(facts, &mut positive);
        let total: f64 = roots(facts).map(|e| positive[e]).sum();
        let wrappers: Vec<u32> = (0..facts.elements.len())
            .filter(|&e| {
                facts.elements[e].boiler & CHROME_NAMES != 0
                    && positive[e] >= self.config.wrapper_share * total
            })
            .map(|e| e as u32)
            .collect();
        let mut sums = vec![0.0f64; facts.elements.len()];
        for (k, &i) in lines.iter().enumerate() {
            let Some(context) = page.html_context(i) else {
                continue;
            };
            let mut score = scores[k];
            let mut discount = discounted[k];
            if self.named_chrome(facts, context.boiler_element, &wrappers) {
                score = score.min(0.0) - self.config.name_penalty;
                discount = true;
            }
            if discount {
                score *= self.config.negative_weight;
            }
            if context.element != NONE {
                sums[context.element as usize] += score;
            }
        }
        sum_up(facts, &mut sums);
        // Ties go to the innermost element: an ancestor that adds nothing is no better.
        let mut best: Option<(u32, f64)> = None;
        for (e, &sum) in sums.iter().enumerate() {
            if best.is_none_or(|(_, b)| sum >= b) {
                best = Some((e as u32, sum));
            }
        }
        let (mut element, mut points) = best?;
        if let Some(article) = self.first_of_several_articles(page, &lines, facts, &sums, element) {
            element = article;
            points = sums[article as usize];
        } else if let Some(inner) = self.marked_article_inside(facts, &sums, element) {
            element = inner;
            points = sums[inner as usize];
        }
        // A child that holds nearly all of the container's prose is the article; what the
        // container adds around it (a teaser box, an author note) is not.
        loop {
            let inner = (element as usize + 1..facts.elements.len()).find(|&c| {
                facts.elements[c].parent == element
                    && positive[c] >= self.config.inner_share * positive[element as usize]
            });
            match inner {
                Some(c) => {
                    element = c as u32;
                    points = sums[c];
                }
                None => break,
            }
        }
        (points >= self.config.min_region_points).then_some(Container { element, points })
    }

    /// An element inside the best one that the page marks as its article (`<article>`,
    /// `itemprop="articleBody"`) and that holds at least `marked_share` of the best one's
    /// score: the page's own word beats a wrapper that also holds teasers or comments.
    fn marked_article_inside(&self, facts: &HtmlFacts, sums: &[f64], best: u32) -> Option<u32> {
        let mut found: Option<u32> = None;
        for e in best as usize + 1..facts.elements.len() {
            let info = &facts.elements[e];
            let marked =
                info.tag == "article" || info.flags & flags::BODY_PROP != 0 && info.content_name;
            if !marked || !facts.is_within(e as u32, best) {
                continue;
            }
            if found.is_none_or(|f| sums[e] > sums[f as usize]) {
                found = Some(e as u32);
            }
        }
        let found = found?;
        (sums[found as usize] >= self.config.marked_share * sums[best as usize]).then_some(found)
    }

    /// When the best element holds several `<article>` elements that each score as an
    /// article (a page that appends the next stories as you scroll, or a list of posts), the
    /// page's own article: the one whose heading repeats the page title, else the first.
    fn first_of_several_articles(
        &self,
        page: &Page<'_>,
        lines: &[usize],
        facts: &HtmlFacts,
        sums: &[f64],
        best: u32,
    ) -> Option<u32> {
        let articles: Vec<u32> = (best as usize + 1..facts.elements.len())
            .map(|e| e as u32)
            .filter(|&e| {
                let info = &facts.elements[e as usize];
                info.tag == "article"
                    && sums[e as usize] >= self.config.min_region_points
                    && facts.is_within(e, best)
                    && !outer_article_between(facts, info.parent, best)
            })
            .collect();
        if articles.len() < 2 {
            return None;
        }
        let title = page.doc.title.as_deref().map(str::trim);
        let titled = title.and_then(|title| {
            lines.iter().find_map(|&i| {
                let context = page.html_context(i)?;
                let heading = context.heading;
                let text = page.blocks[i].text.trim();
                if heading == 0 || heading > 2 || text.is_empty() || !title.starts_with(text) {
                    return None;
                }
                articles
                    .iter()
                    .copied()
                    .find(|&a| facts.is_within(context.element, a))
            })
        });
        titled.or(articles.first().copied())
    }

    /// Whether the boilerplate-named element around a line (`boiler_element`), or one of
    /// its ancestors, names chrome and is not a wrapper.
    fn named_chrome(&self, facts: &HtmlFacts, boiler_element: u32, wrappers: &[u32]) -> bool {
        let mut e = boiler_element;
        while e != NONE {
            let info = &facts.elements[e as usize];
            if info.boiler & CHROME_NAMES != 0 && !wrappers.contains(&e) {
                return true;
            }
            e = info.parent;
        }
        false
    }
}

/// Whether an `<article>` lies between `element` (inclusive) and `outer` (exclusive).
fn outer_article_between(facts: &HtmlFacts, mut element: u32, outer: u32) -> bool {
    while element != NONE && element != outer {
        let info = &facts.elements[element as usize];
        if info.tag == "article" {
            return true;
        }
        element = info.parent;
    }
    false
}

/// Adds every element's sum into its parent's; parents come before children.
fn sum_up(facts: &HtmlFacts, sums: &mut [f64]) {
    for e in (0..facts.elements.len()).rev() {
        let parent = facts.elements[e].parent;
        if parent != NONE {
            sums[parent as usize] += sums[e];
        }
    }
}

fn roots(facts: &HtmlFacts) -> impl Iterator<Item = usize> + '_ {
    (0..facts.elements.len()).filter(|&e| facts.elements[e].parent == NONE)
}

/// A long line that ends in a clause mark (":" or ";") reads as prose too.
fn ends_clause(text: &str) -> bool {
    text.ends_with([':', ';'])
}

impl Detector for DomRegion {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        let Some(facts) = page.doc.html.as_deref() else {
            return;
        };
        let Some(container) = self.container(page, verdicts) else {
            return;
        };
        let tag = facts.elements[container.element as usize].tag;
        let why: Arc<str> = format!(
            "outside the article container (<{tag}>, {:.1} points)",
            container.points
        )
        .into();
        for (i, verdict) in verdicts.iter_mut().enumerate() {
            if !verdict.is_keep() || page.is_blank(i) {
                continue;
            }
            let Some(context) = page.html_context(i) else {
                continue;
            };
            if !facts.is_within(context.element, container.element) {
                *verdict = Verdict::drop(id, Arc::clone(&why));
            }
        }
    }
}
