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

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, MatchKind, StartKind};
use memchr::memmem;
use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Look, Repetition,
};

/// For a list of regexes, which of them a line might match.
pub struct RegexFilters {
    filters: Vec<RegexFilter>,
    /// Per regex, literals one of which every match holds (ignoring ASCII case), when a
    /// selective set is known (see `required_literals`) and the regex is not told apart by
    /// its start instead (see `starts`).
    literals: Vec<Option<Vec<Vec<u8>>>>,
    /// Characters left out of the literal sets as another spelling of an ASCII letter.
    aliases: Vec<char>,
    /// Bit `k % 64` of word `k / 64`: regex `k` has no literal set and is not told apart
    /// by its start.
    unscreened: Vec<u64>,
    /// The regexes told apart by their start: every match starts at the line's start with
    /// one of a few literal prefixes of two bytes or more (see `Prefixes::selective`). A
    /// line can only match such a regex when it starts with one of its prefixes, which an
    /// automaton of them all says in a few steps from the line's start: the regex needs no
    /// literal looked for along the line.
    starts: Option<StartPrefixes>,
}

/// At most this many prefixes in `StartPrefixes`, which keeps its automaton to a few
/// megabytes: the regexes past them are screened by their literals.
const MAX_START_PREFIXES: usize = 2048;

/// The prefixes of the regexes told apart by their start, in one automaton walked from a
/// line's start, ignoring ASCII case.
struct StartPrefixes {
    automaton: aho_corasick::dfa::DFA,
    /// Where a walk from a line's start begins.
    start: StateID,
    /// Per pattern: the regex it is a prefix of.
    regex: Vec<usize>,
}

/// What rules a line out for one regex.
struct RegexFilter {
    start: LineFilter,
    /// A literal every match holds, looked for when `start` lets a line through.
    needed: Option<memmem::Finder<'static>>,
    /// The longest line the regex can match, in bytes: a regex anchored at both ends
    /// matches the whole line, so a line longer than its longest match cannot match.
    longest: usize,
}

impl RegexFilter {
    fn might_match(&self, line: &[u8]) -> bool {
        line.len() <= self.longest
            && self.start.might_match(line)
            && self
                .needed
                .as_ref()
                .is_none_or(|finder| finder.find(line).is_some())
    }
}

/// What is known about the lines one regex can match.
enum LineFilter {
    /// Every match starts at the line's start, with one of `first_bytes`, and with one of
    /// `prefixes` when those are known.
    Start {
        first_bytes: ByteSet,
        prefixes: Option<Prefixes>,
    },
    /// Every match holds one of these (at most three) characters, or bytes: each is looked
    /// for by its last byte.
    Needs(Vec<Vec<u8>>),
    /// Nothing useful: every line goes to the regex.
    Any,
}

/// A set of bytes, one flag per byte value.
type ByteSet = Box<[bool; 256]>;

impl RegexFilters {
    /// Filters for `patterns`, parsed with the syntax settings `Regex::new` uses (the
    /// defaults). A pattern that does not parse always runs: the regex reports its own error.
    #[cfg(test)]
    pub fn new(patterns: &[&str]) -> RegexFilters {
        let hirs: Vec<Option<Hir>> = patterns
            .iter()
            .map(|pattern| regex_syntax::Parser::new().parse(pattern).ok())
            .collect();
        RegexFilters::of_hirs(&hirs.iter().map(Option::as_ref).collect::<Vec<_>>())
    }

