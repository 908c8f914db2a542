//! Generates the record messages and their derived views (prost only) from
//! `proto/regiosync/v1/records.proto` and `record_views.proto`, with serde derives so records
//! can be written as TOML or JSON files. Envelope messages come from `regiosync-types`.
fn main() {
    let root = "../../proto";
    println!("cargo:rerun-if-changed={root}");
    let files = ["regiosync/v1/records.proto", "regiosync/v1/record_views.proto"];
    let fds = protox::compile(files, [root]).expect("compile records.proto and record_views.proto");
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
