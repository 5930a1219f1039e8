//! Unified diffs of raw text against clean text, built from the judge's own line mapping.
//!
//! The cleaner knows exactly which input line became which output line and which rule
//! removed or changed each one, so the diff is made from that mapping rather than by
//! searching for one: it is exact, linear in the document's length, and every hunk can name
//! the rules behind it. The output is a standard unified diff (`patch -R` restores the input)
//! with the rule ids in each hunk header's section text, where `patch` ignores them.

use crate::normalize::Changes;
use std::ops::Range;

/// One input line and what became of it.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// The raw line, terminator included.
    pub old: &'a str,
    /// What the clean text holds for it, terminator included; `None` when removed.
    pub new: Option<&'a str>,
    /// The rule that removed the line; `None` when it was kept.
    pub removed_by: Option<&'a str>,
    /// The normalisations that changed a kept line; empty for a removed one.
    pub changes: Changes,
    /// The reason shown beside a removed line on the terminal.
    pub why: Option<&'a str>,
}

impl<'a> Row<'a> {
    fn is_equal(&self) -> bool {
        // An unchanged line's new text is mostly the raw line itself: no need to compare.
        self.new
            .is_some_and(|new| std::ptr::eq(new, self.old) || new == self.old)
    }

    /// The rule ids that removed or changed the line; none when unchanged.
    pub fn rules(&self) -> impl Iterator<Item = &'a str> {
        let normalizations = self.changes.rule_ids().map(|id| -> &'a str { id });
        self.removed_by.into_iter().chain(normalizations)
    }

    fn joined_rules(&self) -> String {
        self.rules().collect::<Vec<_>>().join(", ")
    }
}

/// The lines a diff is made of, each read as a `Row` when the diff comes to it. A slice of
/// rows is one; a document just cleaned is another (its lines, verdicts and clean text read in
/// place), so a page dump's diff does not first copy every line's row into a vector.
pub trait Rows<'a> {
    /// How many input lines there are.
    fn count(&self) -> usize;

    /// Line `i`, which must be one of them (`i < count()`).
    fn row(&self, i: usize) -> Row<'a>;

    /// Line `i`, when there is one.
    #[inline(always)]
    fn get(&self, i: usize) -> Option<Row<'a>> {
        (i < self.count()).then(|| self.row(i))
    }

    /// The length of line `i` when `rule` itself (the very string, which the lines of one
    /// removed span share) removed it; else `None`. The rest of a removed span is most of
    /// a page dump's lines, and this is all the diff's first pass reads of them.
    #[inline]
    fn removed_len(&self, i: usize, rule: &str) -> Option<usize> {
        self.get(i)
            .filter(|row| {
                row.new.is_none()
                    && row.changes.is_empty()
                    && row.removed_by.is_some_and(|r| std::ptr::eq(r, rule))
            })
            .map(|row| row.old.len())
    }

    /// Gives `each` the removed lines from line `i` on, up to the first kept one or line
    /// `end`, and returns how many there were: all that `removed.diff` writes of them.
    #[inline]
    fn removed_lines(&self, i: usize, end: usize, mut each: impl FnMut(&'a str)) -> usize {
        let mut n = 0;
        while let Some(row) = self
            .get(i + n)
            .filter(|row| i + n < end && row.new.is_none())
        {
            each(row.old);
            n += 1;
        }
        n
    }
}

impl<'a> Rows<'a> for [Row<'a>] {
    #[inline]
    fn count(&self) -> usize {
        self.len()
    }

    #[inline]
    fn row(&self, i: usize) -> Row<'a> {
        self[i].clone()
    }
}

/// How to render a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain unified diff for `removed.diff`, accepted by `patch`.
    Patch,
    /// For people on a terminal: rule ids and reasons beside removed lines, optional colour.
    Terminal { color: bool },
}

const CONTEXT: usize = 3;

/// A hunk: rows `start..end`, the clean lines before it and in it, and its rule ids (a
/// range of the diff's list).
struct Hunk {
    start: usize,
    end: usize,
    new_before: usize,
    new_len: usize,
    rules: Range<usize>,
}

