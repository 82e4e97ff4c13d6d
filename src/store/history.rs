//! The session history under its long-standing paths: the record types (`record`), one record a
//! line (`record_codec`), the log file (`history_log`) and the exports (`export`), re-exported.

pub use super::export::{EXPORT_COLUMNS, ExportRow, write_csv, write_json, write_table};
pub use super::history_log::{
    History, append_record, append_record_once, delete_record, load_history, read_history_with,
};
pub use super::record::{
    HeartRecord, RECORD_VERSION, SessionEnd, SessionRecord, StartTime, new_record_id,
};
pub use super::record_codec::{parse_record_line, record_line};
