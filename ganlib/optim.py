"""Optimizers: Keras' Adam, applied by TensorFlow's fused kernel.

Keras 3's `Adam.update_step` is written with portable element-wise ops: about ten passes
over every weight, its two moment slots and temporaries per step.  For DCGAN's two 1.6M-
weight dense layers on a 2-core CPU that memory traffic is a visible share of a step.
`FusedAdam` applies the *same* update (same moments, same bias correction, same epsilon
placement) with `tf.raw_ops.ResourceApplyAdam`, one kernel per variable.
"""
import keras
from keras import ops


@keras.saving.register_keras_serializable(package="ganlib")
class FusedAdam(keras.optimizers.Adam):
    """`keras.optimizers.Adam` with the update done by TensorFlow's fused Adam kernel.

    m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
    w ← w − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)      — exactly Keras' Adam (not AMSGrad).
    Falls back to Keras' own update for AMSGrad or another backend.
    """

    def update_step(self, gradient, variable, learning_rate):
        if self.amsgrad or keras.backend.backend() != "tensorflow":
            return super().update_step(gradient, variable, learning_rate)
        import tensorflow as tf
        dtype = variable.dtype
        step = ops.cast(self.iterations + 1, dtype)
        index = self._get_variable_index(variable)
        beta_1, beta_2 = ops.cast(self.beta_1, dtype), ops.cast(self.beta_2, dtype)
        tf.raw_ops.ResourceApplyAdam(
            var=variable.handle, m=self._momentums[index].handle,
            v=self._velocities[index].handle,
            beta1_power=ops.power(beta_1, step), beta2_power=ops.power(beta_2, step),
            lr=ops.cast(learning_rate, dtype), beta1=beta_1, beta2=beta_2,
            epsilon=ops.cast(self.epsilon, dtype), grad=ops.cast(gradient, dtype))
