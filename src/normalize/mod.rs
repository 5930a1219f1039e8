//! Normalisation of one line of text: line endings, trailing white space and Unicode NFC.
//!
//! Normalisation is a change like any removal: each kind has a rule id (`normalize.*`) so the
//! diff and the report can say why a line differs from the input. Blank-line clean-up
//! (collapsing runs, dropping leading and trailing blank lines) removes whole lines and is
//! done by the judge after the other verdicts, because which blank lines are redundant depends
//! on what was removed around them. Characters such as the non-breaking hyphen are left as
//! they are: they carry meaning in names and numbers.

use std::borrow::Cow;
use std::sync::OnceLock;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub const RULE_CRLF: &str = "normalize.crlf";
pub const RULE_TRAILING_SPACE: &str = "normalize.trailing-space";
pub const RULE_NFC: &str = "normalize.nfc";
pub const RULE_BLANK_LINES: &str = "normalize.blank-lines";

/// A set of normalisations that changed a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes(u8);

impl Changes {
    pub const CRLF: Changes = Changes(1);
    pub const TRAILING_SPACE: Changes = Changes(2);
    pub const NFC: Changes = Changes(4);

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, other: Changes) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    fn insert(&mut self, other: Changes) {
        self.0 |= other.0;
    }

    /// The rule ids of the changes, in a fixed order.
    pub fn rule_ids(self) -> impl Iterator<Item = &'static str> {
        [
            (Changes::CRLF, RULE_CRLF),
            (Changes::TRAILING_SPACE, RULE_TRAILING_SPACE),
            (Changes::NFC, RULE_NFC),
        ]
        .into_iter()
        .filter(move |(flag, _)| self.contains(*flag))
        .map(|(_, id)| id)
    }
}

/// Normalises one line given without its `\n`. Returns the text and what changed.
/// Borrowed when nothing changed, which is the common case.
pub fn normalize_line(line: &str) -> (Cow<'_, str>, Changes) {
    normalize_line_after_ascii(line, 0)
}

/// `normalize_line` of a line whose first `ascii` bytes are known to be ASCII (the segmenter
/// finds where the text's runs of ASCII end in one pass over the text): the NFC test starts
/// after them.
pub(crate) fn normalize_line_after_ascii(line: &str, ascii: usize) -> (Cow<'_, str>, Changes) {
    let mut changes = Changes::default();
    let mut text = line;
    if let Some(stripped) = text.strip_suffix('\r') {
        text = stripped;
        changes.insert(Changes::CRLF);
    }
    let trimmed = text.trim_end();
    if trimmed.len() != text.len() {
        changes.insert(Changes::TRAILING_SPACE);
        text = trimmed;
    }
    // An ASCII line is NFC. Curly quotes, dashes and accented letters are common in news; a
    // table lookup per character beyond ASCII settles most lines without the normalisation
    // tables' hashing, and runs of ASCII are passed over eight bytes at a time (by the same
    // loop: most lines that get here have characters beyond ASCII).
    if all_nfc_inert(text, ascii.min(text.len())) {
        return (Cow::Borrowed(text), changes);
    }
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => (Cow::Borrowed(text), changes),
        _ => {
            let composed: String = text.nfc().collect();
            if composed == text {
                (Cow::Borrowed(text), changes)
            } else {
                changes.insert(Changes::NFC);
                // Composition can expose trailing white space only in theory; trim again so
                // normalising twice changes nothing.
                let composed = composed.trim_end().to_string();
                (Cow::Owned(composed), changes)
            }
        }
    }
}

