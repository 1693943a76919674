"""Seed the privacy notice that was a template until now, and one record of processing per
app (issue 9). The notice keeps the version string consents already recorded
(``settings.PRIVACY_NOTICE_VERSION``) and the text the /privacy/ page showed for it, so
existing consents point to a notice the citizen can still read."""

import datetime
import re

from django.conf import settings
from django.db import migrations

TITOLO = "Informativa sul trattamento dei dati personali"
TITOLO_EN = "Privacy notice"

TESTO = """Informativa ai sensi dell'art. 13 del Regolamento (UE) 2016/679 (GDPR) per chi si rivolge ai Laboratori di Quartiere.

## Titolare del trattamento

Il titolare del trattamento è il {comune}, che tratta i dati tramite il servizio Laboratori di Quartiere. Il Responsabile della protezione dei dati (RPD/DPO) si può contattare all'indirizzo indicato nella sezione «Privacy» del sito istituzionale del Comune.

## Per quali finalità trattiamo i dati

- ricevere, istruire e rispondere a segnalazioni, proposte, reclami e richieste di informazioni;
- svolgere la mediazione dei conflitti di vicinato, su base volontaria e riservata;
- organizzare i laboratori di cittadinanza e registrare le presenze agli incontri;
- istruire, sottoscrivere e monitorare i patti di collaborazione per la cura dei beni comuni;
- gestire le prenotazioni delle sale civiche;
- produrre statistiche e relazioni sul servizio, sempre in forma aggregata e anonima.

## Base giuridica

Il trattamento è necessario per l'esecuzione di compiti di interesse pubblico e connessi all'esercizio di pubblici poteri (art. 6, par. 1, lett. e, GDPR), in base allo Statuto comunale e al Regolamento sulla collaborazione tra cittadini e amministrazione per la cura dei beni comuni. Eventuali dati particolari emersi nella mediazione (ad esempio relativi alla salute o all'origine etnica) sono trattati solo se necessari, per motivi di interesse pubblico rilevante (art. 9, par. 2, lett. g, GDPR e art. 2-sexies del Codice privacy). La pubblicazione del nome di una persona nei registri pubblici avviene solo con il suo consenso.

## Quali dati

Nome e cognome, recapiti (e-mail, telefono, indirizzo) se forniti, il contenuto delle segnalazioni e delle eventuali foto allegate (dalle quali eliminiamo i metadati di posizione e del dispositivo), le presenze agli incontri, i ruoli nei patti. Nelle segnalazioni online i recapiti sono facoltativi e servono solo per ricevere risposte.

## Chi vede i dati

Solo il personale del servizio autorizzato, ciascuno per i quartieri e le pratiche di sua competenza; i fascicoli di mediazione solo dai mediatori assegnati e dai coordinatori, e ogni accesso è registrato. I dati possono essere comunicati agli uffici comunali competenti per dare seguito alle segnalazioni. Non sono trasferiti fuori dall'Unione europea.

## Per quanto tempo

I dati sono conservati per il tempo necessario alle finalità e secondo il piano di conservazione dei documenti del Comune: i fascicoli di mediazione chiusi sono anonimizzati dopo cinque anni dalla chiusura, conservando solo i dati statistici.

## I tuoi diritti

Puoi chiedere l'accesso ai tuoi dati, la rettifica, la cancellazione nei limiti di legge, la limitazione del trattamento e opporti al trattamento (artt. 15–22 GDPR), rivolgendoti al Laboratorio di Quartiere o al Responsabile della protezione dei dati. Puoi inoltre proporre reclamo al Garante per la protezione dei dati personali (www.garanteprivacy.it).

## Conferimento dei dati

Il conferimento dei recapiti è facoltativo: senza di essi puoi comunque inviare una segnalazione e seguirla con il codice che ricevi, ma non riceverai risposte per e-mail."""

