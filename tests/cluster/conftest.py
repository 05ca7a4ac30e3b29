"""Cluster tests: scripts/cluster.sh with Debian's nginx in front of Streamlit replicas on loopback.

In CI (CI=true) a missing nginx fails these tests; elsewhere they are skipped with a message.
"""

from __future__ import annotations

import os

import pytest

from harness import cluster as cl


def require_nginx() -> str:
    found = cl.nginx_binary()
    if found:
        return found
    message = "nginx is not installed (sudo apt-get install nginx, or set NGINX=/path/to/nginx)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: the cluster tests must run in CI")
    pytest.skip(f"{message}; cluster tests skipped")


@pytest.fixture(scope="package")
def nginx() -> str:
    return require_nginx()


@pytest.fixture(scope="package")
def running_cluster(nginx, tmp_path_factory):
    """`bash scripts/cluster.sh --replicas 2` on free loopback ports, shared by the tests here (one
    start costs seconds); some tests kill a replica (the script restarts it) and test_faults.py's
    last test stops the whole cluster with SIGTERM."""
    with cl.start_cluster(2, run_dir=tmp_path_factory.mktemp("cluster")) as running:
        yield running


@pytest.fixture
def cluster(running_cluster):
    """The shared cluster, whole again: every replica healthy and routed to by nginx (a replica an
    earlier test killed is restarted by the script, then skipped by nginx for a few seconds)."""
    if running_cluster.proc.poll() is None:
        assert cl.wait_until_balanced(running_cluster), running_cluster.log_tail()
    return running_cluster
