"""Periods of the calendar pages: weeks and dates from query parameters."""

from __future__ import annotations

from datetime import date, timedelta


def lunedi_di(giorno: date) -> date:
    return giorno - timedelta(days=giorno.weekday())


def data_da_parametro(valore: str | None, predefinita: date) -> date:
    try:
        return date.fromisoformat(valore) if valore else predefinita
    except ValueError:
        return predefinita