    /// Filters for patterns already parsed (with the syntax settings `Regex::new` uses), so
    /// the one parse serves both the filter and the regex. `None` stands for a pattern that
    /// does not parse: it always runs.
    pub fn of_hirs(patterns: &[Option<&Hir>]) -> RegexFilters {
        let mut filters = Vec::with_capacity(patterns.len());
        let mut literals = Vec::with_capacity(patterns.len());
        let mut starts: Vec<Option<Vec<Box<[u8]>>>> = Vec::with_capacity(patterns.len());
        let mut start_total = 0;
        let mut aliases = Vec::new();
        for &pattern in patterns {
            match pattern {
                Some(hir) => {
                    let needed = required_literal(hir)
                        .filter(|literal| literal.len() >= MIN_REQUIRED_LITERAL)
                        .map(|literal| memmem::Finder::new(&literal).into_owned());
                    let start = LineFilter::of(hir);
                    let by_start = match &start {
                        LineFilter::Start {
                            prefixes: Some(prefixes),
                            ..
                        } if prefixes.selective()
                            && start_total + prefixes.prefixes.len() <= MAX_START_PREFIXES =>
                        {
                            start_total += prefixes.prefixes.len();
                            Some(prefixes.prefixes.clone())
                        }
                        _ => None,
                    };
                    let longest = longest_match(hir).unwrap_or(usize::MAX);
                    filters.push(RegexFilter {
                        start,
                        needed,
                        longest,
                    });
                    let set = if by_start.is_some() {
                        None
                    } else {
                        let mut regex_aliases = Vec::new();
                        let set = required_literals(hir, &mut regex_aliases)
                            .filter(|set| set.iter().all(|literal| selective(literal)));
                        if set.is_some() {
                            aliases.extend(regex_aliases);
                        }
                        set
                    };
                    literals.push(set);
                    starts.push(by_start);
                }
                None => {
                    filters.push(RegexFilter {
                        start: LineFilter::Any,
                        needed: None,
                        longest: usize::MAX,
                    });
                    literals.push(None);
                    starts.push(None);
                }
            }
        }
        aliases.sort_unstable();
        aliases.dedup();
        let mut unscreened = vec![0u64; literals.len().div_ceil(64)];
        let mut by_start = vec![0u64; unscreened.len()];
        let mut prefixes: Vec<Box<[u8]>> = Vec::new();
        let mut owners = Vec::new();
        for (k, (set, start)) in literals.iter().zip(starts).enumerate() {
            match start {
                Some(start) => {
                    owners.extend(std::iter::repeat_n(k, start.len()));
                    prefixes.extend(start);
                    by_start[k / 64] |= 1 << (k % 64);
                }
                None if set.is_none() => unscreened[k / 64] |= 1 << (k % 64),
                None => {}
            }
        }
        let starts = StartPrefixes::build(&prefixes, owners);
        if starts.is_none() {
            // Without the automaton these regexes run their own filters on every line.
            for (word, by_start) in unscreened.iter_mut().zip(by_start) {
                *word |= by_start;
            }
        }
        RegexFilters {
            filters,
            literals,
            aliases,
            unscreened,
            starts,
        }
    }

    /// Characters the literal sets leave out because they stand for an ASCII letter (see
    /// `required_literals`): a line holding one must not be judged by the literal sets.
    pub fn aliases(&self) -> &[char] {
        &self.aliases
    }

    /// The required literals of regex `regex` (see `required_literals`), when it has a
    /// selective set: a line holding none of them (ignoring ASCII case) cannot match it.
    pub fn literals(&self, regex: usize) -> Option<&[Vec<u8>]> {
        self.literals.get(regex)?.as_deref()
    }

    /// Sets bit `k % 64` of `bits[k / 64]` for each regex `k` told apart by its start
    /// (see `starts`) that `line` starts with a prefix of: the others of them cannot match.
    #[inline]
    pub fn starting_with(&self, line: &str, bits: &mut [u64]) {
        let Some(starts) = &self.starts else {
            return;
        };
        let dfa = &starts.automaton;
        let mut state = starts.start;
        // The walk ends at the dead state, a prefix's length at most from the start.
        for &byte in line.as_bytes() {
            state = dfa.next_state(Anchored::Yes, state, byte);
            if dfa.is_special(state) {
                if dfa.is_dead(state) {
                    return;
                }
                for k in 0..dfa.match_len(state) {
                    let pattern = dfa.match_pattern(state, k).as_usize();
                    if let Some(&regex) = starts.regex.get(pattern) {
                        if let Some(word) = bits.get_mut(regex / 64) {
                            *word |= 1 << (regex % 64);
                        }
                    }
                }
            }
        }
    }

    /// The prefixes of regex `regex` when it is told apart by its start (see `starts`).
    #[cfg(test)]
    pub fn start_prefixes(&self, regex: usize) -> Option<&[Box<[u8]>]> {
        let starts = self.starts.as_ref()?;
        starts.regex.contains(&regex).then_some(())?;
        match &self.filters.get(regex)?.start {
            LineFilter::Start {
                prefixes: Some(prefixes),
                ..
            } => Some(&prefixes.prefixes),
            _ => None,
        }
    }

    /// `candidates` for a line of which it is already known which regexes' required
    /// literals it holds or whose prefixes it starts with (see `starting_with`): bit
    /// `k % 64` of `holds_literal[k / 64]` for regex `k`. Regexes with neither a literal
    /// set nor such prefixes are tested as `candidates` tests them; the others only when
    /// their bit is set, so a line holding no literal costs a few word operations.
    pub fn candidates_given(&self, line: &str, holds_literal: &[u64], mut test: impl FnMut(usize)) {
        for (word, &unscreened) in self.unscreened.iter().enumerate() {
            let mut bits = unscreened | holds_literal.get(word).copied().unwrap_or(0);
            while bits != 0 {
                let regex = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let Some(filter) = self.filters.get(regex) else {
                    break;
                };
                if filter.might_match(line.as_bytes()) {
                    test(regex);
                }
            }
        }
    }

    /// Calls `test` with the index of every regex that might match `line`, in order; the
    /// regexes it leaves out cannot match.
    pub fn candidates(&self, line: &str, mut test: impl FnMut(usize)) {
        for (regex, filter) in self.filters.iter().enumerate() {
            if filter.might_match(line.as_bytes()) {
                test(regex);
            }
        }
    }
}

