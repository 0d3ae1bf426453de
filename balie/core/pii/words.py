"""Personal data in words: e-mail addresses, dates of birth and person names (addresses: addresses.py).

Like numbers.py, every detector reads the normalised text and returns (kind, start, end) in it.

Names use ``deduce`` (Dutch clinical de-identification, PyPI). It was chosen after an evaluation on desk notes: good
recall on Dutch first names, surnames, tussenvoegsels and salutations ("Mevrouw De Vries", "dhr. J. de Boer").
Costs: ~90 s one-time lookup build (cached on disk), ~8 s load per process, ~1-5 ms per note. Because loading is
slow, ``warm_up()`` starts it in a daemon thread at startup, and ``scan(names=True)`` waits for it (acceptable on
save). Deduce also flags organisations and places that appear in nearly every note ("Zilveren Kruis", "Rotterdam
Utrecht"), so its person annotations are filtered through an allowlist. A cheap built-in salutation rule ("mevrouw
Jansen") always runs, also when deduce is unavailable.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

logger = logging.getLogger("balie.core.pii")

Hit = tuple[str, int, int]

# The top-level domain in any script: ".укр", ".рф", ".中国" are real ones.
EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# Written so that a program does not recognise it: "naam at domein punt nl", "naam (at) domein [dot] com", "naam @ x . nl".
_BR = r"\s*[(\[{<]\s*%s\s*[)\]}>]\s*"
_OBF_AT = "(?:" + _BR % "(?:at|a|@|apenstaartje)" + r"|\s*@\s*|\s+(?:at|AT|apenstaartje)\s+)"
_OBF_DOT = "(?:" + _BR % r"(?:dot|punt|\.)" + r"|\.|\s+\.\s+|\s+(?i:dot|punt)\s+)"
OBFUSCATED_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[\w%+-]+(?:" + _OBF_DOT + r"[\w%+-]+)*" + _OBF_AT + r"[\w-]+(?:" + _OBF_DOT + r"[\w-]+)*" + _OBF_DOT
    + r"[^\W\d_]{2,6}(?![\w-])"
)

# --- dates of birth ---------------------------------------------------------------------
_MONTHS = r"jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|juni?|juli?|aug(?:ustus)?|sept?(?:ember)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DATE_RE = re.compile(
    r"(?<![\w-])(?:\d{1,2}[-/.]\d{1,2}[-/.](?P<y>\d{4}|\d{2})|(?:19|20)\d{2}-\d{1,2}-\d{1,2}|\d{1,2}\s+(?:" + _MONTHS + r")\.?(?:\s+\d{4})?)(?![\w-])",
    re.IGNORECASE,
)
_BIRTH_CUE_RE = re.compile(
    r"(?i)(?:°|\bdob\b|\bd\.o\.b\.|\bgeboortedatum|\bgeboortedag|\bgeb\.?\s?datum|\bgeboren|\bgeb\b\.?|\bverjaardag|\bjarig)"
)

# --- names ------------------------------------------------------------------------------
_TUSSEN = r"(?:van|de|der|den|ter|ten|te|het|op|in|'t|la|le|el|al|d'|v\.d\.)"
_CAP = r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý]?[a-zà-ÿ'’]+)*"
_TITLE = r"(?i:\b(?:meneer|mevrouw|mevr\.|mevr\b|mw\.|mw\b|mvr\.|dhr\.|dhr\b|de\s+heer|juffrouw|mej\.|mr\.)\s+)"
# Title (kept) + optional initials + tussenvoegsels + capitalised surname (the finding).
_SALUTATION_RE = re.compile(
    _TITLE + r"(?P<name>(?:[A-Z]\.\s?)*(?:(?i:" + _TUSSEN + r")\s+)*" + _CAP
    + r"(?:\s+(?:(?i:" + _TUSSEN + r")\s+)*" + _CAP + r")?)"
)
_TITLE_PREFIX_RE = re.compile(_TITLE)
# Words that follow a title at sentence level but are not names ("Mevrouw. Zij ...").
_NOT_SURNAMES = {"zij", "hij", "ik", "die", "deze", "dit", "het", "een", "wil", "kon", "had", "is", "was", "heeft", "wilde", "belde"}
# Organisations, products, places and calendar words that show up constantly in notes.
_ALLOWLIST = """
digid mijnoverheid berichtenbox belastingdienst belastingtelefoon toeslagen uwv svb duo cjib rdw cbr ind cak
logius eherkenning ov-chipkaart ovpay valys microsoft google gmail outlook hotmail whatsapp apple samsung
iphone ipad android windows ing rabobank abn amro abn-amro sns asn bunq kpn ziggo odido vodafone eneco
vattenfall essent zilveren kruis cz vgz menzis woonstad vestia digisterker klik tik taalcafé taalcafe
gemeente bibliotheek informatiepunt ido balie overheid nederland europa zorgverzekeraar
rotterdam utrecht amsterdam den haag 's-gravenhage eindhoven groningen tilburg almere breda nijmegen
apeldoorn haarlem arnhem enschede amersfoort zaanstad zoetermeer zwolle leiden maastricht dordrecht delft
schiedam vlaardingen capelle gouda alkmaar leeuwarden spijkenisse barendrecht ridderkerk
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei juni juli
augustus september oktober november december
""".split()
_ALLOW_PHRASES = ["google translate", "den haag", "abn amro", "zilveren kruis", "klik & tik", "capelle aan den ijssel"]
_ALLOW_RE = "|".join(re.escape(p) for p in sorted(_ALLOW_PHRASES + _ALLOWLIST, key=len, reverse=True))
# Combining marks (Arabic vowel signs and shadda, Hebrew points, Latin accents typed apart) are part of a name's word;
# \w does not hold them, so "مُتيّم" fell apart into "م", "تي", "م" and only the first letter was redacted.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD = r"[^\W\d_][\w'’" + _MARKS + r"-]*"
_TOKEN_RE = re.compile(r"(?i)(?P<allow>(?<!\w)(?:" + _ALLOW_RE + r")(?![\w-]))|(?P<tv>(?<!\w)" + _TUSSEN + r"(?!\w))|[^\W\d_][\w'’." + _MARKS + r"-]*")


def emails(text: str) -> list[Hit]:
    out = [("email", *m.span()) for m in EMAIL_RE.finditer(text)]
    return out + [("email", *m.span()) for m in OBFUSCATED_EMAIL_RE.finditer(text)]


def birthdates(text: str) -> list[Hit]:
    out: list[Hit] = []
    for m in _DATE_RE.finditer(text):
        cue_before = _BIRTH_CUE_RE.search(text[max(0, m.start() - 25):m.start()])
        year = m.group("y")
        # "12-03-1950 geboren": a date followed by the cue only counts with a plausible birth year.
        cue_after = year and len(year) == 4 and 1900 <= int(year) <= 2012 and re.match(r"\W{0,3}\s*(?:\w+\s+){0,2}geboren\b", text[m.end():], re.I)
        if cue_before or cue_after:
            out.append(("birthdate", *m.span()))
    return out


def _clean_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Strip a leading title and allowlisted edge words; None if no name word is left."""
    if t := _TITLE_PREFIX_RE.match(text[start:end]):
        start += t.end()
    toks = [(m.start() + start, m.end() + start, m.lastgroup) for m in _TOKEN_RE.finditer(text[start:end])]
    while toks and toks[0][2] == "allow":  # a leading tussenvoegsel stays: "de Vries"
        toks.pop(0)
    while toks and toks[-1][2] is not None:  # ends on a real name word, so "van DUO" -> nothing
        toks.pop()
    if not toks or (len(toks) == 1 and text[toks[0][0]:toks[0][1]].lower() in _NOT_SURNAMES):
        return None
    return toks[0][0], toks[-1][1]


