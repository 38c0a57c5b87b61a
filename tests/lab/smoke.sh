#!/usr/bin/env bash
# Jarchi test lab smoke test (TAP): every lab peer (Kamailio, SIPp, baresip) starts and answers.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs as root (SIPp's play_pcap_audio needs a raw socket; without root that check is skipped),
# needs no sound card, talks to 127.0.0.1 only, takes about 20 s. LAB_KEEP=1 keeps the work
# dir (it is also kept, and named, when a test fails).

# shellcheck disable=SC2317  # the check functions are called indirectly, through check()
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lab.sh source-path=SCRIPTDIR
. "$HERE/lab.sh"

for tool in kamailio kamcmd sipp sipsak baresip sox python3 ss; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	fi
done

LAB=$(mktemp -d "${TMPDIR:-/tmp}/jarchi-lab-smoke.XXXXXX")
N=0
FAILED=0
TOTAL=21

finish() {
	lab_cleanup_all "$LAB"
	if ((FAILED)) || [[ ${LAB_KEEP:-} == 1 ]]; then
		echo "# work dir kept: $LAB"
	else
		rm -rf "$LAB"
	fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# check DESCRIPTION COMMAND...: one TAP line; the command's output goes to $LAB/smoke.log.
check() {
	local desc=$1 t0=$SECONDS rc
	shift
	N=$((N + 1))
	echo "### $N - $desc" >>"$LAB/smoke.log"
	"$@" >>"$LAB/smoke.log" 2>&1
	rc=$?
	echo "### $N took $((SECONDS - t0)) s, status $rc" >>"$LAB/smoke.log"
	if ((rc == 0)); then
		echo "ok $N - $desc"
	else
		echo "not ok $N - $desc"
		FAILED=1
		tail -n 12 "$LAB/smoke.log" | sed 's/^/#   /'
	fi
}
skip() {
	N=$((N + 1))
	echo "ok $N - $1 # SKIP $2"
}

# --- checks ---------------------------------------------------------------------------------

register_ok() { # KPORT USER [PASSWORD]
	local out
	out=$(lab_sip_register "$@")
	echo "$out"
	[[ $out == *"200 OK"* || $out == *"completed successful"* ]] && ! [[ $out == *error* ]]
}
register_refused() { # KPORT USER PASSWORD
	local out
	out=$(lab_sip_register "$@")
	echo "$out"
	[[ $out =~ SIP/2.0\ (401|403) ]] && ! [[ $out == *"200 OK"* ]]
}
ul_dump_has() { # KAMDIR USER
	local out
	out=$(lab_kamcmd "$1" ul.dump)
	echo "$out" | grep -E 'AoR|Address'
	grep -qE "AoR: $2\$" <<<"$out"
}
sipp_call() { # DIR TARGET USER [ARGS...]
	local dir=$1 target=$2 user=$3
	shift 3
	lab_sipp_uac "$dir" "$target" call -s "$user" -m 1 -d 2000 "$@" || return 1
	lab_sipp_wait "$dir" 20
	local rc=$?
	grep -E '^(INVITE|SIP/2.0|ACK|BYE) ' "$dir/sipp.messages" 2>/dev/null
	[[ -f $dir/sipp.errors ]] && tail -n 5 "$dir/sipp.errors"
	return "$rc"
}
newest_rec_has_tone() { # BARESIPDIR dec|enc HZ
	local f
	f=$(lab_baresip_recordings "$1" "$2" | tail -n 1)
	echo "recording: ${f:-none}; $3 Hz in $(lab_tone_ratio "$f" "$3") of its 50 ms blocks"
	lab_has_tone "$f" "$3" 0.5 1
}
wait_call_closed() { # BARESIPDIR COUNT: wait until COUNT calls ended in that baresip
	lab_wait_for 15 _calls_closed "$1" "$2"
}
_calls_closed() {
	local c
	[[ -f $1/baresip.log ]] || return 2
	c=$(tr '\r' '\n' <"$1/baresip.log" | grep -c 'terminated (duration')
	((c >= $2))
}
baresip_dial() { # FROMDIR URI: dial and wait until the call is established
	lab_baresip_cmd "$1" "/dial $2" || return 1
	lab_baresip_wait_log "$1" 'Call established' 10
}
baresip_got_dtmf() { # DIR DIGITS
	local got
	lab_wait_for 10 _dtmf_complete "$1" "$2"
	got=$(tr '\r' '\n' <"$1/baresip.log" | sed -n "s/^received event: '\(.\)' (end=1)/\1/p" | tr -d '\n')
	echo "DTMF received: '$got'"
	[[ $got == "$2" ]]
}
_dtmf_complete() {
	local got
	_lab_alive "$1" baresip || return 2
	got=$(tr '\r' '\n' <"$1/baresip.log" | sed -n "s/^received event: '\(.\)' (end=1)/\1/p" | tr -d '\n')
	[[ ${#got} -ge ${#2} ]]
}
no_lab_process_left() {
	local f pgid left=0
	while IFS= read -r f; do
		pgid=$(<"$f")
		if kill -0 -- "-$pgid" 2>/dev/null; then
			echo "still running: group $pgid ($f)"
			left=1
		fi
	done < <(find "$LAB" -name '*.pgid*')
	((left == 0))
}

# --- compound checks ------------------------------------------------------------------------

not_registered() { # KAMDIR USER
	! lab_kamailio_registered "$1" "$2"
}
both_registered() { # KAMDIR USER USER
	ul_dump_has "$1" "$2" && ul_dump_has "$1" "$3"
}
rec_has_tone() { # BARESIPDIR CALLS HZ [NOT_HZ]: after CALLS ended, the newest received audio
	wait_call_closed "$1" "$2" || return 1
	newest_rec_has_tone "$1" dec "$3" || return 1
	[[ -z ${4:-} ]] || ! newest_rec_has_tone "$1" dec "$4"
}
dtmf_from_sipp() { # BARESIPDIR KAMDIR KPORT DIGITS
	local b=$1 k=$2 kp=$3 digits=$4 rc
	LAB_DTMF_DIGITS=$digits lab_sipp_uas "$LAB/dtmf" 0 answer-dtmf -m 1 || return 1
	lab_kamailio_add_contact "$k" dtmf "sip:dtmf@127.0.0.1:$(lab_sipp_port "$LAB/dtmf")" || return 1
	: >"$b/baresip.log"
	lab_baresip_cmd "$b" "/dial sip:dtmf@127.0.0.1:$kp" || return 1
	baresip_got_dtmf "$b" "$digits"
	rc=$?
	lab_baresip_cmd "$b" "/hangup"
	lab_sipp_wait "$LAB/dtmf" 10 || rc=1
	return "$rc"
}
dtmf_between_baresips() { # FROMDIR TODIR DIGITS: talk 1 s, press DIGITS, talk 1 s, hang up
	local rc
	sleep 1
	lab_baresip_dtmf "$1" "$3"
	baresip_got_dtmf "$2" "$3"
	rc=$?
	sleep 1
	lab_baresip_cmd "$1" "/hangup"
	return "$rc"
}
cleanup_leaves_nothing() {
	lab_cleanup_all "$LAB" && no_lab_process_left
}

# --- plan -----------------------------------------------------------------------------------

echo "1..$TOTAL"
start=$SECONDS

# Kamailio without authentication
K1=$LAB/kam-open
K1P=$(lab_free_port)
check "kamailio (no auth) starts on 127.0.0.1:$K1P" lab_kamailio_start "$K1" "$K1P"
check "REGISTER 1001 without auth gets 200" register_ok "$K1P" 1001
check "kamcmd ul.dump shows 1001" ul_dump_has "$K1" 1001

# Kamailio with digest authentication
K2=$LAB/kam-auth
K2P=$(lab_free_port)
check "kamailio (auth) starts on 127.0.0.1:$K2P" lab_kamailio_start "$K2" "$K2P" auth
check "REGISTER 2001 with the right password gets 200" register_ok "$K2P" 2001 "$LAB_PASSWORD"
check "REGISTER 2002 with a wrong password is refused (401/403)" register_refused "$K2P" 2002 wrong
check "the refused user is not registered" not_registered "$K2" 2002

# SIPp UAS answering, SIPp UAC calling it directly
check "sipp UAS (answer.xml) listens" lab_sipp_uas "$LAB/uas" 0 answer -m 1
check "sipp UAC call to the UAS gets 200, talks and hangs up" \
	sipp_call "$LAB/uac1" "127.0.0.1:$(lab_sipp_port "$LAB/uas")" lab
check "sipp UAS ends its call without error" lab_sipp_wait "$LAB/uas" 10

# baresip phones registered to the auth Kamailio
check "baresip 2001 (440 Hz) registers to the auth kamailio" \
	lab_baresip_start "$LAB/b2001" 0 --user 2001 --registrar "127.0.0.1:$K2P" \
	--password "$LAB_PASSWORD" --tone 440
check "baresip 2003 (1 kHz) registers to the auth kamailio" \
	lab_baresip_start "$LAB/b2003" 0 --user 2003 --registrar "127.0.0.1:$K2P" \
	--password "$LAB_PASSWORD" --tone 1000
check "ul.dump shows both baresip users" both_registered "$K2" 2001 2003

# SIPp UAC -> Kamailio (407 challenge) -> baresip 2001 auto-answers
check "sipp UAC calls 2001 through kamailio (digest) and baresip auto-answers" \
	sipp_call "$LAB/uac2" "127.0.0.1:$K2P" 2001
check "2001 recorded the SIPp caller's 1 kHz tone" rec_has_tone "$LAB/b2001" 1 1000

# baresip 2003 -> Kamailio -> baresip 2001
check "baresip 2003 calls 2001 through kamailio and 2001 auto-answers" \
	baresip_dial "$LAB/b2003" "sip:2001@127.0.0.1:$K2P"
check "2001 gets the DTMF 42 that 2003 presses (lab_baresip_dtmf), then 2003 hangs up" \
	dtmf_between_baresips "$LAB/b2003" "$LAB/b2001" 42
check "2001 recorded 2003's 1 kHz tone" rec_has_tone "$LAB/b2001" 2 1000
check "2003 recorded 2001's 440 Hz tone (and not 1 kHz)" rec_has_tone "$LAB/b2003" 1 440 1000

# SIPp UAS sending RFC 4733 digits, reached through Kamailio as user "dtmf"
if ((EUID == 0)); then
	check "baresip 2003 receives DTMF 1# from sipp answer-dtmf.xml via kamailio" \
		dtmf_from_sipp "$LAB/b2003" "$K2" "$K2P" "1#"
else
	skip "baresip receives DTMF from sipp answer-dtmf.xml" "not root (play_pcap_audio needs raw sockets)"
fi

check "lab_cleanup_all leaves no lab process behind" cleanup_leaves_nothing

echo "# smoke test took $((SECONDS - start)) s"
((N == TOTAL)) || { echo "# planned $TOTAL tests, ran $N"; FAILED=1; }
exit $FAILED
