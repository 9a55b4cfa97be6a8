#!/usr/bin/env bash
# `make run`: the whole suite on this machine without Docker. Installs what is missing, starts
# (or reuses) a private RabbitMQ node in .run/broker with the management UI on loopback, builds,
# and runs every `npq-*` service executable that Package.swift declares, in the foreground, each
# line of output prefixed with the service's name. Ctrl-C or SIGTERM stops the services
# (SIGTERM, then SIGKILL after 15 s) and then the broker, if this run started it.
#
# NPQ_AMQP_URL set: use that broker instead of starting one.
# Services get NPQ_AMQP_URL, NPQ_DATA_DIR=.run/data,
# NPQ_MAIL_DROP_DIR=.run/mail and NPQ_HTTP_PORT=8081, 8082, ... in the order they are declared, and
# the reference data with a development cohort open all year (.run/reference; NPQ_DEV_COHORT=0 omits it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

readonly run_dir=$root/.run
readonly broker_dir=$run_dir/broker
readonly data_dir=$run_dir/data
readonly mail_dir=$run_dir/mail
readonly first_http_port=8081
readonly grace_seconds=15

say() { printf 'run: %s\n' "$*"; }

scripts/ensure-deps.sh python3
mkdir -p "$data_dir" "$mail_dir"

started_broker=false
service_names=()
service_pids=()

# shellcheck disable=SC2317 # called from the EXIT trap
stop_services() {
    local pid alive live=0
    for pid in "${service_pids[@]}"; do
        kill -0 "$pid" 2>/dev/null && live=$((live + 1))
    done
    if ((live > 0)); then
        say "stopping $live service(s) (SIGTERM, SIGKILL after ${grace_seconds}s)"
    fi
    for pid in "${service_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    local deadline=$((SECONDS + grace_seconds))
    while ((SECONDS < deadline)); do
        alive=0
        for pid in "${service_pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        ((alive)) || break
        sleep 0.2
    done
    local index
    for index in "${!service_pids[@]}"; do
        pid=${service_pids[$index]}
        if kill -0 "$pid" 2>/dev/null; then
            say "${service_names[$index]} did not stop within ${grace_seconds}s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${service_pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    service_pids=()
}

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
    local status=$?
    trap - EXIT
    trap '' INT TERM # finish stopping everything even if Ctrl-C is pressed again
    stop_services
    if [[ "$started_broker" == true ]]; then
        say "stopping the broker"
        scripts/broker.sh stop "$broker_dir" || true
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- broker -----------------------------------------------------------------------------------
management_url=""
if [[ -n "${NPQ_AMQP_URL:-}" ]]; then
    amqp_url=$NPQ_AMQP_URL
    broker_note="given by NPQ_AMQP_URL"
else
    if scripts/broker.sh status "$broker_dir" >/dev/null 2>&1; then
        broker_note="already running in .run/broker, left running on exit"
    else
        say "starting RabbitMQ in .run/broker"
        started_broker=true
        NPQ_BROKER_MANAGEMENT=1 NPQ_BROKER_PREFER_STANDARD_PORTS=1 scripts/broker.sh start "$broker_dir"
        broker_note="private node in .run/broker, stopped on exit"
    fi
    broker_env=$(scripts/broker.sh env "$broker_dir")
    amqp_url=$(eval "$broker_env" && printf '%s' "$NPQ_AMQP_URL")
    management_url=$(eval "$broker_env" && printf '%s' "${NPQ_BROKER_MANAGEMENT_URL:-}")
fi

# --- build and discover the services ------------------------------------------------------------
say "swift build"
swift build
bin_dir=$(swift build --show-bin-path)
mapfile -t service_names < <(
    swift package dump-package | python3 -c '
import json, sys
package = json.load(sys.stdin)
for product in package.get("products", []):
    if "executable" in product.get("type", {}) and product["name"].startswith("npq-"):
        print(product["name"])
'
)

# --- summary ------------------------------------------------------------------------------------
masked_url=$(printf '%s' "$amqp_url" | sed -E 's#(//[^:/@]*):[^@]*@#\1:***@#')
[[ "$amqp_url" == *guest:guest@127.0.0.1* ]] && masked_url=$amqp_url
echo
echo "  broker      $masked_url  ($broker_note)"
if [[ -n "$management_url" ]]; then
    echo "  management  $management_url  (user guest, password guest)"
