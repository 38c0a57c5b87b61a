#!/usr/bin/env bash
# Benchmark: N dashboard WebSocket clients receiving call events while Jarchi places calls; prints latency, CPU and RSS.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: bench/dashboard.sh [CLIENTS=500] [SECONDS=10] [CALLS_PER_S=50] [JARCHI_BINARY]
# Jarchi calls a SIPp UAS that answers 486 Busy through the lab's Kamailio, so every call makes a
# few `call` events and one `history` event for every client. Latency is measured from just
# before POST /api/calls to each client's receipt of that call's first event: an upper bound on
# emit→receipt that includes the HTTP request. All clients live in one Node process (Node's
# built-in WebSocket), which adds its own queueing at high counts. Bounded: SECONDS + at most ~2 min.
set -u
clients=${1:-500}
seconds=${2:-10}
rate=${3:-50}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${4:-${JARCHI_BINARY:-$root/build/src/jarchi}}
[[ -x $bin ]] || { echo "no jarchi binary at $bin (build first, or pass its path)" >&2; exit 1; }
command -v node >/dev/null || { echo "node is needed" >&2; exit 1; }

. "$root/tests/lab/lab.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/jarchi-bench-dashboard.XXXXXX")
lab_trap_cleanup "$work" --rm
ulimit -n 8192 2>/dev/null || true

kport=$(lab_free_port) || exit 1
lab_kamailio_start "$work/kam" "$kport" >&2 || exit 1
lab_sipp_uas "$work/busy" 0 busy >&2 || exit 1
lab_kamailio_add_contact "$work/kam" 1003 "sip:1003@127.0.0.1:$(lab_sipp_port "$work/busy")" >&2 || exit 1

token=$("$bin" --data-dir "$work/data" --print-token)
"$bin" --headless --data-dir "$work/data" --dashboard-port 0 >"$work/jarchi.log" 2>&1 &
jpid=$!
trap 'kill "$jpid" 2>/dev/null; wait "$jpid" 2>/dev/null; lab_cleanup_all "$work"; rm -rf "$work"' EXIT
lab_wait_for 20 grep -q '^dashboard: ' "$work/jarchi.log" || { echo "jarchi did not start" >&2; exit 1; }
url=$(sed -n 's|^dashboard: \(http://[^ ]*\)/$|\1|p' "$work/jarchi.log")

cat >"$work/bench.mjs" <<'JS'
import { readFileSync } from 'node:fs';
const [url, token, kport, clientsS, secondsS, rateS, pid] = process.argv.slice(2);
const clients = Number(clientsS), seconds = Number(secondsS), rate = Number(rateS);
const auth = { Authorization: 'Bearer ' + token };
const api = async (method, path, body) => {
  const r = await fetch(url + path, { method, headers: { ...auth, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
const cpu = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
const rss = () => { const s = readFileSync(`/proc/${pid}/status`, 'utf8'); return [/VmRSS:\s+(\d+)/, /VmHWM:\s+(\d+)/].map((r) => Number(s.match(r)[1]) / 1024); };
{
  const acc = await api('POST', '/api/accounts', { uri: `sip:bench@127.0.0.1:${kport}` });
  for (let i = 0; i < 100; i++) { if ((await api('GET', `/api/accounts/${acc.id}`)).registration === 'registered') break; await new Promise((r) => setTimeout(r, 100)); }
  const sent = new Map(), latencies = [], seen = [];  // sent: call id -> just before its POST
  let events = 0, closed = 0, open = 0;
  const sockets = [];
  await new Promise((resolve) => {
    for (let i = 0; i < clients; i++) {
      const ws = new WebSocket(url.replace('http', 'ws') + '/ws', { headers: auth });
      const mine = new Map();   // call id -> when this client first heard of it
      seen.push(mine);
      ws.onopen = () => { if (++open === clients) resolve(); };
      ws.onclose = () => { closed++; };
      ws.onerror = () => {};
      ws.onmessage = (e) => {
        const now = performance.now();
        events++;
        const m = JSON.parse(e.data);
        if (m.type === 'call' && !mine.has(m.call.id)) mine.set(m.call.id, now);
      };
      sockets.push(ws);
    }
    setTimeout(resolve, 60000);
  });
  console.log(`clients connected: ${open}/${clients}`);
  const cpu0 = cpu(), t0 = performance.now(), self0 = process.cpuUsage();
  let calls = 0, failures = 0;
  const reasons = new Set();
  const pending = [];
  const timer = setInterval(() => {
    const t = performance.now();
    pending.push(api('POST', '/api/calls', { to: '1003', account: acc.id }).then((c) => { sent.set(c.id, t); calls++; },
      (e) => { failures++; reasons.add(String(e.message).slice(0, 120)); }));
  }, 1000 / rate);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(timer);
  await Promise.all(pending);
  await new Promise((r) => setTimeout(r, 2000));
  const wall = (performance.now() - t0) / 1000, cpuUsed = cpu() - cpu0, [rssNow, rssPeak] = rss();
  for (const mine of seen) for (const [id, at] of mine) if (sent.has(id)) latencies.push(at - sent.get(id));
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1) : 'n/a';
  console.log(`calls placed: ${calls} (${failures} refused${reasons.size ? ': ' + [...reasons].join('; ') : ''}) in ${seconds} s`);
  console.log(`events delivered: ${events} (${(events / wall).toFixed(0)}/s over all clients, ${(events / wall / Math.max(1, open)).toFixed(1)}/s per client)`);
  console.log(`first-event latency over ${latencies.length} (call, client) pairs: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies.length ? latencies[latencies.length - 1].toFixed(1) : 'n/a'} ms`);
  console.log(`clients closed by the server (fell behind): ${closed}`);
  console.log(`jarchi CPU: ${(100 * cpuUsed / wall).toFixed(1)} % of a core; RSS ${rssNow.toFixed(1)} MiB (peak ${rssPeak.toFixed(1)} MiB)`);
  const self = process.cpuUsage(self0);
  console.log(`load client CPU: ${((self.user + self.system) / 1e4 / wall).toFixed(1)} % of a core (near 100 %: the client, not Jarchi, limits the figures)`);
  for (const ws of sockets) ws.close();
  process.exit(0);
}
JS
echo "jarchi $("$bin" --version 2>/dev/null | head -n 1), $clients clients, $seconds s, $rate calls/s, load $(cut -d' ' -f1 /proc/loadavg)"
timeout $((seconds + 100)) node --experimental-websocket --no-warnings "$work/bench.mjs" "$url" "$token" "$kport" "$clients" "$seconds" "$rate" "$jpid"
