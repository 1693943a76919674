"""Fill the test broker: its signing key, a client for the service, the citizens.
Usage: python -m tests.identita.op.prepara <redirect_uri> <client_id> <secret> <json utenti>"""

import json
import sys

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oidc_provider.models import Client, ResponseType  # noqa: E402

redirect_uri, client_id, segreto, utenti = sys.argv[1:5]
call_command("creatersakey")
client = Client.objects.create(
    name="Quartiere",
    client_type="confidential",
    client_id=client_id,
    client_secret=segreto,
    jwt_alg="RS256",
    require_consent=False,
    redirect_uris=[redirect_uri],
)
client.response_types.add(ResponseType.objects.get(value="code"))
for cf, dati in json.loads(utenti).items():
    User.objects.create_user(cf, password="password-di-prova", **dati)
