//! A source that must be asked (a recording replayed: `practice::heart::Replay`) kept on a
//! thread of its own for the window, like the strap: it is asked every tenth of a second on the
//! app's clock, what it says waits in a channel, and the window is woken. The window need not
//! be drawing for the beats to come in their time.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use super::{HeartEvent, HeartSource, Stamp, Wake};
use crate::practice::Micros;

/// How often the source is asked.
const EVERY: Duration = Duration::from_millis(100);

pub struct Paced {
    events: Receiver<HeartEvent>,
    stop: Sender<()>,
}

impl Paced {
    /// Asks `source` with `clock`'s time until stopped (or dropped), or until it ends.
    pub fn start(mut source: Box<dyn HeartSource>, clock: Stamp, wake: Wake) -> Paced {
        let (send, events) = channel();
        // Kept to say so on the channel if the thread cannot start.
        let say = send.clone();
        let (stop, stopped) = channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("heart-replay".into())
            .spawn(move || {
                loop {
                    let said = source.poll(clock());
                    let ended = said.contains(&HeartEvent::Ended);
                    if !said.is_empty() {
                        for event in said {
                            if send.send(event).is_err() {
                                return;
                            }
                        }
                        wake();
                    }
                    if ended {
                        return;
                    }
                    match stopped.recv_timeout(EVERY) {
                        Err(RecvTimeoutError::Timeout) => {}
                        _ => return,
                    }
                }
            });
        if let Err(e) = spawned {
            log::warn!("the recording of beats cannot be replayed: {e}");
            let _ = say.send(HeartEvent::Problem(format!(
                "The recording of beats cannot be replayed ({e})."
            )));
        }
        Paced { events, stop }
    }
}

impl HeartSource for Paced {
    fn poll(&mut self, _now: Micros) -> Vec<HeartEvent> {
        self.events.try_iter().collect()
    }
}

impl Drop for Paced {
    fn drop(&mut self) {
        let _ = self.stop.send(());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::heart::Replay;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

    #[test]
    fn beats_come_through_the_thread_when_due_and_the_window_is_woken() {
        let clock = Arc::new(AtomicU64::new(0));
        let wakes = Arc::new(AtomicUsize::new(0));
        let reading = Arc::clone(&clock);
        let woken = Arc::clone(&wakes);
        let mut paced = Paced::start(
            Box::new(Replay::new("two beats", vec![1000.0, 1000.0])),
            Arc::new(move || reading.load(Ordering::SeqCst)),
            Arc::new(move || {
                woken.fetch_add(1, Ordering::SeqCst);
            }),
        );
        let mut seen = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !seen.contains(&HeartEvent::Ended) && std::time::Instant::now() < deadline {
            seen.extend(paced.poll(0));
            // The clock moves on only once the replay has started.
            if !seen.is_empty() {
                clock.store(5_000_000, Ordering::SeqCst);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let beats = seen
            .iter()
            .filter(|e| matches!(e, HeartEvent::Beats { .. }))
            .count();
        assert_eq!(beats, 2, "{seen:?}");
        assert_eq!(seen.last(), Some(&HeartEvent::Ended));
        assert!(wakes.load(Ordering::SeqCst) >= 2);
    }
}
