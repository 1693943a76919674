"""Citizens' login: SPID and CIE (SAML 2.0) and the Comune's OpenID Connect broker.

Every way in ends in :func:`quartiere.identita.services.accedi`, which ties the login to the
registry's ``Persona`` by codice fiscale (:class:`~quartiere.identita.models.AccountCittadino`).
A citizen's user has no group, so the access policy gives them no staff role.
"""
