"""The browser's PII check (balie/static/balie/pii.js) agrees with the server's (balie.core.pii) on a generated corpus.

The offline desk redacts a note before it keeps it on the device; the server checks again when it arrives. Both must
find the same things: every text of a seeded, generated corpus (phone numbers in every 06 range and in +31/0031
spellings, landlines, public service numbers that must stay, BSNs that pass and fail the 11-proef, IBANs of several
countries with right and wrong check digits, e-mail, postcodes with and without house numbers, streets, dates of birth
and ordinary dates and times, plates of several countries, local numbers of 7-8 digits and the counts, dates and references
of that size that stay, e-mail with a top-level domain in another script, streets abroad, glued to letters, split by zero-width or non-breaking spaces, in full-width digits,
passwords, PINs and activation codes after their word and notes about passwords without one) is
scanned by both and the findings and redacted texts compared. Names are left out: the browser does not check them.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from balie.core import pii
from balie.core.pii import numbers

pytestmark = pytest.mark.browser
PII_JS = Path(__file__).resolve().parents[2] / "balie" / "static" / "balie" / "pii.js"


def bsn(rng: random.Random, *, valid: bool) -> str:
    while True:
        digits = "".join(rng.choice(string.digits) for _ in range(9))
        if numbers.bsn_valid(digits) == valid and digits != "000000000":
            return digits


def iban(rng: random.Random, *, valid: bool) -> str:
    country, bban = rng.choice([
        ("NL", lambda: rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO"]) + "".join(rng.choice(string.digits) for _ in range(10))),
        ("DE", lambda: "".join(rng.choice(string.digits) for _ in range(18))),
        ("BE", lambda: "".join(rng.choice(string.digits) for _ in range(12))),
    ])
    body = bban()
    moved = body + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    if not valid:
        check = (check + rng.randint(1, 50)) % 97 or 2
    return f"{country}{check:02d}{body}"


def spaced(rng: random.Random, digits: str, sizes: tuple[int, ...]) -> str:
    sep = rng.choice([" ", "-", ".", "", " - ", "\u00a0", "\u2013", "\u200b"])
    parts, i = [], 0
    for size in sizes:
        parts.append(digits[i:i + size])
        i += size
    if i < len(digits):
        parts.append(digits[i:])
    return sep.join(p for p in parts if p)


def phone(rng: random.Random) -> str:
    kind = rng.randrange(9)
    mobile = "6" + str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(7))
    if kind == 0:
        return spaced(rng, "0" + mobile, rng.choice([(2, 8), (2, 2, 2, 2, 2), (4, 6), (10,)]))
    if kind == 1:
        return rng.choice(["+31 ", "+31", "0031 ", "+31 (0)", "0031 (0)"]) + spaced(rng, mobile, rng.choice([(1, 4, 4), (1, 8), (3, 3, 3)]))
    if kind == 2:
        area = rng.choice(["10", "20", "70", "30", "182", "575"])
        rest = "".join(rng.choice(string.digits) for _ in range(9 - len(area)))
        rest = str(rng.randint(2, 9)) + rest[1:]
        return rng.choice(["0", "(0"]) + area + rng.choice([") ", "-", " "]) + spaced(rng, rest, (3, 2, 2))
    if kind == 3:  # public numbers: must stay
        return rng.choice(["0800-", "0900-", "088-", "0800 ", "0900 "]) + "".join(rng.choice(string.digits) for _ in range(rng.choice([4, 7])))
    if kind == 4:
        return rng.choice(["+44 20 7946 0958", "+32 470 12 34 56", "+49 30 12345678", "0032 470123456", "+1 212 555 0199", "+90 532 123 45 67"])
    if kind == 5:
        return "".join(chr(0xFF10 + int(d)) for d in "0" + mobile)  # full-width digits
    if kind == 6:
        return "tel" + "0" + mobile
    if kind == 8:  # a foreign number without prefix, with an extension
        return "889.432.8804" + rng.choice(["x0723", " ext. 12", " toestel 345"])
    return "0" + mobile[:8]  # one digit short: not a phone number


def fragment(rng: random.Random) -> str:
    pick = rng.randrange(24)
    if pick == 0:
        return f"BSN {spaced(rng, bsn(rng, valid=True), rng.choice([(9,), (3, 3, 3), (4, 2, 3)]))}"
    if pick == 1:
        return f"nummer {bsn(rng, valid=False)}"
    if pick == 2:
        value = iban(rng, valid=rng.random() < 0.7)
        return rng.choice(["rekening ", "IBAN ", ""]) + (spaced(rng, value, (4, 4, 4, 4, 4)) if rng.random() < 0.5 else value)
    if pick in (3, 4, 5):
        return rng.choice(["bel ", "telefoon: ", "nr ", "", "via "]) + phone(rng)
    if pick == 6:
        user = rng.choice(["piet", "a.de.vries", "info+balie", "j_jansen84"])
        return f"mail {user}@{rng.choice(['example.nl', 'gmail.com', 'ziggo.nl', 'bieb-rotterdam.nl'])}"
    if pick == 7:
        pc = f"{rng.randint(1000, 9999)}{rng.choice(['', ' '])}{rng.choice(['AB', 'KL', 'XZ', 'SS', 'GH'])}"
        return rng.choice(["woont op ", "postcode ", "", "adres "]) + pc + rng.choice(["", f" {rng.randint(1, 300)}", f", {rng.randint(1, 99)}a", "-2"])
    if pick == 8:
        return f"{rng.choice(['Kerkstraat', 'Dorpsweg', 'Stationsplein', 'Onderweg', 'Molenlaan'])} {rng.randint(1, 250)}{rng.choice(['', 'a', ' bis', '-3'])}"
    if pick == 9:
        date = f"{rng.randint(1, 28)}{rng.choice('-/.')}{rng.randint(1, 12)}{'-/.'[0]}{rng.randint(1930, 2010)}"
        return rng.choice(["geboren ", "geb. ", "geboortedatum ", "jarig op ", ""]) + date
    if pick == 10:
        return f"{rng.randint(1, 28)} {rng.choice(['januari', 'mrt', 'sept', 'december'])} {rng.randint(1940, 2005)} geboren"
    if pick == 11:
        return f"afspraak {rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2026 om {rng.randint(8, 17)}:{rng.choice(['00', '15', '30'])}"
    if pick == 12:
        return rng.choice(["DigiD app werkt niet", "aanslag gemeente", "Toeslagen terugbetalen", "65+ pas", "code 12345678 ontvangen"])
    if pick == 13:
        return f"ref AB12CD0{rng.randint(600000000, 699999999)}"
    if pick == 14:
        return f"{rng.randint(1, 500)} euro, {rng.randint(2, 12)} termijnen"
    if pick == 15:  # a person's own number at an organisation, after its word: short numbers too
        cue = rng.choice(["klantnummer ", "polisnr: ", "Ons kenmerk ", "dossiernr. ", "patiëntnummer ", "Klantnr ", "kenmerk: "])
        return cue + rng.choice([str(rng.randint(1000, 99999999)), f"ZK/2026/{rng.randint(1, 9999):04d}", f"{rng.randint(10, 99)}-{rng.randint(1000, 9999)}", "onbekend"])
    return more_fragments(rng, pick)


def more_fragments(rng: random.Random, pick: int) -> str:
    """Picks 16-23 of fragment()."""
    if pick == 23:
        return secret_fragment(rng)
    if pick == 17:  # plates of several countries, with and without a cue word, and look-alikes that must stay
        letters = "".join(rng.choice("BDFGHJKLNPRSTVXZ") for _ in range(rng.randint(1, 3)))
        number = str(rng.randint(1, 999))
        plate = rng.choice([f"{number}-{letters}-{rng.randint(1, 9)}", f"{letters}{number}{letters}", f"{number} {letters} {rng.randint(10, 99)}",
                            f"{letters}{rng.randint(10, 99)} {letters}", "ق ح ط ٩٢٧١", f"{rng.randint(100, 9999)}",
                            f"{number}-{letters.lower()}-{rng.randint(1, 9)}", f"{letters.lower()}{number}"])
        return rng.choice(["kenteken ", "kenteken: ", "auto ", "boete voor de ", ""]) + plate + rng.choice(["", " op naam", " parkeerboete"])
    if pick == 18:  # local numbers of 7-8 digits, and counts, amounts, dates and references of that size that stay
        return rng.choice([spaced(rng, str(rng.randint(1000000, 99999999)), rng.choice([(3, 2, 2), (3, 4), (2, 2, 3), (8,)])),
                           f"{rng.randint(1, 9)}.{rng.randint(100, 999)}.{rng.randint(100, 999)} inwoners", f"zaak 20{rng.randint(10, 29)}-{rng.randint(1000, 9999)}",
                           f"{rng.randint(1, 28)} {rng.randint(1, 12)} 20{rng.randint(10, 29)}", f"0800-{rng.randint(1000, 9999)}", f"AOW {rng.randint(60, 70)} jaar"])
    if pick == 20:  # streets abroad, with and without a cue word, over two lines, and Dutch words that are no street
        return rng.choice(["Adres: ", "woont op ", "", "post komt op "]) + rng.choice([
            f"{rng.randint(1, 99)}, chemin {rng.choice(['Thomas Delorme', 'des Lilas'])}", f"Aleea {rng.choice(['Pușcașu', 'Florilor'])} Nr. {rng.randint(1, 999)}",
            f"ul. {rng.choice(['Długa', 'Jadwigi'])} {rng.randint(1, 200)}\n{rng.randint(10, 99)}-{rng.randint(100, 999)} Legnica",
            f"{rng.randint(1, 999)} {rng.choice(['Kelli', 'Grant'])} Road Suite {rng.randint(1, 500)}", f"проспект Академіка Векслера, буд. {rng.randint(1, 99)}",
            f"via de website {rng.randint(2, 9)} keer", f"{rng.randint(2, 9)} rue de la Paix",
            f"{rng.choice(['Avenue Louise', 'Kerkstraat', 'Hauptstr.'])} {rng.randint(1, 300)}{rng.choice(['', '/4'])}, "
            f"{rng.choice(['1050 Brussel', '80331 München', '31-230 Legnica', '75002 Paris Cedex', '2024 aangifte gedaan', '1500 Euro'])}",
            f"Kerkstraat {rng.randint(1, 99)}\n{rng.choice(['2025 aangifte gedaan', '1234 AB Utrecht', '75008 Paris', '2026 Belastingdienst'])}"]) + rng.choice(["", " is het oude adres", ". Verder"])
    if pick == 21:  # an address before its cue, a flat on the line above, German streets, a place type before the place
        street = rng.choice([f"{rng.choice(['Haupt', 'Stadelmann', 'Jockel'])}str. {rng.randint(1, 99)}/{rng.randint(1, 9)}",
                             f"{rng.choice(['Karl-Marx-Allee', 'Ekkehard-Spieß-Platz', 'Am Ufer'])} {rng.randint(1, 99)}",
                             f"{rng.choice(['Flat', 'Studio', 'apt.'])} {rng.randint(1, 99)}{rng.choice(['', 'b'])}\n{rng.choice(['Baker Walk', 'King Row', 'Wood Rapid'])}",
                             f"набережна {rng.choice(['Рівний', 'Олега Андрійця'])}, буд. {rng.randint(1, 99)}\n{rng.randint(10000, 99999)} {rng.choice(['селище', 'місто', 'м.'])} Херсон",
                             f"{rng.randint(1000, 9999)} {rng.choice(['rv', 'en', 'ha', 'je'])}{rng.choice(['', f', {rng.randint(1, 99)}a'])} Rotterdam",
                             f"{rng.randint(1, 999)} {rng.choice(['Catherine Valley', 'Alkor Well', 'Philip Estates'])}\n{rng.randint(10000, 99999)} {rng.choice(['İnönütown', 'East Fiona', 'Deta'])}",
                             "Dit", "nummer 12, 2e etage", "onbekend, Kenteken onbekend"])
        lead = rng.choice(["", "Adres: ", "verhuisd naar ", "huur 500 euro, servicekosten 30 euro, ", "Terugkomen 19/10; ", "wachtnummer 4, balie 1. "])
        return lead + street + rng.choice(["", " is het oude adres", " was haar vorige postadres", " aan", ". Verder"])
    if pick == 22:  # streets typed in lower case or number first, and Dutch words with a number that are no street
        number = f"{rng.randint(1, 300)}{rng.choice(['', 'a', 'B', '-2', ' bis'])}"
        street = rng.choice(["kerkstraat", "molenweg", "dorpsplein", "stationslaan", "oudegracht", "hoofdweg", "kerkhof", "jaarmarkt", "bijbaan",
                             "herinnering", "snelweg", "fietspad", "Kerkstraat", "Bijbaan", "Loopbaan", "Kerkhof", "Herinnering", "Kerstmarkt", "Westring", "rue de la paix", "calle mayor", "Avenue of", "Baker Street"])
        return rng.choice(["", "woont op ", "adres: ", "adres is ", "belde over ", "Vorig jaar ", "Adres: onbekend. "]) + rng.choice([
            f"{street} {number}", f"{number} {street}", f"{street} {rng.randint(2, 9)} {rng.choice(['keer', 'dagen', 'x', 'km', 'euro', 'straten verder'])}",
            f"{street} {rng.randint(1990, 2030)}", f"{rng.randint(1, 99)}{rng.choice(['', 'b', 'C'])} {street}"]) + rng.choice(["", " te utrecht", ", 3511 AB Utrecht", " is het oude adres"])
    if pick == 19:  # e-mail with a top-level domain in another script
        return f"mail {rng.choice(['ivan', 'olga.k', 'zhang'])}@{rng.choice(['почта.рф', 'deisun.укр', '例子.中国', 'mail.bg'])}"
    return rng.choice(["BSN" + bsn(rng, valid=True), bsn(rng, valid=True) + "abc", "sofi " + bsn(rng, valid=True)[1:]])


def secret_fragment(rng: random.Random) -> str:
    """Pick 23: one to three notes with a visitor's password, PIN or activation code after its word (the shapes of
    tests/test_pii_credentials.py), or about passwords without one in them, which stay as typed."""
    return rng.choice([". ", ", ", "; ", "\n"]).join(secret_note(rng) for _ in range(rng.randint(1, 3)))


def secret_note(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice([
            "wachtwoord vergeten", "Wachtwoord DigiD vergeten", "wachtwoord: vergeten", "wachtwoord is gewijzigd", "wachtwoord was verlopen",
            "wachtwoord is aangepast", "wachtwoord is niet goed", "nieuwe pincode aangevraagd", "pincode geblokkeerd", "inlogcode niet ontvangen",
            "wachtwoord en/of pincode vergeten", "pincode van 5 cijfers gekozen", "herstelcode op 12-03 per post",
            f"sms-code {rng.randint(100000, 999999)} kwam niet aan, {rng.randint(2, 5)} keer geprobeerd",
            f"PIN-code {rng.randint(2, 5)}x fout", f"wachtwoord is {rng.randint(6, 12)} tekens lang", f"wachtwoord was {rng.randint(2, 5)} keer fout",
            f"pincode is {rng.randint(2, 5)} keer fout ingevoerd", f"pincode geblokkeerd, {rng.randint(2, 3)}e poging morgen",
            f"activeringscode aangevraagd, komt binnen {rng.randint(2, 5)} werkdagen",
            f"pincode van de DigiD app {rng.randint(2, 3)} keer verkeerd, na {rng.randint(9, 16)}:30 opnieuw geprobeerd"])
    cue = rng.choice(["wachtwoord", "Wachtwoord", "WACHTWOORD", "wachtwoord DigiD", "password", "pincode", "PIN-code", "pin", "inlogcode",
                      "toegangscode", "activeringscode", "herstelcode", "puk-code", "wachtwoord van de mail", "wachtwoord van zijn e-mail",
                      f"wachtwoord van {rng.choice(['a.de.vries', 'j_jansen84'])}@{rng.choice(['gmail.com', 'bieb-rotterdam.nl'])}"])
    word = rng.choice(["zomer", "tulp", "konijn", "appeltaart", "voetbal", "oranje", "liefde", "welkom", "bedankt", "verrassen"])
    shape = rng.randrange(7)
    if shape == 0:  # a word, a year, a sign
        value = word.capitalize() + str(rng.randint(1950, 2030)) + rng.choice(["!", "?", "#", ""])
    elif shape == 1:  # a PIN
        value = "".join(rng.choices(string.digits, k=rng.choice([4, 5, 6])))
    elif shape == 2:  # an activation code by letter
        value = "".join(rng.choices(string.ascii_uppercase + string.digits, k=rng.randint(5, 9))).replace("O", "0") + "7"
    elif shape == 3:  # letters and signs
        value = word + rng.choice(["@", "#", "$", "&", "*"]) + rng.choice(["zon", "maan", "tulp"])
    elif shape == 4:  # mixed case and digits
        value = "".join(rng.choice([c.upper(), c]) for c in word) + str(rng.randint(1, 99))
    elif shape == 5:  # a passphrase, also one longer than the 60 characters after the cue that are read
        cue = rng.choice(["wachtwoordzin", "wachtwoord"])
        value = rng.choice(["-", "_", ""]).join(rng.sample(["zomer", "tulp", "konijn", "appeltaart", "voetbal", "oranje", "liefde", "welkom"],
                                                          rng.randint(3, 8))) + str(rng.randint(1, 2030))
    else:  # a plain word: only after ":", "=" or "is" (or in quotes, also a word that says how a secret is) is it the secret
        value = rng.choice([word, "nieuw", "vergeten", "geheim"])
    join = rng.choice([": ", " = ", " is ", " was ", ": '", " is '"] if value.isalpha() else [": ", " ", " is ", " = ", ": '", " luidt "])
    closing = "'" if join.endswith("'") else ""
    return cue + join + value + closing + rng.choice(["", " samen opgeschreven", " en ingelogd", "!"])


def corpus(seed: int, size: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        parts = [fragment(rng) for _ in range(rng.randint(1, 4))]
        texts.append(rng.choice([", ", ". ", " en ", "; ", "\n"]).join(parts))
    return texts


def python_view(text: str) -> dict:
    findings = pii.scan(text, names=False)
    return {"found": [[f.kind, f.text] for f in findings], "redacted": pii.scrub_for_storage(text, names=False).redacted}


@pytest.mark.parametrize("seed", [16, 1601, 20261203])
def test_it_finds_the_same_personal_data_in_the_browser_as_on_the_server(browser, seed):
    texts = corpus(seed, 400)
    assert not any(f.kind == "name" for t in texts for f in pii.scan(t, names=False)), "the corpus must hold no names"
    page = browser.new_page()
    try:
        page.add_script_tag(content=PII_JS.read_text())
        js = page.evaluate(
            "(texts) => texts.map(t => { const s = BaliePii.scrub(t); "
            "return {found: BaliePii.scan(t).map(f => [f.kind, f.text]), redacted: s.text}; })",
            texts,
        )
    finally:
        page.close()
    expected = [python_view(t) for t in texts]
    differences = [(t, e, j) for t, e, j in zip(texts, expected, js) if e != j]
    found = sum(len(e["found"]) for e in expected)
    assert found > len(texts) // 2, "the corpus must hold personal data to find"
    report = "\n".join(f"- {t!r}\n  python: {e}\n  js:     {j}" for t, e, j in differences[:8])
    assert not differences, f"{len(differences)} of {len(texts)} texts differ:\n{report}"
