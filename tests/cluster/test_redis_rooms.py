"""A live class on replicas that keep their rooms in Redis (ROOMS_URL), as compose and Kubernetes
deploy it: the lecturer and the student sit on different replicas, a move reaches the student, then
the lecturer's replica is killed and the class carries on through nginx."""

from __future__ import annotations

import os
import signal

import pytest
from playwright.sync_api import expect

from core import rooms
from harness import cluster as cl
from harness import redis_server
from tests.browser.conftest import new_context, wait_for_app
from tests.browser.test_live import click, on_view, sees_same_view

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def redis_cluster(nginx, tmp_path_factory):
    """A private redis-server and `scripts/cluster.sh --replicas 2` with ROOMS_URL pointing at it."""
    if not redis_server.redis_binary():
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: the Redis cluster test must run in CI")
        pytest.skip(message)
    with redis_server.start_redis() as redis, \
            cl.start_cluster(2, run_dir=tmp_path_factory.mktemp("redis-cluster"),
                             extra_env={"ROOMS_URL": redis.url}) as running:
        assert cl.wait_until_balanced(running), running.log_tail()
        yield running, rooms.RedisStore(redis.url)


def test_class_on_two_replicas_through_a_replica_kill(redis_cluster, browser):
    cluster, store = redis_cluster
    student_replica, lecturer_replica = cluster.replicas()
    room, host = store.create("timeline", {"topic": "merger"})
    assert rooms.default_store().get(room.code) is None  # the room lives only in Redis
    student_ctx, lecturer_ctx = new_context(browser, "phone"), new_context(browser)
    try:
        student = student_ctx.new_page()
        student.goto(f"http://{student_replica.address}/live?room={room.code}")
        on_view(student, "/timeline", room=room.code, topic="merger")

        lecturer = lecturer_ctx.new_page()
        lecturer.goto(f"http://{lecturer_replica.address}/merger?unit=20194&room={room.code}&host={host}")
        wait_for_app(lecturer)
        click(lecturer, "live-push")
        on_view(student, "/merger", room=room.code, unit="20194")
        sees_same_view(student, lecturer)

        # The lecturer's replica dies; the lecturer opens the host link again through nginx (which
        # sends it to a living replica) and moves on; the student, on the other replica, follows.
        os.kill(lecturer_replica.pid, signal.SIGKILL)
        lecturer.goto(f"{cluster.base_url}/training?trip=k75-a20-danang-2025-07-07&room={room.code}&host={host}")
        wait_for_app(lecturer)
        click(lecturer, "live-push")
        assert store.get(room.code).page == "training"
        on_view(student, "/training", room=room.code, trip="k75-a20-danang-2025-07-07")
        sees_same_view(student, lecturer)
        expect(student.get_by_test_id("stException")).to_have_count(0)
    finally:
        student_ctx.close()
        lecturer_ctx.close()
