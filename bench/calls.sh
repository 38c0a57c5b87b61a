#!/usr/bin/env bash
# Call engine benchmark: headless Jarchi registers accounts and places sequential and concurrent calls to a SIPp UAS (call set-up time, CPU, RSS), SIPp UAC → same UAS as the reference, then the GUI's idle RSS beside GNOME Calls. By hand, 127.0.0.1 only.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: bench/calls.sh [BUILD_DIR]              (default: build)
# environment (the defaults keep the load under a minute):
#   ACCOUNTS=20        accounts registered through /api/accounts to Kamailio (digest auth)
#   SEQ_CALLS=20       calls one after another, each held SEQ_HOLD_MS (default 1000)
#   CONC_CALLS=50      calls placed at once, all held CONC_HOLD_MS (default 6000); CPU and RSS
#                      are read while all of them are up, in the middle CPU_WINDOW_S (default 4)
#   GUI=1              0 skips the idle RSS of the two GUIs (Xvfb; gnome-calls must be installed)
#   KEEP=1             keep the lab directory (logs) in /tmp
# Every call goes straight to the UAS (no proxy), which answers at once with PCMU and sends a
# 1 kHz tone; Jarchi sends a synthesised tone back. The SIPp reference makes the same calls
# with the same hold times, sending its tone too. Set-up time: from the request (Jarchi: the
# POST /api/calls; SIPp: its INVITE) to the call being answered (Jarchi: the API shows
# "active", polled every 2 ms, 5 ms with many calls; SIPp: the 200 OK, its response time).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(cd "${1:-$root/build}" && pwd) || exit 1
ACCOUNTS=${ACCOUNTS:-20}
SEQ_CALLS=${SEQ_CALLS:-20}
SEQ_HOLD_MS=${SEQ_HOLD_MS:-1000}
CONC_CALLS=${CONC_CALLS:-50}
CONC_HOLD_MS=${CONC_HOLD_MS:-6000}
CPU_WINDOW_S=${CPU_WINDOW_S:-4}
GUI=${GUI:-1}
jarchi=$build/src/jarchi
[[ -x $jarchi ]] || { echo "no $jarchi: build first" >&2; exit 1; }
((ACCOUNTS <= 200 && SEQ_CALLS <= 200 && CONC_CALLS <= 300)) || { echo "counts too large" >&2; exit 1; }

LAB=$(mktemp -d /tmp/jarchi-calls-bench.XXXXXX)
# shellcheck source=../tests/lab/lab.sh
. "$root/tests/lab/lab.sh"
if [[ -n ${KEEP:-} ]]; then lab_trap_cleanup "$LAB"; else lab_trap_cleanup "$LAB" --rm; fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null

echo "== set-up: Kamailio (digest auth) and a SIPp UAS on 127.0.0.1" >&2
kport=$(lab_free_port)
lab_kamailio_start "$LAB/kam" "$kport" auth >/dev/null || exit 1
# The lab's answering scenario without its 500 ms of ringing: set-up time is then the
# callers' own.
sed '/<pause milliseconds="500"\/>/d' "$(_lab_scenario answer)" >"$LAB/answer-now.xml"
mkdir -p "$LAB/uas" "$LAB/ref-seq" "$LAB/ref-conc"
LAB_SIPP_HOLD_MS=0 lab_sipp_uas "$LAB/uas" 0 "$LAB/answer-now.xml" -max_socket 4096 >/dev/null || exit 1
uport=$(<"$LAB/uas/port")
for d in ref-seq ref-conc; do
	_lab_sipp_prepare "$LAB/$d" "$(_lab_scenario call)" || exit 1
done

SEQ_PORT=$(lab_free_port) CONC_PORT=$(lab_free_port) SEQ_MPORT=$(lab_free_port 4) CONC_MPORT=$(lab_free_port 4)
export SEQ_PORT CONC_PORT SEQ_MPORT CONC_MPORT
export LAB KPORT=$kport UPORT=$uport JARCHI=$jarchi PASSWORD=$LAB_PASSWORD ACCOUNTS SEQ_CALLS \
	SEQ_HOLD_MS CONC_CALLS CONC_HOLD_MS CPU_WINDOW_S GUI
"$LAB_PYTHON" - <<'EOF'
import concurrent.futures as cf
import json, os, re, shutil, signal, statistics, subprocess, sys, threading, time
import urllib.error
import urllib.request

E = os.environ
LAB, JARCHI = E["LAB"], E["JARCHI"]
KPORT, UPORT = int(E["KPORT"]), int(E["UPORT"])
N_ACC, N_SEQ, N_CONC = int(E["ACCOUNTS"]), int(E["SEQ_CALLS"]), int(E["CONC_CALLS"])
SEQ_HOLD, CONC_HOLD = int(E["SEQ_HOLD_MS"]) / 1000, int(E["CONC_HOLD_MS"]) / 1000
WINDOW = float(E["CPU_WINDOW_S"])
TICK = os.sysconf("SC_CLK_TCK")
rows = []          # (what, tool, figure, value)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def proc_cpu(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK


