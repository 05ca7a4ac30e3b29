"""Two replicas behind nginx (scripts/cluster.sh): media through the balancer, a replica killed
during a burst, its restart, and a clean stop. Sessions are browser-like websocket clients
(page load → affinity cookie → websocket → media over HTTP with the same cookie)."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from harness import cluster as cl
from harness import streamlit_ws as sw
from tests.loops import run_apart

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

TIMEOUT = 90  # per session run: two replicas share a busy 2-core machine
VIEW = "/timeline?topic=merger&from=2025-06-01&to=2025-07-31"


def day_view(day: int) -> str:
    """A timeline view of its own per session, so its QR image and CSV are its own media files."""
    return f"/timeline?from=2025-06-{day:02d}&to=2025-07-31"


async def open_session(base_url: str, link: str, attempts: int = 4) -> tuple[cl.BrowserSession, sw.RunResult]:
    """Load the page, open the websocket and run the link; like Streamlit's client, reconnect (same
    cookie, same URL) when the connection drops before the page is drawn."""
    session = cl.BrowserSession(base_url, timeout=TIMEOUT)
    session.load_page(link)
    result = sw.RunResult(link=link, status="not run")
    for _ in range(attempts):
        try:
            await session.connect()
        except OSError as exc:
            result.status = f"connect: {exc}"
            continue
        result = await session.run(link)
        if result.status not in ("closed",) and not result.status.startswith("error"):
            break
        await session.close()
    return session, result


async def reconnect(session: cl.BrowserSession) -> sw.RunResult:
    """Reconnect after the websocket dropped and run the URL's view. (Streamlit's own client
    reconnects by itself but reruns only on the next widget change or reload; see
    test_browser_media.py for what Chromium shows meanwhile.)"""
    await session.close()
    await session.connect()
    return await session.run(session.link)


def replica_health(replica: cl.Replica) -> bool:
    try:
        return cl.http_get(f"http://{replica.address}/_stcore/health", timeout=2)[2] == b"ok"
    except OSError:
        return False


def wait_for(predicate, timeout: float, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()


def test_media_of_sessions_on_every_replica_load_through_the_balancer(cluster):
    async def scenario():
        sessions = []
        for day in range(1, 21):  # until both replicas hold sessions (each browser draws a random key)
            session, result = await open_session(cluster.base_url, day_view(day))
            assert result.ok, result.status
            sessions.append(session)
            if len({s.replica for s in sessions}) == 2 and len(sessions) >= 4:
                break
        try:
            return [(s.replica, s.tried, list(s.media), s) for s in sessions]
        finally:
            await asyncio.gather(*(s.close() for s in sessions))

    sessions = run_apart(scenario())
    addresses = {r.address for r in cluster.replicas()}
    assert {replica for replica, *_ in sessions} == addresses, "a class must spread over both replicas"
    for replica, tried, media, session in sessions:
        assert tried == [replica]  # the websocket went straight to one replica
        images = [m for m in media if m.endswith((".png", ".jpg", ".jpeg"))]
        downloads = [m for m in media if m.endswith(".csv")]
        assert downloads, media  # the table's CSV (the share dialog's QR code is inline, a data URI)
        for url in images + downloads:
            status, headers, body = session.fetch(url)
            assert status == 200, (url, status)
            assert headers["X-Upstream"] == replica  # served by the session's own replica, no retry
            if url in downloads:
                assert headers["Content-Type"].startswith("text/csv")
                assert body.count(b"\n") >= 2
            else:
                assert body[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1")
            other = next(a for a in addresses if a != replica)
            # Without affinity the other replica would not know this session's file.
            assert cl.http_get(f"http://{other}{url}")[0] == 404


def test_killing_a_replica_during_a_burst(cluster):
    async def scenario():
        opened = await asyncio.gather(*(open_session(cluster.base_url, VIEW) for _ in range(12)))
        assert all(result.ok for _, result in opened), [r.status for _, r in opened]
        first = {id(s): r for s, r in opened}
        sessions = [s for s, _ in opened]
        on = {address: [s for s in sessions if s.replica == address] for address in {s.replica for s in sessions}}
        assert len(on) == 2, "12 browsers all on one replica: affinity does not spread"
        victim = cluster.replica_at(sessions[0].replica)
        survivor = next(r for r in cluster.replicas() if r.index != victim.index)

        # A burst of new sessions, and the victim dies while it runs.
        burst = asyncio.ensure_future(asyncio.gather(*(open_session(cluster.base_url, VIEW) for _ in range(16))))
        await asyncio.sleep(0)  # let the burst send its first requests
        killed_at = time.monotonic()
        os.kill(victim.pid, signal.SIGKILL)

        # New sessions (websocket handshakes of new browsers) go to the survivor at once, and soon
        # nginx no longer even tries the dead replica (marked failed after a refused connect).
        clean = False
        while not clean and time.monotonic() - killed_at < 60 and not replica_health(victim):
            probe = cl.BrowserSession(cluster.base_url, timeout=TIMEOUT)
            await probe.connect()
            await probe.close()
            assert probe.replica == survivor.address, probe.tried
            clean = probe.tried == [survivor.address]
            await asyncio.sleep(0.05)
        assert clean, "nginx kept trying the dead replica until it was back"

        # Sessions on the survivor notice nothing: same connection, same view.
        for session in on[survivor.address]:
            result = await session.rerun()
            assert result.ok, result.status
            assert result.contents == first[id(session)].contents
        # Sessions on the victim lose their websocket, reconnect and get the same view back.
        for session in on[victim.address]:
            await asyncio.wait_for(session.ws.wait_closed(), timeout=10)
            result = await reconnect(session)
            assert result.ok, result.status
            assert session.replica == survivor.address
            assert result.page == first[id(session)].page == "timeline"
            assert result.query_string == first[id(session)].query_string
            assert result.contents == first[id(session)].contents  # every element, its text, in order
        burst_results = await burst
        assert [r.status for _, r in burst_results].count(sw.SUCCESS) == 16, [r.status for _, r in burst_results]

        # The script restarts the victim on its port; it then takes new sessions again.
        restarted = wait_for(lambda: replica_health(victim) and cluster.replica_at(victim.address).pid != victim.pid,
                             timeout=90)
        assert restarted, cluster.log_tail()
        landed = None
        deadline = time.monotonic() + 60
        while landed is None and time.monotonic() < deadline:
            session, result = await open_session(cluster.base_url, VIEW)
            assert result.ok, result.status
            if session.replica == victim.address:
                landed = session
            await session.close()
        assert landed is not None, "the restarted replica gets no new sessions"

        # A session that moved to the survivor still gets its media, though its cookie now
        # points at the restarted replica again (nginx asks the next replica on 404).
        # (A view of its own, so the restarted replica cannot hold the same file by chance.)
        moved = on[victim.address][0]
        result = await moved.run(day_view(23))
        assert result.ok and moved.media, result.status
        for url in moved.media:
            status, headers, _ = moved.fetch(url)
            assert status == 200, (url, status)
            assert headers["X-Upstream"] == f"{victim.address}, {survivor.address}"

        await asyncio.gather(*(s.close() for s in sessions), *(s.close() for s, _ in burst_results))

    run_apart(scenario())


def test_sigterm_to_the_script_leaves_no_process_behind(cluster):
    children = cl.descendants(cluster.proc.pid)
    replicas = {r.pid for r in cluster.replicas()}
    nginx_master = int((cluster.run_dir / "nginx.master").read_text())
    assert replicas | {nginx_master} <= children
    assert len(children) >= 4  # 2 replicas, nginx master and its worker
    code = cluster.stop()
    assert code == 143  # stopped by the signal, not by an error
    assert [pid for pid in children if cl.pid_alive(pid)] == []
    assert "stopped." in cluster.log_tail()
