"""The levers of a China pathway: each declared once (default, units, bounds, meaning) and
the named presets built from them.

The four groups of carbon-neutrality levers (the Chinese "four-way" framing):

* emission reduction: fossil CO2 peak, plateau, decline shape, residual gross emissions;
* sink increase: ``ecosystem_sink``, extra uptake by ecosystems *beyond* the natural land sink
  the model already simulates (so it is never counted twice);
* carbon conservation: ``conservation``, avoided land-use carbon losses;
* carbon sequestration: ``ccus``, CO2 captured and stored geologically (fossil point sources
  or direct air capture), removed from the net fossil flux.

plus cuts of non-CO2 emissions relative to China's share of the background scenario.
Fluxes are in GtCO2/yr (the unit of national targets); cuts are fractions reached in
``nonco2_year`` after a linear ramp from ``start_year``.

``neutrality_year`` moves the end of the fossil decline and every ramp year together (see
:func:`resolve_neutrality`); levers that are out of step with each other raise a
``UserWarning`` naming them (:func:`check`).
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass, fields

#: The last year of observed China CO2 emissions (GCB2024): pathways start after it.
LAST_OBSERVED_CO2 = 2023

DECLINE_SHAPES = ("linear", "exponential", "cosine")

#: The levers that ``neutrality_year`` moves: the end of the fossil decline and the years in
#: which the sink, conservation, CCUS and non-CO2 ramps are complete.
NEUTRALITY_LEVERS = (
    "co2_target_year",
    "ecosystem_sink_year",
    "conservation_year",
    "ccus_year",
    "nonco2_year",
)

#: Ramp-year levers and the amount levers that make them matter (a ramp of zero has no year).
RAMPS = {
    "ecosystem_sink_year": ("ecosystem_sink",),
    "conservation_year": ("conservation",),
    "ccus_year": ("ccus",),
    "nonco2_year": ("ch4_cut", "n2o_cut", "so2_cut", "pollutant_cut", "fgas_cut"),
}

#: Default of every ramp year (when neither it nor ``neutrality_year`` is given).
DEFAULT_RAMP_YEAR = 2060

#: China's energy-related CO2 [Mt CO2/yr] in the IEA World Energy Outlook 2023 Stated
#: Policies Scenario (STEPS), exactly as in the WEO 2023 free dataset (Annex A, file
#: ``WEO2023_AnnexA_Free_Dataset_Regions.csv``, rows CATEGORY "CO2 total", FLOW "Total energy
#: supply", REGION "China"; https://www.iea.org/data-and-statistics/data-product/world-energy-
#: outlook-2023-free-dataset-2). 2010-2022 are IEA estimates, 2030 and 2050 projections. The
#: ``current-policies`` preset follows these numbers (see :data:`IEA_WEO2023_HARMONISATION_YEAR`).
IEA_WEO2023_STEPS_CHINA_CO2 = {
    2010: 8799.08,
    2021: 12110.0,
    2022: 12134.6,
    2030: 11261.1,
    2050: 6897.29,
}

#: The IEA covers China with Hong Kong and its own energy statistics, and its 2022 value is
#: 6 % above the GCB2024 value this package uses (11.402 GtCO2). The preset therefore follows
#: the IEA's *relative* change from 2022 (ratio harmonisation in 2022, as aneris does):
#: target = IEA(t) x GCB(2022) / IEA(2022).
IEA_WEO2023_HARMONISATION_YEAR = 2022


@dataclass(frozen=True)
class Lever:
    name: str
    default: float | str | None
    units: str
    bounds: tuple[float, float] | None
    description: str
    group: str


LEVERS: dict[str, Lever] = {
    lv.name: lv
    for lv in (
        Lever(
            "co2_peak_year",
            None,
            "yr",
            (2024, 2100),
            "year of peak fossil CO2 (None: China keeps its share of the background scenario)",
            "emission reduction",
        ),
        Lever(
            "co2_peak",
            None,
            "GtCO2/yr",
            (0.0, 30.0),
            "fossil CO2 at the peak (reached linearly from the 2023 observation)",
            "emission reduction",
        ),
        Lever(
            "co2_plateau",
            0.0,
            "yr",
            (0.0, 40.0),
            "years held at the peak before the decline",
            "emission reduction",
        ),
        Lever(
            "co2_target_year",
            None,
            "yr",
            (2025, 2150),
            "year the decline reaches the residual (default: neutrality_year)",
            "emission reduction",
        ),
        Lever(
            "co2_residual",
            None,
            "GtCO2/yr",
            (0.0, 30.0),
            "gross fossil CO2 from the target year on (before CCUS)",
            "emission reduction",
        ),
        Lever(
            "co2_decline",
            "linear",
            "",
            None,
            "shape of the decline: linear, exponential "
            "(constant % per year) or cosine (slow-fast-slow)",
            "emission reduction",
        ),
        Lever(
            "ecosystem_sink",
            0.0,
            "GtCO2/yr",
            (0.0, 5.0),
            "extra ecosystem uptake "
            "(afforestation, restoration) beyond the modelled natural sink, reached in "
            "ecosystem_sink_year",
            "sink increase",
        ),
        Lever(
            "ecosystem_sink_year",
            DEFAULT_RAMP_YEAR,
            "yr",
            (2025, 2150),
            "year the ecosystem sink is reached (default: neutrality_year, else 2060)",
            "sink increase",
        ),
        Lever(
            "conservation",
            0.0,
            "GtCO2/yr",
            (0.0, 2.0),
            "avoided land-use carbon losses "
            "(deforestation, degradation, wetland loss), reached in conservation_year",
            "carbon conservation",
        ),
        Lever(
            "conservation_year",
            DEFAULT_RAMP_YEAR,
            "yr",
            (2025, 2150),
            "year the conservation is reached (default: neutrality_year, else 2060)",
            "carbon conservation",
        ),
        Lever(
            "ccus",
            0.0,
            "GtCO2/yr",
            (0.0, 5.0),
            "CO2 captured and stored (CCUS, BECCS, DACCS), reached in ccus_year",
            "carbon sequestration",
        ),
        Lever(
            "ccus_year",
            DEFAULT_RAMP_YEAR,
            "yr",
            (2025, 2150),
            "year the CCUS rate is reached (default: neutrality_year, else 2060)",
            "carbon sequestration",
        ),
        Lever(
            "start_year",
            2025,
            "yr",
            (2024, 2100),
            "first year of the sink, conservation, CCUS and non-CO2 ramps",
            "all",
        ),
        Lever(
            "ch4_cut",
            0.0,
            "1",
            (0.0, 1.0),
            "cut of CH4 relative to China's share of the background, reached in nonco2_year",
            "non-CO2",
        ),
        Lever("n2o_cut", 0.0, "1", (0.0, 1.0), "cut of N2O (as ch4_cut)", "non-CO2"),
        Lever(
            "so2_cut", 0.0, "1", (0.0, 1.0), "cut of SO2 (coal phase-down co-benefit)", "non-CO2"
        ),
        Lever(
            "pollutant_cut",
            0.0,
            "1",
            (0.0, 1.0),
            "cut of the other combustion pollutants NOx, BC, OC, CO and NMVOC",
            "non-CO2",
        ),
        Lever(
            "fgas_cut",
            0.0,
            "1",
            (0.0, 1.0),
            "cut of China's F-gases (needs fgas_share > 0)",
            "non-CO2",
        ),
        Lever(
            "fgas_share",
            0.0,
            "1",
            (0.0, 0.8),
            "share of global HFC, PFC, SF6, NF3 and SO2F2 "
            "emissions attributed to China after 2019 (no China F-gas data: 0 keeps them in "
            "the rest of the world)",
            "non-CO2",
        ),
        Lever(
            "nonco2_year",
            DEFAULT_RAMP_YEAR,
            "yr",
            (2025, 2150),
            "year the non-CO2 cuts are reached (default: neutrality_year, else 2060)",
            "non-CO2",
        ),
        Lever(
            "neutrality_year",
            None,
            "yr",
            (2026, 2150),
            "moves co2_target_year, ecosystem_sink_year, conservation_year, ccus_year and "
            "nonco2_year together (each given on its own still wins); a CO2 plateau or peak that "
            "would end after it is shortened or moved earlier, with a warning",
            "all",
        ),
    )
}

#: Lever groups reported separately by :func:`esm.china.effect` (lever names per group).
GROUPS = {
    "emission reduction": (
        "co2_peak_year",
        "co2_peak",
        "co2_plateau",
        "co2_target_year",
        "co2_residual",
        "co2_decline",
    ),
    "sink increase": ("ecosystem_sink", "ecosystem_sink_year"),
    "carbon conservation": ("conservation", "conservation_year"),
    "carbon sequestration": ("ccus", "ccus_year"),
    "non-CO2": (
        "ch4_cut",
        "n2o_cut",
        "so2_cut",
        "pollutant_cut",
        "fgas_cut",
        "fgas_share",
        "nonco2_year",
    ),
}


PRESETS: dict[str, tuple[str, dict]] = {
    "reference": (
        "China keeps its share of the background scenario: its 2020 share of fossil CO2, "
        "its 2019 share of every other species (CEDS) and its 2020 land-use flux, so with "
        "SSP2-4.5 its fossil CO2 rises to about 13.6 GtCO2/yr around 2050 and falls to 4.6 by "
        "2100. No "
        "extra sinks, conservation, CCUS or non-CO2 cuts; F-gases stay in the rest of the "
        "world.",
        {},
    ),
    "current-policies": (
        "China's fossil CO2 under its implemented and stated policies: the IEA World Energy "
        "Outlook 2023 Stated Policies Scenario (STEPS), free dataset (Annex A, "
        "https://www.iea.org/data-and-statistics/data-product/world-energy-outlook-2023-free-"
        "dataset-2), China energy-related CO2 of 12134.6 Mt in 2022, 11261.1 Mt in 2030 and "
        "6897.29 Mt in 2050 (-7.2 % and -43.2 % from 2022). The IEA's China includes Hong Kong "
        "and sits 6 % above GCB2024 in 2022 (11.40 GtCO2), so the preset follows the IEA's "
        "change from 2022 (ratio harmonisation): 10.58 GtCO2/yr in 2030 and 6.48 in 2050. "
        "Levers: peak in 2024 at the 2023 observation (11.95; WEO 2023 has China's fossil fuel "
        "demand peak in 2024), linear decline to 6.48 GtCO2/yr gross in 2050 (2030: 10.69, "
        "+1.0 % on the harmonised IEA value), held there after 2050, where the IEA projection "
        "ends (an assumption, not the IEA's). Other species and land use as in the reference "
        "(the dataset gives no China non-CO2); no extra sinks, conservation or CCUS.",
        {
            "co2_peak_year": 2024,
            "co2_peak": 11.95,
            "co2_plateau": 0,
            "co2_target_year": 2050,
            "co2_residual": 6.48,
            "co2_decline": "linear",
        },
    ),
    "neutral-2060": (
        "Carbon neutrality before 2060 (China's 2020 pledge; shape after the CAEP-CP 1.1 "
        "pathway of Cai et al. 2021): fossil CO2 peaks in 2028 at 12.2 GtCO2/yr (GCB2024 "
        "observed 11.95 in 2023; the often-quoted 10.6 GtCO2 peak rests on older, lower "
        "statistics) and stays there to 2030, then falls along a cosine to 3.0 GtCO2/yr gross "
        "in 2060. National accounting neutralises the 3.0 with 2-2.5 GtCO2/yr of ecosystem "
        "sinks and 0.5-1.0 of CCUS; about 1.0 GtCO2/yr of that ecosystem sink is China's "
        "existing natural sink (Piao et al. 2009: 0.19-0.26 PgC/yr), which the model's land "
        "sink already contains, so only 1.25 GtCO2/yr is added as enhancement, with 0.75 "
        "GtCO2/yr of CCUS. Co-reductions by 2060: SO2 -80 %, other combustion pollutants "
        "-60 %, CH4 -35 % (coal mine methane), N2O -10 %.",
        {
            "co2_peak_year": 2028,
            "co2_peak": 12.2,
            "co2_plateau": 2,
            "co2_target_year": 2060,
            "co2_residual": 3.0,
            "co2_decline": "cosine",
            "ecosystem_sink": 1.25,
            "ecosystem_sink_year": 2060,
            "ccus": 0.75,
            "ccus_year": 2060,
            "ch4_cut": 0.35,
            "n2o_cut": 0.10,
            "so2_cut": 0.80,
            "pollutant_cut": 0.60,
            "nonco2_year": 2060,
        },
    ),
    "1.5C": (
        "A China pathway consistent with 1.5 degC (after Duan et al. 2021, Science 372, 378: "
        "CO2 cut by more than 90 % and CH4 by about 70 % from 2020 to 2050): fossil CO2 peaks "
        "in 2025 at 12.0 GtCO2/yr and falls exponentially to 1.1 GtCO2/yr gross in 2050 (-90 % "
        "of 2020); 1.25 GtCO2/yr of extra ecosystem sink and 1.0 of CCUS by 2050 (net "
        "negative); by 2050 CH4 -70 %, N2O -30 %, SO2 -90 %, other combustion pollutants -80 %.",
        {
            "co2_peak_year": 2025,
            "co2_peak": 12.0,
            "co2_plateau": 0,
            "co2_target_year": 2050,
            "co2_residual": 1.1,
            "co2_decline": "exponential",
            "ecosystem_sink": 1.25,
            "ecosystem_sink_year": 2050,
            "ccus": 1.0,
            "ccus_year": 2050,
            "ch4_cut": 0.70,
            "n2o_cut": 0.30,
            "so2_cut": 0.90,
            "pollutant_cut": 0.80,
            "nonco2_year": 2050,
        },
    ),
}


@dataclass(frozen=True)
class Levers:
    """A complete, checked set of lever values (see :data:`LEVERS`).

    The ramp years (``ecosystem_sink_year``, ``conservation_year``, ``ccus_year``,
    ``nonco2_year``) and ``co2_target_year`` left out (None) take ``neutrality_year`` when it is
    given; the ramp years are 2060 otherwise. Inconsistent values raise ``ValueError``; values
    that are out of step but possible warn (:func:`check`).
    """

    co2_peak_year: float | None = None
    co2_peak: float | None = None
    co2_plateau: float = 0.0
    co2_target_year: float | None = None
    co2_residual: float | None = None
    co2_decline: str = "linear"
    ecosystem_sink: float = 0.0
    ecosystem_sink_year: float | None = None
    conservation: float = 0.0
    conservation_year: float | None = None
    ccus: float = 0.0
    ccus_year: float | None = None
    start_year: float = 2025
    ch4_cut: float = 0.0
    n2o_cut: float = 0.0
    so2_cut: float = 0.0
    pollutant_cut: float = 0.0
    fgas_cut: float = 0.0
    fgas_share: float = 0.0
    nonco2_year: float | None = None
    neutrality_year: float | None = None

    def __post_init__(self) -> None:
        given = {n for n in NEUTRALITY_LEVERS if getattr(self, n) is not None}
        values, _ = resolve_neutrality(
            self.as_dict(), explicit=given | {"co2_peak_year", "co2_plateau"}
        )
        for name in RAMPS:
            if values[name] is None:
                values[name] = DEFAULT_RAMP_YEAR
        for name, value in values.items():
            object.__setattr__(self, name, value)
        check(self)

    @property
    def follows_share(self) -> bool:
        """True when fossil CO2 keeps China's share of the background (no CO2 trajectory)."""
        return self.co2_peak_year is None

    def replace(self, **changes) -> Levers:
        """These levers with ``changes``; ``neutrality_year`` among them moves the year levers
        not among them (as in :func:`preset`)."""
        values = self.as_dict()
        for k in changes:
            if k not in values:
                raise KeyError(f"unknown lever {k!r}; levers: {', '.join(values)}")
        values.update(changes)
        if "neutrality_year" in changes:
            values, _ = resolve_neutrality(values, explicit=set(changes))
        return Levers(**values)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _check_value(name: str, value) -> None:
    """Raise ValueError if lever ``name`` is not a number within its bounds."""
    spec = LEVERS[name]
    if value is None or spec.bounds is None:
        return
    if isinstance(value, str) or not isinstance(value, numbers.Real):
        raise ValueError(f"lever {name} must be a number, not {value!r}")
    lo, hi = spec.bounds
    if not lo <= value <= hi:
        raise ValueError(
            f"lever {name} = {value} {spec.units} is outside its allowed range [{lo}, {hi}]"
        )


