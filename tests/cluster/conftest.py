"""Cluster tests: scripts/cluster.sh with Debian's nginx in front of Streamlit replicas on loopback.

In CI (CI=true) a missing nginx fails these tests; elsewhere they are skipped with a message.
"""

from __future__ import annotations

import os

import pytest

from benchmarks import cluster as cl


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
def cluster(nginx, tmp_path_factory):
    """`bash scripts/cluster.sh --replicas 2` on free loopback ports, shared by the tests here (one
    start costs seconds); test_faults.py kills a replica (the script restarts it) and its last test
    stops the whole cluster with SIGTERM."""
    with cl.start_cluster(2, run_dir=tmp_path_factory.mktemp("cluster")) as running:
        yield running
