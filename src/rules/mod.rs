//! Rules as data: loading rule files, merging them, and compiling them into matchers.
//!
//! The default rule files in `rules/` are compiled into the binary so a fresh install works
//! with no files around; `--rules` adds a user's own, and an entry with an id that is already
//! loaded replaces it (that is how a user switches a default off). The phrases of all rules go
//! into Aho-Corasick automata, so a line is scanned once whatever the number of phrases.
//! Whole-line phrases have an automaton of their own, searched anchored at the line's start:
//! on almost every line it fails after a byte or two, which matters because page dumps are
//! mostly short lines. Each regex is compiled on its own and runs only on the lines that
//! `prefilter` cannot rule out (most regexes are anchored at the line's start and begin with
//! a word or two); a `RegexSet` of them all would search every line in full.

pub mod load;
mod prefilter;

use aho_corasick::automaton::Automaton;
use aho_corasick::{automaton::StateID, AhoCorasick, AhoCorasickBuilder, Anchored, MatchKind};
use regex_automata::meta::Regex;
use regex_syntax::hir::Hir;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::detect::{self, Detector};
use crate::judge::line_hash;
use crate::normalize::ascii_prefix_len;
pub use load::{DetectorDef, MatchDef, Origin, RawExample, RuleDef, RuleFileError};
use prefilter::RegexFilters;

/// What a rule removes once it matches a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// The matching block only.
    Drop,
    /// The matching block and everything after it.
    DropRest,
    /// Everything from the start of the document to the matching block.
    DropUpto,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Drop => "drop",
            Action::DropRest => "drop-rest",
            Action::DropUpto => "drop-upto",
        }
    }
}

/// Where in a document a rule may fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    Anywhere,
    /// Before the article text is half over (see `judge::Page::in_head`).
    Head,
    /// After at least half of the article text (see `judge::Page::in_tail`).
    Tail,
}

impl Position {
    pub fn as_str(self) -> &'static str {
        match self {
            Position::Anywhere => "anywhere",
            Position::Head => "head",
            Position::Tail => "tail",
        }
    }
}

/// The rule files shipped with newsclean, compiled in.
pub const DEFAULT_RULE_FILES: &[(&str, &str)] = &[
    ("rules/chrome.toml", include_str!("../../rules/chrome.toml")),
    (
        "rules/related.toml",
        include_str!("../../rules/related.toml"),
    ),
    (
        "rules/captions.toml",
        include_str!("../../rules/captions.toml"),
    ),
    (
        "rules/trailing.toml",
        include_str!("../../rules/trailing.toml"),
    ),
    (
        "rules/detectors.toml",
        include_str!("../../rules/detectors.toml"),
    ),
];

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: Arc<str>,
    pub def: RuleDef,
}

/// A configured detector.
pub struct DetectorEntry {
    pub id: Arc<str>,
    pub def: DetectorDef,
    pub detector: Box<dyn Detector>,
}

/// Distinct lower-cased `contains` phrases compiled into one automaton, each with the rules
/// that use it.
struct PhraseIndex {
    automaton: AhoCorasick,
    /// Per pattern: the rules that give this phrase, with the reason a match shows (the
    /// phrase as written), made once here rather than for every matching line.
    owners: Vec<Vec<(usize, Arc<str>)>>,
}

impl PhraseIndex {
    fn build(entries: Vec<(String, usize, Arc<str>)>) -> Result<Option<PhraseIndex>, String> {
        if entries.is_empty() {
            return Ok(None);
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<(usize, Arc<str>)>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (lower, rule, why) in entries {
            let slot = *index.entry(lower.clone()).or_insert_with(|| {
                patterns.push(lower);
                owners.push(Vec::new());
                patterns.len() - 1
            });
            owners[slot].push((rule, why));
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(Some(PhraseIndex { automaton, owners }))
    }
}

/// Distinct lower-cased whole-line phrases, each with the rules that use it, in a hash table:
/// a line is one of them, or one of them followed by trailing marks, so at most a few
/// look-ups of the line's start settle it.
struct LinePhrases {
    /// Open addressing on `line_hash`, which ignores ASCII case: 0 for an empty slot, else
    /// a phrase's number plus one. At most half full.
    slots: Vec<u32>,
    /// Per phrase: its text (ASCII in lower case) and its hash.
    phrases: Vec<(Box<str>, u64)>,
    /// `lengths[n]`: some phrase is `n` bytes long; none is longer than the last.
    lengths: Vec<bool>,
    /// Per phrase: the rules that give it, with the reason a match shows (the phrase as
    /// written).
    owners: Vec<Vec<(usize, Arc<str>)>>,
    /// Bit `sketch(phrase)` of each phrase: a text whose bit is clear is none of them, which
    /// settles nearly every line before its hash is worked out.
    sketches: Vec<u64>,
    /// The characters beyond ASCII the phrases hold, sorted.
    chars: Vec<char>,
}

/// Bits in `LinePhrases::sketches` (2 KiB).
const SKETCH_BITS: u32 = 14;

/// The length of `text` and its first and last bytes (ASCII letters folded together),
/// hashed into a bit of `LinePhrases::sketches`: texts equal but for ASCII case have the
/// same bit.
fn sketch(text: &[u8]) -> usize {
    let (Some(&first), Some(&last)) = (text.first(), text.last()) else {
        return 0;
    };
    let key = (text.len() as u32) ^ u32::from(first | 0x20) << 16 ^ u32::from(last | 0x20) << 24;
    (key.wrapping_mul(0x9E37_79B1) >> (32 - SKETCH_BITS)) as usize
}

impl LinePhrases {
    fn build(entries: Vec<(String, usize, Arc<str>)>) -> Option<LinePhrases> {
        if entries.is_empty() {
            return None;
        }
        // Room for every entry, should all the phrases differ.
        let mut table = LinePhrases {
            slots: vec![0u32; (entries.len() * 2).next_power_of_two()],
            phrases: Vec::new(),
            lengths: Vec::new(),
            owners: Vec::new(),
            sketches: vec![0; 1 << (SKETCH_BITS - 6)],
            chars: Vec::new(),
        };
        for (lower, rule, why) in entries {
            let number = match table.get(&lower) {
                Some(number) => number,
                None => table.insert(lower)?,
            };
            table.owners[number].push((rule, why));
        }
        let mut chars: Vec<char> = (table.phrases.iter())
            .flat_map(|(phrase, _)| phrase.chars().filter(|c| !c.is_ascii()))
            .collect();
        chars.sort_unstable();
        chars.dedup();
        table.chars = chars;
        Some(table)
    }

    /// Whether the lower-cased `line` may be a phrase as far as its characters beyond ASCII
    /// say: each must lower-case into characters the phrases hold, or trailing marks. A line
    /// of a script no phrase is written in is settled without lower-casing it.
    fn may_be_lowered(&self, line: &str) -> bool {
        let known = |c: char| is_trailing_mark(c) || self.chars.binary_search(&c).is_ok();
        // A capital sigma's lower case depends on its neighbours.
        all_beyond_ascii(line, |c| {
            known(c) || c == 'Σ' || c.to_lowercase().all(|l| l.is_ascii() || known(l))
        })
    }

    /// The longest phrase in bytes.
    fn longest(&self) -> usize {
        self.lengths.len().saturating_sub(1)
    }

    /// Adds a phrase the table does not hold yet; its number.
    fn insert(&mut self, phrase: String) -> Option<usize> {
        // The phrases ignore ASCII case like the lines they are compared with.
        let phrase = phrase.to_ascii_lowercase().into_boxed_str();
        let hash = line_hash(&phrase);
        let number = self.phrases.len();
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = u32::try_from(number + 1).ok()?;
        if self.lengths.len() <= phrase.len() {
            self.lengths.resize(phrase.len() + 1, false);
        }
        self.lengths[phrase.len()] = true;
        let bit = sketch(phrase.as_bytes());
        self.sketches[bit >> 6] |= 1 << (bit & 63);
        self.phrases.push((phrase, hash));
        self.owners.push(Vec::new());
        Some(number)
    }

    /// The phrase `line` is, ignoring ASCII case and trailing marks: the longest phrase the
    /// line starts with, when what follows it is only trailing marks (see
    /// `is_trailing_mark`).
    fn find(&self, line: &str) -> Option<usize> {
        // Where the trailing marks start: a phrase must reach at least that far.
        let mut marks = line.len();
        for (at, c) in line.char_indices().rev() {
            if !is_trailing_mark(c) {
                break;
            }
            marks = at;
        }
        let longest = self.longest();
        if marks > longest {
            return None;
        }
        // From the longest candidate down: the first phrase found is the longest the line
        // starts with, as no longer one can end among the marks unseen.
        let end = line.len().min(longest);
        (marks..=end)
            .rev()
            .filter(|&n| self.lengths.get(n) == Some(&true))
            .find_map(|n| self.get(line.get(..n)?))
    }

    /// The phrase that is `text`, ignoring ASCII case.
    fn get(&self, text: &str) -> Option<usize> {
        let bit = sketch(text.as_bytes());
        if self.sketches.get(bit >> 6)? & (1 << (bit & 63)) == 0 {
            return None;
        }
        let hash = line_hash(text);
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let number = (*self.slots.get(at)? as usize).checked_sub(1)?;
            let (key, key_hash) = self.phrases.get(number)?;
            if *key_hash == hash && key.eq_ignore_ascii_case(text) {
                return Some(number);
            }
            at = (at + 1) & mask;
        }
    }
}

/// All loaded rules and detectors, compiled for matching.
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub detectors: Vec<DetectorEntry>,
    line_phrases: Option<LinePhrases>,
    contains_phrases: Option<PhraseIndex>,
    /// Every `contains` phrase is ASCII.
    contains_ascii: bool,
    /// The rule regexes in rule order.
    regexes: Vec<RuleRegex>,
    /// Which regexes a line might match (see `prefilter`).
    regex_filters: RegexFilters,
    /// The CSS selectors of rules, matched against the elements of HTML pages.
    selectors: Vec<RuleSelector>,
    /// Every literal that tells whether a line needs a closer look, in one automaton.
    screen: Option<Screen>,
}