impl StartPrefixes {
    /// The automaton of `prefixes`, the prefix `p` belonging to regex `regex[p]`; `None`
    /// when there are none or it cannot be built.
    fn build(prefixes: &[Box<[u8]>], regex: Vec<usize>) -> Option<StartPrefixes> {
        if prefixes.is_empty() {
            return None;
        }
        let automaton = aho_corasick::dfa::DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Anchored)
            .prefilter(false)
            .build(prefixes)
            .ok()?;
        let start = automaton.start_state(Anchored::Yes).ok()?;
        Some(StartPrefixes {
            automaton,
            start,
            regex,
        })
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
                let prefixes = prefix_table(hir);
                if prefixes.is_some() {
                    return LineFilter::Start {
                        first_bytes,
                        prefixes,
                    };
                }
                start = Some(first_bytes);
            }
        }
        // Characters rule out more than their first bytes: "•" and the curly quotes of
        // ordinary text begin alike.
        if let Some(needed) = required_chars(hir) {
            let few = needed.len() <= 3 && needed.iter().all(|&c| !c.is_ascii_alphanumeric());
            let ends: Vec<u8> = needed.iter().map(|c| last_byte(*c)).collect();
            if few && ends.iter().all(|&b| !is_common(b)) {
                let encoded = needed.iter().map(|c| c.to_string().into_bytes()).collect();
                return LineFilter::Needs(encoded);
            }
        }
        if let Some(needed) = required_bytes(hir) {
            let needed: Vec<u8> = (0..=255u8).filter(|&b| needed[b as usize]).collect();
            if needed.len() <= 3 && needed.iter().all(|&b| !is_common(b)) {
                return LineFilter::Needs(needed.into_iter().map(|b| vec![b]).collect());
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
                    && prefixes.as_ref().is_none_or(|p| p.is_match(line))
            }
            LineFilter::Needs(needed) => {
                let end = |k: usize| needed.get(k).or(needed.first()).and_then(|n| n.last());
                let (Some(&a), Some(&b), Some(&c)) = (end(0), end(1), end(2)) else {
                    return false;
                };
                memchr::memchr3_iter(a, b, c, line)
                    .any(|at| needed.iter().any(|n| line[..=at].ends_with(n)))
            }
            LineFilter::Any => true,
        }
    }
}

/// The length of the longest line `hir` can match, when that is bounded: a match of a
/// pattern anchored at the start and the end of the text is the whole line.
fn longest_match(hir: &Hir) -> Option<usize> {
    let properties = hir.properties();
    let anchored = properties.look_set_prefix().contains(Look::Start)
        && properties.look_set_suffix().contains(Look::End);
    anchored.then(|| properties.maximum_len()).flatten()
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

/// Characters one of which every match of `hir` holds, when a few are known: like
/// `required_bytes`, by whole characters.
fn required_chars(hir: &Hir) -> Option<Vec<char>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(Class::Bytes(_)) => None,
        // Every character of a literal is in every match: the first uncommon one says most.
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            let pick = text
                .chars()
                .find(|c| !c.is_ascii() || !is_common(*c as u8))
                .or(text.chars().next())?;
            Some(vec![pick])
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut chars = Vec::new();
            for range in class.iter() {
                for c in range.start()..=range.end() {
                    if chars.len() >= 4 {
                        return None;
                    }
                    chars.push(c);
                }
            }
            Some(chars)
        }
        HirKind::Repetition(repetition) if repetition.min >= 1 => required_chars(&repetition.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(capture) => required_chars(&capture.sub),
        HirKind::Concat(parts) => parts.iter().filter_map(required_chars).min_by_key(|set| {
            let has_common = set.iter().any(|&c| c.is_ascii() && is_common(c as u8));
            (has_common, set.len())
        }),
        HirKind::Alternation(branches) => {
            let mut set = Vec::new();
            for branch in branches {
                set.extend(required_chars(branch)?);
            }
            set.sort_unstable();
            set.dedup();
            Some(set)
        }
    }
}

