//! The history screen: what was practised, a streak and this week at a glance, what works, and
//! minutes and tension over time. The list shows only the rows in view, so 100,000 sessions
//! scroll as smoothly as ten.

use egui::RichText;
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use super::theme::Palette;
use super::widgets::reserved_line;
use crate::app::Command;
use crate::app::kept::KeptSession;
use crate::app::screen::{ExportFormat, HistoryScreen};
use crate::store::SessionEnd;
use crate::store::insights::{CHART_DAYS, Insights};

fn row_text(record: &KeptSession) -> String {
    let outcome = match record.end {
        SessionEnd::Completed => "completed".to_owned(),
        SessionEnd::EndedEarly { step } => format!("ended at step {step}"),
        SessionEnd::Interrupted { step } => format!("interrupted at step {step}"),
    };
    let tension = match (record.tension_before, record.tension_after) {
        (Some(before), Some(after)) => format!("  ·  tension {before} to {after}"),
        _ => String::new(),
    };
    format!(
        "{}   {}  ·  {:.1} min  ·  {outcome}{tension}",
        record.started.local.strftime("%a %d %b %Y, %H:%M"),
        record.practice,
        record.breathed_seconds as f64 / 60.0
    )
}

/// An amount of time in words: "12 seconds", "1 minute", "2.5 minutes", "40 minutes". Short
/// sessions are not rounded down to nothing.
pub fn time_in_words(minutes: f64) -> String {
    let seconds = (minutes * 60.0).round();
    if seconds < 60.0 {
        let seconds = seconds as u64;
        return format!("{seconds} second{}", if seconds == 1 { "" } else { "s" });
    }
    let tenths = (minutes * 10.0).round() / 10.0;
    if minutes < 10.0 && tenths.fract() != 0.0 {
        return format!("{tenths:.1} minutes");
    }
    let whole = minutes.round() as u64;
    format!("{whole} minute{}", if whole == 1 { "" } else { "s" })
}

/// The same, short, for tables: "12 s", "2.5 min", "40 min".
pub fn time_short(minutes: f64) -> String {
    let seconds = (minutes * 60.0).round();
    if seconds < 60.0 {
        return format!("{seconds:.0} s");
    }
    let tenths = (minutes * 10.0).round() / 10.0;
    if minutes < 10.0 && tenths.fract() != 0.0 {
        format!("{tenths:.1} min")
    } else {
        format!("{:.0} min", minutes.round())
    }
}

/// "Mon 23 Nov" for the day `days_ago` days before `today`.
fn day_name(today: jiff::civil::Date, days_ago: i64) -> String {
    today
        .checked_sub(jiff::Span::new().days(days_ago))
        .map_or_else(
            |_| String::new(),
            |day| day.strftime("%a %-d %b").to_string(),
        )
}

