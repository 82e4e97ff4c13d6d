//! Checkpoints of live sessions, so that a crash, a kill or a power cut loses at most the time
//! since the last one. Each live session keeps `checkpoints/<record id>.ron` (the record as it
//! would be written if the session ended now, replaced atomically) and holds an advisory lock on
//! `checkpoints/<record id>.lock` for as long as it runs; the window and a terminal `play` can
//! each run one. At the next start, [`recover_interrupted`] turns every checkpoint whose lock is
//! free into a history record that says the session was interrupted, exactly once.
//!
//! Exactly once, even when two copies recover at the same moment or one crashes halfway:
//! 1. a copy takes the checkpoint's lock without waiting (held: a live session, or another copy
//!    recovering it; left alone);
//! 2. it claims the checkpoint by renaming it to `<id>.claimed-<unique>` (one renamer wins);
//! 3. it appends the record unless the log already has its id, under the log's lock
//!    ([`append_record_once`]), so a claim left behind by a crash is recovered once too;
//! 4. it removes the claim, then the lock file.
//!
//! A checkpoint that does not read is never deleted: it stays where it is and is named in
//! [`Recovery::problems`] at every start until it is fixed or removed.

use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::atomic::{is_same_file, open_private_append, sync_dir, write_atomic};
use super::history_log::append_record_once;
use super::paths::DataDir;
use super::record::{SessionEnd, SessionRecord};
use super::record_codec::ron_options;

/// The checkpoint format version this build writes.
pub const CHECKPOINT_VERSION: u32 = 1;

/// A live session as of its last checkpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub version: u32,
    /// The record that would be written if the session ended now: `end` is
    /// `EndedEarly { step }` with the step it is in (`Completed` once it is over), and the
    /// breathed and paused seconds are those so far.
    pub record: SessionRecord,
}

/// What [`recover_interrupted`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recovery {
    /// The records this call appended to the history, oldest session first.
    pub recovered: Vec<SessionRecord>,
    /// Checkpoints that could not be recovered, each named with its path and the reason; every
    /// one of them is left where it is.
    pub problems: Vec<String>,
}

impl Checkpoint {
    /// Writes the checkpoint of the session `record` belongs to, atomically (temporary file,
    /// flush to disk, rename). Without a [`LiveCheckpoint`] holding its lock, the next recovery
    /// may take it for a session that was cut off.
    pub fn write(data: &DataDir, record: &SessionRecord) -> io::Result<()> {
        let path = checkpoint_path(&data.checkpoints_dir(), &record.id)?;
        let checkpoint = Checkpoint {
            version: CHECKPOINT_VERSION,
            record: record.clone(),
        };
        let text = ron_options()
            .to_string_pretty(&checkpoint, ron::ser::PrettyConfig::new())
            .map_err(io::Error::other)?;
        write_atomic(&path, format!("{text}\n").as_bytes())
    }

    /// Removes the checkpoint of session `id`; a checkpoint already gone is fine.
    pub fn remove(data: &DataDir, id: &str) -> io::Result<()> {
        let dir = data.checkpoints_dir();
        remove_if_there(&checkpoint_path(&dir, id)?)?;
        sync_dir(&dir);
        Ok(())
    }

    /// Reads a checkpoint file's text; the error names the line, column and reason.
    pub fn parse(text: &str) -> Result<Checkpoint, String> {
        let checkpoint: Checkpoint = ron_options().from_str(text).map_err(|e| {
            format!(
                "line {}, column {}: {}",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
        if checkpoint.version > CHECKPOINT_VERSION {
            return Err(format!(
                "written by a newer downshift (checkpoint format {}); this one reads format {CHECKPOINT_VERSION}",
                checkpoint.version
            ));
        }
        Ok(checkpoint)
    }

    /// The history record of a session cut off at this checkpoint.
    pub fn interrupted_record(&self) -> SessionRecord {
        let mut record = self.record.clone();
        record.end = match record.end {
            SessionEnd::EndedEarly { step } | SessionEnd::Interrupted { step } => {
                SessionEnd::Interrupted { step }
            }
            // It was over; only saving its record was cut off.
            SessionEnd::Completed => SessionEnd::Completed,
        };
        record
    }
}

/// The checkpoint of a running session, and the lock that tells other copies it is running.
/// Dropping it without [`finish`](Self::finish) releases the lock and leaves the checkpoint, so
/// the next start recovers the session (what should happen if its record could not be saved).
#[derive(Debug)]
pub struct LiveCheckpoint {
    data: DataDir,
    id: String,
    lock: File,
}

impl LiveCheckpoint {
    /// Takes the lock of `record`'s session and writes its first checkpoint.
    pub fn start(data: &DataDir, record: &SessionRecord) -> io::Result<LiveCheckpoint> {
        let dir = data.checkpoints_dir();
        super::paths::create_private_dir(&dir)?;
        let lock = lock_session(&dir, &record.id)?;
        let live = LiveCheckpoint {
            data: data.clone(),
            id: record.id.clone(),
            lock,
        };
        live.update(record)?;
        Ok(live)
    }

    /// Replaces the checkpoint with `record`, the session as it is now.
    pub fn update(&self, record: &SessionRecord) -> io::Result<()> {
        if record.id != self.id {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the record {} is not of the session {} this checkpoint keeps",
                    record.id, self.id
                ),
            ));
        }
        Checkpoint::write(&self.data, record)
    }

