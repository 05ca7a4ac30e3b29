#!/usr/bin/env bash
# Installs everything the test suite needs, then runs it all: lint, data validation, unit, data,
# AppTest and browser tests. Usage: bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Browser tests need Chromium: run 'sudo apt-get install chromium' (Debian/Ubuntu)," \
         "or set CHROMIUM=/path/to/chromium. They are skipped until then." >&2
  fi
fi

echo "== ruff"
ruff check .
echo "== data validation"
python -m core.validate
echo "== pytest"
python -m pytest "$@"
