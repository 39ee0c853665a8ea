#!/usr/bin/env python3
"""Summaries for scripts/gpu-check.sh (standard library only; runs with any python 3.8+).

  gpu_summary.py loop --name NAME --log CLI_LOG --metrics METRICS_CSV [--smi SMI_CSV]
      One training-loop run of `alexnet train`: images/s of the whole loop (from its epochs, and including validation
      and checkpoints), GPU utilisation from the nvidia-smi samples, and the test accuracy. Prints a LOOP line.

  gpu_summary.py table RESULTS_FILE
      The final tables from the RESULT and LOOP lines: AlexNet.NET against the fastest PyTorch configuration at the
      same precision (TF32 off and on), every PyTorch configuration, and each loop beside the step benchmark.
"""
import argparse
import csv
import re
import statistics
import sys


def number(text, default=float("nan")):
    try:
        return float(text)
    except (TypeError, ValueError):
        return default


def ratio(a, b):
    return a / b if a == a and b == b and b > 0 else float("nan")


def loop(args) -> int:
    log = open(args.log, encoding="utf-8", errors="replace").read() if args.log else ""
    steps = re.search(r"(\d+) steps per epoch", log)
    batch = re.search(r"SGD batch (\d+)", log)
    accuracy = re.findall(r"test accuracy ([0-9.]+)", log)
    epochs = []
    try:
        with open(args.metrics, newline="", encoding="utf-8") as f:
            epochs = list(csv.DictReader(f))
    except OSError as e:
        print(f"note: no metrics for the {args.name} loop ({e})")
    rates = [number(r["images_per_second"]) for r in epochs]
    elapsed = number(epochs[-1]["elapsed_seconds"]) if epochs else float("nan")
    b = int(batch.group(1)) if batch else 0
    images = int(steps.group(1)) * b * len(epochs) if steps and batch else 0
    # The first epoch includes cuDNN's algorithm search and the prefetcher filling up; the later ones are the steady state.
    steady = statistics.median(rates[1:]) if len(rates) > 1 else (rates[0] if rates else float("nan"))
    whole = images / elapsed if images and elapsed > 0 else float("nan")

    util, memory = [], []
    if args.smi:
        try:
            for line in open(args.smi, encoding="utf-8", errors="replace"):
                fields = [x.strip() for x in line.split(",")]
                # timestamp, utilization.gpu, memory.used (csv, noheader, nounits); headers or errors are skipped
                if len(fields) >= 3 and fields[1].isdigit():
                    util.append(int(fields[1]))
                    memory.append(number(fields[2], 0))
        except OSError as e:
            print(f"note: no nvidia-smi samples for the {args.name} loop ({e})")
    if util:
        busy = sum(1 for u in util if u >= 90) / len(util)
        gpu = (f"gpu_util_mean={statistics.mean(util):.0f} gpu_util_median={statistics.median(util):.0f} "
               f"gpu_util_min={min(util)} gpu_busy90={100 * busy:.0f} samples={len(util)} gpu_mem_max_mib={max(memory):.0f}")
    else:
        gpu = "gpu_util_mean=nan samples=0"
    print(f"LOOP name={args.name} batch={b} epochs={len(epochs)} epoch_images_per_s_first={rates[0] if rates else float('nan'):.1f} "
          f"epoch_images_per_s_steady={steady:.1f} whole_loop_images_per_s={whole:.1f} elapsed_s={elapsed:.1f} {gpu} "
          f"test_accuracy={accuracy[-1] if accuracy else 'nan'}")
    return 0


def read_lines(path):
    results, loops = [], []
    for line in open(path, encoding="utf-8", errors="replace"):
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        if line.startswith("RESULT "):
            kv.setdefault("tf32", "off")
            kv.setdefault("config", "tf32" if kv["tf32"] == "on" else "fp32")
            results.append(kv)
        elif line.startswith("LOOP "):
            loops.append(kv)
    return results, loops


