//! Writing the output folder safely.
//!
//! Every file is written to a temporary name in its final folder and renamed into place, so
//! an interrupted run never leaves a half-written file under a real name. The clean folder is
//! built beside the old one and swapped in, so files of an earlier run cannot linger. And
//! before anything is written, the paths are checked so an output can never land inside an
//! input folder or over an input file.

use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::hash::FastSet;
use crate::input::STDIN;

/// The files a run may write inside its output folder.
pub const CLEAN_DIR: &str = "clean";
pub const CLEAN_JSONL: &str = "clean.jsonl";
pub const REPORT_JSONL: &str = "report.jsonl";
pub const REMOVED_DIFF: &str = "removed.diff";
pub const DUPLICATES_JSONL: &str = "duplicates.jsonl";

/// Makes a path absolute and resolves `..` and symlinks as far as the path exists, so two
/// spellings of one place compare equal even when the tail does not exist yet.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = absolute.clone();
    let mut tail: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut result = real;
            for part in tail.iter().rev() {
                result.push(part);
            }
            return Ok(lexical_normalize(&result));
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return Ok(lexical_normalize(&absolute)),
        }
    }
}

fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Refuses an output folder that is an input, lies inside an input folder, or contains an
/// input (the run would replace files it reads). Also refuses a folder that exists, is not
/// empty and is not an earlier newsclean output, so a typo cannot clobber someone's files.
pub fn check_output_folder(inputs: &[PathBuf], out: &Path) -> Result<(), String> {
    let out_resolved = resolve(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for input in inputs {
        if input.as_os_str() == STDIN {
            continue;
        }
        let Ok(input_resolved) = resolve(input) else {
            continue;
        };
        if out_resolved == input_resolved {
            return Err(format!(
                "output {} is the input {}; choose another output folder",
                out.display(),
                input.display()
            ));
        }
        if input_resolved.is_dir() && out_resolved.starts_with(&input_resolved) {
            return Err(format!(
                "output {} is inside the input folder {}; choose a folder outside it",
                out.display(),
                input.display()
            ));
        }
        if input_resolved.starts_with(&out_resolved) {
            return Err(format!(
                "input {} is inside the output folder {}, whose files a run replaces; choose another output folder",
                input.display(),
                out.display()
            ));
        }
    }
    if out_resolved.exists() {
        if !out_resolved.is_dir() {
            return Err(format!(
                "output {} exists and is not a folder",
                out.display()
            ));
        }
        let mut entries =
            fs::read_dir(&out_resolved).map_err(|e| format!("{}: {e}", out.display()))?;
        let empty = entries.next().is_none();
        let earlier_run = out_resolved.join(REPORT_JSONL).exists()
            || out_resolved.join(DUPLICATES_JSONL).exists();
        if !empty && !earlier_run {
            return Err(format!(
                "output {} exists, is not empty and holds no {REPORT_JSONL} or {DUPLICATES_JSONL} from an earlier run; choose a new or empty folder",
                out.display()
            ));
        }
    }
    Ok(())
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_name(path);
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_data().or(Ok::<(), io::Error>(()))?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A file being written through a temporary name; `commit` renames it into place. Dropped
/// without `commit` (a run that failed), the temporary file is removed.
pub struct AtomicFile {
    temp: PathBuf,
    path: PathBuf,
    /// `None` once committed.
    writer: Option<io::BufWriter<fs::File>>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let temp = temp_name(path);
        let file = fs::File::create(&temp)?;
        Ok(AtomicFile {
            temp,
            path: path.to_path_buf(),
            writer: Some(io::BufWriter::with_capacity(1 << 20, file)),
        })
    }

    fn writer(&mut self) -> io::Result<&mut io::BufWriter<fs::File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| io::Error::other("file already committed"))
    }

    pub fn commit(mut self) -> io::Result<()> {
        self.writer()?.flush()?;
        // Closed first, so `drop` has nothing left to remove.
        drop(self.writer.take());
        let result = fs::rename(&self.temp, &self.path);
        if result.is_err() {
            let _ = fs::remove_file(&self.temp);
        }
        result
    }

    /// Writes `parts` in order, after what is buffered, straight from where they are: a
    /// run's per-document lines are written from their own buffers, not copied into the
    /// writer's first. Empty parts are skipped.
    pub fn write_parts<'a>(&mut self, parts: impl IntoIterator<Item = &'a [u8]>) -> io::Result<()> {
        let writer = self.writer()?;
        writer.flush()?;
        let file = writer.get_mut();
        let mut slices: Vec<io::IoSlice<'a>> = parts
            .into_iter()
            .filter(|part| !part.is_empty())
            .map(io::IoSlice::new)
            .collect();
        let mut left = &mut slices[..];
        while !left.is_empty() {
            match file.write_vectored(left) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(written) => io::IoSlice::advance_slices(&mut left, written),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer()?.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

/// A clean folder built beside the live one and swapped in by `commit`.
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
    /// Folders inside `staging` made so far, as written relative to it: a run writes
    /// thousands of files into each, and asking the file system for a folder that exists
    /// costs two calls per file.
    made: Mutex<FastSet<String>>,
}

impl StagedDir {
    pub fn create(target: &Path) -> io::Result<StagedDir> {
        let staging = temp_name(target);
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        Ok(StagedDir {
            staging,
            target: target.to_path_buf(),
            made: Mutex::new(FastSet::default()),
        })
    }

    /// Makes `folder` (relative to the staging folder, not empty) and its parents, unless
    /// already made. Looked up as the text it is written with: a `Path` is hashed and
    /// compared by its components, which cost more than writing a small file's name.
    fn make_folder(&self, folder: &str) -> io::Result<()> {
        if self.made.lock().is_ok_and(|made| made.contains(folder)) {
            return Ok(());
        }
        fs::create_dir_all(self.path(folder))?;
        if let Ok(mut made) = self.made.lock() {
            made.insert(folder.to_string());
        }
        Ok(())
    }

    /// Where a file with relative path `relative` is staged.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.staging.join(relative)
    }

    pub fn commit(self) -> io::Result<()> {
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        fs::rename(&self.staging, &self.target)?;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

/// How many bytes the spills of one run may hold in memory together (see `SpillBudget`).
/// With dedup on, `clean` holds back about as much as it writes (report lines, diffs, clean
/// records, the review page's lines), so a run whose output is up to this size writes each
/// output once; past it, the spills that reach the limit go on in temporary files.
pub const SPILL_MEMORY: usize = 1 << 30;

/// The default for how many bytes the spills of one run may hold in memory on a machine
/// with `available` bytes of memory free (see `available_memory`): an eighth of it, at most
/// `SPILL_MEMORY`, so a small machine spills to disk sooner; `SPILL_MEMORY` when it is not
/// known.
pub fn spill_memory_for(available: Option<u64>) -> usize {
    match available {
        Some(bytes) => usize::try_from(bytes / 8).map_or(SPILL_MEMORY, |b| b.min(SPILL_MEMORY)),
        None => SPILL_MEMORY,
    }
}

/// The memory the system has available for new work (`MemAvailable` in `/proc/meminfo`,
/// which counts free memory and the caches it can drop), or `None` where that is not known.
pub fn available_memory() -> Option<u64> {
    mem_available(&fs::read_to_string("/proc/meminfo").ok()?)
}

/// `MemAvailable` from the text of `/proc/meminfo`, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    meminfo.lines().find_map(|line| {
        let kib = line
            .strip_prefix("MemAvailable:")?
            .trim()
            .strip_suffix("kB")?;
        kib.trim().parse::<u64>().ok()?.checked_mul(1024)
    })
}

