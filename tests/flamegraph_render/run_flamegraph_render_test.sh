#!/usr/bin/env bash
# Runs the flame graph render test (flamegraph_render.test.mjs, Node's test
# runner) after installing its npm packages (install-deps here).
#
#   run_flamegraph_render_test.sh OUT_DIR
# with KILN_BIN, KILN_PLUGIN_BINARY, KILN_PLUGIN_HOST and KILN_CORPUS_DIR in
# the environment (CMakeLists.txt here sets them), and optionally
# KILN_CHROMIUM (default: chromium on PATH). The screenshots land in OUT_DIR.
#
# Exit 77 (ctest: skipped) only when node, chromium or the Grafana stand-in
# host is missing; any other problem, npm install included, fails.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
out_dir=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; the flame graph render test needs Node.js 20" >&2
  exit 77
fi
chromium=${KILN_CHROMIUM:-$(command -v chromium || true)}
if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
  echo "SKIPPED: chromium is not installed (scripts/install-deps installs Debian's)" >&2
  exit 77
fi
if [ -z "${KILN_PLUGIN_HOST:-}" ] || [ ! -x "$KILN_PLUGIN_HOST" ]; then
  echo "SKIPPED: the Grafana stand-in host kiln-plugin-host is not built (KILN_PLUGIN_HOST='${KILN_PLUGIN_HOST:-}')" >&2
  exit 77
fi

"$here/install-deps"
mkdir -p "$out_dir"
rm -rf "$out_dir/work"
export KILN_CHROMIUM=$chromium KILN_FLAMEGRAPH_OUT_DIR=$out_dir
exec node --test --test-reporter=spec "$here/flamegraph_render.test.mjs"
