//! Checkpoints across processes: two copies recovering at the same moment recover each session
//! once; a session running in another process is left alone; one killed with SIGKILL becomes
//! one interrupted record. The other processes are this test binary, run again as the ignored
//! `helper_process` with a role in the environment.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use downshift::store::history::{RECORD_VERSION, SessionEnd, SessionRecord, StartTime};
use downshift::store::{Checkpoint, DataDir, LiveCheckpoint, load_history, recover_interrupted};

const ROLE: &str = "DOWNSHIFT_TEST_CHECKPOINT_ROLE";
const DATA: &str = "DOWNSHIFT_TEST_CHECKPOINT_DATA";
const BREATHED: &str = "DOWNSHIFT_TEST_CHECKPOINT_BREATHED";
/// What the helper says starts with this, wherever the test harness's own output puts it.
const SAYS: &str = "helper: ";
/// Generous: the machine may be busy building.
const PATIENCE: Duration = Duration::from_secs(120);

/// A session `n` minutes into the evening, in step 2, `breathed` seconds in.
fn live_record(n: i64, breathed: f64) -> SessionRecord {
    let start: jiff::Zoned = "2026-11-21T21:00:00+01:00[Europe/Berlin]"
        .parse()
        .expect("time");
    let started = StartTime::of(
        &start
            .checked_add(jiff::SignedDuration::from_mins(n))
            .expect("time"),
    );
    SessionRecord {
        version: RECORD_VERSION,
        id: downshift::store::history::new_record_id(&started),
        started,
        practice: "Night 3-7".to_owned(),
        practised: "3-7, 20 min".to_owned(),
        planned_seconds: 1200.0,
        breathed_seconds: breathed,
        paused_seconds: 4.0,
        breaths: 9,
        end: SessionEnd::EndedEarly { step: 2 },
        tension_before: Some(6),
        tension_after: None,
        heart: None,
        note: String::new(),
        app_version: "test".to_owned(),
    }
}

/// Not a test: the process the tests below start. `live` keeps a checkpoint until its stdin
/// closes or it is killed; `recover` says it is ready, waits for a line, recovers, and reports.
#[test]
#[ignore = "a helper process, run by the tests in this file"]
fn helper_process() {
    let role = std::env::var(ROLE).expect("started by a test in this file, with a role");
    let data = DataDir::new(std::env::var_os(DATA).expect("a data dir"));
    let mut stdin = std::io::stdin().lock();
    let mut line = String::new();
    match role.as_str() {
        "live" => {
            let breathed: f64 = std::env::var(BREATHED)
                .expect("seconds")
                .parse()
                .expect("a number");
            let mut record = live_record(0, 1.0);
            let live = LiveCheckpoint::start(&data, &record).expect("starts");
            record.breathed_seconds = breathed;
            live.update(&record).expect("updates");
            println!("\n{SAYS}live {}", record.id);
            // Runs until killed (or the test gives up and closes stdin).
            let _ = stdin.read_line(&mut line);
        }
        "recover" => {
            println!("\n{SAYS}ready");
            stdin.read_line(&mut line).expect("the go");
            let recovery = recover_interrupted(&data);
            for record in &recovery.recovered {
                println!("\n{SAYS}recovered {}", record.id);
            }
            for problem in &recovery.problems {
                println!("\n{SAYS}problem {problem}");
            }
            println!("\n{SAYS}done");
        }
        other => panic!("no role {other}"),
    }
}

/// A helper process, killed (by its pid) if the test ends before it does.
struct Helper {
    child: Child,
    stdin: Option<ChildStdin>,
    says: Receiver<String>,
}

