#!/usr/bin/env bash
# Benchmark: N dashboard WebSocket clients receiving Jarchi's live call and campaign events; prints emit→receipt latency, events/s, CPU and RSS.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: bench/dashboard.sh [CLIENTS=500] [SECONDS=10] [EVENTS_PER_S=200] [BUILD_DIR=build]
# environment: JARCHI_BINARY (default BUILD_DIR/src/jarchi), WS_THREADS=1 (load client threads),
#              EVENTS_PER_CALL=3 (to turn EVENTS_PER_S into calls/s), CAMPAIGN_CPS=10, KEEP=1
#              (keep the lab directory and logs), PERF=FILE (perf record -e cpu-clock -g of
#              Jarchi over the window into FILE)
#
# The events are real ones: headless Jarchi places calls through its engine (POST /api/calls,
# paced by a keep-alive HTTP client) and runs a broadcast campaign, all through the lab's
# Kamailio to a SIPp UAS that answers every call 486 Busy. An API call makes two `call`
# events and one `history` event; the campaign makes `campaign` events (its stats, a few a second;
# its own calls make no `call` events). Calls/s = EVENTS_PER_S / EVENTS_PER_CALL.
# bench/ws-load (C, epoll) connects CLIENTS WebSockets the way the page does; then the calls
# start, and after 3 s of them, for SECONDS ws-load records, for every event at every client,
# the receipt time minus the event's "ts" (set when Jarchi hands the event to its clients). Printed: the events/s actually achieved, p50/p99/max
# latency, clients that failed or were closed, Jarchi's CPU and RSS over the window, the load
# client's CPU, and the load average. 127.0.0.1 only; bounded: about SECONDS + 2 minutes at most.
# On a machine busy with other work, run it as `nice -n -10 bench/dashboard.sh`.
set -uo pipefail
clients=${1:-500}
seconds=${2:-10}
rate=${3:-200}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${4:-$root/build}" && pwd) || exit 1
bin=${JARCHI_BINARY:-$build/src/jarchi}
per_call=${EVENTS_PER_CALL:-3}
campaign_cps=${CAMPAIGN_CPS:-10}
threads=${WS_THREADS:-1}
[[ -x $bin ]] || { echo "no jarchi binary at $bin (build first, or set JARCHI_BINARY)" >&2; exit 1; }
ninja -C "$build" bench/ws-load >/dev/null || { echo "could not build bench/ws-load" >&2; exit 1; }
load=$build/bench/ws-load
cps=$(awk -v r="$rate" -v e="$per_call" 'BEGIN { printf "%.2f", r / e }')

work=$(mktemp -d "${TMPDIR:-/tmp}/jarchi-bench-dashboard.XXXXXX")
# The test lab, with a Kamailio that sends every number starting with 9 to the busy SIPp (the
# tests' Kamailio only reaches registered users).
cp -r "$root/tests/lab" "$work/lab"
sed -i 's|^\t# Only users registered here.*|\tif ($rU =~ "^9[0-9]+$") { rewritehostport("127.0.0.1:@BUSY@"); route(RELAY); exit; }\n&|' \
	"$work/lab/kamailio.cfg"
