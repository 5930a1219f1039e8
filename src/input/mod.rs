//! Reading what a scraper saved: text files, folders of them, gzip, JSONL corpora, stdin.
//!
//! Input is untrusted: a corpus of thousands of files always holds a few broken ones. Each
//! problem becomes a `Problem` that names the file (and line, for JSONL) and the run goes
//! on; nothing here panics on bad bytes. Files are listed in a fixed order and read in
//! parallel, and ids are made unique in that order, so runs are deterministic.

use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::document::Document;

pub(crate) mod record;
use record::Scalar;
pub use record::{Record, RecordField};

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Read every input as JSONL (files ending in `.jsonl`, `.jsonl.gz` or `.ndjson` always are).
    pub jsonl: bool,
    pub text_field: String,
    pub id_field: String,
    pub url_field: String,
    pub title_field: String,
    /// JSONL field holding a page's HTML; a record that has it is read as HTML.
    pub html_field: Option<String>,
    /// The site of documents whose input does not give a URL.
    pub site: Option<String>,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            jsonl: false,
            text_field: "text".into(),
            id_field: "id".into(),
            url_field: "url".into(),
            title_field: "title".into(),
            html_field: None,
            site: None,
        }
    }
}

/// Something wrong with an input. `skipped` is true when a document (or a whole file) could
/// not be read; otherwise it is a warning about a document that was still cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub source: String,
    pub message: String,
    pub skipped: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.skipped { "skipped" } else { "warning" };
        write!(f, "{kind}: {}: {}", self.source, self.message)
    }
}

/// Everything read from the inputs, in input order.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
}

/// The name an input is given on the command line for standard input.
pub const STDIN: &str = "-";

/// One file to read, with the id its documents derive from.
#[derive(Debug, Clone)]
struct Source {
    path: PathBuf,
    /// The path relative to its input folder, without `.txt`/`.gz`, or the file stem.
    base_id: String,
    jsonl: bool,
    /// An HTML page (`.html`, `.htm`, with or without `.gz`).
    html: bool,
}

/// A file is binary when its first bytes hold a NUL; text dumps never do.
const BINARY_SNIFF: usize = 8192;

/// Reads all inputs. Never fails as a whole: problems are collected per file.
pub fn read_inputs(inputs: &[PathBuf], options: &InputOptions) -> Loaded {
    let mut loaded = Loaded::default();
    for_each_batch(inputs, options, usize::MAX, |mut batch| {
        loaded.documents.append(&mut batch.documents);
        loaded.problems.append(&mut batch.problems);
    });
    loaded
}

/// Reads the inputs in input order, a batch of about `batch_bytes` of input at a time, and
/// hands each batch to `each`; ids are unique across all batches. Files of a batch are read
/// in parallel, a JSONL file is read a chunk of whole lines at a time, so a run that keeps
/// only what it derives from each document (dedup's fingerprints) never holds the corpus.
pub fn for_each_batch(
    inputs: &[PathBuf],
    options: &InputOptions,
    batch_bytes: usize,
    mut each: impl FnMut(Loaded),
) {
    let mut ids = UniqueIds::default();
    let mut deliver = |mut loaded: Loaded| {
        ids.assign(&mut loaded.documents);
        each(loaded);
    };
    let mut pending = Pending::default();
    for (group, input) in inputs.iter().enumerate() {
        if input.as_os_str() == STDIN {
            if let Some(loaded) = pending.read(options) {
                deliver(loaded);
            }
            let loaded = read_stdin(options).unwrap_or_else(|problem| Loaded {
                documents: Vec::new(),
                problems: vec![problem],
            });
            deliver(in_input(loaded, group));
            continue;
        }
        let sources = match list_sources(input, options) {
            Ok(sources) => sources,
            Err(problem) => {
                let problems = vec![problem];
                deliver(Loaded {
                    documents: Vec::new(),
                    problems,
                });
                continue;
            }
        };
        for source in sources {
            let size = std::fs::metadata(&source.path).map_or(0, |m| m.len() as usize);
            let chunk_bytes = batch_bytes.min(JSONL_CHUNK_BYTES);
            if source.jsonl && size > chunk_bytes {
                if let Some(loaded) = pending.read(options) {
                    deliver(loaded);
                }
                stream_jsonl(&source, options, chunk_bytes, |loaded| {
                    deliver(in_input(loaded, group))
                });
                continue;
            }
            pending.bytes = pending.bytes.saturating_add(size);
            pending.sources.push((group, source));
            if pending.bytes >= batch_bytes {
                if let Some(loaded) = pending.read(options) {
                    deliver(loaded);
                }
            }
        }
    }
    if let Some(loaded) = pending.read(options) {
        deliver(loaded);
    }
}

/// Files waiting to be read together (each with the input it belongs to), and about how
/// many bytes they hold.
#[derive(Default)]
struct Pending {
    sources: Vec<(usize, Source)>,
    bytes: usize,
}

