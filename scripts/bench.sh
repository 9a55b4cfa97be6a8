#!/usr/bin/env bash
# `make bench`: the suite end to end against the raw broker, in one run on this machine (the release build of
# scripts/release-build.sh, which the Dockerfile uses too).
#  1. The broker's ceiling through the AMQP module (Benchmarks/AMQPThroughput): persistent messages to a quorum
#     queue, confirmed publishes per second (confirm window WINDOW) and acked deliveries per second (prefetch
#     PREFETCH); RAW_ROUNDS rounds, the median counts.
#  2. The five services (release binaries, fresh data, a mail-drop folder) on the same private broker, driven by
#     Benchmarks/SuiteLoad (`suite-load`): N applications at full speed, then RATE per second for FIXED_SECONDS.
#     Each is submitted and assessed, every other one accepted by its lead provider and scheduled, and each one's
#     emails written to the mail drop (see the report's run.method for what is measured, and how).
#  3. Prints a summary and writes OUTPUT (Benchmarks/results/latest.json).
# A benchmark, not a timed test: it fails when the run itself fails (a service exits, applications are lost), never
# because a target is missed; the report says which targets were met.
#
#   N (applications at full speed, default 20000)  RATE (offered load, 200/s)  FIXED_SECONDS (20)
#   MAX_IN_FLIGHT (1000)  WARM_UP (40)  RAW_N (messages per raw round, 50000)  RAW_ROUNDS (3)  BODY (400 bytes)
#   WINDOW (512)  PREFETCH (512)  OUTPUT (Benchmarks/results/latest.json)
#   LIGHT_SHARE (0.5), LIGHT_SECONDS (10): when RATE is more than the suite managed at full speed, a third phase
#   offers LIGHT_SHARE of that throughput, for the latency of a suite that keeps up (LIGHT_SHARE=0: no third phase)
#   NPQ_BENCH_SCRATCH (the build's scratch path, default .build-release)
#   NPQ_BENCH_LOG_LEVEL (the services', default info)
#   KEEP=1 keeps the work folder (broker, data, mail drop, service logs); it is kept anyway when the run fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

n=${N:-20000} rate=${RATE:-200} fixed_seconds=${FIXED_SECONDS:-20} max_in_flight=${MAX_IN_FLIGHT:-1000}
warm_up=${WARM_UP:-40} raw_n=${RAW_N:-50000} raw_rounds=${RAW_ROUNDS:-3} body=${BODY:-400}
window=${WINDOW:-512} prefetch=${PREFETCH:-512} output=${OUTPUT:-Benchmarks/results/latest.json}
light_share=${LIGHT_SHARE:-0.5} light_seconds=${LIGHT_SECONDS:-10}
scratch=${NPQ_BENCH_SCRATCH:-.build-release}
readonly services=(npq-applications npq-eligibility npq-cohorts npq-senco npq-notifications)
readonly providers=(teach-first ambition-institute)
readonly grace_seconds=15

started_at=$EPOCHREALTIME
say() { printf 'bench: [%6.1fs] %s\n' "$(awk -v a="$started_at" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$*"; }

scripts/ensure-deps.sh python3
work=$(mktemp -d "${TMPDIR:-/tmp}/npq-bench.XXXXXX")
service_pids=()