/// One automaton, ignoring ASCII case, that holds every `contains` phrase and each regex's
/// required literals (see `prefilter::required_literals`), but for the regexes told apart
/// by their start (see `RegexFilters::starting_with`), which a few bytes at the line's start
/// settle. One pass over a line says which of the exact searches can find anything on it:
/// nearly every line holds none of the literals, and then only the whole-line phrases are
/// looked for (anchored, which fails after a byte or two). The exact searches that do run
/// are those used without the screen, so a line's matches and their reasons do not depend
/// on it. On a line with capitals beyond ASCII the screen still judges the regexes (their
/// literals hold every spelling of such letters), and the `contains` phrases when they are
/// ASCII; the whole-line phrases are looked up in the lower-cased line (when its characters
/// can lower-case into the phrases' own, see `LinePhrases::may_be_lowered`).
struct Screen {
    /// `None` when there is nothing to look for along a line: no `contains` phrase, and
    /// every regex either told apart by its start or without a literal set.
    automaton: Option<aho_corasick::dfa::DFA>,
    /// Per pattern: what a match of it means.
    meaning: Vec<Vec<Literal>>,
    /// Characters the regex literals leave out (see `RegexFilters::aliases`).
    aliases: Vec<char>,
    /// A search for each of `aliases`.
    alias_finders: Vec<memchr::memmem::Finder<'static>>,
}

/// What a match of one of the screen's patterns says about a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Literal {
    /// A `contains` phrase.
    Contains,
    /// A required literal of the regex with this index.
    Regex(usize),
}

/// What one pass of the screen found on a line.
#[derive(Default)]
struct Screened {
    contains: bool,
    /// Bit `k % 64` of word `k / 64`: the line holds a required literal of regex `k`.
    regexes: [u64; MAX_SCREENED_REGEXES / 64],
}

/// The screen looks for at most this many first bytes of a literal.
const MAX_SCREEN_LITERAL: usize = 10;

/// The screen covers sets of up to this many regexes (a bit each, on the stack); a larger
/// set is matched without it.
const MAX_SCREENED_REGEXES: usize = 256;

impl Screen {
    fn build(
        contains_phrases: &[String],
        filters: &RegexFilters,
        regex_count: usize,
    ) -> Option<Screen> {
        if regex_count > MAX_SCREENED_REGEXES {
            return None;
        }
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut meaning: Vec<Vec<Literal>> = Vec::new();
        let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
        // A line holding a literal holds its first bytes: the screen keeps only those, which
        // says almost as much and keeps the automaton small enough for the processor's
        // caches (it is walked for every byte of every line).
        let mut add = |mut pattern: Vec<u8>, what: Literal| {
            pattern.truncate(MAX_SCREEN_LITERAL);
            let slot = *index.entry(pattern.clone()).or_insert_with(|| {
                patterns.push(pattern);
                meaning.push(Vec::new());
                patterns.len() - 1
            });
            if !meaning[slot].contains(&what) {
                meaning[slot].push(what);
            }
        };
        for phrase in contains_phrases {
            add(phrase.as_bytes().to_vec(), Literal::Contains);
        }
        for k in 0..regex_count {
            if let Some(literals) = filters.literals(k) {
                for literal in literals {
                    add(literal.clone(), Literal::Regex(k));
                }
            }
        }
        // An empty phrase would match every line; without the screen such a line goes to
        // the exact searches as before. With no phrase and no literal at all there is
        // nothing to walk a line for: the regexes are told apart by their start or not at
        // all.
        if patterns.iter().any(Vec::is_empty) {
            return None;
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            // A DFA walked byte by byte below: a table look-up per byte of every line, with
            // every pattern that ends at a byte listed in the state it leads to.
            let automaton = aho_corasick::dfa::DFA::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(&patterns)
                .ok()?;
            automaton.start_state(Anchored::No).ok()?;
            Some(automaton)
        };
        Some(Screen {
            automaton,
            meaning,
            aliases: filters.aliases().to_vec(),
            alias_finders: filters
                .aliases()
                .iter()
                .map(|c| memchr::memmem::Finder::new(c.encode_utf8(&mut [0; 4])).into_owned())
                .collect(),
        })
    }

    /// Whether `text` holds a character the regex literals leave out: a line that does not
    /// holds one of a regex's literals wherever the regex matches, whatever its script.
    fn holds_alias(&self, text: &str) -> bool {
        self.alias_finders
            .iter()
            .any(|finder| finder.find(text.as_bytes()).is_some())
    }

    /// Whether the screen can judge this line: ignoring ASCII case is the same as matching
    /// the lower-cased line when its other characters have no lower case of their own, and
    /// none may be a character the regex literals leave out.
    fn covers(&self, text: &str) -> bool {
        // General punctuation (dashes, quotes, bullets) has no case.
        all_beyond_ascii(text, |c| {
            ('\u{2000}'..='\u{206F}').contains(&c)
                || (is_own_lower_case(c) && !self.aliases.contains(&c))
        })
    }

    fn scan(&self, haystack: &str) -> Screened {
        let mut found = Screened::default();
        let Some(dfa) = &self.automaton else {
            return found;
        };
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            // Checked when the screen was built; were it to fail, every search runs.
            found.contains = true;
            found.regexes = [u64::MAX; MAX_SCREENED_REGEXES / 64];
            return found;
        };
        let bytes = haystack.as_bytes();
        let mut note = |state: StateID| {
            // Match states are among the few special ones, which the walks test for before
            // calling this; nearly every byte leads to an ordinary state.
            if dfa.is_match(state) {
                for k in 0..dfa.match_len(state) {
                    for what in &self.meaning[dfa.match_pattern(state, k).as_usize()] {
                        match *what {
                            Literal::Contains => found.contains = true,
                            Literal::Regex(k) => found.regexes[k / 64] |= 1 << (k % 64),
                        }
                    }
                }
            }
        };
        // Each step of a walk waits for the table look-up of the step before, so a long
        // line is walked as two halves at once, whose look-ups overlap. The second walk
        // starts a literal's length (less one byte) before its half, so it finds every
        // literal that ends in its half; one ending before that is the first walk's, and
        // finding one twice changes nothing.
        let half = bytes.len() / 2;
        if half <= MAX_SCREEN_LITERAL {
            for &byte in bytes {
                state = dfa.next_state(Anchored::No, state, byte);
                if dfa.is_special(state) {
                    note(state);
                }
            }
        } else {
            let first = &bytes[..half];
            let second = &bytes[half - (MAX_SCREEN_LITERAL - 1)..];
            let mut other = state;
            for (&a, &b) in first.iter().zip(second) {
                state = dfa.next_state(Anchored::No, state, a);
                other = dfa.next_state(Anchored::No, other, b);
                if dfa.is_special(state) | dfa.is_special(other) {
                    note(state);
                    note(other);
                }
            }
            for &byte in &second[first.len()..] {
                other = dfa.next_state(Anchored::No, other, byte);
                if dfa.is_special(other) {
                    note(other);
                }
            }
        }
        found
    }
}

