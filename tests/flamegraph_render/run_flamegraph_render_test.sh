#!/usr/bin/env bash
# Runs kiln_flamegraph_render_test (flamegraph_render.test.mjs, Node's test
# runner, through tests/node/run_node_test.sh) after installing the npm
# packages it uses besides tests/node's: this directory's
# (@grafana/flamegraph, React, esbuild, playwright-core, pngjs).
#
#   run_flamegraph_render_test.sh SOURCE_DIR OUT_DIR
# with KILN_BIN, KILN_PLUGIN_BINARY, KILN_PLUGIN_HOST (empty when the host
# cannot be built here) and KILN_CORPUS_DIR in the environment
# (CMakeLists.txt here sets them), and optionally KILN_CHROMIUM (default:
# chromium on PATH). The screenshots land in OUT_DIR, the server's and the
# host's files in OUT_DIR/work (emptied first).
#
# Exit 77 (ctest: skipped) only when node, chromium or the Grafana stand-in
# host is missing; any other problem, an npm install included, fails.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_DIR OUT_DIR" >&2
  exit 2
fi
source_dir=$1
out_dir=$2

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

"$source_dir/scripts/install-npm-deps" tests/flamegraph_render
mkdir -p "$out_dir"
export KILN_CHROMIUM=$chromium KILN_FLAMEGRAPH_OUT_DIR=$out_dir
exec "$source_dir/tests/node/run_node_test.sh" "$source_dir" \
  "$source_dir/tests/flamegraph_render/flamegraph_render.test.mjs" "$out_dir/work"
