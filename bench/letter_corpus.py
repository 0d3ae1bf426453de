"""Generated Dutch letters for the letter-explainer benchmark and tests: text, a clean scan and a degraded phone photo.

Every letter is built from a template family, an invented organisation, a layout and a random seed, and knows its own
answers (sender, letter date, deadlines, amounts, action). The organisations are generated from syllables, so the
explainer cannot know them from a list; bodies name *other* organisations on purpose (toeslagen, CAK, Belastingdienst,
the Juridisch Loket) to catch sender detection by keyword occurrence.

Families are split: TUNED families were looked at while writing the explainer, HELD_OUT families were written after
it and are reported separately by bench/letters.py. Nothing here imports Balie.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
FONT_DIR = "/usr/share/fonts/truetype/dejavu/"


@dataclass
class Letter:
    key: str
    family: str
    held_out: bool
    sender: str
    date: dt.date | None  # None: the letter has no date (a polling card)
    deadlines: set[dt.date]
    amounts: set[str]  # "1234.56"
    action: str  # betalen, documenten, reageren, bezwaar, niets
    lines: list[tuple[str, str]] = field(default_factory=list)  # (style, text): style head/right/headright/bold/small/body

    @property
    def pays(self) -> bool:
        return self.action == "betalen"

    @property
    def text(self) -> str:
        return "\n".join(t for style, t in self.lines if not style.startswith("mark"))  # a logo is a picture, not text


# --- invented organisations ---------------------------------------------------------------------------------------------

_A = ["Amstel", "Noorder", "Wester", "Zuider", "Ooster", "Linde", "Eiken", "Berken", "Vecht", "Maas", "Rijn", "IJssel", "Dommel",
      "Dinkel", "Zonne", "Haven", "Heide", "Duin", "Polder", "Groen", "Kempen", "Veluwe", "Delta", "Beemster", "Lek", "Gouwe"]
_B = ["stede", "hof", "land", "stroom", "wijk", "veste", "waard", "dal", "borg", "mond", "vaart", "kring", "poort", "horst", "lanen"]
# A second pool for held-out families: names the explainer was never tried on while it was written.
_A2 = ["Merwe", "Eem", "Regge", "Berkel", "Aa", "Roer", "Swalm", "Hunze", "Fivel", "Lauwer", "Tjonger", "Boorne", "Oude Rijn"]
_B2 = ["brug", "meer", "weerd", "sloot", "kade", "dijk", "tuin", "akker", "haghe", "rode"]
_STREETS = ["Stationsweg", "Kerkstraat", "Molenlaan", "Dorpsstraat", "Schoolstraat", "Julianalaan", "Nieuwe Gracht", "Industrieweg"]
_PEOPLE = ["J. de Vries", "A. Bakker", "M. El Amrani", "S. Yilmaz", "P. van den Berg", "K. Jansen", "R. Visser", "H. Smit", "T. Mulder"]
_TITLES = ["Teamleider Incasso", "Medewerker Klantenservice", "Afdeling Debiteurenbeheer", "Consulent Werk en Inkomen",
           "Afdeling Verhuur", "Klantcontactcentrum", "Hoofd Financiën"]
_PLAIN_RECIPIENTS = ["Jan Pietersen", "Fatima el Idrissi", "Piet de Groot", "Anna Kowalska", "Mehmet Demir"]
_SLOGANS = ["Samen werken aan goed wonen", "Zorg voor schoon water", "Energie voor iedereen", "Uw zorg, onze zorg",
            "Betrouwbaar en dichtbij"]
_RECIPIENTS = ["De heer J. Jansen", "Mevrouw A. de Vries-Bakker", "Dhr. M. Öztürk", "Mevr. F. El Idrissi", "De bewoner(s) van",
               "T.a.v. de heer P. Kowalski", "Familie Pietersen"]


def _stem(rng: random.Random, pool: int) -> str:
    a, b = (_A, _B) if pool == 1 else (_A2, _B2)
    return rng.choice(a) + rng.choice(b)


def _place(rng: random.Random, pool: int) -> str:
    return _stem(rng, pool)


KINDS: dict[str, Callable[[random.Random, int], tuple[str, str]]] = {
    # kind -> (name, website domain)
    "woning": lambda r, p: r.choice([("Woonstichting {s}", "woonstichting{l}"), ("Woningcorporatie {s}", "{l}"), ("{s} Wonen", "{l}wonen"),
                                     ("Stichting {s} Woongroep", "{l}woongroep")]),
    "waterschap": lambda r, p: r.choice([("Waterschap {s}", "waterschap{l}"), ("Hoogheemraadschap van {s}", "hhs{l}")]),
    "zorgverzekeraar": lambda r, p: r.choice([("Zorgverzekeraar {s}", "{l}zorg"), ("{s} Zorgverzekeringen", "{l}"),
                                              ("{s} Verzekeringen N.V.", "{l}verzekeringen")]),
    "energie": lambda r, p: r.choice([("{s} Energie B.V.", "{l}energie"), ("Energiebedrijf {s}", "{l}"), ("{s} Stroom & Gas", "{l}")]),
    "incasso": lambda r, p: r.choice([("Incassobureau {s}", "{l}incasso"), ("{s} Incasso B.V.", "{l}incasso"),
                                      ("{s} Gerechtsdeurwaarders", "{l}deurwaarders"), ("Deurwaarderskantoor {s}", "{l}")]),
    "gemeente": lambda r, p: ("Gemeente {s}", "{l}"),
    "water": lambda r, p: r.choice([("Waterbedrijf {s}", "{l}water"), ("{s} Drinkwater N.V.", "{l}")]),
    "telecom": lambda r, p: r.choice([("{s} Mobiel B.V.", "{l}mobiel"), ("{s} Telecom", "{l}")]),
}
NATIONAL = {  # real national bodies: their names are fixed, the letters around them are not
    "Belastingdienst": "belastingdienst", "CJIB": "cjib", "DUO": "duo", "Sociale Verzekeringsbank": "svb", "UWV": "uwv", "CAK": "hetcak",
}


def organisation(rng: random.Random, kind: str, pool: int) -> tuple[str, str]:
    """(name, website) of an invented organisation of this kind, or a national body for kind 'rijk'."""
    if kind == "rijk":
        name = rng.choice(sorted(NATIONAL))
        return name, f"www.{NATIONAL[name]}.nl"
    stem = _stem(rng, pool) if kind != "gemeente" else _place(rng, pool)
    pattern, domain = KINDS[kind](rng, pool)
    slug = stem.lower().replace(" ", "")
    return pattern.format(s=stem), "www." + domain.format(l=slug) + ".nl"


# --- formats ------------------------------------------------------------------------------------------------------------


def fmt_date(d: dt.date, style: int) -> str:
    if style == 0:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == 1:
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == 2:
        return f"{d.day}-{d.month}-'{d.year % 100:02d}"
    if style == 3:
        return f"{d.day} {MONTHS[d.month - 1][:3]}. {d.year}" if d.month != 5 else f"{d.day} mei {d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def fmt_amount(cents: int, style: int) -> str:
    whole, rest = divmod(cents, 100)
    grouped = f"{whole:,}".replace(",", ".")
    if style == 0:
        return f"€ {grouped},{rest:02d}"
    if style == 1:
        return f"EUR {grouped},{rest:02d}"
    if style == 2 and rest == 0:
        return f"{grouped},- euro"
    if style == 3 and rest == 0:
        return f"€ {grouped},-"
    return f"€{grouped},{rest:02d}"


def norm_amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def amount(rng: random.Random, low: int, high: int, round_euros: bool = False) -> int:
    value = rng.randint(low * 100, high * 100)
    return value - value % 100 if round_euros else value


def add_days(d: dt.date, days: int) -> dt.date:
    return d + dt.timedelta(days=days)


def add_weeks(d: dt.date, weeks: int) -> dt.date:
    return d + dt.timedelta(weeks=weeks)


# --- building a letter --------------------------------------------------------------------------------------------------


class Builder:
    def __init__(self, rng: random.Random, sender: str, website: str, kind: str, pool: int) -> None:
        self.rng, self.sender, self.website, self.kind, self.pool = rng, sender, website, kind, pool
        self.date = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        self.date_style = rng.randrange(5)
        self.amount_style = rng.randrange(5)
        self.deadlines: set[dt.date] = set()
        self.amounts: set[str] = set()
        self.body: list[str] = []
        self.width = rng.randint(72, 88)

    def d(self, date: dt.date) -> str:
        return fmt_date(date, self.date_style)

    def euro(self, cents: int, record: bool = True) -> str:
        style = self.amount_style if cents % 100 == 0 or self.amount_style not in (2, 3) else 0
        if record:
            self.amounts.add(norm_amount(cents))
        return fmt_amount(cents, style)

    def para(self, text: str, break_after: str = "") -> None:
        """A paragraph wrapped like a printed letter; break_after forces a line break after that word (a date on the next line)."""
        words, lines, line = text.split(), [], ""
        for word in words:
            if line and len(line) + 1 + len(word) > self.width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
            if break_after and word.lower() == break_after:
                lines.append(line)
                line, break_after = "", ""
        if line:
            lines.append(line)
        self.body.extend(lines)
        self.body.append("")

    def deadline(self, date: dt.date) -> dt.date:
        self.deadlines.add(date)
        return date

    def assemble(self, key: str, family: str, held_out: bool, action: str, subject: str, refs: list[str]) -> Letter:
        rng = self.rng
        # Held-out letters also get two layouts of their own: a return address without a name and labels on their own
        # line ("Datum" / "3 december 2026"), and a logo line in capitals with a slogan, signed only "De directeur".
        layout = rng.choice(["left", "right", "footer", "afzender"] + (["kolom", "logo", "kolom", "logo"] if held_out else []))
        # Added later (2026-12-04), drawn from a generator of their own so the other letters of a seed stay the same:
        # a centred letterhead, a logo block (a dark square with white initials) left or right of the name, a
        # department line under the name, and signatures with the organisation's name before the person's.
        extra = random.Random(f"layout-{key}")
        if extra.random() < 0.4:
            layout = extra.choice(["midden", "merk-links", "merk-rechts", "naast"])
        street, number = rng.choice(_STREETS), rng.randint(1, 300)
        postcode = f"{rng.randint(1000, 9999)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
        city = _place(rng, self.pool)
        address = rng.choice([f"Postbus {rng.randint(1, 9999)}", f"{street} {number}"])
        lines: list[tuple[str, str]] = []
        footer = f"{self.sender} | {address}, {postcode} {city} | {self.website} | KvK {rng.randint(10000000, 99999999)}"
        initials = "".join(w[0] for w in self.sender.replace("&", "").split() if w[0].isupper())[:3] or self.sender[:2].upper()
        department = extra.choice(["", "", "Afdeling Klantenservice", "Team Incasso", "Klantcontact", "Sector Financiën"])
        if layout == "midden":
            lines += [("headcenter", self.sender)] + ([("center", department)] if department else [])
            lines += [("center", f"{address} · {postcode} {city}"), ("center", self.website), ("body", "")]
        elif layout == "merk-links":
            lines += [("mark", initials), ("head", self.sender)] + ([("body", department)] if department else [])
            lines += [("body", address), ("body", f"{postcode} {city}"), ("body", "")]
        elif layout == "naast":  # the letterhead on the right beside the addressee's block (the page draws them side by side)
            lines += [("headbeside", self.sender)] + ([("beside", department)] if department else [])
            lines += [("beside", address), ("beside", f"{postcode} {city}"), ("body", "")]
        elif layout == "merk-rechts":
            lines += [("markright", initials), ("headright", self.sender)] + ([("right", department)] if department else [])
            lines += [("right", address), ("right", f"{postcode} {city}"), ("right", self.website), ("body", "")]
        elif layout == "left":
            lines += [("head", self.sender), ("body", address), ("body", f"{postcode} {city}"), ("body", self.website), ("body", "")]
        elif layout == "right":
            lines += [("headright", self.sender), ("right", address), ("right", f"{postcode} {city}"),
                      ("right", f"T 0{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"), ("body", "")]
        elif layout == "afzender":
            lines += [("small", f"Afzender: {self.sender}, {address}, {postcode} {city}"), ("body", "")]
        elif layout == "kolom":
            lines += [("head", self.sender), ("body", ""), ("small", f"Retouradres: {address}, {postcode} {city}"), ("body", "")]
        elif layout == "logo":
            lines += [("head", self.sender.upper()), ("body", rng.choice(_SLOGANS)), ("body", "")]
        else:  # only a logo-like short name on top; the full name is in the footer and the signature
            lines += [("head", self.website.removeprefix("www.")), ("body", "")]
        recipient = rng.choice(_PLAIN_RECIPIENTS if held_out else _RECIPIENTS)
        rcity = _place(rng, 1)
        lines += [("body", recipient), ("body", f"{rng.choice(_STREETS)} {rng.randint(1, 200)}"),
                  ("body", f"{rng.randint(1000, 9999)} AB {rcity.upper() if rng.random() < 0.3 else rcity}"), ("body", "")]
        date_line = rng.choice([f"Datum: {self.d(self.date)}", f"Datum {self.d(self.date)}", f"{city}, {self.d(self.date)}",
                                f"Dagtekening: {self.d(self.date)}"])
        if layout == "kolom":
            lines += [("body", "Datum"), ("body", self.d(self.date))]
            for ref in refs:
                label, value = ref.split(": ")
                lines += [("body", label), ("body", value)]
            lines += [("body", "Bezoekadres"), ("body", f"{rng.choice(_STREETS)} {rng.randint(1, 99)}, {city}")]
        else:
            lines.append(("body", date_line))
            for ref in refs:
                lines.append(("body", ref))
        lines += [("body", f"Onderwerp: {subject}"), ("body", ""), ("body", rng.choice(["Geachte heer, mevrouw,", "Beste bewoner,",
                                                                                         "Geachte heer Jansen,", "Geachte mevrouw,"])),
                  ("body", "")]
        lines += [("body", line) for line in self.body]
        person, title = rng.choice(_PEOPLE), rng.choice(_TITLES)
        closing = rng.choice(["Met vriendelijke groet,", "Met vriendelijke groeten,", "Hoogachtend,"])
        signature = rng.choice([
            [closing, "", person, title, self.sender],
            [closing, f"namens {self.sender},", "", person, title],
            [closing, "", self.sender, title],
            [closing, person, f"{title}, {self.sender}"],
        ])
        if extra.random() < 0.25:
            signature = [closing, "", self.sender, f"{title.split()[0]} {person}" if title.startswith("Team") else person]
        if layout == "logo":
            signature = [closing, "", rng.choice(["De directeur,", "Het bestuur,", "De heffingsambtenaar,"]), "", person]
        lines += [("body", s) for s in signature]
        if layout in ("footer", "left", "right") and rng.random() < 0.7 or layout == "footer":
            lines += [("body", ""), ("small", footer)]
        return Letter(key, family, held_out, self.sender, self.date, set(self.deadlines), set(self.amounts), action, lines)


def _ref(rng: random.Random, label: str) -> str:
    return f"{label}: {rng.randint(100000, 99999999)}"


def _iban(rng: random.Random) -> str:
    return f"NL{rng.randint(10, 99)} {rng.choice(['INGB', 'RABO', 'ABNA', 'BNGH', 'TRIO'])} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}"


DECOYS = [
    "Heeft u huurtoeslag? Geef veranderingen door aan Dienst Toeslagen, dan krijgt u het juiste bedrag.",
    "Heeft u moeite met betalen? Misschien kunt u bijzondere bijstand krijgen. Vraag dit aan bij uw gemeente.",
    "Krijgt u ook post van de Belastingdienst of het CJIB over schulden? Neem die brieven mee naar de schuldhulpverlening.",
    "Uw eigen bijdrage voor zorg betaalt u aan het CAK. Die bijdrage staat los van deze brief.",
    "Gratis juridisch advies krijgt u bij het Juridisch Loket (www.juridischloket.nl, 0800 8020).",
    "Op www.geldfit.nl vindt u hulp bij geldzorgen. Ook het UWV en de SVB hebben informatie over uitkeringen.",
    "Dit bedrag is niet hetzelfde als uw zorgtoeslag van de Belastingdienst.",
]


def decoy(b: Builder) -> None:
    """Another organisation named in the body (never the sender itself: that would not be a decoy)."""
    if b.rng.random() < 0.75:
        choices = [d for d in DECOYS if b.sender not in d and not (b.sender == "Sociale Verzekeringsbank" and "SVB" in d)]
        b.para(b.rng.choice(choices))


# --- families -----------------------------------------------------------------------------------------------------------


def fam_invoice(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    total = amount(rng, 40, 1900)
    due = b.deadline(add_days(b.date, rng.choice([14, 21, 30])))
    period = dt.date(b.date.year + 1, 1, 1)
    b.para(f"Hierbij ontvangt u de factuur voor de periode {b.d(period)} t/m {b.d(dt.date(period.year, 12, 31))}. "
           f"Het totale bedrag is {b.euro(total)}.")
    phrase = rng.choice([f"Wij vragen u dit bedrag uiterlijk {b.d(due)} te betalen op rekening {_iban(rng)} t.n.v. {b.sender}.",
                         f"Betaal het bedrag vóór {b.d(due)} op {_iban(rng)}, onder vermelding van het factuurnummer.",
                         f"Wilt u het bedrag voor {b.d(due)} overmaken naar {_iban(rng)}?"])
    b.para(phrase, break_after=rng.choice(["uiterlijk", "vóór", "voor", ""]))
    decoy(b)
    b.para(f"Heeft u vragen over deze factuur? Kijk op {b.website} of bel onze klantenservice.")
    return "betalen", "Factuur", [_ref(rng, "Factuurnummer"), _ref(rng, "Klantnummer")]


def fam_reminder(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    principal, cost = amount(rng, 60, 2400), amount(rng, 15, 60, round_euros=rng.random() < 0.5)
    b.para(f"Uit onze administratie blijkt dat u de nota van {b.d(add_days(b.date, -rng.randint(40, 90)))} nog niet heeft betaald. "
           f"Het openstaande bedrag is {b.euro(principal)}. Daarbij komen incassokosten van {b.euro(cost)}. "
           f"U moet in totaal {b.euro(principal + cost)} betalen.")
    if rng.random() < 0.5:
        b.deadline(add_days(b.date, 14))
        b.para(f"Wij verzoeken u het totaalbedrag binnen 14 dagen na dagtekening van deze brief over te maken op {_iban(rng)}, "
               f"onder vermelding van betalingskenmerk {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}.")
    else:
        due = b.deadline(add_days(b.date, rng.choice([10, 14])))
        b.para(f"Zorg dat het bedrag uiterlijk {b.d(due)} op onze rekening {_iban(rng)} staat.", break_after="uiterlijk")
    b.para("Betaalt u niet op tijd? Dan dragen wij de vordering over aan een gerechtsdeurwaarder. Dat kost u extra geld.")
    decoy(b)
    return "betalen", "Betalingsherinnering", [_ref(rng, "Dossiernummer")]


def fam_rent(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    rent = amount(rng, 450, 950)
    months = rng.randint(1, 3)
    b.para(f"U heeft de huur van {months} maand{'en' if months > 1 else ''} nog niet betaald. U heeft een huurachterstand van "
           f"{b.euro(rent * months)}. De huur is {b.euro(rent)} per maand.")
    decoy_text = "Heeft u huurtoeslag van Dienst Toeslagen? Dan betaalt u nog steeds zelf het deel van de huur dat overblijft."
    b.para(decoy_text)
    due = b.deadline(add_days(b.date, rng.choice([7, 10, 14])))
    b.para(rng.choice([f"Betaal voor {b.d(due)} het hele bedrag.", f"Wij verwachten uw betaling uiterlijk {b.d(due)}.",
                       f"Maak het bedrag over vóór {b.d(due)}."]), break_after=rng.choice(["voor", "uiterlijk", ""]))
    b.para("Kunt u niet alles in één keer betalen? Bel ons dan, dan maken we samen een betalingsregeling.")
    return "betalen", "Huurachterstand", [_ref(rng, "Huurdernummer")]


def fam_documents(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    due = b.deadline(add_days(b.date, rng.choice([10, 14, 21])))
    b.para(f"Wij hebben uw aanvraag van {b.d(add_days(b.date, -rng.randint(5, 30)))} ontvangen. Om uw aanvraag te beoordelen "
           "hebben wij nog gegevens van u nodig.")
    b.para(rng.choice([f"Stuur ons uiterlijk {b.d(due)} een kopie van uw drie laatste loonstroken en bankafschriften.",
                       f"Wilt u vóór {b.d(due)} de volgende documenten opsturen: een kopie van uw huurcontract en uw jaaropgaaf?",
                       f"Lever de gevraagde bewijsstukken in voor {b.d(due)}."]), break_after=rng.choice(["uiterlijk", "vóór", ""]))
    b.para("Krijgen wij de gegevens niet op tijd? Dan kunnen wij uw aanvraag niet behandelen.")
    decoy(b)
    return "documenten", "Gegevens nodig", [_ref(rng, "Zaaknummer")]


def fam_granted(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    monthly = amount(rng, 80, 1400)
    start = dt.date(b.date.year + (b.date.month == 12), b.date.month % 12 + 1, 1)
    b.para(f"U heeft een aanvraag gedaan. Wij hebben besloten dat u vanaf {b.d(start)} {b.euro(monthly)} per maand krijgt. "
           "Wij betalen het bedrag elke maand uit op uw rekening. U hoeft hiervoor niets te doen.")
    decoy(b)
    if rng.random() < 0.6:
        b.deadline(add_weeks(b.date, 6))
        b.para("Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de dagtekening van deze brief bezwaar maken.")
    return "niets", "Besluit op uw aanvraag", [_ref(rng, "Ons kenmerk")]


def fam_rejected(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    b.para(f"Op {b.d(add_days(b.date, -rng.randint(10, 40)))} heeft u een aanvraag gedaan. Wij hebben uw aanvraag afgewezen. "
           "U heeft geen recht op een tegemoetkoming, omdat uw inkomen te hoog is.")
    b.deadline(add_weeks(b.date, 6))
    b.para("Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dit moet binnen zes weken na de dagtekening van deze brief.")
    decoy(b)
    return "bezwaar", "Besluit op uw aanvraag", [_ref(rng, "Ons kenmerk")]


def fam_info(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    old, new = amount(rng, 30, 200), amount(rng, 30, 200)
    start = dt.date(b.date.year + 1, 1, 1)
    b.para(f"Vanaf {b.d(start)} verandert uw maandbedrag. U betaalt nu {b.euro(old)} per maand. Vanaf {b.d(start)} wordt dat "
           f"{b.euro(new)} per maand. Het nieuwe bedrag schrijven wij automatisch af. U hoeft hiervoor niets te doen.")
    decoy(b)
    b.para(f"Meer informatie vindt u op {b.website}.")
    return "niets", "Uw nieuwe maandbedrag", [_ref(rng, "Klantnummer")]


def fam_appointment(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    due = b.deadline(add_days(b.date, rng.choice([7, 10, 14])))
    b.para("Wij willen graag met u praten over uw situatie. Daarom nodigen wij u uit voor een gesprek.")
    b.para(rng.choice([f"Bel ons uiterlijk {b.d(due)} om een afspraak te maken.",
                       f"Neem vóór {b.d(due)} contact met ons op via het telefoonnummer bovenaan deze brief.",
                       f"Reageer uiterlijk {b.d(due)} op deze brief."]), break_after=rng.choice(["uiterlijk", ""]))
    decoy(b)
    return "reageren", "Uitnodiging voor een gesprek", [_ref(rng, "Dossiernummer")]


def fam_assessment(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    first, count = amount(rng, 20, 300), rng.choice([2, 5, 10])
    total = first * count
    b.para(f"Dit is uw aanslag voor het belastingjaar {b.date.year}. U moet in totaal {b.euro(total)} betalen.")
    due = b.deadline(add_days(b.date, 30))
    b.para(f"U mag in {count} termijnen betalen van {b.euro(first)}. De eerste termijn moet uiterlijk {b.d(due)} op onze rekening "
           f"{_iban(rng)} staan.", break_after="uiterlijk")
    b.deadline(add_weeks(b.date, 6))
    b.para("Bent u het niet eens met deze aanslag? Dan kunt u binnen zes weken na de dagtekening bezwaar maken.")
    decoy(b)
    return "betalen", "Aanslag", [_ref(rng, "Aanslagnummer")]


# Held-out families: written after the explainer, with other phrasings.
def fam_h_premium(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    months, premium = rng.randint(2, 5), amount(rng, 110, 180)
    b.para(f"U heeft de premie van uw zorgverzekering over {months} maanden niet betaald. Het gaat om {b.euro(premium * months)}.")
    b.para("Heeft u een premieachterstand van zes maanden? Dan melden wij u aan bij het CAK. Het CAK houdt dan een hogere "
           "bestuursrechtelijke premie in op uw inkomen.")
    due = b.deadline(add_days(b.date, rng.choice([14, 21])))
    b.para(f"Voorkom dit. Het achterstallige bedrag dient op {b.d(due)} door ons te zijn ontvangen.")
    return "betalen", "Achterstand premie", [_ref(rng, "Relatienummer")]


def fam_h_refund(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    back = amount(rng, 20, 600)
    b.para(f"Wij hebben uw jaarafrekening gemaakt. U heeft te veel voorschot betaald. U krijgt {b.euro(back)} van ons terug. "
           "Wij storten dit bedrag binnen tien werkdagen op uw rekening.")
    b.para("U hoeft niets te doen.")
    return "niets", "Jaarafrekening", [_ref(rng, "Klantnummer")]


def fam_h_bailiff(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    claim, cost = amount(rng, 200, 5000), amount(rng, 40, 140)
    creditor, _ = organisation(rng, rng.choice(["energie", "zorgverzekeraar", "telecom"]), 2)
    b.para(f"Wij schrijven u namens onze opdrachtgever {creditor}. U heeft een schuld bij onze opdrachtgever van {b.euro(claim)}. "
           f"Daarbij komen onze kosten van {b.euro(cost)}.")
    due = b.deadline(add_days(b.date, 8))
    b.para(f"Dit is de laatste aanmaning. Betaal het bedrag van {b.euro(claim + cost)} op of voor {b.d(due)}. Anders "
           "dagvaarden wij u zonder nadere aankondiging.", break_after="voor")
    return "betalen", "Laatste aanmaning", [_ref(rng, "Vorderingsnummer")]


def fam_h_inspection(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    visit = add_days(b.date, rng.randint(15, 30))
    due = b.deadline(add_days(b.date, 10))
    b.para(f"Op {b.d(visit)} komt een monteur bij u de cv-ketel controleren. Kunt u dan niet? Laat het ons dan voor {b.d(due)} weten.")
    return "reageren", "Onderhoud cv-ketel", [_ref(rng, "Huurdernummer")]


def fam_h_study(b: Builder) -> tuple[str, str, list[str]]:
    rng = b.rng
    monthly = amount(rng, 40, 250)
    start = b.deadline(add_days(b.date, rng.randint(20, 40)))
    b.para(f"U moet uw studieschuld gaan terugbetalen. Uw maandbedrag is {b.euro(monthly)}. Het eerste bedrag moet uiterlijk "
           f"{b.d(start)} betaald zijn. Heeft u een laag inkomen? Dan kunt u een lager maandbedrag aanvragen.")
    return "betalen", "Terugbetalen studieschuld", [_ref(rng, "Registratienummer")]


TUNED: dict[str, tuple[Callable[[Builder], tuple[str, str, list[str]]], tuple[str, ...]]] = {
    "factuur": (fam_invoice, ("energie", "waterschap", "water", "telecom", "zorgverzekeraar")),
    "herinnering": (fam_reminder, ("incasso", "energie", "woning", "zorgverzekeraar")),
    "huurachterstand": (fam_rent, ("woning",)),
    "documenten": (fam_documents, ("gemeente", "rijk", "woning")),
    "toegekend": (fam_granted, ("gemeente", "rijk")),
    "afgewezen": (fam_rejected, ("gemeente", "rijk")),
    "informatie": (fam_info, ("energie", "zorgverzekeraar", "water", "telecom")),
    "uitnodiging": (fam_appointment, ("gemeente", "woning", "rijk")),
    "aanslag": (fam_assessment, ("gemeente", "waterschap", "rijk")),
}
HELD_OUT: dict[str, tuple[Callable[[Builder], tuple[str, str, list[str]]], tuple[str, ...]]] = {
    "premie": (fam_h_premium, ("zorgverzekeraar",)),
    "terugbetaling": (fam_h_refund, ("energie", "water")),
    "deurwaarder": (fam_h_bailiff, ("incasso",)),
    "onderhoud": (fam_h_inspection, ("woning",)),
    "studieschuld": (fam_h_study, ("rijk",)),
}


def make_letter(family: str, seed: int) -> Letter:
    held_out = family in HELD_OUT
    build, kinds = (HELD_OUT if held_out else TUNED)[family]
    rng = random.Random(f"{family}-{seed}")
    pool = 2 if held_out else 1
    kind = rng.choice(kinds)
    sender, website = organisation(rng, kind, pool)
    if kind == "rijk" and family == "studieschuld":
        sender, website = "DUO", "www.duo.nl"
    b = Builder(rng, sender, website, kind, pool)
    action, subject, refs = build(b)
    return b.assemble(f"{family}-{seed}", family, held_out, action, subject, refs)


def corpus(seed: int, per_family: int, families: list[str] | None = None) -> list[Letter]:
    names = families or [*TUNED, *HELD_OUT]
    return [make_letter(name, seed * 1000 + i) for name in names for i in range(per_family)]


# --- rendering ----------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _font(name: str, size: int):  # noqa: ANN202 - PIL type
    from PIL import ImageFont

    return ImageFont.truetype(FONT_DIR + name, size)


def render_page(letter: Letter, seed: int) -> "Image.Image":  # noqa: F821
    """The letter on an A4 page at 200 dpi (1654 x 2339), DejaVu fonts, as a clean grey-scale scan."""
    from PIL import Image, ImageDraw

    rng = random.Random(f"render-{letter.key}-{seed}")
    width, height, margin = 1654, 2339, rng.randint(150, 190)
    serif = rng.random() < 0.4
    body_font = "DejaVuSerif.ttf" if serif else "DejaVuSans.ttf"
    bold_font = "DejaVuSerif-Bold.ttf" if serif else "DejaVuSans-Bold.ttf"
    size = rng.randint(25, 29)
    longest = max((t for s, t in letter.lines if s in ("body", "right")), key=len)
    while size > 18 and _font(body_font, size).getlength(longest) > width - 2 * margin:
        size -= 1
    fonts = {"body": _font(body_font, size), "right": _font(body_font, size), "small": _font(body_font, max(18, size - 7)),
             "head": _font(bold_font, size + 14), "headright": _font(bold_font, size + 14),
             "headcenter": _font(bold_font, size + 14), "headbeside": _font(bold_font, size + 6), "beside": _font(body_font, size), "center": _font(body_font, size - 3), "bold": _font(bold_font, size)}
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    y, line_height = margin - 40, int(size * 1.45)
    footer = [t for s, t in letter.lines if s == "small" and " | " in t]
    beside_top, beside_end, beside_done = 0, 0, False  # a letterhead beside the addressee: where it started and ended
    for style, text in letter.lines:
        if style == "small" and text in footer:
            continue
        if "beside" in style and not beside_top:
            beside_top = y
        elif "beside" not in style and beside_top and not beside_end:
            beside_end, y = y, beside_top  # the addressee's block starts at the letterhead's top, on the left
            continue  # the blank line after the letterhead
        elif beside_end and not beside_done and not text:
            y, beside_done = max(y, beside_end), True  # below both blocks
        if style.startswith("mark"):  # a logo: a dark square with the initials in white, left or right
            side = int(size * 3.6)
            left = margin if style == "mark" else width - margin - side
            draw.rectangle((left, y, left + side, y + side), fill=rng.randint(20, 90))
            mark_font = _font(bold_font, int(side * 0.38))
            draw.text((left + (side - mark_font.getlength(text)) / 2, y + side * 0.28), text, font=mark_font, fill=255)
            y += side + line_height // 2
            continue
        font = fonts[style]
        if style in ("right", "headright", "beside", "headbeside"):
            x = width - margin - font.getlength(text)
        elif style in ("center", "headcenter"):
            x = (width - font.getlength(text)) / 2
        else:
            x = margin
        draw.text((x, y), text, font=font, fill=rng.randint(0, 40))
        y += int(line_height * (1.5 if style.startswith("head") else 1.0)) if text else int(line_height * 0.8)
    for text in footer:
        font = fonts["small"]
        while font.getlength(text) > width - 2 * margin and font.size > 12:
            font = _font(body_font, font.size - 1)
        draw.text((margin, height - margin + 40), text, font=font, fill=60)
    return page


def _perspective_coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    import numpy as np

    rows = []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=float)
    b = np.array([c for point in src for c in point], dtype=float)
    return list(np.linalg.solve(a, b))


def _text_skew(page_box: tuple[int, int, int, int], forward: list[float], angle: float) -> list[float]:
    """The straightening angle (degrees, counter-clockwise as PIL rotates) that makes each of ten rows of the page's text
    area horizontal, after the perspective (`forward`: page -> photo coefficients) and the rotation by `angle`."""
    import math

    a, b, c, d, e, f, g, h = forward
    left, top, right, bottom = page_box

    def moved(x: float, y: float) -> tuple[float, float]:
        w = g * x + h * y + 1
        return (a * x + b * y + c) / w, (d * x + e * y + f) / w

    angles = []
    for row in range(10):
        y = top + (bottom - top) * (row + 0.5) / 10
        (x0, y0), (x1, y1) = moved(left, y), moved(right, y)
        angles.append(-(math.degrees(math.atan2(-(y1 - y0), x1 - x0)) + angle))
    return angles


def degrade(page: "Image.Image", seed: int, truth: dict[str, float] | None = None, hard: bool = False) -> bytes:  # noqa: F821
    """A phone photo of the page: on a table, slight perspective and rotation, uneven shadow, blur, noise, low resolution, JPEG.

    `hard`: also the sharp-edged shadow of the phone or a hand held above the page (one side of a straight edge through
    the text area 15-45 % darker), drawn from its own random stream so the rest of the photo stays the same.

    `truth` (debugging, bench/letters.py --angles) receives the rotation applied and the straightening angle that makes
    the text rows horizontal: their mean over the text area ("skew") and their spread from the perspective."""
    import numpy as np
    from PIL import Image, ImageChops, ImageFilter

    rng = random.Random(f"photo-{seed}")
    w, h = page.size
    # Uneven light: a linear shadow in a random direction, darkest 45-70 % of full light.
    theta, darkest = rng.uniform(0, 2 * np.pi), rng.randint(95, 170)
    ys, xs = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    ramp = xs * np.cos(theta) + ys * np.sin(theta)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    light = darkest + (255 - darkest) * ramp
    # The phone's (or a hand's) soft shadow: a dark blob somewhere on the page.
    cx, cy, radius = rng.uniform(0.1, 0.9) * w, rng.uniform(0.2, 0.9) * h, rng.uniform(0.15, 0.35) * w
    blob = np.exp(-(((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius ** 2)))
    light = light * (1 - rng.uniform(0.15, 0.4) * blob)
    if hard:
        edge = random.Random(f"hard-{seed}")
        phi, px, py = edge.uniform(0, 2 * np.pi), edge.uniform(0.25, 0.75) * w, edge.uniform(0.25, 0.75) * h
        side = (xs - px) * np.cos(phi) + (ys - py) * np.sin(phi) > 0
        light = light * np.where(side, 1 - edge.uniform(0.15, 0.45), 1.0)
    shadow = Image.fromarray(np.clip(light, 0, 255).astype(np.uint8), "L").resize((w, h), Image.BILINEAR)
    lit = ImageChops.multiply(page, shadow)
    pad_x, pad_y = int(w * rng.uniform(0.04, 0.09)), int(h * rng.uniform(0.03, 0.07))
    table = rng.randint(50, 120)
    canvas = Image.new("L", (w + 2 * pad_x, h + 2 * pad_y), table)
    canvas.paste(lit, (pad_x, pad_y))
    cw, ch = canvas.size
    jitter = [(rng.uniform(-0.025, 0.025) * cw, rng.uniform(-0.02, 0.02) * ch) for _ in range(4)]
    corners = [(0.0, 0.0), (float(cw), 0.0), (float(cw), float(ch)), (0.0, float(ch))]
    moved = [(x + dx, y + dy) for (x, y), (dx, dy) in zip(corners, jitter)]
    canvas = canvas.transform((cw, ch), Image.PERSPECTIVE, _perspective_coeffs(corners, moved), resample=Image.BILINEAR, fillcolor=table)
    angle = rng.uniform(1, 4) * rng.choice([-1, 1])
    canvas = canvas.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=table)
    if truth is not None:
        margin = w // 10  # the text area, roughly: the page without its margins
        rows = _text_skew((pad_x + margin, pad_y + margin, pad_x + w - margin, pad_y + h - margin),
                          _perspective_coeffs(moved, corners), angle)
        truth.update(rotation=angle, skew=sum(rows) / len(rows), spread=max(rows) - min(rows))
    target = rng.randint(1100, 1450)  # a page of ~1,000-1,350 px wide: 90-115 dpi, a phone photo sent at "small" size
    canvas = canvas.resize((target, round(canvas.height * target / canvas.width)), Image.LANCZOS)
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.3)))  # out of focus or shaken
    pixels = np.asarray(canvas, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0, rng.uniform(4, 12), pixels.shape)
    canvas = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "L")
    tint = (rng.randint(0, 12), rng.randint(0, 8), 0)
    colour = Image.merge("RGB", [canvas.point(lambda v, t=t: max(0, v - t)) for t in tint])
    out = io.BytesIO()
    colour.save(out, "JPEG", quality=rng.randint(30, 60))
    return out.getvalue()


def scan_png(page: "Image.Image") -> bytes:  # noqa: F821
    out = io.BytesIO()
    page.save(out, "PNG", compress_level=1)
    return out.getvalue()
