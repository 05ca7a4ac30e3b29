#!/usr/bin/env bash
# Installs everything the test suite needs, then runs it all: lint, data validation, unit, data,
# AppTest and browser tests, including the seeded click-walks (tests/app/test_walk.py,
# tests/browser/test_walk.py). Usage: bash scripts/test.sh [pytest args], e.g. -m "not slow": with
# arguments, one pytest run of what they select (serially, unless they add -n auto).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt

# System parts the tests start themselves: Debian's chromium (browser tests), nginx (replicas behind
# a balancer), redis-server (live rooms across machines) and poppler-utils (pdftotext, pdftoppm: a
# lesson's printed handout).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || need+=(iproute2)  # tests/netns (root)
{ command -v pdftotext && command -v pdftoppm; } >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages for the tests: ${need[*]}…"
    # --error-on=any: an index that fails to download is an error, not a warning with exit code 0.
    if ! apt-get update -qq --error-on=any; then
      echo "apt-get update failed, so ${need[*]} cannot be installed: check the network and" \
           "/etc/apt/sources.list*, then run this script again." >&2
      exit 1
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; then
      echo "apt-get install ${need[*]} failed; install them by hand and run this script again." >&2
      exit 1
    fi
  elif [ "${CI:-}" = "true" ]; then
    echo "CI needs Debian packages that are missing and cannot be installed here: ${need[*]}" >&2
    exit 1
  else
    echo "Some tests need Debian packages: run 'sudo apt-get install ${need[*]}'" \
         "(or set CHROMIUM=/path/to/chromium). Outside CI those tests are skipped until then." >&2
  fi
fi

echo "== ruff"
ruff check .
echo "== data validation"
python -m core.validate
if [ "$#" -gt 0 ]; then  # the developer's own selection, as given (add -n auto for every core)
  echo "== pytest"
  python -m pytest "$@"
  exit
fi
# The whole suite in two parts: tests that run in this process (unit, data, AppTest) on every core,
# then those that start servers, Chromium or network namespaces one at a time (marker `serial`,
# tests/conftest.py), as they measure what one machine's browser and servers do. Both parts run,
# even if the first fails, so one run reports every failure.
status=0
echo "== pytest: in-process tests, on every core"
python -m pytest -n auto -m "not serial" || status=$?
echo "== pytest: servers, Chromium and network tests, one at a time"
python -m pytest -m serial || status=$?
exit "$status"
