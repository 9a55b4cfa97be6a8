#!/usr/bin/env bash
# `make test-faults`: the fault suite (Tests/FaultSuiteTests). Like `make test` it checks formatting, starts a private
# RabbitMQ node and builds; then it runs the five service executables under each fault scenario, one at a time, and
# writes the figures: every scenario's JSON in .build/faults/, and the table in docs/reliability.md (between its
# markers). `.ci/run` calls it after `make test`.
#   NPQ_FAULTS_SCALE=0.25 make test-faults     a quarter of the workload (a quick local run)
#   NPQ_FAULTS_RATE=8                           applications offered per second (the default)
#   NPQ_FAULTS_REPORT=                          leave docs/reliability.md as it is
#   NPQ_FAULTS_KEEP=1                           keep each scenario's data and logs in the temporary directory
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

results="$root/.build/faults"
rm -rf "$results"
mkdir -p "$results"
export NPQ_FAULTS_RESULTS="$results"
export NPQ_FAULTS_REPORT="${NPQ_FAULTS_REPORT-$root/docs/reliability.md}"
exec scripts/test.sh --no-parallel --filter FaultSuite
