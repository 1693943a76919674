"""The registration points (quartiere/estensioni.py): each app's ``estensioni.py`` is found
the first time a point is read, and a key cannot be taken twice."""

from __future__ import annotations

import pytest

from quartiere.estensioni import Punto


def test_le_app_registrano_le_loro_parti():
    from quartiere.calendario.eventi import FONTI_EVENTI
    from quartiere.calendario.services import OCCUPAZIONI
    from quartiere.identita.area import SEZIONI_AREA_PERSONALE
    from quartiere.privacy.accesso_dati import SERIALIZZATORI
    from quartiere.pubblico.sezioni import SEZIONI_HOME, SEZIONI_QUARTIERE

    assert list(SEZIONI_HOME) == ["patti"]
    assert list(SEZIONI_AREA_PERSONALE) == ["segnalazioni", "laboratori", "patti"]
    assert set(SEZIONI_QUARTIERE) == {"laboratori", "patti", "abitare"}
    assert list(FONTI_EVENTI) == ["laboratori.incontro"]
    assert list(OCCUPAZIONI) == ["laboratori.incontro"]
    # The activities a programme's axis counts: the core's first, then the apps'.
    from quartiere.programmi.cifre import FONTI_PER_ASSE

    assert list(FONTI_PER_ASSE) == [
        "quartiere.diario",
        "quartiere.prenotazione",
        "segnalazioni.segnalazione",
        "mediazione.dossier",
        "laboratori.incontro",
        "patti.patto",
        "abitare.percorso",
    ]
    assert set(SERIALIZZATORI) == {
        "quartiere.Organizzazione",
        "quartiere.AccountCittadino",
        "segnalazioni.Segnalazione",
        "laboratori.Presenza",
        "laboratori.Proposta",
        "laboratori.Aderente",
        "patti.Firmatario",
        "mediazione.Parte",
        "abitare.Componente",
    }


def test_le_classi_di_conservazione_e_le_attivita_delle_persone():
    from quartiere.privacy.conservazione import ATTIVITA_PERSONA, CLASSI

    # The order retention runs them in: persons last.
    ordine = [nome for nome, _c in sorted(CLASSI.items(), key=lambda v: (v[1].ordine, v[0]))]
    assert ordine == [
        "segnalazioni",
        "prenotazioni",
        "valutazioni",
        "account",
        "nuclei",
        "persone",
        "mediazione",
    ]
    assert set(ATTIVITA_PERSONA) == {
        "quartiere.persona",
        "quartiere.accountcittadino",
        "segnalazioni.segnalazione",
        "laboratori",
        "patti.firmatario",
        "mediazione.parte",
        "abitare.componente",
    }


def test_ogni_modello_collegato_a_persona_ha_il_suo_serializzatore():
    """A new link to Persona falls back to its non-text fields; today every one has a
    serialiser of its own, registered by its app."""
    from quartiere.privacy.accesso_dati import SERIALIZZATORI
    from quartiere.registro.models import Persona

    collegati = {r.related_model._meta.label for r in Persona._meta.related_objects}
    assert set(SERIALIZZATORI) <= collegati


def test_una_chiave_registrata_due_volte_e_un_errore():
    punto = Punto("prova")
    punto.registra("a", 1)
    punto.registra("a", 1)  # the same value again (a module imported twice) is harmless
    with pytest.raises(ValueError, match="«a» è già registrato"):
        punto.registra("a", 2)

    @punto.registra("b")
    def b():
        return "b"

    assert punto["b"]() == "b" and punto.get("c") is None
