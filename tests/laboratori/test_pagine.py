"""Every staff page renders for who may use it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pagine_staff_per_operatore(client_di, operatore, incontro_san_siro, residente):
    c = client_di(operatore)
    lab = incontro_san_siro.laboratorio
    for url in [
        reverse("laboratori:lista"),
        reverse("laboratori:nuovo"),
        reverse("laboratori:dettaglio", args=[lab.pk]),
        reverse("laboratori:modifica", args=[lab.pk]),
        reverse("laboratori:incontro_nuovo", args=[lab.pk]),
        reverse("laboratori:incontro", args=[incontro_san_siro.pk]),
        reverse("laboratori:incontro_modifica", args=[incontro_san_siro.pk]),
        reverse("laboratori:presenze", args=[incontro_san_siro.pk]),
        reverse("laboratori:presenze", args=[incontro_san_siro.pk]) + "?q=rossi",
        reverse("laboratori:proposta_nuova", args=[lab.pk]),
        reverse("laboratori:calendario"),
        reverse("laboratori:risultati"),
        reverse("laboratori:pubblico", args=[lab.pk]),
    ]:
        r = c.get(url)
        assert r.status_code == 200, url