/// Renders the diff of `rows` with `old_name` / `new_name` in the file header. Returns an
/// empty string when nothing changed.
pub fn unified(rows: &[Row<'_>], old_name: &str, new_name: &str, style: Style) -> String {
    unified_of(rows, old_name, new_name, style)
}

/// `unified` for any `Rows`.
pub fn unified_of<'a, R: Rows<'a> + ?Sized>(
    rows: &R,
    old_name: &str,
    new_name: &str,
    style: Style,
) -> String {
    let mut rules: Vec<&str> = Vec::new();
    let (hunks, changed_len) = hunks(rows, &mut rules);
    if hunks.is_empty() {
        return String::new();
    }
    let color = matches!(style, Style::Terminal { color: true });
    // Writes into `out` directly: this runs for every changed document of a run.
    let paint = |out: &mut String, code: &str, parts: &[&str]| {
        if color {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
        }
        for part in parts {
            out.push_str(part);
        }
        if color {
            out.push_str("\x1b[0m");
        }
    };
    // Room for the changed lines, both sides, and some context, so the text is allocated
    // once for most documents.
    let mut out = String::with_capacity(changed_len + changed_len / 2 + 256);
    paint(&mut out, "1", &["--- ", old_name]);
    out.push('\n');
    paint(&mut out, "1", &["+++ ", new_name]);
    out.push('\n');
    for hunk in &hunks {
        let old_len = hunk.end - hunk.start;
        let old_start = if old_len == 0 {
            hunk.start
        } else {
            hunk.start + 1
        };
        let new_start = if hunk.new_len == 0 {
            hunk.new_before
        } else {
            hunk.new_before + 1
        };
        // `@@ -old_start,old_len +new_start,new_len @@ rules`, written in place.
        if color {
            out.push_str("\x1b[36m");
        }
        out.push_str("@@ -");
        push_number(&mut out, old_start);
        out.push(',');
        push_number(&mut out, old_len);
        out.push_str(" +");
        push_number(&mut out, new_start);
        out.push(',');
        push_number(&mut out, hunk.new_len);
        out.push_str(" @@");
        if color {
            out.push_str("\x1b[0m");
        }
        for (i, rule) in rules[hunk.rules.clone()].iter().enumerate() {
            out.push_str(if i == 0 { " " } else { ", " });
            out.push_str(rule);
        }
        out.push('\n');
        hunk_lines(&mut out, rows, hunk.start..hunk.end, style);
    }
    out
}

/// The hunks of the diff of `rows`, their rule ids (into `rules`) and the length of the
/// changed lines on both sides, found in one pass over the rows: a changed row within
/// `2 * CONTEXT + 1` rows of the one before joins its hunk, and a hunk reaches `CONTEXT`
/// rows past its first and last changed rows.
fn hunks<'a, R: Rows<'a> + ?Sized>(rows: &R, rules: &mut Vec<&'a str>) -> (Vec<Hunk>, usize) {
    // Ends a hunk `CONTEXT` rows after its last changed row, `last`, whose clean lines
    // up to and with it were `new_through_last`; the rows after it are unchanged, one
    // clean line each.
    let close = |(mut hunk, last, new_through_last): (Hunk, usize, usize)| {
        hunk.end = (last + CONTEXT + 1).min(rows.count());
        hunk.new_len = new_through_last + (hunk.end - last - 1) - hunk.new_before;
        hunk
    };
    let mut hunks = Vec::new();
    let mut changed_len = 0;
    // Clean lines before the row looked at.
    let mut new_before = 0;
    let mut open: Option<(Hunk, usize, usize)> = None;
    let mut i = 0;
    while let Some(row) = rows.get(i) {
        let has_new = usize::from(row.new.is_some());
        if !row.is_equal() {
            changed_len += row.old.len() + row.new.map_or(0, str::len) + 2;
            let (hunk, last, new_through_last) = match &mut open {
                Some((hunk, last, new)) if i - *last <= 2 * CONTEXT + 1 => (hunk, last, new),
                _ => {
                    hunks.extend(open.take().map(close));
                    let start = i.saturating_sub(CONTEXT);
                    // The rows before the change are unchanged: one clean line each.
                    let hunk = Hunk {
                        start,
                        end: start,
                        new_before: new_before - (i - start),
                        new_len: 0,
                        rules: rules.len()..rules.len(),
                    };
                    let (hunk, last, new) = open.insert((hunk, i, 0));
                    (hunk, last, new)
                }
            };
            // Neighbouring lines mostly share the rule's very string: no comparison.
            if let Some(rule) = row.removed_by {
                if !rules[hunk.rules.start..]
                    .last()
                    .is_some_and(|last| std::ptr::eq(*last, rule))
                {
                    add_rule(rules, hunk.rules.start, rule);
                }
            }
            if !row.changes.is_empty() {
                for rule in row.changes.rule_ids() {
                    add_rule(rules, hunk.rules.start, rule);
                }
            }
            hunk.rules.end = rules.len();
            *new_through_last = new_before + has_new;
            // The removed rows right after a removed row with its rule (the rest of a removed
            // span, most of the rows of a page dump) add only their length: they join the
            // hunk, have its rule and no clean line.
            if let (None, Some(rule)) = (row.new, row.removed_by) {
                while let Some(len) = rows.removed_len(i + 1, rule) {
                    changed_len += len + 2;
                    i += 1;
                }
            }
            *last = i;
        }
        new_before += has_new;
        i += 1;
    }
    hunks.extend(open.map(close));
    (hunks, changed_len)
}

/// Adds `rule` to the rules of the hunk whose rules start at `start`, unless it is there.
fn add_rule<'a>(rules: &mut Vec<&'a str>, start: usize, rule: &'a str) {
    if !rules[start..]
        .iter()
        .any(|known| std::ptr::eq(*known, rule) || *known == rule)
    {
        rules.push(rule);
    }
}

