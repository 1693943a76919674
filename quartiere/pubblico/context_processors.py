from django.conf import settings
from django.utils.functional import SimpleLazyObject

from quartiere.accesso import policy
from quartiere.identita.stato import saml_attivo
from quartiere.pubblico import navigazione as navigation


def quartiere(request):
    user = request.user
    percorso = request.path
    ruoli = policy.ruoli(user)

    def _navigazione():
        if ruoli:
            return navigation.menu_staff(user, percorso)
        return navigation.menu_pubblico(user, percorso)

    return {
        "COMUNE_NOME": settings.COMUNE_NOME,
        # The one tile server of every map (QUARTIERE_MAP_TILES; the CSP allows its host).
        "MAPPA_TILES": settings.LEAFLET_CONFIG["TILES"],
        "ruoli": ruoli,
        "navigazione": SimpleLazyObject(_navigazione),
        "navigazione_pubblica": SimpleLazyObject(lambda: navigation.menu_pubblico(user, percorso)),
        # A citizen who came with SPID/CIE leaves through single logout: a link, since a
        # form may not be redirected to the identity provider (CSP form-action 'self').
        "uscita_saml": bool(
            user.is_authenticated
            and not ruoli
            and settings.SAML_SESSION_COOKIE_NAME in request.COOKIES
            and saml_attivo()
        ),
    }
