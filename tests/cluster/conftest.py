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


@pytest.fixture(scope="module")
def nginx() -> str:
    return require_nginx()


@pytest.fixture(scope="module")
def cluster(nginx, tmp_path_factory):
    """`bash scripts/cluster.sh --replicas 2` on free loopback ports, for one test module."""
    with cl.start_cluster(2, run_dir=tmp_path_factory.mktemp("cluster")) as running:
        yield running
