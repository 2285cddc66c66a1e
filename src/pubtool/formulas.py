"""Formulas written in TeX (``$E=mc^2$``, ``$$…$$``): MathML for the EPUB through
latex2mathml, vector drawings for print through ziamath (WeasyPrint draws no MathML),
the only importers of both.

A formula is checked where it is read: TeX that latex2mathml cannot parse, a command it
does not know (it would keep ``\\foo`` as a letter), or a character the math font
(STIX Two Math, which ziamath ships) has no glyph for is a problem at its line. The TeX
itself is the formula's text alternative: ``alttext`` on the EPUB's ``<math>``, the alt
text of the print edition's drawing.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from pubtool import xhtml

if TYPE_CHECKING:
    from ziamath.mathfont import MathFont

# latex2mathml and ziamath are imported where a formula is first converted: together
# they take a fifth of a second to load, which a book without formulas never pays.

#: the size ziamath draws at; print scales the drawing to the text's em
_DRAWN_SIZE = 20.0
#: a command latex2mathml did not know: it keeps it as a token's text
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")
#: the text of MathML's token elements: what the math font must draw
_TOKEN = re.compile(r"<(mi|mn|mo|mtext)\b[^>]*>([^<]*)</\1>")
#: MathML's elements of fixed arity, and what a formula lacks when one has fewer
_ARITY = {
    "mfrac": (2, "\\frac has no denominator (write \\frac{a}{b})"),
    "mroot": (2, "a root has no radicand"),
    "msub": (2, "a subscript has nothing to stand under"),
    "msup": (2, "a superscript has nothing to stand over"),
    "msubsup": (3, "a sub- and superscript pair is incomplete"),
    "munder": (2, "an accent or limit below has nothing to stand under"),
    "mover": (2, "an accent or limit above has nothing to stand over"),
    "munderover": (3, "limits below and above are incomplete"),
}
_VIEW_BOX = re.compile(r'<svg\b[^>]*\bviewBox="([^"]*)"')


class FormulaError(ValueError):
    """A formula that cannot be converted; its message says why, for the author."""


@cache
def mathml(tex: str, display: bool) -> str:
    """The formula as a ``<math>`` element (MathML 3, in its namespace), with the TeX as
    its ``alttext``; raises :class:`FormulaError`."""
    import latex2mathml.converter

    try:
        converted = latex2mathml.converter.convert(tex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises its own exception per TeX mistake
        raise FormulaError(_reason(error)) from None
    problem = xhtml.check_well_formed(converted.encode("utf-8"))
    if problem:
        raise FormulaError("a character TeX reserves (& or #) stands outside an environment")
    for name, count in xhtml.child_counts(converted):
        wanted = _ARITY.get(name)
        if wanted is not None and count != wanted[0]:
            raise FormulaError(wanted[1])
    unknown = _UNKNOWN_COMMAND.search(converted)
    if unknown:
        raise FormulaError(f"unknown TeX command {unknown.group(1)}")
    drawn = "".join(html.unescape(m.group(2)) for m in _TOKEN.finditer(converted))
    missing = sorted({c for c in drawn if not _has_glyph(c)})
    if missing:
        raise FormulaError(
            "the math font has no glyph for " + " ".join(missing) + " (write words outside it)"
        )
    alt = html.escape(" ".join(tex.split()), quote=True)
    return converted.replace("<math ", f'<math alttext="{alt}" ', 1)


#: what latex2mathml's exceptions mean, said for an author
_REASONS = {
    "NumeratorNotFoundError": "\\frac has no numerator",
    "DenominatorNotFoundError": "\\frac has no denominator",
    "ExtraLeftOrMissingRightError": "a \\left has no \\right",
    "MissingSuperScriptOrSubscriptError": "^ or _ has nothing after it",
    "DoubleSubscriptsError": "two subscripts in a row (x_1_2): brace one (x_{1_2})",
    "DoubleSuperscriptsError": "two superscripts in a row (x^1^2): brace one (x^{1^2})",
    "NoAvailableTokensError": "the formula ends inside a command: a brace or argument is missing",
    "MissingEndError": "a \\begin{…} has no \\end{…}",
    "InvalidAlignmentError": "an array's column alignment is not l, c or r",
    "InvalidWidthError": "a width is not a TeX length",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator such as \\sum",
}


def _reason(error: Exception) -> str:
    reason = _REASONS.get(type(error).__name__)
    return reason or f"TeX that cannot be read ({type(error).__name__}: {error})"


@cache
def _font() -> MathFont:
    import ziamath

    return ziamath.Latex("x").font  # type: ignore[attr-defined]  # exported, not in __all__


def _has_glyph(char: str) -> bool:
    return char.isspace() or char == "\u00a0" or _font().glyphindex(char) != 0


def problem(tex: str, display: bool = False) -> str | None:
    """Why the formula cannot be converted, or None."""
    if not tex.strip():
        return "the formula is empty"
    try:
        mathml(tex, display)
    except FormulaError as error:
        return str(error)
    return None


@dataclass(frozen=True, slots=True)
class Drawing:
    """A formula drawn for print: the SVG, and its size in ems of the text around it
    (``depth``: how far it reaches below the baseline)."""

    svg: str
    width: float
    height: float
    depth: float


@cache
def drawing(tex: str, display: bool) -> Drawing:
    """The formula drawn as SVG, from the MathML the EPUB holds (so both editions show
    the same formula)."""
    import ziamath

    root = logging.getLogger()
    if not root.handlers:
        # ziafont logs with logging.debug(), which, on a root logger without a handler,
        # installs one that prints every later warning (WeasyPrint's) raw on stderr
        root.addHandler(logging.NullHandler())
    drawn = ziamath.Math(mathml(tex, display), size=_DRAWN_SIZE)  # type: ignore[attr-defined]
    svg = drawn.svg()
    box = _VIEW_BOX.search(svg)
    _, top, width, height = (float(v) for v in (box.group(1) if box else "0 0 0 0").split())
    return Drawing(
        svg,
        width / _DRAWN_SIZE,
        height / _DRAWN_SIZE,
        (height + top) / _DRAWN_SIZE,
    )
