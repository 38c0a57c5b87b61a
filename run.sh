#!/usr/bin/env bash
# Sets Jarchi up on Debian 12 (packages, build) and runs it; --demo also starts the lab phones.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
. "$(dirname "$0")/.ci/setup.sh"

demo=0
args=()
for a in "$@"; do
  case "$a" in
    --demo) demo=1 ;;
    *) args+=("$a") ;;
  esac
done

if [ "$demo" -eq 1 ]; then
  install_packages "${BUILD_PKGS[@]}" kamailio sip-tester baresip-core sox
else
  install_packages "${BUILD_PKGS[@]}"
fi
build_jarchi build

# Run from the build tree: schemas compiled there, nothing installed system-wide.
export GSETTINGS_SCHEMA_DIR="$JARCHI_ROOT/build/data"

if [ "$demo" -eq 1 ]; then
  demo_dir="${JARCHI_DEMO_DIR:-$JARCHI_ROOT/build/demo}"
  mkdir -p "$demo_dir"
  "$JARCHI_ROOT/tests/lab/demo.sh" start "$demo_dir"
  trap '"$JARCHI_ROOT/tests/lab/demo.sh" stop "$demo_dir"' EXIT
  "$JARCHI_ROOT/build/src/jarchi" --data-dir "$demo_dir/data" --demo-env "$demo_dir/demo.env" "${args[@]}"
else
  exec "$JARCHI_ROOT/build/src/jarchi" "${args[@]}"
fi
