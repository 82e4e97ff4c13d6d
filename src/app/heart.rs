//! The heart in the window: where a session's beats come from (the strap, when it is switched on
//! and chosen, or a recording given on the command line), what its source says (a calm notice
//! while the strap is lost, gone when it is back), the raw intervals kept when asked, the strap's
//! part of Settings (looking for straps, picking one, forgetting it), and the resonance test:
//! begun after the safety note's words, ranked at its end, and the resonance practice set to
//! its best rate when the person says so.
//!
//! Nothing here touches Bluetooth: it asks the runtime to (`DesktopEffect::HeartSource`,
//! `DesktopEffect::LookForStraps`), and only while the strap is switched on.

use super::effect::{DesktopEffect, Effect, FileEffect, HeartFeed};
use super::screen::{RateOffer, ResonanceScreen, SafetyScreen, SaveStatus, Screen};
use super::state::{AppState, Now};
use crate::desktop::heart_strap::ScanEvent;
use crate::practice::heart::{HeartEvent, TEST_RATES, even_breath, test_practice};
use crate::practice::{Practice, Step};
use crate::session::LiveSession;
use crate::store::{Library, Origin, SessionRecord};

/// The calm notice while the strap is away during a session; it goes when the strap is back.
pub const STRAP_LOST: &str = "The heart rate strap is out of reach. The session goes on; \
                              downshift keeps looking for the strap.";
/// The built-in practice the resonance test sets to the best rate.
pub const RESONANCE_PRACTICE: &str = "Resonance 5-5";

/// Where the beats of a session beginning now come from: the recording given on the command
/// line (for the session it began), else the strap when it is switched on and chosen.
fn feed_for_session(state: &mut AppState) -> Option<HeartFeed> {
    if let Some(recording) = state.heart_recording.take() {
        return Some(HeartFeed::Recording(recording));
    }
    let strap = &state.settings.heart_strap;
    match (&strap.address, strap.on) {
        (Some(address), true) => Some(HeartFeed::Strap {
            address: address.clone(),
        }),
        _ => None,
    }
}

/// A session begins: its heart's source is started, if it has one.
pub(super) fn session_begins(
    state: &mut AppState,
    session: LiveSession,
    effects: &mut Vec<Effect>,
) -> LiveSession {
    match feed_for_session(state) {
        Some(feed) => {
            effects.push(DesktopEffect::HeartSource(Some(feed)).into());
            session.with_heart(state.settings.heart_strap.keep_raw_intervals)
        }
        None => session,
    }
}

/// The raw intervals that came, for the files worker; `sync`: to disk too, `last`: closed.
pub(super) fn keep_raw(
    session: &mut LiveSession,
    sync: bool,
    last: bool,
    effects: &mut Vec<Effect>,
) {
    if !session.heart().is_some_and(|h| h.keeps_raw()) {
        return;
    }
    let rr_ms = session.take_raw_intervals();
    if rr_ms.is_empty() && !last {
        return;
    }
    effects.push(
        FileEffect::RawIntervals {
            record_id: session.record_id().to_owned(),
            about: session.about(),
            rr_ms,
            sync,
            last,
        }
        .into(),
    );
}

/// The session has ended: its source is stopped, its raw intervals closed, and the notice of a
/// lost strap goes with it.
pub(super) fn session_ends(
    session: &mut LiveSession,
    notices: &mut super::Notices,
    strap: &mut super::StrapStatus,
    effects: &mut Vec<Effect>,
) {
    let Some(heart) = session.heart() else {
        return;
    };
    strap.last_session = match heart.link() {
        crate::session::heart::HeartLink::Problem(words) => Some(words.clone()),
        _ => None,
    };
    effects.push(DesktopEffect::HeartSource(None).into());
    keep_raw(session, true, true, effects);
    notices.withdraw(STRAP_LOST);
}

