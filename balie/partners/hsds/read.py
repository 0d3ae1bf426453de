"""Reading an HSDS package: a folder on disk, CSV files uploaded one by one, or one ZIP holding them."""

from __future__ import annotations

import io
import pathlib
import zipfile
from typing import Any

from balie.core.csvcheck import RowError

from .schema import FILES, HsdsRejected


def read_dir(path: str) -> dict[str, str]:
    folder = pathlib.Path(path)
    return {name: (folder / name).read_text(encoding="utf-8-sig") for name in FILES if (folder / name).is_file()}


def read_uploads(uploads: list[Any]) -> dict[str, str]:
    """CSV files uploaded one by one, or one ZIP holding them (possibly in a subfolder)."""
    files: dict[str, str] = {}
    for upload in uploads:
        raw = upload.read()
        if upload.name.lower().endswith(".zip"):
            files.update(_read_zip(raw, upload.name))
        else:
            files[upload.name.rsplit("/", 1)[-1]] = _decode(raw, upload.name)
    return files


def _read_zip(raw: bytes, name: str) -> dict[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise HsdsRejected([RowError(0, "", "Dit is geen geldig ZIP-bestand.", file=name)]) from exc
    files = {}
    for info in archive.infolist():
        member = info.filename.rsplit("/", 1)[-1]
        if member in FILES:
            files[member] = _decode(archive.read(info), member)
    return files


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HsdsRejected([RowError(0, "", "Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8.", file=name)]) from exc
