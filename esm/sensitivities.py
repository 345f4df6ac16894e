"""Global sensitivity of a model output to the uncertain parameters (SALib).

>>> table = esm.sensitivity("gsat_2100", method="sobol", n=256)   # doctest: +SKIP

The parameters vary over their priors (the distributions declared next to each parameter):
SALib samples the unit hypercube (Saltelli/Sobol' or Morris trajectories), each coordinate is
mapped through its prior's quantile function (over the 0.5-99.5 % range), and all samples run
as one ensemble (numba threads over members). The indices are those of the unit-hypercube
problem, which equal the indices for the prior-distributed inputs because every mapping is
monotone in one input.

References: Saltelli et al. (2010) Comput. Phys. Commun. 181, 259; Morris (1991)
Technometrics 33, 161; Herman & Usher (2017) JOSS 2, 97 (SALib).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from esm import experiments, params, runner
from esm.metrics import window_mean

#: The unit interval of each input maps to this quantile range of its prior (0.5-99.5 %), so
#: Morris trajectories, which visit the corners, stay inside the physically sensible range.
QUANTILE_RANGE = (0.005, 0.995)


def _scenario_output(var: str, scenario: str, year_from: int, year_to: int):
    def compute(pmatrix: np.ndarray) -> np.ndarray:
        _, years, emis, natural = runner.prepare(scenario, end=year_to)
        co2_end = np.full(years.size, np.nan)
        raw, needed, _ = runner.integrate(emis, natural, co2_end, pmatrix, names=[var])
        values, _ = runner.derive(years, raw, needed, [var])
        sel = (years >= year_from) & (years <= year_to)
        return values[0][:, sel].mean(axis=1)

    return compute


def _tcr_tcre(kind: str):
    def compute(pmatrix: np.ndarray) -> np.ndarray:
        _, years, emis, natural, co2_end, _ = experiments.setup("1pctCO2")
        pm = pmatrix.copy()
        pm[:, params.PARAMETERS_INDEX["co2_pi"]] = experiments.CO2_PICONTROL
        names = ["gsat", "emissions_co2_fossil"]
        raw, needed, _ = runner.integrate(emis, natural, co2_end, pm, names=names)
        values, _ = runner.derive(years, raw, needed, names, gsat_reference=None)
        tcr = np.array([window_mean(v, 61, 80) for v in values[0]])
        if kind == "tcr":
            return tcr
        cum = np.cumsum(values[1], axis=1)
        return tcr / np.array([window_mean(c, 61, 80) for c in cum]) * 1000.0

    return compute


#: Named scalar outputs: name -> (function of the parameter matrix, units, meaning).
OUTPUTS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], str, str]] = {
    "gsat_2100": (
        _scenario_output("gsat", "ssp245", 2100, 2100),
        "K",
        "GSAT in 2100 vs 1850-1900, SSP2-4.5",
    ),
    "gsat_2081_2100": (
        _scenario_output("gsat", "ssp245", 2081, 2100),
        "K",
        "GSAT 2081-2100 mean vs 1850-1900, SSP2-4.5",
    ),
    "gsat_2011_2020": (
        _scenario_output("gsat", "ssp245", 2011, 2020),
        "K",
        "GSAT 2011-2020 mean vs 1850-1900 (history)",
    ),
    "co2_2100": (_scenario_output("co2", "ssp245", 2100, 2100), "ppm", "CO2 in 2100, SSP2-4.5"),
    "tcr": (_tcr_tcre("tcr"), "K", "transient climate response (1pctCO2 years 61-80)"),
    "tcre": (_tcr_tcre("tcre"), "K (1000 GtC)-1", "TCRE from 1pctCO2 (years 61-80)"),
}


def sensitivity(
    output: str = "gsat_2100",
    method: str = "sobol",
    n: int = 256,
    parameters: Sequence[str] | None = None,
    seed: int = 0,
    plot: str | Path | None = None,
) -> pd.DataFrame:
    """Sobol' or Morris indices of ``output`` (a name of :data:`OUTPUTS`) to ``parameters``.

    ``n`` is the Saltelli base sample (``n (D + 2)`` runs for D parameters) or the number of
    Morris trajectories (``n (D + 1)`` runs). Returns a DataFrame indexed by parameter with
    ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (Sobol') or ``mu_star``, ``mu_star_conf``,
    ``sigma`` (Morris), sorted by importance; ``plot`` saves a bar chart.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if output not in OUTPUTS:
        raise KeyError(f"unknown output {output!r}; available: {', '.join(OUTPUTS)}")
    names = list(parameters) if parameters is not None else params.uncertain()
    for name in names:
        params.check_name(name)
        if params.PARAMETERS[name].prior is None:
            raise ValueError(f"parameter {name} has no prior; give parameters that vary")
    if int(n) < 2:
        raise ValueError(f"n must be at least 2, not {n}")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if method == "sobol":
        unit = sobol_sample.sample(problem, int(n), calc_second_order=False, seed=seed)
    elif method == "morris":
        unit = morris_sample.sample(problem, int(n), num_levels=4, seed=seed)
    else:
        raise ValueError(f"method must be 'sobol' or 'morris', not {method!r}")
    quantile = QUANTILE_RANGE[0] + unit * (QUANTILE_RANGE[1] - QUANTILE_RANGE[0])
    table = pd.DataFrame(
        {
            name: params.PARAMETERS[name].prior.ppf(quantile[:, i], params.PARAMETERS[name].bounds)
            for i, name in enumerate(names)
        }
    )
    y = OUTPUTS[output][0](params.matrix(table))
    if method == "sobol":
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        df = pd.DataFrame({k: res[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}, index=names)
        df = df.sort_values("ST", ascending=False)
    else:
        res = morris_analyze.analyze(problem, unit, y, num_levels=4, seed=seed)
        df = pd.DataFrame({k: res[k] for k in ("mu_star", "mu_star_conf", "sigma")}, index=names)
        df = df.sort_values("mu_star", ascending=False)
    df.index.name = "parameter"
    df.attrs.update(
        {
            "output": output,
            "units": OUTPUTS[output][1],
            "method": method,
            "runs": len(y),
            "output_mean": float(np.mean(y)),
            "output_sd": float(np.std(y)),
        }
    )
    if plot is not None:
        plot_indices(df, plot)
    return df


def plot_indices(df: pd.DataFrame, path: str | Path, top: int = 15) -> Path:
    """Horizontal bar chart of the most important parameters."""
    from matplotlib.figure import Figure

    d = df.head(top).iloc[::-1]
    fig = Figure(figsize=(7.5, 0.35 * len(d) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(d))
    if "ST" in d:
        ax.barh(y + 0.2, d["ST"], 0.4, xerr=d["ST_conf"], color="tab:red", label="total (ST)")
        ax.barh(
            y - 0.2, d["S1"], 0.4, xerr=d["S1_conf"], color="tab:blue", label="first order (S1)"
        )
        ax.set_xlabel("Sobol' index")
    else:
        ax.barh(y, d["mu_star"], xerr=d["mu_star_conf"], color="tab:blue", label="mu*")
        ax.set_xlabel(f"Morris mu* [{df.attrs.get('units', '')}]")
    ax.set_yticks(y, d.index)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(True, axis="x", lw=0.4, alpha=0.5)
    out = df.attrs.get("output", "")
    ax.set_title(
        f"Sensitivity of {out} ({df.attrs.get('method', '')}, {df.attrs.get('runs', '?')} runs)",
        fontsize=10,
    )
    path = Path(path)
    fig.savefig(path, dpi=120)
    return path