/// The last byte of `c` in UTF-8.
fn last_byte(c: char) -> u8 {
    let mut buffer = [0u8; 4];
    let encoded = c.encode_utf8(&mut buffer).as_bytes();
    encoded[encoded.len() - 1]
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

/// At most this many strings in a set of literals built from a pattern's parts.
const MAX_LITERALS: usize = 64;
/// A class of at most this many characters is a choice of literals, not a wildcard.
const MAX_CLASS_LITERALS: usize = 4;

/// Literals one of which every match of `hir` holds, when a selective set is known: the most
/// selective among the parts of a concatenation (runs of parts with few spellings are
/// multiplied out: `(photo|image)s?` gives four literals), or the sets of all branches of an
/// alternation together. An empty set means nothing can match.
///
/// The literals are for a search that ignores ASCII case, so ASCII letters are written in
/// lower case; every other character a class allows is a literal of its own (`É` and `é`
/// for a case-insensitive `é`), so the search is exact on lines of any script. A character
/// that a class adds to an ASCII letter as another spelling of it (the long `ſ` for `s`,
/// the Kelvin sign for `k`) is left out instead, and pushed to `aliases`: a line holding it
/// must be searched without the literals.
pub fn required_literals(hir: &Hir, aliases: &mut Vec<char>) -> Option<Vec<Vec<u8>>> {
    if let Some(set) = exact_literals(hir, aliases) {
        return (!set.iter().any(Vec::is_empty)).then_some(set);
    }
    match hir.kind() {
        HirKind::Capture(capture) => required_literals(&capture.sub, aliases),
        HirKind::Repetition(repetition) if repetition.min >= 1 => {
            required_literals(&repetition.sub, aliases)
        }
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<Vec<u8>>> = None;
            let mut consider = |set: Vec<Vec<u8>>| {
                if best
                    .as_ref()
                    .is_none_or(|b| selectivity(&set) > selectivity(b))
                {
                    best = Some(set);
                }
            };
            let exact: Vec<Option<Vec<Vec<u8>>>> = parts
                .iter()
                .map(|part| exact_literals(part, aliases))
                .collect();
            for (i, part) in parts.iter().enumerate() {
                match &exact[i] {
                    Some(_) => {
                        // Every run of exact parts starting here, multiplied out, until its
                        // literals are long enough that a longer run says no more.
                        let mut product: Vec<Vec<u8>> = vec![Vec::new()];
                        for set in exact[i..].iter() {
                            let Some(set) = set else { break };
                            let Some(next) = multiply(&product, set) else {
                                break;
                            };
                            product = next;
                            if !product.iter().any(Vec::is_empty) {
                                let long_enough = selectivity(&product).0 >= LONG_LITERAL;
                                consider(product.clone());
                                if long_enough {
                                    break;
                                }
                            }
                        }
                    }
                    None => {
                        if let Some(set) = required_literals(part, aliases) {
                            consider(set);
                        }
                    }
                }
            }
            best
        }
        HirKind::Alternation(branches) => {
            let mut union: Vec<Vec<u8>> = Vec::new();
            for branch in branches {
                union.extend(required_literals(branch, aliases)?);
            }
            union.sort();
            union.dedup();
            (union.len() <= MAX_LITERALS * 4).then_some(union)
        }
        _ => None,
    }
}

/// How well a set of literals rules lines out: longer shortest literal first (capped, since
/// past a few bytes nearly every literal is rare), then fewer literals.
fn selectivity(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(usize::MAX);
    (shortest.min(LONG_LITERAL), std::cmp::Reverse(set.len()))
}

/// A literal this long is rare in any line: a longer one is not worth more.
const LONG_LITERAL: usize = 8;

/// Every string `hir` can match, ASCII letters in lower case and their other spellings left
/// out (see `required_literals`), when there are few: a literal,
/// a small class, and concatenations, alternations and bounded repetitions of those.
/// Assertions match the empty string (what they ask is not checked, so the set may hold
/// more than the pattern matches, never less).
fn exact_literals(hir: &Hir, aliases: &mut Vec<char>) -> Option<Vec<Vec<u8>>> {
    let set = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![Vec::new()],
        HirKind::Literal(literal) => vec![literal.0.to_ascii_lowercase()],
        HirKind::Class(Class::Unicode(class)) => {
            let mut members = Vec::new();
            for range in class.iter() {
                for c in range.start()..=range.end() {
                    if members.len() > MAX_CLASS_LITERALS * 2 {
                        return None;
                    }
                    members.push(c);
                }
            }
            let has_ascii_letter = members.iter().any(char::is_ascii_alphabetic);
            let mut set = Vec::new();
            for c in members {
                if c.is_ascii() {
                    set.push(vec![c.to_ascii_lowercase() as u8]);
                } else if has_ascii_letter && other_case_is_ascii(c) {
                    aliases.push(c);
                } else {
                    set.push(c.to_string().into_bytes());
                }
            }
            set
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut set = Vec::new();
            for range in class.iter() {
                for b in range.start()..=range.end() {
                    if set.len() > MAX_CLASS_LITERALS * 2 {
                        return None;
                    }
                    set.push(vec![b.to_ascii_lowercase()]);
                }
            }
            set
        }
        HirKind::Capture(capture) => return exact_literals(&capture.sub, aliases),
        HirKind::Repetition(repetition) => {
            let max = repetition.max?;
            if max > 4 {
                return None;
            }
            let sub = exact_literals(&repetition.sub, aliases)?;
            let mut set = Vec::new();
            let mut power: Vec<Vec<u8>> = vec![Vec::new()];
            for count in 0..=max {
                if count >= repetition.min {
                    set.extend(power.iter().cloned());
                }
                if count < max {
                    power = multiply(&power, &sub)?;
                }
            }
            set
        }
        HirKind::Concat(parts) => {
            let mut product: Vec<Vec<u8>> = vec![Vec::new()];
            for part in parts {
                product = multiply(&product, &exact_literals(part, aliases)?)?;
            }
            product
        }
        HirKind::Alternation(branches) => {
            let mut union = Vec::new();
            for branch in branches {
                union.extend(exact_literals(branch, aliases)?);
            }
            union
        }
    };
    let mut set = set;
    set.sort();
    set.dedup();
    let limit = match hir.kind() {
        HirKind::Class(_) => MAX_CLASS_LITERALS,
        _ => MAX_LITERALS,
    };
    (set.len() <= limit).then_some(set)
}

