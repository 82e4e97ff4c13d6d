//! The session history: an append-only log, one complete RON record per line, flushed to disk
//! when a session ends. A line cut short by a power cut is reported and skipped; every earlier
//! record survives. Two running copies take turns through a file lock.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::atomic::open_private_append;
use super::record::SessionRecord;
use super::record_codec::{parse_record_line, record_line};

/// Appends one record and flushes it to disk. Holds an exclusive lock while writing, so two
/// copies of the app never interleave; repairs a torn last line first so records stay one a line.
pub fn append_record(path: &Path, record: &SessionRecord) -> io::Result<()> {
    let line = record_line(record).map_err(io::Error::other)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        super::paths::create_private_dir(dir)?;
    }
    let mut file = lock_log(path)?;
    let result = append_locked(&mut file, &line);
    let _ = file.unlock();
    result
}

/// Opens the log and takes its lock, making sure the file locked is still the one at `path`
/// (a deletion elsewhere may have replaced it while this copy waited).
fn lock_log(path: &Path) -> io::Result<File> {
    for _ in 0..20 {
        let file = open_private_append(path)?;
        file.lock()?;
        if is_current(path, &file) {
            return Ok(file);
        }
        let _ = file.unlock();
    }
    Err(io::Error::other(
        "the history log keeps being replaced; try again",
    ))
}

#[cfg(unix)]
fn is_current(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(on_disk), Ok(open)) => on_disk.ino() == open.ino() && on_disk.dev() == open.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_current(_path: &Path, _file: &File) -> bool {
    true
}

/// Removes the record `id`, rewriting the log atomically; says whether it was there.
pub fn delete_record(path: &Path, id: &str) -> io::Result<bool> {
    let file = lock_log(path)?;
    let result = (|| {
        let bytes = std::fs::read(path)?;
        let text = String::from_utf8_lossy(&bytes);
        let mut kept = String::with_capacity(text.len());
        let mut found = false;
        for line in text.split_inclusive('\n') {
            let is_it = !found && parse_record_line(line.trim_end()).is_ok_and(|r| r.id == id);
            if is_it {
                found = true;
            } else {
                kept.push_str(line);
            }
        }
        if found {
            super::atomic::write_atomic(path, kept.as_bytes())?;
        }
        Ok(found)
    })();
    let _ = file.unlock();
    result
}

/// The longest tail searched for the end of the last whole record.
const TORN_TAIL_LIMIT: u64 = 64 * 1024;

fn append_locked(file: &mut File, line: &str) -> io::Result<()> {
    let length = file.seek(SeekFrom::End(0))?;
    let mut text = String::with_capacity(line.len() + 2);
    let mut last = [0u8; 1];
    if length > 0 {
        file.seek(SeekFrom::Start(length - 1))?;
        file.read_exact(&mut last)?;
    }
    if length > 0 && last[0] != b'\n' {
        let tail_start = length.saturating_sub(TORN_TAIL_LIMIT);
        let mut tail = Vec::with_capacity((length - tail_start) as usize);
        file.seek(SeekFrom::Start(tail_start))?;
        file.read_to_end(&mut tail)?;
        // A record cut short by a crash: it was the session in flight and cannot be read.
        // Drop the fragment, so it is reported only until now, and start on a fresh line.
        match tail.iter().rposition(|&b| b == b'\n') {
            Some(end) => {
                log::warn!("dropping a cut-short history record");
                file.set_len(tail_start + end as u64 + 1)?;
            }
            None if tail_start == 0 => file.set_len(0)?,
            None => text.push('\n'),
        }
    }
    text.push_str(line);
    text.push('\n');
    // One write of the whole line, in append mode.
    file.write_all(text.as_bytes())?;
    file.sync_data()
}

/// What reading the log found.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Oldest first, as written.
    pub records: Vec<SessionRecord>,
    /// Lines that could not be read, each with its line number and reason.
    pub problems: Vec<String>,
}

