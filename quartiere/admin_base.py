"""The admin under the shared access policy.

Every ModelAdmin of the project derives from :class:`PolicyAdmin`: permissions come
from the rules (object-level included) and ``scope_queryset`` narrows the changelist,
the change form and the autocomplete to what the user may see, so the admin is no
back door around the staff pages.
"""

from __future__ import annotations

from rules.contrib.admin import ObjectPermissionsModelAdmin


class PolicyAdmin(ObjectPermissionsModelAdmin):
    def scope_queryset(self, request, queryset):
        return queryset

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))
