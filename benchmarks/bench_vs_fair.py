"""Side-by-side speed and memory of esm and FaIR 2.2.5 on the same problem, in one process.

Run from the repository root::

    python benchmarks/bench_vs_fair.py [--members 1000] [--repeat 3] [--csv]
                                       [--percentile-members 100000]

The problem is SSP2-4.5, 1750-2100 (351 years), emission-driven, all species, with ``--members``
parameter sets. Both models get the same annual emissions (esm's shipped scenario, converted
to FaIR's units) and the same solar and volcanic forcing:

* esm: ``esm.ensembles.draw(N, source="prior")`` -> ``esm.params.matrix`` -> one call of
  ``esm.runner.integrate`` (the kernel call that ``esm.ensemble`` makes), standard outputs
  (``esm.metadata.PUBLIC``).
* FaIR: ``FAIR(ch4_method="Thornhill2021")`` with the packaged AR6 species (``read_properties``,
  ``fill_species_configs``), one scenario and N configs whose energy-balance parameters are
  sampled around the "central" configuration of FaIR's basic example (config 0 is that
  configuration), deterministic (no stochastic forcing), initialised as in FaIR's SSP example.
  Setup (object creation, ``allocate``, the fills) and ``run()`` are timed separately.

Reported: wall times (best of ``--repeat``), member-years per second, the esm/FaIR ratio
("speed-up"), memory per member (FaIR: bytes of its allocated output arrays; esm: bytes of the
standard outputs; both also measured as tracemalloc peaks) and, as a sanity check only, GSAT in
2100 of both models (they differ: different models and parameters). ``--percentile-members``
measures, in a fresh interpreter, wall time and peak memory (tracemalloc and ru_maxrss) of a
percentile ensemble of that many members (DESIGN target: fits in 2 GB). ``--csv`` appends one
row per measurement to benchmarks/results.csv (same columns as bench_run.py). Speed is measured
here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numba  # noqa: E402

import esm  # noqa: E402
from esm import constants, ensembles, metadata, params, runner  # noqa: E402
from esm.kernels import layout  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_run import append_results, best_of  # noqa: E402

SCENARIO = "ssp245"
END = 2100
PERCENTILES = [5, 17, 50, 83, 95]
PERCENTILE_VARIABLES = ["gsat", "co2", "erf"]

#: esm species (non-halogen) -> FaIR species name; halogens map through halogen_table()["name"]
ESM_TO_FAIR = {
    "co2_fossil": "CO2 FFI",
    "co2_landuse": "CO2 AFOLU",
    "ch4": "CH4",
    "n2o": "N2O",
    "so2": "Sulfur",
    "bc": "BC",
    "oc": "OC",
    "nh3": "NH3",
    "nox": "NOx",  # total NOx including aviation, as in RCMIP and FaIR
    "nox_aviation": "NOx aviation",
    "nmvoc": "VOC",
    "co": "CO",
}

#: "central" configuration of FaIR's basic example (3-layer energy balance model)
FAIR_CENTRAL = {
    "ocean_heat_capacity": (8.0, 14.0, 100.0),  # W yr m-2 K-1
    "ocean_heat_transfer": (1.1, 1.6, 0.9),  # W m-2 K-1
    "deep_ocean_efficacy": 1.1,
    "gamma_autocorrelation": 2.0,
    "forcing_4co2": 8.0,  # W m-2
}

#: CH4 lifetime calibrated for ch4_method="thornhill2021" (FaIR's SSP example)
FAIR_CH4_LIFETIME_THORNHILL = 10.8537568

#: FaIR attributes allocated per config by FAIR.allocate() (outputs and drivers)
FAIR_OUTPUT_ARRAYS = (
    "emissions",
    "concentration",
    "forcing",
    "temperature",
    "airborne_emissions",
    "alpha_lifetime",
    "cumulative_emissions",
    "airborne_fraction",
    "ocean_heat_content_change",
    "toa_imbalance",
    "stochastic_forcing",
    "forcing_sum",
    "gas_partitions",
)


def traced_peak(fn) -> tuple[int, object]:
    """tracemalloc peak [bytes] above the level at the start of ``fn()``, and its result."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start, result


