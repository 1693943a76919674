"""A hand-computed dataset for the figures, built with the apps' own factories.

Period under test: the year 2025. Parts for an app whose models are missing are left
out, so the core tests keep running while apps land.
"""

from __future__ import annotations

import datetime
import importlib.util
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import OrganizzazioneFactory, PersonaFactory

DAL = datetime.date(2025, 1, 1)
AL = datetime.date(2025, 12, 31)


def _c_e(modulo: str) -> bool:
    try:
        return importlib.util.find_spec(modulo) is not None
    except ModuleNotFoundError:
        return False


def alle(giorno: datetime.date, ore: int = 18):
    return timezone.make_aware(datetime.datetime.combine(giorno, datetime.time(ore)))


def popola_laboratori(quartiere, altro, copie: int = 1):
    """Per copy, in ``quartiere``: one active lab, two meetings held in 2025 (a person at
    both, one with an organisation, one organisation alone), a cancelled meeting and one
    held in 2024; in ``altro`` a lab with one meeting held in 2025."""
    from tests.laboratori.factories import IncontroFactory, LaboratorioFactory, PresenzaFactory

    svolto, annullato = "svolto", "annullato"
    for _ in range(copie):
        p1, p2, p3, p4, p5 = (PersonaFactory(quartiere=quartiere) for _ in range(5))
        o1, o2 = OrganizzazioneFactory(quartiere=quartiere), OrganizzazioneFactory(quartiere=None)
        lab = LaboratorioFactory(quartiere=quartiere, data_inizio=datetime.date(2024, 1, 1))
        i1 = IncontroFactory(laboratorio=lab, inizio=alle(datetime.date(2025, 3, 10)), stato=svolto)
        i2 = IncontroFactory(laboratorio=lab, inizio=alle(datetime.date(2025, 4, 10)), stato=svolto)
        i3 = IncontroFactory(
            laboratorio=lab, inizio=alle(datetime.date(2025, 5, 10)), stato=annullato
        )
        i4 = IncontroFactory(laboratorio=lab, inizio=alle(datetime.date(2024, 6, 1)), stato=svolto)
        PresenzaFactory(incontro=i1, persona=p1)
        PresenzaFactory(incontro=i1, persona=p2)
        PresenzaFactory(incontro=i2, persona=p1, organizzazione=o1)
        PresenzaFactory(incontro=i2, persona=None, organizzazione=o2)
        PresenzaFactory(incontro=i3, persona=p3)
        PresenzaFactory(incontro=i4, persona=p4)
        lab2 = LaboratorioFactory(quartiere=altro, data_inizio=datetime.date(2025, 2, 1))
        i5 = IncontroFactory(laboratorio=lab2, inizio=alle(datetime.date(2025, 9, 1)), stato=svolto)
        PresenzaFactory(incontro=i5, persona=p5)


def popola_patti(quartiere, copie: int = 1):
    """Per copy, in ``quartiere``: a new pact (projects 1000.00 + 500.50), its renewal of a
    2024 pact without projects, the 2024 pact itself and a pact never signed; the same
    organisation signs the three signed pacts."""
    from tests.patti.factories import (
        FirmatarioComuneFactory,
        FirmatarioOrganizzazioneFactory,
        FirmatarioVolontarioFactory,
        PattoFactory,
        PattoFirmatoFactory,
        ProgettoFactory,
    )

    for _ in range(copie):
        org = OrganizzazioneFactory(quartiere=quartiere)
        vecchio = PattoFirmatoFactory(quartiere=quartiere, data_firma=datetime.date(2024, 5, 1))
        FirmatarioComuneFactory(patto=vecchio)
        FirmatarioOrganizzazioneFactory(patto=vecchio, organizzazione=org)
        ProgettoFactory(patto=vecchio, budget=Decimal("9999.00"))
        nuovo = PattoFirmatoFactory(quartiere=quartiere, data_firma=datetime.date(2025, 3, 15))
        FirmatarioComuneFactory(patto=nuovo)
        FirmatarioOrganizzazioneFactory(patto=nuovo, organizzazione=org)
        volontario = FirmatarioVolontarioFactory(
            patto=nuovo, persona=PersonaFactory(quartiere=quartiere)
        )
        ProgettoFactory(patto=nuovo, ambito="cura_citta", budget=Decimal("1000.00"))
        ProgettoFactory(patto=nuovo, ambito="cura_comunita", budget=Decimal("500.50"))
        rinnovo = PattoFirmatoFactory(
            quartiere=quartiere, data_firma=datetime.date(2025, 6, 1), rinnova=vecchio
        )
        FirmatarioComuneFactory(patto=rinnovo)
        FirmatarioOrganizzazioneFactory(patto=rinnovo, organizzazione=org)
        FirmatarioVolontarioFactory(patto=rinnovo, persona=volontario.persona)
        PattoFactory(quartiere=quartiere)


