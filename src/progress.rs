//! A progress line on standard error for long runs: documents done, documents per second and
//! the time left. Only a person at a terminal wants it, so it is drawn only when standard error
//! is a terminal, not under CI, not with `--quiet`, and only once a run has taken a second;
//! it is erased before the closing summary.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a run goes before the line appears, and how often it is redrawn.
const DELAY: Duration = Duration::from_secs(1);
const REDRAW: Duration = Duration::from_millis(100);

/// Counts finished documents from any thread and redraws the line now and then.
pub struct Progress {
    enabled: bool,
    total: usize,
    done: AtomicUsize,
    start: Instant,
    /// When the line was last drawn; `None` until it first is.
    drawn: Mutex<Option<Instant>>,
}

impl Progress {
    /// A progress line for `total` documents; `quiet` switches it off.
    pub fn new(total: usize, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        Progress::with(total, !quiet && !ci && std::io::stderr().is_terminal())
    }

    /// A progress line that draws only if `enabled`.
    pub fn with(total: usize, enabled: bool) -> Progress {
        Progress {
            enabled,
            total,
            done: AtomicUsize::new(0),
            start: Instant::now(),
            drawn: Mutex::new(None),
        }
    }

    /// One more document finished.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled {
            return;
        }
        let elapsed = self.start.elapsed();
        if elapsed < DELAY {
            return;
        }
        // Another thread drawing now is enough.
        let Ok(mut drawn) = self.drawn.try_lock() else {
            return;
        };
        if drawn.is_some_and(|at| at.elapsed() < REDRAW) {
            return;
        }
        *drawn = Some(Instant::now());
        let line = render(done, self.total, elapsed);
        let _ = write!(std::io::stderr().lock(), "\r{line}\x1b[K");
    }

    /// Erases the line, if it was drawn, so the summary starts on a clean line.
    pub fn finish(&self) {
        let drawn = self.drawn.lock().map(|d| d.is_some()).unwrap_or(false);
        if self.enabled && drawn {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        }
    }
}

/// The progress line: a bar, the count, the rate and the time left.
pub fn render(done: usize, total: usize, elapsed: Duration) -> String {
    const WIDTH: usize = 24;
    let done = done.min(total);
    let filled = (WIDTH * done).checked_div(total).unwrap_or(WIDTH);
    let secs = elapsed.as_secs_f64().max(1e-3);
    let rate = done as f64 / secs;
    let eta = if rate > 0.0 {
        format_secs(((total - done) as f64 / rate).round() as u64)
    } else {
        "?".to_string()
    };
    format!(
        "[{}{}] {done}/{total} documents  {rate:.0} docs/s  ETA {eta}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
    )
}

fn format_secs(secs: u64) -> String {
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shows_count_rate_and_time_left() {
        let line = render(250, 1000, Duration::from_secs(5));
        assert_eq!(
            line,
            "[######------------------] 250/1000 documents  50 docs/s  ETA 0:15"
        );
        assert!(render(0, 10, Duration::ZERO).ends_with("ETA ?"));
        assert!(render(5, 0, Duration::from_secs(1)).contains("0/0"));
        assert_eq!(format_secs(3725), "1:02:05");
    }

    #[test]
    fn a_disabled_line_still_counts() {
        let progress = Progress::with(3, false);
        progress.tick();
        progress.tick();
        assert_eq!(progress.done.load(Ordering::Relaxed), 2);
        progress.finish();
    }
}
