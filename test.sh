#!/usr/bin/env bash
# Sets Jarchi up on Debian 12 with its test tools, builds it and runs every test suite; --sanitize uses ASan+UBSan.
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail
. "$(dirname "$0")/.ci/setup.sh"

builddir=build
meson_opts=()
for a in "$@"; do
  case "$a" in
    --sanitize)
      builddir=build-sanitize
      meson_opts+=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug) ;;
    *) echo "usage: $0 [--sanitize]" >&2; exit 2 ;;
  esac
done

install_packages "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}" || { echo "0 passed, 1 failed"; exit 1; }
build_jarchi "$builddir" "${meson_opts[@]}" || { echo "0 passed, 1 failed"; exit 1; }

meson_test_opts=()
if [ "$builddir" = build-sanitize ]; then
  # intercept_tls_get_addr=0: GCC 12's runtime takes a glibc >= 2.25 dynamic TLS block (here
  # GnuTLS's, loaded by GIO for TLS) for an old glibc header whenever it starts 16 bytes into a
  # page, reads a bogus range and LeakSanitizer's tracer dies of SIGSEGV at exit (fixed in
  # LLVM 17). Those blocks are ordinary malloc'd chunks in glibc 2.36, so leak checking still
  # covers them; only the broken interceptor is off.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_odr_violation=0:fast_unwind_on_malloc=0:intercept_tls_get_addr=0"
  export LSAN_OPTIONS="suppressions=$JARCHI_ROOT/tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  # Everything runs several times slower: meson's bounds triple, and so do the GUI tests' own
  # (tests/run-gui-test.sh) and the dashboard tests' budget (tests/run-dashboard-test.sh, 225 s).
  export JARCHI_TIMEOUT_SCALE=3 DASH_BUDGET_S=675
  # GDK would otherwise load Mesa's software GL driver, which leaks and is unloaded before
  # LeakSanitizer can name it; the tests draw with cairo anyway.
  export GDK_DEBUG=gl-disable
  meson_test_opts=(--timeout-multiplier 3)
fi

meson test -C "$JARCHI_ROOT/$builddir" --suite jarchi --print-errorlogs --num-processes 2 \
  "${meson_test_opts[@]}" >&2
status=$?

# Count TAP results of every test program (a crash with no TAP line counts as one failure).
python3 "$JARCHI_ROOT/tests/summarize.py" "$JARCHI_ROOT/$builddir/meson-logs/testlog.json"
summary=$?
if [ $status -ne 0 ] || [ $summary -ne 0 ]; then
  exit 1
fi
