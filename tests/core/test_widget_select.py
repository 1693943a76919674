"""The project's one-loop <select> (templates/django/forms/widgets/select.html) renders
exactly what Django's own templates render: selected, disabled, optgroups, attributes,
multiple, escaping, lazy and non-string labels."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

DJANGO = DjangoTemplates()
PROGETTO = TemplatesSetting()


class SelectConOpzioneDisabilitata(forms.Select):
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        opzione = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "b":
            opzione["attrs"]["disabled"] = True
        opzione["attrs"]["data-false"] = False
        opzione["attrs"]["data-sicuro"] = mark_safe("<b>")
        opzione["attrs"]["data-non-sicuro"] = '"&<'
        return opzione


class OpzioneRadio(forms.Select):
    """An option drawn by another template: the override must include it as Django does."""

    option_template_name = "django/forms/widgets/input_option.html"


SCELTE = [("a", "Alfa"), ("b", "B & <b>"), ("c", gettext_lazy("Stato")), (4, 5)]
GRUPPI = [
    ("", "---"),
    ("Gruppo <1>", [("x", "Ics"), ("y", "Ipsilon")]),
    (gettext_lazy("Quartiere"), [(1, "Uno"), (2, "Due")]),
    ("z", "Zeta"),
]

CASI = [
    (forms.Select(choices=SCELTE), "a"),
    (forms.Select(choices=SCELTE), None),
    (forms.Select(choices=SCELTE, attrs={"class": "form-select", "required": True}), 4),
    (forms.Select(choices=GRUPPI, attrs={"aria-describedby": "aiuto"}), "y"),
    (forms.SelectMultiple(choices=GRUPPI), ["x", "1", "z"]),
    (forms.SelectMultiple(choices=SCELTE, attrs={"disabled": False}), []),
    (forms.NullBooleanSelect(), True),
    (SelectConOpzioneDisabilitata(choices=SCELTE), "b"),
    (OpzioneRadio(choices=SCELTE), "a"),
    (forms.Select(choices=[]), None),
]


def test_il_progetto_usa_la_sua_select():
    """Without this the comparison below would compare Django with itself."""
    assert isinstance(get_default_renderer(), TemplatesSetting)
    origine = PROGETTO.get_template("django/forms/widgets/select.html").origin.name
    assert origine.endswith("templates/django/forms/widgets/select.html")
    assert "site-packages" not in origine


@pytest.mark.parametrize("lingua", ["it", "en"])
@pytest.mark.parametrize(("widget", "valore"), CASI)
def test_select_identica_a_quella_di_django(widget, valore, lingua, settings):
    from django.utils import translation

    with translation.override(lingua):
        attese = widget.render("campo", valore, attrs={"id": "id_campo"}, renderer=DJANGO)
        nostre = widget.render("campo", valore, attrs={"id": "id_campo"}, renderer=PROGETTO)
    assert nostre == attese
    assert attese.startswith("<select")


def test_select_di_un_modulo_con_modelchoice(db, quartiere_factory):
    from quartiere.territorio.models import Quartiere

    quartiere_factory.create_batch(3)

    class Modulo(forms.Form):
        quartiere = forms.ModelChoiceField(Quartiere.objects.order_by("pk"), required=False)
        quartieri = forms.ModelMultipleChoiceField(Quartiere.objects.order_by("pk"))

    primo = Quartiere.objects.order_by("pk").first()
    dati = {"quartiere": primo.pk, "quartieri": [primo.pk]}
    assert str(Modulo(dati, renderer=PROGETTO)) == str(Modulo(dati, renderer=DJANGO))
