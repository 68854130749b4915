#!/usr/bin/env bash
# Screenshot test of kiln-viewer-imgui under Xvfb with Mesa's software
# OpenGL (LIBGL_ALWAYS_SOFTWARE=1), on a display Xvfb picks itself: a file
# this test writes (plain and searched), a diff of two files it writes, a
# heatmap of files it writes, a selection of a real `kiln server` this test
# starts (KILN, on free ports), and a corpus Go CPU profile. Each run saves
# OUT.png (kept in OUT_DIR as an artifact) and OUT.png.txt (what was drawn);
# kiln_imgui_png_check compares the two.
#
#   screenshot_test.sh KILN_VIEWER_IMGUI KILN_IMGUI_PNG_CHECK OUT_DIR CORPUS_DIR KILN
# Exit 77 (skipped) when Xvfb is not installed.
set -euo pipefail

viewer=$1 check=$2 out=$3 corpus=$4 kiln=$5

rm -rf "$out"
mkdir -p "$out"

source "$(dirname "$0")/../../scripts/start-xvfb.sh"
start_xvfb "$out"
export LIBGL_ALWAYS_SOFTWARE=1

failures=0
# shot NAME CHECK_ARGS -- VIEWER_ARGS...
shot() {
  local name=$1
  shift
  local checks=()
  while [ "$1" != "--" ]; do checks+=("$1"); shift; done
  shift
  echo "== $name: kiln-viewer-imgui --screenshot $name.png --size 1200x700 $*"
  if ! timeout 240 "$viewer" --screenshot "$out/$name.png" --size 1200x700 "$@"; then
    echo "FAIL: $name: kiln-viewer-imgui failed"
    failures=$((failures + 1))
    return
  fi
  if ! "$check" "$out/$name.png" "$out/$name.png.txt" "${checks[@]}"; then
    echo "FAIL: $name: the picture does not match the render list"
    failures=$((failures + 1))
  fi
}
expect_line() {  # expect_line NAME REGEX WHAT
  if ! grep -Eq "$2" "$out/$1.png.txt"; then
    echo "FAIL: $1: $3"
    failures=$((failures + 1))
  fi
}

{
  for i in $(seq 1 12); do
    echo "main;server.handle;db.query;net.read$i $((i * 10))"
    echo "main;server.handle;json.encode;reflect.value$i $((i * 5))"
    echo "main;gc.collect;gc.mark$i $((i * 3))"
  done
} >"$out/small.collapsed"
shot small --min-colors 6 -- "$out/small.collapsed"
for name in main server.handle db.query json.encode gc.collect; do
  expect_line small "^label .* $name\$" "no label '$name'"
done
shot small-search --min-colors 6 -- --search db.query "$out/small.collapsed"
expect_line small-search '"db.query" match$' "db.query is not a match"
expect_line small-search '"gc.collect" dim$' "gc.collect is not dimmed"

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
shot diff --min-colors 4 --diff -- --diff "$out/base.collapsed" "$out/new.collapsed"
expect_line diff 'diff:' "the render list has no diff colours"

for i in $(seq 1 8); do
  {
    echo "main;work;step$((i % 3)) $((i * 40))"
    echo "main;idle $((100 + i * 7))"
  } >"$out/series-$i.collapsed"
done
shot heatmap --min-colors 4 -- --heatmap "$out"/series-*.collapsed
expect_line heatmap '^label .* main$' "the merged heatmap graph has no 'main'"

# A selection of a real kiln server: the viewer asks for the merged tree
# over Connect (tree bytes) and draws it.
"$kiln" server --data-dir "$out/server-data" --http-addr 127.0.0.1:0 --grpc-addr 127.0.0.1:0 \
  >"$out/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's/.*msg=listening http_addr=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "FAIL: kiln server did not start:"; cat "$out/server.log"
  failures=$((failures + 1))
else
  curl -sf --data-binary $'main;checkout.handle;payment.charge 700\nmain;checkout.handle;cart.load 200\nmain;gc.sweep 100' \
    "http://127.0.0.1:$port/ingest?name=shop" >/dev/null
  shot server --min-colors 4 -- --server "http://127.0.0.1:$port" \
    --type process_cpu:cpu:nanoseconds:cpu:nanoseconds --selector '{service_name="shop"}'
  for name in main checkout.handle payment.charge; do
    expect_line server "^label .* $name\$" "no label '$name' from the server's selection"
  done
fi
if [ -n "${server_pid:-}" ]; then
  kill -TERM "$server_pid"
  wait "$server_pid" || { echo "FAIL: kiln server did not exit cleanly"; failures=$((failures + 1)); }
fi

cpu="$corpus/pprof/generated-go/cpu.pb.gz"
if [ -f "$cpu" ]; then
  shot corpus-cpu --min-colors 12 -- "$cpu"
  [ "$(grep -c '^label ' "$out/corpus-cpu.png.txt")" -ge 8 ] || {
    echo "FAIL: corpus-cpu: fewer than 8 labels"
    failures=$((failures + 1))
  }
else
  echo "SKIP: corpus absent ($cpu): corpus screenshot not taken"
fi

echo "screenshots in $out:"
ls -l "$out"/*.png
if [ "$failures" -ne 0 ]; then
  echo "FAIL: $failures screenshot check(s) failed"
  exit 1
fi
echo "PASS"