# shellcheck disable=SC2317 # called from the EXIT trap
stop_services() {
    local pid alive deadline
    for pid in "${service_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    deadline=$((SECONDS + grace_seconds))
    while ((SECONDS < deadline)); do
        alive=0
        for pid in "${service_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.2
    done
    for pid in "${service_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "${service_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    service_pids=()
}

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
    local status=$?
    trap - EXIT
    trap '' INT TERM # finish stopping everything even if Ctrl-C is pressed again
    ((${#service_pids[@]} == 0)) || stop_services
    if [[ -f "$work/broker/ports.env" ]]; then
        scripts/broker.sh stop "$work/broker" >/dev/null 2>&1 || echo "bench: could not stop the broker in $work/broker" >&2
    fi
    if ((status != 0)) || [[ "${KEEP:-0}" == 1 ]]; then
        echo "bench: the work folder is kept: $work (service logs in $work/logs)" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build -------------------------------------------------------------------------------------------------------
# Built as the Dockerfile builds what operators run (scripts/release-build.sh): the Swift runtime and Foundation
# linked in statically, the functions run at start placed first.
say "scripts/release-build.sh ${services[*]} suite-load amqp-throughput"
bin=$(scripts/release-build.sh --scratch-path "$scratch" "${services[@]}" suite-load amqp-throughput \
    2>"$work/build.log") || {
    tail -n 40 "$work/build.log" >&2
    exit 1
}

# --- broker ------------------------------------------------------------------------------------------------------
say "starting a private RabbitMQ node in $work/broker"
scripts/broker.sh start "$work/broker" >"$work/broker-start.log" 2>&1 || {
    cat "$work/broker-start.log" >&2
    exit 1
}
eval "$(scripts/broker.sh env "$work/broker")"
amqp_url=$NPQ_TEST_AMQP_URL
port=${amqp_url##*:}
port=${port%/}
broker_pid=$(tr -dc '0-9' <"$work/broker/rabbit.pid")

# --- 1. the broker's ceiling -------------------------------------------------------------------------------------
raw_arguments=()
for round in $(seq 1 "$raw_rounds"); do
    "$bin/amqp-throughput" "$amqp_url" "$raw_n" "$body" "$window" "$prefetch" quorum 2>"$work/raw.$round.err" \
        >"$work/raw.$round" || {
        cat "$work/raw.$round.err" >&2
        exit 1
    }
    publish=$(awk '/publish_confirmed_per_s/ {print $2}' "$work/raw.$round")
    consume=$(awk '/consume_acked_per_s/ {print $2}' "$work/raw.$round")
    say "raw broker round $round of $raw_rounds (quorum queue, $raw_n messages of $body bytes, window $window, prefetch $prefetch): $publish publishes/s confirmed, $consume deliveries/s acked"
    raw_arguments+=(--raw-round "$publish/$consume")
done

# --- the suite ---------------------------------------------------------------------------------------------------
# Each lead provider acts as its own broker user (the services authorise acceptances by the validated user_id).
for provider in "${providers[@]}"; do
    scripts/broker.sh ctl "$work/broker" -q add_user "npq-lp-$provider" "bench-$provider" >/dev/null
    scripts/broker.sh ctl "$work/broker" -q set_permissions -p / "npq-lp-$provider" '.*' '.*' '.*' >/dev/null
done

# The repository's reference data plus a cohort open for registration all of this year (Europe/London), offering
# the benchmark's courses with both providers, with one schedule per course group and funding rules.
year=$(TZ=Europe/London date +%Y)
cohort="${year}z"
python3 - "$root/reference" "$work/reference" "$year" <<'EOF'
import json, pathlib, shutil, sys
source, target, year = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
cohort = year + "z"
for folder in ("cohorts", "eligibility"):
    shutil.copytree(source / folder, target / folder)
def edit(path, change):
    data = json.loads((target / path).read_text())
    change(data)
    (target / path).write_text(json.dumps(data, indent=1))
next1, next2 = str(int(year) + 1), str(int(year) + 2)
edit("cohorts/cohorts.json", lambda d: d["cohorts"].append({
    "cohort": cohort, "fundingMode": "capped", "registrationOpens": year + "-01-01",
    "registrationCloses": year + "-12-31", "startDate": year + "-12-31",
    "description": "open all year, for make bench"}))
edit("cohorts/offerings.json", lambda d: d["offerings"].extend(
    {"cohort": cohort, "course": course, "leadProvider": provider}
    for course in ("npq-headship", "npq-leading-teaching")
    for provider in ("teach-first", "ambition-institute")))
edit("cohorts/schedules.json", lambda d: d["schedules"].extend([
    {"cohort": cohort, "schedule": "npq-leadership-autumn", "courseGroup": "leadership", "milestones": [
        {"declarationType": "started", "date": year + "-12-31"},
        {"declarationType": "retained-1", "date": next1 + "-06-30"},
        {"declarationType": "retained-2", "date": next1 + "-12-31"},
        {"declarationType": "completed", "date": next2 + "-06-30"}]},
    {"cohort": cohort, "schedule": "npq-specialist-autumn", "courseGroup": "specialist", "milestones": [
        {"declarationType": "started", "date": year + "-12-31"},
        {"declarationType": "retained-1", "date": next1 + "-06-30"},
        {"declarationType": "completed", "date": next2 + "-02-28"}]}]))
edit("eligibility/policy.json", lambda d: d["versions"][-1]["cohorts"].append(cohort))
EOF

# Five free ports for the health endpoints.
mapfile -t http_ports < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(5)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in sockets))
')

mkdir -p "$work/data" "$work/mail" "$work/logs"
say "starting the five services (release) with the mail drop in $work/mail"
service_arguments=()
for index in "${!services[@]}"; do
    name=${services[$index]}
    NPQ_AMQP_URL=$amqp_url NPQ_DATA_DIR=$work/data NPQ_MAIL_DROP_DIR=$work/mail NPQ_HTTP_PORT=${http_ports[$index]} \
        NPQ_LOG_FORMAT=json NPQ_LOG_LEVEL=${NPQ_BENCH_LOG_LEVEL:-info} \
        NPQ_COHORTS_REFERENCE_DIR=$work/reference/cohorts NPQ_ELIGIBILITY_DIR=$work/reference/eligibility \
        NPQ_SCHOOLS_FILE=$work/reference/eligibility/schools.csv \
        NPQ_SENCO_REGULATION_FILE=$root/reference/senco/regulation.json \
        NPQ_NOTIFICATIONS_TEMPLATES_DIR=$root/reference/notifications/templates \
        NPQ_OPERATOR_USERS=npq-operator,guest NPQ_APPLICATIONS_READERS=npq-operator,guest \
        NPQ_NOTIFICATIONS_READERS=npq-operator,guest \
        "$bin/$name" </dev/null >"$work/logs/$name.log" 2>&1 &
    service_pids+=($!)
    service_arguments+=(--service "$name=$!:${http_ports[$index]}")
done

# GET http://127.0.0.1:PORT/PATH with bash alone; prints the status code.
http_status() {
    local fd line
    exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&"$fd"
    read -r -t 5 line <&"$fd" || true
    exec {fd}>&-
    printf '%s\n' "$line" | awk '{print $2}'
}
deadline=$((SECONDS + 120))
for index in "${!services[@]}"; do
    until [[ "$(http_status "${http_ports[$index]}" /health/ready 2>/dev/null)" == 200 ]]; do
        if ! kill -0 "${service_pids[$index]}" 2>/dev/null || ((SECONDS > deadline)); then
            echo "bench: ${services[$index]} did not become ready; the end of its log:" >&2
            tail -n 20 "$work/logs/${services[$index]}.log" >&2
            exit 1
        fi
        sleep 0.2
    done
done
say "every service is ready"

# The broker's own message counters (exact, node-wide), for the driver to read before and after each phase.
cat >"$work/broker-counters" <<EOF
#!/usr/bin/env bash
exec "$root/scripts/broker.sh" ctl "$work/broker" eval 'maps:foreach(fun(K, V) -> maps:foreach(fun(N, C) -> io:format("~s~s ~b~n", [N, lists:flatten([io_lib:format(",~p=~p", [A, B]) || {A, B} <- K]), C]) end, V) end, rabbit_global_counters:overview()), ok.'
EOF
chmod +x "$work/broker-counters"

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]] || commit="$commit (uncommitted changes)"
say "driving the suite: $n applications at full speed, then $rate/s for $fixed_seconds s"
"$bin/suite-load" --amqp-url "$amqp_url" --mail-drop "$work/mail" --cohort "$cohort" \
    --provider "teach-first=amqp://npq-lp-teach-first:bench-teach-first@127.0.0.1:$port/" \
    --provider "ambition-institute=amqp://npq-lp-ambition-institute:bench-ambition-institute@127.0.0.1:$port/" \
    --applications "$n" --max-in-flight "$max_in_flight" --rate "$rate" --fixed-seconds "$fixed_seconds" \
    --warm-up "$warm_up" --light-share "$light_share" --light-seconds "$light_seconds" \
    "${service_arguments[@]}" --broker-pid "$broker_pid" \
    --broker-counters "$work/broker-counters" "${raw_arguments[@]}" --raw-messages "$raw_n" \
    --raw-body-bytes "$body" --raw-window "$window" --raw-prefetch "$prefetch" --commit "$commit" \
    --output "$output"

# Anything the services found wrong meanwhile (none expected).
for name in "${services[@]}"; do
    problems=$(grep -c -E '"level":"(error|critical)"' "$work/logs/$name.log" || true)
    ((problems == 0)) || echo "bench: $name logged $problems error(s); see $work/logs/$name.log (KEEP=1 keeps it)" >&2
done
say "stopping the services and the broker"
stop_services
say "done"
