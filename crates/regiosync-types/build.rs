//! Generates the envelope messages (prost only, no services) from `proto/regiosync/v1/entry.proto`.
fn main() {
    let root = "../../proto";
    println!("cargo:rerun-if-changed={root}");
    let fds = protox::compile(["regiosync/v1/entry.proto"], [root]).expect("compile entry.proto");
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(false)
        .compile_fds(fds)
        .expect("generate envelope types");
}
