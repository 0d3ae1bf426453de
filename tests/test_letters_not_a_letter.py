"""What is no letter is refused, whatever its file name says (issue 13, a session's own finding).

A text file named brief.jpg holding `<?php echo 1; ?>` a hundred times was read as pasted text and explained as
"U hoeft nu niets te doen". A letter is written in Dutch sentences; code, a column of numbers or one word over and over
has next to none of the common words every sentence needs, and is refused with a message in the staff member's language.
"""

from __future__ import annotations

import random
import string
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balie.core.models import AuditEvent
from balie.letters.explain import LetterInputError, explain_letter
from tests.languages import client_in

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import letter_corpus  # noqa: E402


def _code(rng: random.Random) -> str:
    lines = ["<?php echo 1; ?>", "<script>alert(document.cookie)</script>", "SELECT * FROM users WHERE id = 1;",
             "function f(x) { return x * 2; }", "import os; os.system('ls')", "{\"a\": [1, 2, 3], \"b\": null}"]
    return "\n".join(rng.choice(lines) for _ in range(rng.randint(30, 120)))


def _numbers(rng: random.Random) -> str:
    return "\n".join(";".join(str(rng.randint(0, 99999)) for _ in range(6)) + ";EUR;totaal" for _ in range(rng.randint(20, 80)))


def _one_word(rng: random.Random) -> str:
    word = rng.choice(["betalen", "de", "brief", "uiterlijk", "Belastingdienst", "u"])
    return " ".join([word] * rng.randint(20, 300))


def _gibberish(rng: random.Random) -> str:
    return " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9))) for _ in range(rng.randint(40, 200)))


def _base64(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "+/"
    return "\n".join("".join(rng.choice(alphabet) for _ in range(76)) for _ in range(rng.randint(5, 40)))


MAKERS = [_code, _numbers, _one_word, _gibberish, _base64]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__.strip("_"))
def test_text_that_is_no_letter_is_refused(make, seed):
    with pytest.raises(LetterInputError, match="geen brief|bijna geen tekst"):
        explain_letter(make(random.Random(seed)))


@pytest.mark.parametrize("seed", [3, 19, 404])
def test_every_kind_of_letter_written_out_is_still_explained(seed):
    # All families of the bench's generator, senders and layouts it draws from the seed: none is taken for "no letter".
    for letter in letter_corpus.corpus(seed, 1):
        assert explain_letter(letter.text).action, letter.key


@pytest.mark.parametrize("text", [
    "Wij vragen u het bedrag van € 48,50 uiterlijk 1 maart 2027 te betalen op rekening NL91ABNA0417164300 van de gemeente.",
    "U heeft nog niet betaald. Betaal de rekening van € 120 binnen 14 dagen, anders sturen wij de zaak door.",
    "Stuur ons de loonstroken van de afgelopen drie maanden. Doe dit voor 15 januari 2027 via Mijn UWV.",
])
def test_a_pasted_paragraph_of_a_letter_is_explained(text):
    assert explain_letter(text).action in {"betalen", "documenten", "reageren"}


def test_one_pasted_sentence_is_too_short_and_the_message_says_to_paste_the_whole_letter():
    # Not "make a new photo": nothing was photographed.
    with pytest.raises(LetterInputError, match="te kort") as refused:
        explain_letter("Betaal € 48,50 uiterlijk 1 maart 2027.")
    assert "foto" not in str(refused.value)


@pytest.mark.parametrize(("language", "message"), [
    ("nl", "Dit lijkt geen brief"),
    ("en", "This does not look like a letter"),
])
def test_a_text_file_named_like_a_photo_is_refused_on_the_page(users, language, message):
    client = client_in(users["medewerker"], language)
    fake = SimpleUploadedFile("brief.jpg", b"<?php echo 1; ?>\n" * 100, content_type="image/jpeg")
    response = client.post("/hulpmiddelen/brief/", {"bestand": fake})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and "U hoeft nu niets te doen" not in html
    assert not AuditEvent.objects.filter(event="letter_explained").exists()