/// Whether every character of `text` from byte `from` on (a character boundary, with only
/// ASCII before it) is NFC-inert (see `is_nfc_inert`). The characters news text is most made
/// of are known by their bytes without decoding: ASCII, the two-byte characters below U+0300
/// (Latin-1 letters, Latin Extended) and the Cyrillic letters from U+0400 to U+047F (lead
/// bytes 0xC2 to 0xCB, 0xD0 and 0xD1), and the general punctuation from U+2002 to U+206F
/// (curly quotes, dashes, ellipsis), which are all inert. Runs of the first kinds are passed
/// over eight bytes at a time (`inert_run`), the punctuation a character at a time, and only
/// other characters are decoded; one loop steps over all of them, without a call per
/// character.
fn all_nfc_inert(text: &str, from: usize) -> bool {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(&lead) = bytes.get(at) {
        at += match lead {
            // ASCII, a two-byte lead as above, or a continuation byte of such a character
            // whose lead a run passed over (the only way to land inside a character).
            0..=0xCB | 0xD0 | 0xD1 => match bytes.get(at..at + 8) {
                Some(word) => inert_run(word),
                None => 1,
            },
            // U+2002 to U+203F, and U+2040 to U+206F.
            0xE2 if matches!(
                (bytes.get(at + 1), bytes.get(at + 2)),
                (Some(0x80), Some(0x82..)) | (Some(0x81), Some(..=0xAF))
            ) =>
            {
                3
            }
            _ => match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) if is_nfc_inert(c) => c.len_utf8(),
                _ => return false,
            },
        };
    }
    true
}

/// How many of the eight bytes of `word` come before the first lead byte of a character
/// other than those `all_nfc_inert` passes over in runs (eight when there is none): before
/// it are ASCII, continuation bytes and the leads 0xC2 to 0xCB, 0xD0 and 0xD1, and each of
/// those leads is followed by its continuation byte, so it is a character boundary. Adding
/// to the low seven bits of a byte cannot carry into the next byte.
#[inline(always)]
fn inert_run(word: &[u8]) -> usize {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut eight = [0u8; 8];
    eight.copy_from_slice(word);
    let word = u64::from_le_bytes(eight);
    if word & HIGH == 0 {
        return 8;
    }
    // The bytes from 0xCC up: the high bit set and the low seven bits from 0x4C up.
    let from_cc = ((word & LOW) + 0x3434_3434_3434_3434) & word & HIGH;
    // The bytes 0xD0 and 0xD1: zero once their lowest bit is cleared and 0xD0 taken off
    // (an exact test of each byte for zero).
    let x = (word & 0xFEFE_FEFE_FEFE_FEFE) ^ 0xD0D0_D0D0_D0D0_D0D0;
    let cyrillic = !(((x & LOW) + LOW) | x) & HIGH;
    // The lowest flag is the first such lead; none gives 64 zeros, eight bytes.
    ((from_cc & !cyrillic).trailing_zeros() / 8) as usize
}

/// Whether the eight bytes of `word` are ASCII.
#[inline(always)]
fn ascii_word(word: &[u8]) -> bool {
    let mut eight = [0u8; 8];
    eight.copy_from_slice(word);
    u64::from_ne_bytes(eight) & 0x8080_8080_8080_8080 == 0
}

/// The ASCII characters `char::is_whitespace` holds for (tab, line feed, vertical tab, form
/// feed, carriage return, space), which trimming and `split_whitespace` take as white space.
pub(crate) const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// How many bytes `bytes` starts with that are ASCII, tested eight at a time.
pub(crate) fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        if !ascii_word(word) {
            break;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len() - at)
}

/// Whether a character leaves any line it is in NFC: it is NFC itself and a starter
/// (combining class 0), so `is_nfc_quick` says `Yes` for it whatever surrounds it. For the
/// Basic Multilingual Plane the answers are bit tables built from the normalisation tables,
/// one per block of 256 code points on first use (a page uses a handful of blocks), so they
/// agree with `is_nfc_quick` by construction; other planes are looked up directly.
fn is_nfc_inert(c: char) -> bool {
    static BLOCKS: [OnceLock<[u64; 4]>; 256] = [const { OnceLock::new() }; 256];
    let code = c as u32;
    // Characters below U+0300 are all NFC and never combine, and so are the CJK unified
    // ideographs and the Hangul syllables: a Chinese or Korean page would otherwise build
    // the tables of a hundred blocks.
    if code < 0x300 || (0x4E00..=0x9FFF).contains(&code) || (0xAC00..=0xD7A3).contains(&code) {
        return true;
    }
    if code > 0xFFFF {
        return char_is_nfc_inert(c);
    }
    let block = BLOCKS[(code >> 8) as usize].get_or_init(|| {
        let mut bits = [0u64; 4];
        let first = code & !0xFF;
        for offset in 0..256 {
            if char::from_u32(first + offset).is_some_and(char_is_nfc_inert) {
                bits[offset as usize / 64] |= 1 << (offset % 64);
            }
        }
        bits
    });
    let offset = code & 0xFF;
    block[offset as usize / 64] & (1 << (offset % 64)) != 0
}

