//! A private D-Bus session bus for one test, ended with it. It starts no services of its own: a
//! service installed on the machine must never answer in a stand-in's place.

use std::process::{Child, Command, Stdio};

pub struct Bus {
    daemon: Child,
    pub address: String,
}

impl Bus {
    pub fn start() -> Bus {
        let config = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/private-bus.conf"
        );
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={config}"))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon runs (package dbus-daemon; scripts/ensure-deps.sh test)");
        let stdout = daemon.stdout.take().expect("stdout");
        // Within a deadline: a daemon that fails to start fails the test here, saying so.
        let address = super::Lines::read(stdout).wait_for(
            "the private bus's address",
            |line| line.starts_with("unix:"),
            super::PATIENCE,
        );
        Bus {
            daemon,
            address: address.trim().to_owned(),
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// Serves `object` at `path` under the well-known `name` on `bus`, as long as the connection
/// returned lives: a stand-in service for one test.
pub fn serve(
    bus: &Bus,
    name: &str,
    path: &str,
    object: impl zbus::object_server::Interface,
) -> zbus::Connection {
    async_io::block_on(async {
        zbus::connection::Builder::address(bus.address.as_str())?
            .name(name.to_owned())?
            .serve_at(path.to_owned(), object)?
            .build()
            .await
    })
    .expect("the stand-in serves")
}
