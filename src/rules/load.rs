//! Reading rule files: TOML into raw structs, then checked definitions.
//!
//! Every mistake a rule author can make is reported with the file, line and column and the
//! id of the rule it sits in, because rule files are written by hand and a message that does
//! not point at the line wastes the author's time. Raw structs deny unknown fields so a typo
//! (`mach.line`, `acton`) is an error rather than a rule that silently never fires.

use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

use super::{Action, Position};

/// A rule file that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFileError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for RuleFileError {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    detector: Vec<RawDetector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    description: Option<String>,
    #[serde(rename = "match")]
    matcher: Option<RawMatch>,
    action: Option<Action>,
    #[serde(rename = "where")]
    position: Option<Position>,
    sites: Option<Spanned<Vec<String>>>,
    enabled: Option<bool>,
    #[serde(default)]
    example: Vec<RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    line: Option<Spanned<Vec<String>>>,
    contains: Option<Spanned<Vec<String>>>,
    regex: Option<Spanned<String>>,
    selector: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDetector {
    id: Spanned<String>,
    description: Option<String>,
    enabled: Option<bool>,
    settings: Option<Spanned<toml::Table>>,
    #[serde(default)]
    example: Vec<RawExample>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExample {
    pub input: String,
    pub expect: Option<String>,
    /// Other pages of the same site, cleaned in the same run as `input`: for detectors
    /// that compare a page with the rest of its site.
    #[serde(default)]
    pub corpus: Vec<String>,
}

/// Where a definition was written: a file and the line of its `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What a rule matches, as written; compiled into automata by `RuleSet`.
#[derive(Debug, Clone, Default)]
pub struct MatchDef {
    pub line: Vec<String>,
    pub contains: Vec<String>,
    pub regex: Option<String>,
    pub selector: Option<String>,
}

/// One checked rule definition.
#[derive(Debug, Clone)]
pub struct RuleDef {
    pub id: String,
    pub description: String,
    pub matcher: MatchDef,
    pub action: Action,
    pub position: Position,
    pub sites: Vec<String>,
    pub enabled: bool,
    pub examples: Vec<RawExample>,
    pub origin: Origin,
}

/// One detector entry: which built-in detector, switched on or off, with its settings.
#[derive(Debug, Clone)]
pub struct DetectorDef {
    pub id: String,
    pub description: String,
    pub enabled: bool,
    pub settings: toml::Table,
    pub examples: Vec<RawExample>,
    pub origin: Origin,
}

/// Everything one rule file defines.
#[derive(Debug, Clone, Default)]
pub struct FileDefs {
    pub rules: Vec<RuleDef>,
    pub detectors: Vec<DetectorDef>,
}

/// Line and column (1-based) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// The id of the `[[rule]]` or `[[detector]]` table that contains `offset`, found by reading
/// the text, so errors that stop the TOML parser can still name the rule.
fn enclosing_id(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let mut table_start = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if pos > offset {
            break;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("[[rule]]") || trimmed.starts_with("[[detector]]") {
            table_start = Some(pos);
        } else if trimmed.starts_with("[[") || trimmed.starts_with('[') {
            // A sub-table like [[rule.example]] stays inside its rule.
            if !(trimmed.starts_with("[[rule.")
                || trimmed.starts_with("[rule.")
                || trimmed.starts_with("[[detector.")
                || trimmed.starts_with("[detector."))
            {
                table_start = None;
            }
        }
        pos += line.len();
    }
    let start = table_start?;
    for line in text[start..].split_inclusive('\n').skip(1) {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix("id") {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                let value = value.trim();
                let value = value.trim_matches(|c| c == '"' || c == '\'');
                return Some(value.to_string());
            }
        }
    }
    None
}

struct FileContext<'a> {
    name: &'a str,
    text: &'a str,
    /// Whether each regex is parsed to report a syntax error at its own place in the file.
    check_regexes: bool,
}

impl FileContext<'_> {
    fn error(
        &self,
        offset: usize,
        rule: Option<&str>,
        message: impl Into<String>,
    ) -> RuleFileError {
        let (line, column) = line_column(self.text, offset);
        RuleFileError {
            file: self.name.to_string(),
            line,
            column,
            rule: rule.map(str::to_string),
            message: message.into(),
        }
    }

    fn origin(&self, offset: usize) -> Origin {
        let (line, column) = line_column(self.text, offset);
        Origin {
            file: self.name.to_string(),
            line,
            column,
        }
    }
}

