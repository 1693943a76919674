"""The online report step by step, as the Modello Comuni's "Segnalazione disservizio":
Informativa e condizioni -> Dati della segnalazione -> Riepilogo -> Invio.

Server-side steps (django-formtools' named-URL wizard, session storage): every step has its
own address, works without JavaScript and keeps what was typed, files included, until the
report is sent. Two departures from formtools' defaults, both about sending exactly once:

- formtools files the report on a GET of its "done" address (reached by a redirect). Here
  the report is filed by the POST of the summary, which answers with a redirect to the
  confirmation (post/redirect/get): Back or reload never send it again, and a GET never
  files anything.
- formtools keeps one file per field; the attachments field takes up to three, so they
  are stored one by one and put back together for the form.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView

from quartiere.accesso import limiti
from quartiere.identita.services import account_di
from quartiere.lib.errori import ErroreDominio
from quartiere.territorio.models import MASSIMO_INDIRIZZI, Indirizzo
from segnalazioni import chiosco, services
from segnalazioni.allegati import archivio_temporaneo, regola
from segnalazioni.forms import PassoDatiForm, PassoInformativaForm, PassoRiepilogoForm
from segnalazioni.models import BozzaSegnalazione, Tipo
from segnalazioni.views.pubblico import (
    corpo_troppo_grande,
    imposta_cookie_inviata,
    limite_invii,
    servizio_chiuso,
)

PASSI = [
    ("informativa", PassoInformativaForm),
    ("dati", PassoDatiForm),
    ("riepilogo", PassoRiepilogoForm),
]
TITOLI = {
    "informativa": gettext_lazy("Informativa e condizioni"),
    "dati": gettext_lazy("Dati della segnalazione"),
    "riepilogo": gettext_lazy("Riepilogo"),
}
# How a multi-file field's files are keyed in formtools' storage: "dati-allegati~0".
SEPARATORE = "~"


class ProceduraSegnalazione(NamedUrlSessionWizardView):
    form_list = PASSI
    template_name = "segnalazioni/pubblico/procedura.html"

    @property
    def file_storage(self):
        # Built per request (MEDIA_ROOT is read when the request comes, not at import), on
        # the default storage: the next step may run on another app server.
        return archivio_temporaneo()

    # What a citizen typed is never kept by the browser's cache: Back after sending, or
    # the next person at a shared device, finds nothing to restore.
    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        self.chiosco = chiosco.attivo(request)
        return servizio_chiuso(request) or super().dispatch(request, *args, **kwargs)

    # --- Attachments: formtools keeps one file per field -----------------------------------

    def process_step_files(self, form):
        if not form.files:
            return {}
        # Files chosen again replace the ones kept for this step; sending the step without
        # choosing any keeps them (a browser never sends a file back).
        conservati = self.storage.data[self.storage.step_files_key].get(self.steps.current, {})
        for chiave in list(conservati):
            if chiave.split(SEPARATORE)[0] in form.files:
                self.file_storage.delete(conservati.pop(chiave)["tmp_name"])
        return {
            f"{campo}{SEPARATORE}{numero}": file
            for campo in form.files
            for numero, file in enumerate(form.files.getlist(campo))
        }

    def get_form(self, step=None, data=None, files=None):
        if files is not None and not isinstance(files, MultiValueDict):
            insieme = MultiValueDict()
            for chiave in sorted(files):
                insieme.appendlist(chiave.split(SEPARATORE)[0], files[chiave])
            files = insieme
        form = super().get_form(step=step, data=data, files=files)
        if self.chiosco:
            # A shared device: the browser must not offer one citizen's contacts to the next.
            for nome in ("nome_segnalante", "email_segnalante", "telefono_segnalante"):
                if nome in form.fields:
                    form.fields[nome].widget.attrs["autocomplete"] = "off"
        return form

    def get(self, request, *args, **kwargs):
        bozza = self._bozza()
        if bozza is not None and request.GET.get("bozza") == "riprendi":
            # A saved draft back into the steps, as typed; the citizen goes on from step 2.
            self.storage.reset()
            for passo, dati in bozza.passi.items():
                if passo in self.get_form_list():
                    self.storage.set_step_data(passo, dati)
            self.storage.current_step = "dati"
            messages.info(
                request, _("Ecco la bozza che avevi salvato. Gli allegati vanno scelti di nuovo.")
            )
            return redirect(self.get_step_url("dati"))
        if kwargs.get("step") == "dati" == self.steps.current and (
            "cerca" in request.GET or "scelto" in request.GET
        ):
            return self.render(self._dati_da_rivedere())
        if self.chiosco and kwargs.get("step") is None:
            # Every citizen at the kiosk starts from a clean form.
            self.storage.reset()
            return redirect(self.get_step_url(self.steps.first))
        return super().get(request, *args, **kwargs)

    # --- Sending exactly once ---------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        if corpo_troppo_grande(request):
            return self._troppo_grande(request)
        indietro = request.POST.get("wizard_goto_step")
        account = None if self.chiosco else account_di(request)
        if "salva_bozza" in request.POST and account is not None:
            self._passo_della_pagina(request)
            form = self.get_form(data=request.POST, files=request.FILES)
            self.storage.set_step_data(self.steps.current, self.process_step(form))
            self.storage.set_step_files(self.steps.current, self.process_step_files(form))
            salva_bozza(account, self.storage.data[self.storage.step_data_key])
            messages.success(
                request,
                _(
                    "Bozza salvata: la ritrovi nella tua area personale, "
                    "anche da un altro dispositivo."
                ),
            )
            return redirect(self.get_step_url(self.steps.current))
        if "cerca_indirizzo" in request.POST or "usa_indirizzo" in request.POST:
            return self._cerca_indirizzo(request)
        if indietro in self.get_form_list():
            self._passo_della_pagina(request)
            # formtools drops what the step holds when going back: keep it, as typed
            # (checked again before sending).
            form = self.get_form(data=request.POST, files=request.FILES)
            self.storage.set_step_data(self.steps.current, self.process_step(form))
            self.storage.set_step_files(self.steps.current, self.process_step_files(form))
            return self.render_goto_step(indietro)
        if self.steps.current == self.steps.last and not self.chiosco:
            massimo, finestra = limite_invii()
            if limiti.raggiunto(request, "invio", massimo):
                # What was typed stays in the session: the citizen can send it later.
                messages.error(
                    request,
                    _(
                        "Da questo collegamento sono arrivate molte segnalazioni nell'ultima "
                        "ora: per proteggere il servizio, inviala fra un po'. I dati che hai "
                        "inserito restano qui; se hai urgenza chiama o vieni allo sportello."
                    ),
                )
                risposta = self.render(self.get_form())
                risposta.status_code = 429
                risposta["Retry-After"] = str(finestra)
                return risposta
        return super().post(request, *args, **kwargs)

    def _troppo_grande(self, request):
        """413 and the step again, with the rule and what the citizen typed (files aside: a
        browser never sends them back). Three 5 MB files and the text never need more; the
        CSRF middleware has already spooled the body to disk: the hard cap belongs in the
        front web server."""
        messages.error(
            request,
            _("Gli allegati sono troppo grandi. %(regola)s") % {"regola": regola()},
        )
        passo = self.steps.current
        try:
            prefisso = f"{passo}-"
            digitato = {
                k.removeprefix(prefisso): v
                for k, v in request.POST.items()
                if k.startswith(prefisso)
            }
        except Exception:  # noqa: BLE001 - a body that cannot be read: the step as kept
            digitato = {}
        form = self.get_form(step=passo)
        form.initial = {**form.initial, **digitato}
        risposta = self.render(form)
        risposta.status_code = 413
        return risposta

    # --- The address search, without JavaScript ---------------------------------------------

    def _cerca_indirizzo(self, request):
        """ "Cerca l'indirizzo" and the choice of one of the addresses found: what the step
        holds is kept as typed (files included), the chosen address fills street, point and
        quartiere, and the step comes back (post/redirect/get) with the addresses found."""
        self._passo_della_pagina(request)
        if self.steps.current != "dati":
            return redirect(self.get_step_url(self.steps.current))
        dati = request.POST.copy()
        form = self.get_form()
        scelto = request.POST.get("usa_indirizzo", "")
        indirizzo = (
            Indirizzo.objects.select_related("quartiere").filter(pk=scelto).first()
            if scelto.isdigit()
            else None
        )
        if indirizzo is not None:
            dati[form.add_prefix("indirizzo")] = str(indirizzo)
            dati[form.add_prefix("lat")] = str(indirizzo.lat)
            dati[form.add_prefix("lon")] = str(indirizzo.lon)
            if indirizzo.quartiere_id:
                dati[form.add_prefix("quartiere")] = str(indirizzo.quartiere_id)
            messages.success(
                request,
                _("Indirizzo scelto: %(indirizzo)s%(quartiere)s.")
                % {
                    "indirizzo": indirizzo,
                    "quartiere": (
                        _(", quartiere %(nome)s") % {"nome": indirizzo.quartiere.nome}
                        if indirizzo.quartiere_id
                        else ""
                    ),
                },
            )
        form = self.get_form(data=dati, files=request.FILES)
        self.storage.set_step_data("dati", self.process_step(form))
        self.storage.set_step_files("dati", self.process_step_files(form))
        if indirizzo is not None:
            # The confirmation is at the top of the page, where the messages are.
            return redirect(f"{self.get_step_url('dati')}?scelto=1")
        return redirect(f"{self.get_step_url('dati')}?cerca=1#dove")

    def _dati_da_rivedere(self):
        """The step as stored, shown as values to go on with rather than as a form sent: the
        citizen only searched an address, nothing to point at yet."""
        legato = self.get_form(
            data=self.storage.current_step_data, files=self.storage.current_step_files
        )
        form = self.get_form()
        form.initial = {
            **form.initial,
            **{nome: legato[nome].value() for nome in legato.fields if nome != "allegati"},
        }
        return form

    def _passo_della_pagina(self, request) -> None:
        gestione = ManagementForm(request.POST, prefix=self.prefix)
        if gestione.is_valid() and gestione.cleaned_data["current_step"] in self.get_form_list():
            # The step the page was showing (another tab may have moved on).
            self.storage.current_step = gestione.cleaned_data["current_step"]

    def _bozza(self):
        account = None if self.chiosco else account_di(self.request)
        if account is None:
            return None
        return BozzaSegnalazione.objects.filter(account=account).first()

    def render_done(self, form, **kwargs):
        if self.request.method != "POST":
            # formtools would file the report on this GET: here only the summary's POST does.
            return redirect(self.get_step_url(self.steps.first))
        return WizardView.render_done(self, form, **kwargs)

    def get_form_initial(self, step):
        iniziali = super().get_form_initial(step)
        account = None if self.chiosco else account_di(self.request)
        if step == "dati" and account is not None:
            # A citizen logged in with SPID/CIE: their name and e-mail, which they may change.
            utente = self.request.user
            iniziali = {
                **iniziali,
                "nome_segnalante": utente.get_full_name(),
                "email_segnalante": utente.email,
            }
        return iniziali

    def done(self, form_list, form_dict, **kwargs):
        dati = form_dict["dati"]
        campi = dati.dati_segnalazione()
        account = None if self.chiosco else account_di(self.request)
        if account is not None and account.persona_id:
            # Filed by a logged-in citizen: theirs, in their personal area.
            campi["persona"] = account.persona
        try:
            segnalazione = services.crea_segnalazione(
                dati=campi, allegati=dati.cleaned_data["allegati"]
            )
        except ErroreDominio as errore:
            messages.error(self.request, str(errore))
            return redirect(self.get_step_url("dati"))
        if account is not None:
            BozzaSegnalazione.objects.filter(account=account).delete()
        if not self.chiosco:
            limiti.registra(self.request, "invio", limite_invii()[1])
        return imposta_cookie_inviata(redirect("segnalazioni:inviata"), segnalazione)

    # --- The page ------------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        ctx = super().get_context_data(form=form, **kwargs)
        attuale = self.steps.current
        nomi = list(self.get_form_list())
        indice = nomi.index(attuale)
        ctx["passi"] = [
            {
                "nome": nome,
                "titolo": TITOLI[nome],
                "numero": numero,
                "url": self.get_step_url(nome),
                "fatto": numero - 1 < indice,
                "attivo": nome == attuale,
            }
            for numero, nome in enumerate(nomi, 1)
        ]
        ctx["passo_titolo"] = TITOLI[attuale]
        ctx["indirizzo_canonico"] = self.request.build_absolute_uri(
            reverse("segnalazioni:servizio")
        )
        ctx["titolo_pagina"] = _("Segnalazione disservizio: %(passo)s") % {"passo": TITOLI[attuale]}
        ctx["LEAFLET_CONFIG"] = settings.LEAFLET_CONFIG
        ctx["chiosco"] = self.chiosco
        ctx["chiosco_inattivita"] = chiosco.INATTIVITA
        ctx["puo_salvare_bozza"] = not self.chiosco and account_di(self.request) is not None
        if attuale == self.steps.first and ctx["puo_salvare_bozza"]:
            ctx["bozza"] = self._bozza()
        if attuale == "dati":
            ctx["cerca_indirizzi"] = ctx["cerca_indirizzi_senza_js"] = Indirizzo.objects.exists()
            if "cerca" in self.request.GET and ctx["cerca_indirizzi"]:
                cercato = form["indirizzo"].value() or ""
                ctx["indirizzo_cercato"] = cercato
                ctx["indirizzi_trovati"] = list(
                    Indirizzo.objects.cerca(cercato).select_related("quartiere")[:MASSIMO_INDIRIZZI]
                )
            ctx["allegati_conservati"] = [
                dati["name"]
                for dati in self.storage.data[self.storage.step_files_key].get("dati", {}).values()
            ]
        if attuale == "riepilogo":
            dati = self.get_cleaned_data_for_step("dati")
            if dati is None:
                ctx["riepilogo"] = None
            else:
                ctx["riepilogo"] = {
                    **dati,
                    "tipo_etichetta": Tipo(dati["tipo"]).label,
                    "nomi_allegati": [f.name for f in dati["allegati"]],
                }
        return ctx


# --- The kiosk ---------------------------------------------------------------------------------


@require_POST
@login_required
@permission_required("segnalazioni.add_segnalazione", raise_exception=True)
def sblocca_chiosco(request):
    """An operator turns this device into the desk's kiosk (segnalazioni/chiosco.py)."""
    risposta = chiosco.sblocca(redirect(reverse("segnalazioni:invia")), request.user)
    messages.success(
        request,
        _("Questo dispositivo ora è un chiosco per le segnalazioni dei cittadini."),
    )
    return risposta


@require_POST
def blocca_chiosco(request):
    """Anyone may end kiosk mode on a device: it only takes its privileges away."""
    return chiosco.blocca(redirect("segnalazioni:servizio"))


def salva_bozza(account, passi: dict) -> BozzaSegnalazione:
    """What the steps hold now, as typed (no token, no files), as the account's draft."""
    pulito = {
        passo: {k: v for k, v in dati.items() if k != "csrfmiddlewaretoken"}
        for passo, dati in passi.items()
    }
    oggetto = (pulito.get("dati", {}).get("dati-oggetto") or [""])[0]
    bozza, _creata = BozzaSegnalazione.objects.update_or_create(
        account=account, defaults={"passi": pulito, "oggetto": str(oggetto)[:200]}
    )
    return bozza


@require_POST
def elimina_bozza(request):
    """The citizen throws their draft away (from the personal area or the first step)."""
    account = account_di(request)
    if account is None:
        raise Http404
    BozzaSegnalazione.objects.filter(account=account).delete()
    messages.success(request, _("Bozza eliminata."))
    return redirect("quartiere:area_personale")
