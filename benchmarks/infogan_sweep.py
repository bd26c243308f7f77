#!/usr/bin/env python3
"""InfoGAN recipe sweep: train variants of the class recipe and print code purity and FD.

    .venv/bin/python benchmarks/infogan_sweep.py --steps 1500 --every 250 \
        --variant base= --variant scale4="code_scale=4.0 lambda_ms=0.0"

Each ``--variant NAME=K=V K=V`` overrides the class schedule's model keyword arguments
(`infogan.recipe`) or `make_infogan`'s; values are Python literals.  Every `--every` generator
steps the run draws `--n` samples with random codes (seed 1) and prints code purity, the
"majority" share (each code's own most frequent digit, without the one-to-one matching: a gap
to purity means two codes draw the same digit) and the Fréchet distance against held-out
digits.  One training at a time (2 cores).
"""
import argparse
import ast
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_variant(text):
    """``"NAME=k=v k=v"`` -> ``("NAME", {k: literal v})``; a clear error for anything else."""
    name, sep, rest = text.partition("=")
    if not sep or not name:
        raise ValueError(f"variant {text!r}: expected NAME=K=V K=V ... (NAME= for no changes)")
    kw = {}
    for item in rest.split():
        k, sep, v = item.partition("=")
        try:
            if not sep or not k:
                raise ValueError
            kw[k] = ast.literal_eval(v)
        except (ValueError, SyntaxError):
            raise ValueError(f"variant {name!r}: {item!r} is not KEY=PYTHON_LITERAL "
                             "(e.g. code_scale=4.0 or g_filters=(256,64,32))") from None
    return name, kw


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--every", type=int, default=250)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--seed", type=int, action="append")
    p.add_argument("--variant", action="append", required=True)
    p.add_argument("--json", help="append one JSON line per measurement to this file")
    p.add_argument("--grids", help="save a code grid (rows = code values) as a PNG at every "
                   "measurement, in DIR/NAME_sSEED/")
    args = p.parse_args()
    try:  # all of them before any training, so a typo in the last one costs nothing
        variants = [parse_variant(text) for text in args.variant]
    except ValueError as e:
        p.error(str(e))

    import matplotlib
    matplotlib.use("Agg")  # --grids draws figures without a display

    from ganlib import config, data, infogan, metrics, viz

    config.set_precision()
    ((x_train, _), (x_test, _)), _ = data.load_mnist()
    real_stats = metrics.feature_stats(x_test[:args.n], "mnist")  # once, not per checkpoint
    for name, kw in variants:
        for seed in args.seed or [0]:
            config.set_seed(seed)
            schedule = dict(config.select(infogan.SCHEDULES, "class", verbose=False))
            schedule.update(steps=args.steps, log_every=args.every)
            t0 = time.time()

            def measure(gan):
                step = int(gan.g_optimizer.iterations.numpy())
                images, codes, _ = gan.generate_codes(args.n, seed=1)
                predicted = metrics.predict_labels(images, "mnist")
                purity, mapping = metrics.code_purity(codes, predicted=predicted)
                # Without the one-to-one constraint: each code's own most frequent digit.  A
                # gap to purity means codes share a digit (and some digit has no code).
                table = metrics.code_class_table(codes, predicted)
                majority = table.max(1).sum() / table.sum()
                fd = metrics.frechet_distance_from_stats(
                    *metrics.feature_stats(images, "mnist"), *real_stats)
                rec = dict(variant=name, seed=seed, step=step, purity=round(purity, 4),
                           majority=round(float(majority), 4),
                           fd=round(fd, 2), s=round(time.time() - t0, 1),
                           mapping=" ".join(f"{c}:{k}" for c, k in sorted(mapping.items())))
                print(f"{name:<14} seed {seed} step {step:>5}  purity {purity:6.1%}"
                      f"  majority {majority:6.1%}  FD {fd:7.2f}"
                      f"  {rec['s']:6.1f} s  {rec['mapping']}", flush=True)
                if args.json:
                    with open(args.json, "a") as f:
                        f.write(json.dumps(rec) + "\n")
                return {"purity": purity, "FD": fd}

            callbacks = [metrics.MetricHistory(measure, every=1)]
            if args.grids:  # rows = code values, 12 noise vectors; one PNG per measurement
                callbacks.append(viz.SampleGrid(
                    infogan.code_grid_inputs(12, seed=0), ncols=12, display=False,
                    save_dir=os.path.join(args.grids, f"{name}_s{seed}")))
            infogan.train(schedule, images=x_train, seed=seed, callbacks=callbacks, **kw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
