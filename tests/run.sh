#!/usr/bin/env bash
# The README's test command: the whole test suite, also on a fresh machine. Installs what the
# tests need that cargo does not bring (Debian's chromium, the headless browser the dashboard
# tests render the page in and the report tests print PDF with, skipped when CHROMIUM names
# another; poppler-utils, whose pdftotext reads the printed report back; openssl, which the key tests
# read the dev PKI's key files with; Python's grpcio and grpcio-tools, with which the interop
# tests run Google's protoc over every proto file and call a real node; axe-core from npm, which
# the dashboard's accessibility test runs in the page), then runs every test of
# the workspace. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the dashboard tests"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends chromium
fi

if ! command -v pdftotext >/dev/null 2>&1; then
  echo "== installing poppler-utils (the report tests read the printed PDF's text with pdftotext)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends poppler-utils
fi

if ! command -v openssl >/dev/null 2>&1; then
  echo "== installing openssl (the key tests check that OpenSSL reads every key file the dev PKI writes)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends openssl
fi

if ! python3 -c 'import grpc, grpc_tools' >/dev/null 2>&1; then
  echo "== installing Python's grpcio and grpcio-tools (the interop tests: Google's protoc over every proto file, grpcio calling a real node)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends python3 python3-pip
  fi
  user=""
  [ "$(id -u)" -eq 0 ] || user="--user"
  # Debian's own Python is "externally managed": its pip refuses unless told otherwise.
  python3 -m pip install --quiet $user grpcio grpcio-tools 2>/dev/null ||
    python3 -m pip install --quiet $user --break-system-packages grpcio grpcio-tools
  python3 -c 'import grpc, grpc_tools'
fi

if [ -z "${AXE_CORE_JS:-}" ] && [ ! -f target/npm/node_modules/axe-core/axe.min.js ]; then
  echo "== installing axe-core from npm (the dashboard's accessibility test runs it in the page)"
  if ! command -v npm >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends npm
  fi
  npm install --prefix target/npm --no-audit --no-fund axe-core@4.14.1
fi

exec cargo test --workspace --locked "$@"
