"""The online report sent through its steps, for the tests that send one.

``invia_online(client, dati)`` takes the fields as the report form names them (``oggetto``,
``consenso_privacy``, ``allegati``...), posts the Informativa step, then the Dati step,
then the Riepilogo, and returns the first response that does not move on to the next
step: a step sent back with its errors (200), a refusal, or the redirect to "Segnalazione
inviata" (302). Nothing is shortened: each POST goes through the view as a browser's."""

from __future__ import annotations

from django.urls import reverse

PREFISSO = "procedura_segnalazione"  # formtools names the management form after the view


def dati_segnalazione(categoria: int, quartiere: int, oggetto: str, **altri) -> dict:
    """A report as a citizen fills it in (``categoria`` and ``quartiere`` as ids), with the
    names of the fields :func:`invia_online` takes; ``altri`` adds or replaces fields."""
    return {
        "tipo": "problema",
        "categoria": categoria,
        "quartiere": quartiere,
        "oggetto": oggetto,
        "descrizione": "Una buca profonda davanti al civico 4.",
        "indirizzo": "Via Abbiati 4",
        "lat": "",
        "lon": "",
        "nome_segnalante": "Giulia Rossi",
        "email_segnalante": "giulia@example.org",
        "telefono_segnalante": "",
        "consenso_privacy": "on",
        "sito_web": "",
        **altri,
    }


def passo(nome: str) -> str:
    return reverse("segnalazioni:invia_passo", args=[nome])


def gestione(nome: str) -> dict:
    return {f"{PREFISSO}-current_step": nome}


def invia_online(client, dati: dict, _ultimo: bool = True, **extra):
    dati = dict(dati)
    consenso = dati.pop("consenso_privacy", None)
    informativa = gestione("informativa")
    if consenso:
        informativa["informativa-consenso_privacy"] = consenso
    r = client.post(passo("informativa"), informativa, **extra)
    if r.status_code != 302 or r.url != passo("dati"):
        return r
    r = client.post(
        passo("dati"), {**gestione("dati"), **{f"dati-{k}": v for k, v in dati.items()}}, **extra
    )
    if r.status_code != 302 or r.url != passo("riepilogo") or not _ultimo:
        return r
    return client.post(passo("riepilogo"), gestione("riepilogo"), **extra)


def fino_al_riepilogo(client, dati: dict) -> None:
    """The first two steps done (they must pass): what is left is the summary's POST, the
    one that files the report."""
    r = invia_online(client, dati, _ultimo=False)
    assert r.status_code == 302 and r.url == passo("riepilogo"), r.status_code
