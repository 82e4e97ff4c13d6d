//! Finds where a field sits in a preset file, so a validation problem can name its line and
//! column like a parse error does.

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPosition {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ident,
    Open,
    Close,
    Comma,
    Colon,
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    text: &'a str,
    at: TextPosition,
    /// Bracket nesting outside this token.
    depth: usize,
}

/// Where `field` (a dotted path such as `pattern.exhale`) of step `step` is written, or of the
/// practice itself when `step` is `None`. Falls back to the step's start, then to the top.
pub fn locate(source: &str, step: Option<usize>, field: &str) -> TextPosition {
    let tokens = tokenize(source);
    let top = TextPosition { line: 1, column: 1 };
    let path: Vec<&str> = field.split('.').filter(|p| !p.is_empty()).collect();
    let Some(step) = step else {
        return find_field(&tokens, &path, Some(1)).unwrap_or(top);
    };
    let Some(element) = step_range(&tokens, step) else {
        return find_field(&tokens, &["steps"], Some(1)).unwrap_or(top);
    };
    let within = &tokens[element.clone()];
    find_field(within, &path, None)
        .or_else(|| within.first().map(|t| t.at))
        .unwrap_or(top)
}

/// The field a position in a RON file is in, as a dotted path from the top (`reminders.later_minutes`),
/// so an error at that line and column can name what it is about. `None` outside any field.
pub fn field_at(source: &str, at: TextPosition) -> Option<String> {
    let tokens = tokenize(source);
    // The field being written at each depth, as far as the text before `at` goes.
    let mut fields: Vec<Option<&str>> = Vec::new();
    let before = |t: &Token| (t.at.line, t.at.column) <= (at.line, at.column);
    let mut depth = 0;
    for (i, token) in tokens.iter().enumerate().take_while(|(_, t)| before(t)) {
        fields.truncate(token.depth + 1);
        fields.resize(token.depth + 1, None);
        depth = token.depth;
        match token.kind {
            Kind::Ident if tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Colon) => {
                fields[token.depth] = Some(token.text);
            }
            Kind::Open => depth = token.depth + 1,
            Kind::Comma => fields[token.depth] = None,
            _ => {}
        }
    }
    let path: Vec<&str> = fields.iter().take(depth + 1).flatten().copied().collect();
    (!path.is_empty()).then(|| path.join("."))
}

/// The tokens of the `index`-th element of the top-level `steps: [...]` list.
fn step_range(tokens: &[Token], index: usize) -> Option<std::ops::Range<usize>> {
    let key = (0..tokens.len().saturating_sub(2)).find(|&i| {
        tokens[i].kind == Kind::Ident
            && tokens[i].text == "steps"
            && tokens[i].depth == 1
            && tokens[i + 1].kind == Kind::Colon
            && tokens[i + 2].kind == Kind::Open
    })?;
    let list_depth = tokens[key + 2].depth + 1;
    let first = key + 3;
    let mut element_start = first;
    let mut current = 0;
    for (i, token) in tokens.iter().enumerate().skip(first) {
        let ends_element = token.depth == list_depth && token.kind == Kind::Comma;
        let ends_list = token.kind == Kind::Close && token.depth < list_depth;
        if ends_element || ends_list {
            if current == index {
                return (element_start < i).then_some(element_start..i);
            }
            if ends_list {
                return None;
            }
            current += 1;
            element_start = i + 1;
        }
    }
    None
}

/// Follows `path` through `name:` keys in order; with `depth`, the first key must sit there.
fn find_field(tokens: &[Token], path: &[&str], depth: Option<usize>) -> Option<TextPosition> {
    let mut from = 0;
    let mut found = None;
    for (n, name) in path.iter().enumerate() {
        let want_depth = if n == 0 { depth } else { None };
        let i = (from..tokens.len().saturating_sub(1)).find(|&i| {
            tokens[i].kind == Kind::Ident
                && tokens[i].text == *name
                && tokens[i + 1].kind == Kind::Colon
                && want_depth.is_none_or(|d| tokens[i].depth == d)
        })?;
        found = Some(tokens[i].at);
        from = i + 2;
    }
    found
}

fn tokenize(source: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    let mut line = 1;
    let mut line_start = 0;
    let mut depth = 0usize;
    while i < bytes.len() {
        let at = TextPosition {
            line,
            column: source[line_start..i].chars().count() + 1,
        };
        let c = bytes[i];
        match c {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    if bytes[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    } else if bytes[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                tokens.push(Token {
                    kind: Kind::Open,
                    text: "",
                    at,
                    depth,
                });
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                tokens.push(Token {
                    kind: Kind::Close,
                    text: "",
                    at,
                    depth,
                });
                i += 1;
            }
            b',' | b':' => {
                let kind = if c == b',' { Kind::Comma } else { Kind::Colon };
                tokens.push(Token {
                    kind,
                    text: "",
                    at,
                    depth,
                });
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                tokens.push(Token {
                    kind: Kind::Ident,
                    text: &source[start..i],
                    at,
                    depth,
                });
            }
            _ => i += 1,
        }
        // Never stop inside a multi-byte character.
        while i < bytes.len() && !source.is_char_boundary(i) {
            i += 1;
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"// my preset
(
    version: 1,
    name: "Wind down, (slowly)",
    steps: [
        Prompt(text: "Drop, your: shoulders", seconds: 30),
        Breathe(
            pattern: (inhale: 4.0, exhale: 6.0),
            ramp_to: (inhale: 4.0, exhale: -8.0),
            minutes: 5.0,
        ),
    ],
)
"#;

    fn at(line: usize, column: usize) -> TextPosition {
        TextPosition { line, column }
    }

    #[test]
    fn finds_a_nested_field_of_a_step() {
        assert_eq!(locate(FILE, Some(1), "ramp_to.exhale"), at(9, 36));
        assert_eq!(locate(FILE, Some(1), "pattern.exhale"), at(8, 36));
        assert_eq!(locate(FILE, Some(0), "seconds"), at(6, 47));
    }

    #[test]
    fn finds_a_practice_field() {
        assert_eq!(locate(FILE, None, "name"), at(4, 5));
    }

    #[test]
    fn falls_back_to_the_step_then_the_top() {
        assert_eq!(locate(FILE, Some(1), "breaths"), at(7, 9));
        assert_eq!(locate(FILE, Some(7), "text"), at(5, 5));
        assert_eq!(locate("garbage ((", Some(0), "x"), at(1, 1));
    }

    #[test]
    fn names_the_field_a_position_is_in() {
        let settings = "(\n    master_volume: \"loud\",\n    reminders: (later_minutes: -1, micro_rests: true),\n    time_slots: [(from: 7)],\n    muted: maybe,\n)";
        let field = |line, column| field_at(settings, at(line, column));
        assert_eq!(field(2, 20).as_deref(), Some("master_volume"));
        assert_eq!(field(3, 32).as_deref(), Some("reminders.later_minutes"));
        assert_eq!(field(3, 50).as_deref(), Some("reminders.micro_rests"));
        assert_eq!(field(4, 25).as_deref(), Some("time_slots.from"));
        assert_eq!(field(5, 12).as_deref(), Some("muted"));
        assert_eq!(field(1, 1), None);
    }
}
