#!/usr/bin/env python3
"""PyTorch reference for the GPU check: the paper's AlexNet (same wiring as bench/AlexNet.GpuCheck), training step
(SGD momentum 0.9, weight decay 5e-4, lr 0.01) and inference throughput, and peak memory, in the configurations
PyTorch's users run:

  fp32             TF32 off for cuDNN and cuBLAS (the .NET backend's default; the like-for-like comparison)
  default          PyTorch's own defaults: TF32 on for cuDNN convolutions, off for matmuls
  tf32             TF32 on for convolutions and matmuls (CudaBackendOptions.AllowTf32 = true on our side)
  fp32-cl, tf32-cl the same with channels_last (NHWC) weights and inputs
  *-compile        torch.compile(model) on top (where it works in this environment; at the first batch size only,
                   as every batch size and eval mode compile again, unless --compile-all-batches)

Each configuration runs in its own child process with its own time limit, so a failing or hanging one (a compiler
that is missing, an out-of-memory) is reported and the next still runs; a deadline for the whole script keeps it
inside the device budget (configurations it cannot reach are listed as not run). After the configurations, the
fastest TF32 training configuration at the first batch size is profiled (top CUDA kernels by time), so that where
AlexNet.NET is behind, the kernels say why.

Prints one line per measurement:
RESULT impl=pytorch config=NAME tf32=off|conv|on mode=train|infer batch=N images_per_s=X ms_per_step=Y peak_mib=Z
and one line per configuration that failed: PTFAIL config=NAME reason...

--cpu-smoke runs every configuration on the CPU at batch 2 for one step (no CUDA needed): it checks the wiring and the
failure handling of the script, not speed.
"""
import argparse
import os
import selectors
import subprocess
import sys
import time

import torch
import torch.nn as nn

# name: (cuDNN TF32, matmul TF32, channels_last, torch.compile); the order is the order they run in: eager first, so
# that a deadline cuts the slow compile configurations, not the baselines.
CONFIGS = {
    "fp32": (False, False, False, False),
    "default": (True, False, False, False),
    "tf32": (True, True, False, False),
    "fp32-cl": (False, False, True, False),
    "tf32-cl": (True, True, True, False),
    "tf32-compile": (True, True, False, True),
    "tf32-cl-compile": (True, True, True, True),
    "fp32-compile": (False, False, False, True),
}


def precision(name: str) -> str:
    conv, matmul, _, _ = CONFIGS[name]
    return "on" if conv and matmul else "conv" if conv else "off"


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


class Device:
    """What differs between CUDA and the CPU smoke run: synchronisation and memory statistics."""

    def __init__(self, name: str):
        self.torch = torch.device(name)
        self.cuda = self.torch.type == "cuda"

    def sync(self) -> None:
        if self.cuda:
            torch.cuda.synchronize(self.torch)

    def reset_peak(self) -> None:
        if self.cuda:
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats(self.torch)

    def peak_mib(self) -> str:
        return f"{torch.cuda.max_memory_allocated(self.torch) / 2**20:.0f}" if self.cuda else "-"


def apply_settings(name: str) -> None:
    conv, matmul, _, _ = CONFIGS[name]
    torch.backends.cudnn.allow_tf32 = conv
    torch.backends.cuda.matmul.allow_tf32 = matmul
    torch.backends.cudnn.benchmark = True