/// Whether `c` is another spelling of an ASCII letter: its upper or lower case is one (the
/// long `ſ`, the Kelvin sign).
fn other_case_is_ascii(c: char) -> bool {
    let one_ascii = |case: &mut dyn Iterator<Item = char>| {
        case.next().is_some_and(|u| u.is_ascii()) && case.next().is_none()
    };
    one_ascii(&mut c.to_uppercase()) || one_ascii(&mut c.to_lowercase())
}

/// A literal rare enough to be worth looking for: three bytes, or two of a character
/// beyond ASCII (`©`).
fn selective(literal: &[u8]) -> bool {
    literal.len() >= MIN_REQUIRED_LITERAL || (literal.len() == 2 && !literal.is_ascii())
}

/// Every concatenation of a string of `a` with one of `b`, unless there are too many.
fn multiply(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_LITERALS {
        return None;
    }
    let mut product = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut joined = x.clone();
            joined.extend_from_slice(y);
            product.push(joined);
        }
    }
    product.sort();
    product.dedup();
    Some(product)
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

/// The literal prefixes of a regex's matches, ignoring ASCII case: a case-insensitive regex
/// yields every spelling ("PHOT", "PHOt", ...), and accepting more spellings than the regex
/// never rules out a match. A line is compared with the few that start with its first byte.
struct Prefixes {
    /// In ASCII lower case, sorted, so those with the same first byte are together.
    prefixes: Vec<Box<[u8]>>,
    /// `prefixes[starts[b]..starts[b + 1]]` start with the byte `b`.
    starts: Box<[u16; 257]>,
}

impl Prefixes {
    /// Whether the prefixes tell lines apart by a few bytes each: none is shorter than two
    /// bytes but a digit, a punctuation mark or the first byte of a character beyond ASCII
    /// (a single letter or space starts a line too often to be worth comparing with).
    fn selective(&self) -> bool {
        self.prefixes.iter().all(|prefix| match **prefix {
            [b] => !b.is_ascii_alphabetic() && !b.is_ascii_whitespace(),
            _ => !prefix.is_empty(),
        })
    }

    /// Whether `line` starts with one of the prefixes, ignoring ASCII case.
    fn is_match(&self, line: &[u8]) -> bool {
        let Some(&first) = line.first() else {
            return false;
        };
        let b = first.to_ascii_lowercase() as usize;
        let range = usize::from(self.starts[b])..usize::from(self.starts[b + 1]);
        self.prefixes[range].iter().any(|prefix| {
            line.get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        })
    }
}

/// The literal prefixes of `hir`'s matches, when it has a few.
fn prefix_table(hir: &Hir) -> Option<Prefixes> {
    let mut prefixes: Vec<Box<[u8]>> = prefix_literals(hir)?
        .into_iter()
        .map(|l| l.to_ascii_lowercase().into_boxed_slice())
        .collect();
    prefixes.sort();
    prefixes.dedup();
    let count = u16::try_from(prefixes.len()).ok()?;
    let mut starts = Box::new([count; 257]);
    for b in (0..256).rev() {
        starts[b] = starts[b + 1];
        while starts[b] > 0 && usize::from(prefixes[usize::from(starts[b]) - 1][0]) >= b {
            starts[b] -= 1;
        }
    }
    Some(Prefixes { prefixes, starts })
}

/// Literals one of which every match of `hir` starts with, none of them empty. A
/// case-insensitive alternation has too many full prefixes to list ("photo" alone has 32
/// spellings), so shorter ones are tried ("pho", "PHo", ...), which still rule out nearly
/// every line. `None` when a match can start with almost anything (`\w+`, `.*`) or nothing.
fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    // The prefixes are compared ignoring ASCII case, so ASCII capitals are folded into
    // lower case first: "photo" is then one spelling, not 32. Only the start of the pattern
    // matters for prefixes of eight bytes at most.
    let listed = |lead_bytes: bool| {
        let (folded, _) = fold_ascii_capitals(hir, PREFIX_BYTES, lead_bytes);
        [PREFIX_BYTES, 3, 1].into_iter().find_map(|limit| {
            let mut extractor = Extractor::new();
            extractor.limit_literal_len(limit);
            if lead_bytes {
                extractor.limit_class(MAX_LEAD_BYTES);
            }
            let seq = extractor.extract(&folded);
            let literals = seq.literals()?;
            let usable = !literals.is_empty() && literals.iter().all(|l| !l.as_bytes().is_empty());
            usable.then(|| literals.iter().map(|l| l.as_bytes().to_vec()).collect())
        })
    };
    // A match that can start with any of many characters (`\d`) starts with one of their
    // first bytes, which are far fewer.
    listed(false).or_else(|| listed(true))
}

