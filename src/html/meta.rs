//! The metadata a page declares about itself, for analysis downstream: title, canonical
//! URL, site name, publication date and author. Taken from `<title>`, `<link
//! rel="canonical">`, meta tags (Open Graph, `article:*`, `author`, Dublin Core, common
//! `date` names) and JSON-LD objects of an article type, JSON-LD first where both say it
//! since it is the most deliberate. JSON-LD `articleBody` is kept too: when a page gives
//! its article text there, the DOM detectors can tell which lines belong to it.

use serde::Serialize;
use serde_json::Value;

/// What a page says about itself. Every field is optional: pages declare what they like.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub canonical: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
}

/// Metadata as the walk meets it, before the sources are ranked.
#[derive(Debug, Default)]
pub(crate) struct MetaCollector {
    title_tag: Option<String>,
    og_title: Option<String>,
    canonical_link: Option<String>,
    og_url: Option<String>,
    site_name: Option<String>,
    published_meta: Option<String>,
    author_meta: Option<String>,
    json_ld: Vec<String>,
}

impl MetaCollector {
    pub(crate) fn title_tag(&mut self, text: String) {
        let text = collapse(&text);
        if self.title_tag.is_none() && !text.is_empty() {
            self.title_tag = Some(text);
        }
    }

    pub(crate) fn canonical_link(&mut self, href: &str) {
        if self.canonical_link.is_none() && is_absolute(href) {
            self.canonical_link = Some(href.trim().to_string());
        }
    }

    /// The page's canonical URL as far as the walk has seen.
    pub(crate) fn url_so_far(&self) -> Option<&str> {
        self.canonical_link.as_deref().or(self.og_url.as_deref())
    }

    /// A `<meta>` tag: its `name`, `property` or `itemprop`, and its `content`.
    pub(crate) fn meta(&mut self, key: &str, content: &str) {
        let content = content.trim();
        if content.is_empty() {
            return;
        }
        let slot = match key.to_ascii_lowercase().as_str() {
            "og:title" | "twitter:title" => &mut self.og_title,
            "og:url" if is_absolute(content) => &mut self.og_url,
            "og:site_name" | "application-name" => &mut self.site_name,
            "article:published_time"
            | "datepublished"
            | "date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.date"
            | "dcterms.created"
            | "sailthru.date"
            | "parsely-pub-date"
            | "og:published_time" => &mut self.published_meta,
            "author" | "article:author" | "dc.creator" | "parsely-author" | "sailthru.author"
            | "byl" => &mut self.author_meta,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(collapse(content));
        }
    }

    pub(crate) fn json_ld(&mut self, text: String) {
        self.json_ld.push(text);
    }

    /// Ranks the sources; returns the metadata and the JSON-LD `articleBody`, if any.
    pub(crate) fn finish(self) -> (Metadata, Option<String>) {
        let mut ld = LdArticle::default();
        for text in &self.json_ld {
            if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
                ld.read(&value);
            }
        }
        let meta = Metadata {
            title: ld.headline.or(self.og_title).or(self.title_tag),
            canonical: self
                .canonical_link
                .or(self.og_url)
                .or(ld.url.filter(|u| is_absolute(u))),
            site_name: self.site_name.or(ld.publisher),
            published: ld.published.or(self.published_meta),
            author: ld.author.or(self.author_meta.filter(|a| !is_absolute(a))),
        };
        (meta, ld.body)
    }
}

/// The first JSON-LD object of an article type, field by field.
#[derive(Default)]
struct LdArticle {
    headline: Option<String>,
    url: Option<String>,
    publisher: Option<String>,
    published: Option<String>,
    author: Option<String>,
    body: Option<String>,
}

impl LdArticle {
    /// Looks through a JSON-LD value (an object, a list, or a `@graph`) without recursion.
    fn read(&mut self, value: &Value) {
        let mut stack = vec![value];
        let mut seen = 0;
        while let Some(value) = stack.pop() {
            seen += 1;
            if seen > 10_000 {
                return;
            }
            match value {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(object) => {
                    if let Some(graph) = object.get("@graph") {
                        stack.push(graph);
                    }
                    if is_article_type(object.get("@type")) {
                        self.take(object);
                    }
                }
                _ => {}
            }
        }
    }

    fn take(&mut self, object: &serde_json::Map<String, Value>) {
        let text = |key: &str| match object.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(collapse(s)),
            _ => None,
        };
        fill(
            &mut self.headline,
            text("headline").or_else(|| text("name")),
        );
        fill(&mut self.published, text("datePublished"));
        fill(
            &mut self.url,
            text("url").or_else(|| match object.get("mainEntityOfPage") {
                Some(Value::String(s)) => Some(s.trim().to_string()),
                Some(Value::Object(o)) => o.get("@id").and_then(Value::as_str).map(str::to_string),
                _ => None,
            }),
        );
        fill(
            &mut self.publisher,
            object.get("publisher").and_then(name_of),
        );
        fill(&mut self.author, object.get("author").and_then(names_of));
        if self.body.is_none() {
            if let Some(Value::String(body)) = object.get("articleBody") {
                if !body.trim().is_empty() {
                    self.body = Some(body.clone());
                }
            }
        }
    }
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn is_article_type(kind: Option<&Value>) -> bool {
    let is_article = |s: &str| s.ends_with("Article") || s.ends_with("Posting") || s == "Report";
    match kind {
        Some(Value::String(s)) => is_article(s),
        Some(Value::Array(kinds)) => kinds.iter().any(|k| k.as_str().is_some_and(is_article)),
        _ => false,
    }
}

/// A name: a string, or an object's `name`.
fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() && !is_absolute(s) => Some(collapse(s)),
        Value::Object(o) => o.get("name").and_then(name_of),
        _ => None,
    }
}

/// Names joined with ", ": one author or a list of them.
fn names_of(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        other => name_of(other),
    }
}

fn is_absolute(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("http://") || url.starts_with("https://")
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_is_preferred_and_graphs_are_searched() {
        let mut collector = MetaCollector::default();
        collector.title_tag("Tab title | Site".into());
        collector.meta("og:title", "Open Graph title");
        collector.meta("author", "Meta Author");
        collector.canonical_link("https://news.example.org/a/1");
        collector.json_ld(
            r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
            {"@type":"NewsArticle","headline":"Ld headline","datePublished":"2024-05-01T10:00:00Z",
             "author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Park"}],
             "publisher":{"name":"The Example"},"articleBody":"Body text here."}]}"#
                .into(),
        );
        let (meta, body) = collector.finish();
        assert_eq!(meta.title.as_deref(), Some("Ld headline"));
        assert_eq!(meta.author.as_deref(), Some("Ann Lee, Bo Park"));
        assert_eq!(meta.published.as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(meta.site_name.as_deref(), Some("The Example"));
        assert_eq!(
            meta.canonical.as_deref(),
            Some("https://news.example.org/a/1")
        );
        assert_eq!(body.as_deref(), Some("Body text here."));
    }

    #[test]
    fn meta_tags_alone() {
        let mut collector = MetaCollector::default();
        collector.title_tag("  Plain   title ".into());
        collector.meta("article:published_time", "2023-01-02");
        collector.meta("author", "https://social.example/someone");
        collector.json_ld("{not json".into());
        let (meta, body) = collector.finish();
        assert_eq!(meta.title.as_deref(), Some("Plain title"));
        assert_eq!(meta.published.as_deref(), Some("2023-01-02"));
        assert_eq!(meta.author, None);
        assert_eq!(body, None);
    }
}
