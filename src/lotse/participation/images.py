"""Pictures of ideas: accept only real JPEG and PNG files, refuse decompression bombs, turn
them upright and store a fresh encoding that carries no metadata (no EXIF, GPS, ICC, text
chunks), so a photo taken at home does not tell the world where that home is."""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lotse.core import uploads

MAX_IMAGES_PER_IDEA = 3
MAX_BYTES = 5 * 1024 * 1024
# 40 megapixels are more than any phone takes; a bigger canvas is most likely a bomb.
MAX_PIXELS = 40_000_000
# Stored images are scaled down to this size: enough for any screen, far less to serve.
MAX_SIDE = 2560
ALLOWED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


@dataclass
class EncodedImage:
    content: ContentFile
    content_type: str
    name: str


def _invalid() -> ValidationError:
    return ValidationError(
        _("Please upload a photo or graphic as JPEG or PNG (at most 5 MB)."), code="image"
    )


def reencode(upload) -> EncodedImage:
    """Check an uploaded file and return a clean re-encoding of it, or raise a German
    :class:`ValidationError`."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than 5 MB. Please choose a smaller one."), code="image_size"
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than 5 MB. Please choose a smaller one."), code="image_size"
        )
    # The one upload check of Lotse: the content is JPEG or PNG and the name says so.
    try:
        uploads.check_upload(upload, max_bytes=MAX_BYTES, allowed=uploads.IMAGES)
    except ValidationError as error:
        if error.code == "file_mismatch":
            raise
        raise _invalid() from error
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # The real content decides, not the file name or the browser's content type.
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED))
            kind = image.format
            width, height = image.size
            if kind not in ALLOWED:
                raise _invalid()
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels. Please choose a smaller one."),
                    code="image_pixels",
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise ValidationError(
                _("The image has too many pixels. Please choose a smaller one."),
                code="image_pixels",
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise _invalid() from error
    content_type, extension = ALLOWED[kind]
    if kind == "JPEG":
        mode = "RGB" if upright.mode not in ("L", "RGB") else upright.mode
    else:
        mode = upright.mode if upright.mode in ("L", "LA", "RGB", "RGBA") else "RGBA"
    pixels = upright.convert(mode) if upright.mode != mode else upright
    # A new image from the bare pixels: nothing of the original's info dict can survive.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    else:
        clean.save(out, "PNG", optimize=True)
    return EncodedImage(
        content=ContentFile(out.getvalue()),
        content_type=content_type,
        name=f"idea.{extension}",
    )
