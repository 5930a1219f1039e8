//! Built-in detectors: judgements that phrase and regex rules cannot express, such as "this
//! caption repeats the headline" or "these lines alternate label and truncated teaser".
//!
//! Each detector lives in its own file, has a rule id like any rule (`detect.*`), and is
//! configured from `rules/detectors.toml` (enabled, thresholds, examples), so a user can
//! switch one off or tune it with a rule file of their own. A detector only turns `Keep`
//! verdicts into `Drop`; it never brings back what a rule removed.

mod comment_thread;
mod content_region;
mod dom_boilerplate;
mod dom_region;
mod repeated_line;
mod section_label;
mod teaser_list;
mod text;
mod title_echo;

pub(crate) use content_region::breaks_inside_text;
pub(crate) use text::{char_counts, has_unspaced_lead_byte_word, CharCounts};

use crate::document::{Document, Verdict};
use crate::judge::Page;
use serde::de::DeserializeOwned;

/// A built-in judgement over a whole page.
pub trait Detector: Send + Sync {
    /// Marks the blocks this detector removes. `id` is the detector's rule id.
    fn judge(&self, id: &std::sync::Arc<str>, page: &Page<'_>, verdicts: &mut [Verdict]);

    /// For a detector that compares documents with each other: the survey of a run it
    /// needs before any document is judged.
    fn survey(&self) -> Option<Box<dyn Survey + '_>> {
        None
    }

    /// Surveys a whole run held at once and leaves what the survey found in each document.
    fn prepare(&self, documents: &mut [Document]) {
        if let Some(mut survey) = self.survey() {
            survey.add(documents);
            survey.apply(documents);
        }
    }
}

/// What a detector learns from a whole run, taken a batch at a time, so that a run too
/// large to hold can be read twice: once to survey, once to clean.
pub trait Survey: Send {
    /// Takes in a batch of documents.
    fn add(&mut self, documents: &[Document]);

    /// Leaves in each document of a batch what the whole run says about it; called once
    /// every batch was added.
    fn apply(&self, documents: &mut [Document]);
}

/// The ids of the built-in detectors.
pub const DETECTOR_IDS: &[&str] = &[
    title_echo::ID,
    teaser_list::ID,
    section_label::ID,
    repeated_line::ID,
    comment_thread::ID,
    content_region::ID,
    dom_region::ID,
    dom_boilerplate::ID,
];

/// Checks a detector's settings without building it, for load-time errors.
pub fn check_settings(id: &str, settings: &toml::Table) -> Result<(), String> {
    build(id, settings).map(|_| ())
}

/// Builds the detector `id` from its settings; settings not given take their defaults.
pub fn build(id: &str, settings: &toml::Table) -> Result<Box<dyn Detector>, String> {
    match id {
        title_echo::ID => Ok(Box::new(title_echo::TitleEcho::new(parse(settings)?))),
        teaser_list::ID => Ok(Box::new(teaser_list::TeaserList::new(parse(settings)?))),
        section_label::ID => Ok(Box::new(section_label::SectionLabel::new(parse(settings)?))),
        repeated_line::ID => Ok(Box::new(repeated_line::RepeatedLine::new(parse(settings)?))),
        comment_thread::ID => Ok(Box::new(comment_thread::CommentThread::new(parse(
            settings,
        )?))),
        content_region::ID => Ok(Box::new(content_region::ContentRegion::new(parse(
            settings,
        )?))),
        dom_region::ID => Ok(Box::new(dom_region::DomRegion::new(parse(settings)?))),
        dom_boilerplate::ID => Ok(Box::new(dom_boilerplate::DomBoilerplate::new(parse(
            settings,
        )?))),
        _ => Err(format!(
            "unknown detector; the built-in detectors are {}",
            DETECTOR_IDS.join(", ")
        )),
    }
}

fn parse<T: DeserializeOwned>(settings: &toml::Table) -> Result<T, String> {
    toml::Value::Table(settings.clone())
        .try_into()
        .map_err(|e: toml::de::Error| format!("bad settings: {}", e.message().trim()))
}
