//! The history's three questions at a glance: "Am I practising?" (minutes a day as bars),
//! "Does it help?" (mean tension before and after, day by day, and the change in words) and
//! "What helps most?" (per practice, with too few rated sessions marked as uncertain). Drawn
//! from per-day sums, so 100,000 sessions cost what ten do.

use egui::RichText;
use egui_plot::{AxisHints, Bar, BarChart, GridInput, GridMark, Legend, Line, Plot, Points};

use super::theme::Palette;
use crate::app::screen::HistoryScreen;
use crate::store::insights::{
    CHART_DAYS, DaySwing, DayTension, ENOUGH_RATED, Insights, swing_over,
};

const PLOT_HEIGHT: f32 = 140.0;
const SMALL: f32 = 15.0;

/// "Mon 23 Nov" for the day `days_ago` days before `today`.
pub fn day_name(today: jiff::civil::Date, days_ago: i64) -> String {
    today
        .checked_sub(jiff::Span::new().days(days_ago))
        .map_or_else(
            |_| String::new(),
            |day| day.strftime("%a %-d %b").to_string(),
        )
}

/// Dates along the bottom ("23 Nov"), small, for an x that counts days back from today.
fn date_axis<'a>(today: jiff::civil::Date) -> AxisHints<'a> {
    AxisHints::new_x()
        .formatter(move |mark, _| {
            today
                .checked_sub(jiff::Span::new().days(-mark.value.round() as i64))
                .map_or_else(|_| String::new(), |day| day.strftime("%-d %b").to_string())
        })
        .tick_label_font(egui::FontId::proportional(14.0))
        .label_spacing(36.0..=48.0)
}

/// Small numbers up the side.
fn value_axis<'a>() -> AxisHints<'a> {
    AxisHints::new_y()
        .tick_label_font(egui::FontId::proportional(14.0))
        .label_spacing(14.0..=24.0)
}

/// Axis marks a week apart (a fortnight over 90 days), the last on today.
fn day_marks(input: GridInput, days: usize) -> Vec<GridMark> {
    let step = if days > 45 { 14 } else { 7 };
    let (low, high) = input.bounds;
    (0..=days as i64 / step)
        .map(|i| -(i * step) as f64)
        .filter(|&x| x >= low && x <= high)
        .map(|value| GridMark {
            value,
            step_size: step as f64,
        })
        .collect()
}

/// A chart that answers a question: small, still (no dragging or zooming), hover to read.
fn still_plot<'a>(id: &str, days: usize, today: jiff::civil::Date, width: f32) -> Plot<'a> {
    Plot::new(id)
        .height(PLOT_HEIGHT)
        .width(width)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        // Hovering shows the day (a ruler at it, and its values), not raw coordinates.
        .show_y(false)
        .custom_x_axes(vec![date_axis(today)])
        .custom_y_axes(vec![value_axis()])
        .x_grid_spacer(move |input| day_marks(input, days))
        .include_x(-(days as f64) + 0.5)
        .include_x(0.5)
}

/// The mean tension before and after over `days`, the sessions it rests on, in words.
pub fn change_in_words(days: &[DayTension], span: usize) -> String {
    let rated: u32 = days.iter().map(|d| d.rated).sum();
    if rated == 0 {
        return "No rated sessions in these days. Rate how tense you feel before and after a \
                session to see whether it helps."
            .to_owned();
    }
    let before = days.iter().map(|d| d.before_sum).sum::<f64>() / rated as f64;
    let after = days.iter().map(|d| d.after_sum).sum::<f64>() / rated as f64;
    let change = after - before;
    let how = if change <= -0.05 {
        format!("eased by {:.1}", -change)
    } else if change >= 0.05 {
        format!("rose by {change:.1}")
    } else {
        "stayed the same".to_owned()
    };
    let sessions = if rated == 1 {
        "1 rated session".to_owned()
    } else {
        format!("{rated} rated sessions")
    };
    let mut words = format!(
        "Over {span} days, tension {how} on average ({before:.1} before, {after:.1} after; \
         {sessions})."
    );
    if rated < ENOUGH_RATED {
        words.push_str(" Too few to be sure yet.");
    }
    words
}

pub fn show(ui: &mut egui::Ui, screen: &HistoryScreen, palette: &Palette) {
    let days = screen.chart_days;
    let today = screen.today;
    let insights = &screen.insights;
    ui.columns(2, |columns| {
        let width = columns[0].available_width();
        // Left-aligned, not justified: wrapped lines keep their word spacing.
        let left = egui::Layout::top_down(egui::Align::Min);
        columns[0].with_layout(left, |ui| {
            practising(ui, insights, days, today, width, palette);
        });
        columns[1].with_layout(left, |ui| {
            helping(ui, insights, days, today, width, palette);
        });
    });
    helps_most(ui, insights, palette);
}

