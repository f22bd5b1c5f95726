"""A JPEG or PNG from a stranger, decoded by Pillow under a pixel limit and stored re-encoded.

The dimensions are read from the header and judged before any pixel is decoded, so a small
file declaring 30000×30000 pixels is refused without allocating them; the limit is ours, passed
around, never Pillow's process-wide `Image.MAX_IMAGE_PIXELS` (whose own, larger, bomb check stays
on as a second guard). The image is then verified, opened again and fully decoded: a damaged
file is refused. What is stored is a new encoding of the pixels, turned upright as the camera
said, without EXIF (place and time of the photo, camera serial), text chunks or thumbnails.
"""

from __future__ import annotations

import io
import logging

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from meis.core.filecheck.base import FileRefused, Sanitised

logger = logging.getLogger(__name__)

MAX_IMAGE_PIXELS = 50_000_000  # 50 megapixels: more than any phone camera, less than a bomb
JPEG_QUALITY = 90
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
_ORIENTATION = 0x0112  # the EXIF tag that says how the camera was held


def _too_large(max_pixels: int) -> FileRefused:
    return FileRefused(
        _(
            "The selected image is too large in pixels (at most %(megapixels)s megapixels). "
            "Take a new photo or scan at a lower resolution."
        )
        % {"megapixels": max_pixels // 1_000_000}
    )


def _damaged() -> FileRefused:
    return FileRefused(
        _("The selected image is damaged and cannot be read. Take a new photo or scan.")
    )


def image_sanitise(
    content: bytes, *, content_type: str, max_pixels: int = MAX_IMAGE_PIXELS
) -> Sanitised:
    """A re-encoded copy of the image without its metadata, or FileRefused."""
    image_format = _FORMATS[content_type]
    _verified(content, image_format, max_pixels)
    try:
        with _opened(content, image_format) as image:
            image.load()
            return Sanitised(content=_reencoded(image, image_format), removed=("metadata",))
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # Pillow's kinds of "broken"
        logger.info("An image was refused as damaged: %s", error)
        raise _damaged() from None


def _opened(content: bytes, image_format: str) -> Image.Image:
    return Image.open(io.BytesIO(content), formats=[image_format])


def _verified(content: bytes, image_format: str, max_pixels: int) -> None:
    """Refuse by the header's dimensions before decoding, then by Pillow's structural check."""
    try:
        with _opened(content, image_format) as image:
            width, height = image.size
            if width * height > max_pixels:
                logger.info("An image was refused: %s×%s pixels", width, height)
                raise _too_large(max_pixels)
            if width == 0 or height == 0:
                raise _damaged()
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # (when an error)
        logger.info("An image was refused by Pillow's decompression-bomb check")
        raise _too_large(max_pixels) from None
    except FileRefused:
        raise
    except Exception as error:  # noqa: BLE001 — Pillow raises many kinds on a hostile file
        logger.info("An image was refused as damaged: %s", error)
        raise _damaged() from None


def _reencoded(image: Image.Image, image_format: str) -> bytes:
    icc_profile = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    if image.getexif().get(_ORIENTATION, 1) != 1:
        image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, icc_profile=icc_profile)
    else:
        options = {"icc_profile": icc_profile} if icc_profile else {}
        if transparency is not None and image.mode in ("P", "L", "RGB"):
            options["transparency"] = transparency
        image.save(out, "PNG", **options)
    return out.getvalue()
