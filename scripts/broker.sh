#!/usr/bin/env bash
# Manages a private RabbitMQ node whose every file lives in one directory; never the system-wide
# node. Used by `make test` (a throw-away node per run), by `make run` (a persistent node in
# .run/broker) and by integration tests that restart the broker mid-test.
#
#   broker.sh start DIR       start the node (picks free ports, generates TLS material once)
#   broker.sh stop DIR        stop the node and its epmd; leaves the data in DIR
#   broker.sh stop-app DIR    rabbitmqctl stop_app: drops every connection, node stays up
#   broker.sh start-app DIR   rabbitmqctl start_app
#   broker.sh restart DIR     full node stop then start, same ports, same data
#   broker.sh status DIR      says whether it runs; exit 0 running, 1 app stopped, 3 not running
#   broker.sh env DIR         prints `export NAME=value` lines for tests and services
#   broker.sh ctl DIR ARGS... runs rabbitmqctl ARGS against the node (e.g. list_queues)
#
# DIR holds: ports.env (the ports chosen at the first start; restart reuses them), rabbitmq.conf,
# enabled_plugins, home/ (HOME with the Erlang cookie), mnesia/ (data), log/, tls/ (test CA,
# server and client certificates, and an unrelated "wrong" CA), pid files.
#
# Environment read by `start` (a port given here must be free, or start fails):
#   NPQ_BROKER_PORT, NPQ_BROKER_TLS_PORT, NPQ_BROKER_DIST_PORT, NPQ_BROKER_EPMD_PORT,
#   NPQ_BROKER_MANAGEMENT_PORT   fixed ports
#   NPQ_BROKER_MANAGEMENT=1      enable the management UI (on 127.0.0.1)
#   NPQ_BROKER_PREFER_STANDARD_PORTS=1   try 5672 / 5671 / 15672 first (make run)
#   NPQ_BROKER_START_TIMEOUT     seconds to wait for the node to boot (default 90)
#
# The Debian wrapper /usr/sbin/rabbitmq-server switches to the `rabbitmq` user when run as root
# (and refuses other users), and reads /etc/rabbitmq; so this script calls the scripts under
# /usr/lib/rabbitmq/bin directly, with RABBITMQ_* variables pointing into DIR. That works the
# same as root and as any other user.
set -euo pipefail

readonly SERVER_SCRIPTS=${NPQ_RABBITMQ_SCRIPTS:-/usr/lib/rabbitmq/bin}
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
readonly SELF

# Whatever RABBITMQ_* the caller has set is meant for some other node.
for name in "${!RABBITMQ_@}"; do
    unset "$name"
done
unset ERL_EPMD_PORT ERL_EPMD_ADDRESS ERL_LIBS