/// The detectors' surveys of a run read a batch at a time (see `detect::Survey`).
pub struct RunSurvey<'a> {
    rules: &'a RuleSet,
    surveys: Vec<Box<dyn detect::Survey + 'a>>,
}

impl RunSurvey<'_> {
    /// Takes in a batch; its HTML pages become their page text first, as the surveys read
    /// lines.
    pub fn add(&mut self, documents: &mut [crate::document::Document]) {
        crate::html::prepare_all(documents, self.rules);
        for survey in &mut self.surveys {
            survey.add(documents);
        }
    }

    /// Leaves in each document of a batch what the run's surveys found (once every batch
    /// was added).
    pub fn apply(&self, documents: &mut [crate::document::Document]) {
        crate::html::prepare_all(documents, self.rules);
        for survey in &self.surveys {
            survey.apply(documents);
        }
    }
}

/// One rule's CSS selector.
struct RuleSelector {
    rule: usize,
    selector: scraper::Selector,
    /// The reason a match shows.
    why: Arc<str>,
}

/// Whether a rule scoped to `sites` applies to a page of `site`: every page when `sites` is
/// empty, else pages of those hosts and their subdomains.
pub fn on_site(sites: &[String], site: Option<&str>) -> bool {
    if sites.is_empty() {
        return true;
    }
    let Some(site) = site else {
        return false;
    };
    sites.iter().any(|s| {
        site == s || (site.ends_with(s.as_str()) && site[..site.len() - s.len()].ends_with('.'))
    })
}

impl RuleDef {
    /// Whether this rule is enabled and its `sites` let it apply to a page of `site`.
    pub fn applies_to(&self, site: Option<&str>) -> bool {
        self.enabled && on_site(&self.sites, site)
    }
}

/// One rule's regex. A match's reason quotes the text it matched rather than the pattern:
/// the pattern is one `rules explain` away, and the matched words are what a reviewer needs
/// to see why this line went (a pattern of many alternatives would also repeat a kilobyte
/// of itself on every line it removes).
struct RuleRegex {
    rule: usize,
    regex: Regex,
}

/// Compiles a rule's regex from its parsed `hir` exactly as `regex::Regex::new` compiles
/// its pattern (the same engine settings; `hir` was parsed with the syntax settings it
/// uses), so the pattern is parsed once for both the regex and its prefilter. A pattern
/// that does not parse or compile gets the error message `regex::Regex::new` gives.
fn compile_regex(pattern: &str, hir: Option<&Hir>) -> Result<Regex, String> {
    let config = Regex::config()
        .nfa_size_limit(Some(10 * (1 << 20)))
        .hybrid_cache_capacity(2 * (1 << 20))
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true);
    let built = hir.and_then(|hir| Regex::builder().configure(config).build_from_hir(hir).ok());
    match built {
        Some(regex) => Ok(regex),
        None => match regex::Regex::new(pattern) {
            Err(e) => Err(e.to_string()),
            Ok(_) => Err("the regex does not compile".to_string()),
        },
    }
}

/// Matched text longer than this is shown cut, in characters.
const MATCH_SHOWN_CHARS: usize = 60;

/// The reason a regex match shows: `regex matched "…"` with the matched text, cut to
/// `MATCH_SHOWN_CHARS`.
fn regex_why(matched: &str) -> Arc<str> {
    match matched.char_indices().nth(MATCH_SHOWN_CHARS) {
        Some((cut, _)) => format!("regex matched \"{}…\"", &matched[..cut]).into(),
        None => format!("regex matched \"{matched}\"").into(),
    }
}

/// A rule that matched a block, with the reason to show.
#[derive(Debug, Clone)]
pub struct RuleMatch {
    pub rule: usize,
    pub why: Arc<str>,
}

/// Where rules come from.
#[derive(Debug, Clone, Default)]
pub struct RuleSources {
    /// Start from the rules compiled into the binary.
    pub defaults: bool,
    /// Rule files or folders given with `--rules`, in order.
    pub paths: Vec<PathBuf>,
}

impl RuleSet {
    /// Loads the default rules (when asked) and the user's files, merging by id.
    pub fn load(sources: &RuleSources) -> Result<RuleSet, RuleFileError> {
        let mut rules: Vec<RuleDef> = Vec::new();
        let mut detectors: Vec<DetectorDef> = Vec::new();
        if sources.defaults {
            let mut seen = HashMap::new();
            for (name, text) in DEFAULT_RULE_FILES {
                let defs = load::parse_builtin_file(name, text)?;
                add_defs(defs, &mut rules, &mut detectors, &mut seen, false)?;
            }
        }
        let mut seen_user = HashMap::new();
        for path in &sources.paths {
            for file in load::rule_files(path)? {
                let name = file.display().to_string();
                let text = std::fs::read_to_string(&file).map_err(|e| RuleFileError {
                    file: name.clone(),
                    line: 0,
                    column: 0,
                    rule: None,
                    message: format!("cannot read: {e}"),
                })?;
                let defs = load::parse_file(&name, &text)?;
                add_defs(defs, &mut rules, &mut detectors, &mut seen_user, true)?;
            }
        }
        RuleSet::compile(rules, detectors)
    }

