#!/usr/bin/env bash
# Build the Debian package: the release binary (once), its man page regiosync(1) from it
# (`regiosync man`, generated from the command line), then cargo-deb around both without
# building again. Prints the path of the .deb last. Needs cargo-deb
# (`cargo install cargo-deb --locked`). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"

cargo build --release --locked -p regiosync
"$target/release/regiosync" man | gzip -9n > "$target/release/regiosync.1.gz"
mkdir -p "$target/debian"
cargo deb --no-build --strip -p regiosync --output "$target/debian/"