log() { printf 'broker: %s\n' "$*" >&2; }
die() {
    printf 'broker: error: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "$SELF" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------------------------------------
# Paths and identity

init_paths() {
    [[ -n "$1" ]] || die "DIR must not be empty"
    DIR=$(realpath -m -- "$1")
    PORTS_FILE=$DIR/ports.env
    LOG_DIR=$DIR/log
    TLS_DIR=$DIR/tls
    LAUNCHER_PID_FILE=$DIR/launcher.pid
    NODE_PID_FILE=$DIR/rabbit.pid
    EPMD_PID_FILE=$DIR/epmd.pid
    local hash
    hash=$(printf '%s' "$DIR" | sha256sum | cut -c1-12)
    NODE=npq-$hash@localhost
}

# Exports what the RabbitMQ scripts and the Erlang VM read, all pointing into DIR.
node_env() {
    export HOME=$DIR/home
    export ERL_EPMD_PORT=$NPQ_BROKER_EPMD_PORT
    export ERL_EPMD_ADDRESS=127.0.0.1
    export ERL_CRASH_DUMP=$LOG_DIR/erl_crash.dump
    # The node is named ...@localhost: resolve that name without relying on /etc/hosts.
    export ERL_INETRC=$DIR/inetrc
    export RABBITMQ_NODENAME=$NODE
    export RABBITMQ_CONF_ENV_FILE=$DIR/rabbitmq-env.conf
    export RABBITMQ_CONFIG_FILE=$DIR/rabbitmq.conf
    export RABBITMQ_ADVANCED_CONFIG_FILE=$DIR/advanced.config
    export RABBITMQ_ENABLED_PLUGINS_FILE=$DIR/enabled_plugins
    export RABBITMQ_MNESIA_BASE=$DIR/mnesia
    export RABBITMQ_LOG_BASE=$LOG_DIR
    # Logs go to standard output, which boot_node sends to log/rabbit.log: written at once,
    # where a log file handler would buffer, so nothing is lost when the VM is killed.
    export RABBITMQ_LOGS=-
    export RABBITMQ_PID_FILE=$NODE_PID_FILE
    export RABBITMQ_DIST_PORT=$NPQ_BROKER_DIST_PORT
    # Erlang distribution (node and CLI) on loopback only.
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
    export RABBITMQ_CTL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
}

ctl() { "$SERVER_SCRIPTS/rabbitmqctl" -n "$NODE" "$@"; }
diagnostics() { "$SERVER_SCRIPTS/rabbitmq-diagnostics" -n "$NODE" "$@"; }

# ---------------------------------------------------------------------------------------------
# Processes

# Prints the pid in FILE if that process is alive and is ours: its WHAT (/proc/PID/cmdline or
# /proc/PID/environ) has an entry matching PATTERN. So a stale pid file never makes us signal a
# stranger that got the same pid.
live_pid() {
    local file=$1 what=$2 pattern=$3 pid
    [[ -s "$file" ]] || return 1
    pid=$(tr -dc '0-9' <"$file")
    [[ -n "$pid" ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' '\n' <"/proc/$pid/$what" 2>/dev/null | grep -qx -- "$pattern" || return 1
    printf '%s\n' "$pid"
}

node_pid() { live_pid "$NODE_PID_FILE" environ "RABBITMQ_NODENAME=$NODE"; }
launcher_pid() { live_pid "$LAUNCHER_PID_FILE" environ "RABBITMQ_NODENAME=$NODE"; }
epmd_pid() { live_pid "$EPMD_PID_FILE" cmdline "$NPQ_BROKER_EPMD_PORT"; }

node_is_up() { node_pid >/dev/null || launcher_pid >/dev/null; }

# Exit status 0 while PID runs. A zombie counts as gone: it holds no port, file or memory any
# more, and one whose parent has exited waits for PID 1 to reap it, which can take seconds.
process_running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ "${stat%% *}" != Z ]]
}

# Waits up to SECONDS for every given pid to exit.
wait_gone() {
    local seconds=$1 pid
    shift
    local deadline=$((SECONDS + seconds))
    for pid in "$@"; do
        while process_running "$pid"; do
            ((SECONDS < deadline)) || return 1
            sleep 0.05
        done
    done
}

# ---------------------------------------------------------------------------------------------
# Ports

# Local TCP ports in use on this machine (IPv4 and IPv6), one per line, read from /proc so
# that no helper program is needed. With `listening`, only sockets that would stop a listener
# from binding the port (listening, or bound and idle); connections closing down (TIME_WAIT
# after a broker restart, say) don't, since Erlang listens with SO_REUSEADDR.
ports_in_use() {
    local file sl local_address state rest
    for file in /proc/net/tcp /proc/net/tcp6; do
        [[ -r "$file" ]] || continue
        while read -r sl local_address _ state rest; do
            [[ "$sl" == *: ]] || continue
            if [[ "${1:-}" == listening && "$state" != 0A && "$state" != 07 ]]; then
                continue
            fi
            echo "$((16#${local_address##*:}))"
        done <"$file"
    done
}

