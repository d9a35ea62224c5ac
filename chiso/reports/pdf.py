"""The report as PDF: the DOCX converted by LibreOffice, headless.

Why LibreOffice and not a second layout in typst: the PDF must be *the same report* as
the Word file, including every change an office makes to its own template; converting
the DOCX guarantees that, where a typst layout would be a second copy of the layout
to keep in step with the template. LibreOffice (Debian ``libreoffice-writer-nogui``)
lays Times New Roman out with Liberation Serif, its metric-compatible twin
(``fonts-liberation2``), and embeds the font subset in the PDF, so every Vietnamese
glyph is in the file.

LibreOffice keeps a user profile, and two soffice processes cannot share one: chiso
keeps one profile per user in the temporary folder, created on the first conversion
(about two seconds) and reused, and a file lock makes conversions take turns, across
threads and processes (web workers, the command line).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from chiso import settings
from chiso.errors import ChisoError

TIMEOUT_SECONDS = 180
_LOCK = threading.Lock()


class ConverterMissing(ChisoError):
    """LibreOffice is not installed, so no PDF can be made."""

    status = 501

    def __init__(self) -> None:
        super().__init__(
            "Không tìm thấy LibreOffice (soffice) để tạo PDF; cài gói libreoffice-writer-nogui "
            "hoặc đặt CHISO_SOFFICE, hoặc tải báo cáo dạng DOCX.",
            "LibreOffice (soffice) was not found, so no PDF can be made; install "
            "libreoffice-writer-nogui or set CHISO_SOFFICE, or download the DOCX.",
        )


def soffice_path() -> str | None:
    """The LibreOffice program: CHISO_SOFFICE, else ``soffice`` or ``libreoffice`` on the PATH."""
    configured = settings.get("CHISO_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"chiso-libreoffice-{os.getuid()}"


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert DOCX bytes to PDF bytes with LibreOffice."""
    program = soffice_path()
    if program is None:
        raise ConverterMissing()
    profile = _profile_dir()
    profile.mkdir(mode=0o700, exist_ok=True)
    with (
        _LOCK,
        open(profile.with_suffix(".lock"), "w") as lock,
        tempfile.TemporaryDirectory(prefix="chiso-report-") as folder,
    ):
        fcntl.flock(lock, fcntl.LOCK_EX)
        source = Path(folder) / "bao-cao.docx"
        source.write_bytes(docx)
        command = [
            program,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ChisoError(
                f"LibreOffice không chuyển xong sang PDF trong {TIMEOUT_SECONDS} giây.",
                f"LibreOffice did not finish the PDF within {TIMEOUT_SECONDS} s.",
            ) from exc
        target = source.with_suffix(".pdf")
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-500:]
            raise ChisoError(
                f"LibreOffice không tạo được PDF: {detail}",
                f"LibreOffice could not make the PDF: {detail}",
            )
        return target.read_bytes()