fi
echo "  data        $data_dir"
echo "  mail drop   $mail_dir"
port=$first_http_port
for name in "${service_names[@]}"; do
    printf '  %-20s http://127.0.0.1:%s/health/ready\n' "$name" "$port"
    port=$((port + 1))
done
echo

if ((${#service_names[@]} == 0)); then
    if [[ "$started_broker" == true || -z "${NPQ_AMQP_URL:-}" ]]; then
        say "Package.swift declares no npq-* service executable yet: only the broker runs. Ctrl-C stops it."
        while true; do
            sleep 3600 &
            wait $! || true
        done
    fi
    say "Package.swift declares no npq-* service executable yet, and the broker is not ours: nothing to run."
    exit 0
fi

# --- run ----------------------------------------------------------------------------------------
if [[ -t 1 ]]; then
    export NPQ_LOG_FORMAT=${NPQ_LOG_FORMAT:-text}
fi
# A development cohort, <year>z, open for registration all year (scripts/dev-reference.py), so that an application
# can be tried any day; NPQ_DEV_COHORT=0 runs on the shipped reference data alone.
if [[ "${NPQ_DEV_COHORT:-1}" != 0 && -z "${NPQ_COHORTS_REFERENCE_DIR:-}${NPQ_ELIGIBILITY_DIR:-}" ]]; then
    dev_cohort=$(python3 scripts/dev-reference.py .run/reference)
    export NPQ_COHORTS_REFERENCE_DIR=.run/reference/cohorts NPQ_ELIGIBILITY_DIR=.run/reference/eligibility
    say "development cohort $dev_cohort: open for registration all year (NPQ_DEV_COHORT=0 leaves it out)"
fi
# On the private development broker everything logs in as guest, so guest may also run operators' commands
# (npq eligibility list import, eligibility.override, application.expire) and read every application.
if [[ "$started_broker" == true ]]; then
    export NPQ_OPERATOR_USERS=${NPQ_OPERATOR_USERS:-npq-operator,guest}
    export NPQ_APPLICATIONS_READERS=${NPQ_APPLICATIONS_READERS:-npq-operator,guest}
    export NPQ_NOTIFICATIONS_READERS=${NPQ_NOTIFICATIONS_READERS:-npq-operator,guest}
fi
port=$first_http_port
width=0
for name in "${service_names[@]}"; do
    ((${#name} > width)) && width=${#name}
done
for name in "${service_names[@]}"; do
    if [[ ! -x "$bin_dir/$name" ]]; then
        say "error: $bin_dir/$name was not built"
        exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        say "warning: port $port ($name's NPQ_HTTP_PORT) is already in use"
    fi
    prefix=$(printf "%-${width}s | " "$name")
    # Each service in its own session: Ctrl-C reaches only this script, which stops them in
    # order. The prefixing sed ignores Ctrl-C so that it outlives its service's last words.
    # stdbuf: line-buffered C stdio, so that lines show up as they are written.
    NPQ_AMQP_URL=$amqp_url NPQ_DATA_DIR=$data_dir NPQ_MAIL_DROP_DIR=$mail_dir \
        NPQ_HTTP_PORT=$port setsid stdbuf -oL -eL "$bin_dir/$name" </dev/null \
        > >(trap '' INT TERM && exec sed -u -e "s/^/$prefix/") 2>&1 &
    service_pids+=($!)
    say "started $name (pid $!, http port $port)"
    port=$((port + 1))
done

# Until Ctrl-C or every service has exited; a service that stops on its own is reported.
failed=0
live_pids=("${service_pids[@]}")
while ((${#live_pids[@]} > 0)); do
    exited_pid=""
    status=0
    wait -n -p exited_pid "${live_pids[@]}" || status=$?
    [[ -n "$exited_pid" ]] || continue
    for index in "${!service_pids[@]}"; do
        if [[ "${service_pids[$index]}" == "$exited_pid" ]]; then
            say "${service_names[$index]} exited with status $status"
        fi
    done
    ((status == 0)) || failed=1
    remaining=()
    for pid in "${live_pids[@]}"; do
        [[ "$pid" == "$exited_pid" ]] || remaining+=("$pid")
    done
    live_pids=("${remaining[@]}")
done
service_pids=()
say "every service has exited"
exit "$failed"
