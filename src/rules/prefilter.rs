//! Cheap tests that rule a line out for a regex before the regex runs.
//!
//! Rule regexes run on every line of every page, and most lines cannot match most of them.
//! Most rule regexes are anchored at the line's start and begin with a word or two (`^\(?
//! (photo|image)...`, `^(?:share|send|email) ...`): a match can begin with a few bytes only,
//! and often with one of a few literal prefixes, which `regex_syntax` lists from the pattern.
//! Checking a line's first byte, then those prefixes, settles nearly every line for a
//! fraction of a regex search. A regex that can start anywhere may still need one of a few
//! bytes somewhere (the `|` of a row of footer links), which `memchr` looks for.
//!
//! The tests are exact in the one direction that matters: a line they rule out has no
//! match. A line they let through goes to the regex.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use memchr::memmem;
use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// For a list of regexes, which of them a line might match.
pub struct RegexFilters {
    filters: Vec<(LineFilter, Option<memmem::Finder<'static>>)>,
}

/// What is known about the lines one regex can match.
enum LineFilter {
    /// Every match starts at the line's start, with one of `first_bytes`, and with one of
    /// `prefixes` when those are known.
    Start {
        first_bytes: ByteSet,
        prefixes: Option<AhoCorasick>,
    },
    /// Every match holds one of these (at most three) bytes.
    Needs(Vec<u8>),
    /// Nothing useful: every line goes to the regex.
    Any,
}

/// A set of bytes, one flag per byte value.
type ByteSet = Box<[bool; 256]>;

impl RegexFilters {
    /// Filters for `patterns`, parsed with the syntax settings `Regex::new` uses (the
    /// defaults). A pattern that does not parse always runs: the regex reports its own error.
    pub fn new(patterns: &[&str]) -> RegexFilters {
        let filters = patterns
            .iter()
            .map(|pattern| match regex_syntax::Parser::new().parse(pattern) {
                Ok(hir) => {
                    let needed = required_literal(&hir)
                        .filter(|literal| literal.len() >= MIN_REQUIRED_LITERAL)
                        .map(|literal| memmem::Finder::new(&literal).into_owned());
                    (LineFilter::of(&hir), needed)
                }
                Err(_) => (LineFilter::Any, None),
            })
            .collect();
        RegexFilters { filters }
    }

    /// Calls `test` with the index of every regex that might match `line`, in order; the
    /// regexes it leaves out cannot match.
    pub fn candidates(&self, line: &str, mut test: impl FnMut(usize)) {
        for (regex, (filter, needed)) in self.filters.iter().enumerate() {
            if filter.might_match(line.as_bytes())
                && needed
                    .as_ref()
                    .is_none_or(|finder| finder.find(line.as_bytes()).is_some())
            {
                test(regex);
            }
        }
    }
}

impl LineFilter {
    /// The most selective filter known for a regex: literal prefixes, else a few uncommon
    /// bytes it needs (letters, digits and spaces are in nearly every line), else the bytes
    /// it can start with unless that is nearly any byte.
    fn of(hir: &Hir) -> LineFilter {
        let mut start = None;
        if hir.properties().look_set_prefix().contains(Look::Start) {
            let (first_bytes, can_be_empty) = first_bytes(hir);
            if !can_be_empty {
                let prefixes = prefix_automaton(hir);
                if prefixes.is_some() {
                    return LineFilter::Start {
                        first_bytes,
                        prefixes,
                    };
                }
                start = Some(first_bytes);
            }
        }
        if let Some(needed) = required_bytes(hir) {
            let needed: Vec<u8> = (0..=255u8).filter(|&b| needed[b as usize]).collect();
            if needed.len() <= 3 && needed.iter().all(|&b| !is_common(b)) {
                return LineFilter::Needs(needed);
            }
        }
        match start {
            Some(first_bytes) if first_bytes.iter().filter(|&&b| b).count() < 128 => {
                LineFilter::Start {
                    first_bytes,
                    prefixes: None,
                }
            }
            _ => LineFilter::Any,
        }
    }

