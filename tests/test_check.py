"""The exercise checks: a right answer passes, typical wrong answers fail with a useful word."""
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from ganlib import check, losses


def mean(x):
    return ops.mean(ops.cast(x, "float32"))


def bce(target, p):
    p = ops.clip(ops.cast(p, "float32"), 1e-7, 1 - 1e-7)
    return -mean(target * ops.log(p) + (1 - target) * ops.log(1 - p))


def right_gp(critic, real, fake, eps):
    x = tf.constant(eps * real + (1 - eps) * fake)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = critic(x)
    g = tape.gradient(out, x)
    return tf.reduce_mean((tf.norm(tf.reshape(g, (len(real), -1)), axis=1) - 1.0) ** 2)


RIGHT = [
    (check.discriminator_loss, lambda r, f: 0.5 * (bce(1.0, r) + bce(0.0, f))),
    (check.discriminator_loss, losses.discriminator_bce),
    (check.generator_loss, lambda f: bce(1.0, f)),
    (check.saturating_generator_loss, lambda f: mean(ops.log(1.0 - f))),
    (check.lsgan_discriminator_loss, losses.discriminator_least_squares),
    (check.lsgan_generator_loss, losses.generator_least_squares),
    (check.critic_loss, lambda r, f: mean(f) - mean(r)),
    (check.gradient_penalty, right_gp),
    (check.pix2pix_generator_loss, lambda d, fake, t: bce(1.0, d) + 100 * mean(abs(t - fake))),
    (check.acgan_generator_loss, lambda s, c, w: bce(1.0, s) + losses.sparse_class_ce(w, c)),
    (check.categorical_info_loss, lambda code, q: losses.sparse_class_ce(code, q)),
    (check.continuous_info_loss, lambda code, q: mean((code - q) ** 2)),
]


@pytest.mark.parametrize("checker,answer", RIGHT)
def test_right_answers_pass(checker, answer, capsys):
    result = checker(answer)
    assert result, result.message
    assert capsys.readouterr().out.startswith("✓")


WRONG = [  # (check, wrong answer, a word the message must contain)
    (check.discriminator_loss, lambda r, f: bce(1.0, r) + bce(0.0, f), "2×"),
    (check.discriminator_loss, lambda r, f: 0.5 * (bce(0.0, r) + bce(1.0, f)), "expected"),
    (check.generator_loss, lambda f: -bce(1.0, f), "sign"),
    (check.generator_loss, lambda f: -bce(0.0, f), "expected"),   # the saturating loss
    (check.generator_loss, lambda f: ops.log(f), "scalar"),
    (check.saturating_generator_loss, lambda f: -mean(ops.log(1.0 - f)), "sign"),
    (check.saturating_generator_loss, lambda f: bce(1.0, f), "expected"),
    (check.lsgan_discriminator_loss, lambda r, f: mean((r - 1) ** 2) + mean(f ** 2), "2×"),
    (check.lsgan_generator_loss, lambda f: mean(f ** 2), "expected"),
    (check.critic_loss, lambda r, f: mean(r) - mean(f), "sign"),
    (check.gradient_penalty, lambda c, r, f, e: right_gp(c, r, f, 1 - e), "expected"),
    (check.pix2pix_generator_loss, lambda d, fake, t: bce(1.0, d) + mean(abs(t - fake)),
     "expected"),
    (check.acgan_generator_loss, lambda s, c, w: bce(1.0, s), "expected"),
    (check.categorical_info_loss, lambda code, q: losses.sparse_class_ce((code + 1) % 10, q),
     "expected"),
    (check.continuous_info_loss, lambda code, q: ops.sum((code - q) ** 2), "16×"),
]


@pytest.mark.parametrize("checker,answer,word", WRONG)
def test_wrong_answers_fail_and_say_why(checker, answer, word, capsys):
    result = checker(answer)
    assert not result
    assert word in result.message, result.message
    assert capsys.readouterr().out.startswith("✗")