    /// The session is over and its record saved: removes the checkpoint, then the lock.
    pub fn finish(self) -> io::Result<()> {
        let dir = self.data.checkpoints_dir();
        remove_if_there(&checkpoint_path(&dir, &self.id)?)?;
        remove_if_there(&lock_path(&dir, &self.id)?)?;
        sync_dir(&dir);
        let _ = self.lock.unlock();
        Ok(())
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Turns every checkpoint left behind by a session that is no longer running into a history
/// record ([`Checkpoint::interrupted_record`]), appended to `history.log`, exactly once; see the
/// module's comment for how. Checkpoints of sessions still running, here or in another copy,
/// are left alone. A missing checkpoints folder is nothing to recover.
pub fn recover_interrupted(data: &DataDir) -> Recovery {
    let dir = data.checkpoints_dir();
    let mut recovery = Recovery::default();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return recovery,
        Err(e) => {
            recovery
                .problems
                .push(format!("{} cannot be read ({e})", dir.display()));
            return recovery;
        }
    };
    let mut ids: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| session_of(&entry.file_name().to_string_lossy()).map(str::to_owned))
        .collect();
    // Ids begin with the session's start time: the oldest session is recovered first.
    ids.sort();
    ids.dedup();
    for id in ids {
        recover_session(data, &dir, &id, &mut recovery);
    }
    recovery
}

/// Recovers one session's checkpoint and any claims of it left by a crash, under its lock.
fn recover_session(data: &DataDir, dir: &Path, id: &str, recovery: &mut Recovery) {
    let lock = match try_lock_session(dir, id) {
        Ok(Some(lock)) => lock,
        // Running, or being recovered by another copy this moment.
        Ok(None) => return,
        Err(e) => {
            recovery.problems.push(format!(
                "{}: the session's lock cannot be taken ({e}); its checkpoint is kept",
                dir.join(format!("{id}.lock")).display()
            ));
            return;
        }
    };
    let mut settled = true;
    let mut claims = claims_of(dir, id);
    match claim(dir, id) {
        Ok(Some(claimed)) => claims.push(claimed),
        Ok(None) => {}
        Err(problem) => {
            recovery.problems.push(problem);
            settled = false;
        }
    }
    for claimed in claims {
        match settle(data, id, &claimed) {
            Ok(Some(record)) => recovery.recovered.push(record),
            Ok(None) => {}
            Err(problem) => {
                recovery.problems.push(problem);
                settled = false;
            }
        }
    }
    if settled && let Ok(path) = lock_path(dir, id) {
        // Removed while held: a copy that opened it meanwhile finds it replaced and moves on.
        let _ = std::fs::remove_file(path);
        sync_dir(dir);
    }
    let _ = lock.unlock();
}

/// Checks `<id>.ron` reads, then claims it by renaming it; `None` when there is none.
fn claim(dir: &Path, id: &str) -> Result<Option<PathBuf>, String> {
    let path = checkpoint_path(dir, id).map_err(|e| e.to_string())?;
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{} cannot be read ({e})", path.display())),
    };
    read_checkpoint(&path, &text, id)?;
    // Only the holder of the session's lock makes claims of it, so a name free now stays free.
    let claimed = std::iter::repeat_with(|| dir.join(format!("{id}.claimed-{}", unique_suffix())))
        .find(|name| !name.exists())
        .unwrap_or_else(|| dir.join(format!("{id}.claimed")));
    match std::fs::rename(&path, &claimed) {
        Ok(()) => {
            sync_dir(dir);
            Ok(Some(claimed))
        }
        // Another copy claimed it first.
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!(
            "{} cannot be claimed for recovery ({e}); it is kept",
            path.display()
        )),
    }
}

