#!/usr/bin/env bash
# Runs the plugin's end-to-end test (plugin_e2e.test.mjs, Node's test
# runner) after installing the npm packages it decodes with (tests/node:
# apache-arrow, pprof-format).
#
#   run_plugin_e2e_test.sh SOURCE_DIR WORK_DIR
# with KILN_BIN, KILN_PLUGIN_BINARY, KILN_PLUGIN_HOST and KILN_CORPUS_DIR in
# the environment (tests/plugin_e2e/CMakeLists.txt sets them).
#
# Exit 77 (ctest: skipped) only when node is not installed; any other
# problem, npm install included, fails.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_DIR WORK_DIR" >&2
  exit 2
fi
source_dir=$1
work_dir=$2

if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; the plugin's end-to-end test needs Node.js 20" >&2
  exit 77
fi

"$source_dir/scripts/install-npm-deps"
rm -rf "$work_dir"
mkdir -p "$work_dir"
export KILN_E2E_WORK_DIR=$work_dir
exec node --test --test-reporter=spec "$source_dir/tests/plugin_e2e/plugin_e2e.test.mjs"
