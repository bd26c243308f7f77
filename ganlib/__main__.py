"""``python -m ganlib``: train a chapter outside Jupyter, then sample and evaluate its run.

    python -m ganlib train 01_dcgan --mode full --run-dir runs/full/01_dcgan [--seed 0]
                                    [--precision auto] [--strategy none|mirrored|multiworker]
                                    [--steps N] [--set KEY=VALUE ...]
    python -m ganlib sample runs/full/01_dcgan --n 64 --out grid.png
    python -m ganlib evaluate runs/full/01_dcgan [--n 1000] [--json scores.json]
    python -m ganlib export runs/full/01_dcgan [--name 01_dcgan]   # -> data/pretrained/01_dcgan
    python -m ganlib chapters

`train` shows a progress bar, keeps a resumable backup, TensorBoard logs and pictures of
training in the run folder (run it again to resume), and saves the final generator there.
"""
import argparse
import json
import os
import sys

from . import config
from .chapters import CHAPTERS, ChapterError
from .runs import RunFolderError


def parser():
    p = argparse.ArgumentParser(prog="python -m ganlib", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a chapter into a run folder (resumes an interrupted one)")
    t.add_argument("chapter", help=f"one of {', '.join(CHAPTERS)} (or dcgan, 01, ...)")
    t.add_argument("--mode", choices=config.MODES, default="full",
                   help="the chapter's schedule: full (the tutorial's), class or smoke")
    t.add_argument("--run-dir", required=True, help="the run folder (made if missing)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--precision", choices=config.PRECISIONS + ("auto",), default="auto")
    t.add_argument("--strategy", choices=("none", "mirrored", "multiworker"), default="none",
                   help="tf.distribute: mirrored = every GPU of this machine")
    t.add_argument("--steps", type=int, help="generator steps instead of the mode's (a "
                   "multiple of its log_every), e.g. a longer reference run of the class recipe")
    t.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="change one entry of the mode's schedule (repeatable), e.g. --set "
                   "width=0.25; recorded in the run folder")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    s = sub.add_parser("sample", help="a grid of images from a finished run")
    s.add_argument("run_dir")
    s.add_argument("--n", type=int, default=64)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", required=True, help="PNG file to write (must not exist)")
    e = sub.add_parser("evaluate", help="the chapter's quality measures on a finished run")
    e.add_argument("run_dir")
    e.add_argument("--n", type=int, default=1000, help="images per set")
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--json", help="also write the scores to this JSON file (must not exist)")
    x = sub.add_parser("export", help="ship a finished run as data/pretrained/NAME, which "
                       "GANLIB_MODE=pretrained loads instead of training")
    x.add_argument("run_dir")
    x.add_argument("--name", help="the notebook's run name (default: the chapter's)")
    x.add_argument("--made", default="", help="one line on how the run was made")
    x.add_argument("--n", type=int, default=1000, help="images per set for the measures")
    sub.add_parser("chapters", help="list the chapters")
    return p


def _new_file(p, path, what):
    if os.path.exists(path):
        p.error(f"{what} {path} exists; ganlib does not overwrite files: pass a new name")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        p.error(f"{what} {path}: folder {parent} does not exist")


def main(argv=None):
    p = parser()
    args = p.parse_args(argv)
    if getattr(args, "n", 1) < (2 if args.command == "evaluate" else 1):
        p.error(f"--n must be at least {2 if args.command == 'evaluate' else 1}, got {args.n}")
    if not 0 <= getattr(args, "seed", 0) < 2**32:
        p.error(f"--seed must be a whole number from 0 to 4294967295, got {args.seed}")
    if args.command == "sample":
        if not args.out.lower().endswith(".png"):
            p.error(f"--out {args.out}: the grid is written as PNG; name a .png file")
        _new_file(p, args.out, "--out")
    if args.command == "evaluate" and args.json:
        _new_file(p, args.json, "--json")
    from . import chapters, config
    try:       # an unknown GANLIB_* value: one line naming it, before TensorFlow works
        config.check_environment()
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if os.environ.get("GANLIB_CPU_DEVICES"):
        from .distribute import split_cpu
        split_cpu(os.environ["GANLIB_CPU_DEVICES"])
    try:
        if args.command == "chapters":
            for c in CHAPTERS.values():
                print(f"{c.name:<20} {c.title}")
        elif args.command == "train":
            chapters.get(args.chapter)      # an unknown chapter fails before TensorFlow works
            gan, history = chapters.train(args.chapter, args.mode, args.run_dir, seed=args.seed,
                                          precision=args.precision, strategy=args.strategy,
                                          verbose=0 if args.quiet else 1, steps=args.steps,
                                          overrides=chapters.parse_set(args.set))
            last = {k: round(v[-1], 4) for k, v in history.history.items() if v}
            print(f"done: {args.run_dir} (generator.keras, history.json, strip.png, "
                  f"training.gif, tensorboard/); last interval: {last}")
        elif args.command == "sample":
            from PIL import Image
            grid, _ = chapters.sample(args.run_dir, args.n, args.seed)
            Image.fromarray(grid.squeeze(-1) if grid.shape[-1] == 1 else grid).save(args.out)
            print(f"wrote {args.out} ({grid.shape[1]}x{grid.shape[0]} pixels)")
        elif args.command == "export":
            print(f"shipped {chapters.export(args.run_dir, args.name, args.made, args.n)} "
                  "(GANLIB_MODE=pretrained loads it)")
        elif args.command == "evaluate":
            scores = chapters.evaluate(args.run_dir, args.n, args.seed)
            for k, v in scores.items():
                print(f"{k:<28} {v:.4g}" if isinstance(v, float) else f"{k:<28} {v}")
            if args.json:
                with open(args.json, "w") as f:
                    json.dump(scores, f, indent=1)
    except (ChapterError, RunFolderError) as e:   # a damaged or busy run folder, a bad value
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
