"""Bounded reading of imported files: one guard for every importer, whatever the door.

Every file an importer reads (retention plans, the officials register) goes through here:

- `read_path` / `read_upload` / `check_request`: the byte size (`INSYN_IMPORT_MAX_BYTES`), checked
  from the file's size or the request's Content-Length before a byte is read.
- `open_zip`: XLSX, DOCX and ODS are zip archives. Before openpyxl, python-docx or our ODS reader
  sees one, every member's declared size, the sum of them (`…_MAX_UNCOMPRESSED_BYTES`) and its
  compression ratio (`…_MAX_RATIO`) are checked, and then every member is inflated through a
  capped stream (headers are not trusted) while its XML prolog is checked for a DTD.
- `check_xml_prolog` / `iterparse_xml`: no DTD and no entity declarations in any encoding
  (UTF-8, UTF-16, UTF-32 by byte-order mark or signature, or the declared one); an encoding we
  cannot check (EBCDIC, UTF-7 …) is refused. Parsing is defusedxml with DTDs forbidden, and the
  element depth is limited (`…_MAX_DEPTH`).
- `loads_json`: the nesting depth is counted before `json.loads` builds anything.
- `Budget`: rows, columns, cells, cell length and parse time, counted by the readers' loops
  before anything repeated (ODS `number-rows-repeated` / `number-columns-repeated`) is expanded.

Past a limit the reader raises `ImportLimitExceeded` (413 `ImportTooLarge` for the byte size)
naming the setting and its value; a DTD raises `UnsafeImportFile`. Both are `ValidationFailed`,
so every door shows the message and nothing is written (readers run before any service).
"""

from __future__ import annotations

import codecs
import json
import re
import struct
import time
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import IO, Any, NoReturn

from django.conf import settings
from django.utils.translation import gettext as _

from insyn.core.exceptions import ImportLimitExceeded, ImportTooLarge, UnsafeImportFile

# Defaults of the settings (config/settings.py reads each from the environment). Sized for a
# 5,000-row plan with room: its files are 0.2-5 MB (6-12 MB unpacked), 29 columns, 145,000 cells, depth < 20.
DEFAULTS: dict[str, int] = {
    "INSYN_IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES": 100 * 1024 * 1024,
    "INSYN_IMPORT_MAX_RATIO": 100,
    "INSYN_IMPORT_MAX_ZIP_MEMBERS": 1_000,
    "INSYN_IMPORT_MAX_ROWS": 50_000,
    "INSYN_IMPORT_MAX_COLUMNS": 500,
    "INSYN_IMPORT_MAX_CELLS": 500_000,
    "INSYN_IMPORT_MAX_CELL_CHARS": 100_000,
    "INSYN_IMPORT_MAX_DEPTH": 64,
    "INSYN_IMPORT_MAX_SECONDS": 60,
}
# A member smaller than this may be compressed at any ratio (a short XML part of repeated
# markup can reach 100:1); only a large one is a bomb.
RATIO_MIN_BYTES = 1024 * 1024
# The XML prolog (declaration, comments, DOCTYPE) must end within this many bytes.
XML_PROLOG_BYTES = 64 * 1024
# Multipart framing and the other form fields on top of the file itself.
UPLOAD_OVERHEAD_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024


def limit(name: str) -> int:
    """The value of an `INSYN_IMPORT_*` limit."""
    return int(getattr(settings, name, DEFAULTS[name]))


def _what(name: str) -> str:
    return {
        "INSYN_IMPORT_MAX_BYTES": _("the file is larger than the limit (bytes)"),
        "INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES": _("the file unpacks to more than the limit (bytes)"),
        "INSYN_IMPORT_MAX_RATIO": _("a part of the file is compressed more than the limit allows (ratio)"),
        "INSYN_IMPORT_MAX_ZIP_MEMBERS": _("the file has more parts than the limit"),
        "INSYN_IMPORT_MAX_ROWS": _("the file has more rows than the limit"),
        "INSYN_IMPORT_MAX_COLUMNS": _("a row has more columns than the limit"),
        "INSYN_IMPORT_MAX_CELLS": _("the file has more cells than the limit"),
        "INSYN_IMPORT_MAX_CELL_CHARS": _("a cell is longer than the limit (characters)"),
        "INSYN_IMPORT_MAX_DEPTH": _("the file is nested deeper than the limit"),
        "INSYN_IMPORT_MAX_SECONDS": _("reading the file took longer than the limit (seconds)"),
    }[name]


