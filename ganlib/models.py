"""Helpers shared by the model builders of every family."""
import keras


def scaled_filters(filters, width, what):
    """Filter counts times `width` (a positive number; 1 keeps them), at least 1 each: one
    knob that narrows or widens a whole network.  `what` names the argument in the error."""
    from .config import check_number
    check_number(width, what, above=0)
    return tuple(max(1, round(f * width)) for f in filters)


def check_image_shape(image_shape, divisible_by=1, channels=(1, 3)):
    """Validate an (H, W, C) image shape for a builder; return it as a tuple of ints."""
    try:
        h, w, c = (int(v) for v in image_shape)
    except (TypeError, ValueError):
        raise ValueError(f"image_shape must be (height, width, channels), got {image_shape!r}") from None
    if c not in channels:
        raise ValueError(f"image_shape {image_shape}: expected {' or '.join(map(str, channels))} "
                         f"channel(s), got {c}")
    if h <= 0 or w <= 0 or h % divisible_by or w % divisible_by:
        raise ValueError(f"image_shape {image_shape}: height and width must be positive multiples "
                         f"of {divisible_by} for this architecture")
    return h, w, c


def gan_init(stddev=0.02, seed=None):
    """The N(0, 0.02) weight initialiser the DCGAN paper recommends."""
    return keras.initializers.RandomNormal(0.0, stddev, seed=seed)