/// The memory left to the spills of one run, shared by all of them and taken a chunk at a
/// time.
#[derive(Clone, Debug)]
pub struct SpillBudget(Arc<AtomicUsize>);

impl SpillBudget {
    pub fn new(bytes: usize) -> SpillBudget {
        SpillBudget(Arc::new(AtomicUsize::new(bytes)))
    }

    fn take(&self, bytes: usize) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }

    fn give(&self, bytes: usize) {
        self.0.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// The bytes a spill holds in memory are kept in chunks of this size, each full but the
/// last, so it never copies what it holds to grow. A chunk this large is mapped memory of
/// its own rather than part of the heap: what is not written yet costs no memory (the
/// budget counts written bytes), and hundreds of megabytes held for the whole run do not
/// fragment the heap the rest of the run allocates from (which, with 1 MiB chunks, cost
/// the benchmark run a tenth of its time in the allocator).
const SPILL_CHUNK: usize = 64 << 20;

/// A spill takes its budget in steps of this many bytes.
const SPILL_GRAIN: usize = 1 << 20;

/// Bytes written now and read back later, in order or at an offset: held in memory while
/// its `SpillBudget` lasts, then moved to a temporary file in the output folder, which is
/// removed when the spill is dropped.
pub struct Spill {
    path: PathBuf,
    budget: SpillBudget,
    /// What is held in memory: chunks of `chunk` bytes, every one full but the last. Empty
    /// once moved to the file.
    chunks: Vec<Vec<u8>>,
    /// `SPILL_CHUNK` (smaller in tests).
    chunk: usize,
    /// Bytes held in memory.
    held: usize,
    /// Bytes taken from the budget: `held` rounded up to `SPILL_GRAIN`.
    taken: usize,
    /// The temporary file while it is written, once the budget ran out.
    writer: Option<io::BufWriter<fs::File>>,
    /// The temporary file, for reading at an offset, once written.
    file: Option<fs::File>,
    /// Whether writing is over.
    closed: bool,
}

impl Spill {
    pub fn create(out: &Path, name: &str, budget: &SpillBudget) -> io::Result<Spill> {
        Spill::with_chunk(out, name, budget, SPILL_CHUNK)
    }

    fn with_chunk(out: &Path, name: &str, budget: &SpillBudget, chunk: usize) -> io::Result<Spill> {
        Ok(Spill {
            path: out.join(format!(".{name}.spill-{}", std::process::id())),
            budget: budget.clone(),
            chunks: Vec::new(),
            chunk: chunk.max(1),
            held: 0,
            taken: 0,
            writer: None,
            file: None,
            closed: false,
        })
    }

    pub fn write_all(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Err(io::Error::other("spill already read"));
        }
        if self.writer.is_none() {
            let held = self.held + bytes.len();
            let needed = held.div_ceil(SPILL_GRAIN) * SPILL_GRAIN;
            if needed <= self.taken || self.budget.take(needed - self.taken) {
                self.taken = self.taken.max(needed);
                self.held = held;
                while !bytes.is_empty() {
                    match self.chunks.last_mut() {
                        Some(last) if last.len() < self.chunk => {
                            let room = (self.chunk - last.len()).min(bytes.len());
                            last.extend_from_slice(&bytes[..room]);
                            bytes = &bytes[room..];
                        }
                        _ => self.chunks.push(Vec::with_capacity(self.chunk)),
                    }
                }
                return Ok(());
            }
            self.move_to_file()?;
        }
        match &mut self.writer {
            Some(writer) => writer.write_all(bytes),
            None => Err(io::Error::other("spill file not open")),
        }
    }

    /// Writes what is held in memory to the temporary file, which takes every later write,
    /// and gives the memory back to the budget.
    fn move_to_file(&mut self) -> io::Result<()> {
        let mut writer = io::BufWriter::with_capacity(1 << 20, fs::File::create(&self.path)?);
        for chunk in &self.chunks {
            writer.write_all(chunk)?;
        }
        self.release();
        self.writer = Some(writer);
        Ok(())
    }

    /// Frees the chunks held in memory and gives their bytes back to the budget.
    fn release(&mut self) {
        self.budget.give(self.taken);
        self.taken = 0;
        self.held = 0;
        self.chunks = Vec::new();
    }

    /// Ends writing: what is in the temporary file is flushed and the file opened to read.
    fn close(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        self.closed = true;
        if let Some(writer) = self.writer.take() {
            writer.into_inner().map_err(|e| e.into_error())?;
            self.file = Some(fs::File::open(&self.path)?);
        }
        Ok(())
    }

    /// Ends writing and reads what was written from the start.
    pub fn reader(&mut self) -> io::Result<SpillReader<'_>> {
        self.close()?;
        Ok(match &self.file {
            Some(_) => SpillReader::File(io::BufReader::with_capacity(
                1 << 20,
                fs::File::open(&self.path)?,
            )),
            None => SpillReader::Memory {
                chunks: &self.chunks,
                chunk: 0,
                at: 0,
            },
        })
    }

    /// Ends writing and reads `out.len()` bytes from `offset`.
    pub fn read_at(&mut self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        self.close()?;
        if let Some(mut file) = self.file.as_ref() {
            file.seek(io::SeekFrom::Start(offset))?;
            return file.read_exact(out);
        }
        let past = || io::Error::from(io::ErrorKind::UnexpectedEof);
        let mut offset = usize::try_from(offset).map_err(|_| past())?;
        let mut filled = 0;
        while filled < out.len() {
            let chunk = self.chunks.get(offset / self.chunk).ok_or_else(past)?;
            let part = chunk.get(offset % self.chunk..).ok_or_else(past)?;
            let n = part.len().min(out.len() - filled);
            if n == 0 {
                return Err(past());
            }
            out[filled..filled + n].copy_from_slice(&part[..n]);
            filled += n;
            offset += n;
        }
        Ok(())
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.release();
        let had_file = self.writer.take().is_some() | self.file.take().is_some();
        if had_file {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// What a spill holds, read from the start.
pub enum SpillReader<'a> {
    Memory {
        chunks: &'a [Vec<u8>],
        chunk: usize,
        at: usize,
    },
    File(io::BufReader<fs::File>),
}

impl SpillReader<'_> {
    /// Hands the next `len` bytes to `to`, in the pieces they are held in.
    fn take_with(
        &mut self,
        len: u64,
        mut to: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut left = len;
        while left > 0 {
            let available = io::BufRead::fill_buf(self)?;
            if available.is_empty() {
                return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
            }
            let n = available
                .len()
                .min(usize::try_from(left).unwrap_or(usize::MAX));
            to(&available[..n])?;
            io::BufRead::consume(self, n);
            left -= n as u64;
        }
        Ok(())
    }

    /// Appends the next `len` bytes to `out`.
    pub fn read_into(&mut self, len: u64, out: &mut Vec<u8>) -> io::Result<()> {
        self.take_with(len, |bytes| {
            out.extend_from_slice(bytes);
            Ok(())
        })
    }

    /// Writes the next `len` bytes to `out`.
    pub fn copy_to(&mut self, len: u64, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        self.take_with(len, |bytes| out.write_all(bytes))
    }
}

