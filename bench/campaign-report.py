#!/usr/bin/env python3
# Jarchi benchmark helper: samples a process's CPU and RSS until it exits, and turns SIPp's
# statistics and the RTP sink's summary into the same figures campaign-bench prints.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: campaign-report.py sample PID OUT.json
#        campaign-report.py sipp STAT.csv SAMPLES.json SINK.json PACKETS_PER_CALL PLAYED.log
#        campaign-report.py sink SINK.json
import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def proc_sample(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    rss = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return cpu, rss


def sample(pid, out):
    samples = []
    while True:
        try:
            cpu, rss = proc_sample(pid)
        except (OSError, IndexError, ValueError):
            break
        samples.append([time.monotonic(), cpu, rss])
        time.sleep(0.25)
    with open(out, "w") as f:
        json.dump(samples, f)


def sipp(stat_csv, samples_json, sink_json, packets_per_call, played_log):
    with open(stat_csv) as f:
        rows = [line.strip().split(";") for line in f if line.strip()]
    head, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(head)}
    current = [int(r[col["CurrentCall"]]) for r in rows]
    created = int(rows[-1][col["TotalCallCreated"]]) if rows else 0
    ok = int(rows[-1][col["SuccessfulCall(C)"]]) if rows else 0
    rates = [float(r[col["CallRate(P)"]]) for r in rows]
    elapsed = [r[col["ElapsedTime(C)"]] for r in rows]

    def secs(hms):
        h, m, s = hms.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    t = [secs(e) for e in elapsed]
    call_seconds = sum(current[i] * (t[i] - t[i - 1]) for i in range(1, len(t)))
    with open(samples_json) as f:
        samples = json.load(f)
    cpu = samples[-1][1] - samples[0][1] if samples else 0
    rss_first = samples[0][2] if samples else 0
    rss_peak = max(s[2] for s in samples) if samples else 0
    peak = max(current) if current else 0
    with open(sink_json) as f:
        sink = json.load(f)
    # Every call whose pcap started plays it whole (its BYE waits for -d, the pcap's length),
    # whether or not the call then ends as SIPp's "successful".
    try:
        with open(played_log) as f:
            played = sum(1 for line in f if "played" in line)
    except OSError:
        played = ok
    expected = played * packets_per_call
    loss = 1 - sink["packets"] / expected if expected else 0
    print("calls: %d created, %d successful" % (created, ok))
    print("concurrent: max %d" % peak)
    print("calls/s: peak %.1f (SIPp's own 1 s measure)" % max(rates or [0]))
    print("CPU over the run: %.1f s for %.0f call-seconds in progress (SIPp's CurrentCall) = "
          "%.4f %% of a core per call in progress"
          % (cpu, call_seconds, 100 * cpu / max(call_seconds, 1)))
    print("RSS: %d KB at start, %d KB peak; growth %.1f KB per call in progress at the peak"
          % (rss_first, rss_peak, (rss_peak - rss_first) / max(peak, 1)))
    print("RTP at the sink: %d packets of %d sent by %d pcaps played (%.2f %% lost; pcap streams "
          "share one SSRC and port, so loss and jitter are not per stream)"
          % (sink["packets"], expected, played, 100 * loss))
    print("RESULT max_up=%d peak_cps=%.1f run_cpu_per_call_pct=%.4f rss_peak_kb=%d "
          "kb_per_call=%.1f rtp_loss_pct=%.3f ok=%d"
          % (peak, max(rates or [0]), 100 * cpu / max(call_seconds, 1), rss_peak,
             (rss_peak - rss_first) / max(peak, 1), 100 * loss, ok))


def sink(sink_json):
    with open(sink_json) as f:
        s = json.load(f)
    print("RTP at the sink: %d streams, %d packets received of %d expected, %d lost in %d streams "
          "(sink's own drops %d); send jitter |D| p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms"
          % (s["streams"], s["received"], s["expected"], s["lost"], s["streams_with_loss"],
             s["sink_drops"], s["jitter_p50_ms"], s["jitter_p99_ms"], s["jitter_p999_ms"],
             s["jitter_max_ms"]))
    print("RESULT streams=%d rtp_lost=%d sink_drops=%d jitter_p99_ms=%.2f jitter_max_ms=%.2f"
          % (s["streams"], s["lost"], s["sink_drops"], s["jitter_p99_ms"], s["jitter_max_ms"]))


def main():
    cmd = sys.argv[1]
    if cmd == "sample":
        sample(int(sys.argv[2]), sys.argv[3])
    elif cmd == "sipp":
        sipp(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif cmd == "sink":
        sink(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
