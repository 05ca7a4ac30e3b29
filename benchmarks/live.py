"""Live-class benchmark: one app process, a room of followers and a lecturer who moves every 10 s.

    python -m benchmarks.live            # 60 followers, a move every 10 s for 2 minutes
    python -m benchmarks.live --quick    # 60 followers, 4 moves (40 s)

Followers are browserless websocket sessions (harness/streamlit_ws.py) that behave like a
browser tab for the follow fragment: they open the student link `/live?room=CODE` and keep the
fragment timers exactly as Streamlit's frontend (1.67) does. A full run's `new_session` (one whose
run metadata names no fragment) clears every timer (`cleanupAutoReruns`); the run's `auto_rerun`
messages then start them afresh, an `auto_rerun` for a running timer with the same interval keeps
it, and a timer fires every `interval` seconds whether or not a run is in progress
(`setInterval`), asking for a fragment run with the tab's current page and query string. So a page
the server pushes restarts the safety-net poll, as it does in a browser. The lecturer is one more
session on the lesson page with the host key (its follower count polls too); its moves are the same
store write the "Gửi cho lớp"/"Tiếp" buttons make. For each move the benchmark records when each
follower has finished drawing the new view (the query string names it and the script run is over),
and reports p50/p95/max, the script runs per follower and move (full page runs and fragment runs
apart; the target is one full run and nothing else), server CPU (idle room and while moving), the
server's memory with and without the room, errors, and what one follower costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import attribution
from core import catalog, live, rooms
from harness.streamlit_ws import ROOT, Session, start_server

RESULTS = ROOT / "benchmarks" / "results" / "live-latest.json"
TICKS = os.sysconf("SC_CLK_TCK")


class Follower(Session):
    """A tab following the room: reads forever, re-runs fragments on the frontend's timers."""

    def __init__(self, base_url: str):
        super().__init__(base_url, timeout=60)
        self.page_hash = ""
        self.fragment_run = False  # whether the run in progress is a fragment run
        self.timers: dict[str, tuple[float, float]] = {}  # fragment id -> (interval, next firing)
        self.intervals: set[float] = set()  # every auto-rerun interval the server asked for
        self.query = ""
        self.finished: list[tuple[float, str]] = []  # (time, query) of each finished script run
        self.errors: list[str] = []
        self.full_runs = self.fragment_runs = 0

    @property
    def runs(self) -> int:
        return self.full_runs + self.fragment_runs

    async def open(self, link: str) -> None:
        await self.connect()
        page_name, query = link.strip("/").split("?")
        self.link, self.query = link, query
        self.running = True
        await self.ws.send(self._back_msg(page_name, query))

    async def read_forever(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await self.ws.recv(decode=False))
                self._on(msg, msg.WhichOneof("type"))
        except ConnectionClosed:
            return

    def _on(self, msg: ForwardMsg, kind: str) -> None:
        if msg.metadata.cacheable and msg.hash:
            self.cached.add(msg.hash)
        if kind == "new_session":
            self.fragment_run = bool(msg.metadata.run.fragment_ids)
            if not self.fragment_run:  # the frontend's cleanupAutoReruns(): the run re-announces them
                self.timers.clear()
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun":  # the frontend's handleAutoRerun()
            fragment_id, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            self.intervals.add(interval)
            if self.timers.get(fragment_id, (None,))[0] != interval:
                self.timers[fragment_id] = (interval, time.perf_counter() + interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                self.timers.pop(fragment_id, None)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if msg.delta.new_element.WhichOneof("type") == "exception":
                self.errors.append(msg.delta.new_element.exception.message)
        elif kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            if status != "FINISHED_EARLY_FOR_RERUN":
                if self.fragment_run:
                    self.fragment_runs += 1
                else:
                    self.full_runs += 1
                self.finished.append((time.perf_counter(), self.query))
                if status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
                    self.errors.append(status)

    async def poll_forever(self) -> None:
        """The frontend's setInterval timers: ask for each timer's fragment run when it is due."""
        while True:
            await asyncio.sleep(0.05)
            now = time.perf_counter()
            for fragment_id, (interval, due) in list(self.timers.items()):
                if now >= due and self.timers.get(fragment_id) == (interval, due):
                    self.timers[fragment_id] = (interval, due + interval)
                    await self.ws.send(self._fragment_msg(fragment_id))

    def _fragment_msg(self, fragment_id: str) -> bytes:
        msg = BackMsg()
        msg.ParseFromString(self._back_msg("", self.query))
        state = msg.rerun_script
        state.page_name, state.page_script_hash = "", self.page_hash
        state.fragment_id, state.is_auto_rerun = fragment_id, True
        return msg.SerializeToString()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def shows(query: str, expected: dict) -> bool:
    return {k: v[-1] for k, v in parse_qs(query).items()} == expected


def arrival(tab: Follower, moved_at: float, expected: dict) -> float | None:
    """When this tab first finished drawing the expected view after the move."""
    return min((ts for ts, q in tab.finished if ts > moved_at and shows(q, expected)), default=None)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


async def wait_until(check, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if check():
            return True
        await asyncio.sleep(0.1)
    return check()


async def measure_cpu(pid: int, seconds: float) -> float:
    """Server CPU over `seconds`, in % of one core."""
    start_cpu, start = cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(seconds)
    return 100 * (cpu_seconds(pid) - start_cpu) / (time.perf_counter() - start)


async def run(followers: int, moves: int, interval: float, idle: float, script: str = "app.py",
              profile: bool = False) -> dict:
    db = Path(tempfile.mkdtemp(prefix="live-bench-")) / "rooms.sqlite3"
    store = rooms.SQLiteStore(db)
    lesson = next(lesson for lesson in catalog.build(ROOT / "data")["lessons"].records if lesson.id == "k75-a20")
    views = [live.step_view(lesson, n) for n in range(1, len(lesson.steps) + 1)]
    room, host = store.create(*views[0])
    with start_server(script, extra_env={"ROOMS_DB": str(db), "ROOMS_URL": ""}) as server:
        pid = server.pid
        lecturer = Follower(server.base_url)
        await lecturer.open(f"/lesson?lesson=k75-a20&step=1&room={room.code}&host={host}")
        tasks = [asyncio.create_task(lecturer.read_forever()), asyncio.create_task(lecturer.poll_forever())]
        await wait_until(lambda: lecturer.finished, 60)
        # The baseline: the server with its data loaded and the lecturer on a lesson step.
        base_rss, base_cpu = rss_mb(pid), await measure_cpu(pid, min(idle, 5))
        tabs = [Follower(server.base_url) for _ in range(followers)]
        started = time.perf_counter()
        for tab in tabs:  # a class scanning the QR code: a few per second, not all at once
            await tab.open(f"/live?room={room.code}")
            tasks += [asyncio.create_task(tab.read_forever()), asyncio.create_task(tab.poll_forever())]
            await asyncio.sleep(0.05)
        first = {**views[0][1], "room": room.code}
        joined = await wait_until(lambda: all(any(shows(q, first) for _, q in t.finished) for t in tabs), 120)
        join_seconds = time.perf_counter() - started
        await asyncio.sleep(3)
        runs_before = sum(t.runs for t in tabs)
        idle_cpu = await measure_cpu(pid, idle)
        idle_runs_per_s = (sum(t.runs for t in tabs) - runs_before) / idle
        idle_rss = rss_mb(pid)
        latencies, missed, per_move, move_cpu = [], 0, [], []
        full_at_moves, fragments_at_moves = sum(t.full_runs for t in tabs), sum(t.fragment_runs for t in tabs)
        spy_file = db.parent / "moves.spy"
        spy = attribution.start(pid, moves * interval, spy_file) if profile else None
        for number in range(1, moves + 1):
            page, params = views[number % len(views)]  # consecutive lesson steps differ
            expected = {**params, "room": room.code}
            cpu_start = cpu_seconds(pid)
            full_start, fragments_start = sum(t.full_runs for t in tabs), sum(t.fragment_runs for t in tabs)
            moved_at = time.perf_counter()
            store.push(room.code, host, page, params)
            await wait_until(lambda m=moved_at, e=expected: all(arrival(t, m, e) for t in tabs), interval - 0.5)
            arrivals = [arrival(t, moved_at, expected) for t in tabs]
            got = [a - moved_at for a in arrivals if a is not None]
            missed += len(arrivals) - len(got)
            latencies += got
            per_move.append({"view": f"/{page}?{params}", "p95": pct(got, 0.95), "max": max(got, default=None),
                             "reached": len(got), "full_runs": sum(t.full_runs for t in tabs) - full_start,
                             "fragment_runs": sum(t.fragment_runs for t in tabs) - fragments_start})
            await asyncio.sleep(max(0.0, moved_at + interval - time.perf_counter()))
            move_cpu.append(100 * (cpu_seconds(pid) - cpu_start) / interval)
        samples = max(1, moves * len(tabs))
        full_per_move = (sum(t.full_runs for t in tabs) - full_at_moves) / samples
        fragments_per_move = (sum(t.fragment_runs for t in tabs) - fragments_at_moves) / samples
        peak_rss = rss_mb(pid)
        cpu_attribution = attribution.finish(spy, spy_file) if profile else None
        followers_seen = store.followers(room.code)
        flood_started = time.perf_counter()
        for _ in range(1000):
            code = rooms.new_code()
            store.get(code)
            store.heartbeat(code, "flood-tab-0000")
        flood_ms = (time.perf_counter() - flood_started) * 1000
        for task in tasks:
            task.cancel()
        for tab in [lecturer, *tabs]:
            await tab.close()
        errors = [e for t in [lecturer, *tabs] for e in t.errors]
        log_tail = server.log_tail(4000) if missed or errors else ""  # what the server said, when it failed
    return {
        "followers": followers, "moves": moves, "interval_s": interval,
        "poll_s": sorted({i for t in tabs for i in t.intervals}),
        "joined_all": joined, "join_seconds": round(join_seconds, 2),
        "latency_s": {"p50": pct(latencies, 0.5), "p95": pct(latencies, 0.95), "max": max(latencies, default=float("nan")),
                      "samples": len(latencies), "missed": missed},
        "per_move": per_move,
        "cpu_pct_one_core": {"server_and_lecturer": round(base_cpu, 1), "idle_room": round(idle_cpu, 1),
                             "while_moving": [round(c, 1) for c in move_cpu]},
        "idle_fragment_runs_per_s": round(idle_runs_per_s, 1),
        "runs_per_follower_per_move": {"all": round(full_per_move + fragments_per_move, 2),
                                       "full": round(full_per_move, 2), "fragment": round(fragments_per_move, 2)},
        "rss_mb": {"server_and_lecturer": round(base_rss, 1), "idle_room": round(idle_rss, 1), "peak": round(peak_rss, 1)},
        "per_follower": {"cpu_pct_one_core": round((idle_cpu - base_cpu) / followers, 3),
                         "rss_mb": round((idle_rss - base_rss) / followers, 2)},
        "followers_counted_by_heartbeats": followers_seen,
        "flood_1000_unknown_joins_ms": round(flood_ms, 1), "rooms_after_flood": store.count_rooms(),
        "cpu_attribution": cpu_attribution,
        "errors": errors[:20], "error_count": len(errors), "server_log_tail": log_tail,
        "load_average": os.getloadavg(),
    }


def report(result: dict) -> str:
    lat, cpu, runs = result["latency_s"], result["cpu_pct_one_core"], result["runs_per_follower_per_move"]
    lines = [
        f"followers {result['followers']}, moves {result['moves']} every {result['interval_s']} s "
        f"(all joined: {result['joined_all']}, in {result['join_seconds']} s)",
        f"move -> follower redrawn: p50 {lat['p50']:.2f} s, p95 {lat['p95']:.2f} s, max {lat['max']:.2f} s, "
        f"missed {lat['missed']}   target p95 <= 1.0 s and 0 missed: "
        f"{'PASS' if lat['p95'] <= 1.0 and not lat['missed'] else 'MISS'}",
        f"script runs per follower and move: {runs['all']:.2f} (full page runs {runs['full']:.2f}, fragment runs "
        f"{runs['fragment']:.2f})   target 1.00: {'PASS' if runs['all'] <= 1.005 else 'MISS'}",
        f"server CPU (% of one core): with the lecturer only {cpu['server_and_lecturer']}, idle room {cpu['idle_room']} "
        f"(target <= 25: {'PASS' if cpu['idle_room'] <= 25 else 'MISS'}), while moving {cpu['while_moving']}",
        f"server RSS MB: with the lecturer only {result['rss_mb']['server_and_lecturer']}, idle room {result['rss_mb']['idle_room']}, "
        f"peak {result['rss_mb']['peak']}",
        f"idle room: {result['idle_fragment_runs_per_s']} fragment runs/s (safety-net poll every "
        f"{', '.join(f'{s:g}' for s in result['poll_s'])} s); one follower costs: "
        f"{result['per_follower']['cpu_pct_one_core']} % of a core, {result['per_follower']['rss_mb']} MB",
        f"heartbeat count {result['followers_counted_by_heartbeats']}; 1,000 unknown joins "
        f"{result['flood_1000_unknown_joins_ms']} ms, rooms after {result['rooms_after_flood']}; "
        f"errors {result['error_count']}",
        attribution.describe(result.get("cpu_attribution")),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 moves instead of 12 (40 s)")
    parser.add_argument("--followers", type=int, default=60)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--profile", action="store_true",
                        help="record the server with py-spy while moving and say whose work its CPU is")
    args = parser.parse_args()
    moves, idle = (4, 10.0) if args.quick else (12, 30.0)
    result = asyncio.run(run(args.followers, moves, 10.0, idle, profile=args.profile))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str))
    print(report(result))
    print(f"(written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out})")


if __name__ == "__main__":
    main()
