"""State changes of the shared registry."""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from quartiere.lib.errori import ErroreDominio
from quartiere.registro.models import Persona


def possibili_doppioni(
    *,
    nome: str,
    cognome: str,
    email: str = "",
    telefono: str = "",
    codice_fiscale: str = "",
    escludi: int | None = None,
    queryset: QuerySet | None = None,
) -> QuerySet:
    """Persons that look like the one described: same tax code, or same name with the
    same e-mail or phone. ``queryset`` should already be scoped to what the user may see."""
    queryset = Persona.objects.all() if queryset is None else queryset
    condizione = Q(pk__in=[])
    if codice_fiscale:
        condizione |= Q(codice_fiscale=codice_fiscale)
    contatto = Q(pk__in=[])
    if email:
        contatto |= Q(email__iexact=email)
    if telefono:
        contatto |= Q(telefono=telefono)
    if nome and cognome and (email or telefono):
        condizione |= Q(nome__iexact=nome.strip(), cognome__iexact=cognome.strip()) & contatto
    risultato = queryset.filter(condizione)
    if escludi:
        risultato = risultato.exclude(pk=escludi)
    return risultato.order_by("cognome", "nome", "pk")


_CAMPI_DA_COMPLETARE = (
    "codice_fiscale",
    "email",
    "telefono",
    "indirizzo",
    "quartiere_id",
    "codice",
)


def _sposta_collegamenti(doppione: Persona, tenuta: Persona) -> int:
    """Point every row that references ``doppione`` at ``tenuta``.

    A row that would duplicate a link ``tenuta`` already has (the same person twice at
    one meeting, say) is dropped: after the merge it would be the same fact twice.
    """
    spostati = 0
    for rel in Persona._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            campo = rel.field.m2m_reverse_field_name()
        else:
            through = rel.related_model
            campo = rel.field.name
        manager = through._base_manager
        for pk in list(manager.filter(**{campo: doppione.pk}).values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    manager.filter(pk=pk).update(**{campo: tenuta.pk})
                spostati += 1
            except IntegrityError:
                manager.filter(pk=pk).delete()
    return spostati


def unisci_persone(tenuta: Persona, doppione: Persona, *, da) -> Persona:
    """Merge ``doppione`` into ``tenuta`` in one transaction.

    Every link (reports, attendance, signatures, dossier parties...) moves to ``tenuta``;
    fields ``tenuta`` lacks are taken from ``doppione``; ``doppione`` is deleted.
    Raises :class:`ErroreDominio` when both are the same record.
    """
    if tenuta.pk == doppione.pk:
        raise ErroreDominio(_("Non si può unire una persona con sé stessa."))
    with transaction.atomic():
        persone = {
            p.pk: p
            for p in Persona.objects.select_for_update().filter(pk__in=[tenuta.pk, doppione.pk])
        }
        if len(persone) != 2:
            raise ErroreDominio(_("Una delle due persone non esiste più."))
        tenuta, doppione = persone[tenuta.pk], persone[doppione.pk]
        spostati = _sposta_collegamenti(doppione, tenuta)
        completamenti = {
            campo: getattr(doppione, campo)
            for campo in _CAMPI_DA_COMPLETARE
            if not getattr(tenuta, campo) and getattr(doppione, campo)
        }
        if doppione.consenso_privacy and not tenuta.consenso_privacy:
            completamenti.update(
                consenso_privacy=True,
                consenso_data=doppione.consenso_data,
                informativa_versione=doppione.informativa_versione,
            )
        if doppione.note:
            completamenti["note"] = "\n".join(filter(None, [tenuta.note, doppione.note]))
        descrizione_doppione = f"{doppione} (#{doppione.pk})"
        tipo = ContentType.objects.get_for_model(Persona)
        LogEntry.objects.create(
            user_id=da.pk,
            content_type=tipo,
            object_id=str(doppione.pk),
            object_repr=descrizione_doppione[:200],
            action_flag=DELETION,
            change_message=_("Unita in %(tenuta)s (#%(pk)s)") % {"tenuta": tenuta, "pk": tenuta.pk},
        )
        doppione.delete()
        for campo, valore in completamenti.items():
            setattr(tenuta, campo, valore)
        tenuta.versione += 1
        tenuta._change_reason = _("Unione con %(doppione)s") % {"doppione": descrizione_doppione}
        tenuta.save()
        LogEntry.objects.create(
            user_id=da.pk,
            content_type=tipo,
            object_id=str(tenuta.pk),
            object_repr=str(tenuta)[:200],
            action_flag=CHANGE,
            change_message=_("Unita con %(doppione)s: %(n)s collegamenti spostati")
            % {"doppione": descrizione_doppione, "n": spostati},
        )
    return tenuta
