#!/usr/bin/env bash
# Creates (once) a Python virtual environment in .build-python with the tools the tests use — aiosmtpd (a real
# SMTP server with STARTTLS), pika (the integrating guide's worked example), jsonschema and PyYAML (checking the
# AsyncAPI document against the official schema) — and prints its python's path. It installs again only when the
# list below changes. Needs python3-venv (scripts/ensure-deps.sh installs it) and PyPI.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv=${NPQ_PYTHON_VENV:-$root/.build-python}
packages=(aiosmtpd==1.4.6 pika==1.3.2 jsonschema==4.26.0 PyYAML==6.0.3)
stamp="$venv/.npq-packages"
wanted=$(printf '%s\n' "${packages[@]}")

if [[ ! -x "$venv/bin/python" ]]; then
    echo "ensure-python: creating $venv" >&2
    python3 -m venv "$venv" >&2
fi
if [[ ! -f "$stamp" ]] || [[ "$(cat "$stamp")" != "$wanted" ]]; then
    echo "ensure-python: installing ${packages[*]}" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}" >&2
    printf '%s\n' "$wanted" >"$stamp"
fi
printf '%s\n' "$venv/bin/python"
