//! What a frame painted, as text: for what has no accessible node of its own (a plot's axes and
//! hover label, a slider's number).

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use egui::epaint::Shape;

/// Every piece of text painted in the last frame, with where it was painted.
pub fn texts(output: &egui::FullOutput) -> Vec<(String, egui::Pos2)> {
    fn walk(shape: &Shape, found: &mut Vec<(String, egui::Pos2)>) {
        match shape {
            Shape::Text(text) => found.push((text.galley.text().to_owned(), text.pos)),
            Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    for clipped in &output.shapes {
        walk(&clipped.shape, &mut found);
    }
    found
}

/// Whether some painted text is exactly `wanted`.
pub fn painted(output: &egui::FullOutput, wanted: &str) -> bool {
    texts(output).iter().any(|(text, _)| text == wanted)
}

/// How opaque the painted text containing `part` is (1 is fully there), if it was painted.
pub fn opacity(output: &egui::FullOutput, part: &str) -> Option<f32> {
    fn walk(shape: &Shape, part: &str) -> Option<f32> {
        match shape {
            Shape::Text(text) if text.galley.text().contains(part) => {
                // Fading multiplies the colours of the laid-out glyphs.
                let alpha = text
                    .galley
                    .rows
                    .iter()
                    .flat_map(|row| row.row.visuals.mesh.vertices.iter())
                    .map(|vertex| vertex.color.a())
                    .max()
                    .unwrap_or(0);
                Some(text.opacity_factor * alpha as f32 / 255.0)
            }
            Shape::Vec(shapes) => shapes.iter().find_map(|s| walk(s, part)),
            _ => None,
        }
    }
    output.shapes.iter().find_map(|c| walk(&c.shape, part))
}

/// The scroll bars that can be seen in the last frame: upright bars (a track or its handle) at
/// most 16 points wide and at least three times as tall, filled with an opaque colour that is
/// not `background`. A bar painted fully transparent (egui's floating style at rest) is not one.
pub fn scroll_bars(output: &egui::FullOutput, background: egui::Color32) -> Vec<egui::Rect> {
    fn walk(shape: &Shape, background: egui::Color32, found: &mut Vec<egui::Rect>) {
        match shape {
            Shape::Rect(rect) => {
                let size = rect.rect.size();
                if size.x > 0.0
                    && size.x <= 16.0
                    && size.y >= 3.0 * size.x
                    && rect.fill.a() == 255
                    && rect.fill != background
                {
                    found.push(rect.rect);
                }
            }
            Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, background, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    for clipped in &output.shapes {
        walk(&clipped.shape, background, &mut found);
    }
    found
}
