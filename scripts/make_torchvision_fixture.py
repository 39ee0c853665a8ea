#!/usr/bin/python3
"""Writes tests/AlexNet.Tests/Fixtures/torchvision-alexnet-logits.json: PyTorch's logits of torchvision's AlexNet
filled with deterministic weights, for TorchvisionFixtureTests to match after importing the same weights through
SafeTensorsImport.

The full model (244 MB) is not stored: every weight and input comes from a formula that this script (numpy) and the
C# test compute bit for bit identically:

    u = (i * 2654435761 + seed * 40503 + 12345) mod 2^32          i = flat element index, seed = tensor seed
    u ^= u >> 15;  u = (u * 2246822519) mod 2^32;  u ^= u >> 13
    k = u >> 8                                                    (24 bits)
    value = float32(((2k - 2^24) / 2^24) * scale)                 (float64 arithmetic, then one rounding to float32)

Tensor j of torchvision's state_dict order (features.0.weight, features.0.bias, ..., classifier.6.bias) has seed j and
scale sqrt(6 / fan-in) (He's uniform range, which keeps the activations' scale through the ReLUs so the logits are of
order 1; a bias takes its weight's fan-in); the images have seed 1000 + image index and scale 1.

Logits are written for 2 images of 3x64x64 (the features end at 1x1 and the adaptive pooling repeats them to 6x6) with
the float32 weights and with the weights rounded to float16 and to bfloat16 (round to nearest even, as the safetensors
writer does, so the C# test imports F16/BF16 files and must match exactly these), and for 1 image of 3x224x224 with
the float32 weights. Run with Debian's python3-torch and python3-torchvision:  /usr/bin/python3 scripts/make_torchvision_fixture.py
"""
import json
import math
import os
import tempfile

import numpy as np
import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "AlexNet.Tests", "Fixtures", "torchvision-alexnet-logits.json")


def formula(count, seed, scale):
    i = np.arange(count, dtype=np.uint64)
    mask = np.uint64(0xFFFFFFFF)
    u = (i * np.uint64(2654435761) + np.uint64(seed * 40503 + 12345)) & mask
    u ^= u >> np.uint64(15)
    u = (u * np.uint64(2246822519)) & mask
    u ^= u >> np.uint64(13)
    k = (u >> np.uint64(8)).astype(np.float64)
    return (((2.0 * k - 16777216.0) / 16777216.0) * scale).astype(np.float32)


def fan_in(state, name):
    weight = state[name[: -len("bias")] + "weight"] if name.endswith(".bias") else state[name]
    return weight[0].numel()


def fill(model):
    state = model.state_dict()
    names = list(state.keys())
    filled = {}
    for seed, name in enumerate(names):
        t = state[name]
        filled[name] = torch.from_numpy(formula(t.numel(), seed, math.sqrt(6.0 / fan_in(state, name))).reshape(tuple(t.shape)))
    return names, filled


def images(count, size):
    return torch.stack([torch.from_numpy(formula(3 * size * size, 1000 + n, 1.0).reshape(3, size, size)) for n in range(count)])


def logits(model, weights, x):
    model.load_state_dict(weights)
    with torch.no_grad():
        return model(x)


def main():
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model = torchvision.models.alexnet(weights=None).eval()
    names, weights = fill(model)
    rounded = {
        "F16": {k: v.half().float() for k, v in weights.items()},
        "BF16": {k: v.to(torch.bfloat16).float() for k, v in weights.items()},
    }
    small = images(2, 64)
    runs = [{"size": 64, "images": 2, "dtype": "F32", "logits": logits(model, weights, small)}]
    for dtype, w in rounded.items():
        runs.append({"size": 64, "images": 2, "dtype": dtype, "logits": logits(model, w, small)})
    runs.append({"size": 224, "images": 1, "dtype": "F32", "logits": logits(model, weights, images(1, 224))})
    document = {
        "source": f"torch {torch.__version__}, torchvision {torchvision.__version__}, scripts/make_torchvision_fixture.py",
        "tensors": [{"name": n, "seed": s, "shape": list(weights[n].shape), "fanIn": fan_in(weights, n)} for s, n in enumerate(names)],
        "imageSeedBase": 1000,
        "runs": [{"size": r["size"], "images": r["images"], "dtype": r["dtype"],
                  "logits": [[float(f"{v:.9g}") for v in row] for row in r["logits"].tolist()]} for r in runs],
    }
    folder = os.path.dirname(OUT)
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(document, f, separators=(",", ":"))
        f.write("\n")
    os.chmod(temp, 0o644)
    os.replace(temp, OUT)
    print(f"wrote {OUT}: {sum(r['logits'].numel() for r in runs)} logits")


if __name__ == "__main__":
    main()