def resolve_neutrality(values: dict, explicit=()) -> tuple[dict, dict[str, str]]:
    """Apply ``values["neutrality_year"]`` to the other levers in ``values``.

    It sets ``co2_target_year`` (when there is a CO2 trajectory, i.e. ``co2_peak_year`` is
    given) and the ramp years ``ecosystem_sink_year``, ``conservation_year``, ``ccus_year`` and
    ``nonco2_year``, except the levers named in ``explicit`` (given individually, they win).
    When it moves the end of the decline to or before the end of the peak and plateau, the
    plateau is shortened (to end the year before) and, if that is not enough, the peak year is
    moved to the year before ``neutrality_year`` -- unless they are in ``explicit`` -- with a
    ``UserWarning``. Returns the new values and, per lever it changed, why.
    """
    out = dict(values)
    year = out.get("neutrality_year")
    if year is None:
        return out, {}
    _check_value("neutrality_year", year)
    moved = {}
    for name in NEUTRALITY_LEVERS:
        if name in explicit or (name == "co2_target_year" and out.get("co2_peak_year") is None):
            continue
        out[name] = year
        moved[name] = "neutrality_year"
    if "co2_target_year" in moved:
        peak, plateau = out["co2_peak_year"], out.get("co2_plateau") or 0.0
        _check_value("co2_peak_year", peak)
        _check_value("co2_plateau", plateau)
        if peak + plateau >= year:
            if plateau > 0 and "co2_plateau" not in explicit:
                out["co2_plateau"] = max(0.0, year - 1 - peak)
                moved["co2_plateau"] = f"shortened from {plateau:g} years"
            if peak >= year and "co2_peak_year" not in explicit:
                out["co2_peak_year"] = year - 1
                moved["co2_peak_year"] = f"moved from {peak:g}"
            changed = [f"{k} {v} to {out[k]:g}" for k, v in moved.items() if k.startswith("co2_p")]
            if changed:
                warnings.warn(
                    f"neutrality_year = {year:g} comes before the end of the CO2 peak and "
                    f"plateau (co2_peak_year {peak:g} + co2_plateau {plateau:g} years): "
                    + "; ".join(changed),
                    UserWarning,
                    stacklevel=4,
                )
    return out, moved