/// A wide class at a pattern's start becomes the first bytes of its characters when they
/// are at most this many.
const MAX_LEAD_BYTES: usize = 48;

/// The longest literal prefixes listed.
const PREFIX_BYTES: usize = 8;

/// The start of `hir`, with every ASCII capital it can match replaced by its lower case
/// (but in wide classes), and whether that is all of it. It matches, for each string `hir`
/// matches, a prefix of the string with its ASCII lower-cased, of at least `budget` bytes
/// when the string has them: what follows that many bytes is left out. With `lead_bytes`,
/// a wide class becomes the first bytes of its characters and ends what is kept (a match
/// then starts with one of those bytes, which may be fewer than `budget`).
fn fold_ascii_capitals(hir: &Hir, budget: usize, lead_bytes: bool) -> (Hir, bool) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (hir.clone(), true),
        HirKind::Literal(literal) => (Hir::literal(literal.0.to_ascii_lowercase()), true),
        // A wide class (`\S`, `.`) is left as it is: it has too many spellings to list
        // either way. Or, when asked, it becomes the first bytes of its characters, a
        // prefix of what it matches.
        HirKind::Class(Class::Unicode(class)) if class.ranges().len() > MAX_FOLDED_RANGES => {
            if lead_bytes {
                let mut set = [false; 256];
                add_lead_bytes(&Class::Unicode(class.clone()), &mut set);
                let ranges = (0..=255u8)
                    .filter(|&b| set[usize::from(b)])
                    .map(|b| ClassBytesRange::new(b, b));
                (Hir::class(Class::Bytes(ClassBytes::new(ranges))), false)
            } else {
                (hir.clone(), true)
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            let capitals = ClassUnicode::new([ClassUnicodeRange::new('A', 'Z')]);
            let mut held = class.clone();
            held.intersect(&capitals);
            let mut folded = class.clone();
            folded.difference(&capitals);
            folded.union(&ClassUnicode::new(held.iter().filter_map(|range| {
                let lower = |c: char| char::from_u32(c as u32 + 32);
                Some(ClassUnicodeRange::new(
                    lower(range.start())?,
                    lower(range.end())?,
                ))
            })));
            (Hir::class(Class::Unicode(folded)), true)
        }
        HirKind::Class(Class::Bytes(class)) => {
            let capitals = ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]);
            let mut held = class.clone();
            held.intersect(&capitals);
            let mut folded = class.clone();
            folded.difference(&capitals);
            folded.union(&ClassBytes::new(held.iter().map(|range| {
                ClassBytesRange::new(range.start() + 32, range.end() + 32)
            })));
            (Hir::class(Class::Bytes(folded)), true)
        }
        HirKind::Repetition(repetition) => {
            let (sub, whole) = fold_ascii_capitals(&repetition.sub, budget, lead_bytes);
            if whole {
                let folded = Hir::repetition(Repetition {
                    sub: Box::new(sub),
                    ..repetition.clone()
                });
                (folded, true)
            } else if repetition.min >= 1 {
                // The start of the first repetition is the start of the whole.
                (sub, false)
            } else {
                (Hir::empty(), false)
            }
        }
        HirKind::Capture(capture) => {
            let (sub, whole) = fold_ascii_capitals(&capture.sub, budget, lead_bytes);
            let folded = Hir::capture(Capture {
                sub: Box::new(sub),
                ..capture.clone()
            });
            (folded, whole)
        }
        HirKind::Concat(parts) => {
            let mut folded = Vec::new();
            let mut left = budget;
            for (at, part) in parts.iter().enumerate() {
                if left == 0 {
                    return (Hir::concat(folded), false);
                }
                let (part_folded, whole) = fold_ascii_capitals(part, left, lead_bytes);
                if !whole {
                    // A part that can match nothing, cut short (`(?:jetzt |den )?`, whose
                    // case-insensitive words are runs of classes): a string starts either
                    // with what the part matches or with what the parts after it match.
                    if let HirKind::Repetition(repetition) = part.kind() {
                        if repetition.min == 0 {
                            let (once, _) = fold_ascii_capitals(&repetition.sub, left, lead_bytes);
                            let after = Hir::concat(parts[at + 1..].to_vec());
                            let (after, _) = fold_ascii_capitals(&after, left, lead_bytes);
                            folded.push(Hir::alternation(vec![once, after]));
                            return (Hir::concat(folded), false);
                        }
                    }
                    folded.push(part_folded);
                    return (Hir::concat(folded), false);
                }
                folded.push(part_folded);
                left = left.saturating_sub(part.properties().minimum_len().unwrap_or(0));
            }
            (Hir::concat(folded), true)
        }
        HirKind::Alternation(branches) => {
            let mut all_whole = true;
            let folded = branches
                .iter()
                .map(|branch| {
                    let (folded, whole) = fold_ascii_capitals(branch, budget, lead_bytes);
                    all_whole &= whole;
                    folded
                })
                .collect();
            (Hir::alternation(folded), all_whole)
        }
    }
}

