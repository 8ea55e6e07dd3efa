"""Names of the files the product generates (PDFs, exports, ZIP entries, job results).

A name is built from data (a school code, a reference) that a person typed: `../../x` must not
climb out of a ZIP archive or a storage folder, and a quote or a line break must not break a
Content-Disposition header. Every generated name goes through `safe_filename`."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+", re.ASCII)
_DOTS = re.compile(r"\.{2,}")
_DASH_RUN = re.compile(r"[.-]*-[.-]*")


def safe_filename(name: str, *, default: str = "document", max_length: int = 150) -> str:
    """ASCII letters, digits, dot, dash and underscore only; no folder, no `..`, no leading dot."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    text = text.replace("/", "-").replace("\\", "-")
    text = _UNSAFE.sub("-", text)
    text = _DASH_RUN.sub("-", text)  # "-..-" left by a "/../" is one dash
    text = _DOTS.sub(".", text).strip(".-_")
    if not text:
        return default
    if len(text) > max_length:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 5:
            text = stem[: max_length - len(extension) - 1].rstrip(".-_") + "." + extension
        else:
            text = text[:max_length].rstrip(".-_")
    return text


def content_disposition(filename: str, *, inline: bool = False) -> str:
    return f'{"inline" if inline else "attachment"}; filename="{safe_filename(filename)}"'
