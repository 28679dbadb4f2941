# The two commands a newcomer needs: `make run` and `make test`. Only Python 3.11+ and make are assumed.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test test-only lint check messages clean bench loadtest bundle guide shots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/wenming migrate --noinput
	$(BIN)/wenming demo
	@echo ""
	@echo "文明创建管理平台 is starting at http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@echo "Demo accounts above; every demo password is Wenming@2026."
	@echo "演示单位未要求三员使用动态口令；正式安装默认要求（安全管理员可在“安全策略”中设置）。"
	@set -e; $(BIN)/wenming run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn wenming.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - --error-logfile -

test: $(STAMP) test-only

# One worker per core (pytest-xdist); a worker that runs out of tests takes some from the other (worksteal), and the
# long tests start first (wenming/conftest.py). PYTEST_ARGS="-n0 …" runs in one process.
test-only:
	$(BIN)/pytest -n auto --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

check: $(STAMP)
	$(BIN)/wenming makemigrations --check --dry-run

# Regenerate and compile the English catalogue (needs GNU gettext); the compiled .mo files are committed.
messages: $(STAMP)
	cd wenming && ../$(BIN)/wenming makemessages -l en --no-obsolete --ignore 'static/*'
	cd wenming && ../$(BIN)/wenming compilemessages -l en

# The 操作手册 as one A4 PDF (needs Chromium); and its screenshots taken again from the demo data (about 3 minutes;
# commit wenming/help/static/help/shots/ afterwards — the fast check in `make test` fails while they are stale).
guide: $(STAMP)
	$(BIN)/wenming export_guide --out guide.pdf

shots: $(STAMP)
	WENMING_REFRESH_SHOTS=1 $(BIN)/pytest -n0 -q wenming/help/tests/test_shots_refresh.py

bench: $(STAMP)
	$(BIN)/python -m bench

# The bounded load test of issue 9 (50 users for 60 s against a throwaway local server; not in CI).
# LOADTEST_ARGS="--database-url postgres://…" runs it on a throwaway PostgreSQL database instead of SQLite.
loadtest: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.load_test $(LOADTEST_ARGS)

# Offline bundles for an intranet without a package index (issue 23): dist/wenming-<version>-offline-<arch>.tar.gz
# for x86_64 and aarch64, Python 3.11 and 3.12. BUNDLE_ARGS="--arch x86_64 --version 0.1.1.dev1" narrows or renames.
bundle: | $(BIN)/python
	$(BIN)/python packaging/build_bundle.py $(BUNDLE_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
