import importlib

import pytest


@pytest.fixture(autouse=True)
def _informativa_seminata(request):
    """The data migration's notice and records, put back when a transactional test (browser,
    live server) flushed them earlier in the same worker."""
    if not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from quartiere.privacy.models import Informativa

    if not Informativa.objects.exists():
        migrazione = importlib.import_module(
            "quartiere.migrations.0005_informativa_trattamenti_iniziali"
        )
        migrazione.semina(apps, None)
