//! What a live session leaves on disk, whoever drives it: its checkpoint while it runs (so a
//! crash, a kill or a power cut loses little), its record appended to the history when it ends
//! (and only then the checkpoint removed), and, when the process must end without the window's
//! or the terminal's help, the record written from here as its last words; and, when the person
//! asked for them, the heart's raw beat-to-beat intervals as they come (`RawIntervals`). The
//! window keeps these on its files worker; the terminal on its one thread.

use std::path::PathBuf;

use super::LiveSession;
use crate::clock::Clocks;
use crate::store::checkpoint::LiveCheckpoint;
use crate::store::rr_file::RawIntervalWriter;
use crate::store::{DataDir, SessionRecord};

/// The raw intervals of a live session with a strap, in `heart/<record id>.rr`: written as they
/// come, flushed to disk now and then and at the end. A file that cannot be written is said
/// once, and the session goes on without it.
pub struct RawIntervals {
    dir: PathBuf,
    /// The session being written, and its file.
    open: Option<(String, RawIntervalWriter)>,
    /// A session whose file could not be written: it is not tried again.
    failed: Option<String>,
}

impl RawIntervals {
    pub fn new(data_dir: &DataDir) -> Self {
        RawIntervals {
            dir: data_dir.heart_dir(),
            open: None,
            failed: None,
        }
    }

    /// Adds intervals (ms) of session `record_id`, making its file with the first (`about`
    /// says what it is, in its first lines); `sync`: flushed to disk too. `Err` only the first
    /// time the file fails, with the words to say.
    pub fn append(
        &mut self,
        record_id: &str,
        about: &str,
        rr_ms: &[f64],
        sync: bool,
    ) -> Result<(), String> {
        let open = self.open.as_ref().is_some_and(|(id, _)| id == record_id);
        if self.failed.as_deref() == Some(record_id) || (rr_ms.is_empty() && !open) {
            return Ok(());
        }
        let written = (|| {
            if self.open.as_ref().is_none_or(|(id, _)| id != record_id) {
                let writer = RawIntervalWriter::create(&self.dir, record_id, about)?;
                self.open = Some((record_id.to_owned(), writer));
            }
            let Some((_, writer)) = &mut self.open else {
                return Ok(());
            };
            writer.append(rr_ms)?;
            if sync {
                writer.sync()?;
            }
            std::io::Result::Ok(())
        })();
        written.map_err(|e| {
            self.failed = Some(record_id.to_owned());
            self.open = None;
            format!(
                "The beat intervals could not be kept in {}: {e}",
                self.dir.join(format!("{record_id}.rr")).display()
            )
        })
    }

    /// The process is ending without the session's help: what is written goes to disk.
    pub fn flush(&mut self) {
        if let Some((_, writer)) = &mut self.open
            && let Err(e) = writer.sync()
        {
            log::warn!("the beat intervals could not be kept: {e}");
        }
    }

    /// The session is over: its file is flushed to disk and closed. Returns where it is, if
    /// there is one.
    pub fn finish(&mut self, record_id: &str) -> Result<Option<PathBuf>, String> {
        match self.open.take_if(|(id, _)| id == record_id) {
            Some((_, mut writer)) => {
                let path = writer.path().to_owned();
                writer.sync().map(|()| Some(path.clone())).map_err(|e| {
                    format!(
                        "The beat intervals could not be kept in {}: {e}",
                        path.display()
                    )
                })
            }
            None => Ok(None),
        }
    }
}

pub struct RecordKeeper {
    data_dir: DataDir,
    clocks: Clocks,
    live: Option<LiveCheckpoint>,
    /// The live session's record as of its last checkpoint.
    latest: Option<SessionRecord>,
    /// The live session's timing while it runs (without its sound).
    running: Option<Box<LiveSession>>,
    /// The session recorded as last words: what the window still had queued for it is not
    /// written again.
    ended: Option<String>,
}

impl RecordKeeper {
    pub fn new(data_dir: DataDir, clocks: Clocks) -> Self {
        RecordKeeper {
            data_dir,
            clocks,
            live: None,
            latest: None,
            running: None,
            ended: None,
        }
    }

    /// Whether this record was written already as last words.
    fn was_ended(&self, record: &SessionRecord) -> bool {
        self.ended.as_deref() == Some(record.id.as_str())
    }

    /// Keeps the live session's checkpoint: `record` as it would be written if the session
    /// ended now, and, while it runs, its timing, from which `checkpoint_running` and
    /// `end_live_session` take it when nobody else can.
    pub fn checkpoint(&mut self, record: &SessionRecord, running: Option<Box<LiveSession>>) {
        if self.was_ended(record) {
            log::info!("{} was recorded already as the process ended", record.id);
            return;
        }
        self.running = running;
        self.keep(record);
    }

