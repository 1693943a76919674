"""What the test broker says of a user: names and e-mail, and the tax code (username)."""

from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims, user):
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    return claims


class ClaimsDelBroker(ScopeClaims):
    info_cf = ("Codice fiscale", "Il tuo codice fiscale.")

    def scope_cf(self):
        return {"fiscal_number": f"TINIT-{self.user.username}"}
