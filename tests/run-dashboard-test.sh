#!/usr/bin/env bash
# Runs the web dashboard's browser test (tests/dashboard) against the lab's Kamailio and SIPp; TAP out, bounded in time.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Modes: none (every page in Chromium), --i18n (the ru/uz UI in Chromium), --firefox (the main
# flows in Firefox: firefox.test.mjs). Needs Debian's chromium (firefox-esr for --firefox), node and
# npm (skips without them); installs the pinned playwright-core and puppeteer-core with `npm ci`
# into tests/dashboard/node_modules when one is missing or another version (a failed npm ci fails
# the test). Screenshots go to $JARCHI_TEST_OUTPUT
# (default: test-output/dashboard in the current directory, i.e. the build dir under meson).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${JARCHI_SOURCE_ROOT:-$(dirname "$here")}
# Everything, npm ci and the lab included, fits in this (meson kills the test at 300 s). A first
# run's npm ci (playwright-core and puppeteer-core's 80 packages) took 15 s idle, 60 s at load 22.
budget=${DASH_BUDGET_S:-285}

mode=${1:-}
browser=/usr/bin/chromium
[[ $mode == --firefox ]] && browser=/usr/bin/firefox-esr
for tool in "$browser" node npm kamailio sipp; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	fi
done
if [[ -z ${JARCHI_BINARY:-} || ! -x $JARCHI_BINARY ]]; then
	echo "1..0 # SKIP JARCHI_BINARY is not set (run through meson test)"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jarchi-dashboard.XXXXXX")
out=${JARCHI_TEST_OUTPUT:-$PWD/test-output}/dashboard
mkdir -p "$out"

. "$root/tests/lab/lab.sh"
lab_trap_cleanup "$work" --rm   # the peers below it, then the whole scratch dir

# npm keeps using the user's cache (a repeated run needs no network); the browsers write their
# profiles and caches under HOME and TMPDIR, so those move to the scratch dir.
export npm_config_cache="${npm_config_cache:-${HOME:-/nonexistent}/.npm}"
export HOME="$work/home" TMPDIR="$work/tmp"
mkdir -p "$HOME" "$TMPDIR"

dash="$root/tests/dashboard"
# The dashboard tests may run in parallel: one `npm ci` at a time into the shared node_modules.
exec 9>/tmp/jarchi-dashboard-npm.lock
flock -w 100 9 || { echo "Bail out! another npm ci held the lock for 100 s"; exit 1; }
# Every pinned package at its version, or npm ci (puppeteer-core never downloads a browser itself,
# the variable only makes sure of it).
stale=$(cd "$dash" && node -p 'const d = require("./package.json").dependencies; Object.keys(d).filter((p) => {
	try { return require(`./node_modules/${p}/package.json`).version !== d[p]; } catch (e) { return true; } }).join(" ")')
if [[ -n $stale ]]; then
	if ! (cd "$dash" && PUPPETEER_SKIP_DOWNLOAD=1 timeout 90 npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
		echo "Bail out! npm ci failed: $(tail -n 1 "$work/npm.log")"
		exit 1
	fi
fi
exec 9>&-

# --i18n: only the translated UI (no SIP peers needed); otherwise the pages against the lab.
kport=0
if [[ $mode != --i18n ]]; then
	kport=$(lab_free_port) || { echo "Bail out! no free port"; exit 1; }
	lab_kamailio_start "$work/lab/kam" "$kport" >&2 || { echo "Bail out! Kamailio did not start"; exit 1; }
	lab_sipp_uas "$work/lab/uas" 0 answer >&2 || { echo "Bail out! SIPp UAS did not start"; exit 1; }
	lab_kamailio_add_contact "$work/lab/kam" 1003 "sip:1003@127.0.0.1:$(lab_sipp_port "$work/lab/uas")" >&2 \
		|| { echo "Bail out! could not register the SIPp UAS"; exit 1; }
fi

deadline=$((budget - SECONDS - 15))
if ((deadline < 60)); then echo "Bail out! only ${deadline} s left after the set-up"; exit 1; fi
export DASH_WORK="$work" DASH_OUTPUT="$out" DASH_KPORT="$kport" DASH_LAB="$work/lab" \
	DASH_LAB_SH="$root/tests/lab/lab.sh" DASH_DEADLINE_S="$deadline"
export PUPPETEER_SKIP_DOWNLOAD=1
script=dashboard.test.mjs
[[ $mode == --firefox ]] && script=firefox.test.mjs
timeout --kill-after=5 "$((deadline + 10))" node "$dash/$script" "$@"
rc=$?
[[ $rc -eq 124 || $rc -eq 137 ]] && echo "Bail out! the dashboard test ran over ${deadline} s"
exit "$rc"