def proc_status(pid, key):
    for line in open("/proc/%d/status" % pid):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")


def add_times(what, tool, times):
    ms = [t * 1000 for t in times]
    rows.append((what, tool, "set-up ms median / p95 / max",
                 "%.1f / %.1f / %.1f" % (statistics.median(ms), pct(ms, 95), max(ms)) if ms else "-"))


def cpu_window(pids, seconds):
    """CPU % of one core per pid over SECONDS."""
    a = {p: proc_cpu(p) for p in pids}
    t = time.monotonic()
    time.sleep(seconds)
    dt = time.monotonic() - t
    return {p: 100 * (proc_cpu(p) - a[p]) / dt for p in pids}


# ---- Jarchi, headless ---------------------------------------------------------------------
data = os.path.join(LAB, "jarchi-data")
os.makedirs(data, mode=0o700)
env = dict(E, JARCHI_AUDIOSRC="audiotestsrc wave=sine freq=600 is-live=true",
           JARCHI_AUDIOSINK="fakesink sync=false", HOME=os.path.join(LAB, "home"))
env.pop("JARCHI_DASHBOARD_TOKEN", None)
j = subprocess.Popen([JARCHI, "--headless", "--data-dir", data, "--dashboard-port", "0",
                      "--sip-port", "0"], stdout=subprocess.PIPE, stderr=open(os.path.join(LAB, "jarchi.log"), "w"),
                     env=env, text=True)
