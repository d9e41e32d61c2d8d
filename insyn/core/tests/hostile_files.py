"""Hostile import files, generated (no binary blobs in the repository).

Each function returns the file's bytes (the 50 MB CSV is written to a path). The zip bombs
carry a member of 1 GiB of zeros as a raw deflate stream built from one compressed 1 MiB
segment repeated (a full flush makes segments independent), so generating one takes
milliseconds and 1 MB, not a gigabyte.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from pathlib import Path

GIB = 1024**3
_MIB = 1024**2

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    b'<manifest:file-entry manifest:full-path="/" '
    b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    b"</manifest:manifest>"
)
# The part each format's reader parses for content.
MAIN_PART = {"xlsx": "xl/worksheets/sheet1.xml", "docx": "word/document.xml", "ods": "content.xml"}
ROOT = {
    "xlsx": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>',
    "docx": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>",
    "ods": f"<office:document-content {ODS_NS}><office:body><office:spreadsheet>"
    '<table:table table:name="Blad1"><table:table-row><table:table-cell office:value-type="string">'
    "<text:p>&lol9;</text:p></table:table-cell></table:table-row></table:table>"
    "</office:spreadsheet></office:body></office:document-content>",
}


# -- A small zip writer that takes members already deflated ------------------------------------


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def write_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, raw deflate stream, crc32, declared uncompressed size, method) members."""
    out = io.BytesIO()
    central = []
    for name, raw, crc, size, method in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(raw), size, len(encoded), 0))
        out.write(encoded)
        out.write(raw)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(raw),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    end = out.tell()
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), end - start, start, 0))
    return out.getvalue()


def member(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    if name == "mimetype":
        return (name, data, zlib.crc32(data), len(data), zipfile.ZIP_STORED)
    return (name, _deflate(data), zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED)


@functools.cache
def _zeros(size: int) -> tuple[bytes, int]:
    """(raw deflate stream, crc32) of `size` zero bytes (a multiple of 1 MiB)."""
    chunk = bytes(_MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(chunk)
    compressor.flush(zlib.Z_FULL_FLUSH)
    # After a full flush nothing refers back: the second segment stands alone and repeats.
    segment = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // _MIB):
        crc = zlib.crc32(chunk, crc)
    return segment * (size // _MIB) + b"\x03\x00", crc  # \x03\x00: an empty final block


# -- Valid bases --------------------------------------------------------------------------------


def base_members(kind: str) -> list[tuple[str, bytes]]:
    """The parts of a small valid file of the kind, as its usual writer makes it."""
    buffer = io.BytesIO()
    if kind == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append(["Handlingstyp", "Bevaras/Gallras"])
        workbook.save(buffer)
    elif kind == "docx":
        import docx

        docx.Document().save(buffer)
    else:
        content = (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body>'
            '<office:spreadsheet><table:table table:name="Blad1"/></office:spreadsheet></office:body>'
            "</office:document-content>"
        )
        return [("mimetype", ODS_MIMETYPE), ("META-INF/manifest.xml", ODS_MANIFEST), ("content.xml", content.encode())]
    with zipfile.ZipFile(buffer) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def with_part(kind: str, part: bytes) -> bytes:
    """A valid file of the kind whose main part is `part`."""
    name = MAIN_PART[kind]
    return write_zip([member(n, part if n == name else data) for n, data in base_members(kind)])


# -- The hostile files --------------------------------------------------------------------------


def zip_bomb(kind: str, size: int = GIB, *, lying_header: bool = False) -> bytes:
    """A valid XLSX/DOCX/ODS whose main part inflates to `size` zero bytes (~1 MB compressed).

    `lying_header`: the headers declare 1,000 bytes, so only reading the stream finds the rest.
    """
    name = MAIN_PART[kind]
    raw, crc = _zeros(size)
    members = [member(n, data) for n, data in base_members(kind) if n != name]
    members.append((name, raw, crc, 1000 if lying_header else size, zipfile.ZIP_DEFLATED))
    return write_zip(members)


def billion_laughs_xml(kind: str, encoding: str = "utf-8") -> bytes:
    """The classic entity expansion (10 levels of 10: 10^9 "lol"s) around the kind's root element."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    root = ROOT[kind].split(" ", 1)[0].lstrip("<")
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    text = f"{declaration}\n<!DOCTYPE {root} [\n{''.join(entities)}\n]>\n{ROOT[kind]}"
    return text.encode(encoding)  # "utf-16" writes a byte-order mark, as Word and LibreOffice would


def billion_laughs(kind: str, encoding: str = "utf-8") -> bytes:
    return with_part(kind, billion_laughs_xml(kind, encoding))


def ods_repeat_bomb(rows: int = 1_048_576, columns: int = 16_384) -> bytes:
    """Under a kilobyte: one row repeated `rows` times of one cell repeated `columns` times."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body><office:spreadsheet>'
        f'<table:table table:name="Blad1"><table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string">'
        "<text:p>Handlingstyp</text:p>"
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    return with_part("ods", content.encode())


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def wide_csv(columns: int = 100_000) -> bytes:
    return (";".join(["Handlingstyp"] + [f"k{i}" for i in range(1, columns)]) + "\n").encode()


def big_csv(path: Path, size: int = 50 * _MIB) -> Path:
    line = b"1.1;Styra;Planera;Verksamhetsplan;Bevaras\n"
    with path.open("wb") as handle:
        handle.write(b"Klassificering;Process;Aktivitet;Handlingstyp;Bevaras/Gallras\n")
        for _ in range(size // len(line) + 1):
            handle.write(line)
    return path


@functools.cache
def all_for_plans() -> dict[str, bytes]:
    """Every hostile retention-plan file but the 50 MB CSV: file name → bytes."""
    files = {
        "ods-repeat-bomb.ods": ods_repeat_bomb(),
        "ods-row-repeat-bomb.ods": ods_repeat_bomb(columns=1),
        "ods-cell-repeat-bomb.ods": ods_repeat_bomb(rows=2000, columns=400),
        "zip-bomb.xlsx": zip_bomb("xlsx"),
        "zip-bomb-lying-header.xlsx": zip_bomb("xlsx", lying_header=True),
        "zip-bomb-ratio.xlsx": zip_bomb("xlsx", 64 * _MIB),  # under the size limit, over the ratio
        "zip-bomb.docx": zip_bomb("docx"),
        "zip-bomb.ods": zip_bomb("ods"),
        "deep.json": deep_json(),
        "wide-row.csv": wide_csv(),
    }
    for kind in ("xlsx", "docx", "ods"):
        for encoding in ("utf-8", "utf-16"):
            files[f"billion-laughs-{encoding}.{kind}"] = billion_laughs(kind, encoding)
    return files
