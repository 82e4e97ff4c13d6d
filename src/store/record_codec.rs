//! One history record as one line of RON text, and back. Lines exactly as downshift writes them
//! go through a fast reader, so 100,000 sessions load in a blink; anything it does not recognise
//! (a hand-edited line, an escape it does not know) goes to the full RON parser, which also gives
//! the error message.

use ron::extensions::Extensions;

use super::record::{HeartRecord, RECORD_VERSION, SessionEnd, SessionRecord};

/// The RON options history lines are written and read with.
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(8)
}

/// One record as one line of text (no newline inside; strings are escaped).
pub fn record_line(record: &SessionRecord) -> Result<String, ron::Error> {
    let compact = ron::ser::PrettyConfig::new()
        .new_line("")
        .indentor("")
        .compact_structs(true)
        .compact_arrays(true);
    ron_options().to_string_pretty(record, compact)
}

/// Reads one line of the log; the error says at which column and why, or that a newer
/// downshift wrote it.
pub fn parse_record_line(line: &str) -> Result<SessionRecord, String> {
    if let Some(record) = read_compact(line) {
        return Ok(record);
    }
    ron_options()
        .from_str(line)
        .map_err(|e| match newer_version(line) {
            Some(version) => format!(
                "written by a newer version of downshift (record version {version}; this one \
                 reads version {RECORD_VERSION}), left as it is"
            ),
            None => format!("column {}: {}", e.span.start.col, e.code),
        })
}

/// The version of a line that does not read as a record, when it is above the one this build
/// writes: its other fields are a newer build's.
fn newer_version(line: &str) -> Option<u32> {
    /// Only the version; every other field is passed over, whatever it is.
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    let read: VersionOnly = ron_options().from_str(line).ok()?;
    (read.version > RECORD_VERSION).then_some(read.version)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn skip_spaces(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_spaces();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    fn ident(&mut self) -> Option<&'a str> {
        self.skip_spaces();
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.at += 1;
        }
        (self.at > start).then(|| std::str::from_utf8(&self.bytes[start..self.at]).ok())?
    }

    fn number(&mut self) -> Option<&'a str> {
        self.skip_spaces();
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        {
            self.at += 1;
        }
        (self.at > start).then(|| std::str::from_utf8(&self.bytes[start..self.at]).ok())?
    }

    fn float(&mut self) -> Option<f64> {
        self.number()?.parse().ok()
    }

    fn unsigned<T: std::str::FromStr>(&mut self) -> Option<T> {
        self.number()?.parse().ok()
    }

    /// A string with the escapes downshift's writer uses (Rust's `char::escape_debug`).
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let mut text = String::new();
        let mut run = self.at;
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => {
                    text.push_str(std::str::from_utf8(&self.bytes[run..self.at]).ok()?);
                    self.at += 1;
                    return Some(text);
                }
                b'\\' => {
                    text.push_str(std::str::from_utf8(&self.bytes[run..self.at]).ok()?);
                    self.at += 1;
                    text.push(self.escape()?);
                    run = self.at;
                }
                _ => self.at += 1,
            }
        }
    }

    fn session_end(&mut self) -> Option<SessionEnd> {
        let step = |c: &mut Self| -> Option<u32> {
            c.expect(b'(')?;
            (c.ident()? == "step").then_some(())?;
            c.expect(b':')?;
            let step = c.unsigned()?;
            c.expect(b')')?;
            Some(step)
        };
        match self.ident()? {
            "Completed" => Some(SessionEnd::Completed),
            "EndedEarly" => Some(SessionEnd::EndedEarly { step: step(self)? }),
            "Interrupted" => Some(SessionEnd::Interrupted { step: step(self)? }),
            _ => None,
        }
    }

    /// A heart summary as `record_line` writes it: `(mean_heart_rate: 63.2, ...)`.
    fn heart(&mut self) -> Option<HeartRecord> {
        self.expect(b'(')?;
        let (mut rate, mut swing, mut rmssd, mut clean, mut dropped) =
            (None, None, None, None, None);
        loop {
            if self.eat(b')') {
                break;
            }
            let key = self.ident()?;
            self.expect(b':')?;
            match key {
                "mean_heart_rate" => fill(&mut rate, self.float())?,
                "mean_swing" => fill(&mut swing, self.float())?,
                "rmssd" => fill(&mut rmssd, self.float())?,
                "clean_beats" => fill(&mut clean, self.unsigned())?,
                "dropped_beats" => fill(&mut dropped, self.unsigned())?,
                _ => return None,
            }
            if !self.eat(b',') {
                self.expect(b')')?;
                break;
            }
        }
        Some(HeartRecord {
            mean_heart_rate: rate?,
            mean_swing: swing,
            rmssd,
            clean_beats: clean?,
            dropped_beats: dropped?,
        })
    }

    /// The character after a backslash: one of `escape_debug`'s escapes, or `None`.
    fn escape(&mut self) -> Option<char> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(match byte {
            b'"' => '"',
            b'\'' => '\'',
            b'\\' => '\\',
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'0' => '\0',
            b'u' => {
                if self.bytes.get(self.at) != Some(&b'{') {
                    return None;
                }
                let digits = &self.bytes[self.at + 1..];
                let length = digits.iter().position(|&b| b == b'}')?;
                if !(1..=6).contains(&length) {
                    return None;
                }
                let hex = std::str::from_utf8(&digits[..length]).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let code = u32::from_str_radix(hex, 16).ok()?;
                self.at += length + 2;
                char::from_u32(code)?
            }
            _ => return None,
        })
    }
}

