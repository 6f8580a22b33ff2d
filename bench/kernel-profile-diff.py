#!/usr/bin/env python3
"""Per-iteration kernel costs from two runs with -Dpainterly.profile=true that differ only in
their iteration count: (long run - short run) / N, N the difference in iterations, so that
set-up, warm-up and the L-BFGS history's filling cancel out.

    python3 bench/kernel-profile-diff.py SHORT.log LONG.log N

SHORT.log and LONG.log hold each run's stderr (the "kernel profile" table). Prints wall and CPU
ms per iteration, the share of the kernels' CPU time and launches per iteration, by CPU time.
Under load a kernel's wall difference can come out negative; its CPU column stays meaningful.
"""
import re
import sys


def read(path):
    out, on = {}, False
    for line in open(path):
        if line.startswith("kernel profile"):
            on = True; continue
        if on:
            m = re.match(r"\s+(\S+)\s+([\d.]+) ms\s+([\d.]+) ms\s+(\d+)", line)
            if m:
                out[m.group(1)] = (float(m.group(2)), float(m.group(3)), int(m.group(4)))
            else:
                on = False
    return out

a, b = read(sys.argv[1]), read(sys.argv[2]); n = int(sys.argv[3])
rows = []
for k in set(a) | set(b):
    wa, ca, la = a.get(k, (0, 0, 0)); wb, cb, lb = b.get(k, (0, 0, 0))
    rows.append((k, (wb - wa) / n, (cb - ca) / n, (lb - la) / n))
rows.sort(key=lambda r: -r[2])
tw = sum(r[1] for r in rows); tc = sum(r[2] for r in rows)
print("%-36s %10s %10s %8s %8s" % ("kernel", "wall ms/it", "CPU ms/it", "CPU %", "launches/it"))
for k, w, c, l in rows:
    if l > 0 or c > 0.05:
        print("%-36s %10.1f %10.1f %7.1f%% %8.1f" % (k, w, c, 100 * c / tc, l))
print("%-36s %10.1f %10.1f %8s %8.1f" % ("all kernels", tw, tc, "", sum(r[3] for r in rows)))