# Exit status 0 when a listener could bind 127.0.0.1:PORT.
port_free() {
    local in_use
    in_use=$'\n'$(ports_in_use listening)$'\n'
    [[ "$in_use" != *$'\n'"$1"$'\n'* ]]
}

# Prints a free port outside the ephemeral range (so an outgoing connection can't take it
# between now and the node's start) and different from the ports given as arguments.
pick_port() {
    local in_use candidate attempt
    in_use=$'\n'$(ports_in_use | sort -u)$'\n'$(printf '%s\n' "$@")$'\n'
    for ((attempt = 0; attempt < 1000; attempt++)); do
        candidate=$((20000 + RANDOM % 12000))
        if [[ "$in_use" != *$'\n'"$candidate"$'\n'* ]]; then
            echo "$candidate"
            return 0
        fi
    done
    die "no free TCP port found between 20000 and 32000"
}

readonly PORT_NAMES=(NPQ_BROKER_PORT NPQ_BROKER_TLS_PORT NPQ_BROKER_DIST_PORT NPQ_BROKER_EPMD_PORT
    NPQ_BROKER_MANAGEMENT_PORT)

standard_port() {
    case $1 in
        NPQ_BROKER_PORT) echo 5672 ;;
        NPQ_BROKER_TLS_PORT) echo 5671 ;;
        NPQ_BROKER_MANAGEMENT_PORT) echo 15672 ;;
        *) echo "" ;;
    esac
}

# Chooses every port: given in the environment (must be free), else the one this DIR used last
# time if still free, else the standard one when asked to prefer it, else a random free one.
choose_ports() {
    local -A given=() stored=()
    local name value chosen=() standard
    for name in "${PORT_NAMES[@]}"; do
        given[$name]=${!name:-}
    done
    if [[ -f "$PORTS_FILE" ]]; then
        while IFS='=' read -r name value; do
            [[ "$name" == NPQ_BROKER_*PORT ]] && stored[$name]=$value
        done <"$PORTS_FILE"
    fi
    for name in "${PORT_NAMES[@]}"; do
        value=${given[$name]}
        if [[ -n "$value" ]]; then
            [[ "$value" =~ ^[0-9]+$ ]] || die "$name=$value is not a port number"
            port_free "$value" || die "$name=$value is given but that port is in use on 127.0.0.1"
        else
            value=${stored[$name]:-}
            if [[ -n "$value" ]] && ! port_free "$value"; then
                log "port $value ($name) used last time is busy now; choosing another"
                value=
            fi
            standard=$(standard_port "$name")
            if [[ -z "$value" && "${NPQ_BROKER_PREFER_STANDARD_PORTS:-0}" == 1 && -n "$standard" ]]; then
                if port_free "$standard"; then
                    value=$standard
                else
                    log "port $standard ($name) is busy; choosing a free one instead"
                fi
            fi
            if [[ -z "$value" ]]; then
                value=$(pick_port "${chosen[@]}" "${given[@]}")
            fi
        fi
        for taken in "${chosen[@]}"; do
            [[ "$taken" != "$value" ]] || die "$name=$value: that port is already chosen for another listener"
        done
        chosen+=("$value")
        printf -v "$name" '%s' "$value"
    done
}

write_ports_file() {
    local name tmp=$PORTS_FILE.tmp
    {
        for name in "${PORT_NAMES[@]}"; do
            printf '%s=%s\n' "$name" "${!name}"
        done
        printf 'NPQ_BROKER_MANAGEMENT=%s\n' "$NPQ_BROKER_MANAGEMENT"
        printf 'NPQ_BROKER_NODE=%s\n' "$NODE"
    } >"$tmp"
    mv "$tmp" "$PORTS_FILE"
}

