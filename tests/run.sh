#!/usr/bin/env bash
# The README's test command: the whole test suite, also on a fresh machine. Installs what the
# tests need that cargo does not bring (Debian's chromium, the headless browser the dashboard
# tests render the page in, skipped when CHROMIUM names another; openssl, which the key tests
# read the dev PKI's key files with), then runs every test of the workspace. Extra arguments go
# to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the dashboard tests"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends chromium
fi

if ! command -v openssl >/dev/null 2>&1; then
  echo "== installing openssl (the key tests check that OpenSSL reads every key file the dev PKI writes)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends openssl
fi

exec cargo test --workspace --locked "$@"
