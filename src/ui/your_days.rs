//! "Your days": the course of pain, sleep and stress, the small test and its schedule, the
//! patterns (only when they are real), and a calm word when pain has not eased.

use egui::RichText;
use egui_plot::{AxisHints, GridMark, Legend, Line, Plot, Points};

use super::theme::Palette;
use crate::app::Command;
use crate::app::screen::{CHART_SPANS, TestView, YourDaysScreen};
use crate::practice::pain::Day;
use crate::practice::pain::small_test::Verdict;

/// Changes people try, offered as a start.
const EXAMPLE_CHANGES: [&str; 4] = [
    "a micro-rest every 40 minutes",
    "the evening wind-down before bed",
    "a pillow under the knees",
    "a short walk after lunch",
];

pub fn show(
    ui: &mut egui::Ui,
    screen: &mut YourDaysScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        if ui.button("‹ Back").on_hover_text("Key: Esc").clicked() {
            commands.push(Command::CloseScreen);
        }
        ui.label(RichText::new("Your days").size(28.0));
        if ui.button("Check in or fill in a missed day").clicked() {
            commands.push(Command::OpenCheckIn(None));
        }
    });
    let span = match screen.days.len() {
        0 => "No check-ins yet. The check-in comes on the home screen in the evening.".to_owned(),
        n => format!(
            "{} check-in{} over {n} day{}.",
            screen.checkin_count,
            if screen.checkin_count == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" }
        ),
    };
    ui.label(RichText::new(span).color(palette.quiet_text));
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if !screen.days.is_empty() {
                course(ui, screen, palette, commands);
            }
            ui.add_space(12.0);
            small_test(ui, screen, palette, commands);
            ui.add_space(12.0);
            patterns(ui, screen, palette, commands);
            if let Some(flag) = &screen.red_flag {
                ui.add_space(12.0);
                red_flag(ui, &flag.why, palette, commands);
            }
            if let Some(message) = &screen.message {
                ui.add_space(8.0);
                ui.label(RichText::new(message).color(palette.breath));
            }
        });
}

fn red_flag(ui: &mut egui::Ui, why: &str, palette: &Palette, commands: &mut Vec<Command>) {
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, palette.quiet_text))
        .inner_margin(12)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new("A word about seeing someone").heading());
            ui.label(why);
            let reasons = crate::practice::pain::red_flags::SEE_SOMEONE.join("; ");
            ui.label(format!(
                "{} The reasons: {reasons}.",
                crate::practice::pain::red_flags::NOT_ADVICE
            ));
            if ui.link("The safety note").clicked() {
                commands.push(Command::OpenSafety);
            }
        });
}

/// The room the chart's numbers take at its left, in points.
const Y_AXIS_ROOM: f32 = 40.0;
/// The room a date under the chart needs ("Aug 2024" and a gap), in points.
const DATE_LABEL_ROOM: f32 = 80.0;

