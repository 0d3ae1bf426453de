#!/usr/bin/env python
"""Hostile-upload benchmark: time and peak memory of the server-side work for zip bombs, PDF bombs and long texts.

    .venv/bin/python bench/limits.py                          # every case (about 10 s with the limits in place)
    .venv/bin/python bench/limits.py --only pdf_5000pt --only zip_bomb_200mb
    .venv/bin/python bench/limits.py --mem-cap-mb 4096 --timeout 180    # e.g. for code without the limits

Works in a SQLite database of its own (a temporary file with the demo network, removed afterwards). Every case runs
in a fresh child process, so one case's memory cannot hide another's: the child loads Django, logs in, reads the
prepared file and then measures one request through the test client (middleware, view, template): wall time, CPU time
of the process and of the programs it starts (pdftoppm, the PDF reader, Tesseract), and the peak memory (RSS high-water
mark) of the request itself and of the largest child program. The child runs with an address-space cap
(`--mem-cap-mb`, default 3 GB, inherited by pdftoppm) and a wall-clock timeout, so running this on code without the
limits cannot take the machine down: such a case reports the crash instead.

Prints ONE JSON line on stdout ({"cases": {name: {...}}, "machine": {...}}); progress goes to stderr. See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# "Within seconds" (issue 12): every hostile case must be answered with a 4xx (or a clear message) in this time.
TARGETS = {"refused_max_s": 3.0, "all_max_peak_growth_mb": 300}
HSDS_HEADERS = {
    "organizations.csv": "id,name,email,website\n",
    "services.csv": "id,organization_id,name\n",
    "locations.csv": "id,organization_id,name\n",
    "service_at_location.csv": "id,service_id,location_id\n",
    "phones.csv": "id,organization_id,service_id,number\n",
    "schedules.csv": "id,service_id,byday,opens_at,closes_at\n",
    "service_areas.csv": "id,service_id,name,extent,extent_type\n",
}
ORG_ROW = "o1,Stichting Voorbeeld,info@voorbeeld.example,https://voorbeeld.example\n"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- hostile and normal inputs ------------------------------------------------------------------------------------------


def _zip_with_bomb(path: Path, unpacked_mb: int) -> None:
    """A package whose organizations.csv holds `unpacked_mb` MB of identical rows: a few hundred KB packed.

    Written in 1 MB chunks, so the bench itself never holds the unpacked text.
    """
    chunk = (ORG_ROW * (1024 * 1024 // len(ORG_ROW))).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, header in HSDS_HEADERS.items():
            if name != "organizations.csv":
                archive.writestr(name, header)
        with archive.open("organizations.csv", "w") as member:
            member.write(HSDS_HEADERS["organizations.csv"].encode())
            for _ in range(unpacked_mb):
                member.write(chunk)


def _zip_many_entries(path: Path, entries: int, entry_kb: int) -> None:
    """`entries` copies of organizations.csv in separate folders (each `entry_kb` KB): many small entries."""
    body = (HSDS_HEADERS["organizations.csv"] + ORG_ROW * (entry_kb * 1024 // len(ORG_ROW))).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, header in HSDS_HEADERS.items():
            archive.writestr(name, header)
        for i in range(entries):
            archive.writestr(f"map{i:05d}/organizations.csv", body)


def _zip_at_the_limits(path: Path, *, valid: bool) -> None:
    """Just under every limit: 10,000 organisations with a 1.9 KB description each (about 19.5 MB unpacked).

    valid=False gives every row the same id (10,000 errors, of which 500 are listed); valid=True is a real import.
    """
    description = "Hulp bij formulieren en brieven en geldzaken. " * 42
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, header in HSDS_HEADERS.items():
            if name != "organizations.csv":
                archive.writestr(name, header)
        with archive.open("organizations.csv", "w") as member:
            member.write(b"id,name,description,email,website\n")
            for i in range(10_000):
                # HSDS 3.0 ids are UUIDs.
                key = f"00000000-0000-4000-8000-{i if valid else 1:012d}"
                member.write(f"{key},Stichting {i},{description},info@o{i}.example,https://o{i}.example\n".encode())


def _zip_normal(path: Path) -> None:
    o1, s1, l1, sl1 = (f"00000000-0000-4000-8000-{n:012d}" for n in range(1, 5))  # a valid HSDS 3.0 package (UUID ids)
    rows = {
        "organizations.csv": f"id,name,description,email,website\n{o1},Stichting Voorbeeld,Helpt,info@voorbeeld.example,https://voorbeeld.example\n",
        "services.csv": f"id,organization_id,name,status\n{s1},{o1},Hulp bij post,active\n",
        "locations.csv": f"id,location_type,organization_id,name\n{l1},physical,{o1},Kantoor\n",
        "service_at_location.csv": f"id,service_id,location_id\n{sl1},{s1},{l1}\n",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, header in HSDS_HEADERS.items():
            archive.writestr(name, rows.get(name, header))


def make_pdf(pages: list[tuple[float, float, bytes]], *, compress: bool = True) -> bytes:
    """A minimal hand-written PDF: one page per (width pt, height pt, content stream), Flate-compressed streams."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for width, height, content in pages:
        page_no, content_no = len(objects) + 1, len(objects) + 2
        kids.append(b"%d 0 R" % page_no)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R /Resources << /Font << /F1 << "
                       b"/Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >> >>"
                       % (str(width).encode(), str(height).encode(), content_no))
        data = zlib.compress(content, 9) if compress else content
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if compress else b"")
                       + data + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text_letter_pdf() -> bytes:
    letter = (ROOT / "balie" / "letters" / "data" / "brieven" / "cjib-aanmaning.txt").read_text(encoding="utf-8")
    lines = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in letter.splitlines()]
    stream = ("BT /F1 10 Tf 50 800 Td 13 TL " + " ".join(f"({line}) '" for line in lines) + " ET").encode("cp1252", "replace")
    return make_pdf([(595, 842, stream)])


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG")
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


