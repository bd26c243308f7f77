"""Paired satellite ↔ map images for pix2pix: the real "maps" set, or a synthetic stand-in.

**On-disk layout** (the pix2pix "maps" dataset, as the tutorial unpacks it)::

    <root>/maps/train/1.jpg, 2.jpg, ...     1200×600 JPEGs: satellite left, map right
    <root>/maps/val/1.jpg, ...

`load_pairs(directory, size)` reads one such folder: every JPEG is resized to
``2·size × size``, split into its left (satellite) and right (map) halves and returned
as two uint8 arrays ``(N, size, size, 3)``.  The result is cached next to the JPEGs as
a compressed ``.npz`` (the tutorial's ``maps_256.npz``), reused while the folder's
file list is unchanged.

`load_maps(size)` picks the data, in this order, and says which one it used:

1. the real set already on disk under ``root`` (``GANLIB_MAPS_DIR``, default
   ``~/.cache/ganlib/pix2pix``);
2. a download of the real set from `MAPS_URL` (when online; checksum-verified,
   atomic, resumable), unpacked there;
3. offline: a **synthetic** paired set, generated once (seeded) by `make_synthetic_maps`
   into ``<root>/synthetic_maps_seed<seed>/`` in the *same* layout, so the same loader
   reads it.  Map halves are flat map colours (roads, building blocks, parks, water);
   satellite halves render the same scene with texture, noise, shadows and colour
   variation.  It is a teaching stand-in, **not** the real data set.
"""
import hashlib
import os
import re
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from collections import namedtuple

import numpy as np

from . import config
from .data import DataError

MAPS_URL = "http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/maps.tar.gz"
# SHA-256 of maps.tar.gz: NOT pinned.  The Berkeley server publishes no checksum for its
# pix2pix archives (its download script, phillipi/pix2pix datasets/download_dataset.sh, runs
# plain wget), tensorflow_datasets has no pix2pix maps builder (so no url_checksums entry),
# and the stored public material searched for this (code, docs and issue threads: "maps.tar.gz"
# with sha256 / md5 / file_hash) holds no published digest; this module was written without
# network access, so the archive could not be hashed here either.  Until a digest is pasted
# here, a download is not verified byte for byte (a warning says so and prints its sha256);
# what can be checked is: `download_maps` unpacks only an archive whose layout is the real
# set's (`MAPS_TRAIN_PAIRS` JPEGs in maps/train, some in maps/val, each a 2:1 side-by-side
# pair, nothing else), else refuses it.  `download` verifies whenever a digest is given.
MAPS_SHA256 = None
MAPS_TRAIN_PAIRS = 1096     # the real training split (the pix2pix paper; its datasets script)
MAPS_IMAGE_SIZE = (1200, 600)   # width × height of each satellite|map pair
DEFAULT_ROOT = os.path.join(os.path.expanduser("~"), ".cache", "ganlib", "pix2pix")
SPLITS = ("train", "val")

MapsData = namedtuple("MapsData", "train val source synthetic")
MapsData.__doc__ = ("Paired data: ``train`` and ``val`` are (satellite, map) uint8 arrays of "
                    "shape (N, size, size, 3); ``source`` says where they came from; "
                    "``synthetic`` is True for the procedurally generated stand-in.")


class DownloadError(RuntimeError):
    """A download failed (offline, server error, or checksum mismatch)."""


def default_root():
    return os.environ.get("GANLIB_MAPS_DIR") or DEFAULT_ROOT


# =========================================================================== loader
def _numeric_key(name):
    m = re.match(r"(\d+)", name)
    return (0, int(m.group(1)), name) if m else (1, 0, name)


def list_images(directory):
    """The JPEG file names of a split folder, in numeric order (1.jpg, 2.jpg, ..., 10.jpg)."""
    if not os.path.isdir(directory):
        raise DataError(f"{directory}: no such directory. Expected the pix2pix 'maps' layout "
                        f"(maps/train/*.jpg, maps/val/*.jpg); use load_maps() to download the "
                        f"data or generate the synthetic stand-in.")
    names = sorted((n for n in os.listdir(directory) if n.lower().endswith((".jpg", ".jpeg"))),
                   key=_numeric_key)
    if not names:
        raise DataError(f"{directory}: no .jpg files found (expected side-by-side "
                        f"satellite|map JPEGs)")
    return names


