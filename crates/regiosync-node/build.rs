//! Generates the `Sync` and `NodeApi` services. Envelope messages come from `regiosync-types`.
fn main() {
    let root = "../../proto";
    println!("cargo:rerun-if-changed={root}");
    let fds = protox::compile(["regiosync/v1/sync.proto", "regiosync/v1/node.proto"], [root])
        .expect("compile sync.proto and node.proto");
    let mut builder = tonic_prost_build::configure().codec_path("crate::codec::StrictCodec");
    for message in [
        "EntryBody",
        "Chunk",
        "ChunkItem",
        "Status",
        "Confidentiality",
        "CapacityReport",
        "CapacityLine",
    ] {
        builder = builder.extern_path(
            format!(".regiosync.v1.{message}"),
            format!("::regiosync_types::pb::{message}"),
        );
    }
    builder.compile_fds(fds).expect("generate services");
}
