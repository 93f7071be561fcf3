#!/usr/bin/env bash
# Set up govkg on a fresh machine: a virtual environment in .venv with govkg and its test tools,
# and (as root, for the browser tests of the graph view) Debian's Chromium, ChromeDriver and a CJK font.
# Idempotent: a second run only checks. Usage: bash scripts/setup.sh [--no-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e '.[test]'

if [ "${1:-}" != "--no-browser" ] && [ -f scripts/setup-browser.sh ]; then
    bash scripts/setup-browser.sh || echo "setup.sh: browser not installed; the browser tests will be skipped" >&2
fi
echo "govkg ready: .venv/bin/govkg --help"
