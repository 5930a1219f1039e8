//! Character counts the region detectors score lines by: characters, and of those the CJK
//! ones, since Chinese, Japanese and Korean text counts two characters a word.

/// A line's characters, and of those the CJK ones (ideographs, kana, hangul). The CJK
/// ranges are the characters whose UTF-8 starts with 0xE3 to 0xED; a line without such
/// bytes (nearly every line) has none, and its characters are counted without decoding
/// them. An ASCII line (the test is a word at a time) has as many characters as bytes.
pub fn char_counts(text: &str) -> (usize, usize) {
    if text.is_ascii() {
        return (text.len(), 0);
    }
    if !has_cjk_lead_byte(text.as_bytes()) {
        return (text.chars().count(), 0);
    }
    let mut chars = 0usize;
    let mut cjk = 0usize;
    for c in text.chars() {
        chars += 1;
        if is_cjk(c) {
            cjk += 1;
        }
    }
    (chars, cjk)
}

/// Whether any byte is from 0xE3 to 0xED (the UTF-8 lead bytes of the CJK ranges of
/// `is_cjk`), tested eight bytes at a time: long prose lines with curly quotes (lead byte
/// 0xE2) take this test on every round of judging.
fn has_cjk_lead_byte(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if has_cjk_lead_byte_word(u64::from_le_bytes(word)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|b| (0xE3..=0xED).contains(b))
}

/// Whether any of eight bytes is from 0xE3 to 0xED. Adding to the low seven bits of a byte
/// cannot carry into the next byte.
pub fn has_cjk_lead_byte_word(word: u64) -> bool {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = word & LOW;
    let at_least = low + 0x1D1D_1D1D_1D1D_1D1D; // high bit set when low >= 0x63
    let past = low + 0x1212_1212_1212_1212; // high bit set when low >= 0x6E
    at_least & !past & word & HIGH != 0
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_lead_bytes_are_found_eight_at_a_time_as_one_at_a_time() {
        for b in 0..=255u8 {
            for at in 0..19 {
                let mut bytes = vec![b'a'; 19];
                bytes[at] = b;
                assert_eq!(
                    has_cjk_lead_byte(&bytes),
                    (0xE3..=0xED).contains(&b),
                    "{b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn characters_and_cjk_ones_are_counted_by_decoding_them() {
        for text in [
            "",
            "plain ascii",
            "“quoted” été",
            "東京で会議 and more",
            "한국어 텍스트",
        ] {
            let decoded = (
                text.chars().count(),
                text.chars().filter(|&c| is_cjk(c)).count(),
            );
            assert_eq!(char_counts(text), decoded, "{text:?}");
        }
    }
}
