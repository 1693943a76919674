"""The two-factor pages in a browser: enrolment and verification, with axe on each state."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accessibilita import accedi, assert_accessibile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _codice(device, passi=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + passi * device.step
    return f"{totp.token():0{device.digits}d}"


def test_coordinatore_attiva_e_usa_la_verifica_in_due_passaggi(
    page, live_server, coordinatore, settings
):
    settings.QUARTIERE_2FA_GRUPPI = ["coordinatore"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    # Script violations only: the theme's bundle injects two empty inline styles on every
    # page (seen on the login page too), which the CSP blocks harmlessly.
    errori_csp = []
    page.on(
        "console",
        lambda m: (
            errori_csp.append((page.url, m.text))
            if "Content Security Policy" in m.text and "script" in m.text
            else None
        ),
    )

    accedi(page, live_server, "coordinatore")
    page.wait_for_url(f"{live_server.url}{reverse('otp:attiva')}**")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Attiva la verifica in due passaggi"
    )
    qr = page.get_by_role("img", name="Codice QR", exact=False)
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessibile(page)

    device = TOTPDevice.objects.get(user=coordinatore)
    page.get_by_label("Codice di verifica").fill("000000" if _codice(device) != "000000" else "1")
    page.get_by_role("button", name="Conferma e accedi").click()
    expect(page.get_by_text("Codice non valido o scaduto")).to_be_visible()
    assert_accessibile(page)

    page.get_by_label("Codice di verifica").fill(_codice(device))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{reverse('quartiere:scrivania')}")

    page.get_by_role("button", name="Esci").first.click()
    accedi(page, live_server, "coordinatore")
    page.wait_for_url(f"{live_server.url}{reverse('otp:verifica')}**")
    assert_accessibile(page)
    page.get_by_label("Codice di verifica").fill(_codice(device, passi=1))
    page.get_by_role("button", name="Verifica").click()
    page.wait_for_url(f"{live_server.url}{reverse('quartiere:scrivania')}")
    assert not errori_csp, errori_csp
