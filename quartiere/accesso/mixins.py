"""The mixins every staff view uses: access, page title, and saving through a service."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect

from quartiere.accesso import policy
from quartiere.accesso.versioni import ConflittoModifica
from quartiere.lib.errori import ErroreDominio


class AccessoMixin(LoginRequiredMixin):
    """Login, then the policy.

    ``permission_required`` is checked without an object before the view runs;
    ``object_permission`` is checked on the object fetched by :meth:`get_object`
    through the view's scoped ``get_queryset`` (outside scope: 404; in scope but not
    allowed: 403).
    """

    permission_required: str | None = None
    object_permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission_required and not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return policy.get_object_or_404(
            self.request.user, queryset, self.object_permission, pk=self.kwargs["pk"]
        )


class TitoloMixin:
    """Puts ``titolo_pagina`` (the <title> and <h1>) in the context."""

    titolo_pagina = ""

    def get_titolo_pagina(self):
        return self.titolo_pagina

    def get_context_data(self, **kwargs):
        kwargs.setdefault("titolo_pagina", self.get_titolo_pagina())
        return super().get_context_data(**kwargs)


class ServizioFormMixin:
    """``form_valid`` for forms whose save goes through a service (docs/sviluppo.md).

    ``self.esegui_servizio(form, azione, successo=...)`` runs ``azione()``; a refusal of the
    domain (``ErroreDominio``) comes back as an error at the top of the form, with what the
    user typed; a concurrent edit (``ConflittoModifica``) also carries the values saved in
    the meantime, which ``includes/form_errori.html`` lists. On success: the message
    (a string, or a function of the result) and a redirect to ``destinazione`` (a URL,
    a model instance or a function returning one, called after ``azione``; by default
    the result itself, or ``self.get_success_url()`` when the result is None).
    """

    def esegui_servizio(self, form, azione, *, successo, destinazione=None):
        try:
            risultato = azione()
        except ConflittoModifica as conflitto:
            form.conflitto = conflitto
            form.add_error(None, str(conflitto))
            return self.form_invalid(form)
        except ErroreDominio as errore:
            form.add_error(None, str(errore))
            return self.form_invalid(form)
        messages.success(self.request, successo(risultato) if callable(successo) else successo)
        if destinazione is None:
            destinazione = risultato if risultato is not None else self.get_success_url()
        elif callable(destinazione):
            destinazione = destinazione()
        return redirect(destinazione)

    def salva_con_versione(self, form, *, successo, destinazione=None):
        """``esegui_servizio`` for a versioned ModelForm: ``form.save_versioned()``."""

        def salva():
            with transaction.atomic():
                self.object = form.save_versioned()
            return self.object

        return self.esegui_servizio(form, salva, successo=successo, destinazione=destinazione)


def con_password(vista):
    """Only for users who log in with a password: a citizen's account (SPID, CIE, the
    broker) has none to change (403); the anonymous visitor goes to the login as before."""

    @wraps(vista)
    def avvolta(request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            raise PermissionDenied
        return vista(request, *args, **kwargs)

    return avvolta
