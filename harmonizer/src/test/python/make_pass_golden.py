#!/usr/bin/python3
"""Golden fixtures for the harmonizer's two optimisation passes (docs/algorithm.md sections 0, 1, 2, 4).

An independent transcription of docs/algorithm.md in PyTorch (float64), written from the
spec alone, used to check the Java harmonizer. Run with no arguments it writes, into
harmonizer/src/test/resources/fixtures/passes/:

  net.safetensors     a narrow VGG-19-shaped net, conv1_1 ... conv5_1 (13 convs), channels
                      8,8,12,12,16,16,16,16,20,20,20,20,24, He-normal weights, small random
                      biases, fixed seed; our painterly-vgg19 format, Caffe input convention
  painting.npy        float32 3 x 44 x 60, RGB in [0,1]: colour gradients, oriented strokes, noise
  composite.npy       float32 3 x 44 x 60: the painting with a checkered ellipse (~26 x 32 px) pasted in
  tight.npy           float32 44 x 60 in [0,1]: the object (soft edge ~1.5 px)
  loose.npy           float32 44 x 60 in [0,1]: the tight mask dilated by ~5 px (soft edge)
  meta.json           sizes, style level, pass-1 iteration count, pass-2 weights, L-BFGS record
  terms.json          the value of every loss term at the FIRST evaluation of each pass (x =
                      preprocessed composite), each weighted as the spec defines
  pass1_grad.npy      float32 3 x H x W: pass 1's first image gradient as L-BFGS receives it, w.r.t.
                      the preprocessed input (Caffe convention, BGR channel order)
  pass1_output.npy    float32 3 x H x W RGB [0,1]: pass 1 after K = 10 L-BFGS iterations (step 1,
                      tolFun 1e-5, tolX 1e-9), composed with the blurred tight mask, deprocessed,
                      clamped. Pass 2's fixtures below are computed FROM THIS float32 image.
  pass2_nnf_raw.npy   float32 6 x 8 (integer values; our .npy reader takes float32): the raw relu4_1 match (flat painting index qy*w+qx), all positions
  pass2_nnf.npy       float32 6 x 8 (integer values): the refined field (refinement only changes tight-mask positions)
  pass2_tight4.npy    float32 6 x 8 (0/1): tight mask at relu4_1 (tight > 0.1, then "nearest")
  pass2_region.npy    float32 6 x 8 (0/1): the used region R at relu4_1
  pass2_grad.npy      float32 3 x H x W: pass 2's first image gradient as L-BFGS receives it, w.r.t.
                      the preprocessed composite (Caffe convention, BGR)

Everything is computed in float64 from the float32-rounded stored inputs; output is the same on
every run (fixed seeds, deterministic CPU ops). Regenerate, from the repository root (needs only
PyTorch and NumPy; Debian's python3-torch):

    /usr/bin/python3 harmonizer/src/test/python/make_pass_golden.py

The functions (Net, layer_masks, pass1_*, pass2_*, lbfgs, compose, harmonize) are reusable as an
end-to-end peer on real images (load a real painterly-vgg19 safetensors with Net.load).

Readings chosen where the spec leaves room (the most literal one each time):
 * Resizing ("bilinear"/"nearest") is decided per axis: shrink = area average over [d*s,(d+1)*s),
   enlarge = corners-aligned linear, equal = identity; "nearest" index = floor(i*src/dst)
   computed in integers, clamped to src-1.
 * Layer masks: the mask attached to a relu layer is the one after its conv (ReLU leaves it
   unchanged); pool = area resize to ceil(h/2) x ceil(w/2).
 * In-network backward (both passes): at a layer with loss modules, the modules are visited in
   reverse of their forward order (forward order: content, style, histogram), and each does
   g = (g + own) * m_L. So at relu4_1 of pass 2: hist*m^3 + style*m^2 + content*m; at relu1_1:
   ((g_up + hist)*m + style)*m. The gradient above the top loss layer is zero.
 * Pass 1 style own gradient = d(100*MSE(G,T))/d(F*m) (the Gram backward at F*m, including the
   1/(C*sum m) factor); content own gradient = 5 * 2 (F - Fc) / numel.
 * Pass 1 NCC ties and pass 2 raw-match ties: the lowest flat painting index wins (numpy argmax).
 * Pass 1 image gradient = (network gradient + 1e-3 * TV gradient) * loose.
 * Pass 2 border rule, per axis: q.x == 0 needs p.x == 0; q.x == w-1 needs p.x == w-1; same for
   y (a corner q needs p in both its row and its column).
 * Pass 2 refinement (one round, 5x5): proposals read the RAW field (not updated in place);
   a neighbour p+d must be inside the map (it need not be in the tight mask); "in bounds" for
   NNF(p+e)-e in the score means inside the map (0 <= x < w, 0 <= y < h); the guide distance is
   Euclidean in RGB [0,1]; proposals are visited with dy outer, dx inner (-2..2) and only a
   strictly lower score replaces the current best; if no proposal is kept, p keeps its match.
 * Pass 2 module raw gradients (before normalisation): content d MSE(F*m, Fc*m)/d(F*m) times m;
   style d MSE(G,T)/d(F*m) times m; histogram F - R on the positions with m > 0.1, 0 elsewhere
   (not multiplied by m before normalising: its restriction is the position set). The norm is
   the L2 norm over the whole module gradient (all channels).
 * Histogram: min/max/hist per channel over the positions with R = 1 (nJ = their count);
   bin = floor((v-min)/(max-min)*256) clamped to [0,255]; hist scaled by nI/nJ, nI = count of
   m_L > 0.1; rank k takes the first bin b with k < cum[b] (or 255 past the end). Sorting of the
   current values is STABLE: equal values (e.g. ReLU zeros) get ranks in increasing flat
   position order (y*w+x). A channel with max == min (none in the fixture) uses torch.histc's
   rule (range widened to [min-1, max+1]) for binning and remapping; main() asserts there is
   none. Ties among current values are ReLU zeros; which of them gets which rank changes neither
   the module's norm nor the image gradient (the ReLU backward zeroes those positions).
 * Pass 2 loss values: content 1*MSE(F*m, Fc*m); style s*MSE(G,T); histogram
   sum over the selected positions of (F-R)^2 * histWeight / (C*H*W).
 * noise: median of the 3*(H-1)*(W-1) values; for an even count the lower middle value
   (torch.median); here 3*43*59 = 7611 is odd.
 * Blurred tight mask: 7x7 separable Gaussian with sigma 21 (centre tap at offset 0), normalised
   to sum 1, zero padding (not renormalised at the border); applied to the float tight mask.
   Composition x*tb + painting*(1-tb) is done in Caffe space, then deprocessed and clamped.
 * The fixture images are already at working size (longer side 60); no resize is applied.
"""

