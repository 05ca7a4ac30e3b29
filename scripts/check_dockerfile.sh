#!/usr/bin/env bash
# Runs the Dockerfile's environment-building RUN steps on this machine, in a clean venv, without
# Docker: proves the pinned requirements install together and import on Python 3.11.
#   bash scripts/check_dockerfile.sh
# What it changes from the image build, and why:
#   /opt/venv -> a temporary folder (no root, nothing outside the temp folder is touched);
#   steps that create users (useradd/groupadd) are skipped: they would change this machine;
#   --no-cache-dir is dropped so pip may reuse its download cache (same packages, same versions).
# Not checked: the base image itself, COPY/USER/HEALTHCHECK (they need a Docker build).
set -euo pipefail
cd "$(dirname "$0")/.."
python_bin="${PYTHON_BASE:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/tgbm-dockerfile.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp requirements.txt "$work/"

echo "base python: $("$python_bin" --version) (the image uses $(sed -n 's/^FROM //p' Dockerfile))"
# RUN instructions with their continuation lines joined.
mapfile -t steps < <(awk '
  /^RUN / { cmd = substr($0, 5); cont = /\\$/; sub(/\\$/, "", cmd); if (!cont) { print cmd; cmd = "" }; next }
  cont    { line = $0; cont = /\\$/; sub(/\\$/, "", line); cmd = cmd " " line; if (!cont) { print cmd; cmd = "" } }
' Dockerfile)
[ "${#steps[@]}" -gt 0 ] || { echo "no RUN steps found" >&2; exit 1; }

ran=0
for step in "${steps[@]}"; do
  case "$step" in
    *useradd*|*groupadd*) echo "SKIP (changes system users): $step"; continue ;;
  esac
  step="${step//\/opt\/venv/$work/venv}"
  step="${step//--no-cache-dir/}"
  step="${step//python -m venv/$python_bin -m venv}"
  echo "RUN $step"
  (cd "$work" && env -u VIRTUAL_ENV -u PYTHONPATH PIP_DISABLE_PIP_VERSION_CHECK=1 sh -ec "$step")
  ran=$((ran + 1))
done
"$work/venv/bin/python" -m streamlit version
"$work/venv/bin/pip" check
echo "OK: $ran RUN steps ran in a clean venv ($work/venv, removed on exit)"
