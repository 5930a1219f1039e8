//! What a run tells its reviewer: one `report.jsonl` record per document (every removed span
//! with its rule), the unified diffs, and the closing summary.

pub mod diff;

use serde::Serialize;
use std::collections::BTreeMap;

use crate::Cleaned;

/// A run of consecutive removed lines with one rule and one reason.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RemovedSpan {
    /// First and last line (1-based, inclusive) in the raw text.
    pub lines: [usize; 2],
    pub rule: String,
    pub why: String,
    /// The removed text as it was in the input.
    pub text: String,
}

/// One line of `report.jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentReport<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub site: Option<&'a str>,
    pub url: Option<&'a str>,
    pub bytes_in: usize,
    pub bytes_out: usize,
    pub lines_in: usize,
    pub lines_out: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub invalid_utf8: usize,
    pub removed: &'a [RemovedSpan],
    /// Lines changed by each normalisation rule.
    pub normalized: &'a BTreeMap<String, usize>,
    pub duplicate_of: Option<&'a str>,
    pub similarity: Option<f64>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl<'a> DocumentReport<'a> {
    pub fn new(cleaned: &'a Cleaned) -> DocumentReport<'a> {
        let doc = &cleaned.document;
        DocumentReport {
            id: &doc.id,
            source: &doc.source,
            site: doc.site.as_deref(),
            url: doc.url.as_deref(),
            bytes_in: doc.raw.len(),
            bytes_out: cleaned.clean.len(),
            lines_in: cleaned.lines_in,
            lines_out: cleaned.lines_out,
            invalid_utf8: doc.invalid_utf8,
            removed: &cleaned.removed,
            normalized: &cleaned.normalized,
            duplicate_of: None,
            similarity: None,
        }
    }
}

/// Totals for the closing summary.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub documents_read: usize,
    pub documents_cleaned: usize,
    pub documents_changed: usize,
    pub skipped: usize,
    pub warnings: usize,
    pub bytes_in: usize,
    pub bytes_out: usize,
    /// Bytes of raw text removed by each rule.
    pub bytes_by_rule: BTreeMap<String, usize>,
}

impl Summary {
    pub fn add(&mut self, cleaned: &Cleaned) {
        self.documents_cleaned += 1;
        if cleaned.clean != cleaned.document.raw {
            self.documents_changed += 1;
        }
        self.bytes_in += cleaned.document.raw.len();
        self.bytes_out += cleaned.clean.len();
        for span in &cleaned.removed {
            *self.bytes_by_rule.entry(span.rule.clone()).or_default() += span.text.len();
        }
    }

    /// The rules that removed most, largest first (ties by id).
    pub fn top_rules(&self, n: usize) -> Vec<(&str, usize)> {
        let mut rules: Vec<(&str, usize)> = self
            .bytes_by_rule
            .iter()
            .map(|(rule, bytes)| (rule.as_str(), *bytes))
            .collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rules.truncate(n);
        rules
    }

    /// The one-screen summary printed at the end of a run.
    pub fn render(&self, output: &str) -> String {
        let removed = self.bytes_in.saturating_sub(self.bytes_out);
        let share = if self.bytes_in == 0 {
            0.0
        } else {
            100.0 * removed as f64 / self.bytes_in as f64
        };
        let mut text = format!(
            "newsclean: {} documents read, {} cleaned ({} changed), {} skipped",
            self.documents_read, self.documents_cleaned, self.documents_changed, self.skipped
        );
        if self.warnings > 0 {
            text.push_str(&format!(", {} warnings", self.warnings));
        }
        text.push('\n');
        text.push_str(&format!(
            "  bytes: {} in, {} out, {} removed ({share:.1}%)\n",
            thousands(self.bytes_in),
            thousands(self.bytes_out),
            thousands(removed)
        ));
        let top = self.top_rules(5);
        if !top.is_empty() {
            text.push_str("  top rules by bytes removed:\n");
            for (rule, bytes) in top {
                text.push_str(&format!("    {:>12}  {rule}\n", thousands(bytes)));
            }
        }
        text.push_str(&format!("  output: {output}\n"));
        text
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
