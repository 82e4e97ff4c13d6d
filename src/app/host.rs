//! The app running, with or without a window: its state, the runtime that carries effects out,
//! and the clock. The window drives it frame by frame while it is open; without one (in the
//! tray, `--background`) a plain loop drives it, woken by the runtime's workers, the desktop's
//! services and the next reminder. Either way a command, a message or the passing of time goes
//! through `update`, `receive` or `tick`, and what only a window can do comes back as viewport
//! effects for whoever holds one.

use super::effect::{Effect, FileEffect, Message, ViewportEffect};
use super::runtime::{Bluetooth, Mode, Runtime, Wake};
use super::state::{AppState, Loaded, Now, SoundStatus};
use super::{Command, background, begin_practice, receive, tick, update};
use crate::clock::Clocks;
use crate::desktop::ending::EndRequest;
use crate::practice::Practice;
use crate::store::DataDir;

/// How the app starts, beyond what was read from the data folder.
pub struct Startup {
    pub sound: SoundStatus,
    /// Worker threads and the desktop's services (a real run), or inline (tests).
    pub mode: Mode,
    /// Where "Start with my desktop session" writes its entry; `None`: nowhere (tests).
    pub autostart_entry: Option<std::path::PathBuf>,
    /// Whether that entry was there (looked at before the app started).
    pub autostart_on: bool,
    /// Started with no window (`--background`): only the tray and the reminders.
    pub background: bool,
    /// A practice to begin at once (`downshift play NAME`), and whether muted.
    pub begin: Option<(Practice, bool)>,
    /// Beats to replay into that practice as if a strap sent them (`--heart-rate-from`).
    pub heart_recording: Option<crate::practice::heart::Recording>,
    /// Where Bluetooth is reached (only when the strap is switched on).
    pub bluetooth: Bluetooth,
}

pub struct AppHost {
    /// What the screens show; the window draws from it and its forms are edited in place.
    pub state: AppState,
    runtime: Runtime,
    clocks: Clocks,
    /// Asked for by `update`, `receive` and `tick`; carried out by `carry_out`.
    effects: Vec<Effect>,
    /// Set by a signal (logout, shutdown, the terminal closed): leave as soon as possible.
    end_request: Option<EndRequest>,
}

impl AppHost {
    /// The app over what was read beforehand, at the clocks' time now; `wake` is called from the
    /// runtime's workers when a result is waiting.
    pub fn start(
        data_dir: DataDir,
        loaded: Loaded,
        clocks: Clocks,
        startup: Startup,
        wake: Wake,
    ) -> Self {
        let now = now_of(&clocks);
        let runtime = Runtime::start(
            data_dir.clone(),
            clocks.clone(),
            startup.mode,
            startup.bluetooth,
            wake,
        );
        let mut host = AppHost {
            state: AppState::new(data_dir, loaded, startup.sound, &now),
            runtime,
            clocks,
            effects: vec![
                FileEffect::RecoverInterrupted.into(),
                FileEffect::LoadHistory.into(),
                FileEffect::LoadCheckIns.into(),
            ],
            end_request: None,
        };
        let desktop = &mut host.state.desktop;
        desktop.autostart = startup.autostart_on;
        desktop.autostart_entry = startup.autostart_entry;
        desktop.window_away = startup.background;
        host.state.heart_recording = startup.heart_recording;
        if let Some((practice, muted)) = startup.begin {
            if muted {
                host.state.settings.muted = true;
            }
            begin_practice(&mut host.state, practice, &now, &mut host.effects);
        }
        // Nothing of the viewport is asked for before a window exists.
        let _ = host.carry_out(&now);
        host
    }

    /// The time now, as `update` is handed it.
    pub fn now(&self) -> Now {
        now_of(&self.clocks)
    }

    /// A way for another thread (a desktop service) to report to the app.
    pub fn reporter(&self) -> impl Fn(Message) + Send + 'static {
        self.runtime.reporter()
    }

    /// From now on a signal makes the app leave (`desktop::ending`).
    pub fn watch_signals(&mut self, end_request: EndRequest) {
        self.end_request = Some(end_request);
    }

    /// Applies a command; its effects wait for `carry_out`.
    pub fn update(&mut self, command: Command, now: &Now) {
        update(&mut self.state, command, now, &mut self.effects);
    }

    /// Applies a command and carries its effects out.
    pub fn apply(&mut self, command: Command, now: &Now) -> Vec<ViewportEffect> {
        self.update(command, now);
        self.carry_out(now)
    }

    /// Hands the app a message as the runtime would report it, and carries out what follows.
    pub fn receive(&mut self, message: Message, now: &Now) -> Vec<ViewportEffect> {
        receive(&mut self.state, message, now, &mut self.effects);
        self.carry_out(now)
    }

    /// The passing of time, with or without a window: what the workers and the desktop's
    /// services reported, a signal's ending, the tray and the desktop followed, a practice
    /// reaching its end, reminders falling due.
    pub fn keep_time(&mut self, now: &Now) -> Vec<ViewportEffect> {
        self.runtime.poll();
        if self.end_request.as_ref().is_some_and(EndRequest::is_set) {
            update(&mut self.state, Command::Leave, now, &mut self.effects);
        }
        // The desktop first: watching begins before the first reminder can fall due.
        background::follow_desktop(&mut self.state, now, &mut self.effects);
        tick(&mut self.state, now, &mut self.effects);
        self.carry_out(now)
    }

    /// Carries out the effects waiting, and applies what comes back at once (inline, results
    /// are there already; from the workers, whatever has arrived). Returns the viewport's, for
    /// the window.
    pub fn carry_out(&mut self, now: &Now) -> Vec<ViewportEffect> {
        let mut viewport = Vec::new();
        loop {
            for effect in std::mem::take(&mut self.effects) {
                viewport.extend(self.runtime.dispatch(effect));
            }
            let mut received = false;
            while let Some(message) = self.runtime.try_message() {
                receive(&mut self.state, message, now, &mut self.effects);
                received = true;
            }
            if !received && self.effects.is_empty() {
                return viewport;
            }
        }
    }

    /// How long the app may sleep before time has something for it (a reminder's check): at
    /// least a second, and at most a minute, since timers do not count time the computer slept.
    pub fn sleep_at_most(&self, now: &Now) -> std::time::Duration {
        super::next_reminder_check(&self.state, now)
            .unwrap_or(std::time::Duration::from_secs(60))
            .clamp(
                std::time::Duration::from_secs(1),
                std::time::Duration::from_secs(60),
            )
    }
}

fn now_of(clocks: &Clocks) -> Now {
    Now {
        mono: clocks.now(),
        wall: clocks.wall(),
    }
}
