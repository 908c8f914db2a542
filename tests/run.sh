#!/usr/bin/env bash
# The README's test command: the whole test suite, also on a fresh machine. Installs what the
# tests need that cargo does not bring (Debian's chromium, the headless browser the dashboard
# tests render the page in; skipped when CHROMIUM names another), then runs every test of the
# workspace. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the dashboard tests"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends chromium
fi

exec cargo test --workspace --locked "$@"
