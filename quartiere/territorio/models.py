"""The territory: neighbourhoods, offices and halls with their hours, staff profiles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, When
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from quartiere.lib.text import normalizza_ricerca
from quartiere.territorio.confini import valida_confine


class URLHttpsField(models.URLField):
    """A URL field whose form field assumes https:// when the scheme is missing."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class Quartiere(models.Model):
    codice = models.SlugField(_("codice"), max_length=30, unique=True)
    nome = models.CharField(_("nome"), max_length=120, unique=True)
    municipio = models.CharField(_("municipio"), max_length=60, blank=True)
    descrizione = models.TextField(_("descrizione"), blank=True)
    abitanti = models.PositiveIntegerField(_("abitanti"), null=True, blank=True)
    famiglie = models.PositiveIntegerField(_("famiglie"), null=True, blank=True)
    alloggi_erp = models.PositiveIntegerField(
        _("alloggi di edilizia residenziale pubblica"), null=True, blank=True
    )
    lat = models.FloatField(_("latitudine del centro"), null=True, blank=True)
    lon = models.FloatField(_("longitudine del centro"), null=True, blank=True)
    confine = models.JSONField(
        _("confine (GeoJSON)"),
        null=True,
        blank=True,
        validators=[valida_confine],
        help_text=_(
            "Poligono GeoJSON del quartiere (longitudine, latitudine), facoltativo: quando "
            "c'è, il quartiere di una segnalazione con un punto è quello che lo contiene. "
            "Si carica anche con manage.py carica_confini."
        ),
    )

    class Meta:
        verbose_name = _("quartiere")
        verbose_name_plural = _("quartieri")
        ordering = ["nome"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90),
                name="quartiere_lat_valida",
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180),
                name="quartiere_lon_valida",
            ),
        ]

    def __str__(self) -> str:
        return self.nome


class ConfineComune(models.Model):
    """The Comune's boundary: one row at most. A reported point outside it is refused."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    confine = models.JSONField(
        _("confine (GeoJSON)"),
        validators=[valida_confine],
        help_text=_(
            "Poligono GeoJSON del territorio comunale (longitudine, latitudine). Si carica "
            "anche con manage.py carica_confini --comune."
        ),
    )
    aggiornato_il = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        verbose_name = _("confine del Comune")
        verbose_name_plural = _("confine del Comune")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="confine_comune_uno_solo"),
        ]

    def __str__(self) -> str:
        return str(_("Confine del Comune"))


# How many addresses a search offers at once: a list a citizen reads on a phone.
MASSIMO_INDIRIZZI = 8


class IndirizzoQuerySet(models.QuerySet):
    def cerca(self, testo: str):
        """The addresses whose street holds every word of ``testo`` (case and accents aside);
        a word starting with a digit is the house number's start: "abbiati 4" finds Via
        Luigi Abbiati 4, 4/A and 40, the exact number first."""
        parole = normalizza_ricerca(testo).replace(",", " ").split()
        q, numero = Q(), ""
        for parola in parole:
            if parola[0].isdigit():
                numero = parola
            else:
                q &= Q(ricerca__contains=parola)
        if q == Q():  # no word of a street: a number alone names no address
            return self.none()
        risultati = self.filter(q)
        if numero:
            risultati = risultati.filter(civico__istartswith=numero)
        return risultati.order_by(
            Case(When(civico__iexact=numero, then=0), default=1),
            "via",
            Length("civico"),
            "civico",
        )


class Indirizzo(models.Model):
    """The Comune's street register (stradario): a street, or one of its house numbers, with
    its point. Loaded from the Comune's open data with ``manage.py carica_stradario``; the
    online report's address search and map read it, on this machine (no external service)."""

    via = models.CharField(_("via"), max_length=160)
    civico = models.CharField(
        _("numero civico"), max_length=20, blank=True, help_text=_("Vuoto: la via nel suo insieme.")
    )
    lat = models.FloatField(_("latitudine"))
    lon = models.FloatField(_("longitudine"))
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.SET_NULL,
        related_name="indirizzi",
        null=True,
        blank=True,
    )
    ricerca = models.CharField(max_length=160, editable=False, default="")

    objects = IndirizzoQuerySet.as_manager()

    class Meta:
        verbose_name = _("indirizzo dello stradario")
        verbose_name_plural = _("stradario")
        ordering = ["via", "civico"]
        constraints = [
            models.UniqueConstraint(fields=["via", "civico"], name="indirizzo_unico"),
            models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90), name="indirizzo_lat"),
            models.CheckConstraint(condition=Q(lon__gte=-180, lon__lte=180), name="indirizzo_lon"),
        ]

    def __str__(self) -> str:
        return f"{self.via} {self.civico}".strip()

    def save(self, *args, **kwargs):
        self.ricerca = normalizza_ricerca(self.via)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ricerca"}
        super().save(*args, **kwargs)