import json
import math
import pathlib
import struct

import numpy as np
import torch
import torch.nn.functional as Fn

torch.set_default_dtype(torch.float64)

SEED = 20180410
EXAMPLE_SEED = 15
OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "passes"

CONV_NAMES = ["conv1_1", "conv1_2",
              "conv2_1", "conv2_2",
              "conv3_1", "conv3_2", "conv3_3", "conv3_4",
              "conv4_1", "conv4_2", "conv4_3", "conv4_4",
              "conv5_1"]
CHANNELS = [8, 8, 12, 12, 16, 16, 16, 16, 20, 20, 20, 20, 24]
POOL_AFTER = {"conv1_2": "pool1", "conv2_2": "pool2", "conv3_4": "pool3", "conv4_4": "pool4"}
CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68])

HEIGHT, WIDTH = 44, 60
STYLE_LEVEL = 5.0
PASS1_ITERATIONS = 10

PASS1_CONTENT, PASS1_STYLE = ["relu4_1"], ["relu3_1", "relu4_1", "relu5_1"]
PASS2_LAYERS = ["relu1_1", "relu2_1", "relu3_1", "relu4_1"]
PASS2_HIST = ["relu1_1", "relu4_1"]
PASS2_REF = "relu4_1"


# ---------------------------------------------------------------- network

class Net:
    """VGG-19 trunk in Caffe convention; weights as float64 torch tensors, by conv name."""

    def __init__(self, layers):
        self.layers = [(n, torch.as_tensor(np.asarray(w, dtype=np.float64)),
                        torch.as_tensor(np.asarray(b, dtype=np.float64))) for n, w, b in layers]

    @staticmethod
    def load(path):
        raw = pathlib.Path(path).read_bytes()
        n = struct.unpack("<Q", raw[:8])[0]
        header = json.loads(raw[8:8 + n])
        base = 8 + n
        layers = []
        for name in CONV_NAMES:
            arrs = []
            for suffix in ("weight", "bias"):
                e = header["%s.%s" % (name, suffix)]
                a, b = e["data_offsets"]
                arrs.append(np.frombuffer(raw[base + a:base + b], dtype="<f4").reshape(e["shape"]))
            layers.append((name, arrs[0], arrs[1]))
        return Net(layers)

    def ops(self):
        """Forward ops in order: (kind, output name, params)."""
        out = []
        for name, w, b in self.layers:
            out.append(("conv", name, (w, b)))
            out.append(("relu", "relu" + name[4:], None))
            if name in POOL_AFTER:
                out.append(("pool", POOL_AFTER[name], None))
        return out


def apply_op(op, h):
    kind, _, p = op
    if kind == "conv":
        return Fn.conv2d(h[None], p[0], p[1], padding=1)[0]
    if kind == "relu":
        return torch.relu(h)
    return Fn.max_pool2d(h[None], kernel_size=2, stride=2, ceil_mode=True)[0]


def features(net, x, names):
    """Activations (C x H x W, detached) at the named layers."""
    want, got, h = set(names), {}, x
    with torch.no_grad():
        for op in net.ops():
            h = apply_op(op, h)
            if op[1] in want:
                got[op[1]] = h.clone()
                if len(got) == len(want):
                    break
    return got


def make_net(rng):
    layers, cin = [], 3
    for name, cout in zip(CONV_NAMES, CHANNELS):
        w = rng.normal(0.0, math.sqrt(2.0 / (9 * cin)), size=(cout, cin, 3, 3)).astype(np.float32)
        b = rng.uniform(-0.05, 0.05, size=cout).astype(np.float32)
        layers.append((name, w, b))
        cin = cout
    return layers


def write_safetensors(path, layers):
    header = {"__metadata__": {"format": "painterly-vgg19", "input_convention": "caffe"}}
    chunks, offset = [], 0
    for name, w, b in layers:
        for suffix, array in (("weight", w), ("bias", b)):
            raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
            header["%s.%s" % (name, suffix)] = {"dtype": "F32", "shape": list(array.shape),
                                                  "data_offsets": [offset, offset + len(raw)]}
            chunks.append(raw)
            offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