def check(lv: Levers) -> None:
    """Raise ValueError naming the lever and the problem (bounds, consistency); warn
    (``UserWarning``, naming the levers) when the fossil decline and the ramps end in different
    years, or when ``neutrality_year`` has no fossil decline to end."""
    for name in LEVERS:
        _check_value(name, getattr(lv, name))
    if lv.co2_decline not in DECLINE_SHAPES:
        raise ValueError(
            f"lever co2_decline must be one of {', '.join(DECLINE_SHAPES)}, not {lv.co2_decline!r}"
        )
    co2 = [lv.co2_peak_year, lv.co2_peak, lv.co2_target_year, lv.co2_residual]
    if any(v is None for v in co2) and not all(v is None for v in co2):
        raise ValueError(
            "levers co2_peak_year, co2_peak, co2_target_year and co2_residual go "
            "together: give all four, or none to follow the background share"
        )
    if lv.co2_peak_year is not None:
        decline_start = lv.co2_peak_year + lv.co2_plateau
        if lv.co2_target_year <= decline_start:
            raise ValueError(
                f"lever co2_target_year = {lv.co2_target_year} must come after the peak year "
                f"{lv.co2_peak_year} plus the plateau of {lv.co2_plateau} years"
            )
        if lv.co2_residual > lv.co2_peak:
            raise ValueError(
                f"lever co2_residual = {lv.co2_residual} GtCO2/yr exceeds the peak "
                f"co2_peak = {lv.co2_peak}"
            )
        if lv.co2_decline == "exponential" and lv.co2_residual <= 0:
            raise ValueError("an exponential decline needs co2_residual > 0")
    for name in ("ecosystem_sink_year", "conservation_year", "ccus_year", "nonco2_year"):
        if getattr(lv, name) <= lv.start_year:
            raise ValueError(
                f"lever {name} = {getattr(lv, name)} must come after start_year = {lv.start_year}"
            )
    if lv.fgas_cut > 0 and lv.fgas_share == 0:
        raise ValueError(
            "lever fgas_cut needs fgas_share > 0 (China's F-gases are not in the "
            "data; attribute a share of the global F-gases first)"
        )
    _warn_out_of_step(lv)


