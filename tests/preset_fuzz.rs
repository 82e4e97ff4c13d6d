//! The preset loader against hostile input: random bytes and mutated real presets never panic;
//! each gives either a valid practice or errors that point at a place in the file.

use downshift::practice::{Profile, Timeline, validate};
use downshift::store::presets::{BUILT_IN, parse_preset, to_ron};
use proptest::prelude::*;

const FILE: &str = "fuzz.ron";

fn check(text: &str) -> Result<(), TestCaseError> {
    match parse_preset(FILE, text) {
        Ok(practice) => {
            // Accepted means playable: it lays out as a timeline with something to do, and
            // saving it (export, the editor) gives a file that reads back as the same practice.
            prop_assert!(validate(&practice, Profile::Standard).is_empty());
            let timeline = Timeline::new(&practice).map_err(|p| {
                TestCaseError::fail(format!("accepted but cannot be laid out: {p:?}"))
            })?;
            prop_assert!(timeline.total() > 0);
            let saved = to_ron(&practice);
            let reread = parse_preset("saved.ron", &saved).map_err(|e| {
                TestCaseError::fail(format!("saved as {saved:?}, read back as {e:?}"))
            })?;
            prop_assert_eq!(reread, practice);
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            let lines: Vec<&str> = text.lines().collect();
            for error in errors {
                // Where: this file, a line in it (or just past its end), a column on that line.
                prop_assert_eq!(&error.file, FILE);
                prop_assert!(
                    error.line >= 1 && error.line <= lines.len() + 1,
                    "{} in {} lines",
                    error,
                    lines.len()
                );
                let width = lines.get(error.line - 1).map_or(0, |l| l.chars().count());
                prop_assert!(
                    error.column >= 1 && error.column <= width + 1,
                    "{} on a line of {} characters",
                    error,
                    width
                );
                // What: the field at fault when it is one, and a reason, as the user reads it.
                prop_assert!(!error.message.trim().is_empty());
                let shown = error.to_string();
                let place = format!("{FILE}:{}:{}: ", error.line, error.column);
                prop_assert!(
                    shown.starts_with(&place),
                    "{} does not start with {}",
                    shown,
                    place
                );
                if let Some(field) = &error.field {
                    let named = format!("{field}: {}", error.message);
                    prop_assert!(!field.is_empty());
                    prop_assert!(shown.contains(&named), "{} does not name {}", shown, named);
                }
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

/// Every `key: number` written in `text` outside strings: the key, the line (1-based), and
/// the number's byte range.
fn numbers(text: &str) -> Vec<(String, usize, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let bytes = line.as_bytes();
        let (mut in_string, mut escaped) = (false, false);
        let mut key_start = None;
        for (i, &b) in bytes.iter().enumerate() {
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'/' if bytes.get(i + 1) == Some(&b'/') => break,
                b'a'..=b'z' | b'_' => {
                    key_start.get_or_insert(i);
                }
                b':' if key_start.is_some() => {
                    let key = &line[key_start.unwrap_or(i)..i];
                    let value = line[i + 1..].trim_start();
                    let start = line.len() - value.len();
                    let length = value
                        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                        .unwrap_or(value.len());
                    if length > 0 {
                        found.push((
                            key.to_owned(),
                            index + 1,
                            offset + start..offset + start + length,
                        ));
                    }
                    key_start = None;
                }
                _ => key_start = None,
            }
        }
        offset += line.len();
    }
    found
}

/// Numbers no field of a preset may hold: whichever one they land in, they are refused.
const UNREASONABLE: [&str; 7] = [
    "-1.0",
    "100000.0",
    "1e308",
    "NaN",
    "inf",
    "100000",
    "4294967295",
];

/// A built-in preset with one of its numbers replaced by an unreasonable one (or a harmless
/// one): the file still parses, so whatever is refused is refused by validation.
#[derive(Clone, Debug)]
struct Renumbered {
    original: &'static str,
    text: String,
    key: String,
    line: usize,
    /// The number as the built-in preset has it, and what replaced it.
    was: String,
    now: &'static str,
}

fn renumbered() -> impl Strategy<Value = Renumbered> {
    let sources: Vec<&'static str> = BUILT_IN.iter().map(|(_, text)| *text).collect();
    (
        proptest::sample::select(sources),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(original, which, value)| {
            let found = numbers(original);
            let (key, line, span) = found[which.index(found.len())].clone();
            let replacements: &[&'static str] = if original[span.clone()].contains('.') {
                &[
                    "-1.0", "0.0", "0.01", "0.4", "60.5", "100000.0", "1e308", "NaN", "inf", "4.5",
                ]
            } else {
                &["0", "2", "99", "100000", "4294967295"]
            };
            let now = replacements[value.index(replacements.len())];
            let text = format!(
                "{}{}{}",
                &original[..span.start],
                now,
                &original[span.end..]
            );
            Renumbered {
                original,
                text,
                key,
                line,
                was: original[span].to_owned(),
                now,
            }
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

    #[test]
    fn unreasonable_numbers_are_refused_naming_their_line_and_field(case in renumbered()) {
        let Renumbered { original, text, key, line, was, now } = case;
        check(&text)?;
        match parse_preset(FILE, &text) {
            Err(errors) => prop_assert!(
                errors.iter().any(|e| e.line == line
                    && e.field.as_ref().is_some_and(|f| f.ends_with(&key))),
                "no error names {} on line {}: {:?}",
                key,
                line,
                errors
            ),
            Ok(practice) => {
                prop_assert!(
                    !UNREASONABLE.contains(&now),
                    "{} accepted as {} on line {}",
                    now,
                    key,
                    line
                );
                // Accepted: the number written is the number used, neither dropped nor
                // brought into range behind the person's back.
                let built_in = parse_preset(FILE, original).map_err(|e| {
                    TestCaseError::fail(format!("a built-in preset does not read: {e:?}"))
                })?;
                let number = |text: &str| text.parse::<f64>().map_err(|e| {
                    TestCaseError::fail(format!("{text} is not a number: {e}"))
                });
                let unchanged = number(&was)? == number(now)?;
                prop_assert_eq!(
                    practice == built_in,
                    unchanged,
                    "{} changed from {} to {} on line {}",
                    key,
                    was,
                    now,
                    line
                );
            }
        }
    }
}
