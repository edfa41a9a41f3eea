#!/usr/bin/env bash
# Compatibility check with the official Azure SDK for Python (not part of CI):
# installs azure-identity, azure-mgmt-sql and azure-mgmt-trafficmanager into a
# virtualenv under target/, starts `georestore emulate` on wingtip-demo over
# HTTPS, runs python_sdk.py against it, and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/sdk-check-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q "azure-identity==1.27.0" "azure-mgmt-sql==4.0.0" "azure-mgmt-trafficmanager==2.0.0"
cargo build --release -q
dir=$(mktemp -d)
target/release/georestore emulate scenarios/wingtip-demo.toml --tls --time-scale 10000 \
  --url-file "$dir/url" --ca-file "$dir/ca.pem" > /dev/null 2> "$dir/err" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do [ -s "$dir/url" ] && break; sleep 0.1; done
REQUESTS_CA_BUNDLE="$dir/ca.pem" timeout 300 "$venv/bin/python" emulator/sdk-check/python_sdk.py "$(cat "$dir/url")"
