//! Comment thread: the readers' comments that blogs and news sites print under a story.
//! In a page dump each comment starts with a short attribution line, "jsmith says:" or
//! "Jane Doe on March 3, 2024 at 4:47 pm said:", and a thread is several of them in a row.
//! Comments are sentence-like text, so the content region alone can take a long thread for
//! the article; this detector cuts the page at the thread instead.
//!
//! One attribution line is not enough: a story may quote someone on a line of its own
//! ("The mayor said:"). The thread starts at the first of at least `min_comments`
//! attribution lines, and only after some article text; the thread's header ("12 comments",
//! "34 responses to ...", a date line) right above it goes with it, and so does everything
//! below, which is the comment form and the page footer.

use serde::Deserialize;
use std::sync::Arc;

use crate::document::Verdict;
use crate::judge::Page;

use super::content_region::broken_runs;
use super::Detector;

pub const ID: &str = "detect.comment-thread";

/// A commenter's name on a line of its own has at most this many words.
const MAX_NAME_WORDS: usize = 4;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A thread has at least this many attribution lines.
    pub min_comments: usize,
    /// An attribution line has at most this many words ("Name on <date> at <time> said:").
    pub max_attribution_words: usize,
    /// How much sentence-like text (bytes) must come before the thread: a page that opens
    /// with comments has no story above them to keep.
    pub min_text_before: usize,
    /// How many lines above the first attribution are searched for the thread's header.
    pub header_lines: usize,
    /// A thread without attribution lines has at least this many comments headed by the
    /// commenter's name and, on the next line, when it was written ("Jane Doe" / "2 hours
    /// ago"): more than `min_comments`, as a story's byline has the same shape once.
    pub min_timestamped: usize,
    /// The most text lines from one such comment's name to the next: a thread's comments
    /// follow each other closely.
    pub max_comment_lines: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_comments: 2,
            max_attribution_words: 14,
            min_text_before: 400,
            header_lines: 4,
            min_timestamped: 3,
            max_comment_lines: 12,
        }
    }
}

pub struct CommentThread {
    config: Config,
}

impl CommentThread {
    pub fn new(config: Config) -> CommentThread {
        CommentThread { config }
    }

    /// Whether a line, given without surrounding white space, can be a commenter's name on
    /// a line of its own: a few words, no sentence.
    fn is_commenter_name(&self, text: &str) -> bool {
        !text.is_empty()
            && text.len() <= 80
            && !text.ends_with(['.', '!', '?', ':'])
            && crate::judge::word_count(text) <= MAX_NAME_WORDS
    }

    /// Whether a line, given without surrounding white space, attributes a comment.
    fn is_attribution(&self, text: &str) -> bool {
        if text.len() > 200 || !text.ends_with(':') {
            return false;
        }
        if crate::judge::word_count(text) > self.config.max_attribution_words {
            return false;
        }
        let lower = text.to_lowercase();
        let head = lower.trim_end_matches(':').trim_end();
        ATTRIBUTION_VERBS.iter().any(|verb| {
            head.strip_suffix(verb)
                .is_some_and(|before| before.ends_with(' ') && before.trim().len() > 1)
        })
    }
}

/// How many lines above a bare "said:" an attribution cut at its tags can take: the name,
/// a connecting word and a date ("Jane Doe" / " on " / "March 3, 2024 at 4:47 pm").
const MAX_PIECES: usize = 3;

impl CommentThread {
    /// The line where the attribution ending in the bare verb `verb` starts, among the text
    /// lines `above` it: a dump that breaks lines at every tag prints the commenter's name (a
    /// link), the words and date between it and the verb (a link or a `<time>`) on lines of
    /// their own. The nearest line that starts a commenter's name and, with the lines after
    /// it and the verb, reads as one attribution; a piece that goes on from the line above it
    /// (it opens with the space after the word before, " on ") does not start one.
    fn attribution_above(
        &self,
        page: &Page<'_>,
        verdicts: &[Verdict],
        above: &[usize],
        verb: &str,
    ) -> Option<usize> {
        let mut joined = verb.to_string();
        for &i in above.iter().rev() {
            if !verdicts[i].is_keep() {
                return None;
            }
            let piece = page.trimmed(i);
            joined.insert(0, ' ');
            joined.insert_str(0, piece);
            let opens_with_space = page.blocks[i].text.starts_with(char::is_whitespace);
            if !opens_with_space && self.is_commenter_name(piece) && self.is_attribution(&joined) {
                return Some(i);
            }
        }
        None
    }
}

