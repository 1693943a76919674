"""axe-core checks for browser tests."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessibile(page) -> None:
    """Fail with axe's report when the page has any accessibility violation."""
    risultati = _axe.run(page)
    assert risultati.violations_count == 0, risultati.generate_report()


def accedi(page, live_server, username: str, password: str = "quartiere-demo") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_load_state()