/// A hunk's lines, rows `hunk` of `rows`: each unchanged row as context, and each run of
/// changed rows as their old lines and then their new ones.
fn hunk_lines<'a, R: Rows<'a> + ?Sized>(
    out: &mut String,
    rows: &R,
    hunk: Range<usize>,
    style: Style,
) {
    let color = matches!(style, Style::Terminal { color: true });
    // Row `i` of the hunk, when it has one.
    let at = |i: usize| if i < hunk.end { rows.get(i) } else { None };
    let mut i = hunk.start;
    while let Some(row) = at(i) {
        if row.is_equal() {
            push_line(out, ' ', row.old, None, false, "");
            i += 1;
            continue;
        }
        let run_start = i;
        let mut any_new = false;
        let mut previous_label: Option<(Option<&str>, Changes, Option<&str>)> = None;
        loop {
            // Removed lines, as `removed.diff` has them: the lines, and nothing beside them.
            if style == Style::Patch {
                i += rows.removed_lines(i, hunk.end, |old| {
                    push_line(out, '-', old, None, false, "");
                });
            }
            let Some(row) = at(i).filter(|row| !row.is_equal()) else {
                break;
            };
            any_new |= row.new.is_some();
            i += 1;
            let Style::Terminal { .. } = style else {
                push_line(out, '-', row.old, None, false, "");
                continue;
            };
            let this = (row.removed_by, row.changes, row.why);
            let label = match row.why {
                Some(why) if row.new.is_none() && previous_label != Some(this) => {
                    format!("  ⟵ {}: {why}", row.joined_rules())
                }
                _ => format!("  ⟵ {}", row.joined_rules()),
            };
            previous_label = Some(this);
            push_line(out, '-', row.old, Some(&label), color, "31");
        }
        if any_new {
            for new in (run_start..i).filter_map(|i| at(i)?.new) {
                push_line(out, '+', new, None, color, "32");
            }
        }
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    for &digit in super::decimal(n, &mut [0; 20]) {
        out.push(char::from(digit));
    }
}

/// Appends one diff line. `code` is the colour of a changed line ("" for context, which is
/// never coloured). Written straight into `out`: this runs for every removed line of a run,
/// and a line without colour or label (all of `removed.diff`) is copied whole, newline and
/// all.
#[inline]
fn push_line(
    out: &mut String,
    sign: char,
    line: &str,
    label: Option<&str>,
    color: bool,
    code: &str,
) {
    if label.is_some() || (color && !code.is_empty()) {
        return push_painted_line(out, sign, line, label, color, code);
    }
    out.push(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// `push_line` for a line with colour or a label.
fn push_painted_line(
    out: &mut String,
    sign: char,
    line: &str,
    label: Option<&str>,
    color: bool,
    code: &str,
) {
    let (body, newline) = match line.strip_suffix('\n') {
        Some(body) => (body, true),
        None => (line, false),
    };
    let painted = color && !code.is_empty();
    if painted {
        out.push_str("\x1b[");
        out.push_str(code);
        out.push('m');
    }
    out.push(sign);
    // Show carriage returns on the terminal, where they would otherwise move the cursor.
    if label.is_some() && !code.is_empty() && body.contains('\r') {
        out.push_str(&body.replace('\r', "␍"));
    } else {
        out.push_str(body);
    }
    if painted {
        out.push_str("\x1b[0m");
    }
    if let Some(label) = label {
        if color {
            out.push_str("\x1b[2m");
            out.push_str(label);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(label);
        }
    }
    out.push('\n');
    if !newline {
        out.push_str("\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(old: &'a str, new: Option<&'a str>, rule: Option<&'a str>) -> Row<'a> {
        Row {
            old,
            new,
            removed_by: rule,
            changes: Changes::default(),
            why: None,
        }
    }

    #[test]
    fn runs_of_removed_rows_make_the_hunks_row_by_row_would() {
        let (menu, menu_again, footer) = (String::from("menu"), String::from("menu"), "footer");
        let mut rows = vec![
            row("a\n", Some("a\n"), None),
            row("b\n", None, Some(&menu)),
            row("c\n", None, Some(&menu)),
            row("d\n", None, Some(&menu_again)),
            row("e\n", None, Some(footer)),
            row("f \n", Some("f\n"), None),
        ];
        rows[5].changes = Changes::TRAILING_SPACE;
        let kept: Vec<String> = (0..10).map(|n| format!("k{n}\n")).collect();
        rows.extend(kept.iter().map(|k| row(k, Some(k), None)));
        rows.push(row("q\n", None, Some(footer)));
        rows.push(row("r", None, Some(footer)));
        let diff = unified(&rows, "a/doc", "b/doc", Style::Patch);
        assert_eq!(
            diff,
            "--- a/doc\n+++ b/doc\n\
             @@ -1,9 +1,5 @@ menu, footer, normalize.trailing-space\n \
             a\n-b\n-c\n-d\n-e\n-f \n+f\n k0\n k1\n k2\n\
             @@ -14,5 +10,3 @@ footer\n k7\n k8\n k9\n-q\n-r\n\\ No newline at end of file\n"
        );
    }
}