impl Pending {
    /// Reads the waiting files in parallel into one batch, in order, and empties the list;
    /// `None` when no file is waiting.
    fn read(&mut self, options: &InputOptions) -> Option<Loaded> {
        if self.sources.is_empty() {
            return None;
        }
        let read: Vec<Loaded> = self
            .sources
            .par_iter()
            .map(|(group, source)| in_input(read_source(source, options), *group))
            .collect();
        self.sources.clear();
        self.bytes = 0;
        let mut loaded = Loaded::default();
        for mut part in read {
            loaded.documents.append(&mut part.documents);
            loaded.problems.append(&mut part.problems);
        }
        Some(loaded)
    }
}

/// `loaded` with its documents marked as coming from input number `group`.
fn in_input(mut loaded: Loaded, group: usize) -> Loaded {
    for doc in &mut loaded.documents {
        doc.input = group;
    }
    loaded
}

/// A JSONL file larger than this is read and parsed this many bytes (of whole lines) at a
/// time, so that one huge file is not held whole.
const JSONL_CHUNK_BYTES: usize = 8 << 20;

/// How much more a JSONL chunk reads at a time while it looks for the end of its last line.
/// What is read past that line is moved to the buffer's front for the next chunk, so a step
/// is about a few records (a page dump's record is ten kilobytes or so), not a megabyte.
const READ_STEP: usize = 64 << 10;

/// Reads a JSONL file (gzipped or not) in chunks of whole lines of about `chunk_bytes`,
/// handing each chunk's records to `each`. Line numbers count from the file's start.
fn stream_jsonl(
    source: &Source,
    options: &InputOptions,
    chunk_bytes: usize,
    mut each: impl FnMut(Loaded),
) {
    let shown = source.path.display().to_string();
    let file = match std::fs::File::open(&source.path) {
        Ok(file) => file,
        Err(e) => {
            let problems = vec![problem(&shown, describe_io(&e))];
            return each(Loaded {
                documents: Vec::new(),
                problems,
            });
        }
    };
    let gzipped = source.path.extension().is_some_and(|e| e == "gz");
    let mut reader: Box<dyn Read> = if gzipped {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            file,
        )))
    } else {
        Box::new(file)
    };
    let mut first_line = 1;
    let mut invalid = 0;
    // One buffer for every chunk, read into straight from the file: a fresh one would be
    // fresh pages each time, and a reader's buffer in between would be one more copy of the
    // corpus. What is read past a chunk's last line waits at the front for the next chunk.
    let mut chunk: Vec<u8> = Vec::with_capacity(chunk_bytes.saturating_add(READ_STEP));
    let mut ended = false;
    loop {
        // A chunk ends with the first line that reaches `chunk_bytes`.
        let mut searched = 0;
        let cut = loop {
            let from = searched.max(chunk_bytes.saturating_sub(1)).min(chunk.len());
            if let Some(at) = memchr::memchr(b'\n', &chunk[from..]) {
                break Some(from + at + 1);
            }
            searched = chunk.len();
            if ended {
                break None;
            }
            let want = chunk_bytes.saturating_sub(chunk.len()).max(READ_STEP);
            match (&mut reader).take(want as u64).read_to_end(&mut chunk) {
                Ok(0) => ended = true,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let message = if gzipped {
                        format!("not valid gzip: {e}")
                    } else {
                        describe_io(&e)
                    };
                    let problems = vec![problem(&shown, message)];
                    each(Loaded {
                        documents: Vec::new(),
                        problems,
                    });
                    ended = true;
                }
            }
        };
        let end = cut.unwrap_or(chunk.len());
        if end == 0 {
            break;
        }
        let part = &chunk[..end];
        let (loaded, replaced, pieces) =
            parse_jsonl_lines(&shown, &source.base_id, part, first_line, options);
        invalid += replaced;
        each(loaded);
        // Cut at every newline, the part ends in an empty piece when it ends a line.
        first_line += pieces - usize::from(part.ends_with(b"\n"));
        chunk.drain(..end);
    }
    if invalid > 0 {
        let problems = vec![invalid_utf8_warning(&shown, invalid)];
        each(Loaded {
            documents: Vec::new(),
            problems,
        });
    }
}

fn problem(source: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        source: source.into(),
        message: message.into(),
        skipped: true,
    }
}

fn is_jsonl_name(name: &str) -> bool {
    name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") || name.ends_with(".ndjson")
}

fn is_text_name(name: &str) -> bool {
    name.ends_with(".txt") || name.ends_with(".txt.gz")
}

