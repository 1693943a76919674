"""djangosaml2's session, kept only where SAML needs it."""

from djangosaml2.middleware import SamlSessionMiddleware

PREFISSO = "/spid/"


class SessioneSamlMiddleware(SamlSessionMiddleware):
    """djangosaml2 keeps the pending AuthnRequests in a session of its own, whose cookie
    survives the identity provider's cross-site POST. Only the SAML URLs read or write it:
    every other page neither loads nor saves a second session."""

    def process_request(self, request):
        if request.path_info.startswith(PREFISSO):
            super().process_request(request)
