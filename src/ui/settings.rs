//! Settings: how it looks, how it sounds, what it asks. Changes show at once and are saved when
//! the screen is left.

use egui::{RichText, Slider, TextEdit};

use super::theme::Palette;
use crate::app::Command;
use crate::app::DesktopStatus;
use crate::app::screen::SettingsForm;
use crate::desktop::tray::TrayStatus;
use crate::practice::CueSet;
use crate::practice::paced_sitting::{LONGEST_SIT, interval_for};
use crate::practice::pacing::{TimeSlot, minute_of_day};
use crate::practice::reminders::ReminderSettings;
use crate::store::settings::Theme;

pub fn show(
    ui: &mut egui::Ui,
    form: &mut SettingsForm,
    desktop: &DesktopStatus,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let SettingsForm {
        draft: settings,
        practices,
        sit_text,
        marks_text,
        ..
    } = form;
    let practices: &[String] = practices;
    ui.heading("Settings");
    ui.add_space(8.0);
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() - 90.0)
        .show(ui, |ui| {
            section(ui, "Look", palette);
            row(ui, |ui| {
                ui.radio_value(&mut settings.theme, Theme::Evening, "Evening (dim, warm)");
                ui.radio_value(&mut settings.theme, Theme::Light, "Light");
            });
            ui.checkbox(
                &mut settings.reduced_motion,
                "Reduced motion: the orb brightens and dims instead of growing",
            );
            ui.checkbox(
                &mut settings.show_numbers,
                "Show the seconds left in each phase",
            );
            ui.add(
                Slider::new(&mut settings.frame_rate_cap, 10..=60)
                    .text("Highest frame rate during a session")
                    .suffix(" fps"),
            );

            section(ui, "Safety", palette);
            ui.checkbox(
                &mut settings.gentle_mode,
                "Gentle mode: no breath holds, and every breath at least 8 seconds",
            );
            ui.label(
                RichText::new(
                    "For heart conditions, or when a clinician said to avoid breath holds. \
                     Practices outside it are marked and ask before they start.",
                )
                .size(16.0)
                .color(palette.quiet_text),
            );

            section(ui, "Sound", palette);
            ui.checkbox(&mut settings.muted, "Mute all sound (M)");
            ui.add(Slider::new(&mut settings.master_volume, 0.0..=1.0).text("Volume"));
            row(ui, |ui| {
                ui.label("Cues:");
                ui.radio_value(&mut settings.cue_set, CueSet::Tones, "Soft tones");
                ui.radio_value(&mut settings.cue_set, CueSet::Voice, "Voice");
            });
            ui.add(Slider::new(&mut settings.tones_volume, 0.0..=1.0).text("Tones volume"));
            ui.add(Slider::new(&mut settings.voice_volume, 0.0..=1.0).text("Voice volume"));
            ui.checkbox(
                &mut settings.breath_tone,
                "Breath tone: a soft hum that rises and swells with each breath",
            );
            ui.add_enabled(
                settings.breath_tone,
                Slider::new(&mut settings.breath_tone_volume, 0.0..=1.0).text("Breath tone volume"),
            );

            section(ui, "Record", palette);
            ui.checkbox(
                &mut settings.ask_tension,
                "Ask how tense I feel before and after a session",
            );

            heart_strap(
                ui,
                &mut settings.heart_strap,
                &desktop.strap,
                palette,
                commands,
            );

            checkin(ui, &mut settings.checkin, marks_text, palette);
            reminders(ui, &mut settings.reminders, sit_text, practices, palette);
            in_the_background(ui, &mut settings.keep_in_tray, desktop, palette, commands);
            suggestions(ui, &mut settings.time_slots, practices, palette);
        });
    ui.add_space(12.0);
    ui.vertical_centered(|ui| {
        if ui.button("Back").clicked() {
            commands.push(Command::CloseScreen);
        }
        ui.label(RichText::new("Esc goes back. Changes are saved.").color(palette.quiet_text));
    });
}

/// A strap's signal strength in words, with its number.
fn signal_words(rssi: Option<i16>) -> String {
    match rssi {
        Some(dbm) if dbm >= -60 => format!("strong signal, {dbm} dBm"),
        Some(dbm) if dbm >= -75 => format!("fair signal, {dbm} dBm"),
        Some(dbm) => format!("weak signal, {dbm} dBm: bring it nearer"),
        None => "signal not heard just now".to_owned(),
    }
}

