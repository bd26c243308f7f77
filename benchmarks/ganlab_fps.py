"""How fast chapter 0's GAN Lab (`ganlib.widgets.GANLab`) plays, on the kernel's side.

One frame of play is what `GANLab.advance` does (GAN steps through the GAN class's own
tf.function'd updates, then `LiveGAN.frame`: D on the surface grid, G on the fixed noise and
the manifold grid, G's gradient arrows, the readings) plus what the widget framework does to
send it: the canvas's state serialised as ipywidgets does (`_remove_buffers`, then JSON for
the rest).  Printed: frames/s and GAN steps/s per steps-per-frame setting and loss, and the
training steps/s alone; the CPU is named (lscpu), with the load average, since a machine
shared with other work gives the benchmark a fraction of its cores: the frames per CPU
second (this process's own CPU time, all its threads) say what the work costs whatever the
load.  The browser side (frames received and
drawn per second in Chromium) is measured by tests/browser/test_ganlab.py, whose timings line
reports "GAN Lab frames/s in the browser".

    python benchmarks/ganlab_fps.py            # about a minute
    python benchmarks/ganlab_fps.py --seconds 5 --out benchmarks/results/ganlab_fps.txt
"""
import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speedlib import cpu_name  # noqa: E402


def send_cost(widget):
    """Serialise the widget's state as ipywidgets does before sending it: binary buffers
    split off, the rest to JSON.  Returns the bytes that would go over the wire."""
    from ipywidgets.widgets.widget import _remove_buffers
    state = widget.get_state(["frame", "charts"])
    state, _, buffers = _remove_buffers(state)
    return len(json.dumps(state)) + sum(len(memoryview(b).cast("B")) for b in buffers)


def measure(lab, steps_per_frame, seconds):
    lab.speed.value = steps_per_frame
    lab.advance()   # warm: traced already, this fills caches
    frames, steps0, sent = 0, lab.model.g_updates, 0
    t0, cpu0 = time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        assert lab.advance(), lab.play_message.value
        sent += send_cost(lab.canvas)
        frames += 1
    dt, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return frames / dt, (lab.model.g_updates - steps0) / dt, sent / frames, frames / cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    ap.add_argument("--out", help="also write the lines here")
    args = ap.parse_args()
    import tensorflow as tf

    import ganlib  # noqa: F401  (quiet TensorFlow start-up)
    from ganlib.widgets.ganlab import GANLab

    lines = [f"GAN Lab frame rate, kernel side ({time.strftime('%Y-%m-%d')}): "
             f"{cpu_name()}, {os.cpu_count()} CPUs visible, TensorFlow {tf.__version__}, "
             f"intra-op threads {tf.config.threading.get_intra_op_parallelism_threads() or 'default'}; "
             f"load average at start {os.getloadavg()[0]:.1f}"]
    print(lines[0], flush=True)
    for lesson in ("healthy run", "WGAN critic"):
        lab = GANLab(seed=0)
        lab.lesson(lesson)
        loss = lab.model.settings["loss"]
        lab.model.step(1)
        t, cpu = time.perf_counter(), time.process_time()
        lab.model.step(200)
        train = 200 / (time.perf_counter() - t)
        train_cpu = 200 / (time.process_time() - cpu)
        line = (f"lesson {lesson!r}: loss {loss} (d_steps {lab.model.settings['d_steps']}, hidden "
                f"{lab.model.settings['hidden']} x {lab.model.settings['depth']}): training "
                f"alone {train:.0f} GAN steps/s ({train_cpu:.0f} per CPU second)")
        print(line, flush=True)
        lines.append(line)
        for spf in (1, 5, 10, 20):
            fps, sps, size, per_cpu = measure(lab, spf, args.seconds)
            line = (f"  {spf:2d} steps/frame: {fps:5.1f} frames/s, {sps:6.1f} GAN steps/s, "
                    f"{size / 1024:.1f} KiB sent per frame; {per_cpu:5.1f} frames per CPU "
                    f"second ({per_cpu * spf:6.1f} steps)")
            print(line, flush=True)
            lines.append(line)
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