/// What the heart's source says: beats to the live session; a lost strap said calmly, and
/// withdrawn when it is back. Nothing of it ever stops or holds up the session.
pub(super) fn heart_event(state: &mut AppState, event: HeartEvent, now: &Now) {
    match &event {
        HeartEvent::Lost { why } => {
            log::info!("heart rate strap lost: {why}");
            if state.is_in_session() {
                state.notices.push(STRAP_LOST);
            }
        }
        HeartEvent::Back | HeartEvent::Connected { .. } => {
            state.notices.withdraw(STRAP_LOST);
            state.desktop.strap.problem = None;
        }
        HeartEvent::Problem(words) => state.desktop.strap.problem = Some(words.clone()),
        _ => {}
    }
    if let Screen::Session(session) = &mut state.screen {
        session.take_heart(event, now.mono);
    }
}

/// Settings: look for straps nearby, or stop looking. Only while the strap is switched on.
pub(super) fn look_for_straps(state: &mut AppState, look: bool, effects: &mut Vec<Effect>) {
    let on = match &state.screen {
        Screen::Settings(form) => form.draft.heart_strap.on,
        _ => false,
    };
    let look = look && on;
    let strap = &mut state.desktop.strap;
    if strap.looking != look {
        strap.looking = look;
        if look {
            strap.found.clear();
            strap.problem = None;
        }
        effects.push(DesktopEffect::LookForStraps(look).into());
    }
}

/// The look for straps goes with the Settings screen, however it is left.
pub(super) fn keep_straps(state: &mut AppState, effects: &mut Vec<Effect>) {
    if state.desktop.strap.looking && !matches!(state.screen, Screen::Settings(_)) {
        state.desktop.strap.looking = false;
        effects.push(DesktopEffect::LookForStraps(false).into());
    }
}

/// What the look for straps found.
pub(super) fn strap_scan(state: &mut AppState, event: ScanEvent) {
    let strap = &mut state.desktop.strap;
    if !strap.looking {
        return;
    }
    match event {
        ScanEvent::Devices(found) => {
            strap.found = found;
            strap.problem = None;
        }
        ScanEvent::Problem(words) => {
            strap.found.clear();
            strap.problem = Some(words);
        }
    }
}

/// Settings: the strap found at `index` is the one; the look stops.
pub(super) fn pick_strap(state: &mut AppState, index: usize, effects: &mut Vec<Effect>) {
    let Some(device) = state.desktop.strap.found.get(index).cloned() else {
        return;
    };
    if let Screen::Settings(form) = &mut state.screen {
        form.draft.heart_strap.address = Some(device.address.clone());
        form.draft.heart_strap.name = device.name.clone();
        state.settings.heart_strap = form.draft.heart_strap.clone();
        state.desktop.strap.last_session = None;
        look_for_straps(state, false, effects);
    }
}

/// Settings: no strap is chosen any more.
pub(super) fn forget_strap(state: &mut AppState) {
    if let Screen::Settings(form) = &mut state.screen {
        form.draft.heart_strap.address = None;
        form.draft.heart_strap.name = None;
        state.settings.heart_strap = form.draft.heart_strap.clone();
        state.desktop.strap.last_session = None;
    }
}

/// The strap's settings changed in the form: switched on with none chosen, it looks for
/// straps at once; switched off, it stops looking and nothing more is asked of Bluetooth.
pub(super) fn strap_settings_changed(
    state: &mut AppState,
    was_on: bool,
    effects: &mut Vec<Effect>,
) {
    let strap = &state.settings.heart_strap;
    if strap.on && !was_on && strap.address.is_none() {
        look_for_straps(state, true, effects);
    } else if !strap.on {
        look_for_straps(state, false, effects);
        state.desktop.strap.problem = None;
    }
}

/// Whether a session begun now would have the heart's beats (the test needs them).
pub fn has_heart_source(state: &AppState) -> bool {
    let strap = &state.settings.heart_strap;
    state.heart_recording.is_some() || (strap.on && strap.address.is_some())
}

