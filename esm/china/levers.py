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
"""

from __future__ import annotations

from dataclasses import dataclass, fields

#: The last year of observed China CO2 emissions (GCB2024): pathways start after it.
LAST_OBSERVED_CO2 = 2023

DECLINE_SHAPES = ("linear", "exponential", "cosine")


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
            "year the decline reaches the residual",
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
            2060,
            "yr",
            (2025, 2150),
            "year the ecosystem sink is reached",
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
            2060,
            "yr",
            (2025, 2150),
            "year the conservation is reached",
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
            2060,
            "yr",
            (2025, 2150),
            "year the CCUS rate is reached",
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
            "nonco2_year", 2060, "yr", (2025, 2150), "year the non-CO2 cuts are reached", "non-CO2"
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
    """A complete, checked set of lever values (see :data:`LEVERS`)."""

    co2_peak_year: float | None = None
    co2_peak: float | None = None
    co2_plateau: float = 0.0
    co2_target_year: float | None = None
    co2_residual: float | None = None
    co2_decline: str = "linear"
    ecosystem_sink: float = 0.0
    ecosystem_sink_year: float = 2060
    conservation: float = 0.0
    conservation_year: float = 2060
    ccus: float = 0.0
    ccus_year: float = 2060
    start_year: float = 2025
    ch4_cut: float = 0.0
    n2o_cut: float = 0.0
    so2_cut: float = 0.0
    pollutant_cut: float = 0.0
    fgas_cut: float = 0.0
    fgas_share: float = 0.0
    nonco2_year: float = 2060

    def __post_init__(self) -> None:
        check(self)

    @property
    def follows_share(self) -> bool:
        """True when fossil CO2 keeps China's share of the background (no CO2 trajectory)."""
        return self.co2_peak_year is None

    def replace(self, **changes) -> Levers:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for k in changes:
            if k not in values:
                raise KeyError(f"unknown lever {k!r}; levers: {', '.join(values)}")
        values.update(changes)
        return Levers(**values)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def check(lv: Levers) -> None:
    """Raise ValueError naming the lever and the problem (bounds, consistency)."""
    for name, spec in LEVERS.items():
        value = getattr(lv, name)
        if value is None or spec.bounds is None:
            continue
        if isinstance(value, str):
            raise ValueError(f"lever {name} must be a number, not {value!r}")
        lo, hi = spec.bounds
        if not lo <= value <= hi:
            raise ValueError(
                f"lever {name} = {value} {spec.units} is outside its allowed range [{lo}, {hi}]"
            )
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


def preset(name: str, **overrides) -> Levers:
    """The levers of a named preset, with ``overrides``."""
    if name not in PRESETS:
        raise KeyError(f"unknown China pathway {name!r}; presets: {', '.join(PRESETS)}")
    values = dict(PRESETS[name][1])
    for k in overrides:
        if k not in LEVERS:
            raise KeyError(f"unknown lever {k!r}; levers: {', '.join(LEVERS)}")
    values.update(overrides)
    return Levers(**values)