load_ports_file() {
    [[ -f "$PORTS_FILE" ]] || die "$DIR has never been started (no ports.env); run: $SELF start $DIR"
    local name value
    while IFS='=' read -r name value; do
        case $name in
            NPQ_BROKER_*PORT | NPQ_BROKER_MANAGEMENT) printf -v "$name" '%s' "$value" ;;
            *) ;;
        esac
    done <"$PORTS_FILE"
    for name in "${PORT_NAMES[@]}"; do
        [[ -n "${!name:-}" ]] || die "$PORTS_FILE lacks $name"
    done
    NPQ_BROKER_MANAGEMENT=${NPQ_BROKER_MANAGEMENT:-0}
}

# ---------------------------------------------------------------------------------------------
# TLS material: generated once per DIR.

tls_material_valid() {
    local file
    for file in ca.pem wrong-ca.pem server.pem server.key client.pem client.key; do
        [[ -s "$TLS_DIR/$file" ]] || return 1
    done
    openssl verify -CAfile "$TLS_DIR/ca.pem" "$TLS_DIR/server.pem" "$TLS_DIR/client.pem" >/dev/null 2>&1
}

ensure_tls() {
    command -v openssl >/dev/null || die "openssl is missing (scripts/ensure-deps.sh installs it)"
    if [[ -d "$TLS_DIR" ]]; then
        tls_material_valid && return 0
        log "$TLS_DIR is incomplete or its certificates don't verify: generating new ones"
    fi
    local work
    work=$(mktemp -d "$DIR/tls.XXXXXX")
    (
        set -e
        cd "$work"
        umask 077
        openssl_quiet() {
            local out
            out=$(openssl "$@" 2>&1) || {
                printf '%s\n' "$out" >&2
                return 1
            }
        }
        make_ca() { # NAME CN
            openssl_quiet req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
                -keyout "$1.key" -out "$1.pem" -subj "/O=npq-suite tests/CN=$2" \
                -addext 'basicConstraints=critical,CA:TRUE' \
                -addext 'keyUsage=critical,keyCertSign,cRLSign' \
                -addext 'subjectKeyIdentifier=hash'
        }
        make_leaf() { # NAME CN EXTENSIONS
            printf '%s\n' "$3" >"$1.ext"
            openssl_quiet req -new -newkey rsa:2048 -nodes -sha256 \
                -keyout "$1.key" -out "$1.csr" -subj "/O=npq-suite tests/CN=$2"
            openssl_quiet x509 -req -sha256 -days 3650 -in "$1.csr" -CA ca.pem -CAkey ca.key \
                -set_serial "0x$(openssl rand -hex 16)" -extfile "$1.ext" -out "$1.pem"
            rm -f "$1.csr" "$1.ext"
        }
        make_ca ca 'npq test CA'
        make_ca wrong-ca 'npq unrelated CA (signed nothing we serve)'
        make_leaf server localhost "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
authorityKeyIdentifier=keyid"
        make_leaf client npq-test-client "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
authorityKeyIdentifier=keyid"
        rm -f wrong-ca.key
        chmod 644 ./*.pem
    ) || {
        rm -rf "$work"
        die "could not generate TLS certificates with openssl"
    }
    rm -rf "$TLS_DIR"
    mv "$work" "$TLS_DIR"
    chmod 755 "$TLS_DIR"
}

# ---------------------------------------------------------------------------------------------
# Configuration

write_config() {
    mkdir -p "$DIR/home" "$DIR/mnesia" "$LOG_DIR"
    if [[ ! -s "$DIR/home/.erlang.cookie" ]]; then
        (
            umask 077
            head -c 32 /dev/urandom | od -An -tx1 | tr -dc 'a-f0-9' | tr 'a-f' 'A-F' >"$DIR/home/.erlang.cookie"
        )
    fi
    chmod 400 "$DIR/home/.erlang.cookie"
    printf '# Read by the RabbitMQ scripts instead of /etc/rabbitmq/rabbitmq-env.conf. Empty.\n' \
        >"$DIR/rabbitmq-env.conf"
    printf '%s\n' '{host, {127,0,0,1}, ["localhost"]}.' '{lookup, [file, native]}.' >"$DIR/inetrc"
    if [[ "$NPQ_BROKER_MANAGEMENT" == 1 ]]; then
        echo '[rabbitmq_management].' >"$DIR/enabled_plugins"
    else
        echo '[].' >"$DIR/enabled_plugins"
    fi
    cat >"$DIR/rabbitmq.conf" <<EOF
# Written by scripts/broker.sh at every start; edits are lost.
listeners.tcp.1 = 127.0.0.1:$NPQ_BROKER_PORT
listeners.ssl.1 = 127.0.0.1:$NPQ_BROKER_TLS_PORT
ssl_options.cacertfile = $TLS_DIR/ca.pem
ssl_options.certfile = $TLS_DIR/server.pem
ssl_options.keyfile = $TLS_DIR/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = false

# A test machine: don't block publishers for memory or disk alarms that don't matter here.
disk_free_limit.absolute = 50MB
vm_memory_high_watermark.relative = 0.8

log.console = true
log.console.level = info
EOF
    if [[ "$NPQ_BROKER_MANAGEMENT" == 1 ]]; then
        cat >>"$DIR/rabbitmq.conf" <<EOF

management.tcp.ip = 127.0.0.1
management.tcp.port = $NPQ_BROKER_MANAGEMENT_PORT
EOF
    fi
}

# ---------------------------------------------------------------------------------------------
# Commands

print_log_tail() {
    local file
    for file in "$LOG_DIR/rabbit.log" "$LOG_DIR/epmd.log"; do
        if [[ -s "$file" ]]; then
            printf -- '----- last lines of %s -----\n' "$file" >&2
            tail -n 40 "$file" >&2
        fi
    done
}

# Closes every file descriptor above 2 in the calling (sub)shell. The node and epmd outlive this
# script, and must not keep open what our caller gave us: Foundation's Process on Linux, for
# one, learns that its child exited when a socket it passed down is closed by everyone holding
# it, so a daemon that inherited it would make waitUntilExit() hang until the broker stops.
close_inherited_fds() {
    local fd
    for fd in /proc/"$BASHPID"/fd/*; do
        fd=${fd##*/}
        if ((fd > 2)); then
            eval "exec $fd>&-" 2>/dev/null || true
        fi
    done
}

