"""Command line: ``esm COMMAND ...`` (``esm --help`` lists the commands).

    esm run ssp245 --out run.nc --plot run.png     # run, print a summary, save results
    esm run --list                                 # shipped scenarios
    esm run ssp585 --end 2300 --set co2_fertilisation=0.4
    esm params q10                                 # parameters: default, units, bounds, source
    esm params --switches                          # the feedback switches
    esm compare ssp126 ssp585 --plot compare.png   # two runs and their difference
    esm compare ssp245 ssp245 --set-b climate_feedback=-1.0
    esm explain feedbacks ssp245 --plot feedbacks.png

Errors in the user's input (unknown scenario or parameter, a value out of bounds, a path that
cannot be written) print one line ``esm: error: ...`` to stderr and exit with status 2.

Adding a command: write ``_add_<name>(parser)`` (its arguments) and ``_cmd_<name>(args) -> int``
and register both in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Exit status for errors in the user's input (as argparse uses).
EXIT_USAGE = 2

#: Years shown in the summary table of ``esm run`` when the run has them (plus the last year).
SUMMARY_YEARS = (1850, 2000, 2019, 2050, 2100)

_COLUMNS = (  # variable, name, units, format (the width of the column)
    ("co2", "CO2", "ppm", "{:7.1f}"),
    ("ch4", "CH4", "ppb", "{:7.0f}"),
    ("n2o", "N2O", "ppb", "{:7.1f}"),
    ("gsat", "GSAT", "K", "{:6.2f}"),
    ("erf", "ERF", "W m-2", "{:6.2f}"),
    ("ocean_sink", "ocean sink", "GtC/yr", "{:10.2f}"),
    ("land_sink", "land sink", "GtC/yr", "{:9.2f}"),
)


class UsageError(Exception):
    """Invalid command line (reported as one ``esm: error:`` line, exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are raised (one line, no usage block) instead of printed."""

    def error(self, message: str):
        raise UsageError(f"{message} (see '{self.prog} --help')")


@dataclass(frozen=True)
class Command:
    help: str  # one line, shown by ``esm --help``
    add_arguments: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


def _add_set(
    p: argparse.ArgumentParser,
    flag="--set",
    what="a parameter",
    metavar="NAME=VALUE",
    listed="'esm params' lists parameters",
):
    """A repeatable ``NAME=VALUE`` override option (``--set``, ``--set-a``, ...)."""
    p.add_argument(
        flag,
        action="append",
        default=[],
        metavar=metavar,
        dest=flag[2:].replace("-", "_"),
        help=f"override {what} (repeatable; {listed})",
    )


# ------------------------------------------------------------------------------ scenario input
_SCENARIO_HELP = (
    "a shipped scenario (see 'esm run --list') or a scenario file: IAMC/RCMIP CSV (wide or "
    "long), .xlsx, or the model's own CSV (esm.read_scenario)"
)


def _add_scenario_input(p: argparse.ArgumentParser) -> None:
    """Options that say how a scenario file is read and completed (esm run, esm ensemble)."""
    g = p.add_argument_group("scenario files")
    g.add_argument("--iamc-scenario", metavar="NAME", help="pick this Scenario from the file")
    g.add_argument("--iamc-model", metavar="NAME", help="pick this Model from the file")
    g.add_argument("--region", default="World", help="region to read (default World)")
    g.add_argument(
        "--missing",
        choices=("error", "zero", "background", "quantile"),
        default="error",
        help="species the file lacks: error (default), zero, background (from --background) or "
        "quantile (quantile infilling from the shipped SSPs)",
    )
    g.add_argument(
        "--background", default="ssp245", help="shipped scenario for --missing background"
    )
    g.add_argument(
        "--history",
        default="ssp245",
        metavar="SSP|none",
        help="a file that starts after 1750 is spliced onto this shipped history (default "
        "ssp245; all SSPs share 1750-2022); 'none' takes its first year as a pre-industrial "
        "steady state",
    )
    g.add_argument(
        "--harmonise",
        choices=("auto", "ratio", "offset", "none"),
        default="auto",
        help="harmonisation to the history in the file's first year (default auto)",
    )
    g.add_argument(
        "--converge",
        type=int,
        default=2050,
        metavar="YEAR",
        help="year by which the harmonisation has faded out (default 2050)",
    )
    g.add_argument(
        "--extend",
        choices=("constant", "zero"),
        help="run past the scenario's last year with constant or zero emissions",
    )


def _scenario_input(args: argparse.Namespace):
    """(scenario name or Dataset, keyword arguments for esm.run / esm.ensemble)."""
    import esm

    name = args.scenario
    kwargs = {
        "missing": args.missing,
        "extend": args.extend,
        "history": None if args.history == "none" else args.history,
        "harmonise": args.harmonise,
        "converge": args.converge,
        "background": args.background,
    }
    if name in esm.scenarios.available():
        picked = [o for o in ("iamc_scenario", "iamc_model") if getattr(args, o)]
        if picked:
            raise UsageError(
                f"--{picked[0].replace('_', '-')} picks from a scenario file, but {name} is a "
                "shipped scenario"
            )
        return name, kwargs
    path = Path(name)
    if not path.exists() and path.suffix.lower() not in (".csv", ".gz", ".xlsx"):
        raise esm.ScenarioError(
            f"unknown scenario {name!r}: not a shipped scenario "
            f"({', '.join(esm.scenarios.available())}) and no such file"
        )
    ds = esm.read_scenario(
        path, scenario=args.iamc_scenario, model=args.iamc_model, region=args.region
    )
    return ds, kwargs


def _warnings_to_stderr(caught) -> None:
    for w in caught:
        print(f"esm: warning: {w.message}", file=sys.stderr)


# ------------------------------------------------------------------------------ esm run
def _add_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help=_SCENARIO_HELP)
    p.add_argument("--list", action="store_true", help="print the available scenarios and exit")
    p.add_argument(
        "--start",
        type=int,
        metavar="YEAR",
        help="first year (taken as the steady pre-industrial state; default 1750)",
    )
    p.add_argument(
        "--end", type=int, metavar="YEAR", help="last year (default 2100 for shipped scenarios)"
    )
    _add_out(p, "all output variables")
    p.add_argument(
        "--plot",
        metavar="FILE.png",
        help="save an overview figure against observations (format from suffix)",
    )
    _add_set(p)
    p.add_argument(
        "--substeps",
        type=int,
        metavar="N",
        help="carbon-cycle / energy-balance sub-steps per year (default 6)",
    )
    _add_scenario_input(p)


def _cmd_run(args: argparse.Namespace) -> int:
    import esm

    if args.list:
        print("\n".join(esm.scenarios.available()))
        return 0
    if args.scenario is None:
        raise UsageError("run: give a SCENARIO, or --list to see them (see 'esm run --help')")
    overrides = parse_settings(args.set)
    esm.params.vector(overrides)  # fail on bad parameters before anything else
    _check_outputs(args, "out", "plot")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario, kwargs = _scenario_input(args)
        kwargs.update(start=args.start, end=args.end)
        if args.substeps is not None:
            kwargs["substeps"] = args.substeps
        ds = esm.run(scenario, overrides or None, **kwargs)
    _warnings_to_stderr(caught)

    print(summary(ds))
    _write_out(ds, args)
    if args.plot:
        from esm.figures.run import plot_run

        plot_run(ds, args.plot)
        print(f"wrote figure: {args.plot}")
    return 0


def parse_settings(items: Sequence[str]) -> dict[str, float | str]:
    """``["name=value", ...]`` -> ``{name: float(value)}`` (a later item wins); a parameter
    that selects a model variant (``ebm_layers=two-layer``) may be given by name."""
    from esm.params import PARAMETERS

    out: dict[str, float | str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ValueError(f"--set expects NAME=VALUE, not {item!r}")
        choices = getattr(PARAMETERS.get(name), "choices", None)
        if choices is not None and value in choices:
            out[name] = value  # checked with the other values
            continue
        try:
            out[name] = float(value)
        except ValueError:
            raise ValueError(f"--set {item}: {value!r} is not a number") from None
    return out


def _add_out(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--out",
        metavar="FILE",
        help=f"write {what}: FILE.nc as CF netCDF, FILE.csv (or .csv.gz) as an IAMC table "
        "(pyam/scmdata/openscm-runner layout); written completely or not at all",
    )
    p.add_argument(
        "--format",
        choices=("netcdf", "iamc"),
        help="format of --out; must agree with its suffix (default: from the suffix)",
    )


def _check_outputs(args: argparse.Namespace, *names: str) -> None:
    """Fail before any computation if an output file option (``--out``, ``--plot``, ``--csv``)
    names a path that cannot be written, ``--out`` a suffix that contradicts ``--format``, or
    ``--plot`` a figure format matplotlib lacks."""
    for name in names:
        path = getattr(args, name)
        if path:
            _check_writable(path, f"--{name}")
    if "out" in names and args.out and hasattr(args, "format"):
        from esm import io

        fmt = io.format_of(args.out)
        if args.format is not None and args.format != fmt:
            raise ValueError(
                f"--out {args.out} names a {fmt} file but --format is {args.format}; name it "
                f"{'*.nc' if args.format == 'netcdf' else '*.csv'} or drop --format"
            )
    elif "out" in names and args.out:
        from esm import io

        if io.format_of(args.out) != "netcdf":
            raise ValueError(f"--out {args.out}: this command writes netCDF; name it *.nc")
    if "plot" in names and args.plot:
        _check_figure_format(args.plot)


def _write_out(ds, args: argparse.Namespace, iamc_table=None) -> None:
    """Write ``ds`` to ``--out`` (format from the suffix) atomically; ``iamc_table(ds)`` builds
    the IAMC table where :func:`esm.io.iamc.to_iamc` does not apply."""
    if not args.out:
        return
    from esm import io

    command = "esm " + " ".join(sys.argv[1:]) if sys.argv else None
    if io.format_of(args.out) == "netcdf":
        io.write_netcdf(ds, args.out, history=command)
        print(f"wrote netCDF: {args.out}")
    else:
        if iamc_table is None:
            io.write_iamc(ds, args.out)
        else:
            io.write_table(iamc_table(ds), args.out)
        print(f"wrote IAMC CSV: {args.out}")


def _write_netcdf(ds, path: str | None) -> None:
    if path:
        from esm import io

        io.write_netcdf(ds, path)
        print(f"wrote netCDF: {path}")


def _check_writable(path: str, option: str) -> None:
    p = Path(path)
    if p.is_dir():
        raise OSError(f"{option} {path}: is a directory, give a file name")
    parent = p.parent
    if not parent.is_dir():
        raise OSError(f"{option} {path}: directory {parent} does not exist")


def _check_figure_format(path: str) -> None:
    from matplotlib.backend_bases import FigureCanvasBase

    suffix = Path(path).suffix.lower().lstrip(".")
    formats = FigureCanvasBase.get_supported_filetypes()
    if suffix not in formats:
        raise ValueError(
            f"--plot {path}: unknown figure format {suffix or '(no suffix)'!r}; "
            f"use one of {', '.join(sorted(formats))}"
        )


def summary(ds) -> str:
    """The text printed by ``esm run``: a table at key years and the 2011-2020 diagnostics."""
    from esm.figures.run import covers

    years = [int(y) for y in ds["year"].values]
    shown = sorted({y for y in SUMMARY_YEARS if y in years} | {years[-1]})
    changed = ds.attrs.get("parameters_changed", "none")
    lines = [
        f"esm run {ds.attrs.get('scenario', '')}, {years[0]}-{years[-1]}, "
        f"parameters: {'defaults' if changed.startswith('none') else changed}"
    ]
    lines.append("  ".join(["year"] + [f"{n:>{len(f.format(0))}}" for _, n, _, f in _COLUMNS]))
    lines.append("  ".join(["    "] + [f"{u:>{len(f.format(0))}}" for _, _, u, f in _COLUMNS]))
    for y in shown:
        row = ds.sel(year=y)
        lines.append("  ".join([f"{y:4d}"] + [f.format(float(row[v])) for v, *_, f in _COLUMNS]))
    if covers(ds):
        lines.extend(_recent_lines(ds))
    return "\n".join(lines)


def _recent_lines(ds) -> list[str]:
    from esm import diagnostics, observations
    from esm.figures.run import RECENT

    lo, hi = RECENT

    def shares(d: dict[str, float]) -> str:
        keys = ("airborne_fraction", "ocean_fraction", "land_fraction")
        return " / ".join(f"{100 * d[k]:.0f}" for k in keys)

    model, gcb = diagnostics.carbon_budget(ds, lo, hi), observations.gcb_budget(lo, hi)
    lines = [
        f"carbon budget {lo}-{hi}: airborne / ocean / land fractions of fossil + land-use "
        f"CO2 emissions\n    model {shares(model)} %, GCB2021 {shares(gcb)} %"
    ]
    gsat = float(ds["gsat"].sel(year=slice(lo, hi)).mean())
    ref = ds["gsat"].attrs.get("reference_period", "")
    text = f"GSAT {lo}-{hi}: {gsat:.2f} K vs {ref.removesuffix(' mean')}"
    if ref.startswith("1850-1900"):
        text += f" (AR6 observed GMST: {observations.gmst_mean(lo, hi):.2f} K)"
    return lines + [text]


# ------------------------------------------------------------------------------ esm experiment
def _add_experiment(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="experiment (see --list)")
    p.add_argument("--list", action="store_true", help="print the experiments and exit")
    p.add_argument("--out", metavar="FILE.nc", help="write all output variables as netCDF")
    p.add_argument("--plot", metavar="FILE.png", help="save an overview figure")
    _add_set(p)


def _cmd_experiment(args: argparse.Namespace) -> int:
    from esm import experiments

    if args.list:
        for name, exp in experiments.EXPERIMENTS.items():
            print(f"{name:24s} {exp.description}")
        return 0
    if args.name is None:
        raise UsageError("experiment: give a NAME, or --list to see them")
    overrides = parse_settings(args.set)
    import esm

    esm.params.vector(overrides)
    _check_outputs(args, "out", "plot")
    ds = experiments.run(args.name, overrides or None)
    years = ds["experiment_year"].values
    print(f"esm experiment {args.name}: {ds.attrs['description']}")
    print("year   CO2 ppm  GSAT K  ERF W m-2  emissions GtC/yr  cumulative GtC")
    for k in sorted({1, 10, 50, 70, 100, 140, 150, 200, 300, int(years[-1])}):
        if k in years:
            r = ds.isel(year=int(k))
            print(
                f"{k:4d} {float(r.co2):9.1f} {float(r.gsat):7.2f} {float(r.erf):10.2f} "
                f"{float(r.emissions_co2_fossil):17.2f} {float(r.cumulative_emissions_co2):15.0f}"
            )
    _write_netcdf(ds, args.out)
    if args.plot:
        from esm.figures.run import plot_run

        plot_run(ds, args.plot, observations=False)
        print(f"wrote figure: {args.plot}")
    return 0


# ------------------------------------------------------------------------------ esm metrics
def _add_metrics(p: argparse.ArgumentParser) -> None:
    _add_set(p)
    p.add_argument(
        "--members",
        type=int,
        metavar="N",
        help="percentiles 5/17/50/83/95 over the first N members of the shipped posterior "
        "(each experiment runs once for all N; --set applies to every member)",
    )
    p.add_argument("--csv", metavar="FILE.csv", help="also write the table as CSV")


def _check_members(args: argparse.Namespace) -> None:
    if args.members is not None and args.members < 1:
        raise UsageError(f"--members {args.members}: must be a positive integer")


def _cmd_metrics(args: argparse.Namespace) -> int:
    import esm
    from esm import metrics

    overrides = parse_settings(args.set)
    esm.params.vector(overrides)
    _check_members(args)
    _check_outputs(args, "csv")
    table = metrics.table(overrides or None, members=args.members)
    what = f"parameters: {overrides or 'defaults'}"
    if args.members is not None:
        what = f"first {args.members} members of the shipped posterior (unweighted percentiles)"
        if overrides:
            what += f", with {overrides}"
    print(f"esm metrics: standard experiments (esm experiment --list), {what}")
    print(metrics.format_table(table))
    if args.csv:
        table.to_csv(args.csv)
        print(f"wrote table: {args.csv}")
    return 0


# ------------------------------------------------------------------------------ esm ensemble
def _add_ensemble(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", metavar="SCENARIO", help=_SCENARIO_HELP)
    p.add_argument("--members", type=int, default=100, help="ensemble size (default 100)")
    p.add_argument("--seed", type=int, default=0, help="seed of the member draw (default 0)")
    p.add_argument(
        "--source",
        choices=("posterior", "prior"),
        default="posterior",
        help="draw from the shipped posterior (default) or the priors",
    )
    p.add_argument(
        "--percentiles",
        metavar="P,P,...",
        help="only these percentiles (streaming, memory independent of members)",
    )
    p.add_argument("--variables", metavar="V,V,...", help="output variables")
    p.add_argument("--end", type=int, metavar="YEAR", help="last year (default 2100)")
    _add_out(p, "the ensemble")
    p.add_argument("--plot", metavar="FILE.png", help="save a plume figure of GSAT and CO2")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the chunks on a Dask cluster (scheduler address)",
    )
    p.add_argument("--store", metavar="DIR", help="write finished chunks to DIR and resume")
    p.add_argument(
        "--chunk-size",
        type=int,
        metavar="N",
        help="members per chunk (2000; with --percentiles 20000)",
    )
    p.add_argument(
        "--failed",
        choices=["error", "drop"],
        default="error",
        help="a member whose run fails: stop with its error (default) or leave it out, "
        "stating how many were left out",
    )
    _add_scenario_input(p)


def _cmd_ensemble(args: argparse.Namespace) -> int:
    import esm
    from esm._checks import check_count, check_percentiles
    from esm.figures.ensemble import ensemble_percentiles, plot_ensemble

    _check_outputs(args, "out", "plot")
    check_count("--members", args.members)
    pct = None
    if args.percentiles:
        pct = check_percentiles(args.percentiles, name=f"--percentiles {args.percentiles}").tolist()
    variables = None
    if args.variables is not None:
        variables = [v.strip() for v in args.variables.split(",")]
        if not all(variables):
            raise UsageError(f"--variables {args.variables!r}: give names like gsat,co2")
    if pct is None and variables is None and args.plot:
        variables = ["gsat", "co2"]
    client = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario, kwargs = _scenario_input(args)
        if args.scheduler:
            from dask.distributed import Client

            client = Client(args.scheduler)
        try:
            ds = esm.ensemble(
                scenario,
                members=args.members,
                seed=args.seed,
                source=args.source,
                percentiles=pct,
                variables=variables,
                end=args.end,
                client=client,
                store=args.store,
                chunk_size=args.chunk_size,
                failed=args.failed,
                **kwargs,
            )
        finally:
            if client is not None:
                client.close()
    _warnings_to_stderr(caught)
    print(f"esm ensemble {args.scenario}: {args.members} members from the {args.source}")
    if "gsat" in ds:
        for lo, hi in ((2021, 2040), (2041, 2060), (2081, 2100)):
            if ds["year"].values[-1] >= hi:
                window = ds.sel(year=slice(lo, hi)).mean("year")
                p = ensemble_percentiles(window, "gsat")
                text = ", ".join(f"{k:g}%: {float(v):.2f}" for k, v in p.items())
                how = " (period mean of annual percentiles)" if pct is not None else ""
                print(f"  GSAT {lo}-{hi} mean vs 1850-1900 [K]{how}  {text}")
    _write_out(ds, args)
    if args.plot:
        plot_ensemble(ds, args.plot)
        print(f"wrote figure: {args.plot}")
    return 0


# ------------------------------------------------------------------------------ esm sensitivity
def _add_sensitivity(p: argparse.ArgumentParser) -> None:
    from esm.sensitivities import OUTPUTS

    p.add_argument(
        "--output",
        default="gsat_2100",
        choices=list(OUTPUTS),
        help="scalar output to analyse (default gsat_2100)",
    )
    p.add_argument("--method", default="sobol", choices=("sobol", "morris"))
    p.add_argument(
        "--n",
        type=int,
        default=256,
        help="Saltelli base sample or Morris trajectories (default 256)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--plot", metavar="FILE.png", help="save a bar chart of the indices")
    p.add_argument("--csv", metavar="FILE.csv", help="write the indices as CSV")


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    import esm

    _check_outputs(args, "plot", "csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = esm.sensitivity(
            args.output, method=args.method, n=args.n, seed=args.seed, plot=args.plot
        )
    _warnings_to_stderr(caught)
    print(
        f"esm sensitivity of {args.output} [{df.attrs['units']}] ({args.method}, "
        f"{df.attrs['runs']} runs; mean {df.attrs['output_mean']:.3g}, "
        f"sd {df.attrs['output_sd']:.3g})"
    )
    print(df.round(3).to_string())
    if args.csv:
        df.to_csv(args.csv)
        print(f"wrote table: {args.csv}")
    if args.plot:
        print(f"wrote figure: {args.plot}")
    return 0


# ------------------------------------------------------------------------------ esm china
def _add_china(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "pathway",
        nargs="?",
        metavar="PATHWAY",
        help="preset: reference, current-policies, neutral-2060 or 1.5C (see --list); or "
        "'sweep' to vary one lever (--lever, --values)",
    )
    p.add_argument("--list", action="store_true", help="describe the presets and levers")
    p.add_argument(
        "--show",
        metavar="PRESET",
        help="print every lever of PRESET (with --set applied): value, units, allowed range and "
        "where the value comes from (preset, default, --set, neutrality_year)",
    )
    p.add_argument("--reference", default="reference", help="reference preset (reference)")
    p.add_argument(
        "--background",
        default="ssp245",
        help="background scenario for the rest of the world (ssp245)",
    )
    p.add_argument(
        "--members",
        type=int,
        default=1,
        help="ensemble members from the posterior (default 1: default parameters)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--end", type=int, default=2100, help="last year (2100)")
    _add_set(p, what="a lever of the pathway", metavar="LEVER=VALUE", listed="see --list")
    p.add_argument("--plot", metavar="FILE.png", help="save the effect (or sweep) figure")
    _add_out(p, "the effect (pathways, changes and levers; for a sweep, FILE.csv is a tidy table)")
    p.add_argument(
        "--contribution",
        action="store_true",
        help="also print China's contribution to warming 1750-2020",
    )
    g = p.add_argument_group("esm china sweep --lever LEVER --values V1,V2,...")
    g.add_argument("--lever", metavar="LEVER", help="the numeric lever to vary (see --list)")
    g.add_argument("--values", metavar="V1,V2,...", help="the values of --lever, comma-separated")
    g.add_argument(
        "--pathway",
        dest="sweep_pathway",
        metavar="PRESET",
        help="the preset whose lever is varied (neutral-2060)",
    )


def _lever_settings(items) -> dict:
    from esm.china import LEVERS

    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ValueError(f"--set expects LEVER=VALUE, not {item!r}")
        if name not in LEVERS:
            raise KeyError(f"unknown lever {name!r}; levers: {', '.join(LEVERS)}")
        if name == "co2_decline":
            out[name] = value
        else:
            try:
                out[name] = float(value)
            except ValueError:
                raise ValueError(f"--set {item}: {value!r} is not a number") from None
    return out


def _cmd_china(args: argparse.Namespace) -> int:
    from esm import china

    if args.list:
        for name, (text, _) in china.PRESETS.items():
            print(f"{name}:\n  {text}\n")
        print("levers (units; allowed range):")
        for lv in china.LEVERS.values():
            rng = f"{lv.bounds[0]:g}-{lv.bounds[1]:g}" if lv.bounds else ""
            print(f"  {lv.name:20s} {lv.units:9s} {rng:12s} {lv.description}")
        return 0
    sweeping = args.pathway == "sweep"
    if not sweeping:
        given = [f for f, v in (("--lever", args.lever), ("--values", args.values),
                                ("--pathway", args.sweep_pathway)) if v is not None]  # fmt: skip
        if given:
            raise UsageError(
                f"china: {', '.join(given)} belong to 'esm china sweep' (see 'esm china --help')"
            )
    if args.show is not None:
        if args.pathway is not None:
            raise UsageError("china: --show PRESET prints levers; give no PATHWAY with it")
        overrides = _lever_settings(args.set)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            text = china_levers_table(args.show, overrides)
        _warnings_to_stderr(caught)
        print(text)
        return 0
    if args.pathway is None:
        raise UsageError("china: give a PATHWAY or 'sweep', or --list / --show PRESET")
    overrides = _lever_settings(args.set)
    _check_outputs(args, "out", "plot")
    if sweeping:
        return _china_sweep(args, overrides)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        eff = china.effect(
            args.pathway,
            reference=args.reference,
            background=args.background,
            members=args.members,
            seed=args.seed,
            end=args.end,
            **overrides,
        )
    _warnings_to_stderr(caught)
    print(china_table(eff))
    if args.contribution:
        c = china.contribution(members=args.members, seed=args.seed, background=args.background)
        print("China's contribution to 1750-2020 change (world minus world without China):")
        for case in c["case"].values:
            g = c["delta_gsat"].sel(case=case, year=2020)
            print(
                f"  {case:32s} GSAT {_fmt_range(g)} K, CO2 "
                f"{_fmt_range(c['delta_co2'].sel(case=case, year=2020))} ppm"
            )
    _write_out(eff, args, iamc_table=china.to_iamc)
    if args.plot:
        from esm.figures.china import plot_effect

        plot_effect(eff, args.plot)
        print(f"wrote figure: {args.plot}")
    return 0


def _china_sweep(args: argparse.Namespace, overrides: dict) -> int:
    """``esm china sweep``: the effect against the values of one lever (table, file, figure)."""
    from esm import china, io
    from esm.china.sweep import sweep_values, to_table

    if not args.lever:
        raise UsageError("china sweep: give --lever LEVER (a numeric lever, see --list)")
    if args.values is None:
        raise UsageError(f"china sweep: give --values V1,V2,... for --lever {args.lever}")
    values = sweep_values(args.lever, args.values)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = china.sweep(
            args.sweep_pathway or "neutral-2060",
            args.lever,
            values,
            reference=args.reference,
            background=args.background,
            members=args.members,
            seed=args.seed,
            end=args.end,
            **overrides,
        )
    _warnings_to_stderr(caught)
    print(china_sweep_table(ds))
    if args.out:
        if io.format_of(args.out) == "netcdf":
            io.write_netcdf(ds, args.out, history="esm " + " ".join(sys.argv[1:]))
            print(f"wrote netCDF: {args.out}")
        else:
            io.write_table(to_table(ds), args.out)
            print(f"wrote CSV table: {args.out}")
    if args.plot:
        from esm.figures.china import plot_sweep

        plot_sweep(ds, args.plot)
        print(f"wrote figure: {args.plot}")
    return 0


def _fmt_value(value) -> str:
    if value is None:
        return "none"
    return value if isinstance(value, str) else f"{value:g}"


def china_levers_table(name: str, overrides: dict | None = None) -> str:
    """The table printed by ``esm china --show PRESET``: every lever with its value, units,
    allowed range and where the value comes from."""
    import textwrap

    from esm import china
    from esm.china.levers import sources

    overrides = overrides or {}
    lv = china.preset(name, **overrides)
    where = sources(name, **overrides)
    values = lv.as_dict()
    head = f"China pathway {name}" + (
        f" with {', '.join(f'{k}={_fmt_value(v)}' for k, v in overrides.items())}"
        if overrides
        else ""
    )
    lines = [head, *textwrap.wrap(china.PRESETS[name][0], 96, initial_indent="  ",
                                  subsequent_indent="  ")]  # fmt: skip
    lines.append(f"{'lever':20s} {'value':>8s}  {'units':9s} {'range':11s} set by")
    for lever, spec in china.LEVERS.items():
        rng = f"{spec.bounds[0]:g}-{spec.bounds[1]:g}" if spec.bounds else ""
        lines.append(
            f"{lever:20s} {_fmt_value(values[lever]):>8s}  {spec.units or '-':9s} {rng:11s} "
            f"{where[lever]}"
        )
    lines.append(
        "set by: preset (the preset's value), default (the lever's default), set (--set), "
        "neutrality_year (moved by it)"
    )
    return "\n".join(lines)


def china_sweep_table(ds) -> str:
    """The table printed by ``esm china sweep``: the effect against the lever value."""
    import textwrap

    from esm.china.sweep import CUMULATIVE_FROM

    lever, units, end = ds.attrs["lever"], ds.attrs["lever_units"], ds.attrs["end"]
    many = "percentile" in ds.dims
    head = (
        f"esm china sweep: {lever} [{units}] in {ds.attrs['pathway']} vs "
        f"{ds.attrs['reference']}, background {ds.attrs['background']}, "
        f"{ds.attrs['members']} member(s)" + (" [median, 5-95 %]" if many else "")
    )
    w = 24 if many else 11
    lines = [
        head,
        f"{lever:>16s}  {'avoided':>{w}s} {'peak':>{w}s} {'peak GSAT':>{w}s} "
        f"{'China CO2':>12s} {'CO2':>10s} {'TCRE x':>9s} {'China':>8s}",
        f"{'[' + units + ']':>16s}  {f'in {end} K':>{w}s} {'reduction K':>{w}s} "
        f"{'pathway K':>{w}s} {f'{CUMULATIVE_FROM}-{end} Gt':>12s} {'avoided Gt':>10s} "
        f"{'avoided K':>9s} {'net zero':>8s}",
    ]
    for i, v in enumerate(ds["value"].values):
        one = ds.isel(value=i)
        net_zero = float(one["china_net_zero_year"])
        lines.append(
            f"{v:16g}  {_fmt_range(one['avoided_warming']):>{w}s} "
            f"{_fmt_range(one['peak_warming_reduction']):>{w}s} "
            f"{_fmt_range(one['peak_gsat']):>{w}s} "
            f"{float(one['china_cumulative_co2']):12.0f} "
            f"{float(one['cumulative_co2_avoided']):10.0f} "
            f"{float(one['avoided_warming_tcre']):+9.3f} "
            f"{'never' if net_zero != net_zero else f'{net_zero:.0f}':>8s}"
        )
    note = (
        f"avoided: GSAT of the reference minus the pathway in {end}; peak reduction: peak GSAT "
        "of the reference minus that of the pathway; China CO2: net (fossil after CCUS + land "
        "use after sinks), GtCO2; TCRE x avoided: the TCRE arithmetic for the avoided CO2"
    )
    lines.extend(textwrap.wrap(note, 100))
    return "\n".join(lines)


def _fmt_range(da) -> str:
    if "percentile" in da.dims:
        p = da["percentile"].values
        mid = float(da.sel(percentile=50)) if 50 in p else float(da.median())
        lo, hi = float(da.isel(percentile=0)), float(da.isel(percentile=-1))
        return f"{mid:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    return f"{float(da):+.3f}"


def china_table(eff) -> str:
    """The table printed by ``esm china`` (2030, 2050, 2060, 2100 where covered)."""
    years = [y for y in (2030, 2050, 2060, 2100) if y in eff["year"].values]
    head = (
        f"esm china {eff.attrs['pathway']} vs {eff.attrs['reference']}, background "
        f"{eff.attrs['background']}, {eff.attrs['members']} member(s)"
        + (" [median, 5-95 %]" if "percentile" in eff.dims else "")
    )
    lines = [
        head,
        f"{'':4s}  {'China net CO2 GtCO2/yr':21s} {'change of':26s} {'':24s} {'':24s} "
        f"{'China CO2':>13s}  {'TCRE x':>8s}",
        f"{'year':4s}  {'pathway':>9s} {'reference':>10s}  {'CO2 ppm':26s} {'ERF W m-2':24s} "
        f"{'GSAT K':24s} {'avoided GtCO2':>13s}  {'avoided K':>8s}",
    ]
    for y in years:
        p = eff.sel(year=y)
        lines.append(
            f"{y}  {float(p['china_co2_net'].sel(scenario='pathway')):9.2f} "
            f"{float(p['china_co2_net'].sel(scenario='reference')):10.2f}  "
            f"{_fmt_range(p['delta_co2'].sel(case='pathway')):26s} "
            f"{_fmt_range(p['delta_erf'].sel(case='pathway')):24s} "
            f"{_fmt_range(p['delta_gsat'].sel(case='pathway')):24s} "
            f"{float(p['cumulative_co2_avoided'].sel(case='pathway')):13.0f}  "
            f"{float(p['delta_gsat_tcre'].sel(case='pathway')):+.3f}"
        )
    last = years[-1]
    lines.append(f"by lever in {last} (each alone on top of the reference), GSAT change [K]:")
    for case in eff["case"].values[1:]:
        lines.append(f"  {case:22s} {_fmt_range(eff['delta_gsat'].sel(case=case, year=last))}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ esm validate
def _add_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("--csv", metavar="FILE.csv", help="also write the table as CSV")
    p.add_argument(
        "--out", metavar="DIR", help="write the Markdown report and its figures into DIR"
    )
    p.add_argument(
        "--members",
        type=int,
        metavar="N",
        help="also print the posterior assessment (percentiles over the first N posterior "
        "members vs assessed ranges); with --out the report uses N members (default 1000)",
    )


def _cmd_validate(args: argparse.Namespace) -> int:
    from esm import validate

    _check_members(args)
    _check_outputs(args, "csv")
    if args.out:
        if not Path(args.out).is_dir():
            raise OSError(f"--out {args.out}: directory does not exist")
        from esm.report import write_report

        members = validate.ASSESSMENT_MEMBERS if args.members is None else args.members
        path = write_report(args.out, members=members)
        print(f"wrote report: {path} (figures in {Path(args.out) / 'figures'})")
    table = validate.history_checks()
    print("esm validate: emission-driven SSP2-4.5 history 1750-2022, default parameters")
    print(validate.format_checks(table))
    if args.csv:
        table.to_csv(args.csv)
        print(f"wrote table: {args.csv}")
    if args.members is not None:
        print(
            f"\nesm validate: posterior assessment, first {args.members} members "
            "(emission-driven SSPs and idealised experiments)"
        )
        values = validate.member_values(args.members)
        print(validate.format_assessment(validate.assessment(args.members, values=values)))
        print(f"\nesm validate: acceptance targets of the ensemble, first {args.members} members")
        print(validate.format_acceptance(validate.acceptance(args.members, values=values)))
        peer = validate.peer_1pct(args.members, values=values)
        print(
            f"\nesm validate: 1pctCO2 TCR, TCRE and airborne fraction, first {args.members} "
            f"members next to {validate.PEER_LABEL} "
            f"({int(peer['members'].iloc[-1])} members, history-constrained)"
        )
        print(validate.format_peer(peer))
    return 0


# ------------------------------------------------------------------------------ esm params
#: Width of the ``esm params`` table.
PARAMS_WIDTH = 100

#: Narrowest description column beside the other columns; below it descriptions go underneath.
_MIN_DESCRIPTION = 36


def _add_params(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "pattern",
        nargs="?",
        metavar="PATTERN",
        help="only parameters whose name or description contains PATTERN (case-insensitive) "
        "or matches it as a glob (e.g. 'ocean_*', '*q10*')",
    )
    p.add_argument("--group", metavar="GROUP", help="only this group (e.g. land, ocean, climate)")
    p.add_argument(
        "--switches",
        action="store_true",
        help="only the feedback switches (1 = on, 0 = off) and what switching each off does",
    )
    p.add_argument(
        "--csv",
        metavar="FILE.csv",
        help="write every column of the selected parameters (group, bounds, source, prior, ...) "
        "as CSV instead of printing the table",
    )


def _matches(pattern: str, *texts: str) -> bool:
    import fnmatch

    pat = pattern.lower()
    if any(c in pat for c in "*?["):
        return any(fnmatch.fnmatchcase(t.lower(), pat) for t in texts)
    return any(pat in t.lower() for t in texts)


def _short_source(text: str, width: int = 70) -> str:
    """The reference of a source, shortened: its first clause (up to ';' or ': '), without
    DOIs and parenthesised file paths, at most ``width`` characters."""
    import re

    first = text.split(";")[0].split(": ")[0]
    first = re.sub(r",?\s*doi:[^\s,]+", "", first)
    first = re.sub(r"\s*\([^()]*(/|\.py)[^()]*\)", "", first).strip()
    if first.count("(") > first.count(")"):
        first += ")"
    if len(first) > width:
        first = first[: width - 3].rsplit(" ", 1)[0].rstrip(",") + "..."
    return first


def _g(x: float) -> str:
    return f"{x:.4g}"


def _switch_lines(description: str) -> list[str]:
    """'1: X; 0: Y' -> ['on (1): X', 'off (0): Y'] (the description itself otherwise)."""
    on, sep, off = description.partition("; 0:")
    if sep and on.startswith("1:"):
        return [f"on (1):  {on[2:].strip()}", f"off (0): {off.strip()}"]
    return [description]


def params_table(df) -> str:
    """The table printed by ``esm params``: name, default, units, bounds, description and the
    first clause of the source, grouped by parameter group, at most :data:`PARAMS_WIDTH`
    characters a line (descriptions wrap; beneath the row when the columns leave too little)."""
    import textwrap

    cols = {
        "name": [str(n) for n in df.index],
        "default": [_g(v) for v in df["default"]],
        "units": [str(u) for u in df["units"]],
        "bounds": [
            f"[{_g(lo)}, {_g(hi)}]" for lo, hi in zip(df["lower"], df["upper"], strict=True)
        ],
    }
    widths = {k: max(len(k), *(len(x) for x in v)) for k, v in cols.items()}
    used = sum(widths.values()) + 2 * len(widths)
    room = PARAMS_WIDTH - used
    beside = room >= _MIN_DESCRIPTION
    indent = used if beside else 4
    wrap_width = PARAMS_WIDTH - indent

    def cells(i: int | None) -> str:
        out = []
        for k, w in widths.items():
            text = k if i is None else cols[k][i]
            out.append(text.rjust(w) if k == "default" else text.ljust(w))
        return "  ".join(out) + "  "

    head = cells(None) + ("description, source" if beside else "")
    lines = [head.rstrip()]
    if not beside:
        lines.append("    description, source")
    group = None
    for i, (_, row) in enumerate(df.iterrows()):
        if row["group"] != group:
            group = row["group"]
            lines.append(f"-- {group} --")
        text = textwrap.wrap(row["description"], wrap_width) + textwrap.wrap(
            f"source: {_short_source(row['source'])}", wrap_width
        )
        if beside:
            lines.append(cells(i) + text[0])
            lines.extend(" " * indent + t for t in text[1:])
        else:
            lines.append(cells(i).rstrip())
            lines.extend(" " * indent + t for t in text)
    return "\n".join(lines)


def switches_table(df) -> str:
    """The table printed by ``esm params --switches``: each switch, its default and what it
    does on (1) and off (0)."""
    import textwrap

    width = max(len(str(n)) for n in df.index)
    lines = [f"{'switch':{width}s}  default  what it does"]
    indent = width + 11
    for name, row in df.iterrows():
        text = []
        for part in _switch_lines(row["description"]):
            text += textwrap.wrap(part, PARAMS_WIDTH - indent, subsequent_indent=" " * 9)
        lines.append(f"{name:{width}s}  {_g(row['default']):>7s}  {text[0]}")
        lines.extend(" " * indent + t for t in text[1:])
    return "\n".join(lines)


def _cmd_params(args: argparse.Namespace) -> int:
    import esm

    _check_outputs(args, "csv")
    table = esm.params.table()
    groups = list(dict.fromkeys(table["group"]))
    group = args.group
    if group is not None:
        match = [g for g in groups if g.lower() == group.strip().lower()]
        if not match:
            raise UsageError(f"params: unknown group {group!r}; groups: {', '.join(groups)}")
        group = match[0]
    if args.switches:
        if group not in (None, "switches"):
            raise UsageError(f"params: --switches lists group switches, not --group {group}")
        group = "switches"
    selected = table if group is None else table[table["group"] == group]
    if args.pattern is not None:
        keep = [
            _matches(args.pattern, n, d)
            for n, d in zip(selected.index, selected["description"], strict=True)
        ]
        selected = selected[keep]
    where = f" in group {group}" if group else ""
    if selected.empty:
        print(
            f"esm params: no parameter{where} matches {args.pattern!r}; run 'esm params' "
            "without a pattern to list them all"
        )
        return 0
    if args.csv:
        selected.to_csv(args.csv)
        print(f"wrote table: {args.csv} ({len(selected)} parameters)")
        return 0
    what = f" matching {args.pattern!r}" if args.pattern is not None else ""
    if args.switches:
        print(
            f"esm params --switches: {len(selected)} feedback switches{what} (default 1 = on; "
            "switch one off with --set NAME=0)"
        )
        print(switches_table(selected))
    else:
        print(f"esm params: {len(selected)} of {len(table)} parameters{where}{what}")
        print(params_table(selected))
    return 0


# ------------------------------------------------------------------------------ esm compare
def _add_compare(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help="shipped scenario of run A (see 'esm run --list')")
    p.add_argument("b", metavar="B", help="shipped scenario of run B (may equal A)")
    for flag, who in (("--set-a", "run A"), ("--set-b", "run B"), ("--set", "both runs")):
        _add_set(p, flag, f"a parameter of {who}")
    p.add_argument(
        "--end",
        type=int,
        metavar="YEAR",
        help="last year (default 2100, or the last year of historical)",
    )
    p.add_argument(
        "--plot",
        metavar="FILE.png",
        help="save a figure: A and B (top row), B minus A (bottom row)",
    )
    p.add_argument(
        "--csv",
        metavar="FILE.csv",
        help="write every year of the table's quantities (variable, units, year, A, B, B-A)",
    )


def _cmd_compare(args: argparse.Namespace) -> int:
    import esm
    from esm import compare

    both = parse_settings(args.set)
    params_a = {**both, **parse_settings(args.set_a)}
    params_b = {**both, **parse_settings(args.set_b)}
    esm.params.vector(params_a)
    esm.params.vector(params_b)
    shipped = esm.scenarios.available()
    for name in (args.a, args.b):
        if name not in shipped:
            raise esm.ScenarioError(
                f"compare: unknown scenario {name!r}; shipped scenarios: {', '.join(shipped)}"
            )
    _check_outputs(args, "plot", "csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = compare.compare(args.a, args.b, params_a or None, params_b or None, end=args.end)
    _warnings_to_stderr(caught)
    print(compare.format_table(ds))
    if args.csv:
        compare.to_frame(ds).to_csv(args.csv, index=False)
        print(f"wrote table: {args.csv}")
    if args.plot:
        from esm.figures.compare import plot_compare

        plot_compare(ds, args.plot)
        print(f"wrote figure: {args.plot}")
    return 0


# ------------------------------------------------------------------------------ esm budget, goal
def _percent(text: str) -> float:
    """A likelihood in percent on the command line (``67``) as a fraction in (0, 1)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number (a percentage such as 67)"
        ) from None
    if not 0.0 < value < 100.0:
        raise argparse.ArgumentTypeError(
            f"{text} is outside (0, 100): give the likelihood in percent, e.g. 67"
        )
    return value / 100.0