class Sede(models.Model):
    class Tipo(models.TextChoices):
        UFFICIO = "ufficio", _("ufficio / sportello di quartiere")
        SALA = "sala", _("sala civica")
        ALTRO = "altro", _("altro spazio")

    nome = models.CharField(_("nome"), max_length=160)
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices, default=Tipo.UFFICIO)
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="sedi",
        null=True,
        blank=True,
    )
    indirizzo = models.CharField(_("indirizzo"), max_length=200)
    citta = models.CharField(_("città"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    telefono = models.CharField(_("telefono"), max_length=30, blank=True)
    descrizione = models.TextField(_("descrizione"), blank=True)
    prenotabile = models.BooleanField(
        _("prenotabile"), default=False, help_text=_("La sala si può richiedere dal sito.")
    )
    lat = models.FloatField(_("latitudine"), null=True, blank=True)
    lon = models.FloatField(_("longitudine"), null=True, blank=True)

    class Meta:
        verbose_name = _("sede")
        verbose_name_plural = _("sedi")
        ordering = ["nome"]
        constraints = [
            models.UniqueConstraint(fields=["nome", "indirizzo"], name="sede_unica_per_indirizzo"),
            models.CheckConstraint(
                condition=Q(tipo__in=["ufficio", "sala", "altro"]), name="sede_tipo_valido"
            ),
        ]

    def __str__(self) -> str:
        return self.nome


class OrarioApertura(models.Model):
    class Giorno(models.IntegerChoices):
        LUNEDI = 0, _("lunedì")
        MARTEDI = 1, _("martedì")
        MERCOLEDI = 2, _("mercoledì")
        GIOVEDI = 3, _("giovedì")
        VENERDI = 4, _("venerdì")
        SABATO = 5, _("sabato")
        DOMENICA = 6, _("domenica")

    sede = models.ForeignKey(
        Sede, verbose_name=_("sede"), on_delete=models.CASCADE, related_name="orari"
    )
    giorno = models.PositiveSmallIntegerField(_("giorno"), choices=Giorno.choices)
    apre = models.TimeField(_("apre alle"))
    chiude = models.TimeField(_("chiude alle"))
    nota = models.CharField(
        _("nota"), max_length=120, blank=True, help_text=_("Ad es. «sportello di ascolto».")
    )

    class Meta:
        verbose_name = _("orario di apertura")
        verbose_name_plural = _("orari di apertura")
        ordering = ["sede", "giorno", "apre"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chiude__gt=models.F("apre")), name="orario_chiude_dopo_apre"
            ),
            models.CheckConstraint(
                condition=Q(giorno__gte=0, giorno__lte=6), name="orario_giorno_valido"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_giorno_display()} {self.apre:%H:%M}–{self.chiude:%H:%M}"


class ProfiloStaff(models.Model):
    """Links a staff account to the quartieri it works in."""

    utente = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="profilo",
    )
    quartieri = models.ManyToManyField(
        Quartiere, verbose_name=_("quartieri"), related_name="staff", blank=True
    )
    telefono = models.CharField(_("telefono"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("profilo del personale")
        verbose_name_plural = _("profili del personale")

    def __str__(self) -> str:
        return str(self.utente)