# Words after which a name follows in a note ("zoon Piotr", "namens Rick Levesque", "Mr Graham Andrews"), and verbs
# that follow a name that opens a sentence ("Fitzgerald belde"). The name is every following word that starts with a
# capital or is in a script without capitals (Arabic), tussenvoegsels included; the allowlist still applies.
_NAME_CUE_RE = re.compile(
    r"(?i:\b(?:zoon|dochter|kleinzoon|kleindochter|buurman|buurvrouw|namens|met|samen met|geholpen|naam|partner"
    r"|echtgenoo?te?|moeder|vader|broer|zus|tante|oom|mr|mrs|ms|miss|herr|frau|pan|pani|bay|bayan|madame|monsieur|mevrouw"
    r"|meneer|mw|mevr|dhr|mvr|пан|пані|пани|господин|госпожа|г-н|г-жа)\b\.?:?)[ \t]+"
)
_NAME_VERB_RE = re.compile(
    r"(?:^|(?<=[.!?\n;,])[ \t]*)(?P<name>" + _WORD + r"(?:[ \t]+" + _WORD + r"){0,3}?)[ \t]+(?i:belde|belt|kwam|komt|vroeg|vraagt)\b",
    re.MULTILINE,
)
_NOT_NAMES = set("""
klant meneer mevrouw hij zij ze iemand man vrouw bezoeker cliënt client zoon dochter moeder vader buurman buurvrouw
collega niemand die dit deze dat wie het de een er men partner mantelzorger begeleider tolk echtgenoot echtgenote broer
zus familie iedereen hulpverlener ik wij we jij u meneertje mevr dhr mw alles niets brief aanvraag vraag app account
post
""".split())
_TV_RE = re.compile(r"(?i)" + _TUSSEN + r"\Z")


