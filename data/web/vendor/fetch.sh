#!/bin/sh
# Fetches the dashboard's vendored chart library from npm at a pinned version and checks its hash.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The files it writes are committed: the build and the dashboard never reach the network.
# To move to another version, change VERSION and SHA256 (of the .tgz `npm pack` prints) together.
set -eu

PACKAGE=chart.js
VERSION=4.6.1
SHA256=9345dacdf4bb4c5d40321f4b9aafab6fe676d37a534fc0bc2d17c4c4e29c4f00

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tarball="$work/$PACKAGE-$VERSION.tgz"
echo "$SHA256  $tarball" | sha256sum -c --quiet -
tar -xzf "$tarball" -C "$work" package/dist/chart.umd.min.js package/LICENSE.md
cp "$work/package/dist/chart.umd.min.js" "$here/chart.umd.min.js"
cp "$work/package/LICENSE.md" "$here/chart.js-LICENSE.md"
echo "vendored $PACKAGE $VERSION into $here"