/// Reads the whole log. A missing file is an empty history.
pub fn load_history(path: &Path) -> io::Result<History> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(History::default()),
        Err(e) => return Err(e),
    };
    let text = String::from_utf8_lossy(&bytes);
    let ends_cleanly = text.is_empty() || text.ends_with('\n');
    let lines: Vec<&str> = text.lines().collect();
    // Two halves read side by side: a long history opens twice as fast on two cores.
    let middle = lines.len() / 2;
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read_lines(&lines[middle..], middle));
        let first = read_lines(&lines[..middle], 0);
        (first, second.join().unwrap_or_default())
    });
    let mut history = History::default();
    for (index, parsed) in first.into_iter().chain(second) {
        let torn = index + 1 == lines.len() && !ends_cleanly;
        match parsed {
            Ok(record) => history.records.push(record),
            Err(_) if torn => history.problems.push(format!(
                "{}:{}: the last record was cut short (the app or computer stopped while saving) and was skipped",
                path.display(),
                index + 1
            )),
            Err(reason) => history.problems.push(format!(
                "{}:{}: not a readable record, skipped ({reason})",
                path.display(),
                index + 1
            )),
        }
    }
    Ok(history)
}

/// Each non-blank line's record (or why not), with its index in the file counted from `offset`.
fn read_lines(lines: &[&str], offset: usize) -> Vec<(usize, Result<SessionRecord, String>)> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (offset + i, parse_record_line(line)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::record::{SessionEnd, sample_record};

    #[test]
    fn appends_keep_every_record_and_a_torn_last_line_is_reported_and_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.log");
        let first = sample_record("Box 4-4-4-4", SessionEnd::Completed);
        append_record(&path, &first).expect("append");
        // A power cut in the middle of the second append.
        let torn = record_line(&sample_record("Night 3-7", SessionEnd::Completed)).expect("line");
        let mut file = open_private_append(&path).expect("open");
        file.write_all(&torn.as_bytes()[..torn.len() / 2])
            .expect("write");
        drop(file);

        let history = load_history(&path).expect("reads");
        assert_eq!(history.records, vec![first.clone()]);
        assert_eq!(history.problems.len(), 1);
        assert!(history.problems[0].contains(":2: the last record was cut short"));

        // The next session's record replaces the fragment: it is reported no more.
        let third = sample_record("4-7-8", SessionEnd::EndedEarly { step: 1 });
        append_record(&path, &third).expect("append");
        let history = load_history(&path).expect("reads");
        assert_eq!(history.records, vec![first, third]);
        assert_eq!(history.problems, Vec::<String>::new());
    }

    #[test]
    fn deleting_a_record_keeps_every_other_line_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.log");
        let mut records = Vec::new();
        for (n, practice) in ["a", "b", "c"].iter().enumerate() {
            let mut record = sample_record(practice, SessionEnd::Completed);
            record.id = format!("id-{n}");
            append_record(&path, &record).expect("append");
            records.push(record);
        }
        std::fs::write(
            &path,
            std::fs::read_to_string(&path).expect("read") + "a hand-written remark\n",
        )
        .expect("write");
        assert!(delete_record(&path, "id-1").expect("deletes"));
        assert!(!delete_record(&path, "id-1").expect("runs"), "already gone");
        let history = load_history(&path).expect("reads");
        assert_eq!(
            history.records,
            vec![records[0].clone(), records[2].clone()]
        );
        assert_eq!(
            history.problems.len(),
            1,
            "the remark is kept, and still reported"
        );
        // Appending after a rewrite goes to the new file.
        append_record(&path, &records[1]).expect("append");
        assert_eq!(load_history(&path).expect("reads").records.len(), 3);
    }

    #[test]
    fn a_missing_log_is_an_empty_history() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = load_history(&dir.path().join("history.log")).expect("reads");
        assert!(history.records.is_empty() && history.problems.is_empty());
    }
}
