//! The keyboard, as a table per screen. Keys are taken before the widgets see them, so a focused
//! button never acts twice; a text field keeps every key but the global shortcuts.

use egui::{Key, Modifiers};

use crate::app::Command;
use crate::app::screen::{RatingKey, ScreenKind};

/// One key on one screen.
struct Binding {
    key: Key,
    modifiers: Modifiers,
    command: Command,
    /// Left to a button reached with Tab (egui focuses buttons only from the keyboard), so "Tab
    /// to Settings, Enter" opens Settings rather than starting a session.
    yields_to_focused_button: bool,
}

const fn binding(
    key: Key,
    modifiers: Modifiers,
    command: Command,
    yields_to_focused_button: bool,
) -> Binding {
    Binding {
        key,
        modifiers,
        command,
        yields_to_focused_button,
    }
}

const fn key(key: Key, command: Command) -> Binding {
    binding(key, Modifiers::NONE, command, false)
}

const fn unless_button(key: Key, command: Command) -> Binding {
    binding(key, Modifiers::NONE, command, true)
}

const fn command(key: Key, command: Command) -> Binding {
    binding(key, Modifiers::COMMAND, command, false)
}

/// Work even while typing.
const GLOBAL: &[Binding] = &[command(Key::Q, Command::Quit)];

const HOME: &[Binding] = &[
    unless_button(Key::Space, Command::Start),
    unless_button(Key::Enter, Command::Start),
    key(Key::ArrowDown, Command::SelectNext),
    key(Key::ArrowUp, Command::SelectPrevious),
    key(Key::I, Command::OpenAbout),
    // The daily check-in, any time: with its number keys and Enter, six keys in all.
    key(Key::C, Command::OpenCheckIn(None)),
    key(Key::F, Command::ToggleFullscreen),
];

const SESSION: &[Binding] = &[
    key(Key::Space, Command::TogglePause),
    key(Key::Escape, Command::EndSession),
    key(Key::S, Command::SkipStep),
    key(Key::M, Command::ToggleMute),
    key(Key::ArrowUp, Command::StepVolume(true)),
    key(Key::ArrowDown, Command::StepVolume(false)),
    key(Key::F, Command::ToggleFullscreen),
];

const SUMMARY: &[Binding] = &[
    key(Key::Escape, Command::Dismiss),
    unless_button(Key::Enter, Command::Dismiss),
    unless_button(Key::Space, Command::Dismiss),
    key(Key::F, Command::ToggleFullscreen),
];

const RATING: &[Binding] = &[
    key(Key::Num0, Command::RatingKey(RatingKey::Digit(0))),
    key(Key::Num1, Command::RatingKey(RatingKey::Digit(1))),
    key(Key::Num2, Command::RatingKey(RatingKey::Digit(2))),
    key(Key::Num3, Command::RatingKey(RatingKey::Digit(3))),
    key(Key::Num4, Command::RatingKey(RatingKey::Digit(4))),
    key(Key::Num5, Command::RatingKey(RatingKey::Digit(5))),
    key(Key::Num6, Command::RatingKey(RatingKey::Digit(6))),
    key(Key::Num7, Command::RatingKey(RatingKey::Digit(7))),
    key(Key::Num8, Command::RatingKey(RatingKey::Digit(8))),
    key(Key::Num9, Command::RatingKey(RatingKey::Digit(9))),
    key(Key::Enter, Command::RatingKey(RatingKey::Confirm)),
    key(Key::Space, Command::RatingKey(RatingKey::Confirm)),
    key(Key::S, Command::Rate(None)),
    // Before a session: back home; after one: skip the question.
    key(Key::Escape, Command::CloseScreen),
    key(Key::F, Command::ToggleFullscreen),
];

const CHECKIN: &[Binding] = &[
    key(Key::Num0, Command::CheckInKey(RatingKey::Digit(0))),
    key(Key::Num1, Command::CheckInKey(RatingKey::Digit(1))),
    key(Key::Num2, Command::CheckInKey(RatingKey::Digit(2))),
    key(Key::Num3, Command::CheckInKey(RatingKey::Digit(3))),
    key(Key::Num4, Command::CheckInKey(RatingKey::Digit(4))),
    key(Key::Num5, Command::CheckInKey(RatingKey::Digit(5))),
    key(Key::Num6, Command::CheckInKey(RatingKey::Digit(6))),
    key(Key::Num7, Command::CheckInKey(RatingKey::Digit(7))),
    key(Key::Num8, Command::CheckInKey(RatingKey::Digit(8))),
    key(Key::Num9, Command::CheckInKey(RatingKey::Digit(9))),
    key(Key::Enter, Command::CheckInConfirm),
    key(Key::Backspace, Command::CheckInBack),
    key(Key::ArrowLeft, Command::CheckInDate(-1)),
    key(Key::ArrowRight, Command::CheckInDate(1)),
    // Before the last answer nothing is written; after it, the marks are left unasked.
    key(Key::Escape, Command::CloseScreen),
    key(Key::F, Command::ToggleFullscreen),
];

const EDITOR: &[Binding] = &[
    command(Key::S, Command::SavePreset),
    key(Key::Escape, Command::LeaveEditor),
];