    fn might_match(&self, line: &[u8]) -> bool {
        match self {
            LineFilter::Start {
                first_bytes,
                prefixes,
            } => {
                line.first().is_some_and(|&b| first_bytes[b as usize])
                    && prefixes
                        .as_ref()
                        .is_none_or(|p| p.is_match(Input::new(line).anchored(Anchored::Yes)))
            }
            LineFilter::Needs(bytes) => match bytes[..] {
                [] => false,
                [a] => memchr::memchr(a, line).is_some(),
                [a, b] => memchr::memchr2(a, b, line).is_some(),
                [a, b, c, ..] => memchr::memchr3(a, b, c, line).is_some(),
            },
            LineFilter::Any => true,
        }
    }
}

/// The bytes a match of `hir` can start with, and whether it can be empty (then it can
/// start with anything that follows). A character class contributes the first UTF-8 byte
/// of each of its characters: those of a range of characters form a range of bytes.
fn first_bytes(hir: &Hir) -> (ByteSet, bool) {
    let mut set = Box::new([false; 256]);
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => return (set, true),
        HirKind::Literal(literal) => set[literal.0[0] as usize] = true,
        HirKind::Class(class) => add_lead_bytes(class, &mut set),
        HirKind::Repetition(repetition) => {
            let (sub, can_be_empty) = first_bytes(&repetition.sub);
            return (sub, can_be_empty || repetition.min == 0);
        }
        HirKind::Capture(capture) => return first_bytes(&capture.sub),
        HirKind::Concat(parts) => {
            for part in parts {
                let (sub, can_be_empty) = first_bytes(part);
                union(&mut set, &sub);
                if !can_be_empty {
                    return (set, false);
                }
            }
            return (set, true);
        }
        HirKind::Alternation(branches) => {
            let mut any_empty = false;
            for branch in branches {
                let (sub, can_be_empty) = first_bytes(branch);
                union(&mut set, &sub);
                any_empty |= can_be_empty;
            }
            return (set, any_empty);
        }
    }
    (set, false)
}

/// Letters, digits and spaces: nearly every line has them, so needing one rules out nothing.
fn is_common(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b' '
}

/// Bytes one of which every match of `hir` holds, when some are known: the first bytes of a
/// part of a concatenation that cannot be empty (the most selective such set: no common
/// bytes if possible, then the fewest), or of every branch of an alternation together.
fn required_bytes(hir: &Hir) -> Option<ByteSet> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        // Every byte of a literal is in every match: the least common one says most.
        HirKind::Literal(literal) => {
            let mut set = Box::new([false; 256]);
            let bytes = &literal.0;
            let pick = bytes.iter().find(|&&b| !is_common(b)).or(bytes.first())?;
            set[*pick as usize] = true;
            Some(set)
        }
        HirKind::Class(_) => Some(first_bytes(hir).0),
        HirKind::Repetition(repetition) if repetition.min >= 1 => required_bytes(&repetition.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(capture) => required_bytes(&capture.sub),
        HirKind::Concat(parts) => parts.iter().filter_map(required_bytes).min_by_key(|set| {
            let has_common = (0..=255u8).any(|b| set[b as usize] && is_common(b));
            (has_common, set.iter().filter(|&&b| b).count())
        }),
        HirKind::Alternation(branches) => {
            let mut set = Box::new([false; 256]);
            for branch in branches {
                union(&mut set, &*required_bytes(branch)?);
            }
            Some(set)
        }
    }
}

/// The shortest literal worth a substring search of its own: a byte or two is left to the
/// byte tests, which cost less.
const MIN_REQUIRED_LITERAL: usize = 3;

/// The longest literal that every match of `hir` holds, when one is known: a literal part
/// of a concatenation (or of what it repeats at least once). Case-insensitive letters are
/// classes, not literals, so a literal is matched byte for byte.
fn required_literal(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(literal) => Some(literal.0.to_vec()),
        HirKind::Capture(capture) => required_literal(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => required_literal(&repetition.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required_literal)
            .max_by_key(|literal| literal.len()),
        _ => None,
    }
}