def exceeded(name: str, *, file: str, error: type[ImportLimitExceeded] = ImportLimitExceeded) -> NoReturn:
    """Raise the error naming the limit `name` and its value."""
    value = limit(name)
    message = _("%(file)s: %(what)s: %(setting)s = %(value)s. Nothing was imported.") % {
        "file": file,
        "what": _what(name),
        "setting": name,
        "value": value,
    }
    raise error(message, detail={"file": file, "limit": name, "value": value})


def unsafe(file: str, reason: str) -> NoReturn:
    raise UnsafeImportFile(
        _("%(file)s: the file is refused: %(reason)s. Nothing was imported.") % {"file": file, "reason": reason},
        detail={"file": file},
    )


# -- Bytes --------------------------------------------------------------------------------------


def check_size(size: int | None, *, file: str) -> None:
    if size is not None and size > limit("INSYN_IMPORT_MAX_BYTES"):
        exceeded("INSYN_IMPORT_MAX_BYTES", file=file, error=ImportTooLarge)


def read_path(path: Path) -> bytes:
    """A file's bytes, refused from its size before it is read (and again if it grew)."""
    check_size(path.stat().st_size, file=path.name)
    with path.open("rb") as handle:
        data = handle.read(limit("INSYN_IMPORT_MAX_BYTES") + 1)
    check_size(len(data), file=path.name)
    return data


def read_upload(upload: Any) -> bytes:
    """An `UploadedFile`'s bytes, refused from its size before it is read."""
    name = str(getattr(upload, "name", "") or "upload")
    check_size(getattr(upload, "size", None), file=name)
    cap = limit("INSYN_IMPORT_MAX_BYTES")
    parts: list[bytes] = []
    total = 0
    for chunk in upload.chunks():
        total += len(chunk)
        check_size(total, file=name)
        parts.append(chunk)
        if total > cap:  # pragma: no cover - check_size raised
            break
    return b"".join(parts)


def request_too_large(request: Any) -> bool:
    """True when the request's declared body is larger than an import upload may be."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit("INSYN_IMPORT_MAX_BYTES") + UPLOAD_OVERHEAD_BYTES


def check_request(request: Any, *, file: str = "upload") -> None:
    """Refuse an import upload from its Content-Length, before the body is parsed."""
    if request_too_large(request):
        exceeded("INSYN_IMPORT_MAX_BYTES", file=file, error=ImportTooLarge)


def read_request_body(request: Any, *, file: str) -> bytes:
    """A raw request body (an API upload) read through the byte limit."""
    check_request(request, file=file)
    cap = limit("INSYN_IMPORT_MAX_BYTES")
    data = request.read(cap + 1)
    check_size(len(data), file=file)
    return bytes(data)


# -- Time, rows, columns, cells ---------------------------------------------------------------


class Budget:
    """The limits of one file while it is read: call `row()` per row and `tick()` in other loops."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.max_rows = limit("INSYN_IMPORT_MAX_ROWS")
        self.max_columns = limit("INSYN_IMPORT_MAX_COLUMNS")
        self.max_cells = limit("INSYN_IMPORT_MAX_CELLS")
        self.max_cell_chars = limit("INSYN_IMPORT_MAX_CELL_CHARS")
        self.max_depth = limit("INSYN_IMPORT_MAX_DEPTH")
        self.deadline = time.monotonic() + limit("INSYN_IMPORT_MAX_SECONDS")
        self.rows = 0
        self.cells = 0
        self._ticks = 0

    def fail(self, name: str) -> NoReturn:
        exceeded(name, file=self.file)

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            self.fail("INSYN_IMPORT_MAX_SECONDS")

    def tick(self) -> None:
        self._ticks += 1
        if not self._ticks % 512:
            self.check_time()

    def columns(self, width: int) -> None:
        if width > self.max_columns:
            self.fail("INSYN_IMPORT_MAX_COLUMNS")

    def row(self, width: int, repeat: int = 1) -> None:
        """Count `repeat` rows of `width` cells, before they are built."""
        self.columns(width)
        self.rows += repeat
        if self.rows > self.max_rows:
            self.fail("INSYN_IMPORT_MAX_ROWS")
        self.cells += width * repeat
        if self.cells > self.max_cells:
            self.fail("INSYN_IMPORT_MAX_CELLS")
        self.tick()

    def text(self, length: int) -> None:
        if length > self.max_cell_chars:
            self.fail("INSYN_IMPORT_MAX_CELL_CHARS")

    def depth(self, depth: int) -> None:
        if depth > self.max_depth:
            self.fail("INSYN_IMPORT_MAX_DEPTH")


def used_width(values: tuple[Any, ...] | list[Any]) -> int:
    """The width of a row up to its last non-empty value (trailing empty cells are formatting)."""
    width = len(values)
    while width and values[width - 1] in (None, ""):
        width -= 1
    return width


