//! What a screen reader hears without moving the focus: each screen as it opens, a session's
//! start, every phase from the first, pause, resume and end, a reminder as it comes. Each
//! announcement is a new polite live node: the reader is told its words when it is added
//! (AT-SPI's announcement event), and the node stays until the next one replaces it (Orca 48
//! drops an announcement whose node has already gone when it comes to it: seen in its debug
//! log when the node lived one frame). It is given a moment after the screen changes, so the
//! reader has first said where the focus went. A countdown's changing text is never live.
//!
//! In tests (no real window) the node lives one frame, so that looking a label up finds the
//! screen's own words, not the announcement's; `Announcer::current` says what was announced.

use crate::app::AppState;
use crate::app::screen::{CheckInStage, RatingStage, SAFETY_TITLE, Screen};
use crate::practice::{Micros, Step, StepKind};

/// An announcement, and what it is about: it is made again only when `key` changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spoken {
    pub key: String,
    pub text: String,
}

/// How long after a change the words are given: the focus settles first (a reader says where
/// it lands, and would talk over an earlier announcement).
const SETTLE_SECONDS: f64 = 0.3;

#[derive(Default)]
pub struct Announcer {
    last_key: Option<String>,
    /// Words waiting for their moment (seconds, egui's clock); no moment yet while no reader
    /// listens.
    pending: Option<(String, Option<f64>)>,
    /// The last words given, and their number (a new number is a new node).
    current: Option<(u64, String)>,
    serial: u64,
    /// The node for the last words is in the tree this frame (it goes at the next).
    showing: bool,
}

impl Announcer {
    /// The words of the live region now, if any (for tests).
    pub fn current(&self) -> Option<&str> {
        self.current.as_ref().map(|(_, text)| text.as_str())
    }

    /// Takes this frame's state of things and keeps the live region in the accessibility tree.
    /// `keep`: the node stays until the next announcement (the real window), else it lives one
    /// frame (tests).
    pub fn update(&mut self, ctx: &egui::Context, state: &AppState, now: Micros, keep: bool) {
        let spoken = what_to_say(state, now, self.last_key.as_deref());
        let seconds = ctx.input(|i| i.time);
        // A reader is listening once the accessibility tree is asked for (egui builds it only
        // then). Words given before would be in the tree a reader first reads, never announced:
        // home's, at start, were lost whenever Orca came to the window later than they did.
        let listening = ctx
            .accesskit_node_builder(egui::accesskit_root_id(), |_| ())
            .is_some();
        if let Some(spoken) = spoken
            && self.last_key.as_deref() != Some(spoken.key.as_str())
        {
            self.last_key = Some(spoken.key);
            self.pending = Some((spoken.text, None));
        }
        let mut fresh = false;
        if let Some((text, due)) = self.pending.take() {
            let due = due.or_else(|| listening.then_some(seconds + SETTLE_SECONDS));
            match due {
                Some(due) if seconds >= due => {
                    self.serial += 1;
                    self.current = Some((self.serial, text));
                    fresh = true;
                }
                _ => {
                    if due.is_some() {
                        // Frames until then (a third of a second): a timer alone may not wake
                        // a window that has nothing else to draw.
                        ctx.request_repaint();
                    }
                    self.pending = Some((text, due));
                }
            }
        }
        self.showing = fresh || (keep && self.current.is_some());
        if self.showing
            && let Some((serial, text)) = &self.current
        {
            if !keep {
                // One more frame takes it away.
                ctx.request_repaint();
            }
            let text = text.clone();
            ctx.accesskit_node_builder(egui::Id::unique(("announcement", *serial)), move |node| {
                node.set_role(egui::accesskit::Role::Label);
                node.set_value(text);
                node.set_live(egui::accesskit::Live::Polite);
            });
        }
    }
}

/// "5 minutes", "1 minute", "30 seconds".
fn length_words(seconds: f64) -> String {
    if seconds < 90.0 {
        let whole = seconds.round() as u64;
        return format!("{whole} second{}", if whole == 1 { "" } else { "s" });
    }
    let minutes = (seconds / 60.0).round() as u64;
    format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
}

