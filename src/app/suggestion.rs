//! Which practice suits the time of day: the window's home screen and `downshift play` with no
//! name both ask here.

use crate::practice::pacing::{minute_of, slot_at};
use crate::store::{Library, Settings};

/// The practice to suggest at a local time, as an index into `library`, and why.
pub fn suggestion(
    library: &Library,
    settings: &Settings,
    at: jiff::civil::DateTime,
) -> Option<(usize, String)> {
    let minute_of_day = minute_of(at);
    let slot = slot_at(&settings.time_slots, minute_of_day)?;
    let index = library.position(&slot.practice)?;
    let (hours, minutes) = (minute_of_day / 60, minute_of_day % 60);
    Some((
        index,
        format!("It's {hours:02}:{minutes:02} — {}.", slot.reason),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggestion_follows_the_time_of_day() {
        let library = Library::built_in();
        let settings = Settings::default();
        let at = |h, m| jiff::civil::date(2026, 11, 23).at(h, m, 0, 0);
        let (index, why) = suggestion(&library, &settings, at(17, 5)).expect("a suggestion");
        assert_eq!(library.entries[index].practice.name, "Work to home");
        assert_eq!(why, "It's 17:05 — time to leave work behind.");
        let (index, _) = suggestion(&library, &settings, at(2, 0)).expect("a suggestion");
        assert_eq!(library.entries[index].practice.name, "Night 3-7");
    }
}
