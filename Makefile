# Everything self-installs into .venv on first use; nothing needs to be installed by hand.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

INSPECTOR_VERSION := 0.15.0
INSPECTOR_DIR := .tools/inspector
INSPECTOR := $(INSPECTOR_DIR)/node_modules/.bin/mcp-inspector
CLAUDE_CODE_VERSION := 2.1.332
CLAUDE_CODE_DIR := .tools/claude-code
CLAUDE_CODE := $(CLAUDE_CODE_DIR)/node_modules/.bin/claude
MCPB_VERSION := 2.1.2
MCPB_DIR := .tools/mcpb
MCPB := $(MCPB_DIR)/node_modules/.bin/mcpb

.PHONY: install demo test lint typecheck pytest clean inspector mcpb wheel bench readme snapshots coverage

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || (echo "Python 3.11+ is required" >&2; exit 1)
	@echo "First run: creating $(VENV) and installing the dependencies (about 30 s; later runs skip this)..." >&2
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The main job: the server on the embedded Prolific simulator, over Streamable HTTP at 127.0.0.1:8000/mcp.
demo: $(STAMP)
	$(BIN)/prolific-taskbuilder-mcp --demo --transport http $(ARGS)

## The whole test suite: lint, strict type check, tests.
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

## The MCP Inspector CLI (a client written by others, in TypeScript), from npm, for tests/test_inspector.py.
$(INSPECTOR):
	@if command -v npm >/dev/null; then \
		npm install --prefix $(INSPECTOR_DIR) --no-audit --no-fund --silent \
			@modelcontextprotocol/inspector@$(INSPECTOR_VERSION); \
	else \
		echo "npm not found: the Inspector tests will be skipped (they fail under CI)" >&2; \
	fi

inspector: $(INSPECTOR)

## The Claude Code CLI, from npm, for tests/e2e/test_claude_code.py (`claude mcp add` / `claude mcp list`).
$(CLAUDE_CODE):
	@if command -v npm >/dev/null; then \
		npm install --prefix $(CLAUDE_CODE_DIR) --no-audit --no-fund --silent \
			@anthropic-ai/claude-code@$(CLAUDE_CODE_VERSION); \
	else \
		echo "npm not found: the Claude Code tests will be skipped (they fail under CI)" >&2; \
	fi

## The official MCP Bundle CLI, from npm, for tests/e2e/test_packaging.py (`mcpb validate`).
$(MCPB):
	@if command -v npm >/dev/null; then \
		npm install --prefix $(MCPB_DIR) --no-audit --no-fund --silent @anthropic-ai/mcpb@$(MCPB_VERSION); \
	else \
		echo "npm not found: the bundle validation test will be skipped (it fails under CI)" >&2; \
	fi

NPM_TOOLS := PROLIFIC_MCP_INSPECTOR="$(abspath $(INSPECTOR))" PROLIFIC_MCP_CLAUDE_CODE="$(abspath $(CLAUDE_CODE))" \
	PROLIFIC_MCP_MCPB="$(abspath $(MCPB))"

pytest: $(STAMP) $(INSPECTOR) $(CLAUDE_CODE) $(MCPB)
	$(NPM_TOOLS) $(BIN)/pytest

## Line and branch coverage of src/ over the whole suite, subprocesses included (a few minutes; not part of `make test`).
coverage: $(STAMP) $(INSPECTOR) $(CLAUDE_CODE) $(MCPB)
	rm -rf .coverage-data && mkdir -p .coverage-data
	$(NPM_TOOLS) $(BIN)/coverage run -m pytest -q
	$(BIN)/coverage combine -q
	$(BIN)/coverage report --format=total && $(BIN)/coverage report --skip-covered | tail -25

## The side-by-side benchmark (a few minutes); writes docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py

## Rewrite the README's configuration table from the settings' declarations (config.py).
readme: $(STAMP)
	$(BIN)/python scripts/readme_settings.py

## Rewrite tests/snapshots/ (one file per tool) after an intended change to what clients see; review the diff.
snapshots: $(STAMP)
	UPDATE_SNAPSHOTS=1 $(BIN)/pytest -q tests/protocol/test_snapshots.py

## An MCP Bundle for this platform, in dist/ (see scripts/build_mcpb.py).
mcpb: $(STAMP)
	$(BIN)/python scripts/build_mcpb.py --out dist

## The wheel and sdist, in dist/.
wheel: $(STAMP)
	$(BIN)/python -m build --no-isolation --outdir dist

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache .hypothesis dist build .coverage-data