    /// Compiles checked definitions into matchers.
    pub fn compile(
        rule_defs: Vec<RuleDef>,
        detector_defs: Vec<DetectorDef>,
    ) -> Result<RuleSet, RuleFileError> {
        let rules: Vec<Rule> = rule_defs
            .into_iter()
            .map(|def| Rule {
                id: Arc::from(def.id.as_str()),
                def,
            })
            .collect();
        let mut line_entries = Vec::new();
        let mut contains_entries = Vec::new();
        let mut regexes = Vec::new();
        let mut regex_hirs = Vec::new();
        let mut selectors = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if !rule.def.enabled {
                continue;
            }
            for phrase in &rule.def.matcher.line {
                let why = format!("line \"{phrase}\"");
                line_entries.push((phrase.to_lowercase(), index, Arc::from(why)));
            }
            for phrase in &rule.def.matcher.contains {
                let why = format!("contains \"{phrase}\"");
                contains_entries.push((phrase.to_lowercase(), index, Arc::from(why)));
            }
            if let Some(regex) = &rule.def.matcher.regex {
                let hir = regex_syntax::Parser::new().parse(regex).ok();
                let compiled = compile_regex(regex, hir.as_ref()).map_err(|e| RuleFileError {
                    file: rule.def.origin.file.clone(),
                    line: rule.def.origin.line,
                    column: rule.def.origin.column,
                    rule: Some(rule.def.id.clone()),
                    message: format!("bad regex: {e}"),
                })?;
                regexes.push(RuleRegex {
                    rule: index,
                    regex: compiled,
                });
                regex_hirs.push(hir);
            }
            if let Some(selector) = &rule.def.matcher.selector {
                let compiled = scraper::Selector::parse(selector).map_err(|e| RuleFileError {
                    file: rule.def.origin.file.clone(),
                    line: rule.def.origin.line,
                    column: rule.def.origin.column,
                    rule: Some(rule.def.id.clone()),
                    message: format!("bad selector: {}", load::selector_error(&e)),
                })?;
                selectors.push(RuleSelector {
                    rule: index,
                    selector: compiled,
                    why: format!("selector \"{selector}\"").into(),
                });
            }
        }
        let automaton_error = |message: String| RuleFileError {
            file: "<rules>".into(),
            line: 0,
            column: 0,
            rule: None,
            message: format!("cannot build the phrase automaton: {message}"),
        };
        let contains_list: Vec<String> = contains_entries.iter().map(|e| e.0.clone()).collect();
        let contains_ascii = contains_list.iter().all(|phrase| phrase.is_ascii());
        let line_phrases = LinePhrases::build(line_entries);
        let contains_phrases = PhraseIndex::build(contains_entries).map_err(automaton_error)?;
        let regex_filters =
            RegexFilters::of_hirs(&regex_hirs.iter().map(Option::as_ref).collect::<Vec<_>>());
        let screen = Screen::build(&contains_list, &regex_filters, regexes.len());
        let mut detectors = Vec::new();
        for def in detector_defs {
            let origin = def.origin.clone();
            let detector =
                detect::build(&def.id, &def.settings).map_err(|message| RuleFileError {
                    file: origin.file.clone(),
                    line: origin.line,
                    column: origin.column,
                    rule: Some(def.id.clone()),
                    message,
                })?;
            detectors.push(DetectorEntry {
                id: Arc::from(def.id.as_str()),
                def,
                detector,
            });
        }
        Ok(RuleSet {
            rules,
            detectors,
            line_phrases,
            contains_phrases,
            contains_ascii,
            regex_filters,
            regexes,
            selectors,
            screen,
        })
    }

    /// The enabled rules' CSS selectors: `(rule index, selector)`.
    pub fn selectors(&self) -> impl Iterator<Item = (usize, &scraper::Selector)> {
        self.selectors.iter().map(|s| (s.rule, &s.selector))
    }

    /// The reason shown for a block removed by rule `rule`'s selector.
    pub fn selector_why(&self, rule: usize) -> Option<&Arc<str>> {
        self.selectors
            .iter()
            .find(|s| s.rule == rule)
            .map(|s| &s.why)
    }

    /// A set holding one rule or detector alone, used to run its examples.
    pub fn only(&self, id: &str) -> Option<RuleSet> {
        if let Some(rule) = self.rules.iter().find(|r| &*r.id == id) {
            let mut def = rule.def.clone();
            def.enabled = true;
            return RuleSet::compile(vec![def], Vec::new()).ok();
        }
        let entry = self.detectors.iter().find(|d| &*d.id == id)?;
        let mut def = entry.def.clone();
        def.enabled = true;
        RuleSet::compile(Vec::new(), vec![def]).ok()
    }

    /// The survey of a run of every enabled detector that compares documents, to take in
    /// the run a batch at a time (`prepare` does the same for a run held at once).
    pub fn survey(&self) -> RunSurvey<'_> {
        RunSurvey {
            rules: self,
            surveys: self
                .detectors
                .iter()
                .filter(|d| d.def.enabled)
                .filter_map(|d| d.detector.survey())
                .collect(),
        }
    }

    /// Runs the detectors' pass over a whole run before its documents are judged (see
    /// `Detector::prepare`).
    pub fn prepare(&self, documents: &mut [crate::document::Document]) {
        // HTML pages become their page text first: the passes over the run read lines.
        crate::html::prepare_all(documents, self);
        for entry in self.detectors.iter().filter(|d| d.def.enabled) {
            entry.detector.prepare(documents);
        }
    }

    /// The rules whose matchers match a block's text, in rule order, without duplicates.
    /// `text` is the normalised block text.
    pub fn matches(&self, text: &str, found: &mut Vec<RuleMatch>) {
        self.matches_screened(text, found, self.screen.as_ref());
    }

    /// `matches`, with the screen given (or none), so a test can compare the two.
    fn matches_screened(&self, text: &str, found: &mut Vec<RuleMatch>, screen: Option<&Screen>) {
        found.clear();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return;
        }
        // A line much longer than every whole-line phrase cannot be one (lower-casing changes
        // a length by at most a factor of three).
        let line_phrases = self
            .line_phrases
            .as_ref()
            .filter(|index| may_hold_phrase(trimmed, index.longest()));
        if let Some(screen) = screen {
            // The screen ignores ASCII case only, which on a line whose other characters have
            // no lower case of their own is the same as matching the lower-cased line.
            let covered = screen.covers(trimmed);
            // On other lines its regex literals still say which regexes can match, unless the
            // line holds a character they leave out (see `RegexFilters::aliases`).
            if covered || !screen.holds_alias(trimmed) {
                let mut seen = screen.scan(trimmed);
                if covered {
                    if line_phrases.is_some() || seen.contains {
                        self.match_phrases(line_phrases, seen.contains, trimmed, found);
                    }
                } else {
                    // ASCII `contains` phrases are on the lower-cased line where they are on
                    // the line itself ignoring ASCII case (see `match_lowered_phrases`), which
                    // is what the screen looked for.
                    let contains = seen.contains
                        || !self.contains_ascii
                        || lowers_into_ascii(trimmed.as_bytes());
                    self.match_lowered_phrases(line_phrases, contains, trimmed, found);
                }
                self.regex_filters.starting_with(trimmed, &mut seen.regexes);
                self.regex_filters
                    .candidates_given(trimmed, &seen.regexes, |k| {
                        self.test_regex(k, trimmed, found)
                    });
                found.sort_by_key(|f| f.rule);
                return;
            }
        }
        self.match_lowered_phrases(line_phrases, true, trimmed, found);
        self.regex_filters
            .candidates(trimmed, |k| self.test_regex(k, trimmed, found));
        found.sort_by_key(|f| f.rule);
    }

    /// `match_phrases` on a line that may hold characters beyond ASCII with a lower case of
    /// their own: the whole-line phrases (when `line_phrases` is given) and, when `contains`,
    /// the `contains` phrases.
    fn match_lowered_phrases(
        &self,
        line_phrases: Option<&LinePhrases>,
        contains: bool,
        trimmed: &str,
        found: &mut Vec<RuleMatch>,
    ) {
        let line_phrases = line_phrases.filter(|index| index.may_be_lowered(trimmed));
        let contains = contains && self.contains_phrases.is_some();
        if line_phrases.is_none() && !contains {
            return;
        }
        // The automata hold lower-cased phrases and ignore ASCII case; other scripts are
        // matched against the lower-cased line. When only ASCII `contains` phrases are
        // looked for, the lower-cased line holds one where the line does (ignoring ASCII
        // case), as lower-casing turns characters beyond ASCII into ASCII only for the
        // dotted capital I and the Kelvin sign: the line is searched as it is.
        let ascii_phrases_only = line_phrases.is_none() && self.contains_ascii;
        let lowered;
        let haystack = if trimmed.is_ascii()
            || (ascii_phrases_only && !lowers_into_ascii(trimmed.as_bytes()))
        {
            trimmed
        } else {
            lowered = lowercase(trimmed);
            lowered.as_str()
        };
        self.match_phrases(line_phrases, contains, haystack, found);
    }

    /// Runs regex `k` on a line unless its rule already matched. Each rule has one regex, so
    /// the order the candidates come in does not change which reason a rule gets; the
    /// caller sorts the matches into rule order.
    fn test_regex(&self, k: usize, line: &str, found: &mut Vec<RuleMatch>) {
        let regex = &self.regexes[k];
        if found.iter().any(|f| f.rule == regex.rule) {
            return;
        }
        if let Some(m) = regex.regex.find(line) {
            found.push(RuleMatch {
                rule: regex.rule,
                why: regex_why(&line[m.range()]),
            });
        }
    }

    /// Whole-line phrases (when `line_phrases` is given) and then, when `contains`, the
    /// `contains` phrases on a line; `haystack` is the line, lower-cased unless ignoring
    /// ASCII case is the same.
    fn match_phrases(
        &self,
        line_phrases: Option<&LinePhrases>,
        contains: bool,
        haystack: &str,
        found: &mut Vec<RuleMatch>,
    ) {
        if let Some(index) = line_phrases {
            if let Some(number) = index.find(haystack) {
                for (rule, why) in &index.owners[number] {
                    if !found.iter().any(|f| f.rule == *rule) {
                        found.push(RuleMatch {
                            rule: *rule,
                            why: Arc::clone(why),
                        });
                    }
                }
            }
        }
        // Nearly every line holds no phrase at all: a plain search, which skips ahead with
        // the automaton's prefilter, settles it before the overlapping search that finds
        // every phrase (and that walks the automaton over each byte).
        if let Some(index) = self
            .contains_phrases
            .as_ref()
            .filter(|index| contains && index.automaton.is_match(haystack))
        {
            for m in index.automaton.find_overlapping_iter(haystack) {
                for (rule, why) in &index.owners[m.pattern().as_usize()] {
                    if !found.iter().any(|f| f.rule == *rule) {
                        found.push(RuleMatch {
                            rule: *rule,
                            why: Arc::clone(why),
                        });
                    }
                }
            }
        }
    }

    /// The rule or detector with this id, for `rules explain`.
    pub fn find(&self, id: &str) -> Option<Definition<'_>> {
        if let Some(rule) = self.rules.iter().find(|r| &*r.id == id) {
            return Some(Definition::Rule(&rule.def));
        }
        self.detectors
            .iter()
            .find(|d| &*d.id == id)
            .map(|d| Definition::Detector(&d.def))
    }
}