def read_pair(path, size):
    """One side-by-side JPEG → (satellite, map), each uint8 (size, size, 3)."""
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(path) as img:
            w, h = img.size
            if w != 2 * h:
                raise DataError(f"{path}: expected a side-by-side pair twice as wide as high "
                                f"(e.g. 1200×600), got {w}×{h}")
            img.draft("RGB", (2 * size, size))  # fast JPEG decode at a reduced scale
            img = img.convert("RGB").resize((2 * size, size), Image.BICUBIC)
            arr = np.asarray(img, np.uint8)
    except DataError:
        raise
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as e:
        raise DataError(f"{path}: not a readable JPEG ({type(e).__name__}: {e}); the file is "
                        f"corrupt or truncated — delete it (or the whole folder) and reload") from None
    return arr[:, :size], arr[:, size:]


def decode_folder(directory, names, size):
    sats = np.empty((len(names), size, size, 3), np.uint8)
    maps = np.empty_like(sats)
    for i, name in enumerate(names):
        sats[i], maps[i] = read_pair(os.path.join(directory, name), size)
    return sats, maps


def cache_path(directory, size, limit=None):
    tag = "" if limit is None else f"_first{int(limit)}"
    return os.path.join(directory, f"pairs_{int(size)}{tag}.npz")


def _atomic_savez(path, **arrays):
    d = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp_", suffix=".npz")
    os.close(fd)
    try:
        np.savez_compressed(tmp, **arrays)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load_pairs(directory, size=256, limit=None, cache=True):
    """Load a folder of side-by-side JPEGs as (satellite, map) uint8 arrays (N, size, size, 3).

    ``limit`` keeps the first N files (numeric order).  With ``cache`` the arrays are
    stored in ``pairs_<size>.npz`` in the folder and reused while the file list matches.
    """
    size = int(size)
    if size < 1:
        raise ValueError(f"size must be positive, got {size}")
    names = list_images(directory)
    if limit is not None:
        names = names[:int(limit)]
    path = cache_path(directory, size, limit)
    if cache and os.path.exists(path):
        try:
            with np.load(path, allow_pickle=False) as z:
                if list(z["names"]) == names:
                    return z["satellite"], z["map"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error):
            pass  # unreadable (e.g. truncated) or stale cache: rebuild it below
    sats, maps = decode_folder(directory, names, size)
    if cache:
        try:
            _atomic_savez(path, satellite=sats, map=maps, names=np.asarray(names))
        except OSError:
            pass  # a read-only folder still loads, just without a cache
    return sats, maps


# =========================================================================== download
def sha256_of(path, chunk=1 << 20):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def download(url, dest, sha256=None, retries=3, timeout=15, opener=None, chunk=1 << 16,
             verbose=True):
    """Download `url` to `dest` atomically, resuming an interrupted transfer.

    Bytes go to ``dest + ".part"``; a retry (in this call or a later one) asks the server
    for the rest with an HTTP ``Range`` header and appends if it answers 206 (else starts
    over).  Only a complete file whose SHA-256 matches `sha256` is renamed to `dest`;
    on a mismatch the partial file is deleted and `DownloadError` raised.  A failure to
    connect at all (offline) raises at once, without retries.
    `opener(request, timeout)` defaults to `urllib.request.urlopen` (tests swap it).
    """
    opener = opener or (lambda req, timeout: urllib.request.urlopen(req, timeout=timeout))
    part = dest + ".part"
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    last = None
    for attempt in range(1, max(1, int(retries)) + 1):
        have = os.path.getsize(part) if os.path.exists(part) else 0
        req = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
        try:
            resp = opener(req, timeout)
        except (urllib.error.URLError, OSError, ValueError) as e:
            if have and getattr(e, "code", None) == 416:  # nothing left to send: complete
                break
            if have == 0 and attempt == 1:
                raise DownloadError(f"cannot download {url}: {getattr(e, 'reason', e)} "
                                    f"(offline or the server is unreachable)") from None
            last = e
            time.sleep(min(2 ** attempt, 10) * 0.1)
            continue
        try:
            status = getattr(resp, "status", None) or getattr(resp, "code", None)
            mode = "ab" if (have and status == 206) else "wb"
            with resp, open(part, mode) as f:
                for block in iter(lambda: resp.read(chunk), b""):
                    f.write(block)
            break
        except (urllib.error.URLError, OSError) as e:  # dropped mid-transfer: resume
            last = e
            continue
    else:
        raise DownloadError(f"download of {url} failed after {retries} attempts ({last}); "
                            f"the partial file {part} is kept and the next call resumes it")
    digest = sha256_of(part)
    if sha256 is not None and digest != sha256.lower():
        os.remove(part)
        raise DownloadError(f"checksum mismatch for {url}: expected sha256 {sha256}, got "
                            f"{digest}. The file was deleted; try again later or check the URL.")
    if sha256 is None and verbose:
        print(f"warning: {os.path.basename(dest)} not verified (no checksum pinned); "
              f"sha256 = {digest}")
    os.replace(part, dest)
    return dest


