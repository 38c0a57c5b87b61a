#!/usr/bin/env bash
# Jarchi test lab: start/stop real SIP peers (Kamailio, SIPp, baresip) on 127.0.0.1 for tests.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Source it from a test script:
#     . "$JARCHI_SOURCE_ROOT/tests/lab/lab.sh"
#     LAB=$(mktemp -d); lab_trap_cleanup "$LAB"
#     kport=$(lab_free_port); lab_kamailio_start "$LAB/kam" "$kport" || exit 1
# or use it as a command: tests/lab/lab.sh help
#
# Every peer lives in its own instance directory (config, logs, pid files, recordings).
# Nothing is written to /run, /var or /etc and nothing listens on anything but 127.0.0.1.
# Every peer runs in its own process group (setsid); stop functions kill the whole group, and
# lab_cleanup_all DIR kills every group started anywhere below DIR.
# Functions return non-zero and print "lab: ..." on stderr when something fails; they never exit.

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_SCENARIOS="$LAB_HOME/scenarios"
: "${LAB_PASSWORD:=secret}"   # digest password of every user on an auth Kamailio
: "${LAB_TIMEOUT:=10}"        # seconds to wait for a peer to come up
: "${LAB_STOP_TIMEOUT:=3}"    # seconds between SIGTERM and SIGKILL when stopping
: "${LAB_TONE_HZ:=1000}"      # frequency of the tone baresip sends
: "${LAB_TONE_SECONDS:=120}"  # length of that tone (baresip hangs up when its source ends)
LAB_KAMAILIO_MODULES=${LAB_KAMAILIO_MODULES:-/usr/lib/x86_64-linux-gnu/kamailio/modules/}
LAB_BARESIP_MODULES=${LAB_BARESIP_MODULES:-/usr/lib/baresip/modules}
# Debian's python3 starts in 30 ms; a pyenv shim earlier in PATH takes half a second
if [[ -z ${LAB_PYTHON:-} ]]; then
	if [[ -x /usr/bin/python3 ]]; then LAB_PYTHON=/usr/bin/python3; else LAB_PYTHON=python3; fi
fi

# ---------------------------------------------------------------------------------------------
# small helpers

_lab_err() { printf 'lab: %s\n' "$*" >&2; }

# _lab_abs DIR: create DIR and print its absolute path.
_lab_abs() {
	mkdir -p "$1" && (cd "$1" && pwd)
}

# _lab_tail FILE: show the end of a log on stderr (for failures).
_lab_tail() {
	[[ -f $1 ]] || return 0
	_lab_err "--- last lines of $1:"
	tail -n "${2:-15}" "$1" | sed 's/^/lab:   /' >&2
}

# lab_free_port [COUNT]: print a port P on 127.0.0.1 such that P .. P+COUNT-1 are all free
# for both UDP and TCP. Ports are picked at random in 20000-29999 (parallel tests rarely
# collide; baresip's RTP uses 30000-39999). SIPp keeps its port a few seconds after it exits:
# take a new port for every peer instead of reusing one.
lab_free_port() {
	local count=${1:-1}
	"$LAB_PYTHON" - "$count" <<'EOF'
import random, socket, sys
count = int(sys.argv[1])
def free(p):
    socks = []
    try:
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            socks.append(s)
            if kind == socket.SOCK_STREAM:  # TIME_WAIT left by a stopped peer is no obstacle
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        for s in socks:
            s.close()
rng = random.SystemRandom()
for _ in range(500):
    base = rng.randrange(20000, 30000 - count)
    if all(free(base + i) for i in range(count)):
        print(base)
        sys.exit(0)
sys.exit("lab_free_port: no free port found")
EOF
}

# lab_port_free PORT: true when nothing holds 127.0.0.1:PORT in UDP or TCP.
lab_port_free() {
	"$LAB_PYTHON" - "$1" <<'EOF'
import socket, sys
p = int(sys.argv[1])
for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    if kind == socket.SOCK_STREAM:  # TIME_WAIT left by a stopped peer is no obstacle
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        sys.exit(1)
    finally:
        s.close()
EOF
}

# lab_port_listening PORT [udp|tcp|both] [PROGRAM]: true when something (PROGRAM, if given:
# a process of that name) listens on 127.0.0.1:PORT.
lab_port_listening() {
	local port=$1 proto=${2:-both} prog=${3:-} out p
	for p in udp tcp; do
		[[ $proto == "$p" || $proto == both ]] || continue
		out=$(ss -Hln${p:0:1}p "sport = :$port" 2>/dev/null)
		[[ $out == *"127.0.0.1:$port"* ]] || return 1
		[[ -z $prog || $out == *"((\"$prog\""* ]] || return 1
	done
	return 0
}

