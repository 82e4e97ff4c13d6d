//! `downshift play --no-window`: an audio-only session in the terminal, one line per step and
//! phase change: a thin loop over the session host (`session::host`), which the window's
//! runtime shares in parts.
//!
//! However the session ends it leaves a history record: run to the end, or ended early by
//! SIGINT (Ctrl-C), SIGTERM (shutdown) or SIGHUP (the terminal closed). A session ended by a
//! signal exits with 0 like one that ran to the end: the signal was handled and the session
//! saved. Once the terminal is gone every write to it fails, so nothing here panics on a
//! failed write (`println!` would, and the release build aborts on a panic).

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use super::{CommandResult, Failure};
use crate::app::progression;
use crate::clock::Clocks;
use crate::desktop::ending;
use crate::desktop::heart_strap::{HeartStrap, RATE_ONLY, StrapOptions};
use crate::practice::heart::{HeartEvent, HeartSource, Recording, Replay};
use crate::practice::{MICROS_PER_SECOND, Micros, Moment, Phase, Practice, Step, StepKind};
use crate::session::SoundChoice;
use crate::session::heart::HeartShown;
use crate::session::host::{HostEvent, SessionHost, Started};
use crate::store::progress::ProgressBook;
use crate::store::{DataDir, Settings};

/// What was asked on the command line beyond the practice.
pub(super) struct Choices {
    pub mute: bool,
    pub gentle: bool,
    /// Beats to replay as if a strap sent them (`--heart-rate-from`).
    pub heart_recording: Option<Recording>,
}

/// The heart's line comes at a breath's end, and at most this often: now and then, not at
/// every breath.
const HEART_LINE_EVERY: Micros = 30 * MICROS_PER_SECOND;

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

/// An audio-only session: cues on the device, a line per change on the terminal. The session's
/// life is the session host's; this prints it.
pub(super) fn play_in_terminal(
    data_dir: &DataDir,
    practice: Practice,
    (settings, settings_problem): (Settings, Option<String>),
    choices: Choices,
) -> CommandResult {
    let Choices {
        mute,
        gentle,
        heart_recording,
    } = choices;
    if let Some(problem) = &settings_problem {
        say!(std::io::stderr(), "downshift: {problem}");
    }
    if !settings.safety_note_seen {
        show_safety_note(data_dir, &settings, settings_problem.is_none());
    }
    let (mut progress, progress_problem) = ProgressBook::load(&data_dir.progress_path());
    if let Some(problem) = progress_problem {
        say!(std::io::stderr(), "downshift: {problem}");
    }
    let practice = progression::at_current_level(&progress, practice);
    let sound = (!mute).then(|| SoundChoice::from_settings(&settings));
    let ending = ending::watch(ending::TERMINAL_GRACE, || {});
    let clocks = Clocks::system();
    let Started {
        host: mut session,
        sound_notes,
    } = SessionHost::start(data_dir, practice, sound, clocks.clone(), move || {
        ending.is_set()
    })
    .map_err(|problems| Failure::usage(problems[0].to_string()))?;
    match heart_source(&settings, heart_recording, &clocks) {
        Ok(Some(source)) => {
            session.attach_heart(source, settings.heart_strap.keep_raw_intervals);
        }
        Ok(None) => {}
        Err(words) => say!(std::io::stderr(), "downshift: {words}"),
    }
    // A signal the loop does not act on in time (a stuck device): the session is still
    // recorded before the process ends.
    crate::desktop::last_words::set_last_words(session.last_words());
    for note in sound_notes {
        say!(std::io::stderr(), "downshift: {note}");
    }
    let total = session.session().timeline().total();
    say!(
        std::io::stdout(),
        "{}: {} ({}). Ctrl-C ends it.",
        session.session().practice().name,
        clock_text(total),
        session.session().practice().summary()
    );
    print_until_done(&mut session);
    let (outcome, events) = session.end();
    say_events(events);
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
    let record = match session.save() {
        None => return Ok(()),
        Some(Ok(record)) => record,
        Some(Err(e)) => {
            return Err(Failure::runtime(format!(
                "the session could not be saved to {}: {e}",
                data_dir.history_path().display()
            )));
        }
    };
    if session.session().heart().is_some() {
        match &record.heart {
            Some(heart) => say!(std::io::stdout(), "{}", heart.in_words()),
            None => say!(std::io::stdout(), "Heart: no beats came."),
        }
        if let Some(file) = session.raw_file() {
            say!(
                std::io::stdout(),
                "The beat intervals are kept in {}.",
                file.display()
            );
        }
    }
    move_progress_on(
        data_dir,
        &mut progress,
        session.session().practice(),
        &record,
        settings.gentle_mode || gentle,
    );
    Ok(())
}

