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
