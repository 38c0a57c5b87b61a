#!/usr/bin/env bash
# Call engine benchmark: headless Jarchi registers accounts and places sequential calls and then N concurrent calls (N swept) through Kamailio to a SIPp UAS, each playing a file, with RTP loss and send jitter at a kernel-timestamping sink; SIPp sending RTP at the same loads as the reference; then the GUI's idle RSS beside GNOME Calls. By hand, 127.0.0.1 only.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: bench/calls.sh [BUILD_DIR]              (default: build)
# environment (the defaults take about 4 minutes on an idle 2-core machine):
#   ACCOUNTS=20        accounts registered through /api/accounts to Kamailio (digest auth); the
#                      calls are spread over them
#   SEQ_CALLS=10       calls one after another, each held SEQ_HOLD_MS (default 1000)
#   SIZES="10 50 100 200"
#                      the concurrent runs: N calls asked for at once (8 API clients), all held
#                      until CONC_HOLD_S (default 8) after the last one answered; CPU, RSS and
#                      threads are read over the middle CPU_WINDOW_S (default 4) of that
#   GUI=1              0 skips the idle RSS of the two GUIs (Xvfb; gnome-calls must be installed)
#   KEEP=1             keep the lab directory (logs) in /tmp
# Every call goes through Kamailio (digest auth on the INVITE) to one SIPp UAS, which answers
# at once (PCMU) with an SDP that sends the caller's audio to the RTP sink (bench/rtp-sink.c):
# per stream packets lost (sequence gaps) and the RFC 3550 transit difference |D| from kernel
# receive times, whose p99 over all streams is the "send jitter".  Jarchi plays a WAV (a 1 kHz
# tone, the hold time long) into each call (POST /api/calls "play"), then silence; the SIPp
# reference sends the same tone (rtp_stream, a socket per call) with the same hold.  Set-up time:
# Jarchi from sending POST /api/calls to the API showing "active" (polled); SIPp from its first
# INVITE to the 200 (response time, -trace_rtt, millisecond ticks), both with the 407 round.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(cd "${1:-$root/build}" && pwd) || exit 1
ACCOUNTS=${ACCOUNTS:-20}
SEQ_CALLS=${SEQ_CALLS:-10}
SEQ_HOLD_MS=${SEQ_HOLD_MS:-1000}
SIZES=${SIZES:-10 50 100 200}
CONC_HOLD_S=${CONC_HOLD_S:-8}
CPU_WINDOW_S=${CPU_WINDOW_S:-4}
GUI=${GUI:-1}
jarchi=$build/src/jarchi
[[ -x $jarchi ]] || { echo "no $jarchi: build first" >&2; exit 1; }
ninja -C "$build" bench/rtp-sink >/dev/null || exit 1
max_n=0
for n in $SIZES; do
	[[ $n =~ ^[0-9]+$ ]] && ((n > 0)) || { echo "SIZES: positive counts only" >&2; exit 1; }
	((n > max_n)) && max_n=$n
done
((ACCOUNTS >= 1 && ACCOUNTS <= 200 && SEQ_CALLS <= 200 && max_n <= 500)) ||
	{ echo "counts too large" >&2; exit 1; }
((CONC_HOLD_S > CPU_WINDOW_S)) || { echo "CONC_HOLD_S must exceed CPU_WINDOW_S" >&2; exit 1; }

LAB=$(mktemp -d /tmp/jarchi-calls-bench.XXXXXX)
# The test lab, with a Kamailio sized for hundreds of calls: more workers and memory.
cp -r "$root/tests/lab" "$LAB/lab"
sed -i -e 's/^children=.*/children=8/' -e '/^children=/a maxbuffer=4194304' "$LAB/lab/kamailio.cfg"
sed -i -e 's/-m 32 -M 4/-m 256 -M 8/' "$LAB/lab/lab.sh"
# shellcheck source=../tests/lab/lab.sh
. "$LAB/lab/lab.sh"
if [[ -n ${KEEP:-} ]]; then lab_trap_cleanup "$LAB"; else lab_trap_cleanup "$LAB" --rm; fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null
echo "== set-up: Kamailio (digest auth), a SIPp UAS and the RTP sink on 127.0.0.1" >&2
kport=$(lab_free_port)
lab_kamailio_start "$LAB/kam" "$kport" auth >/dev/null || exit 1
sink_port=$(lab_free_port 2)
mkdir -p "$LAB/uas"
uport=$(lab_free_port)
sed "s/@SINK_PORT@/$sink_port/g" "$here/scenarios/answer.xml" >"$LAB/uas/scenario.xml"
_lab_spawn "$LAB/uas" sipp "$LAB/uas/sipp.log" sipp -sf "$LAB/uas/scenario.xml" \
	-i 127.0.0.1 -p "$uport" -nostdin -cp "$(lab_free_port)" -max_socket 10000 || exit 1
