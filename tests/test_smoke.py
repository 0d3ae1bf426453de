import pytest

pytestmark = pytest.mark.django_db


def test_it_registers_a_question_from_the_desk(client_for):
    from balie.desk.models import Question

    client = client_for("medewerker")
    page = client.get("/balie/")
    assert page.status_code == 200
    response = client.post("/balie/", {"submission_key": "k1", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST", "save": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    q = Question.objects.get()
    assert (q.instantie, q.onderwerp, q.uitkomst, q.vraagsoort) == ("DIGID", "INLOGGEN", "OPGELOST", "OVERHEID")