/// The resonance test, asked for: the safety note's words first, then the test. Without a
/// source of beats it cannot rank anything, and says so instead.
pub(super) fn start_resonance_test(state: &mut AppState, effects: &mut Vec<Effect>) {
    if !has_heart_source(state) {
        state.notices.push(
            "The resonance test needs a heart rate strap: switch it on and choose one in \
             Settings.",
        );
        return;
    }
    if let Screen::Settings(_) = state.screen {
        effects.push(FileEffect::SaveSettings(Box::new(state.settings.clone())).into());
        look_for_straps(state, false, effects);
    }
    state.screen = Screen::Safety(Box::new(SafetyScreen {
        then: Some(test_practice()),
        back_to: None,
        red_flag: None,
        resonance_test: true,
    }));
}

/// The resonance test has ended: its result, ranked over the rates breathed whole, with the
/// offer to set the resonance practice to the best one.
pub(super) fn resonance_result(
    library: &Library,
    session: &LiveSession,
    record: &SessionRecord,
) -> ResonanceScreen {
    let analysis = session.heart().and_then(|h| h.resonance(&TEST_RATES));
    let mut screen = ResonanceScreen::new(
        &TEST_RATES,
        analysis.as_ref(),
        !record.completed(),
        SaveStatus::Saving(record.id.clone()),
    );
    if let Some(rate) = screen.best {
        screen.offer = rate_offer(library, rate);
        if screen.offer.is_none() {
            screen.offer_answer = Some(format!(
                "{RESONANCE_PRACTICE} already paces about {rate:.1} breaths a minute."
            ));
        }
    }
    screen
}

/// Setting the resonance practice to `rate`, unless it breathes at that rate already.
fn rate_offer(library: &Library, rate: f64) -> Option<RateOffer> {
    let entry = library.find(RESONANCE_PRACTICE)?;
    let pattern = even_breath(rate);
    let already = entry
        .practice
        .breathe_blocks()
        .all(|block| (block.pattern.breaths_per_minute() - rate).abs() < 0.05);
    (!already).then(|| RateOffer {
        practice: entry.practice.name.clone(),
        rate,
        pattern,
    })
}

/// The resonance practice, set to the best rate: a preset of one's own customising the
/// built-in (or one's own copy of it, changed), as the editor saves it.
pub(super) fn set_resonance_rate(state: &mut AppState, now: &Now, effects: &mut Vec<Effect>) {
    let Screen::Resonance(screen) = &mut state.screen else {
        return;
    };
    let Some(offer) = screen.offer.take() else {
        return;
    };
    let Some(entry) = state.library.find(&offer.practice) else {
        return;
    };
    let path = match &entry.origin {
        Origin::User { path, .. } => Some(path.clone()),
        Origin::BuiltIn => None,
    };
    let practice = at_rate(&entry.practice, &offer, now.today());
    screen.offer_answer = Some(format!(
        "{} now breathes {:.1} times a minute (in {:.1} s, out {:.1} s), as a preset of your \
         own; Restore original on home undoes it.",
        offer.practice, offer.rate, offer.pattern.inhale, offer.pattern.exhale
    ));
    effects.push(
        FileEffect::SavePreset {
            path,
            practice: Box::new(practice),
        }
        .into(),
    );
}

/// The resonance practice stays as it is.
pub(super) fn keep_resonance_rate(state: &mut AppState) {
    if let Screen::Resonance(screen) = &mut state.screen
        && let Some(offer) = screen.offer.take()
    {
        screen.offer_answer = Some(format!("{} stays as it is.", offer.practice));
    }
}

/// `practice` with every breath at the offer's pattern, saying so in its description.
fn at_rate(practice: &Practice, offer: &RateOffer, today: jiff::civil::Date) -> Practice {
    let mut set = practice.clone();
    for step in &mut set.steps {
        if let Step::Breathe(block) = step {
            block.pattern = offer.pattern;
            block.ramp_to = None;
        }
    }
    set.description = format!(
        "In for {}, out for {}: {:.1} breaths a minute, your resonance rate from the test of {}.",
        number(offer.pattern.inhale),
        number(offer.pattern.exhale),
        offer.rate,
        today.strftime("%-d %B %Y")
    );
    set
}

fn number(seconds: f64) -> String {
    if (seconds - seconds.round()).abs() < 1e-9 {
        format!("{}", seconds.round())
    } else {
        format!("{seconds:.1}")
    }
}