def text_rows(records: Iterator[list[str]], budget: Budget) -> Iterator[list[str]]:
    """Rows of a CSV reader or of split lines, counted; trailing empty cells do not count."""
    for cells in records:
        budget.row(used_width(cells))
        budget.text(max(map(len, cells), default=0))
        yield cells


# -- Zip archives -------------------------------------------------------------------------------


def open_zip(data: bytes, *, budget: Budget) -> zipfile.ZipFile:
    """The archive, once every member is proven small, not a bomb and free of DTDs.

    Raises `zipfile.BadZipFile` for what is not a zip, as `zipfile` itself does.
    """
    check_zip_entries(data, file=budget.file)
    archive = zipfile.ZipFile(BytesIO(data))
    try:
        check_zip(archive, budget=budget)
    except BaseException:
        archive.close()
        raise
    return archive


def check_zip_entries(data: bytes, *, file: str) -> None:
    """Refuse a zip of too many parts from its end record, before `zipfile` builds one object per part."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0 or end + 22 > len(data):
        return  # not a zip: zipfile will say so
    entries, directory_size = struct.unpack_from("<HL", data, end + 10)
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:  # zip64: bound the count by the directory's size
        entries = directory_size // 46 if directory_size != 0xFFFFFFFF else len(data) // 46
    if entries > limit("INSYN_IMPORT_MAX_ZIP_MEMBERS"):
        exceeded("INSYN_IMPORT_MAX_ZIP_MEMBERS", file=file)


def check_zip(archive: zipfile.ZipFile, *, budget: Budget) -> None:
    file = budget.file
    members = archive.infolist()
    if len(members) > limit("INSYN_IMPORT_MAX_ZIP_MEMBERS"):
        exceeded("INSYN_IMPORT_MAX_ZIP_MEMBERS", file=file)
    max_total = limit("INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES")
    max_ratio = limit("INSYN_IMPORT_MAX_RATIO")
    if sum(member.file_size for member in members) > max_total:
        exceeded("INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES", file=file)
    for member in members:
        if member.file_size > RATIO_MIN_BYTES and member.file_size > max_ratio * max(member.compress_size, 1):
            exceeded("INSYN_IMPORT_MAX_RATIO", file=file)
    # The headers may lie: inflate each member through a capped stream and count what comes out.
    total = 0
    for member in members:
        if member.is_dir():
            continue
        head = b""
        with archive.open(member) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_total:
                    exceeded("INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES", file=file)
                if len(head) < XML_PROLOG_BYTES:
                    head += chunk[: XML_PROLOG_BYTES - len(head)]
                budget.check_time()
        check_xml_prolog(head, file=file, part=member.filename)


# -- XML ----------------------------------------------------------------------------------------

# (signature, encoding, length of the byte-order mark) in the order of XML 1.0 appendix F.
_SIGNATURES: tuple[tuple[bytes, str, int], ...] = (
    (codecs.BOM_UTF32_BE, "utf-32-be", 4),
    (codecs.BOM_UTF32_LE, "utf-32-le", 4),
    (codecs.BOM_UTF8, "utf-8", 3),
    (codecs.BOM_UTF16_BE, "utf-16-be", 2),
    (codecs.BOM_UTF16_LE, "utf-16-le", 2),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00<\x00?", "utf-16-be", 0),
    (b"<\x00?\x00", "utf-16-le", 0),
)
_EBCDIC = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Encodings in which ASCII markup is ASCII bytes, so the declaration could be read above.
_ASCII_COMPATIBLE = {"utf-8", "ascii", "iso8859-1", "cp1252", "iso8859-2", "cp1250", "iso8859-15"}


def _xml_encoding(head: bytes) -> tuple[str | None, int]:
    """(encoding, BOM length) of XML by its signature; (None, 0) for what does not look like XML."""
    for signature, encoding, bom in _SIGNATURES:
        if head.startswith(signature):
            return encoding, bom
    if head.startswith(_EBCDIC):
        return "ebcdic", 0
    if head.lstrip(b" \t\r\n").startswith(b"<"):
        return "utf-8", 0
    return None, 0


def check_xml_prolog(head: bytes, *, file: str, part: str = "") -> None:
    """Refuse XML whose prolog declares a DTD (where entities are defined), in any encoding.

    `head` is the start of the document (up to `XML_PROLOG_BYTES`); what does not look like XML
    (an image in the archive) passes, since no XML parser reads it.
    """
    encoding, bom = _xml_encoding(head)
    if encoding is None:
        return
    where = f"{part}: " if part else ""
    if encoding == "ebcdic":
        unsafe(file, _("%(where)sthe XML is in an encoding that cannot be checked") % {"where": where})
    if encoding == "utf-8" and not bom:
        declared = _DECLARED.match(head.lstrip(b" \t\r\n"))
        if declared:
            try:
                name = codecs.lookup(declared.group(1).decode("ascii")).name
            except LookupError:
                name = ""
            if name not in _ASCII_COMPATIBLE:
                unsafe(file, _("%(where)sthe XML is in an encoding that cannot be checked") % {"where": where})
            encoding = name
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head[bom:], final=len(head) < XML_PROLOG_BYTES)
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n\ufeff":
            position += 1
        rest = text[position : position + 4]
        if rest.startswith("<?"):
            closing = "?>"
        elif rest.startswith("<!--"):
            closing = "-->"
        elif rest.startswith("<!"):
            unsafe(file, _("%(where)sthe XML declares a DTD (document type)") % {"where": where})
        else:
            return  # the root element (or not XML at all: the parser will say so)
        end = text.find(closing, position + 2)
        if end < 0:
            if len(head) >= XML_PROLOG_BYTES:
                unsafe(file, _("%(where)sthe XML prolog is too long") % {"where": where})
            return
        position = end + len(closing)


def iterparse_xml(source: IO[bytes], *, budget: Budget) -> Iterator[tuple[str, Any]]:
    """(event, element) for "start" and "end", through defusedxml with DTDs forbidden, depth-limited."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    depth = 0
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                budget.depth(depth)
            else:
                depth -= 1
            budget.tick()
            yield event, element
    except DefusedXmlException:
        unsafe(budget.file, _("the XML declares a DTD or entities"))


