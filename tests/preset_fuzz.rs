//! The preset loader against hostile input: random bytes and mutated real presets never panic;
//! each gives either a valid practice or errors that point at a place in the file.

use downshift::practice::{Profile, validate};
use downshift::store::presets::{BUILT_IN, parse_preset};
use proptest::prelude::*;

fn check(text: &str) -> Result<(), TestCaseError> {
    match parse_preset("fuzz.ron", text) {
        Ok(practice) => {
            prop_assert!(validate(&practice, Profile::Standard).is_empty());
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            let lines = text.lines().count().max(1);
            for error in errors {
                prop_assert!(
                    error.line >= 1 && error.line <= lines + 1,
                    "{error} in {lines} lines"
                );
                prop_assert!(error.column >= 1);
                prop_assert!(!error.message.is_empty());
            }
        }
    }
    Ok(())
}

/// A built-in preset with one span replaced by some other text.
fn mutated() -> impl Strategy<Value = String> {
    let sources: Vec<&'static str> = BUILT_IN.iter().map(|(_, text)| *text).collect();
    (
        proptest::sample::select(sources),
        any::<prop::sample::Index>(),
        0usize..12,
        prop_oneof![
            Just(String::new()),
            Just("-1.0".to_owned()),
            Just("NaN".to_owned()),
            Just("1e308".to_owned()),
            Just("((((((((".to_owned()),
            Just("]".to_owned()),
            Just("\"".to_owned()),
            Just("version: 99,".to_owned()),
            Just("Breathe(pattern: (inhale: 0.0, exhale: 0.0), minutes: 0.0),".to_owned()),
            "[ -~]{0,8}",
            "\\PC{0,4}",
        ],
    )
        .prop_map(|(text, at, length, insert)| {
            let mut start = at.index(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + length).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}{}{}", &text[..start], insert, &text[end.max(start)..])
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn mutated_presets_never_panic_and_errors_are_located(text in mutated()) {
        check(&text)?;
    }
}
