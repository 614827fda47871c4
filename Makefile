# Quầy Một cửa — set-up path for newcomers and CI.
#   make run   install (first time) and open the window on the default data directory
#   make test  install (first time) and run the whole test suite headless

# The newest Python 3.12+ we can find (see pyproject.toml on PySide6 and 3.11), else python3.
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3 python3.13 \
	$$HOME/.pyenv/versions/3.13*/bin/python3; do \
	"$$p" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { echo "$$p"; exit 0; }; done; echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Qt's X11 platform plugin needs these at run time; the tests need the PDF and barcode tools and Xvfb.
GUI_PACKAGES := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1 libfontconfig1 libdbus-1-3
TEST_PACKAGES := $(GUI_PACKAGES) poppler-utils zbar-tools xvfb xauth

.PHONY: run test bench install clean-venv

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(GUI_PACKAGES)"
	$(BIN)/motcua

test: $(STAMP)
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(TEST_PACKAGES)"
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_intake.py

# Long reliability runs (docs/reliability.md); `make test` runs their short versions.
KILLS ?= 500
SEED ?= 7
NET_ROUNDS ?= 200
.PHONY: reliability
reliability: $(STAMP)
	$(BIN)/python -m tests.reliability.powercut --kills $(KILLS) --seed $(SEED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.reliability.netfaults --rounds $(NET_ROUNDS) --seed $(SEED) --dossiers 3
	QT_QPA_PLATFORM=offscreen HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q tests/test_bad_input.py tests/test_bad_input_cli.py

# Installs missing Debian packages when running as root; otherwise only says what is missing.
.PHONY: system-packages
system-packages:
	@command -v dpkg-query >/dev/null 2>&1 || exit 0; \
	missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Cài gói hệ thống:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Thiếu gói hệ thống:$$missing (chạy: sudo apt-get install$$missing)"; \
	  fi; \
	fi

clean-venv:
	rm -rf $(VENV)
