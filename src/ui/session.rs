//! The breathing screen: the orb, the phase in words, time left, what comes next, and the
//! controls. Everything shown comes from the timeline at the session's position.

use std::time::Duration;

use egui::RichText;

use super::theme::{PHASE_SIZE, PROMPT_SIZE, Palette};
use super::widgets::{OrbLook, breath_orb, fade, reserved_line, thin_progress};
use crate::app::Command;
use crate::practice::{MICROS_PER_SECOND, Micros, Moment, Phase, Step, StepKind};
use crate::session::LiveSession;
use crate::store::Settings;

/// A new step fades in over this long.
const STEP_FADE: Micros = 800_000;

fn whole_seconds_left(micros: Micros) -> u64 {
    micros.div_ceil(MICROS_PER_SECOND)
}

fn clock_text(micros: Micros) -> String {
    let seconds = whole_seconds_left(micros);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// What the screen reader and the "up next" line say about the coming phase or step.
fn up_next(session: &LiveSession, moment: &Moment) -> Option<String> {
    let next = moment.next?;
    if next.step_index == moment.step_index {
        return Some(format!("Up next: {}", next.phase.label()));
    }
    let text = match session.practice().steps.get(next.step_index)? {
        Step::Prompt(prompt) => prompt.text.clone(),
        Step::Breathe(block) => format!("breathe {}", block.pattern.short_name()),
    };
    Some(format!("Up next: {text}"))
}

pub fn show(
    ui: &mut egui::Ui,
    session: &LiveSession,
    now: Micros,
    settings: &Settings,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let moment = session.moment(now);
    let paused = session.is_paused();
    let step = session.timeline().steps()[moment.step_index];
    let into_step = moment.elapsed - step.start;
    // A new step fades in; with reduced motion it is simply there.
    let arrival = if settings.reduced_motion {
        1.0
    } else {
        (into_step as f32 / STEP_FADE as f32).clamp(0.0, 1.0)
    };
    let practice = session.practice();
    let step_count = practice.steps.len();

    ui.vertical_centered(|ui| {
        let mut heading = practice.name.clone();
        if step_count > 1 {
            heading.push_str(&format!(
                "  ·  step {} of {step_count}",
                moment.step_index + 1
            ));
        }
        ui.label(RichText::new(heading).color(palette.quiet_text));
        ui.add_space(8.0);

        // What is under the orb (phase, numbers, the resume line, progress, controls) keeps
        // its room whatever the window's size.
        let orb_size = (ui.available_height() - ROOM_BELOW_ORB)
            .min(ui.available_width() * 0.8)
            .clamp(120.0, 460.0);
        ui.scope(|ui| {
            ui.multiply_opacity(0.35 + 0.65 * arrival);
            match (moment.step_kind, practice.steps.get(moment.step_index)) {
                (StepKind::Prompt, Some(Step::Prompt(prompt))) => {
                    // The instruction takes the orb's place, so nothing below it moves.
                    let area = egui::vec2(ui.available_width(), orb_size);
                    let text = RichText::new(&prompt.text).size(PROMPT_SIZE);
                    // Its height, to centre it vertically. The label lays it out again, centred
                    // (a laid-out galley keeps its left alignment); egui caches the layout.
                    let height = egui::WidgetText::from(text.clone())
                        .into_galley(
                            ui,
                            Some(egui::TextWrapMode::Wrap),
                            area.x,
                            egui::TextStyle::Body,
                        )
                        .size()
                        .y;
                    // Centred lines, not justified ones: justified text spreads short lines out.
                    let centered = egui::Layout::top_down(egui::Align::Center);
                    ui.allocate_ui_with_layout(area, centered, |ui| {
                        ui.set_min_size(area);
                        ui.add_space(((area.y - height) / 2.0).max(0.0));
                        ui.label(text);
                    });
                }
                _ => {
                    let hold_progress = moment.phase.is_hold().then(|| stepped_progress(&moment));
                    breath_orb(
                        ui,
                        orb_size,
                        &OrbLook {
                            level: moment.level as f32,
                            paused,
                            reduced_motion: settings.reduced_motion,
                            hold_progress,
                            description: format!("Breathing guide: {}", moment.phase.label()),
                        },
                        palette,
                    );
                }
            }
        });

        let phase_text = if paused {
            "Paused".to_owned()
        } else if moment.step_kind == StepKind::Prompt {
            // A prompt's words say what to do; the big line counts its time down.
            clock_text(moment.step_remaining)
        } else {
            moment.phase.label().to_owned()
        };
        // Read when the reader goes through the screen; the phases are announced by
        // `announce`, so a prompt's countdown is never read out second by second.
        ui.label(RichText::new(&phase_text).size(PHASE_SIZE));
        // The lines that come and go keep their room, so the progress and the buttons below
        // never move.
        if settings.show_numbers {
            let breathing = moment.step_kind == StepKind::Breathe;
            let seconds = whole_seconds_left(moment.phase_remaining);
            reserved_line(
                ui,
                RichText::new(seconds.to_string())
                    .size(28.0)
                    .color(palette.quiet_text),
                if breathing { 1.0 } else { 0.0 },
            );
        }
        let resume = fade(
            ui,
            egui::Id::unique("resume_hint"),
            paused,
            settings.reduced_motion,
        );
        reserved_line(
            ui,
            RichText::new("Press Space to resume").color(palette.quiet_text),
            resume,
        );
        ui.add_space(8.0);
        let total = session.timeline().total().max(1);
        let left = format!("{} left", clock_text(moment.practice_remaining));
        thin_progress(ui, moment.elapsed as f32 / total as f32, &left, palette);
        let mut info = left;
        if let Some(next) = up_next(session, &moment) {
            info.push_str("   ·   ");
            info.push_str(&next);
        }
        // One line, however long the next step's words: a second line would move the buttons.
        ui.add(egui::Label::new(RichText::new(info).color(palette.quiet_text)).truncate());
        ui.add_space(12.0);
        controls(ui, paused, settings.muted, commands);
    });
}

/// How far through a hold, moved on once a second so the screen need not repaint in between.
fn stepped_progress(moment: &Moment) -> f32 {
    let total = moment.phase_remaining as f64 / (1.0 - moment.phase_progress).max(1e-9);
    let passed = total - moment.phase_remaining as f64;
    let whole = (passed / MICROS_PER_SECOND as f64).floor() * MICROS_PER_SECOND as f64;
    (whole / total.max(1.0)) as f32
}

/// Points kept under the orb for the lines and controls below it.
const ROOM_BELOW_ORB: f32 = 330.0;

fn controls(ui: &mut egui::Ui, paused: bool, muted: bool, commands: &mut Vec<Command>) {
    // Each button as wide as the longer of its two words, so Pause becoming Resume moves
    // nothing.
    let buttons = [
        (paused, ["Pause", "Resume"], "Space", Command::TogglePause),
        (false, ["Skip step", "Skip step"], "S", Command::SkipStep),
        (muted, ["Mute", "Unmute"], "M", Command::ToggleMute),
        (
            false,
            ["Full screen", "Full screen"],
            "F",
            Command::ToggleFullscreen,
        ),
        (false, ["End", "End"], "Esc", Command::EndSession),
    ];
    let padding = ui.spacing().button_padding.x;
    let text_width =
        |ui: &egui::Ui, text: &str| super::widgets::text_width(ui, text, egui::TextStyle::Button);
    let widths: Vec<f32> = buttons
        .iter()
        .map(|(_, words, _, _)| {
            text_width(ui, words[0]).max(text_width(ui, words[1])) + 2.0 * padding
        })
        .collect();
    let gap = 10.0;
    let height =
        ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y;
    let row = egui::vec2(widths.iter().sum::<f32>() + gap * 4.0, height);
    // One centred row (the parent centres what it allocates).
    ui.allocate_ui_with_layout(
        row,
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.spacing_mut().item_spacing.x = gap;
            for ((on, words, key, action), width) in buttons.into_iter().zip(widths) {
                let label = words[usize::from(on)];
                let button = ui
                    .add(egui::Button::new(label).min_size(egui::vec2(width, 0.0)))
                    .on_hover_text(format!("Key: {key}"));
                if button.clicked() {
                    commands.push(action);
                }
            }
        },
    );
}