/// Appends a claimed checkpoint's record once and removes the claim. `Some` when this call
/// appended it; `None` when the log had it already (a crash came after the append).
fn settle(data: &DataDir, id: &str, claimed: &Path) -> Result<Option<SessionRecord>, String> {
    let text = match std::fs::read(claimed) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{} cannot be read ({e})", claimed.display())),
    };
    let record = read_checkpoint(claimed, &text, id)?.interrupted_record();
    let appended = append_record_once(&data.history_path(), &record).map_err(|e| {
        format!(
            "{}: the interrupted session could not be saved to the history ({e}); it is kept for the next start",
            claimed.display()
        )
    })?;
    remove_if_there(claimed).map_err(|e| {
        format!(
            "{}: recovered, but cannot be removed ({e})",
            claimed.display()
        )
    })?;
    Ok(appended.then_some(record))
}

fn read_checkpoint(path: &Path, bytes: &[u8], id: &str) -> Result<Checkpoint, String> {
    let unreadable = |reason: String| {
        format!(
            "{}: the checkpoint of an interrupted session cannot be read ({reason}); it is kept as it is",
            path.display()
        )
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        unreadable(format!(
            "it is not text: byte {} is not UTF-8",
            e.valid_up_to() + 1
        ))
    })?;
    let checkpoint = Checkpoint::parse(text).map_err(unreadable)?;
    if checkpoint.record.id != id {
        return Err(unreadable(format!(
            "it holds the session {}, not {id}",
            checkpoint.record.id
        )));
    }
    Ok(checkpoint)
}

/// Claims of session `id` left by a copy that stopped halfway, oldest name first.
fn claims_of(dir: &Path, id: &str) -> Vec<PathBuf> {
    let prefix = format!("{id}.claimed-");
    let mut claims: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect();
    claims.sort();
    claims
}

/// The session a file in the checkpoints folder belongs to, if it is one of ours.
fn session_of(file_name: &str) -> Option<&str> {
    let id = file_name
        .strip_suffix(".ron")
        .or_else(|| file_name.strip_suffix(".lock"))
        .or_else(|| file_name.split_once(".claimed-").map(|(id, _)| id))?;
    is_safe_id(id).then_some(id)
}

/// Takes session `id`'s lock for a session starting. Waits while a copy recovering a stale lock
/// file of that id holds it (a moment); ids are unique, so no running session holds it.
fn lock_session(dir: &Path, id: &str) -> io::Result<File> {
    let path = lock_path(dir, id)?;
    for _ in 0..20 {
        let file = open_private_append(&path)?;
        file.lock()?;
        if is_same_file(&path, &file) {
            return Ok(file);
        }
        let _ = file.unlock();
    }
    Err(io::Error::other(format!(
        "{} keeps being replaced; try again",
        path.display()
    )))
}

/// Takes session `id`'s lock without waiting: `None` when someone holds it. Makes sure the lock
/// taken is on the file now at its path (a finishing session removes it).
fn try_lock_session(dir: &Path, id: &str) -> io::Result<Option<File>> {
    let path = lock_path(dir, id)?;
    for _ in 0..20 {
        let file = open_private_append(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(e),
        }
        if is_same_file(&path, &file) {
            return Ok(Some(file));
        }
        let _ = file.unlock();
    }
    Ok(None)
}

fn checkpoint_path(dir: &Path, id: &str) -> io::Result<PathBuf> {
    Ok(dir.join(format!("{}.ron", checked(id)?)))
}

fn lock_path(dir: &Path, id: &str) -> io::Result<PathBuf> {
    Ok(dir.join(format!("{}.lock", checked(id)?)))
}

/// Ids name files here, so only ids that are plain file names are taken (new ids always are).
fn checked(id: &str) -> io::Result<&str> {
    if is_safe_id(id) {
        Ok(id)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the session id {id:?} cannot name a checkpoint file"),
        ))
    }
}