/// The heart rate strap: on or off, looking for straps, picking one, forgetting it, the raw
/// intervals, the trace, and the resonance test; what stands in the way said in plain words.
fn heart_strap(
    ui: &mut egui::Ui,
    strap: &mut crate::store::settings::HeartStrapSettings,
    status: &crate::app::StrapStatus,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    section(ui, "Heart rate strap", palette);
    ui.checkbox(
        &mut strap.on,
        "Use a heart rate strap (Bluetooth chest strap)",
    );
    let quiet = |ui: &mut egui::Ui, text: &str| {
        ui.label(RichText::new(text).size(16.0).color(palette.quiet_text));
    };
    if !strap.on {
        quiet(
            ui,
            "Off. With a strap, a session shows your heart rate and how far it swings with each \
             breath. While this is off, nothing at all is asked of Bluetooth.",
        );
        return;
    }
    let chosen = strap
        .address
        .as_ref()
        .map(|address| strap.name.clone().unwrap_or_else(|| address.clone()));
    // What is known now, in plain words: what stands in the way first.
    let said = match (&status.problem, &chosen, status.looking) {
        (Some(problem), ..) => problem.clone(),
        (None, _, true) if status.found.is_empty() => {
            "Looking for straps nearby… Put the strap on, its contacts moistened, so it wakes."
                .to_owned()
        }
        (None, _, true) => format!(
            "Found {} nearby. Choose yours:",
            match status.found.len() {
                1 => "one strap".to_owned(),
                n => format!("{n} straps"),
            }
        ),
        (None, Some(name), false) => match &status.last_session {
            Some(words) => format!("{name}: in the last session, {words}"),
            None => format!("{name} is chosen; it connects when a session begins."),
        },
        (None, None, false) => {
            "No strap is chosen yet: look for straps, with yours on and its contacts moistened."
                .to_owned()
        }
    };
    ui.label(RichText::new(said).color(if status.problem.is_some() {
        palette.warning
    } else {
        palette.quiet_text
    }));
    if let Some(name) = &chosen {
        row(ui, |ui| {
            ui.label(format!("Chosen: {name}"));
            if ui.button("Forget this strap").clicked() {
                commands.push(Command::ForgetStrap);
            }
        });
    }
    row(ui, |ui| {
        let (words, look) = if status.looking {
            ("Stop looking", false)
        } else {
            ("Look for straps", true)
        };
        if ui.button(words).clicked() {
            commands.push(Command::LookForStraps(look));
        }
    });
    if status.looking {
        for (index, device) in status.found.iter().enumerate() {
            let name = device.name.as_deref().unwrap_or(&device.address);
            let words = format!("Use {name} ({})", signal_words(device.rssi));
            if ui.button(words).clicked() {
                commands.push(Command::PickStrap(index));
            }
        }
    }
    ui.checkbox(
        &mut strap.keep_raw_intervals,
        "Keep the raw beat intervals (a file a session, in heart/ in the data folder)",
    );
    ui.checkbox(
        &mut strap.show_trace,
        "Show a soft trace of the heart rate against the breath under the orb",
    );
    ui.add_space(6.0);
    let ready = chosen.is_some();
    let test = ui.add_enabled(
        ready,
        egui::Button::new("Find your resonance rate (a 10-minute test)"),
    );
    if test.clicked() {
        commands.push(Command::StartResonanceTest);
    }
    quiet(
        ui,
        if ready {
            "Five rates, two minutes each: where your heart swings most with the breath. The \
             result can set Resonance 5-5 to your rate."
        } else {
            "The resonance test needs the strap: choose one above."
        },
    );
}

