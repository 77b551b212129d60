"""Units of prize entries: what authors may type, what we store, what we refuse.

Authors enter energy in J, kJ, MJ, Wh, kWh or MWh, time in s, min, h or d, and power
in mW, W, kW or MW; entries store joules, seconds and watts. Values are refused with a
sentence saying why: not a finite positive number, outside the range any training run
can have, or average power x time far from the stated energy.
"""

import math
import re

from django.core.exceptions import ValidationError

ENERGY_UNITS = {
    "J": 1.0,
    "kJ": 1e3,
    "MJ": 1e6,
    "Wh": 3600.0,
    "kWh": 3.6e6,
    "MWh": 3.6e9,
}
TIME_UNITS = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
POWER_UNITS = {"mW": 1e-3, "W": 1.0, "kW": 1e3, "MW": 1e6}

# Other spellings people type; matched case-insensitively after the exact units.
ALIASES = {
    "j": "J",
    "joule": "J",
    "joules": "J",
    "kj": "kJ",
    "wh": "Wh",
    "kwh": "kWh",
    "mwh": "MWh",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "day": "d",
    "days": "d",
    "w": "W",
    "watt": "W",
    "watts": "W",
    "kw": "kW",
}

# Bounds of physical sense for one training run to a target quality.
# Below a millijoule no training run reaches a quality target (a single forward pass
# of a small network on a microcontroller already costs microjoules, and a run needs
# many thousands of them); 10^15 J (278 GWh) is hundreds of times the largest
# published training runs.
MIN_ENERGY_J = 1e-3
MAX_ENERGY_J = 1e15
MIN_TIME_S = 1e-3
MAX_TIME_S = 10 * 365.25 * 86400  # ten years
MIN_POWER_W = 1e-6
MAX_POWER_W = 1e8  # 100 MW: a whole data centre
# Average power x time must be within this factor of the energy: the measurements
# differ in what they include (idle, cooling), but not by more.
CONSISTENCY_FACTOR = 2.0

EXAMPLES = {"energy": "3.5 kWh", "time": "42 min", "power": "250 W"}
KINDS = {
    "energy": (ENERGY_UNITS, MIN_ENERGY_J, MAX_ENERGY_J),
    "time": (TIME_UNITS, MIN_TIME_S, MAX_TIME_S),
    "power": (POWER_UNITS, MIN_POWER_W, MAX_POWER_W),
}


def canonical_unit(unit: str, kind: str) -> str:
    """The unit as we write it, or a ValidationError listing the accepted ones."""
    table = KINDS[kind][0]
    cleaned = unit.strip()
    if cleaned in table:
        return cleaned
    alias = ALIASES.get(cleaned.lower())
    if alias in table:
        return alias
    raise ValidationError(
        f"“{unit}” is not a unit of {kind}; use one of {', '.join(table)}.",
        code="unit",
    )


def normalize(value: float | str, unit: str, kind: str) -> float:
    """`value` `unit` in joules, seconds or watts; refused when impossible."""
    table, low, high = KINDS[kind]
    unit = canonical_unit(unit, kind)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            f"The {kind} must be a number.", code="not_a_number"
        ) from None
    if not math.isfinite(number):
        raise ValidationError(f"The {kind} must be a finite number.", code="infinite")
    if number <= 0:
        what = "zero" if number == 0 else "negative"
        raise ValidationError(
            f"The {kind} cannot be {what}: a training run takes some {kind}.",
            code=what,
        )
    normalized = number * table[unit]
    if normalized < low:
        raise ValidationError(
            f"{number:g} {unit} is below {describe(low, kind)}: no training run to a "
            f"target quality takes so little {kind}. Check the unit.",
            code="too_small",
        )
    if normalized > high:
        raise ValidationError(
            f"{number:g} {unit} is above {describe(high, kind)}, far beyond any "
            "training run. Check the unit.",
            code="too_large",
        )
    return normalized


def parse_quantity(text: str, kind: str) -> tuple[float, str]:
    """ "3.5 kWh" -> (3.5, "kWh"); the value is not checked (see `normalize`)."""
    match = re.fullmatch(r"\s*([-+]?[\d.,_]+(?:[eE][-+]?\d+)?)\s*([A-Za-z]+)\s*", text)
    if not match:
        raise ValidationError(
            f"Write the {kind} as a number and a unit, e.g. {EXAMPLES[kind]}.",
            code="format",
        )
    number, unit = match.groups()
    try:
        value = float(number.replace(",", "").replace("_", ""))
    except ValueError:
        raise ValidationError(
            f"“{number}” is not a number.", code="not_a_number"
        ) from None
    return value, canonical_unit(unit, kind)


def check_consistency(
    *, energy_j: float | None, power_w: float | None, time_s: float | None
) -> None:
    """Average power x time must roughly equal the energy, when all three are given."""
    if not (energy_j and power_w and time_s):
        return
    implied = power_w * time_s
    ratio = max(implied, energy_j) / min(implied, energy_j)
    if ratio > CONSISTENCY_FACTOR:
        raise ValidationError(
            f"Average power times time is {format_energy(implied)}, but the energy to "
            f"reach the target is {format_energy(energy_j)}: they differ by a factor "
            f"of {ratio:.3g}. Check the units, or leave out the figure that was "
            "measured differently.",
            code="inconsistent",
        )


# --- display -----------------------------------------------------------------------
def _number(value: float) -> str:
    return f"{value:.3g}" if value < 1e3 else f"{value:,.0f}"


def describe(value: float, kind: str) -> str:
    return {"energy": format_energy, "time": format_duration, "power": format_power}[
        kind
    ](value)


def format_energy(joules: float | None) -> str:
    if joules is None:
        return ""
    if joules < 1e3:
        return f"{_number(joules)} J"
    if joules < 3.6e6:
        return f"{_number(joules / 1e3)} kJ"
    if joules < 3.6e9:
        return f"{_number(joules / 3.6e6)} kWh"
    return f"{_number(joules / 3.6e9)} MWh"


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 120:
        return f"{_number(seconds)} s"
    if seconds < 7200:
        return f"{_number(seconds / 60)} min"
    if seconds < 172800:
        return f"{_number(seconds / 3600)} h"
    return f"{_number(seconds / 86400)} d"


def format_power(watts: float | None) -> str:
    if watts is None:
        return ""
    if watts < 1:
        return f"{_number(watts * 1e3)} mW"
    if watts < 1e3:
        return f"{_number(watts)} W"
    if watts < 1e6:
        return f"{_number(watts / 1e3)} kW"
    return f"{_number(watts / 1e6)} MW"
