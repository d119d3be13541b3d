#!/usr/bin/env bash
# The main job on the embedded default, from a fresh clone:
# install, write the sample PDFs, ingest them, search, then serve the web pages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export GAZETTE_HOME=${GAZETTE_HOME:-gazette-data}
G=.venv/bin/gazette
$G samples gazette-samples
$G ingest gazette-samples
echo
echo '$ gazette search 公共租赁住房'
$G search 公共租赁住房
echo
echo '$ gazette search 管理办法 --status repealed'
$G search 管理办法 --status repealed
if [ "${GAZETTE_DEMO_NO_SERVE:-}" = "1" ]; then
    exit 0
fi
echo
echo "Serving the archive at http://127.0.0.1:${PORT:-8000}/  (Ctrl-C to stop)"
exec $G serve --port "${PORT:-8000}"
