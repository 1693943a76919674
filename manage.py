#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartiere.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Load the settings now: Django's command runner would otherwise swallow a
    # configuration error (a missing secret, a non-PostgreSQL DATABASE_URL) and go on.
    settings.INSTALLED_APPS  # noqa: B018
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
