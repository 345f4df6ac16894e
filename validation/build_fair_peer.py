"""Run a peer model's calibrated ensemble through 1pctCO2 for the validation report.

Run from the repository root, with FaIR installed (``pip install -e ".[bench]"``, FaIR 2.2.5)::

    python validation/build_fair_peer.py [--shared PATH]

``PATH`` defaults to ``<repository root>/../shared/data``; the script reads only
``fair_calibration/v1.4.1/calibrated_constrained_parameters_1.4.1.csv`` there, the calibrated,
constrained ensemble of fair-calibrate v1.4.1 (841 members, Smith et al. 2024, GMD 17, 8569,
doi:10.5194/gmd-17-8569-2024; MIT licence), and writes ``fair_peer_1pctco2.csv`` next to this
script. A rerun on the same inputs gives a byte-identical file.

Why: FaIR's ensemble is, like esm's posterior, constrained by the historical record (CO2
concentration, GSAT, ocean heat) and by the AR6 ECS and TCR. Its TCRE and 1pctCO2 airborne
fraction show what a history-constrained reduced-form carbon cycle gives, next to esm's
(``esm validate``, section *Acceptance targets of the ensemble*).

Experiment: 1pctCO2 by the CMIP protocol. CO2 rises 1 % per year from each member's
pre-industrial concentration; CH4 and N2O stay at theirs; no other forcing; no internal
variability (FaIR's stochastic forcing off). FaIR back-calculates the compatible CO2 emissions.

Quantities per member, defined as ``esm.metrics`` defines them (experiment year t ends at
FaIR's time bound t; FaIR's emissions at time point j fall in year j + 1):

- ``co2_pi`` [ppm]: the member's pre-industrial CO2, from which CO2 rises;
- ``tcr`` [K]: mean surface temperature of years 61-80;
- ``tcre`` [K (1000 GtC)-1]: ``tcr`` over the mean cumulative emissions to the end of years
  61-80;
- ``airborne_fraction_2x`` [1]: CO2 added to the atmosphere by the end of year 70 (2.124 GtC per
  ppm, as esm) over the cumulative emissions to then.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from esm import metrics  # noqa: E402
from esm.constants import GTC_PER_PPM, MOLAR_MASS_C, MOLAR_MASS_CO2  # noqa: E402

DEFAULT_SHARED = HERE.parent.parent / "shared" / "data"
SOURCE = "fair_calibration/v1.4.1/calibrated_constrained_parameters_1.4.1.csv"
OUT = HERE / "fair_peer_1pctco2.csv"
YEARS = 140
GTCO2_PER_GTC = MOLAR_MASS_CO2 / MOLAR_MASS_C  # FaIR's CO2 emissions are in GtCO2 (its ratio)
HEADER = """\
# FaIR 2.2.5 with the calibrated, constrained ensemble of fair-calibrate v1.4.1 (841 members) in
# 1pctCO2 by the CMIP protocol (CO2 only, +1 %/yr from each member's pre-industrial CO2; CH4 and
# N2O at pre-industrial; no other forcing; no internal variability), one row per member.
# co2_pi [ppm]: the member's pre-industrial CO2; tcr [K]: mean surface temperature of
# experiment years 61-80; tcre [K (1000 GtC)-1]: tcr over the mean cumulative compatible CO2
# emissions to the end of years 61-80; airborne_fraction_2x [1]: atmospheric CO2 increase by
# the end of year 70 (2.124 GtC/ppm) over the cumulative emissions to then. Definitions as
# esm.metrics.
# source: Smith, C. et al. (2024), fair-calibrate v1.4.1: calibration, constraining, and
#   validation of the FaIR simple climate model for reliable future climate projections, GMD 17,
#   8569-8592, doi:10.5194/gmd-17-8569-2024 (calibrated_constrained_parameters_1.4.1.csv);
#   FaIR 2: Leach, N. J. et al. (2021), GMD 14, 3007-3036, doi:10.5194/gmd-14-3007-2021.
# licence: MIT (fair-calibrate); FaIR Apache-2.0. Values computed, not copied.
# Built by validation/build_fair_peer.py.
"""


def run_fair(cal: pd.DataFrame) -> pd.DataFrame:
    """Per-member tcr, tcre and airborne_fraction_2x of FaIR in 1pctCO2 (see module docstring)."""
    from fair import FAIR, __version__
    from fair.interface import initialise

    if __version__ != "2.2.5":
        raise SystemExit(f"FaIR {__version__} installed; this file is built with FaIR 2.2.5")
    f = FAIR(ch4_method="thornhill2021")
    f.define_time(0, YEARS, 1)
    f.define_scenarios(["1pctCO2"])
    f.define_configs(list(cal.index))
    species = ["CO2", "CH4", "N2O"]
    props = {
        s: {
            "type": s.lower(),
            "input_mode": "concentration",
            "greenhouse_gas": True,
            "aerosol_chemistry_from_emissions": False,
            "aerosol_chemistry_from_concentration": False,
        }
        for s in species
    }
    f.define_species(species, props)
    f.allocate()
    f.fill_species_configs()
    cc = f.climate_configs
    cc["ocean_heat_capacity"][:] = cal[[f"ocean_heat_capacity[{i}]" for i in range(3)]].values
    cc["ocean_heat_transfer"][:] = cal[[f"ocean_heat_transfer[{i}]" for i in range(3)]].values
    cc["deep_ocean_efficacy"][:] = cal["deep_ocean_efficacy"].values
    cc["forcing_4co2"][:] = cal["forcing_4co2"].values
    cc["stochastic_run"][:] = False
    sc = f.species_configs
    for k in ("iirf_0", "iirf_uptake", "iirf_temperature", "iirf_airborne"):
        sc[k].loc[{"specie": "CO2"}] = cal[f"{k}[CO2]"].values
    for s in species:
        sc["forcing_scale"].loc[{"specie": s}] = cal[f"forcing_scale[{s}]"].values
    c0 = cal["baseline_concentration[CO2]"].to_numpy()
    sc["baseline_concentration"].loc[{"specie": "CO2"}] = c0
    growth = 1.01 ** np.arange(YEARS + 1)
    f.concentration.loc[{"specie": "CO2"}] = (growth[:, None] * c0[None, :])[:, None, :]
    for s in ("CH4", "N2O"):
        base = sc["baseline_concentration"].sel(specie=s).values  # FaIR's defaults (AR6, 1750)
        f.concentration.loc[{"specie": s}] = np.broadcast_to(base, (YEARS + 1, 1, len(cal)))
    for var in (f.forcing, f.temperature, f.cumulative_emissions, f.airborne_emissions):
        initialise(var, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f.run(progress=False)
    gsat = f.temperature.sel(layer=0).values[:, 0, :].T  # [member, year]: bound t = year t
    emis = f.emissions.sel(specie="CO2").values[:, 0, :].T / GTCO2_PER_GTC  # [member, point]
    if not (np.isfinite(gsat).all() and np.isfinite(emis).all()):
        raise SystemExit("FaIR returned non-finite temperatures or emissions")
    # esm's layout: position t holds the emissions of experiment year t (FaIR's point t - 1),
    # position 0 the spin-up year without emissions
    emis = np.hstack([np.zeros((len(cal), 1)), emis])
    return pd.DataFrame(
        {
            "co2_pi": c0,
            "tcr": metrics.window_mean(gsat, 61, 80),
            "tcre": metrics.tcre(gsat, emis),
            "airborne_fraction_2x": c0 * (growth[70] - 1.0) * GTC_PER_PPM / emis[:, :71].sum(1),
        },
        index=pd.Index(cal.index, name="config"),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="raw data folder")
    args = ap.parse_args(argv)
    path = args.shared / SOURCE
    if not path.is_file():
        raise SystemExit(f"{path} not found (give the raw data folder with --shared)")
    cal = pd.read_csv(path, index_col=0)
    if len(cal) != 841:
        raise SystemExit(f"{path}: {len(cal)} members, expected 841")
    out = run_fair(cal)
    tmp = OUT.with_suffix(".csv.tmp")
    with tmp.open("w") as fh:
        fh.write(HEADER)
        out.to_csv(fh, float_format="%.6g", lineterminator="\n")
    tmp.replace(OUT)
    q = [5, 17, 50, 83, 95]
    for k in out.columns:
        print(f"{k:22s} 5/17/50/83/95 %: " + " ".join(f"{v:.3f}" for v in np.percentile(out[k], q)))
    print(f"wrote {OUT.relative_to(HERE.parent)} ({OUT.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
