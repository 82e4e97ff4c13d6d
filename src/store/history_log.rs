//! The session history: an append-only log, one complete RON record per line, flushed to disk
//! when a session ends. A line cut short by a power cut is reported and skipped; every earlier
//! record survives. Two running copies take turns through a file lock.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::Path;

use super::atomic::{is_same_file, open_private_append, write_atomic};
use super::record::SessionRecord;
use super::record_codec::{parse_record_line, record_line};

/// Appends one record and flushes it to disk. Holds an exclusive lock while writing, so two
/// copies of the app never interleave; repairs a torn last line first so records stay one a line.
pub fn append_record(path: &Path, record: &SessionRecord) -> io::Result<()> {
    let line = record_line(record).map_err(io::Error::other)?;
    append_line(path, &line)
}

/// Appends one line (no newline in it) to an append-only log and flushes it, as
/// `append_record` does: the check-in log is kept the same way.
pub(super) fn append_line(path: &Path, line: &str) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        super::paths::create_private_dir(dir)?;
    }
    let mut file = lock_log(path)?;
    let result = append_locked(&mut file, line);
    let _ = file.unlock();
    result
}

/// Appends `record` unless the log already holds a record with its id; says whether it did.
/// The look and the append happen under the log's lock, so however many copies try at once,
/// and however often one retries after a crash, the record is in the log once.
pub fn append_record_once(path: &Path, record: &SessionRecord) -> io::Result<bool> {
    let line = record_line(record).map_err(io::Error::other)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        super::paths::create_private_dir(dir)?;
    }
    let mut file = lock_log(path)?;
    let result = (|| {
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0))?;
        file.read_to_end(&mut bytes)?;
        if holds_record(&bytes, &record.id) {
            return Ok(false);
        }
        append_locked(&mut file, &line)?;
        Ok(true)
    })();
    let _ = file.unlock();
    result
}

/// Whether the log's bytes hold a record with this id. Only lines that mention it are parsed,
/// when the id is written as it is (nothing in it the writer escapes).
fn holds_record(bytes: &[u8], id: &str) -> bool {
    let written_as_is = !id.is_empty() && id.chars().all(|c| c.escape_debug().count() == 1);
    let needle = id.as_bytes();
    bytes.split(|&b| b == b'\n').any(|line| {
        (!written_as_is || line.windows(needle.len()).any(|w| w == needle))
            && is_record_with_id(line, id)
    })
}

/// Opens the log and takes its lock, making sure the file locked is still the one at `path`
/// (a deletion elsewhere may have replaced it while this copy waited).
pub(super) fn lock_log(path: &Path) -> io::Result<File> {
    for _ in 0..20 {
        let file = open_private_append(path)?;
        file.lock()?;
        if is_same_file(path, &file) {
            return Ok(file);
        }
        let _ = file.unlock();
    }
    Err(io::Error::other(format!(
        "{} keeps being replaced; try again",
        path.display()
    )))
}

/// Removes the record `id`, rewriting the log atomically; says whether it was there. Every other
/// byte of the log stays as it was: lines that are not records, or not even UTF-8, included.
///
/// Ids are unique since they became UUIDs, but a log from before may hold two records with one
/// id. If their lines are identical, removing either is the same, and the first goes. If they
/// differ, nothing is removed and the error names the lines: downshift cannot know which of two
/// different sessions the person meant, and a wrong guess would lose the other.
pub fn delete_record(path: &Path, id: &str) -> io::Result<bool> {
    let file = lock_log(path)?;
    let result = (|| {
        let bytes = std::fs::read(path)?;
        let lines = line_ranges(&bytes);
        let matching: Vec<usize> = (0..lines.len())
            .filter(|&n| is_record_with_id(&bytes[lines[n].clone()], id))
            .collect();
        let Some(&first) = matching.first() else {
            return Ok(false);
        };
        let content = |n: usize| bytes[lines[n].clone()].trim_ascii_end();
        if matching.iter().any(|&n| content(n) != content(first)) {
            let numbers: Vec<String> = matching.iter().map(|n| (n + 1).to_string()).collect();
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{}: {} different sessions have the id {id} (lines {}), so none was deleted; \
                     remove the one you mean with a text editor",
                    path.display(),
                    matching.len(),
                    numbers.join(", ")
                ),
            ));
        }
        let removed = lines[first].clone();
        let mut kept = Vec::with_capacity(bytes.len() - removed.len());
        kept.extend_from_slice(&bytes[..removed.start]);
        kept.extend_from_slice(&bytes[removed.end..]);
        write_atomic(path, &kept)?;
        Ok(true)
    })();
    let _ = file.unlock();
    result
}

/// Where each line of `bytes` lies, its newline included; line numbers are as `load_history`
/// counts them.
pub(super) fn line_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut start = 0;
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(|line| {
            start += line.len();
            start - line.len()..start
        })
        .collect()
}

/// Whether a line of the log is the record `id`, read as `load_history` reads it (a byte that is
/// not UTF-8 reads as U+FFFD), so any record the person sees can be deleted.
fn is_record_with_id(line: &[u8], id: &str) -> bool {
    parse_record_line(String::from_utf8_lossy(line).trim_end()).is_ok_and(|r| r.id == id)
}

/// The longest tail searched for the end of the last whole record.
const TORN_TAIL_LIMIT: u64 = 64 * 1024;

pub(super) fn append_locked(file: &mut File, line: &str) -> io::Result<()> {
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
            Err(reason) => history
                .problems
                .push(line_problem(path, index + 1, torn, &reason)),
        }
    }
    Ok(history)
}