# ---------------------------------------------------------------- section 0 conventions

def preprocess(rgb):
    """RGB [0,1] (3xHxW) -> Caffe BGR * 256 - mean, float64 torch."""
    rgb = torch.as_tensor(np.asarray(rgb, dtype=np.float64))
    return rgb.flip(0) * 256.0 - torch.as_tensor(CAFFE_MEAN_BGR)[:, None, None]


def deprocess(x):
    """Caffe BGR -> RGB [0,1], clamped."""
    return ((x + torch.as_tensor(CAFFE_MEAN_BGR)[:, None, None]) / 256.0).flip(0).clamp(0.0, 1.0)


def scale_matrix(src, dst):
    """dst x src matrix of Torch7 image.scale 'bilinear' along one axis."""
    m = torch.zeros(dst, src)
    if dst == src:
        return torch.eye(src)
    if dst < src:  # exact area average
        s = src / dst
        for d in range(dst):
            lo, hi = d * s, (d + 1) * s
            for i in range(int(math.floor(lo)), min(src, int(math.ceil(hi)))):
                wgt = min(hi, i + 1) - max(lo, i)
                if wgt > 0:
                    m[d, i] = wgt
            m[d] /= m[d].sum()
        return m
    # enlarge: corners aligned
    for d in range(dst):
        c = d * (src - 1) / (dst - 1) if dst > 1 else 0.0
        i0 = min(int(math.floor(c)), src - 1)
        f = c - i0
        if i0 + 1 < src:
            m[d, i0] += 1 - f
            m[d, i0 + 1] += f
        else:
            m[d, i0] += 1
    return m


def resize_bilinear(img, h, w):
    """img: H x W or C x H x W torch; rows then columns."""
    r = scale_matrix(img.shape[-2], h)
    c = scale_matrix(img.shape[-1], w)
    return torch.matmul(torch.matmul(r, img), c.T)


