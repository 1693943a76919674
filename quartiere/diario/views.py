"""The operators' diary: quick entries and the week view (one operator, or everyone for
coordinators and the director)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, TemplateView, UpdateView

from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, ServizioFormMixin, TitoloMixin
from quartiere.calendario.periodi import data_da_parametro, lunedi_di
from quartiere.diario.forms import AttivitaDiarioForm
from quartiere.diario.models import AttivitaDiario
from quartiere.diario.rules import scope_diario

RUOLI_DIARIO = (policy.OPERATORE, policy.COORDINATORE)


def url_settimana(giorno, operatore_id=None) -> str:
    parametri = {"giorno": giorno.isoformat()}
    if operatore_id:
        parametri["operatore"] = operatore_id
    return f"{reverse('quartiere:diario')}?{urlencode(parametri)}"


class DiarioView(AccessoMixin, TitoloMixin, TemplateView):
    permission_required = "quartiere.view_attivitadiario"
    template_name = "quartiere/diario/settimana.html"
    titolo_pagina = gettext_lazy("Diario delle attività")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        g = self.request.GET
        oggi = timezone.localdate()
        lunedi = lunedi_di(data_da_parametro(g.get("giorno"), oggi))
        giorni = [lunedi + timedelta(days=i) for i in range(7)]
        vede_tutti = user.has_perm("quartiere.view_diario_di_tutti")
        scrive = user.has_perm("quartiere.add_attivitadiario")
        base = scope_diario(AttivitaDiario.objects.all(), user).filter(
            data__gte=lunedi, data__lte=giorni[-1]
        )
        User = get_user_model()
        operatore = None
        if vede_tutti:
            persone = list(
                User.objects.filter(groups__name__in=RUOLI_DIARIO, is_active=True)
                .distinct()
                .only("pk", "username", "first_name", "last_name")
                .order_by("last_name", "first_name", "username")
            )
            ctx["persone"] = persone
            # Default: everyone's week at a glance; ?operatore= opens one diary.
            scelta = g.get("operatore", "")
            if scelta:
                operatore = next((p for p in persone if str(p.pk) == scelta), None)
                if operatore is None:
                    raise Http404
        else:
            operatore = user
        ctx.update(
            lunedi=lunedi,
            giorni=giorni,
            vede_tutti=vede_tutti,
            operatore=operatore,
            titolo_periodo=_("Settimana dal %(dal)s al %(al)s")
            % {
                "dal": formats.date_format(lunedi, "j F"),
                "al": formats.date_format(giorni[-1], "j F Y"),
            },
            url_precedente=url_settimana(
                lunedi - timedelta(days=7), operatore.pk if operatore else None
            ),
            url_successiva=url_settimana(
                lunedi + timedelta(days=7), operatore.pk if operatore else None
            ),
            url_corrente=url_settimana(oggi, operatore.pk if operatore else None),
        )
        if operatore is None:
            ctx["riepilogo"] = self._riepilogo(base, giorni, ctx.get("persone", []))
        else:
            voci = list(
                base.filter(operatore=operatore).select_related("quartiere").order_by("data", "pk")
            )
            per_giorno = defaultdict(list)
            for v in voci:
                per_giorno[v.data].append(v)
            ctx["giorni_voci"] = [
                {
                    "data": giorno,
                    "voci": per_giorno[giorno],
                    "totale": sum((v.ore for v in per_giorno[giorno]), Decimal(0)),
                }
                for giorno in giorni
            ]
            per_tipo = defaultdict(Decimal)
            for v in voci:
                per_tipo[v.get_tipo_display()] += v.ore
            ctx["per_tipo"] = sorted(per_tipo.items())
            ctx["totale"] = sum((v.ore for v in voci), Decimal(0))
            ctx["proprio"] = operatore.pk == user.pk
            if ctx["proprio"] and scrive:
                ctx["form"] = AttivitaDiarioForm(user=user)
        return ctx

    def _riepilogo(self, base, giorni, persone):
        """Hours per person per day, one aggregate query."""
        ore = {
            (r["operatore"], r["data"]): r["ore"]
            for r in base.values("operatore", "data").annotate(ore=Sum("ore")).order_by()
        }
        righe = []
        for p in persone:
            celle = [ore.get((p.pk, g)) for g in giorni]
            totale = sum((c for c in celle if c), Decimal(0))
            righe.append({"persona": p, "celle": celle, "totale": totale})
        return righe


class _AttivitaForm(AccessoMixin, TitoloMixin, ServizioFormMixin):
    form_class = AttivitaDiarioForm
    template_name = "quartiere/diario/attivita_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_success_url(self):
        return url_settimana(self.object.data)


class AttivitaCreateView(_AttivitaForm, CreateView):
    permission_required = "quartiere.add_attivitadiario"
    titolo_pagina = gettext_lazy("Nuova attività nel diario")

    def form_valid(self, form):
        form.instance.operatore = self.request.user
        risposta = super().form_valid(form)
        messages.success(self.request, _("Attività registrata."))
        return risposta


class AttivitaUpdateView(_AttivitaForm, UpdateView):
    permission_required = "quartiere.view_attivitadiario"
    object_permission = "quartiere.change_attivitadiario"
    titolo_pagina = gettext_lazy("Modifica l'attività")

    def get_queryset(self):
        return scope_diario(AttivitaDiario.objects.all(), self.request.user)

    def form_valid(self, form):
        return self.salva_con_versione(
            form, successo=_("Attività modificata."), destinazione=self.get_success_url
        )


@require_POST
def elimina(request, pk):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    voce = policy.get_object_or_404(
        request.user,
        scope_diario(AttivitaDiario.objects.all(), request.user),
        "quartiere.delete_attivitadiario",
        pk=pk,
    )
    giorno = voce.data
    voce.delete()
    messages.success(request, _("Attività eliminata."))
    return redirect(url_settimana(giorno))