/// The bytes of the sentences before `block` that a dump broke into lines at their inline
/// markup (see `content_region::broken_runs`), bar the line ending each, which is a
/// sentence-like line of its own and counted as one already. A dump that puts a line break
/// at every tag cuts a story paragraph at each link into pieces that are no sentences by
/// themselves, and would otherwise leave a short story above a thread with no text at all.
fn broken_sentence_bytes_before(page: &Page<'_>, block: usize) -> usize {
    let lines = &page.text_blocks[..page.text_blocks.partition_point(|&i| i < block)];
    broken_runs(page, lines, |_| true)
        .filter(|run| page.is_sentence(lines[*run.end()]))
        .map(|run| {
            lines[*run.start()..*run.end()]
                .iter()
                .map(|&i| page.blocks[i].text.len())
                .sum::<usize>()
        })
        .sum()
}

/// A line that is only an attribution's verb and its colon ("says:"), as a dump that breaks
/// lines at every tag prints it after the commenter's name.
fn is_bare_attribution_verb(text: &str) -> bool {
    let Some(head) = text.strip_suffix(':') else {
        return false;
    };
    let head = head.trim_end();
    head.len() <= 16
        && ATTRIBUTION_VERBS
            .iter()
            .any(|verb| head.eq_ignore_ascii_case(verb))
}

/// The verbs of comment attributions, in the languages the rules ship phrases for.
const ATTRIBUTION_VERBS: &[&str] = &[
    "says",
    "said",
    "wrote",
    "writes",
    "replied",
    "schreibt",
    "sagt",
    "schrieb",
    "dit",
    "a dit",
    "a écrit",
    "écrit",
    "dice",
    "dijo",
    "escribió",
    "escribe",
    "disse",
    "diz",
    "scrive",
    "ha scritto",
    "zegt",
    "schreef",
];

