#!/usr/bin/env bash
# Create .venv (if needed) and install the project into it, with test extras when
# called as `scripts/setup.sh test`. Idempotent; prints nothing on a no-op rerun
# beyond pip's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "test" ]; then
    .venv/bin/python -m pip install --quiet -e ".[test]"
else
    .venv/bin/python -m pip install --quiet -e .
fi
