//! A recording replayed as if a strap sent it: each interval becomes a measurement when its
//! beat is due on the caller's clock (for `play --heart-rate-from FILE`, for trying the live
//! view without a strap, and for the tests). Nothing waits: the caller polls with its time.

use super::measurement::Contact;
use super::source::{HeartEvent, HeartSource};
use crate::practice::Micros;

/// A recording of beat-to-beat intervals to replay (`play --heart-rate-from FILE`): its name
/// (the file's) and its intervals in milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    pub name: String,
    pub rr_ms: Vec<f64>,
}

pub struct Replay {
    name: String,
    rr_ms: Vec<f64>,
    /// The caller's time of the recording's start: the first poll's.
    origin: Option<Micros>,
    /// The next interval to send, and the time from the origin its beat is due.
    next: usize,
    due: f64,
    ended: bool,
}

impl Replay {
    /// A replay of a recording, from the first time it is polled.
    pub fn of(recording: Recording) -> Self {
        Replay::new(recording.name, recording.rr_ms)
    }

    /// A replay of `rr_ms` (milliseconds, as read from an RR file), named for the live view.
    pub fn new(name: impl Into<String>, rr_ms: Vec<f64>) -> Self {
        let due = rr_ms.first().map_or(0.0, |&rr| interval_micros(rr));
        Replay {
            name: name.into(),
            rr_ms,
            origin: None,
            next: 0,
            due,
            ended: false,
        }
    }
}

/// An interval's length in microseconds (a nonsense one takes no time, as a strap's would not
/// delay the next beat's report).
fn interval_micros(rr_ms: f64) -> f64 {
    if rr_ms.is_finite() && rr_ms > 0.0 {
        rr_ms * 1000.0
    } else {
        0.0
    }
}

impl HeartSource for Replay {
    fn poll(&mut self, now: Micros) -> Vec<HeartEvent> {
        let mut events = Vec::new();
        let origin = *self.origin.get_or_insert_with(|| {
            events.push(HeartEvent::Connected {
                name: self.name.clone(),
            });
            now
        });
        while self.next < self.rr_ms.len() {
            let at = origin + self.due.round() as Micros;
            if at > now {
                break;
            }
            let rr = self.rr_ms[self.next];
            events.push(HeartEvent::Beats {
                at,
                heart_rate: if rr > 0.0 {
                    (60_000.0 / rr).round().clamp(0.0, f64::from(u16::MAX)) as u16
                } else {
                    0
                },
                contact: Contact::Unknown,
                rr_ms: vec![rr],
            });
            self.next += 1;
            if let Some(&following) = self.rr_ms.get(self.next) {
                self.due += interval_micros(following);
            }
        }
        if self.next == self.rr_ms.len() && !self.ended {
            self.ended = true;
            events.push(HeartEvent::Ended);
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beats(events: &[HeartEvent]) -> Vec<(Micros, u16, Vec<f64>)> {
        events
            .iter()
            .filter_map(|e| match e {
                HeartEvent::Beats {
                    at,
                    heart_rate,
                    rr_ms,
                    ..
                } => Some((*at, *heart_rate, rr_ms.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn each_beat_comes_when_it_is_due_on_the_callers_clock() {
        let mut replay = Replay::new("h10.txt", vec![1000.0, 800.0, 1200.0]);
        let start = 5_000_000;
        let first = replay.poll(start);
        assert_eq!(
            first,
            [HeartEvent::Connected {
                name: "h10.txt".into()
            }]
        );
        assert!(replay.poll(start + 999_999).is_empty());
        assert_eq!(
            beats(&replay.poll(start + 1_000_000)),
            [(start + 1_000_000, 60, vec![1000.0])]
        );
        // A late poll gets every beat that fell due, each at its own time.
        let late = replay.poll(start + 10_000_000);
        assert_eq!(
            beats(&late),
            [
                (start + 1_800_000, 75, vec![800.0]),
                (start + 3_000_000, 50, vec![1200.0])
            ]
        );
        assert_eq!(late.last(), Some(&HeartEvent::Ended));
        assert!(replay.poll(start + 20_000_000).is_empty(), "ended once");
    }

    #[test]
    fn an_empty_recording_connects_and_ends() {
        let mut replay = Replay::new("empty", Vec::new());
        assert_eq!(
            replay.poll(0),
            [
                HeartEvent::Connected {
                    name: "empty".into()
                },
                HeartEvent::Ended
            ]
        );
    }
}