/// Reads the log a line at a time, handing each record to `each` as it is read, so the whole
/// file is never held at once (the window keeps a compact copy of each). Returns the lines that
/// could not be read, as `load_history` names them. A missing file is an empty history.
pub fn read_history_with(
    path: &Path,
    mut each: impl FnMut(SessionRecord),
) -> io::Result<Vec<String>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut reader = io::BufReader::new(file);
    let mut problems = Vec::new();
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if io::BufRead::read_until(&mut reader, b'\n', &mut line)? == 0 {
            return Ok(problems);
        }
        number += 1;
        let torn = line.last() != Some(&b'\n');
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        match parse_record_line(text.trim_end()) {
            Ok(record) => each(record),
            Err(reason) => problems.push(line_problem(path, number, torn, &reason)),
        }
    }
}

/// What is said of line `number` that could not be read; `torn`: it is the last and unended.
pub(super) fn line_problem(path: &Path, number: usize, torn: bool, reason: &str) -> String {
    if torn {
        format!(
            "{}:{number}: the last record was cut short (the app or computer stopped while saving) and was skipped",
            path.display()
        )
    } else {
        format!(
            "{}:{number}: not a readable record, skipped ({reason})",
            path.display()
        )
    }
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

    /// The record's line, as the log holds it.
    fn line_of(record: &SessionRecord) -> Vec<u8> {
        let mut line = record_line(record).expect("line").into_bytes();
        line.push(b'\n');
        line
    }

    #[test]
    fn a_delete_next_to_lines_that_are_not_utf8_keeps_every_other_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.log");
        let old_style = |id: &str, practice: &str| {
            let mut record = sample_record(practice, SessionEnd::Completed);
            record.id = id.to_owned();
            record
        };
        let kept_before = line_of(&old_style("20261121T210500-ab12", "Box 4-4-4-4"));
        let not_utf8 = b"\xff\xfe a line from somewhere else \xc3\x28\n".to_vec();
        let doomed = old_style("20261121T210500-cd34", "Night 3-7");
        // A record whose note has a byte that is not UTF-8: it reads (with U+FFFD) and stays.
        let mut latin1 = line_of(&old_style("20261121T210500-ef56", "4-7-8"));
        let at = latin1
            .windows(4)
            .position(|w| w == b"jaw ")
            .expect("the note");
        latin1[at + 1] = 0xe1;
        let crlf = {
            let mut line = line_of(&sample_record("Resonance", SessionEnd::Completed));
            line.insert(line.len() - 1, b'\r');
            line
        };
        let torn_tail = b"(version: 1, id: \"x\", start\xe2\x80".to_vec();
        let before = [
            kept_before.clone(),
            not_utf8.clone(),
            line_of(&doomed),
            latin1.clone(),
            crlf.clone(),
            torn_tail.clone(),
        ]
        .concat();
        std::fs::write(&path, &before).expect("write");
        assert_eq!(load_history(&path).expect("reads").records.len(), 4);

        assert!(delete_record(&path, &doomed.id).expect("deletes"));
        let expected = [kept_before, not_utf8, latin1, crlf, torn_tail].concat();
        assert_eq!(std::fs::read(&path).expect("read"), expected);

        // The record with the foreign byte, as the history shows it, can be deleted too.
        assert!(delete_record(&path, "20261121T210500-ef56").expect("deletes"));
        assert_eq!(load_history(&path).expect("reads").records.len(), 2);
    }

    #[test]
    fn two_different_records_with_one_old_id_are_not_guessed_between() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.log");
        let mut first = sample_record("Box 4-4-4-4", SessionEnd::Completed);
        first.id = "20261121T210500-ab12".to_owned();
        let mut second = sample_record("Night 3-7", SessionEnd::EndedEarly { step: 2 });
        second.id = first.id.clone();
        let other = sample_record("4-7-8", SessionEnd::Completed);
        let before = [line_of(&first), line_of(&other), line_of(&second)].concat();
        std::fs::write(&path, &before).expect("write");

        let error = delete_record(&path, &first.id).expect_err("ambiguous");
        let message = error.to_string();
        assert!(message.contains("history.log"), "{message}");
        assert!(message.contains("lines 1, 3"), "{message}");
        assert!(message.contains("none was deleted"), "{message}");
        assert_eq!(std::fs::read(&path).expect("read"), before, "untouched");

        // The same record twice (a copy pasted in): removing one leaves the other.
        let twice = [line_of(&first), line_of(&other), line_of(&first)].concat();
        std::fs::write(&path, &twice).expect("write");
        assert!(delete_record(&path, &first.id).expect("deletes"));
        assert_eq!(
            std::fs::read(&path).expect("read"),
            [line_of(&other), line_of(&first)].concat()
        );
    }

    #[test]
    fn append_once_appends_a_record_only_if_its_id_is_not_logged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.log");
        let mut first = sample_record("Box 4-4-4-4", SessionEnd::Completed);
        // Another record that only mentions the id in its note does not count.
        let mut mention = sample_record("Night 3-7", SessionEnd::Completed);
        mention.note = format!("after {}", first.id);
        append_record(&path, &mention).expect("appends");
        assert!(append_record_once(&path, &first).expect("appends"));
        assert!(
            !append_record_once(&path, &first).expect("runs"),
            "already there"
        );
        // An id the writer escapes is found too.
        first.id = "old \"quoted\" id".to_owned();
        assert!(append_record_once(&path, &first).expect("appends"));
        assert!(
            !append_record_once(&path, &first).expect("runs"),
            "already there"
        );
        assert_eq!(load_history(&path).expect("reads").records.len(), 3);
    }

    #[test]
    fn a_missing_log_is_an_empty_history() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = load_history(&dir.path().join("history.log")).expect("reads");
        assert!(history.records.is_empty() && history.problems.is_empty());
    }
}