/// `.html`, `.htm`, `.html.gz` or `.htm.gz`, in any case.
fn is_html_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// `a/b.txt.gz` → `a/b`: the id part of a file name.
fn strip_known_extension(name: &str) -> &str {
    for ext in [
        ".txt.gz",
        ".jsonl.gz",
        ".html.gz",
        ".htm.gz",
        ".txt",
        ".jsonl",
        ".ndjson",
        ".html",
        ".htm",
        ".HTML",
        ".HTM",
        ".gz",
    ] {
        if let Some(stem) = name.strip_suffix(ext) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    name
}

fn list_sources(input: &Path, options: &InputOptions) -> Result<Vec<Source>, Problem> {
    let shown = input.display().to_string();
    let meta = std::fs::metadata(input).map_err(|e| problem(&shown, describe_io(&e)))?;
    if meta.is_file() {
        let name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let jsonl = options.jsonl || is_jsonl_name(&name);
        return Ok(vec![Source {
            path: input.to_path_buf(),
            base_id: strip_known_extension(&name).to_string(),
            html: !jsonl && is_html_name(&name),
            jsonl,
        }]);
    }
    if !meta.is_dir() {
        return Err(problem(&shown, "not a regular file or folder"));
    }
    // Each file with the names of the folders below `input` it is in, and its own: sorted
    // by them, the files are in the order of their paths (`Path` compares by components,
    // and every path starts with `input`), without cutting whole paths apart to compare.
    let mut found: Vec<(Vec<OsString>, Source)> = Vec::new();
    let mut folders = vec![(input.to_path_buf(), Vec::new())];
    let mut unreadable = Vec::new();
    while let Some((folder, names)) = folders.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) => {
                unreadable.push(problem(folder.display().to_string(), describe_io(&e)));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let mut relative = names.clone();
            relative.push(entry.file_name());
            if file_type.is_dir() {
                folders.push((path, relative));
                continue;
            }
            let name = relative
                .last()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let jsonl = options.jsonl && is_jsonl_name(&name);
            let html = is_html_name(&name);
            if !(is_text_name(&name) || jsonl || html) {
                continue;
            }
            let id = relative
                .iter()
                .map(|n| n.to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let source = Source {
                base_id: strip_known_extension(&id).to_string(),
                path,
                jsonl,
                html,
            };
            found.push((relative, source));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let sources: Vec<Source> = found.into_iter().map(|(_, source)| source).collect();
    if sources.is_empty() && unreadable.is_empty() {
        let wanted = if options.jsonl {
            ".txt, .html, .htm, .jsonl (or gzipped)"
        } else {
            ".txt, .html or .htm (or gzipped)"
        };
        return Err(problem(&shown, format!("folder holds no {wanted} files")));
    }
    if let Some(first) = unreadable.into_iter().next() {
        if sources.is_empty() {
            return Err(first);
        }
    }
    Ok(sources)
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| describe_io(&e))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut decoded = Vec::with_capacity(bytes.len() * 4);
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut decoded)
            .map_err(|e| format!("not valid gzip: {e}"))?;
        return Ok(decoded);
    }
    Ok(bytes)
}

/// Decodes UTF-8, replacing invalid sequences. Returns the text and how many were replaced.
pub fn decode_lossy(bytes: Vec<u8>) -> (String, usize) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, 0),
        Err(e) => {
            let bytes = e.into_bytes();
            let invalid = bytes
                .utf8_chunks()
                .filter(|c| !c.invalid().is_empty())
                .count();
            (String::from_utf8_lossy(&bytes).into_owned(), invalid)
        }
    }
}

/// `bytes` as text when they are valid UTF-8. A page dump's text is mostly ASCII with a
/// typographic quote or accented letter every few dozen bytes, where the standard library's
/// check leaves its word-at-a-time path for a byte at a time; `encoding_rs` checks such text
/// with vector instructions (where the processor has them) at a fraction of the cost. It
/// accepts exactly what `std::str::from_utf8` accepts; a refusal is asked of the standard
/// library again, so whatever it says is what counts.
fn utf8(bytes: &[u8]) -> Option<&str> {
    match encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(std::borrow::Cow::Borrowed(text)) => Some(text),
        _ => std::str::from_utf8(bytes).ok(),
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]).is_some()
}

fn read_source(source: &Source, options: &InputOptions) -> Loaded {
    let shown = source.path.display().to_string();
    let bytes = match read_bytes(&source.path) {
        Ok(bytes) => bytes,
        Err(message) => {
            return Loaded {
                documents: Vec::new(),
                problems: vec![problem(shown, message)],
            }
        }
    };
    if source.jsonl {
        return parse_jsonl(&shown, &source.base_id, bytes, options);
    }
    if source.html {
        return html_document(&shown, &source.base_id, bytes, options);
    }
    text_document(&shown, &source.base_id, bytes, options)
}

/// An HTML page: decoded by its declared charset (see `html::decode`), its markup kept for
/// `clean_document` to turn into page text.
fn html_document(shown: &str, id: &str, bytes: Vec<u8>, options: &InputOptions) -> Loaded {
    let mut loaded = Loaded::default();
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if looks_binary(&bytes) && !utf16 {
        loaded
            .problems
            .push(problem(shown, "binary file (holds NUL bytes), not HTML"));
        return loaded;
    }
    let decoded = crate::html::decode(bytes);
    let warn = |message: String| Problem {
        source: shown.to_string(),
        message,
        skipped: false,
    };
    if let Some(warning) = decoded.warning {
        loaded.problems.push(warn(warning));
    }
    let mut markup = decoded.text;
    limit_page_size(&mut markup, |message| loaded.problems.push(warn(message)));
    loaded.documents.push(Document {
        id: id.to_string(),
        source: shown.to_string(),
        site: options.site.clone(),
        invalid_utf8: decoded.replaced,
        markup: Some(markup),
        ..Document::default()
    });
    loaded
}