# name -> (what, how to make the file in `directory`, request kind, expected answer). "refused": a 4xx with a message;
# "answered": a normal answer (2xx/3xx), for the inputs within the limits and the baselines.
CASES: dict[str, tuple[str, Callable[[Path], None], str, str]] = {
    "zip_bomb_200mb": ("HSDS zip, organizations.csv of 200 MB identical rows", lambda p: _zip_with_bomb(p, 200), "hsds", "refused"),
    "zip_bomb_20mb": ("HSDS zip, organizations.csv of 20 MB identical rows (a million duplicate ids)",
                      lambda p: _zip_with_bomb(p, 20), "hsds", "refused"),
    "zip_10000_entries": ("HSDS zip with 10,000 entries of 20 KB", lambda p: _zip_many_entries(p, 10_000, 20), "hsds", "refused"),
    "zip_limits_errors": ("HSDS zip just under the limits (19.5 MB, 10,000 rows), every row an error",
                          lambda p: _zip_at_the_limits(p, valid=False), "hsds", "refused"),
    "zip_limits_valid": ("HSDS zip just under the limits (19.5 MB, 10,000 organisations), all valid: a real import",
                         lambda p: _zip_at_the_limits(p, valid=True), "hsds", "answered"),
    "zip_normal": ("HSDS zip, a normal small package", _zip_normal, "hsds", "answered"),
    "pdf_5000pt": ("letter PDF, one blank page of 5000 x 5000 pt", lambda p: _write(p, make_pdf([(5000, 5000, b"")])), "letter", "refused"),
    "pdf_14400pt": ("letter PDF, one blank page of 14,400 x 14,400 pt (S1)", lambda p: _write(p, make_pdf([(14400, 14400, b"")])),
                    "letter", "refused"),
    "pdf_huge_streams": ("letter PDF, 3 pages with 5 MB content streams each",
                         lambda p: _write(p, make_pdf([(595, 842, b"1 1 m 2 2 l S\n" * 375_000)] * 3)), "letter", "refused"),
    "pdf_80mb_stream": ("letter PDF, one page with an 80 MB content stream", lambda p: _write(p, make_pdf([(595, 842, b" " * 80_000_000)])),
                        "letter", "refused"),
    "pdf_text_letter": ("letter PDF, a normal one-page letter with a text layer", lambda p: _write(p, _text_letter_pdf()), "letter", "answered"),
    "png_20000px": ("letter photo, PNG of 20,000 x 20,000 pixels", lambda p: _write(p, _png(20_000, 20_000)), "letter", "refused"),
    "message_digits_20000": ("public message check, '1' * 20,000", lambda p: p.write_text("1" * 20_000), "message", "refused"),
    "message_dots_20000": ("public message check, 'a.' * 10,000", lambda p: p.write_text("a." * 10_000), "message", "refused"),
    "message_dots_5000": ("public message check, 'a.' * 2,500 (at the limit)", lambda p: p.write_text("a." * 2_500), "message", "answered"),
    "message_www_5000": ("public message check, 'www.' * 1,250 (within the limit; cubic before)", lambda p: p.write_text("www." * 1_250),
                         "message", "answered"),
    "message_hosts_5000": ("public message check, 5,000 characters of different addresses (x1.nl x2.nl ...)",
                           lambda p: p.write_text("".join(f"x{i}.nl " for i in range(800))[:5000]), "message", "answered"),
    "message_normal": ("public message check, a normal scam SMS",
                       lambda p: p.write_text("DigiD: Uw DigiD verloopt vandaag. Verleng via https://digid-verlengen.com/NL"), "message", "answered"),
    # The live check answers (it checks the first 2,000 characters, the note limit): bounded work, not a refusal.
    "pii_200000": ("desk live PII check, 200,000 characters", lambda p: p.write_text("Bel 06-12345678 of mail a@b.nl. " * 6250), "pii", "answered"),
}


