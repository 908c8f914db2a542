//! Generates the `Sync`, `NodeApi`, `Records` and `Queries` services. Envelope messages come
//! from `regiosync-types`; record messages, their views and the query answers from
//! `regiosync-records`. Also writes the encoded file descriptor set the reflection service serves.
fn main() {
    let root = "../../proto";
    println!("cargo:rerun-if-changed={root}");
    let services = [
        "regiosync/v1/sync.proto",
        "regiosync/v1/node.proto",
        "regiosync/v1/records_api.proto",
        "regiosync/v1/queries.proto",
    ];
    let fds = protox::compile(services, [root]).expect("compile the service protos");
    // Every file with its imports, for server reflection (grpcurl describes the services from it).
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(
        std::path::Path::new(&out).join("regiosync_descriptor.bin"),
        prost::Message::encode_to_vec(&fds),
    )
    .expect("write the file descriptor set");
    let mut builder = tonic_prost_build::configure().codec_path("crate::codec::StrictCodec");
    let elsewhere = [
        ("regiosync/v1/entry.proto", "regiosync_types"),
        ("regiosync/v1/records.proto", "regiosync_records"),
        ("regiosync/v1/assistance.proto", "regiosync_records"),
        ("regiosync/v1/record_views.proto", "regiosync_records"),
        ("regiosync/v1/queries.proto", "regiosync_records"),
    ];
    for file in &fds.file {
        let Some((_, krate)) = elsewhere.iter().find(|(name, _)| *name == file.name()) else {
            continue;
        };
        let names = file
            .message_type
            .iter()
            .map(|m| m.name())
            .chain(file.enum_type.iter().map(|e| e.name()));
        for name in names {
            builder = builder.extern_path(format!(".regiosync.v1.{name}"), format!("::{krate}::pb::{name}"));
        }
    }
    builder.compile_fds(fds).expect("generate services");
}
