"""ISBNs, with python-stdnum: checked, and shown with the hyphens of their agency's ranges.

stdnum carries the International ISBN Agency's range table, so that 9787020002207 is
shown as 978-7-02-000220-7 and 9781402894626 as 978-1-4028-9462-6.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum import ean
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, ValidationError


@dataclass(frozen=True, slots=True)
class Checked:
    """An ISBN as written, checked: its 13 digits, or what is wrong with it and a hint."""

    digits: str = ""
    problem: str = ""
    hint: str = ""


def check(text: str) -> Checked:
    """``text`` (hyphens and spaces allowed) as an ISBN-13, or why it is not one."""
    compact = stdnum_isbn.compact(text)
    try:
        valid = stdnum_isbn.validate(compact)
    except InvalidChecksum:
        if len(compact) == 13:
            right = ean.calc_check_digit(compact[:12])
            return Checked(
                problem=f"the ISBN {text!r} has a wrong check digit",
                hint=f"with these first twelve digits the last is {right} "
                f"({hyphenated(compact[:12] + right)}): check the number with its agency",
            )
        return Checked(problem=f"the ISBN-10 {text!r} has a wrong check digit")
    except ValidationError:
        return Checked(
            problem=f"{text!r} is not an ISBN",
            hint="an ISBN-13 has 13 digits and starts with 978 or 979, e.g. 978-1-4028-9462-6",
        )
    if len(valid) == 10:
        thirteen = hyphenated(stdnum_isbn.to_isbn13(valid))
        return Checked(
            problem=f"{text!r} is an ISBN-10",
            hint=f"books since 2007 carry an ISBN-13: write {thirteen}",
        )
    return Checked(digits=valid)


def hyphenated(digits: str) -> str:
    """The ISBN-13 ``digits`` as printed: 978-7-02-000220-7."""
    return str(stdnum_isbn.format(digits))
