//! Character counts the region detectors score lines by: characters, and of those the ones
//! of scripts written without spaces between words, since a line of Chinese, Japanese,
//! Thai or Burmese has few words between spaces however long it is.

/// A line's characters, and what its characters of scripts that do not space their words
/// come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CharCounts {
    pub chars: usize,
    /// Characters of scripts written without spaces between words: CJK ideographs, kana
    /// and hangul, and the letters and marks of Thai, Lao, Myanmar and Khmer.
    pub unspaced: usize,
    /// The words those characters make, about: two CJK characters to a word, and three
    /// letters (not counting vowel signs and other combining marks) in the other scripts.
    pub unspaced_words: usize,
}

/// A line's `CharCounts`, found by decoding it. The scripts that do not space their words
/// are characters whose UTF-8 starts with 0xE0 to 0xED (but 0xE2), so the line features
/// ask for the counts only of a line whose scan met such a byte
/// (`has_unspaced_lead_byte_word`), and count any other line's characters without decoding
/// them; its counts would come out the same here.
pub fn char_counts(text: &str) -> CharCounts {
    let mut chars = 0usize;
    let mut ideographs = 0usize;
    let mut letters = 0usize;
    let mut marks = 0usize;
    for c in text.chars() {
        chars += 1;
        match script_of(c) {
            Unspaced::No => {}
            Unspaced::Ideographic => ideographs += 1,
            Unspaced::Alphabetic if unicode_normalization::char::is_combining_mark(c) => marks += 1,
            Unspaced::Alphabetic => letters += 1,
        }
    }
    CharCounts {
        chars,
        unspaced: ideographs + letters + marks,
        unspaced_words: ideographs / 2 + letters / 3,
    }
}

/// Whether any of eight bytes is from 0xE0 to 0xED other than 0xE2: the UTF-8 lead bytes of
/// U+0800 to U+DFFF, where every script of `script_of` is, but general punctuation (curly
/// quotes and dashes, in many lines of prose), which holds no such script. Adding to the
/// low seven bits of a byte cannot carry into the next byte.
pub fn has_unspaced_lead_byte_word(word: u64) -> bool {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = word & LOW;
    let at_least = low + 0x2020_2020_2020_2020; // high bit set when low >= 0x60
    let past = low + 0x1212_1212_1212_1212; // high bit set when low >= 0x6E
    let quote = (low ^ 0x6262_6262_6262_6262) + LOW; // high bit clear when low == 0x62
    at_least & !past & quote & word & HIGH != 0
}

/// How a script spaces its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unspaced {
    /// Spaces between words (or not a letter).
    No,
    /// CJK ideographs, kana and hangul syllables: about two to a word.
    Ideographic,
    /// Thai, Lao, Myanmar and Khmer: letters with vowel signs and tone marks around them.
    Alphabetic,
}

fn script_of(c: char) -> Unspaced {
    match c as u32 {
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        => Unspaced::Ideographic,
        0x0E00..=0x0EFF   // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        => Unspaced::Alphabetic,
        _ => Unspaced::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspaced_lead_bytes_are_found_eight_at_a_time_as_one_at_a_time() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[at] = b;
                assert_eq!(
                    has_unspaced_lead_byte_word(u64::from_le_bytes(bytes)),
                    (0xE0..=0xED).contains(&b) && b != 0xE2,
                    "{b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn characters_and_unspaced_ones_are_counted_by_decoding_them() {
        for text in [
            "",
            "plain ascii",
            "“quoted” été — ok",
            "東京で会議 and more",
            "한국어 텍스트",
            "ผล DNA ยืนยัน ศพลอยแม่น้ำโขง",
            "နိုင်ငံတော် သတင်း",
            "ព័ត៌មាន",
            "हिन्दी समाचार।",
        ] {
            let script = |c: char| script_of(c);
            let ideographs = text.chars().filter(|&c| script(c) == Unspaced::Ideographic);
            let alphabetic: Vec<char> = text
                .chars()
                .filter(|&c| script(c) == Unspaced::Alphabetic)
                .collect();
            let letters = alphabetic
                .iter()
                .filter(|&&c| !unicode_normalization::char::is_combining_mark(c))
                .count();
            let ideographs = ideographs.count();
            let decoded = CharCounts {
                chars: text.chars().count(),
                unspaced: ideographs + alphabetic.len(),
                unspaced_words: ideographs / 2 + letters / 3,
            };
            assert_eq!(char_counts(text), decoded, "{text:?}");
        }
        // Twelve Thai letters and two tone marks: the marks make no words.
        let thai = char_counts("ศพลอยแม่น้ำโขง");
        assert_eq!(
            (thai.chars, thai.unspaced, thai.unspaced_words),
            (14, 14, 4)
        );
    }
}