# --- the child: one request, measured -----------------------------------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    """Reset the RSS high-water mark (Linux 4.0+), so VmHWM afterwards is the request's own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def child(case: str, path: Path, mem_cap_mb: int) -> None:
    cap = mem_cap_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))  # inherited by pdftoppm and every other program it starts
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    kind = CASES[case][2]
    users = get_user_model().objects
    client = Client(raise_request_exception=False)  # a crash becomes a 500, as behind gunicorn
    if kind == "hsds":
        client.force_login(users.get(username="coordinator"))
    elif kind in ("letter", "pii"):
        client.force_login(users.get(username="medewerker"))
    data = path.read_bytes()
    if kind == "hsds":
        url, payload = "/sociale-kaart/importeren/", {"bestanden": [SimpleUploadedFile("pakket.zip", data, "application/zip")]}
    elif kind == "letter":
        url, payload = "/hulpmiddelen/brief/", {"bestand": SimpleUploadedFile(path.name, data)}
    elif kind == "message":
        url, payload = "/hulpmiddelen/is-dit-echt/", {"tekst": data.decode()}
    else:
        url, payload = "/balie/pii/", {"q-0-notitie": data.decode()}
    client.get("/hulpmiddelen/is-dit-echt/")  # warm-up: URL resolver, templates, session
    # Warm-up: what every process loads once (the domain register, validators' patterns, templates) is not the case's cost.
    if kind == "message":
        client.post(url, {"tekst": "Warm-up: www.example.nl"})
    elif kind == "hsds":
        warm = io.BytesIO()
        with zipfile.ZipFile(warm, "w") as archive:
            archive.writestr("organizations.csv", "id,name,email,website\no1,Warm,warm@voorbeeld.example,https://voorbeeld.example\n")
        client.post(url, {"bestanden": [SimpleUploadedFile("warm.zip", warm.getvalue(), "application/zip")]})
    elif kind == "letter":
        client.post(url, {"bestand": SimpleUploadedFile("warm.pdf", b"%PDF-1.4\nniet echt")})
    del data
    rss_before = _status_kb("VmRSS")
    exact_peak = _reset_peak()
    usage, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    response = client.post(url, payload)
    wall = time.perf_counter() - started
    after, after_children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = _status_kb("VmHWM") if exact_peak else after.ru_maxrss
    body = response.content.decode(errors="replace")
    message = ""
    if '<table class="table" id="fouten">' in body:  # the HSDS import's error table: the first row
        message = " | ".join(body.split("<tbody>", 1)[1].split("</tr>", 1)[0].split("<td>")[1:])
    else:
        for marker in ('class="error-text"', 'class="utrecht-alert__message"'):
            if marker in body:
                message = body.split(marker, 1)[1].split(">", 1)[1].split("</p>", 1)[0]
                break
    message = re.sub(r"<span class=\"visually-hidden\">.*?</span>|<[^>]+>", " ", message)
    message = " ".join(message.split())[:200]
    print(json.dumps({
        "status": response.status_code,
        "seconds": round(wall, 3),
        "cpu_s": round(after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
                       + after_children.ru_utime + after_children.ru_stime - children.ru_utime - children.ru_stime, 3),
        "rss_before_mb": round(rss_before / 1024, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "peak_growth_mb": round(max(0, peak_kb - rss_before) / 1024, 1),
        # ru_maxrss of RUSAGE_CHILDREN: the largest program started by this process (pdftoppm, PDF reader, Tesseract).
        "child_peak_rss_mb": round(after_children.ru_maxrss / 1024, 1),
        "message": message,
    }), flush=True)


# --- the parent ---------------------------------------------------------------------------------------------------------


def _setup_database() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from balie.demo.network import build_network

    call_command("migrate", verbosity=0)
    build_network()
    from django.db import connections

    connections.close_all()


def run_case(case: str, directory: Path, args: argparse.Namespace) -> dict[str, Any]:
    what, make, _, expect = CASES[case]
    path = directory / f"{case}.{'zip' if 'zip' in case else 'pdf' if 'pdf' in case else 'png' if 'png' in case else 'txt'}"
    make(path)
    log(f"[limits] {case}: {what} ({path.stat().st_size:,} bytes) ...")
    try:
        done = subprocess.run([sys.executable, __file__, "--child", case, "--file", str(path), "--mem-cap-mb", str(args.mem_cap_mb)],
                              capture_output=True, text=True, timeout=args.timeout, check=False, env=os.environ.copy())
    except subprocess.TimeoutExpired:
        result: dict[str, Any] = {"status": None, "error": f"no answer within {args.timeout} s (killed)"}
    else:
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode == 0 and lines:
            result = json.loads(lines[-1])
        else:
            tail = (done.stderr.strip().splitlines() or [""])[-1]
            result = {"status": None, "error": f"child exited with {done.returncode}: {tail[:200]}"}
    result = {"what": what, "expect": expect, "file_bytes": path.stat().st_size, **result}
    path.unlink(missing_ok=True)
    log(f"[limits] {case}: {json.dumps(result, ensure_ascii=False)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(CASES), action="append", help="run only these cases (repeatable)")
    parser.add_argument("--mem-cap-mb", type=int, default=3072, help="address-space cap of each case's process (3072)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds before a case is killed (120)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.file), args.mem_cap_mb)
        return

    directory = Path(tempfile.mkdtemp(prefix="balie-bench-limits-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.settings"
    # Production-like: no DEBUG, no name model, no background warm-up.
    os.environ["BALIE_DEBUG"] = "False"
    os.environ.setdefault("BALIE_SECRET_KEY", "bench-only-" + uuid.uuid4().hex)
    from cryptography.fernet import Fernet

    os.environ.setdefault("BALIE_PII_KEY", Fernet.generate_key().decode())
    os.environ["BALIE_PII_NAMES"] = "False"
    os.environ["BALIE_PII_WARMUP"] = "False"
    try:
        log("[limits] database: migrate and the demo network ...")
        _setup_database()
        cases = {name: run_case(name, directory, args) for name in CASES if not args.only or name in args.only}
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    def as_expected(c: dict[str, Any]) -> bool:
        status = c.get("status")
        return status is not None and ((400 <= status < 500) if c["expect"] == "refused" else status < 400)

    refused = [c for c in cases.values() if c["expect"] == "refused"]
    summary = {
        "all_as_expected": all(as_expected(c) for c in cases.values()),
        "not_as_expected": sorted(n for n, c in cases.items() if not as_expected(c)),
        "refused_max_s": max((c.get("seconds", float("inf")) for c in refused), default=0),
        "refused_max_peak_growth_mb": max((c.get("peak_growth_mb", float("inf")) for c in refused), default=0),
        "all_max_s": max((c.get("seconds", float("inf")) for c in cases.values()), default=0),
        "all_max_peak_growth_mb": max((c.get("peak_growth_mb", float("inf")) for c in cases.values()), default=0),
        "max_child_peak_rss_mb": max((c.get("child_peak_rss_mb", 0) for c in cases.values()), default=0),
    }
    machine = {"cpus": os.cpu_count(), "loadavg_1m": round(os.getloadavg()[0], 2), "mem_cap_mb": args.mem_cap_mb, "targets": TARGETS}
    print(json.dumps({"summary": summary, "cases": cases, "machine": machine}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
