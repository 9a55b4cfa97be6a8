#!/usr/bin/env bash
# Checks (default) or rewrites (--fix) the formatting of every Swift source with the toolchain's
# `swift format` and the checked-in .swift-format. Fails on any finding when checking.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

paths=()
for path in Shared Services Tools Tests Benchmarks Package.swift; do
    [[ -e "$path" ]] && paths+=("$path")
done
if ((${#paths[@]} == 0)); then
    echo "lint: no Swift sources yet"
    exit 0
fi

if [[ "${1:-}" == --fix ]]; then
    exec swift format format --in-place --recursive --parallel "${paths[@]}"
fi
if ! swift format lint --strict --recursive --parallel "${paths[@]}"; then
    echo "lint: formatting findings above; \`make format\` fixes most of them" >&2
    exit 1
fi
