# Sourced by the viewers' screenshot tests: `start_xvfb DIR` starts Xvfb on
# a display it picks itself (so parallel tests never collide), exports
# DISPLAY, and stops the server when the calling script exits. Xvfb's log and
# display number are kept in DIR. Exits 77 (ctest: skipped) when Xvfb is
# not installed.
start_xvfb() {
  local dir=$1
  if ! command -v Xvfb >/dev/null; then
    echo "SKIP: Xvfb is not installed (scripts/install-deps installs xvfb)"
    exit 77
  fi
  # Xvfb chooses a free display and writes its number to fd 3.
  Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp >"$dir/xvfb.log" 2>&1 3>"$dir/display" &
  xvfb_pid=$!
  trap 'kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    [ -s "$dir/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || { cat "$dir/xvfb.log"; echo "FAIL: Xvfb exited"; exit 1; }
    sleep 0.1
  done
  local display
  display=$(tr -d '[:space:]' <"$dir/display")
  [ -n "$display" ] || { cat "$dir/xvfb.log"; echo "FAIL: Xvfb did not start"; exit 1; }
  echo "Xvfb on :$display (pid $xvfb_pid)"
  export DISPLAY=":$display"
  unset WAYLAND_DISPLAY
}