def build(name: str, batch: int, device: Device):
    """The model, optimiser, loss, input and labels of one configuration."""
    _, _, channels_last, compiled = CONFIGS[name]
    torch.manual_seed(2012)
    model = alexnet().to(device.torch)
    init_paper(model)
    x = torch.empty(batch, 3, 227, 227, device=device.torch).uniform_(-1.0, 1.0)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    y = torch.tensor([(i * 7919) % 1000 for i in range(batch)], device=device.torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    run_model = model
    if compiled:
        if not hasattr(torch, "compile"):
            raise RuntimeError(f"torch.compile does not exist in torch {torch.__version__}")
        run_model = torch.compile(model)
    return model, run_model, opt, nn.CrossEntropyLoss(), x, y


def measure(name: str, batch: int, steps: int, warmup: int, device: Device) -> None:
    device.reset_peak()
    model, run_model, opt, loss_fn, x, y = build(name, batch, device)

    def train_step() -> torch.Tensor:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(run_model(x), y)
        loss.backward()
        opt.step()
        return loss

    model.train()
    t0 = time.perf_counter()
    for _ in range(warmup):
        loss = train_step()
    device.sync()
    warm_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = train_step()
    device.sync()
    train_s = time.perf_counter() - t0
    peak = device.peak_mib()
    print(f"{name} batch {batch}: train warm-up {warmup} steps {warm_s:.1f} s (algorithm search{', compilation' if CONFIGS[name][3] else ''}); "
          f"{steps} steps in {train_s:.3f} s = {1000 * train_s / steps:.2f} ms/step, loss {loss.item():.4f}, peak {peak} MiB", flush=True)
    print(f"RESULT impl=pytorch config={name} tf32={precision(name)} mode=train batch={batch} images_per_s={batch * steps / train_s:.1f} "
          f"ms_per_step={1000 * train_s / steps:.2f} peak_mib={peak}", flush=True)

    model.eval()
    infer_steps = steps * 2
    with torch.no_grad():
        t0 = time.perf_counter()
        for _ in range(warmup):
            run_model(x)
        device.sync()
        warm_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(infer_steps):
            run_model(x)
        device.sync()
    infer_s = time.perf_counter() - t0
    print(f"{name} batch {batch}: inference warm-up {warm_s:.1f} s; {infer_steps} passes in {infer_s:.3f} s", flush=True)
    print(f"RESULT impl=pytorch config={name} tf32={precision(name)} mode=infer batch={batch} images_per_s={batch * infer_steps / infer_s:.1f} "
          f"ms_per_step={1000 * infer_s / infer_steps:.2f} peak_mib={peak}", flush=True)
    del model, run_model, opt, x, y


def profile(name: str, batch: int, steps: int, warmup: int, device: Device, rows: int) -> None:
    """The top kernels of a few training steps, by device time (self time on the CPU in the smoke run)."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    model, run_model, opt, loss_fn, x, y = build(name, batch, device)
    model.train()

    def train_step() -> None:
        opt.zero_grad(set_to_none=True)
        loss_fn(run_model(x), y).backward()
        opt.step()

    for _ in range(warmup):
        train_step()
    device.sync()
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.cuda else [])
    with torch_profile(activities=activities) as prof:
        for _ in range(steps):
            train_step()
        device.sync()
    # Newer releases call the device column self_device_time_total; older ones self_cuda_time_total.
    keys = ["self_device_time_total", "self_cuda_time_total"] if device.cuda else ["self_cpu_time_total"]
    for key in keys:
        try:
            table = prof.key_averages().table(sort_by=key, row_limit=rows)
        except (AttributeError, KeyError, ValueError):
            continue
        print(f"profile of {name}, batch {batch}, {steps} training steps, top {rows} by {key}:", flush=True)
        print(table, flush=True)
        return
    print(f"PTFAIL profile of {name}: this torch sorts by none of {keys}", flush=True)


def child(args: argparse.Namespace) -> int:
    """Runs one configuration (all batch sizes) or one profile in this process."""
    device = Device(args.device)
    apply_settings(args.child)
    status = 0
    if args.profile_rows:
        profile(args.child, args.batch[0], args.steps, args.warmup, device, args.profile_rows)
        return 0
    for batch in args.batch:
        try:
            measure(args.child, batch, args.steps, args.warmup, device)
        except Exception as e:  # report, and try the next batch size
            print(f"PTFAIL config={args.child} batch={batch} {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", flush=True)
            status = 1
    return status


def run_child(args: argparse.Namespace, name: str, limit: float, profile_rows: int = 0) -> list:
    """Starts one configuration in a child process, streams its output, and returns its RESULT lines."""
    command = [sys.executable, os.path.abspath(__file__), "--child", name, "--device", args.device,
               "--steps", str(args.steps), "--warmup", str(args.warmup)]
    # torch.compile compiles again for every batch size (and for eval mode): within the budget its configurations
    # run at the first batch size only, unless --compile-all-batches.
    batches = args.batch[:1] if CONFIGS[name][3] and not args.compile_all_batches else args.batch
    for b in batches:
        command += ["--batch", str(b)]
    if profile_rows:
        command += ["--profile-rows", str(profile_rows), "--steps", "3"]
    results = []
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    pending = b""

    def emit(line: bytes) -> None:
        text = line.decode("utf-8", errors="replace")
        print(text, flush=True)
        if text.startswith("RESULT "):
            results.append(text)

    try:
        # Raw reads (no buffering in this process), so that every line the child wrote before a time-out is kept.
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            left = limit - (time.perf_counter() - started)
            if left <= 0:
                raise subprocess.TimeoutExpired(command, limit)
            if not selector.select(timeout=min(left, 1.0)):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                emit(line)
        if pending:
            emit(pending)
        process.wait(timeout=max(1.0, limit - (time.perf_counter() - started)))
    except subprocess.TimeoutExpired:
        if pending:
            emit(pending)
        process.kill()
        process.wait()
        print(f"PTFAIL config={name} ran past its {limit:.0f} s limit and was stopped ({len(results)} results came before)", flush=True)
        return results
    if process.returncode != 0 and not profile_rows:
        print(f"PTFAIL config={name} exit status {process.returncode}", flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, action="append", help="batch size (repeatable; default 128 and 256)")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--config", action="append", choices=list(CONFIGS), help="configuration (repeatable; default all)")
    parser.add_argument("--deadline", type=float, default=150, help="seconds for the whole script; configurations that would start later are not run")
    parser.add_argument("--config-limit", type=float, default=60, help="seconds one eager configuration may take")
    parser.add_argument("--compile-limit", type=float, default=100, help="seconds one torch.compile configuration may take")
    parser.add_argument("--compile-all-batches", action="store_true", help="run the torch.compile configurations at every batch size (default: the first only)")
    parser.add_argument("--no-profile", action="store_true", help="leave out the kernel profile of the fastest TF32 configuration")
    parser.add_argument("--cpu-smoke", action="store_true", help="every configuration on the CPU, batch 2, one step (checks the script without a GPU)")
    parser.add_argument("--device", default="cuda:0", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=list(CONFIGS), help=argparse.SUPPRESS)
    parser.add_argument("--profile-rows", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cpu_smoke:
        args.device, args.steps, args.warmup = "cpu", 1, 1
        args.batch = args.batch or [2]
    args.batch = args.batch or [128, 256]
    if args.child:
        return child(args)

    clock = time.perf_counter()
    if args.device.startswith("cuda"):
        if not torch.cuda.is_available():
            print("FAIL: torch.cuda.is_available() is False")
            return 2
        where = torch.cuda.get_device_name(torch.device(args.device))
    else:
        where = f"CPU, {torch.get_num_threads()} threads (smoke run: the figures say nothing about speed)"
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}, {where}; "
          f"cudnn.benchmark on, nondeterministic algorithms allowed (PyTorch default); "
          f"batches {args.batch}, {args.warmup} warm-up and {args.steps} timed steps", flush=True)
    names = args.config or list(CONFIGS)
    results, not_run = {}, []
    for name in names:
        left = args.deadline - (time.perf_counter() - clock)
        limit = min(args.compile_limit if CONFIGS[name][3] else args.config_limit, left)
        if limit < 10:
            not_run.append(name)
            continue
        print(f"---- {name}: cuDNN TF32 {'on' if CONFIGS[name][0] else 'off'}, matmul TF32 {'on' if CONFIGS[name][1] else 'off'}, "
              f"{'channels_last' if CONFIGS[name][2] else 'NCHW'}, {'torch.compile' if CONFIGS[name][3] else 'eager'} (limit {limit:.0f} s) ----", flush=True)
        results[name] = run_child(args, name, limit)
    if not_run:
        print(f"PTFAIL not run (deadline of {args.deadline:.0f} s reached): {' '.join(not_run)}", flush=True)

    if not args.no_profile:
        def rate(line: str) -> float:
            return float(line.split("images_per_s=")[1].split()[0])
        candidates = [(rate(line), name) for name, lines in results.items() for line in lines
                      if precision(name) == "on" and " mode=train " in line and f" batch={args.batch[0]} " in line]
        left = args.deadline - (time.perf_counter() - clock)
        if candidates and left >= 20:
            best = max(candidates)[1]
            print(f"---- profile of the fastest TF32 training configuration, {best} ----", flush=True)
            run_child(args, best, min(60, left), profile_rows=15)
        else:
            print("profile not run (" + ("no TF32 training result" if not candidates else f"only {left:.0f} s left") + ")", flush=True)
    ok = sorted(name for name, lines in results.items() if lines)
    print(f"PYTORCH configurations with results: {' '.join(ok) or 'none'}; without: {' '.join(n for n in names if n not in ok) or 'none'}; "
          f"{time.perf_counter() - clock:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
