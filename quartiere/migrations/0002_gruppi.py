"""Create the role groups.

What each role may do is declared once, in the rules modules (``*/rules.py``), as
predicates over these groups; the groups carry no Django model permissions so that
there is a single source of truth for access.
"""

from django.db import migrations

RUOLI = ["operatore", "mediatore", "coordinatore", "dirigente", "amministratore"]


def crea_gruppi(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for nome in RUOLI:
        Group.objects.get_or_create(name=nome)


class Migration(migrations.Migration):
    dependencies = [
        ("quartiere", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(crea_gruppi, migrations.RunPython.noop)]