# _lab_need_free_port PORT WHAT: fail with a clear message when 127.0.0.1:PORT is taken.
_lab_need_free_port() {
	lab_port_free "$1" && return 0
	_lab_err "$2: port 127.0.0.1:$1 is already in use (UDP or TCP)"
	return 1
}

# lab_wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds (0) or time is up
# (1). A COMMAND exit status of 2 or more gives up at once (e.g. the peer died; grep's errors).
lab_wait_for() {
	local secs=$1 i n rc
	shift
	n=$((secs * 10))
	for ((i = 0; i < n; i++)); do
		"$@"
		rc=$?
		((rc == 0)) && return 0
		((rc >= 2)) && return "$rc"
		sleep 0.1
	done
	"$@"
}

# _lab_spawn DIR NAME LOG COMMAND...: start COMMAND (cwd DIR) in a new session/process group,
# detached from the caller (no `wait` needed, no zombie). The group id goes to DIR/NAME.pgid,
# the exit status of COMMAND to DIR/NAME.rc when it ends by itself.
_lab_spawn() {
	local dir=$1 name=$2 log=$3
	shift 3
	rm -f "$dir/$name.pgid" "$dir/$name.rc"
	(
		cd "$dir" || exit 1
		# shellcheck disable=SC2016  # expanded by the inner bash
		setsid bash -c 'echo $$ > "$0.tmp" && mv "$0.tmp" "$0"; "$@"; echo $? > "${0%.pgid}.rc"' \
			"$dir/$name.pgid" "$@" </dev/null >>"$log" 2>&1 &
	)
	if ! lab_wait_for 5 test -s "$dir/$name.pgid"; then
		_lab_err "could not start $name ($1)"
		return 1
	fi
}

# _lab_alive DIR NAME: true while the process group of DIR/NAME.pgid has a member.
_lab_alive() {
	local pgid
	[[ -s $1/$2.pgid ]] || return 1
	pgid=$(<"$1/$2.pgid")
	[[ $pgid =~ ^[0-9]+$ ]] && kill -0 -- "-$pgid" 2>/dev/null
}