/// A line that heads a comment thread: "12 comments", "34 responses to “...”",
/// "One thought on “...”", "Comments", "Discussion".
fn is_thread_header(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    if words.is_empty() || words.len() > 20 {
        return false;
    }
    const NOUNS: &[&str] = &[
        "comment",
        "comments",
        "response",
        "responses",
        "reply",
        "replies",
        "thought",
        "thoughts",
        "kommentar",
        "kommentare",
        "commentaire",
        "commentaires",
        "comentario",
        "comentarios",
        "commento",
        "commenti",
        "comentário",
        "comentários",
        "reacties",
        "discussion",
    ];
    let counted = |k: usize| {
        words.get(k).is_some_and(|w| {
            w.bytes().all(|b| b.is_ascii_digit())
                || matches!(*w, "one" | "no" | "ein" | "un" | "una" | "uno" | "um")
        })
    };
    let noun = |k: usize| {
        words
            .get(k)
            .is_some_and(|w| NOUNS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
    };
    (words.len() <= 3 && noun(0)) || (counted(0) && noun(1))
}

impl CommentThread {
    /// The first attribution line of a thread of at least `min_comments`, and how many were
    /// found.
    fn first_attribution(&self, page: &Page<'_>, verdicts: &[Verdict]) -> Option<(usize, usize)> {
        // An attribution ends in a colon, so it is never a blank line. A dump that breaks
        // lines at every tag puts the commenter's name (a link) and the verb on lines of
        // their own: the attribution is then the name's line.
        let lines = &page.text_blocks;
        let wanted = self.config.min_comments.max(1);
        // Both kinds of attribution end in a colon: a page with fewer such lines than a
        // thread has attributions (most pages) has no thread.
        if page.marks.colon_end < wanted {
            return None;
        }
        let mut attributions: Vec<usize> = Vec::new();
        for (k, &i) in lines.iter().enumerate() {
            let text = page.trimmed(i);
            // Both kinds of attribution end in a colon; most lines do not, which their last
            // byte settles before anything else is looked at.
            if text.as_bytes().last() != Some(&b':') || !verdicts[i].is_keep() {
                continue;
            }
            let found = if self.is_attribution(text) {
                Some(i)
            } else if is_bare_attribution_verb(text) {
                self.attribution_above(
                    page,
                    verdicts,
                    &lines[k.saturating_sub(MAX_PIECES)..k],
                    text,
                )
            } else {
                None
            };
            if let Some(found) = found {
                attributions.push(found);
                if attributions.len() == wanted {
                    break;
                }
            }
        }
        if attributions.len() < wanted {
            return None;
        }
        let first = attributions[0];
        // Pieces of broken paragraphs are counted only when the lines that are sentences by
        // themselves fall short.
        let text_before = page.text_before(first);
        if text_before < self.config.min_text_before
            && text_before + broken_sentence_bytes_before(page, first) < self.config.min_text_before
        {
            return None;
        }
        Some((first, attributions.len()))
    }

    /// The name line of the first of at least `min_timestamped` comments in a row that are
    /// each headed by the commenter's name on a line of its own and, on the next text line,
    /// when the comment was written ("Hace 28 minutos", "2 hours ago", "March 3, 2024 at
    /// 4:47 pm"), with the comment's text after that; comments whose names are no more than
    /// `max_comment_lines` text lines apart. Only headers below `min_text_before` bytes of
    /// sentences count: a byline and a date above the story have the same shape.
    ///
    /// A list of other stories, each a title and its age, is not taken for a thread unless
    /// its titles read as comments: a comment's first line is a sentence or five words or
    /// more, and the line after a title is often the next title's name-like line.
    fn first_timestamped(&self, page: &Page<'_>, verdicts: &[Verdict]) -> Option<usize> {
        let lines = &page.text_blocks;
        let wanted = self.config.min_timestamped.max(1);
        let mut run: Option<(usize, usize)> = None;
        let mut last = 0;
        // The text before a line only grows down the page: the lines above the first one
        // with enough of it (the page's head, its menus) are passed over at once.
        let from = lines.partition_point(|&i| page.text_before(i) < self.config.min_text_before);
        for k in from..lines.len().saturating_sub(2) {
            let name = lines[k];
            let (time, text) = (lines[k + 1], lines[k + 2]);
            // The page's features (word counts, sentences) rule out most lines before their
            // text is looked at: a footer's short lines are followed by more short lines.
            if usize::from(page.features[name].words) > MAX_NAME_WORDS
                || usize::from(page.features[time].words) > MAX_TIME_WORDS
                || !reads_as_comment(page, text)
                || !verdicts[name].is_keep()
            {
                continue;
            }
            let name_text = page.trimmed(name);
            if !self.is_commenter_name(name_text)
                || name_text.starts_with(|c: char| c.is_ascii_digit())
                || !is_comment_time(page.trimmed(time), usize::from(page.features[time].words))
            {
                continue;
            }
            run = match run {
                Some((first, count)) if k - last <= self.config.max_comment_lines => {
                    Some((first, count + 1))
                }
                _ => Some((name, 1)),
            };
            last = k;
            if let Some((first, count)) = run {
                if count == wanted {
                    return Some(first);
                }
            }
        }
        None
    }
}

/// A line that says when a comment was written has at most this many words.
const MAX_TIME_WORDS: usize = 6;

/// Whether a comment's first line after its name and time reads as a comment: a sentence, a
/// short one included, or five words or more.
fn reads_as_comment(page: &Page<'_>, block: usize) -> bool {
    let features = &page.features[block];
    features.sentence
        || features.words >= 5
        || (features.words > 0 && crate::judge::ends_sentence(page.trimmed(block)))
}

/// Whether a short line says when a comment was written: a date or a time of day
/// ("March 3, 2024 at 4:47 pm", "08/01/2014 10:21"), or a time relative to now.
fn is_comment_time(text: &str, words: usize) -> bool {
    words > 0
        && words <= MAX_TIME_WORDS
        && text.len() <= 48
        && (is_relative_time(text) || super::content_region::looks_like_date(text, words))
}

/// Whether a short line is a time relative to now, as sites print a comment's age, in the
/// languages the rules ship phrases for: "2 hours ago", "an hour ago", "3h ago", "Hace 28
/// minutos", "hace una hora", "vor 3 Stunden", "il y a 2 jours", "há 5 minutos", "2 ore fa",
/// "3 dagen geleden", "yesterday", "ayer".
fn is_relative_time(text: &str) -> bool {
    if !may_be_relative_time(text) {
        return false;
    }
    let lower = text.to_lowercase();
    let mut words = lower.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let rest: Vec<&str> = words.collect();
    let Some(&last) = rest.last() else {
        return DAYS_BEFORE.contains(&first.trim_end_matches(['.', ','].as_slice()));
    };
    let before_unit = matches!(first, "hace" | "vor" | "há")
        || (first == "il" && rest.len() > 2 && rest[0] == "y" && rest[1] == "a");
    let after_unit = matches!(last, "ago" | "fa" | "geleden");
    (before_unit || after_unit)
        && std::iter::once(first)
            .chain(rest.iter().copied())
            .any(is_time_unit)
}

/// Whether `text` starts or ends with a word that `is_relative_time` looks for (ignoring
/// ASCII case), or is one word: most short lines do neither, which their bytes settle without
/// lower-casing them.
fn may_be_relative_time(text: &str) -> bool {
    let first = text.split_ascii_whitespace().next().unwrap_or("");
    if first.len() == text.len() {
        return true;
    }
    let last = text
        .rsplit(|c: char| c.is_ascii_whitespace())
        .next()
        .unwrap_or("");
    let is = |word: &str, of: &[&str]| of.iter().any(|w| word.eq_ignore_ascii_case(w));
    is(last, &["ago", "fa", "geleden"]) || is(first, &["hace", "vor", "il", "há", "hÁ"])
}

/// "yesterday" in the languages the rules ship phrases for.
const DAYS_BEFORE: &[&str] = &[
    "yesterday",
    "ayer",
    "gestern",
    "hier",
    "ieri",
    "ontem",
    "gisteren",
];

/// A unit of time, alone ("hours", "Minuten") or after its number ("3h", "5min").
fn is_time_unit(word: &str) -> bool {
    let unit = word.trim_start_matches(|c: char| c.is_ascii_digit());
    if unit.len() < word.len() && matches!(unit, "s" | "m" | "h" | "d" | "w" | "y") {
        return true;
    }
    TIME_UNITS.contains(&unit.trim_end_matches(['.', ','].as_slice()))
}

/// Units of time, lower-case, in the languages the rules ship phrases for.
const TIME_UNITS: &[&str] = &[
    // English
    "sec",
    "secs",
    "second",
    "seconds",
    "min",
    "mins",
    "minute",
    "minutes",
    "hr",
    "hrs",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    // Spanish and Portuguese
    "segundo",
    "segundos",
    "minuto",
    "minutos",
    "hora",
    "horas",
    "día",
    "días",
    "dia",
    "dias",
    "semana",
    "semanas",
    "mes",
    "meses",
    "mês",
    "año",
    "años",
    "ano",
    "anos",
    // German
    "sekunde",
    "sekunden",
    "minute",
    "minuten",
    "stunde",
    "stunden",
    "tag",
    "tagen",
    "woche",
    "wochen",
    "monat",
    "monaten",
    "jahr",
    "jahren",
    // French
    "seconde",
    "secondes",
    "heure",
    "heures",
    "jour",
    "jours",
    "semaine",
    "semaines",
    "mois",
    "an",
    "ans",
    "année",
    "années",
    // Italian
    "secondo",
    "secondi",
    "minuti",
    "ora",
    "ore",
    "giorno",
    "giorni",
    "settimana",
    "settimane",
    "mese",
    "mesi",
    "anno",
    "anni",
    // Dutch
    "seconden",
    "minuut",
    "uur",
    "uren",
    "dag",
    "dagen",
    "week",
    "weken",
    "maand",
    "maanden",
    "jaar",
    "jaren",
];

impl Detector for CommentThread {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        let blocks = page.blocks;
        let (first, found) = if let Some((first, count)) = self.first_attribution(page, verdicts) {
            (
                first,
                format!(
                    "{count} or more comment attributions, first \"{}\"",
                    page.trimmed(first)
                ),
            )
        } else if let Some(first) = self.first_timestamped(page, verdicts) {
            let time = page.text_blocks[page.text_blocks.partition_point(|&i| i <= first)];
            (
                first,
                format!(
                    "{} or more comments headed by a name and when it was written, first \"{}\" / \"{}\"",
                    self.config.min_timestamped,
                    page.trimmed(first),
                    page.trimmed(time)
                ),
            )
        } else {
            return;
        };
        // The thread's header, or the date line of a comment whose attribution follows it.
        let mut start = first;
        let mut looked = 0;
        for i in (0..first).rev() {
            if page.is_blank(i) || !verdicts[i].is_keep() {
                continue;
            }
            if looked == self.config.header_lines || page.is_sentence(i) {
                break;
            }
            looked += 1;
            if is_thread_header(&blocks[i].text) {
                start = i;
                break;
            }
        }
        let why: Arc<str> =
            format!("comment thread from line {} ({found})", blocks[start].line).into();
        for verdict in verdicts.iter_mut().skip(start) {
            if verdict.is_keep() {
                *verdict = Verdict::drop(id, Arc::clone(&why));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attribution_ends_in_a_colon() {
        // The page's count of lines ending in a colon rules out a page with fewer than a
        // thread needs: every attribution, whole or a bare verb, ends in one.
        let thread = CommentThread::new(Config::default());
        for verb in ATTRIBUTION_VERBS {
            for text in [
                format!("{verb}:"),
                verb.to_string(),
                format!("Jane Doe {verb}:"),
                format!("Jane Doe {verb}"),
                format!("Jane Doe {verb}: "),
                format!("Jane Doe {verb} :"),
                format!("jsmith on March 3, 2024 at 4:47 pm {verb}:"),
                format!("jsmith on March 3, 2024 at 4:47 pm {verb}"),
            ] {
                let text = text.trim();
                if thread.is_attribution(text) || is_bare_attribution_verb(text) {
                    assert!(text.ends_with(':'), "{text:?}");
                } else {
                    assert!(!text.ends_with(':') || text.starts_with(verb), "{text:?}");
                }
            }
        }
        assert!(thread.is_attribution("Jane Doe says:"));
        assert!(is_bare_attribution_verb("says:"));
    }
    #[test]
    fn relative_times_are_told_from_lines_that_only_mention_time() {
        for time in [
            "2 hours ago",
            "an hour ago",
            "3h ago",
            "About 5 mins ago",
            "Hace 28 minutos",
            "hace una hora",
            "vor 3 Stunden",
            "il y a 2 jours",
            "Há 5 minutos",
            "2 ore fa",
            "3 dagen geleden",
            "Yesterday",
            "ayer",
        ] {
            assert!(is_relative_time(time), "{time:?}");
            assert!(
                is_comment_time(time, crate::judge::word_count(time)),
                "{time:?}"
            );
        }
        for other in [
            "Ago",
            "Hace",
            "Hours",
            "Jane Doe",
            "Long ago and far away",
            "Vor Ort",
            "Il y a un problème",
            "Ha detto",
            "Hace frío",
            "Two hours",
            "Valoración: 3 menos mas",
        ] {
            assert!(!is_relative_time(other), "{other:?}");
        }
        // Dates and times of day are comment times too, as the content region reads them.
        assert!(is_comment_time("March 3, 2024 at 4:47 pm", 6));
        assert!(is_comment_time("08/01/2014 10:21", 2));
        assert!(!is_comment_time("Visto 314 veces", 3));
    }
}