fn title(ui: &mut egui::Ui, question: &str, what: &str, palette: &Palette) -> egui::Response {
    ui.horizontal(|ui| {
        let title = ui.label(RichText::new(question).size(19.0).color(palette.breath));
        ui.label(RichText::new(what).size(SMALL).color(palette.quiet_text));
        title
    })
    .inner
}

/// "Am I practising?": minutes a day as bars against dates; hover shows the day.
fn practising(
    ui: &mut egui::Ui,
    insights: &Insights,
    days: usize,
    today: jiff::civil::Date,
    width: f32,
    palette: &Palette,
) {
    let heading = title(ui, "Am I practising?", "minutes a day", palette);
    let bars: Vec<Bar> = insights.minutes_by_day[CHART_DAYS - days..]
        .iter()
        .enumerate()
        .filter(|(_, minutes)| **minutes > 0.0)
        .map(|(i, &minutes)| {
            Bar::new(i as f64 - (days - 1) as f64, minutes)
                .width(0.7)
                .fill(palette.breath.gamma_multiply(0.85))
        })
        .collect();
    let chart = BarChart::new("Minutes", bars)
        .color(palette.breath)
        .element_formatter(Box::new(move |bar, _| {
            format!(
                "{}: {}",
                day_name(today, -bar.argument.round() as i64),
                time_in_words(bar.value)
            )
        }));
    let plot = still_plot("minutes_by_day", days, today, width)
        .include_y(0.0)
        .include_y(10.0)
        .show_grid([false, true])
        .show(ui, |plot| plot.bar_chart(chart));
    plot.response.labelled_by(heading.id);
    ui.label(
        RichText::new(format!(
            "Streak: {} day{}   ·   This week: {} session{}, {}",
            insights.streak_days,
            if insights.streak_days == 1 { "" } else { "s" },
            insights.week_sessions,
            if insights.week_sessions == 1 { "" } else { "s" },
            time_in_words(insights.week_minutes)
        ))
        .size(SMALL),
    );
}

/// "Does it help?": each day's mean tension before and after, as two lines with their points,
/// and the change said in words.
fn helping(
    ui: &mut egui::Ui,
    insights: &Insights,
    days: usize,
    today: jiff::civil::Date,
    width: f32,
    palette: &Palette,
) {
    let heading = title(ui, "Does it help?", "tension, 0 to 10", palette);
    let shown = &insights.tension_by_day[CHART_DAYS - days..];
    let series = |pick: fn((f64, f64)) -> f64| -> Vec<[f64; 2]> {
        shown
            .iter()
            .enumerate()
            .filter_map(|(i, day)| Some([i as f64 - (days - 1) as f64, pick(day.means()?)]))
            .collect()
    };
    let (before, after) = (series(|m| m.0), series(|m| m.1));
    let by_day = shown.to_vec();
    let hover = move |position: &egui_plot::HoverPosition<'_>| -> Option<String> {
        let x = hover_x(position);
        let index = (x.round() + (days - 1) as f64) as usize;
        let day = day_name(today, -x.round() as i64);
        Some(match by_day.get(index).and_then(DayTension::means) {
            Some((before, after)) => {
                let rated = by_day[index].rated;
                format!("{day}: {before:.1} before, {after:.1} after ({rated} rated)")
            }
            None => format!("{day}: no rated session"),
        })
    };
    let plot = still_plot("tension_by_day", days, today, width)
        // Room above 10 for the legend, so it never covers a day.
        .include_y(0.0)
        .include_y(14.0)
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
            dotted_line(plot, "before", before, palette.quiet_text, 1.5);
            dotted_line(plot, "after", after, palette.breath, 2.0);
        });
    plot.response.labelled_by(heading.id);
    ui.label(RichText::new(change_in_words(shown, days)).size(SMALL));
    let swings = &insights.swing_by_day[CHART_DAYS - days..];
    if swing_over(swings).is_some() {
        ui.add_space(6.0);
        heart_swing(ui, swings, days, today, width, palette);
    }
}

/// The heart's swing with each breath over the weeks, from the sessions with a strap, in
/// words: the whole span, and the last week against the one before.
pub fn swing_in_words(days: &[DaySwing]) -> String {
    let Some((mean, sessions)) = swing_over(days) else {
        return "No session with a heart rate strap in these days.".to_owned();
    };
    let with = if sessions == 1 {
        "1 session with a strap".to_owned()
    } else {
        format!("{sessions} sessions with a strap")
    };
    let mut words = format!("The heart swung {mean:.1} a breath on average ({with}).");
    let last = days.len().saturating_sub(7);
    let before = last.saturating_sub(7);
    if let (Some((recent, _)), Some((earlier, _))) =
        (swing_over(&days[last..]), swing_over(&days[before..last]))
    {
        words.push_str(&format!(
            " The last 7 days {recent:.1}, the 7 before {earlier:.1}."
        ));
    }
    words
}

