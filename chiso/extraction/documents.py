"""Reading a resolution's text out of a file: plain text, Word (.docx), PDF with a text layer.

Readers register by file suffix in :data:`READERS`, the way an outside format would
plug in. A scanned PDF (no text layer) is refused with a message saying it needs OCR
first; chiso does not run OCR.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from chiso.errors import InvalidFile, Problem, UnknownFormat
from chiso.text import nfc

Reader = Callable[[Path], str]
READERS: dict[str, Reader] = {}


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register ``reader`` for files ending in ``suffixes`` (".txt"); later ones replace earlier."""

    def decorator(reader: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix.lower()] = reader
        return reader

    return decorator


def read_document(path: Path | str) -> str:
    """The text of a document, NFC; raise :class:`UnknownFormat` for an unregistered suffix."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnknownFormat(path.suffix or path.name, list(READERS))
    if not path.exists():
        raise _unreadable(path, "không tìm thấy tệp", "file not found")
    return nfc(reader(path))


def _unreadable(path: Path, vi: str, en: str) -> InvalidFile:
    return InvalidFile(str(path), [Problem(str(path), "tệp", vi, en, "unreadable-file")])


@register_reader(".txt", ".md", ".text")
def read_text(path: Path) -> str:
    """A text file: UTF-8 (with or without a BOM), else Windows Vietnamese (cp1258)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


@register_reader(".docx")
def read_docx(path: Path) -> str:
    """A Word file: its paragraphs, then its tables row by row (cells joined by " | ")."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise _unreadable(
            path, f"không đọc được tệp Word: {exc}", f"cannot read the Word file: {exc}"
        ) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.append("")
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    # Word paragraphs are paragraphs: a blank line between them keeps them apart.
    return "\n\n".join(line for line in lines)


@register_reader(".pdf")
def read_pdf(path: Path) -> str:
    """A PDF's text layer, page by page; a scanned PDF without one is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise _unreadable(
            path, f"không đọc được tệp PDF: {exc}", f"cannot read the PDF file: {exc}"
        ) from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise _unreadable(
            path,
            "tệp PDF không có lớp văn bản (bản quét): cần nhận dạng chữ (OCR) trước khi trích chỉ tiêu",
            "the PDF has no text layer (a scan): run OCR on it first",
        )
    return text
