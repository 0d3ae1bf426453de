"""Addresses in a note: Dutch postcodes and streets, streets abroad, and the clause next to an address cue.

Like numbers.py and words.py, every detector reads the normalised text and returns (kind, start, end) in it. All
findings are of kind "postcode" (shown as [ADRES]). pii.js (the offline desk) has the same rules; the parity test
(tests/browser/test_offline_pii.py) compares the two on a generated corpus.
"""

from __future__ import annotations

import re
import unicodedata

Hit = tuple[str, int, int]

# "12", "12a", "12-14", "12 hs", and the German "7/9" (house 7, flat 9).
_HOUSENR = r"\d{1,5}(?:\s?[a-zA-Z](?![\w])|[-/]\d{1,4}|\s?(?:hs|bis)\b)?"
# SA/SD/SS are never issued; the negative lookahead keeps e.g. "3011 SS" out.
_POSTCODE_RE = re.compile(
    r"(?<![\w-])(?P<pc>[1-9]\d{3}(?P<sp> ?)(?!(?i:SA|SD|SS))(?P<letters>[A-Za-z]{2}))(?![\w-])(?P<nr>,?\s*" + _HOUSENR + r"(?![\w-]))?"
)
# Dutch and German street names: one word ending in a word for street, hyphenated parts included ("Ekkehard-Spieß-Platz",
# "Stadelmannstr. 7/9"), then the house number.
_STREET_SUFFIXES = ("straat laan weg plein singel gracht kade dijk dreef hof steeg markt baan ring plantsoen park wal haven boulevard "
                    "allee erf pad veld straße strasse str. gasse platz damm ufer").split()
_STREET_RE = re.compile(
    r"(?<![\w-])[A-Z](?:[a-zà-ÿß'-]|(?<=-)[A-ZÀ-Þ])+(?:"
    + "|".join(f"[{w[0]}{w[0].upper()}]{re.escape(w[1:])}" for w in _STREET_SUFFIXES)  # "-Platz" after a hyphen
    + r")\s+" + _HOUSENR + r"(?![\w-])"
)
# Typed fast in lower case: "woont op kerkstraat 14", "14 kerkstraat", "adres is molenweg 3". Only the words for street
# that other Dutch words seldom end in; after an address cue every word for street ("adres: kerkhof 3"). Not a count or a
# year after it ("snelweg 3 keer", "bijbaan 2 dagen", "kerstmarkt 2025"), nor a word that is no street ("omweg 2").
_LOWER_SUFFIXES = "straat laan weg plein singel gracht kade dijk dreef steeg plantsoen boulevard allee straße strasse gasse platz".split()
_ANY_STREET_SUFFIX = "(?:" + "|".join(re.escape(w) for w in _STREET_SUFFIXES) + ")"
# The name before a number in lower case only (a capital is _STREET_RE's); after a number in either case ("14 Kerkstraat").
_LOWER_STREET_RE = re.compile(
    r"(?<![\w-])(?:(?P<name>[a-zà-ÿß][a-zà-ÿß'-]+?" + _ANY_STREET_SUFFIX + r")\s+(?P<nr>" + _HOUSENR + r")"
    r"|(?P<nr2>\d{1,5}[a-zA-Z]?)\s+(?P<name2>[a-zA-Zà-ÿß][a-zà-ÿß'-]+?" + _ANY_STREET_SUFFIX + r"))(?![\w-])")
_COUNT = (r"\s*(?:%|(?i:x|keer|maal|dagen|dag|weken|week|maanden|maand|jaar|jaren|uur|uren|minuten|min|km|kilometer|meter|euro|eur"
          r"|stuks|personen|mensen|kinderen|pagina's|bladzijden|rijen|vragen|straten|huizen)(?!\w))")
