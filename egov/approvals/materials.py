"""How a case's material file is shown (材料查看): pure rules, no Django.

PDFs and images open in the page (the browser's own viewer); every other
type, OFD included, is downloaded, since browsers cannot show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "ofd": "application/ofd",
}
SHOWN_INLINE = frozenset({"pdf", "jpg", "png"})
IMAGES = frozenset({"jpg", "png"})


@dataclass(frozen=True)
class Presentation:
    """How one file type is served and shown: its content type, inline or not, the viewer."""

    content_type: str
    inline: bool
    viewer: str  # "frame" (PDF), "image", or "" (downloaded)


def presentation(file_type: str) -> Presentation:
    """How a material of this type (``pdf``, ``jpg``, ``png``, ``ofd``) is served."""
    kind = file_type.lower()
    inline = kind in SHOWN_INLINE
    viewer = ("image" if kind in IMAGES else "frame") if inline else ""
    return Presentation(CONTENT_TYPES.get(kind, "application/octet-stream"), inline, viewer)


def upload_key(position: int, entry: Mapping[str, str]) -> str:
    """The form field a requested material is uploaded under: its code, or ``extra-<n>``.

    ``position`` counts the notice's entries from 1, so a free item (no code)
    keeps its place in the one notice.
    """
    return entry.get("code") or f"extra-{position}"
