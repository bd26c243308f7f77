"""Checks for the exercises: run a student's function on fixed inputs and compare it with
ganlib's own version, saying what is wrong in words rather than with a traceback.

    from ganlib import check
    def my_loss(real_out, fake_out):
        ...
    check.discriminator_loss(my_loss)      # prints "✓ ..." or what differs, returns a Result

Every check feeds fixed tensors (a seeded draw plus edge cases such as outputs near 0 and 1),
so its verdict is the same on every machine.  A function that still raises
`NotImplementedError` is reported as "not written yet".  The returned `Result` is truthy when
the answer is right; tests use that.
"""
import numpy as np
import tensorflow as tf
from keras import ops

from . import losses

RTOL, ATOL = 1e-4, 1e-5


class Result:
    """The verdict of one check: `ok`, and a `message` a student can act on."""

    def __init__(self, name, ok, message):
        self.name, self.ok, self.message = name, bool(ok), message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"{'✓' if self.ok else '✗'} {self.name}: {self.message}"

    def _ipython_display_(self):
        """Nothing more to show in a notebook: the check printed its verdict already (a
        result left as a cell's value would otherwise repeat it)."""


def _value(x):
    return np.asarray(ops.convert_to_numpy(x) if ops.is_tensor(x) else x, dtype=np.float64)


def _not_a_number(x):
    """Why `x` is not an answer a loss can be (a number, or a NumPy/TensorFlow array or tensor
    of numbers), or "" when it is one."""
    if x is None:
        return "it returned None: did you forget the `return`?"
    kind = type(x).__name__
    if isinstance(x, (bool, np.bool_)):
        return f"it returned a truth value ({x}), not a number"
    if isinstance(x, (int, float, np.integer, np.floating)):
        return ""
    if ops.is_tensor(x) or isinstance(x, np.ndarray):
        dtype = np.dtype(getattr(x.dtype, "as_numpy_dtype", x.dtype))
        if np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating):
            return ""
        return f"it returned a {kind} of {dtype}, not of numbers"
    return (f"it returned a {kind} ({str(x)[:40]!r}), not a number or tensor: return the loss "
            "itself, e.g. `return ops.mean(...)`")


def _snapshot(x):
    """What `x` holds now, to tell afterwards whether a function changed it in place."""
    if isinstance(x, np.ndarray):
        return x.copy()
    if hasattr(x, "get_weights"):          # a model handed to the function (the critic)
        return [np.array(w) for w in x.get_weights()]
    return None


def _unchanged(x, before):
    if before is None:
        return True
    now = _snapshot(x)
    if isinstance(before, list):
        return len(now) == len(before) and all(np.array_equal(a, b, equal_nan=True)
                                               for a, b in zip(now, before))
    return now.shape == before.shape and np.array_equal(now, before, equal_nan=True)