/// The heart's swing, day by day: the mean of the day's sessions with a strap.
fn heart_swing(
    ui: &mut egui::Ui,
    swings: &[DaySwing],
    days: usize,
    today: jiff::civil::Date,
    width: f32,
    palette: &Palette,
) {
    let heading = title(ui, "The heart's swing", "beats a minute a breath", palette);
    let points: Vec<[f64; 2]> = swings
        .iter()
        .enumerate()
        .filter_map(|(i, day)| Some([i as f64 - (days - 1) as f64, day.mean()?]))
        .collect();
    let by_day = swings.to_vec();
    let hover = move |position: &egui_plot::HoverPosition<'_>| -> Option<String> {
        let x = hover_x(position);
        let index = (x.round() + (days - 1) as f64) as usize;
        let day = day_name(today, -x.round() as i64);
        Some(match by_day.get(index).and_then(DaySwing::mean) {
            Some(swing) => format!("{day}: swing {swing:.1} a breath"),
            None => format!("{day}: no session with a strap"),
        })
    };
    let plot = still_plot("swing_by_day", days, today, width)
        .height(PLOT_HEIGHT * 0.7)
        .include_y(0.0)
        .include_y(10.0)
        .show_grid([false, true])
        .label_formatter(hover)
        .show(ui, |plot| {
            dotted_line(plot, "swing", points, palette.breath, 1.5);
        });
    plot.response.labelled_by(heading.id);
    ui.label(RichText::new(swing_in_words(swings)).size(SMALL));
}

/// "What helps most?": each practice's sessions and mean change in tension, the most easing
/// first; fewer than `ENOUGH_RATED` rated sessions are marked as uncertain.
fn helps_most(ui: &mut egui::Ui, insights: &Insights, palette: &Palette) {
    title(
        ui,
        "What helps most?",
        "change in tension, after minus before",
        palette,
    );
    let mut practices: Vec<_> = insights.per_practice.iter().collect();
    practices.sort_by(|a, b| {
        let change = |p: &&crate::store::insights::PracticeStats| p.average_change;
        match (change(a), change(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => b.sessions.cmp(&a.sessions),
        }
    });
    egui::Grid::new("what_helps")
        .num_columns(5)
        .spacing([20.0, 2.0])
        .show(ui, |ui| {
            for heading in ["practice", "sessions", "time", "change", ""] {
                ui.label(RichText::new(heading).size(SMALL).color(palette.quiet_text));
            }
            ui.end_row();
            for stats in practices.iter().take(5) {
                ui.label(RichText::new(&stats.practice).size(16.0));
                ui.label(RichText::new(stats.sessions.to_string()).size(16.0));
                ui.label(RichText::new(time_short(stats.minutes)).size(16.0));
                let change = stats
                    .average_change
                    .map_or("not rated".to_owned(), |c| format!("{c:+.1}"));
                ui.label(RichText::new(change).size(16.0));
                let (note, colour) = match stats.rated {
                    0 => (String::new(), palette.quiet_text),
                    n if n < ENOUGH_RATED => (format!("uncertain: {n} rated"), palette.warning),
                    n => (format!("{n} rated"), palette.quiet_text),
                };
                ui.label(RichText::new(note).size(SMALL).color(colour));
                ui.end_row();
            }
        });
    if practices.len() > 5 {
        ui.label(
            RichText::new(format!(
                "and {} more; pick one under Practice to see it alone",
                practices.len() - 5
            ))
            .size(SMALL)
            .color(palette.quiet_text),
        );
    }
}

/// An amount of time in words: "12 seconds", "1 minute", "2.5 minutes", "40 minutes". Short
/// sessions are not rounded down to nothing.
fn time_in_words(minutes: f64) -> String {
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

/// The same, short, for tables: "12 s", "2.5 min", "40 min", "7.5 h", "2083 h".
fn time_short(minutes: f64) -> String {
    let seconds = (minutes * 60.0).round();
    if seconds < 60.0 {
        return format!("{seconds:.0} s");
    }
    if minutes >= 120.0 {
        let hours = minutes / 60.0;
        return if hours < 10.0 {
            format!("{hours:.1} h")
        } else {
            format!("{hours:.0} h")
        };
    }
    let tenths = (minutes * 10.0).round() / 10.0;
    if minutes < 10.0 && tenths.fract() != 0.0 {
        format!("{tenths:.1} min")
    } else {
        format!("{:.0} min", minutes.round())
    }
}

/// Where along the days a hover is, near a point or not.
pub(super) fn hover_x(position: &egui_plot::HoverPosition<'_>) -> f64 {
    match position {
        egui_plot::HoverPosition::NearDataPoint { position, .. } => position.x,
        egui_plot::HoverPosition::Elsewhere { position } => position.x,
    }
}

/// A series as a line with a dot on each day that has a value.
fn dotted_line(
    plot: &mut egui_plot::PlotUi<'_>,
    name: &str,
    points: Vec<[f64; 2]>,
    color: egui::Color32,
    width: f32,
) {
    plot.line(Line::new(name, points.clone()).color(color).width(width));
    plot.points(Points::new(name, points).color(color).radius(3.0));
}
