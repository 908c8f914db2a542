#!/usr/bin/env bash
# The dashboard's screenshots in docs/dashboard/: every view in Dutch and English, from the demo
# federation (`regiosync demo --dashboard`), rendered by headless chromium at 1400 px.
#   bash docs/screenshots.sh        (builds the binary first; needs chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p regiosync
out=docs/dashboard
mkdir -p "$out"
port=18099
./target/debug/regiosync demo --dashboard=127.0.0.1:$port >/dev/null 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/api/meta" >/dev/null && break
  sleep 1
done
# A request of the demo's incident, an agreement and an evaluation to open.
request=$(curl -sf "http://127.0.0.1:$port/api/assistance" | python3 -c 'import json,sys; r=json.load(sys.stdin)["requests"]; print(r[0]["record"]["id"] if r else "")')
evaluation=$(curl -sf "http://127.0.0.1:$port/api/evaluations?region=VR06" | python3 -c 'import json,sys; e=json.load(sys.stdin)["evaluations"]; print(e[0]["record"]["id"] if e else "")')
views="map capacity coverage ratings history incontrol/VR06 quality assistance/$request agreement/VR15-VR16-tunnels evaluation/$evaluation capacityreport/VR06"
for lang in nl en; do
  for view in $views; do
    name="${view%%/*}"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1000 \
      --virtual-time-budget=5000 --screenshot="$out/$lang-$name.png" \
      "http://127.0.0.1:$port/?lang=$lang#$view" 2>/dev/null
  done
done
ls -la "$out"
