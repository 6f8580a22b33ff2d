#!/usr/bin/python3
"""Writes the L-BFGS reference iterates that LbfgsRosenbrockTest compares against.

Runs torch.optim.LBFGS (no line search, tolerances -1 so that nothing stops early) in float64 on
the n-D Rosenbrock function and records each iterate x_k and f(x_k), k = 1..ITERATIONS.

Each iterate is recorded by calling step() with max_iter=1 repeatedly: LBFGS keeps d, t, the
history and the previous gradient in its state between calls, and the evaluation at the start of
a call is the re-evaluation that max_iter=N would do inside one call. The script checks that this
equals separate runs with max_iter=k from the same start, for every k, before it writes anything.

Run from the repository root:
    /usr/bin/python3 engine/src/test/python/make_lbfgs_fixture.py
"""
import os
import sys

import torch

ITERATIONS = 30
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "resources", "fixtures", "lbfgs_rosenbrock.txt")

# name, start, learning rate, history size
CASES = [
    ("rosenbrock2_lr1_h100", [-1.2, 1.0], 1.0, 100),
    ("rosenbrock4_lr1_h100", [-1.2, 1.0, -1.2, 1.0], 1.0, 100),
    ("rosenbrock4_lr0.5_h5", [-1.2, 1.0, -1.2, 1.0], 0.5, 5),
]


def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def optimiser(x, lr, history, max_iter):
    # max_eval must not bind: its default, max_iter * 5 // 4, would stop max_iter=2 after one
    # iteration.
    return torch.optim.LBFGS([x], lr=lr, max_iter=max_iter, max_eval=10 * ITERATIONS,
                             history_size=history, tolerance_grad=-1, tolerance_change=-1,
                             line_search_fn=None)


def closure_for(opt, x):
    def closure():
        opt.zero_grad()
        f = rosenbrock(x)
        f.backward()
        return f
    return closure


def iterates_step_by_step(start, lr, history):
    x = torch.tensor(start, requires_grad=True)
    opt = optimiser(x, lr, history, 1)
    closure = closure_for(opt, x)
    out = []
    for _ in range(ITERATIONS):
        opt.step(closure)
        out.append(x.detach().clone())
    return out


def iterate_in_one_call(start, lr, history, k):
    x = torch.tensor(start, requires_grad=True)
    opt = optimiser(x, lr, history, k)
    opt.step(closure_for(opt, x))
    return x.detach().clone()


def main():
    torch.set_default_dtype(torch.float64)
    lines = [
        "# Iterates of torch.optim.LBFGS on the n-D Rosenbrock function, float64,",
        "# line_search_fn=None, tolerance_grad=-1, tolerance_change=-1, max_eval large.",
        "# torch %s. Regenerate: /usr/bin/python3 engine/src/test/python/make_lbfgs_fixture.py" % torch.__version__,
        "# Per case: 'iterate k f(x_k) x_k...' after iteration k.",
    ]
    for name, start, lr, history in CASES:
        stepped = iterates_step_by_step(start, lr, history)
        for k in range(1, ITERATIONS + 1):
            whole = iterate_in_one_call(start, lr, history, k)
            if not torch.equal(whole, stepped[k - 1]):
                sys.exit("%s: iterate %d differs between max_iter=1 steps and max_iter=%d: %s vs %s"
                         % (name, k, k, stepped[k - 1].tolist(), whole.tolist()))
        lines.append("case %s" % name)
        lines.append("lr %r" % lr)
        lines.append("history %d" % history)
        lines.append("start " + " ".join(repr(v) for v in start))
        for k, x in enumerate(stepped, start=1):
            f = float(rosenbrock(x))
            lines.append("iterate %d %r %s" % (k, f, " ".join(repr(float(v)) for v in x)))
        lines.append("end")
    with open(OUT, "w") as out:
        out.write("\n".join(lines) + "\n")
    print("wrote %s" % os.path.normpath(OUT))


if __name__ == "__main__":
    main()