TESTO_EN = """Notice under art. 13 of Regulation (EU) 2016/679 (GDPR) for those who contact the Neighbourhood Labs.

## Data controller

The data controller is the {comune}, which processes the data through the Neighbourhood Labs service. The Data Protection Officer (DPO) can be contacted at the address given in the “Privacy” section of the Municipality’s website.

## Why we process the data

- to receive, examine and answer reports, proposals, complaints and requests for information;
- to mediate neighbourhood conflicts, on a voluntary and confidential basis;
- to organise citizenship labs and record attendance at meetings;
- to prepare, sign and monitor collaboration pacts for the care of the commons;
- to manage civic hall bookings;
- to produce statistics and reports on the service, always aggregated and anonymous.

## Legal basis

Processing is necessary for the performance of tasks carried out in the public interest and in the exercise of official authority (art. 6(1)(e) GDPR), under the municipal Statute and the Regulation on collaboration between citizens and the administration for the care of the commons. Any special categories of data that emerge in mediation (for example about health or ethnic origin) are processed only when necessary, for reasons of substantial public interest (art. 9(2)(g) GDPR and art. 2-sexies of the Italian Privacy Code). A person’s name is published in public registers only with their consent.

## Which data

Name and surname, contact details (e-mail, phone, address) if given, the content of reports and of any attached photos (from which we remove location and device metadata), attendance at meetings, roles in pacts. In online reports contact details are optional and only serve to receive answers.

## Who sees the data

Only authorised staff of the service, each for their own neighbourhoods and cases; mediation case files only by the assigned mediators and the coordinators, and every access is logged. Data may be passed to the competent municipal offices to follow up reports. It is not transferred outside the European Union.

## For how long

Data is kept as long as needed for its purposes and according to the Municipality’s records retention plan: closed mediation case files are anonymised five years after closure, keeping only statistical data.

## Your rights

You can ask for access to your data, rectification, erasure within the limits of the law, restriction of processing, and object to processing (arts. 15–22 GDPR), by contacting the Neighbourhood Lab or the Data Protection Officer. You can also lodge a complaint with the Italian Data Protection Authority (www.garanteprivacy.it).

## Providing your data

Giving contact details is optional: without them you can still send a report and follow it with the code you receive, but you will not get answers by e-mail."""

TITOLARE = (
    "{comune}, in persona del Sindaco pro tempore, che tratta i dati tramite il servizio "
    "Laboratori di Quartiere. Indirizzo e PEC: quelli della sezione «Privacy» del sito "
    "istituzionale del Comune."
)
RPD = "Il Responsabile della protezione dei dati designato dal Comune (art. 37 GDPR): recapiti nella sezione «Privacy» del sito istituzionale."
RESPONSABILI = "Il fornitore che ospita il servizio (server e database nell'Unione europea), nominato responsabile ai sensi dell'art. 28 GDPR."
MISURE_COMUNI = (
    "Accesso solo al personale autorizzato, con credenziali personali, blocco dopo tentativi "
    "falliti e secondo fattore per i ruoli indicati dal Comune; ogni utente vede solo i "
    "quartieri e le pratiche di sua competenza; connessioni cifrate (HTTPS); storico delle "
    "modifiche di ogni scheda; copie di sicurezza cifrate e verificate."
)
NESSUN_TRASFERIMENTO = "Nessuno: i dati restano nell'Unione europea."
INTERESSE_PUBBLICO = (
    "Esecuzione di un compito di interesse pubblico (art. 6, par. 1, lett. e, GDPR; art. "
    "2-ter del Codice privacy), in base allo Statuto comunale e al Regolamento sulla "
    "collaborazione tra cittadini e amministrazione per la cura dei beni comuni."
)

