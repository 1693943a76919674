"""The mediation path inside an open dossier: its parties, activities and agreement."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from mediazione import services
from mediazione.forms import (
    AccordoForm,
    AttivitaForm,
    ParteForm,
)
from mediazione.models import Accordo, Parte
from mediazione.views._comune import ModificaDossier
from quartiere.accesso.versioni import ConflittoModifica
from quartiere.lib.errori import ErroreDominio


class ParteCreateView(ModificaDossier, FormView):
    """Add a party: first search the registry (``?cerca=``), then pick the person."""

    form_class = ParteForm
    pagina = gettext_lazy("nuova parte")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, cerca=self.cerca())
        return kwargs

    def cerca(self) -> str:
        return self.request.GET.get("cerca", "").strip()[:100]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            ricerca_persona=True,
            cerca=self.cerca(),
            trovate=len(ctx["form"].fields["persona"].queryset),
            puo_creare_persona=self.request.user.has_perm("quartiere.add_persona"),
        )
        return ctx

    def get_titolo_pagina(self):
        return _("Nuova parte nel dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.aggiungi_parte(
                self.dossier,
                da=self.request.user,
                persona=dati["persona"],
                ruolo=dati["ruolo"],
                consenso_mediazione=dati["consenso_mediazione"],
                consenso_data=dati["consenso_data"],
                note=dati["note"],
                request=self.request,
            ),
            successo=_("Parte aggiunta."),
            destinazione=self.dossier,
        )


class ParteUpdateView(ModificaDossier, FormView):
    form_class = ParteForm
    pagina = gettext_lazy("modifica di una parte")

    def dispatch(self, request, *args, **kwargs):
        self.parte = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.parte is None:
            try:
                self.parte = self.dossier.parti.select_related("persona").get(
                    pk=self.kwargs["parte"]
                )
            except Parte.DoesNotExist as exc:
                raise Http404 from exc
        kwargs.update(instance=self.parte, user=self.request.user)
        return kwargs

    def get_titolo_pagina(self):
        return _("Parte del dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        try:
            services.modifica_parte(form, da=self.request.user, request=self.request)
        except ConflittoModifica as conflitto:
            form.conflitto = conflitto
            form.add_error(None, str(conflitto))
            return self.form_invalid(form)
        except ErroreDominio as errore:
            return self.errore(errore)
        messages.success(self.request, _("Parte salvata."))
        return redirect(self.dossier)


class AttivitaCreateView(ModificaDossier, FormView):
    form_class = AttivitaForm
    pagina = gettext_lazy("nuova attività")

    def get_titolo_pagina(self):
        return _("Nuova attività nel dossier %(numero)s") % {"numero": self.dossier.numero}

    def get_initial(self):
        tipo = self.request.GET.get("tipo")
        return {"tipo": tipo} if tipo else {}

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.registra_attivita(
                self.dossier,
                da=self.request.user,
                tipo=dati["tipo"],
                data=dati["data"],
                durata_minuti=dati["durata_minuti"],
                partecipanti=dati["partecipanti"],
                note=dati["note"],
                non_condividere=dati["non_condividere"],
                request=self.request,
            ),
            successo=_("Attività registrata."),
            destinazione=self.dossier,
        )


class AccordoView(ModificaDossier, FormView):
    form_class = AccordoForm
    pagina = gettext_lazy("accordo")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.accordo_di(self.dossier) or Accordo(dossier=self.dossier)
        return kwargs

    def get_titolo_pagina(self):
        return _("Accordo del dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        return self.esegui_servizio(
            form,
            lambda: services.salva_accordo(
                form, self.dossier, da=self.request.user, request=self.request
            ),
            successo=_("Accordo salvato."),
            destinazione=self.dossier,
        )