fn is_safe_id(id: &str) -> bool {
    (1..=100).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Unique among the copies running now: the process id and a count within the process.
fn unique_suffix() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    )
}

fn remove_if_there(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::history_log::{append_record, load_history};
    use crate::store::record::{StartTime, new_record_id, sample_record};
    use std::collections::BTreeSet;

    /// A session `n` minutes into the evening, in step 2, `breathed` seconds in.
    fn live_record(n: i64, breathed: f64) -> SessionRecord {
        let mut record = sample_record("Night 3-7", SessionEnd::EndedEarly { step: 2 });
        let start: jiff::Zoned = "2026-11-21T21:00:00+01:00[Europe/Berlin]"
            .parse()
            .expect("time");
        record.started = StartTime::of(
            &start
                .checked_add(jiff::SignedDuration::from_mins(n))
                .expect("time"),
        );
        record.id = new_record_id(&record.started);
        record.breathed_seconds = breathed;
        record
    }

    fn files_in(dir: &Path) -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn each_checkpoint_left_behind_becomes_one_interrupted_record_once() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(temp.path());
        let records: Vec<SessionRecord> = (0..3).map(|n| live_record(n, 60.0 + n as f64)).collect();
        // Written in a scrambled order: recovery goes by start time.
        for record in [&records[2], &records[0], &records[1]] {
            Checkpoint::write(&data, record).expect("writes");
        }
        let recovery = recover_interrupted(&data);
        assert_eq!(recovery.problems, Vec::<String>::new());
        let expected: Vec<SessionRecord> = records
            .iter()
            .map(|r| SessionRecord {
                end: SessionEnd::Interrupted { step: 2 },
                ..r.clone()
            })
            .collect();
        assert_eq!(recovery.recovered, expected);
        assert_eq!(
            load_history(&data.history_path()).expect("reads").records,
            expected
        );
        assert_eq!(files_in(&data.checkpoints_dir()), BTreeSet::new());

        assert_eq!(recover_interrupted(&data), Recovery::default());
        assert_eq!(
            load_history(&data.history_path())
                .expect("reads")
                .records
                .len(),
            3
        );
    }

    #[test]
    fn two_threads_recovering_at_once_recover_each_session_once() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(temp.path());
        let ids: BTreeSet<String> = (0..40)
            .map(|n| {
                let record = live_record(n, 30.0);
                Checkpoint::write(&data, &record).expect("writes");
                record.id
            })
            .collect();
        let start = std::sync::Barrier::new(2);
        let (first, second) = std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                start.wait();
                recover_interrupted(&data)
            });
            start.wait();
            let mine = recover_interrupted(&data);
            (mine, other.join().expect("the other thread finished"))
        });
        assert_eq!(first.problems, Vec::<String>::new());
        assert_eq!(second.problems, Vec::<String>::new());
        let recovered: Vec<String> = first
            .recovered
            .iter()
            .chain(&second.recovered)
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(recovered.len(), ids.len(), "none twice");
        assert_eq!(recovered.into_iter().collect::<BTreeSet<_>>(), ids);
        let logged: Vec<String> = load_history(&data.history_path())
            .expect("reads")
            .records
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(logged.len(), ids.len());
        assert_eq!(logged.into_iter().collect::<BTreeSet<_>>(), ids);
        assert_eq!(files_in(&data.checkpoints_dir()), BTreeSet::new());
    }

    #[test]
    fn a_claim_left_by_a_crash_is_recovered_once() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(temp.path());
        let dir = data.checkpoints_dir();
        // Cut off after the claim, before the append.
        let before_append = live_record(0, 42.0);
        Checkpoint::write(&data, &before_append).expect("writes");
        let claimed = dir.join(format!("{}.claimed-99999-0", before_append.id));
        std::fs::rename(
            checkpoint_path(&dir, &before_append.id).expect("path"),
            &claimed,
        )
        .expect("claims");
        // Cut off after the append, before the claim was removed.
        let after_append = live_record(1, 43.0);
        Checkpoint::write(&data, &after_append).expect("writes");
        std::fs::rename(
            checkpoint_path(&dir, &after_append.id).expect("path"),
            dir.join(format!("{}.claimed-99999-1", after_append.id)),
        )
        .expect("claims");
        let already_saved = SessionRecord {
            end: SessionEnd::Interrupted { step: 2 },
            ..after_append.clone()
        };
        append_record(&data.history_path(), &already_saved).expect("appends");

        let recovery = recover_interrupted(&data);
        assert_eq!(recovery.problems, Vec::<String>::new());
        assert_eq!(
            recovery.recovered.iter().map(|r| &r.id).collect::<Vec<_>>(),
            vec![&before_append.id]
        );
        let logged = load_history(&data.history_path()).expect("reads").records;
        assert_eq!(
            logged.iter().map(|r| &r.id).collect::<Vec<_>>(),
            vec![&after_append.id, &before_append.id]
        );
        assert_eq!(files_in(&dir), BTreeSet::new());
    }

    #[test]
    fn a_running_session_is_left_alone_until_it_finishes() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(temp.path());
        let mut record = live_record(0, 10.0);
        let live = LiveCheckpoint::start(&data, &record).expect("starts");
        record.breathed_seconds = 20.0;
        live.update(&record).expect("updates");

        assert_eq!(recover_interrupted(&data), Recovery::default());
        let written = std::fs::read_to_string(
            checkpoint_path(&data.checkpoints_dir(), &record.id).expect("path"),
        )
        .expect("the checkpoint is still there");
        assert_eq!(Checkpoint::parse(&written).expect("reads").record, record);

        let other = live_record(1, 10.0);
        let error = live.update(&other).expect_err("not this session's record");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);

        live.finish().expect("finishes");
        assert_eq!(files_in(&data.checkpoints_dir()), BTreeSet::new());
        assert_eq!(recover_interrupted(&data), Recovery::default());
        assert!(
            !data.history_path().exists(),
            "the session saves its own record"
        );
    }

    #[test]
    fn a_session_dropped_without_finishing_is_recovered() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(temp.path());
        let record = live_record(0, 75.5);
        drop(LiveCheckpoint::start(&data, &record).expect("starts"));
        let recovery = recover_interrupted(&data);
        assert_eq!(recovery.recovered.len(), 1);
        assert_eq!(recovery.recovered[0].breathed_seconds, 75.5);
        assert_eq!(
            recovery.recovered[0].end,
            SessionEnd::Interrupted { step: 2 }
        );
    }

    #[test]
    fn a_checkpoint_that_does_not_read_is_kept_and_named() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(temp.path());
        let dir = data.checkpoints_dir();
        let good = live_record(0, 30.0);
        Checkpoint::write(&data, &good).expect("writes");
        let broken_id = new_record_id(&live_record(1, 0.0).started);
        let broken = dir.join(format!("{broken_id}.ron"));
        let broken_bytes = b"(version: 1, record: (version: 1, id: \xff".to_vec();
        std::fs::write(&broken, &broken_bytes).expect("writes");
        let cut_id = new_record_id(&live_record(2, 0.0).started);
        let cut = dir.join(format!("{cut_id}.ron"));
        std::fs::write(&cut, "(version: 1, record: (version: 1,\n id: 7))").expect("writes");

        for _ in 0..2 {
            let recovery = recover_interrupted(&data);
            assert_eq!(recovery.problems.len(), 2, "{:?}", recovery.problems);
            assert!(recovery.problems[0].contains(&broken.display().to_string()));
            assert!(recovery.problems[0].contains("byte 39 is not UTF-8"));
            assert!(recovery.problems[1].contains(&cut.display().to_string()));
            assert!(
                recovery.problems[1].contains("line 2, column 5: Expected string"),
                "{:?}",
                recovery.problems
            );
            assert!(recovery.problems.iter().all(|p| p.contains("it is kept")));
            assert_eq!(std::fs::read(&broken).expect("kept"), broken_bytes);
        }
        assert_eq!(
            load_history(&data.history_path())
                .expect("reads")
                .records
                .len(),
            1
        );
    }

    #[test]
    fn only_plain_ids_name_checkpoint_files() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(temp.path());
        let mut record = live_record(0, 1.0);
        for id in ["../settings", "", "a/b", "x.ron"] {
            record.id = id.to_owned();
            let error = Checkpoint::write(&data, &record).expect_err(id);
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        }
        assert!(!temp.path().join("settings.ron").exists());
        // Old-style ids are plain enough.
        record.id = "20261121T210500-ab12".to_owned();
        Checkpoint::write(&data, &record).expect("writes");
    }
}
