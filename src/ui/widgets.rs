//! Shared drawing: the breath orb, the thin progress line, and quiet notices.

use egui::{Pos2, Sense, Stroke, Vec2, epaint::PathShape};

use super::theme::Palette;

/// How the orb should look this frame.
pub struct OrbLook {
    /// 0 (empty lungs) ..1 (full), already eased.
    pub level: f32,
    pub paused: bool,
    pub reduced_motion: bool,
    /// During a hold: how much of it has passed, 0..1, stepped once a second.
    pub hold_progress: Option<f32>,
    /// Read out by screen readers.
    pub description: String,
}

/// A soft glow: two fading rings just outside the orb, each from and to a fraction of the radius
/// beyond it, with its opacity. Rings, not discs under the orb, because under software rendering
/// every pixel painted costs.
const GLOW: [(f32, f32, f32); 2] = [(0.0, 0.09, 0.24), (0.09, 0.18, 0.08)];

/// The soft orb that grows on the inhale and shrinks on the exhale. With reduced motion it keeps
/// its size and brightens and dims instead.
pub fn breath_orb(
    ui: &mut egui::Ui,
    size: f32,
    look: &OrbLook,
    palette: &Palette,
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
    let painter = ui.painter_at(rect.expand(2.0));
    let center = rect.center();
    // At its fullest the orb's glow reaches beyond it: leave room so it is never clipped.
    let glow_reach = 1.0 + GLOW.iter().map(|&(_, to, _)| to).fold(0.0, f32::max);
    let outer = (size / 2.0 - 3.0) / glow_reach;
    let smallest = outer * 0.36;
    let level = look.level.clamp(0.0, 1.0);
    let (radius, brightness) = if look.reduced_motion {
        (outer * 0.72, 0.25 + 0.75 * level)
    } else {
        (smallest + (outer - smallest) * level, 0.9)
    };
    let dim = if look.paused { 0.45 } else { 1.0 };
    let colour = palette.breath.gamma_multiply(brightness * dim);
    painter.circle_stroke(center, outer + 4.0, Stroke::new(1.5, palette.track));
    for (from, to, alpha) in GLOW {
        // Each ring starts well inside the one within it (the core is drawn over the first), so
        // their soft edges never leave a dark seam between them.
        let inner = radius * (1.0 + from) - 0.05 * radius - 2.0;
        let outer = radius * (1.0 + to);
        let width = outer - inner;
        let middle = (inner + outer) / 2.0;
        painter.circle_stroke(
            center,
            middle,
            Stroke::new(width, colour.gamma_multiply(alpha)),
        );
    }
    painter.circle_filled(center, radius, colour);
    if let Some(progress) = look.hold_progress {
        // Still, but alive: a ring that fills through the hold.
        painter.circle_stroke(
            center,
            radius + 8.0,
            Stroke::new(1.0, colour.gamma_multiply(0.5)),
        );
        arc(
            &painter,
            center,
            radius + 8.0,
            progress,
            Stroke::new(3.0, colour),
        );
    }
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &look.description));
    response
}

fn arc(painter: &egui::Painter, center: Pos2, radius: f32, fraction: f32, stroke: Stroke) {
    let fraction = fraction.clamp(0.0, 1.0);
    if fraction <= 0.0 {
        return;
    }
    let start = -std::f32::consts::FRAC_PI_2;
    let points = (0..=48)
        .map(|i| {
            let angle = start + std::f32::consts::TAU * fraction * i as f32 / 48.0;
            center + radius * Vec2::angled(angle)
        })
        .collect();
    painter.add(PathShape::line(points, stroke));
}

/// A thin line showing how far through the whole practice the session is.
pub fn thin_progress(ui: &mut egui::Ui, fraction: f32, label: &str, palette: &Palette) {
    let width = ui.available_width().min(520.0);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 6.0), Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, 3.0, palette.track);
    let mut done = rect;
    done.set_width(rect.width() * fraction.clamp(0.0, 1.0));
    painter.rect_filled(done, 3.0, palette.breath.gamma_multiply(0.8));
    let label = label.to_owned();
    response.widget_info(move || {
        egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &label)
    });
}

/// How visible something that comes and goes is now, 0..1: it fades over a quarter of a second,
/// or, with reduced motion, appears and goes at once.
pub fn fade(ui: &egui::Ui, id: egui::Id, shown: bool, reduced_motion: bool) -> f32 {
    if reduced_motion {
        // Kept in step, so turning reduced motion off later does not replay an old fade.
        ui.ctx().animate_bool_with_time(id, shown, 0.0);
        return if shown { 1.0 } else { 0.0 };
    }
    ui.ctx().animate_bool_with_time(id, shown, 0.25)
}

/// A line of text whose room is always kept, shown at `opacity` (0 hides it): what comes and
/// goes there never moves anything below it.
pub fn reserved_line(ui: &mut egui::Ui, text: egui::RichText, opacity: f32) {
    let galley = egui::WidgetText::from(text.clone()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let (rect, _) = ui.allocate_exact_size(galley.size(), Sense::hover());
    if opacity > 0.0 {
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            ui.multiply_opacity(opacity);
            ui.label(text);
        });
    }
}

/// Quiet messages at the foot of a screen, each with a way to put it away. Call before the
/// screen is drawn: the panel keeps its room at the foot.
pub fn notices(
    ui: &mut egui::Ui,
    notices: &[crate::app::Notice],
    palette: &Palette,
    commands: &mut Vec<crate::app::Command>,
) {
    if notices.is_empty() {
        return;
    }
    foot_panel("notices").show(ui, |ui| {
        for notice in notices {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(&notice.text)
                        .size(16.0)
                        .color(palette.warning),
                );
                let dismiss = ui
                    .small_button("Dismiss")
                    .on_hover_text("Put this message away");
                if dismiss.clicked() {
                    commands.push(crate::app::Command::DismissNotice(notice.id));
                }
            });
        }
    });
}

/// How wide `text` is laid out on one line in `style` (centring a row of buttons or links
/// needs it before they are drawn).
pub fn text_width(ui: &egui::Ui, text: impl Into<egui::WidgetText>, style: egui::TextStyle) -> f32 {
    text.into()
        .into_galley(ui, Some(egui::TextWrapMode::Extend), f32::INFINITY, style)
        .size()
        .x
}

/// A panel at the foot of a screen, with a little room above it: it keeps its place whatever
/// the screen above it holds.
pub fn foot_panel(id: &'static str) -> egui::Panel {
    egui::Panel::bottom(id)
        .resizable(false)
        .show_separator_line(false)
        .frame(egui::Frame::NONE.inner_margin(egui::Margin {
            top: 8,
            ..Default::default()
        }))
}