_COUNT_AFTER_RE = re.compile(_COUNT)
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
# Two-letter Dutch words that could stand where a postcode's letters do ("1234 en 5").
_DUTCH_PAIRS = {"en", "of", "op", "in", "om", "te", "is", "al", "nu", "ze", "we", "ik", "er", "na", "zo", "af", "de", "uw", "bij"}
_NO_ADDRESS = {"onbekend", "geen", "niet", "nvt", "n.v.t", "onjuist", "gewijzigd", "veranderd", "klopt", "nog"}  # "Adres: onbekend, …"
_NOT_STREETS = {"onderweg", "halverweg", "halfweg", "snelweg", "ring", "hof"}  # sentence-initial words, not streets
_LOWER_NOT_STREETS = _NOT_STREETS | {"omweg", "uitweg", "zijweg"}  # and in the middle of a sentence
_ADDRESS_CUE_RE = re.compile(r"(?i)\b(?:adres|postcode|woont|woonachtig|wonend|verhuisd)\b")
# Lower-case letters after the digits ("1127 eu") only right after the cue: "adres onbekend, in 2019 en 2018" is no postcode.
_CUE_JUST_BEFORE_RE = re.compile(r"(?i)\b(?:adres|postcode|woont\s+(?:op|aan)|verhuisd\s+naar)\s*:?\s*\Z")
# After "woont op", "adres:", "verhuisd naar": the rest of the clause is the address, in whatever country's spelling
# ("ul. Jadwigi 978", "64, avenue Ramos", "Bulevardul Stoica Nr. 167"), as long as it holds a number or a capital.
_ADDRESS_LEAD_RE = re.compile(
    r"(?i:\b(?:woont|woonde|wonend|woonachtig)\s+(?:op|aan|in)(?:\s+de)?|\badres\s*:|\bverhuisd\s+naar|\bpost\s+komt\s+op)\s+"
)
# Before "is het oude adres", "is haar nieuwe postadres": the clause in front of it is the address.
_ADDRESS_TAIL_RE = re.compile(
    r"(?i:[ \t]+(?:is|was)[ \t]+(?:(?:het|zijn|haar|hun|mijn|ons)[ \t]+)?(?:(?:oude|nieuwe|vorige|huidige|juiste)[ \t]+)?"
    r"(?:woon|post|huis)?adres)\b"
)
# "… aan." ends it too: "post komt op 8679 عبد الخالق aan. formulier 2026 ingevuld" (a word of 3 letters before a full stop
# does not end a clause by itself: "ul. Długa").
_CLAUSE_END_RE = re.compile(r"\n|;|\s(?:en|is|aan|om|maar)(?:\s|(?=[.,!?]))|,\s(?=[a-z])|(?<!\b[^\W\d_])(?<!\b[^\W\d_]{2})(?<!\b[^\W\d_]{3})(?<!str)\.(?:\s|$)")
# Where a clause before a tail cue starts: a line, ";" or ":", or a sentence's full stop after a word of 5+ letters that
# is no abbreviated street ("Stadelmannstr. 7/9" is one clause).
_CLAUSE_START_RE = re.compile(r"[\n;:]|(?<![^\W\d_]str)(?<=[^\W\d_]{5})[.!?][ \t]")
_CITY_RE = re.compile(r" [A-Z][a-zà-ÿ'-]+(?:[ -][A-Z][a-zà-ÿ'-]+)?")
# A house number first ("Adres: 10, chemin Thomas Delorme") does not end the clause at its comma, and a next line that
# starts with a postcode ("31-230 Legnica", "L6 5XP Elliotland", "75008 Paris") is part of the address.
_NUMBER_FIRST_RE = re.compile(r"\s*[0-9]{1,5}[a-zA-Z]?\s*")
# The postcode is followed by its letters or by a place with a capital: "2025 aangifte gedaan" on the next line is not.
# A word for the kind of place may come first: "73484 селище Херсон", "01001 м. Київ".
_NEXT_LINE_POSTCODE_RE = re.compile(r"\n(?:(?:[0-9]{2}-[0-9]{3}|[0-9]{4,6})(?: ?[A-Z]{2}(?![\w-])|[ \t]+(?:[a-zа-яіїєґ]+\.?[ \t]+)?[A-ZÀ-ÞĀ-ſА-ЯІЇЄҐ\u0600-\u06FF])"
                                    r"|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}(?![\w-]))")
