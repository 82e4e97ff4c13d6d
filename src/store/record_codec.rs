//! One history record as one line of RON text, and back. Lines exactly as downshift writes them
//! go through a fast reader, so 100,000 sessions load in a blink; anything it does not recognise
//! (a hand-edited line, an escape it does not know) goes to the full RON parser, which also gives
//! the error message.

use ron::extensions::Extensions;

use super::record::{SessionEnd, SessionRecord};

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

/// Reads one line of the log; the error says at which column and why.
pub fn parse_record_line(line: &str) -> Result<SessionRecord, String> {
    if let Some(record) = read_compact(line) {
        return Ok(record);
    }
    ron_options()
        .from_str(line)
        .map_err(|e| format!("column {}: {}", e.span.start.col, e.code))
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

    /// A string with only the escapes downshift's writer uses for ordinary text.
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
                    let escaped = match *self.bytes.get(self.at + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        _ => return None,
                    };
                    text.push(escaped);
                    self.at += 2;
                    run = self.at;
                }
                _ => self.at += 1,
            }
        }
    }
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
    let (mut before, mut after, mut note, mut app_version) = (None, None, String::new(), None);
    loop {
        if c.eat(b')') {
            break;
        }
        let key = c.ident()?;
        c.expect(b':')?;
        match key {
            "version" => version = Some(c.unsigned()?),
            "id" => id = Some(c.string()?),
            "started" => started = Some(c.string()?.parse().ok()?),
            "practice" => practice = Some(c.string()?),
            "practised" => practised = Some(c.string()?),
            "planned_seconds" => planned = Some(c.float()?),
            "breathed_seconds" => breathed = Some(c.float()?),
            "paused_seconds" => paused = Some(c.float()?),
            "breaths" => breaths = Some(c.unsigned()?),
            "end" => {
                end = Some(match c.ident()? {
                    "Completed" => SessionEnd::Completed,
                    "EndedEarly" => {
                        c.expect(b'(')?;
                        (c.ident()? == "step").then_some(())?;
                        c.expect(b':')?;
                        let step = c.unsigned()?;
                        c.expect(b')')?;
                        SessionEnd::EndedEarly { step }
                    }
                    _ => return None,
                })
            }
            "tension_before" => before = Some(c.unsigned()?),
            "tension_after" => after = Some(c.unsigned()?),
            "note" => note = c.string()?,
            "app_version" => app_version = Some(c.string()?),
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
        note,
        app_version: app_version?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::record::sample_record;
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

    #[test]
    fn leaves_anything_else_to_the_full_parser() {
        let line = record_line(&sample_record("x", SessionEnd::Completed)).expect("line");
        for changed in [
            line.replace("version:", "colour: Blue, version:"),
            line.replace("\"x\"", "\"\\u{78}\""),
            line.replace(")", ") trailing"),
            line[..line.len() - 3].to_owned(),
        ] {
            assert_eq!(read_compact(&changed), None, "{changed}");
        }
        // A hand-written but valid line still reads, through the full parser.
        let spaced = line
            .replace(", ", ",\t ")
            .replace("breaths: 12", "breaths: 12 ");
        assert!(parse_record_line(&spaced).is_ok());
    }

    proptest! {
        #[test]
        fn agrees_with_the_full_parser(
            practice in "[ -~]{0,30}",
            note in "[ -~\\n\\t\u{e9}\u{1F33F}]{0,40}",
            breathed in 0.0f64..20_000.0,
            breaths in 0u32..5_000,
            before in proptest::option::of(0u8..=10),
            after in proptest::option::of(0u8..=10),
            step in proptest::option::of(1u32..50),
        ) {
            let mut record = sample_record(&practice, match step {
                Some(step) => SessionEnd::EndedEarly { step },
                None => SessionEnd::Completed,
            });
            record.note = note;
            record.breathed_seconds = breathed;
            record.breaths = breaths;
            record.tension_before = before;
            record.tension_after = after;
            let line = record_line(&record).expect("line");
            let full = parse_record_line(&line).expect("the full parser reads it");
            prop_assert_eq!(&full, &record);
            if let Some(fast) = read_compact(&line) {
                prop_assert_eq!(fast, full);
            }
        }
    }
}
