#!/usr/bin/env bash
# Runs one Node test file (Node's built-in test runner) after installing the
# npm packages the Node tests use (tests/node: apache-arrow, pprof-format,
# @pyroscope/nodejs).
#
#   run_node_test.sh SOURCE_DIR TEST_FILE [WORK_DIR]
# WORK_DIR, when given, is emptied first and passed as KILN_TEST_WORK_DIR
# (the test keeps its logs and data there for a look after a failure).
#
# Exit 77 (ctest: skipped) only when node is not installed; any other
# problem, npm install included, fails.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 SOURCE_DIR TEST_FILE [WORK_DIR]" >&2
  exit 2
fi
source_dir=$1
test_file=$2

if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; $(basename "$test_file") needs Node.js 20" >&2
  exit 77
fi

"$source_dir/scripts/install-npm-deps"
if [ $# -eq 3 ]; then
  rm -rf "$3"
  mkdir -p "$3"
  export KILN_TEST_WORK_DIR=$3
fi
exec node --test --test-reporter=spec "$test_file"
