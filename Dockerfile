# The dashboard as one container: one Streamlit process (a "replica"). Run several behind a
# balancer with session affinity: compose.yaml (one machine), deploy/README.md (Kubernetes).
#
# Base image: Debian slim with Python 3.11, pinned to a patch version. For a fully reproducible
# build also pin its digest (`docker buildx imagetools inspect python:3.11.14-slim-bookworm`
# prints it), i.e. FROM python:3.11.14-slim-bookworm@sha256:<digest>.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

# An unprivileged user owns nothing but its home; the app files stay root-owned (read-only to it).
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/app app

WORKDIR /app
# Dependencies first (pinned in requirements.txt), so code edits reuse this layer.
COPY requirements.txt .
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt \
 && /opt/venv/bin/python -c "import streamlit, pandas, plotly, yaml, pydantic, babel, segno, orjson"

# The app: code, data and Streamlit's server settings (.streamlit/config.toml). Everything in the
# repository except what .dockerignore leaves out (git, venvs, tests, benchmarks, caches).
COPY . .

USER app
EXPOSE 8501
# Streamlit answers "ok" on /_stcore/health once it serves; the balancer and orchestrators use it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).read() != b'ok')"]
# Listen on all container addresses; live rooms come from ROOMS_URL (Redis) or ROOMS_DB (SQLite).
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
