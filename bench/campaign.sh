#!/usr/bin/env bash
# Campaign media benchmark: Jarchi's broadcast dialer, then SIPp with pcap media, through Kamailio to SIPp answerers; RTP measured at a kernel-timestamping sink. By hand, 127.0.0.1 only.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: bench/campaign.sh [BUILD_DIR]          (default: build; needs root for SIPp's pcap play)
# environment:
#   RUNS="200:50 500:100 1000:200"   max-concurrent:calls-per-second of each campaign run
#   TARGETS=2000 MESSAGE_S=20        calls per run, message length
#   CONFIRM_EVERY=10 CONFIRM_MS=5000 every Nth callee presses 1 (SIP INFO) after that long
#   CPS_RUNS="1000:200"              extra runs with a 2 s message: the sustained call rate
#   SIPP=1                           0 skips the SIPp reference runs
#   KEEP=1                           keep the lab directory (logs) in /tmp
#   WRAP="perf record -e cpu-clock -g -o /tmp/c.perf"   a command campaign-bench runs under
#                                    (a profiler; valgrind --tool=callgrind for instruction counts)
# A run of TARGETS calls at C concurrent takes about TARGETS / C * MESSAGE_S seconds (twice
# with SIPp): the defaults take about 15 minutes.  On a machine busy with other work, run it
# as `nice -n -10 bench/campaign.sh` so that every process of the benchmark (Jarchi, SIPp,
# Kamailio, the sink alike) is shielded from it; the load average is printed with each run.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(cd "${1:-$root/build}" && pwd) || exit 1
RUNS=${RUNS:-200:50 500:100 1000:200}
CPS_RUNS=${CPS_RUNS-1000:200}
TARGETS=${TARGETS:-2000}
MESSAGE_S=${MESSAGE_S:-20}
CONFIRM_EVERY=${CONFIRM_EVERY:-10}
CONFIRM_MS=${CONFIRM_MS:-5000}
SIPP=${SIPP:-1}

ninja -C "$build" bench/campaign-bench bench/rtp-sink >/dev/null || exit 1
LAB=$(mktemp -d /tmp/jarchi-bench.XXXXXX)
# The test lab, with a Kamailio sized for hundreds of calls a second: more workers, a bigger
# receive buffer and more shared memory than the tests need.
cp -r "$root/tests/lab" "$LAB/lab"
sed -i -e 's/^children=.*/children=8/' -e '/^children=/a maxbuffer=4194304' "$LAB/lab/kamailio.cfg"
sed -i -e 's/-m 32 -M 4/-m 256 -M 8/' "$LAB/lab/lab.sh"
# shellcheck source=../tests/lab/lab.sh
. "$LAB/lab/lab.sh"
if [[ -n ${KEEP:-} ]]; then lab_trap_cleanup "$LAB"; else lab_trap_cleanup "$LAB" --rm; fi
LAB_TIMEOUT=20
py=$LAB_PYTHON
report="$here/campaign-report.py"
results="$LAB/results.txt"
: >"$results"

# SIPp at a thousand calls: descriptors and threads.
ulimit -n "$(ulimit -Hn)" 2>/dev/null
if [[ $SIPP == 1 && $(id -u) != 0 ]]; then
	echo "SIPp's play_pcap_audio needs root: SIPP=0" >&2
	SIPP=0
fi

echo "== set-up: Kamailio (digest auth) and SIPp answerers on 127.0.0.1"
kport=$(lab_free_port)
lab_kamailio_start "$LAB/kam" "$kport" auth || exit 1
sink_port=$(lab_free_port 2)
for role in answer confirm; do
	mkdir -p "$LAB/$role"
	port=$(lab_free_port)
	sed -e "s/@SINK_PORT@/$sink_port/g" -e "s/@CONFIRM_MS@/$CONFIRM_MS/g" \
		"$here/scenarios/$role.xml" >"$LAB/$role/scenario.xml"
	_lab_spawn "$LAB/$role" sipp "$LAB/$role/sipp.log" sipp -sf "$LAB/$role/scenario.xml" \
		-i 127.0.0.1 -p "$port" -nostdin -cp "$(lab_free_port)" -max_socket 10000 || exit 1
	lab_wait_for 10 lab_port_listening "$port" udp sipp || { _lab_tail "$LAB/$role/sipp.log"; exit 1; }
	user=ans
	[[ $role == confirm ]] && user=conf
	lab_kamailio_add_contact "$LAB/kam" "$user" "sip:$user@127.0.0.1:$port" || exit 1
done
# The reference's media: a MESSAGE_S s PCMU tone as an RTP pcap.
sox -q -n -r 8000 -c 1 -t ul "$LAB/tone.ul" synth 1 sine 1000 vol 0.5
"$py" "$LAB/lab/rtp_pcap.py" "" "$LAB/message.pcap" "$LAB/tone.ul" "$((MESSAGE_S * 1000))" 0
sed "s|@PCAP@|$LAB/message.pcap|" "$here/scenarios/uac-pcap.xml" >"$LAB/uac.xml"

start_sink() {
	rm -f "$LAB/sink.json"
	_lab_spawn "$LAB" sink "$LAB/sink.log" "$build/bench/rtp-sink" "$sink_port" "$LAB/sink.json" || exit 1
	lab_wait_for 5 grep -q ready "$LAB/sink.log" || { _lab_tail "$LAB/sink.log"; exit 1; }
}
stop_sink() {
	_lab_kill "$LAB" sink
	lab_wait_for 5 test -s "$LAB/sink.json" || echo "(no sink summary)" >&2
}

