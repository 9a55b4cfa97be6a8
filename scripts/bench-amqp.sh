#!/usr/bin/env bash
# `make bench-amqp`: the broker's ceiling on this machine, through the AMQP module and through plain
# rabbitmq-c (../shared/tools/rawbroker.c), against the same private broker in the same run, alternating
# the two so that both see the same machine. Prints both figures of every round and the medians.
#   N (messages, default 50000), BODY (bytes, 400), WINDOW (512), PREFETCH (512), ROUNDS (3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n=${N:-50000} body=${BODY:-400} window=${WINDOW:-512} prefetch=${PREFETCH:-512} rounds=${ROUNDS:-3}

raw_source=${RAWBROKER_SOURCE:-$root/../shared/tools/rawbroker.c}
[[ -f "$raw_source" ]] || { echo "bench-amqp: $raw_source not found (shared/ sits beside the project)" >&2; exit 1; }

scripts/ensure-deps.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/npq-bench.XXXXXX")
cleanup() {
    local status=$?
    [[ -f "$work/broker/ports.env" ]] && scripts/broker.sh stop "$work/broker" >/dev/null 2>&1
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT

swift build -c release --product amqp-throughput >/dev/null
gcc -O2 -o "$work/rawbroker" "$raw_source" -lrabbitmq
scripts/broker.sh start "$work/broker" >/dev/null
eval "$(scripts/broker.sh env "$work/broker")"
port=${NPQ_TEST_AMQP_URL##*:}
port=${port%/}

printf 'messages %s, body %s bytes, confirm window %s, prefetch %s, %s rounds; %s cores\n' \
    "$n" "$body" "$window" "$prefetch" "$rounds" "$(nproc)"
printf '%-6s %-22s %14s %14s\n' round client publish/s consume/s
for round in $(seq 1 "$rounds"); do
    "$work/rawbroker" 127.0.0.1 "$port" "$n" "$body" "$window" "$prefetch" >"$work/raw.$round"
    .build/release/amqp-throughput "$NPQ_TEST_AMQP_URL" "$n" "$body" "$window" "$prefetch" 2>/dev/null \
        >"$work/module.$round"
    for client in raw module; do
        publish=$(awk '/publish_confirmed_per_s/ {print $2}' "$work/$client.$round")
        consume=$(awk '/consume_acked_per_s/ {print $2}' "$work/$client.$round")
        label=$([[ $client == raw ]] && echo "rabbitmq-c (C)" || echo "AMQP module (Swift)")
        printf '%-6s %-22s %14s %14s\n' "$round" "$label" "$publish" "$consume"
    done
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for client in raw module; do
    publish=$(cat "$work/$client".* | awk '/publish_confirmed_per_s/ {print $2}' | median)
    consume=$(cat "$work/$client".* | awk '/consume_acked_per_s/ {print $2}' | median)
    label=$([[ $client == raw ]] && echo "rabbitmq-c (C)" || echo "AMQP module (Swift)")
    printf '%-6s %-22s %14s %14s\n' median "$label" "$publish" "$consume"
done
