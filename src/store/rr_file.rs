//! Beat-to-beat (RR) interval files: one interval in milliseconds a line, as Polar's and Elite
//! HRV's exports have them; `#` starts a comment, blank lines are skipped, decimals are allowed
//! ("812.5"). A file that does not read says which line and why, and nothing of it is used.
//!
//! Also the per-session raw interval file downshift keeps when the person asks for it (in
//! `heart/<record id>.rr`), in the same format, so `downshift heart analyze` reads it back.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A larger file is refused (16 MiB is over a million intervals: twelve days of beats).
pub const LARGEST_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// An interval above a minute is no heartbeat at all.
pub const LONGEST_READ_MS: f64 = 60_000.0;
/// A file whose median interval is under this holds seconds, not milliseconds.
const SECONDS_NOT_MILLISECONDS: f64 = 20.0;

/// Why an interval file cannot be used: the file, the line (from 1) if one line is to blame,
/// and the reason in words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {reason}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct RrFileError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub reason: String,
}

/// The intervals of a file, in milliseconds, in order.
pub fn read_rr_file(path: &Path) -> Result<Vec<f64>, RrFileError> {
    let error = |line: Option<usize>, reason: String| RrFileError {
        file: path.to_owned(),
        line,
        reason,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| error(None, format!("cannot be read ({e})")))?
        .len();
    if size > LARGEST_FILE_BYTES {
        return Err(error(
            None,
            format!(
                "is {size} bytes, more than the {LARGEST_FILE_BYTES} an interval file may have"
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| error(None, format!("cannot be read ({e})")))?;
    parse_rr_text(&bytes).map_err(|(line, reason)| error(line, reason))
}

/// Reads the text of an interval file; an error gives the line (from 1) and the reason.
pub fn parse_rr_text(bytes: &[u8]) -> Result<Vec<f64>, (Option<usize>, String)> {
    let mut intervals = Vec::new();
    let mut first_line = None;
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let number = index + 1;
        let text = std::str::from_utf8(raw)
            .map_err(|_| (Some(number), "is not text (not UTF-8)".to_owned()))?;
        let text = text.split('#').next().unwrap_or("").trim();
        if text.is_empty() {
            continue;
        }
        let value = read_interval(text).map_err(|reason| (Some(number), reason))?;
        first_line.get_or_insert(number);
        intervals.push(value);
    }
    let Some(first_line) = first_line else {
        return Err((
            None,
            "holds no intervals (one interval in milliseconds a line is expected)".to_owned(),
        ));
    };
    let mut sorted = intervals.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    if median < SECONDS_NOT_MILLISECONDS {
        return Err((
            Some(first_line),
            format!(
                "the intervals look like seconds (a median of {median}); the file should hold \
                 milliseconds (e.g. 850 for 0.85 s)"
            ),
        ));
    }
    Ok(intervals)
}

fn read_interval(text: &str) -> Result<f64, String> {
    if text.split_whitespace().count() > 1 || text.contains(';') || text.contains('\t') {
        return Err(format!(
            "\"{text}\" holds more than one value; one interval in milliseconds a line is expected"
        ));
    }
    if text.contains(',') && text.replace(',', ".").parse::<f64>().is_ok() {
        return Err(format!(
            "\"{text}\": decimals are written with a point (e.g. 812.5), not a comma"
        ));
    }
    let value: f64 = text.parse().map_err(|_| {
        format!("\"{text}\" is not a number of milliseconds (comments start with #)")
    })?;
    if !value.is_finite() || value <= 0.0 || value > LONGEST_READ_MS {
        return Err(format!(
            "{text} ms is out of range: an interval is more than 0 and at most {LONGEST_READ_MS} ms"
        ));
    }
    Ok(value)
}

/// The raw intervals of one session, written as they come, in the data folder's `heart/`.
pub struct RawIntervalWriter {
    file: BufWriter<File>,
    path: PathBuf,
}

impl RawIntervalWriter {
    /// Starts `dir/<record id>.rr` with a comment saying what it is. Never replaces a file: an
    /// id that is not a plain file name, or a file already there, is refused.
    pub fn create(dir: &Path, record_id: &str, about: &str) -> io::Result<Self> {
        let plain = !record_id.is_empty()
            && record_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plain {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{record_id:?} cannot name an interval file"),
            ));
        }
        super::paths::create_private_dir(dir)?;
        let path = dir.join(format!("{record_id}.rr"));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path)?;
        let mut writer = RawIntervalWriter {
            file: BufWriter::new(file),
            path,
        };
        let about = about.replace(['\n', '\r'], " ");
        write!(
            writer.file,
            "# downshift: beat-to-beat intervals from the heart rate strap, in milliseconds, \
             one a line, as they came (artefacts included)\n# {about}\n"
        )?;
        Ok(writer)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds intervals (milliseconds) at the end.
    pub fn append(&mut self, rr_ms: &[f64]) -> io::Result<()> {
        for rr in rr_ms {
            writeln!(self.file, "{rr}")?;
        }
        Ok(())
    }

    /// Writes what is buffered and flushes it to disk (at the session's end, and now and then).
    pub fn sync(&mut self) -> io::Result<()> {
        self.file.flush()?;
        self.file.get_ref().sync_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<f64>, (Option<usize>, String)> {
        parse_rr_text(text.as_bytes())
    }

    #[test]
    fn intervals_comments_blank_lines_and_decimals_read() {
        let text = "# Polar H10, 2026-11-21\n\n812\n 790.5 \r\n805 # a note\n\n";
        assert_eq!(read(text), Ok(vec![812.0, 790.5, 805.0]));
    }

    #[test]
    fn bad_lines_are_named_with_the_reason() {
        let cases = [
            (
                "812\nPhone timestamp;RR-interval [ms]\n",
                2,
                "more than one value",
            ),
            ("812\n80O\n", 2, "not a number of milliseconds"),
            ("812\n812,5\n", 2, "with a point"),
            ("812\n-5\n", 2, "out of range"),
            ("812\n0\n", 2, "out of range"),
            ("812\n90000\n", 2, "out of range"),
            ("812\ninf\n", 2, "out of range"),
            ("812 815\n", 1, "more than one value"),
            ("# seconds\n0.81\n0.79\n", 2, "look like seconds"),
        ];
        for (text, line, words) in cases {
            let (at, reason) = read(text).expect_err(text);
            assert_eq!(at, Some(line), "{text:?}: {reason}");
            assert!(reason.contains(words), "{text:?}: {reason}");
        }
        let (at, reason) = parse_rr_text(b"812\n8\xff2\n").expect_err("not text");
        assert_eq!((at, reason.as_str()), (Some(2), "is not text (not UTF-8)"));
    }

    #[test]
    fn an_empty_file_says_so() {
        for text in ["", "\n\n", "# only a comment\n"] {
            let (at, reason) = read(text).expect_err(text);
            assert_eq!(at, None);
            assert!(reason.contains("no intervals"), "{reason}");
        }
    }

    #[test]
    fn a_file_error_names_the_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("h10.txt");
        std::fs::write(&path, "800\nabc\n").expect("write");
        let error = read_rr_file(&path).expect_err("refused");
        assert_eq!(error.line, Some(2));
        let shown = error.to_string();
        assert!(
            shown.starts_with(&format!("{}:2: ", path.display())),
            "{shown}"
        );
        let missing = read_rr_file(&dir.path().join("none.txt")).expect_err("missing");
        assert_eq!(missing.line, None);
        assert!(missing.to_string().contains("cannot be read"), "{missing}");
    }

    #[test]
    fn a_huge_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("huge.txt");
        let file = File::create(&path).expect("create");
        file.set_len(LARGEST_FILE_BYTES + 1).expect("size");
        let error = read_rr_file(&path).expect_err("refused");
        assert!(error.reason.contains("more than"), "{error}");
    }

    #[test]
    fn the_raw_file_reads_back_and_never_replaces_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let heart = dir.path().join("heart");
        let id = "019aa6c4-3c20-7a4e-9b1e-2f0c5d8e7a61";
        let mut writer =
            RawIntervalWriter::create(&heart, id, "Resonance breathing\nstarted 21:05")
                .expect("creates");
        writer.append(&[976.5625, 1000.0]).expect("writes");
        writer.append(&[812.5]).expect("writes");
        writer.sync().expect("syncs");
        let path = writer.path().to_owned();
        drop(writer);
        assert_eq!(read_rr_file(&path), Ok(vec![976.5625, 1000.0, 812.5]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let before = std::fs::read(&path).expect("read");
        let again = RawIntervalWriter::create(&heart, id, "again");
        assert_eq!(
            again.err().map(|e| e.kind()),
            Some(io::ErrorKind::AlreadyExists)
        );
        assert_eq!(std::fs::read(&path).expect("read"), before);
        for bad in ["", "../escape", "a/b", "x.rr"] {
            assert!(RawIntervalWriter::create(&heart, bad, "").is_err(), "{bad}");
        }
    }
}
