//! The sound worker: owns the session's sound device (`session::sound::SoundKeeper`, which the
//! terminal uses too): a device cannot leave the thread that opened it.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use super::Wake;
use crate::app::effect::{Message, SoundEffect};
use crate::clock::Clocks;
use crate::session::sound::{SoundChange, SoundKeeper};

/// How often the worker looks at the device's health.
const SOUND_WATCH: Duration = Duration::from_millis(250);

/// Starts the worker; it ends with the program (it holds the device).
pub(super) fn spawn_worker(
    send: Sender<Message>,
    wake: Wake,
    sounds_dir: &std::path::Path,
) -> Sender<SoundEffect> {
    let (jobs, received) = channel::<SoundEffect>();
    let keeper = SoundKeeper::new(Clocks::system(), sounds_dir);
    // Not joined: it holds the device, and ends with the program.
    let _ = super::spawn("sound", move || {
        run(keeper, &received, &|message| {
            let _ = send.send(message);
            wake();
        })
    });
    jobs
}

fn run(mut keeper: SoundKeeper, jobs: &Receiver<SoundEffect>, tell: &dyn Fn(Message)) {
    loop {
        let job = match jobs.recv_timeout(SOUND_WATCH) {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) => {
                match keeper.watch() {
                    Some(SoundChange::Lost) => tell(Message::SoundLost),
                    Some(SoundChange::Back {
                        sample_rate,
                        problems,
                    }) => tell(Message::SoundReady {
                        sample_rate,
                        problems,
                    }),
                    None => {}
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        match job {
            SoundEffect::Open => match keeper.open() {
                Ok((sample_rate, problems)) => tell(Message::SoundReady {
                    sample_rate,
                    problems,
                }),
                Err(reason) => tell(Message::SoundUnavailable(reason)),
            },
            SoundEffect::PlayCues {
                session,
                control,
                plan,
            } => {
                if keeper.play(&plan, control) {
                    tell(Message::CuesJoined(session));
                }
            }
        }
    }
}
