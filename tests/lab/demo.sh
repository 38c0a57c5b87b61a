#!/usr/bin/env bash
# Jarchi demo lab: a local Kamailio with a few scripted phones, for ./run.sh --demo.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: tests/lab/demo.sh start DIR   start everything (stops a previous demo in DIR first)
#        tests/lab/demo.sh stop DIR    stop everything started in DIR
#        tests/lab/demo.sh status DIR  exit 0 when the demo in DIR runs
#
# start: Kamailio (no authentication) on 127.0.0.1:5060 if free, else a free port, and
#   1001  baresip, answers at once and plays a 1 kHz tone
#   1002  baresip, answers at once (440 Hz tone) and presses 1 (RFC 4733) 3 s later
#   1003  SIPp, always busy (486)
# then writes DIR/demo.env (KEY=VALUE lines, values in single quotes, no quote inside):
#   KAMAILIO_HOST, KAMAILIO_PORT, DEMO_ACCOUNT (sip:demo@127.0.0.1:PORT, no password),
#   DEMO_USERS (space-separated), DEMO_USER_<n>_NAME, DEMO_USER_<n>_URI, DEMO_USER_<n>_ROLE
# Everything listens on 127.0.0.1 only; all files stay in DIR.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lab.sh source-path=SCRIPTDIR
. "$HERE/lab.sh"

DTMF_DELAY=${DEMO_DTMF_DELAY:-3}

# _demo_dtmf_agent BARESIPDIR DIGIT DELAY: for every call baresip in BARESIPDIR establishes,
# wait DELAY s and send DIGIT on its console. Runs until killed (lab_cleanup_all).
_demo_dtmf_agent() {
	local dir=$1 digit=$2 delay=$3 seen=0 now
	while sleep 0.3; do
		_lab_alive "$dir" baresip || exit 0
		now=$(tr '\r' '\n' <"$dir/baresip.log" | grep -c 'Call established')
		if ((now > seen)); then
			seen=$now
			sleep "$delay"
			lab_baresip_dtmf "$dir" "$digit"
		fi
	done
}

demo_stop() {
	local dir=$1
	[[ -d $dir ]] || return 0
	lab_cleanup_all "$dir"
	rm -f "$dir/demo.env"
}

demo_status() {
	local dir=$1
	[[ -s $dir/demo.env ]] && _lab_alive "$dir/kamailio" kamailio && _lab_alive "$dir/1001" baresip &&
		_lab_alive "$dir/1002" baresip && _lab_alive "$dir/1003" sipp
}

demo_start() {
	local dir kport k
	dir=$(_lab_abs "$1") || return 1
	demo_stop "$dir"
	if lab_port_free 5060; then
		kport=5060
	else
		kport=$(lab_free_port)
		echo "demo: 127.0.0.1:5060 is taken, Kamailio uses port $kport" >&2
	fi
	k="$dir/kamailio"
	lab_kamailio_start "$k" "$kport" || return 1

	lab_baresip_start "$dir/1001" 0 --user 1001 --registrar "127.0.0.1:$kport" --tone 1000 ||
		{ demo_stop "$dir"; return 1; }
	lab_baresip_start "$dir/1002" 0 --user 1002 --registrar "127.0.0.1:$kport" --tone 440 ||
		{ demo_stop "$dir"; return 1; }
	# the DTMF agent runs in its own process group, found by lab_cleanup_all like the peers
	# shellcheck disable=SC2016  # expanded by the inner bash
	_lab_spawn "$dir/1002" dtmf-agent "$dir/1002/dtmf-agent.log" \
		bash -c '. "$1" --functions-only && _demo_dtmf_agent "$2" 1 "$3"' \
		jarchi-demo-dtmf-agent "$HERE/demo.sh" "$dir/1002" "$DTMF_DELAY" || { demo_stop "$dir"; return 1; }

	lab_sipp_uas "$dir/1003" 0 busy || { demo_stop "$dir"; return 1; }
	lab_kamailio_add_contact "$k" 1003 "sip:1003@127.0.0.1:$(lab_sipp_port "$dir/1003")" ||
		{ demo_stop "$dir"; return 1; }

	cat >"$dir/demo.env.tmp" <<EOF
KAMAILIO_HOST='127.0.0.1'
KAMAILIO_PORT='$kport'
DEMO_ACCOUNT='sip:demo@127.0.0.1:$kport'
DEMO_USERS='1001 1002 1003'
DEMO_USER_1001_NAME='Tone'
DEMO_USER_1001_URI='sip:1001@127.0.0.1:$kport'
DEMO_USER_1001_ROLE='answers at once and plays a 1 kHz tone'
DEMO_USER_1002_NAME='Keypad'
DEMO_USER_1002_URI='sip:1002@127.0.0.1:$kport'
DEMO_USER_1002_ROLE='answers at once and presses 1 after $DTMF_DELAY s'
DEMO_USER_1003_NAME='Busy'
DEMO_USER_1003_URI='sip:1003@127.0.0.1:$kport'
DEMO_USER_1003_ROLE='always busy (486)'
EOF
	mv "$dir/demo.env.tmp" "$dir/demo.env"
	echo "demo: Kamailio on 127.0.0.1:$kport; users 1001 (tone), 1002 (presses 1), 1003 (busy)"
	echo "demo: account sip:demo@127.0.0.1:$kport (no password); settings in $dir/demo.env"
}

[[ ${1:-} == --functions-only ]] && return 0

case ${1:-} in
	start) [[ -n ${2:-} ]] || { echo "usage: $0 start DIR" >&2; exit 2; }; demo_start "$2" ;;
	stop) [[ -n ${2:-} ]] || { echo "usage: $0 stop DIR" >&2; exit 2; }; demo_stop "$2" ;;
	status) [[ -n ${2:-} ]] || { echo "usage: $0 status DIR" >&2; exit 2; }; demo_status "$2" ;;
	*) echo "usage: $0 start|stop|status DIR" >&2; exit 2 ;;
esac
