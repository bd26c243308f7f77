"""Chapter 7's table: FD, precision, recall, density and coverage of every shipped generator.

    python benchmarks/eval_shipped.py [--n 2000] [--seed 7] [--out benchmarks/results/eval_shipped.txt]

Each reference run of `data/pretrained/` that draws 28×28 images (chapters 1, 2, 3, 5, 6; not
pix2pix) is loaded with `chapters.load_reference`, sampled with `metrics.draw` (`--n` images from
seeded noise; ACGAN: the classes in turn; InfoGAN: random codes) and scored by
`metrics.quality_table` against the first `--n` test images of its dataset, after a row of real
training images against the same test images (the floor at this n).  Nothing is trained.
Prints the table, with the data source and the time taken; `--out` also writes it to a file.
"""
import argparse
import contextlib
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)

from ganlib import chapters, data, metrics  # noqa: E402

RUNS = {"fashion_mnist": ("01_dcgan", "02_acgan"),
        "mnist": ("03_infogan", "05_wgan", "05_wgan_gp", "06_lsgan", "06_dcgan")}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=2000, help="samples and test images per row")
    p.add_argument("--seed", type=int, default=7, help="the noise seed of every generator")
    p.add_argument("--out", help="also write the printed table to this file")
    args = p.parse_args(argv)
    start, buf = time.time(), io.StringIO()
    with contextlib.redirect_stdout(buf):
        for dataset, runs in RUNS.items():
            (x_train, _), (x_test, _) = data.load_dataset(dataset, verbose=False)[0]
            source = data.load_dataset(dataset, verbose=False)[1]
            n = min(args.n, len(x_test), len(x_train))
            print(f"{dataset}: {n} samples per row against {n} test images ({source}); "
                  f"k = 3 (precision, recall), 5 (density, coverage); seed {args.seed}")
            sets = {"real (train vs test)": x_train[:n]}
            for run in runs:
                gan, about = chapters.load_reference(run)
                sets[f"{run} ({about.get('steps')} steps)"] = metrics.draw(gan, n, seed=args.seed)
            metrics.quality_table(x_test[:n], sets, dataset)
            print()
        print(f"python benchmarks/eval_shipped.py --n {args.n} --seed {args.seed}: "
              f"{time.time() - start:.0f} s")
    text = buf.getvalue()
    print(text, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