def table(args) -> int:
    results, loops = read_lines(args.results)
    rate = {}
    for r in results:
        rate[(r["impl"], r["config"], r["mode"], int(r["batch"]))] = (number(r.get("images_per_s")), r.get("peak_mib", "-"))
    ours = ["alexnet.net", "alexnet.net-layers", "alexnet.net-layers-trainer"]
    shapes = sorted({(r["mode"], int(r["batch"])) for r in results if r["impl"] in ours + ["pytorch"]})
    torch_configs = sorted({r["config"] for r in results if r["impl"] == "pytorch"},
                           key=lambda c: ("compile" in c, "cl" in c, c))
    precision = {r["config"]: r["tf32"] for r in results if r["impl"] == "pytorch"}

    print("AlexNet.NET against the fastest PyTorch configuration at the same precision (images/s; target ratio ≥ 1.00)")
    print("hand = kernels called directly (AlexNetStep); layers = Network.Apply + ValueAndGrad + SgdMomentum (the user path);")
    print("TF32 on = cuDNN and cuBLAS TF32 on both sides; PyTorch 'default' (TF32 in convolutions only) is listed below, not compared")
    print(f"{'tf32':<5} {'mode':<6} {'batch':>5} {'hand':>9} {'layers':>9} {'fastest PyTorch':>24} {'hand/PT':>8} {'layers/PT':>10} {'peak MiB hand/PT':>17}")
    for tf32, ours_config in (("off", "fp32"), ("on", "tf32")):
        for mode, batch in shapes:
            hand, hand_peak = rate.get(("alexnet.net", ours_config, mode, batch), (float("nan"), "-"))
            layers, _ = rate.get(("alexnet.net-layers", ours_config, mode, batch), (float("nan"), "-"))
            candidates = [(rate[("pytorch", c, mode, batch)][0], c) for c in torch_configs
                          if precision[c] == tf32 and ("pytorch", c, mode, batch) in rate]
            if not candidates and hand != hand and layers != layers:
                continue
            best, best_config = max(candidates) if candidates else (float("nan"), "none")
            best_peak = rate.get(("pytorch", best_config, mode, batch), (0, "-"))[1]
            print(f"{tf32:<5} {mode:<6} {batch:>5} {hand:>9.1f} {layers:>9.1f} {best:>9.1f} {'(' + best_config + ')':>14} "
                  f"{ratio(hand, best):>8.2f} {ratio(layers, best):>10.2f} {hand_peak + '/' + best_peak:>17}")
    trainer = [(k, v) for k, v in rate.items() if k[0] == "alexnet.net-layers-trainer"]
    for (_, config, mode, batch), (value, _) in sorted(trainer):
        print(f"  layers step as the Facade's Trainer runs it (+ loss.Item() and logits.ToArray()), {config}, batch {batch}: {value:.1f} images/s")

    if torch_configs:
        print()
        print("PyTorch, every configuration (images/s; '-' = not run or failed)")
        print(f"{'config':<16} {'tf32':<5} " + " ".join(f"{m + ' ' + str(b):>12}" for m, b in shapes))
        for c in torch_configs:
            cells = []
            for m, b in shapes:
                v = rate.get(("pytorch", c, m, b))
                cells.append(f"{v[0]:>12.1f}" if v else f"{'-':>12}")
            print(f"{c:<16} {precision[c]:<5} " + " ".join(cells))

    if loops:
        print()
        print("Training loops (alexnet train --device cuda:0) beside the step benchmark of the same network, batch and precision")
        print(f"{'loop':<8} {'batch':>5} {'epochs':>6} {'loop img/s':>11} {'incl. val':>10} {'step img/s':>11} {'loop/step':>10} {'GPU util mean/median':>21} {'test acc':>9}")
        for l in loops:
            impl = "alexnet.net-layers-trainer-fashion" if l["name"] == "fashion" else "alexnet.net-layers-trainer"
            step, _ = rate.get((impl, "fp32", "train", int(l.get("batch", 0) or 0)), (float("nan"), "-"))
            steady = number(l.get("epoch_images_per_s_steady"))
            util = f"{l.get('gpu_util_mean', 'nan')}/{l.get('gpu_util_median', 'nan')} %"
            print(f"{l['name']:<8} {l.get('batch', '-'):>5} {l.get('epochs', '-'):>6} {steady:>11.1f} {number(l.get('whole_loop_images_per_s')):>10.1f} "
                  f"{step:>11.1f} {ratio(steady, step):>10.2f} {util:>21} {l.get('test_accuracy', 'nan'):>9}")
        print("loop img/s = training images/s of the epochs after the first (data loading and augmentation included); incl. val = all")
        print("images trained / wall time including validation and checkpoints; the paper-preset loop has 10 classes, its step figure 1000")
    if not results and not loops:
        print("no RESULT or LOOP lines were produced")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("loop")
    p.add_argument("--name", required=True)
    p.add_argument("--log")
    p.add_argument("--metrics", required=True)
    p.add_argument("--smi")
    p.set_defaults(run=loop)
    t = sub.add_parser("table")
    t.add_argument("results")
    t.set_defaults(run=table)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
