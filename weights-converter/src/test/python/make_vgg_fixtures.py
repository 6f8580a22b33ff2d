#!/usr/bin/python3
"""Golden fixtures for the weights converter and the engine's VGG-19 tests.

A small network shaped like VGG-19 (the same 16 3x3 convolutions, ReLUs and four 2x2 stride-2
max pools in ceil mode after conv1_2, conv2_2, conv3_4 and conv4_4) but with narrow channels,
random weights from a fixed seed, stored the ways real VGG-19 weights come:

  tiny_vgg19_zip.pth            torch.save's zip format (PyTorch >= 1.6), torchvision's names
  tiny_vgg19_legacy.pth         torch.save(..., _use_new_zipfile_serialization=False)
  tiny_vgg19_v2.caffemodel      Caffe NetParameter, new `layer` layout, blobs with `shape`
  tiny_vgg19_v1.caffemodel      Caffe NetParameter, old `layers` layout (V1 enums), blobs with
                                num/channels/height/width
  expected_torchvision.safetensors, expected_caffe.safetensors
                                what the converter must produce (our painterly-vgg19 format)
  input.npy                     an RGB image in [0,1], float32, 3 x 29 x 37 (odd sides, so ceil
                                and floor pooling differ)
  <c>/relu1_1.npy ... <c>/relu5_1.npy, <c>/grad_input.npy, <c>/loss.txt
                                for c in {torchvision, caffe}: activations (C x H x W) of the
                                network on the input preprocessed in that convention, and the
                                gradient of L = sum over those five layers of mean(a^2) with
                                respect to the preprocessed input (in the convention's channel
                                order); computed in float64, stored as float32.

The Caffe files hold the same network in Caffe's convention: conv1_1 takes BGR, so its input
channels are reversed; every other weight is identical. The PyTorch files mix in what a reader
must cope with: non-conv entries (a float classifier layer and an int64 counter), a transposed
(non-contiguous) weight (conv5_3) and a weight and bias that are views into one shared storage
at an offset (conv5_4). The Caffe files mix in non-conv layers with and without blobs, nested
parameter messages, packed and unpacked repeated fields, a weight split over two packed chunks
and one bias stored as double_data.

Regenerate, from the repository root (needs only PyTorch and NumPy; Debian's python3-torch):

    /usr/bin/python3 weights-converter/src/test/python/make_vgg_fixtures.py

Values are the same on every run; the legacy .pth differs in bytes between runs because
PyTorch names its storages after memory addresses.
"""

import collections
import json
import pathlib
import struct

import numpy as np
import torch

SEED = 20180404
OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "vgg"

CONV_NAMES = ["conv1_1", "conv1_2",
              "conv2_1", "conv2_2",
              "conv3_1", "conv3_2", "conv3_3", "conv3_4",
              "conv4_1", "conv4_2", "conv4_3", "conv4_4",
              "conv5_1", "conv5_2", "conv5_3", "conv5_4"]
CHANNELS = [4, 4, 6, 6, 8, 8, 8, 8, 10, 10, 10, 10, 12, 12, 12, 12]
# torchvision's vgg19: index of each convolution in `features` (ReLUs and pools in between).
FEATURE_INDEX = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34]
POOL_AFTER = {"conv1_2", "conv2_2", "conv3_4", "conv4_4"}
PROBED = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"]
HEIGHT, WIDTH = 29, 37

IMAGENET_MEAN = np.array([0.485, 0.456, 0.406])
IMAGENET_STD = np.array([0.229, 0.224, 0.225])
CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68])


def make_weights(rng):
    """Per layer (weight [out, in, 3, 3], bias [out]) as float32, in torchvision's RGB order."""
    layers = []
    cin = 3
    for cout in CHANNELS:
        w = rng.normal(0.0, np.sqrt(2.0 / (9 * cin)), size=(cout, cin, 3, 3)).astype(np.float32)
        b = (rng.uniform(0.01, 0.1, size=cout) * rng.choice([-1.0, 1.0], size=cout)).astype(np.float32)
        layers.append((w, b))
        cin = cout
    return layers