/// `text.to_lowercase()`, faster: runs of characters that lower-casing leaves alone (all
/// but the capitals, found in a table) are copied whole, each capital beyond ASCII is
/// replaced by its lower case, and ASCII is lower-cased at the end, eight bytes at a time.
/// A capital sigma, whose lower case depends on its neighbours, leaves the work to
/// `to_lowercase`.
pub fn lowercase(text: &str) -> String {
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let bytes = text.as_bytes();
    let mut lower = String::with_capacity(text.len());
    // The start of the text not yet copied.
    let mut copied = 0;
    let mut at = ascii_prefix_len(bytes);
    while let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) {
        let width = c.len_utf8();
        if width == 1 {
            at += ascii_prefix_len(&bytes[at..]);
            continue;
        }
        if !is_own_lower_case(c) {
            lower.push_str(&text[copied..at]);
            lower.extend(c.to_lowercase());
            copied = at + width;
        }
        at += width;
    }
    lower.push_str(&text[copied..]);
    lower.make_ascii_lowercase();
    lower
}

/// Whether lower-casing `text` turns a character beyond ASCII into ASCII: the dotted capital
/// I (to "i" and a combining dot) and the Kelvin sign (to "k") are the only ones.
fn lowers_into_ascii(text: &[u8]) -> bool {
    // Their first bytes, found together; text of most scripts has neither.
    memchr::memchr2_iter(0xC4, 0xE2, text).any(|at| {
        let rest = &text[at..];
        rest.starts_with("\u{130}".as_bytes()) || rest.starts_with("\u{212A}".as_bytes())
    })
}

/// Whether lower-casing `c` leaves it as it is. Characters of the Basic Multilingual Plane
/// (every script news is written in) are looked up in a table of one bit each, made once:
/// the Unicode tables behind `char::to_lowercase` are a search per character, which on
/// Cyrillic or Greek text cost more than all the rest of matching a line.
pub(crate) fn is_own_lower_case(c: char) -> bool {
    const PLANE: u32 = 0x10000;
    fn lowers_to_itself(c: char) -> bool {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    }
    // The blocks that hold every character of the plane with a lower case other than
    // itself (Latin to Georgian, Glagolitic and Coptic, Cyrillic and Latin extensions,
    // full-width Latin); the table is made from these alone, and a test checks the whole
    // plane.
    const CASED_BLOCKS: [std::ops::Range<u32>; 3] = [0x41..0x2D00, 0xA640..0xA800, 0xFF00..0xFF40];
    static CAPITALS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let code = c as u32;
    if code >= PLANE {
        return lowers_to_itself(c);
    }
    let capitals = CAPITALS.get_or_init(|| {
        let mut bits = vec![0u64; (PLANE / 64) as usize];
        for c in CASED_BLOCKS
            .into_iter()
            .flatten()
            .filter_map(char::from_u32)
        {
            if !lowers_to_itself(c) {
                bits[(c as u32 / 64) as usize] |= 1 << (c as u32 % 64);
            }
        }
        bits
    });
    capitals
        .get((code / 64) as usize)
        .is_none_or(|word| word & (1 << (code % 64)) == 0)
}

/// Whether a trimmed line can be a whole-line phrase, the longest `longest` bytes, with its
/// trailing marks: lower-casing changes a length by at most a factor of three, so a line whose
/// text before the marks is longer than three times that is none. Nearly every line is short
/// enough, or ends in a letter or a single full stop, so the marks are rarely looked through.
fn may_hold_phrase(trimmed: &str, longest: usize) -> bool {
    let most = longest.saturating_mul(3);
    trimmed.len() <= most || trimmed.trim_end_matches(is_trailing_mark).len().le(&most)
}

/// True for what may follow a whole-line phrase on its line: white space, or the punctuation
/// that pages put after a label ("You may also like...", "Share this:", "Read more »"): the
/// same label with its colon or ellipsis is the same chrome.
fn is_trailing_mark(c: char) -> bool {
    matches!(c, ':' | '.' | '…' | '!' | '»' | '›' | '→' | '>') || c.is_whitespace()
}

/// Either kind of definition, for commands that treat both alike.
pub enum Definition<'a> {
    Rule(&'a RuleDef),
    Detector(&'a DetectorDef),
}

impl Definition<'_> {
    pub fn id(&self) -> &str {
        match self {
            Definition::Rule(d) => &d.id,
            Definition::Detector(d) => &d.id,
        }
    }
    pub fn examples(&self) -> &[RawExample] {
        match self {
            Definition::Rule(d) => &d.examples,
            Definition::Detector(d) => &d.examples,
        }
    }
}

fn add_defs(
    defs: load::FileDefs,
    rules: &mut Vec<RuleDef>,
    detectors: &mut Vec<DetectorDef>,
    seen: &mut HashMap<String, Origin>,
    replaces: bool,
) -> Result<(), RuleFileError> {
    let duplicate = |id: &str, origin: &Origin, first: &Origin| RuleFileError {
        file: origin.file.clone(),
        line: origin.line,
        column: origin.column,
        rule: Some(id.to_string()),
        message: format!("duplicate id: already defined at {first}"),
    };
    for def in defs.rules {
        if let Some(first) = seen.get(&def.id) {
            return Err(duplicate(&def.id, &def.origin, first));
        }
        if detectors.iter().any(|d| d.id == def.id) {
            return Err(duplicate(&def.id, &def.origin, &def.origin));
        }
        seen.insert(def.id.clone(), def.origin.clone());
        match rules.iter_mut().find(|r| r.id == def.id) {
            Some(existing) if replaces => *existing = def,
            Some(existing) => return Err(duplicate(&def.id, &def.origin, &existing.origin)),
            None => rules.push(def),
        }
    }
    for def in defs.detectors {
        if let Some(first) = seen.get(&def.id) {
            return Err(duplicate(&def.id, &def.origin, first));
        }
        seen.insert(def.id.clone(), def.origin.clone());
        match detectors.iter_mut().find(|d| d.id == def.id) {
            Some(existing) if replaces => *existing = def,
            Some(existing) => return Err(duplicate(&def.id, &def.origin, &existing.origin)),
            None => detectors.push(def),
        }
    }
    Ok(())
}