def nearest_index(src, dst):
    return [min((i * src) // dst, src - 1) for i in range(dst)]


def resize_nearest(img, h, w):
    ri = nearest_index(img.shape[-2], h)
    ci = nearest_index(img.shape[-1], w)
    return img[..., ri, :][..., ci]


def layer_masks(net, loose, names):
    """The loose mask walked through the network, at each named relu layer."""
    m, got = loose.clone(), {}
    for kind, name, _ in net.ops():
        if kind == "conv":
            m = Fn.avg_pool2d(m[None, None], 3, stride=1, padding=1, count_include_pad=True)[0, 0]
        elif kind == "pool":
            m = resize_bilinear(m, (m.shape[0] + 1) // 2, (m.shape[1] + 1) // 2)
        if name in names:
            got[name] = m.clone()
            if len(got) == len(names):
                break
    return got


def gaussian_blur7(m, sigma=21.0):
    t = torch.arange(-3, 4, dtype=torch.float64)
    k = torch.exp(-t * t / (2 * sigma * sigma))
    k = k / k.sum()
    k2 = torch.outer(k, k)
    return Fn.conv2d(m[None, None], k2[None, None], padding=3)[0, 0]


def compose(x, painting_pre, tight_blur):
    """x * tightBlur + painting * (1 - tightBlur), in Caffe space, deprocessed and clamped."""
    return deprocess(x * tight_blur + painting_pre * (1 - tight_blur))


def gram(F):
    f = F.reshape(F.shape[0], -1)
    return f @ f.T


def gram_backward(dG, Fm):
    """d/dF' of <dG, F'F'^T> at F' = Fm."""
    C = Fm.shape[0]
    return ((dG + dG.T) @ Fm.reshape(C, -1)).reshape(Fm.shape)


def tv_grad(x):
    g = torch.zeros_like(x)
    dx = x[:, :-1, :-1] - x[:, :-1, 1:]
    dy = x[:, :-1, :-1] - x[:, 1:, :-1]
    g[:, :-1, :-1] += dx + dy
    g[:, :-1, 1:] -= dx
    g[:, 1:, :-1] -= dy
    return g


def shifted(F, dy, dx):
    """G(p) = F(p + d), zero where p + d is outside the map."""
    C, H, W = F.shape
    G = torch.zeros_like(F)
    y0, y1 = max(0, -dy), min(H, H - dy)
    x0, x1 = max(0, -dx), min(W, W - dx)
    if y0 < y1 and x0 < x1:
        G[:, y0:y1, x0:x1] = F[:, y0 + dy:y1 + dy, x0 + dx:x1 + dx]
    return G


def first_argmax(score):
    """Row-wise argmax, lowest index on ties."""
    return torch.as_tensor(np.argmax(score.numpy(), axis=1))


# ---------------------------------------------------------------- network walk with loss modules

def evaluate(net, x, modules, masks):
    """Forward to the top loss layer; backward with the in-network rule.

    modules: layer name -> list of callables in forward order; each takes F (detached) and
    returns (value, own gradient); at that layer g = (g + own) * m_L for each module in reverse
    order. Returns (dict of term values, gradient w.r.t. x)."""
    top_index = max(i for i, op in enumerate(net.ops()) if op[1] in modules)
    leaf = x.detach().clone().requires_grad_(True)
    segs, h, start = [], leaf, leaf
    for op in net.ops()[:top_index + 1]:
        h = apply_op(op, h)
        if op[1] in modules:
            segs.append((op[1], start, h))
            start = h.detach().requires_grad_(True)
            h = start
    values, g = {}, None
    for name, inp, out in reversed(segs):
        F = out.detach()
        if g is None:
            g = torch.zeros_like(F)
        for key, mod in reversed(modules[name]):
            val, own = mod(F)
            values[key] = val
            g = (g + own) * masks[name]
        g = torch.autograd.grad(out, inp, g)[0]
    return values, g


# ---------------------------------------------------------------- pass 1

def ncc_match(F, S):
    """For every p of F the flat index of S's best 3x3 patch by normalised cross-correlation."""
    C, H, W = F.shape
    N = H * W
    dot = torch.zeros(N, N)
    nF = torch.zeros(N, N)
    nS = torch.zeros(N, N)
    ones = torch.ones(1, H, W)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            Fd = shifted(F, dy, dx).reshape(C, N)
            Sd = shifted(S, dy, dx).reshape(C, N)
            vF = shifted(ones, dy, dx).reshape(N)
            vS = shifted(ones, dy, dx).reshape(N)
            dot += Fd.T @ Sd
            nF += torch.outer((Fd * Fd).sum(0), vS)
            nS += torch.outer(vF, (Sd * Sd).sum(0))
    score = dot / (torch.sqrt(nF) * torch.sqrt(nS) + 1e-9)
    return first_argmax(score)


def pass1_setup(net, painting_pre, composite_pre, loose):
    layers = sorted(set(PASS1_CONTENT + PASS1_STYLE))
    masks = layer_masks(net, loose, layers)
    Fc = features(net, composite_pre, layers)
    S = features(net, painting_pre, layers)
    targets, matches = {}, {}
    for L in PASS1_STYLE:
        C = S[L].shape[0]
        q = ncc_match(Fc[L], S[L])
        matches[L] = q
        M = S[L].reshape(C, -1)[:, q].reshape(S[L].shape) * masks[L]
        targets[L] = gram(M) / (C * masks[L].sum())
    return {"masks": masks, "content": {L: Fc[L] for L in PASS1_CONTENT}, "targets": targets,
            "matches": matches, "loose": loose}


def pass1_modules(ctx, content_weight=5.0, style_weight=100.0):
    mods = {}

    def content(L):
        Fc = ctx["content"][L]

        def f(F):
            d = F - Fc
            return content_weight * torch.mean(d * d).item(), content_weight * 2 * d / d.numel()
        return f

    def style(L):
        T, m = ctx["targets"][L], ctx["masks"][L]

        def f(F):
            C = F.shape[0]
            Fm = F * m
            norm = C * m.sum()
            G = gram(Fm) / norm
            d = G - T
            dG = style_weight * 2 * d / d.numel()
            return style_weight * torch.mean(d * d).item(), gram_backward(dG, Fm) / norm
        return f

    for L in PASS1_CONTENT:
        mods.setdefault(L, []).append(("content", content(L)))
    for L in PASS1_STYLE:
        mods.setdefault(L, []).append(("style_" + L, style(L)))
    return mods


def pass1_eval(net, ctx, x, tv_weight=1e-3):
    values, g = evaluate(net, x, pass1_modules(ctx), ctx["masks"])
    g = (g + tv_weight * tv_grad(x)) * ctx["loose"]
    return values, g


# ---------------------------------------------------------------- pass 2

def pass2_weights(painting_rgb, s):
    p = torch.as_tensor(np.asarray(painting_rgb, dtype=np.float64))
    dx = p[:, :-1, :-1] - p[:, :-1, 1:]
    dy = p[:, :-1, :-1] - p[:, 1:, :-1]
    noise = torch.median(((dx * dx + dy * dy) / 2).reshape(-1)).item()  # lower median if even
    tv = 10.0 / (1.0 + math.exp(1e4 * noise - 25.0))
    return {"noise": noise, "tv": tv, "content": 1.0, "style": s, "histogram": (10.0 - tv) * s,
            "tv_weight": tv * s}


def plain_match(A, P):
    """Pass 2 raw match at the reference layer: unit vectors, 3x3 plain sum, border rule."""
    C, H, W = A.shape
    N = H * W
    An = A / (A.norm(dim=0, keepdim=True) + 1e-8)
    Pn = P / (P.norm(dim=0, keepdim=True) + 1e-8)
    score = torch.zeros(N, N)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            score += shifted(An, dy, dx).reshape(C, N).T @ shifted(Pn, dy, dx).reshape(C, N)
    ys = torch.arange(N) // W
    xs = torch.arange(N) % W
    allowed = torch.ones(N, N, dtype=torch.bool)
    for coord, edge in ((xs, 0), (xs, W - 1), (ys, 0), (ys, H - 1)):
        q_on = coord == edge
        p_on = coord == edge
        allowed &= ~(q_on[None, :] & ~p_on[:, None])
    score[~allowed] = -math.inf
    return first_argmax(score)


def refine(nnf, tight, guide, H, W, size=5):
    """One round of consistency refinement, reading the raw field."""
    r = size // 2
    qy, qx = nnf // W, nnf % W
    out = nnf.clone()
    for py in range(H):
        for px in range(W):
            if tight[py, px] <= 0:
                continue
            best, best_score = None, None
            for dy in range(-r, r + 1):
                for dx in range(-r, r + 1):
                    ny, nx = py + dy, px + dx
                    if not (0 <= ny < H and 0 <= nx < W):
                        continue
                    cy, cx = int(qy[ny * W + nx]) - dy, int(qx[ny * W + nx]) - dx
                    if not (2 <= cx < W - 3 and 2 <= cy < H - 3):
                        continue
                    total, count = 0.0, 0
                    for ey in range(-r, r + 1):
                        for ex in range(-r, r + 1):
                            my, mx = py + ey, px + ex
                            if not (0 <= my < H and 0 <= mx < W):
                                continue
                            oy, ox = int(qy[my * W + mx]) - ey, int(qx[my * W + mx]) - ex
                            if not (0 <= oy < H and 0 <= ox < W):
                                continue
                            total += torch.linalg.norm(guide[:, cy, cx] - guide[:, oy, ox]).item()
                            count += 1
                    sc = total / count
                    if best_score is None or sc < best_score:
                        best, best_score = cy * W + cx, sc
            if best is not None:
                out[py * W + px] = best
    return out


def used_region(nnf, tight, H, W):
    R = torch.zeros(H, W)
    for p in range(H * W):
        if tight.reshape(-1)[p] > 0:
            qy, qx = int(nnf[p]) // W, int(nnf[p]) % W
            R[max(0, qy - 1):qy + 2, max(0, qx - 1):qx + 2] = 1.0
    return R


def hist_bins(v, lo, hi):
    b = torch.floor((v - lo) / (hi - lo) * 256).long()
    return b.clamp(0, 255)


def pass2_setup(net, painting_rgb, painting_pre, composite_pre, pass1_pre, tight_rgb_size, loose, s):
    weights = pass2_weights(painting_rgb, s)
    masks = layer_masks(net, loose, PASS2_LAYERS)
    A = features(net, pass1_pre, PASS2_LAYERS)
    P = features(net, painting_pre, PASS2_LAYERS)
    Fc = features(net, composite_pre, ["relu4_1"])
    C4, H4, W4 = P[PASS2_REF].shape
    tight4 = resize_nearest((tight_rgb_size > 0.1).double(), H4, W4)
    raw = plain_match(A[PASS2_REF], P[PASS2_REF])
    guide = resize_bilinear(torch.as_tensor(np.asarray(painting_rgb, dtype=np.float64)), H4, W4)
    nnf = refine(raw, tight4, guide, H4, W4)
    R4 = used_region(nnf, tight4, H4, W4)
    regions, targets, hists = {}, {}, {}
    for L in PASS2_LAYERS:
        C, H, W = P[L].shape
        R = R4 if L == PASS2_REF else resize_nearest(R4, H, W)
        regions[L] = R
        targets[L] = gram(P[L] * R) / (C * R.sum())
    degenerate = []
    for L in PASS2_HIST:
        C, H, W = P[L].shape
        sel = regions[L].reshape(-1) > 0.5
        nJ = int(sel.sum())
        nI = int((masks[L] > 0.1).sum())
        per = []
        for c in range(C):
            v = P[L][c].reshape(-1)[sel]
            lo, hi = v.min().item(), v.max().item()
            if hi == lo:
                degenerate.append((L, c))
                lo, hi = lo - 1.0, hi + 1.0
            h = torch.bincount(hist_bins(v, lo, hi), minlength=256).double() * (nI / nJ)
            per.append((lo, hi, h, torch.cumsum(h, 0)))
        hists[L] = per
    return {"weights": weights, "masks": masks, "content": Fc["relu4_1"], "targets": targets,
            "hists": hists, "degenerate": degenerate, "regions": regions, "nnf_raw": raw, "nnf": nnf, "tight4": tight4,
            "loose": loose}


def hist_remap(F, m, per):
    """R on the positions m > 0.1 (rank-wise through the target cumulative histogram)."""
    C = F.shape[0]
    sel = torch.nonzero(m.reshape(-1) > 0.1).reshape(-1)
    Rmap = F.clone().reshape(C, -1)
    for c in range(C):
        lo, hi, h, cum = per[c]
        vals = F[c].reshape(-1)[sel]
        order = torch.as_tensor(np.argsort(vals.numpy(), kind="stable"))
        k = torch.arange(len(sel), dtype=torch.float64)
        b = torch.searchsorted(cum, k, right=True).clamp(max=255)
        prev = torch.where(b > 0, cum[(b - 1).clamp(min=0)], torch.zeros_like(k))
        ratio = ((k - prev) / (h[b] + 1e-8)).clamp(0.0, 1.0)
        Rv = lo + (b.double() + ratio) * (hi - lo) / 256
        Rmap[c, sel[order]] = Rv
    return Rmap.reshape(F.shape), sel


def normalise(g, weight):
    return g / (g.norm() + 1e-8) * weight


def pass2_modules(ctx):
    w, masks = ctx["weights"], ctx["masks"]
    mods = {}

    def content(L):
        Fc, m = ctx["content"], masks[L]

        def f(F):
            d = F * m - Fc * m
            raw = 2 * d / d.numel() * m
            return w["content"] * torch.mean(d * d).item(), normalise(raw, w["content"])
        return f

    def style(L):
        T, m = ctx["targets"][L], masks[L]

        def f(F):
            C = F.shape[0]
            Fm = F * m
            norm = C * m.sum()
            d = gram(Fm) / norm - T
            raw = gram_backward(2 * d / d.numel(), Fm) / norm * m
            return w["style"] * torch.mean(d * d).item(), normalise(raw, w["style"])
        return f

    def hist(L):
        per, m = ctx["hists"][L], masks[L]

        def f(F):
            Rmap, sel = hist_remap(F, m, per)
            raw = torch.zeros_like(F).reshape(F.shape[0], -1)
            raw[:, sel] = (F - Rmap).reshape(F.shape[0], -1)[:, sel]
            raw = raw.reshape(F.shape)
            return (raw * raw).sum().item() * w["histogram"] / F.numel(), normalise(raw, w["histogram"])
        return f

    # forward order at a layer: content, style, histogram
    for L in PASS2_LAYERS:
        if L == "relu4_1":
            mods.setdefault(L, []).append(("content", content(L)))
        mods.setdefault(L, []).append(("style_" + L, style(L)))
        if L in PASS2_HIST:
            mods.setdefault(L, []).append(("hist_" + L, hist(L)))
    return mods


def pass2_eval(net, ctx, x):
    values, g = evaluate(net, x, pass2_modules(ctx), ctx["masks"])
    loose = ctx["loose"]
    t = normalise(tv_grad(x) * loose, ctx["weights"]["tv_weight"])
    g = (g + t) * loose
    return values, g * loose


# ---------------------------------------------------------------- section 4: L-BFGS

def lbfgs(feval, x, max_iter, lr, tol_fun, tol_x, history=100):
    """Returns (x, record). feval(x) -> (f, g) on flat float64 tensors."""
    x = x.clone()
    f, g = feval(x)
    evals, record = 1, {"losses": [f]}
    if g.abs().sum() <= tol_fun:
        record.update(iterations=0, evaluations=evals, stop="tolFun at start")
        return x, record
    old_s, old_y = [], []
    H = 1.0
    d = t = g_prev = f_prev = None
    n_iter, stop = 0, "maxIter"
    while n_iter < max_iter:
        n_iter += 1
        if n_iter == 1:
            d = -g
        else:
            y = g - g_prev
            s = d * t
            ys = torch.dot(y, s).item()
            if ys > 1e-10:
                if len(old_s) == history:
                    old_s.pop(0)
                    old_y.pop(0)
                old_s.append(s)
                old_y.append(y)
                H = ys / torch.dot(y, y).item()
            q = -g
            al = [0.0] * len(old_s)
            rho = [1.0 / torch.dot(old_y[i], old_s[i]).item() for i in range(len(old_s))]
            for i in range(len(old_s) - 1, -1, -1):
                al[i] = torch.dot(old_s[i], q).item() * rho[i]
                q = q - al[i] * old_y[i]
            r = q * H
            for i in range(len(old_s)):
                be = torch.dot(old_y[i], r).item() * rho[i]
                r = r + (al[i] - be) * old_s[i]
            d = r
        g_prev, f_prev = g.clone(), f
        if torch.dot(g, d).item() > -tol_x:
            stop = "gtd > -tolX"
            break
        t = min(1.0, 1.0 / g.abs().sum().item()) * lr if n_iter == 1 else lr
        x = x + t * d
        if n_iter != max_iter:
            f, g = feval(x)
            evals += 1
            record["losses"].append(f)
        if n_iter == max_iter:
            stop = "maxIter"
            break
        if evals >= max_iter * 1.25:
            stop = "maxEval"
            break
        if g.abs().sum().item() <= tol_fun:
            stop = "tolFun"
            break
        if (d * t).abs().sum().item() <= tol_x:
            stop = "tolX (step)"
            break
        if abs(f - f_prev) < tol_x:
            stop = "tolX (f)"
            break
    record.update(iterations=n_iter, evaluations=evals, stop=stop)
    return x, record


def run_pass(eval_fn, x0, max_iter, lr, tol_fun, tol_x):
    shape = x0.shape

    def feval(flat):
        values, g = eval_fn(flat.reshape(shape))
        return sum(values.values()), g.reshape(-1)
    x, rec = lbfgs(feval, x0.reshape(-1), max_iter, lr, tol_fun, tol_x)
    return x.reshape(shape), rec


def harmonize(net, painting_rgb, composite_rgb, tight, loose, s, iters1=1000, iters2=1000):
    """End-to-end passes 1 and 2 (inputs at working size, float arrays). Returns RGB outputs."""
    painting_pre, composite_pre = preprocess(painting_rgb), preprocess(composite_rgb)
    tight_t = torch.as_tensor(np.asarray(tight, dtype=np.float64))
    loose_t = torch.as_tensor(np.asarray(loose, dtype=np.float64))
    tb = gaussian_blur7(tight_t)
    ctx1 = pass1_setup(net, painting_pre, composite_pre, loose_t)
    x1, rec1 = run_pass(lambda x: pass1_eval(net, ctx1, x), composite_pre, iters1, 1.0, 1e-5, 1e-9)
    out1 = compose(x1, painting_pre, tb)
    ctx2 = pass2_setup(net, painting_rgb, painting_pre, composite_pre, preprocess(out1.numpy()),
                       tight_t, loose_t, s)
    x2, rec2 = run_pass(lambda x: pass2_eval(net, ctx2, x), composite_pre, iters2, 0.1, -1, -1)
    return out1, compose(x2, painting_pre, tb), rec1, rec2


# ---------------------------------------------------------------- synthetic example

def make_example(rng, noise_sigma=0.025):
    """Painting: mild colour gradients, many oriented strokes, noise. Object: a checkered ellipse
    (strongly unlike the painting, so the relu4_1 match is not the identity inside it)."""
    H, W = HEIGHT, WIDTH
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    p = np.stack([0.55 + 0.09 * np.sin(xx / 11.0 + 0.4) * np.cos(yy / 17.0),
                  0.45 + 0.075 * np.cos((xx + yy) / 14.0),
                  0.50 + 0.09 * np.sin(yy / 9.0 - xx / 23.0)])
    for _ in range(80):  # oriented strokes
        cy, cx = rng.uniform(0, H), rng.uniform(0, W)
        ang = rng.normal(0.6, 0.3)
        length, width = rng.uniform(6, 16), rng.uniform(1.0, 2.2)
        col = rng.uniform(0.05, 0.95, size=3)
        u = (xx - cx) * math.cos(ang) + (yy - cy) * math.sin(ang)
        v = -(xx - cx) * math.sin(ang) + (yy - cy) * math.cos(ang)
        a = np.clip(1.2 - np.abs(v) / width, 0, 1) * np.clip((length / 2 - np.abs(u)) / 2, 0, 1) * 0.8
        p = p * (1 - a) + col[:, None, None] * a
    p = np.clip(p + rng.normal(0, noise_sigma, size=p.shape), 0, 1).astype(np.float32)

    cy, cx, ay, ax = (H - 1) / 2, (W - 1) / 2, 12.0, 15.0
    rho = np.sqrt(((yy - cy) / ay) ** 2 + ((xx - cx) / ax) ** 2)
    sd = (rho - 1) * (ay + ax) / 2  # approximate signed distance in px
    tight = np.clip(0.5 - sd / 1.5, 0, 1).astype(np.float32)
    loose = np.clip(0.5 - (sd - 5.0) / 2.0, 0, 1).astype(np.float32)
    check = (np.floor(xx / 4) + np.floor(yy / 4)) % 2
    obj = np.stack([0.1 + 0.85 * check, 0.1 + 0.15 * (yy - cy) / ay + 0.1, 0.95 - 0.85 * check])
    obj = np.clip(obj + rng.normal(0, 0.02, size=obj.shape), 0, 1)
    comp = (p * (1 - tight) + obj * tight).astype(np.float32)
    return p, comp, tight, loose


# ---------------------------------------------------------------- self-checks

def self_check(net, painting_pre, composite_pre, loose, rng):
    """The in-network rule must equal autograd where it has to: unit masks (pass 1), and each
    pass-2 module's raw gradient against autograd of its own loss."""
    ones_ctx = pass1_setup(net, painting_pre, composite_pre, torch.ones_like(loose))
    ones_ctx["masks"] = {L: torch.ones_like(m) for L, m in ones_ctx["masks"].items()}
    for L in PASS1_STYLE:  # targets with unit masks
        S = features(net, painting_pre, [L])[L]
        C = S.shape[0]
        M = S.reshape(C, -1)[:, ones_ctx["matches"][L]].reshape(S.shape)
        ones_ctx["targets"][L] = gram(M) / (C * S[0].numel())
    x = composite_pre + torch.as_tensor(rng.normal(0, 5.0, size=composite_pre.shape))
    values, g = pass1_eval(net, ones_ctx, x)
    xa = x.clone().requires_grad_(True)
    h, total = xa, 0
    for op in net.ops():
        h = apply_op(op, h)
        if op[1] == "relu4_1":
            total = total + 5 * torch.mean((h - ones_ctx["content"]["relu4_1"]) ** 2)
        if op[1] in PASS1_STYLE:
            C = h.shape[0]
            G = gram(h) / (C * h[0].numel())
            total = total + 100 * torch.mean((G - ones_ctx["targets"][op[1]]) ** 2)
        if op[1] == "relu5_1":
            break
    dxx = xa[:, :-1, :-1] - xa[:, :-1, 1:]
    dyy = xa[:, :-1, :-1] - xa[:, 1:, :-1]
    (total + 1e-3 * 0.5 * ((dxx ** 2).sum() + (dyy ** 2).sum())).backward()
    err = ((g - xa.grad).norm() / xa.grad.norm()).item()
    assert abs(sum(values.values()) - total.item()) <= 1e-12 * abs(total.item()), "pass-1 loss"
    assert err < 1e-10, "pass-1 gradient rule vs autograd: %g" % err
    print("self-check: pass 1 with unit masks matches autograd (rel. err %.2e)" % err)

    # masked style own gradient (pass 1) and pass-2 raw module gradients vs autograd w.r.t. F
    masks = layer_masks(net, loose, ["relu4_1"])
    m = masks["relu4_1"]
    F = features(net, x, ["relu4_1"])["relu4_1"]
    T = gram(F * 0.7) / (F.shape[0] * m.sum())
    Fa = F.clone().requires_grad_(True)
    C = F.shape[0]
    loss = torch.mean((gram(Fa * m) / (C * m.sum()) - T) ** 2)
    loss.backward()
    d = gram(F * m) / (C * m.sum()) - T
    mine = gram_backward(2 * d / d.numel(), F * m) / (C * m.sum()) * m
    err2 = ((mine - Fa.grad).norm() / Fa.grad.norm()).item()
    assert err2 < 1e-10, err2
    print("self-check: masked Gram backward * m matches autograd (rel. err %.2e)" % err2)


# ---------------------------------------------------------------- fixture mode

def main():
    layers = make_net(np.random.default_rng(SEED))
    painting, composite, tight, loose = make_example(np.random.default_rng(EXAMPLE_SEED))
    OUT.mkdir(parents=True, exist_ok=True)
    write_safetensors(OUT / "net.safetensors", layers)
    net = Net.load(OUT / "net.safetensors")
    for name, arr in (("painting", painting), ("composite", composite), ("tight", tight), ("loose", loose)):
        np.save(OUT / (name + ".npy"), arr)

    painting_pre, composite_pre = preprocess(painting), preprocess(composite)
    tight_t, loose_t = torch.as_tensor(tight.astype(np.float64)), torch.as_tensor(loose.astype(np.float64))
    self_check(net, painting_pre, composite_pre, loose_t, np.random.default_rng(SEED + 1))

    # pass 1
    ctx1 = pass1_setup(net, painting_pre, composite_pre, loose_t)
    v1, g1 = pass1_eval(net, ctx1, composite_pre)
    np.save(OUT / "pass1_grad.npy", g1.numpy().astype(np.float32))
    x1, rec1 = run_pass(lambda x: pass1_eval(net, ctx1, x), composite_pre, PASS1_ITERATIONS, 1.0, 1e-5, 1e-9)
    tb = gaussian_blur7(tight_t)
    out1 = compose(x1, painting_pre, tb).numpy().astype(np.float32)
    np.save(OUT / "pass1_output.npy", out1)

    # pass 2, matched from the stored float32 pass-1 output
    ctx2 = pass2_setup(net, painting, painting_pre, composite_pre, preprocess(out1), tight_t, loose_t,
                       STYLE_LEVEL)
    v2, g2 = pass2_eval(net, ctx2, composite_pre)
    np.save(OUT / "pass2_grad.npy", g2.numpy().astype(np.float32))
    H4, W4 = ctx2["tight4"].shape
    np.save(OUT / "pass2_nnf_raw.npy", ctx2["nnf_raw"].numpy().astype(np.float32).reshape(H4, W4))
    np.save(OUT / "pass2_nnf.npy", ctx2["nnf"].numpy().astype(np.float32).reshape(H4, W4))
    np.save(OUT / "pass2_tight4.npy", ctx2["tight4"].numpy().astype(np.float32))
    np.save(OUT / "pass2_region.npy", ctx2["regions"]["relu4_1"].numpy().astype(np.float32))

    terms = {"pass1": {"content": v1["content"]}, "pass2": {"content": v2["content"]}}
    for L in PASS1_STYLE:
        terms["pass1"]["style_" + L] = v1["style_" + L]
    for L in PASS2_LAYERS:
        terms["pass2"]["style_" + L] = v2["style_" + L]
    for L in PASS2_HIST:
        terms["pass2"]["hist_" + L] = v2["hist_" + L]
    (OUT / "terms.json").write_text(json.dumps(terms, indent=2) + "\n")

    w = ctx2["weights"]
    meta = {"height": HEIGHT, "width": WIDTH, "style_level": STYLE_LEVEL,
            "pass1_iterations": PASS1_ITERATIONS,
            "pass1_lbfgs": {"iterations_done": rec1["iterations"], "evaluations": rec1["evaluations"],
                            "stop": rec1["stop"], "losses": rec1["losses"]},
            "pass2_weights": {"noise": w["noise"], "tv": w["tv"], "content": w["content"],
                              "style": w["style"], "histogram": w["histogram"], "tv_weight": w["tv_weight"]},
            "pass1_layer_mask_sums": {L: ctx1["masks"][L].sum().item() for L in ctx1["masks"]},
            "pass2_layer_mask_sums": {L: ctx2["masks"][L].sum().item() for L in ctx2["masks"]},
            "pass2_region_counts": {L: int(ctx2["regions"][L].sum().item()) for L in PASS2_LAYERS},
            "pass2_hist_nI": {L: int((ctx2["masks"][L] > 0.1).sum()) for L in PASS2_HIST}}
    assert not ctx2["degenerate"], ctx2["degenerate"]
    Fh = features(net, composite_pre, PASS2_HIST)
    ties = {}
    for L in PASS2_HIST:
        sel = (ctx2["masks"][L] > 0.1).reshape(-1)
        vals = Fh[L].reshape(Fh[L].shape[0], -1)[:, sel]
        ties[L] = int(sum(len(v) - len(torch.unique(v)) for v in vals))
    meta["pass2_hist_tied_values_at_first_eval"] = ties
    (OUT / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")

    print("pass-2 weights:", json.dumps(meta["pass2_weights"]))
    print("pass 1 L-BFGS:", rec1["iterations"], "iterations,", rec1["evaluations"], "evaluations, stop:",
          rec1["stop"])
    print("pass 1 losses:", ["%.6g" % f for f in rec1["losses"]])
    print("terms:", json.dumps(terms, indent=2))
    print("tight4:\n", ctx2["tight4"].numpy().astype(int))
    print("nnf raw:\n", ctx2["nnf_raw"].numpy().reshape(H4, W4))
    print("nnf refined:\n", ctx2["nnf"].numpy().reshape(H4, W4))
    print("region:\n", ctx2["regions"]["relu4_1"].numpy().astype(int))
    print("|pass1_grad| = %.6g, |pass2_grad| = %.6g" % (g1.norm().item(), g2.norm().item()))


if __name__ == "__main__":
    main()
