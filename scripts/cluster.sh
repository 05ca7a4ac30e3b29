#!/usr/bin/env bash
# Serve the dashboard from several Streamlit processes behind nginx, on one machine, in the
# foreground. Ctrl-C or SIGTERM stops everything it started.
#
#   bash scripts/cluster.sh --replicas 2 --port 8080
#
# Options:
#   --replicas N   app processes (default 2; about one per CPU core is the useful maximum)
#   --port P       port nginx listens on (default 8080)
#   --listen ADDR  address nginx listens on (default: all addresses, so phones on the classroom
#                  network can connect; use 127.0.0.1 to keep it on this machine)
#   --run-dir DIR  folder for the generated nginx.conf, pid, logs and replica logs (default: a new
#                  temporary folder, removed on exit; a given folder is kept)
#   --check        write the nginx config, test it with `nginx -t` and exit
# Environment:
#   PYTHON         Python with requirements.txt installed (default: the active venv, ./.venv, python3)
#   NGINX          nginx binary (default: nginx on PATH, then /usr/sbin/nginx)
#   ROOMS_DB       SQLite file of live rooms shared by all replicas (default: <run-dir>/rooms.sqlite3)
#   ROOMS_URL      redis://… for live rooms instead of SQLite (passed through to every replica)
#
# Each replica is `python -m streamlit run app.py` on a free loopback port; nginx (the generated
# copy of deploy/nginx.conf) runs as the current user with everything it writes in the run dir,
# so no root is needed and the system nginx service is not touched. A replica that exits is
# started again on the same port; nginx sends its browsers to the others meanwhile.
# The run dir holds replicas.tsv (index, port, pid of each running replica).
set -euo pipefail
cd "$(dirname "$0")/.."

replicas=2
port=8080
listen_addr=""
run_dir=""
check_only=false

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "cluster.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas="${2:-}"; shift 2 ;;
    --replicas=*) replicas="${1#*=}"; shift ;;
    --port) port="${2:-}"; shift 2 ;;
    --port=*) port="${1#*=}"; shift ;;
    --listen) listen_addr="${2:-}"; shift 2 ;;
    --listen=*) listen_addr="${1#*=}"; shift ;;
    --run-dir) run_dir="${2:-}"; shift 2 ;;
    --run-dir=*) run_dir="${1#*=}"; shift ;;
    --check) check_only=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[[ "$replicas" =~ ^[0-9]+$ ]] && [ "$replicas" -ge 1 ] && [ "$replicas" -le 64 ] \
  || die "--replicas must be a number from 1 to 64 (got '$replicas')"
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
  || die "--port must be a port number (got '$port')"

