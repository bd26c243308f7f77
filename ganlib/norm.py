"""Normalisation layers: Keras' BatchNormalization, computed by TensorFlow's fused kernel.

Keras 3's `BatchNormalization.call` is written with portable ops (moments, then
normalise, scale and shift): half a dozen passes over the activations forwards and more
backwards.  TensorFlow has one fused kernel for the whole thing (`FusedBatchNormV3`, with
its own fused gradient).  On the 2-core CPU it does a generator's batch norms in about
half the time, which is a tenth of a DCGAN step (`benchmarks/speed_dcgan.py`).

`FusedBatchNormalization` is a drop-in `BatchNormalization`: same weights, same
arguments, same maths in float32 (bfloat16 activations go into the kernel as they are; it
keeps statistics, γ and β in float32 and computes in float32, where Keras upcasts them
first), same moving-average update.  Anything the fused kernel does not cover
(masks, renorm, no scale or no centre, a channel axis other than the last, ranks other
than 2 and 4, another backend) goes to Keras' own implementation.
"""
import keras


@keras.saving.register_keras_serializable(package="ganlib")
class FusedBatchNormalization(keras.layers.BatchNormalization):
    """`keras.layers.BatchNormalization` on TensorFlow's fused batch-norm kernel.

    Training:   y = γ·(x − μ_B)/√(σ²_B + ε) + β,  with μ_B, σ²_B the batch's (biased) moments;
                moving_mean ← m·moving_mean + (1−m)·μ_B, likewise the variance (m = momentum).
    Inference:  the same with the moving averages.
    """

    def _fused(self, inputs, mask):
        rank = len(inputs.shape)
        return (keras.backend.backend() == "tensorflow" and mask is None and not self.renorm
                and self.center and self.scale and rank in (2, 4) and self.axis in (-1, rank - 1))

    def call(self, inputs, training=None, mask=None):
        if not self._fused(inputs, mask):
            return super().call(inputs, training=training, mask=mask)
        import tensorflow as tf
        shape = tf.shape(inputs)
        x = inputs if inputs.dtype in (tf.float32, tf.bfloat16, tf.float16) else \
            tf.cast(inputs, "float32")
        if len(inputs.shape) == 2:      # the kernel wants NHWC: a (batch, C) tensor is (batch, 1, 1, C)
            x = tf.reshape(x, (-1, 1, 1, inputs.shape[-1]))
        gamma, beta = tf.cast(self.gamma, "float32"), tf.cast(self.beta, "float32")
        if training and self.trainable:
            y, mean, variance, *_ = tf.raw_ops.FusedBatchNormV3(
                x=x, scale=gamma, offset=beta, mean=tf.zeros([0]), variance=tf.zeros([0]),
                epsilon=self.epsilon, is_training=True)
            # The kernel reports the unbiased (n − 1) variance; Keras' moving average uses the
            # biased one the normalisation itself used.
            n = tf.cast(tf.size(x) // x.shape[-1], "float32")
            variance = variance * (n - 1.0) / tf.maximum(n, 2.0)
            m = self.momentum
            self.moving_mean.assign(self.moving_mean * m + mean * (1.0 - m))
            self.moving_variance.assign(self.moving_variance * m + variance * (1.0 - m))
        else:
            y, *_ = tf.raw_ops.FusedBatchNormV3(
                x=x, scale=gamma, offset=beta, mean=tf.cast(self.moving_mean, "float32"),
                variance=tf.cast(self.moving_variance, "float32"), epsilon=self.epsilon,
                is_training=False)
        return tf.cast(tf.reshape(y, shape), self.compute_dtype)
