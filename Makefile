# Insyn: `make run` starts a demo installation, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n 2
HOST ?= 127.0.0.1
PORT ?= 8000
export SSL_CERT_FILE ?= /etc/ssl/certs/ca-certificates.crt
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run serve test install system-deps test-deps pytest lint typecheck migrations-check messages clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(BIN)/insyn: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

install: $(BIN)/insyn

# A local .env (DEBUG on, a secret key of its own) so later `insyn` commands work without exports.
.env:
	@$(PYTHON) -c "import secrets; print('DEBUG=1'); print('SECRET_KEY=' + secrets.token_urlsafe(50))" > $@
	@echo "Wrote .env (DEBUG=1 and a generated SECRET_KEY)."

# WeasyPrint (PDF export) needs Pango and a font covering Swedish and Polish; installed when missing and root.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-deps:
	@missing=""; \
	ldconfig -p | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0"; \
	ldconfig -p | grep -q 'libpangoft2-1.0.so' || missing="$$missing libpangoft2-1.0-0"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "PDF export needs:$$missing (sudo apt-get install$$missing)"; \
		fi; \
	fi

# One process migrates, loads the demo (idempotent) and prints the administrator last; the worker's pid is
# kept in a shell variable, so stopping (Ctrl+C runs the trap, then the exit runs it again) finds it.
run: install system-deps .env
	@mkdir -p var
	@export DEBUG=$${DEBUG:-1}; \
	$(BIN)/insyn demo --user system --migrate --ensure-admin || exit 1; \
	$(BIN)/insyn worker -v0 > var/worker.log 2>&1 & worker=$$!; \
	echo $$worker > var/worker.pid; \
	trap 'kill $$worker 2>/dev/null; rm -f var/worker.pid' EXIT INT TERM; \
	echo ""; \
	echo "Insyn is running:"; \
	echo "  web site   http://$(HOST):$(PORT)/"; \
	echo "  admin      http://$(HOST):$(PORT)/admin/"; \
	echo "  API docs   http://$(HOST):$(PORT)/api/v1/docs"; \
	echo "  worker     pid $$worker, log var/worker.log"; \
	echo "Log in with the administrator printed above (user admin) or a demo user. Stop with Ctrl+C."; \
	$(BIN)/insyn runserver --noreload $(HOST):$(PORT)

# Production web server (docs/deployment.md): DEBUG=0, SECRET_KEY and ALLOWED_HOSTS from the environment or .env.
serve: install system-deps
	$(BIN)/insyn migrate --noinput -v0
	$(BIN)/insyn collectstatic --noinput -v0
	exec $(BIN)/insyn serve

# Debian's Chromium drives the browser tests (never a downloaded browser).
test-deps: install system-deps
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; \
		fi; \
	fi

pytest:
	$(BIN)/pytest $(PYTEST_ARGS)

test: test-deps pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	INSYN_TESTING=1 $(BIN)/mypy

migrations-check: install
	INSYN_TESTING=1 $(BIN)/insyn makemigrations --check --dry-run

# From the project root, so that config/ (the language names) is scanned too.
messages: install
	DEBUG=1 $(BIN)/insyn makemessages -l sv -l pl -l en --no-obsolete --ignore 'tests/*' --ignore '*/tests/*' --ignore .venv --ignore .tools --ignore var
	DEBUG=1 $(BIN)/insyn compilemessages --ignore .venv --ignore .tools

clean:
	rm -rf $(VENV) $(TOOLS) var
