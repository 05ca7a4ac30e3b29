"""The cluster script's quick paths: the generated nginx config passes `nginx -t`; no nginx → advice."""

from __future__ import annotations

import os
import re
import signal
import subprocess

import pytest

from harness import cluster as cl
from harness import streamlit_ws as sw


def run_script(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(cl.SCRIPT), *args], cwd=sw.ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_generated_config_passes_nginx_test(nginx, tmp_path):
    done = run_script("--check", "--replicas", "3", "--port", str(sw.free_port()), "--run-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
    conf = (tmp_path / "nginx.conf").read_text()
    assert "@" not in re.sub(r"#.*", "", conf), "a placeholder was left unfilled"
    servers = re.findall(r"^\s*server 127\.0\.0\.1:(\d+) max_fails=1 fail_timeout=5s;", conf, re.M)
    assert len(set(servers)) == 3
    assert re.search(r"^\s*hash \$affinity_key consistent;", conf, re.M)
    assert f"pid {tmp_path}/nginx.pid;" in conf


def test_missing_nginx_says_what_to_install(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "NGINX": str(tmp_path / "no-nginx"), "HOME": str(tmp_path)}
    done = run_script("--replicas", "2", "--port", "8080", env=env)
    assert done.returncode == 3
    assert "apt-get install nginx" in done.stderr


def test_bad_arguments_are_refused_before_anything_starts(tmp_path):
    done = run_script("--replicas", "zero", "--run-dir", str(tmp_path))
    assert done.returncode == 2
    assert "--replicas must be a number" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_ctrl_c_stops_every_process(nginx, tmp_path):
    """Ctrl-C in a terminal sends SIGINT to the whole foreground process group."""
    with cl.start_cluster(1, run_dir=tmp_path) as running:
        children = cl.descendants(running.proc.pid)
        assert len(children) >= 3  # a replica, nginx master and its worker
        os.killpg(running.proc.pid, signal.SIGINT)  # the script leads its own process group
        assert running.proc.wait(timeout=60) == 130
        assert [pid for pid in children if cl.pid_alive(pid)] == []
        assert "stopped." in running.log_tail()