TRATTAMENTI = [
    {
        "nome": "Segnalazioni, proposte, reclami e richieste di informazioni",
        "finalita": "Ricevere, istruire e rispondere alle segnalazioni dei cittadini (sito, sportello, telefono, e-mail, laboratori, servizio Open311) e inoltrarle agli uffici competenti; statistiche aggregate sul servizio.",
        "base_giuridica": INTERESSE_PUBBLICO,
        "categorie_interessati": "Cittadini e associazioni che segnalano; persone eventualmente citate nel testo.",
        "categorie_dati": "Nome, recapiti facoltativi (e-mail, telefono), luogo segnalato, testo e foto allegate (senza metadati di posizione e del dispositivo), valutazione del servizio.",
        "destinatari": "Personale del servizio per i quartieri di competenza; uffici comunali competenti per dare seguito alla segnalazione.",
        "classe_conservazione": "segnalazioni",
        "termini_conservazione": "Anonimizzate dopo gli anni indicati dalla classe «segnalazioni» dalla chiusura; restano luogo, categoria, stati e date per le statistiche.",
        "misure_sicurezza": MISURE_COMUNI + " Limite di invii per indirizzo IP sul modulo pubblico; chiavi API per Open311.",
    },
    {
        "nome": "Mediazione dei conflitti di vicinato",
        "finalita": "Gestire i fascicoli di mediazione (accesso, colloqui, incontri congiunti, accordi e verifiche) su base volontaria e riservata; statistiche aggregate.",
        "base_giuridica": INTERESSE_PUBBLICO,
        "categorie_interessati": "Le parti del conflitto (richiedente, controparte, altre persone coinvolte).",
        "categorie_dati": "Dati anagrafici e recapiti delle parti, descrizione del conflitto, note dei colloqui, esito e accordi.",
        "categorie_particolari": True,
        "categorie_particolari_dettaglio": "Possono emergere dati relativi alla salute, all'origine etnica o alle convinzioni religiose: trattati solo se necessari, per motivi di interesse pubblico rilevante (art. 9, par. 2, lett. g, GDPR; art. 2-sexies del Codice privacy).",
        "destinatari": "Solo i mediatori assegnati al fascicolo e i coordinatori; il dirigente vede solo dati aggregati. Nessuna comunicazione a terzi senza il consenso delle parti.",
        "classe_conservazione": "mediazione",
        "termini_conservazione": "Fascicoli chiusi anonimizzati dopo gli anni indicati dalla classe «mediazione» dalla chiusura (manage.py mediazione_retention), conservando solo i dati statistici.",
        "misure_sicurezza": MISURE_COMUNI + " Registro di ogni lettura e modifica del fascicolo; accesso limitato ai mediatori assegnati.",
    },
    {
        "nome": "Laboratori di cittadinanza",
        "finalita": "Organizzare i laboratori e gli incontri, registrare presenze, verbali e proposte; statistiche aggregate sulla partecipazione.",
        "base_giuridica": INTERESSE_PUBBLICO,
        "categorie_interessati": "Residenti, rappresentanti di associazioni e altri partecipanti agli incontri.",
        "categorie_dati": "Nome, organizzazione di appartenenza, presenza agli incontri, proposte presentate.",
        "destinatari": "Personale del servizio; i nomi compaiono nelle pagine pubbliche solo con il consenso alla pubblicazione.",
        "classe_conservazione": "persone",
        "termini_conservazione": "Le persone sono anonimizzate dopo gli anni indicati dalla classe «persone» dall'ultima attività; verbali e proposte secondo il piano di conservazione del Comune.",
        "misure_sicurezza": MISURE_COMUNI,
    },
    {
        "nome": "Patti di collaborazione",
        "finalita": "Istruire, approvare, sottoscrivere, monitorare e rinnovare i patti di collaborazione per la cura dei beni comuni; registro pubblico dei patti.",
        "base_giuridica": INTERESSE_PUBBLICO + " Pubblicazione dei firmatari persone fisiche solo con il loro consenso.",
        "categorie_interessati": "Firmatari (volontari, rappresentanti di associazioni e di attività economiche).",
        "categorie_dati": "Nome, ruolo, organizzazione, recapiti, impegni assunti.",
        "destinatari": "Personale del servizio; pubblico (registro dei patti) per i dati dei patti firmati, i nomi delle persone solo con consenso.",
        "classe_conservazione": "persone",
        "termini_conservazione": "Il patto è un atto amministrativo e si conserva secondo il piano di conservazione del Comune; le persone sono anonimizzate dopo gli anni della classe «persone» dall'ultima attività (un patto valido conta come attività).",
        "misure_sicurezza": MISURE_COMUNI,
    },
    {
        "nome": "Anagrafica delle persone e prenotazione delle sale",
        "finalita": "Tenere un'unica scheda per persona e organizzazione che si rivolge al servizio; gestire le richieste e le prenotazioni delle sale civiche.",
        "base_giuridica": INTERESSE_PUBBLICO,
        "categorie_interessati": "Residenti, referenti di associazioni e gruppi che chiedono una sala.",
        "categorie_dati": "Nome, codice fiscale se fornito, recapiti, indirizzo, quartiere, consensi con data e versione dell'informativa; per le sale: ente richiedente, referente e recapiti.",
        "destinatari": "Personale del servizio per i quartieri di competenza; nel calendario pubblico compaiono solo titolo e orario degli eventi pubblici.",
        "classe_conservazione": "prenotazioni",
        "termini_conservazione": "Prenotazioni: dati del referente anonimizzati dopo gli anni della classe «prenotazioni» dalla fine; persone: dopo gli anni della classe «persone» dall'ultima attività.",
        "misure_sicurezza": MISURE_COMUNI + " Limite di invii per indirizzo IP sul modulo pubblico di richiesta.",
    },
    {
        "nome": "Account del personale",
        "finalita": "Autenticare il personale del servizio, assegnarne ruoli e quartieri, registrare accessi e modifiche per la sicurezza e la verifica delle attività.",
        "base_giuridica": "Esecuzione del rapporto di lavoro o di servizio (art. 6, par. 1, lett. b e c, GDPR; art. 88 GDPR) e obblighi di sicurezza (art. 32 GDPR).",
        "categorie_interessati": "Dipendenti e collaboratori del servizio.",
        "categorie_dati": "Nome, nome utente, e-mail, ruolo, quartieri, tentativi di accesso (indirizzo IP, data), dispositivo del secondo fattore, diario delle attività.",
        "destinatari": "Amministratori del sistema; coordinatori e dirigente per il diario delle attività.",
        "termini_conservazione": "Per la durata del rapporto; i registri degli accessi secondo le regole di sicurezza del Comune.",
        "misure_sicurezza": MISURE_COMUNI,
    },
]