def to_caffe(layers):
    """Caffe's convention: conv1_1 reads BGR, so its input channels are reversed."""
    w, b = layers[0]
    return [(np.ascontiguousarray(w[:, ::-1]), b)] + list(layers[1:])


def state_dict(layers, rng):
    sd = collections.OrderedDict()
    for i, (name, (w, b)) in enumerate(zip(CONV_NAMES, layers)):
        weight, bias = torch.from_numpy(w.copy()), torch.from_numpy(b.copy())
        if name == "conv5_3":
            # Stored transposed: strides [9, out*9, 3, 1] instead of contiguous.
            weight = torch.from_numpy(np.ascontiguousarray(w.transpose(1, 0, 2, 3))).transpose(0, 1)
        elif name == "conv5_4":
            # Weight and bias as views into one storage, at offsets 7 and 7 + n + 2.
            n = w.size
            shared = torch.zeros(7 + n + 2 + b.size + 5, dtype=torch.float32)
            shared[7:7 + n] = torch.from_numpy(w.reshape(-1))
            shared[7 + n + 2:7 + n + 2 + b.size] = torch.from_numpy(b)
            weight = shared[7:7 + n].view(w.shape)
            bias = shared[7 + n + 2:7 + n + 2 + b.size]
        assert torch.equal(weight, torch.from_numpy(w)) and torch.equal(bias, torch.from_numpy(b))
        sd["features.%d.weight" % FEATURE_INDEX[i]] = weight
        sd["features.%d.bias" % FEATURE_INDEX[i]] = bias
    sd["classifier.0.weight"] = torch.from_numpy(rng.normal(size=(5, 12)).astype(np.float32))
    sd["classifier.0.bias"] = torch.from_numpy(rng.normal(size=5).astype(np.float32))
    sd["classifier.1.num_batches_tracked"] = torch.tensor(3, dtype=torch.int64)
    return sd


# ---- Protocol buffers by hand (Caffe's caffe.proto field numbers) ----

def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def tag(field, wire_type):
    return varint(field << 3 | wire_type)


def message(field, payload):
    return tag(field, 2) + varint(len(payload)) + payload


def string(field, text):
    return message(field, text.encode("utf-8"))


def integer(field, value):
    return tag(field, 0) + varint(value)


def packed_floats(field, values):
    return message(field, np.asarray(values, dtype="<f4").tobytes())


def unpacked_floats(field, values):
    return b"".join(tag(field, 5) + struct.pack("<f", v) for v in np.asarray(values, dtype=np.float32))


def packed_doubles(field, values):
    return message(field, np.asarray(values, dtype="<f8").tobytes())


def blob_v2(values, shape, packed_dims=True, as_double=False):
    """BlobProto with data (5) or double_data (8) and shape (7: BlobShape, dim = 1)."""
    flat = np.asarray(values).reshape(-1)
    data = packed_doubles(8, flat.astype(np.float64)) if as_double else packed_floats(5, flat)
    if packed_dims:
        dims = message(1, b"".join(varint(d) for d in shape))
    else:
        dims = b"".join(integer(1, d) for d in shape)
    return data + message(7, dims)


def blob_v1(values, nchw, data):
    """BlobProto with num (1), channels (2), height (3), width (4) and the given data fields."""
    head = b"".join(integer(f, d) for f, d in zip((1, 2, 3, 4), nchw))
    return head + data