pub fn show(
    ui: &mut egui::Ui,
    screen: &HistoryScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Your sessions");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Back").clicked() {
                commands.push(Command::CloseScreen);
            }
            if !screen.records.is_empty() {
                // Right to left: CSV ends up before JSON.
                if ui.button("Export JSON").clicked() {
                    commands.push(Command::ExportHistory(ExportFormat::Json));
                }
                if ui.button("Export CSV").clicked() {
                    commands.push(Command::ExportHistory(ExportFormat::Csv));
                }
            }
        });
    });
    for problem in &screen.problems {
        ui.label(RichText::new(problem).size(15.0).color(palette.warning));
    }
    if screen.records.is_empty() {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new("No sessions yet.").size(30.0));
            ui.label(
                "Every session you finish or end early appears here, with how tense you felt \
                 before and after. Over a few weeks it shows what helps you.",
            );
        });
        return;
    }
    let insights = &screen.insights;
    ui.label(format!(
        "Streak: {} day{}   ·   This week: {} session{}, {}",
        insights.streak_days,
        if insights.streak_days == 1 { "" } else { "s" },
        insights.week_sessions,
        if insights.week_sessions == 1 { "" } else { "s" },
        time_in_words(insights.week_minutes)
    ));
    ui.horizontal(|ui| {
        // As tall as a button from the start, so the label is centred beside the dropdown.
        ui.set_min_height(
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y,
        );
        let current = screen
            .filter
            .map_or("All practices", |i| screen.practices[i].as_str());
        let label = ui.label("Practice");
        egui::ComboBox::from_id_salt("practice_filter")
            .selected_text(current)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(screen.filter.is_none(), "All practices")
                    .clicked()
                {
                    commands.push(Command::HistoryFilter(None));
                }
                for (i, name) in screen.practices.iter().enumerate() {
                    if ui
                        .selectable_label(screen.filter == Some(i), name)
                        .clicked()
                    {
                        commands.push(Command::HistoryFilter(Some(i)));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        for days in [30, 90] {
            if ui
                .selectable_label(screen.chart_days == days, format!("{days} days"))
                .clicked()
            {
                commands.push(Command::HistoryDays(days));
            }
        }
    });
    // The export's result has its line kept, so nothing moves when it comes.
    reserved_line(
        ui,
        RichText::new(screen.message.as_deref().unwrap_or(" "))
            .size(15.0)
            .color(palette.quiet_text),
        if screen.message.is_some() { 1.0 } else { 0.0 },
    );
    charts(ui, screen, palette);
    what_works(ui, insights, palette);
    ui.add_space(6.0);
    // The line for deleting the session picked is always there, so picking one moves no row.
    ui.horizontal(|ui| {
        ui.set_min_height(
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y,
        );
        let Some(index) = screen.selected else {
            ui.label(
                RichText::new("Pick a session to delete it.")
                    .size(15.0)
                    .color(palette.quiet_text),
            );
            return;
        };
        {
            let when = screen.records[index]
                .started
                .local
                .strftime("%a %d %b %Y, %H:%M");
            if screen.confirming_delete {
                ui.label(
                    RichText::new(format!(
                        "Delete the session of {when}? It cannot be undone."
                    ))
                    .size(16.0),
                );
                if ui.button("Delete").clicked() {
                    commands.push(Command::DeleteSession);
                }
                if ui.button("Keep").clicked() {
                    commands.push(Command::AskDeleteSession(false));
                }
            } else if ui.button("Delete this session…").clicked() {
                commands.push(Command::AskDeleteSession(true));
            }
        }
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("sessions")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, screen.shown.len(), |ui, rows| {
            for &index in &screen.shown[rows] {
                let text = RichText::new(row_text(&screen.records[index])).size(17.0);
                if ui
                    .selectable_label(screen.selected == Some(index), text)
                    .clicked()
                {
                    commands.push(Command::HistorySelect(index));
                }
            }
        });
}

fn charts(ui: &mut egui::Ui, screen: &HistoryScreen, palette: &Palette) {
    let days = screen.chart_days;
    let insights = &screen.insights;
    let width = (ui.available_width() / 2.0 - 8.0).max(200.0);
    ui.horizontal(|ui| {
        let bars: Vec<Bar> = insights.minutes_by_day[CHART_DAYS - days..]
            .iter()
            .enumerate()
            .map(|(i, &minutes)| Bar::new(i as f64 - (days - 1) as f64, minutes).width(0.8))
            .collect();
        let today = screen.today;
        let minutes = BarChart::new("Minutes a day", bars)
            .color(palette.breath)
            .element_formatter(Box::new(move |bar, _| {
                format!(
                    "{}: {}",
                    day_name(today, -bar.argument.round() as i64),
                    time_in_words(bar.value)
                )
            }));
        ui.vertical(|ui| {
            ui.label(RichText::new("Minutes a day").size(16.0));
            Plot::new("minutes_by_day")
                .height(130.0)
                .width(width)
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .show_grid(false)
                .custom_x_axes(vec![date_axis(today)])
                .x_grid_spacer(move |input| day_marks(input, days))
                .show(ui, |plot| plot.bar_chart(minutes));
        });
        let recent: Vec<_> = insights
            .tension
            .iter()
            .filter(|t| (t.days_ago as usize) < days)
            .collect();
        let points = |pick: fn(&crate::store::insights::TensionPoint) -> u8| -> PlotPoints {
            recent
                .iter()
                .map(|t| [-(t.days_ago as f64), pick(t) as f64])
                .collect()
        };
        ui.vertical(|ui| {
            ui.label(RichText::new("Tension before and after").size(16.0));
            Plot::new("tension")
                .height(130.0)
                .width(width)
                .include_y(0.0)
                .include_y(10.0)
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .legend(Legend::default())
                .show(ui, |plot| {
                    plot.line(Line::new("before", points(|t| t.before)).color(palette.quiet_text));
                    plot.line(Line::new("after", points(|t| t.after)).color(palette.breath));
                });
        });
    });
}

/// Dates along the bottom ("23 Nov"), small, for an x that counts days back from today.
fn date_axis<'a>(today: jiff::civil::Date) -> egui_plot::AxisHints<'a> {
    egui_plot::AxisHints::new_x()
        .formatter(move |mark, _| {
            today
                .checked_sub(jiff::Span::new().days(-mark.value.round() as i64))
                .map_or_else(|_| String::new(), |day| day.strftime("%-d %b").to_string())
        })
        .tick_label_font(egui::FontId::proportional(14.0))
        .label_spacing(36.0..=48.0)
}

/// Axis marks a week apart (a fortnight over 90 days), the last on today.
fn day_marks(input: egui_plot::GridInput, days: usize) -> Vec<egui_plot::GridMark> {
    let step = if days > 45 { 14 } else { 7 };
    let (low, high) = input.bounds;
    (0..=days as i64 / step)
        .map(|i| -(i * step) as f64)
        .filter(|&x| x >= low && x <= high)
        .map(|value| egui_plot::GridMark {
            value,
            step_size: step as f64,
        })
        .collect()
}

fn what_works(ui: &mut egui::Ui, insights: &Insights, palette: &Palette) {
    ui.label(
        RichText::new("What works for me")
            .size(20.0)
            .color(palette.breath),
    );
    egui::Grid::new("what_works")
        .num_columns(4)
        .spacing([24.0, 4.0])
        .show(ui, |ui| {
            for heading in ["practice", "sessions", "time", "tension change"] {
                ui.label(RichText::new(heading).size(16.0).color(palette.quiet_text));
            }
            ui.end_row();
            for stats in insights.per_practice.iter().take(8) {
                ui.label(RichText::new(&stats.practice).size(17.0));
                ui.label(RichText::new(stats.sessions.to_string()).size(17.0));
                ui.label(RichText::new(time_short(stats.minutes)).size(17.0));
                let change = stats
                    .average_change
                    .map_or("not rated".to_owned(), |c| format!("{c:+.1}"));
                ui.label(RichText::new(change).size(17.0));
                ui.end_row();
            }
        });
}
