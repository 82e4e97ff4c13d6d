//! The heart's desktop side: the live session's source of beats (the strap through BlueZ, or a
//! recording replayed) and the look for straps Settings asks for. Their events come back as
//! messages when the runtime is polled (every frame, and whenever a source wakes the app).
//! Nothing of Bluetooth is made until a strap is asked for.

use std::sync::Arc;

use super::Wake;
use crate::app::effect::{HeartFeed, Message};
use crate::clock::Clocks;
use crate::desktop::heart_strap::{HeartStrap, Paced, StrapOptions, StrapScan};
use crate::practice::heart::{HeartSource, Replay};

/// Where Bluetooth is reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bluetooth {
    /// The system bus (BlueZ's), as a real run has it.
    System,
    /// This bus (a test's stand-in BlueZ on a private bus).
    Bus(String),
    /// Nowhere: a test that must never touch Bluetooth.
    Nowhere,
}

pub(super) struct HeartDesk {
    bluetooth: Bluetooth,
    /// Sources asked from a thread of their own (the real window), or here, when polled (tests
    /// stepping frame by frame, on their clock).
    threads: bool,
    clocks: Clocks,
    wake: Wake,
    source: Option<Box<dyn HeartSource>>,
    scan: Option<StrapScan>,
}

impl HeartDesk {
    pub(super) fn new(bluetooth: Bluetooth, threads: bool, clocks: Clocks, wake: Wake) -> Self {
        HeartDesk {
            bluetooth,
            threads,
            clocks,
            wake,
            source: None,
            scan: None,
        }
    }

    fn strap_options(&self) -> Option<StrapOptions> {
        let bus = match &self.bluetooth {
            Bluetooth::System => None,
            Bluetooth::Bus(address) => Some(address.clone()),
            Bluetooth::Nowhere => return None,
        };
        let clocks = self.clocks.clone();
        Some(StrapOptions {
            bus,
            ..StrapOptions::new(Arc::new(move || clocks.now()), Arc::clone(&self.wake))
        })
    }

    /// Starts the live session's source (the one before, if any, is let go), or stops it.
    pub(super) fn feed(&mut self, feed: Option<HeartFeed>, send: &impl Fn(Message)) {
        self.let_go();
        self.source = match feed {
            None => None,
            Some(HeartFeed::Recording(recording)) => {
                let replay = Box::new(Replay::of(recording));
                if self.threads {
                    let clocks = self.clocks.clone();
                    Some(Box::new(Paced::start(
                        replay,
                        Arc::new(move || clocks.now()),
                        Arc::clone(&self.wake),
                    )))
                } else {
                    Some(replay)
                }
            }
            Some(HeartFeed::Strap { address }) => self
                .strap_options()
                .map(|options| Box::new(HeartStrap::connect(&address, options)) as Box<_>),
        };
        // Asked at once: a recording starts with the session.
        self.poll(send);
    }

    /// A source let go closes on a thread of its own: a strap's goodbye to BlueZ may take a
    /// moment, and the window does not wait for it.
    fn let_go(&mut self) {
        if let Some(source) = self.source.take() {
            let closing = std::thread::Builder::new()
                .name("heart-strap-closing".into())
                .spawn(move || source.close());
            if let Err(e) = closing {
                log::warn!("the heart's source could not be closed: {e}");
            }
        }
    }

    /// Looks for straps nearby, or stops looking.
    pub(super) fn look(&mut self, look: bool) {
        if !look {
            self.scan = None;
        } else if self.scan.is_none() {
            self.scan = self.strap_options().map(StrapScan::start);
        }
    }

    /// What the source and the look have to say, as messages.
    pub(super) fn poll(&mut self, send: &impl Fn(Message)) {
        if let Some(source) = &mut self.source {
            for event in source.poll(self.clocks.now()) {
                send(Message::Heart(event));
            }
        }
        if let Some(scan) = &self.scan {
            while let Some(event) = scan.try_event() {
                send(Message::StrapScan(event));
            }
        }
    }
}

impl Drop for HeartDesk {
    fn drop(&mut self) {
        // Leaving: the strap is let go here, with a moment's wait, so BlueZ is not left
        // sending to nobody.
        if let Some(source) = self.source.take() {
            source.close();
        }
    }
}
