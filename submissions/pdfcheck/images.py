"""Image files without their metadata, pixels untouched.

Cameras and editors write who made a picture next to its pixels: EXIF
(Artist, Copyright, owner and serial numbers, GPS), XMP (dc:creator), IPTC,
PNG text chunks, GIF comments. The cleaners below walk the file's container
(JPEG segments, PNG chunks, RIFF chunks, GIF blocks) and copy only what
decoding needs, so nothing is decoded or re-encoded: the pixels are
byte-for-byte the originals, and a hostile file costs a linear walk, no more.

Used for images in supplementary ZIP archives and for JPEG streams inside
PDFs (sanitize.py).
"""

from __future__ import annotations

import io
import struct
from typing import BinaryIO


class ImageDamaged(Exception):
    """The image's container cannot be walked; it is not copied."""


_COPY_CHUNK = 1024 * 1024


def image_kind(head: bytes) -> str | None:
    """'jpeg', 'png', 'webp', 'gif' (the kinds we clean) or None, by content."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


def clean_image(kind: str, src: BinaryIO, out: BinaryIO) -> None:
    """Copy the image from src to out without its metadata. Raises ImageDamaged."""
    cleaners = {
        "jpeg": clean_jpeg,
        "png": clean_png,
        "webp": clean_webp,
        "gif": clean_gif,
    }
    try:
        cleaners[kind](src, out)
    except (struct.error, IndexError, EOFError) as error:
        raise ImageDamaged(str(error)) from error


def clean_image_bytes(kind: str, data: bytes) -> bytes:
    out = io.BytesIO()
    clean_image(kind, io.BytesIO(data), out)
    return out.getvalue()


def _read(src: BinaryIO, size: int) -> bytes:
    data = src.read(size)
    if len(data) != size:
        raise ImageDamaged("the image ends early")
    return data


def _copy_rest(src: BinaryIO, out: BinaryIO) -> None:
    while chunk := src.read(_COPY_CHUNK):
        out.write(chunk)


# --- JPEG -----------------------------------------------------------------------------
# APPn segments kept: JFIF/JFXX (APP0: density, needed by some decoders), the ICC
# profile (APP2, colours) and Adobe (APP14: colour transform of CMYK files).
# Every other APPn (EXIF and XMP in APP1, Photoshop/IPTC in APP13, maker notes)
# and every comment (COM) goes.
_KEPT_APP = (
    (0xE0, b"JFIF\x00"),
    (0xE0, b"JFXX\x00"),
    (0xE2, b"ICC_PROFILE\x00"),
    (0xEE, b"Adobe"),
)
_SOS, _EOI, _COM = 0xDA, 0xD9, 0xFE
# Markers without a length: TEM and RST0-7 (never before SOS in practice).
_STANDALONE = frozenset([0x01, *range(0xD0, 0xD8)])


def clean_jpeg(src: BinaryIO, out: BinaryIO) -> None:
    """Drop APPn and COM segments up to the first scan; copy the rest.

    Metadata segments come before the image data; what follows the first
    start-of-scan (entropy-coded data, later scans of a progressive file) is
    copied unread, as walking it byte by byte would be slow.
    """
    if _read(src, 2) != b"\xff\xd8":
        raise ImageDamaged("not a JPEG")
    out.write(b"\xff\xd8")
    while True:
        prefix = _read(src, 2)
        while prefix[1] == 0xFF:  # fill bytes before a marker
            prefix = b"\xff" + _read(src, 1)
        if prefix[0] != 0xFF:
            raise ImageDamaged("a JPEG segment does not start with a marker")
        marker = prefix[1]
        if marker in _STANDALONE:
            out.write(prefix)
            continue
        if marker == _EOI:
            out.write(prefix)
            return
        length_bytes = _read(src, 2)
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2:
            raise ImageDamaged("a JPEG segment has an impossible length")
        body = _read(src, length - 2)
        is_app = 0xE0 <= marker <= 0xEF
        kept = not is_app or any(
            marker == m and body.startswith(sig) for m, sig in _KEPT_APP
        )
        if kept and marker != _COM:
            out.write(prefix + length_bytes + body)
        if marker == _SOS:
            _copy_rest(src, out)
            return


# --- PNG ------------------------------------------------------------------------------
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that change how the image looks (or animate it); everything else goes:
# tEXt/zTXt/iTXt (Author, Comment, XMP), eXIf, tIME and private chunks.
_PNG_KEPT = frozenset(
    b"IHDR PLTE IDAT IEND tRNS cHRM gAMA iCCP sBIT sRGB cICP mDCV cLLI "
    b"bKGD hIST pHYs sPLT acTL fcTL fdAT".split()
)


def clean_png(src: BinaryIO, out: BinaryIO) -> None:
    if _read(src, 8) != _PNG_SIGNATURE:
        raise ImageDamaged("not a PNG")
    out.write(_PNG_SIGNATURE)
    while True:
        header = _read(src, 8)
        length, kind = struct.unpack(">I4s", header)
        # An unknown *critical* chunk (upper-case first letter) is kept: without
        # it a decoder would fail, and it is not metadata by definition.
        keep = kind in _PNG_KEPT or kind[:1].isupper()
        if keep:
            out.write(header)
        remaining = length + 4  # data and CRC
        while remaining:
            piece = _read(src, min(remaining, _COPY_CHUNK))
            remaining -= len(piece)
            if keep:
                out.write(piece)
        if kind == b"IEND":
            return


# --- WebP (RIFF) ---------------------------------------------------------------------
_VP8X_XMP, _VP8X_EXIF = 0x04, 0x08
# The RIFF header holds the total size, known only once the metadata chunks
# are dropped, so a WebP image is rewritten in memory: within this size.
WEBP_MAX_BYTES = 64 * 1024 * 1024


def clean_webp(src: BinaryIO, out: BinaryIO) -> None:
    riff, size, webp = struct.unpack("<4sI4s", _read(src, 12))
    if riff != b"RIFF" or webp != b"WEBP":
        raise ImageDamaged("not a WebP image")
    if size > WEBP_MAX_BYTES:
        raise ImageDamaged("a WebP image over 64 MB")
    body = io.BytesIO()
    while header := src.read(8):
        if len(header) != 8:
            raise ImageDamaged("the image ends early")
        kind, length = struct.unpack("<4sI", header)
        if body.tell() + length > WEBP_MAX_BYTES:
            raise ImageDamaged("a WebP chunk larger than the image")
        data = _read(src, length + (length & 1))  # chunks are padded to even
        if kind in (b"EXIF", b"XMP "):
            continue
        if kind == b"VP8X" and data:
            # The extended header announces EXIF/XMP; they are gone now.
            data = bytes([data[0] & ~(_VP8X_XMP | _VP8X_EXIF)]) + data[1:]
        body.write(header + data)
    content = body.getvalue()
    out.write(struct.pack("<4sI4s", b"RIFF", len(content) + 4, b"WEBP") + content)


# --- GIF ------------------------------------------------------------------------------
# Application extensions kept: animation loop counts. XMP ("XMP DataXMP") and
# any other application data, and every comment extension, go.
_GIF_KEPT_APPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def _sub_blocks(src: BinaryIO) -> bytes:
    blocks = bytearray()
    while True:
        size = _read(src, 1)
        blocks += size
        if size == b"\x00":
            return bytes(blocks)
        blocks += _read(src, size[0])


def clean_gif(src: BinaryIO, out: BinaryIO) -> None:
    header = _read(src, 13)
    if header[:6] not in (b"GIF87a", b"GIF89a"):
        raise ImageDamaged("not a GIF")
    out.write(header)
    if header[10] & 0x80:  # global colour table
        out.write(_read(src, 3 << ((header[10] & 0x07) + 1)))
    while True:
        introducer = _read(src, 1)
        if introducer == b";":  # trailer
            out.write(introducer)
            return
        if introducer == b",":  # image descriptor, local colour table, LZW data
            descriptor = _read(src, 9)
            table = b""
            if descriptor[8] & 0x80:
                table = _read(src, 3 << ((descriptor[8] & 0x07) + 1))
            code_size = _read(src, 1)
            out.write(introducer + descriptor + table + code_size + _sub_blocks(src))
        elif introducer == b"!":
            label = _read(src, 1)
            blocks = _sub_blocks(src)
            # Graphic control (frame timing) and plain text (drawn) stay.
            keep = label in (b"\xf9", b"\x01") or (
                label == b"\xff" and blocks[1:12] in _GIF_KEPT_APPS
            )
            if keep:
                out.write(introducer + label + blocks)
        else:
            raise ImageDamaged("unknown GIF block")