# --- what we need -------------------------------------------------------------------------------
nginx_bin="${NGINX:-}"
if [ -z "$nginx_bin" ]; then
  nginx_bin="$(command -v nginx 2>/dev/null || true)"
  [ -n "$nginx_bin" ] || { [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx; } || true
fi
if [ -z "$nginx_bin" ] || [ ! -x "$nginx_bin" ]; then
  cat >&2 <<'EOF'
cluster.sh: nginx is not installed. Install Debian's package:

    sudo apt-get install nginx

This script starts its own nginx as you, with its own config and files in a temporary folder;
the system nginx service is not needed (you may stop it: sudo systemctl disable --now nginx).
Or point NGINX=/path/to/nginx at another build.
EOF
  exit 3
fi

# The first Python that can import streamlit: $PYTHON, the active venv, ./.venv, python3, or the
# interpreter of a `streamlit` command on PATH.
python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  candidates=()
  [ -z "${VIRTUAL_ENV:-}" ] || candidates+=("$VIRTUAL_ENV/bin/python")
  candidates+=(.venv/bin/python python3 python)
  if command -v streamlit >/dev/null 2>&1; then
    shebang="$(head -n 1 "$(command -v streamlit)")"
    [[ "$shebang" != "#!"* ]] || candidates+=("${shebang#\#!}")
  fi
  for candidate in "${candidates[@]}"; do
    if "$candidate" -c "import streamlit" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
  python_bin="${python_bin:-python3}"
fi
if ! $check_only && ! "$python_bin" -c "import streamlit" 2>/dev/null; then
  die "$python_bin cannot import streamlit: run 'pip install -r requirements.txt' (or set PYTHON=…)"
fi

created_run_dir=false
if [ -z "$run_dir" ]; then
  run_dir="$(mktemp -d "${TMPDIR:-/tmp}/tgbm-cluster.XXXXXX")"
  created_run_dir=true
fi
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"

# --- ports and the nginx config -----------------------------------------------------------------
free_ports() {  # N distinct free loopback ports (the OS picks them)
  "$python_bin" - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}
if $check_only && ! command -v "$python_bin" >/dev/null 2>&1; then python_bin=python3; fi
read -r -a ports <<<"$(free_ports "$replicas")"

listen="$port"
if [ -n "$listen_addr" ]; then
  listen="$listen_addr:$port"
elif grep -qs . /proc/net/if_inet6; then
  listen="$port; listen [::]:$port"  # all addresses, IPv6 too (`localhost` may resolve to ::1)
fi
servers=""
for p in "${ports[@]}"; do
  servers+="        server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'
done
conf="$run_dir/nginx.conf"
awk -v run="$run_dir" -v listen="$listen" -v servers="${servers%$'\n'}" '
  { gsub(/@RUNTIME_DIR@/, run); gsub(/@LISTEN@/, listen) }
  /^@SERVERS@$/ { print servers; next }
  { print }' deploy/nginx.conf >"$conf"

if $check_only; then
  "$nginx_bin" -t -p "$run_dir" -c "$conf" -e "$run_dir/error.log"
  echo "config: $conf"
  $created_run_dir && rm -rf "$run_dir"
  exit 0
fi

# --- shared settings of every replica -----------------------------------------------------------
# Live rooms: one store for all replicas (SQLite file here, or Redis when ROOMS_URL is set).
export ROOMS_DB="${ROOMS_DB:-$run_dir/rooms.sqlite3}"
[ -z "${ROOMS_URL:-}" ] || export ROOMS_URL
# One cookie secret for all replicas, so a signed cookie set by one is valid on the others.
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  STREAMLIT_SERVER_COOKIE_SECRET="$("$python_bin" -c 'import secrets; print(secrets.token_hex(32))')"
  export STREAMLIT_SERVER_COOKIE_SECRET
fi
export PYTHONUNBUFFERED=1

# --- processes ------------------------------------------------------------------------------------
pids=()
started=()   # when each replica was last started ($SECONDS)
failures=()  # its exits in a row within a minute of starting (a crash loop backs off)
nginx_pid=""
sleeper=""
stopping=false

write_state() {  # replicas.tsv: index, port, pid (replaced atomically)
  local i tmp="$run_dir/replicas.tsv.tmp"
  : >"$tmp"
  for i in "${!ports[@]}"; do
    printf '%s\t%s\t%s\n' "$i" "${ports[$i]}" "${pids[$i]:-}" >>"$tmp"
  done
  mv -f "$tmp" "$run_dir/replicas.tsv"
}

start_replica() {
  local i="$1"
  "$python_bin" -m streamlit run app.py --server.port "${ports[$i]}" --server.address 127.0.0.1 \
    --server.headless true --browser.gatherUsageStats false >>"$run_dir/replica-$i.log" 2>&1 &
  pids[i]=$!
  started[i]=$SECONDS
  write_state
}

healthy() {  # healthy URL: the Streamlit health endpoint answers "ok"
  if command -v curl >/dev/null 2>&1; then
    [ "$(curl -fsS --max-time 2 "$1" 2>/dev/null || true)" = "ok" ]
  else
    "$python_bin" -c 'import sys, urllib.request as u; sys.exit(u.urlopen(sys.argv[1], timeout=2).read() != b"ok")' \
      "$1" 2>/dev/null
  fi
}

alive() {  # the process exists and is not a zombie (exited, not yet reaped by `wait`)
  local stat
  [ -n "${1:-}" ] && stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat:0:1}" != Z ]
}

