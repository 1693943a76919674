"""The dashboard of the figures, the director's PDF report and the exports of the tables.

Every page computes its figures through :mod:`quartiere.relazioni` for the quartieri the
user may read (``quartiere.rules_indicatori``): an operator can neither choose nor guess
another quartiere (an unknown or foreign code is a form error, never a figure).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView, View

from quartiere.accesso.mixins import AccessoMixin, TitoloMixin
from quartiere.ops.replica import letture_dalla_replica
from quartiere.relazioni import esporta
from quartiere.relazioni.figure import ANNO_PRECEDENTE, PRECEDENTE, SCELTO
from quartiere.relazioni.models import LUNGHEZZA_COMMENTO, RelazioneStampata
from quartiere.relazioni.relazione import prepara
from quartiere.relazioni.rules import quartieri_consentiti
from quartiere.relazioni.stampe import conserva_relazione, sezioni_commentabili, ultimi_commenti
from quartiere.relazioni.tabelle import categorie_segnalazioni
from quartiere.territorio.models import Quartiere

PERMESSO = "quartiere.view_indicatori"
# Longer periods would only make the page slow: ten years covers any report.
GIORNI_MASSIMI = 3660


class FiltroIndicatoriForm(forms.Form):
    dal = forms.DateField(
        label=gettext_lazy("Dal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    al = forms.DateField(
        label=gettext_lazy("Al"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    quartiere = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Quartieri"),
        queryset=Quartiere.objects.none(),
        to_field_name="codice",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Nessuna scelta: tutti i tuoi quartieri."),
    )

    confronto = forms.ChoiceField(
        label=gettext_lazy("Confronto con"),
        required=False,
        choices=[
            ("", gettext_lazy("automatico")),
            (ANNO_PRECEDENTE, gettext_lazy("lo stesso periodo dell'anno precedente")),
            (PRECEDENTE, gettext_lazy("il periodo precedente della stessa durata")),
            (SCELTO, gettext_lazy("un periodo a scelta")),
        ],
        help_text=gettext_lazy(
            "Automatico: dall'inizio dell'anno, lo stesso periodo dell'anno precedente; "
            "altrimenti il periodo precedente della stessa durata."
        ),
    )
    confronto_dal = forms.DateField(
        label=gettext_lazy("Confronto dal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confronto_al = forms.DateField(
        label=gettext_lazy("Confronto al"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartiere"].queryset = quartieri_consentiti(user).only("pk", "codice", "nome")

    def _verifica(self, dal, al, campo_dal: str, campo_al: str) -> None:
        if dal > al:
            self.add_error(
                campo_al, _("La data finale deve essere uguale o successiva a quella iniziale.")
            )
        elif (al - dal).days > GIORNI_MASSIMI:
            self.add_error(campo_dal, _("Il periodo può durare al massimo dieci anni."))

    def clean(self):
        dati = super().clean()
        dal, al = dati.get("dal"), dati.get("al")
        if dal and al:
            self._verifica(dal, al, "dal", "al")
        if dati.get("confronto") == SCELTO:
            c_dal, c_al = dati.get("confronto_dal"), dati.get("confronto_al")
            for campo, valore in (("confronto_dal", c_dal), ("confronto_al", c_al)):
                if valore is None and campo not in self.errors:
                    self.add_error(campo, _("Indica il periodo di confronto."))
            if c_dal and c_al:
                self._verifica(c_dal, c_al, "confronto_dal", "confronto_al")
        return dati

    def confronto_scelto(self) -> dict:
        """The comparison as :func:`~quartiere.relazioni.relazione.prepara` takes it."""
        modo = self.cleaned_data.get("confronto") or None
        periodo = None
        if modo == SCELTO:
            periodo = (self.cleaned_data["confronto_dal"], self.cleaned_data["confronto_al"])
        return {"modo_confronto": modo, "periodo_confronto": periodo}


def _periodo_predefinito() -> dict:
    oggi = timezone.localdate()
    return {"dal": date(oggi.year, 1, 1).isoformat(), "al": oggi.isoformat()}


class _Indicatori(AccessoMixin):
    permission_required = PERMESSO

    def get_form(self):
        dati = self.request.GET
        if "dal" not in dati and "al" not in dati:
            dati = dati.copy()
            dati.update(_periodo_predefinito())
        return FiltroIndicatoriForm(dati, user=self.request.user)

    def scelta(self, form) -> list[Quartiere]:
        """The chosen quartieri, or all the user's when none was chosen."""
        scelti = form.cleaned_data.get("quartiere")
        if scelti:
            return sorted(scelti, key=lambda q: q.codice)
        return list(form.fields["quartiere"].queryset)

    def parametri(self, form) -> dict:
        parametri = {
            "dal": form.cleaned_data["dal"].isoformat(),
            "al": form.cleaned_data["al"].isoformat(),
            "quartiere": [q.codice for q in form.cleaned_data.get("quartiere") or []],
        }
        if form.cleaned_data.get("confronto"):
            parametri["confronto"] = form.cleaned_data["confronto"]
        if form.cleaned_data.get("confronto") == SCELTO:
            parametri["confronto_dal"] = form.cleaned_data["confronto_dal"].isoformat()
            parametri["confronto_al"] = form.cleaned_data["confronto_al"].isoformat()
        return parametri

    def link(self, form, quartieri: list[Quartiere]):
        """``link(sezione, indicatore, voce)``: the list behind a figure, where one exists
        that this user may see and that can reproduce it exactly (else ``None``)."""
        user = self.request.user
        dal, al = form.cleaned_data["dal"], form.cleaned_data["al"]
        tutti = len(quartieri) == form.fields["quartiere"].queryset.count()
        if not tutti and len(quartieri) != 1:
            # The lists filter by one quartiere at a time.
            return lambda sezione, indicatore, voce: None
        base_q = {} if tutti else {"quartiere": quartieri[0].pk}
        cache: dict = {}

        def url(nome: str, permesso: str, **parametri) -> str | None:
            if not user.has_perm(permesso):
                return None
            try:
                indirizzo = reverse(nome)
            except NoReverseMatch:
                return None
            return f"{indirizzo}?{urlencode({**base_q, **parametri})}"

        def link(sezione, indicatore, voce):
            if sezione == "segnalazioni":
                periodo = {"dal": dal.isoformat(), "al": al.isoformat()}
                filtri = {"per_stato": "stato", "per_tipo": "tipo", "per_canale": "canale"}
                if indicatore == "ricevute":
                    return url("segnalazioni:lista", "segnalazioni.view_segnalazione", **periodo)
                if indicatore in filtri and voce is not None:
                    return url(
                        "segnalazioni:lista",
                        "segnalazioni.view_segnalazione",
                        **periodo,
                        **{filtri[indicatore]: voce},
                    )
                if indicatore == "per_categoria" and voce is not None:
                    if "categorie" not in cache:
                        cache["categorie"] = categorie_segnalazioni()
                    if voce in cache["categorie"]:
                        return url(
                            "segnalazioni:lista",
                            "segnalazioni.view_segnalazione",
                            **periodo,
                            categoria=cache["categorie"][voce][0],
                        )
                if indicatore == "aperte_scadute" and al >= timezone.localdate():
                    return url("segnalazioni:lista", "segnalazioni.view_segnalazione", scadute="on")
                return None
            if sezione == "laboratori" and indicatore == "laboratori_attivi":
                return url("laboratori:lista", "laboratori.view_laboratorio")
            if sezione == "patti" and indicatore == "firmati":
                return url("patti:lista", "patti.view_patto")
            return None

        return link


