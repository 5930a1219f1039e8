//! Bytes of a saved page into text: the character set comes from a byte-order mark, else
//! from a `<meta charset>` or `<meta http-equiv="Content-Type">` declaration near the top,
//! and `encoding_rs` decodes it. Pages in the wild often declare one charset and hold
//! another, so a page that declares a legacy charset but is valid UTF-8 with non-ASCII text
//! is read as UTF-8, and anything that cannot be decoded cleanly is read as lossy UTF-8.
//! Every such guess comes back as a warning for the run's problem list.

use encoding_rs::{Encoding, UTF_8};

/// How far into a page the charset declaration is looked for. Browsers look at the first
/// 1,024 bytes; saved pages often have a long `<head>` of scripts before the meta tag.
const SNIFF_BYTES: usize = 8192;

/// A decoded page.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// Invalid sequences replaced by U+FFFD.
    pub replaced: usize,
    /// What a reviewer should know about the decoding, if anything.
    pub warning: Option<String>,
}

/// Decodes a page's bytes. Never fails: the worst case is lossy UTF-8 with a warning.
/// UTF-8 pages (most of them) become their text without a copy.
pub fn decode(mut bytes: Vec<u8>) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(&bytes) {
        bytes.drain(..bom);
        return with_encoding(encoding, bytes, None);
    }
    let declared = declared_charset(&bytes[..bytes.len().min(SNIFF_BYTES)]);
    let Some(label) = declared else {
        return lossy_utf8(bytes, "declares no charset and is not valid UTF-8");
    };
    match Encoding::for_label(label.as_bytes()) {
        // A page cannot declare UTF-16 in its own ASCII bytes; browsers read it as UTF-8.
        Some(encoding) if encoding == UTF_8 => {
            lossy_utf8(bytes, "declares UTF-8 but is not valid UTF-8")
        }
        Some(encoding)
            if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE =>
        {
            lossy_utf8(
                bytes,
                "declares UTF-16 without a byte-order mark and is not valid UTF-8",
            )
        }
        Some(encoding) => {
            let non_ascii = !bytes.is_ascii();
            if non_ascii && std::str::from_utf8(&bytes).is_ok() {
                let warning =
                    format!("declares charset \"{label}\" but is valid UTF-8; read as UTF-8");
                return with_encoding(UTF_8, bytes, Some(warning));
            }
            with_encoding(encoding, bytes, None)
        }
        None => {
            let mut decoded = lossy_utf8(bytes, "");
            let mut warning = format!("unknown charset \"{label}\"; read as UTF-8");
            if decoded.replaced > 0 {
                warning.push_str(&format!(
                    " ({} invalid sequences replaced by U+FFFD)",
                    decoded.replaced
                ));
            }
            decoded.warning = Some(warning);
            decoded
        }
    }
}

fn with_encoding(encoding: &'static Encoding, bytes: Vec<u8>, warning: Option<String>) -> Decoded {
    if encoding == UTF_8 {
        let mut decoded = lossy_utf8(bytes, "is not valid UTF-8");
        if decoded.warning.is_none() {
            decoded.warning = warning;
        }
        return decoded;
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
    let replaced = if had_errors {
        text.matches('\u{FFFD}').count()
    } else {
        0
    };
    let warning = warning.or_else(|| {
        had_errors.then(|| {
            format!(
                "not valid {}: {replaced} sequences replaced by U+FFFD",
                encoding.name()
            )
        })
    });
    Decoded {
        text: text.into_owned(),
        replaced,
        warning,
    }
}

/// UTF-8, replacing invalid sequences; `why` opens the warning when any were replaced.
fn lossy_utf8(bytes: Vec<u8>, why: &str) -> Decoded {
    let (text, replaced) = crate::input::decode_lossy(bytes);
    let warning = (replaced > 0 && !why.is_empty())
        .then(|| format!("{why}: {replaced} invalid sequences replaced by U+FFFD"));
    Decoded {
        text,
        replaced,
        warning,
    }
}

/// The charset label of the first `<meta>` tag that declares one: `charset=...` as an
/// attribute or inside a `content` attribute. Looked for in bytes, before decoding.
fn declared_charset(head: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&head[from..], b"<meta")
        .or_else(|| memchr::memmem::find(&head[from..], b"<META"))
    {
        let start = from + at;
        let end = memchr::memchr(b'>', &head[start..]).map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(label) = charset_in(tag) {
            return Some(label);
        }
        from = end.max(start + 1);
        if from >= head.len() {
            break;
        }
    }
    None
}

/// The value after `charset=` in a tag's bytes, in any case, without quotes.
fn charset_in(tag: &[u8]) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset")?;
    let mut rest = &tag[at + "charset".len()..];
    while let [b' ' | b'\t' | b'\n' | b'\r', tail @ ..] = rest {
        rest = tail;
    }
    rest = rest.strip_prefix(b"=")?;
    while let [b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'', tail @ ..] = rest {
        rest = tail;
    }
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    (len > 0).then(|| String::from_utf8_lossy(&rest[..len]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_bytes(bytes: &[u8]) -> Decoded {
        decode(bytes.to_vec())
    }

    #[test]
    fn meta_charset_decodes_legacy_bytes() {
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body>";
        let decoded = decode(page.to_vec());
        assert!(decoded.text.contains("café"), "{}", decoded.text);
        assert!(decoded.warning.is_none());
    }

    #[test]
    fn http_equiv_declaration() {
        let page = b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\"><p>M\xfcnchen";
        assert!(decode(page.to_vec()).text.contains("München"));
    }

    #[test]
    fn bom_wins_over_meta() {
        let mut page = vec![0xEF, 0xBB, 0xBF];
        page.extend_from_slice("<meta charset=\"iso-8859-1\"><p>café".as_bytes());
        let decoded = decode(page);
        assert!(decoded.text.contains("café"));
        assert!(!decoded.text.starts_with('\u{FEFF}'));
    }

    #[test]
    fn utf16_with_bom() {
        let mut page = vec![0xFF, 0xFE];
        for unit in "<p>Grüße</p>".encode_utf16() {
            page.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(page).text, "<p>Grüße</p>");
    }

    #[test]
    fn wrong_declaration_falls_back_to_utf8_with_a_warning() {
        let page = "<meta charset=\"iso-8859-1\"><p>café</p>".as_bytes();
        let decoded = decode(page.to_vec());
        assert!(decoded.text.contains("café"));
        assert!(decoded.warning.is_some_and(|w| w.contains("valid UTF-8")));
    }

    #[test]
    fn unknown_or_missing_declaration_is_lossy_utf8_with_a_warning() {
        let decoded = decode_bytes(b"<meta charset=\"klingon-8\"><p>ok \xff</p>");
        assert!(decoded.text.contains("ok \u{FFFD}"));
        assert!(decoded.warning.is_some_and(|w| w.contains("klingon-8")));
        let decoded = decode_bytes(b"<p>ok \xff</p>");
        assert_eq!(decoded.replaced, 1);
        assert!(decoded.warning.is_some());
        assert!(decode_bytes(b"<p>plain</p>").warning.is_none());
    }
}
