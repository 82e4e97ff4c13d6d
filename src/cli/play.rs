//! `downshift play --no-window`: an audio-only session in the terminal, one line per step and
//! phase change.
//!
//! However the session ends it leaves a history record: run to the end, or ended early by
//! SIGINT (Ctrl-C), SIGTERM (shutdown) or SIGHUP (the terminal closed). A session ended by a
//! signal exits with 0 like one that ran to the end: the signal was handled and the session
//! saved. Once the terminal is gone every write to it fails, so nothing here panics on a
//! failed write (`println!` would, and the release build aborts on a panic).

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use signal_hook::consts::{SIGINT, SIGTERM};

use super::{Failure, Outcome};
use crate::app::ops;
use crate::audio::{AudioOutput, SessionControl, SoundBank};
use crate::clock::Clocks;
use crate::practice::{Micros, Moment, Phase, Practice, Step, StepKind};
use crate::session::{CuePlan, LiveSession, SoundChoice};
use crate::store::checkpoint::LiveCheckpoint;
use crate::store::history::StartTime;
use crate::store::progress::ProgressBook;
use crate::store::{DataDir, Settings, append_record};

fn clock_text(micros: Micros) -> String {
    let seconds = micros / 1_000_000;
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

fn step_line(practice: &Practice, moment: &Moment) -> String {
    let count = practice.steps.len();
    let what = match practice.steps.get(moment.step_index) {
        Some(Step::Prompt(prompt)) => prompt.text.clone(),
        Some(Step::Breathe(block)) => {
            let mut text = format!("breathe {}", block.pattern.short_name());
            if let Some(target) = &block.ramp_to {
                text.push_str(&format!(" easing to {}", target.short_name()));
            }
            text
        }
        None => String::new(),
    };
    format!(
        "{}  step {} of {count}: {what}",
        clock_text(moment.elapsed),
        moment.step_index + 1
    )
}

fn phase_line(moment: &Moment) -> String {
    format!(
        "{}  {:<12} {:.1} s",
        clock_text(moment.elapsed),
        moment.phase.label(),
        moment.phase_remaining as f64 / 1e6
    )
}

/// After the sound device was lost, how often to look for one (microseconds).
const REOPEN_EVERY: Micros = 2_000_000;

/// The signals that end a terminal session early (and get it recorded).
#[cfg(unix)]
const ENDING_SIGNALS: &[i32] = &[SIGINT, SIGTERM, signal_hook::consts::SIGHUP];
#[cfg(not(unix))]
const ENDING_SIGNALS: &[i32] = &[SIGINT, SIGTERM];

/// Writes a line to the terminal, if there still is one.
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {{
        let mut out = $out;
        let _ = writeln!(out, $($arg)*);
        let _ = out.flush();
    }};
}

/// Before the first session, the safety note the window shows; it is marked as read in the
/// settings (unless they did not read: nothing is saved over them then).
fn show_safety_note(data_dir: &DataDir, settings: &Settings, settings_read: bool) {
    use crate::app::screen::{SAFETY_NOTE, SAFETY_TITLE};
    say!(std::io::stdout(), "{SAFETY_TITLE}\n");
    for paragraph in SAFETY_NOTE {
        say!(std::io::stdout(), "{paragraph}\n");
    }
    if settings_read {
        let read = Settings {
            safety_note_seen: true,
            ..settings.clone()
        };
        if let Err(e) = read.save(&data_dir.settings_path()) {
            log::warn!("the safety note could not be marked as read: {e}");
        }
    }
}

