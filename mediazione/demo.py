"""Demo data of the mediation desk: a few dozen dossiers in every phase, assigned to the
demo ``mediatore`` (created by ``quartiere.demo``, which runs first). Deterministic
(fixed dates and a seeded generator) and idempotent: nothing is added when the demo
mediator already has dossiers. Everything goes through ``services``, as a real case
would, so numbering, phases and the access log are consistent."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from mediazione import services
from mediazione.forms import AccordoForm
from mediazione.models import Accordo, CanaleArrivo, Dossier, Esito, Fase, Parte, TipoConflitto
from quartiere.registro.models import Persona
from quartiere.territorio.models import Quartiere

NUMERO_DOSSIER = 32
PRIMA_APERTURA = date(2026, 1, 7)

DESCRIZIONI = {
    "rumori": "Rumori notturni dall'appartamento al piano di sopra; lamentele ripetute.",
    "spazi_comuni": "Uso del cortile comune e delle cantine: biciclette e oggetti lasciati.",
    "animali": "Cane lasciato solo sul balcone che abbaia per ore.",
    "giardini_verde": "Siepe non potata che invade il passaggio comune.",
    "odori": "Odori di cucina e fumo dalle finestre del cortile interno.",
    "parcheggi": "Posti auto nel cortile occupati da non residenti.",
    "rifiuti_igiene": "Sacchi lasciati sul pianerottolo e raccolta differenziata non rispettata.",
    "giovani_spazio_pubblico": "Gruppo di ragazzi in piazza la sera: tensione con i residenti.",
    "convivenza_interculturale": "Incomprensioni tra famiglie sugli orari e sull'uso del cortile.",
    "intergenerazionale": "Anziani e giovani famiglie in disaccordo sul campetto condominiale.",
    "condominiale": "Ripartizione delle spese di pulizia delle scale contestata.",
    "altro": "Disaccordo tra vicini su una recinzione provvisoria.",
}

NOTE_RISERVATE = (
    "La parte racconta difficoltà familiari che non vuole siano riferite all'altra parte."
)


# The phase the mediator has reached when doing the n-th step of ``_percorso``.
_FASE_DEL_PASSO = [
    Fase.COLLOQUIO_RICHIEDENTE,
    Fase.INVITO_CONTROPARTE,
    Fase.COLLOQUI_INDIVIDUALI,
    Fase.COLLOQUI_INDIVIDUALI,
    Fase.INCONTRO_CONGIUNTO,
]


def _percorso(fase_finale: str) -> list[str]:
    """The activities a dossier in ``fase_finale`` has been through, in order."""
    passi = ["colloquio_individuale"]
    ordine = Fase.values
    livello = (
        ordine.index(fase_finale) if fase_finale != Fase.CHIUSO else ordine.index(Fase.VERIFICA)
    )
    if livello >= ordine.index(Fase.INVITO_CONTROPARTE):
        passi.append("lettera")
    if livello >= ordine.index(Fase.COLLOQUI_INDIVIDUALI):
        passi += ["colloquio_individuale", "telefonata"]
    if livello >= ordine.index(Fase.INCONTRO_CONGIUNTO):
        passi.append("incontro_congiunto")
    if livello >= ordine.index(Fase.VERIFICA):
        passi.append("verifica")
    return passi


def popola(stdout=None) -> None:
    User = get_user_model()
    mediatore = User.objects.filter(username="mediatore").first()
    if mediatore is None or Dossier.objects.filter(mediatori=mediatore).exists():
        return
    quartieri = list(Quartiere.objects.order_by("codice"))
    persone = list(Persona.objects.filter(codice__startswith="DEMO-P").order_by("codice"))
    if not quartieri or len(persone) < 2:
        return
    rng = random.Random(4)  # deterministic demo
    oggi = timezone.localdate()
    fasi = Fase.values
    tipi, canali, esiti = TipoConflitto.values, CanaleArrivo.values, Esito.values

    casi = [
        (PRIMA_APERTURA + timedelta(days=9 * i), fasi[i % len(fasi)]) for i in range(NUMERO_DOSSIER)
    ]
    # Two cases closed long ago, so that ``mediazione_retention`` has something to show.
    casi += [(date(2019, 3, 4), Fase.CHIUSO), (date(2019, 9, 16), Fase.CHIUSO)]

    for i, (aperto_il, fase_finale) in enumerate(casi):
        aperto_il = min(aperto_il, oggi)
        tipo = tipi[i % len(tipi)]
        dossier = services.apri_dossier(
            da=mediatore,
            quartiere=quartieri[i % len(quartieri)],
            tipo_conflitto=tipo,
            canale_arrivo=canali[i % len(canali)],
            descrizione=DESCRIZIONI[tipo],
            aperto_il=aperto_il,
        )
        richiedente, controparte = rng.sample(persone, 2)
        parti = [
            services.aggiungi_parte(
                dossier,
                da=mediatore,
                persona=richiedente,
                ruolo=Parte.Ruolo.RICHIEDENTE,
                consenso_mediazione=True,
                consenso_data=aperto_il,
            )
        ]
        if fase_finale != Fase.ACCOGLIENZA:
            parti.append(
                services.aggiungi_parte(
                    dossier,
                    da=mediatore,
                    persona=controparte,
                    ruolo=Parte.Ruolo.CONTROPARTE,
                    consenso_mediazione=fasi.index(fase_finale)
                    >= fasi.index(Fase.COLLOQUI_INDIVIDUALI),
                    consenso_data=min(aperto_il + timedelta(days=6), oggi),
                )
            )
        giorno = aperto_il
        passi = [] if fase_finale == Fase.ACCOGLIENZA else _percorso(fase_finale)
        for n, tipo_attivita in enumerate(passi):
            giorno = min(aperto_il + timedelta(days=3 * (n + 1)), oggi)
            if tipo_attivita == "verifica":
                accordo_il = min(giorno - timedelta(days=1), oggi)
                _accordo(dossier, parti, mediatore, max(accordo_il, aperto_il))
            dossier.refresh_from_db()
            fase_del_passo = _FASE_DEL_PASSO[min(n, len(_FASE_DEL_PASSO) - 1)]
            limite = Fase.VERIFICA if fase_finale == Fase.CHIUSO else fase_finale
            if fasi.index(dossier.fase) < fasi.index(fase_del_passo) <= fasi.index(limite):
                dossier = services.cambia_fase(dossier, fase_del_passo, da=mediatore)
            individuale = tipo_attivita in ("colloquio_individuale", "telefonata")
            coinvolte = [parti[min(n, len(parti) - 1)]] if individuale else parti
            services.registra_attivita(
                dossier,
                da=mediatore,
                tipo=tipo_attivita,
                data=giorno,
                durata_minuti=None if tipo_attivita == "lettera" else 30 + 15 * (n % 4),
                partecipanti=coinvolte,
                note=NOTE_RISERVATE if individuale and n % 2 == 0 else "Incontro svolto con calma.",
                non_condividere=individuale and n % 2 == 0,
            )
        fase_voluta = fase_finale if fase_finale != Fase.CHIUSO else None
        if fase_voluta in (Fase.ACCORDO,):
            _accordo(dossier, parti, mediatore, giorno, verifica_tra=10 if i % 2 else -5)
        if fase_voluta and fase_voluta != Fase.ACCOGLIENZA:
            dossier.refresh_from_db()
            if dossier.fase != fase_voluta:
                services.cambia_fase(dossier, fase_voluta, da=mediatore)
        if fase_finale == Fase.CHIUSO:
            services.chiudi(
                dossier,
                esito=esiti[i % len(esiti)],
                chiuso_il=min(giorno + timedelta(days=2), oggi),
                da=mediatore,
            )
    if stdout:
        stdout.write(f"  mediazione: {len(casi)} dossier assegnati a «mediatore»")


def _accordo(dossier, parti, da, il: date, verifica_tra: int = 30) -> None:
    oggi = timezone.localdate()
    form = AccordoForm(
        data={
            "testo": "Le parti concordano orari di silenzio e un incontro di verifica.",
            "data": il.isoformat(),
            "parti_aderenti": [p.pk for p in parti],
            "data_verifica": max(
                il, min(il + timedelta(days=verifica_tra), oggi + timedelta(days=60))
            ).isoformat(),
        },
        dossier=dossier,
        instance=services.accordo_di(dossier) or Accordo(dossier=dossier),
    )
    if not form.is_valid():  # pragma: no cover - demo data is fixed
        raise RuntimeError(form.errors.as_text())
    services.salva_accordo(form, dossier, da=da)