/// Cuts a page longer than `html::MAX_PAGE_BYTES`, saying so through `warn`.
fn limit_page_size(markup: &mut String, warn: impl FnOnce(String)) {
    if markup.len() > crate::html::MAX_PAGE_BYTES {
        let kept = crate::html::floor_char_boundary(markup, crate::html::MAX_PAGE_BYTES);
        warn(format!(
            "page of {} MiB: only its first {} MiB were read",
            markup.len() >> 20,
            crate::html::MAX_PAGE_BYTES >> 20
        ));
        markup.truncate(kept);
    }
}

fn text_document(shown: &str, id: &str, bytes: Vec<u8>, options: &InputOptions) -> Loaded {
    let mut loaded = Loaded::default();
    if looks_binary(&bytes) {
        loaded
            .problems
            .push(problem(shown, "binary file (holds NUL bytes), not text"));
        return loaded;
    }
    let (raw, invalid_utf8) = decode_lossy(bytes);
    if invalid_utf8 > 0 {
        loaded.problems.push(Problem {
            source: shown.to_string(),
            message: format!("{invalid_utf8} invalid UTF-8 sequences replaced by U+FFFD"),
            skipped: false,
        });
    }
    loaded.documents.push(Document {
        id: id.to_string(),
        source: shown.to_string(),
        site: options.site.clone(),
        raw,
        invalid_utf8,
        ..Document::default()
    });
    loaded
}

fn read_stdin(options: &InputOptions) -> Result<Loaded, Problem> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| problem("<stdin>", describe_io(&e)))?;
    if options.jsonl {
        return Ok(parse_jsonl("<stdin>", "stdin", bytes, options));
    }
    // Standard input has no file name to tell an HTML page by: its start does.
    if starts_like_html(&bytes) {
        return Ok(html_document("<stdin>", "stdin", bytes, options));
    }
    Ok(text_document("<stdin>", "stdin", bytes, options))
}

/// Whether `bytes` open like an HTML page: after a byte-order mark, white space and
/// comments, `<!DOCTYPE html` or `<html` in any case.
fn starts_like_html(bytes: &[u8]) -> bool {
    let mut rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    loop {
        let start = rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        rest = &rest[start..];
        if !rest.starts_with(b"<!--") {
            break;
        }
        match memchr::memmem::find(rest, b"-->") {
            Some(end) => rest = &rest[end + 3..],
            None => return false,
        }
    }
    let opens = |tag: &[u8]| rest.len() >= tag.len() && rest[..tag.len()].eq_ignore_ascii_case(tag);
    opens(b"<!doctype html") || opens(b"<html")
}

/// The host of a URL, lower-case, without `www.`; `None` when it has none.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| h.trim_start_matches('['))?
    } else {
        host.split(':').next()?
    };
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// Makes an id safe as a relative file path: letters, digits, `.`, `-`, `_` and `/` between
/// non-dot segments.
fn path_safe_id(id: &str) -> String {
    if is_path_safe(id) {
        return id.to_string();
    }
    path_safe_by_characters(id)
}

/// `path_safe_id`, a character at a time.
fn path_safe_by_characters(id: &str) -> String {
    // Written into one string: this runs for every record of a JSONL input.
    let mut safe = String::with_capacity(id.len() + 1);
    for segment in id.split('/').filter(|segment| !segment.is_empty()) {
        if !safe.is_empty() {
            safe.push('/');
        }
        // Only a `.` maps to a `.`, so the segment starts with one exactly when its safe
        // form does.
        if segment.starts_with('.') {
            safe.push('_');
        }
        safe.extend(segment.chars().map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        }));
    }
    if safe.is_empty() {
        safe.push('_');
    }
    safe
}

