"""Time one esm run and a 1000-member batch; report member-years per second.

Run from the repository root::

    python benchmarks/bench_run.py [--members 1000] [--scenario ssp245] [--end 2100]

Prints a table and appends one row per measurement to benchmarks/results.csv (with the date,
machine and versions) so that changes in speed stay visible. Speed is measured here, never
asserted in tests. Comparisons with FaIR belong in a side-by-side script in this folder.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numba  # noqa: E402

import esm  # noqa: E402
from esm import metadata, params, runner  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def append_results(rows, scenario: str) -> Path:
    """Append ``(measure, members, value)`` rows to benchmarks/results.csv (both scripts)."""
    path = ROOT / "benchmarks" / "results.csv"
    new = not path.exists()
    with path.open("a", newline="") as fh:
        w = csv.writer(fh)
        if new:
            w.writerow(
                ["date", "machine", "threads", "numba", "scenario", "members", "measure", "value"]
            )
        for name, members, value in rows:
            w.writerow(
                [
                    _dt.date.today().isoformat(),
                    platform.machine(),
                    numba.config.NUMBA_NUM_THREADS,
                    numba.__version__,
                    scenario,
                    members,
                    name,
                    f"{value:.6g}",
                ]
            )
    return path


def cold_start_seconds(scenario: str, end: int) -> float:
    """Wall time of a fresh interpreter that imports esm and runs once (numba cache warm)."""
    code = f"import esm; esm.run({scenario!r}, end={end})"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=1000)
    ap.add_argument("--scenario", default="ssp245")
    ap.add_argument("--end", type=int, default=2100)
    ap.add_argument("--no-csv", action="store_true", help="do not append to results.csv")
    args = ap.parse_args(argv)

    _, years, emis, natural = runner.prepare(args.scenario, end=args.end)
    n_years = years.size
    co2_end = np.full(n_years, np.nan)
    p = params.vector()
    rng = np.random.default_rng(0)
    batch = np.repeat(p[None], args.members, axis=0)
    for name, lo, hi in [
        ("co2_fertilisation", 0.3, 0.7),
        ("climate_feedback", -1.8, -0.8),
        ("aci_beta", -2.0, -0.5),
    ]:
        batch[:, list(params.PARAMETERS).index(name)] = rng.uniform(lo, hi, args.members)

    t0 = time.perf_counter()
    runner.integrate(emis, natural, co2_end, p)  # compiles or loads the numba cache
    first_call = time.perf_counter() - t0

    kernel_one = best_of(lambda: runner.integrate(emis, natural, co2_end, p), 20)
    api_one = best_of(lambda: esm.run(args.scenario, end=args.end), 10)
    batch_t = best_of(
        lambda: runner.integrate(emis, natural, co2_end, batch, names=metadata.PUBLIC), 3
    )
    out_bytes = len(metadata.PUBLIC) * n_years * 8
    cold = cold_start_seconds(args.scenario, args.end)

    rows = [
        ("first call in this process (compile or cache load) [s]", first_call),
        ("import + first run in a new interpreter [s]", cold),
        (f"one run {years[0]}-{years[-1]}, kernel only [ms]", kernel_one * 1e3),
        (f"one run {years[0]}-{years[-1]}, esm.run() with xarray output [ms]", api_one * 1e3),
        (f"{args.members}-member batch, kernel [s]", batch_t),
        ("throughput, batch [member-years/s]", args.members * n_years / batch_t),
        ("throughput, single run [member-years/s]", n_years / kernel_one),
        ("standard outputs per member [MB]", out_bytes / 1e6),
    ]
    print(
        f"esm {esm.__version__}, numba {numba.__version__}, {numba.config.NUMBA_NUM_THREADS} "
        f"threads, {platform.processor() or platform.machine()}, substeps {runner.SUBSTEPS}"
    )
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value:14.4g}")
    if not args.no_csv:
        append_results([(name, args.members, value) for name, value in rows], args.scenario)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
