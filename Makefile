# The two set-up commands: `make run` (serve the demo) and `make test` (the whole suite).
# Both create .venv with Python 3.11 and install what they need; running them again is quick and safe.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
DOMAINS := werk sw ouderen
PACKAGES := -e . $(foreach d,$(DOMAINS),-e domains/$(d))
BIND ?= 127.0.0.1
PORT ?= 5000
# The demo's log lines are read by a person: plain text unless LOG_FORMAT says otherwise.
run worker: export LOG_FORMAT ?= text

.PHONY: run test install install-test translations extract-messages update-messages lint worker bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# Reinstall only when a pyproject or the constraints change.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt $(wildcard domains/*/pyproject.toml)
	$(PIP) install -c constraints.txt $(PACKAGES)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[test]'
	touch $@

# Front-end packages from the npm registry, exactly as locked; the app serves them itself.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.package-lock.json translations
install-test: $(VENV)/.installed-test node_modules/.package-lock.json translations

## Message catalogues: compile (.mo, not committed), extract and update (.po, committed).
translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d platform/aandacht/translations -D messages
	@for d in $(DOMAINS); do $(BIN)/pybabel compile -d domains/$$d/aandacht_$$d/translations -D aandacht_$$d; done

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k lazy_gettext -k _l -o platform/aandacht/translations/messages.pot platform/aandacht
	@for d in $(DOMAINS); do $(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k lazy_gettext -k _l -o domains/$$d/aandacht_$$d/translations/aandacht_$$d.pot domains/$$d/aandacht_$$d; done

update-messages: extract-messages
	$(BIN)/pybabel update --no-fuzzy-matching -i platform/aandacht/translations/messages.pot -d platform/aandacht/translations -D messages
	@for d in $(DOMAINS); do $(BIN)/pybabel update --no-fuzzy-matching -i domains/$$d/aandacht_$$d/translations/aandacht_$$d.pot -d domains/$$d/aandacht_$$d/translations -D aandacht_$$d; done

run: install
	$(BIN)/aandacht db upgrade
	$(BIN)/aandacht tenants sync
	$(BIN)/aandacht demo load
	@echo
	@echo "Aandacht serves on http://$(BIND):$(PORT)/ - the demo tenants:"
	@$(BIN)/aandacht tenants list | sed 's|/t/|http://$(BIND):$(PORT)/t/|'
	@$(BIN)/aandacht demo logins
	@echo
	$(BIN)/aandacht run --host $(BIND) --port $(PORT)

worker: install
	$(BIN)/aandacht worker

# pytest exits 5 when it ran no test at all: that is a failure, never a pass. The browser tests drive
# Debian's Chromium (installed here when missing; Playwright never downloads a browser).
test: install-test
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium) \
	  || echo "Chromium could not be installed (apt-get needs root): the browser tests will skip."
	$(BIN)/ruff check platform domains tests bench migrations
	$(BIN)/python -m pytest -n auto -p no:cacheprovider $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest ran no tests: failing"; exit 1; fi; exit $$status

# Benchmarks print their figures beside a baseline measured in the same run (PostgreSQL too with DATABASE_URL).
bench: install-test
	$(BIN)/python -m bench.tenant_scoping
	$(BIN)/python -m bench.profiles
	$(BIN)/python -m bench.segments
	$(BIN)/python -m bench.personalisation_offline
	$(BIN)/python -m bench.feed
	$(BIN)/python -m bench.outreach

lint: install-test
	$(BIN)/ruff check platform domains tests bench migrations
	$(BIN)/ruff format --check platform domains tests bench migrations

clean:
	rm -rf $(VENV) instance