/// Whether every character of `text` beyond ASCII passes `test`; runs of ASCII are passed
/// over a word at a time.
fn all_beyond_ascii(text: &str, test: impl Fn(char) -> bool) -> bool {
    let mut rest = text;
    loop {
        let ascii = ascii_prefix_len(rest.as_bytes());
        let mut chars = rest[ascii..].chars();
        let Some(c) = chars.next() else {
            return true;
        };
        if !test(c) {
            return false;
        }
        rest = chars.as_str();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The screen only saves work: with or without it, a line matches the same rules with
    /// the same reasons.
    #[test]
    fn the_screen_never_changes_a_match() {
        let rules = RuleSet::load(&RuleSources {
            defaults: true,
            paths: Vec::new(),
        })
        .unwrap();
        assert!(rules.screen.is_some());
        let mut lines: Vec<String> = [
            "Photo: Jane Doe / Reuters",
            "(AP Photo/John Smith)",
            "© 2024 Example Media. All rights reserved.",
            "Example Media, ALL RIGHTS RESERVED",
            "Todos los derechos reservados.",
            "Tous droits réservés",
            "TOUS DROITS RÉSERVÉS",
            "Home | Privacy Policy | Terms of Use",
            "Home · Datenschutzerklärung",
            "Sign up for our newsletter",
            "Sign up for our newſletter",
            "Share this article",
            "ſhare on Facebook",
            "Share on Facebook",
            "12 comments",
            "12 \u{212A}ommentare",
            "Follow us on Twitter",
            "Follow uſ on Twitter",
            "We use cookies to improve your experience.",
            "We use coo\u{212A}ies to improve your experience.",
            "You May Also Like",
            "YOU MAY ALSO LIKE:",
            "Advertisement",
            "ADVERTISEMENT",
            "Read more »",
            "Lesen Sie auch: Ein Text",
            "À LIRE AUSSI : un texte",
            "“Quoted” — a line with curly quotes and dashes, read more.",
            "By Jane Doe",
            "Jane Doe is a reporter.",
            "The vote was 7-2 in favour of the plan.",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every phrase of every rule, as written, in capitals and with a colon.
        for rule in &rules.rules {
            for phrase in rule
                .def
                .matcher
                .line
                .iter()
                .chain(&rule.def.matcher.contains)
            {
                lines.push(phrase.clone());
                lines.push(phrase.to_uppercase());
                lines.push(format!("{phrase}:"));
                lines.push(format!("Before {phrase} after"));
            }
        }
        // A long line is screened as two halves: a phrase at every position, across the
        // middle too.
        let filler = "The council met on Monday and talked about the bridge for hours.";
        for phrase in ["may earn a commission", "all rights reserved", "©", "share"] {
            for at in 0..=filler.len() {
                if filler.is_char_boundary(at) {
                    lines.push(format!("{}{phrase}{}", &filler[..at], &filler[at..]));
                }
            }
        }
        // Lines too long to be a whole-line phrase, with capitals beyond ASCII: the
        // `contains` phrases are looked for in them without lower-casing them first.
        let long = format!("ÉTÉ {} WE MAY EARN A COMMISSION", "Ünïcödé ".repeat(30));
        let mut found = Vec::new();
        rules.matches(&long, &mut found);
        assert!(!found.is_empty(), "{long:?}");
        lines.push(long);
        lines.push(format!("{} may earn a commİssion", "Ä ".repeat(120)));
        let (mut with, mut without) = (Vec::new(), Vec::new());
        for line in &lines {
            rules.matches_screened(line, &mut with, rules.screen.as_ref());
            rules.matches_screened(line, &mut without, None);
            let key = |found: &[RuleMatch]| -> Vec<(usize, String)> {
                found.iter().map(|m| (m.rule, m.why.to_string())).collect()
            };
            assert_eq!(key(&with), key(&without), "{line:?}");
        }
    }

    /// What the whole-line phrase table must answer, as an anchored leftmost-longest
    /// automaton search ignoring ASCII case finds it: the longest phrase the line starts
    /// with, taken when only trailing marks follow it.
    fn line_phrase_by_automaton(phrases: &[String], line: &str) -> Option<String> {
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(phrases)
            .ok()?;
        let found = automaton.find(aho_corasick::Input::new(line).anchored(Anchored::Yes))?;
        line[found.end()..]
            .chars()
            .all(is_trailing_mark)
            .then(|| phrases[found.pattern().as_usize()].to_ascii_lowercase())
    }

    fn line_phrase_by_table(phrases: &[String], line: &str) -> Option<String> {
        let entries = phrases
            .iter()
            .map(|p| (p.clone(), 0, Arc::from(p.as_str())))
            .collect();
        let table = LinePhrases::build(entries)?;
        let number = table.find(line)?;
        Some(table.owners[number][0].1.to_ascii_lowercase())
    }

    /// A line of a script no phrase is written in is no phrase, lower-cased or not; one
    /// whose capitals lower-case into the phrases' characters may be.
    #[test]
    fn lines_of_other_scripts_are_no_phrase() {
        let phrases = ["Über uns", "Menü", "À propos", "more"];
        let entries = phrases
            .iter()
            .map(|p| (p.to_lowercase(), 0, Arc::from(*p)))
            .collect();
        let table = LinePhrases::build(entries).unwrap();
        for (line, may_be) in [
            ("ÜBER UNS", true),
            ("MENÜ »", true),
            ("À PROPOS:", true),
            ("ПОДРОБНЕЕ", false),
            ("More Я", false),
            ("İ", false),
            ("Σ", true),
            ("ΣΑ", false),
        ] {
            assert_eq!(table.may_be_lowered(line), may_be, "{line:?}");
            if !may_be {
                assert_eq!(table.find(&lowercase(line)), None, "{line:?}");
            }
        }
    }

    /// A regex compiled from its parsed pattern finds what `regex::Regex` finds (every
    /// default rule's regex, on lines of the rules' own examples and of the example page
    /// dumps), and a bad pattern gets the message `regex::Regex::new` gives.
    #[test]
    fn regexes_compiled_from_their_parse_match_as_regex_does() {
        let defs: Vec<RuleDef> = DEFAULT_RULE_FILES
            .iter()
            .filter_map(|(name, text)| load::parse_file(name, text).ok())
            .flat_map(|file| file.rules)
            .collect();
        let mut patterns: Vec<&str> = defs
            .iter()
            .filter_map(|rule| rule.matcher.regex.as_deref())
            .collect();
        assert!(patterns.len() >= 10);
        patterns.extend([r"(?i)^(photo|image)s?:?\s+\S+", r"^\w+ \d+, \d{4}$"]);
        let examples: Vec<String> = defs
            .iter()
            .flat_map(|rule| &rule.examples)
            .flat_map(|example| [Some(example.input.clone()), example.expect.clone()])
            .flatten()
            .collect();
        let seeds = [
            include_str!("../../examples/000_3de3fbf541c67ce2.txt"),
            include_str!("../../examples/004_501065e9a06ffd9b.txt"),
        ];
        let lines: Vec<&str> = examples
            .iter()
            .map(String::as_str)
            .chain(seeds)
            .flat_map(str::lines)
            .chain([
                "Photo: AP",
                "© 2024 Corp",
                "March 3, 2021",
                "ALL RIGHTS RESERVED.",
                "x",
            ])
            .collect();
        for pattern in patterns {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            let ours = compile_regex(pattern, Some(&hir)).unwrap();
            let theirs = regex::Regex::new(pattern).unwrap();
            for &line in &lines {
                let want = theirs.find(line).map(|m| m.range());
                assert_eq!(ours.find(line).map(|m| m.range()), want, "{pattern} {line}");
            }
        }
        let bad = "(unclosed";
        let message = regex::Regex::new(bad).unwrap_err().to_string();
        assert_eq!(compile_regex(bad, None).unwrap_err(), message);
    }

    /// A regex match explains itself by the text it matched, cut when long, not by its
    /// pattern.
    #[test]
    fn regex_matches_quote_the_matched_text() {
        let rules = RuleSet::load(&RuleSources {
            defaults: true,
            paths: Vec::new(),
        })
        .unwrap();
        let mut found = Vec::new();
        rules.matches("(AP Photo/John Smith)", &mut found);
        assert!(!found.is_empty());
        for m in &found {
            assert_eq!(&*m.why, "regex matched \"(AP Photo/John Smith)\"");
        }
        assert_eq!(
            &*regex_why(&"é".repeat(70)),
            format!("regex matched \"{}…\"", "é".repeat(60))
        );
        assert_eq!(&*regex_why("©"), "regex matched \"©\"");
    }

    /// However many marks trail a whole-line phrase, the line is that phrase: the length
    /// check that spares long lines the look-up counts the text before the marks.
    #[test]
    fn a_phrase_matches_behind_any_run_of_trailing_marks() {
        let rules = RuleSet::load(&RuleSources {
            defaults: true,
            paths: Vec::new(),
        })
        .unwrap();
        let longest = rules.line_phrases.as_ref().map_or(0, LinePhrases::longest);
        let mut found = Vec::new();
        for marks in [
            ".".repeat(3),
            ".".repeat(longest * 3 + 10),
            "»".repeat(longest * 2),
        ] {
            let line = format!("Advertisement{marks}");
            rules.matches(&line, &mut found);
            assert!(
                found
                    .iter()
                    .any(|m| &*rules.rules[m.rule].id == "chrome.advertisement"),
                "{} marks",
                marks.chars().count()
            );
        }
        // A long line of text that ends in marks is still no phrase.
        let line = format!("Advertisement {}...", "word ".repeat(longest));
        rules.matches(&line, &mut found);
        assert!(found
            .iter()
            .all(|m| &*rules.rules[m.rule].id != "chrome.advertisement"));
    }

    #[test]
    fn line_phrases_take_the_longest_phrase_before_trailing_marks() {
        let phrases: Vec<String> = ["read more", "read more »", "share", "share this", "more..."]
            .map(String::from)
            .to_vec();
        for (line, want) in [
            ("Read More", Some("read more")),
            ("read more »", Some("read more »")),
            ("read more » ›", Some("read more »")),
            ("READ MORE:", Some("read more")),
            ("read more here", None),
            ("Share this:", Some("share this")),
            ("share...", Some("share")),
            ("More...", Some("more...")),
            ("more", None),
            ("", None),
        ] {
            assert_eq!(
                line_phrase_by_table(&phrases, line).as_deref(),
                want,
                "{line:?}"
            );
            assert_eq!(
                line_phrase_by_automaton(&phrases, line).as_deref(),
                want,
                "{line:?}"
            );
        }
    }

    /// Pieces of lines for the property test below: words the rules look for, in pieces
    /// and whole, and characters that change how a line is screened.
    const PIECES: &[&str] = &[
        "Photo",
        "photo credit",
        "(AP Photo/",
        "Reuters",
        "By ",
        "by",
        "Par ",
        "share",
        "Share on",
        " Facebook",
        "email",
        "©",
        "(c)",
        "2024",
        "All rights reserved",
        "ALL RIGHTS RESERVED",
        "Follow us on",
        "Twitter",
        "we use",
        "cookies",
        "to improve",
        "experience",
        "Sign up",
        "for our",
        "newsletter",
        " | ",
        " · ",
        " • ",
        "“",
        "”",
        "–",
        "É",
        "é",
        "ſ",
        "\u{212A}",
        "İ",
        "Я",
        "comments",
        "12",
        " is a ",
        "reporter",
        "Read more",
        ":",
        "»",
        " ",
        ".",
        "may earn a commission",
        "Advertisement",
        "Lesen Sie auch",
        "Privacy Policy",
        "Impressum",
        "x",
    ];

    /// What a line matches, found the slow way: no screen and no regex filter, the phrases
    /// looked for in the lower-cased line and every regex run on it.
    fn unfiltered(rules: &RuleSet, text: &str) -> Vec<(usize, String)> {
        let mut found = Vec::new();
        let trimmed = text.trim();
        if !trimmed.is_empty() {
            // Every line is looked up: `matches` skips the lines that cannot be a phrase.
            let line_phrases = rules.line_phrases.as_ref();
            rules.match_phrases(line_phrases, true, &lowercase(trimmed), &mut found);
            for k in 0..rules.regexes.len() {
                rules.test_regex(k, trimmed, &mut found);
            }
            found.sort_by_key(|f| f.rule);
        }
        found.iter().map(|m| (m.rule, m.why.to_string())).collect()
    }

    /// What `line` matches with the screen and without it.
    fn screened_and_not(rules: &RuleSet, line: &str) -> [Vec<(usize, String)>; 2] {
        [rules.screen.as_ref(), None].map(|screen| {
            let mut found = Vec::new();
            rules.matches_screened(line, &mut found, screen);
            found.iter().map(|m| (m.rule, m.why.to_string())).collect()
        })
    }

    fn user_rule(number: usize, matcher: MatchDef) -> RuleDef {
        RuleDef {
            id: format!("user.rule-{number}"),
            description: String::new(),
            matcher,
            action: Action::Drop,
            position: Position::Anywhere,
            sites: Vec::new(),
            enabled: true,
            examples: Vec::new(),
            origin: Origin {
                file: "user.toml".into(),
                line: number + 1,
                column: 1,
            },
        }
    }

    fn regex_rule(number: usize, regex: &str) -> RuleDef {
        user_rule(
            number,
            MatchDef {
                regex: Some(regex.to_string()),
                ..MatchDef::default()
            },
        )
    }

    /// Regexes a user might write that the default rules do not: unanchored, anchored on a
    /// letter or on a few words, anchored at both ends, multi-line, matching anything, with
    /// characters beyond ASCII.
    const USER_REGEXES: &[&str] = &[
        r"^\d+ comments?$",
        r"(?i)^(?:ab|cd)",
        r"(?i:^ſhare now)|^Über",
        r"^\x{212A}elvin",
        r"(?i)kelvin scale",
        r"(?m)^foo",
        r"^(?:foo|)bar",
        r"^a",
        r"\bthe end\b",
        r"^.{0,12}$",
        r"^(?:yes|no)\.?$",
        r"x*",
        r"(?i)^über alles",
        r"^(?i:é)tude",
        r"(?i)^\s*photo",
        r"^[A-Z][a-z]+ says:$",
        r"^(?:Read|See) also: ",
        r"(?i)^(?:read|see) (?:more|also)|share$",
        r"(?i)^İstanbul",
        r"^©",
        r"(?i)©|\(c\)",
        r"^$",
        r"(?i)^(?:\d+ notes?|notes? \(\d+\))$",
        r"^\p{Han}+新闻",
    ];

    /// Pieces of user lines, for the rule sets below.
    const USER_PIECES: &[&str] = &[
        "word12 ",
        "tail7",
        "pre5",
        "alt8 x",
        "ab",
        "CD",
        "kelvin",
        "\u{212A}elvin",
        "Kelvin scale",
        "foo",
        "bar",
        "\nfoo",
        "the end",
        "yes",
        "no",
        "über alles",
        "Über",
        "étude",
        "Étude",
        " photo",
        "says:",
        "also: ",
        "İstanbul",
        "istanbul",
        "©",
        "(c)",
        "\t",
        "\u{0663}",
        "\u{FF12}",
        "12 ",
        " notes",
        "Note (3)",
        "中文",
        "新闻",
    ];

    /// Rule sets to hold the screen to: the defaults; the defaults with a user's odd regexes
    /// and phrases; regexes that are all told apart by their start, with no phrase (nothing
    /// to walk a line for); many generated rules, just under and over what the screen covers.
    fn rule_sets() -> &'static [RuleSet] {
        static SETS: std::sync::OnceLock<Vec<RuleSet>> = std::sync::OnceLock::new();
        SETS.get_or_init(|| {
            let defaults = RuleSet::load(&RuleSources {
                defaults: true,
                paths: Vec::new(),
            })
            .unwrap();
            let mut with_user: Vec<RuleDef> =
                defaults.rules.iter().map(|r| r.def.clone()).collect();
            let first = with_user.len();
            with_user.extend(
                USER_REGEXES
                    .iter()
                    .enumerate()
                    .map(|(k, regex)| regex_rule(first + k, regex)),
            );
            with_user.push(user_rule(
                first + USER_REGEXES.len(),
                MatchDef {
                    line: vec!["More".into(), "Share this".into(), "Über uns".into()],
                    contains: vec![
                        "affiliate".into(),
                        "Ünïcödé phrase".into(),
                        "the end".into(),
                    ],
                    regex: Some(r"(?i)^more\b".into()),
                    selector: None,
                },
            ));
            let by_start = [r"(?i)^(?:ab|cd)", r"^(?:By|Par) ", r"(?i)^über alles"]
                .iter()
                .enumerate()
                .map(|(k, regex)| regex_rule(k, regex))
                .collect();
            let generated = |count: usize| -> Vec<RuleDef> {
                let mut defs: Vec<RuleDef> = (0..count)
                    .map(|i| {
                        let regex = match i % 4 {
                            0 => format!("^word{i} "),
                            1 => format!("(?i)tail{i}$"),
                            2 => format!("(?i)^(?:pre{i}|alt{i}) x"),
                            _ => format!("^[a-z]{{{}}}{i}", i % 3 + 1),
                        };
                        regex_rule(i, &regex)
                    })
                    .collect();
                defs.push(user_rule(
                    count,
                    MatchDef {
                        contains: vec!["affiliate".into(), "tail1".into()],
                        ..MatchDef::default()
                    },
                ));
                defs
            };
            let compile = |defs| RuleSet::compile(defs, Vec::new()).unwrap();
            vec![
                defaults,
                compile(with_user),
                compile(by_start),
                compile(generated(250)),
                compile(generated(300)),
            ]
        })
    }

    /// The pieces random lines for `rules` are made of: the phrases, the literals the
    /// screen looks for, the prefixes regexes are told apart by, and words and characters
    /// that change how a line is screened.
    fn pieces(rules: &RuleSet) -> Vec<String> {
        let mut pieces: Vec<String> = PIECES
            .iter()
            .chain(USER_PIECES)
            .map(|s| s.to_string())
            .collect();
        let text = |bytes: &[u8]| match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(e) => String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
        };
        for rule in &rules.rules {
            pieces.extend(rule.def.matcher.line.iter().cloned());
            pieces.extend(rule.def.matcher.contains.iter().cloned());
        }
        for k in 0..rules.regexes.len() {
            for literal in rules.regex_filters.literals(k).unwrap_or(&[]) {
                pieces.push(text(literal));
            }
            for prefix in rules.regex_filters.start_prefixes(k).unwrap_or(&[]) {
                pieces.push(text(prefix));
            }
        }
        pieces
    }

    /// A line with capitals beyond ASCII is not covered by the screen, yet its regex
    /// literals still rule regexes out, and the same rules match as without the screen.
    #[test]
    fn lines_with_capitals_beyond_ascii_are_screened_for_regexes() {
        let rules = &rule_sets()[0];
        let screen = rules.screen.as_ref().unwrap();
        let line = "Эксклюзивный рецепт для быстрого ужина.";
        assert!(!screen.covers(line) && !screen.holds_alias(line));
        assert_eq!(screen.scan(line).regexes, [0; MAX_SCREENED_REGEXES / 64]);
        assert!(screened_and_not(rules, line).iter().all(Vec::is_empty));
        for (line, alias) in [
            ("© 2024 Пример. Все права защищены", false),
            ("ПРИМЕР. All Rights Reserved.", false),
            ("Exemple. TOUS DROITS RÉSERVÉS", false),
            ("Inicio | POLÍTICA DE PRIVACIDAD", false),
            ("Пример. All Rights Reserved. \u{212A}", true),
            ("ſHARE ON FACEBOOK", true),
        ] {
            assert!(!screen.covers(line), "{line:?}");
            assert_eq!(screen.holds_alias(line), alias, "{line:?}");
            let [with, without] = screened_and_not(rules, line);
            assert!(!with.is_empty(), "{line:?}");
            assert_eq!(with, without, "{line:?}");
            assert_eq!(with, unfiltered(rules, line), "{line:?}");
        }
    }

    #[test]
    fn regexes_told_apart_by_their_start_leave_the_screen() {
        let rules = &rule_sets()[0];
        let by_start = (0..rules.regexes.len())
            .filter(|&k| rules.regex_filters.start_prefixes(k).is_some())
            .count();
        assert!(by_start >= 10, "{by_start}");
        // Every regex told apart by its start really matches at the line's start only.
        for k in 0..rules.regexes.len() {
            if rules.regex_filters.start_prefixes(k).is_some() {
                assert!(rules.regex_filters.literals(k).is_none());
            }
        }
        // Nothing is walked for when nothing needs it.
        assert!(rule_sets()[2].screen.as_ref().unwrap().automaton.is_none());
        assert!(rule_sets()[3].screen.is_some());
        assert!(rule_sets()[4].screen.is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// On lines made of the phrases, literals and prefixes of a rule set, in any case
        /// and with characters beyond ASCII, the screen changes no match: with it, without
        /// it, and with no filter at all, the same rules match with the same reasons.
        #[test]
        fn every_rule_set_matches_alike_with_and_without_the_screen(
            set in 0..5usize,
            picks in proptest::collection::vec((proptest::prelude::any::<usize>(), 0..6u8), 0..10),
        ) {
            static PIECES_OF: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
            let sets = rule_sets();
            let all_pieces = PIECES_OF.get_or_init(|| sets.iter().map(pieces).collect());
            let (rules, pieces) = (&sets[set], &all_pieces[set]);
            let line: String = picks
                .iter()
                .map(|&(k, case)| {
                    let piece = &pieces[k % pieces.len()];
                    match case {
                        0 => piece.to_uppercase(),
                        1 => piece.to_lowercase(),
                        2 => {
                            let mut chars = piece.chars();
                            chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
                        }
                        3 => piece
                            .chars()
                            .map(|c| if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                            .collect(),
                        _ => piece.clone(),
                    }
                })
                .collect();
            let [with, without] = screened_and_not(rules, &line);
            proptest::prop_assert_eq!(&with, &without, "{:?}", line);
            proptest::prop_assert_eq!(&with, &unfiltered(rules, &line), "{:?}", line);
        }
    }

    proptest::proptest! {
        /// On lines made of the words rules look for, the screen and the regex filters never
        /// change a match: with and without the screen, the same rules match with the same
        /// reasons, and every regex that matches a line is one its filter let through.
        #[test]
        fn the_screen_never_changes_a_match_on_random_lines(
            picks in proptest::collection::vec((0..PIECES.len(), proptest::bool::ANY), 0..12),
        ) {
            static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
            let rules = RULES.get_or_init(|| {
                RuleSet::load(&RuleSources { defaults: true, paths: Vec::new() }).unwrap()
            });
            let line: String = picks
                .iter()
                .map(|&(k, upper)| {
                    if upper { PIECES[k].to_uppercase() } else { PIECES[k].to_string() }
                })
                .collect();
            let (mut with, mut without) = (Vec::new(), Vec::new());
            rules.matches_screened(&line, &mut with, rules.screen.as_ref());
            rules.matches_screened(&line, &mut without, None);
            let key = |found: &[RuleMatch]| -> Vec<(usize, String)> {
                found.iter().map(|m| (m.rule, m.why.to_string())).collect()
            };
            proptest::prop_assert_eq!(key(&with), key(&without), "{:?}", line);
            let trimmed = line.trim();
            let mut allowed = Vec::new();
            rules.regex_filters.candidates(trimmed, |k| allowed.push(k));
            for (k, regex) in rules.regexes.iter().enumerate() {
                if regex.regex.is_match(trimmed) {
                    proptest::prop_assert!(allowed.contains(&k), "regex {} hidden for {:?}", k, line);
                }
            }
        }

        /// A line the table finds once lower-cased is never ruled out before it is.
        #[test]
        fn lines_found_lower_cased_may_be_phrases(
            phrases in proptest::collection::vec("[aB: .»…éÉüЯя]{0,6}", 1..8),
            line in "[aAbB: .»…éÉüÜЯяİ\u{212A}ΣK!]{0,10}",
        ) {
            let entries = phrases
                .iter()
                .map(|p| (p.to_lowercase(), 0, Arc::from(p.as_str())))
                .collect();
            if let Some(table) = LinePhrases::build(entries) {
                if table.find(&lowercase(&line)).is_some() {
                    proptest::prop_assert!(table.may_be_lowered(&line), "{:?}", line);
                }
            }
        }

        #[test]
        fn line_phrase_table_finds_what_the_automaton_finds(
            phrases in proptest::collection::vec("[aB: .»…é]{0,6}", 1..8),
            line in "[aAbB: .»…éÉ!]{0,10}",
        ) {
            proptest::prop_assert_eq!(
                line_phrase_by_table(&phrases, &line),
                line_phrase_by_automaton(&phrases, &line)
            );
        }

        #[test]
        fn lowercase_follows_to_lowercase(
            text in "([a-zA-Z0-9 .]{0,12}|[ÀÉéßİŁœΣσКкЯяЀ“”–K]|[\\x{80}-\\x{10FFFF}]){0,30}"
        ) {
            proptest::prop_assert_eq!(lowercase(&text), text.to_lowercase());
        }
    }

    /// Lower-casing a line puts ASCII where it had none only for the two characters
    /// `lowers_into_ascii` looks for.
    #[test]
    fn only_two_characters_lower_into_ascii() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let into_ascii = c.to_lowercase().any(|lower| lower.is_ascii());
            let mut buffer = [0; 4];
            assert_eq!(
                lowers_into_ascii(c.encode_utf8(&mut buffer).as_bytes()),
                into_ascii,
                "{c:?} (U+{:04X})",
                c as u32
            );
        }
    }

    #[test]
    fn capitals_table_agrees_with_to_lowercase() {
        for c in (0..0x11000).filter_map(char::from_u32) {
            let lower: Vec<char> = c.to_lowercase().collect();
            assert_eq!(
                is_own_lower_case(c),
                lower == [c],
                "{c:?} (U+{:04X})",
                c as u32
            );
        }
        assert!(!is_own_lower_case('Я'));
        assert!(is_own_lower_case('я'));
        assert!(!is_own_lower_case('İ'));
        assert!(is_own_lower_case('日'));
    }

    #[test]
    fn lowercase_is_to_lowercase() {
        for text in [
            "",
            "PLAIN ASCII Line",
            "Ünïcödé ÀND ascii",
            "“Quoted” – DASH",
            "ΟΔΥΣΣΕΥΣ Σ ΣΑ",
            "İSTANBUL \u{212A}ELVIN ẞTRASSE ǅ",
            "日本語 ТЕКСТ Ωmega",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text:?}");
        }
    }
}