/// Parses and checks one rule file's text. `name` is how messages refer to the file.
pub fn parse_file(name: &str, text: &str) -> Result<FileDefs, RuleFileError> {
    parse(FileContext {
        name,
        text,
        check_regexes: true,
    })
}

/// `parse_file` for a rule file built into the binary. Its regexes are not parsed here: a
/// test checks that they compile, and `RuleSet::compile` reports one that does not, so the
/// parse would only add to every run's start-up.
pub(crate) fn parse_builtin_file(name: &str, text: &str) -> Result<FileDefs, RuleFileError> {
    parse(FileContext {
        name,
        text,
        check_regexes: false,
    })
}

fn parse(file: FileContext<'_>) -> Result<FileDefs, RuleFileError> {
    let text = file.text;
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().to_string();
        file.error(offset, enclosing_id(text, offset).as_deref(), message)
    })?;
    let mut defs = FileDefs::default();
    for rule in raw.rule {
        defs.rules.push(check_rule(&file, rule)?);
    }
    for detector in raw.detector {
        defs.detectors.push(check_detector(&file, detector)?);
    }
    Ok(defs)
}

fn check_id(file: &FileContext, id: &Spanned<String>) -> Result<(), RuleFileError> {
    let value = id.get_ref();
    let valid_chars = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if value.is_empty() || !valid_chars || !value.contains('.') {
        return Err(file.error(
            id.span().start,
            Some(value),
            "an id is `<group>.<name>` made of letters, digits, `-` and `_` (e.g. `related.you-may-also-like`)",
        ));
    }
    Ok(())
}

fn phrases(
    file: &FileContext,
    id: &str,
    key: &str,
    list: Option<Spanned<Vec<String>>>,
) -> Result<Vec<String>, RuleFileError> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let span = list.span();
    let list = list.into_inner();
    if list.is_empty() {
        return Err(file.error(
            span.start,
            Some(id),
            format!("`match.{key}` is an empty list"),
        ));
    }
    if list.iter().any(|p| p.trim().is_empty()) {
        return Err(file.error(
            span.start,
            Some(id),
            format!("`match.{key}` holds an empty phrase"),
        ));
    }
    Ok(list.iter().map(|p| p.trim().to_string()).collect())
}

fn check_rule(file: &FileContext, raw: RawRule) -> Result<RuleDef, RuleFileError> {
    check_id(file, &raw.id)?;
    let id = raw.id.get_ref().clone();
    let id_offset = raw.id.span().start;
    let enabled = raw.enabled.unwrap_or(true);
    let mut matcher = MatchDef::default();
    if let Some(m) = raw.matcher {
        matcher.line = phrases(file, &id, "line", m.line)?;
        matcher.contains = phrases(file, &id, "contains", m.contains)?;
        if let Some(regex) = m.regex {
            // Parsing alone finds every syntax error, with the message `Regex::new` gives;
            // compiling here as well would double the start-up cost (`RuleSet::compile`
            // builds each regex once and reports a pattern too big to compile).
            let parsed = match file.check_regexes {
                true => regex_syntax::Parser::new().parse(regex.get_ref()).map(drop),
                false => Ok(()),
            };
            if let Err(e) = parsed {
                return Err(file.error(
                    regex.span().start,
                    Some(&id),
                    format!("bad regex: {}", one_line(&e.to_string())),
                ));
            }
            if regex.get_ref().is_empty() {
                return Err(file.error(regex.span().start, Some(&id), "`match.regex` is empty"));
            }
            matcher.regex = Some(regex.into_inner());
        }
        if let Some(selector) = m.selector {
            if selector.get_ref().trim().is_empty() {
                return Err(file.error(
                    selector.span().start,
                    Some(&id),
                    "`match.selector` is empty",
                ));
            }
            if let Err(e) = scraper::Selector::parse(selector.get_ref()) {
                return Err(file.error(
                    selector.span().start,
                    Some(&id),
                    format!("bad selector: {}", selector_error(&e)),
                ));
            }
            matcher.selector = Some(selector.into_inner());
        }
    }
    let has_matcher = !matcher.line.is_empty()
        || !matcher.contains.is_empty()
        || matcher.regex.is_some()
        || matcher.selector.is_some();
    if enabled && !has_matcher {
        return Err(file.error(
            id_offset,
            Some(&id),
            "no matcher: give `match.line`, `match.contains`, `match.regex` or `match.selector` (or `enabled = false` to switch a rule off)",
        ));
    }
    let mut sites = Vec::new();
    if let Some(list) = raw.sites {
        let span = list.span();
        for site in list.into_inner() {
            let host = site.trim().trim_start_matches("www.").to_ascii_lowercase();
            if host.is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
                return Err(file.error(
                    span.start,
                    Some(&id),
                    format!("`sites` holds `{site}`, which is not a host name like `example.com`"),
                ));
            }
            sites.push(host);
        }
    }
    Ok(RuleDef {
        description: raw.description.unwrap_or_default().trim().to_string(),
        matcher,
        action: raw.action.unwrap_or(Action::Drop),
        position: raw.position.unwrap_or(Position::Anywhere),
        sites,
        enabled,
        examples: raw.example,
        origin: file.origin(id_offset),
        id,
    })
}