start_epmd() {
    if epmd_pid >/dev/null; then
        return 0
    fi
    local epmd_bin
    epmd_bin=$(command -v epmd || true)
    [[ -n "$epmd_bin" ]] || die "epmd not found (is rabbitmq-server installed? scripts/ensure-deps.sh)"
    (
        close_inherited_fds
        exec setsid "$epmd_bin" -port "$NPQ_BROKER_EPMD_PORT" -address 127.0.0.1 \
            </dev/null >>"$LOG_DIR/epmd.log" 2>&1
    ) &
    echo $! >"$EPMD_PID_FILE"
    local deadline=$((SECONDS + 10))
    until "$epmd_bin" -port "$NPQ_BROKER_EPMD_PORT" -names >/dev/null 2>&1; do
        if ! epmd_pid >/dev/null || ((SECONDS >= deadline)); then
            print_log_tail
            die "epmd did not start on port $NPQ_BROKER_EPMD_PORT"
        fi
        sleep 0.05
    done
}

stop_epmd() {
    local pid
    if pid=$(epmd_pid); then
        kill -TERM "$pid" 2>/dev/null || true
        wait_gone 5 "$pid" || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$EPMD_PID_FILE"
}

# Boots the node with the ports already chosen, and waits until it serves AMQP.
boot_node() {
    [[ -x "$SERVER_SCRIPTS/rabbitmq-server" ]] ||
        die "$SERVER_SCRIPTS/rabbitmq-server not found (scripts/ensure-deps.sh installs rabbitmq-server)"
    ensure_tls
    write_config
    node_env
    start_epmd
    rm -f "$NODE_PID_FILE" "$LOG_DIR/wait.log"
    local started=$SECONDS timeout=${NPQ_BROKER_START_TIMEOUT:-90} t0=$EPOCHREALTIME
    printf -- '----- %s start -----\n' "$(date '+%F %T')" >>"$LOG_DIR/rabbit.log"
    # setsid: the node must not get the terminal's Ctrl-C; whoever started it stops it.
    (
        close_inherited_fds
        cd "$DIR"
        exec setsid "$SERVER_SCRIPTS/rabbitmq-server" </dev/null >>"$LOG_DIR/rabbit.log" 2>&1
    ) &
    local launcher=$!
    echo "$launcher" >"$LAUNCHER_PID_FILE"

    # Cheap polling first (the AMQP listener opens near the end of the boot), then one
    # `rabbitmqctl await_startup` to be sure the boot, plugins included, has completed.
    local ok=1 deadline=$((started + timeout))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$launcher" 2>/dev/null; then
            echo "the node's process exited during its boot" >"$LOG_DIR/wait.log"
            break
        fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$NPQ_BROKER_PORT") 2>/dev/null; then
            if ctl -q await_startup --timeout "$((deadline - SECONDS + 1))" >"$LOG_DIR/wait.log" 2>&1; then
                ok=0
            fi
            break
        fi
        sleep 0.1
    done
    [[ -s "$LOG_DIR/wait.log" || $ok == 0 ]] || echo "no AMQP listener on port $NPQ_BROKER_PORT after ${timeout}s" >"$LOG_DIR/wait.log"
    if ((ok != 0)); then
        log "the node $NODE failed to boot (time limit ${timeout}s); its logs:"
        cat "$LOG_DIR/wait.log" >&2 || true
        print_log_tail
        stop_node_processes
        stop_epmd
        die "RabbitMQ failed to start in $DIR"
    fi
    local took
    took=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    log "node $NODE ready in ${took}s: amqp://127.0.0.1:$NPQ_BROKER_PORT amqps://localhost:$NPQ_BROKER_TLS_PORT"
}

