//! Unified diffs of raw text against clean text, built from the judge's own line mapping.
//!
//! The cleaner knows exactly which input line became which output line and which rule
//! removed or changed each one, so the diff is made from that mapping rather than by
//! searching for one: it is exact, linear in the document's length, and every hunk can name
//! the rules behind it. The output is a standard unified diff (`patch -R` restores the input)
//! with the rule ids in each hunk header's section text, where `patch` ignores them.

use crate::normalize::Changes;

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

/// How to render a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain unified diff for `removed.diff`, accepted by `patch`.
    Patch,
    /// For people on a terminal: rule ids and reasons beside removed lines, optional colour.
    Terminal { color: bool },
}

const CONTEXT: usize = 3;

/// Renders the diff of `rows` with `old_name` / `new_name` in the file header. Returns an
/// empty string when nothing changed.
pub fn unified(rows: &[Row<'_>], old_name: &str, new_name: &str, style: Style) -> String {
    let mut changed: Vec<usize> = Vec::with_capacity(rows.len());
    changed.extend((0..rows.len()).filter(|&i| !rows[i].is_equal()));
    if changed.is_empty() {
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
    let changed_len: usize = changed
        .iter()
        .map(|&i| rows[i].old.len() + rows[i].new.as_ref().map_or(0, |n| n.len()) + 2)
        .sum();
    let mut out = String::with_capacity(changed_len + changed_len / 2 + 256);
    paint(&mut out, "1", &["--- ", old_name]);
    out.push('\n');
    paint(&mut out, "1", &["+++ ", new_name]);
    out.push('\n');

    // New-side line numbers: how many clean lines come before a row, counted up to it as
    // the hunks go forward (each starts at or after the end of the one before).
    let mut counted = 0;
    let mut clean_lines = 0;
    let mut new_before = |row: usize| {
        if let Some(passed) = rows.get(counted..row) {
            clean_lines += passed.iter().filter(|r| r.new.is_some()).count();
            counted = row;
        }
        clean_lines
    };

    let mut rules: Vec<&str> = Vec::new();
    let mut k = 0;
    while k < changed.len() {
        let first = changed[k];
        let mut last = first;
        while k + 1 < changed.len() && changed[k + 1] - last <= 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let start = first.saturating_sub(CONTEXT);
        let end = (last + CONTEXT + 1).min(rows.len());
        let hunk = &rows[start..end];
        let old_len = hunk.len();
        let before = new_before(start);
        let new_len = new_before(end) - before;
        let old_start = if old_len == 0 { start } else { start + 1 };
        let new_start = if new_len == 0 { before } else { before + 1 };
        rules.clear();
        for row in hunk {
            // Neighbouring lines mostly share the rule's very string: no comparison.
            if let Some(rule) = row.removed_by {
                if !rules.last().is_some_and(|last| std::ptr::eq(*last, rule)) {
                    add_rule(&mut rules, rule);
                }
            }
            if !row.changes.is_empty() {
                for rule in row.changes.rule_ids() {
                    add_rule(&mut rules, rule);
                }
            }
        }
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
        push_number(&mut out, new_len);
        out.push_str(" @@");
        if color {
            out.push_str("\x1b[0m");
        }
        for (i, rule) in rules.iter().enumerate() {
            out.push_str(if i == 0 { " " } else { ", " });
            out.push_str(rule);
        }
        out.push('\n');
        let mut i = 0;
        while i < hunk.len() {
            if hunk[i].is_equal() {
                push_line(&mut out, ' ', hunk[i].old, None, color, "");
                i += 1;
                continue;
            }
            let run_end = (i..hunk.len())
                .find(|&j| hunk[j].is_equal())
                .unwrap_or(hunk.len());
            let mut previous_label: Option<(Option<&str>, Changes, Option<&str>)> = None;
            for row in &hunk[i..run_end] {
                let label = match style {
                    Style::Patch => None,
                    Style::Terminal { .. } => {
                        let this = (row.removed_by, row.changes, row.why);
                        let text = if previous_label == Some(this) {
                            format!("  ⟵ {}", row.joined_rules())
                        } else {
                            match row.why {
                                Some(why) if row.new.is_none() => {
                                    format!("  ⟵ {}: {why}", row.joined_rules())
                                }
                                _ => format!("  ⟵ {}", row.joined_rules()),
                            }
                        };
                        previous_label = Some(this);
                        Some(text)
                    }
                };
                push_line(&mut out, '-', row.old, label.as_deref(), color, "31");
            }
            for row in &hunk[i..run_end] {
                if let Some(new) = &row.new {
                    push_line(&mut out, '+', new, None, color, "32");
                }
            }
            i = run_end;
        }
    }
    out
}

/// Adds `rule` to the hunk's `rules` unless it is there.
fn add_rule<'a>(rules: &mut Vec<&'a str>, rule: &'a str) {
    if !rules.contains(&rule) {
        rules.push(rule);
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    // Only ASCII digits are written.
    out.push_str(std::str::from_utf8(super::decimal(n, &mut [0; 20])).unwrap_or_default());
}

/// Appends one diff line. `code` is the colour of a changed line ("" for context, which is
/// never coloured). Written straight into `out`: this runs for every removed line of a run.
fn push_line(
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
