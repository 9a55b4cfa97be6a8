#!/usr/bin/env bash
# Installs the Debian packages the suite needs to build and to run its private RabbitMQ node,
# and only those that are missing: on a machine that has them all this does nothing and needs
# no network. Extra package names may be given as arguments.
#
# Installing rabbitmq-server must not start the system-wide node (we never use it): a
# policy-rc.d that denies every service start is put in place for the duration of the install,
# unless one is there already.
set -euo pipefail

packages=(librabbitmq-dev rabbitmq-server openssl pkg-config python3-venv "$@")

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    if [[ "$status" != "installed" ]]; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "ensure-deps: installing ${missing[*]}" >&2

sudo=()
if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "ensure-deps: ${missing[*]} missing and not running as root (no sudo either)" >&2
        exit 1
    fi
    sudo=(sudo)
fi

policy=/usr/sbin/policy-rc.d
created_policy=false
restore_policy() {
    if [[ "$created_policy" == true ]]; then
        "${sudo[@]}" rm -f "$policy"
    fi
}
trap restore_policy EXIT
if [[ ! -e "$policy" ]]; then
    # Exit status 101 tells invoke-rc.d that starting services is forbidden.
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    created_policy=true
fi

log=$(mktemp)
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1; then
    cat "$log" >&2
    echo "ensure-deps: apt-get update failed" >&2
    rm -f "$log"
    exit 1
fi
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" >>"$log" 2>&1; then
    # A postinst that still tried to start the system service and failed leaves the package
    # half-configured; finish configuring it (the start failure is harmless to us).
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive dpkg --configure -a >>"$log" 2>&1 || true
    for package in "${missing[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
        if [[ "$status" != "installed" ]]; then
            tail -n 40 "$log" >&2
            echo "ensure-deps: could not install $package (full log: $log)" >&2
            exit 1
        fi
    done
fi
rm -f "$log"

