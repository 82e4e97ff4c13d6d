//! `downshift history [--format table|csv|json]`.

use super::{CommandResult, Failure, HistoryFormat};
use crate::store::{DataDir, load_history};

pub(super) fn history(data_dir: &DataDir, format: HistoryFormat) -> CommandResult {
    let path = data_dir.history_path();
    let history = load_history(&path)
        .map_err(|e| Failure::runtime(format!("{} cannot be read: {e}", path.display())))?;
    for problem in &history.problems {
        eprintln!("downshift: {problem}");
    }
    let mut out = std::io::stdout().lock();
    let written = match format {
        HistoryFormat::Table => crate::store::history::write_table(&mut out, &history.records),
        HistoryFormat::Csv => crate::store::history::write_csv(&mut out, &history.records),
        HistoryFormat::Json => crate::store::history::write_json(&mut out, &history.records),
    };
    written.map_err(|e| Failure::runtime(format!("could not print the history: {e}")))
}
