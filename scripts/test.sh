#!/usr/bin/env bash
# Set up and run the whole test suite, from a fresh clone.
# Starts a local Elasticsearch test server (scripts/es-test-server) unless
# GAZETTE_ES_URL already points at one, and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
started_es=0
if [ -z "${GAZETTE_ES_URL:-}" ]; then
    already_running=0
    bash scripts/es-test-server status >/dev/null 2>&1 && already_running=1
    if GAZETTE_ES_URL=$(bash scripts/es-test-server start); then
        export GAZETTE_ES_URL
        [ "$already_running" = 1 ] || started_es=1
    else
        echo "warning: could not start the Elasticsearch test server; Elasticsearch tests will skip (and fail under CI)" >&2
    fi
fi
cleanup() { if [ "$started_es" = 1 ]; then bash scripts/es-test-server stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT
.venv/bin/python -m pytest "$@"
