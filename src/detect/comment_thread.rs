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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_comments: 2,
            max_attribution_words: 14,
            min_text_before: 400,
            header_lines: 4,
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

impl Detector for CommentThread {
    fn judge(&self, id: &Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]) {
        let blocks = page.blocks;
        // An attribution ends in a colon, so it is never a blank line. A dump that breaks
        // lines at every tag puts the commenter's name (a link) and the verb on lines of
        // their own: the attribution is then the name's line.
        let lines = &page.text_blocks;
        let wanted = self.config.min_comments.max(1);
        // Both kinds of attribution end in a colon: a page with fewer such lines than a
        // thread has attributions (most pages) has no thread.
        if page.marks.colon_end < wanted {
            return;
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
            return;
        }
        let first = attributions[0];
        // Pieces of broken paragraphs are counted only when the lines that are sentences by
        // themselves fall short.
        let text_before = page.text_before(first);
        if text_before < self.config.min_text_before
            && text_before + broken_sentence_bytes_before(page, first) < self.config.min_text_before
        {
            return;
        }
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
        let why: Arc<str> = format!(
            "comment thread from line {} ({} or more comment attributions, first \"{}\")",
            blocks[start].line,
            attributions.len(),
            page.trimmed(first)
        )
        .into();
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
}