lab_wait_for 10 lab_port_listening "$uport" udp sipp || { _lab_tail "$LAB/uas/sipp.log"; exit 1; }
lab_kamailio_add_contact "$LAB/kam" ans "sip:ans@127.0.0.1:$uport" || exit 1
# The media: a 1 kHz tone, as a WAV as long as the longest call for Jarchi, raw PCMU (looped)
# for SIPp.
sox -q -n -r 8000 -c 1 -t ul "$LAB/tone.ul" synth 1 sine 1000 vol 0.5 || exit 1
sox -q -n -r 8000 -c 1 -b 16 "$LAB/tone.wav" synth $((CONC_HOLD_S + 40)) sine 1000 vol 0.5 || exit 1
sed "s|@TONE@|$LAB/tone.ul|" "$here/scenarios/calls-uac.xml" >"$LAB/uac.xml"

export LAB KPORT=$kport JARCHI=$jarchi PASSWORD=$LAB_PASSWORD ACCOUNTS SEQ_CALLS SEQ_HOLD_MS \
	SIZES CONC_HOLD_S CPU_WINDOW_S GUI SINK=$build/bench/rtp-sink SINK_PORT=$sink_port
"$LAB_PYTHON" - <<'EOF'
import concurrent.futures as cf
import json, os, shutil, signal, statistics, subprocess, sys, time
import urllib.error
import urllib.request

E = os.environ
LAB, JARCHI = E["LAB"], E["JARCHI"]
KPORT = int(E["KPORT"])
N_ACC, N_SEQ = int(E["ACCOUNTS"]), int(E["SEQ_CALLS"])
SIZES = [int(n) for n in E["SIZES"].split()]
SEQ_HOLD, HOLD = int(E["SEQ_HOLD_MS"]) / 1000, float(E["CONC_HOLD_S"])
WINDOW = float(E["CPU_WINDOW_S"])
TICK = os.sysconf("SC_CLK_TCK")
PASSWORD = E["PASSWORD"]
rows = []          # (what, tool, figure, value)
sweep = []         # (N, tool, dict of figures)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def proc_cpu(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK


def thread_cpu(pid, tid):
    f = open("/proc/%d/task/%d/stat" % (pid, tid)).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK


def proc_status(pid, key):
    for line in open("/proc/%d/status" % pid):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")


def times_text(times):
    ms = [t * 1000 for t in times]
    return "%.0f / %.0f / %.0f" % (statistics.median(ms), pct(ms, 95), max(ms)) if ms else "-"


def cpu_window(pid, seconds):
    """CPU % of one core used by PID over SECONDS."""
    a = proc_cpu(pid)
    t = time.monotonic()
    time.sleep(seconds)
    return 100 * (proc_cpu(pid) - a) / (time.monotonic() - t)