_POSTCODE_TOKEN_RE = re.compile(r"(?<![\w-])(?:[1-9][0-9]{3} ?[A-Z]{2}|[0-9]{2}-[0-9]{3}|[0-9]{4,6}|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2})(?![\w-])")
# A first line that is only a flat or studio ("Studio 8", "Flat 3b", "Wohnung 4"): the street follows on the next line.
_UNIT = r"(?i:studio|flat|apt\.?|apartment|unit|suite|appartement|app\.|wohnung|whg\.)[ \t]+[0-9]{1,5}[a-zA-Z]?[ \t]*"
_UNIT_END_RE = re.compile(r"(?<![\w.])" + _UNIT + r"\Z")  # the end of a line: "…, Flat 31u", "balie 1. Flat 8"
_UNIT_LINE_RE = re.compile(r"[ \t]*(?i:studio|flat|apt\.?|apartment|unit|suite|appartement|app\.|wohnung|whg\.)[ \t]+[0-9]{1,5}[a-zA-Z]?[ \t]*")
# Streets abroad without a cue word: the word for street in other languages before the name and number ("Aleea Pușcașu
# Nr. 987", "ul. Długa 12", "проспект Академіка Векслера, буд. 95"), after a number ("12 rue de la Paix", also typed in
# lower case: "12 rue de la paix"), or an English street after number and name ("631 Kelli Road Suite 471", "221B Baker
# Street"). Words that are also Dutch (via, impasse) are not in the list: "via de website 3 keer" is no address.
_STREET_WORD = (r"(?:rue|avenue|av\.|boulevard|bd\.|chemin|allée|quai|calle|avenida|paseo|camino|viale|piazza|ul\.|ulica|aleja|al\."
                r"|plac|strada|str\.|bulevardul|aleea|drumul|calea|șoseaua|soseaua|piața|rua|travessa|straße|strasse|sokak|sok\."
                r"|caddesi|cad\.|вулиця|вул\.|проспект|просп\.|бульвар|провулок|пров\.|набережна|узвіз|площа|шосе|алея|майдан|тупик"
                r"|улица|ул\.|площадь|переулок|пер\.|набережная|шоссе|аллея|проезд|شارع)")
# English street types (the common ones of the USPS and Royal Mail lists).
_ENGLISH_STREET = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Close|Crescent|Square|Sq|Terrace"
                   r"|Boulevard|Blvd|Highway|Hwy|Parkway|Pkwy|Valley|Junction|Walk|Run|Estates?|Crossing|Trail|Gardens|Grove"
                   r"|Hills?|Mews|Row|Rise|View|Green|Heights|Ridge|Meadows?|Creek|Brook|Alley|Parade|Circle|Loop|Pike|Plaza"
                   r"|Shores?|Springs?|Station|Summit|Vista|Wells?|Falls|Manor|Landing|Points?|Turnpike|Expressway|Freeway|Motorway|Locks?)")
_STREET_WORD_RE = re.compile(r"(?i:" + _STREET_WORD + r")")
_CAPITAL = r"[A-ZÀ-ÞĀ-ſА-ЯІЇЄҐ\u0600-\u06FF]"
_FOREIGN_STREET_RE = re.compile(
    r"(?<![\w-])(?i:" + _STREET_WORD + r")\s+(?:[^\W\d_][\w'’-]*\.?,?\s+){0,3}[^\W\d_][\w'’-]*\.?,?\s+"
    r"(?:(?i:nr|no|nº|n°|bud|буд|д)\.?\s*)?[0-9]{1,5}[a-zA-Z]?(?:[-/][0-9]{1,4})?(?![\w])(?!" + _COUNT + ")"  # "Rue Sainte-Catherine 7/2"
    r"|(?<![\w-])[0-9]{1,5}[a-zA-Z]?,?\s+(?i:" + _STREET_WORD + r")\s+(?:[^\W\d_][\w'’-]*\s){0,3}[^\W\d_][\w'’-]*"
    r"|(?<![\w-])[0-9]{1,5}[a-zA-Z]?\s+(?:[A-Z][\w'-]*\s+){1,3}" + _ENGLISH_STREET + r"(?!\w)\.?(?:\s+(?:Suite|Apt\.?|Unit|Flat)\s+[0-9]{1,5})?"
    # "набережна Рівний, буд. 3": буд. (будинок, building) is a house number in any street.
    r"|(?<![\w-])(?:[^\W\d_][\w'’-]*\s+){0,2}[^\W\d_][\w'’-]*,?\s+(?i:буд|будинок|дом)\.?\s*[0-9]{1,5}[a-zA-Zа-я]?(?![\w])"
)
# A street's postcode and place on the same line ("Avenue Louise 231/4, 1050 Brussel", "Stadelmannstr. 7/9, 80331
# München", "ul. Długa 12, 31-230 Legnica"): the rest of the address, not only of Dutch ones.
# The place is a name, not a code: a capital and then a small letter ("3011 AB 5" has no place "AB").
_PLACE = _CAPITAL + r"[a-zß-ÿа-яіїєґ\u0600-\u06FF'’-][\w'’-]*"
_PLACE_AFTER_RE = re.compile(r",?[ \t]+(?:[0-9]{2}-[0-9]{3}|[0-9]{4,6})(?:[ \t]?[A-Z]{2}(?![\w-]))?[ \t]+" + _PLACE
                             + r"(?:[ -]" + _PLACE + r")?")