def check_archive_layout(tar, archive, train_pairs=None):
    """Refuse an archive (an open `tarfile`) that is not laid out as the real maps set:
    only folders and regular ``.jpg`` files under ``maps/train`` and ``maps/val``, exactly
    `train_pairs` of them in train and at least one in val.  What is checked of a download no
    checksum vouches for (see `MAPS_SHA256`); the images' sizes are checked after unpacking."""
    train_pairs = train_pairs or MAPS_TRAIN_PAIRS
    counts, odd = {s: 0 for s in SPLITS}, []
    for m in tar.getmembers():
        parts = m.name.strip("/").split("/")
        if m.isdir() and "/".join(parts) in ("maps", *(f"maps/{s}" for s in SPLITS)):
            continue
        if m.isfile() and len(parts) == 3 and parts[0] == "maps" and parts[1] in SPLITS \
                and parts[2].lower().endswith(".jpg"):
            counts[parts[1]] += 1
            continue
        odd.append(m.name)
    problems = []
    if odd:
        problems.append(f"{len(odd)} entries outside maps/train/*.jpg and maps/val/*.jpg "
                        f"(e.g. {odd[0]!r})")
    if counts["train"] != train_pairs:
        problems.append(f"{counts['train']} training images, not the real set's {train_pairs}")
    if not counts["val"]:
        problems.append("no validation images")
    if problems:
        raise DataError(f"{archive} is not the pix2pix maps archive: {'; '.join(problems)}. "
                        "It was not unpacked; delete it and download again (or unpack the real "
                        "set into GANLIB_MAPS_DIR/maps yourself).")


def _check_pair_sizes(folder, archive, size=None):
    """Each unpacked JPEG must be a real maps pair: `size` (width × height), side by side."""
    from PIL import Image, UnidentifiedImageError
    size = size or MAPS_IMAGE_SIZE
    for split in SPLITS:
        for name in list_images(os.path.join(folder, split)):
            path = os.path.join(folder, split, name)
            try:
                with Image.open(path) as im:
                    got, fmt = im.size, im.format
            except (OSError, UnidentifiedImageError) as e:
                raise DataError(f"{archive}: {split}/{name} is not a readable image ({e}); "
                                "delete the archive and download again") from None
            if fmt != "JPEG" or got != tuple(size):
                raise DataError(f"{archive}: {split}/{name} is a {fmt} of {got[0]}×{got[1]}, "
                                f"not a {size[0]}×{size[1]} JPEG satellite|map pair as in the "
                                "real set; delete the archive and download again")


def download_maps(root=None, url=MAPS_URL, sha256=MAPS_SHA256, **kw):
    """Download and unpack the real maps set into ``<root>/maps``; returns that folder.

    With no `sha256` (the default: `MAPS_SHA256` is not pinned) the archive is unpacked only
    when its layout (`check_archive_layout`) and every image's size are the real set's."""
    root = root or default_root()
    archive = os.path.join(root, "maps.tar.gz")
    if not os.path.exists(archive):
        download(url, archive, sha256=sha256, **kw)
    tmp = tempfile.mkdtemp(dir=root, prefix=".unpack_")
    try:
        with tarfile.open(archive) as tar:
            if sha256 is None:
                check_archive_layout(tar, archive)
            tar.extractall(tmp, filter="data")
        inner = os.path.join(tmp, "maps")
        if not os.path.isdir(os.path.join(inner, "train")):
            raise DataError(f"{archive}: no maps/train folder inside the archive")
        if sha256 is None:
            _check_pair_sizes(inner, archive)
        os.replace(inner, os.path.join(root, "maps"))
    except (tarfile.TarError, OSError, EOFError) as e:
        raise DataError(f"{archive}: cannot unpack ({e}); delete it and download again") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return os.path.join(root, "maps")