impl Helper {
    fn start(role: &str, data: &Path, breathed: Option<f64>) -> Helper {
        let mut command = Command::new(std::env::current_exe().expect("test binary"));
        command
            .args(["--exact", "helper_process", "--ignored", "--nocapture"])
            .env(ROLE, role)
            .env(DATA, data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        if let Some(seconds) = breathed {
            command.env(BREATHED, seconds.to_string());
        }
        let mut child = command.spawn().expect("starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tell, says) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find(SAYS)
                    && tell.send(line[at + SAYS.len()..].to_owned()).is_err()
                {
                    break;
                }
            }
        });
        Helper {
            stdin: child.stdin.take(),
            child,
            says,
        }
    }

    /// The next thing the helper says, waiting at most `PATIENCE`.
    fn next(&self) -> String {
        self.says
            .recv_timeout(PATIENCE)
            .expect("the helper says something in time")
    }

    fn tell(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{line}").expect("the helper listens");
    }

    /// Everything said up to "done".
    fn until_done(&self) -> Vec<String> {
        let mut said = Vec::new();
        loop {
            match self.next() {
                done if done == "done" => return said,
                line => said.push(line),
            }
        }
    }

    /// Waits for the process to end, at most `PATIENCE`.
    fn wait(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        while self.child.try_wait().expect("waits").is_none() {
            assert!(Instant::now() < deadline, "the helper ends in time");
            std::thread::yield_now();
        }
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn logged_ids(data: &DataDir) -> Vec<String> {
    load_history(&data.history_path())
        .expect("reads")
        .records
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn two_processes_recovering_at_once_recover_each_session_once() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = DataDir::new(temp.path());
    let ids: BTreeSet<String> = (0..40)
        .map(|n| {
            let record = live_record(n, 30.0);
            Checkpoint::write(&data, &record).expect("writes");
            record.id
        })
        .collect();
    let mut copies = [
        Helper::start("recover", temp.path(), None),
        Helper::start("recover", temp.path(), None),
    ];
    for copy in &copies {
        assert_eq!(copy.next(), "ready");
    }
    for copy in &mut copies {
        copy.tell("go");
    }
    let mut recovered = Vec::new();
    for copy in &mut copies {
        for line in copy.until_done() {
            let id = line
                .strip_prefix("recovered ")
                .unwrap_or_else(|| panic!("only recoveries, not {line}"));
            recovered.push(id.to_owned());
        }
        copy.wait();
    }
    assert_eq!(recovered.len(), ids.len(), "no session twice");
    assert_eq!(recovered.into_iter().collect::<BTreeSet<_>>(), ids);
    let logged = logged_ids(&data);
    assert_eq!(logged.len(), ids.len());
    assert_eq!(logged.into_iter().collect::<BTreeSet<_>>(), ids);
    assert_eq!(
        std::fs::read_dir(data.checkpoints_dir())
            .expect("lists")
            .count(),
        0,
        "nothing left behind"
    );
}

#[test]
fn a_live_session_killed_with_sigkill_becomes_one_interrupted_record() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = DataDir::new(temp.path());
    let mut live = Helper::start("live", temp.path(), Some(42.5));
    let said = live.next();
    let id = said
        .strip_prefix("live ")
        .expect("the session's id")
        .to_owned();

    // Running in another process: left alone.
    let recovery = recover_interrupted(&data);
    assert_eq!(recovery.recovered, Vec::new());
    assert_eq!(recovery.problems, Vec::<String>::new());
    assert!(data.checkpoints_dir().join(format!("{id}.ron")).exists());
    assert_eq!(logged_ids(&data), Vec::<String>::new());

    // std's kill is SIGKILL on Unix: no handler, no clean-up, like a crash.
    live.child.kill().expect("kills");
    live.wait();

    let recovery = recover_interrupted(&data);
    assert_eq!(recovery.problems, Vec::<String>::new());
    assert_eq!(recovery.recovered.len(), 1);
    let record = &recovery.recovered[0];
    assert_eq!(record.id, id);
    assert_eq!(record.end, SessionEnd::Interrupted { step: 2 });
    assert_eq!(record.breathed_seconds, 42.5, "as of the last checkpoint");
    assert_eq!(
        load_history(&data.history_path()).expect("reads").records,
        recovery.recovered
    );
    assert_eq!(recover_interrupted(&data).recovered, Vec::new());
    assert_eq!(logged_ids(&data), vec![id]);
}
