"""The authentication backend of SPID and CIE: an assertion → the citizen's user."""

from __future__ import annotations

from djangosaml2.backends import Saml2Backend

from quartiere.identita.services import Identita, accedi


class BackendSaml(Saml2Backend):
    """djangosaml2's backend, with the user found or created by
    :func:`quartiere.identita.services.accedi` (by codice fiscale, tied to the Persona)."""

    def is_authorized(self, attributes, attribute_mapping, idp_entityid, assertion_info, **kw):
        return bool(attributes.get("fiscalNumber"))

    def get_or_create_user(
        self,
        user_lookup_key,
        user_lookup_value,
        create_unknown_user,
        idp_entityid,
        attributes,
        attribute_mapping,
        request,
    ):
        from quartiere.identita.saml import metodo_del_gestore  # pysaml2: only here

        def primo(nome: str) -> str:
            return (attributes.get(nome) or [""])[0] or ""

        utente = accedi(
            Identita(
                codice_fiscale=primo("fiscalNumber"),
                nome=primo("name"),
                cognome=primo("familyName"),
                email=primo("email"),
                metodo=metodo_del_gestore(idp_entityid),
                fornitore=idp_entityid,
            )
        )
        return utente, False

    def _update_user(self, user, attributes, attribute_mapping, force_save=False):
        # ``accedi`` already wrote the names and the e-mail.
        return user
