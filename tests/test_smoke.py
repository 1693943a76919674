import pytest

pytestmark = pytest.mark.django_db


def test_home_pubblica_in_italiano(client):
    risposta = client.get("/")
    assert risposta.status_code == 200
    assert 'lang="it"' in risposta.content.decode()
