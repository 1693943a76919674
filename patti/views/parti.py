"""Staff pages for the rows of a pact: signatories, commitments, projects, indicators and
their measurements. One small generic create/update/delete, configured per model."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, UpdateView, View

from patti import rules as regole
from patti.forms import (
    AvanzamentoForm,
    FirmatarioForm,
    ImpegnoForm,
    ImpegnoSvoltoForm,
    IndicatoreForm,
    MisurazioneForm,
    ProgettoForm,
)
from patti.models import Firmatario, Impegno, Indicatore, Misurazione, Patto, Progetto
from patti.services import PATTO_FIRMATO
from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, ServizioFormMixin, TitoloMixin
from quartiere.accesso.versioni import messaggio_conflitto
from quartiere.lib.errori import ErroreDominio

# model -> (path to the pact's quartiere, select_related chain, attribute path to the pact)
_CATENA = {
    Patto: ("quartiere", ("quartiere",), ()),
    Firmatario: ("patto__quartiere", ("patto__quartiere",), ("patto",)),
    Progetto: ("patto__quartiere", ("patto__quartiere",), ("patto",)),
    Indicatore: ("patto__quartiere", ("patto__quartiere",), ("patto",)),
    Impegno: (
        "firmatario__patto__quartiere",
        ("firmatario__patto__quartiere",),
        ("firmatario", "patto"),
    ),
    Misurazione: (
        "indicatore__patto__quartiere",
        ("indicatore__patto__quartiere",),
        ("indicatore", "patto"),
    ),
}


def _scoped(modello, user):
    campo, select, _percorso = _CATENA[modello]
    return regole.scope_patti(modello.objects.select_related(*select), user, campo=campo)


def _patto_di(obj) -> Patto:
    for attributo in _CATENA[type(obj)][2]:
        obj = getattr(obj, attributo)
    return obj


def _perm(azione: str, modello) -> str:
    return f"patti.{azione}_{modello._meta.model_name}"


#: The form of a row of a signed pact: its monitoring fields only.
_DOPO_LA_FIRMA = {Impegno: ImpegnoSvoltoForm, Progetto: AvanzamentoForm}


class _Parte(AccessoMixin, TitoloMixin, ServizioFormMixin):
    permission_required = "patti.view_patto"
    template_name = "patti/form.html"
    modello = None
    ancora = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_class is FirmatarioForm:
            kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["patto"] = self.patto
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return f"{self.patto.get_absolute_url()}#{self.ancora}"

    def form_valid(self, form):
        def salva():
            with transaction.atomic():
                # The signature takes the same lock: a pact signed while this form was open
                # refuses what is no longer allowed, with a message rather than an error.
                patto = Patto.objects.select_for_update().only("pk", "documento_firmato")
                if patto.get(pk=self.patto.pk).sigillato and not form.dopo_la_firma:
                    raise ErroreDominio(PATTO_FIRMATO)
                self.object = form.save_versioned()
            return self.object

        return self.esegui_servizio(
            form, salva, successo=_("Salvato."), destinazione=self.get_success_url
        )


class _CreaParte(_Parte, CreateView):
    genitore = Patto
    campo_genitore = "patto"
    titolo = ""

    def dispatch(self, request, *args, **kwargs):
        # Without the permission the mixin answers 403; only then does scope mean 404.
        if request.user.has_perm(self.permission_required):
            self.genitore_obj = policy.get_object_or_404(
                request.user,
                _scoped(self.genitore, request.user),
                _perm("add", self.modello),
                pk=kwargs["pk"],
            )
            self.patto = _patto_di(self.genitore_obj)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.modello(**{self.campo_genitore: self.genitore_obj})
        return kwargs

    def get_titolo_pagina(self):
        return f"{self.titolo} — {self.genitore_obj}"


class _ModificaParte(_Parte, UpdateView):
    def get_queryset(self):
        return _scoped(self.modello, self.request.user)

    def get_object(self, queryset=None):
        obj = policy.get_object_or_404(
            self.request.user,
            self.get_queryset(),
            _perm("change", self.modello),
            pk=self.kwargs["pk"],
        )
        self.patto = _patto_di(obj)
        return obj

    def get_form_class(self):
        if self.patto.sigillato and self.modello in _DOPO_LA_FIRMA:
            return _DOPO_LA_FIRMA[self.modello]
        return super().get_form_class()

    def get_titolo_pagina(self):
        return _("Modifica: %(oggetto)s") % {"oggetto": self.object}


class _EliminaParte(AccessoMixin, View):
    permission_required = "patti.view_patto"
    http_method_names = ["post"]
    modello = None
    ancora = ""

    def post(self, request, pk):
        obj = policy.get_object_or_404(
            request.user, _scoped(self.modello, request.user), _perm("delete", self.modello), pk=pk
        )
        patto = _patto_di(obj)
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError:
            messages.error(request, _("Non si può eliminare: altri dati vi fanno riferimento."))
        except IntegrityError:
            # Signed between the page and the click: the database keeps the signed rows.
            messages.error(request, str(PATTO_FIRMATO))
        else:
            messages.success(request, _("Eliminato."))
        return redirect(f"{patto.get_absolute_url()}#{self.ancora}")


def _viste(modello, form_class, ancora, titolo, genitore=Patto, campo_genitore="patto"):
    attributi = {"modello": modello, "form_class": form_class, "ancora": ancora}
    crea = type(
        f"Crea{modello.__name__}View",
        (_CreaParte,),
        {**attributi, "titolo": titolo, "genitore": genitore, "campo_genitore": campo_genitore},
    )
    modifica = type(f"Modifica{modello.__name__}View", (_ModificaParte,), attributi)
    elimina = type(
        f"Elimina{modello.__name__}View", (_EliminaParte,), {"modello": modello, "ancora": ancora}
    )
    return crea, modifica, elimina


CreaFirmatario, ModificaFirmatario, EliminaFirmatario = _viste(
    Firmatario, FirmatarioForm, "firmatari", gettext_lazy("Nuovo firmatario")
)
CreaImpegno, ModificaImpegno, EliminaImpegno = _viste(
    Impegno, ImpegnoForm, "firmatari", gettext_lazy("Nuovo impegno"), Firmatario, "firmatario"
)
CreaProgetto, ModificaProgetto, EliminaProgetto = _viste(
    Progetto, ProgettoForm, "progetti", gettext_lazy("Nuovo progetto")
)
CreaIndicatore, ModificaIndicatore, EliminaIndicatore = _viste(
    Indicatore, IndicatoreForm, "monitoraggio", gettext_lazy("Nuovo indicatore")
)
CreaMisurazione, ModificaMisurazione, EliminaMisurazione = _viste(
    Misurazione,
    MisurazioneForm,
    "monitoraggio",
    gettext_lazy("Nuova misurazione"),
    Indicatore,
    "indicatore",
)


class ImpegnoSvoltoView(AccessoMixin, View):
    """One click: mark a commitment done (or not done again)."""

    permission_required = "patti.view_patto"
    http_method_names = ["post"]

    def post(self, request, pk):
        impegno = policy.get_object_or_404(
            request.user, _scoped(Impegno, request.user), "patti.change_impegno", pk=pk
        )
        with transaction.atomic():
            attuale = Impegno.objects.select_for_update().get(pk=impegno.pk)
            # The button toggles what the page showed: a page older than the last save
            # (someone toggled or edited it meanwhile) must not flip it back.
            if str(attuale.versione) != request.POST.get("versione_letta"):
                messages.error(request, messaggio_conflitto())
            else:
                attuale.svolto = not attuale.svolto
                attuale.versione += 1
                attuale.save(update_fields=["svolto", "versione"])
        return redirect(f"{_patto_di(impegno).get_absolute_url()}#firmatari")