fn add_lead_bytes(class: &Class, set: &mut [bool; 256]) {
    match class {
        Class::Unicode(class) => {
            for range in class.iter() {
                let lead = |c: char| c.encode_utf8(&mut [0; 4]).as_bytes()[0];
                for b in lead(range.start())..=lead(range.end()) {
                    set[b as usize] = true;
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.iter() {
                for b in range.start()..=range.end() {
                    set[b as usize] = true;
                }
            }
        }
    }
}

fn union(set: &mut [bool; 256], other: &[bool; 256]) {
    for (a, b) in set.iter_mut().zip(other) {
        *a |= b;
    }
}

/// An anchored automaton over the literal prefixes of `hir`'s matches, when it has a few.
/// It ignores ASCII case: a case-insensitive regex yields every spelling ("PHOT", "PHOt",
/// ...), and accepting more spellings than the regex never rules out a match.
fn prefix_automaton(hir: &Hir) -> Option<AhoCorasick> {
    let mut prefixes: Vec<Vec<u8>> = prefix_literals(hir)?
        .into_iter()
        .map(|l| l.to_ascii_lowercase())
        .collect();
    prefixes.sort();
    prefixes.dedup();
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .start_kind(StartKind::Anchored)
        .build(&prefixes)
        .ok()
}

/// Literals one of which every match of `hir` starts with, none of them empty. A
/// case-insensitive alternation has too many full prefixes to list ("photo" alone has 32
/// spellings), so shorter ones are tried ("pho", "PHo", ...), which still rule out nearly
/// every line. `None` when a match can start with almost anything (`\w+`, `.*`) or nothing.
fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    [8, 3, 1].into_iter().find_map(|limit| {
        let seq = Extractor::new().limit_literal_len(limit).extract(hir);
        let literals = seq.literals()?;
        let usable = !literals.is_empty() && literals.iter().all(|l| !l.as_bytes().is_empty());
        usable.then(|| literals.iter().map(|l| l.as_bytes().to_vec()).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regexes (by index) that `filters` lets through for `line`.
    fn candidates(patterns: &[&str], line: &str) -> Vec<usize> {
        let mut found = Vec::new();
        RegexFilters::new(patterns).candidates(line, |k| found.push(k));
        found.sort_unstable();
        found.dedup();
        found
    }

    fn filter(pattern: &str) -> LineFilter {
        LineFilter::of(&regex_syntax::Parser::new().parse(pattern).unwrap())
    }

    #[test]
    fn anchored_alternation_is_ruled_out_by_its_start() {
        let p = [r"(?i)^\(?(photo|image)s?\s*:\s*\S+$"];
        assert!(matches!(
            filter(p[0]),
            LineFilter::Start {
                prefixes: Some(_),
                ..
            }
        ));
        assert_eq!(candidates(&p, "Photo: Jane Doe"), [0]);
        assert_eq!(candidates(&p, "(IMAGES: x"), [0]);
        assert!(candidates(&p, "The photo: a story").is_empty());
        assert!(candidates(&p, "Pictures: none").is_empty());
        assert!(candidates(&p, "").is_empty());
    }

    #[test]
    fn wide_class_at_the_start_still_limits_the_first_byte() {
        // Any Unicode digit can start it: too many prefixes to list, but not every byte.
        let p = [r"^(?:\d+ comments|Comments)"];
        assert!(matches!(
            filter(p[0]),
            LineFilter::Start { prefixes: None, .. }
        ));
        assert_eq!(candidates(&p, "12 comments"), [0]);
        assert_eq!(candidates(&p, "\u{0663} comments"), [0]);
        assert!(candidates(&p, "No comments").is_empty());
    }

    #[test]
    fn a_required_separator_is_looked_for_anywhere() {
        let p = [r"^(?:[^|·]+[|·]\s*)+Privacy$"];
        assert!(matches!(filter(p[0]), LineFilter::Needs(_)));
        assert_eq!(candidates(&p, "Home | Privacy"), [0]);
        assert_eq!(candidates(&p, "Home · Privacy"), [0]);
        assert!(candidates(&p, "Nothing to see").is_empty());
    }

    #[test]
    fn a_literal_is_looked_for_by_its_least_common_byte() {
        // The separator " / " is in every match of the last branch; its '/' is the test.
        let p = [r"(?i)\((photo|image)[ :/)][^()]*\)$| / (AP|Reuters)$"];
        assert!(matches!(filter(p[0]), LineFilter::Needs(_)));
        assert_eq!(candidates(&p, "A scene / Reuters"), [0]);
        assert_eq!(candidates(&p, "A scene (Photo: x)"), [0]);
        assert!(candidates(&p, "A scene by Reuters").is_empty());
    }

    #[test]
    fn a_required_literal_is_looked_for_anywhere() {
        let p = [r"^[A-Z][^ ]+( [A-Z][^ ]+){0,3} is an? (writer|reporter)[ ,.]"];
        assert_eq!(candidates(&p, "Jane Doe is a writer."), [0]);
        assert!(candidates(&p, "Jane Doe was a writer.").is_empty());
        assert!(candidates(&p, "Jane Doe Is A writer.").is_empty());
    }

    #[test]
    fn unknown_shapes_let_every_line_through() {
        let p = [
            r"\w+",
            r"^",
            r"a*",
            r"(?i)^©|(?:^|[.,]\s*)all rights reserved",
        ];
        for pattern in p {
            assert!(matches!(filter(pattern), LineFilter::Any), "{pattern}");
        }
        assert_eq!(candidates(&p, ""), [0, 1, 2, 3]);
    }

    /// The filters never rule out a line a regex matches, for the default rules' regexes.
    #[test]
    fn filters_never_hide_a_match() {
        let patterns: Vec<String> = crate::rules::DEFAULT_RULE_FILES
            .iter()
            .filter_map(|(name, text)| crate::rules::load::parse_file(name, text).ok())
            .flat_map(|defs| defs.rules)
            .filter_map(|rule| rule.matcher.regex)
            .collect();
        assert!(!patterns.is_empty());
        let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let lines = [
            "Photo: Jane Doe / Reuters",
            "(AP Photo/John Smith)",
            "© 2024 Example Media. All rights reserved.",
            "Copyright 2023 Example",
            "Example Media, all rights reserved",
            "Home | Privacy Policy | Terms of Use",
            "Sign up for our newsletter",
            "Share this article",
            "12 comments",
            "Follow us on Twitter",
            "We use cookies to improve your experience.",
            "The vote was 7-2 in favour of the plan.",
            "Él dijo: «todos los derechos reservados»",
        ];
        for line in lines {
            let allowed = candidates(&patterns, line);
            for (k, pattern) in patterns.iter().enumerate() {
                if regex::Regex::new(pattern).unwrap().is_match(line) {
                    assert!(allowed.contains(&k), "/{pattern}/ hidden for {line:?}");
                }
            }
        }
    }
}