# =========================================================================== synthetic set
# Flat map colours (Google-maps-like) and the scene classes they encode.
LAND, BUILDING, PARK, WATER, ROAD, MAJOR = range(6)
MAP_COLOURS = np.array([
    [242, 239, 233],   # land
    [222, 218, 210],   # buildings (a touch darker than land)
    [197, 229, 167],   # parks
    [170, 211, 223],   # water
    [255, 255, 255],   # minor roads
    [252, 214, 140],   # major roads (yellow-orange)
], np.uint8)
# Satellite base colours (mean RGB) per class; each scene and building varies around them.
SAT_COLOURS = np.array([
    [118, 112, 98],    # bare land / lots
    [150, 146, 140],   # roofs
    [62, 88, 52],      # trees and grass
    [38, 58, 70],      # water
    [88, 88, 90],      # asphalt
    [112, 110, 108],   # wide roads (lighter concrete)
], np.float32)


def _smooth_noise(rng, size, cells):
    """Low-frequency noise in [-1, 1]: a small random grid upsampled bicubically."""
    from PIL import Image
    g = rng.uniform(-1, 1, (cells, cells)).astype(np.float32)
    img = Image.fromarray(g, mode="F").resize((size, size), Image.BICUBIC)
    return np.clip(np.asarray(img), -1.5, 1.5)


def render_scene(rng, size=256):
    """One random city scene → (satellite, map), uint8 (size, size, 3) each."""
    s = size / 256.0
    cls = np.full((size, size), LAND, np.uint8)
    roof = np.zeros((size, size), np.float32)       # per-building brightness offsets
    tall = np.zeros((size, size), bool)             # buildings that cast shadows
    # street grid: random spacings, minor roads 6-8 px, a few major roads 12-14 px (at 256)
    def cuts():
        pos, out = -rng.integers(0, int(60 * s)), []
        while pos < size:
            pos += int(rng.integers(int(44 * s), int(84 * s)))
            out.append(pos)
        return out
    xs, ys = cuts(), cuts()
    bounds_x = [0] + xs + [size]
    bounds_y = [0] + ys + [size]
    # blocks: buildings, park, or empty lot
    for y0, y1 in zip(bounds_y[:-1], bounds_y[1:]):
        for x0, x1 in zip(bounds_x[:-1], bounds_x[1:]):
            if y1 - y0 < 4 or x1 - x0 < 4:
                continue
            kind = rng.choice(3, p=[0.7, 0.15, 0.15])
            if kind == 1:
                cls[y0:y1, x0:x1] = PARK
            elif kind == 0:
                m = max(1, int(4 * s))
                nx, ny = rng.integers(1, 4), rng.integers(1, 4)
                gx = np.linspace(x0 + m, x1 - m, nx + 1).astype(int)
                gy = np.linspace(y0 + m, y1 - m, ny + 1).astype(int)
                for a0, a1 in zip(gy[:-1], gy[1:]):
                    for b0, b1 in zip(gx[:-1], gx[1:]):
                        g = max(1, int(2 * s))
                        if a1 - a0 > 2 * g and b1 - b0 > 2 * g and rng.random() < 0.85:
                            cls[a0 + g:a1 - g, b0 + g:b1 - g] = BUILDING
                            roof[a0 + g:a1 - g, b0 + g:b1 - g] = rng.normal(0, 22)
                            tall[a0 + g:a1 - g, b0 + g:b1 - g] = rng.random() < 0.6
    # roads on top of blocks
    for axis, cs in ((1, xs), (0, ys)):
        for c in cs:
            major = rng.random() < 0.25
            half = int((rng.integers(6, 8) if major else rng.integers(3, 5)) * s) or 1
            sl = slice(max(0, c - half), max(0, min(size, c + half)))
            if axis == 1:
                cls[:, sl] = MAJOR if major else ROAD
            else:
                cls[sl, :] = np.where(cls[sl, :] == MAJOR, MAJOR, MAJOR if major else ROAD)
    # water: a smooth blob field (coast or river) in about half the scenes
    if rng.random() < 0.55:
        field = _smooth_noise(rng, size, 3) + np.linspace(-1, 1, size)[None, :] * rng.uniform(-1.2, 1.2)
        water = field > rng.uniform(0.35, 0.8)
        cls[water] = WATER
        roof[water] = 0
        tall &= ~water
    # ---- map: flat colours
    map_img = MAP_COLOURS[cls]
    # ---- satellite: per-scene tint, per-class colours, textures, shadows, noise
    tint = rng.normal(0, 6, 3).astype(np.float32) + rng.normal(0, 8)
    sat = SAT_COLOURS[cls] + tint
    sat += roof[..., None] * np.array([1.0, 0.97, 0.92], np.float32)
    fine = rng.normal(0, 1, (size, size)).astype(np.float32)
    lowf = _smooth_noise(rng, size, max(4, int(24 * s)))
    mid = _smooth_noise(rng, size, max(4, int(64 * s)))
    grain = np.select([cls == PARK, cls == WATER, cls == LAND],
                      [18 * mid + 10 * fine, 4 * lowf + 3 * fine, 10 * mid + 8 * fine],
                      6 * fine + 4 * mid)
    sat += grain[..., None]
    sat[..., 1] += np.where(cls == PARK, 12 * lowf, 0)  # patchy greens
    # shadows: tall buildings darken the pixels to their lower right
    sh = max(1, int(rng.integers(3, 7) * s))
    shadow = np.zeros_like(tall)
    shadow[sh:, sh:] = tall[:-sh, :-sh]
    shadow &= ~tall & (cls != WATER)
    sat[shadow] *= 0.55
    sat = np.clip(sat, 0, 255).astype(np.uint8)
    return sat, map_img


