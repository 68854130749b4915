#!/usr/bin/env bash
# Runs kiln_dashboards_test (dashboards.test.mjs, Node's test runner, through
# tests/node/run_node_test.sh) after installing the npm packages it uses
# besides tests/node's: the plugin frontend's (@grafana/schema 12.4.2,
# typescript, esbuild) and this directory's own (yaml).
#
#   run_dashboards_test.sh SOURCE_DIR WORK_DIR
# with KILN_BIN, KILN_PLUGIN_BINARY, KILN_PLUGIN_HOST (empty when the host
# cannot be built here) and KILN_CORPUS_DIR in the environment
# (tests/dashboards/CMakeLists.txt sets them).
#
# Exit 77 (ctest: skipped) only when node is not installed or the Grafana
# stand-in host cannot be built here; any other problem, an npm install
# included, fails.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_DIR WORK_DIR" >&2
  exit 2
fi
source_dir=$1
work_dir=$2

if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; the dashboards test needs Node.js 20" >&2
  exit 77
fi
if [ -z "${KILN_PLUGIN_HOST:-}" ]; then
  echo "SKIPPED: the Grafana stand-in host kiln-plugin-host cannot be built here (tests/plugin_host/CMakeLists.txt)" >&2
  exit 77
fi

"$source_dir/scripts/install-npm-deps" plugin-backend/frontend
"$source_dir/scripts/install-npm-deps" tests/dashboards

# tests/node's packages, the work directory, and the test itself.
exec "$source_dir/tests/node/run_node_test.sh" "$source_dir" "$source_dir/tests/dashboards/dashboards.test.mjs" "$work_dir"
