//! Short, calm messages: a missing sound device, a file that could not be saved. Each is shown
//! once however often it happens, and stays until the person dismisses it.

/// One message and the id that dismisses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub id: u64,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Notices {
    shown: Vec<Notice>,
    next_id: u64,
}

impl Notices {
    /// Adds a message unless the same one is already showing.
    pub fn push(&mut self, text: impl Into<String>) {
        let text = text.into();
        if self.shown.iter().any(|n| n.text == text) {
            return;
        }
        self.next_id += 1;
        self.shown.push(Notice {
            id: self.next_id,
            text,
        });
    }

    pub fn dismiss(&mut self, id: u64) {
        self.shown.retain(|n| n.id != id);
    }

    /// Takes away a message that no longer holds (the sound device came back).
    pub fn withdraw(&mut self, text: &str) {
        self.shown.retain(|n| n.text != text);
    }

    pub fn all(&self) -> &[Notice] {
        &self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_shows_once_and_goes_when_dismissed() {
        let mut notices = Notices::default();
        notices.push("The sound device stopped.");
        notices.push("The sound device stopped.");
        notices.push("Settings could not be saved.");
        assert_eq!(notices.all().len(), 2);
        let first = notices.all()[0].id;
        notices.dismiss(first);
        assert_eq!(notices.all().len(), 1);
        assert_eq!(notices.all()[0].text, "Settings could not be saved.");
        notices.push("The sound device stopped.");
        assert_eq!(notices.all().len(), 2, "shown again when it happens again");
    }
}
