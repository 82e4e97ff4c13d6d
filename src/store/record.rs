//! What one practised session leaves behind: the record kept in `history.log`, how the session
//! ended, when it began, and the record's id. Plain data; the line format is `record_codec`'s
//! and the file is `history_log`'s.

use serde::{Deserialize, Serialize};

/// The record format version this build writes.
pub const RECORD_VERSION: u32 = 1;

/// When a session began: the local date and time then, and the UTC offset in force. Kept as
/// RFC 3339 text ("2026-11-21T21:05:00+01:00"), which reads back without a time-zone lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartTime {
    pub local: jiff::civil::DateTime,
    pub offset: jiff::tz::Offset,
}

impl StartTime {
    pub fn of(zoned: &jiff::Zoned) -> Self {
        let local = zoned.datetime();
        StartTime {
            local: local.with().subsec_nanosecond(0).build().unwrap_or(local),
            offset: zoned.offset(),
        }
    }

    /// The calendar day it was where the person was.
    pub fn date(&self) -> jiff::civil::Date {
        self.local.date()
    }
}

impl std::fmt::Display for StartTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.offset.to_timestamp(self.local) {
            Ok(instant) => write!(f, "{}", instant.display_with_offset(self.offset)),
            Err(_) => write!(f, "{}", self.local),
        }
    }
}

impl std::str::FromStr for StartTime {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let pieces = jiff::fmt::temporal::Pieces::parse(text).map_err(|e| e.to_string())?;
        let time = pieces.time().ok_or("the start time has no time of day")?;
        let offset = pieces
            .to_numeric_offset()
            .ok_or("the start time has no UTC offset")?;
        Ok(StartTime {
            local: pieces.date().to_datetime(time),
            offset,
        })
    }
}

impl Serialize for StartTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StartTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionEnd {
    Completed,
    /// Ended before the practice was over, during step `step` (1-based, as people count).
    EndedEarly {
        step: u32,
    },
    /// Cut off by a crash, a kill or a power cut during step `step` (1-based); the record is the
    /// session's last checkpoint, recovered at the next start.
    Interrupted {
        step: u32,
    },
}

/// One practised session, as kept in `history.log`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    pub version: u32,
    pub id: String,
    /// When the session began, with the UTC offset then in force.
    pub started: StartTime,
    pub practice: String,
    /// What was practised, in words, as it was then (editing the preset later changes nothing).
    pub practised: String,
    pub planned_seconds: f64,
    pub breathed_seconds: f64,
    pub paused_seconds: f64,
    pub breaths: u32,
    pub end: SessionEnd,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tension_before: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tension_after: Option<u8>,
    /// What the heart did, for a session with a heart rate strap (or a recording replayed);
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heart: Option<HeartRecord>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub app_version: String,
}

impl SessionRecord {
    pub fn completed(&self) -> bool {
        self.end == SessionEnd::Completed
    }
}

/// What a session with a heart rate strap keeps of the heart: a few numbers, never the beats
/// (those go to a file of their own only when the person asks, see `rr_file`). A session
/// without a strap has none of it.
///
/// The record's optional `heart` field, written as
/// `heart: (mean_heart_rate: 63.2, mean_swing: 9.4, rmssd: 41.7, clean_beats: 602, dropped_beats: 3)`;
/// records without it read as before. The record's version stays 1: builds before it have no
/// version check on history lines (they name a line they cannot read and skip it, keeping it
/// in the file), so a new number would change nothing for them; later builds say "written by a
/// newer version" for a line whose version is above theirs (`record_codec`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeartRecord {
    /// Beats a minute over the session's clean beats.
    pub mean_heart_rate: f64,
    /// The heart's mean swing per breath (beats a minute); none when the strap sent no
    /// beat-to-beat intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_swing: Option<f64>,
    /// RMSSD in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rmssd: Option<f64>,
    pub clean_beats: u32,
    pub dropped_beats: u32,
}