/// Whether `path_safe_id` gives `id` back as it is: ASCII letters, digits, `.`, `-` and `_`
/// in segments between single slashes, none empty or starting with a dot. Most ids (hashes,
/// numbers, the names of a corpus's files) are; their bytes are tested all at once rather
/// than one character at a time.
fn is_path_safe(id: &str) -> bool {
    let bytes = id.as_bytes();
    let unsafe_bytes = bytes.iter().fold(0u8, |found, &b| {
        found | u8::from(!(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/')))
    });
    unsafe_bytes == 0
        && !matches!(bytes.first(), None | Some(b'/' | b'.'))
        // Each slash is followed by a segment: not by another slash, a dot or the end.
        && memchr::memchr_iter(b'/', bytes)
            .all(|at| bytes.get(at + 1).is_some_and(|&b| b != b'/' && b != b'.'))
}

fn parse_jsonl(shown: &str, base_id: &str, bytes: Vec<u8>, options: &InputOptions) -> Loaded {
    let (mut loaded, invalid, _) = parse_jsonl_lines(shown, base_id, &bytes, 1, options);
    if invalid > 0 {
        loaded
            .problems
            .insert(0, invalid_utf8_warning(shown, invalid));
    }
    loaded
}

fn invalid_utf8_warning(shown: &str, invalid: usize) -> Problem {
    Problem {
        source: shown.to_string(),
        message: format!("{invalid} invalid UTF-8 sequences replaced by U+FFFD"),
        skipped: false,
    }
}

/// The lines of `text` cut at every `\n`, as `split(|&b| b == b'\n')` gives them.
fn split_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len()));
    ends.map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        line
    })
}

/// The records of JSONL `bytes` whose first line is line `first_line` of its file, how
/// many invalid UTF-8 sequences were replaced by U+FFFD, and how many pieces the bytes were
/// cut into at their newlines (one more than the newlines). Each line is decoded by the worker
/// that parses it (a `\n` never falls inside an invalid sequence, so the lines are decoded
/// as the whole would be).
fn parse_jsonl_lines(
    shown: &str,
    base_id: &str,
    bytes: &[u8],
    first_line: usize,
    options: &InputOptions,
) -> (Loaded, usize, usize) {
    let mut loaded = Loaded::default();
    let lines: Vec<(usize, &[u8])> = split_lines(bytes)
        .enumerate()
        .map(|(i, line)| (first_line + i, line))
        .collect();
    type Parsed = Option<Result<(Document, Option<Problem>), Problem>>;
    let parsed: Vec<(Parsed, usize)> = lines
        .par_iter()
        .map(|&(number, line)| {
            let (text, invalid) = match utf8(line) {
                Some(text) => (std::borrow::Cow::Borrowed(text), 0),
                None => {
                    let (text, invalid) = decode_lossy(line.to_vec());
                    (std::borrow::Cow::Owned(text), invalid)
                }
            };
            let line = text.trim_end_matches('\r');
            if line.trim().is_empty() {
                return (None, invalid);
            }
            let parsed = parse_record(shown, base_id, number, line, options);
            (Some(parsed), invalid)
        })
        .collect();
    let mut invalid = 0;
    for (result, replaced) in parsed {
        invalid += replaced;
        match result {
            Some(Ok((doc, warning))) => {
                loaded.documents.push(doc);
                loaded.problems.extend(warning);
            }
            Some(Err(p)) => loaded.problems.push(p),
            None => {}
        }
    }
    (loaded, invalid, lines.len())
}

pub(crate) fn parse_record(
    shown: &str,
    base_id: &str,
    number: usize,
    line: &str,
    options: &InputOptions,
) -> Result<(Document, Option<Problem>), Problem> {
    let source = format!("{shown}:{number}");
    let html_field = options.html_field.as_deref();
    let refused = |source: &str| problem(source, refusal(line));
    let Ok(mut scanned) = record::scan(line, &options.text_field, html_field) else {
        return Err(refused(&source));
    };
    // A page's HTML field is left out of the record: `--format jsonl` writes the clean text
    // in the text field instead. A field of that name reads as absent.
    let get = |scanned: &record::Scanned<'_>, name: &str| match html_field {
        Some(html) if html == name => Ok(None),
        _ => scanned.get(name),
    };
    let mut markup = match html_field {
        Some(field) => match scanned.take_string(field) {
            Some(Some(html)) => Some(html),
            None => None,
            Some(None) => match scanned.get(field) {
                Ok(Some(Scalar::Null)) => None,
                Ok(_) => return Err(problem(&source, format!("field `{field}` is not a string"))),
                Err(_) => return Err(refused(&source)),
            },
        },
        None => None,
    };
    let mut warning = None;
    let raw = match &mut markup {
        Some(markup) => {
            limit_page_size(markup, |message| {
                warning = Some(Problem {
                    source: source.clone(),
                    message,
                    skipped: false,
                })
            });
            String::new()
        }
        // The text is taken out of the scan, so a corpus is not held twice; the record keeps
        // its field's place for `--format jsonl` to fill with the clean text.
        None => match scanned.take_string(&options.text_field) {
            Some(Some(text)) => text,
            Some(None) => {
                return Err(problem(
                    &source,
                    format!("field `{}` is not a string", options.text_field),
                ))
            }
            None => {
                return Err(problem(
                    &source,
                    format!(
                        "no `{}` field (set another with --text-field)",
                        options.text_field
                    ),
                ))
            }
        },
    };
    let Ok(RecordFields {
        id,
        url,
        title,
        site,
    }) = record_fields(|name| get(&scanned, name), base_id, number, options)
    else {
        return Err(refused(&source));
    };
    let document = Document {
        id,
        source,
        url,
        site,
        title,
        raw,
        markup,
        record: Some(scanned.record),
        ..Document::default()
    };
    Ok((document, warning))
}

