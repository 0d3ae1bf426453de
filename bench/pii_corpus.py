"""Generated desk notes for bench/pii.py: personal data from many countries, in hostile but realistic spellings.

Each positive note holds one item of a known kind at a known place, in a Dutch desk-note sentence. Items come from
Faker (names, streets, e-mail, licence plates, passport and national id numbers, in many locales), phonenumbers
(valid mobile and fixed numbers of each region) and python-stdnum (BSN, IBAN check digits), written the way people
type them: with and without country prefix, grouped by spaces, dots, slashes, dashes, parentheses, Unicode dashes,
non-breaking spaces, full-width digits, lower case, glued to punctuation. The negative notes hold no personal data,
only the ordinary numbers of a desk note (amounts, dates, times, years, form numbers, counts, percentages, weeks,
house numbers alone, public service numbers); nothing in them may be redacted.

Faker is needed by this bench only (not in requirements*.txt); Balie itself never imports it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from faker import Faker
from stdnum import iban as stdnum_iban

LOCALES = {  # Faker locale -> phone region
    "nl_NL": "NL", "nl_BE": "BE", "de_DE": "DE", "pl_PL": "PL", "en_US": "US", "en_GB": "GB", "tr_TR": "TR",
    "ar_SA": "SA", "ar_EG": "EG", "uk_UA": "UA", "ro_RO": "RO", "fr_FR": "FR",
}
FOREIGN = [loc for loc in LOCALES if loc != "nl_NL"]
SEPARATORS = [" ", " ", "-", ".", "/", " - ", "\u2013", "\u2011", "\u00a0", "\u202f", ""]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Note:
    kind: str  # "negative" for a note without personal data
    text: str
    start: int  # the item's span in text (0, 0 for a negative note)
    end: int
    detail: str  # locale or sub-kind, for the per-kind breakdown on stderr


class Maker:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fakers = {loc: Faker(loc) for loc in LOCALES}
        for i, f in enumerate(self.fakers.values()):
            f.seed_instance(seed * 100 + i)

    # --- helpers -------------------------------------------------------------------------------------------
    def digits(self, n: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    def group(self, digits: str, *, sep: str | None = None) -> str:
        """Digits in random groups of 2-4 with one separator (sometimes none at all)."""
        sep = self.rng.choice(SEPARATORS) if sep is None else sep
        parts, i = [], 0
        while i < len(digits):
            size = self.rng.choice([2, 3, 3, 4])
            parts.append(digits[i:i + size])
            i += size
        return sep.join(parts)

    def maybe_fullwidth(self, text: str) -> str:
        return text.translate(FULLWIDTH) if self.rng.random() < 0.08 else text

    def phone_number(self, region: str) -> phonenumbers.PhoneNumber:
        kind = self.rng.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
        example = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(region)
        nsn = str(example.national_number)
        keep = self.rng.choice([1, 2, 3])
        for _ in range(200):  # randomise the subscriber part until it is a valid number of that type's region
            candidate = nsn[:keep] + self.digits(len(nsn) - keep)
            parsed = phonenumbers.parse("+" + str(example.country_code) + candidate)
            if phonenumbers.is_valid_number(parsed):
                return parsed
        return example

    # --- phone numbers -------------------------------------------------------------------------------------
    def phone(self, region: str, *, prefixed: bool) -> str:
        n = self.phone_number(region)
        cc, nsn = str(n.country_code), phonenumbers.national_significant_number(n)
        national = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL)
        trunk = "0" if national.lstrip("(").startswith("0") else ""
        if prefixed:
            style = self.rng.randrange(6)
            if style == 0:
                text = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            elif style == 1:
                text = "+" + cc + nsn
            elif style == 2:
                text = "00" + cc + self.rng.choice([" ", "-", ""]) + self.group(nsn)
            elif style == 3:
                text = "+" + cc + " (0)" + self.group(nsn) if trunk else "+" + cc + " " + self.group(nsn)
            elif style == 4:
                text = "(+" + cc + ") " + self.group(nsn)
            else:
                text = "+" + cc + self.rng.choice(SEPARATORS) + self.group(nsn)
        else:
            style = self.rng.randrange(5)
            if style == 0:
                text = national
            elif style == 1:
                text = trunk + nsn
            elif style == 2:
                area = self.rng.choice([2, 3, 4])
                text = "(" + trunk + nsn[:area] + ") " + self.group(nsn[area:])
            elif style == 3:
                text = self.group(trunk + nsn)
            else:
                text = self.fakers[next(k for k, v in LOCALES.items() if v == region)].phone_number().split("x")[0].strip()
                if text.startswith(("+", "00")):
                    text = national
        return self.maybe_fullwidth(text)

    # --- numbers that identify a person --------------------------------------------------------------------
    def bsn(self, *, valid: bool = True) -> str:
        while True:
            head = self.digits(8)
            check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
            if valid and check < 10 and head != "00000000":
                number = head + str(check)
                break
            if not valid:
                number = head + str((check + self.rng.randint(1, 9)) % 10)
                if sum(int(d) * w for d, w in zip(number, (9, 8, 7, 6, 5, 4, 3, 2, -1))) % 11:
                    break
        style = self.rng.randrange(5)
        if style == 0:
            return number
        if style == 1:
            return number[:4] + "." + number[4:6] + "." + number[6:]
        if style == 2:
            return self.rng.choice(SEPARATORS[:6]).join([number[:3], number[3:6], number[6:]])
        return self.maybe_fullwidth(self.group(number))

    def iban(self, locale: str) -> str:
        value = self.fakers[locale].iban()
        if not value[:2].isalpha():
            value = "NL" + value
        value = value[:2] + stdnum_iban.calc_check_digits(value[:2] + "00" + value[4:]) + value[4:]
        style = self.rng.randrange(5)
        if style == 1:
            value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
        elif style == 2:
            value = value.lower()
        elif style == 3:
            value = self.rng.choice(["-", ".", "\u00a0"]).join(value[i:i + 4] for i in range(0, len(value), 4))
        elif style == 4:
            value = " ".join(value[i:i + 4] for i in range(0, len(value), 4)).lower()
        return value

    def national_id(self, locale: str) -> str:
        value = self.fakers[locale].ssn()
        return value if self.rng.random() < 0.7 else value.replace("-", " ")

    def document(self, locale: str) -> str:
        """A passport, identity card or driving licence number (Dutch: 9 characters, letters and digits, no O)."""
        if locale == "nl_NL" and self.rng.random() < 0.6:
            letters = "ABCDEFGHIJKLMNPQRSTUVWXYZ"
            body = "".join(self.rng.choice(letters + "0123456789") for _ in range(6))
            return self.rng.choice(letters) + self.rng.choice(letters) + body + str(self.rng.randrange(10))
        if self.rng.random() < 0.2:
            return self.digits(10)  # a Dutch driving licence or V-number
        return self.fakers[locale].passport_number()

    def plate(self, locale: str) -> str:
        if locale == "nl_NL" or self.rng.random() < 0.3:
            value = self.fakers["nl_NL"].license_plate()
            return value.replace("-", "") if self.rng.random() < 0.2 else value
        return self.fakers[locale].license_plate()

    # --- words ---------------------------------------------------------------------------------------------
    def email(self, locale: str) -> str:
        f = self.fakers[locale]
        user = f.user_name()
        domain = self.rng.choice([f.free_email_domain(), f.domain_name(), "hotmail.com", "ziggo.nl", "kpnmail.nl"])
        style = self.rng.randrange(8)
        if style < 3:
            return f"{user}@{domain}" if style else f"{user}@{domain}".upper()
        name, _, tld = domain.rpartition(".")
        at = self.rng.choice([" at ", " (at) ", "[at]", " apenstaartje ", " @ ", "(a)", " AT "])
        dot = self.rng.choice([" punt ", " dot ", "(punt)", " . ", ".", "[dot]"])
        return user.replace(".", dot) + at + name.replace(".", dot) + dot + tld

    def birthdate(self, locale: str) -> str:
        d = self.fakers[locale].date_of_birth(minimum_age=16, maximum_age=95)
        months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                  "november", "december"]
        style = self.rng.randrange(6)
        if style == 0:
            return f"{d.day:02d}-{d.month:02d}-{d.year}"
        if style == 1:
            return f"{d.day}/{d.month}/{d.year}"
        if style == 2:
            return f"{d.day}.{d.month:02d}.{d.year}"
        if style == 3:
            return f"{d.day} {months[d.month - 1]} {d.year}"
        if style == 4:
            return d.isoformat()
        return f"{d.day:02d}-{d.month:02d}-{str(d.year)[2:]}"

    def postcode(self) -> str:
        pc = self.fakers["nl_NL"].postcode()
        pc = pc[:4] + self.rng.choice(["", " "]) + pc[4:].strip()
        if self.rng.random() < 0.2:
            pc = pc.lower()
        nr = self.rng.choice(["", f" {self.rng.randint(1, 250)}", f", {self.rng.randint(1, 99)}a", f" {self.rng.randint(1, 40)}-2"])
        return pc + nr

    def address(self, locale: str) -> str:
        f = self.fakers[locale]
        value = f.street_address()
        if locale == "nl_NL" and self.rng.random() < 0.2:  # typed fast: "kerkstraat 12", and now and then the number first
            street, _, number = value.rpartition(" ")
            value = (f"{number} {street}" if self.rng.random() < 0.3 else value).lower()
        if self.rng.random() < 0.3:
            value += self.rng.choice([", ", " ", "\n"]) + f.postcode() + " " + f.city()
        return value

    def name(self, locale: str) -> str:
        f = self.fakers[locale]
        return self.rng.choice([f.name, lambda: f.first_name() + " " + f.last_name(), f.last_name, f.first_name])()

    def password(self, locale: str) -> str:
        """A password, PIN or activation code as a visitor says it: generated, a word with digits, digits, a word."""
        f, r = self.fakers[locale], self.rng
        style = r.randrange(5)
        if style == 0:
            return f.password(length=r.randint(8, 14))
        if style == 1:
            return f.word().capitalize() + str(r.randint(1, 2030)) + r.choice(["", "!", "?", "#"])
        if style == 2:
            return self.digits(r.choice([4, 5, 6]))
        if style == 3:
            return "".join(r.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=r.randint(5, 9)))
        return f.word().lower()  # a plain word: the sentences put it after ":" or "is"

    def ordinary(self) -> str:
        """A fragment of a note without personal data."""
        r = self.rng
        year = r.randint(2015, 2027)
        months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september"]
        choices: list[Callable[[], str]] = [
            lambda: f"aanslag van € {r.randint(1, 9)}.{r.randint(100, 999)},{r.randint(10, 99)} betalen",
            lambda: f"terugbetalen EUR {r.randint(10, 999)},{r.choice(['00', '50', '-'])}",
            lambda: f"schuld van {r.randint(1, 99)}.{r.randint(100, 999)} euro, {r.randint(2, 24)} termijnen",
            lambda: f"toeslag € {r.randint(10, 900)} per maand",
            lambda: f"brief van {r.randint(1, 28):02d}-{r.randint(1, 12):02d}-{year}",
            lambda: f"afspraak op {r.randint(1, 28)} {r.choice(months)} {year} om {r.randint(8, 17)}:{r.choice(['00', '15', '30', '45'])}",
            lambda: f"terugkomen {r.randint(1, 28)}/{r.randint(1, 12)} tussen {r.randint(9, 11)}.00 en {r.randint(12, 16)}.30 uur",
            lambda: f"belastingaangifte {year} en {year - 1}",
            lambda: f"formulier {year} ingevuld, ook de jaren {year - 3}-{year - 1}",
            lambda: f"{r.randint(2, 12)} vragen over DigiD, {r.randint(1, 5)} brieven",
            lambda: f"korting van {r.randint(1, 60)}% op de premie, {r.randint(1, 9)},{r.randint(1, 9)} % rente",
            lambda: f"in week {r.randint(1, 52)} terug, wk {r.randint(1, 52)} vakantie",
            lambda: f"woont op nummer {r.randint(1, 300)}, {r.randint(1, 4)}e etage",
            lambda: f"huisnummer {r.randint(1, 200)}{r.choice(['', 'a', 'b'])} klopte niet in de aanvraag",
            lambda: f"{r.randint(10, 90)} min geholpen, {r.randint(65, 90)} jaar oud",
            lambda: f"gebeld met UWV {r.choice(['088-8982070', '0800-1234', '0900-0543'])}",
            lambda: f"Belastingtelefoon 0800-0543 gebeld, wachttijd {r.randint(5, 45)} minuten",
            lambda: f"iOS {r.randint(14, 18)}.{r.randint(0, 6)}.{r.randint(0, 3)} geïnstalleerd",
            lambda: f"aanvraag {year}-{r.randint(1, 12):02d} ingediend, {r.randint(1, 3)} bijlagen",
            lambda: f"huur {r.randint(500, 1500)} euro, servicekosten {r.randint(20, 90)} euro",
            lambda: f"wachtnummer {r.randint(1, 99)}, balie {r.randint(1, 4)}",
            lambda: f"kwartaal {r.randint(1, 4)} van {year}, {r.randint(3, 60)} pagina's",
            # Words that end in a word for street, with a number that is a count or a year.
            lambda: r.choice([f"bijbaan {r.randint(2, 4)} dagen per week", f"kerstmarkt {year} in de bieb", f"herinnering {r.randint(1, 3)} ontvangen",
                              f"over de snelweg {r.randint(2, 9)} km", f"supermarkt {r.randint(2, 5)} straten verder", f"loopbaan {r.randint(5, 30)} jaar"]),
            # The words the name and address rules start from, without a name or address after them.
            lambda: r.choice(["Met DigiD app ingelogd", "Samen met de Belastingdienst gebeld", "Namens de gemeente gebeld",
                              "Zoon helpt thuis verder", "Mevrouw belde over de toeslag", "Klant kwam terug voor de aanvraag",
                              "Met Google Translate vertaald", "Meneer vroeg naar de energietoeslag", "Woont op de tweede etage",
                              "Adres: onbekend", "Verhuisd naar een andere gemeente", "Kenteken onbekend, auto verkocht",
                              "Met de UWV werkmap geholpen", "Post komt op het oude adres", "Belastingdienst belde terug",
                              "Dochter kwam mee als tolk", "Met MijnOverheid en de Berichtenbox geoefend"]),
            # Notes about passwords and codes without one in them.
            lambda: r.choice(["Wachtwoord DigiD vergeten", f"pincode {r.randint(2, 3)}x fout ingevoerd", "wachtwoord is gewijzigd",
                              f"sms-code {self.digits(6)} kwam niet aan", f"wachtwoord moet {r.randint(8, 12)} tekens", "nieuwe pincode aangevraagd",
                              f"activeringscode aangevraagd, komt binnen {r.randint(3, 5)} werkdagen", "wachtwoord: vergeten",
                              f"inlogcode {r.randint(2, 4)} keer verkeerd", "Uitleg over veilige wachtwoorden"]),
        ]
        return r.choice(choices)()