/// An audio-only session: cues on the device, a line per change on the terminal.
pub(super) fn play_in_terminal(
    data_dir: &DataDir,
    practice: Practice,
    mute: bool,
    gentle: bool,
) -> Outcome {
    let (settings, settings_problem) = Settings::load(&data_dir.settings_path());
    if let Some(problem) = &settings_problem {
        say!(std::io::stderr(), "downshift: {problem}");
    }
    if !settings.safety_note_seen {
        show_safety_note(data_dir, &settings, settings_problem.is_none());
    }
    let output = if mute {
        None
    } else {
        match AudioOutput::open() {
            Ok(output) => {
                output.wait_until_flowing(&Clocks::system());
                Some(output)
            }
            Err(reason) => {
                say!(
                    std::io::stderr(),
                    "downshift: no sound device ({reason}); the session runs silently"
                );
                None
            }
        }
    };
    let bank = output.as_ref().map(|o| {
        let (bank, notices) = SoundBank::load(o.sample_rate(), Some(&data_dir.sounds_dir()));
        for notice in notices {
            say!(std::io::stderr(), "downshift: {notice}");
        }
        bank
    });
    let interrupted = Arc::new(AtomicBool::new(false));
    for &signal in ENDING_SIGNALS {
        if let Err(e) = signal_hook::flag::register(signal, Arc::clone(&interrupted)) {
            log::warn!("signal {signal} cannot be caught: {e}");
        }
    }
    let clocks = Clocks::system();
    let now = || clocks.now();
    let (mut progress, progress_problem) = ProgressBook::load(&data_dir.progress_path());
    if let Some(problem) = progress_problem {
        eprintln!("downshift: {problem}");
    }
    let practice = ops::at_current_level(&progress, practice);
    let started = StartTime::of(&clocks.wall());
    let mut session = LiveSession::start(1, practice, now(), started)
        .map_err(|problems| Failure::usage(problems[0].to_string()))?;
    let sound = SoundChoice::from_settings(&settings);
    // The session's cues on a stream, joined at the session's place.
    let attach = |session: &mut LiveSession, output: &AudioOutput, bank: &SoundBank| {
        let plan = CuePlan::new(session, &sound);
        let control = Arc::new(SessionControl::waiting(sound.master_volume, sound.muted));
        session.attach_cues(Arc::clone(&control), bank.sample_rate());
        output.play_with(plan.track(bank), control);
        session.join_cues(now());
    };
    let mut bank = bank;
    if let (Some(output), Some(bank)) = (&output, &bank) {
        attach(&mut session, output, bank);
    }
    let total = session.timeline().total();
    say!(
        std::io::stdout(),
        "{}: {} ({}). Ctrl-C ends it.",
        session.practice().name,
        clock_text(total),
        session.practice().summary()
    );
    let mut output = output;
    // After the device was lost: when to look for one again.
    let mut reopen_at: Option<Micros> = None;
    let mut last: Option<(usize, Phase, u32)> = None;
    let stdout = std::io::stdout();
    // Kept every few seconds and at each step, so a kill or a power cut loses little.
    let mut checkpoint: Option<LiveCheckpoint> = None;
    loop {
        if interrupted.load(Ordering::SeqCst) {
            break;
        }
        if let Some(device) = output.as_mut()
            && device.is_lost(now())
        {
            say!(
                std::io::stderr(),
                "downshift: the sound device stopped; the session goes on silently until it is back"
            );
            session.lose_sound(now());
            output = None;
            reopen_at = Some(now() + REOPEN_EVERY);
        }
        if output.is_none()
            && reopen_at.is_some_and(|at| now() >= at)
            && let Ok(device) = AudioOutput::open()
        {
            device.wait_until_flowing(&clocks);
            let reloaded = bank
                .take()
                .filter(|b| b.sample_rate() == device.sample_rate())
                .unwrap_or_else(|| {
                    SoundBank::load(device.sample_rate(), Some(&data_dir.sounds_dir())).0
                });
            attach(&mut session, &device, &reloaded);
            bank = Some(reloaded);
            output = Some(device);
            reopen_at = None;
            say!(std::io::stderr(), "downshift: the sound is back");
        } else if output.is_none() && reopen_at.is_some_and(|at| now() >= at) {
            reopen_at = Some(now() + REOPEN_EVERY);
        }
        let moment = session.moment(now());
        if moment.finished {
            break;
        }
        if let Some(record) = session.checkpoint_due(now()) {
            keep_checkpoint(data_dir, &mut checkpoint, &record);
        }
        let key = (moment.step_index, moment.phase, moment.breaths_completed);
        if last != Some(key) {
            let mut out = stdout.lock();
            if last.is_none_or(|(step, ..)| step != moment.step_index) {
                let _ = writeln!(out, "{}", step_line(session.practice(), &moment));
            }
            if moment.step_kind == StepKind::Breathe {
                let _ = writeln!(out, "{}", phase_line(&moment));
            }
            let _ = out.flush();
            last = Some(key);
        }
        // Wake for the next change; the sound keeps its own time meanwhile.
        let wait = Duration::from_micros(moment.phase_remaining.clamp(1_000, 50_000));
        std::thread::sleep(wait);
    }
    let outcome = session.end(now());
    let deadline = clocks.deadline(Duration::from_secs(6));
    while !session.sound_done() && !deadline.passed() {
        std::thread::sleep(Duration::from_millis(20));
    }
    if let Some(device) = &output {
        log::info!(
            "sound: {} underruns; the audio thread ran {}",
            device.underruns(),
            crate::audio::priority::granted()
        );
    }
    drop(output);
    say!(
        std::io::stdout(),
        "{} {} minutes, {} breaths.",
        if outcome.completed {
            "Completed:"
        } else {
            "Ended early:"
        },
        format_minutes(outcome.practised),
        outcome.breaths
    );
    let Some(record) = session.record() else {
        return Ok(());
    };
    let saved = append_record(&data_dir.history_path(), &record).map_err(|e| {
        Failure::runtime(format!(
            "the session could not be saved to {}: {e}",
            data_dir.history_path().display()
        ))
    });
    // Saved: the checkpoint goes. Not saved: it stays, for the next start to recover.
    if saved.is_ok()
        && let Some(Err(e)) = checkpoint.map(LiveCheckpoint::finish)
    {
        log::warn!("the session's checkpoint could not be removed: {e}");
    }
    // Progress moves on as it does after a session in the window; a step is only offered
    // there, where it can be answered.
    let (changed, offer) = ops::progress_after(
        &mut progress,
        session.practice(),
        &record,
        settings.gentle_mode || gentle,
    );
    if changed {
        match progress.save(&data_dir.progress_path()) {
            Ok(None) => {}
            Ok(Some(kept)) => say!(std::io::stderr(), "downshift: {kept}"),
            Err(e) => say!(
                std::io::stderr(),
                "downshift: your progress could not be saved: {e}"
            ),
        }
    }
    if let Some(offer) = offer {
        let _ = writeln!(
            std::io::stdout(),
            "{} Open downshift to change the exhale from {:.1} s to {:.1} s.",
            offer.reason,
            offer.from,
            offer.to
        );
    }
    saved
}

/// Writes the session's checkpoint, starting it the first time.
fn keep_checkpoint(
    data_dir: &DataDir,
    checkpoint: &mut Option<LiveCheckpoint>,
    record: &crate::store::SessionRecord,
) {
    let written = match checkpoint {
        Some(live) => live.update(record),
        None => LiveCheckpoint::start(data_dir, record).map(|live| *checkpoint = Some(live)),
    };
    if let Err(e) = written {
        log::warn!("the session's checkpoint could not be written: {e}");
    }
}

fn format_minutes(micros: Micros) -> String {
    format!("{:.1}", micros as f64 / 60e6)
}