/// Puts `value` in an empty `slot`; `None` when there is no value or the slot was already filled.
fn fill<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value?);
    Some(())
}

/// Reads a record line written by `record_line`; `None` means "not in that exact form".
pub(crate) fn read_compact(line: &str) -> Option<SessionRecord> {
    let mut c = Cursor {
        bytes: line.as_bytes(),
        at: 0,
    };
    c.expect(b'(')?;
    let (mut version, mut id, mut started, mut practice, mut practised) =
        (None, None, None, None, None);
    let (mut planned, mut breathed, mut paused, mut breaths, mut end) =
        (None, None, None, None, None);
    let (mut before, mut after, mut note, mut app_version) = (None, None, None, None);
    let mut heart = None;
    loop {
        if c.eat(b')') {
            break;
        }
        let key = c.ident()?;
        c.expect(b':')?;
        // A field given twice is refused, as the full parser refuses it.
        match key {
            "version" => fill(&mut version, c.unsigned())?,
            "id" => fill(&mut id, c.string())?,
            "started" => fill(&mut started, c.string().and_then(|s| s.parse().ok()))?,
            "practice" => fill(&mut practice, c.string())?,
            "practised" => fill(&mut practised, c.string())?,
            "planned_seconds" => fill(&mut planned, c.float())?,
            "breathed_seconds" => fill(&mut breathed, c.float())?,
            "paused_seconds" => fill(&mut paused, c.float())?,
            "breaths" => fill(&mut breaths, c.unsigned())?,
            "end" => fill(&mut end, c.session_end())?,
            "tension_before" => fill(&mut before, c.unsigned())?,
            "tension_after" => fill(&mut after, c.unsigned())?,
            "heart" => fill(&mut heart, c.heart())?,
            "note" => fill(&mut note, c.string())?,
            "app_version" => fill(&mut app_version, c.string())?,
            _ => return None,
        }
        if !c.eat(b',') {
            c.expect(b')')?;
            break;
        }
    }
    c.skip_spaces();
    if c.at != c.bytes.len() {
        return None;
    }
    Some(SessionRecord {
        version: version?,
        id: id?,
        started: started?,
        practice: practice?,
        practised: practised?,
        planned_seconds: planned?,
        breathed_seconds: breathed?,
        paused_seconds: paused?,
        breaths: breaths?,
        end: end?,
        tension_before: before,
        tension_after: after,
        heart,
        note: note.unwrap_or_default(),
        app_version: app_version?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::record::{StartTime, sample_record};
    use proptest::prelude::*;

    #[test]
    fn a_record_is_one_line_and_reads_back_the_same() {
        let record = sample_record("Evening wind-down", SessionEnd::EndedEarly { step: 2 });
        let line = record_line(&record).expect("writes");
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("tension_before: 7"), "{line}");
        assert_eq!(parse_record_line(&line), Ok(record));
    }

    #[test]
    fn reads_what_the_writer_writes() {
        let record = sample_record("Night 3-7", SessionEnd::EndedEarly { step: 3 });
        let line = record_line(&record).expect("line");
        assert_eq!(read_compact(&line), Some(record));
    }

    /// What `ron` itself makes of a line, with no fast path in between.
    fn ron_reads(line: &str) -> Option<SessionRecord> {
        ron_options().from_str::<SessionRecord>(line).ok()
    }

    /// The base line the hand-made lines are made from.
    fn written_line() -> String {
        record_line(&sample_record("x", SessionEnd::Completed)).expect("line")
    }

    #[test]
    fn hand_made_lines_are_read_as_ron_reads_them_or_left_to_it() {
        let line = written_line();
        let with_practice = |text: &str| line.replace("practice: \"x\"", text);
        let with = |from: &str, to: &str| {
            assert!(line.contains(from), "{from} is in {line}");
            line.replacen(from, to, 1)
        };
        let tricky_text = sample_record(
            "it's \"quoted\" \\ tab\t nul\0 bell\u{7} nbsp\u{a0} e\u{301} \u{1F33F}",
            SessionEnd::EndedEarly { step: 4 },
        );
        // (line, the fast reader reads it, ron reads it)
        let cases: Vec<(String, bool, bool)> = vec![
            (line.clone(), true, true),
            (record_line(&tricky_text).expect("line"), true, true),
            (with_practice(r#"practice: "\u{78}\u{1F33F}""#), true, true),
            (with_practice(r#"practice: "\u{+78}""#), false, false),
            (with_practice(r#"practice: "\u{}""#), false, false),
            (with_practice(r#"practice: "\u{0000078}""#), false, false),
            (with_practice(r#"practice: "\u{d800}""#), false, false),
            (with_practice(r#"practice: "\u78""#), false, false),
            (with_practice(r#"practice: "\q""#), false, false),
            (with_practice(r#"practice: "\x78""#), false, true),
            (with_practice(r#"practice: r"x""#), false, true),
            (
                with_practice("practice: \"x\", practice: \"y\""),
                false,
                false,
            ),
            (with("version: 1,", "version: 1, version: 2,"), false, false),
            (with("note:", "note: \"\", note:"), false, false),
            (with("version:", "colour: Blue, version:"), false, false),
            (with("breaths: 12, ", ""), false, false),
            (with("tension_before: 7, ", ""), true, true),
            (
                with(
                    "note:",
                    "heart: (mean_heart_rate: 63.2, rmssd: 41.7, clean_beats: 5, \
                     dropped_beats: 0), note:",
                ),
                true,
                true,
            ),
            (
                with("note:", "heart: (mean_heart_rate: 63.2), note:"),
                false,
                false,
            ),
            (with("note: ", "note :\t"), true, true),
            (with("(", "(\x0c "), true, true),
            (with("\"0.1.0\")", "\"0.1.0\",)"), true, true),
            (with("\"0.1.0\")", "\"0.1.0\") trailing"), false, false),
            (with("\"0.1.0\")", "\"0.1.0\") // a remark"), false, true),
            (with("(", "SessionRecord("), false, true),
            (line[..line.len() - 3].to_owned(), false, false),
            (with("breaths: 12", "breaths: +12"), true, true),
            (with("breaths: 12", "breaths: 1_2"), false, true),
            (with("breaths: 12", "breaths: -1"), false, false),
            (with("breaths: 12", "breaths: 1.5"), false, false),
            (with("breaths: 12", "breaths: 4294967296"), false, false),
            (
                with("tension_before: 7", "tension_before: 256"),
                false,
                false,
            ),
            (
                with("tension_before: 7", "tension_before: Some(7)"),
                false,
                true,
            ),
            (
                with("planned_seconds: 300.0", "planned_seconds: 300"),
                true,
                true,
            ),
            (
                with("planned_seconds: 300.0", "planned_seconds: .5"),
                true,
                true,
            ),
            (
                with("planned_seconds: 300.0", "planned_seconds: 1E4"),
                true,
                true,
            ),
            (
                with("planned_seconds: 300.0", "planned_seconds: 3e"),
                false,
                false,
            ),
            (
                with("planned_seconds: 300.0", "planned_seconds: inf"),
                false,
                true,
            ),
            (
                with("end: Completed", "end:EndedEarly (step :3 )"),
                true,
                true,
            ),
            (
                with("end: Completed", "end: EndedEarly(step: 3,)"),
                false,
                true,
            ),
            (
                with("end: Completed", "end: EndedEarly(steps: 3)"),
                false,
                false,
            ),
            (with("end: Completed", "end: Ended"), false, false),
            (
                with("end: Completed", "end: Interrupted(step: 2)"),
                true,
                true,
            ),
            (with("end: Completed", "end: Interrupted"), false, false),
            (with("+01:00", ""), false, false),
            (with("2026-11-21T21:05:00+01:00", "yesterday"), false, false),
            ("()".to_owned(), false, false),
            (String::new(), false, false),
        ];
        for (line, fast_reads, ron_reads_it) in cases {
            let fast = read_compact(&line);
            let ron = ron_reads(&line);
            assert_eq!(fast.is_some(), fast_reads, "fast reader on {line}");
            assert_eq!(ron.is_some(), ron_reads_it, "ron on {line}");
            if fast.is_some() {
                assert_eq!(fast, ron, "{line}");
            }
            // Whichever path reads it, the log's reader gives ron's answer.
            assert_eq!(parse_record_line(&line).ok(), ron, "{line}");
        }
    }

    #[test]
    fn a_line_from_a_newer_version_is_named_as_such() {
        let line = written_line();
        let newer = line.replacen("version: 1,", "version: 2,", 1).replacen(
            "note:",
            "colour: Blue, note:",
            1,
        );
        let reason = parse_record_line(&newer).expect_err("a field this build does not know");
        assert!(
            reason.contains("newer version of downshift (record version 2;"),
            "{reason}"
        );
        let same_version = line.replacen("note:", "colour: Blue, note:", 1);
        let reason = parse_record_line(&same_version).expect_err("a field nobody knows");
        assert!(reason.starts_with("column "), "{reason}");
        // A newer line that holds nothing unknown is read.
        let readable = line.replacen("version: 1,", "version: 2,", 1);
        assert_eq!(parse_record_line(&readable).map(|r| r.version), Ok(2));
    }

    /// The heart summary's text, as the record's writer writes it.
    fn heart_text(heart: &HeartRecord) -> String {
        let compact = ron::ser::PrettyConfig::new()
            .new_line("")
            .indentor("")
            .compact_structs(true);
        ron_options()
            .to_string_pretty(heart, compact)
            .expect("writes")
    }

    fn read_heart(text: &str) -> Option<HeartRecord> {
        let mut c = Cursor {
            bytes: text.as_bytes(),
            at: 0,
        };
        let heart = c.heart()?;
        c.skip_spaces();
        (c.at == c.bytes.len()).then_some(heart)
    }

    #[test]
    fn a_heart_summary_is_read_as_ron_reads_it() {
        let full = HeartRecord {
            mean_heart_rate: 63.2,
            mean_swing: Some(9.4),
            rmssd: Some(41.7),
            clean_beats: 602,
            dropped_beats: 3,
        };
        let text = heart_text(&full);
        assert_eq!(
            text,
            "(mean_heart_rate: 63.2, mean_swing: 9.4, rmssd: 41.7, clean_beats: 602, dropped_beats: 3)"
        );
        let rate_only = HeartRecord {
            mean_swing: None,
            rmssd: None,
            ..full
        };
        for (text, fast_reads, ron_reads_it) in [
            (text.clone(), true, true),
            (heart_text(&rate_only), true, true),
            (
                text.replace("rmssd: 41.7, ", "rmssd: 41.7, rmssd: 2.0, "),
                false,
                false,
            ),
            (
                text.replace("clean_beats: 602", "clean_beats: -1"),
                false,
                false,
            ),
            (text.replace("mean_heart_rate: 63.2, ", ""), false, false),
            (text.replace("dropped_beats", "colour"), false, false),
            (
                text.replace("mean_swing: 9.4", "mean_swing: Some(9.4)"),
                false,
                true,
            ),
        ] {
            let fast = read_heart(&text);
            let ron = ron_options().from_str::<HeartRecord>(&text).ok();
            assert_eq!(fast.is_some(), fast_reads, "fast reader on {text}");
            assert_eq!(ron.is_some(), ron_reads_it, "ron on {text}");
            if fast.is_some() {
                assert_eq!(fast, ron, "{text}");
            }
        }
    }

    fn any_finite() -> impl Strategy<Value = f64> {
        use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
        POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
    }

    fn any_start() -> impl Strategy<Value = StartTime> {
        // 1970 to 2100, in any whole-minute offset from -12:00 to +14:00.
        (0i64..4_102_444_800, -720i32..=840).prop_map(|(second, minutes)| {
            let offset = jiff::tz::Offset::from_seconds(minutes * 60).expect("offset");
            let instant = jiff::Timestamp::from_second(second).expect("instant");
            StartTime::of(&instant.to_zoned(jiff::tz::TimeZone::fixed(offset)))
        })
    }

    prop_compose! {
        fn any_record()(
            version in any::<u32>(),
            id in any::<String>(),
            started in any_start(),
            practice in any::<String>(),
            practised in any::<String>(),
            planned_seconds in any_finite(),
            breathed_seconds in any_finite(),
            paused_seconds in any_finite(),
            breaths in any::<u32>(),
            end in prop_oneof![
                Just(SessionEnd::Completed),
                any::<u32>().prop_map(|step| SessionEnd::EndedEarly { step }),
                any::<u32>().prop_map(|step| SessionEnd::Interrupted { step }),
            ],
            tension_before in any::<Option<u8>>(),
            tension_after in any::<Option<u8>>(),
            heart in proptest::option::of(any_heart()),
            note in any::<String>(),
            app_version in any::<String>(),
        ) -> SessionRecord {
            SessionRecord {
                version, id, started, practice, practised, planned_seconds, breathed_seconds,
                paused_seconds, breaths, end, tension_before, tension_after, heart, note,
                app_version,
            }
        }
    }

    prop_compose! {
        fn any_heart()(
            mean_heart_rate in any_finite(),
            mean_swing in proptest::option::of(any_finite()),
            rmssd in proptest::option::of(any_finite()),
            clean_beats in any::<u32>(),
            dropped_beats in any::<u32>(),
        ) -> HeartRecord {
            HeartRecord { mean_heart_rate, mean_swing, rmssd, clean_beats, dropped_beats }
        }
    }

    /// Bits of RON that make a line mean something else, or nothing.
    const SNIPPETS: &[&str] = &[
        ",",
        ")",
        "(",
        "\\",
        "\"",
        ":",
        " ",
        "\t",
        "\n",
        "_",
        "+",
        "-",
        ".",
        "e",
        "1e400",
        "0x1",
        "//",
        "/*",
        "r#",
        "\\u{41}",
        "\\x41",
        "Some(",
        "None",
        "version: 2, ",
        "heart: (mean_heart_rate: 60.0, clean_beats: 1, dropped_beats: 0), ",
        "mean_swing: 1.5, ",
        "note: \"\", ",
        "breaths: 1, ",
        "end: Completed, ",
        "inf",
        "NaN",
        "é",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Everything the writer writes (finite numbers, any text) the fast reader reads, and
        /// reads exactly as ron does.
        #[test]
        fn the_fast_reader_reads_every_written_line_as_ron_does(record in any_record()) {
            let line = record_line(&record).expect("line");
            prop_assert_eq!(ron_reads(&line), Some(record.clone()), "ron round trip: {}", line);
            prop_assert_eq!(read_compact(&line), Some(record), "fast reader: {}", line);
        }

        /// A written line cut, or with something put in: the fast reader either leaves it to
        /// ron or reads exactly what ron reads, never something ron would refuse.
        #[test]
        fn the_fast_reader_never_reads_a_changed_line_differently_from_ron(
            record in any_record(),
            at_a_field in any::<bool>(),
            at in any::<prop::sample::Index>(),
            cut in prop_oneof![Just(0usize), 0usize..12],
            snippet in prop::sample::select(SNIPPETS),
        ) {
            let line = record_line(&record).expect("line");
            // Half the time where a field begins, so that whole fields get doubled or dropped.
            let places: Vec<usize> = if at_a_field {
                let after_commas = line.match_indices(", ").map(|(i, _)| i + 2);
                std::iter::once(1).chain(after_commas).collect()
            } else {
                (0..=line.len()).collect()
            };
            let mut at = places[at.index(places.len())];
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(line.len());
            while !line.is_char_boundary(end) {
                end += 1;
            }
            let changed = format!("{}{}{}", &line[..at], snippet, &line[end..]);
            if let Some(fast) = read_compact(&changed) {
                prop_assert_eq!(Some(fast), ron_reads(&changed), "{}", changed);
            }
        }
    }
}