def popola_mediazione(quartiere, copie: int = 1):
    """Per copy: three noise dossiers and one about animals opened in 2025."""
    from tests.mediazione.factories import DossierFactory

    for _ in range(copie):
        for giorno in (
            datetime.date(2025, 2, 1),
            datetime.date(2025, 5, 1),
            datetime.date(2025, 7, 1),
        ):
            DossierFactory(quartiere=quartiere, aperto_il=giorno, tipo_conflitto="rumori")
        DossierFactory(
            quartiere=quartiere, aperto_il=datetime.date(2025, 8, 1), tipo_conflitto="animali"
        )


def popola_segnalazioni(quartiere, copie: int = 1):
    """Per copy: three reports received in 2025 (one by phone, one closed after 10 days,
    two still open past their 30-day deadline) and one received in 2024 and closed late,
    284 days after, in 2025."""
    from tests.segnalazioni.factories import CategoriaFactory, SegnalazioneFactory

    categoria = CategoriaFactory(giorni_risposta=30)
    for _ in range(copie):
        SegnalazioneFactory(
            quartiere=quartiere, categoria=categoria, creata_il=alle(datetime.date(2025, 2, 1), 10)
        )
        SegnalazioneFactory(
            quartiere=quartiere,
            categoria=categoria,
            creata_il=alle(datetime.date(2025, 3, 1), 10),
            stato="chiusa",
            esito="risolta",
            chiusa_il=alle(datetime.date(2025, 3, 11), 10),
        )
        SegnalazioneFactory(
            quartiere=quartiere,
            categoria=categoria,
            creata_il=alle(datetime.date(2025, 4, 1), 10),
            canale="telefono",
        )
        SegnalazioneFactory(
            quartiere=quartiere,
            categoria=categoria,
            creata_il=alle(datetime.date(2024, 4, 1), 10),
            stato="chiusa",
            esito="risolta",
            chiusa_il=alle(datetime.date(2025, 1, 10), 10),
        )