class CruscottoView(_Indicatori, TitoloMixin, TemplateView):
    template_name = "quartiere/cruscotto.html"
    titolo_pagina = gettext_lazy("Indicatori del servizio")

    def get_context_data(self, **kwargs):
        with letture_dalla_replica():
            return self._contesto(super().get_context_data(**kwargs))

    def _contesto(self, ctx):
        form = self.get_form()
        ctx["form"] = form
        if form.is_valid():
            quartieri = self.scelta(form)
            # The per-quartiere table costs one call per app and quartiere: it is in the
            # PDF and in the exports, not on the page.
            ctx["relazione"] = prepara(
                form.cleaned_data["dal"],
                form.cleaned_data["al"],
                quartieri,
                link=self.link(form, quartieri),
                per_quartiere=False,
                **form.confronto_scelto(),
            )
            ctx["query"] = urlencode(self.parametri(form), doseq=True)
        return ctx


class RelazionePdfView(_Indicatori, View):
    def get(self, request, *args, **kwargs):
        from quartiere.relazioni.pdf import pdf_relazione

        form = self.get_form()
        if not form.is_valid():
            return HttpResponse(
                _("Periodo o quartieri non validi."), status=400, content_type="text/plain"
            )
        dal, al = form.cleaned_data["dal"], form.cleaned_data["al"]
        with letture_dalla_replica():
            contenuto = pdf_relazione(dal, al, self.scelta(form), **form.confronto_scelto())
        risposta = HttpResponse(contenuto, content_type="application/pdf")
        risposta["Content-Disposition"] = f'attachment; filename="relazione-{dal}-{al}.pdf"'
        return risposta