jarchi_run() {
	local max=$1 cps=$2 secs=$3 tag=$4 out="$LAB/jarchi-$4.txt" load
	load=$(cut -d' ' -f1 /proc/loadavg)
	echo
	echo "== Jarchi ($tag): $TARGETS targets, max $max concurrent, $cps calls/s, ${secs} s message" \
		"(load average $(cut -d' ' -f1-3 /proc/loadavg))"
	start_sink
	${WRAP:-} "$build/bench/campaign-bench" --kamailio-port "$kport" --password "$LAB_PASSWORD" \
		--targets "$TARGETS" --max-concurrent "$max" --cps "$cps" --message-s "$secs" \
		--confirm-every "$CONFIRM_EVERY" >"$out" 2>"$LAB/jarchi-$tag.err" ||
		{ echo "campaign-bench failed:" >&2; tail -n 20 "$LAB/jarchi-$tag.err" >&2; }
	stop_sink
	"$py" "$report" sink "$LAB/sink.json" >>"$out"
	grep -v '^RESULT' "$out"
	echo "jarchi $tag load=$load $(grep '^RESULT' "$out" | sed 's/^RESULT //' | tr '\n' ' ')" >>"$results"
}

sipp_run() {
	local max=$1 cps=$2 tag=$3 dir="$LAB/uac-$3" pgid pid
	echo
	echo "== SIPp ($tag): $TARGETS calls, max $max concurrent, $cps calls/s, ${MESSAGE_S} s pcap" \
		"(load average $(cut -d' ' -f1-3 /proc/loadavg))"
	mkdir -p "$dir"
	start_sink
	_lab_spawn "$dir" sipp "$dir/sipp.log" sipp -sf "$LAB/uac.xml" "127.0.0.1:$kport" -s ans \
		-i 127.0.0.1 -p "$(lab_free_port)" -mi 127.0.0.1 -mp "$(lab_free_port 4)" \
		-cp "$(lab_free_port)" -nostdin -key caller bench -au bench -ap "$LAB_PASSWORD" \
		-l "$max" -r "$cps" -m "$TARGETS" -d "$((MESSAGE_S * 1000))" -max_socket 10000 \
		-recv_timeout 60000 \
		-trace_stat -stf "$dir/stat.csv" -fd 1 -trace_logs -log_file "$dir/played.log" || exit 1
	pgid=$(<"$dir/sipp.pgid")
	lab_wait_for 5 pgrep -g "$pgid" -x sipp >/dev/null || { _lab_tail "$dir/sipp.log"; return 1; }
	pid=$(pgrep -g "$pgid" -x sipp | head -n 1)
	"$py" "$report" sample "$pid" "$dir/samples.json"
	lab_wait_for 10 test -s "$dir/sipp.rc"
	stop_sink
	"$py" "$report" sipp "$dir/stat.csv" "$dir/samples.json" "$LAB/sink.json" "$((MESSAGE_S * 50))" \
		"$dir/played.log" \
		>"$dir/report.txt"
	grep -v '^RESULT' "$dir/report.txt"
	echo "sipp $tag $(grep '^RESULT' "$dir/report.txt" | sed 's/^RESULT //')" >>"$results"
}

for run in $RUNS; do
	max=${run%%:*} cps=${run##*:}
	jarchi_run "$max" "$cps" "$MESSAGE_S" "$max-$cps"
	[[ $SIPP == 1 ]] && sipp_run "$max" "$cps" "$max-$cps"
done
for run in $CPS_RUNS; do
	max=${run%%:*} cps=${run##*:}
	jarchi_run "$max" "$cps" 2 "rate-$max-$cps"
done

echo
echo "== summary (CPU % of one core per call in progress, as SIPp counts them; KB of RSS growth per"
echo "   call in progress at the peak; 'up' = answered at once, 'prog' = in progress at once;"
echo "   jitter = RFC 3550 |D| per stream from kernel receive times; load = 1-min average at the start)"
"$py" - "$results" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def kv(r): return dict(x.split("=", 1) for x in r[2:])
sipp = {r[1]: kv(r) for r in rows if r[0] == "sipp"}
print("%-16s %5s %5s %8s %10s %10s %6s %8s %8s %8s %9s %6s" % ("run", "up", "prog", "calls/s",
      "CPU%/call", "SIPp", "ratio", "KB/call", "SIPp KB", "lost", "p99 ms", "load"))
for r in rows:
    if r[0] != "jarchi":
        continue
    j = kv(r); s = sipp.get(r[1])
    ratio = "%.2f" % (float(j["run_cpu_per_call_pct"]) / float(s["run_cpu_per_call_pct"])) if s else "-"
    print("%-16s %5s %5s %8s %10s %10s %6s %8s %8s %8s %9s %6s" % (
        r[1], j["max_up"], j["max_in_progress"], j["ramp_cps"], j["run_cpu_per_call_pct"],
        s["run_cpu_per_call_pct"] if s else "-", ratio, j["kb_per_call"],
        s["kb_per_call"] if s else "-", j["rtp_lost"], j["jitter_p99_ms"], j["load"]))
EOF