impl HeartRecord {
    /// The summary in words, as the terminal and the window's summary say it: "Heart 66.1 a
    /// minute on average, swing 16.0 a breath, RMSSD 44.3 ms; 132 beats kept, 2 dropped (missed
    /// or extra beats)."
    pub fn in_words(&self) -> String {
        let mut words = format!("Heart {:.1} a minute on average", self.mean_heart_rate);
        if let Some(swing) = self.mean_swing {
            words.push_str(&format!(", swing {swing:.1} a breath"));
        }
        if let Some(rmssd) = self.rmssd {
            words.push_str(&format!(", RMSSD {rmssd:.1} ms"));
        }
        if self.clean_beats > 0 || self.dropped_beats > 0 {
            words.push_str(&format!("; {} beats kept", self.clean_beats));
            if self.dropped_beats > 0 {
                words.push_str(&format!(
                    ", {} dropped (missed or extra beats)",
                    self.dropped_beats
                ));
            }
        } else {
            words.push_str(" (the strap sent no beat intervals)");
        }
        words.push('.');
        words
    }

    /// The summary as kept: to a tenth, which is all a strap's numbers are worth.
    pub fn of(summary: &crate::practice::heart::HeartSummary) -> Self {
        let tenth = |value: f64| (value * 10.0).round() / 10.0;
        HeartRecord {
            mean_heart_rate: tenth(summary.mean_heart_rate),
            mean_swing: summary.mean_swing.map(tenth),
            rmssd: summary.rmssd.map(tenth),
            clean_beats: summary.clean_beats,
            dropped_beats: summary.dropped_beats,
        }
    }
}

/// A new record's id: a UUID version 7 whose time part is the session's start, so ids sort by
/// when sessions began (to the second; ids of one second are in no particular order), and whose
/// 74 random bits keep two ids from ever being the same. Reads no clock.
///
/// Ids written by earlier versions ("20261121T210500-ab12") stay as they are and still read:
/// an id is any string, compared whole.
pub fn new_record_id(started: &StartTime) -> String {
    // A start the calendar cannot place (it never comes from a real clock) still gets a unique
    // id, only without its time.
    let seconds = started
        .offset
        .to_timestamp(started.local)
        .map_or(0, |instant| u64::try_from(instant.as_second()).unwrap_or(0));
    let time = uuid::Timestamp::from_unix(uuid::NoContext, seconds, 0);
    uuid::Uuid::new_v7(time).hyphenated().to_string()
}

/// A record as a test would write it: every field filled, a note that needs escaping.
#[cfg(test)]
pub(crate) fn sample_record(practice: &str, end: SessionEnd) -> SessionRecord {
    let started: StartTime = "2026-11-21T21:05:00+01:00".parse().expect("valid time");
    SessionRecord {
        version: RECORD_VERSION,
        id: new_record_id(&started),
        started,
        practice: practice.to_owned(),
        practised: "4-6 for 5 min".to_owned(),
        planned_seconds: 300.0,
        breathed_seconds: 120.5,
        paused_seconds: 3.0,
        breaths: 12,
        end,
        tension_before: Some(7),
        tension_after: None,
        heart: None,
        note: "jaw \"tight\"\nthen less".to_owned(),
        app_version: "0.1.0".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn new_ids_sort_by_start_time_and_never_repeat() {
        let first: jiff::Zoned = "2026-03-29T00:30:00+01:00[Europe/Berlin]"
            .parse()
            .expect("time");
        // Three sessions a second, across a change of UTC offset (summer time begins at 02:00).
        let starts: Vec<StartTime> = (0..10_000)
            .map(|i| {
                let at = first
                    .checked_add(jiff::SignedDuration::from_secs(i / 3))
                    .expect("in range");
                StartTime::of(&at)
            })
            .collect();
        let ids: Vec<String> = starts.iter().map(new_record_id).collect();
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
        // Every id of one second sorts before every id of the next.
        let seconds: Vec<&[String]> = ids.chunks(3).collect();
        for pair in seconds.windows(2) {
            let (earlier, later) = (pair[0].iter().max(), pair[1].iter().min());
            assert!(earlier < later, "{earlier:?} sorts before {later:?}");
        }
        for (id, start) in ids.iter().zip(&starts) {
            let uuid = uuid::Uuid::parse_str(id).expect("a UUID");
            let (seconds, _) = uuid.get_timestamp().expect("a time").to_unix();
            let instant = start.offset.to_timestamp(start.local).expect("instant");
            assert_eq!(seconds as i64, instant.as_second(), "{id} is of {start}");
        }
    }

    #[test]
    fn the_same_start_gives_different_ids() {
        let start: StartTime = "2026-11-21T21:05:00+01:00".parse().expect("time");
        assert_ne!(new_record_id(&start), new_record_id(&start));
    }
}