# "Flat 3, 12 Upper Kingston Road, London SW1 2AB" is ten, "Strada Măriuca Nistor Nr. 889 Bl. 63 Sc. 40 Ap. 903 456712
# Urziceni" thirteen.
MAX_TAIL_WORDS = 16


def _named(word: str) -> bool:
    """A word that can be a street or place name: a capital, or a script without capitals (Arabic, Hebrew, Chinese)."""
    first = word[:1]
    return first.isupper() or (first.isalpha() and unicodedata.category(first) == "Lo")


def addresses(text: str) -> list[Hit]:
    streets = [m.span() for m in _STREET_RE.finditer(text) if m.group().split()[0].lower() not in _NOT_STREETS and not _counted(text, m)]
    out: list[Hit] = [("postcode", *s) for s in streets]
    for m in _POSTCODE_RE.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        cue = bool(_ADDRESS_CUE_RE.search(before)) or any(0 <= m.start() - end <= 5 for _, end in streets)
        # "3011AB" is distinctive on its own; "2024 NL" is not, so a spaced one needs context.
        # "1234 en 5" is not a postcode: lower-case letters only when glued to the digits or right after a cue.
        spaced_lower = m.group("sp") and not m.group("letters").isupper() and not _CUE_JUST_BEFORE_RE.search(before)
        end = m.end() if m.group("nr") else m.end("pc")
        if city := _CITY_RE.match(text, end):  # "3011 AB Rotterdam": the place goes with it, and makes it an address
            # "3821 rv, 83a Rotterdam", "9337 ve Rotterdam": typed in lower case, but a place follows ("tussen 1234 en
            # Rotterdam" is no postcode: a Dutch word as the letters needs a house number as well).
            placed = bool(m.group("letters").isupper() or m.group("nr") or m.group("letters").lower() not in _DUTCH_PAIRS)
            end, cue, spaced_lower = city.end(), cue or placed, spaced_lower and not placed
        if (m.group("nr") or not m.group("sp") or cue) and not spaced_lower:
            out.append(("postcode", m.start(), end))
    for m in _ADDRESS_LEAD_RE.finditer(text):
        clause = _clause(text[m.end():m.end() + 120])
        # A street or place name among the first words ("nummer 12, 2e etage" is not one), or a word for street.
        words = clause.split()[:3]
        if words and words[0].lower().strip(",.") not in _NO_ADDRESS and any(_named(w) or _STREET_WORD_RE.fullmatch(w) for w in words):
            out.append(("postcode", m.end(), m.end() + len(clause)))
    for m in _ADDRESS_TAIL_RE.finditer(text):
        start = _clause_start(text, m.start())
        clause = text[start:m.start()]
        named = sum(_named(w) for w in clause.split())
        # "Dit is het oude adres" is none; "Drumul Diaconu" (two names) and "Kerkstraat 12" (a name and a number) are.
        if named >= 2 or (named and any(c.isdigit() for c in clause)):
            out.append(("postcode", start, m.start()))
    out += [("postcode", *m.span()) for m in _FOREIGN_STREET_RE.finditer(text)]
    out += [("postcode", *m.span()) for m in _LOWER_STREET_RE.finditer(text) if _lower_street(text, m)]
    return [(kind, start, place.end() if (place := _PLACE_AFTER_RE.match(text, end)) else end) for kind, start, end in out]


def _counted(text: str, m: re.Match[str]) -> bool:
    """"Bijbaan 2 dagen", "Kerstmarkt 2025", "Herinnering 2": a word that is seldom a street (not in _LOWER_SUFFIXES) with
    a count or a year after it, or a noun in -ering (herinnering, verzekering); never after an address cue."""
    word, number = m.group().split(maxsplit=1)
    word = word.lower()
    if _cue_before(text, m.start()) or word.endswith(tuple(_LOWER_SUFFIXES)):
        return False
    return word.endswith("ering") or bool(_COUNT_AFTER_RE.match(text, m.end())) or bool(_YEAR_RE.fullmatch(number.strip()))


def _cue_before(text: str, start: int) -> bool:
    """An address cue in the 40 characters before, in the same sentence ("Adres: onbekend. supermarkt 3 ..." has none)."""
    return bool(_ADDRESS_CUE_RE.search(re.split(r"[.;\n]", text[max(0, start - 40):start])[-1]))