/// Why `line` is not a record, in `serde_json`'s words: it is not JSON, or not an object.
fn refusal(line: &str) -> String {
    match serde_json::from_str::<Value>(line) {
        Err(e) => format!("not valid JSON: {e}"),
        Ok(Value::Object(_)) => "not valid JSON".to_string(),
        Ok(_) => "a JSONL line must be a JSON object".to_string(),
    }
}

/// A record's id, URL, title and site, from its fields as `get` reads them.
fn record_fields(
    get: impl Fn(&str) -> Result<Option<Scalar>, record::NotARecord>,
    base_id: &str,
    number: usize,
    options: &InputOptions,
) -> Result<RecordFields, record::NotARecord> {
    let id = match get(&options.id_field)? {
        Some(Scalar::String(id)) if !id.trim().is_empty() => path_safe_id(&id),
        Some(Scalar::Number(n)) => path_safe_id(&n),
        _ => format!("{base_id}-{number}"),
    };
    let url = match get(&options.url_field)? {
        Some(Scalar::String(url)) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => None,
    };
    let title = match get(&options.title_field)? {
        Some(Scalar::String(title)) if !title.trim().is_empty() => Some(title.trim().to_string()),
        _ => None,
    };
    let site = url
        .as_deref()
        .and_then(host_of)
        .or_else(|| options.site.clone());
    Ok(RecordFields {
        id,
        url,
        title,
        site,
    })
}

/// What `record_fields` reads from a record.
struct RecordFields {
    id: String,
    url: Option<String>,
    title: Option<String>,
    site: Option<String>,
}

/// The ids given so far in a run. Later documents with a taken id get a `-2`, `-3`...
/// suffix, in input order. Compared case-insensitively, since clean files may land on a
/// case-insensitive file system.
#[derive(Default)]
struct UniqueIds {
    taken: HashSet<String>,
}

