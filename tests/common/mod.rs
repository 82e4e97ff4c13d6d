//! Shared by the tests. For the window and the app: the window opened on a data folder and the
//! fixed clock (`app`, `clock`), and what a frame painted (`painted`). For the tests that run
//! processes: every wait has a deadline, so a hung child fails the test with what it printed
//! instead of hanging the run.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

pub mod app;
pub mod bluez;
pub mod bus;
pub mod clock;
pub mod heart;
pub mod painted;
pub mod records;
pub mod x11;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// Long enough for a slow debug build on a busy machine; a hang still ends the test.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// The lines of a child's output, read on a thread as they come.
pub struct Lines {
    incoming: Receiver<String>,
    reader: Option<JoinHandle<()>>,
    /// Every line received so far, for failure messages.
    pub seen: Vec<String>,
}

impl Lines {
    /// Reads `source` to its end.
    pub fn read(source: impl Read + Send + 'static) -> Lines {
        Lines::read_until(source, |_| false)
    }

    /// Reads `source` up to and including the first line `last` accepts, then closes it (the
    /// writer's next write fails, as when a terminal goes away).
    pub fn read_until(
        source: impl Read + Send + 'static,
        last: impl Fn(&str) -> bool + Send + 'static,
    ) -> Lines {
        let (send, incoming) = channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(source).lines() {
                let Ok(line) = line else { break };
                let stop = last(&line);
                if send.send(line).is_err() || stop {
                    break;
                }
            }
        });
        Lines {
            incoming,
            reader: Some(reader),
            seen: Vec::new(),
        }
    }

    /// The next line `wanted` accepts, waiting at most `timeout`; panics with what was seen
    /// if none comes.
    pub fn wait_for(
        &mut self,
        what: &str,
        wanted: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "no {what} within {timeout:?}; the output was {:?}",
                        self.seen
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the output ended with no {what}: {:?}", self.seen)
                }
            }
        }
    }

    /// Every line still to come, until the output closes (at most `timeout`).
    pub fn rest(&mut self, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        let mut rest = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    rest.push(line);
                }
                Err(RecvTimeoutError::Disconnected) => return rest,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "the output did not close within {timeout:?}; the output was {:?}",
                    self.seen
                ),
            }
        }
    }

    /// Waits (at most `timeout`) until the reader has stopped and closed its end.
    pub fn closed(&mut self, timeout: Duration) {
        self.rest(timeout);
        if let Some(reader) = self.reader.take() {
            reader.join().expect("the reader thread does not panic");
        }
    }
}

/// Waits at most `timeout` for `child` to exit; kills it and panics if it does not.
pub fn wait_for_exit(child: &mut Child, timeout: Duration) -> ExitStatus {
    match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("process {} did not exit within {timeout:?}", child.id())
        }
        Err(e) => panic!("cannot wait for process {}: {e}", child.id()),
    }
}

/// Runs `command` to its end like `Command::output`, but for at most `timeout`.
pub fn run(command: &mut Command, timeout: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    let read_all = |mut source: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = source.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("piped")));
    let stderr = read_all(Box::new(child.stderr.take().expect("piped")));
    let status = wait_for_exit(&mut child, timeout);
    Output {
        status,
        stdout: stdout.join().expect("stdout read"),
        stderr: stderr.join().expect("stderr read"),
    }
}

/// Waits, up to `timeout`, for `ready` to give something.
pub fn eventually<T>(what: &str, timeout: Duration, mut ready: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends `signal` to a child this test started (by its pid, never by name).
pub fn send(child: &Child, signal: libc::c_int) {
    // SAFETY: kill(2) with the pid of a child this test started and has not yet reaped.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0, "signal {signal} sent");
}
