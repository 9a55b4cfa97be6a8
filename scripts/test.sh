#!/usr/bin/env bash
# `make test`: checks formatting, starts a private RabbitMQ node in a temporary directory, builds
# and runs every test against it, and always stops and removes the node afterwards. Arguments
# go to `swift test` as they are (`make test ARGS='--filter AMQPTests'`); without any, suites
# named *FaultTests (they restart the broker) run in a second pass of their own. The
# integration tests never skip: if the broker cannot start, the run fails here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '\n==> %s\n' "$*"; }

say "dependencies"
scripts/ensure-deps.sh docker-compose # Debian's docker-compose 1.29: the deployment tests run docker-compose config
# Python tools the tests drive: a real SMTP server, the integrating guide's pika example, the AsyncAPI schema check.
NPQ_TEST_PYTHON=$(scripts/ensure-python.sh)
export NPQ_TEST_PYTHON
echo "    NPQ_TEST_PYTHON=$NPQ_TEST_PYTHON"

say "formatting (swift format lint --strict)"
scripts/lint.sh

broker_dir=$(mktemp -d "${TMPDIR:-/tmp}/npq-test-broker.XXXXXX")
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/npq-test-log.XXXXXX")
# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
    local status=$?
    trap - EXIT
    trap '' INT TERM # a second Ctrl-C must not leave the broker running
    if [[ -f "$broker_dir/ports.env" ]]; then
        say "stopping the test broker"
        # On failure, what the broker itself found wrong (its log goes away with the directory).
        if ((status != 0)) && [[ -s "$broker_dir/log/rabbit.log" ]] &&
            grep -q -E '\[(error|critical|alert|emergency)\]' "$broker_dir/log/rabbit.log"; then
            printf -- '----- errors in the test broker log (last 30) -----\n' >&2
            grep -E '\[(error|critical|alert|emergency)\]' "$broker_dir/log/rabbit.log" | tail -n 30 >&2 || true
        fi
        scripts/broker.sh stop "$broker_dir" || echo "test: could not stop the broker in $broker_dir" >&2
    fi
    # CI keeps only the end of what a run prints: the failed tests and what they recorded come last.
    if ((status != 0)) && [[ -s "$log_dir/failures" ]]; then
        printf -- '----- failed tests and their recorded issues (first 40 lines) -----\n' >&2
        head -n 40 "$log_dir/failures" >&2
    fi
    rm -rf "$broker_dir" "$log_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting a private RabbitMQ node in $broker_dir"
if ! scripts/broker.sh start "$broker_dir"; then
    echo "test: FAILED: the private RabbitMQ node could not start (see its log above); the broker tests cannot run" >&2
    exit 1
fi
broker_env=$(scripts/broker.sh env "$broker_dir")
eval "$broker_env"
printf '%s\n' "$broker_env" | sed -e 's/^export /    /'

say "swift build --build-tests"
swift build --build-tests

if (($# > 0)); then
    say "swift test $*"
    # Not exec: the EXIT trap must still stop the broker.
    status=0
    swift test --skip-build "$@" 2>&1 | tee "$log_dir/pass.log" || status=$?
    grep -E '^✘ ' "$log_dir/pass.log" >"$log_dir/failures" || true
    if ((status == 0)) && [[ -s "$log_dir/failures" ]]; then status=1; fi
    exit "$status"
fi

# Suites whose names end in FaultTests restart or stop the broker; every other test would see its
# connections drop meanwhile. So two passes: everything else first, then those suites on their own.
# The fault suite (FaultSuite, minutes long, stops the broker too) is `make test-faults`, not part of either.
status=0
say "swift test --skip FaultTests --skip FaultSuite (pass 1 of 2: the broker stays up)"
swift test --skip-build --skip FaultTests --skip FaultSuite 2>&1 | tee "$log_dir/pass1.log" || status=$?
say "swift test --filter FaultTests (pass 2 of 2: tests that stop or restart the broker, one at a time)"
swift test --skip-build --no-parallel --filter FaultTests 2>&1 | tee "$log_dir/pass2.log" || status=$?

# One closing line for both passes (Swift Testing prints one per pass).
# Each pass ends with "Test run with N tests …": the totals, whatever the interleaving of the lines before.
total=$(cat "$log_dir"/pass*.log | sed -n -E 's/.*Test run with ([0-9]+) tests? .*/\1/p' | awk '{ sum += $1 } END { print sum + 0 }')
failed=$(cat "$log_dir"/pass*.log | grep -cE '^✘ Test ".*" (with [0-9]+ test cases? )?failed' || true)
cat "$log_dir"/pass*.log | grep -E '^✘ ' >"$log_dir/failures" || true
passed=$((${total:-0} - failed))
if ((status == 0 && failed > 0)); then status=1; fi
if ((status != 0)); then
    echo "test: FAILED (see the failures above; each pass prints its own summary)" >&2
fi
printf '\ntests: %d passed, %d failed\n' "$passed" "$failed"
exit "$status"
