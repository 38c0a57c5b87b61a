#!/usr/bin/env bash
# Installs the Debian packages Jarchi needs (build+run, or also test) and builds it with meson.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by run.sh and test.sh. Installs only what is missing, so a set-up
# machine starts at once; apt-get update runs once, and only when needed.

JARCHI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

BUILD_PKGS=(
  meson ninja-build pkg-config gcc libc6-dev gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsqlite3-dev
  libre-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-libav gstreamer1.0-pulseaudio
  libespeak-ng-dev espeak-ng-data libsodium-dev libcsv-dev
  desktop-file-utils appstream
)

TEST_PKGS=(
  python3 curl sox espeak-ng
  kamailio sip-tester sipsak baresip-core
  xvfb xauth dbus dbus-x11 at-spi2-core python3-pyatspi python3-gi imagemagick haskell-status-notifier-item-utils
  flatpak-builder
  chromium firefox-esr
)
# Node.js for the dashboard's browser tests: Debian's nodejs and npm, unless a Node.js with npm
# is already there (NodeSource's nodejs bundles npm and conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  TEST_PKGS+=(nodejs npm)
fi

missing_packages () {
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
      echo "$p"
    fi
  done
}

install_packages () {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q >&2
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# build_jarchi BUILDDIR [meson options...]
build_jarchi () {
  local builddir="$1"; shift
  if [ ! -f "$JARCHI_ROOT/$builddir/build.ninja" ]; then
    meson setup "$JARCHI_ROOT/$builddir" "$JARCHI_ROOT" "$@" >&2
  fi
  ninja -C "$JARCHI_ROOT/$builddir" >&2
}
