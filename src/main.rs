use std::process::ExitCode;

fn main() -> ExitCode {
    downshift::cli::main()
}