def _in_vigore_dal(versione):
    trovato = re.fullmatch(r"(\d{4})-(\d{2})", versione)
    if trovato and 1 <= int(trovato[2]) <= 12:
        return datetime.date(int(trovato[1]), int(trovato[2]), 1)
    return datetime.date.today()


def semina(apps, schema_editor):
    Informativa = apps.get_model("quartiere", "Informativa")
    Trattamento = apps.get_model("quartiere", "Trattamento")
    comune = settings.COMUNE_NOME
    versione = settings.PRIVACY_NOTICE_VERSION
    if not Informativa.objects.filter(codice=versione).exists():
        Informativa.objects.create(
            codice=versione,
            titolo=TITOLO,
            testo=TESTO.format(comune=comune),
            titolo_inglese=TITOLO_EN,
            testo_inglese=TESTO_EN.format(comune=comune),
            in_vigore_dal=_in_vigore_dal(versione),
            pubblicata=True,
        )
    for ordine, dati in enumerate(TRATTAMENTI, start=1):
        Trattamento.objects.get_or_create(
            nome=dati["nome"],
            defaults={
                "ordine": ordine * 10,
                "trasferimenti_extra_ue": NESSUN_TRASFERIMENTO,
                "titolare": TITOLARE.format(comune=comune),
                "rpd": RPD,
                "responsabili": RESPONSABILI,
                **{k: v for k, v in dati.items() if k != "nome"},
            },
        )


class Migration(migrations.Migration):
    dependencies = [("quartiere", "0004_informativa_trattamento")]

    # Going back drops the tables (0004), published notice included; nothing to undo here.
    operations = [migrations.RunPython(semina, migrations.RunPython.noop)]
