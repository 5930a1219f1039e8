//! Writing the output folder safely.
//!
//! Every file is written to a temporary name in its final folder and renamed into place, so
//! an interrupted run never leaves a half-written file under a real name. The clean folder is
//! built beside the old one and swapped in, so files of an earlier run cannot linger. And
//! before anything is written, the paths are checked so an output can never land inside an
//! input folder or over an input file.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

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
    /// Folders inside `staging` made so far: a run writes thousands of files into each, and
    /// asking the file system for a folder that exists costs two calls per file.
    made: Mutex<HashSet<PathBuf>>,
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
            made: Mutex::new(HashSet::new()),
        })
    }

    /// Makes `folder` (inside the staging folder) and its parents, unless already made.
    fn make_folder(&self, folder: &Path) -> io::Result<()> {
        if folder == self.staging || self.made.lock().is_ok_and(|made| made.contains(folder)) {
            return Ok(());
        }
        fs::create_dir_all(folder)?;
        if let Ok(mut made) = self.made.lock() {
            made.insert(folder.to_path_buf());
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

/// A temporary file in the output folder, removed when dropped.
pub struct Spill {
    path: PathBuf,
    writer: Option<io::BufWriter<fs::File>>,
}

impl Spill {
    pub fn create(out: &Path, name: &str) -> io::Result<Spill> {
        let path = out.join(format!(".{name}.spill-{}", std::process::id()));
        let file = fs::File::create(&path)?;
        Ok(Spill {
            path,
            writer: Some(io::BufWriter::with_capacity(1 << 20, file)),
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.writer {
            Some(w) => w.write_all(bytes),
            None => Err(io::Error::other("spill file already closed")),
        }
    }

    /// Finishes writing and opens the file for reading from the start.
    pub fn reader(&mut self) -> io::Result<io::BufReader<fs::File>> {
        if let Some(w) = self.writer.take() {
            w.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(io::BufReader::with_capacity(
            1 << 20,
            fs::File::open(&self.path)?,
        ))
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.writer = None;
        let _ = fs::remove_file(&self.path);
    }
}

/// Writes one file inside a staged folder, creating its parent folders.
pub fn write_staged(dir: &StagedDir, relative: &str, bytes: &[u8]) -> io::Result<()> {
    let path = dir.path(relative);
    if let Some(parent) = path.parent() {
        dir.make_folder(parent)?;
    }
    fs::write(path, bytes)
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
