#!/usr/bin/env python3
"""PyTorch reference for the GPU check: the paper's AlexNet (same wiring as bench/AlexNet.GpuCheck), fp32,
training step (SGD momentum 0.9, weight decay 5e-4, lr 0.01) and inference throughput, and peak memory.

Prints one line per measurement:
RESULT impl=pytorch mode=train|infer batch=N images_per_s=X ms_per_step=Y peak_mib=Z
"""
import argparse
import sys
import time

import torch
import torch.nn as nn


def alexnet() -> nn.Sequential:
    def lrn() -> nn.Module:
        return nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)  # paper alpha 1e-4 times n = 5

    return nn.Sequential(
        nn.Conv2d(3, 96, 11, stride=4), nn.ReLU(inplace=True), lrn(), nn.MaxPool2d(3, 2),
        nn.Conv2d(96, 256, 5, padding=2, groups=2), nn.ReLU(inplace=True), lrn(), nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(384, 384, 3, padding=1, groups=2), nn.ReLU(inplace=True),
        nn.Conv2d(384, 256, 3, padding=1, groups=2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2),
        nn.Flatten(),
        nn.Linear(9216, 4096), nn.ReLU(inplace=True), nn.Dropout(0.5),
        nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Dropout(0.5),
        nn.Linear(4096, 1000),
    )


def init_paper(model: nn.Sequential) -> None:
    """Weights N(0, 0.01^2); biases 1 in conv2, conv4, conv5, fc6, fc7, else 0."""
    layers = [m for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]
    ones = {1, 3, 4, 5, 6}
    for i, m in enumerate(layers):
        nn.init.normal_(m.weight, 0.0, 0.01)
        nn.init.constant_(m.bias, 1.0 if i in ones else 0.0)


def sync() -> None:
    torch.cuda.synchronize()


def run(batch: int, steps: int, warmup: int, device: torch.device) -> None:
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats(device)
    torch.manual_seed(2012)
    model = alexnet().to(device)
    init_paper(model)
    params = sum(p.numel() for p in model.parameters())
    print(f"batch {batch}: parameters {params:,} (paper wiring: 60,965,224)", flush=True)
    x = torch.empty(batch, 3, 227, 227, device=device).uniform_(-1.0, 1.0)
    y = torch.tensor([(i * 7919) % 1000 for i in range(batch)], device=device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()

    def train_step() -> torch.Tensor:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    model.train()
    for _ in range(warmup):
        loss = train_step()
    sync()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = train_step()
    sync()
    train_s = time.perf_counter() - t0
    train_peak = torch.cuda.max_memory_allocated(device) / 2**20
    print(f"train: {steps} steps in {train_s:.3f} s = {1000 * train_s / steps:.2f} ms/step, loss {loss.item():.4f}, "
          f"peak {train_peak:.0f} MiB", flush=True)
    print(f"RESULT impl=pytorch mode=train batch={batch} images_per_s={batch * steps / train_s:.1f} "
          f"ms_per_step={1000 * train_s / steps:.2f} peak_mib={train_peak:.0f}", flush=True)

    model.eval()
    infer_steps = steps * 2
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        sync()
        t0 = time.perf_counter()
        for _ in range(infer_steps):
            model(x)
        sync()
    infer_s = time.perf_counter() - t0
    print(f"RESULT impl=pytorch mode=infer batch={batch} images_per_s={batch * infer_steps / infer_s:.1f} "
          f"ms_per_step={1000 * infer_s / infer_steps:.2f} peak_mib={train_peak:.0f}", flush=True)
    del model, opt, x, y


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, action="append", help="batch size (repeatable; default 128 and 256)")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--tf32", action="store_true", help="allow TF32 (off by default, as in the .NET backend)")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("FAIL: torch.cuda.is_available() is False")
        return 2
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.benchmark = True
    device = torch.device("cuda:0")
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}, "
          f"{torch.cuda.get_device_name(device)}, TF32 {'allowed' if args.tf32 else 'off'}, cudnn.benchmark on, "
          f"nondeterministic algorithms allowed (PyTorch default)", flush=True)
    for batch in args.batch or [128, 256]:
        try:
            run(batch, args.steps, args.warmup, device)
        except Exception as e:  # keep going with the next batch size
            print(f"FAIL batch {batch}: {type(e).__name__}: {e}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
