#!/usr/bin/python3
"""End-to-end time of our PyTorch transcription of the algorithm (make_pass_golden.py), the peer
that `painterly bench job` and `painterly harmonize` are compared with in bench/RESULTS.md.

Runs pass 1 and pass 2 of make_pass_golden.harmonize's algorithm on a real example at a working
size, in float32 (the golden script's float64 set-up, then the network, targets and L-BFGS in
float32, as a PyTorch user would run it), and prints each pass's set-up time, its seconds per
iteration (median after a warm-up, and mean over all iterations) and the end-to-end time.

    /usr/bin/python3 harmonizer/src/test/python/time_transcription.py \\
        --painting P --composite C --mask M --loose-mask L --weights NET.safetensors \\
        [--size 256] [--iterations 300,300] [--style-level 5] [--warmup 100] [--threads N]

NET.safetensors is a painterly-vgg19 file, e.g. the built-in network that a job on these images
uses (`painterly weights builtin --painting P --composite C --size 256 --out NET.safetensors`),
so that the Java tool can run with the same network (`--weights NET.safetensors`). Inputs are
resized to the working size with the transcription's own resize (area average when shrinking).
The histogram remap runs in float64 (the golden script's function, fed a float64 copy of the
layer): a few milliseconds per evaluation.
"""

import argparse
import os
import pathlib
import statistics
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_pass_golden as golden  # noqa: E402  (sets float64 as the default dtype on import)


def read_rgb(path):
    return torch.as_tensor(np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0).permute(2, 0, 1)


def read_gray(path):
    return torch.as_tensor(np.asarray(Image.open(path).convert("L"), dtype=np.float64) / 255.0)


def working_size(h, w, size):
    scale = size / max(h, w)
    return max(1, round(h * scale)), max(1, round(w * scale))


def to32(value):
    """Every float64 tensor in a nested context, as float32; the histogram targets stay float64."""
    if isinstance(value, torch.Tensor):
        return value.float() if value.dtype == torch.float64 else value
    if isinstance(value, dict):
        return {k: (v if k == "hists" else to32(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [to32(v) for v in value]
    return value


def net32(net):
    """The same network with float32 parameters (Net's constructor makes float64 ones)."""
    net = golden.Net(net.layers)
    net.layers = [(n, w.float(), b.float()) for n, w, b in net.layers]
    return net


def hist_remap_float32(original):
    def remap(F, m, per):
        Rmap, sel = original(F.double(), m.double(), per)
        return Rmap.to(F.dtype), sel
    return remap


class Clock:
    """End time of each objective evaluation: one per L-BFGS iteration after the first."""

    def __init__(self, eval_fn):
        self.eval_fn, self.ends = eval_fn, []

    def __call__(self, x):
        out = self.eval_fn(x)
        self.ends.append(time.perf_counter())
        return out

    def per_iteration(self, warmup):
        d = [b - a for a, b in zip(self.ends, self.ends[1:])]
        return statistics.median(d[warmup:]) if len(d) > warmup else float("nan"), sum(d) / max(1, len(d))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("painting", "composite", "mask", "loose-mask", "weights"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--iterations", default="300,300")
    ap.add_argument("--style-level", type=float, default=5.0)
    ap.add_argument("--warmup", type=int, default=100, help="iterations left out of the median (history filling)")
    ap.add_argument("--threads", type=int, default=os.cpu_count(),
                    help="PyTorch's threads (default: every core; Debian's build otherwise starts with one)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    iters1, iters2 = (int(v) for v in a.iterations.split(","))

    start = time.perf_counter()
    painting, composite = read_rgb(a.painting), read_rgb(a.composite)
    tight, loose = read_gray(a.mask), read_gray(a.loose_mask)
    h, w = working_size(painting.shape[1], painting.shape[2], a.size)
    painting, composite = golden.resize_bilinear(painting, h, w), golden.resize_bilinear(composite, h, w)
    tight, loose = golden.resize_bilinear(tight, h, w), golden.resize_bilinear(loose, h, w)
    net64 = golden.Net.load(a.weights)
    net = net32(net64)
    golden.hist_remap = hist_remap_float32(golden.hist_remap)
    painting_pre, composite_pre = golden.preprocess(painting.numpy()), golden.preprocess(composite.numpy())
    tb = golden.gaussian_blur7(tight).float()

    t0 = time.perf_counter()
    ctx1 = to32(golden.pass1_setup(net64, painting_pre, composite_pre, loose))
    t1 = time.perf_counter()
    clock1 = Clock(lambda x: golden.pass1_eval(net, ctx1, x))
    x1, rec1 = golden.run_pass(clock1, composite_pre.float(), iters1, 1.0, 1e-5, 1e-9)
    t2 = time.perf_counter()
    out1 = golden.compose(x1, painting_pre.float(), tb)

    ctx2 = to32(golden.pass2_setup(net64, painting.numpy(), painting_pre, composite_pre, golden.preprocess(out1.double().numpy()),
                                   tight, loose, a.style_level))
    t3 = time.perf_counter()
    clock2 = Clock(lambda x: golden.pass2_eval(net, ctx2, x))
    x2, rec2 = golden.run_pass(clock2, composite_pre.float(), iters2, 0.1, -1, -1)
    t4 = time.perf_counter()
    assert x2.dtype == torch.float32 and x1.dtype == torch.float32

    print("transcription size=%dx%d threads=%d torch=%s" % (h, w, torch.get_num_threads(), torch.__version__))
    for p, rec, clock, setup, run in ((1, rec1, clock1, t1 - t0, t2 - t1), (2, rec2, clock2, t3 - t2, t4 - t3)):
        median, mean = clock.per_iteration(a.warmup)
        print("transcription-pass pass=%d iterations=%d evaluations=%d stop=%s setup_s=%.2f run_s=%.2f mean_s=%.4f "
              "median_after_warmup_s=%.4f" % (p, rec["iterations"], rec["evaluations"], rec["stop"].replace(" ", "_"),
                                             setup, run, mean, median))
    print("transcription-total end_to_end_s=%.2f (inputs and network loaded in %.2f s)" % (t4 - start, t0 - start))


if __name__ == "__main__":
    main()
