"""The shared GAN trainer: one `keras.Model` whose `train_step` is the GAN algorithm.

Each family (DCGAN, ACGAN, InfoGAN, WGAN, LSGAN, pix2pix) is a small subclass that
says how to draw generator inputs and how to score real and fake images; the base
class owns the update order, the explicit variable lists and the bookkeeping:

    for each of `d_steps` critic/discriminator updates:
        loss_D  = discriminator_loss(real batch, fresh fakes)
        D.vars -= optimizer_D step on grad(loss_D, D.vars)        # G is untouched
        clip D's weights to ±clip_value (WGAN only)
    loss_G  = generator_loss(fresh fakes)
    G.vars -= optimizer_G step on grad(loss_G, G.vars)            # D is untouched

Why explicit variable lists rather than the tutorials' ``discriminator.trainable =
False`` inside a combined model?  In Keras 3 `trainable` is read when a train function
is *traced*, not when the model is compiled, so the old trick silently trains D during
the G step (or never trains it).  A `GradientTape` applied to a named list of
variables means exactly what it says.

`fit()` then gives the progress bar, callbacks, checkpoints and `steps_per_execution`.
"""
import inspect

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from . import config, losses

PREVIEW_SEED = 20261202   # the fixed inputs of the pictures a run folder keeps


def per_replica(grads):
    """One replica's share of the gradients under `tf.distribute`.

    Each replica computes its loss as a mean over *its* slice of the global batch, and the
    optimizers add the replicas' gradients (an all-reduce SUM), so each replica's gradients
    are divided by the number of replicas: the sum is then the gradient of the mean over the
    global batch, the same update as on one device.  (Keras' own losses divide the loss inside
    `Loss.__call__`; the GAN losses here are plain functions.)  No-op on one device.
    """
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if replicas == 1:
        return grads
    return [g if g is None else g / ops.cast(replicas, g.dtype) for g in grads]


