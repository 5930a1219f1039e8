//! Helping a user review and write rules: `lint` checks a rule set (and what it did on a
//! corpus), `suggest` proposes site rules from a corpus. The review page itself is
//! `report::html`, since it is built from a run's report.

pub mod lint;
pub mod suggest;