def test_a_hint_is_given_only_when_it_holds_on_every_input():
    msg = check.generator_loss(lambda f: 1.0).message       # a constant: no factor to name
    assert "expected" in msg and "×" not in msg and "sign" not in msg


def test_a_result_left_as_a_cells_value_shows_nothing_more():
    result = check.generator_loss(lambda f: bce(1.0, f))
    assert hasattr(result, "_ipython_display_") and result._ipython_display_() is None


def test_unwritten_and_crashing_answers_are_reported_plainly():
    def todo(real_out, fake_out):
        raise NotImplementedError
    assert "not written yet" in check.discriminator_loss(todo).message
    msg = check.discriminator_loss(lambda r, f: undefined_name).message  # noqa: F821
    assert "NameError" in msg and "undefined_name" in msg
    assert "not a number" in check.generator_loss(lambda f: "loss").message


def test_lsgan_check_takes_other_targets():
    assert check.lsgan_discriminator_loss(
        lambda r, f: 0.5 * (mean((r - 1) ** 2) + mean((f + 1) ** 2)), a=-1.0, b=1.0)
    assert not check.lsgan_discriminator_loss(losses.discriminator_least_squares, a=-1.0)
    assert check.lsgan_generator_loss(lambda f: mean(f ** 2), c=0.0)
    assert np.isclose(float(losses.generator_least_squares(np.ones((2, 1)))), 0.0)


# ------------------------------------------------------------------ answers that cannot fool it
def test_a_function_that_changes_its_inputs_in_place_fails_and_is_told_so(capsys):
    def clipping_in_place(real_out, fake_out):      # a realistic slip: out= the input itself
        np.clip(real_out, 0.1, 0.9, out=real_out)
        np.clip(fake_out, 0.1, 0.9, out=fake_out)
        return 0.5 * (bce(1.0, real_out) + bce(0.0, fake_out))
    result = check.discriminator_loss(clipping_in_place)
    assert not result
    assert "modified its input" in result.message and "real_out" in result.message
    assert capsys.readouterr().out.startswith("✗")


def test_an_in_place_edit_is_caught_even_when_the_answer_comes_out_right():
    def right_but_destructive(fake_out):
        want = bce(1.0, fake_out)
        fake_out[...] = 0.0
        return want
    result = check.generator_loss(right_but_destructive)
    assert not result and "modified its input fake_out" in result.message


def test_a_gradient_penalty_that_changes_the_critic_fails():
    def shifting_critic(critic, real, fake, eps):
        critic.set_weights([w + 1.0 for w in critic.get_weights()])
        return right_gp(critic, real, fake, eps)
    result = check.gradient_penalty(shifting_critic)
    assert not result and "modified its input critic" in result.message


@pytest.mark.parametrize("answer,word", [
    (lambda f: str(float(bce(1.0, f))), "not a number"),        # the right value, as text
    (lambda f: None, "forget the `return`"),
    (lambda f: True, "truth value"),
    (lambda f: (bce(1.0, f), 0.0), "tuple"),
    (lambda f: np.array([str(float(bce(1.0, f)))]), "not of numbers"),
])
def test_an_answer_that_is_not_a_number_fails(answer, word):
    result = check.generator_loss(answer)
    assert not result and word in result.message, result.message


def test_numbers_of_every_kind_pass():
    for convert in (float, np.float32, np.float64, np.asarray, tf.constant, lambda x: x):
        assert check.generator_loss(lambda f: convert(float(bce(1.0, f))))


def test_a_check_given_something_other_than_a_function_says_so():
    msg = check.generator_loss(0.3).message
    assert "pass the function" in msg and "generator_loss" in msg
    with pytest.raises(ValueError, match="a=.*finite number"):
        check.lsgan_discriminator_loss(losses.discriminator_least_squares, a="-1")
    with pytest.raises(ValueError, match="class_weight=nan"):
        check.acgan_generator_loss(lambda s, c, w: 0.0, class_weight=float("nan"))
