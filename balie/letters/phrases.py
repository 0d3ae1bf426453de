"""The phrases that tell what a letter asks of its reader: paying, sending papers, objecting, reacting, or nothing.

Read by explain.py for each sentence; kept apart so the words of the rules can be read (and extended) in one place.
"""

from __future__ import annotations

import re


def phrase(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# "Betaal je contributie vóór 1 mei" asks (the imperative starts the sentence); "Met Budget betaal je € 32 per jaar" tells.
PAY = phrase(r"^\W*betaal\b|\b(betaal\b(?!\s+(je|jij)\b)|te betalen|moet u (nog )?\S* ?betalen|moet (nog )?€|u moet [^.]{0,60}(terug)?betalen|terugbetalen|voldoen|overmaken|"
          r"over te maken|maak [^.]{0,40}\bover\b|betalingskenmerk|betaalverzoek|uw betaling\b|betaald zijn|betaald hebben|openstaande? bedrag|"
          r"achterstallige? bedrag|huurachterstand|betalingsachterstand|premieachterstand|op onze rekening|schuld bij|"
          r"bedrag [^.]{0,40}\b(ontvangen|bijgeschreven)|aanmaning|verschuldigd|"
          # "Wij moeten het totaalbedrag van € 198,00 uiterlijk op 14-05-2026 hebben ontvangen"
          r"((wij|we) moeten|moeten (wij|we))\b[^.]{0,60}bedrag\b[^.]{0,60}\bontvangen|"
          # "Het saldo dient binnen 14 dagen te worden voldaan" (not "uw factuur is voldaan": that is paid).
          r"(dient|dienen|moet|moeten)\b[^.]{0,60}\b(te )?worden voldaan)")
NO_PAY = phrase(r"\b(uit te betalen|(hoeft u|hoef je) ([^.,;]{0,25} )?(niets|niet|geen)|(u|je|jij) hoeft ([^.,;]{0,25} )?(niets|niet|geen)|"
             r"wij betalen|betalen wij|(wij|we)\b[^.]{0,40}\bbetalen\b[^.]{0,60}\b(uit|terug)\b|betalen\b[^.]{0,50}\baan u\b|"
             r"krijgt u|u krijgt|terugkrijgt|storten|uitbetal|"
             r"automatisch af|schrijven wij [^.]{0,30}af|"
             # Thanks for a payment made ("Wij hebben uw betaling nog niet ontvangen" stays a request: no gap allowed).
             r"(dank|bedankt)[^.]{0,20}\bvoor uw betaling|uw betaling( van € ?[\d.,]+)?( is| hebben wij| in goede orde)* ontvangen)")
# "Heeft u vragen? Bel ons ...": an offer of help, not a request (the sentence after it is left out of the doubt).
OFFER = phrase(r"\b(vragen|een vraag|hulp nodig|meer (informatie|weten)|iets niet duidelijk|niet duidelijk)\b[^.?]*\?\s*$")
# Money that leaves the reader's account without a request to pay: nothing to transfer, but the account must hold it.
DEBIT = phrase(r"\b(automatisch (van uw rekening )?af|schrijven wij [^.]{0,40}\baf\b|afgeschreven|incasseren wij|automatische incasso)")
# "U betaalt nu € 45 per maand" describes; "U betaalt het bedrag uiterlijk 1 mei" asks. Only with a date cue it is a request.
# "Met lidmaatschap Budget betaal je € 32 per jaar" describes as well (the imperative "Betaal ..." has no "je").
WEAK_PAY = phrase(r"\b(betaalt|betalen|betaal (je|jij))\b")
DATE_CUE = phrase(r"\b(uiterlijk|vóór|voor \d|binnen \w+ (dagen|weken|werkdagen)|op of voor|per omgaande|zo snel mogelijk|direct)\b")
NOTHING_TO_DO = phrase(r"\b(u hoeft|hoeft u|je hoeft|hoef je|jij hoeft) ((hiervoor |verder |nu |dus |daarvoor |voor deze wijziging |zelf |aan ons )*"
                      r"(niets|niks) (meer )?(te doen|te betalen)|[^.]{0,30}\bniet (meer )?te betalen)")
# Sentences that ask something of the reader although no rule above names what: reason to say "onzeker", never "niets".
ASKS = phrase(r"\b(u moet|moet u|moeten wij [^.]{0,40} ontvangen|verzoeken (wij )?u|wilt u|dient u|dient [^.]{0,40} te zijn|neem [^.]{0,30}contact|"
           r"bel ons|laat\b.{0,40}?\bweten|reageer|uiterlijk|vóór \d|binnen \w+ (dagen|weken|werkdagen))")
_PAPERS = (r"(kopie|kopieën|bewijs|bewijsstukken|documenten|document|gegevens|formulier|loonstro(o)?k(en)?|afschrift(en)?|stukken|"
           r"papieren|informatie|contract|huurcontract|specificatie|huurspecificatie|jaaropgaaf|verklaring)")
_SEND = r"(stuur|stuurt|sturen|opsturen|terugsturen|toesturen|meesturen|lever|levert|aanleveren|upload|uploaden|vul|vult|invullen|inleveren)"
# The verb first ("Stuur ons een kopie van ...") or the papers first ("Wij vragen u de volgende stukken op te sturen",
# "U kunt de stukken uploaden", "Lever de papieren uiterlijk 20 juli in").
DOCUMENTS = phrase(r"\b" + _SEND + r"\b[^.]{0,120}\b" + _PAPERS + r"|\b" + _PAPERS + r"\b[^.]{0,90}\b(op te sturen|te sturen|"
                   r"in te leveren|te uploaden|uploaden|opsturen|toesturen|inleveren|aanleveren)\b|"
                   # "hebben wij nog een aantal stukken van u nodig", "Wij moeten de stukken uiterlijk ... hebben ontvangen"
                   r"\b" + _PAPERS + r"\b[^.]{0,20}\b(van u |van jou |van je )?nodig\b|\b(wij|we) moeten\b[^.]{0,40}\b" + _PAPERS +
                   r"\b[^.]{0,80}\bontvangen\b")
NEGATIVE_DECISION = phrase(r"\b((leggen|legt|leg) [^.]{0,40}\bboete\b|boete opgelegd|wijzen [^.]{0,40}\baf|afgewezen|afwijzen|geen recht op|"
                        r"(u krijgt|krijgt u) geen|niet in aanmerking|niet toegekend|weigeren|geweigerd|stopzetten|stoppen wij|"
                        r"beëindigen|intrekken|verlagen|lager dan|verhogen|verhoging|niet (te )?vergoeden|vergoeden (wij|we) [^.]{0,30}\bniet|(wij|we) vergoeden [^.]{0,40}\bniet\b|niet vergoed)")
OBJECTION = phrase(r"\b(bezwaar|beroep|niet eens|klacht)\b")
# What is left of an objection period when its date could not be read: "... weken na de dagtekening", "termijn".
PERIOD_WORDS = phrase(r"\b(weken|dagen|werkdagen|dagtekening|termijn)\b")
# What might happen, not what is asked: "Zo voorkomt u dat u later moet terugbetalen", "Anders moet u later bijbetalen",
# "Dan moet u misschien terugbetalen". The clause is left out before a sentence is read for a request to pay (the rest of
# the sentence still counts: "Betaal op tijd, zo voorkomt u dat wij kosten rekenen" asks to pay).
HYPOTHETICAL = phrase(r"(\b(zo |dan |om te |daarmee )?voorkom(t|en)? (u |je |wij |we )?(dat|extra|problemen)|\bom te voorkomen dat|"
                      # "Daarin staat hoe en wanneer u moet betalen": what another paper will say, not a request now
                      r"\b(daarin|in die (brief|factuur|nota)|in de (brief|factuur|nota) die)\b[^.]{0,30}\b(staat|leest u|lees je|ziet u|zie je)\b[^.]{0,15}"
                      r"\b(hoe|wanneer|hoeveel|wat|waar)\b|"
                      r"\banders moet(en)? (u|je)|\b(moet|moeten) (u|je) (dan |later |misschien |mogelijk )+(terug|bij)?betalen|"
                      r"\b(misschien|mogelijk) moet (u|je)\b)[^.;]*")
# A date that ends a period ("Uw uitkering duurt tot en met 15 november", "loopt door tot en met 12 oktober"): nothing to
# act by, even with "tot en met" before it.
PERIOD_END = phrase(r"\b(duurt|loopt|lopen|geldt|gelden|geldig|eindigt|stopt|stoppen)\b[^.;]{0,40}\btot( en met)?\s*(\w+dag\s+)?$")
# Money or a step the sender takes towards the reader within a period ("Wij betalen het bedrag binnen vier weken aan u
# terug"): the period is the sender's, not a date the reader must act by.
SENDER_ACTS = phrase(r"\b(wij|we)\b[^.]{0,90}\b(aan u|u|aan je|je|jou)\b[^.]{0,30}\b(terug|uit)\b|"
                     r"\b(wij|we) (storten|betalen|maken)\b[^.]{0,90}\b(terug|uit|over (naar|op) (uw|het|je))\b|"
                     r"\b(betalen|storten|maken) (wij|we)\b[^.]{0,60}\b(terug|uit|over)\b")
