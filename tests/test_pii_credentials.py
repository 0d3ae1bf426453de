"""A visitor's password, PIN or activation code in a note is never stored (core/pii/credentials.py): it opens their
DigiD, bank or e-mail. Generated secrets of many shapes in notes of many shapes are redacted; the notes staff write
about passwords without one in them ("wachtwoord vergeten", "sms-code 3 keer fout") stay as typed."""

from __future__ import annotations

import random
import string

import pytest

from balie.core import pii

CUES = ["wachtwoord", "Wachtwoord", "WACHTWOORD", "wachtwoord DigiD", "password", "pincode", "PIN-code", "pin", "inlogcode",
        "toegangscode", "activeringscode", "herstelcode", "puk-code", "wachtwoord van de mail", "wachtwoord van zijn e-mail"]
WORDS = ["zomer", "tulp", "konijn", "appeltaart", "voetbal", "oranje", "marokko", "istanbul", "liefde", "welkom"]


def secret(rng: random.Random) -> str:
    shape = rng.randrange(6)
    word = rng.choice(WORDS)
    if shape == 0:  # a word, a year or a few digits, a sign
        return word.capitalize() + str(rng.randint(1950, 2030)) + rng.choice(["!", "?", "#", ""])
    if shape == 1:  # a PIN
        return "".join(rng.choices(string.digits, k=rng.choice([4, 5, 6])))
    if shape == 2:  # an activation code by letter
        return "".join(rng.choices(string.ascii_uppercase + string.digits, k=rng.randint(5, 9))).replace("O", "0") + "7"
    if shape == 3:  # letters and signs
        return word + rng.choice(["@", "#", "$", "&", "*"]) + rng.choice(WORDS)
    if shape == 4:  # mixed case and digits
        return "".join(rng.choice([c.upper(), c]) for c in word) + str(rng.randint(1, 99))
    return word  # a plain word: only after ":", "=" or "is" is it known to be the secret


def note(rng: random.Random, cue: str, value: str) -> str:
    plain = value.isalpha()
    joins = [": ", " = ", " is ", " was "] if plain else [": ", " ", " is ", " = ", ": '", " luidt "]
    join = rng.choice(joins)
    closing = "'" if join.endswith("'") else ""
    before = rng.choice(["", "Mevrouw wilde inloggen. ", "Geholpen met DigiD, ", "Let op: "])
    after = rng.choice(["", ".", ", daarna ingelogd.", " en opgeschreven op een briefje", ". Samen de app gedownload."])
    return f"{before}{cue}{join}{value}{closing}{after}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_secret_after_its_word_is_redacted_in_any_shape(seed):
    rng = random.Random(seed)
    for _ in range(300):
        value = secret(rng)
        cue = rng.choice(CUES)
        text = note(rng, cue, value)
        result = pii.scrub(text, names=False)
        assert value not in result.redacted, (text, result.redacted)
        assert "[WACHTWOORD]" in result.redacted or any(f.kind != "secret" for f in result.findings), (text, result.redacted)
        assert cue in result.redacted, "the word itself stays: staff see a password was there"


@pytest.mark.parametrize("text", [
    "Wachtwoord DigiD vergeten", "wachtwoord vergeten, wat nu?", "wachtwoord is gewijzigd", "nieuwe pincode aangevraagd",
    "sms-code kwam niet aan", "sms-code 630944 kwam niet aan, 3 keer geprobeerd.", "inlogcode niet ontvangen",
    "wachtwoord opnieuw ingesteld via herstelcode per brief", "pincode geblokkeerd", "PIN-code van de bank 3x fout",
    "activeringscode aangevraagd, komt binnen 3 werkdagen", "wachtwoord is niet goed", "wachtwoord moet 8 tekens",
    "wachtwoord is 8 tekens lang", "Uitleg over veilige wachtwoorden", "wachtwoord van MijnOverheid vergeten",
    "DigiD app vroeg om een nieuwe pincode", "wachtwoord is aangepast", "pincode van 5 cijfers gekozen", "herstelcode op 12-03 per post",
    "Wachtwoord van het e-mailaccount hersteld", "wachtwoord: vergeten", "wachtwoord was verlopen", "wachtwoord en/of pincode vergeten",
    "DigiD-code werkt niet, wat is er mis", "wachtwoord vergeten want het is lang geleden", "de code was te laat",
    "Pincode van de DigiD app 2 keer verkeerd, na 15:30 opnieuw geprobeerd", "wachtwoord is 3x fout", "pincode was 2x verkeerd ingevoerd",
])
def test_notes_about_passwords_without_one_stay_as_typed(text):
    assert not [f for f in pii.scan(text, names=False) if f.kind == "secret"], text


def test_a_passphrase_longer_than_the_part_read_after_its_word_is_redacted_whole():
    phrase = "zomer-tulp-konijn-appeltaart-voetbal-oranje-liefde-welkom-2024"  # ends beyond the 60 characters after the cue
    assert pii.scrub(f"wachtwoordzin: {phrase} samen ingesteld", names=False).redacted == "wachtwoordzin: [WACHTWOORD] samen ingesteld"


def test_the_desk_stores_the_note_without_the_password(client_for):
    from balie.desk.models import Question

    client_for("medewerker").post("/balie/", {"submission_key": "wachtwoord-1", "save": "1", "q-0-instantie": "DIGID",
                                               "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST",
                                               "q-0-notitie": "Wachtwoord DigiD is Tulpen2024! samen opgeschreven"})
    stored = Question.objects.get().note
    assert "Tulpen2024" not in stored and stored == "Wachtwoord DigiD is [WACHTWOORD] samen opgeschreven"
    # The live check tells the staff member why before saving.
    html = client_for("medewerker").post("/balie/pii/", {"q-0-notitie": "pincode 4821"}).content.decode()
    assert "wachtwoord, pincode of inlogcode" in html
