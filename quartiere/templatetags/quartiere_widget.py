"""A faster ``<select>``: the options of a select rendered in one Python loop instead of one
``{% include %}`` of ``select_option.html`` (and of ``attrs.html``) per option, which is
where the staff pages spent most of their rendering time (docs/performance.md, 4.1).

The output is byte-for-byte the one of Django's own templates (``django/forms/widgets/
select.html``, ``select_option.html``, ``attrs.html``); tests/quartiere/test_widget_select.py
compares the two renderers over selected, disabled, grouped, multiple and escaped options.
An option whose widget names another template than Django's is rendered through it, as the
``{% include option.template_name %}`` of the original would.
"""

from __future__ import annotations

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

OPZIONE_DJANGO = "django/forms/widgets/select_option.html"


def _formato_s(valore, context) -> str:
    """``{{ valore|stringformat:'s' }}``: ``%s``, still safe if it was, then escaped."""
    testo = "%s" % (valore,)  # noqa: UP031 - exactly the stringformat filter
    if isinstance(valore, SafeData):
        testo = mark_safe(testo)  # noqa: S308 - it was safe before formatting
    return render_value_in_context(testo, context)


def _attributi(attrs: dict, context) -> str:
    """``django/forms/widgets/attrs.html``."""
    parti = []
    for nome, valore in attrs.items():
        if valore is not False:
            parti.append(" " + render_value_in_context(nome, context))
            if valore is not True:
                parti.append('="' + _formato_s(valore, context) + '"')
    return "".join(parti)


@register.simple_tag(takes_context=True)
def opzioni_select(context, widget):
    """The optgroups and options of a select widget, as ``select.html`` renders them."""
    parti = []
    for nome_gruppo, opzioni, _indice in widget["optgroups"]:
        if nome_gruppo:
            etichetta = render_value_in_context(nome_gruppo, context)
            parti.append(f'\n  <optgroup label="{etichetta}">')
        for opzione in opzioni:
            parti.append("\n  ")
            if opzione["template_name"] == OPZIONE_DJANGO:
                parti.append(
                    '<option value="'
                    + _formato_s(opzione["value"], context)
                    + '"'
                    + _attributi(opzione["attrs"], context)
                    + ">"
                    + render_value_in_context(opzione["label"], context)
                    + "</option>\n"
                )
            else:
                modello = context.template.engine.get_template(opzione["template_name"])
                with context.push(widget=opzione):
                    parti.append(modello.render(context))
        if nome_gruppo:
            parti.append("\n  </optgroup>")
    return mark_safe("".join(parti))  # noqa: S308 - every piece escaped above