    fn keep(&mut self, record: &SessionRecord) {
        self.latest = Some(record.clone());
        let written = match &self.live {
            Some(live) if live.id() == record.id => live.update(record),
            _ => LiveCheckpoint::start(&self.data_dir, record).map(|live| {
                self.live = Some(live);
            }),
        };
        if let Err(e) = written {
            log::warn!("the session's checkpoint could not be written: {e}");
        }
    }

    /// A checkpoint of the running session taken here, from its timing (the window has stopped
    /// sending them: it may not be drawing).
    pub fn checkpoint_running(&mut self) {
        let now = self.clocks.now();
        if let Some(record) = self.running.as_mut().map(|running| running.record_now(now)) {
            self.keep(&record);
        }
    }

    /// Appends an ended session's record to the history (flushed); then its checkpoint goes.
    /// When it could not be appended the checkpoint stays, for the next start to recover.
    /// `Ok(false)`: it was written already, as last words.
    pub fn append(&mut self, record: &SessionRecord) -> std::io::Result<bool> {
        if self.was_ended(record) {
            log::info!("{} was recorded already as the process ended", record.id);
            return Ok(false);
        }
        crate::store::append_record(&self.data_dir.history_path(), record)?;
        self.finish_checkpoint(&record.id);
        Ok(true)
    }

    fn finish_checkpoint(&mut self, id: &str) {
        if self.latest.as_ref().is_some_and(|record| record.id == id) {
            self.latest = None;
            self.running = None;
        }
        if let Some(live) = self.live.take_if(|live| live.id() == id)
            && let Err(e) = live.finish()
        {
            log::warn!("the session's checkpoint could not be removed: {e}");
        }
    }

    /// The process is about to end with no time for the window or the terminal to leave: the
    /// live session goes into the history as ended early with what was breathed until now (or,
    /// once over, as it was last kept), unless its record is there already.
    pub fn end_live_session(&mut self) {
        let now = self.clocks.now();
        let record = match self.running.take() {
            Some(mut running) => Some(running.record_now(now)),
            None => self.latest.take(),
        };
        let (Some(live), Some(record)) = (self.live.take(), record) else {
            return;
        };
        self.ended = Some(record.id.clone());
        match crate::store::history::append_record_once(&self.data_dir.history_path(), &record) {
            Ok(_) => {
                if let Err(e) = live.finish() {
                    log::warn!("the session's checkpoint could not be removed: {e}");
                }
            }
            // The checkpoint stays, for the next start to recover.
            Err(e) => log::warn!("the session could not be recorded: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::history::SessionEnd;
    use crate::store::record::sample_record;

    #[test]
    fn raw_intervals_are_written_as_they_come_and_a_failure_is_said_once() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let data_dir = DataDir::new(folder.path());
        let mut raw = RawIntervals::new(&data_dir);
        raw.append("one", "a test", &[], true).expect("nothing");
        assert!(
            !data_dir.heart_dir().exists(),
            "no file until an interval comes"
        );
        raw.append("one", "a test", &[1000.0, 980.5], false)
            .expect("written");
        raw.append("one", "a test", &[990.0], true)
            .expect("written");
        let path = raw.finish("one").expect("closed").expect("a file");
        assert_eq!(path, data_dir.heart_dir().join("one.rr"));
        assert_eq!(
            crate::store::rr_file::read_rr_file(&path),
            Ok(vec![1000.0, 980.5, 990.0])
        );
        assert_eq!(raw.finish("one"), Ok(None), "closed once");
        // A file of that name is there already: never written over, said once.
        let before = std::fs::read(&path).expect("read");
        let said = raw
            .append("one", "again", &[1.0], false)
            .expect_err("refused");
        assert!(said.contains("one.rr"), "{said}");
        assert_eq!(raw.append("one", "again", &[1.0], false), Ok(()));
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }

    #[test]
    fn what_the_window_still_had_queued_is_not_written_again_after_last_words() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let data_dir = DataDir::new(folder.path());
        let mut keeper = RecordKeeper::new(data_dir.clone(), Clocks::system());
        let record = sample_record("Micro-rest reset", SessionEnd::EndedEarly { step: 1 });
        keeper.checkpoint(&record, None);
        // The process ends without the window (its display gone): recorded from here.
        keeper.end_live_session();
        // Then the worker reaches what the window had queued before it went.
        keeper.checkpoint(&record, None);
        assert_eq!(keeper.append(&record).ok(), Some(false), "not again");
        let history = crate::store::load_history(&data_dir.history_path()).expect("reads");
        assert_eq!(history.records.len(), 1, "recorded once");
        let checkpoints = std::fs::read_dir(data_dir.checkpoints_dir())
            .map(|entries| entries.count())
            .unwrap_or(0);
        assert_eq!(
            checkpoints, 0,
            "no checkpoint left to recover a second time"
        );
    }
}
