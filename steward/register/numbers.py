"""Registration numbers: ``M`` + six serial digits + a Damm check digit.

The Damm check digit catches every single-digit error and every swap of two
neighbouring digits, and is always a digit (unlike mod 11, which sometimes
needs an "X" or a skipped number).
"""

import re

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
SERIAL_DIGITS = 6
MAX_SERIAL = 10**SERIAL_DIGITS - 1
PATTERN = re.compile(r"^M[0-9]{7}$")


def damm_digit(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return interim


def registration_number(serial: int) -> str:
    if not 0 <= serial <= MAX_SERIAL:
        raise ValueError(f"Registration serials run from 0 to {MAX_SERIAL}.")
    digits = f"{serial:0{SERIAL_DIGITS}d}"
    return f"M{digits}{damm_digit(digits)}"


def clean_registration_number(value: str) -> str:
    """Upper-cased and stripped of spaces; ``M1234567`` style."""
    return "".join((value or "").split()).upper()


def is_valid_registration_number(value: str) -> bool:
    value = clean_registration_number(value)
    return bool(PATTERN.match(value)) and damm_digit(value[1:]) == 0


def registration_number_problem(value: str) -> str | None:
    """What is wrong with a registration number, in words for people; None if fine."""
    value = clean_registration_number(value)
    if not value:
        return "Enter a registration number."
    if not PATTERN.match(value):
        return "A registration number is the letter M followed by 7 digits, like M1234567."
    if damm_digit(value[1:]) != 0:
        return (
            f"{value} is not a real registration number: a digit is wrong or two are "
            "swapped. Check it against the register."
        )
    return None