def caffemodel_v2(layers, rng):
    # LayerParameter: name 1, type 2, bottom 3, top 4, blobs 7, convolution_param 106,
    # pooling_param 121, inner_product_param 117, input_param 143.
    net = string(1, "TinyVGG19")
    net += message(100, string(1, "input") + string(2, "Input") + string(4, "data")
                   + message(143, message(1, b"".join(integer(1, d) for d in (1, 3, HEIGHT, WIDTH)))))
    bottom = "data"
    pool = 0
    for name, (w, b) in zip(CONV_NAMES, layers):
        weight = blob_v2(w, w.shape)
        bias = blob_v2(b, b.shape, packed_dims=False, as_double=(name == "conv5_3"))
        conv_param = integer(1, w.shape[0]) + integer(3, 1) + integer(4, 3)
        net += message(100, string(1, name) + string(2, "Convolution") + string(3, bottom) + string(4, name)
                       + message(7, weight) + message(7, bias) + message(106, conv_param))
        relu = "relu" + name[4:]
        net += message(100, string(1, relu) + string(2, "ReLU") + string(3, name) + string(4, name))
        bottom = name
        if name in POOL_AFTER:
            pool += 1
            net += message(100, string(1, "pool%d" % pool) + string(2, "Pooling") + string(3, name)
                           + string(4, "pool%d" % pool) + message(121, integer(1, 0) + integer(2, 2) + integer(3, 2)))
            bottom = "pool%d" % pool
    fc_w = rng.normal(size=(5, 12)).astype(np.float32)
    fc_b = rng.normal(size=5).astype(np.float32)
    net += message(100, string(1, "fc6") + string(2, "InnerProduct") + string(3, bottom) + string(4, "fc6")
                   + message(7, blob_v2(fc_w, fc_w.shape)) + message(7, blob_v2(fc_b, fc_b.shape))
                   + message(117, integer(1, 5)))
    return net


V1_CONVOLUTION, V1_INNER_PRODUCT, V1_POOLING, V1_RELU = 4, 14, 17, 18


def caffemodel_v1(layers, rng):
    # NetParameter: name 1, layers 2, input 3, input_dim 4.
    # V1LayerParameter: bottom 2, top 3, name 4, type 5 (enum), blobs 6, blobs_lr 7,
    # weight_decay 8, convolution_param 10, inner_product_param 17, pooling_param 19.
    net = string(1, "TinyVGG19") + string(3, "data")
    net += b"".join(integer(4, d) for d in (1, 3, HEIGHT, WIDTH))
    bottom = "data"
    pool = 0
    for i, (name, (w, b)) in enumerate(zip(CONV_NAMES, layers)):
        flat = w.reshape(-1)
        if name == "conv2_1":
            # Protobuf allows a packed field in several chunks; the parts concatenate.
            weight_data = packed_floats(5, flat[:17]) + packed_floats(5, flat[17:])
        else:
            weight_data = packed_floats(5, flat)
        bias_data = unpacked_floats(5, b) if i % 2 == 0 else packed_floats(5, b)
        weight = blob_v1(w, w.shape, weight_data)
        bias = blob_v1(b, (1, 1, 1, b.size), bias_data)
        conv_param = integer(1, w.shape[0]) + integer(3, 1) + integer(4, 3)
        net += message(2, string(2, bottom) + string(3, name) + string(4, name) + integer(5, V1_CONVOLUTION)
                       + message(6, weight) + message(6, bias) + unpacked_floats(7, [1.0, 2.0])
                       + unpacked_floats(8, [1.0, 0.0]) + message(10, conv_param))
        net += message(2, string(2, name) + string(3, name) + string(4, "relu" + name[4:]) + integer(5, V1_RELU))
        bottom = name
        if name in POOL_AFTER:
            pool += 1
            net += message(2, string(2, name) + string(3, "pool%d" % pool) + string(4, "pool%d" % pool)
                           + integer(5, V1_POOLING) + message(19, integer(1, 0) + integer(2, 2) + integer(3, 2)))
            bottom = "pool%d" % pool
    fc_w = rng.normal(size=(5, 12)).astype(np.float32)
    fc_b = rng.normal(size=5).astype(np.float32)
    net += message(2, string(2, bottom) + string(3, "fc6") + string(4, "fc6") + integer(5, V1_INNER_PRODUCT)
                   + message(6, blob_v1(fc_w, (1, 1, 5, 12), packed_floats(5, fc_w.reshape(-1))))
                   + message(6, blob_v1(fc_b, (1, 1, 1, 5), packed_floats(5, fc_b)))
                   + message(17, integer(1, 5)))
    return net