children_of() {  # pids whose parent is $1 (nginx workers)
  if command -v pgrep >/dev/null 2>&1; then pgrep -P "$1" || true; return; fi
  local stat
  for stat in /proc/[0-9]*/stat; do
    read -r -a fields <"$stat" 2>/dev/null || continue
    [ "${fields[3]:-}" = "$1" ] && echo "${fields[0]}"
  done
  return 0
}

cleanup() {
  local code=$? deadline pid workers=""
  set +e  # best effort from here: one failed step must not leave the others running
  trap '' INT TERM  # a second Ctrl-C must not cut the cleanup short
  trap - EXIT
  stopping=true
  echo "cluster.sh: stopping nginx and ${#pids[@]} replicas…" >&2
  if alive "$nginx_pid"; then
    workers="$(children_of "$nginx_pid" | tr '\n' ' ')"
    kill -TERM "$nginx_pid" 2>/dev/null || true
  fi
  for pid in "${pids[@]}" $sleeper; do alive "$pid" && kill -TERM "$pid" 2>/dev/null || true; done
  deadline=$((SECONDS + 10))
  for pid in $nginx_pid $workers "${pids[@]}"; do
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if $created_run_dir; then rm -rf "$run_dir"; fi
  echo "cluster.sh: stopped." >&2
  exit "$code"
}
trap 'exit 130' INT
trap 'exit 143' TERM
trap cleanup EXIT

echo "cluster.sh: starting $replicas replicas (logs and config in $run_dir)" >&2
for i in "${!ports[@]}"; do start_replica "$i"; done

deadline=$((SECONDS + 120))
for i in "${!ports[@]}"; do
  until healthy "http://127.0.0.1:${ports[$i]}/_stcore/health"; do
    alive "${pids[$i]}" || { tail -n 20 "$run_dir/replica-$i.log" >&2; die "replica $i did not start"; }
    [ "$SECONDS" -lt "$deadline" ] || die "replica $i not healthy after 120 s (see $run_dir/replica-$i.log)"
    sleep 0.3
  done
  echo "cluster.sh: replica $i ready on 127.0.0.1:${ports[$i]} (pid ${pids[$i]})" >&2
done

"$nginx_bin" -p "$run_dir" -c "$conf" -e "$run_dir/error.log" &
nginx_pid=$!
echo "$nginx_pid" >"$run_dir/nginx.master"
until healthy "http://127.0.0.1:$port/_stcore/health"; do
  alive "$nginx_pid" || { tail -n 5 "$run_dir/error.log" >&2; die "nginx did not start (port $port taken?)"; }
  [ "$SECONDS" -lt "$deadline" ] || die "nginx not answering on port $port"
  sleep 0.2
done
host="${listen_addr:-localhost}"
[ "$host" != "0.0.0.0" ] || host=localhost
echo "cluster.sh: serving http://$host:$port/ through nginx with $replicas replicas — Ctrl-C stops" >&2

# Supervise: restart a replica that exits; stop everything if nginx exits.
while true; do
  wait -n 2>/dev/null || true
  $stopping && break
  if ! alive "$nginx_pid"; then
    tail -n 5 "$run_dir/error.log" >&2 || true
    die "nginx exited"
  fi
  for i in "${!ports[@]}"; do
    if ! alive "${pids[$i]}"; then
      if [ $((SECONDS - ${started[$i]:-0})) -lt 60 ]; then
        failures[i]=$(( ${failures[$i]:-0} + 1 ))
      else
        failures[i]=0
      fi
      delay=$(( 1 << (${failures[$i]} < 5 ? ${failures[$i]} : 5) ))  # 1, 2, 4 … 32 s
      echo "cluster.sh: replica $i (port ${ports[$i]}) exited; starting it again in $delay s" \
           "(log: $run_dir/replica-$i.log)" >&2
      sleep "$delay" &
      sleeper=$!
      wait "$sleeper" || true
      $stopping && break
      start_replica "$i"
    fi
  done
done