class Sink:
    """bench/rtp-sink for one run: loss and send jitter of every stream it receives."""

    running = set()

    def __init__(self, name):
        Sink.running.add(self)
        self.out = os.path.join(LAB, "sink-%s.json" % name)
        self.p = subprocess.Popen([E["SINK"], E["SINK_PORT"], self.out], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        if self.p.stdout.readline().strip() != "ready":
            raise SystemExit("rtp-sink did not start")

    def stop(self):
        Sink.running.discard(self)
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(10)
        try:
            return json.load(open(self.out))
        except (OSError, ValueError):
            return {}


def rtp_text(s):
    if not s or not s.get("streams"):
        return "no RTP", "-"
    return ("%d of %d (%d streams)" % (s["lost"], s["expected"], s["streams"]),
            "%.2f" % s["jitter_p99_ms"])


# ---- Jarchi, headless ---------------------------------------------------------------------
data = os.path.join(LAB, "jarchi-data")
os.makedirs(os.path.join(data, "sounds"), mode=0o700)
shutil.copy(os.path.join(LAB, "tone.wav"), os.path.join(data, "sounds", "tone.wav"))
env = dict(E, JARCHI_AUDIOSRC="audiotestsrc wave=silence is-live=true samplesperbuffer=160",
           JARCHI_AUDIOSINK="fakesink sync=false", HOME=os.path.join(LAB, "home"))
env.pop("JARCHI_DASHBOARD_TOKEN", None)
j = subprocess.Popen([JARCHI, "--headless", "--data-dir", data, "--dashboard-port", "0",
                      "--sip-port", "0"], stdout=subprocess.PIPE,
                     stderr=open(os.path.join(LAB, "jarchi.log"), "w"), env=env, text=True)
try:
    url = j.stdout.readline().strip().split("dashboard: ", 1)[1].rstrip("/")
    token = subprocess.run([JARCHI, "--print-token", "--data-dir", data], capture_output=True, text=True,
                           env=env, check=True).stdout.strip()

    def api(method, path, body=None, timeout=30):
        req = urllib.request.Request(url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read()
            return json.loads(text) if text else None

    time.sleep(1)
    rows.append(("idle, headless", "Jarchi", "RSS MiB / threads",
                 "%.1f / %d" % (proc_status(j.pid, "VmRSS") / 1024, proc_status(j.pid, "Threads"))))

    log("== Jarchi: %d accounts" % N_ACC)
    t0 = time.monotonic()
    accounts = [api("POST", "/api/accounts", {"uri": "sip:bench%03d@127.0.0.1:%d" % (i, KPORT),
                                              "password": PASSWORD})["id"] for i in range(N_ACC)]
    registered = 0
    while time.monotonic() - t0 < 30:
        items = api("GET", "/api/accounts")["items"]
        registered = sum(1 for a in items if a["registration"] == "registered")
        if registered == N_ACC:
            break
        time.sleep(0.02)
    rows.append(("%d accounts" % N_ACC, "Jarchi", "all registered after s (registered)",
                 "%.2f (%d)" % (time.monotonic() - t0, registered)))

    posts = []

    def dial(i):
        t = time.monotonic()
        cid = api("POST", "/api/calls", {"to": "sip:ans@127.0.0.1:%d" % KPORT,
                                         "account": accounts[i % len(accounts)],
                                         "play": "sounds/tone.wav"})["id"]
        posts.append(time.monotonic() - t)
        return cid, t

    def wait_state(cid, states, step, limit=20):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            c = api("GET", "/api/calls/%d" % cid)
            if c["state"] in states:
                return c["state"], time.monotonic()
            time.sleep(step)
        return None, time.monotonic()

    hangup_by = [float("inf")]    # the hang-ups of a run give up after 30 s (the sweep stays bounded)

    def hangup(cid):
        if time.monotonic() > hangup_by[0]:
            return 1
        try:
            api("POST", "/api/calls/%d/hangup" % cid, timeout=15)
            return 0
        except urllib.error.HTTPError:   # 409: it ended already
            return 1
        except OSError as e:             # an overloaded machine: counted, not fatal
            log("hangup of call %d: %s" % (cid, e))
            return 1

    def wait_idle(limit):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                if api("GET", "/api/calls/active", timeout=10)["total"] == 0:
                    return
            except OSError:
                pass
            time.sleep(0.1)

    log("== Jarchi: %d sequential calls (load average %s)" % (N_SEQ, loadavg()))
    setups, failed = [], 0
    c0, t0 = proc_cpu(j.pid), time.monotonic()
    for i in range(N_SEQ):
        cid, t = dial(i)
        state, t_ans = wait_state(cid, ("active", "ended"), 0.002)
        if state != "active":
            log("sequential call %d: %s after 20 s" % (cid, api("GET", "/api/calls/%d" % cid)["state"]))
            failed += 1
            hangup(cid)
            continue
        setups.append(t_ans - t)
        time.sleep(SEQ_HOLD)
        hangup(cid)
        wait_state(cid, ("ended",), 0.005)
    rows.append(("%d sequential calls" % N_SEQ, "Jarchi", "set-up ms median / p95 / max", times_text(setups)))
    rows.append(("%d sequential calls" % N_SEQ, "Jarchi", "CPU s total / wall s / failed",
                 "%.2f / %.1f / %d" % (proc_cpu(j.pid) - c0, time.monotonic() - t0, failed)))

    def jarchi_run(n):
        log("== Jarchi: %d concurrent calls (load average %s)" % (n, loadavg()))
        del posts[:]
        started, errors = {}, []

        def try_dial(i):
            if time.monotonic() > dial_by:   # a starved Jarchi: the run stays bounded
                errors.append("not dialled: the run's 60 s for its requests were over")
                return None, None
            try:
                return dial(i)
            except (OSError, urllib.error.URLError) as e:
                errors.append(str(e))
                return None, None

        sink = Sink("jarchi-%d" % n)
        t_begin, main0 = time.monotonic(), thread_cpu(j.pid, j.pid)
        dial_by = t_begin + 60
        # Eight clients at a time, as a dashboard and a few scripts might be.
        with cf.ThreadPoolExecutor(max_workers=min(n, 8)) as ex:
            for cid, t in ex.map(try_dial, range(n)):
                if cid is not None:
                    started[cid] = t
        if errors:
            log("POST /api/calls failed %d times: %s" % (len(errors), errors[-1]))
        answered, ended = {}, set()
        end = time.monotonic() + 30 + n / 10
        while len(answered) + len(ended) < len(started) and time.monotonic() < end:
            items = api("GET", "/api/calls/active")["items"]
            live = set()
            for c in items:
                live.add(c["id"])
                if c["state"] == "active" and c["id"] in started and c["id"] not in answered:
                    answered[c["id"]] = time.monotonic()
            ended = {c for c in started if c not in live and c not in answered}
            time.sleep(0.005 if n <= 50 else 0.02)
        t_all, main1 = time.monotonic(), thread_cpu(j.pid, j.pid)
        time.sleep(max(0, (HOLD - WINDOW) / 2))
        up = api("GET", "/api/calls/active")["total"]
        cpu = cpu_window(j.pid, WINDOW)
        rss, threads = proc_status(j.pid, "VmRSS") / 1024, proc_status(j.pid, "Threads")
        time.sleep(max(0, HOLD - (time.monotonic() - t_all)))
        hangup_by[0] = time.monotonic() + 30
        with cf.ThreadPoolExecutor(max_workers=8) as ex:
            gone = sum(ex.map(hangup, list(started)))
        wait_idle(20)
        time.sleep(0.5)
        rtp = sink.stop()
        f = {"up": up, "asked": n, "answered": len(answered), "failed": n - len(answered),
             "setup": times_text([answered[c] - started[c] for c in answered]),
             "post": "%.0f / %.0f" % (statistics.median(posts) * 1000, max(posts) * 1000) if posts else "-",
             "cpu": cpu, "rss": rss, "threads": threads, "rtp": rtp, "gone": gone,
             "ramp": t_all - t_begin, "main": (main1 - main0) * 1000 / n, "load": loadavg()}
        sweep.append((n, "Jarchi", f))

    for n in SIZES:
        try:
            jarchi_run(n)
        except OSError as e:
            # An API request that timed out (the main thread starved): the run is reported as
            # such and the sweep goes on, bounded in time.
            log("Jarchi, %d calls: %s" % (n, e))
            sweep.append((n, "Jarchi", {"up": "-", "asked": n, "setup": "API timed out", "post": "-",
                                        "main": None, "cpu": float("nan"), "rss": float("nan"), "threads": "-",
                                        "rtp": {}, "load": loadavg(), "failed": n}))
            hangup_by[0] = time.monotonic() + 30
            with cf.ThreadPoolExecutor(max_workers=8) as ex:
                ex.map(hangup, [c["id"] for c in api("GET", "/api/calls/active", timeout=30)["items"]])
            wait_idle(20)
            for p in list(Sink.running):
                p.stop()
    time.sleep(1)
    rows.append(("after the calls", "Jarchi", "RSS MiB / peak RSS MiB",
                 "%.1f / %.1f" % (proc_status(j.pid, "VmRSS") / 1024, proc_status(j.pid, "VmHWM") / 1024)))
finally:
    j.send_signal(signal.SIGTERM)
    try:
        j.wait(20)
    except subprocess.TimeoutExpired:
        j.kill()
        j.wait()


# ---- the reference: SIPp UAC through the same proxy to the same UAS ----------------------------
def free_port(count=1):
    return subprocess.run(["bash", "-c", '. "$LAB/lab/lab.sh" && lab_free_port %d' % count],
                          capture_output=True, text=True, check=True).stdout.strip()


def sipp(name, calls, limit, rate, hold_ms):
    d = os.path.join(LAB, name)
    os.makedirs(d)
    args = ["sipp", "-sf", os.path.join(LAB, "uac.xml"), "127.0.0.1:%d" % KPORT, "-s", "ans",
            "-i", "127.0.0.1", "-p", free_port(), "-mi", "127.0.0.1", "-mp", free_port(4),
            "-cp", free_port(), "-nostdin", "-key", "caller", "bench", "-au", "bench", "-ap", PASSWORD,
            "-m", str(calls), "-l", str(limit), "-r", str(rate), "-d", str(hold_ms),
            "-trace_rtt", "-rtt_freq", "1", "-trace_err", "-error_file", os.path.join(d, "errors.log"),
            "-max_socket", "10000", "-recv_timeout", "60000"]
    return subprocess.Popen(args, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), time.monotonic()


def sipp_times(name):
    d = os.path.join(LAB, name)
    times = []
    for f in os.listdir(d):
        if f.endswith("_rtt.csv"):
            for line in open(os.path.join(d, f)).read().splitlines()[1:]:
                parts = line.split(";")
                if len(parts) >= 2 and parts[1].strip():
                    times.append(float(parts[1]) / 1000)
    return times


log("== SIPp: %d sequential calls" % N_SEQ)
p, t0 = sipp("ref-seq", N_SEQ, 1, 100, int(SEQ_HOLD * 1000))
last = 0.0
while p.poll() is None:
    try:
        last = proc_cpu(p.pid)
    except OSError:
        break
    time.sleep(0.05)
rows.append(("%d sequential calls" % N_SEQ, "SIPp", "set-up ms median / p95 / max", times_text(sipp_times("ref-seq"))))
rows.append(("%d sequential calls" % N_SEQ, "SIPp", "CPU s total / wall s / exit status",
             "%.2f / %.1f / %d" % (last, time.monotonic() - t0, p.returncode)))

for n in SIZES:
    log("== SIPp: %d concurrent calls (load average %s)" % (n, loadavg()))
    sink = Sink("sipp-%d" % n)
    # All asked for within the first second, as Jarchi's are; held as long as Jarchi's once up.
    p, t0 = sipp("ref-%d" % n, n, n, max(n, 10), int(HOLD * 1000))
    time.sleep(1 + (HOLD - WINDOW) / 2)
    cpu = cpu_window(p.pid, WINDOW)
    rss, threads = proc_status(p.pid, "VmRSS") / 1024, proc_status(p.pid, "Threads")
    try:
        p.wait(HOLD + 60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    time.sleep(0.5)
    rtp = sink.stop()
    sweep.append((n, "SIPp", {"up": n, "asked": n, "answered": "-", "failed": "exit %d" % p.returncode,
                              "setup": times_text(sipp_times("ref-%d" % n)), "post": "-", "cpu": cpu,
                              "rss": rss, "threads": threads, "rtp": rtp,
                              "gone": 0, "ramp": 0, "main": None, "load": loadavg()}))


# ---- idle GUIs ------------------------------------------------------------------------------
def gui_rss(name, argv, extra_env):
    d = os.path.join(LAB, "gui-" + name)
    os.makedirs(os.path.join(d, "home"), exist_ok=True)
    pidfile = os.path.join(d, "pid")
    genv = dict(E, HOME=os.path.join(d, "home"), XDG_CONFIG_HOME=os.path.join(d, "home/.config"),
                XDG_DATA_HOME=os.path.join(d, "home/.local/share"), XDG_CACHE_HOME=os.path.join(d, "home/.cache"),
                GSK_RENDERER="cairo", NO_AT_BRIDGE="1", **extra_env)
    inner = 'set -m; "$@" & echo $! > %s; wait' % pidfile
    x = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--",
                          "bash", "-c", inner, "gui"] + argv, cwd=d, env=genv,
                         stdout=open(os.path.join(d, "out.log"), "w"), stderr=subprocess.STDOUT,
                         start_new_session=True)
    rss, threads = None, None
    try:
        end = time.monotonic() + 10
        while not os.path.exists(pidfile) and time.monotonic() < end:
            time.sleep(0.1)
        pid = int(open(pidfile).read())
        time.sleep(10)
        rss, threads = proc_status(pid, "VmRSS"), proc_status(pid, "Threads")
    except (OSError, ValueError) as e:
        log("%s: %s" % (name, e))
    finally:
        os.killpg(x.pid, signal.SIGTERM)
        try:
            x.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(x.pid, signal.SIGKILL)
            x.wait()
    return rss, threads


if E["GUI"] == "1":
    log("== idle GUIs under Xvfb (10 s each)")
    gdata = os.path.join(LAB, "gui-jarchi-data")
    os.makedirs(gdata, mode=0o700)
    for name, argv, extra in (
            ("Jarchi", [JARCHI, "--data-dir", gdata, "--dashboard-port", "0"],
             {"JARCHI_AUDIOSRC": "audiotestsrc wave=silence is-live=true samplesperbuffer=160", "JARCHI_AUDIOSINK": "fakesink",
              "GSETTINGS_SCHEMA_DIR": os.path.join(os.path.dirname(os.path.dirname(JARCHI)), "data"),
              "GSETTINGS_BACKEND": "memory"}),
            ("GNOME Calls", [shutil.which("gnome-calls") or "gnome-calls"], {})):
        if not shutil.which(argv[0]):
            rows.append(("idle GUI", name, "RSS MiB / threads", "not installed"))
            continue
        rss, threads = gui_rss(name.split()[-1].lower(), argv, extra)
        rows.append(("idle GUI after 10 s", name, "RSS MiB / threads",
                     "%.1f / %d" % (rss / 1024, threads) if rss else "did not start"))

w = [max(len(r[i]) for r in rows) for i in range(4)]
print("%-*s  %-*s  %-*s  %s" % (w[0], "run", w[1], "tool", w[2], "figure", "value"))
for r in rows:
    print("%-*s  %-*s  %-*s  %s" % (w[0], r[0], w[1], r[1], w[2], r[2], r[3]))
print()
print("concurrent calls (main ms/call: CPU time of Jarchi's main thread from the first POST to the last answer, per call;")
print("CPU: % of one core while all are up; jitter: p99 of the RFC 3550 |D| at the sink)")
head = ("N", "tool", "up/asked", "set-up ms med/p95/max", "POST ms med/max", "main ms/call", "CPU %", "CPU %/call",
        "RSS MiB", "threads", "RTP lost", "p99 jitter ms", "load avg")
table = [head]
for n, tool, f in sorted(sweep, key=lambda x: (x[0], x[1] != "Jarchi")):
    lost, jit = rtp_text(f["rtp"])
    table.append((str(n), tool, "%s/%s" % (f["up"], f["asked"]), f["setup"], f["post"],
                  "%.1f" % f["main"] if f["main"] is not None else "-", "%.1f" % f["cpu"],
                  "%.2f" % (f["cpu"] / max(f["up"], 1)) if isinstance(f["up"], int) else "-",
                  "%.1f" % f["rss"], str(f["threads"]), lost, jit,
                  f["load"]))
w = [max(len(r[i]) for r in table) for i in range(len(head))]
for r in table:
    print("  ".join("%-*s" % (w[i], r[i]) for i in range(len(head))))
EOF
status=$?
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
exit $status
