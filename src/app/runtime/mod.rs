//! The runtime: carries out `update`'s effects away from the window's thread and feeds what
//! happened back as messages. Each kind of effect goes to its own place: files are written one
//! after another on a worker thread of their own (so a save never overtakes an earlier one,
//! `files.rs`); the sound device lives on a second worker (`sound.rs`); desktop services
//! (notifications, the tray, keep-awake, presence) run on threads of their own already. The
//! window carries out the viewport effects itself.

mod files;
mod heart;
mod sound;

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use super::effect::{DesktopEffect, Effect, FileEffect, Message, SoundEffect};
use crate::clock::Clocks;
use crate::desktop::keep_awake::KeepAwake;
use crate::desktop::notify::Notifier;
use crate::desktop::presence::Presence;
use crate::desktop::tray::Tray;
use crate::store::DataDir;
use files::Files;
pub use heart::Bluetooth;
use heart::HeartDesk;

/// Called from a worker when a message is waiting: wakes the window, which may be asleep.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// How effects are carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// On worker threads, with the desktop's services (the real window).
    Threads,
    /// File effects at once, on the calling thread, in order; no sound device, no desktop
    /// services. For tests that step the window frame by frame and must see each result at a
    /// known frame.
    Inline,
}

/// Where file effects are carried out.
enum FilesPlace {
    /// On the files worker, joined when the runtime goes so nothing asked for is lost.
    Worker {
        jobs: Option<Sender<FileEffect>>,
        worker: Option<std::thread::JoinHandle<()>>,
    },
    /// Here, at once (`Mode::Inline`).
    Inline(Box<Files>),
}

pub struct Runtime {
    data_dir: DataDir,
    mode: Mode,
    wake: Wake,
    messages: Receiver<Message>,
    send: Sender<Message>,
    files: FilesPlace,
    sound: Option<Sender<SoundEffect>>,
    notifier: Option<Notifier>,
    keep_awake: Option<KeepAwake>,
    tray: Option<Tray>,
    presence: Option<Presence>,
    heart: HeartDesk,
}

impl Runtime {
    pub fn start(
        data_dir: DataDir,
        clocks: Clocks,
        mode: Mode,
        bluetooth: Bluetooth,
        wake: Wake,
    ) -> Runtime {
        let (send, messages) = channel();
        let heart = HeartDesk::new(
            bluetooth,
            mode == Mode::Threads,
            clocks.clone(),
            Arc::clone(&wake),
        );
        let files = match mode {
            Mode::Threads => {
                let files = Arc::new(Mutex::new(Files::new(data_dir.clone(), clocks)));
                // If the process must end without the window's help (its display gone, a signal
                // it did not act on), the live session is recorded from here.
                let for_last_words = Arc::downgrade(&files);
                crate::desktop::last_words::set_last_words(move || {
                    if let Some(files) = for_last_words.upgrade() {
                        files::lock(&files).end_live_session();
                    }
                });
                let (jobs, worker) = files::spawn_worker(files, send.clone(), Arc::clone(&wake));
                FilesPlace::Worker {
                    jobs: Some(jobs),
                    worker,
                }
            }
            Mode::Inline => FilesPlace::Inline(Box::new(Files::new(data_dir.clone(), clocks))),
        };
        Runtime {
            data_dir,
            mode,
            wake,
            messages,
            send,
            files,
            sound: None,
            notifier: None,
            keep_awake: None,
            tray: None,
            presence: None,
            heart,
        }
    }

