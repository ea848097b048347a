"""A barcode or QR code read from a photo sent for a barcode question (zxing-cpp, the C++ port of ZXing)."""

from __future__ import annotations

import logging
from io import BytesIO

logger = logging.getLogger(__name__)


def decode(data: bytes) -> str | None:
    """The text of the first code found in the image, or None when none can be read."""
    import zxingcpp  # loaded on the first barcode photo only
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        logger.info("Barcode photo not an image: %s", exc)
        return None
    found = zxingcpp.read_barcodes(image)
    return found[0].text if found and found[0].text else None
