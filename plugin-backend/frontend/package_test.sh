#!/usr/bin/env bash
# The Grafana plugin as a user receives it: builds it with
# scripts/build-grafana-plugin into WORK_DIR (not plugin-backend/dist), then
# checks the folder (plugin.json, module.js, logo, docs, the executable) and
# the zip (one kiln-profiling-datasource/ folder, the executable bit kept),
# and runs the unpacked executable. Then the --bundle-libs variant: its
# executable must load only the libraries shipped with it (checked in a chroot
# holding nothing but the plugin when run as root).
#
#   package_test.sh SOURCE_DIR BUILD_DIR WORK_DIR
#
# Exit 77 (ctest: skipped) only when node is not installed.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 SOURCE_DIR BUILD_DIR WORK_DIR" >&2
  exit 2
fi
source_dir=$1
build_dir=$2
work=$3
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED: node/npm are not installed; the Grafana plugin is not packaged" >&2
  exit 77
fi

fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
"$source_dir/scripts/build-grafana-plugin" "$build_dir" --no-typecheck --dist "$work/dist" --zip --zip-dir "$work"

dist=$work/dist
version=$(node -p "require('$source_dir/plugin-backend/frontend/package.json').version")
for f in plugin.json module.js img/logo.svg README.md CHANGELOG.md gpx_kiln_linux_amd64; do
  [ -s "$dist/$f" ] || fail "dist/$f is missing or empty"
done
[ -x "$dist/gpx_kiln_linux_amd64" ] || fail "dist/gpx_kiln_linux_amd64 is not executable"
# The copy may lack debug info, so compare what it says it is.
[ "$("$dist/gpx_kiln_linux_amd64" --version)" = "$("$build_dir/bin/gpx_kiln_linux_amd64" --version)" ] ||
  fail "dist/gpx_kiln_linux_amd64 is not the built $build_dir/bin/gpx_kiln_linux_amd64"

node -e '
  const fs = require("fs");
  const [file, version] = process.argv.slice(1);
  const meta = JSON.parse(fs.readFileSync(file, "utf8"));
  const expect = (ok, what) => { if (!ok) { console.error("FAIL: plugin.json: " + what); process.exit(1); } };
  expect(meta.id === "kiln-profiling-datasource" && meta.type === "datasource", "id/type");
  expect(/^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/.test(meta.id), "id pattern");
  expect(meta.backend === true && meta.executable === "gpx_kiln", "backend executable gpx_kiln");
  expect(meta.alerting === true && meta.metrics === true, "alerting and metrics");
  expect(meta.info.version === version, "version " + meta.info.version + " != package.json " + version);
  expect(/^\d{4}-\d\d-\d\d$/.test(meta.info.updated), "updated date " + meta.info.updated);
  expect(/^>=12\./.test(meta.dependencies.grafanaDependency), "grafanaDependency " + meta.dependencies.grafanaDependency);
  for (const logo of Object.values(meta.info.logos)) {
    expect(fs.existsSync(require("path").join(require("path").dirname(file), logo)), "logo " + logo + " missing");
  }
' "$dist/plugin.json" "$version"
head -c 8 "$dist/module.js" | grep -q '^define(\[' || fail "module.js is not an AMD define([...]) module"

zip=$work/kiln-profiling-datasource-$version.zip
[ -s "$zip" ] || fail "$zip was not written"
mkdir -p "$work/unpacked"
if command -v unzip >/dev/null 2>&1; then
  (cd "$work/unpacked" && unzip -q "$zip")
elif command -v python3 >/dev/null 2>&1; then
  python3 - "$zip" "$work/unpacked" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        os.chmod(path, (info.external_attr >> 16) & 0o777)
PY
else
  echo "neither unzip nor python3: the zip's contents are not checked" >&2
  exit 0
fi
[ "$(ls "$work/unpacked")" = kiln-profiling-datasource ] || fail "the zip's top level is not one kiln-profiling-datasource/ folder"
diff -r "$dist" "$work/unpacked/kiln-profiling-datasource" || fail "the zip's contents differ from dist/"
exe=$work/unpacked/kiln-profiling-datasource/gpx_kiln_linux_amd64
[ -x "$exe" ] || fail "the zip lost the executable bit of gpx_kiln_linux_amd64"
"$exe" --version >/dev/null || fail "the unpacked gpx_kiln_linux_amd64 --version failed"

bundled=$work/bundled
"$source_dir/scripts/build-grafana-plugin" "$build_dir" --no-typecheck --bundle-libs --dist "$bundled"
want=$("$build_dir/bin/gpx_kiln_linux_amd64" --version)
[ "$(env -i "$bundled/gpx_kiln_linux_amd64" --version)" = "$want" ] ||
  fail "the bundled launcher does not run gpx_kiln with an empty environment"
outside=$("$bundled/lib/ld-linux.so" --library-path "$bundled/lib" --list "$bundled/bin/gpx_kiln" |
  awk '$2 == "=>" { print $3 }' | grep -v "^$bundled/lib/" || true)
[ -z "$outside" ] || fail "the bundled gpx_kiln loads libraries from outside lib/: $outside"
if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null 2>&1; then
  mkdir -p "$work/root"
  cp -a "$bundled" "$work/root/p"
  [ "$(chroot "$work/root" /p/lib/ld-linux.so --library-path /p/lib /p/bin/gpx_kiln --version)" = "$want" ] ||
    fail "the bundled gpx_kiln does not run in a chroot holding only the plugin"
else
  echo "not root: the bundled plugin is not run in an empty chroot" >&2
fi
echo "package_test: dist/, $(basename "$zip") and the --bundle-libs plugin are complete"
