"""Reading an HSDS package: a folder on disk, CSV files uploaded one by one, or one ZIP holding them.

A ZIP is checked before anything is unpacked (review H1: a 200 KB ZIP can hold 200 MB of rows). The entry count and
the unpacked sizes the archive declares must fit MAX_ZIP_ENTRIES and MAX_UNPACKED_BYTES; each file is then read in
chunks that stop at what is left of the budget, so an archive whose headers lie about the size cannot get past it
either. A ZIP inside the ZIP, the same file twice, an encrypted entry or an unknown compression are refused with a
clear Dutch message; nothing is saved.
"""

from __future__ import annotations

import io
import pathlib
import zipfile
import zlib
from typing import Any

from django.utils.translation import gettext

from balie.core.csvcheck import RowError

from .schema import FILES, HsdsRejected

MAX_ZIP_ENTRIES = 200  # HSDS 3.0 has 21 files; room for folders and a README or two
# The files of one package together, unpacked. Twice the limit of CSV files uploaded one by one (10 MB), and room for
# 10,000 rows (validate.MAX_ROWS) of 2 KB. Checking a package takes about 6 times its unpacked size in memory
# (bench/limits.py: 289 MB at 49 MB), so this keeps a web worker under about 120 MB extra.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
CHUNK = 1024 * 1024


def _mb(size: int) -> str:
    """50 MB, 0,3 MB, 207 MB: Dutch decimal comma, one decimal only below 10 MB."""
    mb = size / 1024 / 1024
    return f"{mb:.1f}".replace(".", ",") if mb < 10 and mb != int(mb) else f"{mb:.0f}"


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def read_dir(path: str) -> dict[str, str]:
    folder = pathlib.Path(path)
    return {name: _decode((folder / name).read_bytes(), name) for name in FILES if (folder / name).is_file()}


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


def _reject(name: str, message: str) -> HsdsRejected:
    return HsdsRejected([RowError(0, "", message, file=name)])


def _package_members(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """The entries to read, checked against the budgets from the archive's own directory (nothing unpacked yet)."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _reject(name, gettext("Het ZIP-bestand bevat %(n)s bestanden; het maximum is %(max)s. Zet alleen de CSV-bestanden van "
                                    "het HSDS-pakket erin.") % {"n": _count(len(entries)), "max": MAX_ZIP_ENTRIES})
    members: dict[str, zipfile.ZipInfo] = {}
    for info in entries:
        member = info.filename.rsplit("/", 1)[-1]
        if member.lower().endswith(".zip"):
            raise _reject(name, gettext("In het ZIP-bestand zit nog een ZIP-bestand (%(member)s). Pak dat eerst uit en upload de "
                                        "CSV-bestanden.") % {"member": member})
        if info.is_dir() or not (member in FILES or member.lower().endswith(".csv")):
            continue  # a README or datapackage.json; another CSV is read, and the check warns that it is no HSDS file
        if member.startswith("._") or info.filename.startswith("__MACOSX/") or "/__MACOSX/" in info.filename:
            continue  # a Mac's "Comprimeer" adds __MACOSX/._organizations.csv (Finder metadata, binary) next to each file
        if member in members:
            raise _reject(name, gettext("%(member)s staat twee keer in het ZIP-bestand. Laat er één over.") % {"member": member})
        members[member] = info
    declared = sum(info.file_size for info in members.values())
    if declared > MAX_UNPACKED_BYTES:
        raise _reject(name, gettext("Uitgepakt is het pakket %(mb)s MB; het maximum is %(max)s MB. Splits de sociale kaart in kleinere "
                                    "pakketten.") % {"mb": _mb(declared), "max": _mb(MAX_UNPACKED_BYTES)})
    return list(members.values())


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, name: str) -> bytearray:
    """One entry, read in chunks that stop at the budget (whatever its header says), into one growing buffer."""
    data = bytearray()
    with archive.open(info) as member:
        while chunk := member.read(min(CHUNK, budget - len(data) + 1)):
            data += chunk
            if len(data) > budget:
                raise _reject(name, gettext("Uitgepakt is het pakket groter dan %(max)s MB. Splits de sociale kaart in kleinere "
                                            "pakketten.") % {"max": _mb(MAX_UNPACKED_BYTES)})
    return data


def _read_zip(raw: bytes, name: str) -> dict[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _reject(name, gettext("Dit is geen geldig ZIP-bestand.")) from exc
    files, budget = {}, MAX_UNPACKED_BYTES
    with archive:
        for info in _package_members(archive, name):
            member = info.filename.rsplit("/", 1)[-1]
            if info.flag_bits & 0x1:
                raise _reject(name, gettext("%(member)s is met een wachtwoord beveiligd. Maak een ZIP-bestand zonder wachtwoord.")
                              % {"member": member})
            try:
                data = _read_member(archive, info, budget, name)
            except NotImplementedError as exc:
                raise _reject(name, gettext("%(member)s is ingepakt op een manier die we niet kennen. Maak een gewoon ZIP-bestand.")
                              % {"member": member}) from exc
            except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, ValueError) as exc:
                raise _reject(name, gettext("%(member)s is beschadigd in het ZIP-bestand. Maak het ZIP-bestand opnieuw.")
                              % {"member": member}) from exc
            budget -= len(data)
            files[member] = _decode(data, member)
            del data  # the text is kept, not the bytes as well
    return files


def _decode(raw: bytes | bytearray, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HsdsRejected([RowError(0, "", gettext("Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8."), file=name)]) from exc