fn char_is_nfc_inert(c: char) -> bool {
    canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untouched_line_is_borrowed() {
        let (text, changes) = normalize_line("The vote was 7-2.");
        assert!(matches!(text, Cow::Borrowed(_)));
        assert!(changes.is_empty());
    }

    #[test]
    fn crlf_and_trailing_space() {
        let (text, changes) = normalize_line("Headline  \t\r");
        assert_eq!(text, "Headline");
        assert!(changes.contains(Changes::CRLF));
        assert!(changes.contains(Changes::TRAILING_SPACE));
        assert!(!changes.contains(Changes::NFC));
    }

    #[test]
    fn decomposed_accent_is_composed() {
        let (text, changes) = normalize_line("Cafe\u{301} Zu\u{308}rich");
        assert_eq!(text, "Caf\u{e9} Z\u{fc}rich");
        assert_eq!(changes.rule_ids().collect::<Vec<_>>(), vec![RULE_NFC]);
    }

    #[test]
    fn fast_path_agrees_with_full_composition() {
        // Every BMP character between two letters, alone and before a combining accent:
        // the NFC flag must be what composing the line says.
        for code in 0x80..=0xFFFFu32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for line in [format!("a{c}b"), format!("a{c}\u{301}b")] {
                assert_nfc_flag_is_right(&line, code);
            }
        }
    }

    /// The NFC flag `normalize_line` gives `line` (which holds the character `code`) is
    /// what composing the line says.
    fn assert_nfc_flag_is_right(line: &str, code: u32) {
        let composed: String = line.nfc().collect();
        let (_, changes) = normalize_line(line);
        assert_eq!(
            changes.contains(Changes::NFC),
            composed != line,
            "U+{code:04X} in {line:?}"
        );
    }

    #[test]
    fn ascii_prefix_is_found_eight_bytes_at_a_time() {
        for len in 0..20 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0xC3;
                }
                assert_eq!(ascii_prefix_len(&bytes), at, "{len} {at}");
            }
        }
    }

    #[test]
    fn inert_runs_end_at_the_first_other_lead_byte() {
        for at in 0..=8 {
            for b in [0xCC, 0xCF, 0xD2, 0xD3, 0xE2, 0xF0, 0xFF] {
                for filler in [b'a', 0x80, 0xBF, 0xC2, 0xCB, 0xD0, 0xD1] {
                    let mut word = [filler; 8];
                    if at < 8 {
                        word[at] = b;
                        word[7] = b;
                    }
                    assert_eq!(inert_run(&word), at, "{word:?}");
                }
            }
        }
    }

    #[test]
    fn runs_agree_with_full_composition() {
        // Every BMP character after runs of Cyrillic and Latin-1 letters at every alignment
        // of the eight-byte words, alone and before a combining accent.
        for code in 0x80..=0xFFFFu32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for pad in 0..8 {
                let start = "x".repeat(pad);
                for line in [
                    format!("{start}жé{c}ñ ж"),
                    format!("{start}жé{c}\u{301}ñ ж"),
                ] {
                    assert_nfc_flag_is_right(&line, code);
                }
            }
        }
    }

    #[test]
    fn a_known_ascii_start_does_not_change_the_normal_form() {
        for line in [
            "plain ascii line",
            "trailing  \t\r",
            "Cafe\u{301} Zu\u{308}rich",
            "the \u{2018}quoted\u{2019} word\u{2026}  ",
            "e\u{301}",
            "a\u{301}\u{300} b",
            "\u{1100}\u{1161} Hangul jamo",
            "",
        ] {
            let ascii = line.bytes().take_while(u8::is_ascii).count();
            for known in 0..=ascii {
                assert_eq!(
                    normalize_line_after_ascii(line, known),
                    normalize_line(line),
                    "{line:?} {known}"
                );
            }
        }
    }

    #[test]
    fn non_breaking_hyphen_is_kept() {
        let (text, changes) = normalize_line("five\u{2011}hour meeting");
        assert_eq!(text, "five\u{2011}hour meeting");
        assert!(changes.is_empty());
    }
}