class GAN(keras.Model):
    """Base GAN.  Subclasses override `generator_inputs`, `discriminator_loss`, `generator_loss`.

    Args:
      generator, discriminator: Keras models.
      latent_dim: length of the noise vector z.
      noise: "normal" or "uniform" (U(-1, 1), as several tutorials use).
      d_steps: discriminator (critic) updates per generator update; each uses its own
        slice of the incoming batch, so feed batches of ``d_steps * batch_size``.
      clip_value: if set, clip every D weight to [-clip_value, clip_value] after each D update.
      g_batch_factor: the generator update uses ``g_batch_factor * batch_size`` samples.
      joint_d_batch: D scores real and fake images in one concatenated batch.
      reuse_fakes: run G forward once per step and use those fakes for both updates (see
        `reused_fakes_step`); needs ``d_steps=1``, ``g_batch_factor=1`` and losses that
        take a ``fake`` argument, as the base class's do.
      seed: seeds the noise drawn inside `train_step`.
    """

    extra_loss_names = ()  # further per-step scalars a family reports (e.g. "d_class")

    def __init__(self, generator, discriminator, latent_dim, noise="normal", d_steps=1,
                 clip_value=None, g_batch_factor=1, joint_d_batch=False, reuse_fakes=False, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        if noise not in ("normal", "uniform"):
            raise ValueError(f"noise must be 'normal' or 'uniform', got {noise!r}")
        if int(d_steps) < 1:
            raise ValueError(f"d_steps must be >= 1, got {d_steps}")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.noise = noise
        self.d_steps = int(d_steps)
        self.clip_value = clip_value
        self.g_batch_factor = int(g_batch_factor)
        self.joint_d_batch = bool(joint_d_batch)
        self.reuse_fakes = bool(reuse_fakes)
        if self.reuse_fakes:
            takes_fake = all("fake" in inspect.signature(f).parameters
                             for f in (self.discriminator_loss, self.generator_loss))
            if self.d_steps != 1 or self.g_batch_factor != 1 or not takes_fake:
                raise ValueError("reuse_fakes needs d_steps=1, g_batch_factor=1 and "
                                 "discriminator_loss/generator_loss that accept `fake`")
        self.seed = None if seed is None else config.check_seed(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        names = ("d_loss", "g_loss") + tuple(self.extra_loss_names)
        self.trackers = {n: keras.metrics.Mean(name=n) for n in names}
        self.built = generator.built and discriminator.built

    # ------------------------------------------------------------------ set-up
    def compile(self, d_optimizer, g_optimizer, d_loss_fn=losses.discriminator_bce,
                g_loss_fn=losses.generator_bce, **kwargs):
        """Separate optimizers and loss functions for the two players."""
        super().compile(optimizer=None, **kwargs)  # the two optimizers below do the work
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.d_loss_fn = d_loss_fn
        self.g_loss_fn = g_loss_fn
        # Build the optimizers' slots now, so checkpoints can restore them before step 1.
        d_optimizer.build(self.d_variables)
        g_optimizer.build(self.g_variables)

    @property
    def metrics(self):
        return list(self.trackers.values())

    @property
    def d_variables(self):
        return self.discriminator.trainable_variables

    @property
    def g_variables(self):
        return self.generator.trainable_variables

    @property
    def generator_steps(self):
        """Generator updates this model has made (a shipped reference run's count when one
        was loaded): what a figure's "after N steps" should say."""
        from .runs import generator_steps
        return generator_steps(self)

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    # ------------------------------------------------------------------ sampling
    def replica_rows(self, draw, n):
        """``draw(m)`` (random values with m rows, from `seed_generator`), `n` rows of them.

        Under `tf.distribute` every replica holds the same seed state, so the same draw
        would give every replica the *same* noise; instead each replica draws the rows of
        all replicas and keeps its own slice: different noise per replica, the global batch
        as one draw.  On one device this is just ``draw(n)``.
        """
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        context = tf.distribute.get_replica_context()
        if replicas == 1 or context is None:
            return draw(n)
        start = context.replica_id_in_sync_group * n
        return draw(n * replicas)[start:start + n]

    def sample_noise(self, n):
        if self.noise == "uniform":
            return self.replica_rows(lambda m: keras.random.uniform(
                (m, self.latent_dim), -1.0, 1.0, seed=self.seed_generator), n)
        return self.replica_rows(lambda m: keras.random.normal(
            (m, self.latent_dim), seed=self.seed_generator), n)

    def generator_inputs(self, n, labels=None):
        """What G is fed for `n` samples (conditional families add labels or codes)."""
        return self.sample_noise(n)

    preview_columns = 8

    def preview_noise(self, n, seed=PREVIEW_SEED):
        """`n` noise vectors as numpy, the same every time (`seed`), drawn like `sample_noise`."""
        rng = np.random.default_rng(seed)
        shape = (int(n), self.latent_dim)
        noise = rng.uniform(-1, 1, shape) if self.noise == "uniform" else rng.normal(size=shape)
        return noise.astype(np.float32)

    def preview_inputs(self, n=16):
        """Fixed numpy inputs for pictures of training (`runlog.TrainingPictures`)."""
        return self.preview_noise(n)

    # ------------------------------------------------------------------ the two objectives
    def discriminator_loss(self, real, labels, fake=None):
        """Returns (loss, {name: scalar}) for one D update on `real` and as many fakes."""
        if fake is None:
            # G runs in training mode, so D judges the same kind of fakes G's update will
            # produce (the tutorials' `predict()` used BatchNorm's moving averages instead,
            # which early on give different images and let both losses collapse towards
            # zero).  Only G's BatchNorm moving averages follow these batches.
            fake = self.generator(self.generator_inputs(ops.shape(real)[0], labels), training=True)
        fake = ops.stop_gradient(fake)  # no gradient reaches G from D's update
        real_out, fake_out = self.discriminate(real, fake)
        loss = self.d_loss_fn(real_out, fake_out)
        return loss, {"d_loss": loss}

    def discriminate(self, real, fake):
        """D's outputs on real and fake images: one joint batch, or two batches.

        A joint batch is what the DCGAN tutorial's `train_on_batch(concat(real, fake))`
        does (one call, faster); two batches keep BatchNorm statistics of real and fake
        apart, as the ACGAN tutorial's two `train_on_batch` calls do.
        """
        if self.joint_d_batch:
            out = self.discriminator(ops.concatenate([real, ops.cast(fake, real.dtype)], 0),
                                     training=True)
            return out[:ops.shape(real)[0]], out[ops.shape(real)[0]:]
        return self.discriminator(real, training=True), self.discriminator(fake, training=True)

    def generator_loss(self, real, labels, fake=None):
        if fake is None:
            n = ops.shape(real)[0] * self.g_batch_factor
            fake = self.generator(self.generator_inputs(n, labels), training=True)
        # D in inference mode: the G update must not move D's BatchNorm statistics either
        # (what a frozen D inside the tutorials' combined model did in Keras 2).
        fake_out = self.discriminator(fake, training=False)
        loss = self.g_loss_fn(fake_out)
        return loss, {"g_loss": loss}

    # ------------------------------------------------------------------ the algorithm
    def apply_update(self, loss_fn, variables, optimizer, *args):
        """One gradient step of `optimizer` on `variables` only; returns the loss logs."""
        with tf.GradientTape() as tape:
            loss, logs = loss_fn(*args)
        grads = self.gradients(tape, loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        return logs

    @staticmethod
    def gradients(tape, loss, variables):
        """d loss / d variables, from `tape`; under `tf.distribute`, this replica's share
        (`per_replica`: the optimizer adds the replicas' gradients).  On one device, just
        ``tape.gradient(loss, variables)``."""
        return per_replica(tape.gradient(loss, variables))

    def clip_discriminator(self):
        for v in self.d_variables:
            v.assign(ops.clip(v, -self.clip_value, self.clip_value))

    @staticmethod
    def unpack(data):
        if isinstance(data, (tuple, list)):
            return data[0], (data[1] if len(data) > 1 else None)
        return data, None

    def train_step(self, data):
        real, labels = self.unpack(data)
        logs = self.reused_fakes_step(real, labels) if self.reuse_fakes else \
            self.alternating_step(real, labels)
        for name, value in logs.items():
            self.trackers[name].update_state(value)
        return {name: t.result() for name, t in self.trackers.items()}

    def alternating_step(self, real, labels):
        """`d_steps` D updates, then one G update, each on fakes of its own."""
        real_parts = ops.split(real, self.d_steps) if self.d_steps > 1 else [real]
        label_parts = (ops.split(labels, self.d_steps) if labels is not None and self.d_steps > 1
                       else [labels] * self.d_steps)
        logs = {}
        for real_k, labels_k in zip(real_parts, label_parts):
            logs.update(self.apply_update(self.discriminator_loss, self.d_variables,
                                          self.d_optimizer, real_k, labels_k))
            if self.clip_value is not None:
                self.clip_discriminator()
        logs.update(self.apply_update(self.generator_loss, self.g_variables, self.g_optimizer,
                                      real_parts[-1], label_parts[-1]))
        return logs

    def reused_fakes_step(self, real, labels):
        """One D update, then one G update, sharing a single forward pass of G.

        The same algorithm with one G forward fewer (as PyTorch's DCGAN example does): D
        learns from the fakes with G's graph cut off, then G learns from the *updated* D's
        verdict on those same fakes, its gradient flowing back through the forward pass
        the outer tape recorded.
        """
        with tf.GradientTape() as g_tape:
            fake = self.generator(self.generator_inputs(ops.shape(real)[0], labels), training=True)
            with g_tape.stop_recording():
                logs = self.apply_update(self.discriminator_loss, self.d_variables,
                                         self.d_optimizer, real, labels, fake)
            g_loss, g_logs = self.generator_loss(real, labels, fake)
        grads = self.gradients(g_tape, g_loss, self.g_variables)
        self.g_optimizer.apply_gradients(zip(grads, self.g_variables))
        return {**logs, **g_logs}

    # ------------------------------------------------------------------ convenience
    def fit(self, x=None, *args, shuffle=False, callbacks=None, verbose="auto", **kwargs):
        """`keras.Model.fit`; shuffling belongs to the `tf.data` pipeline (see `data.make_dataset`).

        Checks the batches' image shape against the models before step 1.  With a
        `runs.RunBackup` among the callbacks, the returned History covers the whole run, the
        intervals before an interruption included.  `verbose`: 0 prints nothing; anything
        else shows one progress line over the whole run (`runlog.RunProgress`: generator
        steps, time spent and time left) instead of Keras' line per logging interval.
        """
        from .runlog import RunProgress
        from .runs import RunBackup
        if isinstance(x, tf.data.Dataset):
            self.check_batch_spec(x.element_spec)
        strategy = getattr(self, "distribute_strategy", None) or tf.distribute.get_strategy()
        if strategy.num_replicas_in_sync > 1 and self.steps_per_execution > 1:
            raise ValueError(
                f"steps_per_execution={self.steps_per_execution} under "
                f"{type(strategy).__name__}: Keras' multi-step loop fails "
                "there with a graph error; "
                "compile with steps_per_execution=1 (python -m ganlib train does so)")
        callbacks = list(callbacks or [])
        if verbose and not any(isinstance(cb, RunProgress) for cb in callbacks):
            callbacks.append(RunProgress())
        backups = [cb for cb in callbacks if isinstance(cb, RunBackup)]
        for b in backups:
            b.peers = [cb for cb in callbacks if cb is not b]
        try:
            history = super().fit(x, *args, shuffle=shuffle, callbacks=callbacks, verbose=0,
                                  **kwargs)
        finally:   # however fit() ends (an interrupted cell too): the run folder's lock goes
            for b in backups:
                b.release()
        if backups:
            history.history = {k: list(v) for k, v in backups[0].history.items()}
            history.epoch = list(range(len(next(iter(history.history.values()), []))))
        return history

    def check_batch_spec(self, spec):
        """Refuse, before training, batches whose images do not fit the networks."""
        real, _ = self.unpack(spec)
        want = tuple(self.generator.output_shape[1:])
        got = tuple(getattr(real, "shape", ())[1:])
        if got != want:
            raise ValueError(f"the dataset's images have shape {got} but {self.name}'s generator "
                             f"makes {want}: resize the images or build the model for {got}")

    def generate(self, n=None, inputs=None, batch_size=256):
        """Images in the generator's output range, as a numpy float32 array."""
        if inputs is None:
            if n is None or isinstance(n, bool) or not float(n).is_integer() or int(n) < 1:
                raise ValueError(f"generate needs a number of images n >= 1 (or inputs), got n={n!r}")
            inputs = self.generator_inputs(int(n))
        elif isinstance(inputs, (np.ndarray, list, tuple)) and len(self.generator.inputs) == 1:
            shape = tuple(self.generator.input_shape[1:])   # a NaN input draws a plausible image
            inputs = config.check_finite(inputs, "inputs")
            if inputs.shape[1:] != shape or not len(inputs):
                raise ValueError(f"inputs: expected shape (n, {', '.join(map(str, shape))}) with "
                                 f"n >= 1, got {inputs.shape}")
        out = self.generator.predict(inputs, batch_size=batch_size, verbose=0)
        return np.asarray(out, np.float32)


class StopOnNaN(keras.callbacks.Callback):
    """Stop training as soon as a loss is NaN or infinite, or explodes past `max_loss`.

    (Keras' own `TerminateOnNaN` only watches a log called "loss"; a GAN reports two.)
    The model is then put back to its state at the end of the last logging interval whose
    losses were all finite, so neither memory nor a `runs.RunBackup` keeps broken weights.
    """

    def __init__(self, max_loss=1e6):
        super().__init__()
        self.max_loss = float(max_loss)
        self.stopped_at = None
        self._good = None

    def _snapshot(self):
        from .runs import generator_steps, state_variables
        self._vars = state_variables(self.model)
        self._good = ([np.array(v.numpy()) for v in self._vars], generator_steps(self.model))

    def on_train_begin(self, logs=None):
        self.model._ganlib_nonfinite = False
        self._snapshot()  # after any restore from a backup (RunBackup comes first)

    def on_train_batch_end(self, batch, logs=None):
        bad = {k: float(v) for k, v in (logs or {}).items()
               if not np.isfinite(float(v)) or abs(float(v)) > self.max_loss}
        if bad and self.stopped_at is None:
            from .runs import generator_steps
            self.stopped_at = generator_steps(self.model)
            self.bad = bad
            self.model.stop_training = True
            self.model._ganlib_nonfinite = True

    def on_epoch_end(self, epoch, logs=None):
        if self.stopped_at is None:
            self._snapshot()
            return
        values, good_step = self._good
        for v, value in zip(self._vars, values):
            v.assign(value)
        what = ("non-finite" if any(not np.isfinite(v) for v in self.bad.values())
                else f"exploding (beyond ±{self.max_loss:g})")
        print(f"\nTraining stopped after generator step {self.stopped_at}: {what} loss "
              f"{self.bad}. The model was put back to its state after step {good_step}, the end "
              "of the last logging interval whose losses were finite; a run folder's backup "
              "keeps that state too. Lower the learning rate or check the data, then train again.")


def training_callbacks(run_dir=None, nan_guard=True, spec=None, preview=None, pictures=None):
    """Callbacks every notebook uses: backup/resume in `run_dir` (see `runs`), and a loss guard.

    With a `run_dir`, `runs.RunBackup` saves the full training state after each logging
    interval into ``run_dir/backup``, so running an interrupted `fit()` again resumes where it
    stopped, and it saves the final generator and history into `run_dir`; `spec` adds what
    the model alone does not say (e.g. the dataset) to what a backup must match.  The run
    folder also gets TensorBoard logs and pictures of training (`runlog`): `preview` is what
    the generator is fed for them (default: the model's `preview_inputs()`); `pictures` replaces
    the picture callback (e.g. scatter plots for the 2-D toy, `toy2d.PointPictures`).
    With ``GANLIB_MODE=pretrained`` it is a `runs.ShippedGenerator` alone: the run folder is a
    shipped reference run, loaded instead of trained.
    """
    from .runlog import TrainingPictures, tensorboard
    from .runs import RunBackup, ShippedGenerator
    if run_dir and config.run_mode() == config.PRETRAINED:
        return [ShippedGenerator(run_dir)]      # loads a shipped generator; trains nothing
    cbs = [RunBackup(run_dir, spec=spec)] if run_dir else []
    if nan_guard:
        cbs.append(StopOnNaN())
    if run_dir:
        cbs += [tensorboard(run_dir), pictures or TrainingPictures(run_dir, inputs=preview)]
    return cbs


def fit_schedule(gan, dataset, schedule, run_dir=None, callbacks=(), verbose=0, spec=None,
                 preview=None):
    """Train `gan` for ``schedule["steps"]`` generator steps, one log line per `log_every`.

    The one `fit()` call every family's `train()` makes: loss guard, backup/resume in
    `run_dir` with its TensorBoard logs and pictures, then the caller's callbacks.
    """
    epochs, every = config.intervals(schedule)
    return gan.fit(dataset, epochs=epochs, steps_per_epoch=every, verbose=verbose,
                   callbacks=training_callbacks(run_dir, spec=spec, preview=preview)
                   + list(callbacks))
