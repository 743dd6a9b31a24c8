"""Deployment files: the Dockerfile, the nginx template (deploy/, scripts/replicas.py) and the Kubernetes
manifests. No Docker or cluster here: these check what can be checked without them (docs/deploy.md)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.replicas import render_nginx_conf

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
HEALTH = "/_stcore/health"


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_pinned_slim_base_non_root_with_a_healthcheck():
    steps = dockerfile()
    assert steps[0] == ("FROM", "python:3.11-slim-bookworm")
    users = [arg for op, arg in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    last_user_at = max(i for i, (op, _) in enumerate(steps) if op == "USER")
    assert not any(op == "RUN" for op, _ in steps[last_user_at:])  # nothing after USER runs as another
    health = [arg for op, arg in steps if op == "HEALTHCHECK"]
    assert len(health) == 1 and f"127.0.0.1:8501{HEALTH}" in health[0]
    run = " ".join(arg for op, arg in steps if op == "RUN")
    assert "ensure_leaflet()" in run and "translations(lang)" in run  # offline assets baked in


def test_dockerfile_starts_the_app_as_make_run_does():
    cmd = json.loads(next(arg for op, arg in dockerfile() if op == "CMD"))
    recipe = re.search(r"^run:.*\n\t(.+?)(?:\s+#.*)?$", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "Makefile has no run recipe"
    make_run = recipe.group(1).replace("$(PORT)", "8501").split()
    assert make_run[0] == "$(PY)" and cmd[0] == "python"
    assert cmd[1:len(make_run)] == make_run[1:]
    assert cmd[len(make_run):] == ["--server.address", "0.0.0.0"]  # a container listens beyond loopback


def test_dockerignore_keeps_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "node_modules", "static/leaflet", "static/cache"} <= ignored


def render(**kw) -> str:
    return render_nginx_conf(["127.0.0.1:8501", "127.0.0.1:8502"], "127.0.0.1:8080", "/tmp/ppm", **kw)


def test_nginx_template_renders_sticky_websocket_ready_and_compressed():
    conf = render()
    assert "{{" not in conf and "daemon off;" in conf
    assert "server 127.0.0.1:8501 max_fails=1" in conf and "server 127.0.0.1:8502 max_fails=1" in conf
    assert "hash $ppm_node consistent;" in conf and "add_header Set-Cookie $ppm_node_cookie always;" in conf
    stream = conf[conf.index("location /_stcore/stream"):]
    stream = stream[:stream.index("}")]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream and "Connection $connection_upgrade" in stream
    assert "proxy_read_timeout 86400s;" in stream
    assert "proxy_http_version 1.1;" in conf and "gzip on;" in conf
    assert all(t in conf for t in ("application/javascript", "text/css", "application/json"))
    assert f"location = {HEALTH}" in conf
    assert all(p in conf for p in ("pid /tmp/ppm/nginx.pid;", "proxy_temp_path /tmp/ppm/proxy;"))
    assert "daemon on;" in render(daemon=True)


@pytest.mark.parametrize("kw, message", [
    ({"backends": []}, "at least one backend"),
    ({"backends": ["127.0.0.1:8501; evil"]}, "expected host:port"),
    ({"listen": "80; include /etc/passwd"}, "expected a port"),
    ({"prefix": "relative/dir"}, "absolute path"),
])
def test_nginx_render_refuses_values_that_would_change_the_config(kw, message):
    args = {"backends": ["127.0.0.1:8501"], "listen": "8080", "prefix": "/tmp/ppm"} | kw
    with pytest.raises(ValueError, match=message):
        render_nginx_conf(**args)


def test_nginx_render_refuses_a_template_with_unknown_placeholders():
    with pytest.raises(ValueError, match="nobody fills"):
        render_nginx_conf(["127.0.0.1:1"], "80", "/tmp/x", template="daemon {{daemon}}; {{oops}}")


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                    reason="nginx not installed (apt-get install nginx)")
def test_nginx_accepts_the_rendered_config(tmp_path):
    conf = render_nginx_conf(["127.0.0.1:8501", "127.0.0.1:8502"], "127.0.0.1:8080", str(tmp_path))
    (tmp_path / "nginx.conf").write_text(conf)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    done = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path),
                           "-e", str(tmp_path / "error.log")], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def manifests() -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text()) for p in sorted(K8S.glob("*.yaml"))}


def test_kubernetes_probes_affinity_and_the_cookie_secret():
    m = manifests()
    assert set(m) == {"deployment.yaml", "service.yaml", "ingress.yaml", "secret.example.yaml"}
    dep = m["deployment.yaml"]
    assert dep["kind"] == "Deployment" and dep["spec"]["replicas"] >= 2
    pod = dep["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    (app,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"]["path"] == HEALTH
    env = {e["name"]: e for e in app["env"]}
    ref = env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]["secretKeyRef"]
    assert "value" not in env["STREAMLIT_SERVER_COOKIE_SECRET"]
    secret = m["secret.example.yaml"]
    assert (ref["name"], ref["key"] in secret["stringData"]) == (secret["metadata"]["name"], True)
    assert dep["spec"]["selector"]["matchLabels"] == m["service.yaml"]["spec"]["selector"]
    notes = m["ingress.yaml"]["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    backend = m["ingress.yaml"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == m["service.yaml"]["metadata"]["name"]


def test_no_real_secret_in_the_repository():
    values = manifests()["secret.example.yaml"]["stringData"].values()
    assert all(v.startswith("REPLACE-ME") for v in values)
    assert not (K8S / "secret.yaml").exists()
    assert "deploy/k8s/secret.yaml" in (ROOT / ".gitignore").read_text().split()
