//! The breathing screen: the orb, the phase in words, time left, what comes next, and the
//! controls. Everything shown comes from the timeline at the session's position.

use std::time::Duration;

use egui::RichText;

use super::theme::{PHASE_SIZE, PROMPT_SIZE, Palette};
use super::widgets::{OrbLook, breath_orb, fade, reserved_line, thin_progress};
use crate::app::Command;
use crate::practice::{MICROS_PER_SECOND, Micros, Moment, Phase, Step, StepKind};
use crate::session::LiveSession;
use crate::session::heart::{HeartLink, HeartShown, SessionHeart};
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

        // What is under the orb (phase, numbers, the resume line, the heart, progress,
        // controls) keeps its room whatever the window's size.
        let heart_room = match session.heart() {
            Some(_) if settings.heart_strap.show_trace => HEART_LINE_ROOM + TRACE_HEIGHT + 6.0,
            Some(_) => HEART_LINE_ROOM,
            None => 0.0,
        };
        let orb_size = (ui.available_height() - ROOM_BELOW_ORB - heart_room)
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
        if let Some(heart) = session.heart() {
            heart_line(ui, &heart.shown(), palette);
            if settings.heart_strap.show_trace {
                ui.add_space(6.0);
                heart_trace(ui, session, heart, now, palette);
            }
        }
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
/// And for the heart's line, and its trace, when there is a heart to show.
const HEART_LINE_ROOM: f32 = 30.0;
const TRACE_HEIGHT: f32 = 44.0;
/// The trace shows this much of the past.
const TRACE_SPAN: Micros = 30 * MICROS_PER_SECOND;

/// The heart's numbers in words, or how its source is doing.
pub fn heart_words(heart: &HeartShown) -> String {
    let values = heart.heart_rate.map(|rate| {
        let mut words = format!("Heart {rate:.0} a minute");
        match heart.swing {
            Some(swing) => words.push_str(&format!("  ·  swing {swing:.1} a breath")),
            None if heart.rate_only => {
                words.push_str("  ·  no swing: the strap sends no beat intervals")
            }
            None => {}
        }
        if heart.dropped_beats > 0 {
            words.push_str(&format!("  ·  {} dropped", heart.dropped_beats));
        }
        words
    });
    match (&heart.link, values) {
        (HeartLink::Lost, _) => "Heart: the strap is out of reach".to_owned(),
        (HeartLink::Problem(words), None) => format!("Heart: {words}"),
        (HeartLink::Ended, Some(values)) => format!("{values}  ·  recording ended"),
        (HeartLink::Ended, None) => "Heart: the recording has ended".to_owned(),
        (_, Some(values)) => values,
        (HeartLink::Waiting, None) => "Heart: waiting for the strap…".to_owned(),
        (_, None) => "Heart: the first beats are coming…".to_owned(),
    }
}

/// One quiet line under the orb. Read by a screen reader when it comes to it, never
/// announced: the numbers change with every beat.
fn heart_line(ui: &mut egui::Ui, heart: &HeartShown, palette: &Palette) {
    let text = RichText::new(heart_words(heart))
        .size(18.0)
        .color(palette.quiet_text);
    let height = HEART_LINE_ROOM;
    let width = ui.available_width().min(640.0);
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::top_down(egui::Align::Center),
        |ui| {
            ui.set_min_size(egui::vec2(width, height));
            ui.add(egui::Label::new(text).truncate())
                .on_hover_text(format!(
                    "{} beats kept, {} dropped as missed or extra beats. The swing is the highest \
                 heart rate less the lowest within a breath, over the last few breaths.",
                    heart.clean_beats, heart.dropped_beats
                ));
        },
    );
}

/// A soft trace of the last half minute: the breath as a faint wave, the heart rate over it.
/// At resonance the two rise and fall together.
fn heart_trace(
    ui: &mut egui::Ui,
    session: &LiveSession,
    heart: &SessionHeart,
    now: Micros,
    palette: &Palette,
) {
    let width = ui.available_width().min(520.0);
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, TRACE_HEIGHT), egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Image,
            true,
            "Heart rate against the breath, the last half minute",
        )
    });
    let painter = ui.painter_at(rect);
    let from = now.saturating_sub(TRACE_SPAN);
    let x_of = |at: Micros| {
        rect.left() + rect.width() * (at.saturating_sub(from) as f32 / TRACE_SPAN as f32)
    };
    // The breath: the level the orb shows, as a faint filled wave.
    let samples = 90;
    let mut breath = Vec::with_capacity(samples + 1);
    for i in 0..=samples {
        let at = from + TRACE_SPAN * i as u64 / samples as u64;
        if let Some(place) = heart.session_time_at(at) {
            let level = session.timeline().moment_at(place).level as f32;
            breath.push(egui::pos2(x_of(at), rect.bottom() - level * rect.height()));
        }
    }
    let faint = palette.breath.gamma_multiply(0.25);
    if breath.len() > 1 {
        painter.add(egui::Shape::line(breath, egui::Stroke::new(6.0, faint)));
    }
    // The heart rate, on a scale of its own (at least 10 beats a minute high).
    let beats: Vec<(Micros, f64)> = heart.trace_from(from).collect();
    if beats.len() > 1 {
        let low = beats.iter().map(|b| b.1).fold(f64::MAX, f64::min);
        let high = beats.iter().map(|b| b.1).fold(f64::MIN, f64::max);
        let middle = (low + high) / 2.0;
        let half = ((high - low) / 2.0).max(5.0);
        let points: Vec<egui::Pos2> = beats
            .iter()
            .map(|&(at, rate)| {
                let up = ((rate - (middle - half)) / (2.0 * half)) as f32;
                egui::pos2(x_of(at), rect.bottom() - up * rect.height())
            })
            .collect();
        painter.add(egui::Shape::line(
            points,
            egui::Stroke::new(1.5, palette.quiet_text.gamma_multiply(0.8)),
        ));
    }
}

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
