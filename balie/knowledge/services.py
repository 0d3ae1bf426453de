"""Writing guides: coordinators add local guides for their own organisation or make a local version of a national
one; the national guides ship with Balie (data/handleidingen/*.md, loaded by a data migration).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balie.core import audit, pii
from balie.core.access import Cap, scope_of
from balie.core.audit import Event
from balie.core.text import strip_invisible

from .markup import GuideFile, parse_file, step_count
from .models import Guide
from .selectors import code_labels

if TYPE_CHECKING:
    from balie.accounts.models import User

GUIDES_DIR = Path(__file__).resolve().parent / "data" / "handleidingen"
# Never in a handout: these are about one person, whatever the context.
FORBIDDEN_PII = {"bsn", "iban", "birthdate"}
# The audit trail keeps the object type guides had before the toolkit was split, so one search finds a guide's history.
AUDIT_OBJECT_TYPE = "toolkit.guide"


class GuideInvalid(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class GuideData:
    title: str
    summary: str
    body: str
    instanties: list[str]
    onderwerpen: list[str]
    keywords: str = ""

    @classmethod
    def from_guide(cls, guide: Guide) -> GuideData:
        return cls(guide.title, guide.summary, guide.body, guide.instantie_list, guide.onderwerp_list, guide.keywords)


def _one_line(text: str) -> str:
    return " ".join(strip_invisible(text).split())


def clean(data: GuideData) -> GuideData:
    """Without invisible and control characters (review L11); title, summary and keywords on one line.

    A title with a right-to-left override or a line break shows differently in the list, the search and the PDF than
    what the coordinator meant; the body keeps its line breaks (they are its steps).
    """
    return GuideData(_one_line(data.title), _one_line(data.summary), strip_invisible(data.body).strip(),
                     data.instanties, data.onderwerpen, _one_line(data.keywords))


def validate(data: GuideData) -> dict[str, str]:
    """Field -> Dutch message; empty when the guide may be saved."""
    data = clean(data)
    errors: dict[str, str] = {}
    title, summary, body = data.title.strip(), data.summary.strip(), data.body.strip()
    if len(title) < 5:
        errors["title"] = _("Geef de handleiding een titel van minstens 5 tekens, bijvoorbeeld 'Rotterdampas aanvragen'.")
    elif len(title) > 120:
        errors["title"] = _("De titel is te lang (%(n)d tekens). Houd hem onder de 120 tekens.") % {"n": len(title)}
    if not summary:
        errors["summary"] = _("Schrijf in één of twee zinnen waar de handleiding over gaat.")
    elif len(summary) > 300:
        errors["summary"] = _("De samenvatting is te lang (%(n)d tekens). Houd hem onder de 300 tekens.") % {"n": len(summary)}
    if len(body) > 10_000:
        errors["body"] = _("De tekst is te lang (%(n)d tekens). Maak er twee handleidingen van.") % {"n": len(body)}
    elif step_count(body) == 0:
        errors["body"] = _("Schrijf minstens één stap: een regel die begint met '1.'.")
    if len(data.keywords) > 300:
        errors["keywords"] = _("Gebruik minder trefwoorden (samen hoogstens 300 tekens).")
    labels = code_labels()
    for field, name, codes in (("instanties", "instantie", data.instanties), ("onderwerpen", "onderwerp", data.onderwerpen)):
        unknown = [c for c in codes if c not in labels[name]]
        if unknown:
            message = _("Onbekende instantie: %(codes)s. Kies uit de lijst.") if name == "instantie" else _(
                "Onbekende onderwerp: %(codes)s. Kies uit de lijst.")
            errors[field] = message % {"codes": ", ".join(unknown)}
    if not data.instanties and "instanties" not in errors:
        errors["instanties"] = _("Kies minstens één instantie, zodat de balie de handleiding bij de juiste vraag toont.")
    if not data.onderwerpen and "onderwerpen" not in errors:
        errors["onderwerpen"] = _("Kies minstens één onderwerp, zodat de balie de handleiding bij de juiste vraag toont.")
    findings = [f for f in pii.scan(f"{title}\n{summary}\n{body}", names=False) if f.kind in FORBIDDEN_PII]
    if findings:
        found = ", ".join(sorted({f.reason.rstrip('.') for f in findings}))
        errors["body"] = _("Een handleiding is voor iedereen: haal persoonsgegevens weg (%(found)s).") % {"found": found}
    return errors


def _fields(data: GuideData) -> dict[str, Any]:
    data = clean(data)
    return {
        "title": data.title.strip(),
        "summary": data.summary.strip(),
        "body": data.body.strip() + "\n",
        "instanties": "|" + "|".join(dict.fromkeys(data.instanties)) + "|" if data.instanties else "",
        "onderwerpen": "|" + "|".join(dict.fromkeys(data.onderwerpen)) + "|" if data.onderwerpen else "",
        "keywords": data.keywords.strip(),
    }


def _free_slug(organisation_id: int, title: str) -> str:
    base = (slugify(title) or "handleiding")[:70]
    taken = set(Guide.objects.filter(Q(organisation_id=organisation_id) | Q(organisation__isnull=True)).values_list("slug", flat=True))
    taken.add("nieuw")  # /kennisbank/nieuw/ is the create page
    slug, n = base, 2
    while slug in taken:  # also never shadow a national guide by accident: only an explicit local version may
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def guide_create(*, user: User, data: GuideData) -> Guide:
    scope_of(user).require(Cap.COORDINATE)
    errors = validate(data)
    if errors:
        raise GuideInvalid(errors)
    guide = Guide.objects.create(
        organisation_id=user.organisation_id, slug=_free_slug(user.organisation_id, data.title),
        created_by=user, updated_by=user, **_fields(data),
    )
    audit.log(Event.KB_GUIDE_CREATED, user=user, obj=guide, object_type=AUDIT_OBJECT_TYPE, slug=guide.slug)
    return guide


@transaction.atomic
def guide_update(*, user: User, guide: Guide, data: GuideData) -> Guide:
    scope_of(user).require(Cap.COORDINATE)
    if not scope_of(user).manages(guide.organisation_id):
        raise Http404(_("Deze handleiding bestaat niet (meer)."))  # national or another organisation's: not editable here
    errors = validate(data)
    if errors:
        raise GuideInvalid(errors)
    for name, value in _fields(data).items():
        setattr(guide, name, value)
    guide.updated_by = user
    guide.save()
    audit.log(Event.KB_GUIDE_UPDATED, user=user, obj=guide, object_type=AUDIT_OBJECT_TYPE, slug=guide.slug)
    return guide


@transaction.atomic
def guide_make_local(*, user: User, national: Guide) -> Guide:
    """A local version of a national guide, to adapt; it takes over the national slug for this organisation."""
    scope_of(user).require(Cap.COORDINATE)
    if not national.is_national:
        raise Http404(_("Alleen van een landelijke handleiding maakt u een eigen versie."))
    existing = Guide.objects.filter(organisation_id=scope_of(user).organisation_id, slug=national.slug).first()
    if existing is not None:
        return existing
    guide = Guide.objects.create(
        organisation_id=user.organisation_id, slug=national.slug, based_on=national, created_by=user, updated_by=user,
        **_fields(GuideData.from_guide(national)),
    )
    audit.log(Event.KB_GUIDE_CREATED, user=user, obj=guide, object_type=AUDIT_OBJECT_TYPE, slug=guide.slug, based_on=str(national.uuid))
    return guide


@transaction.atomic
def guide_delete(*, user: User, guide: Guide) -> None:
    scope_of(user).require(Cap.COORDINATE)
    if not scope_of(user).manages(guide.organisation_id):
        raise Http404(_("Deze handleiding bestaat niet (meer)."))
    audit.log(Event.KB_GUIDE_DELETED, user=user, obj=guide, object_type=AUDIT_OBJECT_TYPE, slug=guide.slug)
    guide.delete()


# --- the national guides shipped with Balie ----------------------------------------------
def shipped_guides() -> list[GuideFile]:
    return [parse_file(path) for path in sorted(GUIDES_DIR.glob("*.md"))]


def load_national_guides(guide_model: Any = Guide) -> int:
    """Create or update the shipped national guides (data migration, tests). Returns how many."""
    files = shipped_guides()
    for item in files:
        guide_model.objects.update_or_create(
            organisation=None, slug=item.slug,
            defaults=_fields(GuideData(item.title, item.summary, item.body, item.instanties, item.onderwerpen, item.keywords)),
        )
    return len(files)
