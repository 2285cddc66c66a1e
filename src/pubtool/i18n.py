"""Locale data from Babel (CLDR): dates and names written the way each edition's readers expect."""

from __future__ import annotations

import datetime as dt

import babel
import babel.dates


def _locale(lang: str) -> babel.Locale:
    try:
        return babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en")


def format_date(date: dt.date, lang: str) -> str:
    """``date`` in the long form of ``lang`` ("28 November 2026", "2026年11月28日")."""
    return babel.dates.format_date(date, format="long", locale=_locale(lang))


def language_name(lang: str) -> str:
    """The name of ``lang`` in that language ("English", "中文")."""
    return _locale(lang).display_name or lang
