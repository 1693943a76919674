"""Personal data that really goes (issue 28): a report filed online, answered by staff,
given a receipt and an e-mail, closed long ago; after ``retention --anonymize`` a full
dump of the database and the media folder hold none of what the citizen wrote, while the
figures stay the same. Before the run the same scan finds it: the scan can fail."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from quartiere.ops.backup import ambiente_pg, programma_pg
from segnalazioni import indicators, services
from segnalazioni.models import Esito, Segnalazione, Stato
from tests.segnalazioni.conftest import immagine
from tests.segnalazioni.factories import CategoriaFactory
from tests.segnalazioni.passi import invia_online

pytestmark = pytest.mark.django_db(transaction=True)

MARCA = "zorba"  # every planted value starts with it (lower case: the search text is)
ANNI_FA = timezone.now() - datetime.timedelta(days=365 * 12)


def _dump() -> str:
    """A plain SQL dump of the test database, data only, lower case."""
    db = {**connection.settings_dict}
    versione = connection.cursor().connection.info.server_version // 10000
    uscita = subprocess.run(
        [programma_pg("pg_dump", versione), "--data-only", "--format=plain"],
        env=ambiente_pg(db),
        capture_output=True,
        check=True,
    )
    return uscita.stdout.decode("utf-8", "replace").lower()


def _file_media(radice: Path) -> list[Path]:
    return [p for p in Path(radice).rglob("*") if p.is_file()]


def test_dopo_la_conservazione_nessuna_copia_dei_dati_personali(
    client, settings, tmp_path, san_siro, operatore
):
    settings.RETENTION_LOG = tmp_path / "retention.log"
    categoria = CategoriaFactory(codice="illuminazione", nome="Illuminazione")
    dati = {
        "tipo": "problema",
        "categoria": categoria.pk,
        "quartiere": san_siro.pk,
        "oggetto": "Zorbaoggetto nel cortile",
        "descrizione": "Zorbadescrizione: il vicino Zorbavicino fa rumore.",
        "indirizzo": "Via Abbiati 4",
        "lat": "",
        "lon": "",
        "nome_segnalante": "Zorbanome Zorbacognome",
        "email_segnalante": "zorba.cittadina@example.org",
        "telefono_segnalante": "",
        "consenso_privacy": "on",
        "sito_web": "",
        "allegati": [SimpleUploadedFile("zorbafoto.jpg", immagine("JPEG"), "image/jpeg")],
    }
    assert invia_online(client, dati).status_code == 302
    s = Segnalazione.objects.get()
    services.rispondi(s, "Gentile Zorbanome, abbiamo parlato con Zorbavicino.", da=operatore)
    services.emetti_ricevuta(s, da=operatore)
    Segnalazione.objects.filter(pk=s.pk).update(
        stato=Stato.CHIUSA, esito=Esito.RISOLTA, chiusa_il=ANNI_FA, creata_il=ANNI_FA
    )
    periodo = (ANNI_FA.date() - datetime.timedelta(days=1), timezone.localdate())
    figure = indicators.calcola(*periodo, None)

    # The control: every copy is there before the run.
    prima = _dump()
    for dove in ("zorbaoggetto", "zorbadescrizione", "zorbacognome", "zorba.cittadina"):
        assert dove in prima, dove
    assert _file_media(settings.MEDIA_ROOT)

    call_command("retention", "--anonymize", stdout=open("/dev/null", "w"))  # noqa: SIM115

    dopo = _dump()
    resti = sorted({dopo[i - 40 : i + 40] for i in _posizioni(dopo, MARCA)})
    assert resti == []
    assert _file_media(settings.MEDIA_ROOT) == []
    # The figures are unchanged, the report is still there and found by its code.
    assert indicators.calcola(*periodo, None) == figure
    s.refresh_from_db()
    assert s.stato == Stato.CHIUSA and s.allegati.count() == 0
    assert Segnalazione.objects.cerca(s.codice).filter(pk=s.pk).exists()


def _posizioni(testo: str, parola: str) -> list[int]:
    posizioni, i = [], testo.find(parola)
    while i >= 0:
        posizioni.append(i)
        i = testo.find(parola, i + 1)
    return posizioni


def test_ogni_via_d_ingresso_e_ogni_copia(
    client, client_di, settings, tmp_path, san_siro, operatore
):
    """The other doors personal data come in by: the desk (a person created in the
    registry), Open311, the public hall request. Past every period, retention leaves none
    of it in the dump, and no file."""
    from quartiere.calendario.models import Prenotazione
    from quartiere.registro.models import Persona
    from tests.calendario.factories import SalaFactory, domani
    from tests.segnalazioni.factories import chiave_api

    settings.RETENTION_LOG = tmp_path / "retention.log"
    sala = SalaFactory(nome="Sala della Città condivisa")
    categoria = CategoriaFactory(codice="illuminazione", nome="Illuminazione")
    chiave_api("chiave-buona")

    # The desk: the operator files for a citizen new to the registry.
    sportello = client_di(operatore).post(
        "/segnalazioni/lavoro/nuova/",
        {
            "canale": "sportello",
            "tipo": "reclamo",
            "categoria": categoria.pk,
            "quartiere": san_siro.pk,
            "oggetto": "Zorbasportello in portineria",
            "descrizione": "Zorbadesk: il signor Zorbavicino2 lascia i rifiuti.",
            "indirizzo": "Via Zamagna 7",
            "nuova_nome": "Zorbadesknome",
            "nuova_cognome": "Zorbadeskcognome",
            "nuova_codice_fiscale": "",
            "nuova_email": "zorba.desk@example.org",
            "nuova_telefono": "",
            "conferma_non_doppione": "on",
            "consenso_privacy": "on",
        },
    )
    assert sportello.status_code == 302, sportello.content.decode()[:2000]
    # Open311.
    open311 = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "chiave-buona",
            "service_code": "illuminazione",
            "description": "Zorbaopen: lampione spento davanti a Zorbacasa.",
            "address_string": "Via Abbiati 9",
            "email": "zorba.open@example.org",
            "first_name": "Zorbaprimo",
            "last_name": "Zorbaultimo",
            "phone": "",
            "attribute[tipo]": "problema",
            "attribute[quartiere]": "san-siro",
        },
    )
    assert open311.status_code == 200, open311.content.decode()[:2000]
    # The public hall request.
    giorno = domani() + datetime.timedelta(days=6)
    sala_richiesta = client.post(
        "/prenota-la-sala/",
        {
            "sede": sala.pk,
            "titolo": "Assemblea di cortile",
            "descrizione": "Incontro aperto.",
            "data": giorno.isoformat(),
            "ora_inizio": "18:00",
            "ora_fine": "20:00",
            "richiedente_ente": "Comitato di cortile",
            "richiedente_nome": "Zorbarichiedente",
            "richiedente_email": "zorba.sala@example.org",
            "richiedente_telefono": "",
            "consenso_privacy": "on",
            "sito_web": "",
        },
    )
    assert sala_richiesta.status_code == 302, sala_richiesta.context["form"].errors

    # Everything is long past: reports closed, the booking over, the person inactive.
    Segnalazione.objects.update(
        stato=Stato.CHIUSA, esito=Esito.RISOLTA, chiusa_il=ANNI_FA, creata_il=ANNI_FA
    )
    Prenotazione.objects.update(inizio=ANNI_FA, fine=ANNI_FA + datetime.timedelta(hours=2))
    Persona.objects.update(modificata_il=ANNI_FA)

    prima = _dump()
    for dove in ("zorbadesk", "zorbaopen", "zorbaprimo", "zorbarichiedente", "zorba.sala"):
        assert dove in prima, dove

    call_command("retention", "--anonymize", stdout=open("/dev/null", "w"))  # noqa: SIM115

    dopo = _dump()
    resti = sorted({dopo[i - 60 : i + 40] for i in _posizioni(dopo, MARCA)})
    assert resti == []
    assert _file_media(settings.MEDIA_ROOT) == []


def test_la_conservazione_svuota_le_cache(settings, tmp_path):
    """The database cache of production keeps expired entries in its table: a cached
    fragment with a searched name would outlive every retention period."""
    from django.core.cache import cache

    settings.RETENTION_LOG = tmp_path / "retention.log"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "quartiere_cache_prova",
        }
    }
    call_command("createcachetable", verbosity=0)
    cache.set("segnalazioni_filtri", '<input name="q" value="Zorbacercato">', 1)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM quartiere_cache_prova")
        assert c.fetchone()[0] == 1
    call_command("retention", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM quartiere_cache_prova")
        assert c.fetchone()[0] == 1  # a dry run changes nothing
    call_command("retention", "--anonymize", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM quartiere_cache_prova")
        assert c.fetchone()[0] == 0
        c.execute("DROP TABLE quartiere_cache_prova")