impl UniqueIds {
    fn assign(&mut self, documents: &mut [Document]) {
        for doc in documents.iter_mut() {
            if self.taken.insert(doc.id.to_lowercase()) {
                continue;
            }
            let mut n = 2;
            loop {
                let candidate = format!("{}-{n}", doc.id);
                if self.taken.insert(candidate.to_lowercase()) {
                    doc.id = candidate;
                    break;
                }
                n += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A piece of a line's bytes: ASCII (quotes and backslashes included), a character of
    /// two, three or four bytes, or a sequence `std::str::from_utf8` refuses (a lone
    /// continuation byte, overlong forms, surrogates, a code point past U+10FFFF, bytes never
    /// in UTF-8, a character cut short).
    fn utf8_piece() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let valid = [
            "é",
            "ß",
            "’",
            "€",
            "中",
            "😀",
            "\u{10FFFF}",
            "\u{7FF}",
            "\u{800}",
        ];
        let invalid: [&[u8]; 17] = [
            b"\x80",
            b"\xbf",
            b"\xc0\x80",
            b"\xc1\xbf",
            b"\xe0\x80\x80",
            b"\xe0\x9f\xbf",
            b"\xf0\x80\x80\x80",
            b"\xf0\x8f\xbf\xbf",
            b"\xed\xa0\x80",
            b"\xed\xbf\xbf",
            b"\xf4\x90\x80\x80",
            b"\xf5\x80\x80\x80",
            b"\xff",
            b"\xc3",
            b"\xe2\x80",
            b"\xf0\x9f\x98",
            b"\xe2\x80\xe2\x80\x99",
        ];
        prop_oneof![
            6 => "[a-z .,\"\\\\]{0,40}".prop_map(String::into_bytes),
            3 => proptest::sample::select(valid.to_vec()).prop_map(|c| c.as_bytes().to_vec()),
            1 => proptest::sample::select(invalid.to_vec()).prop_map(<[u8]>::to_vec),
        ]
    }

    /// The records and problems of JSONL `bytes` as they were read with each line checked by
    /// `std::str::from_utf8`, and how many invalid sequences were replaced.
    fn read_with_std(bytes: &[u8], options: &InputOptions) -> (Loaded, usize) {
        let mut loaded = Loaded::default();
        let mut invalid = 0;
        for (i, line) in split_lines(bytes).enumerate() {
            let text = match std::str::from_utf8(line) {
                Ok(text) => text.to_string(),
                Err(_) => {
                    let (text, replaced) = decode_lossy(line.to_vec());
                    invalid += replaced;
                    text
                }
            };
            let line = text.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            match parse_record("in.jsonl", "in", 1 + i, line, options) {
                Ok((doc, warning)) => {
                    loaded.documents.push(doc);
                    loaded.problems.extend(warning);
                }
                Err(p) => loaded.problems.push(p),
            }
        }
        (loaded, invalid)
    }

    proptest::proptest! {
        /// The UTF-8 check accepts exactly what the standard library accepts.
        #[test]
        fn utf8_is_checked_as_the_standard_library_checks_it(
            pieces in proptest::collection::vec(utf8_piece(), 0..40),
        ) {
            let bytes = pieces.concat();
            proptest::prop_assert_eq!(utf8(&bytes), std::str::from_utf8(&bytes).ok());
        }

        /// Lines with characters beyond ASCII, valid or not, in the text and outside it, are
        /// read as lines checked by `std::str::from_utf8` are: the same records, problems and
        /// count of replaced sequences.
        #[test]
        fn jsonl_lines_are_read_as_with_the_standard_check(
            lines in proptest::collection::vec(
                (
                    proptest::collection::vec(utf8_piece(), 0..30),
                    proptest::collection::vec(utf8_piece(), 0..2),
                ),
                1..4,
            ),
        ) {
            let mut bytes = Vec::new();
            for (text, id) in &lines {
                bytes.extend_from_slice(b"{\"id\":\"");
                bytes.extend_from_slice(&id.concat());
                bytes.extend_from_slice(b"\",\"text\":\"");
                bytes.extend_from_slice(&text.concat());
                bytes.extend_from_slice(b"\"}\n");
            }
            let options = InputOptions::default();
            let (ours, invalid, _) = parse_jsonl_lines("in.jsonl", "in", &bytes, 1, &options);
            let (theirs, expected) = read_with_std(&bytes, &options);
            let seen = |l: &Loaded| {
                let docs: Vec<_> = l
                    .documents
                    .iter()
                    .map(|d| {
                        let fields: Vec<_> = d
                            .record
                            .iter()
                            .flat_map(|r| r.fields())
                            .map(|f| (f.key.to_string(), f.value.map(str::to_string)))
                            .collect();
                        (d.id.clone(), d.source.clone(), d.raw.clone(), fields)
                    })
                    .collect();
                (docs, l.problems.clone())
            };
            proptest::prop_assert_eq!(seen(&ours), seen(&theirs));
            proptest::prop_assert_eq!(invalid, expected);
        }

        /// Lines are cut as `split('\n')` cuts them, whatever the text.
        #[test]
        fn lines_are_cut_as_the_standard_library_cuts_them(text in "[a\n\r é]{0,40}") {
            let ours: Vec<&[u8]> = split_lines(text.as_bytes()).collect();
            let theirs: Vec<&[u8]> = text.split('\n').map(str::as_bytes).collect();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_file_read_in_chunks_gives_what_one_read_gives() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("records.jsonl");
        let mut records = String::new();
        for n in 1..=9 {
            match n {
                4 => records.push_str("{not json\n"),
                6 => records.push('\n'),
                _ => records.push_str(&format!(
                    "{{\"id\":\"r{n}\",\"text\":\"Record {}.\"}}\n",
                    "x".repeat(n * 3)
                )),
            }
        }
        // The last line has no newline.
        records.push_str("{\"id\":\"last\",\"text\":\"The end.\"}");
        std::fs::write(&path, &records).unwrap();
        let source = Source {
            path: path.clone(),
            base_id: "records".into(),
            jsonl: true,
            html: false,
        };
        let options = InputOptions::default();
        let whole = read_source(&source, &options);
        let seen = |l: &Loaded| {
            let docs: Vec<_> = l
                .documents
                .iter()
                .map(|d| (d.id.clone(), d.source.clone(), d.raw.clone()))
                .collect();
            (docs, l.problems.clone())
        };
        assert_eq!(whole.documents.len(), 8);
        for chunk_bytes in 1..=records.len() + 1 {
            let mut chunked = Loaded::default();
            stream_jsonl(&source, &options, chunk_bytes, |mut part| {
                chunked.documents.append(&mut part.documents);
                chunked.problems.append(&mut part.problems);
            });
            assert_eq!(
                seen(&chunked),
                seen(&whole),
                "chunks of {chunk_bytes} bytes"
            );
        }
    }

    #[test]
    fn batches_hold_the_same_documents_as_one_read() {
        let dir = tempfile::TempDir::new().unwrap();
        let folder = dir.path().join("dumps");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("a.txt"), "First page.\n").unwrap();
        std::fs::write(folder.join("b.txt"), "Second page.\n").unwrap();
        let jsonl = dir.path().join("records.jsonl");
        let mut records = String::new();
        for n in 1..=6 {
            if n == 4 {
                records.push_str("{not json\n");
            } else {
                let id = if n == 5 {
                    "a".to_string()
                } else {
                    format!("r{n}")
                };
                records.push_str(&format!("{{\"id\":\"{id}\",\"text\":\"Record {n}.\"}}\n"));
            }
        }
        std::fs::write(&jsonl, records).unwrap();
        let inputs = [folder, jsonl];
        let options = InputOptions::default();
        let whole = read_inputs(&inputs, &options);
        let mut batches = 0;
        let mut batched = Loaded::default();
        // Small batches: the two small files make one, the JSONL file is read two lines at a
        // time.
        for_each_batch(&inputs, &options, 40, |mut batch| {
            batches += 1;
            batched.documents.append(&mut batch.documents);
            batched.problems.append(&mut batch.problems);
        });
        assert_eq!(batches, 4);
        let ids = |l: &Loaded| l.documents.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&whole), ["a", "b", "r1", "r2", "r3", "a-2", "r6"]);
        assert_eq!(ids(&batched), ids(&whole));
        let raw = |l: &Loaded| {
            l.documents
                .iter()
                .map(|d| d.raw.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(raw(&batched), raw(&whole));
        let inputs_of = |l: &Loaded| l.documents.iter().map(|d| d.input).collect::<Vec<_>>();
        assert_eq!(inputs_of(&batched), [0, 0, 1, 1, 1, 1, 1]);
        assert_eq!(batched.problems, whole.problems);
        assert_eq!(batched.problems.len(), 1);
        assert!(batched.problems[0].source.ends_with("records.jsonl:4"));
    }

    #[test]
    fn hosts_from_urls() {
        assert_eq!(
            host_of("https://www.Example.com/a/b?c").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host_of("http://news.site.org:8080/x").as_deref(),
            Some("news.site.org")
        );
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn ids_are_made_unique_in_order() {
        let mut docs: Vec<Document> = ["a", "a", "A", "a-2"]
            .iter()
            .map(|id| Document {
                id: id.to_string(),
                ..Document::default()
            })
            .collect();
        UniqueIds::default().assign(&mut docs);
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2", "A-3", "a-2-2"]);
    }

    #[test]
    fn unsafe_ids_become_paths_inside_the_output() {
        for id in [
            "0000/042bb7b5fe",
            "a.b-c_d/E9",
            "a",
            "/a",
            "a/",
            "a//b",
            "a/.b",
            ".a",
            "a/b.",
            "a.",
            "a b",
            "é",
            "a/\u{0}",
            "..",
            "a/../b",
        ] {
            assert_eq!(path_safe_id(id), path_safe_by_characters(id), "{id:?}");
            // Ids beyond ASCII are left to the character-wise path, which may keep them.
            if is_path_safe(id) {
                assert_eq!(path_safe_by_characters(id), id, "{id:?}");
            }
        }
        // Every id of up to four of these characters.
        let mut ids = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = ids
                .iter()
                .flat_map(|id| ['a', '.', '/', '-', ' ', 'é'].map(|c| format!("{id}{c}")))
                .collect();
            ids.extend(longer);
        }
        for id in &ids {
            assert_eq!(path_safe_id(id), path_safe_by_characters(id), "{id:?}");
        }
        assert_eq!(path_safe_id("../../etc/passwd"), "_../_../etc/passwd");
        assert_eq!(path_safe_id("https://x.com/a b"), "https_/x.com/a_b");
        assert_eq!(path_safe_id(""), "_");
        assert_eq!(path_safe_id("./a//.b/"), "_./a/_.b");
        assert_eq!(path_safe_id("/é/ü x?"), "é/ü_x_");
        assert_eq!(path_safe_id("///"), "_");
    }

    #[test]
    fn characters_anywhere_in_a_long_line_are_checked_whole() {
        // Each character at every place in a line longer than the vector checks' blocks,
        // whole or cut short (at the line's end as well), and a continuation byte alone.
        for c in ["é", "’", "😀"] {
            for at in 0..=80 {
                let mut line = "a".repeat(80).into_bytes();
                line.splice(at..at, c.bytes());
                assert!(utf8(&line).is_some(), "{c} at {at}");
                for cut in 1..c.len() {
                    let mut cut_short = line.clone();
                    cut_short.drain(at + cut..at + c.len());
                    assert_eq!(utf8(&cut_short), None, "{c} cut to {cut} at {at}");
                }
                line[at] = 0x80;
                assert_eq!(utf8(&line), std::str::from_utf8(&line).ok(), "{c} at {at}");
            }
        }
    }

    #[test]
    fn lossy_decoding_counts_bad_sequences() {
        let (text, invalid) = decode_lossy(b"ok \xff\xfe then \xc3".to_vec());
        assert!(text.starts_with("ok "));
        assert_eq!(invalid, 3);
    }

    #[test]
    fn extension_stripping() {
        assert_eq!(strip_known_extension("a/b.txt.gz"), "a/b");
        assert_eq!(strip_known_extension("page.html"), "page");
        assert_eq!(strip_known_extension("a/0af3.html.gz"), "a/0af3");
        assert!(is_html_name("Page.HTM.gz") && !is_html_name("page.txt"));
        assert!(starts_like_html(b"<!DOCTYPE html><html>"));
        assert!(starts_like_html(
            b"\xEF\xBB\xBF\n <!-- saved --> <HTML lang=en>"
        ));
        assert!(!starts_like_html(b"Home\n<html> is a tag\n"));
        assert!(!starts_like_html(b"<!-- never closed <html>"));
        assert!(!starts_like_html(b""));
        assert_eq!(strip_known_extension(".txt"), ".txt");
    }
}
