# Pharma Plants Map: one replica. Build: docker build -t pharmamap .   Run: docker run -p 8501:8501 pharmamap
# Several replicas need one shared server.cookieSecret and sticky sessions: docs/deploy.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/app/.venv/bin:$PATH

RUN useradd --create-home --uid 10001 --user-group app
WORKDIR /app

# dependencies first: a code change does not reinstall them
COPY requirements.txt .
RUN python -m venv /app/.venv && pip install -r requirements.txt

COPY . .
# the offline assets, baked in: Leaflet copied into static/ (core/assets.py) and the gettext catalogues
# compiled (core/i18n.py), so the container needs no network and writes nothing into the code at start
RUN python -c "from core.assets import ensure_leaflet; from core.i18n import LANGS, translations; \
ensure_leaflet(); [translations(lang) for lang in LANGS]" \
    && mkdir -p static/cache && chown app:app static/cache

USER app
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
# = make run (scripts/serve.py), listening on every interface of the container
CMD ["python", "scripts/serve.py", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