def _warn_out_of_step(lv: Levers) -> None:
    """Warn when the fossil decline and the (non-zero) ramps end in different years."""
    if lv.follows_share:
        if lv.neutrality_year is not None:
            warnings.warn(
                f"lever neutrality_year = {lv.neutrality_year:g} ends no fossil decline: fossil "
                "CO2 follows the background share (give co2_peak_year, co2_peak and "
                "co2_residual); it moves only the sink, conservation, CCUS and non-CO2 years",
                UserWarning,
                stacklevel=5,
            )
        return
    target = lv.co2_target_year
    before, after = [], []
    for name, amounts in RAMPS.items():
        year = getattr(lv, name)
        if year != target and any(getattr(lv, a) > 0 for a in amounts):
            (before if target < year else after).append(f"{name} = {year:g}")
    if before or after:
        where = " and ".join(
            f"{side} {', '.join(names)}"
            for side, names in (("before", before), ("after", after))
            if names
        )
        warnings.warn(
            f"levers out of step: the fossil decline ends in co2_target_year = {target:g}, "
            f"{where}; set neutrality_year to move them together, or each of them",
            UserWarning,
            stacklevel=5,
        )


def _preset_values(name: str, overrides: dict) -> tuple[dict, dict[str, str]]:
    if name not in PRESETS:
        raise KeyError(f"unknown China pathway {name!r}; presets: {', '.join(PRESETS)}")
    values = dict(PRESETS[name][1])
    for k in overrides:
        if k not in LEVERS:
            raise KeyError(f"unknown lever {k!r}; levers: {', '.join(LEVERS)}")
    values.update(overrides)
    return resolve_neutrality(values, explicit=set(overrides))


def preset(name: str, **overrides) -> Levers:
    """The levers of a named preset, with ``overrides``.

    ``neutrality_year`` among the overrides moves ``co2_target_year`` and the ramp years of
    the preset (not those also among the overrides): ``preset("neutral-2060",
    neutrality_year=2050)`` ends the decline, the sinks, CCUS and the non-CO2 cuts in 2050.
    """
    values, _ = _preset_values(name, overrides)
    return Levers(**values)


def sources(name: str, **overrides) -> dict[str, str]:
    """Where each lever's value in ``preset(name, **overrides)`` comes from: ``"set"`` (an
    override), ``"neutrality_year"`` (moved by it; with the reason for the peak and plateau),
    ``"preset"`` or ``"default"``."""
    with warnings.catch_warnings():  # preset() says them
        warnings.simplefilter("ignore")
        _, moved = _preset_values(name, overrides)
    given = PRESETS[name][1]
    out = {}
    for lever in LEVERS:
        if lever in overrides:
            out[lever] = "set"
        elif lever in moved:
            why = moved[lever]
            out[lever] = why if why == "neutrality_year" else f"neutrality_year ({why})"
        elif lever in given:
            out[lever] = "preset"
        else:
            out[lever] = "default"
    return out
