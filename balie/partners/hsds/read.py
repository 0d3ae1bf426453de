"""Reading an HSDS package: a folder on disk, CSV files uploaded one by one, or one ZIP holding them.

A ZIP is checked before anything is unpacked (review H1: a 200 KB ZIP can hold 200 MB of rows). The entry count and
the unpacked sizes the archive declares must fit MAX_ZIP_ENTRIES and MAX_UNPACKED_BYTES; each file is then read in
chunks that stop at what is left of the budget, so an archive whose headers lie about the size cannot get past it
either. A ZIP inside the ZIP, the same file twice, an encrypted entry or an unknown compression are refused with a
clear Dutch message; nothing is saved.

HSDS JSON files (.json, loose or in the ZIP) are flattened into the package's tables by jsonread. A datapackage.json next
to the CSV files may say how they are written (its `dialect` per resource: delimiter, quoteChar, doubleQuote,
skipInitialSpace, header); what it says is honoured when it is valid, and a datapackage.json that is not gives a warning,
the files are then read as plain CSV.
"""

from __future__ import annotations

import io
import json
import pathlib
import zipfile
import zlib
from typing import Any

from django.utils.translation import gettext

from balie.core.csvcheck import RowError

from . import jsonread
from .schema import FILES, RESOURCES, HsdsRejected

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


class Package(dict[str, Any]):
    """File name -> CSV text, or a jsonread.Table flattened from JSON; with how each CSV file is written (csv.reader
    arguments, and the column names of a file without a header line) and the warnings about reading it."""

    def __init__(self) -> None:
        super().__init__()
        self.dialects: dict[str, dict[str, Any]] = {}
        self.fieldnames: dict[str, list[str]] = {}
        self.notes: list[RowError] = []
        self.errors: list[RowError] = []  # found while reading JSON; the check adds its own to them
        self.omitted = 0  # JSON errors past the limit, only counted


def read_dir(path: str) -> Package:
    """A folder of the package's files, or (from the command line as on the page) one ZIP holding them."""
    folder = pathlib.Path(path)
    if folder.is_file() and folder.suffix.lower() == ".zip":
        return _package(_read_zip(folder.read_bytes(), folder.name))
    # is_file() follows a link and is False for one that points nowhere (a copied example's datapackage.json).
    names = [name for name in FILES if (folder / name).is_file()] + sorted(p.name for p in folder.glob("*.json") if p.is_file())
    return _package([(name, (folder / name).read_bytes()) for name in names])


def read_uploads(uploads: list[Any]) -> Package:
    """CSV or JSON files uploaded one by one, or one ZIP holding them (possibly in a subfolder)."""
    files: list[tuple[str, bytes | bytearray]] = []
    for upload in uploads:
        raw = upload.read()
        files += _read_zip(raw, upload.name) if upload.name.lower().endswith(".zip") else [(upload.name.rsplit("/", 1)[-1], raw)]
    return _package(files)


def _package(files: list[tuple[str, bytes | bytearray]]) -> Package:
    package, json_files, datapackage = Package(), [], None
    files.reverse()
    while files:
        name, raw = files.pop()  # the bytes of each file are let go once it is text
        if name == "datapackage.json":
            datapackage = raw
        elif name.lower().endswith(".json"):
            json_files.append((name, _decode(raw, name, "JSON")))
        else:
            package[name] = _decode(raw, name)
    if datapackage is not None:
        _dialects(package, datapackage)
    if json_files:
        tables, warnings, package.errors, package.omitted = jsonread.flatten(json_files)
        package.notes += warnings
        both = sorted(set(tables) & set(package))
        if both:
            raise HsdsRejected([RowError(0, "", gettext("%(file)s staat in het pakket als CSV-bestand én komt uit JSON (%(json)s). Upload "
                                                        "één van beide.") % {"file": f, "json": ", ".join(tables[f].files)}, file=f)
                                for f in both])
        package.update(tables)
    return package


DIALECT = {"delimiter": "delimiter", "quoteChar": "quotechar", "doubleQuote": "doublequote", "skipInitialSpace": "skipinitialspace"}


def _dialects(package: Package, raw: bytes | bytearray) -> None:
    """Each resource's CSV dialect from the package's own datapackage.json; a warning for what cannot be honoured."""
    def note(message: str) -> None:
        package.notes.append(RowError(0, "", message + " " + gettext("De CSV-bestanden zijn gelezen als gewone CSV (komma's, "
                                                                     "aanhalingstekens \", met kopregel)."), file="datapackage.json"))
    try:
        resources = json.loads(_decode(raw, "datapackage.json", "JSON")).get("resources")
    except (HsdsRejected, ValueError, AttributeError, RecursionError):
        resources = None
    if not isinstance(resources, list):
        note(gettext("datapackage.json is geen geldig datapakket (JSON met een lijst resources)."))
        return
    for resource in [r for r in resources if isinstance(r, dict) and isinstance(r.get("dialect"), dict)]:
        name = str(resource.get("path", "")).rsplit("/", 1)[-1]
        dialect, options = resource["dialect"], {}
        for key, option in DIALECT.items():
            if key in dialect:
                options[option] = dialect[key]
        if not _valid_dialect(dialect) or name not in RESOURCES:
            note(gettext("Het dialect van %(name)s in datapackage.json is geen geldig CSV-dialect, of hoort niet bij een HSDS-bestand.")
                 % {"name": name or "?"})
            continue
        package.dialects[name] = options
        if dialect.get("header") is False:
            fields = resource.get("schema", {}).get("fields") if isinstance(resource.get("schema"), dict) else None
            names = [f.get("name") for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []
            package.fieldnames[name] = ([n for n in names if isinstance(n, str)] if names and all(isinstance(n, str) for n in names)
                                        else RESOURCES[name].column_names)


def _valid_dialect(dialect: dict[str, Any]) -> bool:
    delimiter, quote = dialect.get("delimiter", ","), dialect.get("quoteChar", '"')
    if not all(isinstance(c, str) and len(c) == 1 and c not in "\r\n" for c in (delimiter, quote)) or delimiter == quote:
        return False
    return all(isinstance(dialect.get(k, True), bool) for k in ("doubleQuote", "skipInitialSpace", "header"))


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
        if info.is_dir() or not (member in FILES or member.lower().endswith((".csv", ".json"))):
            continue  # a README; another CSV is read, and the check warns that it is no HSDS file
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


def _read_zip(raw: bytes, name: str) -> list[tuple[str, bytes | bytearray]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _reject(name, gettext("Dit is geen geldig ZIP-bestand.")) from exc
    files: list[tuple[str, bytes | bytearray]] = []
    budget = MAX_UNPACKED_BYTES
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
            files.append((member, data))
    return files


def _decode(raw: bytes | bytearray, name: str, kind: str = "CSV") -> str:
    """UTF-8, with or without the byte order mark (RFC 8259 lets a JSON reader ignore it); UTF-16 and the rest are refused."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = (gettext("Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8.") if kind == "CSV" else
                   gettext("Het bestand is geen UTF-8-tekst. Sla het op als JSON in UTF-8."))
        raise HsdsRejected([RowError(0, "", message, file=name)]) from exc