def _name_word(word: str) -> bool:
    first = word[:1]
    return first.isalpha() and not first.islower() and word.lower() not in _NOT_NAMES


def cue_names(text: str) -> list[Hit]:
    out: list[Hit] = []
    for m in _NAME_CUE_RE.finditer(text):
        tokens = list(re.finditer(_WORD + r"\.?", text[m.end():m.end() + 80]))
        end, gap_end = None, m.end()
        for w in tokens[:6]:
            if text[gap_end:m.end() + w.start()].strip(" \t"):
                break  # punctuation between: the name has ended
            if _name_word(w.group()):
                end = m.end() + w.end()
            elif not _TV_RE.match(w.group()):
                break
            gap_end = m.end() + w.end()
        if end and (span := _clean_name(text, m.end(), end)):
            out.append(("name", *span))
    for m in _NAME_VERB_RE.finditer(text):
        parts = m.group("name").split()
        if all(_name_word(w) or _TV_RE.match(w) for w in parts) and _name_word(parts[-1]):
            if span := _clean_name(text, m.start("name"), m.end("name")):
                out.append(("name", *span))
    return out


def salutation_names(text: str) -> list[Hit]:
    out: list[Hit] = []
    for m in _SALUTATION_RE.finditer(text):
        if span := _clean_name(text, m.start("name"), m.end("name")):
            out.append(("name", *span))
    return out


# --- deduce singleton -------------------------------------------------------------------
_lock = threading.Lock()
_deduce: Any = None
_deduce_failed = False
_warm_thread: threading.Thread | None = None


def _get_deduce() -> Any:
    """Load deduce once per process; callers block on the lock while another thread loads it."""
    global _deduce, _deduce_failed
    with _lock:
        if _deduce is None and not _deduce_failed:
            try:
                import deduce

                _deduce = deduce.Deduce()
            except Exception:  # missing package, broken lookup cache, ...: keep saving notes
                _deduce_failed = True
                logger.warning("deduce kon niet geladen worden; alleen de ingebouwde naamregel wordt gebruikt", exc_info=True)
        return _deduce


def names_ready() -> bool:
    """True when deduce is loaded, i.e. scan(names=True) will not have to wait."""
    return _deduce is not None


def warm_up(background: bool = True) -> None:
    global _warm_thread
    if not background:
        _get_deduce()
        return
    with _lock:
        if _deduce is not None or _deduce_failed or (_warm_thread and _warm_thread.is_alive()):
            return
        _warm_thread = threading.Thread(target=_get_deduce, name="pii-deduce-warmup", daemon=True)
        _warm_thread.start()


def deduce_names(text: str) -> list[Hit]:
    model = _get_deduce()
    if model is None:
        return []
    out: list[Hit] = []
    for a in model.deidentify(text).annotations:
        if "persoon" in a.tag or "patient" in a.tag:
            if span := _clean_name(text, a.start_char, a.end_char):
                out.append(("name", *span))
    return out


def names_enabled(names: bool | None) -> bool:
    if names is not None:
        return names
    try:  # lazy: keeps this module importable (and testable) without configured settings
        from django.conf import settings

        return bool(getattr(settings, "BALIE_PII_NAMES", True))
    except Exception:
        return True
