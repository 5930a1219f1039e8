//! `newsclean rules suggest`: proposes site rules from a corpus of one site's pages, so a
//! user starting on a new site edits a rule file instead of writing one.
//!
//! A line that recurs on many pages of a site and never sits inside the text the cleaner
//! keeps (between its first and last kept line) is the site's chrome: a menu entry, a share
//! prompt, a footer. Lines found on exactly the same pages (the entries of one menu) become one
//! whole-line rule scoped to the site, with a removing example and a keeping one taken from
//! the corpus, so `rules test` checks it. A line inside the article on any page of the site
//! is never proposed, and a line that an existing rule already removes on every
//! page is left out: the proposal adds only what the rules do not already say.

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

use crate::rules::RuleSet;
use crate::Document;

/// A line must be on at least this many pages of its site...
pub const MIN_PAGES: usize = 3;
/// ...and on at least this share of them (in percent).
pub const MIN_SHARE: usize = 20;
/// The shortest article line used as a keeping example, in words.
const EXAMPLE_WORDS: usize = 8;

/// One proposed rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub site: String,
    /// The lines as they appear on the first page that has them, in page order; all on the
    /// same pages.
    pub lines: Vec<String>,
    pub pages: usize,
    pub site_pages: usize,
    /// Bytes the rule would remove from the corpus.
    pub bytes: usize,
    /// An article line kept on a page with the recurring line, for the examples.
    pub article_line: Option<String>,
}

#[derive(Default)]
struct Stat {
    line: String,
    /// Where the line first appears, for ordering a group's lines as on the page.
    first_at: (usize, usize),
    /// The pages (by position in the run) that have the line.
    on: Vec<usize>,
    pages: usize,
    kept_pages: usize,
    by_rule_pages: usize,
    bytes: usize,
    article_line: Option<String>,
}

/// What one page contributes: its distinct lines, each with whether it is inside the article
/// text and whether a rule (not a detector) removed it, and one article line.
struct PageLines {
    site: String,
    lines: Vec<PageLine>,
    article_line: Option<String>,
}

/// A line's key, its text, whether it is inside the article, whether a rule removed it, its
/// bytes on the page, and its first line index.
type PageLine = (String, String, bool, bool, usize, usize);

/// The whole-line key rules match on: trimmed, lower-cased, trailing label marks dropped.
fn key(line: &str) -> String {
    line.trim()
        .trim_end_matches(|c: char| {
            matches!(c, ':' | '.' | '…' | '!' | '»' | '›' | '→' | '>') || c.is_whitespace()
        })
        .to_lowercase()
}

