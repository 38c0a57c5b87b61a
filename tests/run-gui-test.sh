#!/bin/sh
# Jarchi: run one GUI test command under a private Xvfb display, session bus and home, bounded in time.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/run-gui-test.sh COMMAND [ARG...]
#
# The command runs inside `xvfb-run -a` (a 1280x800x24 screen) and `dbus-run-session`, with the
# cairo renderer (GL gave blank captures under Xvfb), the AT-SPI bridge enabled, in-memory
# GSettings and HOME/XDG_* in a fresh temporary directory that is removed afterwards.
# JARCHI_GUI_TIMEOUT (seconds, default 100) bounds the whole run; on expiry everything started
# here is killed and the exit status is 124. The command's exit status is passed through.
# JARCHI_TIMEOUT_SCALE (a whole number, default 1) multiplies that bound and the test's own
# JARCHI_TEST_DEADLINE: ./test.sh --sanitize sets 3, as it passes --timeout-multiplier 3 to meson,
# since the per-test bounds in tests/meson.build are written for the plain build.
set -u

if [ $# -lt 1 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

for tool in xvfb-run xauth dbus-run-session timeout; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 0
  fi
done

scale=${JARCHI_TIMEOUT_SCALE:-1}
case "$scale" in ''|*[!0-9]*|0) echo "Bail out! JARCHI_TIMEOUT_SCALE must be a positive whole number"; exit 2 ;; esac
gui_timeout=$(( ${JARCHI_GUI_TIMEOUT:-100} * scale ))
if [ "$scale" -ne 1 ]; then
  # Without a deadline of its own, a test keeps to 10 s under the unscaled bound, as each does.
  JARCHI_TEST_DEADLINE=$(( ${JARCHI_TEST_DEADLINE:-$(( ${JARCHI_GUI_TIMEOUT:-100} - 10 ))} * scale ))
  export JARCHI_TEST_DEADLINE
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/jarchi-gui.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$scratch/home" "$scratch/config" "$scratch/data" "$scratch/cache" "$scratch/state" \
         "$scratch/runtime" "$scratch/tmp"
chmod 700 "$scratch/runtime"

export HOME="$scratch/home"
export XDG_CONFIG_HOME="$scratch/config"
export XDG_DATA_HOME="$scratch/data"
export XDG_CACHE_HOME="$scratch/cache"
export XDG_STATE_HOME="$scratch/state"
export XDG_RUNTIME_DIR="$scratch/runtime"
export TMPDIR="$scratch/tmp"
export GSETTINGS_BACKEND=memory
export GSK_RENDERER=cairo
export GDK_BACKEND=x11
export GTK_A11Y=atspi
unset NO_AT_BRIDGE DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS GTK_THEME GTK_DEBUG
export LC_ALL=C.UTF-8
export LANGUAGE=
# Under AddressSanitizer (./test.sh --sanitize): LeakSanitizer tells GLib's deliberate leaks from
# ours by their callers (tests/lsan.supp). Debian's libraries have no frame pointers, so the fast
# unwinder stops at g_malloc and nothing can be told apart; the DWARF unwinder over whole stacks
# makes a GTK app take minutes to start. 10 frames reach the library that made the block, at
# about twice the fast run's time. The last setting in ASAN_OPTIONS wins.
if [ -n "${ASAN_OPTIONS:-}" ]; then
  export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0:malloc_context_size=10"
fi

# Only the command writes to our stdout (the TAP stream): the bus daemons it activates, such as
# at-spi2-registryd, chat on stdout, so theirs goes to stderr and the command gets fd 3.
# -noreset: by default Xvfb resets when its last client leaves, and at-spi-bus-launcher connects
# and leaves just before the app starts: the app's connection then fell into the reset ("cannot
# open display") about one run in ten.
# timeout (not --foreground) signals its whole process group: xvfb-run, Xvfb, the bus, the app.
# xvfb-run -a scans for a free display from -n on; starting from a number derived from our pid
# keeps parallel runs from all fighting over :99 (-a still moves on if one is taken).
timeout -k 5 "$gui_timeout" \
  xvfb-run -a -n $((100 + $$ % 800)) -e "$scratch/xvfb.log" -s "-screen 0 1280x800x24 -noreset" \
  dbus-run-session -- sh -c 'exec "$@" 1>&3 3>&-' run-gui-test "$@" 3>&1 1>&2
status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "Bail out! the GUI test did not finish within $gui_timeout s"
elif [ "$status" -gt 128 ]; then
  echo "Bail out! the GUI test died of signal $((status - 128))"
fi
if [ -s "$scratch/xvfb.log" ] && [ "$status" -ne 0 ]; then
  echo "# Xvfb log:" >&2
  sed 's/^/#   /' "$scratch/xvfb.log" >&2
fi
exit "$status"