/// Pain, sleep and stress over the days chosen, on one still chart: hover reads a day.
fn course(
    ui: &mut egui::Ui,
    screen: &YourDaysScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let heading = ui.label(RichText::new("Pain, sleep and stress").heading());
    ui.horizontal(|ui| {
        for (days, words) in CHART_SPANS {
            if ui
                .selectable_label(screen.chart_days == days, words)
                .clicked()
            {
                commands.push(Command::YourDaysSpan(days));
            }
        }
    });
    let shown: Vec<Day> = screen.chart().to_vec();
    let Some(today) = shown.last().map(|d| d.date) else {
        return;
    };
    let count = shown.len();
    let x_of = |i: usize| i as f64 - (count - 1) as f64;
    let series = |pick: fn(&Day) -> Option<f64>| -> Vec<[f64; 2]> {
        shown
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some([x_of(i), pick(d)?]))
            .collect()
    };
    let pain = series(|d| d.pain);
    let sleep = series(|d| d.sleep);
    // Stress is 1-5: drawn on the same 0-10 scale, doubled, and read back as said.
    let stress = series(|d| d.stress.map(|s| s * 2.0));
    let by_day = shown.clone();
    let hover = move |position: &egui_plot::HoverPosition<'_>| -> Option<String> {
        let x = super::history_charts::hover_x(position);
        let index = (x.round() + (count - 1) as f64).max(0.0) as usize;
        let day = by_day.get(index)?;
        let value = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"));
        Some(format!(
            "{}: pain {}, sleep {}, stress {}",
            day.date.strftime("%a %-d %b %Y"),
            value(day.pain),
            value(day.sleep),
            value(day.stress)
        ))
    };
    // A date under the chart every week, fortnight, month, quarter, half year or year: the
    // first step that leaves room for a label and a gap (egui_plot leaves out a label wider
    // than its step, so at 1,000 days a quarter's labels were all left out).
    let points_per_day = (ui.available_width() - Y_AXIS_ROOM).max(1.0) / count.max(1) as f32;
    let step = [7, 14, 30, 91, 182, 365, 730]
        .into_iter()
        .find(|&days| days as f32 * points_per_day >= DATE_LABEL_ROOM)
        .unwrap_or(1461);
    let axis_today = today;
    let dates = AxisHints::new_x()
        .formatter(move |mark, _| {
            axis_today
                .checked_sub(jiff::Span::new().days(-mark.value.round() as i64))
                .map_or_else(
                    |_| String::new(),
                    |day| {
                        if count > 400 {
                            day.strftime("%b %Y").to_string()
                        } else {
                            day.strftime("%-d %b").to_string()
                        }
                    },
                )
        })
        .tick_label_font(egui::FontId::proportional(14.0))
        .label_spacing(36.0..=60.0);
    let plot = Plot::new("your_days_course")
        .height(240.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_y(false)
        .custom_x_axes(vec![dates])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .tick_label_font(egui::FontId::proportional(14.0))
                .label_spacing(14.0..=24.0),
        ])
        .x_grid_spacer(move |input| {
            let (low, high) = input.bounds;
            (0..=count as i64 / step)
                .map(|i| -(i * step) as f64)
                .filter(|&x| x >= low && x <= high)
                .map(|value| GridMark {
                    value,
                    step_size: step as f64,
                })
                .collect()
        })
        .include_x(-(count as f64) + 0.5)
        .include_x(0.5)
        .include_y(0.0)
        // Room above 10 for the legend, so it never covers a day.
        .include_y(16.0)
        .y_grid_spacer(|input| {
            (0..=5)
                .map(|i| GridMark {
                    value: 2.0 * i as f64,
                    step_size: 2.0,
                })
                .filter(|mark| mark.value >= input.bounds.0 && mark.value <= input.bounds.1)
                .collect()
        })
        .show_grid([false, true])
        .legend(
            Legend::default()
                .position(egui_plot::Corner::LeftTop)
                .text_style(egui::TextStyle::Small)
                .follow_insertion_order(true),
        )
        .label_formatter(hover)
        .show(ui, |plot| {
            let dots = count <= 120;
            plot.line(
                Line::new("pain", pain.clone())
                    .color(palette.breath)
                    .width(2.0),
            );
            if dots {
                plot.points(Points::new("pain", pain).color(palette.breath).radius(2.5));
            }
            plot.line(
                Line::new("sleep", sleep)
                    .color(palette.quiet_text)
                    .width(1.5),
            );
            plot.line(
                Line::new("stress (×2)", stress)
                    .color(palette.quiet_text)
                    .style(egui_plot::LineStyle::dashed_loose())
                    .width(1.0),
            );
        });
    plot.response.labelled_by(heading.id).on_hover_text(
        "Pain and sleep 0 to 10, stress 1 to 5 drawn doubled; a day without a check-in is a gap",
    );
}

fn schedule_row(ui: &mut egui::Ui, view: &TestView, palette: &Palette) {
    let schedule = view.test.schedule();
    let today_block = view.today.map(|t| t.block);
    ui.horizontal_wrapped(|ui| {
        for (block, on) in schedule.on.iter().enumerate() {
            let words = if *on { "with" } else { "without" };
            let today = if today_block == Some(block) {
                " (today)"
            } else {
                ""
            };
            let mut text = RichText::new(format!("{}: {words}{today}", block + 1)).size(16.0);
            text = if today_block == Some(block) {
                text.strong().color(palette.breath)
            } else {
                text.color(palette.quiet_text)
            };
            ui.label(text);
        }
    });
}

fn analysis_words(view: &TestView) -> Vec<String> {
    let analysis = &view.analysis;
    let mut lines = vec![format!(
        "{} of {} blocks have enough check-ins.",
        analysis.blocks_counted,
        view.test.with_change.len()
    )];
    if let Some(difference) = analysis.difference {
        let how = if difference < 0.0 { "lower" } else { "higher" };
        let interval = analysis
            .interval
            .map(|(low, high)| format!(" (95 % interval {low:+.1} to {high:+.1})"))
            .unwrap_or_default();
        lines.push(format!(
            "Pain with the change was {:.1} points {how} than without{interval}.",
            difference.abs()
        ));
    }
    if let Some(p) = analysis.p {
        lines.push(format!("Randomisation test: p = {p:.3}."));
    }
    if !analysis.needed.is_empty() {
        lines.push(analysis.needed.clone());
    }
    lines
}