# _lab_kill_groups PGID...: stop process groups: SIGTERM, a second SIGTERM after 1 s (baresip
# waits for its un-REGISTER after the first), SIGKILL after LAB_STOP_TIMEOUT s (default 3).
_lab_kill_groups() {
	local g i n
	local -a live=()
	for g in "$@"; do
		[[ $g =~ ^[0-9]+$ ]] && kill -TERM -- "-$g" 2>/dev/null && live+=("$g")
	done
	((${#live[@]})) || return 0
	n=$((LAB_STOP_TIMEOUT * 10))
	for ((i = 0; i < n; i++)); do
		_lab_all_gone "${live[@]}" && return 0
		if ((i == 10)); then
			for g in "${live[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
		fi
		sleep 0.1
	done
	for g in "${live[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
	lab_wait_for 2 _lab_all_gone "${live[@]}"
	return 0
}
_lab_all_gone() {
	local g
	for g in "$@"; do
		kill -0 -- "-$g" 2>/dev/null && return 1
	done
	return 0
}

# _lab_kill DIR NAME: stop the process group of DIR/NAME.pgid (see _lab_kill_groups).
_lab_kill() {
	local dir=$1 name=$2
	[[ -s $dir/$name.pgid ]] || return 0
	_lab_kill_groups "$(<"$dir/$name.pgid")"
	mv -f "$dir/$name.pgid" "$dir/$name.pgid.done" 2>/dev/null
	return 0
}

# lab_cleanup_all DIR: stop every peer started anywhere below DIR (kamailio, sipp, baresip...),
# all in parallel (2-3 s).
lab_cleanup_all() {
	local root=$1 f
	local -a groups=() files=()
	[[ -d $root ]] || return 0
	while IFS= read -r f; do
		[[ -s $f ]] || continue
		groups+=("$(<"$f")")
		files+=("$f")
	done < <(find "$root" -maxdepth 4 -name '*.pgid' 2>/dev/null)
	_lab_kill_groups "${groups[@]}"
	for f in "${files[@]}"; do
		mv -f "$f" "$f.done" 2>/dev/null
	done
	while IFS= read -r f; do
		rm -rf "$(<"$f")" 2>/dev/null
	done < <(find "$root" -maxdepth 4 -name 'ctl.tmpdir' 2>/dev/null)
	return 0
}

# lab_trap_cleanup DIR [--rm]: on EXIT/INT/TERM of the calling shell, stop every peer under DIR
# (and remove DIR with --rm). Replaces any EXIT trap already set.
lab_trap_cleanup() {
	local q
	q=$(printf '%q' "$1")
	if [[ ${2:-} == --rm ]]; then
		# shellcheck disable=SC2064
		trap "lab_cleanup_all $q; rm -rf $q" EXIT
	else
		# shellcheck disable=SC2064
		trap "lab_cleanup_all $q" EXIT
	fi
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# ---------------------------------------------------------------------------------------------
# Kamailio: registrar + proxy

# lab_kamailio_start DIR PORT [auth]: Kamailio on 127.0.0.1:PORT (UDP and TCP) with its state
# in DIR. PORT empty or 0: a free one (see DIR/port). "auth" (or --auth): digest authentication
# of REGISTER and of every out-of-dialog request, one password for all users: $LAB_PASSWORD
# (default "secret"), realm 127.0.0.1 (the From domain), qop=auth; nonces live $LAB_NONCE_EXPIRE
# seconds (default 300), and every challenge is logged as "challenge METHOD from URI".
# Returns once it answers.
lab_kamailio_start() {
	local dir port=${2:-0} auth=${3:-} ctl pass=$LAB_PASSWORD
	local -a defs=()
	dir=$(_lab_abs "$1") || return 1
	if _lab_alive "$dir" kamailio; then
		_lab_err "a kamailio already runs in $dir"
		return 1
	fi
	[[ $port == 0 ]] && port=$(lab_free_port)
	_lab_need_free_port "$port" kamailio || return 1
	case $auth in
		'' | noauth) ;;
		auth | --auth | WITH_AUTH) defs=(-A WITH_AUTH -A "NONCE_EXPIRE=${LAB_NONCE_EXPIRE:-300}") ;;
		*) _lab_err "lab_kamailio_start: unknown option '$auth'"; return 1 ;;
	esac
	if [[ ! $pass =~ ^[A-Za-z0-9._~+-]+$ ]]; then
		_lab_err "LAB_PASSWORD may only hold [A-Za-z0-9._~+-]"
		return 1
	fi
	# unix socket paths are limited to 107 bytes
	ctl="$dir/kamailio_ctl"
	if ((${#ctl} > 100)); then
		local t=''
		[[ -s $dir/ctl.tmpdir ]] && t=$(<"$dir/ctl.tmpdir")
		if [[ -z $t || ! -d $t ]]; then
			t=$(mktemp -d /tmp/jarchi-lab.XXXXXX) || return 1
			echo "$t" >"$dir/ctl.tmpdir"
		fi
		ctl="$t/kamailio_ctl"
	fi
	echo "$port" >"$dir/port"
	echo "$ctl" >"$dir/ctl"
	echo "${auth:+$pass}" >"$dir/password"
	sed -e "s|@PORT@|$port|g" -e "s|@CTL@|$ctl|g" -e "s|@PASSWORD@|$pass|g" \
		-e "s|@MODULES@|$LAB_KAMAILIO_MODULES|g" \
		"$LAB_HOME/kamailio.cfg" >"$dir/kamailio.cfg"
	: >"$dir/kamailio.log"
	_lab_spawn "$dir" kamailio "$dir/kamailio.log" \
		kamailio -f "$dir/kamailio.cfg" -DD -E -P "$dir/kamailio.pid" -w "$dir" -Y "$dir" \
		-m 32 -M 4 "${defs[@]}" || return 1
	if ! lab_wait_for "$LAB_TIMEOUT" _lab_kamailio_ready "$dir" "$port"; then
		_lab_err "kamailio did not come up on 127.0.0.1:$port within ${LAB_TIMEOUT}s"
		_lab_tail "$dir/kamailio.log"
		_lab_kill "$dir" kamailio
		return 1
	fi
}
_lab_kamailio_ready() {
	_lab_alive "$1" kamailio || return 2
	lab_port_listening "$2" both kamailio || return 1
	[[ $(lab_kamcmd "$1" core.version 2>/dev/null) == kamailio* ]]
}

# lab_kamailio_stop DIR
lab_kamailio_stop() { _lab_kill "$1" kamailio; }

# lab_kamailio_port DIR: print the port of the Kamailio in DIR.
lab_kamailio_port() { cat "$1/port"; }

# lab_kamcmd DIR COMMAND [ARGS...]: run kamcmd against the Kamailio in DIR.
# Pitfalls: kamcmd exits 0 even on an RPC error (it prints "error: ..."), and turns numeric
# arguments into integers: write s:1001 for a user name made of digits.
lab_kamcmd() {
	local dir=$1
	shift
	timeout 5 kamcmd -s "unix:$(<"$dir/ctl")" "$@"
}

# lab_kamailio_registered DIR USER: true when USER has at least one contact in usrloc.
lab_kamailio_registered() {
	local out
	out=$(lab_kamcmd "$1" ul.lookup location "s:$2" 2>&1) || return 1
	[[ $out == *"Address:"* ]]
}

# lab_kamailio_contacts DIR USER: print USER's contact addresses, one a line.
lab_kamailio_contacts() {
	lab_kamcmd "$1" ul.lookup location "s:$2" 2>/dev/null |
		sed -n 's/^[[:space:]]*Address:[[:space:]]*//p'
}

# lab_kamailio_wait_registered DIR USER [SECONDS]
lab_kamailio_wait_registered() {
	lab_wait_for "${3:-$LAB_TIMEOUT}" lab_kamailio_registered "$1" "$2" && return 0
	_lab_err "user $2 did not register to the kamailio in $1"
	return 1
}

# lab_kamailio_add_contact DIR USER CONTACT_URI: a permanent registration made by hand, e.g. to
# reach a SIPp UAS (which does not register) as sip:USER@127.0.0.1:KPORT.
lab_kamailio_add_contact() {
	local out
	# table AOR contact expires(0=permanent) q path flags cflags methods(all)
	out=$(lab_kamcmd "$1" ul.add location "s:$2" "s:$3" 0 1.0 "s:" 0 0 4294967295 2>&1)
	if [[ $out == *error* ]]; then
		_lab_err "ul.add $2 $3: $out"
		return 1
	fi
}

# lab_kamailio_rm DIR USER: drop every contact of USER.
lab_kamailio_rm() { lab_kamcmd "$1" ul.rm location "s:$2" >/dev/null 2>&1; }

# lab_sip_register KPORT USER [PASSWORD] [EXPIRES] [CONTACT]: one REGISTER with sipsak (auth if
# PASSWORD given). Prints sipsak's output; returns 0 on a 200.
lab_sip_register() {
	local kport=$1 user=$2 pass=${3:-} exp=${4:-60} contact=${5:-}
	local -a a=(-s "sip:$user@127.0.0.1:$kport" -U -i -x "$exp" -C "${contact:-sip:$user@127.0.0.1:9}" -H 127.0.0.1)
	[[ -n $pass ]] && a+=(-a "$pass")
	timeout 10 sipsak "${a[@]}" -vv 2>&1
}

# ---------------------------------------------------------------------------------------------
# SIPp

# _lab_scenario NAME: path of a scenario: a file, or NAME[.xml] in tests/lab/scenarios.
_lab_scenario() {
	local s=$1
	if [[ -f $s ]]; then
		(cd "$(dirname "$s")" && printf '%s/%s\n' "$(pwd)" "$(basename "$s")")
	elif [[ -f $LAB_SCENARIOS/$s ]]; then
		echo "$LAB_SCENARIOS/$s"
	elif [[ -f $LAB_SCENARIOS/$s.xml ]]; then
		echo "$LAB_SCENARIOS/$s.xml"
	else
		_lab_err "no SIPp scenario '$s'"
		return 1
	fi
}

# _lab_sipp_prepare DIR SCENARIO: copy SCENARIO to DIR/scenario.xml with @LAB_DIR@ replaced by
# DIR; write DIR/tone.ul (raw PCMU, $LAB_TONE_HZ, 60 s) for rtp_stream and, when the scenario
# plays dtmf.pcap, DIR/dtmf.pcap: one RTP stream of tone + RFC 4733 digits $LAB_DTMF_DIGITS
# (default 1; 0-9 * # A-D, repeats allowed), the first after $LAB_DTMF_LEAD_MS (default 1000).
_lab_sipp_prepare() {
	local dir=$1 scen=$2
	if [[ ! -s $dir/tone.ul ]]; then
		sox -q -n -r 8000 -c 1 -t ul "$dir/tone.ul" synth 60 sine "$LAB_TONE_HZ" vol 0.5 || return 1
	fi
	if grep -q '@LAB_DIR@/dtmf.pcap' "$scen"; then
		"$LAB_PYTHON" "$LAB_HOME/rtp_pcap.py" "${LAB_DTMF_DIGITS:-1}" "$dir/dtmf.pcap" "$dir/tone.ul" \
			"${LAB_DTMF_LEAD_MS:-1000}" 1000 || return 1
	fi
	sed "s|@LAB_DIR@|$dir|g" "$scen" >"$dir/scenario.xml"
}

# _lab_sipp DIR ROLE PORT SCENARIO [ARGS...]: start sipp (ROLE uas|uac) in the background.
_lab_sipp() {
	local dir role=$2 port=${3:-0} scen mport cport
	dir=$(_lab_abs "$1") || return 1
	shift 3
	scen=$(_lab_scenario "$1") || return 1
	shift
	if _lab_alive "$dir" sipp; then
		_lab_err "a sipp already runs in $dir"
		return 1
	fi
	# One block for SIP, media (4) and control ports: picked apart, they could land on each
	# other, as none is bound before SIPp starts.
	if [[ $port == 0 ]]; then
		port=$(lab_free_port 6) && mport=$((port + 1)) && cport=$((port + 5))
	else
		mport=$(lab_free_port 4)
		cport=$(lab_free_port)
	fi
	_lab_need_free_port "$port" sipp || return 1
	echo "$port" >"$dir/port"
	echo "$mport" >"$dir/media_port"
	echo "$role" >"$dir/role"
	rm -f "$dir"/sipp.{errors,messages,screen,log} "$dir"/sipp.rc
	_lab_sipp_prepare "$dir" "$scen" || return 1
	_lab_spawn "$dir" sipp "$dir/sipp.log" \
		bash -c 'exec "$@" >/dev/null' sipp sipp -sf "$dir/scenario.xml" -i 127.0.0.1 -p "$port" -mi 127.0.0.1 -mp "$mport" \
		-nostdin -d "${LAB_SIPP_HOLD_MS:-3000}" -cp "$cport" \
		-trace_err -error_file "$dir/sipp.errors" \
		-trace_msg -message_file "$dir/sipp.messages" \
		-trace_screen -screen_file "$dir/sipp.screen" \
		"$@" || return 1
}

# lab_sipp_uas DIR PORT SCENARIO [SIPP ARGS...]: a SIPp UAS listening on 127.0.0.1:PORT (UDP;
# add "-t t1" for TCP). SCENARIO: answer, answer-dtmf, answer-hangup, busy, noanswer (or a
# path). PORT empty/0: a free one (DIR/port). RTP port base: DIR/media_port. Add "-m N" to make
# it exit after N calls (then lab_sipp_wait gives its exit status). Returns once it listens.
lab_sipp_uas() {
	local dir port
	dir=$(_lab_abs "$1") || return 1
	_lab_sipp "$dir" uas "${2:-0}" "${@:3}" || return 1
	port=$(<"$dir/port")
	if ! lab_wait_for "$LAB_TIMEOUT" _lab_sipp_listening "$dir" "$port"; then
		_lab_err "sipp UAS did not listen on 127.0.0.1:$port"
		_lab_tail "$dir/sipp.log"
		_lab_tail "$dir/sipp.errors"
		_lab_kill "$dir" sipp
		return 1
	fi
}
_lab_sipp_listening() {
	_lab_alive "$1" sipp || return 2
	lab_port_listening "$2" udp sipp || lab_port_listening "$2" tcp sipp
}

# lab_sipp_uac DIR TARGET SCENARIO [SIPP ARGS...]: a SIPp UAC in the background placing calls
# to TARGET (host:port, e.g. 127.0.0.1:$KPORT) from a free local port. Scenario "call": INVITE
# with PCMU+telephone-event as $LAB_SIPP_CALLER (default sipp), answers one 401/407 (password
# $LAB_PASSWORD), sends a 1 kHz tone, BYE after -d ms (default 3000). Pass "-s USER" for the
# called user, "-m 1" for one call, then lab_sipp_wait.
lab_sipp_uac() {
	local dir target=$2 scen=$3
	dir=$(_lab_abs "$1") || return 1
	shift 3
	local caller=${LAB_SIPP_CALLER:-sipp}
	_lab_sipp "$dir" uac 0 "$scen" "$target" -key caller "$caller" \
		-au "$caller" -ap "$LAB_PASSWORD" "$@"
}

# lab_sipp_wait DIR [SECONDS]: wait for the sipp in DIR to exit by itself; return its exit
# status (0: every call succeeded, 1: some failed, 97/99: error...). 124 on timeout.
lab_sipp_wait() {
	local dir=$1 secs=${2:-30}
	if ! lab_wait_for "$secs" test -s "$dir/sipp.rc"; then
		_lab_err "sipp in $dir still running after ${secs}s"
		return 124
	fi
	return "$(<"$dir/sipp.rc")"
}

# lab_sipp_stop DIR
lab_sipp_stop() { _lab_kill "$1" sipp; }

# lab_sipp_port DIR: the SIP port of the sipp in DIR.
lab_sipp_port() { cat "$1/port"; }

# ---------------------------------------------------------------------------------------------
# baresip

# lab_make_tone FILE [SECONDS] [HZ]: 8 kHz mono 16-bit WAV sine tone (with sox).
lab_make_tone() {
	local f=$1 secs=${2:-$LAB_TONE_SECONDS} hz=${3:-$LAB_TONE_HZ}
	[[ -s $f ]] && return 0
	sox -q -n -r 8000 -c 1 -b 16 "$f" synth "$secs" sine "$hz" vol 0.5
}

# lab_baresip_start DIR SIPPORT [OPTIONS...]: baresip without sound card on 127.0.0.1:SIPPORT
# (UDP and TCP, and TCP SIPPORT+1 for TLS; empty/0: free ports, see DIR/port). It sends a tone (1 kHz, 120 s) on every
# call, throws away what it plays, and records both directions of every call as WAV in DIR/rec
# (dump-<time>-dec.wav: what it received; -enc.wav: what it sent).
# OPTIONS:
#   --user U            user name (default "lab")
#   --registrar H:P     register as sip:U@H:P (else account-less: reachable at
#                       sip:U@127.0.0.1:SIPPORT only)
#   --password P        digest password (default: none; use $LAB_PASSWORD for an auth Kamailio)
#   --transport udp|tcp transport towards the registrar (default udp)
#   --answer auto|manual|early   answer mode (default auto)
#   --tone HZ           frequency of the tone (default $LAB_TONE_HZ)
#   --source FILE       send this WAV (8 kHz mono 16-bit is safest) instead of a tone
#   --cons PORT         UDP/TCP port of the command console (default: a free one, DIR/cons_port)
#   --dial URI          dial URI once started
#   --regint S          registration interval (default 60)
# Returns once the console listens and, with --registrar, once baresip says it registered.
lab_baresip_start() {
	local dir sport=${2:-0} user=lab registrar='' pass='' transport=udp answer=auto
	local hz=$LAB_TONE_HZ source='' cons=0 dial='' regint=60 acc
	dir=$(_lab_abs "$1") || return 1
	shift 2
	while (($#)); do
		case $1 in
			--user) user=$2 ;;
			--registrar) registrar=$2 ;;
			--password) pass=$2 ;;
			--transport) transport=$2 ;;
			--answer) answer=$2 ;;
			--tone) hz=$2 ;;
			--source) source=$2 ;;
			--cons) cons=$2 ;;
			--dial) dial=$2 ;;
			--regint) regint=$2 ;;
			*) _lab_err "lab_baresip_start: unknown option $1"; return 1 ;;
		esac
		shift 2 || { _lab_err "lab_baresip_start: $1 needs a value"; return 1; }
	done
	if _lab_alive "$dir" baresip; then
		_lab_err "a baresip already runs in $dir"
		return 1
	fi
	# baresip also binds SIPPORT+1 (TCP, for its TLS transport) and fails without it
	# Picked apart, the console could land on SIPPORT+1 (free until baresip binds it): take a
	# block of three when both are free to choose.
	if [[ $sport == 0 && $cons == 0 ]]; then
		sport=$(lab_free_port 3) && cons=$((sport + 2))
	fi
	[[ $sport == 0 ]] && sport=$(lab_free_port 2)
	while [[ $cons == 0 || $cons == "$sport" || $cons == $((sport + 1)) ]]; do
		cons=$(lab_free_port)
	done
	_lab_need_free_port "$sport" baresip || return 1
	_lab_need_free_port "$((sport + 1))" "baresip (TLS transport on SIPPORT+1)" || return 1
	_lab_need_free_port "$cons" "baresip console" || return 1
	if [[ -z $source ]]; then
		source="$dir/tone-$hz.wav"
		lab_make_tone "$source" "$LAB_TONE_SECONDS" "$hz" || return 1
	fi
	mkdir -p "$dir/rec"
	echo "$sport" >"$dir/port"
	echo "$cons" >"$dir/cons_port"
	echo "$user" >"$dir/user"
	cat >"$dir/config" <<EOF