# ---- Our format: safetensors with painterly-vgg19 metadata ----

def write_safetensors(path, layers, convention):
    header = {"__metadata__": {"format": "painterly-vgg19", "input_convention": convention}}
    chunks = []
    offset = 0
    for name, (w, b) in zip(CONV_NAMES, layers):
        for suffix, array in (("weight", w), ("bias", b)):
            raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
            header["%s.%s" % (name, suffix)] = {"dtype": "F32", "shape": list(array.shape),
                                                  "data_offsets": [offset, offset + len(raw)]}
            chunks.append(raw)
            offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


# ---- Reference forward and backward pass in float64 ----

def preprocess(rgb, convention):
    if convention == "torchvision":
        return (rgb - IMAGENET_MEAN[:, None, None]) / IMAGENET_STD[:, None, None]
    return rgb[::-1] * 256.0 - CAFFE_MEAN_BGR[:, None, None]


def reference(layers, rgb, convention):
    x = torch.from_numpy(np.ascontiguousarray(preprocess(rgb.astype(np.float64), convention)))
    x = x.unsqueeze(0).requires_grad_(True)
    probes = {}
    h = x
    for name, (w, b) in zip(CONV_NAMES, layers):
        h = torch.relu(torch.nn.functional.conv2d(h, torch.from_numpy(w).double(), torch.from_numpy(b).double(),
                                                  padding=1))
        if name in PROBED:
            probes["relu" + name[4:]] = h
        if name == PROBED[-1]:
            break
        if name in POOL_AFTER:
            h = torch.nn.functional.max_pool2d(h, kernel_size=2, stride=2, ceil_mode=True)
    loss = sum(torch.mean(a * a) for a in probes.values())
    loss.backward()
    return ({k: v.detach()[0].numpy() for k, v in probes.items()}, x.grad[0].numpy(), loss.item())


def main():
    rng = np.random.default_rng(SEED)
    torchvision_layers = make_weights(rng)
    caffe_layers = to_caffe(torchvision_layers)
    rgb = rng.random((3, HEIGHT, WIDTH)).astype(np.float32)
    OUT.mkdir(parents=True, exist_ok=True)

    sd = state_dict(torchvision_layers, rng)
    torch.save(sd, OUT / "tiny_vgg19_zip.pth")
    torch.save(sd, OUT / "tiny_vgg19_legacy.pth", _use_new_zipfile_serialization=False)
    (OUT / "tiny_vgg19_v2.caffemodel").write_bytes(caffemodel_v2(caffe_layers, rng))
    (OUT / "tiny_vgg19_v1.caffemodel").write_bytes(caffemodel_v1(caffe_layers, rng))
    write_safetensors(OUT / "expected_torchvision.safetensors", torchvision_layers, "torchvision")
    write_safetensors(OUT / "expected_caffe.safetensors", caffe_layers, "caffe")
    np.save(OUT / "input.npy", rgb)

    for convention, layers in (("torchvision", torchvision_layers), ("caffe", caffe_layers)):
        acts, grad, loss = reference(layers, rgb, convention)
        folder = OUT / convention
        folder.mkdir(exist_ok=True)
        for name, a in acts.items():
            np.save(folder / (name + ".npy"), a.astype(np.float32))
        np.save(folder / "grad_input.npy", grad.astype(np.float32))
        (folder / "loss.txt").write_text(repr(loss) + "\n")
        print(convention, "loss", loss, {k: v.shape for k, v in acts.items()})

    # The two conventions must describe one network: check the reloaded files agree.
    reloaded = torch.load(OUT / "tiny_vgg19_legacy.pth")
    for i, (w, b) in enumerate(torchvision_layers):
        assert torch.equal(reloaded["features.%d.weight" % FEATURE_INDEX[i]], torch.from_numpy(w))
        assert torch.equal(reloaded["features.%d.bias" % FEATURE_INDEX[i]], torch.from_numpy(b))


if __name__ == "__main__":
    main()
