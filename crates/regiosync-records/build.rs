//! Generates the record messages, their derived views, the aggregates a node keeps and the
//! answers to the national questions (prost only, no services) from `records.proto`,
//! `record_views.proto`, `aggregates.proto`, `queries.proto`, `audit.proto` (the audit anchor) and `assistance.proto`, with serde derives so records
//! can be written as TOML or JSON files. Envelope messages come from `regiosync-types`.
fn main() {
    let root = "../../proto";
    println!("cargo:rerun-if-changed={root}");
    let files = [
        "regiosync/v1/records.proto",
        "regiosync/v1/record_views.proto",
        "regiosync/v1/aggregates.proto",
        "regiosync/v1/queries.proto",
        "regiosync/v1/audit.proto",
        "regiosync/v1/assistance.proto",
    ];
    let fds = protox::compile(files, [root]).expect("compile the record protos");
    let mut builder = tonic_prost_build::configure().build_client(false).build_server(false);
    for file in fds.file.iter().filter(|f| files.contains(&f.name())) {
        for message in &file.message_type {
            builder = builder.type_attribute(
                format!(".regiosync.v1.{}", message.name()),
                "#[derive(serde::Serialize, serde::Deserialize)] #[serde(default, deny_unknown_fields)]",
            );
        }
    }
    builder.compile_fds(fds).expect("generate record types");
}