try:
    url = j.stdout.readline().strip().split("dashboard: ", 1)[1].rstrip("/")
    token = subprocess.run([JARCHI, "--print-token", "--data-dir", data], capture_output=True, text=True,
                           env=env, check=True).stdout.strip()

    def api(method, path, body=None):
        req = urllib.request.Request(url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read()
            return json.loads(text) if text else None

    time.sleep(1)
    rss_idle = proc_status(j.pid, "VmRSS")
    rows.append(("idle, headless", "Jarchi", "RSS MiB / threads",
                 "%.1f / %d" % (rss_idle / 1024, proc_status(j.pid, "Threads"))))

    # Accounts
    log("== Jarchi: %d accounts" % N_ACC)
    t0 = time.monotonic()
    for i in range(N_ACC):
        api("POST", "/api/accounts", {"uri": "sip:bench%03d@127.0.0.1:%d" % (i, KPORT),
                                      "password": E["PASSWORD"]})
    registered = 0
    while time.monotonic() - t0 < 30:
        items = api("GET", "/api/accounts")["items"]
        registered = sum(1 for a in items if a["registration"] == "registered")
        if registered == N_ACC:
            break
        time.sleep(0.02)
    t_reg = time.monotonic() - t0
    rows.append(("%d accounts" % N_ACC, "Jarchi", "all registered after s (registered)",
                 "%.2f (%d)" % (t_reg, registered)))

    posts = []

    def dial():
        t = time.monotonic()
        cid = api("POST", "/api/calls", {"to": "sip:bench@127.0.0.1:%d" % UPORT, "account": None})["id"]
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

    # Sequential calls
    log("== Jarchi: %d sequential calls" % N_SEQ)
    setups, failed = [], 0
    c0 = proc_cpu(j.pid)
    t0 = time.monotonic()
    for i in range(N_SEQ):
        cid, t = dial()
        state, t_ans = wait_state(cid, ("active", "ended"), 0.002)
        if state != "active":
            failed += 1
            continue
        setups.append(t_ans - t)
        time.sleep(SEQ_HOLD)
        api("POST", "/api/calls/%d/hangup" % cid)
        wait_state(cid, ("ended",), 0.005)
    wall = time.monotonic() - t0
    add_times("%d sequential calls" % N_SEQ, "Jarchi", setups)
    rows.append(("%d sequential calls" % N_SEQ, "Jarchi", "CPU s total / failed calls",
                 "%.2f / %d" % (proc_cpu(j.pid) - c0, failed)))
    rows.append(("%d sequential calls" % N_SEQ, "Jarchi", "wall s", "%.1f" % wall))

    # Concurrent calls
    log("== Jarchi: %d concurrent calls" % N_CONC)
    del posts[:]
    started = {}
    post_errors = []

    def try_dial(_):
        try:
            return dial()
        except (OSError, urllib.error.URLError) as e:
            post_errors.append(str(e))
            return None, None

    # Eight clients at a time, as a dashboard and a few scripts might be.
    with cf.ThreadPoolExecutor(max_workers=min(N_CONC, 8)) as ex:
        for cid, t in ex.map(try_dial, range(N_CONC)):
            if cid is not None:
                started[cid] = t
    if post_errors:
        log("POST /api/calls failed %d times: %s" % (len(post_errors), post_errors[0]))
    answered = {}
    end = time.monotonic() + 20
    while len(answered) < len(started) and time.monotonic() < end:
        for c in api("GET", "/api/calls/active")["items"]:
            if c["state"] == "active" and c["id"] not in answered:
                answered[c["id"]] = time.monotonic()
        time.sleep(0.005)
    add_times("%d concurrent calls" % N_CONC, "Jarchi", [answered[c] - started[c] for c in answered])
    rows.append(("%d concurrent calls" % N_CONC, "Jarchi", "POST /api/calls reply ms median / max / failed",
                 "%.1f / %.1f / %d" % (statistics.median(posts) * 1000, max(posts) * 1000, len(post_errors))))
    time.sleep(max(0, (CONC_HOLD - WINDOW) / 2 - 0.5))
    up = api("GET", "/api/calls/active")["total"]
    cpu = cpu_window([j.pid], WINDOW)[j.pid]
    rows.append(("%d concurrent calls" % N_CONC, "Jarchi",
                 "up / CPU % of a core / per call / RSS MiB / threads",
                 "%d / %.1f / %.2f / %.1f / %d" % (up, cpu, cpu / max(up, 1), proc_status(j.pid, "VmRSS") / 1024,
                                                   proc_status(j.pid, "Threads"))))
    def hangup(cid):
        try:
            api("POST", "/api/calls/%d/hangup" % cid)
            return 0
        except urllib.error.HTTPError as e:   # 409: it ended already (the UAS gives up after 20 s)
            return 1

    with cf.ThreadPoolExecutor(max_workers=16) as ex:
        gone = sum(ex.map(hangup, list(started)))
    rows.append(("%d concurrent calls" % N_CONC, "Jarchi", "answered / ended before our hangup",
                 "%d / %d" % (len(answered), gone)))
    end = time.monotonic() + 15
    while api("GET", "/api/calls/active")["total"] > 0 and time.monotonic() < end:
        time.sleep(0.1)
    time.sleep(1)
    rows.append(("after the calls", "Jarchi", "RSS MiB / peak RSS MiB",
                 "%.1f / %.1f" % (proc_status(j.pid, "VmRSS") / 1024, proc_status(j.pid, "VmHWM") / 1024)))
finally:
    j.send_signal(signal.SIGTERM)
    try:
        j.wait(10)
    except subprocess.TimeoutExpired:
        j.kill()
        j.wait()


# ---- the reference: SIPp UAC to the same UAS ----------------------------------------------
def sipp(name, port, mport, calls, limit, rate, hold_ms):
    d = os.path.join(LAB, name)
    args = ["sipp", "-sf", os.path.join(d, "scenario.xml"), "127.0.0.1:%d" % UPORT, "-i", "127.0.0.1",
            "-p", port, "-mi", "127.0.0.1", "-mp", mport, "-nostdin",
            "-m", str(calls), "-l", str(limit), "-r", str(rate), "-d", str(hold_ms), "-s", "bench",
            "-key", "caller", "sipp", "-trace_rtt", "-rtt_freq", "1", "-trace_err",
            "-error_file", os.path.join(d, "errors.log"), "-max_socket", "4096"]
    t0 = time.monotonic()
    p = subprocess.Popen(args, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p, t0


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
p, t0 = sipp("ref-seq", E["SEQ_PORT"], E["SEQ_MPORT"], N_SEQ, 1, 100, int(SEQ_HOLD * 1000))
last = 0.0
while p.poll() is None:
    try:
        last = proc_cpu(p.pid)
    except OSError:
        break
    time.sleep(0.05)
add_times("%d sequential calls" % N_SEQ, "SIPp", sipp_times("ref-seq"))
rows.append(("%d sequential calls" % N_SEQ, "SIPp", "CPU s total / exit status",
             "%.2f / %d" % (last, p.returncode)))
rows.append(("%d sequential calls" % N_SEQ, "SIPp", "wall s", "%.1f" % (time.monotonic() - t0)))

log("== SIPp: %d concurrent calls" % N_CONC)
p, t0 = sipp("ref-conc", E["CONC_PORT"], E["CONC_MPORT"], N_CONC, N_CONC, N_CONC * 10, int(CONC_HOLD * 1000))
time.sleep(max(0.5, (CONC_HOLD - WINDOW) / 2))
cpu = cpu_window([p.pid], WINDOW)[p.pid]
rows.append(("%d concurrent calls" % N_CONC, "SIPp", "CPU % of a core / per call / RSS MiB / threads",
             "%.1f / %.2f / %.1f / %d" % (cpu, cpu / N_CONC, proc_status(p.pid, "VmRSS") / 1024,
                                          proc_status(p.pid, "Threads"))))
p.wait(60)
add_times("%d concurrent calls" % N_CONC, "SIPp", sipp_times("ref-conc"))
rows.append(("%d concurrent calls" % N_CONC, "SIPp", "exit status (0: every call succeeded)", str(p.returncode)))


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
             {"JARCHI_AUDIOSRC": "audiotestsrc wave=silence is-live=true", "JARCHI_AUDIOSINK": "fakesink",
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
EOF
status=$?
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
exit $status
