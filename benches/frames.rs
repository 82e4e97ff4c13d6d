//! What one frame costs on the CPU: building the screen with egui and tessellating it into
//! triangles (no GPU). The session screen is drawn up to 30 times a second; the history screen
//! must stay smooth with 100,000 sessions.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use downshift::app::Command;
use downshift::practice::MICROS_PER_SECOND;
use downshift::store::{DataDir, Library};
use downshift::ui::{AppOptions, DownshiftApp, SoundMode, StartRequest};

#[path = "../tests/common/clock.rs"]
mod clock;
#[path = "../tests/common/records.rs"]
mod records;

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(720.0, 760.0),
        )),
        ..Default::default()
    }
}

fn frame(ctx: &egui::Context, app: &mut DownshiftApp) -> usize {
    let mut output = ctx.run_ui(input(), |ui| app.show(ui));
    // No GPU here: the font atlas updates are dropped on purpose.
    output.textures_delta.clear();
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

fn history_file(data: &DataDir, count: usize) {
    let first: jiff::Zoned = "2016-01-01T07:30:00+01:00[Europe/Berlin]"
        .parse()
        .expect("time");
    let every = jiff::SignedDuration::from_secs(3_151);
    let text = records::history_text(&first, every, count, |i| ((i % 9) as u8, (i % 5) as u8));
    std::fs::write(data.history_path(), text).expect("write");
}

fn frame_benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = DataDir::new(dir.path());
    std::fs::write(
        data.settings_path(),
        "(ask_tension: false, safety_note_seen: true)",
    )
    .expect("settings");
    let clock = clock::TestClock::new();

    // A session in the breathing block of the evening wind-down.
    let practice = Library::built_in()
        .find("Evening wind-down")
        .expect("built in")
        .practice
        .clone();
    let mut options = AppOptions::new(clock.clocks(), SoundMode::Off);
    options.start = Some(StartRequest {
        practice,
        muted: true,
        heart_recording: None,
    });
    let mut app = DownshiftApp::new(data.clone(), options);
    let ctx = egui::Context::default();
    clock.advance(40 * MICROS_PER_SECOND);
    assert!(frame(&ctx, &mut app) > 0);
    assert!(
        app.is_in_session(),
        "the session screen is what is measured"
    );
    c.bench_function("session screen frame (build + tessellate)", |b| {
        b.iter(|| {
            // 30 frames a second of breathing.
            clock.advance(33_333);
            black_box(frame(&ctx, &mut app))
        })
    });

    history_file(&data, 100_000);
    let mut app = DownshiftApp::new(
        data.clone(),
        AppOptions::new(clock.clocks(), SoundMode::Off),
    );
    app.apply(Command::OpenHistory);
    let ctx = egui::Context::default();
    assert!(frame(&ctx, &mut app) > 0);
    c.bench_function(
        "history screen frame, 100,000 sessions (build + tessellate)",
        |b| b.iter(|| black_box(frame(&ctx, &mut app))),
    );
}

criterion_group!(benches, frame_benches);
criterion_main!(benches);
