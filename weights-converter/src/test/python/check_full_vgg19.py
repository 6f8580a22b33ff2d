#!/usr/bin/env python3
"""Checks a full-size VGG-19 end to end, as a user would: a randomly initialised torchvision
vgg19 saved in both PyTorch serialisations, converted with `painterly convert-weights`, run with
`painterly features`, must reproduce PyTorch's activations at relu1_1 .. relu5_1 within 1e-4
relative (L2). PyTorch's pooling is switched to ceil mode, as in Caffe's VGG-19 and ours.

Run from the repository root with Debian's python3-torch and python3-torchvision:
    /usr/bin/python3 weights-converter/src/test/python/check_full_vgg19.py [WORKDIR]
It writes about 1.1 GB of weights into WORKDIR (default /tmp/painterly-full-vgg19).
"""
import os
import subprocess
import sys

import numpy as np
import torch
import torchvision
from PIL import Image

LAYERS = {"relu1_1": 1, "relu2_1": 6, "relu3_1": 11, "relu4_1": 20, "relu5_1": 29}
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float64)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float64)


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/painterly-full-vgg19"
    os.makedirs(work, exist_ok=True)
    torch.manual_seed(2018)
    net = torchvision.models.vgg19()
    net.eval()
    paths = {"zip": os.path.join(work, "vgg19_zip.pth"), "legacy": os.path.join(work, "vgg19_legacy.pth")}
    torch.save(net.state_dict(), paths["zip"])
    torch.save(net.state_dict(), paths["legacy"], _use_new_zipfile_serialization=False)

    rng = np.random.default_rng(7)
    h, w = 97, 131
    pixels = (rng.random((h, w, 3)) * 255).round().astype(np.uint8)
    image = os.path.join(work, "input.png")
    Image.fromarray(pixels).save(image)

    features = net.features.double()
    for m in features:
        if isinstance(m, torch.nn.MaxPool2d):
            m.ceil_mode = True
    rgb = pixels.astype(np.float64) / 255.0
    x = torch.from_numpy(((rgb - MEAN) / STD).transpose(2, 0, 1).copy())[None]
    expected = {}
    with torch.no_grad():
        out = x
        for i, m in enumerate(features):
            out = m(out)
            for name, idx in LAYERS.items():
                if idx == i:
                    expected[name] = out[0].numpy()

    worst = 0.0
    for kind, path in paths.items():
        converted = os.path.join(work, f"vgg19_{kind}.safetensors")
        if os.path.exists(converted):
            os.remove(converted)
        subprocess.run(["./painterly", "convert-weights", path, converted], check=True)
        outdir = os.path.join(work, f"features_{kind}")
        subprocess.run(["./painterly", "features", "--overwrite", "--image", image, "--layers", ",".join(LAYERS),
                        "--out", outdir, "--weights", converted], check=True)
        for name in LAYERS:
            ours = np.load(os.path.join(outdir, f"{name}.npy")).astype(np.float64)
            ref = expected[name]
            assert ours.shape == ref.shape, (kind, name, ours.shape, ref.shape)
            rel = np.linalg.norm(ours - ref) / np.linalg.norm(ref)
            worst = max(worst, rel)
            print(f"{kind:6s} {name}: shape {ours.shape} relative L2 error {rel:.2e}")
    print(f"worst relative L2 error {worst:.2e} (limit 1e-4): {'OK' if worst <= 1e-4 else 'FAIL'}")
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
