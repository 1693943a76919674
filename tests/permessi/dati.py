"""The world the permission matrix walks: the cast of users and one record of every kind in
San Siro (the ``operatore``'s quartiere, outside ``operatore_altro``'s), plus the few
records some URLs need (another person to merge with, a public tracking code, a receipt,
an attachment, a TOTP device...).

Built once per module inside a transaction the matrix rolls back, so the data never leaks
into other tests' database.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests import factories as core

RUOLI = (
    "anonimo",
    "operatore",
    "operatore_altro",
    "mediatore",
    "coordinatore",
    "dirigente",
    "amministratore",
)


@dataclass
class Mondo:
    utenti: dict
    quartieri: dict
    oggetti: dict = field(default_factory=dict)

    def __getattr__(self, nome):
        try:
            return self.__dict__["oggetti"][nome]
        except KeyError as exc:
            raise AttributeError(nome) from exc


def jpeg() -> bytes:
    uscita = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(uscita, format="JPEG")
    return uscita.getvalue()


def costruisci() -> Mondo:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mediazione import services as servizi_mediazione
    from mediazione.models import Parte
    from patti.models import Misurazione
    from segnalazioni import services as servizi_segnalazioni
    from segnalazioni.models import InvioEmail
    from tests.calendario.factories import AttivitaDiarioFactory, PrenotazioneFactory, SalaFactory
    from tests.laboratori.factories import (
        IncontroFactory,
        LaboratorioFactory,
        PresenzaFactory,
        PropostaFactory,
    )
    from tests.mediazione.factories import DossierFactory
    from tests.patti.factories import (
        FirmatarioOrganizzazioneFactory,
        ImpegnoFactory,
        IndicatoreFactory,
        PattoFirmatoFactory,
        ProgettoFactory,
    )
    from tests.segnalazioni.factories import CategoriaFactory, SegnalazioneFactory, UfficioFactory

    q = {
        c: core.QuartiereFactory(codice=c, nome=n)
        for c, n in (
            ("san-siro", "San Siro"),
            ("lorenteggio", "Lorenteggio"),
            ("gratosoglio", "Gratosoglio"),
            ("ponte-lambro", "Ponte Lambro"),
        )
    }
    utenti = {
        "anonimo": None,
        "operatore": core.utente("operatore", "operatore.sansiro", q["san-siro"], q["lorenteggio"]),
        "operatore_altro": core.utente(
            "operatore", "operatore.gratosoglio", q["gratosoglio"], q["ponte-lambro"]
        ),
        "mediatore": core.utente("mediatore", "mediatore"),
        "coordinatore": core.utente("coordinatore", "coordinatore", is_staff=True),
        "dirigente": core.utente("dirigente", "dirigente"),
        "amministratore": core.utente("amministratore", "admin", is_staff=True, is_superuser=True),
    }
    m = Mondo(utenti=utenti, quartieri=q)
    o = m.oggetti
    ss = q["san-siro"]
    operatore = utenti["operatore"]

    o["persona"] = core.PersonaFactory(nome="Ada", cognome="Sansirese", quartiere=ss)
    o["persona_due"] = core.PersonaFactory(nome="Ada", cognome="Sansiresi", quartiere=ss)
    o["organizzazione"] = core.OrganizzazioneFactory(quartiere=ss)
    o["persona_gratosoglio"] = core.PersonaFactory(quartiere=q["gratosoglio"])

    o["sala"] = SalaFactory(quartiere=ss)
    o["prenotazione"] = PrenotazioneFactory(sede=o["sala"])
    o["diario"] = AttivitaDiarioFactory(quartiere=ss, operatore=operatore)

    o["categoria"] = CategoriaFactory(
        codice="illuminazione", nome="Illuminazione", ufficio=UfficioFactory(nome="Luce")
    )
    o["segnalazione"] = SegnalazioneFactory(
        quartiere=ss,
        categoria=o["categoria"],
        email_segnalante="cittadina@example.org",
        persona=o["persona"],
    )
    # A report in the public feed (Open311), carrying the same personal data: the feed must
    # show none of it.
    o["segnalazione_pubblica"] = SegnalazioneFactory(
        quartiere=ss,
        categoria=o["categoria"],
        email_segnalante="cittadina@example.org",
        persona=o["persona"],
        indirizzo="Via Abbiati 4",
        pubblicabile=True,
        stato="presa_in_carico",
    )
    s = o["segnalazione"]
    servizi_segnalazioni.aggiungi_allegati(
        s, [SimpleUploadedFile("foto.jpg", jpeg(), content_type="image/jpeg")], da=operatore
    )
    o["allegato"] = s.allegati.get()
    o["invio"] = InvioEmail.objects.create(
        segnalazione=s,
        motivo=InvioEmail.Motivo.RICEVUTA,
        destinatario="cittadina@example.org",
        oggetto="Ricevuta",
        corpo="Grazie.",
    )
    o["ricevuta"] = servizi_segnalazioni.emetti_ricevuta(s, da=operatore)

    o["dossier"] = DossierFactory(
        creato_da=utenti["mediatore"],
        quartiere=ss,
        descrizione="Segreto di mediazione: liti sul pianerottolo.",
        segnalazione=None,
        aperto_il=timezone.localdate() - datetime.timedelta(days=40),
    )
    o["parte"] = servizi_mediazione.aggiungi_parte(
        o["dossier"],
        da=utenti["mediatore"],
        persona=o["persona"],
        ruolo=Parte.Ruolo.RICHIEDENTE,
    )

    o["laboratorio"] = LaboratorioFactory(quartiere=ss)
    o["laboratorio"].facilitatori.add(operatore)
    o["incontro"] = IncontroFactory(laboratorio=o["laboratorio"])
    o["presenza"] = PresenzaFactory(incontro=o["incontro"], persona=o["persona"])
    o["proposta"] = PropostaFactory(laboratorio=o["laboratorio"])

    o["patto"] = PattoFirmatoFactory(quartiere=ss)
    o["firmatario"] = FirmatarioOrganizzazioneFactory(
        patto=o["patto"], organizzazione=o["organizzazione"]
    )
    o["impegno"] = ImpegnoFactory(firmatario=o["firmatario"])
    o["progetto"] = ProgettoFactory(patto=o["patto"], budget=Decimal("500.00"))
    o["indicatore"] = IndicatoreFactory(patto=o["patto"])
    o["misurazione"] = Misurazione.objects.create(
        indicatore=o["indicatore"], data=timezone.localdate(), valore=Decimal("3")
    )
    o["totp"] = TOTPDevice.objects.create(user=utenti["coordinatore"], name="telefono")

    from abitare import services as servizi_abitare
    from abitare.models import (
        AccessoRiservato,
        AzioneComunicazione,
        Contatto,
        GruppoAutogestione,
        Misura,
        Percorso,
        Regolamento,
    )
    from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory

    o["immobile"] = ImmobileFactory(quartiere=ss)
    o["alloggio"] = AlloggioFactory(immobile=o["immobile"])
    o["nucleo"] = NucleoFactory(quartiere=ss)
    o["assegnazione"] = servizi_abitare.pre_assegna(
        AlloggioFactory(immobile=o["immobile"]), o["nucleo"], il=timezone.localdate()
    )
    o["immobile_gratosoglio"] = ImmobileFactory(quartiere=q["gratosoglio"])
    o["nucleo_gratosoglio"] = NucleoFactory(quartiere=q["gratosoglio"])
    # The operatore follows the household: they (and the coordinators) read its notes.
    percorso = Percorso.objects.create(nucleo=o["nucleo"], avviato_il=timezone.localdate())
    percorso.operatori.add(operatore)
    o["misura"] = Misura.objects.create(
        nucleo=o["nucleo"],
        servizio=Misura.Servizio.SERVIZI_SOCIALI,
        descrizione="Colloquio con l'assistente sociale",
        concordata_il=timezone.localdate(),
        verifica_il=timezone.localdate(),
    )
    o["contatto"] = Contatto.objects.create(
        nucleo=o["nucleo"], tipo="visita", il=timezone.localdate(), operatore=operatore
    )
    o["nucleo_non_seguito"] = NucleoFactory(quartiere=ss)
    o["regolamento"] = Regolamento.objects.create(
        immobile=o["immobile"], numero=1, testo="Regole", in_vigore_dal=timezone.localdate()
    )
    o["azione"] = AzioneComunicazione.objects.create(
        immobile=o["immobile"],
        fase="ingresso",
        destinatari="abitanti",
        canale="volantino",
        titolo="Festa del cortile",
        data=timezone.localdate(),
        pubblica=True,
        materiale=SimpleUploadedFile("volantino.jpg", jpeg(), content_type="image/jpeg"),
    )
    o["gruppo_autogestione"] = GruppoAutogestione.objects.create(
        immobile=o["immobile"], servizio="verde", nome="Gruppo verde"
    )
    o["spostamento"] = servizi_abitare.sposta(
        o["nucleo_non_seguito"],
        da=AlloggioFactory(immobile=o["immobile"]),
        a=AlloggioFactory(immobile=o["immobile"]),
        il=timezone.localdate(),
    )
    servizi_abitare.scrivi_nota(
        o["nucleo"], tipo="fragilita", testo="Nota di prova", utente=operatore
    )
    o["accesso_riservato"] = AccessoRiservato.objects.get(nucleo=o["nucleo"])
    return m


def completa_per_admin(m: Mondo) -> None:
    """The extra records the admin rows point at (out-of-scope twins, config objects)."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from mediazione.models import AccessoDossier
    from quartiere.identita.models import AccountCittadino
    from quartiere.identita.services import Identita, accedi
    from quartiere.privacy.models import Informativa, Trattamento
    from quartiere.programmi.models import Affidamento, Intervento, Programma
    from quartiere.pubblico.models import ValutazionePagina
    from quartiere.registro.models import Persona
    from quartiere.relazioni.models import RelazioneStampata
    from quartiere.territorio.models import Indirizzo
    from segnalazioni.models import SchedaServizio
    from tests.mediazione.factories import DossierFactory
    from tests.segnalazioni.factories import SegnalazioneFactory

    o = m.oggetti
    q = m.quartieri
    o["q_san_siro"] = q["san-siro"]
    o["indirizzo"] = Indirizzo.objects.create(
        via="Via Luigi Abbiati", civico="4", lat=45.466, lon=9.144, quartiere=q["san-siro"]
    )
    o["programma"] = Programma.objects.create(
        codice="periferie-latina",
        nome="Mediazione sociale: recupero urbano integrato",
        finanziatore="Presidenza del Consiglio dei Ministri",
        strumento="periferie",
        cup="B29J16002670001",
        inizio=datetime.date(2017, 1, 1),
        fine=datetime.date(2019, 12, 31),
    )
    o["programma"].quartieri.add(q["san-siro"])
    asse = o["programma"].assi.create(codice="A", titolo="Mediazione dei conflitti")
    o["indicatore_programma"] = asse.indicatori.create(
        nome="Dossier di mediazione aperti", unita="dossier", obiettivo=Decimal("40")
    )
    o["affidamento"] = Affidamento.objects.create(
        programma=o["programma"],
        oggetto="Servizio di mediazione sociale",
        fornitore=o["organizzazione"],
        importo=Decimal("361620.00"),
        inizio=datetime.date(2017, 1, 1),
        fine=datetime.date(2019, 12, 31),
    )
    o["intervento"] = Intervento.objects.create(
        programma=o["programma"],
        quartiere=q["san-siro"],
        titolo="Riqualificazione del cortile di via Abbiati",
        luogo="Via Luigi Abbiati 4",
        inizio_previsto=datetime.date(2018, 3, 1),
        fine_prevista=datetime.date(2019, 6, 30),
    )
    o["relazione_stampata"] = RelazioneStampata(
        dal=datetime.date(2025, 1, 1),
        al=datetime.date(2025, 12, 31),
        confronto="anno_precedente",
        confronto_dal=datetime.date(2024, 1, 1),
        confronto_al=datetime.date(2024, 12, 31),
        commenti={"sintesi": "Un anno di lavoro."},
        pagine=1,
        creata_da=m.utenti["dirigente"],
        creata_il=timezone.now(),
    )
    o["relazione_stampata"].documento.save(
        "relazione.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False
    )
    o["relazione_stampata"].save()
    o["relazione_stampata"].quartieri.add(q["san-siro"])
    o["profilo"] = m.utenti["operatore"].profilo
    o["ufficio"] = o["categoria"].ufficio
    o["scheda_servizio"] = SchedaServizio.objects.create(titolo="Segnalazione disservizio")
    o["valutazione_pagina"] = ValutazionePagina.objects.create(
        pagina="/segnalazioni/", voto=5, risposta="chiare", dettagli="Molto chiara."
    )
    o["account_cittadino"] = AccountCittadino.objects.get(
        utente=accedi(
            Identita(
                codice_fiscale="TINIT-RSSMRA80A01F205X",
                nome="Mario",
                cognome="Rossi",
                email="mario.rossi@example.org",
                metodo="spid",
                fornitore="https://idp.example.org/",
            )
        )
    )
    o["gruppo"] = Group.objects.get(name="operatore")
    o["utente_operatore"] = m.utenti["operatore"]
    o["segnalazione_gratosoglio"] = SegnalazioneFactory(
        quartiere=q["gratosoglio"], categoria=o["categoria"]
    )
    altro_mediatore = core.utente("mediatore", "mediatore.due")
    o["dossier_altro"] = DossierFactory(
        creato_da=altro_mediatore,
        quartiere=q["gratosoglio"],
        descrizione="Segreto di mediazione: un altro caso.",
    )
    o["accesso_dossier"] = AccessoDossier.objects.filter(dossier=o["dossier"]).first()
    o["ct_persona"] = ContentType.objects.get_for_model(Persona).pk
    o["informativa"] = Informativa.objects.create(
        codice="bozza-matrice",
        titolo="Bozza",
        testo="In preparazione.",
        in_vigore_dal=timezone.localdate() + datetime.timedelta(days=60),
    )
    o["informativa_pubblicata"] = Informativa.objects.create(
        codice="2020-01",
        titolo="Informativa",
        testo="Versione storica.",
        in_vigore_dal=datetime.date(2020, 1, 1),
        pubblicata=True,
    )
    o["trattamento"] = Trattamento.objects.create(
        nome="Trattamento della matrice",
        finalita="-",
        base_giuridica="-",
        categorie_interessati="-",
        categorie_dati="-",
        destinatari="-",
        termini_conservazione="-",
        misure_sicurezza="-",
        titolare="-",
        rpd="-",
    )