/// Editor shortcuts that work while typing in a field.
const EDITOR_TYPING: &[Binding] = &[command(Key::S, Command::SavePreset)];

const SAFETY: &[Binding] = &[
    unless_button(Key::Enter, Command::SafetyRead),
    key(Key::Escape, Command::CloseScreen),
    key(Key::F, Command::ToggleFullscreen),
];

const SECONDARY: &[Binding] = &[
    key(Key::Escape, Command::CloseScreen),
    key(Key::F, Command::ToggleFullscreen),
];

fn table(screen: ScreenKind, typing: bool) -> &'static [Binding] {
    match (screen, typing) {
        (ScreenKind::Editor, true) => EDITOR_TYPING,
        (_, true) => &[],
        (ScreenKind::Home, _) => HOME,
        (ScreenKind::Session, _) => SESSION,
        (ScreenKind::Summary, _) => SUMMARY,
        (ScreenKind::Rating, _) => RATING,
        (ScreenKind::Editor, _) => EDITOR,
        (ScreenKind::Safety, _) => SAFETY,
        (ScreenKind::CheckIn, _) => CHECKIN,
        (
            ScreenKind::Settings
            | ScreenKind::History
            | ScreenKind::About
            | ScreenKind::YourDays
            | ScreenKind::Resonance,
            _,
        ) => SECONDARY,
    }
}

/// Takes this frame's key presses that mean something on `screen`, in the order of the table.
/// `button_focused`: a button (not a practice row) has the keyboard focus.
pub fn commands(
    ctx: &egui::Context,
    screen: ScreenKind,
    button_focused: bool,
    commands: &mut Vec<Command>,
) {
    let typing = ctx.text_edit_focused();
    for binding in GLOBAL.iter().chain(table(screen, typing)) {
        if binding.yields_to_focused_button && button_focused {
            continue;
        }
        if ctx.input_mut(|i| i.consume_key(binding.modifiers, binding.key)) {
            commands.push(binding.command.clone());
            if binding.command == Command::Quit {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every screen, typing or not. A screen added to `ScreenKind` must be added here: the
    /// match below stops compiling until it is.
    fn every_screen() -> Vec<(ScreenKind, bool)> {
        let screens = [
            ScreenKind::Home,
            ScreenKind::Session,
            ScreenKind::Summary,
            ScreenKind::Settings,
            ScreenKind::Rating,
            ScreenKind::History,
            ScreenKind::Editor,
            ScreenKind::Safety,
            ScreenKind::About,
            ScreenKind::CheckIn,
            ScreenKind::YourDays,
            ScreenKind::Resonance,
        ];
        for screen in screens {
            match screen {
                ScreenKind::Home
                | ScreenKind::Session
                | ScreenKind::Summary
                | ScreenKind::Settings
                | ScreenKind::Rating
                | ScreenKind::History
                | ScreenKind::Editor
                | ScreenKind::Safety
                | ScreenKind::About
                | ScreenKind::CheckIn
                | ScreenKind::YourDays
                | ScreenKind::Resonance => {}
            }
        }
        screens
            .into_iter()
            .flat_map(|screen| [(screen, false), (screen, true)])
            .collect()
    }

    /// Whether one key press can match both: egui matches the modifiers logically (an extra
    /// Shift or Alt still matches), so the press with both sets of modifiers is the test.
    fn clash(a: &Binding, b: &Binding) -> bool {
        let pressed = a.modifiers | b.modifiers;
        a.key == b.key
            && pressed.matches_logically(a.modifiers)
            && pressed.matches_logically(b.modifiers)
    }

    /// Modelled on rerun's `check_for_clashing_command_shortcuts`: on each screen, as
    /// `commands` reads the tables (the global keys first), no key press means two things; the
    /// second would never be reached.
    #[test]
    fn no_two_commands_on_one_screen_share_a_shortcut() {
        let mut checked = 0;
        for (screen, typing) in every_screen() {
            let bindings: Vec<&Binding> = GLOBAL.iter().chain(table(screen, typing)).collect();
            for (i, a) in bindings.iter().enumerate() {
                for b in &bindings[i + 1..] {
                    checked += 1;
                    assert!(
                        !clash(a, b),
                        "on {screen:?}{}: {} is both {:?} and {:?}",
                        if typing { " while typing" } else { "" },
                        egui::KeyboardShortcut::new(a.modifiers, a.key)
                            .format(&egui::ModifierNames::NAMES, false),
                        a.command,
                        b.command
                    );
                }
            }
        }
        assert!(
            checked > 100,
            "only {checked} pairs: the tables were not read"
        );
    }

    #[test]
    fn the_clash_check_sees_the_same_key_and_tells_ctrl_apart() {
        let space = key(Key::Space, Command::Start);
        assert!(clash(&space, &key(Key::Space, Command::TogglePause)));
        assert!(clash(
            &space,
            &binding(Key::Space, Modifiers::SHIFT, Command::Dismiss, false)
        ));
        assert!(!clash(&space, &key(Key::Enter, Command::Start)));
        assert!(!clash(
            &key(Key::S, Command::SkipStep),
            &command(Key::S, Command::SavePreset)
        ));
    }
}
