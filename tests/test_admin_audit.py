"""The Django admin writes through the services and the audit log: role changes and location edits leave a trace."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.test import Client

from balie.core.models import AuditEvent
from balie.network.models import Gemeente, Location


def _form_data(form: forms.BaseForm) -> dict:
    """What the browser would post back for an unchanged admin form (initial values, in the widgets' shape)."""
    data: dict = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field.widget, forms.MultiWidget):
            for n, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{n}"] = "" if part is None else part
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(v) for v in value]
        else:
            data[key] = "" if value is None else value
    return data


def _admin_post_data(response) -> dict:
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()})
        for form in formset.initial_forms:
            data.update(_form_data(form))
    return data


@pytest.fixture
def superuser_client(network) -> Client:
    admin = get_user_model().objects.create_superuser("root", "root@example.nl", "x", role="beheerder")
    client = Client()
    client.force_login(admin)
    return client


def test_it_audits_a_role_change_made_in_the_admin(superuser_client, users):
    target = users["medewerker"]
    url = f"/beheer/accounts/user/{target.pk}/change/"
    data = _admin_post_data(superuser_client.get(url))
    data["role"] = "coordinator"
    data["gemeenten"] = [str(Gemeente.objects.get(cbs_code="GM0599").pk)]
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    target.refresh_from_db()
    assert target.role == "coordinator"
    event = AuditEvent.objects.get(event="user_role_changed", object_uuid=str(target.pk))
    assert event.user.username == "root" and event.extra["via"] == "admin"
    assert event.extra["changes"] == {"role": ["medewerker", "coordinator"], "gemeenten": [[], ["GM0599"]]}
    # Saving again without a change writes nothing new.
    superuser_client.post(url, _admin_post_data(superuser_client.get(url)))
    assert AuditEvent.objects.filter(event="user_role_changed").count() == 1


def test_it_fills_coordinates_and_audits_a_location_edited_in_the_admin(superuser_client):
    location = Location.objects.get(code="RDAM-CENTRAAL")
    url = f"/beheer/network/location/{location.pk}/change/"
    data = _admin_post_data(superuser_client.get(url))
    data.update({"postcode": "2801 AB", "lat": str(location.lat or ""), "lon": str(location.lon or "")})
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    location.refresh_from_db()
    assert location.postcode == "2801 AB"
    # A new postcode is a new position: the PC4 centroid of Gouda, not Rotterdam's old coordinates.
    assert location.lat is not None and 51.9 < location.lat < 52.1 and 4.6 < location.lon < 4.8
    event = AuditEvent.objects.get(event="location_saved", object_uuid=str(location.uuid))
    assert event.extra == {"code": "RDAM-CENTRAAL", "via": "admin"} and event.user.username == "root"


def test_it_audits_a_location_added_inline_on_the_organisation_page(superuser_client, network):
    organisation = network["BIB-RDAM"]
    url = f"/beheer/network/organisation/{organisation.pk}/change/"
    data = _admin_post_data(superuser_client.get(url))
    prefix = "locations"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({f"{prefix}-TOTAL_FORMS": str(total + 1), f"{prefix}-{total}-code": "RDAM-NIEUW", f"{prefix}-{total}-naam": "Nieuwe vestiging",
                 f"{prefix}-{total}-kind": Location.objects.filter(organisation=organisation).first().kind,
                 f"{prefix}-{total}-gemeente": str(Gemeente.objects.get(cbs_code="GM0599").pk), f"{prefix}-{total}-active": "on"})
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    new = Location.objects.get(code="RDAM-NIEUW")
    assert new.lat is not None  # no postcode: the municipality's centroid
    assert AuditEvent.objects.filter(event="location_saved", object_uuid=str(new.uuid), extra__via="admin").exists()
    assert AuditEvent.objects.filter(event="organisation_saved", object_uuid=str(organisation.uuid)).exists()