/// A class of more ranges than this is not folded.
const MAX_FOLDED_RANGES: usize = 16;

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

    /// The prefixes a regex is told apart by, which must be selective.
    fn selective_prefixes(pattern: &str) -> Vec<Box<[u8]>> {
        let LineFilter::Start {
            prefixes: Some(prefixes),
            ..
        } = filter(pattern)
        else {
            panic!("no prefixes: {pattern}");
        };
        assert!(prefixes.selective(), "{pattern}");
        prefixes.prefixes
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
        // Any Unicode digit can start it: too many prefixes to list, but their first bytes
        // are few, and no letter.
        let p = [r"^(?:\d+ comments|Comments)"];
        let prefixes = selective_prefixes(p[0]);
        assert!(prefixes.iter().any(|p| **p == *b"7"));
        assert!(prefixes.iter().any(|p| **p == *b"comments"));
        assert_eq!(candidates(&p, "12 comments"), [0]);
        assert_eq!(candidates(&p, "\u{0663} comments"), [0]);
        assert_eq!(candidates_screened(&p, "\u{0663} comments"), [0]);
        assert_eq!(candidates_screened(&p, "Comments"), [0]);
        assert!(candidates(&p, "No comments").is_empty());
        assert!(candidates_screened(&p, "No comments").is_empty());
        // A class of letters at the start is no better than its first letter.
        let q = [r"^\w+ is a writer"];
        assert!(!matches!(
            filter(q[0]),
            LineFilter::Start {
                prefixes: Some(ref p),
                ..
            } if p.selective()
        ));
    }

    #[test]
    fn a_required_separator_is_looked_for_anywhere() {
        let p = [r"^(?:[^|·•]+[|·•]\s*)+Privacy$"];
        assert!(matches!(filter(p[0]), LineFilter::Needs(_)));
        assert_eq!(candidates(&p, "Home | Privacy"), [0]);
        assert_eq!(candidates(&p, "Home · Privacy"), [0]);
        assert_eq!(candidates(&p, "Home • Privacy"), [0]);
        assert!(candidates(&p, "Nothing to see").is_empty());
        // Curly quotes and dashes begin with the same byte as the bullet.
        assert!(candidates(&p, "“Quoted” – and ‘more’").is_empty());
    }

    #[test]
    fn case_insensitive_prefixes_are_listed_once() {
        let p = [r"(?i)^(?:share|send|email) (?:on|via) \S+$"];
        let LineFilter::Start {
            prefixes: Some(prefixes),
            ..
        } = filter(p[0])
        else {
            panic!("no prefixes");
        };
        // Six, and those spelt with the long s; none with an ASCII capital.
        assert_eq!(prefixes.prefixes.len(), 10);
        assert!(prefixes
            .prefixes
            .iter()
            .all(|prefix| !prefix.iter().any(u8::is_ascii_uppercase)));
        assert_eq!(candidates(&p, "SHARE ON Facebook"), [0]);
        assert_eq!(candidates(&p, "eMail via x"), [0]);
        assert!(candidates(&p, "Shore on x").is_empty());
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

    /// The regexes (by index) that `filters` lets through for `line` when it is known which
    /// literals the line holds, as the screen finds them.
    fn candidates_screened(patterns: &[&str], line: &str) -> Vec<usize> {
        let filters = RegexFilters::new(patterns);
        let mut holds = vec![0u64; patterns.len().div_ceil(64)];
        let lower = line.to_ascii_lowercase();
        for k in 0..patterns.len() {
            let literals = filters.literals(k).unwrap_or(&[]);
            if literals
                .iter()
                .any(|l| memmem::find(lower.as_bytes(), l).is_some())
            {
                holds[k / 64] |= 1 << (k % 64);
            }
        }
        filters.starting_with(line, &mut holds);
        let mut found = Vec::new();
        filters.candidates_given(line, &holds, |k| found.push(k));
        found
    }

    #[test]
    fn regexes_anchored_on_a_few_prefixes_are_told_apart_by_their_start() {
        let p = [
            r"^(?:By|Par) [A-Z]",
            r"(?i)^(photo|image)s?:",
            r"(?i:^ſhare now)|^Über",
            r"^[A-Z][a-z]+ is a writer",
            r"^a\d",
            r"(?i)cookies",
        ];
        let filters = RegexFilters::new(&p);
        for (k, pattern) in p.iter().enumerate().take(3) {
            assert!(filters.start_prefixes(k).is_some(), "{pattern}");
            assert!(filters.literals(k).is_none(), "{pattern}");
        }
        // A capital letter or a single byte starts too many lines.
        assert!(filters.start_prefixes(3).is_none());
        assert!(filters.literals(3).is_some());
        assert!(filters.start_prefixes(4).is_none());
        assert!(filters.start_prefixes(5).is_none());
        for (line, want) in [
            ("By Jane", vec![0]),
            ("by jane", vec![]),
            ("Byline", vec![]),
            ("PHOTOS: x", vec![1]),
            ("A photo: x", vec![]),
            ("SHARE NOW", vec![2]),
            ("ſhare now", vec![2]),
            ("Über", vec![2]),
            ("über", vec![]),
            ("Jane is a writer", vec![3]),
            ("We use cookies", vec![5]),
            ("Par ici", vec![0]),
            ("", vec![]),
        ] {
            assert_eq!(candidates_screened(&p, line), want, "{line:?}");
            let all = candidates(&p, line);
            assert!(want.iter().all(|k| all.contains(k)), "{line:?}");
        }
    }

    #[test]
    fn optional_words_cut_short_leave_the_words_after_them_as_prefixes() {
        // Case-insensitive words are runs of classes, cut at the prefixes' length: the
        // prefixes still hold the words that follow a word that may be left out.
        let p = [r"(?i)^(?:jetzt )?(?:(?:unseren|den|kostenlosen) )*newsletter abonnieren"];
        let prefixes = selective_prefixes(p[0]);
        let listed = |text: &str| prefixes.iter().any(|p| **p == *text.as_bytes());
        assert!(listed("newslett") && listed("jetzt ne") && listed("kostenlo"));
        for line in [
            "Newsletter abonnieren",
            "Jetzt den Newsletter abonnieren",
            "Den kostenlosen Newsletter abonnieren",
        ] {
            assert_eq!(candidates(&p, line), [0], "{line:?}");
        }
        assert!(candidates(&p, "Anmelden zum Newsletter").is_empty());
    }

    #[test]
    fn the_prefixes_told_apart_by_the_start_are_capped() {
        let owned: Vec<String> = (0..400)
            .map(|k| format!("^(?:aa{k}|bb{k}|cc{k}|dd{k}|ee{k}|ff{k})x"))
            .collect();
        let patterns: Vec<&str> = owned.iter().map(String::as_str).collect();
        let filters = RegexFilters::new(&patterns);
        let by_start = (0..patterns.len())
            .filter(|&k| filters.start_prefixes(k).is_some())
            .count();
        assert_eq!(by_start, MAX_START_PREFIXES / 6);
        assert!(filters.literals(399).is_some());
        for line in ["aa7x", "ff399x", "cc341x", "zz1x"] {
            let all = candidates(&patterns, line);
            let screened = candidates_screened(&patterns, line);
            assert_eq!(all, screened, "{line:?}");
        }
    }

    #[test]
    fn a_line_longer_than_a_whole_line_match_is_ruled_out() {
        let p = [r"^(?:yes|no)\.?$", r"^(?:yes|no)", r"(?:yes|no)$"];
        assert_eq!(candidates(&p, "yes."), [0, 1, 2]);
        assert!(!candidates(&p, "yes sir").contains(&0));
        assert!(!candidates(&p, "sir, no").contains(&0));
        let filters = RegexFilters::new(&p);
        assert_eq!(filters.filters[0].longest, 4);
        assert_eq!(filters.filters[1].longest, usize::MAX);
        assert_eq!(filters.filters[2].longest, usize::MAX);
    }

    fn literals(pattern: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
        let mut aliases = Vec::new();
        required_literals(&hir, &mut aliases).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn required_literals_multiply_out_small_parts() {
        assert_eq!(
            literals(r"(?i)^(photo|image)s? (credit|by)\b").unwrap(),
            [
                "image by",
                "image credit",
                "images by",
                "images credit",
                "photo by",
                "photo credit",
                "photos by",
                "photos credit"
            ]
        );
        // The long s and the Kelvin sign are other spellings of ASCII letters: left out, as
        // aliases.
        let hir = regex_syntax::Parser::new().parse(r"(?i)cookies").unwrap();
        let mut aliases = Vec::new();
        let set = required_literals(&hir, &mut aliases).unwrap();
        assert_eq!(set, [b"cookies".to_vec()]);
        assert!(aliases.contains(&'ſ') && aliases.contains(&'\u{212A}'));
        // Every other spelling of a letter beyond ASCII is a literal of its own, so the set
        // holds for lines with capitals beyond ASCII too.
        assert_eq!(
            literals(r"(?i)tous droits réservés").unwrap(),
            [
                "tous droits rÉservÉs",
                "tous droits rÉservés",
                "tous droits réservÉs",
                "tous droits réservés"
            ]
        );
        assert_eq!(literals(r"(?i)über").unwrap(), ["Über", "über"]);
        assert_eq!(literals(r"Über").unwrap(), ["Über"]);
        // A part that can match anything is passed over; a branch without literals makes
        // the whole set unknown.
        assert_eq!(literals(r"^\w+ is an? (writer|editor)").unwrap().len(), 4);
        assert_eq!(literals(r"\w+|cookies"), None);
        assert_eq!(literals(r"(?-i:©) \d+").unwrap(), ["© "]);
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