# --------------------------------------------------------------------------------------
# esm
# --------------------------------------------------------------------------------------
def esm_problem(members: int):
    """(years, emis, natural, co2_end, pmatrix[members]) for SSP2-4.5, 1750-2100."""
    _, years, emis, natural = runner.prepare(SCENARIO, end=END)
    co2_end = np.full(years.size, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Sobol' balance warning for n not a power of 2
        table = ensembles.draw(members, source="prior")
    pmatrix = np.ascontiguousarray(params.matrix(table))
    return years, emis, natural, co2_end, pmatrix


def esm_gsat_2100(years, raw, needed) -> np.ndarray:
    values, _ = runner.derive(years, raw, needed, ["gsat"])
    return values[0][:, years == 2100][:, 0]


def esm_ensemble(members: int, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esm.ensemble(
            SCENARIO, members=members, source="prior", end=END, progress=False, **kw
        )


# --------------------------------------------------------------------------------------
# FaIR
# --------------------------------------------------------------------------------------
def fair_climate(members: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Energy-balance parameters per config: config 0 is FAIR_CENTRAL, the others are
    sampled around it (log-normal heat capacities and transfer coefficients, uniform
    efficacy, normal 4xCO2 forcing)."""
    rng = np.random.default_rng(seed)
    c = FAIR_CENTRAL
    out = {
        "ocean_heat_capacity": np.asarray(c["ocean_heat_capacity"])
        * rng.lognormal(0.0, 0.2, (members, 3)),
        "ocean_heat_transfer": np.asarray(c["ocean_heat_transfer"])
        * rng.lognormal(0.0, 0.2, (members, 3)),
        "deep_ocean_efficacy": rng.uniform(0.8, 1.6, members),
        "gamma_autocorrelation": rng.uniform(1.5, 2.5, members),
        "forcing_4co2": rng.normal(c["forcing_4co2"], 0.8, members),
    }
    for name, value in c.items():
        out[name][0] = value
    return out


def to_timebounds(annual: np.ndarray, years: np.ndarray, timebounds: np.ndarray) -> np.ndarray:
    """Annual means (mid-year) -> values on FaIR's timebounds, linear with linear extrapolation
    at both ends (as FaIR's fill_from_rcmip does for forcing)."""
    mid = years + 0.5
    out = np.interp(timebounds, mid, annual)
    lo, hi = timebounds < mid[0], timebounds > mid[-1]
    out[lo] = annual[0] + (timebounds[lo] - mid[0]) * (annual[1] - annual[0])
    out[hi] = annual[-1] + (timebounds[hi] - mid[-1]) * (annual[-1] - annual[-2])
    return out


def fair_setup(years, emis, natural, clim, members: int):
    """A FAIR instance ready to run: N configs, one scenario, all AR6 species."""
    from fair import FAIR
    from fair.interface import fill, initialise
    from fair.io import read_properties

    f = FAIR(ch4_method="Thornhill2021")
    f.define_time(int(years[0]), int(years[-1]) + 1, 1)
    f.define_scenarios([SCENARIO])
    f.define_configs(list(range(members)))
    species, properties = read_properties()
    f.define_species(species, properties)
    f.allocate()
    f.fill_species_configs()
    # as in FaIR's SSP example: CH4 lifetime for Thornhill2021, 1750 CH4/N2O as baseline
    fill(f.species_configs["unperturbed_lifetime"], FAIR_CH4_LIFETIME_THORNHILL, specie="CH4")
    fill(f.species_configs["baseline_emissions"], emis[0, layout.E_CH4], specie="CH4")
    fill(f.species_configs["baseline_emissions"], emis[0, layout.E_N2O], specie="N2O")

    # emissions on timepoints (= esm's annual values); FaIR wants CO2 in Gt CO2
    for k, name in enumerate(layout.SPECIES_NAMES):
        fair_name = ESM_TO_FAIR.get(name) or params.halogen_table().loc[name, "name"]
        factor = constants.GTCO2_PER_GTC if name.startswith("co2_") else 1.0
        fill(f.emissions, emis[:, k, None, None] * factor, specie=fair_name)
    for name in species:
        if (
            properties[name]["input_mode"] == "emissions"
            and np.isnan(f.emissions.loc[dict(specie=name)].values).any()
        ):
            fill(f.emissions, 0.0, specie=name)  # Halon-1202: not in esm's scenario
    for k, name in enumerate(("Solar", "Volcanic")):
        fill(
            f.forcing, to_timebounds(natural[:, k], years, f.timebounds)[:, None, None], specie=name
        )

    fill(f.climate_configs["ocean_heat_capacity"], clim["ocean_heat_capacity"])
    fill(f.climate_configs["ocean_heat_transfer"], clim["ocean_heat_transfer"])
    fill(f.climate_configs["deep_ocean_efficacy"], clim["deep_ocean_efficacy"])
    fill(f.climate_configs["gamma_autocorrelation"], clim["gamma_autocorrelation"])
    fill(f.climate_configs["forcing_4co2"], clim["forcing_4co2"])
    fill(f.climate_configs["stochastic_run"], False)
    fill(f.climate_configs["use_seed"], False)
    fill(f.climate_configs["seed"], np.arange(members, dtype=np.uint32))

    initialise(f.concentration, f.species_configs["baseline_concentration"])
    initialise(f.forcing, 0)
    initialise(f.temperature, 0)
    initialise(f.cumulative_emissions, 0)
    initialise(f.airborne_emissions, 0)
    return f


def fair_run(f) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f.run(progress=False)


def fair_timed(years, emis, natural, clim, members: int, repeat: int):
    """Best-of-``repeat`` setup and run times [s] and the last FAIR instance."""
    setups, runs, f = [], [], None
    for _ in range(repeat):
        f = None  # free the previous instance before building the next one
        t = time.perf_counter()
        f = fair_setup(years, emis, natural, clim, members)
        setups.append(time.perf_counter() - t)
        t = time.perf_counter()
        fair_run(f)
        runs.append(time.perf_counter() - t)
    return min(setups), min(runs), f


def fair_output_bytes(f) -> int:
    return sum(getattr(f, name).nbytes for name in FAIR_OUTPUT_ARRAYS)


def fair_gsat_2100(f, years) -> np.ndarray:
    """Surface temperature, annual means 1750-2100 relative to 1850-1900, in 2100 [K]."""
    t = f.temperature.loc[dict(scenario=SCENARIO, layer=0)].values  # [timebound, config]
    annual = 0.5 * (t[1:] + t[:-1])
    ref = annual[(years >= runner.GSAT_REFERENCE[0]) & (years <= runner.GSAT_REFERENCE[1])]
    return (annual - ref.mean(axis=0))[years == 2100][0]


# --------------------------------------------------------------------------------------
# percentile ensemble (fresh interpreter, started before FaIR runs in this process)
# --------------------------------------------------------------------------------------
def maxrss_bytes() -> int:
    """resource.getrusage(RUSAGE_SELF).ru_maxrss in bytes (Linux reports KiB, macOS bytes).
    On Linux it survives fork + exec: a child starts with its parent's peak at the fork."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)


def vm_hwm_bytes() -> float:
    """Peak resident set of this process's own address space (Linux VmHWM), NaN elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) * 1024
    except OSError:
        pass
    return float("nan")


def percentile_child(members: int) -> None:
    kw = {"percentiles": PERCENTILES, "variables": PERCENTILE_VARIABLES}
    rss_import = maxrss_bytes()
    esm_ensemble(10, **kw)  # warm-up: numba cache, scenario files
    rss_before, hwm_before = maxrss_bytes(), vm_hwm_bytes()
    t = time.perf_counter()
    ds = esm_ensemble(members, **kw)
    wall = time.perf_counter() - t
    rss_after, hwm_after = maxrss_bytes(), vm_hwm_bytes()
    peak, _ = traced_peak(lambda: esm_ensemble(members, **kw))
    print(
        json.dumps(
            {
                "wall_s": wall,
                "tracemalloc_peak": peak,
                "maxrss_import": rss_import,
                "maxrss_before": rss_before,
                "maxrss_after": rss_after,
                "vmhwm_before": hwm_before,
                "vmhwm_after": hwm_after,
                "result_bytes": int(ds.nbytes),
                "years": int(ds.sizes["year"]),
                "gsat_2100_median": float(ds["gsat"].sel(year=2100, percentile=50)),
            }
        )
    )


def percentile_measure(members: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--percentile-child", str(members)]
    done = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------
def print_rows(rows) -> None:
    width = max(len(r[0]) for r in rows)
    for name, members, value in rows:
        print(f"  {name:<{width}}  {members:>7}  {value:14.4g}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--csv", action="store_true", help="append rows to benchmarks/results.csv")
    ap.add_argument(
        "--percentile-members",
        type=int,
        default=0,
        metavar="N",
        help="also measure a percentile ensemble of N members (e.g. 100000); 0: skip",
    )
    ap.add_argument("--percentile-child", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.percentile_child:
        percentile_child(args.percentile_child)
        return 0
    n, repeat = int(args.members), max(1, int(args.repeat))
    threads = numba.config.NUMBA_NUM_THREADS

    try:
        import fair
    except ImportError:
        fair = None
        print("FaIR not installed; pip install fair==2.2.5")

    # first, while this process is small: ru_maxrss is inherited by the child
    pct = percentile_measure(int(args.percentile_members)) if args.percentile_members else None

    rows: list[tuple[str, int, float]] = []
    if fair is not None:
        years, emis, natural, co2_end, pmatrix = esm_problem(n)
        n_years = years.size
        p0 = params.vector()
        clim = fair_climate(n)
        clim1 = {k: v[:1] for k, v in clim.items()}

        # esm: warm the numba cache, then time one member and the N-member kernel call
        runner.integrate(emis, natural, co2_end, p0)
        esm_one = best_of(lambda: runner.integrate(emis, natural, co2_end, p0), repeat)
        esm_one_api = best_of(lambda: esm.run(SCENARIO, end=END), repeat)
        esm_n = best_of(
            lambda: runner.integrate(emis, natural, co2_end, pmatrix, names=metadata.PUBLIC),
            repeat,
        )
        esm_n_api = best_of(lambda: esm_ensemble(n, variables=metadata.PUBLIC), repeat)
        raw0, needed0, _ = runner.integrate(emis, natural, co2_end, p0, names=["gsat"])
        raw, needed, _ = runner.integrate(emis, natural, co2_end, pmatrix, names=["gsat"])
        esm_gsat0 = esm_gsat_2100(years, raw0, needed0)[0]
        esm_gsat = esm_gsat_2100(years, raw, needed)
        del raw

        # FaIR: one config and N configs, setup and run() separately
        fair_setup(years, emis, natural, clim1, 1)  # first-use imports outside the timing
        f1_setup, f1_run, f1 = fair_timed(years, emis, natural, clim1, 1, repeat)
        fair_gsat0 = fair_gsat_2100(f1, years)[0]
        fn_setup, fn_run, fn = fair_timed(years, emis, natural, clim, n, repeat)
        fair_bytes = fair_output_bytes(fn)
        fair_gsat = fair_gsat_2100(fn, years)
        del f1, fn

        # memory, measured (one traced run each, not timed)
        esm_peak, _ = traced_peak(lambda: esm_ensemble(n, variables=metadata.PUBLIC))

        def _fair_traced():
            f = fair_setup(years, emis, natural, clim, n)
            fair_run(f)

        fair_peak, _ = traced_peak(_fair_traced)
        esm_bytes = len(metadata.PUBLIC) * n_years * 8

        my = n * n_years
        rows += [
            ("esm one member, kernel [ms]", 1, esm_one * 1e3),
            ("esm one member, esm.run() with xarray output [ms]", 1, esm_one_api * 1e3),
            ("FaIR one config, setup [ms]", 1, f1_setup * 1e3),
            ("FaIR one config, run() [ms]", 1, f1_run * 1e3),
            ("esm one member [member-years/s]", 1, n_years / esm_one),
            ("FaIR one config, run() [member-years/s]", 1, n_years / f1_run),
            ("FaIR one config, setup + run() [member-years/s]", 1, n_years / (f1_setup + f1_run)),
            ("speed-up one member: esm kernel / FaIR run()", 1, f1_run / esm_one),
            (
                "speed-up one member: esm.run() / FaIR setup + run()",
                1,
                (f1_setup + f1_run) / esm_one_api,
            ),
            ("esm N members, kernel [s]", n, esm_n),
            ("esm N members, esm.ensemble() with xarray output [s]", n, esm_n_api),
            ("FaIR N configs, setup [s]", n, fn_setup),
            ("FaIR N configs, run() [s]", n, fn_run),
            ("esm N members, kernel [member-years/s]", n, my / esm_n),
            ("esm N members, esm.ensemble() [member-years/s]", n, my / esm_n_api),
            ("FaIR N configs, run() [member-years/s]", n, my / fn_run),
            ("FaIR N configs, setup + run() [member-years/s]", n, my / (fn_setup + fn_run)),
            ("speed-up N members: esm kernel / FaIR run()", n, fn_run / esm_n),
            (
                "speed-up N members: esm.ensemble() / FaIR setup + run()",
                n,
                (fn_setup + fn_run) / esm_n_api,
            ),
            ("esm standard outputs per member [MB]", n, esm_bytes / 1e6),
            ("FaIR allocated output arrays per config [MB]", n, fair_bytes / n / 1e6),
            ("memory ratio FaIR / esm, output arrays", n, fair_bytes / n / esm_bytes),
            ("esm tracemalloc peak of esm.ensemble() per member [MB]", n, esm_peak / n / 1e6),
            ("FaIR tracemalloc peak of setup + run() per config [MB]", n, fair_peak / n / 1e6),
            ("memory ratio FaIR / esm, tracemalloc peaks", n, fair_peak / esm_peak),
            ("sanity: esm default member GSAT 2100 [K]", 1, esm_gsat0),
            ("sanity: FaIR config 0 (central) GSAT 2100 [K]", 1, fair_gsat0),
            ("sanity: esm median GSAT 2100 [K]", n, float(np.median(esm_gsat))),
            ("sanity: FaIR median GSAT 2100 [K]", n, float(np.median(fair_gsat))),
        ]
        print(
            f"esm {esm.__version__} (numba {numba.__version__}, {threads} threads, substeps "
            f"{runner.SUBSTEPS}) vs FaIR {fair.__version__} (numpy, single thread), "
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs"
        )
        print(
            f"{SCENARIO} {int(years[0])}-{int(years[-1])} ({n_years} years), emission-driven, "
            f"N = {n}, best of {repeat}; GSAT relative to 1850-1900 (sanity only: the models "
            "and parameters differ)"
        )
        print_rows(rows)

    if pct is not None:
        m, res = int(args.percentile_members), pct
        prows = [
            ("esm percentile ensemble, wall time [s]", m, res["wall_s"]),
            ("esm percentile ensemble [member-years/s]", m, m * res["years"] / res["wall_s"]),
            ("esm percentile ensemble, tracemalloc peak [MB]", m, res["tracemalloc_peak"] / 1e6),
            ("esm percentile ensemble, peak RSS (VmHWM) [MB]", m, res["vmhwm_after"] / 1e6),
            ("esm percentile ensemble, VmHWM after warm-up [MB]", m, res["vmhwm_before"] / 1e6),
            ("esm percentile ensemble, ru_maxrss [MB]", m, res["maxrss_after"] / 1e6),
            (
                "esm percentile ensemble, ru_maxrss after warm-up [MB]",
                m,
                res["maxrss_before"] / 1e6,
            ),
            ("esm percentile ensemble, ru_maxrss after import [MB]", m, res["maxrss_import"] / 1e6),
            ("esm percentile ensemble, result Dataset [MB]", m, res["result_bytes"] / 1e6),
            ("sanity: esm percentile ensemble median GSAT 2100 [K]", m, res["gsat_2100_median"]),
        ]
        print(
            f"percentile ensemble in a fresh interpreter: esm.ensemble({SCENARIO!r}, members={m}, "
            f"source='prior', percentiles={PERCENTILES}, variables={PERCENTILE_VARIABLES}); "
            "DESIGN target: fits in 2 GB (Linux ru_maxrss includes this process's peak when it "
            "started the child, VmHWM does not)"
        )
        print_rows(prows)
        rows += prows

    if args.csv and rows:
        print(f"appended {len(rows)} rows to {append_results(rows, SCENARIO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
