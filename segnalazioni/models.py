"""Citizens' reports: categories and offices, the report with its workflow state, the
timeline, attachments, outgoing e-mails, issued receipts and Open311 API keys."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.lib.text import normalizza_ricerca
from quartiere.programmi.models import AttribuibileAProgramma
from quartiere.pubblico.models import RISPOSTE_NEGATIVE, RISPOSTE_POSITIVE, SOGLIA_POSITIVA
from quartiere.registro.models import Persona
from quartiere.territorio.models import Quartiere

# Letters and digits without the look-alikes (0/O, 1/I/L): the code is read aloud at
# the desk and typed from paper receipts.
ALFABETO_CODICE = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LUNGHEZZA_CODICE = 12  # 31**12 ≈ 7.9e17 ≈ 2**59: not guessable, even at many tries a second


def nuovo_codice() -> str:
    grezzo = "".join(secrets.choice(ALFABETO_CODICE) for _ in range(LUNGHEZZA_CODICE))
    return f"{grezzo[:4]}-{grezzo[4:8]}-{grezzo[8:]}"


def normalizza_codice(testo: str) -> str:
    """Accept a code typed with spaces, lower case or without dashes."""
    pulito = "".join(c for c in (testo or "").upper() if c.isalnum())
    if len(pulito) != LUNGHEZZA_CODICE:
        return ""
    return f"{pulito[:4]}-{pulito[4:8]}-{pulito[8:]}"


def percorso_allegato(istanza, nome_file: str) -> str:
    """A random name on disk: the citizen's file name never reaches the file system."""
    estensione = {
        "image/jpeg": "jpg",
        "image/png": "png",
        "image/webp": "webp",
        "application/pdf": "pdf",
    }.get(istanza.tipo_mime, "bin")
    oggi = timezone.now()
    return f"segnalazioni/{oggi:%Y/%m}/{secrets.token_hex(16)}.{estensione}"


# The longest description a report may have, whatever way it comes in.
MAX_DESCRIZIONE = 10_000


class Ufficio(models.Model):
    """An office of the municipality that reports are forwarded to."""

    nome = models.CharField(_("nome"), max_length=160, unique=True)
    email = models.EmailField(_("e-mail"))
    telefono = models.CharField(_("telefono"), max_length=30, blank=True)
    attivo = models.BooleanField(_("attivo"), default=True)

    class Meta:
        verbose_name = _("ufficio competente")
        verbose_name_plural = _("uffici competenti")
        ordering = ["nome"]

    def __str__(self) -> str:
        return self.nome