def stream_xml(
    source: IO[bytes],
    *,
    budget: Budget,
    start: Any,
    end: Any,
    text: Any,
) -> None:
    """Call `start(name, attributes)`, `end(name)` and `text(data)` straight from expat, bounded.

    The same guards as `iterparse_xml` (what defusedxml refuses: DTDs, entity declarations,
    external references; the depth and time limits) without building an element per tag, for
    a large sheet (an XLSX worksheet of 5,000 rows: a third of the time of openpyxl's reader).
    Names are "{namespace}local" as ElementTree gives them; a malformed document raises
    `ElementTree.ParseError` (a `SyntaxError`) as `iterparse_xml` does.
    """
    from xml.etree.ElementTree import ParseError
    from xml.parsers import expat

    from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    max_depth = budget.max_depth
    depth = elements = 0

    def started(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth, elements
        depth += 1
        elements += 1
        if depth > max_depth:  # the budget's checks, inline: this runs for every element
            budget.depth(depth)
        if not elements & 511:
            budget.check_time()
        start("{" + name if "}" in name else name, attributes)

    def ended(name: str) -> None:
        nonlocal depth
        depth -= 1
        end("{" + name if "}" in name else name)

    def doctype(name: str, sysid: str | None, pubid: str | None, _internal: bool) -> None:
        raise DTDForbidden(name, sysid, pubid)

    def entity(name: str, _parameter: bool, value: str | None, base: str | None, *ids: str | None) -> None:
        raise EntitiesForbidden(name, value, base, *ids)

    def unparsed(name: str, base: str | None, sysid: str | None, pubid: str | None, notation: str | None) -> None:
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation)

    def external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.StartElementHandler = started
    parser.EndElementHandler = ended
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = unparsed
    parser.ExternalEntityRefHandler = external
    try:
        while chunk := source.read(_CHUNK):
            parser.Parse(chunk, False)
            budget.check_time()
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise ParseError(f"{expat.ErrorString(error.code)}: line {error.lineno}, column {error.offset}") from None
    except DefusedXmlException:
        unsafe(budget.file, _("the XML declares a DTD or entities"))


# -- JSON ---------------------------------------------------------------------------------------

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth_check(text: str, *, budget: Budget) -> None:
    """Refuse JSON nested deeper than `INSYN_IMPORT_MAX_DEPTH`, counted before it is parsed."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        symbol = match.group()
        if symbol in ("[", "{"):
            depth += 1
            budget.depth(depth)
        elif symbol in ("]", "}"):
            depth -= 1
        budget.tick()


_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def loads_json(text: str, *, budget: Budget) -> Any:
    """`json.loads` after the depth check; a JSONDecodeError passes through for the caller's message."""
    json_depth_check(text, budget=budget)
    try:
        parsed = json.loads(text)
    except RecursionError:  # pragma: no cover - the depth check comes first
        budget.fail("INSYN_IMPORT_MAX_DEPTH")
    try:
        # "\ud800" is valid JSON but no text: half a UTF-16 pair, which no database column can store.
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        match = _LONE_SURROGATE.search(text)
        position = match.start() if match else 0
        raise json.JSONDecodeError("a \\u escape is half of a UTF-16 pair", text, position) from None
    return parsed