# baresip config written by tests/lab/lab.sh
poll_method		epoll
sip_listen		127.0.0.1:$sport
call_local_timeout	120
call_max_calls		4
audio_player		aubridge,nil
audio_source		aufile,$source
audio_alert		aubridge,nil
audio_level		no
audio_buffer		20-160
rtp_ports		30000-39999
rtp_timeout		0
jitter_buffer_delay	1-10
net_interface		127.0.0.1
module_path		$LAB_BARESIP_MODULES
module			g711.so
module			aufile.so
module			aubridge.so
module			sndfile.so
module			cons.so
module_tmp		account.so
module_app		menu.so
snd_path		$dir/rec
cons_listen		127.0.0.1:$cons
EOF
	if [[ -n $registrar ]]; then
		acc="<sip:$user@$registrar;transport=$transport>;regint=$regint"
	else
		acc="<sip:$user@127.0.0.1:$sport>;regint=0"
	fi
	acc+=";answermode=$answer;audio_codecs=pcmu,pcma"
	[[ -n $pass ]] && acc+=";auth_pass=$pass"
	echo "$acc" >"$dir/accounts"
	: >"$dir/contacts"
	: >"$dir/baresip.log"
	local -a extra=()
	[[ -n $dial ]] && extra=(-e "/dial $dial")
	_lab_spawn "$dir" baresip "$dir/baresip.log" baresip -f "$dir" "${extra[@]}" || return 1
	if ! lab_wait_for "$LAB_TIMEOUT" _lab_baresip_ready "$dir" "$sport" "$cons"; then
		_lab_err "baresip did not come up on 127.0.0.1:$sport (console $cons)"
		_lab_tail "$dir/baresip.log"
		_lab_kill "$dir" baresip
		return 1
	fi
	if [[ -n $registrar ]] && ! lab_wait_for "$LAB_TIMEOUT" _lab_baresip_registered "$dir"; then
		_lab_err "baresip $user did not register to $registrar"
		_lab_tail "$dir/baresip.log"
		_lab_kill "$dir" baresip
		return 1
	fi
	return 0
}
_lab_baresip_ready() {
	_lab_alive "$1" baresip || return 2
	lab_port_listening "$2" udp baresip && lab_port_listening "$3" udp baresip
}
_lab_baresip_registered() {
	_lab_alive "$1" baresip || return 2
	grep -q '200 OK' "$1/baresip.log" && return 0
	# baresip logs only final failures ("reg: sip:U@H:P: 401 Unauthorized"): give up at once
	tr '\r' '\n' <"$1/baresip.log" | grep -qE 'reg: .*: [3-6][0-9][0-9] ' && return 2
	return 1
}