def _lower_street(text: str, m: re.Match[str]) -> bool:
    """Is this lower-case (or number-first) street with a number an address? Never with a count after it or for a word
    that is no street; after a cue in the same sentence with any word for street; else only with a word for street that is
    seldom anything else, and not with a year."""
    name, number = (m.group("name"), m.group("nr")) if m.group("name") else (m.group("name2"), m.group("nr2"))
    word = name.lower()
    if word in _LOWER_NOT_STREETS or (m.group("name") and _COUNT_AFTER_RE.match(text, m.end())):
        return False
    if _cue_before(text, m.start()):
        return True
    return word.endswith(tuple(_LOWER_SUFFIXES)) and not _YEAR_RE.fullmatch(number.strip())


def _clause(rest: str) -> str:
    """The address after a cue: up to the end of its clause (see _CLAUSE_END_RE, _NUMBER_FIRST_RE, _UNIT_LINE_RE)."""
    pos = 0
    while stop := _CLAUSE_END_RE.search(rest, pos):
        number_first = stop.group().startswith(",") and _NUMBER_FIRST_RE.fullmatch(rest, 0, stop.start())
        next_line = stop.group() == "\n" and (_NEXT_LINE_POSTCODE_RE.match(rest, stop.start())
                                              or _UNIT_LINE_RE.fullmatch(rest, rest.rfind("\n", 0, stop.start()) + 1, stop.start()))
        if not number_first and not next_line:
            return rest[:stop.start()].rstrip(" ,.")
        pos = stop.end()
    return rest[:80].rstrip(" ,.")


def _line_end(text: str, start: int, end: int) -> int:
    newline = text.find("\n", start, end)
    return end if newline < 0 else newline


def _last_start(text: str, lo: int, hi: int) -> int:
    """The position after the last clause start (_CLAUSE_START_RE) in text[lo:hi], or lo."""
    start = lo
    for m in _CLAUSE_START_RE.finditer(text, lo, hi):
        start = m.end()
    return start


def _clause_start(text: str, end: int) -> int:
    """Where the address before a tail cue ("… is het oude adres") begins.

    Its clause starts after a line end, ";", ":" or a sentence's full stop. Of a clause with commas, the parts from the end
    that do not start with a lower-case word are the address ("huur 1470 euro, servicekosten 38 euro, 65765 Catherine
    Valley, 37602 Victoriahaven" → the last two); at most MAX_TAIL_WORDS words. A line above that is only a flat or studio
    ("Studio 79") belongs to it.
    """
    floor = max(0, end - 240)
    start = _last_start(text, floor, end)
    # A line that starts with a postcode ("111320 Sovata") goes with the street line above it (from its own clause start
    # on), and a line ending in a flat or studio ("…, Flat 31u", "Studio 79") is the address's first line, as in _clause.
    while start > floor and text[start - 1] == "\n":
        above = _last_start(text, max(floor, text.rfind("\n", 0, start - 1) + 1), start - 1)
        unit = _UNIT_END_RE.search(text, above, start - 1)
        if unit and re.search(r"(?:\A|[,;:.])[ \t]*\Z", text[above:unit.start()]):  # not "Howard River Apt. 588"
            start = unit.start()
            break
        line, here = text[above:start - 1].split(), text[start:_line_end(text, start, end)]
        # This line starts with a postcode, or is a short one that holds one ("London SW1 2AB", "Dublin 4" is not).
        postal = _NEXT_LINE_POSTCODE_RE.match(text, start - 1) or (len(here.split()) <= 4 and _POSTCODE_TOKEN_RE.search(here))
        if not (postal and len(line) <= MAX_TAIL_WORDS and any(_named(w) for w in line)):
            break
        start = above
    parts = [p for p in re.finditer(r"[^,]+", text[start:end])]
    first = len(parts)
    while first > 0 and not re.match(r"\s*[a-z]", parts[first - 1].group()):
        first -= 1
    if first == len(parts):  # the last part itself starts with a lower-case word ("узвіз" is not a-z: kept)
        first -= 1
    begin = start + parts[first].start() if parts else end
    words = list(re.finditer(r"\S+", text[begin:end]))
    if len(words) > MAX_TAIL_WORDS:
        begin += words[-MAX_TAIL_WORDS].start()
    while begin < end and text[begin].isspace():
        begin += 1
    return begin