class EsportaView(_Indicatori, View):
    """CSV or XLSX of every figure table, or of one (``?tabella=<id>``)."""

    def get(self, request, formato, *args, **kwargs):
        if formato not in ("csv", "xlsx"):
            raise Http404
        with letture_dalla_replica():
            return self._esporta(request, formato)

    def _esporta(self, request, formato):
        form = self.get_form()
        if not form.is_valid():
            return HttpResponse(
                _("Periodo o quartieri non validi."), status=400, content_type="text/plain"
            )
        dal, al = form.cleaned_data["dal"], form.cleaned_data["al"]
        quartieri = self.scelta(form)
        tabella = request.GET.get("tabella") or None
        per_quartiere = tabella in (None, "per-quartiere")
        relazione = prepara(
            dal,
            al,
            quartieri,
            confronto=False,
            per_quartiere=per_quartiere,
            con_andamento=False,
            con_diario=False,
        )
        validi = {t.id for t in relazione.tabelle}
        if relazione.per_quartiere is not None:
            validi.add("per-quartiere")
        if tabella is not None and tabella not in validi:
            return HttpResponse(_("Tabella sconosciuta."), status=404, content_type="text/plain")
        nome = f"indicatori-{dal}-{al}" + (f"-{tabella}" if tabella else "")
        if formato == "xlsx":
            contenuto = esporta.xlsx_figure(
                relazione.figure, relazione.tabelle, relazione.per_quartiere, solo=tabella
            )
            tipo = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif tabella == "per-quartiere":
            contenuto, tipo = (
                esporta.csv_quartieri(relazione.per_quartiere),
                "text/csv; charset=utf-8",
            )
        else:
            contenuto, tipo = (
                esporta.csv_figure(relazione.figure, tabella),
                "text/csv; charset=utf-8",
            )
        risposta = HttpResponse(contenuto, content_type=tipo)
        risposta["Content-Disposition"] = f'attachment; filename="{nome}.{formato}"'
        return risposta


class CommentiForm(forms.Form):
    """One optional comment per section of the report."""

    def __init__(self, *args, sezioni: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for chiave, titolo in sezioni:
            self.fields[chiave] = forms.CharField(
                label=titolo,
                required=False,
                max_length=LUNGHEZZA_COMMENTO,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Facoltativo; al massimo %(n)s caratteri.") % {"n": LUNGHEZZA_COMMENTO},
            )


class PreparaRelazioneView(_Indicatori, TitoloMixin, TemplateView):
    """The dirigente's comments, then the report printed with them and kept.

    The period, quartieri and comparison come in the query string, as for the PDF; the
    comments in the POST body.
    """

    permission_required = "quartiere.add_relazionestampata"
    template_name = "quartiere/relazioni/prepara.html"
    titolo_pagina = gettext_lazy("Relazione con il commento del dirigente")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filtro = kwargs.get("filtro") or self.get_form()
        ctx["filtro"] = filtro
        if filtro.is_valid():
            ctx["query"] = urlencode(self.parametri(filtro), doseq=True)
            ctx["quartieri"] = self.scelta(filtro)
            if "commenti" not in kwargs:
                iniziali = ultimi_commenti(filtro.cleaned_data["dal"], filtro.cleaned_data["al"])
                ctx["commenti"] = CommentiForm(initial=iniziali, sezioni=sezioni_commentabili())
        return ctx

    def post(self, request, *args, **kwargs):
        filtro = self.get_form()
        commenti = CommentiForm(request.POST, sezioni=sezioni_commentabili())
        if not (filtro.is_valid() and commenti.is_valid()):
            return self.render_to_response(
                self.get_context_data(filtro=filtro, commenti=commenti), status=400
            )
        versione = conserva_relazione(
            autore=request.user,
            dal=filtro.cleaned_data["dal"],
            al=filtro.cleaned_data["al"],
            quartieri=self.scelta(filtro),
            commenti=commenti.cleaned_data,
            **filtro.confronto_scelto(),
        )
        messages.success(
            request,
            _("Relazione stampata e conservata (%(pagine)s pagine).") % {"pagine": versione.pagine},
        )
        return redirect("quartiere:relazioni_stampate")


class RelazioniStampateView(AccessoMixin, TitoloMixin, ListView):
    permission_required = "quartiere.view_relazionestampata"
    template_name = "quartiere/relazioni/elenco.html"
    titolo_pagina = gettext_lazy("Relazioni stampate")
    context_object_name = "relazioni"
    paginate_by = 25

    def get_queryset(self):
        return RelazioneStampata.objects.select_related("creata_da").prefetch_related(
            Prefetch("quartieri", queryset=Quartiere.objects.only("pk", "nome").order_by("nome"))
        )


class RelazioneStampataView(AccessoMixin, View):
    """The PDF exactly as it was printed."""

    permission_required = "quartiere.view_relazionestampata"

    def get(self, request, pk):
        versione = get_object_or_404(RelazioneStampata, pk=pk)
        nome = (
            f"relazione-{versione.dal}-{versione.al}-"
            f"{timezone.localtime(versione.creata_il):%Y%m%d-%H%M}.pdf"
        )
        return FileResponse(
            versione.documento.open("rb"),
            as_attachment=True,
            filename=nome,
            content_type="application/pdf",
        )