    /// A way for another thread (a desktop service) to report to the app: its message joins the
    /// workers' and the window is woken.
    pub fn reporter(&self) -> impl Fn(Message) + Send + 'static {
        let (send, wake) = (self.send.clone(), Arc::clone(&self.wake));
        move |message| {
            let _ = send.send(message);
            wake();
        }
    }

    /// The next message from the workers, if one is waiting.
    pub fn try_message(&self) -> Option<Message> {
        self.messages.try_recv().ok()
    }

    /// Carries out one effect; the viewport's are the window's (`None` is given back to it).
    pub fn dispatch(&mut self, effect: Effect) -> Option<super::ViewportEffect> {
        match effect {
            Effect::Viewport(viewport) => return Some(viewport),
            Effect::Sound(sound) => self.send_to_sound_worker(sound),
            Effect::Files(file) => self.with_files(file),
            Effect::Desktop(desktop) => self.with_desktop(desktop),
        }
        self.forward_notifications();
        None
    }

    fn with_files(&mut self, effect: FileEffect) {
        match &mut self.files {
            FilesPlace::Worker { jobs, .. } => {
                if let Some(jobs) = jobs {
                    let _ = jobs.send(effect);
                }
            }
            FilesPlace::Inline(files) => {
                for message in files.write(effect) {
                    let _ = self.send.send(message);
                }
            }
        }
    }

    fn notifier(&mut self) -> &Notifier {
        let wake = &self.wake;
        self.notifier
            .get_or_insert_with(|| Notifier::start(None, Arc::clone(wake)))
    }

    fn with_desktop(&mut self, effect: DesktopEffect) {
        let real = self.mode == Mode::Threads;
        match effect {
            DesktopEffect::Notify(reminder) => {
                if real {
                    self.notifier().show(&reminder.practice, &reminder.message);
                }
            }
            DesktopEffect::WithdrawNotification => {
                if let Some(notifier) = &self.notifier {
                    notifier.withdraw();
                }
            }
            DesktopEffect::Inform(text) => {
                if real {
                    self.notifier().inform("downshift", &text);
                }
            }
            DesktopEffect::Tray(look) => {
                if !real {
                    return;
                }
                match &self.tray {
                    Some(tray) => tray.show(look),
                    None => {
                        let report = self.reporter();
                        let report_status = self.reporter();
                        self.tray = Some(Tray::start(
                            look,
                            move |event| report(Message::Tray(event)),
                            move |status| report_status(Message::TrayStatus(status)),
                        ));
                    }
                }
            }
            DesktopEffect::WatchSurroundings(watch) => {
                if !watch {
                    self.presence = None;
                } else if !real {
                    // Nothing to read here (tests): nothing is known, at once.
                    let _ = self.send.send(Message::Surroundings(Default::default()));
                } else if self.presence.is_none() {
                    let report = self.reporter();
                    self.presence = Some(Presence::start(move |surroundings| {
                        report(Message::Surroundings(surroundings))
                    }));
                }
            }
            DesktopEffect::KeepAwake(on) => {
                self.keep_awake =
                    (on && real).then(|| KeepAwake::request("A breathing session is running"));
            }
            DesktopEffect::HeartSource(feed) => {
                let send = self.send.clone();
                self.heart.feed(feed, &move |message| {
                    let _ = send.send(message);
                });
            }
            DesktopEffect::LookForStraps(look) => self.heart.look(look),
        }
    }

    /// What the person did with a notification comes back as messages.
    fn forward_notifications(&self) {
        if let Some(notifier) = &self.notifier {
            while let Some(event) = notifier.try_event() {
                let _ = self.send.send(Message::Notification(event));
            }
        }
    }

    /// Looks for answers from the notification service, and the heart's news (called every
    /// frame, and whenever a worker or a service wakes the app).
    pub fn poll(&mut self) {
        self.forward_notifications();
        let send = self.send.clone();
        self.heart.poll(&move |message| {
            let _ = send.send(message);
        });
    }

    fn send_to_sound_worker(&mut self, effect: SoundEffect) {
        if self.mode != Mode::Threads {
            if matches!(effect, SoundEffect::Open) {
                let _ = self
                    .send
                    .send(Message::SoundUnavailable("no sound in this mode".into()));
            }
            return;
        }
        let jobs = self.sound.get_or_insert_with(|| {
            sound::spawn_worker(
                self.send.clone(),
                Arc::clone(&self.wake),
                &self.data_dir.sounds_dir(),
            )
        });
        let _ = jobs.send(effect);
    }
}

impl Drop for Runtime {
    /// Waits for the files worker to finish what it was given: the last session's record is on
    /// disk before the program ends.
    fn drop(&mut self) {
        if let FilesPlace::Worker { jobs, worker } = &mut self.files {
            *jobs = None;
            if let Some(worker) = worker.take()
                && worker.join().is_err()
            {
                log::error!("the files worker stopped with a panic");
            }
        }
    }
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Option<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(work)
        .map_err(|e| log::error!("the {name} worker could not start: {e}"))
        .ok()
}
