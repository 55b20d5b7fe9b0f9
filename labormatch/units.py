"""One text formatter per unit of a figure, shared by the app, the CLI and the workbook's sentences.

Counts (workers, worker-months, worker-seasons) are written whole with thousands separators, shares in
percent (a change in percentage points), US dollars as the workbook writes them ("$13.3 billion"). The CLI's
fixed-width tables ask for the compact form of money (millions: "13,295.5m"). A missing value reads "n/a".
"""

from __future__ import annotations

import math

COUNT_UNITS = frozenset({"workers", "worker-months", "worker-seasons"})  # the headline figures' counts
SHARE = "share"
USD = "USD"


def money(usd: float) -> str:
    """US dollars: "$13.3 billion", "$412.5 million", "$95,000", "-$1.3 billion"."""
    sign, usd = ("-" if usd < 0 else ""), abs(usd)
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if usd >= size:
            return f"{sign}${usd / size:,.1f} {word}"
    return f"{sign}${usd:,.0f}"


def format_value(value: float | None, unit: str, *, delta: bool = False, compact: bool = False) -> str:
    """`value` in `unit` as text; `delta` writes a change (signed, shares in percentage points), `compact` money in
    millions for fixed-width tables. A unit without a rule (a figure the model added) keeps 4 significant digits.
    A value that rounds to nothing carries no sign: "0", not "+0" or "-0"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    text = _written(value, unit, delta=delta, compact=compact)
    return text.lstrip("+-") if shows_as_zero(text) else text


def shows_as_zero(text: str) -> bool:
    """True when a written value reads as nothing: no digit but 0 ("0", "$0", "0.0 pp", "-0.0m")."""
    return not any(digit in text for digit in "123456789")


def _written(value: float, unit: str, *, delta: bool, compact: bool) -> str:
    sign = "+" if delta else ""
    if unit == USD:
        if compact:
            return f"{value / 1e6:{sign},.1f}m"
        return ("+" if delta and value > 0 else "") + money(value)
    if unit == SHARE:
        return f"{value * 100:+.1f} pp" if delta else f"{value:.1%}"
    if unit in COUNT_UNITS:
        return f"{value:{sign},.0f}"
    return f"{value:{sign},.4g}"