def _fresh(args):
    """Copies of a case's arrays: each call gets its own, so nothing it does to them reaches
    another call (or the reference)."""
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def _arg_names(fn, n):
    import inspect
    try:
        names = [p.name for p in inspect.signature(fn).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    return [names[i] if i < len(names) else f"argument {i + 1}" for i in range(n)]


def _hint(gots, wants):
    """A guess at a common slip from how the answers relate to the expected values over all
    test inputs (a hint only when it holds on every one of them)."""
    if any(g.shape != w.shape for g, w in zip(gots, wants)):
        return "it returns several values where one scalar is expected: take the mean"
    got, want = np.concatenate([g.ravel() for g in gots]), np.concatenate([w.ravel() for w in wants])
    if np.allclose(got, -want, rtol=RTOL, atol=ATOL):
        return "the sign is flipped: a loss is something to minimise"
    nz = np.abs(want) > 1e-6
    if nz.sum() >= 2:
        ratio = got[nz] / want[nz]
        if np.allclose(ratio, ratio[0], rtol=1e-3) and abs(ratio[0]) > 1e-6:
            return (f"it is {ratio[0]:.3g}× the expected value on every test input: check the "
                    "averaging (a mean, not a sum; the ½ over the real and fake halves)")
    return ""


def _run(name, fn, cases, reference, what):
    """Call `fn(*case)` and `reference(*case)` for each case; the verdict as a `Result`.

    The references are computed first, on pristine inputs; `fn` gets copies, and a function
    that changes its inputs in place (``np.clip(r, .1, .9, out=r)``) fails, whatever it
    returns: the caller's tensors would be changed under it.  Its answer must be a number
    or a NumPy/TensorFlow array or tensor of numbers (not a string, None or a truth value).
    """
    if not callable(fn):
        return _show(Result(name, False, f"expected your function itself (e.g. "
                                         f"check.{_caller()}(my_loss)), got a "
                                         f"{type(fn).__name__}: pass the function, not its "
                                         "result"))
    wants = [_value(reference(*_fresh(args))) for args in cases]
    gots, first_bad = [], None
    for args, want in zip(cases, wants):
        given = _fresh(args)
        before = [_snapshot(a) for a in given]
        try:
            got = fn(*given)
        except NotImplementedError:
            return _show(Result(name, False, "not written yet: fill in the function, then run "
                                             "this check again"))
        except Exception as e:  # noqa: BLE001 - a student's error, reported plainly
            return _show(Result(name, False, f"calling it on {what(args)} raised "
                                             f"{type(e).__name__}: {e}"))
        changed = [n for n, a, b in zip(_arg_names(fn, len(given)), given, before)
                   if not _unchanged(a, b)]
        if changed:
            return _show(Result(name, False, f"it modified its input {', '.join(changed)} in "
                                             f"place (on {what(args)}): a loss must leave the "
                                             "network outputs it is given unchanged; compute "
                                             "on a copy (np.clip(x, lo, hi) without out=x, "
                                             "x = x * 2 rather than x *= 2)"))
        why = _not_a_number(got)
        if why:
            return _show(Result(name, False, why))
        got = _value(got)
        gots.append(got)
        if first_bad is None and (got.shape != want.shape
                                  or not np.allclose(got, want, rtol=RTOL, atol=ATOL)):
            first_bad = len(gots) - 1
    if first_bad is None:
        return _show(Result(name, True, f"matches ganlib on all {len(cases)} test inputs"))
    got, want = gots[first_bad], wants[first_bad]
    hint = _hint(gots, wants)
    shown = np.array2string(np.round(np.ravel(got)[:4], 4)) if got.size else "[]"
    return _show(Result(name, False, f"on {what(cases[first_bad])} it gives {shown}, expected "
                                     f"{np.array2string(np.round(np.ravel(want)[:4], 4))}"
                                     + (f" — {hint}" if hint else "")))


def _caller():
    import inspect
    frame = inspect.currentframe().f_back.f_back
    return frame.f_code.co_name if frame else "..."


def _setting(name, value):
    """A check's own setting (LSGAN's targets, a loss weight) as a float: a finite number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                      np.floating)) \
            or not np.isfinite(value):
        raise ValueError(f"{name}={value!r}: the check needs a finite number here")
    return float(value)


def _show(result):
    print(repr(result))
    return result


# ------------------------------------------------------------------ fixed test inputs
def _probabilities(rng, n=8):
    """D outputs in (0, 1): a seeded draw, confident ones, and unsure ones."""
    return [rng.uniform(0.05, 0.95, (n, 1)).astype(np.float32),
            np.full((n, 1), 0.999, np.float32), np.full((n, 1), 0.5, np.float32),
            rng.uniform(0.001, 0.05, (n, 1)).astype(np.float32)]


def _scores(rng, n=8):
    """Unbounded D (critic) outputs."""
    return [rng.normal(0, 1, (n, 1)).astype(np.float32),
            rng.normal(3, 2, (n, 1)).astype(np.float32),
            np.zeros((n, 1), np.float32)]


def _pairs(values):
    """(real_out, fake_out) pairs that tell a swapped pair from the right one."""
    return [(a, b) for a in values for b in values if a is not b][:6]


def _describe_pair(args):
    return f"real_out≈{float(np.mean(args[0])):.3g}, fake_out≈{float(np.mean(args[1])):.3g}"


def _describe_one(args):
    return f"fake_out≈{float(np.mean(args[0])):.3g}"


# ------------------------------------------------------------------ chapter 1: DCGAN
def discriminator_loss(fn):
    """`fn(real_out, fake_out)`: D's binary cross-entropy, real → 1 and fake → 0, as the mean
    over the two halves (`losses.discriminator_bce`)."""
    rng = np.random.default_rng(1)
    return _run("discriminator loss", fn, _pairs(_probabilities(rng)), losses.discriminator_bce,
                _describe_pair)


def generator_loss(fn):
    """`fn(fake_out)`: the non-saturating generator loss −log D(G(z)) (`losses.generator_bce`)."""
    rng = np.random.default_rng(2)
    return _run("generator loss", fn, [(p,) for p in _probabilities(rng)], losses.generator_bce,
                _describe_one)


def saturating_generator_loss(fn):
    """`fn(fake_out)`: the original minimax generator loss E[log(1 − D(G(z)))], which G
    *minimises* (its gradient vanishes where D rejects the fakes confidently)."""
    rng = np.random.default_rng(11)
    return _run("saturating generator loss", fn, [(p,) for p in _probabilities(rng)],
                lambda fake_out: np.mean(np.log1p(-fake_out.astype(np.float64))), _describe_one)


# ------------------------------------------------------------------ chapter 6: LSGAN
def lsgan_discriminator_loss(fn, a=0.0, b=1.0):
    """`fn(real_out, fake_out)`: ½ E[(D(x) − b)²] + ½ E[(D(G(z)) − a)²] (Mao et al.'s a, b)."""
    a, b = _setting("a", a), _setting("b", b)
    def reference(real_out, fake_out):
        return 0.5 * (np.mean((real_out - b) ** 2) + np.mean((fake_out - a) ** 2))
    rng = np.random.default_rng(3)
    return _run(f"LSGAN discriminator loss (a={a:g}, b={b:g})", fn, _pairs(_scores(rng)),
                reference, _describe_pair)


def lsgan_generator_loss(fn, c=1.0):
    """`fn(fake_out)`: E[(D(G(z)) − c)²] — G wants its fakes scored `c`."""
    c = _setting("c", c)
    rng = np.random.default_rng(4)
    return _run(f"LSGAN generator loss (c={c:g})", fn, [(s,) for s in _scores(rng)],
                lambda fake_out: np.mean((fake_out - c) ** 2), _describe_one)


# ------------------------------------------------------------------ chapter 5: WGAN
def critic_loss(fn):
    """`fn(real_out, fake_out)`: the critic's loss E[D(G(z))] − E[D(x)] (minimised, it
    maximises the Wasserstein estimate E[D(x)] − E[D(G(z))])."""
    rng = np.random.default_rng(5)
    return _run("critic loss", fn, _pairs(_scores(rng)), losses.critic_wasserstein,
                _describe_pair)


def gradient_penalty(fn):
    """`fn(critic, real, fake, eps)`: WGAN-GP's E[(‖∇D(x̂)‖₂ − 1)²] at x̂ = eps·real + (1−eps)·fake,
    with `eps` of shape (N, 1, 1, 1) given (so the check is deterministic)."""
    import keras
    rng = np.random.default_rng(6)
    critic = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                               keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
    critic.set_weights([rng.normal(0, 0.7, w.shape).astype(np.float32) for w in critic.weights])

    def reference(critic, real, fake, eps):
        x = tf.constant(eps * real + (1 - eps) * fake)
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = critic(x)
        g = tape.gradient(out, x)
        norm = tf.sqrt(tf.reduce_sum(tf.square(g), axis=[1, 2, 3]))
        return tf.reduce_mean(tf.square(norm - 1.0))
    cases = []
    for k in range(3):
        real = rng.uniform(-1, 1, (6, 4, 4, 1)).astype(np.float32)
        fake = rng.uniform(-1, 1, (6, 4, 4, 1)).astype(np.float32)
        eps = rng.uniform(0, 1, (6, 1, 1, 1)).astype(np.float32)
        cases.append((critic, real, fake, eps))
    return _run("gradient penalty", fn, cases, reference,
                lambda args: f"a small critic and {len(args[1])} real/fake 4×4 images")


# ------------------------------------------------------------------ chapter 4: pix2pix
def pix2pix_generator_loss(fn, l1_weight=100.0):
    """`fn(fake_out, fake, target)`: the adversarial term BCE(D's patches on fakes → 1) plus
    `l1_weight` × mean |target − fake|."""
    l1_weight = _setting("l1_weight", l1_weight)
    def reference(fake_out, fake, target):
        return float(losses.generator_bce(fake_out)) + l1_weight * np.mean(np.abs(target - fake))
    rng = np.random.default_rng(7)
    cases = [(rng.uniform(0.05, 0.95, (2, 4, 4, 1)).astype(np.float32),
              rng.uniform(-1, 1, (2, 8, 8, 3)).astype(np.float32),
              rng.uniform(-1, 1, (2, 8, 8, 3)).astype(np.float32)) for _ in range(3)]
    return _run(f"pix2pix generator loss (λ={l1_weight:g})", fn, cases, reference,
                lambda args: "2 pairs of 8×8 images and 4×4 patch verdicts")


# ------------------------------------------------------------------ chapter 2: ACGAN
def acgan_generator_loss(fn, class_weight=1.0):
    """`fn(source_out, class_probs, wanted)`: BCE(source → real) + `class_weight` × the
    cross-entropy of the class head against the requested classes `wanted`."""
    class_weight = _setting("class_weight", class_weight)
    def reference(source_out, class_probs, wanted):
        return (float(losses.generator_bce(source_out))
                + class_weight * float(losses.sparse_class_ce(wanted, class_probs)))
    rng = np.random.default_rng(8)
    cases = []
    for _ in range(3):
        logits = rng.normal(0, 2, (8, 10))
        probs = (np.exp(logits) / np.exp(logits).sum(1, keepdims=True)).astype(np.float32)
        cases.append((rng.uniform(0.05, 0.95, (8, 1)).astype(np.float32), probs,
                      rng.integers(0, 10, 8).astype(np.int32)))
    return _run(f"ACGAN generator loss (class_weight={class_weight:g})", fn, cases, reference,
                lambda args: "8 fakes with source and class outputs")


# ------------------------------------------------------------------ chapter 3: InfoGAN
def categorical_info_loss(fn):
    """`fn(code, q_probs)`: the discrete code's L_I term, the cross-entropy of Q's softmax
    `q_probs` (N, K) against the code values `code` (N,) the fakes were made with."""
    rng = np.random.default_rng(9)
    cases = []
    for scale in (0.5, 2.0, 5.0):
        logits = rng.normal(0, scale, (8, 10))
        probs = (np.exp(logits) / np.exp(logits).sum(1, keepdims=True)).astype(np.float32)
        cases.append((rng.integers(0, 10, 8).astype(np.int32), probs))
    return _run("categorical information loss", fn, cases,
                lambda code, q: losses.sparse_class_ce(code, q),
                lambda args: "8 code values and Q's 10-way probabilities")


def continuous_info_loss(fn):
    """`fn(code, q_mean)`: the continuous codes' L_I term with a fixed-variance Gaussian Q,
    i.e. the mean squared error between Q's estimate and the code, averaged over all entries."""
    rng = np.random.default_rng(10)
    cases = [(rng.uniform(-1, 1, (8, 2)).astype(np.float32),
              rng.normal(0, 1, (8, 2)).astype(np.float32)) for _ in range(3)]
    return _run("continuous information loss", fn, cases,
                lambda code, q: np.mean((code - q) ** 2),
                lambda args: "8 pairs of 2 continuous codes and Q's estimates")


# ------------------------------------------------------------------ chapter 7: evaluation
def _feature_sets():
    """(real, fake, k) cases for the k-NN measures: 3-D points around five centres; fakes
    drawn like the real ones, from one centre only, as spread-out junk, and with other k."""
    rng = np.random.default_rng(7)
    centres = rng.normal(0, 4, (5, 3))
    real = centres[rng.integers(0, 5, 60)] + rng.normal(size=(60, 3))
    alike = centres[rng.integers(0, 5, 50)] + rng.normal(size=(50, 3))
    one = centres[0] + rng.normal(size=(40, 3))
    junk = rng.uniform(-15, 15, (45, 3))
    return [(real, alike, 3), (real, one, 3), (real, junk, 2), (real, alike, 5), (real, one, 1)]


def _describe_sets(args):
    return f"{len(args[0])} real and {len(args[1])} fake points in 3-D, k={args[2]}"


def knn_precision(fn):
    """`fn(real, fake, k)`: the fraction of the `fake` rows that lie inside the real manifold,
    the union of balls around the `real` rows, each of radius the distance to its k-th nearest
    *other* real row (Kynkäänniemi et al.'s precision, on the features as given)."""
    from . import metrics
    return _run("k-NN precision", fn, _feature_sets(),
                lambda r, f, k: metrics.precision_recall(r, f, k=k, normalize=False)["precision"],
                _describe_sets)


def knn_coverage(fn):
    """`fn(real, fake, k)`: the fraction of the `real` rows whose ball (radius: the distance to
    its k-th nearest other real row) holds at least one `fake` row (Naeem et al.'s coverage)."""
    from . import metrics
    return _run("k-NN coverage", fn, _feature_sets(),
                lambda r, f, k: metrics.density_coverage(r, f, k=k, normalize=False)["coverage"],
                _describe_sets)
