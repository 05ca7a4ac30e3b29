#!/usr/bin/env bash
# Teach from this laptop: serve the dashboard to the class's phones on the local network (the
# laptop's own Wi-Fi hotspot or the classroom Wi-Fi), with no internet, in the foreground.
#
#   bash scripts/classroom.sh                  # one app process on port 8501
#   bash scripts/classroom.sh --replicas 2     # nginx in front of 2 app processes (scripts/cluster.sh)
#
# It finds this machine's address on the local network, prints the address students open and
# its QR code, and shares links with that address (TGBM_PUBLIC_URL=http://ADDRESS:PORT), so every
# share dialog, QR code and live-room link works on the phones even when you open the app on this
# laptop as http://localhost:PORT. Phones must join the same network as the laptop.
#
# Options:
#   --port P       port the phones use (default 8501; with --replicas, nginx's port)
#   --replicas N   N app processes behind nginx (scripts/cluster.sh; needs Debian's nginx), for big
#                  classes; about one per CPU core
#   --wait         no network address yet: wait (checking every 3 s) instead of exiting
#   -h, --help     this text
# Environment:
#   TGBM_PUBLIC_URL  when set (e.g. http://lop-hoc.truong.edu.vn:8080), links use it as it is and
#                    no address is looked up (a school server with a name)
#   PYTHON           Python with requirements.txt installed (default: active venv, ./.venv, python3)
#
# Exit codes: 0 stopped normally, 2 bad arguments, 3 port in use or Python without streamlit,
# 4 no network address (turn on the hotspot or join the Wi-Fi, then run it again, or use --wait).
# Ctrl-C or SIGTERM stops the app (and, with --replicas, nginx and every replica).
set -euo pipefail
cd "$(dirname "$0")/.."

port=8501
replicas=""
wait_for_network=false

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "classroom.sh: $1" >&2; exit "${2:-2}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:-}"; shift 2 || shift ;;
    --port=*) port="${1#*=}"; shift ;;
    --replicas) replicas="${2:-}"; shift 2 || shift ;;
    --replicas=*) replicas="${1#*=}"; shift ;;
    --wait) wait_for_network=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
  || die "--port must be a port number (got '$port')"
if [ -n "$replicas" ]; then
  [[ "$replicas" =~ ^[0-9]+$ ]] && [ "$replicas" -ge 1 ] && [ "$replicas" -le 64 ] \
    || die "--replicas must be a number from 1 to 64 (got '$replicas')"
fi

# The first Python that can import streamlit (as scripts/cluster.sh picks it).
python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  candidates=()
  [ -z "${VIRTUAL_ENV:-}" ] || candidates+=("$VIRTUAL_ENV/bin/python")
  candidates+=(.venv/bin/python python3 python)
  for candidate in "${candidates[@]}"; do
    if "$candidate" -c "import streamlit" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
fi
if [ -z "$python_bin" ] || ! "$python_bin" -c "import streamlit, segno" 2>/dev/null; then
  die "no Python with the app's requirements: run 'pip install -r requirements.txt' (or set PYTHON=…)" 3
fi
export PYTHON="$python_bin"  # cluster.sh uses the same one

# The port must be free on every address (phones come in on the network address). SO_REUSEADDR,
# as Streamlit and nginx use it: connections of a just-stopped server (TIME_WAIT) do not count.
if ! "$python_bin" - "$port" <<'EOF'
import socket, sys
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("0.0.0.0", int(sys.argv[1])))
    except OSError:
        sys.exit(1)
EOF
then
  die "port $port is in use (is the app already running?): stop it, or pick another with --port" 3
fi

# --- the address phones use ------------------------------------------------------------------
lan_address() {  # core/origin.py's rule: default-route address, else an interface that is up
  "$python_bin" -c 'from core import origin; print(origin.lan_address() or "")'
}
public="${TGBM_PUBLIC_URL:-}"
if [ -n "$public" ]; then
  public="$("$python_bin" -c 'import sys; from core import origin; print(origin.setting_origin(sys.argv[1]) or "")' "$public")"
  [ -n "$public" ] || die "TGBM_PUBLIC_URL must be an http(s) address like http://lop-hoc.example:8080 (got '$TGBM_PUBLIC_URL')"
else
  address="$(lan_address)"
  while [ -z "$address" ]; do
    cat >&2 <<'EOF'
classroom.sh: this laptop has no address on any network yet, so phones cannot reach it.

  Turn on the laptop's Wi-Fi hotspot (no internet needed):
    Windows:  Settings > Network & internet > Mobile hotspot > On
    macOS:    System Settings > General > Sharing > Internet Sharing (share to Wi-Fi)
    Linux:    nmcli device wifi hotspot ssid LopHoc password matkhau123
              (or Settings > Wi-Fi > menu > Turn On Wi-Fi Hotspot)
  or join the classroom Wi-Fi, then let the students join that same network.
EOF
    if ! $wait_for_network; then
      echo "Then run this command again (or add --wait to wait for the network)." >&2
      exit 4
    fi
    echo "classroom.sh: waiting for a network address (checking every 3 s; Ctrl-C stops)…" >&2
    sleep 3
    address="$(lan_address)"
  done
  public="http://$address:$port"
fi
export TGBM_PUBLIC_URL="$public"

# --- what the lecturer reads -----------------------------------------------------------------
cat <<EOF

  Students open:  $public/
  (their phones must be on the same Wi-Fi as this laptop, or on its hotspot)
  On this laptop: http://localhost:$port/   (share links and QR codes point at $public)

EOF
"$python_bin" -c 'import segno, sys; segno.make(sys.argv[1] + "/", error="m").terminal(compact=True)' "$public"
echo
echo "  Ctrl-C stops the app."
echo

# --- serve -------------------------------------------------------------------------------------
if [ -n "$replicas" ]; then
  # nginx listens on every address (phones), the replicas on loopback; TGBM_PUBLIC_URL and the
  # shared ROOMS_DB reach every replica through the environment. cluster.sh stops all on a signal.
  exec bash scripts/cluster.sh --replicas "$replicas" --port "$port"
fi
# The address is printed above; Streamlit's own welcome lines are switched off because, on all
# addresses and headless, it would also try to look up an external address on the internet.
exec "$python_bin" -m streamlit run app.py --server.address 0.0.0.0 --server.port "$port" \
  --server.headless true --browser.gatherUsageStats false --logger.hideWelcomeMessage true