/// Where the session's heartbeats come from: a recording replayed, or the strap when it is
/// switched on and chosen; why none, when it is on but none is chosen.
fn heart_source(
    settings: &Settings,
    recording: Option<Recording>,
    clocks: &Clocks,
) -> Result<Option<Box<dyn HeartSource>>, String> {
    if let Some(recording) = recording {
        return Ok(Some(Box::new(Replay::of(recording))));
    }
    let strap = &settings.heart_strap;
    if !strap.on {
        return Ok(None);
    }
    let Some(address) = &strap.address else {
        return Err(
            "the heart rate strap is on, but none is chosen: choose one in the window's \
             Settings"
                .to_owned(),
        );
    };
    let clocks = clocks.clone();
    let options = StrapOptions::new(Arc::new(move || clocks.now()), Arc::new(|| {}));
    Ok(Some(Box::new(HeartStrap::connect(address, options))))
}

/// What happened to the sound and the heart's source, said on the error stream.
fn say_events(events: Vec<HostEvent>) {
    for event in events {
        match event {
            HostEvent::SoundLost => say!(
                std::io::stderr(),
                "downshift: the sound device stopped; the session goes on silently until it is back"
            ),
            HostEvent::SoundBack => say!(std::io::stderr(), "downshift: the sound is back"),
            HostEvent::Heart(heart) => {
                if let Some(words) = heart_news(&heart) {
                    say!(std::io::stderr(), "downshift: {words}");
                }
            }
            HostEvent::RawNotKept(words) => say!(std::io::stderr(), "downshift: {words}"),
        }
    }
}

/// The heart's source's news in words (beats are not news).
fn heart_news(event: &HeartEvent) -> Option<String> {
    Some(match event {
        HeartEvent::Connected { name } => format!("heart beats from {name}"),
        HeartEvent::Lost { why } => format!(
            "the heart rate strap was lost ({why}); the session goes on, and downshift looks for it"
        ),
        HeartEvent::Back => "the heart rate strap is back".to_owned(),
        HeartEvent::Problem(words) => format!("heart rate strap: {words}"),
        HeartEvent::HeartRateOnly => RATE_ONLY.to_owned(),
        HeartEvent::Ended => "the recording of heart beats has come to its end".to_owned(),
        HeartEvent::Beats { .. } => return None,
    })
}

/// The heart's quiet line: "01:10  heart 64 a minute, swing 9.2 a breath".
fn heart_line(moment: &Moment, heart: &HeartShown) -> Option<String> {
    let rate = heart.heart_rate?;
    let mut line = format!("{}  heart {rate:.0} a minute", clock_text(moment.elapsed));
    if let Some(swing) = heart.swing {
        line.push_str(&format!(", swing {swing:.1} a breath"));
    }
    if heart.dropped_beats > 0 {
        line.push_str(&format!(
            " ({} beat{} dropped)",
            heart.dropped_beats,
            if heart.dropped_beats == 1 { "" } else { "s" }
        ));
    }
    Some(line)
}

/// The session's lines, a step and a phase at a time, until it is over or a signal ends it.
fn print_until_done(session: &mut SessionHost) {
    let mut last: Option<(usize, Phase, u32)> = None;
    let mut heart_said: Option<Micros> = None;
    let stdout = std::io::stdout();
    while !session.is_asked_to_end() {
        let (events, moment) = session.turn();
        say_events(events);
        if moment.finished {
            break;
        }
        let key = (moment.step_index, moment.phase, moment.breaths_completed);
        if last != Some(key) {
            let mut out = stdout.lock();
            if last.is_none_or(|(step, ..)| step != moment.step_index) {
                let _ = writeln!(out, "{}", step_line(session.session().practice(), &moment));
            }
            // At a breath's end, now and then.
            let breath_ended =
                last.is_some_and(|(.., breaths)| breaths != moment.breaths_completed);
            let due = heart_said.is_none_or(|said| moment.elapsed >= said + HEART_LINE_EVERY);
            if breath_ended
                && due
                && let Some(line) = session
                    .session()
                    .heart()
                    .and_then(|heart| heart_line(&moment, &heart.shown()))
            {
                let _ = writeln!(out, "{line}");
                heart_said = Some(moment.elapsed);
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
}

/// Progress moves on as it does after a session in the window; a step is only offered there,
/// where it can be answered.
fn move_progress_on(
    data_dir: &DataDir,
    progress: &mut ProgressBook,
    practice: &Practice,
    record: &crate::store::SessionRecord,
    gentle_mode: bool,
) {
    let (changed, offer) = progression::progress_after(progress, practice, record, gentle_mode);
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
}

fn format_minutes(micros: Micros) -> String {
    format!("{:.1}", micros as f64 / 60e6)
}
