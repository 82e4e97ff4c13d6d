//! Colours and type: warm, low-contrast, large. The evening theme is the default.

use egui::{Color32, FontId, TextStyle, Visuals};

use crate::store::settings::Theme;

/// The handful of colours the screens paint with.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub background: Color32,
    pub text: Color32,
    pub quiet_text: Color32,
    /// The breath orb and progress.
    pub breath: Color32,
    pub track: Color32,
    pub warning: Color32,
    /// Behind charts and text fields: a shade off the background, not black or white.
    pub well: Color32,
}

impl Palette {
    pub fn of(theme: Theme) -> Palette {
        match theme {
            Theme::Evening => Palette {
                background: Color32::from_rgb(30, 26, 24),
                text: Color32::from_rgb(222, 208, 190),
                quiet_text: Color32::from_rgb(160, 146, 132),
                breath: Color32::from_rgb(214, 152, 108),
                track: Color32::from_rgb(58, 50, 45),
                warning: Color32::from_rgb(214, 170, 110),
                well: Color32::from_rgb(22, 19, 17),
            },
            Theme::Light => Palette {
                background: Color32::from_rgb(244, 238, 228),
                text: Color32::from_rgb(66, 56, 48),
                quiet_text: Color32::from_rgb(120, 106, 94),
                breath: Color32::from_rgb(196, 126, 84),
                track: Color32::from_rgb(222, 210, 196),
                warning: Color32::from_rgb(150, 92, 40),
                well: Color32::from_rgb(250, 246, 240),
            },
        }
    }
}

pub const HEADING_SIZE: f32 = 32.0;
pub const BODY_SIZE: f32 = 21.0;
pub const PHASE_SIZE: f32 = 44.0;
pub const PROMPT_SIZE: f32 = 32.0;

/// Applies a theme to the whole context; with reduced motion, nothing in egui animates
/// (collapsing sections, scrolling to a row, hover fades).
pub fn apply(ctx: &egui::Context, theme: Theme, reduced_motion: bool) {
    let palette = Palette::of(theme);
    let (egui_theme, mut visuals) = match theme {
        Theme::Evening => (egui::Theme::Dark, Visuals::dark()),
        Theme::Light => (egui::Theme::Light, Visuals::light()),
    };
    visuals.panel_fill = palette.background;
    visuals.window_fill = palette.background;
    visuals.extreme_bg_color = palette.well;
    visuals.override_text_color = Some(palette.text);
    visuals.selection.bg_fill = palette.breath.gamma_multiply(0.45);
    visuals.selection.stroke.color = palette.text;
    visuals.widgets.inactive.weak_bg_fill = palette.track;
    visuals.widgets.inactive.bg_fill = palette.track;
    visuals.widgets.hovered.weak_bg_fill = palette.breath.gamma_multiply(0.35);
    visuals.widgets.active.weak_bg_fill = palette.breath.gamma_multiply(0.5);
    ctx.set_theme(egui_theme);
    ctx.set_visuals_of(egui_theme, visuals);
    ctx.all_styles_mut(|style| {
        style
            .text_styles
            .insert(TextStyle::Heading, FontId::proportional(HEADING_SIZE));
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(BODY_SIZE));
        style
            .text_styles
            .insert(TextStyle::Button, FontId::proportional(BODY_SIZE));
        style
            .text_styles
            .insert(TextStyle::Small, FontId::proportional(16.0));
        style.spacing.button_padding = egui::vec2(18.0, 10.0);
        style.spacing.item_spacing = egui::vec2(12.0, 12.0);
        style.spacing.slider_width = 220.0;
        // A solid bar wherever there is more than fits, at rest too: egui's floating bars
        // show only under the pointer, so someone reading by keyboard saw nothing to say a
        // screen went on below. It takes its own room and never covers the text.
        style.spacing.scroll = egui::style::ScrollStyle {
            bar_width: 10.0,
            ..egui::style::ScrollStyle::solid()
        };
        // Gentle: no flashing hover jumps.
        style.animation_time = if reduced_motion { 0.0 } else { 0.25 };
        style.scroll_animation = if reduced_motion {
            egui::style::ScrollAnimation::none()
        } else {
            egui::style::ScrollAnimation::default()
        };
    });
}