/// Suggests rules for the sites of `documents` (only `site` when given), ranked by the bytes
/// they would remove. `documents` should have been through `RuleSet::prepare`.
pub fn suggest(documents: Vec<Document>, rules: &RuleSet, site: Option<&str>) -> Vec<Suggestion> {
    let rule_ids: HashSet<&str> = rules.rules.iter().map(|r| r.def.id.as_str()).collect();
    let pages: Vec<PageLines> = documents
        .into_par_iter()
        .map(|doc| {
            let site = doc
                .site
                .clone()
                .unwrap_or_else(|| format!("input-{}", doc.input + 1));
            let cleaned = crate::clean_document(doc, rules, None);
            let raw = &cleaned.document.raw;
            // The rule that removed each line, by line number.
            let mut removed_by: HashMap<usize, &str> = HashMap::new();
            for span in &cleaned.removed {
                for n in span.lines[0]..=span.lines[1] {
                    removed_by.insert(n, &span.rule);
                }
            }
            // The article's extent: from the first to the last kept line with text. A line
            // between them is inside the article even when something removed it there.
            let kept_lines: Vec<usize> = raw
                .lines()
                .enumerate()
                .filter(|(i, l)| !l.trim().is_empty() && !removed_by.contains_key(&(i + 1)))
                .map(|(i, _)| i + 1)
                .collect();
            let inside = |n: usize| {
                kept_lines.first().is_some_and(|&first| n >= first)
                    && kept_lines.last().is_some_and(|&last| n <= last)
            };
            let mut seen: HashMap<String, usize> = HashMap::new();
            let mut lines = Vec::new();
            let mut article_line = None;
            for (i, line) in raw.lines().enumerate() {
                let text = line.trim();
                let at = i;
                let k = key(text);
                if k.chars().count() < 2 {
                    continue;
                }
                let rule = removed_by.get(&(i + 1)).copied();
                let in_article = inside(i + 1);
                if rule.is_none()
                    && article_line.is_none()
                    && text.split_whitespace().count() >= EXAMPLE_WORDS
                    && text.ends_with(['.', '!', '?', '"', '”'])
                {
                    article_line = Some(text.to_string());
                }
                match seen.get(&k) {
                    Some(&at) => {
                        // A line kept anywhere on the page is article text of the site.
                        let entry: &mut PageLine = &mut lines[at];
                        entry.2 |= in_article;
                        entry.4 += line.len() + 1;
                    }
                    None => {
                        seen.insert(k.clone(), lines.len());
                        let by_rule = rule.is_some_and(|r| rule_ids.contains(r));
                        lines.push((k, text.to_string(), in_article, by_rule, line.len() + 1, at));
                    }
                }
            }
            PageLines {
                site,
                lines,
                article_line,
            }
        })
        .collect();

    let mut sites: HashMap<&str, (usize, HashMap<&str, Stat>)> = HashMap::new();
    for (n, page) in pages.iter().enumerate() {
        if site.is_some_and(|s| s != page.site) {
            continue;
        }
        let (count, stats) = sites.entry(&page.site).or_default();
        *count += 1;
        for (k, text, kept, by_rule, bytes, at) in &page.lines {
            let stat = stats.entry(k).or_insert_with(|| Stat {
                line: text.clone(),
                first_at: (n, *at),
                ..Stat::default()
            });
            stat.on.push(n);
            stat.pages += 1;
            stat.kept_pages += usize::from(*kept);
            stat.by_rule_pages += usize::from(*by_rule);
            stat.bytes += bytes;
            if stat.article_line.is_none() {
                stat.article_line.clone_from(&page.article_line);
            }
        }
    }
    let mut out = Vec::new();
    for (site, (site_pages, stats)) in sites {
        // Lines on exactly the same pages go together.
        let mut groups: HashMap<Vec<usize>, Vec<Stat>> = HashMap::new();
        for stat in stats.into_values() {
            if stat.pages >= MIN_PAGES
                && stat.pages * 100 >= site_pages * MIN_SHARE
                && stat.kept_pages == 0
                && stat.by_rule_pages < stat.pages
            {
                groups.entry(stat.on.clone()).or_default().push(stat);
            }
        }
        for mut group in groups.into_values() {
            group.sort_by_key(|s| s.first_at);
            out.push(Suggestion {
                site: site.to_string(),
                pages: group[0].pages,
                site_pages,
                bytes: group.iter().map(|s| s.bytes).sum(),
                article_line: group.iter().find_map(|s| s.article_line.clone()),
                lines: group.into_iter().map(|s| s.line).collect(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.bytes
            .cmp(&a.bytes)
            .then_with(|| a.site.cmp(&b.site))
            .then_with(|| a.lines.cmp(&b.lines))
    });
    out
}

/// A rule id part made of the characters ids allow.
fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= max {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "line".to_string()
    } else {
        out
    }
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The suggestions as a rule file for `--rules`.
pub fn to_toml(suggestions: &[Suggestion]) -> String {
    let mut text = String::from(
        "# Rules proposed by `newsclean rules suggest`: lines that recur on many pages of a site\n\
         # and are never kept as article text there. Check each before use; `newsclean rules\n\
         # test --rules FILE` runs their examples.\n",
    );
    let mut ids = HashSet::new();
    for s in suggestions {
        let first = s.lines.first().map_or("", String::as_str);
        let base = format!("site.{}.{}", slug(&s.site, 40), slug(first, 40));
        let mut id = base.clone();
        let mut n = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let phrases: Vec<String> = s.lines.iter().map(|l| quote(l)).collect();
        text.push_str(&format!(
            "\n[[rule]]\nid = {}\ndescription = {}\nmatch.line = [{}]\naction = \"drop\"\nsites = [{}]\n",
            quote(&id),
            quote(&format!(
                "Recurring {} on {}: on {} of {} pages, never in the article text there ({} bytes in the corpus).",
                if s.lines.len() == 1 {
                    "line".to_string()
                } else {
                    format!("block of {} lines", s.lines.len())
                },
                s.site,
                s.pages,
                s.site_pages,
                s.bytes
            )),
            phrases.join(", "),
            quote(&s.site),
        ));
        let article = match &s.article_line {
            Some(line) => line.clone(),
            None => {
                text.push_str("# No article line of the site was found; this one is made up.\n");
                "The council met on Tuesday to discuss the budget.".to_string()
            }
        };
        let mut removing = s.lines.join("\n");
        removing.push('\n');
        text.push_str(&format!(
            "\n[[rule.example]]\ninput = {}\nexpect = {}\n",
            quote(&format!("{removing}{article}\n")),
            quote(&format!("{article}\n")),
        ));
        text.push_str(&format!(
            "\n[[rule.example]]\ninput = {}\n",
            quote(&format!("{article}\n"))
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_keys() {
        assert_eq!(slug("Share this: «now»", 40), "share-this-now");
        assert_eq!(slug("«»", 40), "line");
        assert_eq!(key("  Read more:  "), "read more");
    }
}
