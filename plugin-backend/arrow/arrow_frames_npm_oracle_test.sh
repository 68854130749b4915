#!/usr/bin/env bash
# The Arrow writer against an independent decoder: writes the sample frames
# (kiln_arrow_frame_samples), then decodes them with npm apache-arrow and
# compares every value and metadata key with the manifest written beside
# them (tests/node/arrow_frames_check.mjs).
#
#   arrow_frames_npm_oracle_test.sh SAMPLES_TOOL SOURCE_DIR WORK_DIR
#
# Exit 77 (ctest: skipped) only when node is not installed; any other
# problem, npm install included, fails.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 SAMPLES_TOOL SOURCE_DIR WORK_DIR" >&2
  exit 2
fi
tool=$1
source_dir=$2
work_dir=$3

if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; the Arrow frames are not checked against apache-arrow" >&2
  exit 77
fi

"$source_dir/scripts/install-npm-deps"
rm -rf "$work_dir"
mkdir -p "$work_dir"
"$tool" "$work_dir"
node "$source_dir/tests/node/arrow_frames_check.mjs" "$work_dir"
