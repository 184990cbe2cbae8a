"""Numbers written for people: fixed significant figures, never e-notation, one typography.

Every human-facing figure (the window's text, the command line's tables, the
report, chart labels) goes through these, so "×1.6e+02", "200 to 5e+03" and
"-0.69--0.029" never reach a reader: they read "×160", "200 to 5,000" and
"−0.69 to −0.029". Machine-facing output (JSON, CSV values) keeps full
precision and is not formatted here.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
LARGEST_PLAIN = 1e15
"""From a thousand million million up, a number reads as a power of ten (3.8 × 10²⁵ FLOP)."""
SMALLEST_PLAIN = 1e-4


def number(value: float, digits: int = 3, *, zeros: bool = False) -> str:
    """``value`` to at most ``digits`` significant figures: 0.0123, 4.56, 2.5, 1,230, 45,600,000,
    3.8 × 10²⁵, −0.69; with ``zeros``, to exactly ``digits`` when it has decimals (1.0, 0.50, 1.02), for a
    measured figure whose last digit means something ("1×" would read as the same where 1.04 is more)."""
    if value is None or not math.isfinite(value):
        return "n/a" if value is None or math.isnan(value) else ("∞" if value > 0 else f"{MINUS}∞")
    if value == 0:
        return "0"
    sign = MINUS if value < 0 else ""
    magnitude = abs(value)
    rounded = float(f"{magnitude:.{digits}g}")
    exponent = math.floor(math.log10(rounded))
    if rounded >= LARGEST_PLAIN or rounded < SMALLEST_PLAIN:
        mantissa = f"{rounded / 10**exponent:.{digits}f}"[: digits + 1].rstrip("0").rstrip(".")
        return f"{sign}{mantissa} × 10{str(exponent).translate(SUPERSCRIPTS)}"
    decimals = max(0, digits - 1 - exponent)
    text = f"{rounded:,.{decimals}f}"
    if "." in text and not zeros:  # "2.5 billion", "24 accelerators": at most ``digits`` figures, no trailing zeros
        text = text.rstrip("0").rstrip(".")
    return sign + text


def span(low: float, high: float, digits: int = 2) -> str:
    """A range in words, safe with negative ends: "−0.69 to −0.029", "200 to 5,000"."""
    return f"{number(low, digits)} to {number(high, digits)}"


def band(low: float, high: float, digits: int = 2) -> str:
    """A band in parentheses' style: "41–200" with an en dash, "−0.69 to −0.029" once an end is negative."""
    if low < 0 or high < 0:
        return span(low, high, digits)
    return f"{number(low, digits)}–{number(high, digits)}"


def times(value: float, digits: int = 3, *, zeros: bool = True) -> str:
    """A ratio to ``digits`` significant figures, trailing zeros kept: "1.37×", "0.087×", "160×", "1.0×"
    (a review's finding: 1.02 read "1×" beside "0.96×", uneven exactly where a verdict flips); an axis's
    round ticks pass ``zeros=False`` ("0.5×", "1×", "2×")."""
    return "n/a" if value is None or not math.isfinite(value) else f"{number(value, digits, zeros=zeros)}×"


def years_text(years: float) -> str:
    """"5 years", "1 year", "2.5 years": a horizon as the headline, the verdict and the equivalents say it."""
    return f"{years:g} year" + ("" if years == 1 else "s")


def signed(value: float, decimals: int = 2) -> str:
    """A number to fixed decimals with a true minus sign: "−0.40" (and never "−0.00")."""
    text = f"{abs(value):.{decimals}f}"
    return f"{MINUS}{text}" if value < 0 and float(text) != 0 else text


def percent(share: float) -> str:
    """A share as a whole percentage: "74 %"; a share that rounds to 0 or 100 but is not says so ("<1 %")."""
    if share is None or not math.isfinite(share):
        return "n/a"
    if 0 < share < 0.005:
        return "<1 %"
    if 0.995 <= share < 1:
        return ">99 %"
    return f"{share * 100:.0f} %"


def change(fraction: float, decimals: int = 1) -> str:
    """A relative difference as a signed percentage with a true minus: "+0.2 %", "−24.0 %", "0.0 %"."""
    if fraction is None or not math.isfinite(fraction):
        return "n/a"
    text = signed(100 * fraction, decimals)
    return f"+{text} %" if fraction > 0 and float(text) != 0 else f"{text} %"