def make_synthetic_maps(root, n_train=1000, n_val=200, size=256, seed=0, quality=90,
                        verbose=True):
    """Write a seeded synthetic paired set as ``<root>/{train,val}/<i>.jpg`` (satellite|map).

    Scene ``i`` of a split depends only on (seed, split, i): files already present are
    kept, so asking for more pairs later extends the set consistently.  Returns `root`.
    """
    from PIL import Image
    t = time.time()
    made = 0
    for split, n in (("train", n_train), ("val", n_val)):
        d = os.path.join(root, split)
        os.makedirs(d, exist_ok=True)
        for i in range(1, int(n) + 1):
            path = os.path.join(d, f"{i}.jpg")
            if os.path.exists(path):
                continue
            rng = np.random.default_rng([int(seed), SPLITS.index(split), i])
            sat, mp = render_scene(rng, size)
            fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp_", suffix=".jpg")
            os.close(fd)
            Image.fromarray(np.concatenate([sat, mp], axis=1)).save(tmp, "JPEG", quality=quality)
            os.replace(tmp, path)
            made += 1
    if verbose and made:
        print(f"generated {made} synthetic satellite|map pairs in {root} "
              f"({time.time() - t:.0f} s)")
    return root


# =========================================================================== entry point
def load_maps(size=256, root=None, allow_download=True, n_train=None, n_val=None,
              synthetic_train=1000, synthetic_val=200, seed=0, verbose=True):
    """The paired data for pix2pix at ``size × size``: real if possible, else synthetic.

    ``n_train`` / ``n_val`` keep only the first pairs of each split (None: all).
    Returns a `MapsData` whose ``source`` names the data actually used.
    """
    root = root or default_root()
    real = os.path.join(root, "maps")
    why = None
    if not os.path.isdir(os.path.join(real, "train")) and allow_download \
            and not config.offline():
        try:
            os.makedirs(root, exist_ok=True)
            download_maps(root, verbose=verbose)
        except (DownloadError, DataError, OSError) as e:
            why = str(e)
    if os.path.isdir(os.path.join(real, "train")):
        train = load_pairs(os.path.join(real, "train"), size, n_train)
        val = load_pairs(os.path.join(real, "val"), size, n_val)
        source = (f"REAL pix2pix maps dataset from {real} ({len(train[0])} train / "
                  f"{len(val[0])} val pairs at {size}×{size})")
        synthetic = False
    else:
        syn = os.path.join(root, f"synthetic_maps_seed{seed}")
        make_synthetic_maps(syn, max(synthetic_train, n_train or 0),
                            max(synthetic_val, n_val or 0), seed=seed, verbose=verbose)
        train = load_pairs(os.path.join(syn, "train"), size, n_train or synthetic_train)
        val = load_pairs(os.path.join(syn, "val"), size, n_val or synthetic_val)
        source = (f"SYNTHETIC stand-in (procedurally generated city scenes, seed {seed}) from "
                  f"{syn} ({len(train[0])} train / {len(val[0])} val pairs at {size}×{size}) "
                  f"— NOT the real maps dataset"
                  + (f"; the real set could not be downloaded: {why}" if why else
                     "; downloading was disabled"))
        synthetic = True
    if verbose:
        print(f"maps data: {source}")
    return MapsData(train, val, source, synthetic)
