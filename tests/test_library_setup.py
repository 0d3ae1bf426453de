"""Setting up a library is quick (issue 14 item 6): signal recipients picked by name; the demo has national ones."""

from __future__ import annotations

import pytest

from balie.partners.models import Partner

pytestmark = pytest.mark.django_db


def test_a_recipient_is_picked_by_name_and_typed_codes_or_names_are_refused(client_for):
    client = client_for("coordinator")
    page = client.get("/signalen/ontvangers/nieuw/").content.decode()
    assert 'type="checkbox" name="codes" value="TOESLAGEN"' in page and "Dienst Toeslagen" in page
    assert "Houd Ctrl" not in page
    ticked = client.post("/signalen/ontvangers/nieuw/", {"name": "Woonstad", "email": "s@woonstad.example", "codes": ["TOESLAGEN", "UWV"]})
    assert ticked.status_code == 302
    assert Partner.objects.get(name="Woonstad").signal_codes == "|TOESLAGEN|UWV|"
    # Recipients are chosen by name only (issue 14 item 6): a typed list of codes or names is no checkbox, so it is refused.
    for codes, message in [([], "Kies minstens één instantie."), ("Belastingkantoor", "Belastingkantoor staat niet in de lijst"),
                           ("Dienst Toeslagen, uwv", "Dienst Toeslagen, uwv staat niet in de lijst"), ("uwv", "uwv staat niet in de lijst"),
                           (["UWV", "Dienst Toeslagen"], "Dienst Toeslagen staat niet in de lijst")]:
        refused = client.post("/signalen/ontvangers/nieuw/", {"name": "X", "email": "x@x.example", "codes": codes})
        assert refused.status_code == 422 and message in refused.content.decode(), codes
    assert not Partner.objects.filter(name="X").exists()


def test_the_demo_has_national_government_recipients(network):
    from balie.demo.partners import build_social_map

    build_social_map()
    national = Partner.objects.filter(organisation=None, receives_signals=True)
    names = set(national.values_list("name", flat=True))
    assert {"Belastingdienst", "Dienst Toeslagen", "Logius (DigiD en MijnOverheid)", "UWV"} <= names
    assert all(p.signal_report_email for p in national)