impl io::BufRead for SpillReader<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            SpillReader::Memory { chunks, chunk, at } => {
                while chunks.get(*chunk).is_some_and(|c| *at == c.len()) {
                    *chunk += 1;
                    *at = 0;
                }
                Ok(chunks.get(*chunk).map_or(&[][..], |c| &c[*at..]))
            }
            SpillReader::File(reader) => reader.fill_buf(),
        }
    }

    fn consume(&mut self, amount: usize) {
        match self {
            SpillReader::Memory { at, .. } => *at += amount,
            SpillReader::File(reader) => reader.consume(amount),
        }
    }
}

impl Read for SpillReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = io::BufRead::fill_buf(self)?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        io::BufRead::consume(self, n);
        Ok(n)
    }
}

/// Writes one file inside a staged folder, creating its parent folders.
pub fn write_staged(dir: &StagedDir, relative: &str, bytes: &[u8]) -> io::Result<()> {
    if let Some((folder, _)) = relative.rsplit_once('/') {
        if !folder.is_empty() {
            dir.make_folder(folder)?;
        }
    }
    fs::write(dir.path(relative), bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn mem_available_is_read_from_meminfo() {
        let meminfo = "MemTotal:       24576000 kB\nMemFree:         5000000 kB\nMemAvailable:   17000000 kB\nBuffers:          100 kB\n";
        assert_eq!(mem_available(meminfo), Some(17_000_000 * 1024));
        assert_eq!(mem_available("MemTotal: 100 kB\n"), None);
        assert_eq!(mem_available("MemAvailable: lots kB\n"), None);
        assert_eq!(mem_available(""), None);
    }

    #[test]
    fn spill_memory_follows_the_memory_available() {
        assert_eq!(spill_memory_for(None), SPILL_MEMORY);
        assert_eq!(spill_memory_for(Some(1 << 30)), 128 << 20);
        assert_eq!(spill_memory_for(Some(64 << 30)), SPILL_MEMORY);
        assert_eq!(spill_memory_for(Some(0)), 0);
    }

    /// Writes `parts` to a spill with a budget of `budget` bytes, reads them back whole
    /// and at offsets, and says whether the spill had moved to its temporary file.
    fn spill_round_trip(budget: usize, parts: &[Vec<u8>]) -> bool {
        let dir = tempfile::tempdir().expect("temporary folder");
        let budget = SpillBudget::new(budget);
        let mut spill = Spill::with_chunk(dir.path(), "test", &budget, CHUNK).expect("create");
        let mut all = Vec::new();
        let mut offsets = Vec::new();
        for part in parts {
            offsets.push(all.len());
            all.extend_from_slice(part);
            spill.write_all(part).expect("write");
        }
        let on_disk = !names(dir.path()).is_empty();
        let mut back = Vec::new();
        spill
            .reader()
            .expect("reader")
            .read_to_end(&mut back)
            .expect("read");
        assert_eq!(back, all);
        // In pieces as `dedup::run` reads them: a line, then a given length.
        let mut reader = spill.reader().expect("reader");
        let mut first = Vec::new();
        io::BufRead::read_until(&mut reader, b'\n', &mut first).expect("read line");
        assert_eq!(first, all[..first.len()]);
        // Part by part, as lengths, into a buffer or a writer.
        let mut reader = spill.reader().expect("reader");
        for (k, part) in parts.iter().enumerate() {
            let mut bytes = Vec::new();
            if k % 2 == 0 {
                reader
                    .read_into(part.len() as u64, &mut bytes)
                    .expect("read");
            } else {
                reader.copy_to(part.len() as u64, &mut bytes).expect("copy");
            }
            assert_eq!(&bytes, part);
        }
        assert!(
            reader.read_into(1, &mut Vec::new()).is_err(),
            "read past the end"
        );
        for (part, &at) in parts.iter().zip(&offsets).rev() {
            let mut bytes = vec![0; part.len()];
            spill.read_at(at as u64, &mut bytes).expect("read at");
            assert_eq!(&bytes, part);
        }
        let mut past = [0; 1];
        assert!(spill.read_at(all.len() as u64, &mut past).is_err());
        assert!(spill.write_all(b"late").is_err(), "written after reading");
        drop(spill);
        assert_eq!(names(dir.path()), Vec::<String>::new(), "no file left");
        on_disk
    }

    /// A chunk size for tests, so that what they write crosses chunks.
    const CHUNK: usize = 4000;

    fn parts() -> Vec<Vec<u8>> {
        // Across chunk boundaries: parts larger than a chunk, and many small lines.
        let mut parts: Vec<Vec<u8>> = (0..3000)
            .map(|i| format!("line {i}\n").into_bytes())
            .collect();
        parts.push(
            (0..SPILL_GRAIN + CHUNK * 2 + 17)
                .map(|i| (i % 251) as u8)
                .collect(),
        );
        parts.extend((0..500).map(|i| format!("after {i}\n").into_bytes()));
        parts.push(Vec::new());
        parts.push(vec![b'x'; CHUNK - 3]);
        parts
    }

    #[test]
    fn a_spill_within_its_budget_stays_in_memory() {
        assert!(!spill_round_trip(SPILL_GRAIN * 3, &parts()));
    }

    #[test]
    fn a_spill_past_its_budget_gives_back_exactly_what_was_written() {
        for budget in [0, SPILL_GRAIN, SPILL_GRAIN + 1] {
            assert!(spill_round_trip(budget, &parts()), "budget {budget}");
        }
    }

    #[test]
    fn spills_share_their_budget_and_give_it_back() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let budget = SpillBudget::new(SPILL_GRAIN * 2);
        let mut first = Spill::create(dir.path(), "first", &budget).expect("create");
        let mut second = Spill::create(dir.path(), "second", &budget).expect("create");
        first.write_all(&vec![1; SPILL_GRAIN + 1]).expect("write");
        assert!(names(dir.path()).is_empty());
        second.write_all(b"no room left").expect("write");
        assert_eq!(
            names(dir.path()).len(),
            1,
            "the second spill moved to a file"
        );
        drop(first);
        let mut third = Spill::create(dir.path(), "third", &budget).expect("create");
        third.write_all(&vec![3; SPILL_GRAIN * 2]).expect("write");
        assert_eq!(
            names(dir.path()).len(),
            1,
            "the first spill's memory came back"
        );
        drop(second);
        drop(third);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn an_atomic_file_appears_whole_on_commit_only() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("report.html");
        let mut file = AtomicFile::create(&path).expect("create");
        file.write_all(b"first part, ").expect("write");
        assert!(!path.exists(), "nothing at the real name before commit");
        file.write_all(b"second part").expect("write");
        file.commit().expect("commit");
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            "first part, second part"
        );
        assert_eq!(names(dir.path()), ["report.html"]);
    }

    #[test]
    fn staged_files_are_written_into_their_folders_made_once() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let target = dir.path().join("clean");
        let staged = StagedDir::create(&target).expect("stage");
        for (relative, text) in [
            ("a.txt", "a"),
            ("x/b.txt", "b"),
            ("x/c.txt", "c"),
            ("x/y/d.txt", "d"),
            ("z/y/e.txt", "e"),
        ] {
            write_staged(&staged, relative, text.as_bytes()).expect("write");
        }
        let mut made: Vec<String> = staged.made.lock().expect("lock").iter().cloned().collect();
        made.sort();
        assert_eq!(made, ["x", "x/y", "z/y"]);
        staged.commit().expect("commit");
        assert_eq!(names(&target), ["a.txt", "x", "z"]);
        assert_eq!(names(&target.join("x")), ["b.txt", "c.txt", "y"]);
        assert_eq!(
            fs::read_to_string(target.join("x/y/d.txt")).expect("read"),
            "d"
        );
        assert_eq!(
            fs::read_to_string(target.join("z/y/e.txt")).expect("read"),
            "e"
        );
    }

    #[test]
    fn an_atomic_file_dropped_uncommitted_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("report.html");
        fs::write(&path, "the last run's page").expect("write");
        let mut file = AtomicFile::create(&path).expect("create");
        file.write_all(b"half a page").expect("write");
        drop(file);
        assert_eq!(names(dir.path()), ["report.html"]);
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            "the last run's page"
        );
    }
}
