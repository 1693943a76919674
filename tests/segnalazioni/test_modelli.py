import pytest

from segnalazioni.models import Categoria, Segnalazione, Ufficio

pytestmark = pytest.mark.django_db


def test_ricerca_senza_accenti(san_siro):
    ufficio = Ufficio.objects.create(nome="Verde", email="verde@example.org")
    cat = Categoria.objects.create(codice="verde", nome="Verde", ufficio=ufficio)
    s = Segnalazione.objects.create(
        categoria=cat,
        quartiere=san_siro,
        oggetto="Panchina rotta",
        descrizione="La panchina è città",
        indirizzo="Via Abbiati 4",
    )
    assert list(Segnalazione.objects.cerca("citta")) == [s]
    assert list(Segnalazione.objects.cerca("CITTÀ panchine")) == [s]
    assert list(Segnalazione.objects.cerca("lampione")) == []
