"""Units: what authors type is stored normalized; impossible values are refused
with a sentence that says why."""

import math

import pytest
from django.core.exceptions import ValidationError

from awards import units


@pytest.mark.parametrize(
    ("value", "unit", "kind", "expected"),
    [
        (1, "J", "energy", 1.0),
        (2.5, "kJ", "energy", 2500.0),
        (1, "Wh", "energy", 3600.0),
        (1.2, "kWh", "energy", 4.32e6),
        (3, "MJ", "energy", 3e6),
        (0.5, "MWh", "energy", 1.8e9),
        (90, "s", "time", 90.0),
        (42, "min", "time", 2520.0),
        (2.5, "h", "time", 9000.0),
        (1, "d", "time", 86400.0),
        (250, "W", "power", 250.0),
        (500, "mW", "power", 0.5),
        (3, "kW", "power", 3000.0),
        ("1.5", "kWh", "energy", 5.4e6),
    ],
)
def test_normalize_converts_to_joules_seconds_watts(value, unit, kind, expected):
    assert math.isclose(units.normalize(value, unit, kind), expected)


@pytest.mark.parametrize(
    ("unit", "kind", "expected"),
    [
        ("kwh", "energy", "kWh"),
        ("joules", "energy", "J"),
        ("hours", "time", "h"),
        ("mins", "time", "min"),
        ("watts", "power", "W"),
    ],
)
def test_unit_aliases_are_accepted(unit, kind, expected):
    assert units.canonical_unit(unit, kind) == expected


def test_parse_quantity_reads_number_and_unit():
    assert units.parse_quantity(" 3.5 kWh", "energy") == (3.5, "kWh")
    assert units.parse_quantity("1,200 s", "time") == (1200.0, "s")


@pytest.mark.parametrize(
    ("value", "unit", "kind", "message"),
    [
        (-1, "kWh", "energy", "The energy cannot be negative"),
        (0, "h", "time", "The time cannot be zero"),
        (0, "kWh", "energy", "The energy cannot be zero"),
        (-5, "W", "power", "The power cannot be negative"),
        (0.0001, "J", "energy", "0.0001 J is below 0.001 J"),
        (0.0001, "s", "time", "is below"),
        (1e12, "MWh", "energy", "far beyond any training run"),
        (4000, "d", "time", "above"),
        (float("inf"), "J", "energy", "finite"),
        (float("nan"), "s", "time", "finite"),
        ("lots", "J", "energy", "must be a number"),
    ],
)
def test_impossible_values_are_refused_with_a_reason(value, unit, kind, message):
    with pytest.raises(ValidationError) as refused:
        units.normalize(value, unit, kind)
    assert message in refused.value.messages[0]


def test_an_energy_unit_is_not_a_time_unit():
    with pytest.raises(ValidationError) as refused:
        units.normalize(3, "kWh", "time")
    assert refused.value.messages == [
        "“kWh” is not a unit of time; use one of s, min, h, d."
    ]


def test_ambiguous_millijoules_are_refused_not_read_as_megajoules():
    with pytest.raises(ValidationError):
        units.canonical_unit("mJ", "energy")


def test_power_times_time_must_match_energy():
    # 60 W for 20 h = 1.2 kWh: consistent.
    units.check_consistency(energy_j=4.32e6, power_w=60, time_s=72000)
    # Within a factor of 2 either way passes.
    units.check_consistency(energy_j=4.32e6 * 1.9, power_w=60, time_s=72000)
    units.check_consistency(energy_j=4.32e6 / 1.9, power_w=60, time_s=72000)


def test_power_times_time_far_from_energy_is_refused():
    with pytest.raises(ValidationError) as refused:
        # 60 W for 20 h is 1.2 kWh, not 12 kWh.
        units.check_consistency(energy_j=4.32e7, power_w=60, time_s=72000)
    assert refused.value.messages == [
        "Average power times time is 1.2 kWh, but the energy to reach the target is "
        "12 kWh: they differ by a factor of 10. Check the units, or leave out the "
        "figure that was measured differently."
    ]


def test_consistency_is_checked_only_with_all_three_figures():
    units.check_consistency(energy_j=4.32e7, power_w=None, time_s=72000)
    units.check_consistency(energy_j=None, power_w=60, time_s=72000)


@pytest.mark.parametrize(
    ("joules", "text"),
    [(500, "500 J"), (2500, "2.5 kJ"), (4.32e6, "1.2 kWh"), (1.8e10, "5 MWh")],
)
def test_format_energy_picks_a_readable_unit(joules, text):
    assert units.format_energy(joules) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(90, "90 s"), (2520, "42 min"), (9000, "2.5 h"), (259200, "3 d")],
)
def test_format_duration_picks_a_readable_unit(seconds, text):
    assert units.format_duration(seconds) == text