/// The daily check-in: whether and when it is offered, the weekly PEG day, one's own marks.
fn checkin(
    ui: &mut egui::Ui,
    checkin: &mut crate::store::settings::CheckInSettings,
    marks_text: &mut String,
    palette: &Palette,
) {
    section(ui, "Daily check-in", palette);
    ui.checkbox(
        &mut checkin.offer,
        "Offer a ten-second check-in once a day (pain, sleep, stress)",
    );
    ui.add_enabled_ui(checkin.offer, |ui| {
        row(ui, |ui| {
            time_field(ui, "From", &mut checkin.from, palette);
            ui.label(RichText::new("or after the evening wind-down").color(palette.quiet_text));
        });
        ui.checkbox(
            &mut checkin.notify,
            "Also as a quiet notification at that time",
        );
        row(ui, |ui| {
            let label = ui.label("The weekly questions (PEG) on");
            const DAYS: [&str; 7] = [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ];
            let shown = DAYS
                .get(usize::from(checkin.weekly_day.clamp(1, 7) - 1))
                .copied()
                .unwrap_or("Sunday");
            egui::ComboBox::from_id_salt("checkin_weekly_day")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (day, name) in (1u8..).zip(DAYS) {
                        ui.selectable_value(&mut checkin.weekly_day, day, name);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        let label = ui.label("Marks of your own (up to six, separated by commas)");
        let edited = ui
            .add(
                TextEdit::singleline(marks_text)
                    .hint_text("e.g. gardening, a long drive")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
            .changed();
        if edited {
            checkin.own_marks = marks_text
                .split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(|m| {
                    m.chars()
                        .take(crate::store::checkins::MARK_NAME_MAX)
                        .collect()
                })
                .take(crate::store::checkins::OWN_MARKS_MAX)
                .collect();
        }
    });
}

/// Reminders while the app is open: all off until switched on here.
fn reminders(
    ui: &mut egui::Ui,
    reminders: &mut ReminderSettings,
    sit_text: &mut String,
    practices: &[String],
    palette: &Palette,
) {
    section(ui, "Reminders", palette);
    ui.label(
        RichText::new(
            "A quiet prompt while downshift runs (in the tray too), never during a session.",
        )
        .color(palette.quiet_text),
    );
    ui.checkbox(
        &mut reminders.transition,
        "Remind me of a transition ritual every day",
    );
    ui.add_enabled_ui(reminders.transition, |ui| {
        row(ui, |ui| {
            time_field(ui, "At", &mut reminders.transition_at, palette);
            practice_choice(ui, "Ritual", &mut reminders.transition_practice, practices);
        });
    });
    ui.add_space(6.0);
    ui.checkbox(&mut reminders.micro_rests, "Nudge me to take micro-rests");
    ui.add_enabled_ui(reminders.micro_rests, |ui| {
        paced_sitting(ui, reminders, sit_text, palette);
        row(ui, |ui| {
            time_field(ui, "From", &mut reminders.micro_rest_from, palette);
            time_field(ui, "Until", &mut reminders.micro_rest_until, palette);
        });
        row(ui, |ui| {
            practice_choice(ui, "Rest", &mut reminders.micro_rest_practice, practices)
        });
    });
    ui.add_space(6.0);
    ui.add_enabled_ui(reminders.any(), |ui| {
        ui.checkbox(
            &mut reminders.workdays_only,
            "Only on workdays (Monday to Friday)",
        );
        ui.add(
            Slider::new(&mut reminders.later_minutes, 5..=60)
                .step_by(5.0)
                .text("until \"Later\" asks again")
                .suffix(" min"),
        );
    });
}

/// How long the person can sit sets the interval (paced sitting); without it, a slider does.
fn paced_sitting(
    ui: &mut egui::Ui,
    reminders: &mut ReminderSettings,
    sit_text: &mut String,
    palette: &Palette,
) {
    let question = ui.label("How long can you usually sit before your back starts to complain?");
    row(ui, |ui| {
        let field = ui
            .add(
                TextEdit::singleline(sit_text)
                    .desired_width(60.0)
                    .char_limit(3),
            )
            .labelled_by(question.id);
        ui.label("minutes (optional)");
        let typed = sit_text.trim();
        let minutes = typed
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=LONGEST_SIT).contains(m));
        if field.changed() && (typed.is_empty() || minutes.is_some()) {
            reminders.sit_minutes = minutes;
        }
        if !typed.is_empty() && minutes.is_none() {
            ui.label(
                RichText::new(format!("write a number of minutes, 1 to {LONGEST_SIT}"))
                    .color(palette.warning),
            );
        }
    });
    match reminders.sit_minutes {
        Some(sit) => {
            let how = if reminders.micro_rest_minutes == interval_for(sit) {
                "80 % of that"
            } else {
                "paced from 80 % of that"
            };
            ui.label(format!(
                "Nudges every {} minutes ({how})",
                reminders.micro_rest_minutes
            ));
        }
        None => {
            ui.add(
                Slider::new(&mut reminders.micro_rest_minutes, 15..=120)
                    // An interval paced outside these ends (5 to 240 minutes) is kept until it is
                    // moved.
                    .clamping(egui::SliderClamping::Edits)
                    .step_by(5.0)
                    .text("between nudges")
                    .suffix(" min"),
            );
        }
    }
}

/// The tray, closing to it, and starting with the desktop session.
fn in_the_background(
    ui: &mut egui::Ui,
    keep_in_tray: &mut bool,
    desktop: &DesktopStatus,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    section(ui, "In the background", palette);
    let tray = match &desktop.tray {
        TrayStatus::Shown => "downshift is in your panel's tray, with the reminders.".to_owned(),
        TrayStatus::Starting => "Looking for the tray…".to_owned(),
        TrayStatus::Absent(reason) => format!(
            "No tray on this desktop ({reason}). Reminders still come as notifications \
             while downshift runs, and closing the window quits it."
        ),
    };
    ui.label(RichText::new(tray).color(palette.quiet_text));
    // Without a tray there is nowhere to keep it: the line above says closing quits.
    let tray_absent = matches!(desktop.tray, TrayStatus::Absent(_));
    ui.add_enabled(
        !tray_absent,
        egui::Checkbox::new(
            keep_in_tray,
            "Closing the window keeps downshift in the tray (with reminders on)",
        ),
    );
    match &desktop.autostart_entry {
        Some(entry) => {
            let mut on = desktop.autostart;
            let changed = ui
                .checkbox(&mut on, "Start with my desktop session (in the tray)")
                .on_hover_text(entry.display().to_string())
                .changed();
            if changed {
                commands.push(Command::SetAutostart(on));
            }
        }
        None => {
            ui.label(
                RichText::new("Starting with the desktop session is not available here.")
                    .color(palette.quiet_text),
            );
        }
    }
}

/// Which practice the home screen suggests at which time of day.
fn suggestions(
    ui: &mut egui::Ui,
    slots: &mut Vec<TimeSlot>,
    practices: &[String],
    palette: &Palette,
) {
    section(ui, "Suggestions through the day", palette);
    ui.label(
        RichText::new("From each time on, the home screen offers this practice first.")
            .color(palette.quiet_text),
    );
    let mut remove = None;
    for (index, slot) in slots.iter_mut().enumerate() {
        ui.push_id(index, |ui| {
            row(ui, |ui| {
                time_field(ui, "From", &mut slot.from, palette);
                practice_choice(ui, "Practice", &mut slot.practice, practices);
                if ui.button("Remove").clicked() {
                    remove = Some(index);
                }
            });
            row(ui, |ui| {
                let label = ui.label("Because");
                ui.add(TextEdit::singleline(&mut slot.reason).desired_width(380.0))
                    .labelled_by(label.id);
            });
            ui.add_space(4.0);
        });
    }
    if let Some(index) = remove {
        slots.remove(index);
    }
    if ui.button("Add a time").clicked() {
        slots.push(TimeSlot {
            from: "12:00".to_owned(),
            practice: practices.first().cloned().unwrap_or_default(),
            reason: "a pause at midday".to_owned(),
        });
    }
}

/// An "HH:MM" field, with a quiet word when it does not read as a time.
fn time_field(ui: &mut egui::Ui, label: &str, time: &mut String, palette: &Palette) {
    let label = ui.label(label);
    ui.add(TextEdit::singleline(time).desired_width(90.0).char_limit(5))
        .labelled_by(label.id);
    if minute_of_day(time).is_none() {
        ui.label(RichText::new("write it as HH:MM").color(palette.warning));
    }
}

fn practice_choice(ui: &mut egui::Ui, label: &str, chosen: &mut String, practices: &[String]) {
    let label = ui.label(label);
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(chosen.as_str())
        .width(240.0)
        .show_ui(ui, |ui| {
            for name in practices {
                ui.selectable_value(chosen, name.clone(), name);
            }
        })
        .response
        .labelled_by(label.id);
}

/// A row whose labels sit level with the fields beside them.
fn row(ui: &mut egui::Ui, contents: impl FnOnce(&mut egui::Ui)) {
    let size = egui::vec2(ui.available_width(), 42.0);
    ui.allocate_ui_with_layout(
        size,
        egui::Layout::left_to_right(egui::Align::Center),
        contents,
    );
}

fn section(ui: &mut egui::Ui, title: &str, palette: &Palette) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).size(24.0).color(palette.breath));
}
