"""The deploy files say what they must: compose.yaml, the Kubernetes manifest in deploy/README.md,
the Dockerfile; and compose's nginx command turns the shared template into a config nginx accepts."""

from __future__ import annotations

import re
import subprocess

import yaml

from harness import streamlit_ws as sw

ROOT = sw.ROOT


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def manifest() -> list[dict]:
    text = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "deploy/README.md holds one yaml manifest"
    return [doc for doc in yaml.safe_load_all(blocks[0]) if doc]


def test_compose_has_balancer_replicas_and_redis():
    services = compose()["services"]
    assert set(services) == {"nginx", "app", "redis"}
    app = services["app"]
    assert app["build"] == "."
    assert app["environment"]["ROOMS_URL"].startswith("redis://redis:6379")
    assert str(app["deploy"]["replicas"]).startswith("${REPLICAS")
    nginx = services["nginx"]
    assert "./deploy/nginx.conf:/etc/tgbm/nginx.conf.template:ro" in nginx["volumes"]
    assert nginx["depends_on"]["app"]["condition"] == "service_healthy"
    for service in services.values():  # images are pinned to a version, never "latest"
        if "image" in service and "build" not in service:
            assert re.search(r":\d+\.\d+\.\d+", service["image"]), service["image"]


def test_compose_nginx_command_fills_the_template_into_a_valid_config(nginx, tmp_path):
    command = compose()["services"]["nginx"]["command"][-1].replace("$$", "$")  # compose's escape
    command = (command.replace("/tmp/nginx", str(tmp_path))
               .replace("/etc/tgbm/nginx.conf.template", str(ROOT / "deploy" / "nginx.conf"))
               .replace("nginx -t", f"{nginx} -t"))
    fill_and_test = command.split("&&\nexec")[0]
    assert "exec nginx" in command and fill_and_test != command
    done = subprocess.run(["sh", "-c", fill_and_test.replace("server app:8501", "server 127.0.0.1:8501")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    conf = (tmp_path / "nginx.conf").read_text()
    assert "server 127.0.0.1:8501 max_fails=1 fail_timeout=5s;" in conf
    assert "@" not in re.sub(r"#.*", "", conf), "a placeholder was left unfilled"


def test_kubernetes_manifest_has_sticky_ingress_and_health_probes():
    docs = {doc["kind"]: doc for doc in manifest()}
    assert set(docs) == {"Deployment", "Service", "Ingress"}
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    container = pod["containers"][0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    assert {e["name"]: e["value"] for e in container["env"]}["ROOMS_URL"].startswith("redis://")
    labels = docs["Deployment"]["spec"]["selector"]["matchLabels"]
    assert docs["Service"]["spec"]["selector"] == labels
    notes = docs["Ingress"]["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert int(notes["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600
    backend = docs["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == docs["Service"]["metadata"]["name"]


def test_dockerfile_is_pinned_non_root_and_health_checked():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11\.\d+-slim", text, re.M)
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/_stcore/health", text, re.M)
    assert "-r requirements.txt" in text
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        requirement = line.split("#")[0].strip()
        if requirement:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", requirement), requirement
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "tests"} <= set(ignored)