/// How soon the screen must be drawn again: as fast as the motion needs, capped; once a second
/// while still (paused, holding, or a prompt).
pub fn next_repaint(session: &LiveSession, now: Micros, settings: &Settings) -> Duration {
    if session.is_paused() {
        return Duration::from_secs(3600);
    }
    let frame = Duration::from_secs_f64(1.0 / settings.frame_rate_cap.max(1) as f64);
    let moment = session.moment(now);
    let step = session.timeline().steps()[moment.step_index];
    if moment.elapsed - step.start < STEP_FADE {
        return frame;
    }
    match moment.phase {
        Phase::Inhale | Phase::Exhale | Phase::TopUp => {
            let remaining = moment.phase_remaining as f64 / 1e6;
            let length = remaining / (1.0 - moment.phase_progress).max(1e-6);
            motion_interval(moment.phase_progress, length, frame)
        }
        Phase::HoldAfterInhale | Phase::HoldAfterExhale | Phase::Prompt => {
            let remaining = if moment.phase == Phase::Prompt {
                moment.step_remaining
            } else {
                moment.phase_remaining
            };
            let to_next_second = match remaining % MICROS_PER_SECOND {
                0 => MICROS_PER_SECOND,
                part => part,
            };
            Duration::from_micros(to_next_second.min(moment.phase_remaining).max(1_000))
        }
    }
}

/// How far the orb's edge may move between two frames, in points.
const STEP_POINTS: f64 = 1.5;
/// The orb's radius travels about this far from empty to full lungs, in points.
const ORB_TRAVEL_POINTS: f64 = 160.0;

/// How soon to draw again while the orb moves: often enough that its edge moves at most
/// `STEP_POINTS` a frame, never faster than the cap, and at least four times a second. The eased
/// motion is slow at the turns of the breath, so frames are saved there.
fn motion_interval(progress: f64, phase_seconds: f64, cap: Duration) -> Duration {
    let speed = std::f64::consts::FRAC_PI_2 * (std::f64::consts::PI * progress).sin()
        / phase_seconds.max(0.1)
        * ORB_TRAVEL_POINTS;
    let seconds = if speed > 0.0 {
        STEP_POINTS / speed
    } else {
        0.25
    };
    Duration::from_secs_f64(seconds.clamp(cap.as_secs_f64(), 0.25))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_come_as_fast_as_the_motion_needs_within_the_cap() {
        let cap = Duration::from_secs_f64(1.0 / 30.0);
        // Mid-inhale the orb moves fastest: the cap rules.
        assert_eq!(motion_interval(0.5, 4.0, cap), cap);
        // At the turn of the breath it barely moves: a few frames a second do.
        let turn = motion_interval(0.01, 4.0, cap);
        assert!(turn > Duration::from_millis(200), "{turn:?}");
        assert!(turn <= Duration::from_millis(250));
        // A long, slow exhale needs fewer frames than a quick inhale at the same point.
        assert!(motion_interval(0.2, 8.0, cap) > motion_interval(0.2, 3.0, cap));
    }
}