/// What the reader should hear about the state now, with the key that names it.
pub fn what_to_say(state: &AppState, now: Micros, last_key: Option<&str>) -> Option<Spoken> {
    if !state.is_in_session()
        && let Some(reminder) = state.reminders.showing()
    {
        return Some(Spoken {
            key: format!("reminder:{}", reminder.message),
            text: reminder.message.clone(),
        });
    }
    let (key, text) = match &state.screen {
        Screen::Home => ("home".to_owned(), "Home. Choose a practice.".to_owned()),
        Screen::Session(live) => {
            let moment = live.moment(now);
            let paused = live.is_paused();
            let practice = live.practice();
            let doing = if moment.step_kind == StepKind::Prompt {
                // A prompt's words once; its seconds stay on the screen.
                match practice.steps.get(moment.step_index) {
                    Some(Step::Prompt(prompt)) => prompt.text.clone(),
                    _ => String::new(),
                }
            } else {
                moment.phase.label().to_owned()
            };
            let prefix = format!("session:{}:", live.id());
            let key = format!(
                "{prefix}{}:{}:{}",
                moment.step_index,
                doing,
                if paused { "paused" } else { "on" }
            );
            let text = if paused {
                "Paused".to_owned()
            } else {
                let started = !last_key.is_some_and(|k| k.starts_with(&prefix));
                let resumed =
                    last_key.is_some_and(|k| k.starts_with(&prefix) && k.ends_with(":paused"));
                if started {
                    let length = crate::practice::estimated_seconds(practice);
                    format!("{}, {}. {doing}", practice.name, length_words(length))
                } else if resumed {
                    format!("Resumed. {doing}")
                } else {
                    doing
                }
            };
            (key, text)
        }
        Screen::Summary(summary) => {
            let details = summary.details.replace(" · ", ", ");
            let text = format!("{} {}. {details}.", summary.title, summary.practice);
            (format!("summary:{text}"), text)
        }
        Screen::Settings(_) => ("settings".to_owned(), "Settings".to_owned()),
        Screen::History(_) => ("history".to_owned(), "History".to_owned()),
        Screen::Editor(editor) => (
            "editor".to_owned(),
            format!("Editing {}", editor.draft.name),
        ),
        Screen::Safety(_) => ("safety".to_owned(), SAFETY_TITLE.to_owned()),
        Screen::About(about) => (
            format!("about:{}", about.practice.name),
            format!("About {}", about.practice.name),
        ),
        Screen::Rating(rating) => {
            let question = match rating.stage {
                RatingStage::Before { .. } => "How tense do you feel right now?",
                RatingStage::After { .. } => "And how tense do you feel now?",
            };
            (
                format!("rating:{question}"),
                format!(
                    "{question} 0 is completely relaxed, 10 the most tense you can imagine. \
                     Press a number key."
                ),
            )
        }
        Screen::CheckIn(checkin) => match (&checkin.stage, checkin.question()) {
            (CheckInStage::Questions, Some(question)) => (
                format!("checkin:{}:{}", checkin.date, checkin.current),
                format!(
                    "{} {}. Question {} of {}.",
                    question.text,
                    question.scale,
                    checkin.current + 1,
                    checkin.questions.len()
                ),
            ),
            (
                CheckInStage::Answered {
                    written,
                    saved,
                    changes,
                },
                _,
            ) => {
                // What is said follows the write: "Saving…" while it is on its way, then what
                // became of it (a quick write replaces the first before it is spoken).
                let (state, mut text) = match saved {
                    None => ("saving", "Thank you. Saving…".to_owned()),
                    Some(Ok(())) => ("saved", "Thank you. Saved.".to_owned()),
                    Some(Err(reason)) => (
                        "not saved",
                        format!("Thank you. Not saved: {}.", reason.trim_end_matches('.')),
                    ),
                };
                if saved.is_some() {
                    if !changes.is_empty() {
                        text.push_str(" What changed in the last 3 days: ");
                        text.push_str(&changes.join(" "));
                    }
                    text.push_str(" Different in the last day or two? Optional.");
                }
                (format!("checkin:{}:{state}", written.id), text)
            }
            _ => return None,
        },
        Screen::YourDays(_) => ("your_days".to_owned(), "Your days".to_owned()),
        Screen::Resonance(result) => (
            "resonance".to_owned(),
            format!("Your resonance test. {}", result.verdict),
        ),
    };
    Some(Spoken { key, text })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::screen::CheckInScreen;
    use crate::app::{Loaded, Now, SoundStatus};
    use crate::store::{DataDir, Library, Settings};

    /// The app on home, at 21:00.
    fn home_state() -> AppState {
        let local = jiff::civil::date(2026, 11, 23).at(21, 0, 0, 0);
        let now = Now {
            mono: 0,
            wall: crate::clock::fixed_wall(local)(),
        };
        let loaded = Loaded {
            small_tests: Default::default(),
            reminder_days: Default::default(),
            library: Library::built_in(),
            settings: Settings::default(),
            progress: Default::default(),
            problems: Vec::new(),
        };
        AppState::new(DataDir::new("/nowhere"), loaded, SoundStatus::Off, &now)
    }

    #[test]
    fn words_wait_for_a_reader_to_listen_then_settle_and_are_given_once() {
        let ctx = egui::Context::default();
        let state = home_state();
        let mut announcer = Announcer::default();
        let frame = |announcer: &mut Announcer, time: f64| {
            let input = egui::RawInput {
                time: Some(time),
                ..Default::default()
            };
            let mut output = ctx.run_pass(input, |ctx| announcer.update(ctx, &state, 0, true));
            output.textures_delta.clear();
            output
        };
        // No reader yet (egui builds no tree): however long, nothing is given.
        for tenth in 0..20 {
            frame(&mut announcer, f64::from(tenth) / 10.0);
        }
        assert_eq!(announcer.current(), None);
        // A reader asks for the tree: the words come after the settling moment.
        ctx.enable_accesskit();
        frame(&mut announcer, 2.0);
        frame(&mut announcer, 2.2);
        assert_eq!(announcer.current(), None, "settling");
        let output = frame(&mut announcer, 2.35);
        assert_eq!(announcer.current(), Some("Home. Choose a practice."));
        let update = output
            .platform_output
            .accesskit_update
            .expect("a tree update");
        let live: Vec<_> = update
            .nodes
            .iter()
            .filter(|(_, node)| node.live() == Some(egui::accesskit::Live::Polite))
            .map(|(_, node)| node.value().map(str::to_owned))
            .collect();
        assert_eq!(live, [Some("Home. Choose a practice.".to_owned())]);
    }

    #[test]
    fn a_checkin_is_said_to_be_saving_then_saved_or_not_saved_with_why() {
        let mut state = home_state();
        let local = jiff::civil::date(2026, 11, 23).at(21, 0, 0, 0);
        let now = Now {
            mono: 0,
            wall: crate::clock::fixed_wall(local)(),
        };
        let today = local.date();
        let mut screen = CheckInScreen::new(today, today, false, vec!["travel".to_owned()]);
        let written = screen.checkin(crate::store::history::StartTime::of(&now.wall));
        let mut said = |saved: Option<Result<(), String>>| {
            screen.stage = CheckInStage::Answered {
                written: Box::new(written.clone()),
                saved,
                changes: vec!["Sleep 3, usually 7.".to_owned()],
            };
            state.screen = Screen::CheckIn(Box::new(screen.clone()));
            what_to_say(&state, 0, None).expect("something is said")
        };
        let saving = said(None);
        assert_eq!(saving.text, "Thank you. Saving…");
        let saved = said(Some(Ok(())));
        assert_eq!(
            saved.text,
            "Thank you. Saved. What changed in the last 3 days: Sleep 3, usually 7. \
             Different in the last day or two? Optional."
        );
        let failed = said(Some(Err("No space left on device".to_owned())));
        assert!(
            failed
                .text
                .starts_with("Thank you. Not saved: No space left on device. What changed"),
            "{}",
            failed.text
        );
        // Each is a new announcement: the outcome is said even after "Saving…" was.
        assert_ne!(saving.key, saved.key);
        assert_ne!(saved.key, failed.key);
    }

    #[test]
    fn lengths_are_said_as_people_say_them() {
        assert_eq!(length_words(300.0), "5 minutes");
        assert_eq!(length_words(30.0), "30 seconds");
        assert_eq!(length_words(60.0), "60 seconds");
        assert_eq!(length_words(95.0), "2 minutes");
    }
}
