"""Photos: pure image work with Pillow, judged by content only. No database access in here.

Everything in this module is CPU work meant to run through `offload.offload` (an OS thread),
so the event loop keeps delivering other rooms' notes while a photo is decoded and encoded.
"""

import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .errors import Refused
from .i18n import N_

MAX_BYTES = 10 * 1024 * 1024  # an upload over this is refused with 413
MAX_PIXELS = 40_000_000  # decompression bombs: more pixels than this is refused before decoding
FULL_SIDE = 1600  # the stored photo's long side, at most
THUMB_SIDE = 400  # the thumbnail's long side, at most
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
QUALITY, THUMB_QUALITY = 82, 75
NOT_AN_IMAGE = N_("This file is not a photo we can read. Use a JPEG, PNG, WebP or GIF image.")
CORRUPT = N_("This photo is damaged or incomplete, so it cannot be read. Try another file.")
TOO_MANY_PIXELS = N_("This image is too large (%(megapixels)s megapixels; at most %(most)s). "
                     "Use a smaller photo.")
TOO_LARGE = N_("This file is over %(most)s MB. Use a smaller photo.")
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Processed:
    """A photo ready to store: WebP bytes of the photo and of its thumbnail, and its size."""

    full: bytes
    thumb: bytes
    width: int
    height: int


def refused(message, code="invalid", **params):
    """A refusal: `invalid` (HTTP 400) or `too_large` (HTTP 413)."""
    return Refused(code, message, params)


def open_checked(data):
    """Open an image from bytes by its content; refuse anything else before decoding pixels."""
    if len(data) > MAX_BYTES:
        raise refused(TOO_LARGE, "too_large", most=MAX_BYTES // (1024 * 1024))
    if not data:
        raise refused(NOT_AN_IMAGE)
    with warnings.catch_warnings():
        # Pillow warns above its own bomb limit; ours (MAX_PIXELS) is lower and checked below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except Image.DecompressionBombError:
            raise refused(TOO_MANY_PIXELS, megapixels="> 170",
                          most=MAX_PIXELS // 1_000_000) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise refused(NOT_AN_IMAGE) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise refused(TOO_MANY_PIXELS, megapixels=round(width * height / 1_000_000),
                      most=MAX_PIXELS // 1_000_000)
    if width < 1 or height < 1:
        raise refused(NOT_AN_IMAGE)
    return image


def decoded(image):
    """The first frame's pixels, upright as EXIF says, in sRGB, with no metadata kept."""
    width, height = image.size
    if image.format == "JPEG" and max(width, height) > FULL_SIDE:
        # Decode straight at 1/2, 1/4 or 1/8 scale (still at least FULL_SIDE on the long side):
        # a 12-megapixel phone photo decodes in a fraction of the time and memory.
        scale = FULL_SIDE / max(width, height)
        image.draft(image.mode, (math.ceil(width * scale), math.ceil(height * scale)))
    try:
        image.seek(0)  # a GIF (or animated WebP): its first frame
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise refused(CORRUPT) from None
    icc = image.info.get("icc_profile")
    alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info)
    pixels = upright.convert("RGBA" if alpha else "RGB")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            pixels = ImageCms.profileToProfile(pixels, source, _SRGB,
                                               outputMode=pixels.mode) or pixels
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken colour profile: keep the pixels as they are
    # Pixels only from here: no EXIF (GPS), XMP, ICC or comments can follow them (the WebP
    # encoder writes only what it is given, and it is given nothing).
    pixels.info = {}
    return pixels


def webp(image, side, quality):
    """WebP bytes of an image scaled down (never up) to `side` pixels on its long side."""
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # method 2 of 0 (fast) to 6 (small): five times faster than the default 4 on a 1600 px
    # photo, for a file a few per cent larger.
    copy.save(out, "WEBP", quality=quality, method=2)
    return out.getvalue(), copy


def process_upload(data):
    """Check, decode and re-encode an uploaded photo; raise Refused with a readable message."""
    image = open_checked(data)
    clean = decoded(image)
    full, resized = webp(clean, FULL_SIDE, QUALITY)
    thumb, _ = webp(resized, THUMB_SIDE, THUMB_QUALITY)
    return Processed(full, thumb, resized.width, resized.height)


def process_stored(data):
    """Check a photo kept in an export (our WebP) and make its thumbnail; keep its bytes as given."""
    image = open_checked(data)
    if image.format != "WEBP":
        raise refused(N_("A photo in an export must be WebP (as exports write them)."))
    clean = decoded(image)
    thumb, _ = webp(clean, THUMB_SIDE, THUMB_QUALITY)
    return Processed(data, thumb, clean.width, clean.height)
