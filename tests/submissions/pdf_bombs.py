"""PDFs that attack the parser rather than the reader, for the sandbox tests.

`decompression_bomb` hides gigabytes of content behind a few megabytes of
Flate data, built in a fraction of a second: one compressed block of 16 MiB of
spaces, repeated (a full flush makes every block byte-identical), closed with
the Adler-32 of the whole, combined arithmetically instead of summed over
gigabytes. The stream is valid: a parser that inflates it really gets it all.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf

from tests.submissions.pdf_factory import build_paper

_CHUNK = 1 << 24  # 16 MiB
_ADLER_BASE = 65521


def _adler32_combine(adler1: int, adler2: int, length2: int) -> int:
    """zlib's adler32_combine (not exposed by Python's zlib)."""
    remainder = length2 % _ADLER_BASE
    sum1 = adler1 & 0xFFFF
    sum2 = (remainder * sum1) % _ADLER_BASE
    sum1 += (adler2 & 0xFFFF) + _ADLER_BASE - 1
    sum2 += (adler1 >> 16) + (adler2 >> 16) + _ADLER_BASE - remainder
    return (sum1 % _ADLER_BASE) | ((sum2 % _ADLER_BASE) << 16)


def inflating_to(size: int) -> bytes:
    """A zlib stream of about `size` bytes of spaces (a multiple of 16 MiB)."""
    count = max(1, size // _CHUNK)
    chunk = b" " * _CHUNK
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    # The first block carries the 2-byte zlib header; the others are identical.
    if first[2:] != block:
        raise RuntimeError("zlib did not repeat the block")
    final = compressor.flush()[:-4]  # the empty last block, without its checksum
    chunk_adler = zlib.adler32(chunk)
    adler = chunk_adler
    for _ in range(count - 1):
        adler = _adler32_combine(adler, chunk_adler, _CHUNK)
    return first + block * (count - 1) + final + adler.to_bytes(4, "big")


def decompression_bomb(path: Path, *, size: int = 2 << 30) -> Path:
    """A one-page paper whose first content stream inflates to `size` bytes."""
    build_paper(path, pages=1, references_page=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        stream = pikepdf.Stream(pdf, inflating_to(size))
        stream.Filter = pikepdf.Name.FlateDecode
        page = pdf.pages[0].obj
        page.Contents = pikepdf.Array([stream, page.Contents])
        pdf.save(path, compress_streams=False)
    return path


def run_length_bomb(path: Path, *, size: int = 3 << 29) -> Path:
    """A one-page paper whose content inflates to `size` bytes through
    [/FlateDecode /RunLengthDecode] (128 spaces per 2 bytes of run-length data):
    a filter chain the content-size count leaves to the sandbox's memory limit."""
    build_paper(path, pages=1, references_page=None)
    runs = b"\x81 " * (size // 128)  # 257 - 0x81 = 128 copies of the next byte
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        stream = pikepdf.Stream(pdf, zlib.compress(runs, 9))
        stream.Filter = pikepdf.Array(
            [pikepdf.Name.FlateDecode, pikepdf.Name.RunLengthDecode]
        )
        page = pdf.pages[0].obj
        page.Contents = pikepdf.Array([stream, page.Contents])
        pdf.save(path, compress_streams=False)
    return path