stop_node_processes() {
    local pids=() pid
    pid=$(node_pid) && pids+=("$pid")
    pid=$(launcher_pid) && pids+=("$pid")
    if ((${#pids[@]} == 0)); then
        rm -f "$NODE_PID_FILE" "$LAUNCHER_PID_FILE"
        return 0
    fi
    # `stop_app` stops RabbitMQ cleanly: connections closed, message stores, quorum queue logs
    # and Mnesia flushed and closed, so the next boot is a clean recovery. What remains is an
    # idle Erlang VM whose graceful halt takes seconds here for nothing, so it is killed.
    local beam
    if beam=$(node_pid) && ctl -q stop_app --timeout 60 >/dev/null 2>&1; then
        # The launcher script exits by itself once the VM is gone.
        kill -KILL "$beam" 2>/dev/null || true
        wait_gone 10 "${pids[@]}" || true
    else
        log "rabbitmqctl stop_app failed; stopping the node with SIGTERM"
        for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
        if ! wait_gone 30 "${pids[@]}"; then
            log "node did not stop; sending SIGKILL"
            for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
            wait_gone 5 "${pids[@]}" || true
        fi
    fi
    rm -f "$NODE_PID_FILE" "$LAUNCHER_PID_FILE"
}

cmd_start() {
    if [[ -f "$PORTS_FILE" ]]; then
        load_ports_file
        node_env
        if node_is_up; then
            log "node $NODE already running in $DIR"
            return 0
        fi
        # A leftover epmd of ours from a crash: gone, so that ports can be chosen again.
        stop_epmd
    fi
    mkdir -p "$DIR"
    NPQ_BROKER_MANAGEMENT=${NPQ_BROKER_MANAGEMENT:-0}
    [[ "$NPQ_BROKER_MANAGEMENT" == 0 || "$NPQ_BROKER_MANAGEMENT" == 1 ]] ||
        die "NPQ_BROKER_MANAGEMENT must be 0 or 1, not '$NPQ_BROKER_MANAGEMENT'"
    choose_ports
    write_ports_file
    boot_node
}

cmd_stop() {
    if [[ ! -f "$PORTS_FILE" ]]; then
        log "nothing to stop in $DIR"
        return 0
    fi
    load_ports_file
    node_env
    stop_node_processes
    stop_epmd
}

cmd_restart() {
    load_ports_file
    node_env
    stop_node_processes
    local name
    for name in NPQ_BROKER_PORT NPQ_BROKER_TLS_PORT NPQ_BROKER_DIST_PORT; do
        port_free "${!name}" || die "cannot restart: port ${!name} ($name) is held by another process"
    done
    boot_node
}

cmd_app() {
    load_ports_file
    node_env
    node_is_up || die "node $NODE is not running"
    ctl -q "$1"
}

cmd_status() {
    if [[ ! -f "$PORTS_FILE" ]]; then
        echo "not running (never started in $DIR)"
        return 3
    fi
    load_ports_file
    node_env
    local pid
    if ! pid=$(node_pid) && ! pid=$(launcher_pid); then
        echo "not running ($NODE, $DIR)"
        return 3
    fi
    local state=running code=0
    if ! diagnostics -q check_running >/dev/null 2>&1; then
        state="node up, RabbitMQ application stopped"
        code=1
    fi
    echo "$state: node $NODE, pid $pid"
    echo "  amqp://127.0.0.1:$NPQ_BROKER_PORT/  amqps://localhost:$NPQ_BROKER_TLS_PORT/"
    if [[ "$NPQ_BROKER_MANAGEMENT" == 1 ]]; then
        echo "  management http://127.0.0.1:$NPQ_BROKER_MANAGEMENT_PORT/"
    fi
    echo "  epmd $NPQ_BROKER_EPMD_PORT, distribution $NPQ_BROKER_DIST_PORT, logs $LOG_DIR"
    return "$code"
}

cmd_env() {
    load_ports_file
    local plain=amqp://guest:guest@127.0.0.1:$NPQ_BROKER_PORT/
    local lines=(
        "NPQ_TEST_AMQP_URL=$plain"
        "NPQ_TEST_AMQPS_URL=amqps://guest:guest@localhost:$NPQ_BROKER_TLS_PORT/"
        "NPQ_TEST_TLS_CA=$TLS_DIR/ca.pem"
        "NPQ_TEST_TLS_WRONG_CA=$TLS_DIR/wrong-ca.pem"
        "NPQ_TEST_TLS_CLIENT_CERT=$TLS_DIR/client.pem"
        "NPQ_TEST_TLS_CLIENT_KEY=$TLS_DIR/client.key"
        "NPQ_TEST_BROKER_DIR=$DIR"
        "NPQ_TEST_BROKER_CONTROL=$SELF"
        "NPQ_AMQP_URL=$plain"
    )
    if [[ "$NPQ_BROKER_MANAGEMENT" == 1 ]]; then
        lines+=("NPQ_BROKER_MANAGEMENT_URL=http://127.0.0.1:$NPQ_BROKER_MANAGEMENT_PORT/")
    fi
    local line
    for line in "${lines[@]}"; do
        printf 'export %s=%q\n' "${line%%=*}" "${line#*=}"
    done
}

(($# >= 2)) || usage
command=$1
init_paths "$2"
shift 2
[[ "$command" == ctl || $# == 0 ]] || usage
case $command in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_restart ;;
    stop-app) cmd_app stop_app ;;
    start-app) cmd_app start_app ;;
    status) cmd_status ;;
    env) cmd_env ;;
    ctl)
        load_ports_file
        node_env
        ctl "$@"
        ;;
    *) usage ;;
esac
