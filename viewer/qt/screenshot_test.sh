#!/usr/bin/env bash
# Screenshot test of kiln-viewer under Xvfb (a real X server with software
# rendering, on a display Xvfb picks itself): a file this test writes, the
# same with a search highlighted, a corpus profile, a diff and a heatmap.
# Each run saves a PNG (kept in OUT_DIR as an artifact) and a description of
# what was drawn; kiln_png_check compares the two.
#
#   screenshot_test.sh KILN_VIEWER KILN_PNG_CHECK OUT_DIR CORPUS_DIR
# Exit 77 (skipped) when Xvfb is not installed.
set -euo pipefail

viewer=$1 check=$2 out=$3 corpus=$4

rm -rf "$out"
mkdir -p "$out"

source "$(dirname "$0")/../../scripts/start-xvfb.sh"
start_xvfb "$out"
export QT_QPA_PLATFORM=xcb LIBGL_ALWAYS_SOFTWARE=1
export XDG_CONFIG_HOME="$out/config"  # keep QSettings away from the user's
export XDG_RUNTIME_DIR="$out/runtime"
mkdir -p -m 0700 "$XDG_RUNTIME_DIR"

failures=0
# shot NAME CHECK_ARGS -- VIEWER_ARGS...
shot() {
  local name=$1
  shift
  local checks=()
  while [ "$1" != "--" ]; do checks+=("$1"); shift; done
  shift
  echo "== $name: kiln-viewer --screenshot $name.png $*"
  if ! timeout 300 "$viewer" --screenshot "$out/$name.png" "$@"; then
    echo "FAIL: $name: kiln-viewer failed"
    failures=$((failures + 1))
    return
  fi
  if ! "$check" "$out/$name.png" "$out/$name.png.txt" "${checks[@]}"; then
    echo "FAIL: $name: the picture does not match the render list"
    failures=$((failures + 1))
  fi
}

# A small profile with known names: the labels must be in the render list.
{
  for i in $(seq 1 12); do
    echo "main;server.handle;db.query;net.read$i $((i * 10))"
    echo "main;server.handle;json.encode;reflect.value$i $((i * 5))"
    echo "main;gc.collect;gc.mark$i $((i * 3))"
  done
} >"$out/small.collapsed"
shot small --min-labels 5 -- "$out/small.collapsed"
for name in main server.handle db.query json.encode gc.collect; do
  if ! grep -q "^label .* $name\$" "$out/small.png.txt"; then
    echo "FAIL: small: no label '$name' in the render list"
    failures=$((failures + 1))
  fi
done
# The same with a search: matches outlined, others dimmed (in the list).
shot small-search --min-labels 3 -- --search db.query "$out/small.collapsed"
if ! grep -q '"db.query" match$' "$out/small-search.png.txt" ||
   ! grep -q '"gc.collect" dim$' "$out/small-search.png.txt"; then
  echo "FAIL: small-search: the render list does not show the search"
  failures=$((failures + 1))
fi
# Flame orientation (root at the bottom).
shot small-flame --min-labels 5 -- --flame "$out/small.collapsed"
root_y() { awk '/^d0 /{ for (i = 1; i <= NF; i++) if ($i ~ /^y=/) { print substr($i, 3); exit } }' "$1"; }
if ! awk -v flame="$(root_y "$out/small-flame.png.txt")" -v icicle="$(root_y "$out/small.png.txt")" \
     'BEGIN { exit !(icicle == 0 && flame > 400) }'; then
  echo "FAIL: small-flame: the root row is not at the bottom"
  failures=$((failures + 1))
fi

# A diff of two files this test writes.
{
  echo "main;server.handle;db.query 500"
  echo "main;server.handle;json.encode 300"
  echo "main;gc.collect 200"
} >"$out/base.collapsed"
{
  echo "main;server.handle;db.query 900"
  echo "main;server.handle;json.encode 100"
  echo "main;gc.collect 40"
  echo "main;cache.lookup 300"
} >"$out/new.collapsed"
shot diff --min-colors 4 --min-labels 4 --diff-colors -- --diff "$out/base.collapsed" "$out/new.collapsed"

# Several files as a heatmap (written here: no timestamps, input order).
for i in $(seq 1 8); do
  {
    echo "main;work;step$((i % 3)) $((i * 40))"
    echo "main;idle $((100 + i * 7))"
  } >"$out/series-$i.collapsed"
done
shot heatmap-small --min-colors 4 --min-labels 2 --heatmap -- --heatmap "$out"/series-*.collapsed

# Corpus profiles, read in place.
cpu="$corpus/pprof/generated-go/cpu.pb.gz"
if [ -f "$cpu" ]; then
  shot corpus-cpu --min-colors 12 --min-labels 8 -- "$cpu"
  shot corpus-cpu-search --min-colors 12 --min-labels 4 -- --search runtime "$cpu"
else
  echo "SKIP: corpus absent ($cpu): corpus screenshots not taken"
fi
if compgen -G "$corpus/pprof/parca/many/*.pb.gz" >/dev/null; then
  shot corpus-heatmap --min-colors 8 --min-labels 4 --heatmap -- --heatmap "$corpus"/pprof/parca/many/*.pb.gz
else
  echo "SKIP: corpus absent ($corpus/pprof/parca/many): heatmap of a real series not taken"
fi

echo "screenshots in $out:"
ls -l "$out"/*.png
if [ "$failures" -ne 0 ]; then
  echo "FAIL: $failures screenshot check(s) failed"
  exit 1
fi
echo "PASS"