# shellcheck source=../tests/lab/lab.sh
. "$work/lab/lab.sh"
jpid='' gpid='' lpid=''
cleanup() {
	[[ -n $gpid ]] && kill "$gpid" 2>/dev/null
	[[ -n $lpid ]] && kill "$lpid" 2>/dev/null
	[[ -n $jpid ]] && kill "$jpid" 2>/dev/null && wait "$jpid" 2>/dev/null
	lab_cleanup_all "$work"
	if [[ -n ${KEEP:-} ]]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 8192 2>/dev/null

lab_sipp_uas "$work/busy" 0 busy >&2 || exit 1
sed -i "s|@BUSY@|$(lab_sipp_port "$work/busy")|" "$work/lab/kamailio.cfg"
kport=$(lab_free_port) || exit 1
lab_kamailio_start "$work/kam" "$kport" >&2 || exit 1

token=$("$bin" --data-dir "$work/data" --print-token)
"$bin" --headless --data-dir "$work/data" --dashboard-port 0 >"$work/jarchi.log" 2>&1 &
jpid=$!
lab_wait_for 30 grep -q '^dashboard: ' "$work/jarchi.log" || { echo "jarchi did not start" >&2; tail "$work/jarchi.log" >&2; exit 1; }
url=$(sed -n 's|^dashboard: \(http://[^ ]*\)/$|\1|p' "$work/jarchi.log")
port=${url##*:}

api() {   # api METHOD PATH [JSON|@FILE]
	curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' ${3:+--data-binary "$3"} "$url$2"
}

# Enough targets for the connect phase and the window at the asked rate, every one answered 486.
targets=$(awk -v c="$campaign_cps" -v s="$seconds" 'BEGIN { printf "%d", c * (s + 120) + 10 }')
{ echo "name,phone,department"; for ((i = 0; i < targets; i++)); do echo "Bench $i,9$((100000 + i)),Bench"; done; } >"$work/targets.csv"
acc=$(api POST /api/accounts "{\"uri\": \"sip:bench@127.0.0.1:$kport\"}" | jq -r .id) || exit 1
lab_wait_for 20 sh -c "curl -s -H 'Authorization: Bearer $token' $url/api/accounts/$acc | grep -q '\"registration\":\"registered\"'" ||
	{ echo "account did not register" >&2; exit 1; }
api POST /api/contacts/import "@$work/targets.csv" | jq -c '{imported, rejected: (.rejected | length)}' >&2 || exit 1
dept=$(api GET /api/departments | jq -r '.items[] | select(.name == "Bench") | .id')
campaign=$(api POST /api/campaigns "{\"name\": \"dashboard bench\", \"account\": $acc,
	\"targets\": {\"departments\": [$dept]}, \"message\": {\"tts\": {\"text\": \"bench\", \"lang\": \"en\"}},
	\"max_concurrent\": 100, \"cps\": $campaign_cps, \"ring_timeout_s\": 5,
	\"retries\": {\"busy\": {\"count\": 0, \"delay_s\": 60}, \"no_answer\": {\"count\": 0, \"delay_s\": 60},
	\"failed\": {\"count\": 0, \"delay_s\": 60}, \"unconfirmed\": {\"count\": 0, \"delay_s\": 60}}}" | jq -r .id) || exit 1
api POST "/api/campaigns/$campaign/start" >/dev/null || exit 1

# The call stream: keep-alive connections, paced; on SIGTERM it says what it achieved.
cat >"$work/calls.py" <<'PY'
import http.client, json, signal, sys, threading, time
host, port, token, rate, acc = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
WORKERS = 8   # a request waits for the engine to take the call: several connections keep the pace
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
body = json.dumps({"to": "9000001", "account": acc})
lock = threading.Lock()
ok, failed, reasons, late = 0, 0, set(), 0
def worker(k):
    global ok, failed, late
    conn, next_at = None, time.monotonic() + k / rate
    while not stop.is_set():
        now = time.monotonic()
        if now < next_at:
            stop.wait(next_at - now)
            if stop.is_set():
                break
        elif now - next_at > 1:      # fell behind by a second: do not burst to catch up
            with lock:
                late += 1
            next_at = now
        next_at += WORKERS / rate
        try:
            conn = conn or http.client.HTTPConnection(host, port, timeout=10)
            conn.request("POST", "/api/calls", body, headers)
            r = conn.getresponse()
            r.read()
            with lock:
                if r.status in (200, 201):
                    ok += 1
                else:
                    failed += 1
                    reasons.add(str(r.status))
        except Exception as e:
            with lock:
                failed += 1
                reasons.add(str(e)[:80])
            conn = None
t0 = time.monotonic()
threads = [threading.Thread(target=worker, args=(k,)) for k in range(WORKERS)]
for t in threads:
    t.start()
stop.wait(600)
for t in threads:
    t.join()
wall = time.monotonic() - t0
print(f"API calls: {ok} placed at {ok / wall:.1f}/s over {wall:.0f} s ({WORKERS} connections), {failed} failed"
      f"{' (' + '; '.join(sorted(reasons)) + ')' if reasons else ''}{f', fell behind {late} times' if late else ''}")
PY

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
echo "jarchi $("$bin" --version 2>/dev/null | head -n 1): $clients clients ($threads load thread(s)), $seconds s window," \
	"$cps API calls/s + a campaign at $campaign_cps calls/s (asked $rate events/s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# Clients first, then the call stream, which settles for 3 s before the window.
"$load" --port "$port" --token "$token" --clients "$clients" --seconds "$seconds" --threads "$threads" \
	--connect-timeout 60 --connected "$work/connected" --warmup 3 --ready "$work/ready" \
	>"$work/ws-load.out" 2>"$work/ws-load.err" &
lpid=$!
lab_wait_for 70 test -e "$work/connected" || { echo "ws-load did not connect" >&2; cat "$work/ws-load.err" >&2; exit 1; }
"$LAB_PYTHON" "$work/calls.py" 127.0.0.1 "$port" "$token" "$cps" "$acc" >"$work/calls.out" 2>&1 &
gpid=$!
lab_wait_for 20 test -e "$work/ready" || { echo "ws-load did not start its window" >&2; cat "$work/ws-load.err" >&2; exit 1; }
j0=$(ticks "$jpid") t0=$(date +%s.%N) load0=$(cut -d' ' -f1 /proc/loadavg)
if [[ -n ${PERF:-} ]]; then
	perf record -q -e cpu-clock -F 999 -g -p "$jpid" -o "$PERF" -- sleep "$seconds" >/dev/null 2>&1
else
	sleep "$seconds"
fi
j1=$(ticks "$jpid") t1=$(date +%s.%N) load1=$(cut -d' ' -f1 /proc/loadavg)
rss=$(awk '/VmRSS/ { r = $2 } /VmHWM/ { h = $2 } END { printf "%.1f MiB (peak %.1f MiB)", r / 1024, h / 1024 }' "/proc/$jpid/status")
timeout 30 tail --pid="$lpid" -f /dev/null
wait "$lpid"
kill -TERM "$gpid" 2>/dev/null
wait "$gpid"
sed 's/^/  /' "$work/calls.out"
sed 's/^/  /' "$work/ws-load.err"
grep -v '^RESULT' "$work/ws-load.out" | sed 's/^/  /'
result=$(grep '^RESULT' "$work/ws-load.out")
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
echo "achieved: $(kv events_per_client_s) events/s per client (call $(kv call), campaign $(kv campaign)," \
	"history $(kv history) in the window over all clients)"
echo "latency emit->receipt: p50 $(kv p50_ms) ms, p99 $(kv p99_ms) ms, max $(kv max_ms) ms" \
	"(target p99 < 50 ms with 500 clients)"
echo "jarchi CPU: $(awk -v a="$j0" -v b="$j1" -v s="$t0" -v e="$t1" -v hz="$hz" \
	'BEGIN { printf "%.1f", 100 * (b - a) / hz / (e - s) }') % of a core" \
	"($(awk -v a="$j0" -v b="$j1" -v hz="$hz" -v n="$(kv events)" \
	'BEGIN { printf "%.1f", n ? 1e6 * (b - a) / hz / n : 0 }') µs per event delivered to a client); RSS $rss"
echo "load client CPU: $(kv cpu_pct) % of a core; load average $load0 at the start of the window, $load1 at its end"
api POST "/api/campaigns/$campaign/cancel" >/dev/null 2>&1
exit 0