class Categoria(models.Model):
    codice = models.SlugField(
        _("codice"),
        max_length=40,
        unique=True,
        help_text=_("Identificativo stabile: usato da Open311 (service_code) e negli indicatori."),
    )
    nome = models.CharField(_("nome"), max_length=120, unique=True)
    descrizione = models.TextField(_("descrizione"), blank=True)
    ufficio = models.ForeignKey(
        Ufficio,
        verbose_name=_("ufficio competente"),
        on_delete=models.PROTECT,
        related_name="categorie",
    )
    giorni_risposta = models.PositiveSmallIntegerField(
        _("termine di risposta (giorni)"),
        default=30,
        help_text=_("Trenta giorni è il termine ordinario della L. 241/1990."),
    )
    attiva = models.BooleanField(_("attiva"), default=True)
    mai_pubblica = models.BooleanField(
        _("mai pubblica"),
        default=False,
        db_default=False,
        help_text=_(
            "Le segnalazioni di questa categoria non compaiono mai negli elenchi pubblici "
            "(Open311), anche se segnate come pubblicabili: per esempio i conflitti tra vicini."
        ),
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("categoria")
        verbose_name_plural = _("categorie")
        ordering = ["ordine", "nome"]
        constraints = [
            models.CheckConstraint(
                condition=Q(giorni_risposta__gte=1), name="categoria_termine_positivo"
            ),
        ]

    def __str__(self) -> str:
        return self.nome


class Tipo(models.TextChoices):
    PROBLEMA = "problema", _("segnalazione di un problema")
    PROPOSTA = "proposta", _("proposta")
    RECLAMO = "reclamo", _("reclamo")
    RICHIESTA_INFORMAZIONI = "richiesta_informazioni", _("richiesta di informazioni")
    SUGGERIMENTO = "suggerimento", _("suggerimento")


class Canale(models.TextChoices):
    ONLINE = "online", _("online")
    SPORTELLO = "sportello", _("sportello")
    TELEFONO = "telefono", _("telefono")
    EMAIL = "email", _("e-mail")
    LABORATORIO = "laboratorio", _("laboratorio di quartiere")
    TERRITORIO = "territorio", _("sul territorio")


class Stato(models.TextChoices):
    NUOVA = "nuova", pgettext_lazy("segnalazione", "nuova")
    PRESA_IN_CARICO = "presa_in_carico", _("presa in carico")
    INOLTRATA = "inoltrata", _("inoltrata all'ufficio competente")
    IN_LAVORAZIONE = "in_lavorazione", _("in lavorazione")
    CHIUSA = "chiusa", pgettext_lazy("segnalazione", "chiusa")


class Esito(models.TextChoices):
    RISOLTA = "risolta", pgettext_lazy("segnalazione", "risolta")
    AFFIDATA = "affidata", _("affidata a fornitore o ufficio")
    NON_DI_COMPETENZA = "non_di_competenza", _("non di competenza")
    RESPINTA = "respinta", pgettext_lazy("segnalazione", "respinta")
    DUPLICATA = "duplicata", pgettext_lazy("segnalazione", "duplicata")


STATI_APERTI = [Stato.NUOVA, Stato.PRESA_IN_CARICO, Stato.INOLTRATA, Stato.IN_LAVORAZIONE]


class SegnalazioneQuerySet(models.QuerySet):
    def aperte(self):
        return self.exclude(stato=Stato.CHIUSA)

    def chiuse(self):
        return self.filter(stato=Stato.CHIUSA)

    def scadute(self, oggi=None):
        oggi = oggi or timezone.localdate()
        return self.aperte().filter(scadenza__lt=oggi)

    def del_quartiere(self, quartiere):
        return self.filter(quartiere=quartiere)

    def pubbliche(self):
        """What the public lists (Open311) show: reports staff marked publishable, taken in
        charge, of a category that may be public (segnalazioni/visibilita.py)."""
        return self.filter(pubblicabile=True, categoria__mai_pubblica=False).exclude(
            stato=Stato.NUOVA
        )

    def cerca(self, testo: str):
        """Accent-insensitive Italian full-text search over the normalised text."""
        from django.contrib.postgres.search import SearchQuery

        testo = normalizza_ricerca(testo)
        if not testo:
            return self
        return self.filter(
            ricerca_vettore=SearchQuery(testo, config="italian", search_type="websearch")
        )


class Segnalazione(Versionato, AttribuibileAProgramma):
    Tipo = Tipo
    Canale = Canale
    Stato = Stato
    Esito = Esito

    codice = models.CharField(
        _("codice di verifica"), max_length=14, unique=True, default=nuovo_codice, editable=False
    )
    tipo = models.CharField(_("tipo"), max_length=30, choices=Tipo.choices, default=Tipo.PROBLEMA)
    categoria = models.ForeignKey(
        Categoria,
        verbose_name=_("categoria"),
        on_delete=models.PROTECT,
        related_name="segnalazioni",
    )
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="segnalazioni",
        # segn_q_stato_creata_idx starts with it: a second index only slowed every insert.
        db_index=False,
    )
    oggetto = models.CharField(_("oggetto"), max_length=200)
    # One cap for every way in (the public form, the desk, Open311), shown as a counter.
    descrizione = models.TextField(_("descrizione"), max_length=MAX_DESCRIZIONE)
    indirizzo = models.CharField(_("indirizzo o luogo"), max_length=200, blank=True)
    lat = models.FloatField(_("latitudine"), null=True, blank=True)
    lon = models.FloatField(_("longitudine"), null=True, blank=True)
    pubblicabile = models.BooleanField(
        _("pubblicabile"),
        default=False,
        db_default=False,
        help_text=_(
            "Visibile negli elenchi pubblici (Open311) una volta presa in carico, con la via "
            "senza numero civico e il punto approssimato a circa 50 metri. Il segnalante la "
            "segue sempre con il suo codice."
        ),
    )
    canale = models.CharField(
        _("canale"), max_length=20, choices=Canale.choices, default=Canale.ONLINE
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.NUOVA, editable=False
    )
    esito = models.CharField(
        _("esito"), max_length=20, choices=Esito.choices, blank=True, editable=False
    )
    assegnata_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assegnata a"),
        on_delete=models.SET_NULL,
        related_name="segnalazioni_assegnate",
        null=True,
        blank=True,
        editable=False,
    )
    duplicato_di = models.ForeignKey(
        "self",
        verbose_name=_("duplicato di"),
        on_delete=models.SET_NULL,
        related_name="duplicati",
        null=True,
        blank=True,
        editable=False,
    )
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("persona"),
        on_delete=models.SET_NULL,
        related_name="segnalazioni",
        null=True,
        blank=True,
    )
    proposta = models.ForeignKey(
        "laboratori.Proposta",
        verbose_name=_("proposta di origine"),
        on_delete=models.SET_NULL,
        related_name="segnalazioni",
        null=True,
        blank=True,
        help_text=_("La proposta del laboratorio diventata questa segnalazione."),
    )
    # Contact data given on the public form by someone who is not (yet) in the registry.
    nome_segnalante = models.CharField(_("nome e cognome"), max_length=160, blank=True)
    email_segnalante = models.EmailField(_("e-mail"), blank=True)
    telefono_segnalante = models.CharField(_("telefono"), max_length=30, blank=True)
    consenso_privacy = models.BooleanField(_("consenso al trattamento dei dati"), default=False)
    consenso_il = models.DateTimeField(_("consenso dato il"), null=True, blank=True)
    informativa_versione = models.CharField(
        _("versione dell'informativa"), max_length=20, blank=True
    )
    chiave_api = models.ForeignKey(
        "ChiaveAPI",
        verbose_name=_("chiave Open311"),
        on_delete=models.SET_NULL,
        related_name="segnalazioni",
        null=True,
        blank=True,
        editable=False,
    )
    creata_il = models.DateTimeField(_("ricevuta il"), default=timezone.now, editable=False)
    modificata_il = models.DateTimeField(_("modificata il"), auto_now=True)
    scadenza = models.DateField(_("termine di risposta"), editable=False)
    chiusa_il = models.DateTimeField(_("chiusa il"), null=True, blank=True, editable=False)
    valutazione = models.PositiveSmallIntegerField(
        _("valutazione del cittadino"), null=True, blank=True, editable=False
    )
    valutazione_motivo = models.CharField(
        _("motivo della valutazione"), max_length=500, blank=True, editable=False
    )
    # The follow-up answer of the Modello Comuni's rating (quartiere/pubblico/models.py).
    valutazione_risposta = models.CharField(
        _("risposta della valutazione"),
        max_length=20,
        choices=RISPOSTE_POSITIVE + RISPOSTE_NEGATIVE,
        blank=True,
        editable=False,
    )
    valutata_il = models.DateTimeField(_("valutata il"), null=True, blank=True, editable=False)
    ricerca = models.TextField(editable=False, default="")
    ricerca_vettore = models.GeneratedField(
        expression=SearchVector("ricerca", config="italian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = SegnalazioneQuerySet.as_manager()
    # The history is read by report (id) and date only; simple-history would index every
    # foreign key and the code (twice) of the copy, nine indexes each insert had to update
    # for nothing (docs/performance.md, 4.7).
    history = HistoricalRecords(
        excluded_fields=["ricerca", "ricerca_vettore"],
        no_db_index=[
            "assegnata_a",
            "categoria",
            "chiave_api",
            "codice",
            "duplicato_di",
            "persona",
            "proposta",
            "quartiere",
        ],
    )

    class Meta:
        verbose_name = _("segnalazione")
        verbose_name_plural = _("segnalazioni")
        ordering = ["-creata_il", "-pk"]
        permissions = [
            ("export_segnalazione", _("Può esportare le segnalazioni")),
            ("override_segnalazione", _("Può forzare lo stato di una segnalazione")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=Tipo.values), name="segnalazione_tipo_valido"
            ),
            models.CheckConstraint(
                condition=Q(canale__in=Canale.values), name="segnalazione_canale_valido"
            ),
            models.CheckConstraint(
                condition=Q(stato__in=Stato.values), name="segnalazione_stato_valido"
            ),
            models.CheckConstraint(
                condition=(
                    Q(stato="chiusa") & Q(esito__in=Esito.values) & Q(chiusa_il__isnull=False)
                )
                | (~Q(stato="chiusa") & Q(esito="")),
                name="segnalazione_esito_solo_se_chiusa",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="segnalazione_punto_valido",
            ),
            models.CheckConstraint(
                condition=~Q(indirizzo="") | Q(lat__isnull=False),
                name="segnalazione_luogo_presente",
            ),
            models.CheckConstraint(
                condition=Q(valutazione__isnull=True) | Q(valutazione__gte=1, valutazione__lte=5),
                name="segnalazione_valutazione_1_5",
            ),
            # A positive answer goes with 4-5 stars, a negative one with 1-3, none without.
            models.CheckConstraint(
                condition=Q(valutazione_risposta="")
                | Q(
                    valutazione__gte=SOGLIA_POSITIVA,
                    valutazione_risposta__in=[c for c, _e in RISPOSTE_POSITIVE],
                )
                | Q(
                    valutazione__lt=SOGLIA_POSITIVA,
                    valutazione_risposta__in=[c for c, _e in RISPOSTE_NEGATIVE],
                ),
                name="segnalazione_valutazione_risposta_coerente",
            ),
            models.CheckConstraint(
                condition=~Q(duplicato_di=F("pk")), name="segnalazione_non_duplicato_di_se"
            ),
        ]
        indexes = [
            # The worklist's first page (quartiere + status, newest first) straight from the
            # index; open reports by category for the duplicate search (docs/performance.md).
            models.Index(
                "quartiere", "stato", models.F("creata_il").desc(), name="segn_q_stato_creata_idx"
            ),
            # The duplicate search reads open reports of a category within ~100 m (a range
            # on the latitude, then the longitude) or at the same address: both from these
            # two indexes, not from every open report of the category in the city.
            models.Index(
                "categoria",
                "lat",
                "lon",
                condition=~models.Q(stato="chiusa"),
                name="segn_aperte_cat_punto_idx",
            ),
            models.Index(
                "categoria",
                Upper("indirizzo"),
                condition=~models.Q(stato="chiusa"),
                name="segn_aperte_cat_indir_idx",
            ),
            models.Index(fields=["stato", "scadenza"], name="segn_stato_scadenza_idx"),
            models.Index(fields=["creata_il"], name="segn_creata_idx"),
            GinIndex(fields=["ricerca_vettore"], name="segn_ricerca_gin"),
            # The same words among the open reports only (a few in a hundred): the worklist's
            # search of an open status and the detail page's "similar words" read this one,
            # not the posting lists of every report the city ever had.
            GinIndex(
                fields=["ricerca_vettore"],
                condition=~models.Q(stato="chiusa"),
                name="segn_ricerca_aperte_gin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.codice} · {self.oggetto}"

    def completa(self) -> None:
        """The fields derived from the others: the search text and, on a new report, the
        response deadline from its category. ``save()`` calls it."""
        self.ricerca = normalizza_ricerca(
            " ".join([self.oggetto, self.descrizione, self.indirizzo, self.codice])
        )
        if not self.scadenza:
            giorni = self.categoria.giorni_risposta if self.categoria_id else 30
            self.scadenza = (timezone.localtime(self.creata_il) + timedelta(days=giorni)).date()

    def save(self, *args, **kwargs):
        self.completa()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ricerca", "modificata_il"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("segnalazioni:dettaglio", args=[self.pk])

    def giorno_e_quartiere(self):
        return (
            timezone.localtime(self.creata_il).date() if self.creata_il else None,
            self.quartiere_id,
        )

    def get_tracking_url(self) -> str:
        return reverse("segnalazioni:segui", args=[self.codice])

    @property
    def aperta(self) -> bool:
        return self.stato != Stato.CHIUSA

    @property
    def scaduta(self) -> bool:
        return self.aperta and self.scadenza < timezone.localdate()

    @property
    def ha_punto(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def email_contatto(self) -> str:
        if self.email_segnalante:
            return self.email_segnalante
        if self.persona_id and self.persona.email:
            return self.persona.email
        return ""


class Evento(models.Model):
    """One dated entry of a report's timeline."""

    class Tipo(models.TextChoices):
        CREAZIONE = "creazione", _("ricevuta")
        CAMBIO_STATO = "cambio_stato", _("cambio di stato")
        ASSEGNAZIONE = "assegnazione", _("assegnazione")
        INOLTRO = "inoltro", _("inoltro all'ufficio competente")
        NOTA_INTERNA = "nota_interna", _("nota interna")
        RISPOSTA_PUBBLICA = "risposta_pubblica", _("risposta al cittadino")
        DUPLICATO = "duplicato", _("segnata come duplicato")
        MODIFICA = "modifica", _("modifica dei dati")
        VALUTAZIONE = "valutazione", _("valutazione del cittadino")

    TIPI_PUBBLICI = {Tipo.CREAZIONE, Tipo.CAMBIO_STATO, Tipo.RISPOSTA_PUBBLICA}

    segnalazione = models.ForeignKey(
        Segnalazione,
        verbose_name=_("segnalazione"),
        on_delete=models.CASCADE,
        related_name="eventi",
        db_index=False,  # segn_evento_idx starts with it
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    creato_il = models.DateTimeField(_("data"), default=timezone.now)
    autore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    stato_da = models.CharField(_("stato precedente"), max_length=20, blank=True)
    stato_a = models.CharField(_("nuovo stato"), max_length=20, blank=True)
    esito = models.CharField(_("esito"), max_length=20, blank=True)
    forzato = models.BooleanField(_("forzato dal coordinamento"), default=False)
    testo = models.TextField(_("testo"), blank=True)

    class Meta:
        verbose_name = _("evento della segnalazione")
        verbose_name_plural = _("eventi della segnalazione")
        ordering = ["creato_il", "pk"]
        indexes = [models.Index(fields=["segnalazione", "creato_il"], name="segn_evento_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    tipo__in=[
                        "creazione",
                        "cambio_stato",
                        "assegnazione",
                        "inoltro",
                        "nota_interna",
                        "risposta_pubblica",
                        "duplicato",
                        "modifica",
                        "valutazione",
                    ]
                ),
                name="segn_evento_tipo_valido",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} · {self.creato_il:%d/%m/%Y %H:%M}"

    @property
    def pubblico(self) -> bool:
        return self.tipo in self.TIPI_PUBBLICI

    def get_stato_a_display(self) -> str:
        return Stato(self.stato_a).label if self.stato_a in Stato.values else self.stato_a

    def get_esito_display(self) -> str:
        return Esito(self.esito).label if self.esito in Esito.values else self.esito


class Allegato(models.Model):
    TIPI_AMMESSI = ("image/jpeg", "image/png", "image/webp", "application/pdf")
    DIMENSIONE_MASSIMA = 5 * 1024 * 1024

    segnalazione = models.ForeignKey(
        Segnalazione,
        verbose_name=_("segnalazione"),
        on_delete=models.CASCADE,
        related_name="allegati",
    )
    file = models.FileField(_("file"), upload_to=percorso_allegato, max_length=200)
    nome_originale = models.CharField(_("nome del file"), max_length=200)
    tipo_mime = models.CharField(_("tipo"), max_length=40)
    dimensione = models.PositiveIntegerField(_("dimensione (byte)"))
    caricato_il = models.DateTimeField(_("caricato il"), default=timezone.now)
    caricato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caricato da"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")
        ordering = ["caricato_il", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    tipo_mime__in=["image/jpeg", "image/png", "image/webp", "application/pdf"]
                ),
                name="segn_allegato_tipo_ammesso",
            ),
            models.CheckConstraint(
                condition=Q(dimensione__lte=5 * 1024 * 1024), name="segn_allegato_max_5mb"
            ),
        ]

    def __str__(self) -> str:
        return self.nome_originale

    def get_absolute_url(self) -> str:
        return reverse("segnalazioni:allegato", args=[self.segnalazione_id, self.pk])

    @property
    def immagine(self) -> bool:
        return self.tipo_mime.startswith("image/")


class InvioEmail(models.Model):
    """An outgoing e-mail, kept until it is delivered so that a failure is visible and
    retried instead of lost."""

    class Stato(models.TextChoices):
        IN_CODA = "in_coda", _("in coda")
        INVIATA = "inviata", _("inviata")
        RIPROVA = "riprova", _("non riuscita, nuovo tentativo previsto")
        FALLITA = "fallita", _("non riuscita")

    class Motivo(models.TextChoices):
        RICEVUTA = "ricevuta", _("ricevuta al cittadino")
        INOLTRO = "inoltro", _("inoltro all'ufficio")
        RISPOSTA = "risposta", _("risposta al cittadino")

    segnalazione = models.ForeignKey(
        Segnalazione,
        verbose_name=_("segnalazione"),
        on_delete=models.CASCADE,
        related_name="email",
    )
    motivo = models.CharField(_("motivo"), max_length=20, choices=Motivo.choices)
    destinatario = models.EmailField(_("destinatario"))
    oggetto = models.CharField(_("oggetto"), max_length=250)
    corpo = models.TextField(_("testo"))
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.IN_CODA
    )
    tentativi = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    ultimo_errore = models.TextField(_("ultimo errore"), blank=True)
    creata_il = models.DateTimeField(_("creata il"), default=timezone.now)
    prossimo_tentativo = models.DateTimeField(_("prossimo tentativo"), null=True, blank=True)
    inviata_il = models.DateTimeField(_("inviata il"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mail")
        ordering = ["creata_il", "pk"]

    def __str__(self) -> str:
        return f"{self.destinatario}: {self.oggetto}"


class Ricevuta(models.Model):
    """A receipt as issued: what it prints is copied here when it is issued."""

    segnalazione = models.ForeignKey(
        Segnalazione,
        verbose_name=_("segnalazione"),
        on_delete=models.CASCADE,
        related_name="ricevute",
    )
    dati = models.JSONField(_("contenuto"))
    emessa_il = models.DateTimeField(_("emessa il"), default=timezone.now)
    emessa_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("emessa da"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
    )

    class Meta:
        verbose_name = _("ricevuta")
        verbose_name_plural = _("ricevute")
        ordering = ["-emessa_il", "-pk"]

    def __str__(self) -> str:
        return f"{self.dati.get('codice', '')} · {self.emessa_il:%d/%m/%Y}"


def impronta_chiave(chiave: str) -> str:
    return hashlib.sha256(chiave.encode()).hexdigest()


class ChiaveAPIQuerySet(models.QuerySet):
    def valida(self, chiave: str):
        """The active key matching ``chiave``, or ``None``."""
        if not chiave:
            return None
        return self.filter(impronta=impronta_chiave(chiave), attiva=True).first()


class ChiaveAPI(models.Model):
    """An Open311 API key. Only its SHA-256 is stored; the key is shown once on issue."""

    nome = models.CharField(_("a chi è rilasciata"), max_length=160)
    impronta = models.CharField(_("impronta"), max_length=64, unique=True, editable=False)
    prefisso = models.CharField(_("inizio della chiave"), max_length=8, editable=False)
    attiva = models.BooleanField(_("attiva"), default=True, editable=False)
    creata_il = models.DateTimeField(_("rilasciata il"), default=timezone.now, editable=False)
    creata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rilasciata da"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    revocata_il = models.DateTimeField(_("revocata il"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = ChiaveAPIQuerySet.as_manager()

    class Meta:
        verbose_name = _("chiave API Open311")
        verbose_name_plural = _("chiavi API Open311")
        ordering = ["-creata_il"]

    def __str__(self) -> str:
        return f"{self.nome} ({self.prefisso}…)"

    def imposta_chiave(self, chiave: str) -> None:
        self.impronta = impronta_chiave(chiave)
        self.prefisso = chiave[:6]


def _testo(etichetta, predefinito: str):
    return models.TextField(etichetta, blank=True, default=predefinito)


class SchedaServizio(models.Model):
    """The service card of "Segnalazione disservizio" (Designers Italia, Modello Comuni:
    the sections the validator checks, C.SI.1.3, in their order). One row, written by the
    coordinators in the admin; until they write it the defaults below are shown. The
    deadlines per category come from the categories themselves, not from this text."""

    unica = models.BooleanField(default=True, unique=True, editable=False)
    titolo = models.CharField(_("titolo"), max_length=120, default="Segnalazione disservizio")
    attivo = models.BooleanField(
        _("servizio attivo"),
        default=True,
        help_text=_("Se spento, la scheda dice che il servizio non è attivo e il modulo è chiuso."),
    )
    descrizione = models.TextField(
        _("descrizione breve"),
        max_length=300,
        default=(
            "Segnala al Comune un problema del quartiere: un guasto, un rifiuto abbandonato, "
            "un pericolo, un servizio che non funziona. Ricevi un codice per seguirla."
        ),
    )
    a_chi_e_rivolto = _testo(
        _("A chi è rivolto"),
        "A chiunque viva, lavori o passi nel quartiere: residenti, associazioni, "
        "commercianti, visitatori. Non serve essere residenti né avere un account.",
    )
    come_fare = _testo(
        _("Come fare"),
        "Compila il modulo in tre passi: leggi l'informativa, descrivi il problema e indica "
        "il luogo sulla mappa o con l'indirizzo, controlla il riepilogo e invia. Puoi anche "
        "telefonare o venire allo sportello del Laboratorio di Quartiere: un operatore "
        "registra la segnalazione per te.",
    )
    cosa_serve = _testo(
        _("Cosa serve"),
        "Il luogo del problema (indirizzo o punto sulla mappa), una breve descrizione e, se "
        "vuoi, fino a tre fotografie. Se lasci un indirizzo e-mail ricevi la ricevuta e gli "
        "aggiornamenti.",
    )
    cosa_si_ottiene = _testo(
        _("Cosa si ottiene"),
        "Un codice di 12 caratteri con cui seguire la segnalazione, la ricevuta in PDF e la "
        "risposta dell'ufficio competente quando la segnalazione è chiusa.",
    )
    tempi_e_scadenze = _testo(
        _("Tempi e scadenze"),
        "La segnalazione è presa in carico dal Laboratorio di Quartiere entro pochi giorni "
        "lavorativi. L'ufficio competente risponde entro il termine della categoria "
        "(L. 241/1990), indicato qui sotto.",
    )
    accedi_canale_fisico = _testo(
        _("Accedi al servizio: canale fisico"),
        "Allo sportello di ascolto del Laboratorio di Quartiere, negli orari di apertura "
        "indicati nella pagina del quartiere.",
    )
    condizioni_di_servizio = _testo(
        _("Condizioni di servizio"),
        "Le segnalazioni sono trattate secondo l'informativa sulla privacy (art. 13 GDPR). "
        "Non inserire dati di altre persone né dati sanitari. Le segnalazioni offensive o "
        "che non riguardano il Comune sono archiviate.",
    )
    contatti = _testo(
        _("Contatti"),
        "Laboratori di Quartiere del Comune: indirizzi, orari e recapiti nella pagina di "
        "ciascun quartiere.",
    )
    ufficio_responsabile = models.CharField(
        _("unità organizzativa responsabile"),
        max_length=160,
        default="Laboratori di Quartiere",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scheda del servizio di segnalazione")
        verbose_name_plural = _("scheda del servizio di segnalazione")
        constraints = [models.CheckConstraint(condition=Q(unica=True), name="scheda_unica")]

    def __str__(self) -> str:
        return self.titolo

    @classmethod
    def corrente(cls) -> SchedaServizio:
        """The card as the coordinators wrote it, or the defaults while they have not."""
        return cls.objects.first() or cls()

    @classmethod
    def servizio_attivo(cls) -> bool:
        """Whether the online form is open: asked by every public report, so kept by the
        process like the other reference data (quartiere/lib/memo.py); switching the service
        off reaches every server within ``QUARTIERE_SCELTE_MEMO_SECONDI``."""
        from quartiere.lib import memo

        def leggi() -> bool:
            attivo = cls.objects.values_list("attivo", flat=True).first()
            return True if attivo is None else attivo

        return memo.memorizzato(("scheda_servizio", "attivo"), leggi)


class BozzaSegnalazione(models.Model):
    """A report a logged-in citizen saved before sending (the Modello Comuni's "salva e
    riprendi"): what the steps held, as typed, without attachments. One per account; gone
    when the report is sent, when the citizen deletes it, and after
    ``SEGNALAZIONI_BOZZE_GIORNI`` days untouched (retention)."""

    account = models.OneToOneField(
        "quartiere.AccountCittadino",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="bozza_segnalazione",
    )
    passi = models.JSONField(_("dati dei passi"))
    oggetto = models.CharField(_("oggetto"), max_length=200, blank=True)
    aggiornata_il = models.DateTimeField(_("salvata il"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("bozza di segnalazione")
        verbose_name_plural = _("bozze di segnalazione")

    def __str__(self) -> str:
        return self.oggetto or str(self.pk)