# lab_baresip_cmd DIR COMMAND: send a console command to the baresip in DIR over UDP, e.g.
# "/dial sip:1002@127.0.0.1:5060", "/hangup", "/accept". A newline is added. For DTMF use
# lab_baresip_dtmf (a bare digit starts an RFC 4733 event that never ends).
lab_baresip_cmd() {
	local cons
	cons=$(<"$1/cons_port") || return 1
	if ! _lab_alive "$1" baresip; then
		_lab_err "no baresip runs in $1"
		return 1
	fi
	printf '%s\n' "$2" >"/dev/udp/127.0.0.1/$cons"
}

# lab_baresip_dtmf DIR DIGITS [ON_MS] [GAP_MS]: press DIGITS (0-9 * # A-D) in the current call
# of the baresip in DIR: RFC 4733 events of ON_MS (default 160) every ON_MS+GAP_MS (default 340).
# A digit alone on the console starts an event that never ends: the release key (0x04) ends it.
lab_baresip_dtmf() {
	local dir=$1 digits=$2 on=${3:-160} gap=${4:-340} cons i
	cons=$(<"$dir/cons_port") || return 1
	if ! _lab_alive "$dir" baresip; then
		_lab_err "no baresip runs in $dir"
		return 1
	fi
	for ((i = 0; i < ${#digits}; i++)); do
		printf '%s' "${digits:i:1}" >"/dev/udp/127.0.0.1/$cons" || return 1
		sleep "$(awk -v m="$on" 'BEGIN { printf "%.3f", m / 1000 }')"
		printf '\004' >"/dev/udp/127.0.0.1/$cons" || return 1
		sleep "$(awk -v m="$gap" 'BEGIN { printf "%.3f", m / 1000 }')"
	done
}

# lab_baresip_recordings DIR [dec|enc]: the WAV files of DIR's calls, oldest first.
# dec = audio received from the peer, enc = audio sent to the peer.
lab_baresip_recordings() {
	local kind=${2:-dec}
	find "$1/rec" -maxdepth 1 -name "*-$kind.wav" -printf '%T@ %p\n' 2>/dev/null | sort -n | cut -d' ' -f2-
}

# lab_baresip_wait_log DIR REGEX [SECONDS]: wait until baresip's log matches (grep -E).
lab_baresip_wait_log() {
	lab_wait_for "${3:-$LAB_TIMEOUT}" grep -qE "$2" "$1/baresip.log"
}

# lab_baresip_stop DIR
lab_baresip_stop() { _lab_kill "$1" baresip; }

# ---------------------------------------------------------------------------------------------
# audio checks

# lab_tone_ratio FILE HZ: print the fraction (0..1) of 50 ms blocks of FILE in which HZ holds
# most of the block's energy (Goertzel). Silence and other frequencies count as misses.
lab_tone_ratio() {
	local f=$1 hz=$2
	[[ -s $f ]] || { echo 0; return 1; }
	sox -q "$f" -t raw -e signed-integer -b 16 -c 1 -r 8000 - 2>/dev/null |
		"$LAB_PYTHON" "$LAB_HOME/tone.py" "$hz"
}

# lab_has_tone FILE HZ [MIN_FRACTION] [MIN_SECONDS]: true when at least MIN_FRACTION
# (default 0.5) of the file's 50 ms blocks carry HZ, and the file lasts MIN_SECONDS (default 1).
lab_has_tone() {
	local f=$1 hz=$2 min=${3:-0.5} secs=${4:-1} ratio len
	len=$(soxi -D "$f" 2>/dev/null) || return 1
	awk -v l="$len" -v s="$secs" 'BEGIN { exit !(l >= s) }' || return 1
	ratio=$(lab_tone_ratio "$f" "$hz") || return 1
	awk -v r="$ratio" -v m="$min" 'BEGIN { exit !(r >= m) }'
}

# ---------------------------------------------------------------------------------------------
# command line

_lab_usage() {
	cat <<'EOF'
usage: tests/lab/lab.sh COMMAND ...
  free-port [COUNT]
  start-kamailio DIR [PORT] [--auth]      prints the port
  stop-kamailio DIR
  kamcmd DIR RPC [ARGS...]                e.g. ul.dump
  sipp-uas DIR [PORT] SCENARIO [ARGS...]  prints the port (SCENARIO: answer, busy, ...)
  sipp-stop DIR
  baresip-start DIR [PORT] [OPTIONS...]   prints the port (see lab_baresip_start)
  baresip-cmd DIR COMMAND                 e.g. "/dial sip:1001@127.0.0.1:5060", "/hangup"
  baresip-dtmf DIR DIGITS
  baresip-stop DIR
  cleanup DIR                             stop every peer below DIR
  tone-ratio FILE HZ
EOF
}

_lab_main() {
	local cmd=${1:-help} dir port
	shift || true
	case $cmd in
		free-port) lab_free_port "$@" ;;
		start-kamailio)
			dir=$1; port=0; local auth=''
			shift
			for a in "$@"; do
				case $a in --auth | auth) auth=auth ;; *) port=$a ;; esac
			done
			lab_kamailio_start "$dir" "$port" "$auth" && cat "$dir/port" ;;
		stop-kamailio) lab_kamailio_stop "$1" ;;
		kamcmd) lab_kamcmd "$@" ;;
		sipp-uas)
			dir=$1; shift; port=0
			[[ ${1:-} =~ ^[0-9]+$ ]] && { port=$1; shift; }
			lab_sipp_uas "$dir" "$port" "$@" && cat "$dir/port" ;;
		sipp-stop) lab_sipp_stop "$1" ;;
		baresip-start)
			dir=$1; shift; port=0
			[[ ${1:-} =~ ^[0-9]+$ ]] && { port=$1; shift; }
			lab_baresip_start "$dir" "$port" "$@" && cat "$dir/port" ;;
		baresip-cmd) lab_baresip_cmd "$@" ;;
		baresip-dtmf) lab_baresip_dtmf "$@" ;;
		baresip-stop) lab_baresip_stop "$1" ;;
		cleanup) lab_cleanup_all "$1" ;;
		tone-ratio) lab_tone_ratio "$@" ;;
		help | -h | --help) _lab_usage ;;
		*) _lab_usage >&2; return 2 ;;
	esac
}

# run as a command only when executed, not when sourced
if ! (return 0 2>/dev/null); then
	_lab_main "$@"
	exit $?
fi
