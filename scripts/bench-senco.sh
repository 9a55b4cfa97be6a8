#!/usr/bin/env bash
# `make bench-senco`: the SENCO service's daily sweep over many spells (release build, no broker needed: the sweep
# writes its messages to the outbox, as in the service). Writes Benchmarks/results/senco-sweep.json.
#   SPELLS (default 100000), DAYS (default 60), FROM (default 2026-11-22)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/ensure-deps.sh
swift build -c release --product senco-sweep >/dev/null
mkdir -p Benchmarks/results
"$(swift build -c release --show-bin-path)/senco-sweep" --spells "${SPELLS:-100000}" --days "${DAYS:-60}" \
    --from "${FROM:-2026-11-22}" --reference reference --output Benchmarks/results/senco-sweep.json