fn check_detector(file: &FileContext, raw: RawDetector) -> Result<DetectorDef, RuleFileError> {
    check_id(file, &raw.id)?;
    let id = raw.id.get_ref().clone();
    let id_offset = raw.id.span().start;
    // Settings errors point at the settings table, or at the id when there is none.
    let (offset, settings) = match raw.settings {
        Some(settings) => (settings.span().start, settings.into_inner()),
        None => (id_offset, toml::Table::new()),
    };
    crate::detect::check_settings(&id, &settings)
        .map_err(|message| file.error(offset, Some(&id), message))?;
    Ok(DetectorDef {
        description: raw.description.unwrap_or_default().trim().to_string(),
        enabled: raw.enabled.unwrap_or(true),
        settings,
        examples: raw.example,
        origin: file.origin(id_offset),
        id,
    })
}

/// A selector parse error as a person can read it: some of scraper's messages only say that
/// something unexpected happened, and then the error's name says more.
pub fn selector_error(e: &scraper::error::SelectorErrorKind) -> String {
    let message = one_line(&e.to_string());
    if message.contains("report this") {
        format!("{e:?}")
    } else {
        message
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rule files a `--rules` path names: the file itself, or every `*.toml` under a folder,
/// in name order so loading is deterministic.
pub fn rule_files(path: &Path) -> Result<Vec<PathBuf>, RuleFileError> {
    let not_readable = |message: String| RuleFileError {
        file: path.display().to_string(),
        line: 0,
        column: 0,
        rule: None,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| not_readable(format!("cannot read: {e}")))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| not_readable(format!("cannot list {}: {e}", folder.display())))?;
        for entry in entries {
            let entry = entry
                .map_err(|e| not_readable(format!("cannot list {}: {e}", folder.display())))?;
            let p = entry.path();
            if p.is_dir() {
                folders.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_names_line_and_rule() {
        let text = "[[rule]]\nid = \"chrome.x\"\nmach.line = [\"a\"]\n";
        let err = parse_file("x.toml", text).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.rule.as_deref(), Some("chrome.x"));
        assert!(err.message.contains("mach"), "{}", err.message);
    }

    #[test]
    fn empty_phrase_list_is_an_error() {
        let text = "[[rule]]\nid = \"chrome.x\"\nmatch.line = []\n";
        let err = parse_file("x.toml", text).unwrap_err();
        assert_eq!((err.line, err.rule.as_deref()), (3, Some("chrome.x")));
        assert!(err.message.contains("empty"));
    }

    #[test]
    fn built_in_rule_files_pass_every_check() {
        // They are read at start-up without their regexes parsed (`parse_builtin_file`).
        for (name, text) in crate::rules::DEFAULT_RULE_FILES {
            if let Err(e) = parse_file(name, text) {
                panic!("{name}: {}", e.message);
            }
        }
    }

    #[test]
    fn bad_regex_points_at_the_regex() {
        let text = "[[rule]]\nid = \"chrome.x\"\n\nmatch.regex = '(unclosed'\n";
        let err = parse_file("x.toml", text).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("bad regex"));
    }

    #[test]
    fn unknown_action_is_an_error() {
        let text = "[[rule]]\nid = \"chrome.x\"\nmatch.line = [\"a\"]\naction = \"delete\"\n";
        let err = parse_file("x.toml", text).unwrap_err();
        assert_eq!(err.line, 4);
        assert_eq!(err.rule.as_deref(), Some("chrome.x"));
    }

    #[test]
    fn bad_selector_points_at_the_selector() {
        let text = "[[rule]]\nid = \"chrome.x\"\nmatch.selector = \"div[class=\"\n";
        let err = parse_file("x.toml", text).unwrap_err();
        assert_eq!((err.line, err.column), (3, 18));
        assert_eq!(err.rule.as_deref(), Some("chrome.x"));
        assert!(err.message.contains("bad selector"), "{}", err.message);
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
    }
}
