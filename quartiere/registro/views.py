"""Staff pages of the shared registry: persons and organisations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, UpdateView, View
from django.views.generic.edit import CreateView
from django_filters.views import FilterView

from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, TitoloMixin
from quartiere.accesso.versioni import ConflittoModifica
from quartiere.lib.errori import ErroreDominio
from quartiere.lib.validators import (
    normalizza_codice_fiscale,
    normalizza_email,
    normalizza_telefono,
)
from quartiere.privacy import accesso_dati as privacy
from quartiere.registro.filters import OrganizzazioneFilter, PersonaFilter
from quartiere.registro.forms import (
    OrganizzazioneForm,
    PersonaForm,
    UnisciPersoneForm,
    quartieri_per,
)
from quartiere.registro.models import Organizzazione, Persona
from quartiere.registro.rules import scope_registro
from quartiere.registro.services import possibili_doppioni, unisci_persone


class _ListaRegistro(AccessoMixin, TitoloMixin, FilterView):
    paginate_by = 25
    template_name = "quartiere/registro_lista.html"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["quartieri"] = quartieri_per(self.request.user)
        return kwargs


class PersonaListView(_ListaRegistro):
    permission_required = "quartiere.view_persona"
    filterset_class = PersonaFilter
    titolo_pagina = gettext_lazy("Persone")

    def get_queryset(self):
        qs = Persona.objects.select_related("quartiere").only(
            "pk",
            "nome",
            "cognome",
            "email",
            "telefono",
            "codice_fiscale",
            "consenso_privacy",
            "quartiere__nome",
        )
        return scope_registro(qs, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            tipo="persona",
            url_nuovo="quartiere:persona_create",
            puo_creare=self.request.user.has_perm("quartiere.add_persona"),
        )
        return ctx


class OrganizzazioneListView(_ListaRegistro):
    permission_required = "quartiere.view_organizzazione"
    filterset_class = OrganizzazioneFilter
    titolo_pagina = gettext_lazy("Organizzazioni")

    def get_queryset(self):
        qs = Organizzazione.objects.select_related("quartiere").only(
            "pk", "nome", "tipo", "email", "telefono", "quartiere__nome"
        )
        return scope_registro(qs, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            tipo="organizzazione",
            url_nuovo="quartiere:organizzazione_create",
            puo_creare=self.request.user.has_perm("quartiere.add_organizzazione"),
        )
        return ctx


class PersonaDetailView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "quartiere.view_persona"
    object_permission = "quartiere.view_persona"
    template_name = "quartiere/persona_detail.html"

    def get_queryset(self):
        return scope_registro(Persona.objects.select_related("quartiere"), self.request.user)

    def get_titolo_pagina(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        persona = self.object
        simili = scope_registro(Persona.objects.all(), user).filter(
            nome__iexact=persona.nome, cognome__iexact=persona.cognome
        )
        doppioni = possibili_doppioni(
            nome=persona.nome,
            cognome=persona.cognome,
            email=persona.email,
            telefono=persona.telefono,
            codice_fiscale=persona.codice_fiscale,
            escludi=persona.pk,
            queryset=scope_registro(Persona.objects.all(), user),
        )
        ctx["possibili_doppioni"] = list(
            (simili.exclude(pk=persona.pk) | doppioni).distinct().select_related("quartiere")[:20]
        )
        ctx["puo_modificare"] = user.has_perm("quartiere.change_persona", persona)
        ctx["puo_unire"] = user.has_perm("quartiere.merge_persona", persona)
        ctx["puo_esportare"] = privacy.puo_esportare(user)
        if policy.is_coordinatore(user) or policy.is_amministratore(user):
            ctx["storia"] = persona.history.select_related("history_user").order_by(
                "-history_date"
            )[:20]
        return ctx


class OrganizzazioneDetailView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "quartiere.view_organizzazione"
    object_permission = "quartiere.view_organizzazione"
    template_name = "quartiere/organizzazione_detail.html"

    def get_queryset(self):
        return scope_registro(
            Organizzazione.objects.select_related("quartiere", "referente"), self.request.user
        )

    def get_titolo_pagina(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["puo_modificare"] = self.request.user.has_perm(
            "quartiere.change_organizzazione", self.object
        )
        return ctx


class _FormRegistro(AccessoMixin, TitoloMixin):
    template_name = "quartiere/registro_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    url_lista = ""

    def get_context_data(self, **kwargs):
        oggetto = getattr(self, "object", None)
        kwargs["url_annulla"] = (
            oggetto.get_absolute_url() if oggetto and oggetto.pk else reverse(self.url_lista)
        )
        return super().get_context_data(**kwargs)

    def trova_doppioni(self, form):
        return None

    def form_valid(self, form):
        doppioni = self.trova_doppioni(form)
        if doppioni and not form.cleaned_data.get("conferma_non_doppione"):
            form.doppioni = doppioni
            messages.warning(
                self.request,
                _("Attenzione: esistono già persone simili. Controlla prima di salvare."),
            )
            return self.form_invalid(form)
        try:
            with transaction.atomic():
                self.object = form.save_versioned()
        except ConflittoModifica as conflitto:
            form.conflitto = conflitto
            form.add_error(None, str(conflitto))
            return self.form_invalid(form)
        messages.success(self.request, self.messaggio_successo)
        return redirect(self.object)


class _FormPersona(_FormRegistro):
    form_class = PersonaForm
    url_lista = "quartiere:persona_list"
    messaggio_successo = gettext_lazy("Scheda della persona salvata.")

    def trova_doppioni(self, form):
        dati = form.cleaned_data
        return list(
            possibili_doppioni(
                nome=dati.get("nome", ""),
                cognome=dati.get("cognome", ""),
                email=dati.get("email", ""),
                telefono=dati.get("telefono", ""),
                codice_fiscale=dati.get("codice_fiscale", ""),
                escludi=form.instance.pk,
                queryset=scope_registro(Persona.objects.all(), self.request.user),
            ).select_related("quartiere")[:10]
        )


class PersonaCreateView(_FormPersona, CreateView):
    permission_required = "quartiere.add_persona"
    titolo_pagina = gettext_lazy("Nuova persona")


class PersonaUpdateView(_FormPersona, UpdateView):
    permission_required = "quartiere.view_persona"
    object_permission = "quartiere.change_persona"

    def get_queryset(self):
        return scope_registro(Persona.objects.all(), self.request.user)

    def get_titolo_pagina(self):
        return _("Modifica: %(persona)s") % {"persona": self.object}


class _FormOrganizzazione(_FormRegistro):
    form_class = OrganizzazioneForm
    url_lista = "quartiere:organizzazione_list"
    messaggio_successo = gettext_lazy("Scheda dell'organizzazione salvata.")


class OrganizzazioneCreateView(_FormOrganizzazione, CreateView):
    permission_required = "quartiere.add_organizzazione"
    titolo_pagina = gettext_lazy("Nuova organizzazione")


class OrganizzazioneUpdateView(_FormOrganizzazione, UpdateView):
    permission_required = "quartiere.view_organizzazione"
    object_permission = "quartiere.change_organizzazione"

    def get_queryset(self):
        return scope_registro(Organizzazione.objects.all(), self.request.user)

    def get_titolo_pagina(self):
        return _("Modifica: %(organizzazione)s") % {"organizzazione": self.object}


class UnisciPersoneView(AccessoMixin, TitoloMixin, FormView):
    """A coordinator merges a duplicate into the record they keep."""

    permission_required = "quartiere.merge_persona"
    form_class = UnisciPersoneForm
    template_name = "quartiere/persona_unisci.html"
    titolo_pagina = gettext_lazy("Unisci due schede")

    def dispatch(self, request, *args, **kwargs):
        # The role is checked first, so that nobody learns which records exist.
        if request.user.has_perm(self.permission_required):
            qs = scope_registro(Persona.objects.select_related("quartiere"), request.user)
            self.tenuta = policy.get_object_or_404(
                request.user, qs, "quartiere.merge_persona", pk=kwargs["pk"]
            )
            self.doppione = policy.get_object_or_404(
                request.user, qs, "quartiere.merge_persona", pk=kwargs["altro"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.update(tenuta=self.tenuta, doppione=self.doppione)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            tenuta = unisci_persone(self.tenuta, self.doppione, da=self.request.user)
        except ErroreDominio as errore:
            form.add_error(None, str(errore))
            return self.form_invalid(form)
        messages.success(self.request, _("Schede unite."))
        return redirect(tenuta)


def _json_persone(persone):
    return [
        {
            "id": p.pk,
            "nome": p.nome,
            "cognome": p.cognome,
            "etichetta": str(p),
            "quartiere": p.quartiere.nome if p.quartiere_id else "",
            "url": p.get_absolute_url(),
        }
        for p in persone
    ]


class CercaPersoneJsonView(AccessoMixin, View):
    """Type-ahead over the persons the user may see (JSON, at most 15)."""

    permission_required = "quartiere.view_persona"

    def get(self, request, *args, **kwargs):
        testo = request.GET.get("q", "").strip()[:100]
        if len(testo) < 2:
            return JsonResponse({"risultati": []})
        qs = scope_registro(Persona.objects.select_related("quartiere"), request.user)
        return JsonResponse({"risultati": _json_persone(qs.cerca(testo)[:15])})


class CercaOrganizzazioniJsonView(AccessoMixin, View):
    permission_required = "quartiere.view_organizzazione"

    def get(self, request, *args, **kwargs):
        testo = request.GET.get("q", "").strip()[:100]
        if len(testo) < 2:
            return JsonResponse({"risultati": []})
        qs = scope_registro(Organizzazione.objects.select_related("quartiere"), request.user)
        return JsonResponse(
            {
                "risultati": [
                    {
                        "id": o.pk,
                        "etichetta": o.nome,
                        "tipo": o.get_tipo_display(),
                        "quartiere": o.quartiere.nome if o.quartiere_id else "",
                        "url": o.get_absolute_url(),
                    }
                    for o in qs.cerca(testo)[:15]
                ]
            }
        )


class DoppioniJsonView(AccessoMixin, View):
    """Possible duplicates of a person being typed in (for inline creation forms)."""

    permission_required = "quartiere.add_persona"

    def get(self, request, *args, **kwargs):
        g = request.GET
        try:
            telefono = normalizza_telefono(g.get("telefono", "")[:30])
        except ValidationError:
            telefono = ""
        try:
            cf = normalizza_codice_fiscale(g.get("codice_fiscale", "")[:16])
        except ValidationError:
            cf = ""
        doppioni = possibili_doppioni(
            nome=g.get("nome", "")[:80],
            cognome=g.get("cognome", "")[:80],
            email=normalizza_email(g.get("email", "")[:254]),
            telefono=telefono,
            codice_fiscale=cf,
            queryset=scope_registro(Persona.objects.select_related("quartiere"), request.user),
        )[:10]
        return JsonResponse({"risultati": _json_persone(doppioni)})
