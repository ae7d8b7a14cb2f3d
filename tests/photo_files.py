"""Photos for the tests, made with Pillow on the fly (no binary fixtures)."""

import io
import random

from PIL import ExifTags, Image

RED, BLUE = (220, 30, 30), (30, 30, 220)


def encoded(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def noisy(size=(320, 240), seed=1):
    """A photo-like image (noise compresses badly, like a real photo)."""
    rng = random.Random(seed)
    return Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))


def jpeg_with_gps():
    """A JPEG carrying EXIF with a GPS position, a camera model and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Test camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 27.0, 50.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (9.0, 11.0, 24.0)
    return encoded(noisy((200, 150)), "JPEG", exif=exif, quality=90)


def sideways_jpeg():
    """A 300×200 JPEG, left half red and right half blue, with EXIF orientation 6: a viewer
    turns it 90° clockwise, so it shows 200×300 with red on top and blue below."""
    image = Image.new("RGB", (300, 200), RED)
    image.paste(Image.new("RGB", (150, 200), BLUE), (150, 0))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return encoded(image, "JPEG", exif=exif, quality=95)


def png(size=(120, 80), color=(40, 160, 90)):
    return encoded(Image.new("RGB", size, color), "PNG")


def gif():
    frames = [Image.new("P", (60, 40), index) for index in (1, 2)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def big_jpeg(size=(5000, 3750), quality=95):
    """A large photo-like JPEG: about 4 MB at the default size."""
    return encoded(noisy((500, 375)).resize(size, Image.Resampling.NEAREST), "JPEG",
                   quality=quality)


def huge_png():
    """A real 10,000 × 10,000 PNG (100 megapixels), small on disk: a decompression bomb."""
    return encoded(Image.new("1", (10_000, 10_000)), "PNG")


def truncated_jpeg():
    data = encoded(noisy((400, 300)), "JPEG", quality=90)
    return data[: len(data) // 2]
