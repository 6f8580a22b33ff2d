#!/usr/bin/env python3
"""Where a job's main thread spends its time, from a Java Flight Recorder recording.

    java -XX:StartFlightRecording=settings=profile,filename=job.jfr -jar cli/target/painterly.jar harmonize ...
    jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample job.jfr > job.json
    python3 bench/jfr-main-thread.py job.json HH:MM:SS HH:MM:SS

Only the main thread's samples between the two UTC times (choose the iterations' window, e.g.
from the loss log) count. Java samples weigh 10 ms and native ones 20 ms (their periods in the
"profile" settings). Prints the share of each category (the histogram's host work, L-BFGS, the
network) and of the innermost frames: time in a blocking OpenCL read is the host waiting for the
queue, which a sync in an evaluation (a dot product read back, a download) forces.
"""
import collections
import json
import sys

events = json.load(open(sys.argv[1]))["recording"]["events"]
lo, hi = sys.argv[2], sys.argv[3]
weights = {"jdk.ExecutionSample": 10, "jdk.NativeMethodSample": 20}
cats = collections.Counter(); tops = collections.Counter()
for e in events:
    v = e["values"]
    if v["sampledThread"]["javaName"] != "main" or not (lo <= v["startTime"][11:19] <= hi):
        continue
    st = v["stackTrace"]
    fr = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in st["frames"]] if st else []
    s = " ".join(fr)
    if "HistogramLoss.evaluate" in s:
        c = "histogram: " + ("host remap (sort)" if "HistogramRemap" in s else "download (toArray)" if "toArray" in s else "upload" if "upload" in s else "other")
    elif "Lbfgs$Run.twoLoop" in s:
        c = "L-BFGS two-loop"
    elif "Lbfgs" in s and ("offer" in s or "Best" in s):
        c = "L-BFGS best iterate copy"
    elif "HarmonizationObjective.weigh" in s:
        c = "normalising weights (dot)"
    elif "PassMonitor" in s or "NumericalGuard" in s or "Lbfgs$Run.progress" in s:
        c = "monitor (gradient norms, guard)"
    elif "Tape.backward" in s or "backward" in s:
        c = "network backward"
    elif "Vgg19.forward" in s:
        c = "network forward (+ losses' own launches)"
    elif "Lbfgs" in s:
        c = "L-BFGS other"
    else:
        c = "outermost sampled frame " + (fr[-1] if fr else "?")
    w = weights[e["type"]]
    cats[c] += w
    tops[fr[0] if fr else "?"] += w
total = sum(cats.values())
print("main-thread samples: %d ms weighted" % total)
for c, v in cats.most_common():
    print("%-50s %6.1f%%" % (c, 100 * v / total))
print("top frames:")
for f, v in tops.most_common(15):
    print("  %-70s %6.1f%%" % (f, 100 * v / total))