def _warming(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a warming in K (e.g. 1.5)") from None


def _add_policy_options(p: argparse.ArgumentParser, plot: str) -> None:
    """Options shared by ``esm budget`` and ``esm goal``: members, seed, decline shape, plot."""
    p.add_argument("--members", type=int, default=500, help="posterior members (500)")
    p.add_argument("--seed", type=int, default=0, help="seed of the member draw (0)")
    p.add_argument(
        "--shape", choices=("linear", "cosine"), default="linear", help="decline to net zero"
    )
    p.add_argument("--plot", metavar="FILE.png", help=plot)


def _add_budget(p: argparse.ArgumentParser) -> None:
    p.add_argument("warming", type=_warming, help="peak-warming limit, K above 1850-1900 (GSAT)")
    p.add_argument(
        "--likelihood",
        type=_percent,
        action="append",
        metavar="PERCENT",
        help="chance of staying below, in percent (repeatable; default 17, 33, 50, 67, 83)",
    )
    _add_policy_options(p, plot="save peak warming vs cumulative CO2")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="write the budgets and terms: FILE.csv (tidy table) or FILE.nc (everything, "
        "with the pathway family and members)",
    )


def _cmd_budget(args: argparse.Namespace) -> int:
    from esm import budgets as B

    _check_policy_outputs(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = B.budget(
            args.warming,
            args.likelihood or B.LIKELIHOODS,
            members=args.members,
            seed=args.seed,
            shape=args.shape,
        )
    _warnings_to_stderr(caught)
    print(B.budget_table(ds))
    if args.out:
        _write_table_or_netcdf(ds, args.out, B.budget_frame)
    if args.plot:
        from esm.figures.budget import plot_budget

        plot_budget(ds, args.plot)
        print(f"wrote figure: {args.plot}")
    return 0


def _add_goal(p: argparse.ArgumentParser) -> None:
    def china_rule(text: str) -> str:
        from esm.china import allocation

        try:
            return allocation.check_rule(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    p.add_argument("warming", type=_warming, help="peak-warming goal, K above 1850-1900 (GSAT)")
    p.add_argument(
        "--likelihood",
        type=_percent,
        default=0.5,
        metavar="PERCENT",
        help="chance of meeting the goal, in percent (50)",
    )
    p.add_argument("--start", type=int, default=2025, help="first year of the decline (2025)")
    p.add_argument(
        "--net-negative",
        type=float,
        default=0.0,
        metavar="GTCO2",
        help="net-negative CO2 after net zero, GtCO2/yr (<= 0; default 0)",
    )
    p.add_argument(
        "--negative-years",
        type=float,
        default=20.0,
        help="years from net zero to the full net-negative rate (20)",
    )
    _add_policy_options(p, plot="save the path and the peak warming")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="write the path: FILE.csv as a scenario CSV that 'esm run FILE.csv' reads, or "
        "FILE.nc (with the members' peak warming)",
    )
    p.add_argument(
        "--china-share",
        type=china_rule,
        metavar="RULE",
        help="also print China's share of the goal under an allocation rule you choose: "
        "equal-per-capita (population share) or grandfathering (share of global net CO2)",
    )
    p.add_argument(
        "--china-year",
        type=int,
        metavar="YEAR",
        help="year of China's share (default 2020; population data 1950-2023, CO2 1750-2023)",
    )
    p.add_argument(
        "--china-out",
        metavar="FILE",
        help="write China's share and path: FILE.csv (attributes as # lines, then "
        "year,china_co2_net) or FILE.nc",
    )


def _cmd_goal(args: argparse.Namespace) -> int:
    from esm import budgets as B
    from esm import scenarios

    _check_policy_outputs(args)
    if args.china_share is None and (args.china_out or args.china_year is not None):
        raise UsageError("--china-year and --china-out need --china-share RULE")
    if args.china_share is not None:
        from esm.china import allocation

        china_year = allocation.check_year(
            args.china_share, 2020 if args.china_year is None else args.china_year
        )
        if args.china_out:
            _check_writable(args.china_out, "--china-out")
            if not args.china_out.lower().endswith((".csv", ".nc")):
                raise ValueError(f"--china-out {args.china_out}: name it *.csv or *.nc")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = B.goal(
            args.warming,
            args.likelihood,
            shape=args.shape,
            start=args.start,
            net_negative=args.net_negative,
            negative_years=args.negative_years,
            members=args.members,
            seed=args.seed,
        )
    _warnings_to_stderr(caught)
    print(B.goal_table(ds))
    if args.china_share is not None:
        china = allocation.share_of_goal(ds, args.china_share, china_year)
        print()
        print(allocation.share_table(china))
        if args.china_out:
            from esm import io

            if io.format_of(args.china_out) == "netcdf":
                io.write_netcdf(china, args.china_out, history="esm " + " ".join(sys.argv[1:]))
                print(f"wrote netCDF: {args.china_out}")
            else:
                allocation.write_csv(china, args.china_out)
                print(f"wrote table: {args.china_out}")
    if args.out:
        from esm import io

        if io.format_of(args.out) == "netcdf":
            io.write_netcdf(ds, args.out, history="esm " + " ".join(sys.argv[1:]))
            print(f"wrote netCDF: {args.out}")
        else:
            header = [ds.attrs["title"], *B.goal_table(ds).splitlines()[1:]]
            scenarios.write_csv(ds, args.out, header=header)
            print(f"wrote scenario CSV: {args.out} (esm run {args.out})")
    if args.plot:
        from esm.figures.budget import plot_goal

        plot_goal(ds, args.plot)
        print(f"wrote figure: {args.plot}")
    return 0


def _check_policy_outputs(args: argparse.Namespace) -> None:
    """``--plot`` and ``--out`` of esm budget / esm goal: writable, and ``--out`` named .nc,
    .csv or .csv.gz (checked before anything is computed)."""
    from esm import io

    _check_outputs(args, "plot")
    if args.out:
        _check_writable(args.out, "--out")
        io.format_of(args.out)


def _write_table_or_netcdf(ds, path: str, frame) -> None:
    from esm import io

    if io.format_of(path) == "netcdf":
        io.write_netcdf(ds, path, history="esm " + " ".join(sys.argv[1:]))
        print(f"wrote netCDF: {path}")
    else:
        io.write_table(frame(ds), path)
        print(f"wrote CSV: {path}")


# ------------------------------------------------------------------------------ esm explain
#: Topics of ``esm explain``.
EXPLAIN_TOPICS = ("feedbacks",)


def _add_explain(p: argparse.ArgumentParser) -> None:
    p.add_argument("topic", choices=EXPLAIN_TOPICS, metavar="TOPIC", help="feedbacks")
    p.add_argument(
        "scenario",
        nargs="?",
        default="ssp245",
        metavar="SCENARIO",
        help="shipped scenario (default ssp245)",
    )
    p.add_argument("--year", type=int, default=2100, help="year of the contributions (2100)")
    _add_set(p)
    p.add_argument("--plot", metavar="FILE.png", help="save the waterfall chart")
    p.add_argument(
        "--tcre",
        action="store_true",
        help="also print the TCRE of esm-1pctCO2 with each feedback off",
    )


def feedbacks_table(ds) -> str:
    """The table printed by ``esm explain feedbacks`` from :func:`esm.feedbacks.decompose`:
    each feedback's contribution to CO2 [ppm] and GSAT [K] in the chosen year with its
    explanation, then the sum, the interaction, all together and the reference."""
    import textwrap

    year = ds.attrs.get("year", "")
    names = [str(n) for n in ds["feedback"].values]
    width = max(len("all feedbacks together"), *(len(n) for n in names))
    indent = width + 2 + 9 + 2 + 7 + 2
    changed = ds.attrs.get("parameters_changed", "none")
    lines = [
        f"esm explain feedbacks: {ds.attrs.get('scenario', '')} in {year}, parameters: "
        f"{'defaults' if changed.startswith('none') else changed}",
        "contribution of a feedback = the run with every feedback on minus the run with only "
        "that one off",
        "(same emissions); positive: the feedback raises CO2 or warming",
        f"{'feedback':{width}s}  {'CO2 ppm':>9s}  {'GSAT K':>7s}  what it does",
    ]
    explanations = ds["explanation"].values if "explanation" in ds.coords else [""] * len(names)
    for k, name in enumerate(names):
        co2 = float(ds["co2_contribution_at_year"].isel(feedback=k))
        gsat = float(ds["gsat_contribution_at_year"].isel(feedback=k))
        text = textwrap.wrap(str(explanations[k]), PARAMS_WIDTH - indent) or [""]
        lines.append(f"{name:{width}s}  {co2:+9.1f}  {gsat:+7.2f}  {text[0]}".rstrip())
        lines.extend(" " * indent + t for t in text[1:])
    rows = (
        ("sum of the above", "sum", "each switched off alone"),
        ("interaction", "interaction", "feedbacks acting on each other"),
        ("all feedbacks together", "total", "all on minus all off"),
    )
    lines.append("-" * (indent - 2))
    for label, key, note in rows:
        if f"co2_{key}_at_year" in ds:
            co2, gsat = float(ds[f"co2_{key}_at_year"]), float(ds[f"gsat_{key}_at_year"])
            lines.append(f"{label:{width}s}  {co2:+9.1f}  {gsat:+7.2f}  {note}")
    if "co2_reference_at_year" in ds:
        lines.append(
            f"{year} with every feedback on: CO2 {float(ds['co2_reference_at_year']):.1f} ppm, "
            f"GSAT {float(ds['gsat_reference_at_year']):.2f} K; with all off: CO2 "
            f"{float(ds['co2_all_off_at_year']):.1f} ppm, GSAT "
            f"{float(ds['gsat_all_off_at_year']):.2f} K"
        )
    return "\n".join(lines)


def tcre_table(ds) -> str:
    """The TCRE lines of ``esm explain feedbacks --tcre`` (:func:`esm.feedbacks.decompose_tcre`)."""
    labels = [{"reference": "none (reference)"}.get(str(c), str(c)) for c in ds["case"].values]
    width = max(len("switched off"), *(len(c) for c in labels))
    lines = [
        "TCRE of esm-1pctCO2 with feedbacks switched off, K per 1000 GtC (years 61-80; every case",
        "gets the emissions of the reference; change: TCRE minus that of the reference)",
        f"{'switched off':{width}s}  {'TCRE':>6s}  {'change':>7s}",
    ]
    for k, case in enumerate(labels):
        lines.append(
            f"{case:{width}s}  {float(ds['tcre'].isel(case=k)):6.2f}  "
            f"{float(ds['tcre_change'].isel(case=k)):+7.2f}"
        )
    if ds.attrs.get("not_in_reference", "none") != "none":
        lines.append(
            f"(off in the reference, as in the CMIP protocol: {ds.attrs['not_in_reference']})"
        )
    return "\n".join(lines)


def _cmd_explain(args: argparse.Namespace) -> int:
    import esm

    overrides = parse_settings(args.set)
    esm.params.vector(overrides)
    if args.scenario not in esm.scenarios.available():
        raise esm.ScenarioError(
            f"explain: unknown scenario {args.scenario!r}; shipped scenarios: "
            f"{', '.join(esm.scenarios.available())}"
        )
    _check_outputs(args, "plot")
    from esm import feedbacks

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = feedbacks.decompose(args.scenario, year=args.year, params=overrides or None)
        tcre = feedbacks.decompose_tcre(params=overrides or None) if args.tcre else None
    _warnings_to_stderr(caught)
    print(feedbacks_table(ds))
    if tcre is not None:
        print()
        print(tcre_table(tcre))
    if args.plot:
        from esm.figures.feedbacks import plot_waterfall

        plot_waterfall(ds, args.plot)
        print(f"wrote figure: {args.plot}")
    return 0


# ------------------------------------------------------------------------------ registry
#: Subcommands by name.
COMMANDS: dict[str, Command] = {
    "run": Command(
        "run a scenario, print a summary, optionally save netCDF and a figure", _add_run, _cmd_run
    ),
    "experiment": Command(
        "run a standard idealised experiment (1pctCO2, abrupt-4xCO2, ZEC, flat10, ...)",
        _add_experiment,
        _cmd_experiment,
    ),
    "metrics": Command(
        "compute ECS, TCR, TCRE, ZEC50 and the carbon-cycle feedbacks from the experiments",
        _add_metrics,
        _cmd_metrics,
    ),
    "ensemble": Command(
        "run a calibrated ensemble (percentiles, plume figure, optional Dask cluster)",
        _add_ensemble,
        _cmd_ensemble,
    ),
    "sensitivity": Command(
        "Sobol' or Morris sensitivity of an output to the uncertain parameters (SALib)",
        _add_sensitivity,
        _cmd_sensitivity,
    ),
    "china": Command(
        "effect of a China pathway (current-policies, neutral-2060, 1.5C) on CO2 and warming, "
        "lever by lever; lever sweeps",
        _add_china,
        _cmd_china,
    ),
    "validate": Command(
        "compare the historical run with observed and assessed targets (validation/targets.csv)",
        _add_validate,
        _cmd_validate,
    ),
    "params": Command(
        "list the parameters (default, units, bounds, meaning, source) or the feedback switches",
        _add_params,
        _cmd_params,
    ),
    "compare": Command(
        "run two scenarios (or one with two parameter sets) and show A, B and B minus A",
        _add_compare,
        _cmd_compare,
    ),
    "explain": Command(
        "explain the model: what each feedback adds to CO2 and warming (esm explain feedbacks)",
        _add_explain,
        _cmd_explain,
    ),
    "budget": Command(
        "remaining carbon budget for a warming limit (simulation, framework terms, IPCC AR6)",
        _add_budget,
        _cmd_budget,
    ),
    "goal": Command(
        "the global net CO2 path whose peak warming meets a goal at a likelihood",
        _add_goal,
        _cmd_goal,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The ``esm`` parser with one subparser per entry of :data:`COMMANDS`."""
    from esm import __version__

    parser = _Parser(
        prog="esm",
        description="esm: reduced-complexity Earth-system model",
        epilog="'esm COMMAND --help' describes a command.",
    )
    parser.add_argument("--version", action="version", version=f"esm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help)
        cmd.add_arguments(p)
        p.set_defaults(handler=cmd.handler)
    return parser


def _message(err: BaseException) -> str:
    if isinstance(err, KeyError) and err.args:  # str(KeyError) adds quotes
        return str(err.args[0])
    return " ".join(str(err).split()) or type(err).__name__  # one line


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``esm`` console script; returns the exit status."""
    import esm

    expected = (UsageError, esm.ScenarioError, esm.ModelError, KeyError, ValueError)
    try:
        args, extra = build_parser().parse_known_args(argv)
        if extra:
            where = f"esm {args.command}" if args.command else "esm"
            raise UsageError(f"unrecognized arguments: {' '.join(extra)} (see '{where} --help')")
        if args.command is None:
            raise UsageError(
                f"no command given; commands: {', '.join(COMMANDS)} (see 'esm --help')"
            )
        return args.handler(args)
    except SystemExit as exit_:  # --help, --version
        return exit_.code if isinstance(exit_.code, int) else 0
    except BrokenPipeError:  # output piped into e.g. `head`: not an error
        sys.stderr.close()
        return 0
    except (*expected, OSError) as err:
        print(f"esm: error: {_message(err)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("esm: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