fn small_test(
    ui: &mut egui::Ui,
    screen: &mut YourDaysScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.label(RichText::new("A small test").heading());
    if let Some(view) = screen.test.clone() {
        ui.label(format!("Testing: \u{201c}{}\u{201d}", view.test.change));
        schedule_row(ui, &view, palette);
        if let Some(today) = view.today {
            let with = if today.on { "with" } else { "without" };
            let settling = if today.washout {
                " (a settling day: not counted)"
            } else {
                ""
            };
            ui.label(
                RichText::new(format!("Today: {with} the change{settling}.")).color(palette.breath),
            );
        }
        if view.over {
            ui.label(RichText::new(view.analysis.verdict.words()).size(24.0));
            for line in analysis_words(&view) {
                ui.label(line);
            }
        } else {
            // No difference while it runs: a peek invites stopping when it looks good, and a
            // test stopped on a good look says more than it knows.
            ui.label(
                RichText::new(format!(
                    "{} of {} blocks have enough check-ins so far. The result comes after the \
                     last block.",
                    view.analysis.blocks_counted,
                    view.test.with_change.len()
                ))
                .color(palette.quiet_text),
            );
        }
        ui.horizontal(|ui| {
            if screen.confirming_stop {
                ui.label("Stop the test? What it has so far is kept, with no verdict.");
                if ui.button("Stop it").clicked() {
                    commands.push(Command::StopSmallTest);
                }
                if ui.button("Keep going").clicked() {
                    commands.push(Command::AskStopSmallTest(false));
                }
            } else {
                let label = if view.over {
                    "Close this test"
                } else {
                    "Stop the test"
                };
                if ui.button(label).clicked() {
                    commands.push(if view.over {
                        Command::StopSmallTest
                    } else {
                        Command::AskStopSmallTest(true)
                    });
                }
            }
        });
        last_test(ui, screen, palette);
        return;
    }
    ui.label(
        "Try one change on some blocks of days and not on others, on a schedule drawn at \
         random: 10 blocks of 4 days, 5 each way, the first day of each block not counted. \
         Check in each day; at the end downshift says what the change did to your pain.",
    );
    ui.horizontal_wrapped(|ui| {
        for example in EXAMPLE_CHANGES {
            if ui.button(example).clicked() {
                screen.change = example.to_owned();
            }
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("The change");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut screen.change)
                    .hint_text("in your own words")
                    .desired_width(320.0)
                    .char_limit(crate::store::small_tests::CHANGE_MAX),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut screen.focus_change) {
            field.request_focus();
            field.scroll_to_me(Some(egui::Align::Center));
        }
        if ui.button("Start the test").clicked() {
            commands.push(Command::StartSmallTest);
        }
    });
    last_test(ui, screen, palette);
}

/// The test before, as it ended: its verdict, or what it had when it was stopped early.
fn last_test(ui: &mut egui::Ui, screen: &YourDaysScreen, palette: &Palette) {
    if let Some(view) = &screen.last_test {
        ui.add_space(8.0);
        ui.label(
            RichText::new(format!(
                "The last test, \u{201c}{}\u{201d}: {}",
                view.test.change,
                if view.analysis.verdict == Verdict::Stopped {
                    "stopped early, so no verdict.".to_owned()
                } else {
                    view.analysis.verdict.words().to_owned()
                }
            ))
            .color(palette.quiet_text),
        );
        for line in analysis_words(view) {
            ui.label(RichText::new(line).color(palette.quiet_text));
        }
    }
}

fn patterns(
    ui: &mut egui::Ui,
    screen: &mut YourDaysScreen,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.label(RichText::new("Patterns").heading());
    ui.label(screen.scan.summary());
    let findings: Vec<(String, String)> = screen
        .scan
        .findings
        .iter()
        .map(|f| (f.sentence(), f.test_change()))
        .collect();
    for (sentence, change) in findings {
        ui.horizontal_wrapped(|ui| {
            ui.label(sentence);
            let test_it = ui.button("Test it");
            // Each read with the change it would test, so two findings' buttons differ.
            let name = format!("Test it: {change}");
            ui.ctx()
                .accesskit_node_builder(test_it.id, |node| node.set_label(name));
            if test_it.clicked() {
                commands.push(Command::TestChange(Some(change)));
            }
        });
    }
    ui.label(
        RichText::new(
            "Each factor's mean over the 3 days before is set against the day's pain, with \
             weekdays taken out, against 14-day blocks shuffled at random, corrected for every \
             factor checked. A pattern is not proof; a small test is the way to know.",
        )
        .size(15.0)
        .color(palette.quiet_text),
    );
}
