"""A visitor's password, PIN or login code written into a note ("wachtwoord: Zomer2024!", "pincode 4821", "activeringscode:
X7Y3Z"). Not personal data in the law's list, but a key to the visitor's DigiD, bank or e-mail: nobody at the desk may
keep it, so a note never stores it (fail safe, like the other detectors).

After a word for a secret (wachtwoord, pincode, inlogcode, activeringscode, ...), within the same clause:
- after ":" or "=" the next word is the secret, unless it says how the secret is ("wachtwoord: vergeten");
- after "is", "was", "luidt" (also "wachtwoord van zijn e-mail is ...", up to three words between) the next word is the
  secret, unless it says how it is ("is gewijzigd", "is niet goed") or has the shape of a past participle ("is
  aangepast", "was verlopen");
- within the next four words, a run of 4-8 digits ("pincode 4821", "wachtwoord DigiD 833555");
- any of the next words with letters and digits or a sign inside ("wachtwoord van gmail Hond123!"), but not a count
  ("sms-code 3 keer fout", "pincode 3x verkeerd"), a date or a time.
"""

from __future__ import annotations

import re

Hit = tuple[str, int, int]

_CUE_RE = re.compile(
    r"(?i)(?<![\w-])(?:wachtwoord(?:en|zin)?|password|passwd|passcode|pin(?:-?code)?|puk(?:-?code)?"
    r"|(?:inlog|toegangs|activerings|activatie|herstel|beveiligings|digid)-?code)(?![\w-])"
)
# Not the one-time codes of an sms or an e-mail ("sms-code 630944 kwam niet aan"): they expire within minutes and are
# written down to report a problem; a password, PIN or an activation code by letter opens the account for days or years.
# The rest of the clause after the cue: up to a full stop with a space, a line end, ";" or ",", at most 60 characters
# and the rest of the word the limit falls in (a long passphrase is redacted whole, not up to the limit).
_CLAUSE_END_RE = re.compile(r"\.(?:\s|$)|[\n;,]")
_WORD_REST_RE = re.compile(r"(?<=\S)\S*")
_CONNECTOR_RE = re.compile(r"(?i)(?P<sign>[:=])|(?<!\S)(?:is|was|luidt|wordt|werd)(?!\w)")
_TOKEN_RE = re.compile(r"\S+")
_QUOTES = "'\"‘’“”«»`"
# Words that say how the secret is, not what it is.
_STATE_WORDS = frozenset("""
vergeten gewijzigd veranderd verlopen fout onjuist verkeerd geblokkeerd gedeblokkeerd niet nog te kwijt goed aangepast
ingesteld opnieuw gereset aangemaakt aangevraagd ontvangen verstuurd onbekend ok oke oké correct juist ongeldig gelukt
weg klaar er al wel geen nodig hersteld veilig sterk zwak lang kort nieuw nieuwe oud oude bekend vergrendeld ontgrendeld
verzonden gestuurd gemaild per via in op de het een zijn haar hetzelfde leeg meestal altijd vaak makkelijk moeilijk bij
door thuis opgeschreven genoteerd gedeeld nu dus ook toch anders onveilig verplicht uitgelegd gekozen bedacht geldig
minimaal maximaal minstens echt even
""".split())
# A past participle or adjective of that shape: "aangepast", "verlopen", "geactiveerd", "bevestigd".
_PARTICIPLE_RE = re.compile(r"(?i)(?:ge|ver|be|her|ont|aan|op|in|uit|af|toe|door|over)\w{2,}(?:d|t|en)")
_COUNT_UNITS = frozenset("keer x maal pogingen poging dagen dag werkdagen weken week minuten minuut uur tekens teken "
                         "cijfers cijfer letters letter".split())
_COUNT_RE = re.compile(r"\d{1,3}(?:x|×)?")
_DATE_OR_TIME_RE = re.compile(r"\d{1,4}(?:[-/.:]\d{1,4}){1,2}")
# Signs a password has and a word does not (not "-" or "/": "e-mail", "en/of").
_SIGN_INSIDE_RE = re.compile(r"\w[!@#$%^&*?~+_=|\\<>{}\[\]]|[!@#$%^&*?~+_=|\\<>{}\[\]]\w")


def _bare(token: str) -> tuple[str, int, int]:
    """The token without quotes around it and the punctuation that ends a sentence; with its offsets in the token."""
    start, end = 0, len(token)
    while start < end and token[start] in _QUOTES:
        start += 1
    while end > start and (token[end - 1] in _QUOTES or token[end - 1] in ".,;:!?)"):
        end -= 1
    return token[start:end], start, end


def _looks_secret(word: str) -> bool:
    """Letters and digits together, or a sign between two characters: the shape of a password or code, not a word."""
    has_letter, has_digit = any(ch.isalpha() for ch in word), any(ch.isdigit() for ch in word)
    if _DATE_OR_TIME_RE.fullmatch(word) or _COUNT_RE.fullmatch(word):
        return False
    return (has_letter and has_digit) or bool(_SIGN_INSIDE_RE.search(word))


def _a_count(word: str, following: str) -> bool:
    """"3x", "3 keer", "2 pogingen": how often, not a code."""
    if not _COUNT_RE.fullmatch(word):
        return False
    return word[-1] in "x×" or following.lower().strip(".,;:") in _COUNT_UNITS


def credentials(text: str) -> list[Hit]:
    out: list[Hit] = []
    for cue in _CUE_RE.finditer(text):
        limit = _WORD_REST_RE.match(text, cue.end() + 60)
        rest = text[cue.end():limit.end() if limit else cue.end() + 60]
        stop = _CLAUSE_END_RE.search(rest)
        clause = rest[:stop.start()] if stop else rest
        tokens = list(_TOKEN_RE.finditer(clause))
        words = [_bare(t.group()) for t in tokens]
        connector = _connector(clause, tokens)
        if connector and tokens:
            after = next((k for k, t in enumerate(tokens) if t.start() >= connector.end()), None)
            if after is not None:
                word = words[after][0]
                quoted = tokens[after].group()[0] in _QUOTES
                plain = word.lower() in _STATE_WORDS or (_PARTICIPLE_RE.fullmatch(word) and not connector.group("sign"))
                following = words[after + 1][0] if after + 1 < len(words) else ""
                if word and (quoted or _looks_secret(word) or not plain) and not _a_count(word, following) \
                        and not _DATE_OR_TIME_RE.fullmatch(word):
                    out.append(_hit(cue.end(), tokens[after], words[after]))
                    continue
        for k, (token, (word, _s, _e)) in enumerate(zip(tokens[:4], words[:4])):
            following = words[k + 1][0] if k + 1 < len(words) else ""
            if _a_count(word, following):
                continue
            digits = not connector and word.isdigit() and 4 <= len(word) <= 8
            if digits or _looks_secret(word):
                out.append(_hit(cue.end(), token, words[k]))
    return out


def _connector(clause: str, tokens: list[re.Match[str]]) -> re.Match[str] | None:
    """":", "=" or "is" after the cue, with at most three words between ("wachtwoord van zijn e-mail is ...")."""
    found = _CONNECTOR_RE.search(clause)
    if found is None or sum(t.end() <= found.start() for t in tokens) > 3:
        return None
    return found


def _hit(offset: int, token: re.Match[str], bare: tuple[str, int, int]) -> Hit:
    """The secret's span; a password may end in "!" or "?", so those go with it (fail safe)."""
    end = bare[2]
    while end < len(token.group()) and token.group()[end] in "!?":
        end += 1
    return ("secret", offset + token.start() + bare[1], offset + token.start() + end)
