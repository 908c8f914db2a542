//! Text for PostgreSQL: quoting for postgresql.conf, libpq connection strings and SQL, and the SQL
//! expression that builds a row's payload.
use std::path::Path;

/// The SQL expression for the payload of the row whose id is `id_expr`: hex of `md5(id)` repeated
/// and cut to `bytes` (PostgreSQL does not compress values this small, and the text differs per row).
pub(super) fn payload_sql(id_expr: &str, bytes: usize) -> String {
    if bytes == 0 {
        return "''".into();
    }
    format!("left(repeat(md5(({id_expr})::text), {}), {bytes})", bytes.div_ceil(32))
}

/// A value in postgresql.conf.
pub(super) fn conf_quote(path: &Path) -> String {
    format!(
        "'{}'",
        path.display().to_string().replace('\\', "\\\\").replace('\'', "''")
    )
}

/// A value in a libpq connection string.
pub(super) fn conninfo_quote(value: &str) -> String {
    if !value.is_empty() && !value.chars().any(|c| c.is_whitespace() || c == '\'' || c == '\\') {
        return value.into();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// An SQL string literal (standard_conforming_strings is on).
pub(super) fn sql_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}
