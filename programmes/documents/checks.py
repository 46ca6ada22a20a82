"""What an uploaded document must be before anything is stored: a name without path separators
or control characters, a size within the limit, and bytes that are what the name says (PDF,
Word, Excel, PowerPoint, PNG or JPEG). A PDF with JavaScript or an action that launches
something is refused; an Office file (a zip) whose central directory announces too many entries
or too many unzipped bytes is refused without unzipping anything.

Each refusal is a ``ValidationError`` with a message for the user; ``check_upload`` returns what
the document records of the file (its type, extension, size and digest).
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200

# Extension -> the MIME type its bytes must show (``filetype``'s answer).
ACCEPTED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
OFFICE = {".docx", ".xlsx", ".pptx"}
# An Office file's parts: what its central directory may announce.
MAX_ZIP_ENTRIES = 2000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
# PDF names that run or launch something.
ACTIVE_PDF_NAMES = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/RichMedia", "/XFA"}
# How many PDF objects the check visits at most (a bounded walk).
MAX_PDF_NODES = 50_000


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The uploaded file's name as the document keeps it; refused when it holds a path
    separator or a control character, or is empty or too long."""
    if not name or not name.strip():
        raise ValidationError(_("The file has no name."))
    if "/" in name or "\\" in name:
        raise ValidationError(
            _("The file name may not contain a path (“/” or “\\”): rename the file.")
        )
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        raise ValidationError(_("The file name contains control characters: rename the file."))
    if len(name) > MAX_NAME:
        raise ValidationError(
            _("The file name is longer than %(max)s characters: rename the file.")
            % {"max": MAX_NAME}
        )
    if name.strip(".") == "":
        raise ValidationError(_("The file has no name."))
    return name.strip()


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _check_zip(content: bytes) -> None:
    """An Office file: the sizes its central directory announces, read without unzipping."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(
            _("The file is damaged: it cannot be read as an Office file.")
        ) from error
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ValidationError(
            _("The file holds more than %(max)s parts: it is refused.") % {"max": MAX_ZIP_ENTRIES}
        )
    unzipped = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_RATIO * max(packed, len(content), 1):
        raise ValidationError(
            _(
                "The file would unpack to %(size)s: it is refused (an archive that expands "
                "this much is not an ordinary document)."
            )
            % {"size": filesizeformat(unzipped)}
        )


def _active_pdf_content(reader: PdfReader) -> bool:
    """Whether the PDF holds JavaScript or actions that launch or embed something: a walk of
    its objects from the catalogue, visiting each at most once and at most MAX_PDF_NODES."""
    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > MAX_PDF_NODES:
            return True  # too large to check: refused as if active
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in ACTIVE_PDF_NAMES:
                    return True
                if name == "/S" and str(value) in ACTIVE_PDF_NAMES:
                    return True
                if name in ("/Parent", "/P"):
                    continue  # back up the page tree: already on the way down
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


def _check_pdf(content: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is encrypted: attach an unencrypted copy."))
        active = _active_pdf_content(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError, OSError) as error:
        raise ValidationError(_("The file is damaged: it cannot be read as a PDF.")) from error
    if active:
        raise ValidationError(
            _("The PDF contains JavaScript or actions that run something: it is refused.")
        )


def check_upload(name: str, content: bytes) -> CheckedFile:
    """Check an upload (its name and all its bytes, at most ``MAX_BYTES``): what the document
    records of it, or a ``ValidationError`` saying why it is refused."""
    name = clean_name(name)
    if not content:
        raise ValidationError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)s: attach a smaller one.")
            % {"max": filesizeformat(MAX_BYTES)}
        )
    extension = _extension(name)
    expected = ACCEPTED.get(extension)
    if expected is None:
        raise ValidationError(
            _("Attach a PDF, a Word, Excel or PowerPoint file, or a PNG or JPEG image.")
        )
    found = filetype.guess_mime(content)
    if found != expected:
        raise ValidationError(
            _("The file's contents are not what its name says (%(extension)s): it is refused.")
            % {"extension": extension}
        )
    if extension in OFFICE:
        _check_zip(content)
    if extension == ".pdf":
        _check_pdf(content)
    return CheckedFile(
        name=name,
        extension=extension,
        content_type=expected,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