def popola_abitare(quartiere, copie: int = 1):
    """Per copy, in ``quartiere``: a building with four flats; a household of "anziani"
        pre-assigned, assigned and moved in during 2025; one of "studenti" pre-assigned in
        2024 and moved in in January 2025; one of "giovani coppie" pre-assigned in May 2025;
        the fourth flat still in works. Three contacts in 2025 with two households (and one in
        2024), one measure agreed in 2025 (and one in 2024), three confidential notes in March
        2025 (and one in 2024), rules in force since January with one of the two households living
    there adhering; problems forwarded to the gestore: closed after 4 and 10 days,
        one still open, and one forwarded in 2024 and closed 31 days later in 2025."""
    from abitare import services
    from abitare.models import Adesione, Contatto, Misura, NotaRiservata, Problema, Regolamento
    from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory
    from tests.factories import utente
    from tests.segnalazioni.factories import SegnalazioneFactory

    g = datetime.date
    for n in range(copie):
        operatore = utente("operatore", f"abitare.{quartiere.codice}.{n}", quartiere)
        immobile = ImmobileFactory(quartiere=quartiere)
        AlloggioFactory(immobile=immobile, stato="in_ristrutturazione")
        nuclei = {}
        for gruppo, passi in (
            ("anziani", ((g(2025, 2, 1)), g(2025, 2, 10), g(2025, 3, 1))),
            ("studenti", (g(2024, 11, 1), g(2024, 12, 1), g(2025, 1, 15))),
            ("giovani_coppie", (g(2025, 5, 1),)),
        ):
            nucleo = NucleoFactory(quartiere=quartiere, gruppo_target=gruppo)
            a = services.pre_assegna(AlloggioFactory(immobile=immobile), nucleo, il=passi[0])
            for passo, il in zip(("assegna", "ingresso"), passi[1:], strict=False):
                a = services.avanza(a, passo, il=il)
            nuclei[gruppo] = nucleo
        for gruppo, tipo, il in (
            ("anziani", "visita", g(2025, 3, 5)),
            ("anziani", "telefonata", g(2025, 4, 1)),
            ("studenti", "colloquio", g(2025, 2, 1)),
            ("giovani_coppie", "visita", g(2024, 12, 20)),
        ):
            Contatto.objects.create(nucleo=nuclei[gruppo], tipo=tipo, il=il, operatore=operatore)
        for gruppo, il in (("anziani", g(2025, 3, 10)), ("studenti", g(2024, 10, 1))):
            Misura.objects.create(
                nucleo=nuclei[gruppo],
                servizio="servizi_sociali",
                descrizione="Colloquio",
                concordata_il=il,
                verifica_il=il + datetime.timedelta(days=30),
            )
        for tipo, il in (("fragilita", g(2025, 3, 2)),) * 3 + (("morosita", g(2024, 6, 1)),):
            NotaRiservata.objects.create(
                nucleo=nuclei["anziani"],
                tipo=tipo,
                testo="Nota",
                scritta_da=operatore,
                scritta_il=alle(il),
            )
        # Rules in force since January; the "anziani" adhered, the students did not.
        regole = Regolamento.objects.create(
            immobile=immobile, numero=1, testo="Regole", in_vigore_dal=g(2025, 1, 1)
        )
        Adesione.objects.create(regolamento=regole, nucleo=nuclei["anziani"], il=g(2025, 3, 5))
        for creata, chiusa in (
            (g(2025, 3, 2), g(2025, 3, 6)),
            (g(2025, 5, 1), g(2025, 5, 11)),
            (g(2025, 6, 1), None),
            (g(2024, 12, 1), g(2025, 1, 1)),
        ):
            s = SegnalazioneFactory(
                quartiere=quartiere,
                creata_il=alle(creata, 10),
                stato="chiusa" if chiusa else "inoltrata",
                esito="risolta" if chiusa else "",
                chiusa_il=alle(chiusa, 10) if chiusa else None,
            )
            Problema.objects.create(
                segnalazione=s, immobile=immobile, nucleo=nuclei["anziani"], ambito="impianti"
            )


def popola(quartieri, copie: int = 1) -> None:
    """Every app's part of the dataset whose models exist."""
    san_siro, gratosoglio = quartieri["san-siro"], quartieri["gratosoglio"]
    if _c_e("laboratori.models"):
        popola_laboratori(san_siro, gratosoglio, copie)
    if _c_e("patti.models"):
        popola_patti(san_siro, copie)
    if _c_e("mediazione.models"):
        popola_mediazione(san_siro, copie)
    if _c_e("segnalazioni.models"):
        popola_segnalazioni(san_siro, copie)
    if _c_e("abitare.models"):
        # Housing in Lorenteggio, as in the seeds: its problems are reports too, and San
        # Siro's hand-computed reports stay as they are.
        popola_abitare(quartieri["lorenteggio"], copie)


@pytest.fixture
def dati(quartieri):
    popola(quartieri)
    return quartieri
