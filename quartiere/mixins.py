"""The one access mixin and the one context mixin the staff views use."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from quartiere import rules as policy


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
