"""One table of esm's speed and memory, side by side with FaIR 2.2.5 where FaIR does the same job.

Run from the repository root::

    python benchmarks/run.py                # full run: 3 repeats, 7-10 minutes on 2 cores
    python benchmarks/run.py --quick        # fast check: 1 repeat, 3000 and 20 000 members
    python benchmarks/run.py --no-fair --repeat 5 --out-dir /tmp/bench
    python benchmarks/run.py --percentile-members 100000 --percentile-repeat 3

The problem is the one of ``bench_vs_fair.py`` (whose functions this script imports): SSP2-4.5,
1750-2100, emission-driven, N parameter sets; FaIR gets esm's emissions and natural forcing.

Every measurement runs in a fresh child process (this script with a hidden ``--child``
argument). In each of ``--repeat`` rounds the children run in a fixed order in which esm and
FaIR children alternate (esm, FaIR, esm, FaIR, ...); the table gives medians over the rounds
(and, for short jobs, each child reports the median of many calls after one warm-up call). The
10^6-member percentile ensemble takes minutes, so it runs ``--percentile-repeat`` times (default
once) after the rounds. Peak memory is VmHWM of the child (Linux).

Rows: (1) one run with Dataset output; (2) 1, 100, 1000 and 10 000 members, full output
(the kernel call of esm.ensemble; FaIR with that many configs); (3) a 10^6-member GSAT
percentile ensemble; (4) import; warm first run; the wheel build of ``pip install .`` and the
first run and first ``esm china`` after installing it; cold (empty cache) first run and first
``esm china``; (5) peak
memory; (6) 2-thread speed-up; (7) distance from an arithmetic bound (a numba microbenchmark
of the operation mix of one member-year, :data:`OPS_PER_SUBSTEP` and :data:`OPS_PER_YEAR`).

Writes ``RESULTS.md`` (machine, versions, command, table, method) and ``scaling.png`` to
``--out-dir`` (default: this folder). Speed is measured here, never asserted in tests; numbers
from a shared machine are indicative.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Heavy modules (numpy, numba, esm, FaIR, matplotlib) are imported inside functions only: the
# children that time ``import esm`` must start with none of them loaded.

#: Members of the full-output rows (``--quick`` replaces the largest by 3000).
SIZES = (1, 100, 1000, 10_000)
QUICK_SIZES = (1, 100, 1000, 3000)
PERCENTILES = [5, 50, 95]
ESM_CLI = ("china", "current-policies")  # smallest `esm china` run: one pathway, one member

# Targets (row: value)
TARGET_RUN_S = 2e-3
TARGET_RUN_RATIO = 250.0
TARGET_BATCH_MEMBERS = 1000
TARGET_BATCH_RATIO = 100.0
TARGET_BATCH_RATE = 5e6  # member-years per second
TARGET_PERCENTILE_MEMBERS = 1_000_000
TARGET_PERCENTILE_S = 45.0
TARGET_PERCENTILE_BYTES = 1e9
TARGET_IMPORT_VS_XARRAY = 1.5
TARGET_COLD_RUN_S = 10.0
TARGET_COLD_CLI_S = 20.0
TARGET_SPEEDUP_2 = 1.8

#: Operations of one member-year of the kernel, counted by reading esm/kernels/integrate.py
#: (_carbon_climate_block, _gases_and_forcing, _outputs) and the functions they call in
#: gases.py, forcing.py, land.py, ocean.py, permafrost.py and vmath.py at commit c999dda
#: (recount when the kernel changes), as written in the source: a repeated sqrt of the same
#: value counts each time, both cases of a select count (the kernel computes both so that its
#: loops over members vectorise), and the compiler may merge or hoist a few terms, so these
#: are upper estimates of the work executed. ``add_mul`` counts additions, subtractions and
#: multiplications one by one; comparisons, selects, loads and stores are not counted. The
#: halogenated gases (halogen_series) are computed once per emission set, not per member, and
#: are not counted; nor are per-member constants (_prepare: log Q10, EBM operators, ...).
#:
#: Per carbon-cycle / energy-balance sub-step (6 a year):
#:   exp  2: respiration_factor_from_log, solubility factor of surface_pco2
#:   log  2: fertilisation_factor, co2_sarf_given_n2o_term
#:   div 15: land-use factor, fertilisation_factor (2), respiration (/10), remove_landuse,
#:           pool_step (3), land flux (/dt), thaw_transfer (2), permafrost CO2 (/dt),
#:           free CO2 (/GTC_PER_PPM), implicit_air_sea_flux, CO2 SARF (CO2/C0)
#:   add_mul 334: land 60 (inputs 4, NPP 8, land-use removal 9, pool_step 37, updates 2),
#:           permafrost 25 (thaw_transfer both cases 15), ocean 139 (response sum 20,
#:           joos_pco2 twice 70, solubility 5, free CO2 4, flux 10, boxes 18, updates 12),
#:           CO2 forcing and energy balance 42 (SARF 9, EBM 21, heat 10, ...), state
#:           updates 10, annual accumulators 57 (minus those counted above)
OPS_PER_SUBSTEP = {"add_mul": 334, "div": 15, "exp": 2, "log": 2, "sqrt": 0, "pow": 0}

#: Per year, outside the sub-steps (gas cycles, non-CO2 forcing, permafrost factors, outputs):
#:   exp  6: one_box_step of CH4 and N2O (2), permafrost step_factors (4)
#:   log  1: aci_smith2021 (ch4_lifetime_factor is a product of its factors, no exp or log)
#:   sqrt 8: ch4_sarf_meinshausen2020 (3), n2o_sarf_meinshausen2020 (4), co2_sarf_n2o_term
#:   pow  2: N2O lifetime, permafrost equilibrium thawed fraction (vmath.power)
#:   div 12: dt and half, permafrost step_factors (3), one_box_step (2 x 3), N2O lifetime
#:   add_mul 175: permafrost factors 13, CH4 lifetime 22, gas cycles 27, emission changes 9,
#:           non-CO2 forcing 85 (ozone 14, aerosol-radiation 18, aerosol-cloud 8, CH4 and
#:           N2O SARF 22, sum 11, others 12), outputs 19
OPS_PER_YEAR = {"add_mul": 175, "div": 12, "exp": 6, "log": 1, "sqrt": 8, "pow": 2}

#: The microbenchmark runs this many member-years side by side on each thread (independent
#: dependency chains, as a core overlaps independent work of one member); scalar code, no SIMD.
BOUND_LANES = 8
BOUND_BLOCKS = 512  # blocks of BOUND_LANES member-years x 351 years per timed call

#: One statement per operation kind for the microbenchmark; each keeps its lane bounded.
#: ``muladd`` is one multiplication and one addition (2 of add_mul); the others carry one
#: addition or negation besides their operation (which makes the bound slightly low).
BOUND_STATEMENTS = {
    "muladd": "{x} = {x} * 0.999 + 1e-3",
    "div": "{x} = 1.0 / ({x} + 1.0)",
    "exp": "{x} = math.exp(-{x})",
    "log": "{x} = math.log({x} + 2.0)",
    "sqrt": "{x} = math.sqrt({x} + 1.0)",
    "pow": "{x} = ({x} + 1.0) ** 0.7",
}


def ops_per_member_year(substeps: int) -> dict[str, int]:
    """Operations of one member-year for the microbenchmark (add_mul as multiply-add pairs)."""
    total = {k: OPS_PER_SUBSTEP[k] * substeps + OPS_PER_YEAR[k] for k in OPS_PER_YEAR}
    counts = {k: v for k, v in total.items() if k != "add_mul"}
    counts["muladd"] = round(total["add_mul"] / 2)
    return counts


# ======================================================================================
# children: each prints one JSON line
# ======================================================================================
def _bench():
    """bench_vs_fair (imports numpy, numba and esm)."""
    sys.path.insert(0, str(HERE))
    import bench_vs_fair

    return bench_vs_fair


def _quiet() -> None:
    import warnings

    warnings.simplefilter("ignore")  # pCO2-range and Sobol' warnings of prior members


def kernel_version() -> str:
    """Hash of esm's kernel sources, as in the name of its numba cache directory."""
    from esm.kernels import _jit

    return "off" if _jit.CACHE_DIR is None else _jit.CACHE_DIR.name.rsplit("-", 1)[-1]


def _median_time(fn: Callable[[], object], calls: int) -> float:
    """Median wall time [s] of ``calls`` calls of ``fn`` (after the caller's warm-up)."""
    times = []
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def child_import(module: str) -> dict:
    t = time.perf_counter()
    importlib.import_module(module)
    return {"s": time.perf_counter() - t}


def child_first_run() -> dict:
    """Import esm and run once; with an empty NUMBA_CACHE_DIR this compiles the kernels."""
    t = time.perf_counter()
    import esm

    esm.run("ssp245", end=2100)
    return {"s": time.perf_counter() - t, "kernels": kernel_version()}


def child_cli(args: list[str]) -> dict:
    """Wall time of one ``esm`` command line (with this process's environment)."""
    exe = Path(sys.executable).with_name("esm")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "esm"]
    t = time.perf_counter()
    done = subprocess.run(cmd + args, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-300:]}"}
    return {"s": seconds, "command": " ".join(["esm", *args])}


def child_esm_one_run(calls: int) -> dict:
    b = _bench()
    import esm

    esm.run(b.SCENARIO, end=b.END)  # warm-up: kernel cache, scenario files
    seconds = _median_time(lambda: esm.run(b.SCENARIO, end=b.END), calls)
    return {"s": seconds, "kernels": kernel_version()}


def child_fair_one_run(calls: int) -> dict:
    b = _bench()
    _quiet()
    years, emis, natural, _, _ = b.esm_problem(1)
    clim = b.fair_climate(1)
    b.fair_run(b.fair_setup(years, emis, natural, clim, 1))  # warm-up: first-use imports
    return _time_fair(b, years, emis, natural, clim, 1, calls)


def _time_fair(b, years, emis, natural, clim, members: int, calls: int) -> dict:
    """Medians over ``calls`` of FaIR's setup, its run() and their sum [s]."""
    setups, runs = [], []
    for _ in range(calls):
        f = None  # free the previous instance first
        t = time.perf_counter()
        f = b.fair_setup(years, emis, natural, clim, members)
        setups.append(time.perf_counter() - t)
        t = time.perf_counter()
        b.fair_run(f)
        runs.append(time.perf_counter() - t)
    totals = [s + r for s, r in zip(setups, runs, strict=True)]
    return {
        "s": statistics.median(totals),
        "setup_s": statistics.median(setups),
        "run_s": statistics.median(runs),
    }


def inner_calls(members: int, model: str) -> int:
    """Timed calls inside one child: many for fast jobs, one for the slowest."""
    if model == "fair":  # about 0.5 s for one config, 15 s for 1000
        return max(1, min(5, 300 // members))
    return max(1, min(50, 3000 // members))


def child_esm_batch(members: int) -> dict:
    """The kernel call of esm.ensemble for ``members`` prior members, full output."""
    b = _bench()
    _quiet()
    from esm import metadata, runner

    hwm_import = b.vm_hwm_bytes()
    years, emis, natural, co2_end, pmatrix = b.esm_problem(members)
    runner.integrate(emis, natural, co2_end, pmatrix[:1], names=metadata.PUBLIC)  # warm-up

    def call():
        runner.integrate(emis, natural, co2_end, pmatrix, names=metadata.PUBLIC)

    seconds = _median_time(call, inner_calls(members, "esm"))
    import numba

    return {
        "s": seconds,
        "member_years": members * years.size,
        "hwm": b.vm_hwm_bytes(),
        "hwm_import": hwm_import,
        "threads": numba.config.NUMBA_NUM_THREADS,
        "kernels": kernel_version(),
    }


def child_fair_batch(members: int) -> dict:
    """FaIR setup and run() with ``members`` configs (the same emissions and forcing)."""
    b = _bench()
    _quiet()
    hwm_import = b.vm_hwm_bytes()
    years, emis, natural, _, _ = b.esm_problem(1)
    b.fair_run(b.fair_setup(years, emis, natural, b.fair_climate(1), 1))  # first-use imports
    clim = b.fair_climate(members)
    return {
        **_time_fair(b, years, emis, natural, clim, members, inner_calls(members, "fair")),
        "member_years": members * years.size,
        "hwm": b.vm_hwm_bytes(),
        "hwm_import": hwm_import,
    }


def child_percentile(members: int) -> dict:
    """GSAT 5/50/95 percentiles of a posterior ensemble; an exception is reported, not raised."""
    b = _bench()
    _quiet()
    import esm

    kw = {
        "source": "posterior",
        "percentiles": PERCENTILES,
        "variables": ["gsat"],
        "end": b.END,
        "progress": False,
    }
    esm.ensemble(b.SCENARIO, members=10, **kw)  # warm-up: kernel and histogram caches
    hwm_warm = b.vm_hwm_bytes()
    t = time.perf_counter()
    try:
        ds = esm.ensemble(b.SCENARIO, members=members, **kw)
    except Exception as exc:  # noqa: BLE001  recorded in the table
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    seconds = time.perf_counter() - t
    return {
        "s": seconds,
        "member_years": members * int(ds.sizes["year"]),
        "hwm": b.vm_hwm_bytes(),
        "hwm_warm": hwm_warm,
        "gsat_2100_p50": float(ds["gsat"].sel(year=2100, percentile=50)),
        "kernels": kernel_version(),
    }


def bound_kernel_source(lanes: int) -> str:
    """Source of the op-mix kernel: each of ``lanes`` lanes is one member-year per year loop."""
    xs = [f"x{i}" for i in range(lanes)]
    lines = ["def op_mix(n_blocks, n_years, counts):", "    out = np.empty(n_blocks)"]
    lines.append("    for m in prange(n_blocks):")
    lines += [f"        {x} = 0.5 + 0.01 * {i} + 1e-12 * m" for i, x in enumerate(xs)]
    lines.append("        for _ in range(n_years):")
    for k, statement in enumerate(BOUND_STATEMENTS.values()):
        lines.append(f"            for _ in range(counts[{k}]):")
        lines += ["                " + statement.format(x=x) for x in xs]
    lines += ["        out[m] = " + " + ".join(xs), "    return out"]
    return "\n".join(lines) + "\n"


def child_bound(blocks: int) -> dict:
    """Member-years per second of the op-mix microbenchmark (numba, same options as esm)."""
    import math

    import numba
    import numpy as np

    from esm import runner

    counts = ops_per_member_year(runner.SUBSTEPS)
    namespace = {"math": math, "np": np, "prange": numba.prange}
    exec(bound_kernel_source(BOUND_LANES), namespace)  # generated: one line per lane and op
    kernel = numba.njit(parallel=True, fastmath=False, error_model="numpy")(namespace["op_mix"])
    vector = np.array([counts[k] for k in BOUND_STATEMENTS], dtype=np.int64)
    n_years = 2100 - 1750 + 1
    kernel(2, 2, vector)  # compile
    seconds = _median_time(lambda: kernel(blocks, n_years, vector), 3)
    return {
        "s": seconds,
        "member_years": blocks * BOUND_LANES * n_years,
        "counts": counts,
        "threads": numba.config.NUMBA_NUM_THREADS,
    }


CHILDREN: dict[str, Callable[..., dict]] = {
    "import": child_import,
    "first_run": child_first_run,
    "cli": child_cli,
    "esm_one_run": child_esm_one_run,
    "fair_one_run": child_fair_one_run,
    "esm_batch": child_esm_batch,
    "fair_batch": child_fair_batch,
    "percentile": child_percentile,
    "bound": child_bound,
}


def child_main(spec: str) -> int:
    job = json.loads(spec)
    result = CHILDREN[job.pop("job")](**job)
    print(json.dumps(result))
    return 0


# ======================================================================================
# parent: schedule children, collect results
# ======================================================================================
@dataclass
class Job:
    """One child process: its result is stored under ``key``."""

    key: str
    spec: dict
    threads: int | None = None  # NUMBA_NUM_THREADS of the child (None: numba's default)
    cold_cache: bool = False  # empty NUMBA_CACHE_DIR: the child compiles the kernels
    installed: bool = False  # esm from a fresh install of the wheel built from this tree
    timeout: float = 900.0


#: The wheel built from this tree by :func:`build_wheel` (None: not built or failed).
WHEEL: dict = {}


def build_wheel(log: Callable[[str], None]) -> None:
    """Build the wheel of this tree once, as ``pip install .`` does (with the kernels its
    build compiles, see setup.py), and time it."""
    out = Path(tempfile.mkdtemp(prefix="esm-wheel-"))
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "PYTHONPATH")}
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(out), "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t
    wheels = sorted(out.glob("esm-*.whl"))
    if done.returncode != 0 or not wheels:
        WHEEL["error"] = f"pip wheel exit {done.returncode}: {done.stderr.strip()[-300:]}"
        log(f"  wheel build failed: {WHEEL['error']}")
        return
    WHEEL.update(path=str(wheels[0]), s=seconds)
    log(f"  wheel built in {seconds:.1f} s: {wheels[0].name}")


def install_wheel() -> str | None:
    """A fresh install of the wheel into a new directory (the child's PYTHONPATH)."""
    if "path" not in WHEEL:
        return None
    site = tempfile.mkdtemp(prefix="esm-site-")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site,
         WHEEL["path"]],
        capture_output=True,
        text=True,
    )  # fmt: skip
    return site if done.returncode == 0 else None


def run_child(job: Job) -> dict:
    """Run one child; its JSON result, or {"error": ...}."""
    env = dict(os.environ)
    # the esm of this tree (as the children's `import esm`), also for the `esm` command
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    site = None
    if job.installed:
        site = install_wheel()
        if site is None:
            return {"error": WHEEL.get("error", "the wheel could not be installed")}
        env["PYTHONPATH"] = site
        env.pop("NUMBA_CACHE_DIR", None)
    if job.threads is not None:
        env["NUMBA_NUM_THREADS"] = str(job.threads)
    cache = tempfile.mkdtemp(prefix="esm-cold-cache-") if job.cold_cache else None
    if cache is not None:
        env["NUMBA_CACHE_DIR"] = cache
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(job.spec)]
    try:
        done = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=job.timeout, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {job.timeout:.0f} s"}
    finally:
        for folder in (cache, site):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"child exit {done.returncode}: {tail[:300]}"}
    return json.loads(lines[-1])


@dataclass
class Options:
    repeat: int
    sizes: tuple[int, ...]
    percentile_members: int
    percentile_repeat: int
    fair: bool
    fair_max_members: int

    @property
    def big(self) -> int:
        return self.sizes[-1]

    def fair_runs(self, members: int) -> bool:
        return self.fair and members <= self.fair_max_members


def default_threads() -> int:
    """numba's thread count in a child without NUMBA_NUM_THREADS set by a job."""
    return int(os.environ.get("NUMBA_NUM_THREADS") or os.cpu_count() or 1)


def two_threads(key: str, fallback: str) -> str:
    """Result key of the 2-thread run: the default-thread child when that has 2 threads."""
    return fallback if default_threads() == 2 else key


def round_jobs(opt: Options) -> list[Job]:
    """Children of one round, esm and FaIR alternating where both run."""
    jobs = [Job("esm/one_run", {"job": "esm_one_run", "calls": 200})]
    if opt.fair:
        jobs.append(Job("fair/one_run", {"job": "fair_one_run", "calls": 5}))
    jobs.append(Job("esm/import", {"job": "import", "module": "esm"}))
    jobs.append(Job("xarray/import", {"job": "import", "module": "xarray"}))  # esm's reference
    if opt.fair:
        jobs.append(Job("fair/import", {"job": "import", "module": "fair"}))
    for n in opt.sizes:
        jobs.append(Job(f"esm/batch/{n}", {"job": "esm_batch", "members": n}))
        if opt.fair_runs(n):
            jobs.append(Job(f"fair/batch/{n}", {"job": "fair_batch", "members": n}))
    # next to the largest batch, so that their ratios compare children run one after the other
    bound = {"job": "bound", "blocks": BOUND_BLOCKS}
    jobs.append(Job("bound/default", bound))
    jobs.append(Job("esm/threads/1", {"job": "esm_batch", "members": opt.big}, threads=1))
    jobs.append(Job("bound/1", bound, threads=1))
    if default_threads() != 2:  # else the default-thread children above ran with 2 threads
        jobs.append(Job("esm/threads/2", {"job": "esm_batch", "members": opt.big}, threads=2))
        jobs.append(Job("bound/2", bound, threads=2))
    jobs.append(Job("esm/first_run/warm", {"job": "first_run"}))
    jobs.append(Job("esm/first_run/installed", {"job": "first_run"}, installed=True))
    jobs.append(Job("esm/cli/installed", {"job": "cli", "args": list(ESM_CLI)}, installed=True))
    jobs.append(Job("esm/first_run/cold", {"job": "first_run"}, cold_cache=True))
    jobs.append(Job("esm/cli/cold", {"job": "cli", "args": list(ESM_CLI)}, cold_cache=True))
    return jobs


Results = dict[str, list[dict]]


def cpu_seconds() -> tuple[float, float] | None:
    """(CPU seconds busy on the whole machine, CPU seconds of this process and its waited-for
    children) from /proc/stat and getrusage; None where /proc/stat is missing."""
    import resource

    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # without guest time
    own = sum(
        u.ru_utime + u.ru_stime
        for u in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )
    return busy, own


def other_load(start: tuple[float, float] | None, wall: float) -> float | None:
    """Mean number of cores that other processes kept busy since ``start`` (:func:`cpu_seconds`)."""
    end = cpu_seconds()
    if start is None or end is None or wall <= 0:
        return None
    return max(0.0, ((end[0] - start[0]) - (end[1] - start[1])) / wall)


def measure(opt: Options, log: Callable[[str], None]) -> Results:
    """Run every child: a discarded warm-up (kernel cache), the rounds, the percentile runs."""
    results: Results = {}

    def run(job: Job) -> None:
        t = time.perf_counter()
        res = run_child(job)
        results.setdefault(job.key, []).append(res)
        status = res.get("error") or f"{res.get('s', float('nan')):.4g} s"
        log(f"  {job.key:<22} {status}   ({time.perf_counter() - t:.1f} s)")

    log("warm-up child (fills the numba cache if needed)")
    run_child(Job("warm-up", {"job": "first_run"}))
    log("wheel of this tree (pip wheel, as pip install . builds it)")
    build_wheel(log)
    for r in range(opt.repeat):
        log(f"round {r + 1} of {opt.repeat}")
        for job in round_jobs(opt):
            run(job)
    pct = Job(
        "esm/percentile", {"job": "percentile", "members": opt.percentile_members}, timeout=3600
    )
    for r in range(opt.percentile_repeat):
        log(
            f"percentile ensemble, {opt.percentile_members} members ({r + 1} of "
            f"{opt.percentile_repeat})"
        )
        run(pct)
    return results


def median(results: Results, key: str, name: str = "s") -> float | None:
    """Median of ``name`` over the successful children of ``key`` (None: none succeeded)."""
    values = [r[name] for r in results.get(key, []) if "error" not in r and name in r]
    return statistics.median(values) if values else None


def error(results: Results, key: str) -> str | None:
    errors = [r["error"] for r in results.get(key, []) if "error" in r]
    return errors[0] if errors and median(results, key) is None else None


def rate(results: Results, key: str) -> float | None:
    """Member-years per second from the median time."""
    seconds, member_years = median(results, key), median(results, key, "member_years")
    return None if seconds is None or member_years is None else member_years / seconds


# ======================================================================================
# table
# ======================================================================================
@dataclass
class Row:
    measure: str
    esm: str
    fair: str = "-"
    ratio: str = "-"
    target: str = "-"
    met: str = "-"


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> str:
        """Add a footnote (once); returns its marker."""
        if text not in self.notes:
            self.notes.append(text)
        return f"[{self.notes.index(text) + 1}]"


def members_text(n: int) -> str:
    return f"{n:,} member" + ("" if n == 1 else "s")


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def fmt_rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3g}"


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= 1e12:
        return f"{value / 1e12:.1f} TB"
    return f"{value / 1e9:.2f} GB" if value >= 1e9 else f"{value / 1e6:.0f} MB"


def fmt_ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}x" if value >= 10 else f"{value:.2f}x"


def ratio(fair: float | None, esm: float | None) -> float | None:
    return None if fair is None or esm is None or esm == 0 else fair / esm


def met(*checks: bool | None) -> str:
    """'yes' if all checks pass, 'no' if one fails, '-' if any is unknown."""
    if not checks or any(c is None for c in checks):
        return "-"
    return "yes" if all(checks) else "no"


def at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def at_least(value: float | None, limit: float) -> bool | None:
    return None if value is None else value >= limit


def esm_cell(results: Results, key: str, text: str) -> str:
    """``text``, or the child's error message if every child of ``key`` failed."""
    return f"error: {error(results, key)}" if error(results, key) else text


#: A time cell shows the range of its children when they differ by more than this factor.
NOISY = 1.5


def time_text(results: Results, key: str) -> str:
    """Median time of ``key``, with the range of its children when they disagree (noise)."""
    values = [r["s"] for r in results.get(key, []) if "s" in r]
    text = fmt_s(median(results, key))
    if len(values) > 1 and max(values) > NOISY * min(values):
        text += f" (range {fmt_s(min(values))}-{fmt_s(max(values))})"
    return esm_cell(results, key, text)


def paired_ratio(
    results: Results, numerator: str, denominator: str, rates: bool = False
) -> float | None:
    """Median over the rounds of the ratio of two children that ran one after the other in
    the same round: of their times, or with ``rates`` of their member-years per second."""

    def value(r: dict) -> float:
        return r["member_years"] / r["s"] if rates else r["s"]

    pairs = zip(results.get(numerator, []), results.get(denominator, []), strict=False)
    ratios = [value(a) / value(b) for a, b in pairs if "s" in a and "s" in b and a["s"] > 0]
    return statistics.median(ratios) if ratios else None


def fair_absent(opt: Options, table: Table, members: int, results: Results) -> str:
    """FaIR cell of a size FaIR was not run at, with the reason as a footnote."""
    if not opt.fair:
        return "not run (--no-fair)"
    per_member = largest_fair_hwm(opt, results)
    estimate = (
        f" (~{fmt_bytes(per_member * members)} by its VmHWM per config)" if per_member else ""
    )
    return "not run " + table.note(
        f"FaIR allocates its full output for every config; {members:,} configs{estimate} are "
        f"beyond --fair-max-members {opt.fair_max_members} on this machine."
    )


def largest_fair_hwm(opt: Options, results: Results) -> float | None:
    """VmHWM per config of the largest FaIR batch run."""
    for n in sorted((n for n in opt.sizes if opt.fair_runs(n)), reverse=True):
        hwm = median(results, f"fair/batch/{n}", "hwm")
        if hwm is not None:
            return hwm / n
    return None


def rows_one_run(results: Results, opt: Options, table: Table) -> None:
    esm_s = median(results, "esm/one_run")
    fair_s = median(results, "fair/one_run")
    r = ratio(fair_s, esm_s)
    fair = "not run (--no-fair)"
    if fair_s is not None:
        setup, run = (
            median(results, "fair/one_run", "setup_s"),
            median(results, "fair/one_run", "run_s"),
        )
        fair = f"{time_text(results, 'fair/one_run')}: setup {fmt_s(setup)} + run {fmt_s(run)}"
    table.rows.append(
        Row(
            "1. one run, SSP2-4.5 1750-2100, Dataset output (esm.run, warm)",
            time_text(results, "esm/one_run"),
            fair,
            fmt_ratio(r),
            f"<= {fmt_s(TARGET_RUN_S)}, >= {TARGET_RUN_RATIO:.0f}x",
            met(at_most(esm_s, TARGET_RUN_S), at_least(r, TARGET_RUN_RATIO)),
        )
    )


def rows_batch(results: Results, opt: Options, table: Table) -> None:
    for n in opt.sizes:
        esm_s, fair_s = median(results, f"esm/batch/{n}"), median(results, f"fair/batch/{n}")
        esm_rate, fair_rate = rate(results, f"esm/batch/{n}"), rate(results, f"fair/batch/{n}")
        r = ratio(fair_s, esm_s)
        target = n == TARGET_BATCH_MEMBERS
        if fair_s is not None:
            run_s = fmt_s(median(results, f"fair/batch/{n}", "run_s"))
            fair_time = f"{time_text(results, f'fair/batch/{n}')}: run() {run_s}"
            fair_rate_text = fmt_rate(fair_rate)
        else:
            fair_time = fair_rate_text = fair_absent(opt, table, n, results)
        table.rows.append(
            Row(
                f"2. {members_text(n)}, full output: wall time",
                time_text(results, f"esm/batch/{n}"),
                fair_time,
                fmt_ratio(r),
                f">= {TARGET_BATCH_RATIO:.0f}x" if target else "-",
                met(at_least(r, TARGET_BATCH_RATIO)) if target else "-",
            )
        )
        table.rows.append(
            Row(
                f"2. {members_text(n)}, full output: member-years/s",
                fmt_rate(esm_rate),
                fair_rate_text,
                fmt_ratio(ratio(esm_rate, fair_rate)),
                f">= {TARGET_BATCH_RATE:.0e}" if target else "-",
                met(at_least(esm_rate, TARGET_BATCH_RATE)) if target else "-",
            )
        )


def rows_percentile(results: Results, opt: Options, table: Table) -> None:
    m = opt.percentile_members
    key = "esm/percentile"
    esm_s, hwm = median(results, key), median(results, key, "hwm")
    applies = m == TARGET_PERCENTILE_MEMBERS
    per_config = largest_fair_hwm(opt, results)
    estimate = f" (~{fmt_bytes(per_config * m)} by its VmHWM per config)" if per_config else ""
    fair = "not run " + table.note(
        f"FaIR keeps every config's full output in memory (all species, all time bounds); "
        f"{m:,} configs{estimate} do not fit, and FaIR has no percentile streaming."
    )
    suffix = "" if applies else f" (target is for {TARGET_PERCENTILE_MEMBERS:,})"
    name = f"3. {m:,}-member GSAT 5/50/95 percentile ensemble (posterior)"
    table.rows.append(
        Row(
            f"{name}: wall time",
            esm_cell(results, key, fmt_s(esm_s)),
            fair,
            "-",
            f"<= {TARGET_PERCENTILE_S:.0f} s{suffix}",
            met(at_most(esm_s, TARGET_PERCENTILE_S)) if applies else "-",
        )
    )
    table.rows.append(
        Row(
            f"{name}: peak memory (VmHWM)",
            esm_cell(results, key, fmt_bytes(hwm)),
            fair,
            "-",
            f"<= {fmt_bytes(TARGET_PERCENTILE_BYTES)}{suffix}",
            met(at_most(hwm, TARGET_PERCENTILE_BYTES)) if applies else "-",
        )
    )


def rows_startup(results: Results, opt: Options, table: Table) -> None:
    esm_s, fair_s = median(results, "esm/import"), median(results, "fair/import")
    xr_s = median(results, "xarray/import")
    vs_xarray = paired_ratio(results, "esm/import", "xarray/import")
    table.rows.append(
        Row(
            "4. import esm (fresh process); FaIR: import fair " + table.note(PAIRED_NOTE),
            f"{time_text(results, 'esm/import')} = {fmt_ratio(vs_xarray)} xarray",
            fmt_s(fair_s) if opt.fair else "not run (--no-fair)",
            fmt_ratio(ratio(fair_s, esm_s)),
            f"<= {TARGET_IMPORT_VS_XARRAY}x import xarray ({fmt_s(xr_s)})",
            met(at_most(vs_xarray, TARGET_IMPORT_VS_XARRAY)),
        )
    )
    table.rows.append(
        Row(
            "4. warm first run: new process, import + first esm.run (cached kernels)",
            time_text(results, "esm/first_run/warm"),
        )
    )
    table.rows.append(
        Row(
            "4. building the wheel of `pip install .` (pip wheel, kernels compiled into it) "
            + table.note(WHEEL_NOTE),
            fmt_s(WHEEL["s"]) if "s" in WHEEL else f"failed: {WHEEL.get('error', 'not run')}",
        )
    )
    first = median(results, "esm/first_run/installed")
    table.rows.append(
        Row(
            "4. first run after install: new process, fresh install of that wheel, "
            "import + first esm.run",
            time_text(results, "esm/first_run/installed"),
            "no compilation",
            "-",
            f"<= {TARGET_COLD_RUN_S:.0f} s",
            met(at_most(first, TARGET_COLD_RUN_S)),
        )
    )
    cli = median(results, "esm/cli/installed")
    table.rows.append(
        Row(
            f"4. first `esm {' '.join(ESM_CLI)}` after install (command line, fresh install)",
            time_text(results, "esm/cli/installed"),
            "-",
            "-",
            f"<= {TARGET_COLD_CLI_S:.0f} s",
            met(at_most(cli, TARGET_COLD_CLI_S)),
        )
    )
    table.rows.append(
        Row(
            "4. cold first run: new process, empty NUMBA_CACHE_DIR (compiles every kernel), "
            "import + first esm.run",
            time_text(results, "esm/first_run/cold"),
            "no compilation",
        )
    )
    table.rows.append(
        Row(
            f"4. cold first `esm {' '.join(ESM_CLI)}` (command line, empty NUMBA_CACHE_DIR)",
            time_text(results, "esm/cli/cold"),
        )
    )


def rows_memory(results: Results, opt: Options, table: Table) -> None:
    for n in (TARGET_BATCH_MEMBERS, opt.big):
        esm_hwm = median(results, f"esm/batch/{n}", "hwm")
        fair_hwm = median(results, f"fair/batch/{n}", "hwm")
        table.rows.append(
            Row(
                f"5. peak memory (VmHWM) of the {n:,}-member full-output child",
                esm_cell(results, f"esm/batch/{n}", fmt_bytes(esm_hwm)),
                fmt_bytes(fair_hwm) if fair_hwm else fair_absent(opt, table, n, results),
                fmt_ratio(ratio(fair_hwm, esm_hwm)),
            )
        )


WHEEL_NOTE = (
    "`pip install .` builds this wheel and then unpacks it; the build runs `python -m "
    "esm._compile` (setup.py), which compiles every kernel into the wheel for this machine's "
    "CPU, numba and Python. The rows 'after install' install it afresh (pip install --target "
    "into a new directory, not timed) for each child. Where the installed numba, Python or CPU "
    "differ from the build's, the kernels compile on first use as in the 'empty "
    "NUMBA_CACHE_DIR' rows."
)

PAIRED_NOTE = (
    "Ratio of two children that ran close together: the median over the rounds of their "
    "ratio in each round (less exposed to changing load than a ratio of medians)."
)


def rows_threads(results: Results, opt: Options, table: Table) -> None:
    two_key = two_threads("esm/threads/2", f"esm/batch/{opt.big}")
    one, two = median(results, "esm/threads/1"), median(results, two_key)
    speedup = paired_ratio(results, "esm/threads/1", two_key)
    ceiling = paired_ratio(results, "bound/1", two_threads("bound/2", "bound/default"))
    paired = table.note(PAIRED_NOTE)
    note = table.note(
        "Speed-up of the arithmetic microbenchmark of row 7 from 1 to 2 threads: what this "
        f"machine gave a pure floating-point load during the run ({fmt_ratio(ceiling)}); "
        "below about 1.9x the second core was partly taken by other work."
    )
    table.rows.append(
        Row(
            f"6. speed-up 1 -> 2 threads, {opt.big:,}-member kernel (NUMBA_NUM_THREADS) {paired}",
            f"{fmt_ratio(speedup)} ({fmt_s(one)} -> {fmt_s(two)})",
            "single-threaded",
            "-",
            f">= {TARGET_SPEEDUP_2}x",
            met(at_least(speedup, TARGET_SPEEDUP_2)),
        )
    )
    table.rows.append(Row(f"6. same for the arithmetic microbenchmark {note}", fmt_ratio(ceiling)))


def rows_bound(results: Results, opt: Options, table: Table) -> None:
    bound = rate(results, "bound/default")
    measured = rate(results, f"esm/batch/{opt.big}")
    counts = next((r["counts"] for r in results.get("bound/default", []) if "counts" in r), {})
    mix = ", ".join(f"{v} {k}" for k, v in counts.items())
    note = table.note(
        f"Per member-year: {mix} (counted from the kernel source, see OPS_PER_SUBSTEP and "
        f"OPS_PER_YEAR in run.py), run by a numba kernel with esm's compiler options and "
        f"libm's exp, log and pow: scalar code, {BOUND_LANES} member-years side by side per "
        "thread, default threads. A kernel that advances members in SIMD lanes can exceed "
        "this bound, by up to the vector width."
    )
    table.rows.append(
        Row(
            f"7. scalar arithmetic bound: op-mix microbenchmark {note}, member-years/s",
            fmt_rate(bound),
        )
    )
    paired = paired_ratio(results, f"esm/batch/{opt.big}", "bound/default", rates=True)
    table.rows.append(
        Row(
            f"7. measured {opt.big:,}-member kernel (member-years/s) / bound "
            + table.note(PAIRED_NOTE),
            f"{fmt_ratio(paired)} (medians {fmt_rate(measured)} / {fmt_rate(bound)})",
        )
    )


def kernel_versions(results: Results) -> set[str]:
    """The kernel-source hashes the esm children ran with (more than one: edited mid-run)."""
    return {r["kernels"] for runs in results.values() for r in runs if "kernels" in r}


def build_table(results: Results, opt: Options) -> Table:
    table = Table()
    for rows in (
        rows_one_run,
        rows_batch,
        rows_percentile,
        rows_startup,
        rows_memory,
        rows_threads,
        rows_bound,
    ):
        rows(results, opt, table)
    versions = kernel_versions(results)
    if len(versions) > 1:
        table.note(
            f"esm's kernel sources changed during this run ({len(versions)} versions: "
            f"{', '.join(sorted(versions))}): the rows mix versions; rerun on a quiet tree."
        )
    return table


HEADER = ("measure", "esm", "FaIR 2.2.5", "FaIR/esm", "target", "met?")


def cells(row: Row) -> tuple[str, ...]:
    return (row.measure, row.esm, row.fair, row.ratio, row.target, row.met)


def text_table(table: Table) -> str:
    rows = [HEADER] + [cells(r) for r in table.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines += [f"{k}. {n}" for k, n in enumerate(table.notes, start=1)]
    return "\n".join(lines)


def markdown_table(table: Table) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cells(r)) + " |" for r in table.rows]
    lines += [""] + [f"[{k}] {n}  " for k, n in enumerate(table.notes, start=1)]
    return "\n".join(lines)


# ======================================================================================
# RESULTS.md and scaling.png
# ======================================================================================
def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def esm_source() -> str:
    """Commit of the measured tree and whether its esm/ has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "esm"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"git {head}" + (", with uncommitted changes in esm/" if dirty else ", esm/ clean")


def machine() -> dict[str, str]:
    return {
        "CPU": cpu_model(),
        "cores": str(os.cpu_count()),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        **{name: package_version(name) for name in ("numpy", "numba", "xarray", "esm", "fair")},
    }


def method_text(opt: Options) -> str:
    return (
        f"Each measurement ran in a fresh child process (`run.py --child ...`). In each of "
        f"{opt.repeat} round(s) the children ran in a fixed order in which esm and FaIR "
        "children alternate; the table gives the median over the rounds. Inside a child, short "
        "jobs are timed as the median of many calls after one warm-up call (esm.run: 200 calls; "
        "FaIR one config: 5; batches: 3000 // members calls, at least 1), so these rows exclude "
        "compilation and first-use imports. Full output: one call of `esm.runner.integrate` for "
        "N prior members with the standard outputs (the kernel call of esm.ensemble), against "
        "FaIR's setup + run() for N configs (FaIR(ch4_method='Thornhill2021'), all AR6 species, "
        "esm's emissions and natural forcing; see bench_vs_fair.py). Member-years per second = "
        "N x 351 years / wall time. Peak memory is the child's VmHWM: FaIR children also import "
        "esm (for the shared inputs), which adds its modules (numba) to their baseline. The "
        f"percentile ensemble (esm.ensemble, source='posterior', {opt.percentile_members:,} "
        f"members, GSAT 5/50/95) ran {opt.percentile_repeat} time(s) after the rounds. Cold "
        "runs point NUMBA_CACHE_DIR at a new empty directory, so the child compiles every "
        "kernel it calls. The rows 'after install' build the wheel of this tree once (pip "
        "wheel, timed) and run each child on a fresh install of it (pip install --target, not "
        "timed), without NUMBA_CACHE_DIR, as a first run after `pip install .` is. Thread rows "
        "set NUMBA_NUM_THREADS in the child. The arithmetic bound "
        "runs the operation mix of one member-year (counted from the kernel source) in a numba "
        "kernel with esm's options, as scalar code; it ignores memory traffic, branches and the "
        "output writes, and the counts are upper estimates, so for scalar code a ratio near 1 "
        "means the kernel is limited by its arithmetic; a kernel whose members run in SIMD "
        "lanes can exceed 1. Ratios of two esm children that run close together in a "
        "round (import esm / import xarray, 1 / 2 threads, kernel / bound) are medians of the "
        "per-round ratios. Where a row's children differ by more than 1.5x the cell gives "
        "their range. Other processes may share this machine (the last note says how much CPU "
        "they took during the run): the numbers are indicative."
    )


def write_results(path: Path, table: Table, opt: Options, command: str, date: str) -> None:
    info = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Date: {date}  ",
        f"Machine: {info['CPU']}, {info['cores']} cores, {info['OS']}  ",
        "Versions: "
        + ", ".join(f"{k} {info[k]}" for k in ("Python", "numpy", "numba", "xarray", "esm"))
        + f", FaIR {info['fair']}  ",
        f"esm source: {esm_source()}  ",
        f"Command: `{command}`",
        "",
        "Problem: SSP2-4.5, 1750-2100 (351 years), emission-driven, all species; FaIR gets "
        "esm's emissions (CO2 in GtCO2) and natural forcing. FaIR/esm is FaIR's time over "
        "esm's (for member-years/s: esm's rate over FaIR's), so above 1 means esm is faster.",
        "",
        markdown_table(table),
        "",
        "## How it was measured",
        "",
        method_text(opt),
        "",
        "![scaling](scaling.png)",
        "",
    ]
    path.write_text("\n".join(lines))


def batch_series(results: Results, opt: Options, model: str) -> tuple[list, list, list]:
    """(members, member-years per second, wall time [s]) of the full-output batches."""
    ns, rates, times = [], [], []
    for n in opt.sizes:
        r, s = rate(results, f"{model}/batch/{n}"), median(results, f"{model}/batch/{n}")
        if r is not None and s is not None:
            ns.append(n)
            rates.append(r)
            times.append(s)
    return ns, rates, times


def plot(path: Path, results: Results, opt: Options, date: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    members_axis = FuncFormatter(lambda x, _: f"{x:,.0f}" if x >= 1 else f"{x:g}")
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5), constrained_layout=True)
    e_n, e_rate, e_time = batch_series(results, opt, "esm")
    f_n, f_rate, _ = batch_series(results, opt, "fair")

    left.loglog(e_n, e_rate, "o-", color="C0", label="esm: kernel call, full output")
    if f_n:
        left.loglog(f_n, f_rate, "s-", color="C3", label="FaIR 2.2.5: setup + run()")
    bound = rate(results, "bound/default")
    if bound is not None:
        left.axhline(bound, color="0.45", ls="--", lw=1, label="scalar arithmetic bound (row 7)")
    left.plot(
        [TARGET_BATCH_MEMBERS],
        [TARGET_BATCH_RATE],
        "*",
        ms=16,
        mfc="none",
        mew=1.5,
        color="C2",
        zorder=1,
        label="esm target (1000 members)",
    )
    left.set(
        xlabel="members (parameter sets)",
        ylabel="member-years per second",
        title="Throughput, full output",
    )
    left.set_ylim(top=max([TARGET_BATCH_RATE, bound or 0, *e_rate]) * 3)

    right.loglog(e_n, e_time, "o-", color="C0", label="esm: kernel call, full output")
    if e_n:
        ref = [e_time[-1] * n / e_n[-1] for n in e_n]
        right.loglog(e_n, ref, color="0.6", ls="--", lw=1, label="proportional to members")
    pct_s = median(results, "esm/percentile")
    if pct_s is not None:
        right.loglog(
            [opt.percentile_members],
            [pct_s],
            "D",
            color="C1",
            label="esm.ensemble, GSAT percentiles",
        )
    right.plot(
        [TARGET_PERCENTILE_MEMBERS],
        [TARGET_PERCENTILE_S],
        "*",
        ms=16,
        mfc="none",
        mew=1.5,
        color="C2",
        zorder=1,
        label=f"target: {TARGET_PERCENTILE_MEMBERS:,} members in {TARGET_PERCENTILE_S:.0f} s",
    )
    right.set(xlabel="members (parameter sets)", ylabel="wall time [s]", title="esm wall time")
    right.set_ylim(top=max([TARGET_PERCENTILE_S, pct_s or 0, *e_time]) * 4)
    for ax, where in ((left, "lower right"), (right, "upper left")):
        ax.xaxis.set_major_formatter(members_axis)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=9, loc=where)
    info = machine()
    fig.suptitle(
        f"esm {info['esm']} and FaIR {info['fair']}, SSP2-4.5 1750-2100, "
        f"{info['CPU']} ({info['cores']} cores), {date}",
        fontsize=12,
    )
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ======================================================================================
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="rounds of children (default 3)")
    ap.add_argument("--quick", action="store_true", help="1 repeat, 3000 and 20 000 members")
    ap.add_argument("--no-fair", action="store_true", help="measure esm only")
    ap.add_argument("--out-dir", type=Path, default=HERE, help="for RESULTS.md and scaling.png")
    ap.add_argument(
        "--percentile-members",
        type=int,
        default=None,
        metavar="N",
        help="members of the percentile ensemble (default 1000000; --quick 20000)",
    )
    ap.add_argument(
        "--percentile-repeat",
        type=int,
        default=1,
        metavar="K",
        help="runs of the percentile ensemble (default 1: each takes minutes)",
    )
    ap.add_argument(
        "--fair-max-members",
        type=int,
        default=1000,
        metavar="N",
        help="largest FaIR batch (default 1000; FaIR needs ~1.7 MB per config)",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def options(args: argparse.Namespace) -> Options:
    fair = not args.no_fair and package_version("fair") != "not installed"
    pct = args.percentile_members
    if pct is None:
        pct = 20_000 if args.quick else TARGET_PERCENTILE_MEMBERS
    return Options(
        repeat=1 if args.quick else max(1, args.repeat),
        sizes=QUICK_SIZES if args.quick else SIZES,
        percentile_members=pct,
        percentile_repeat=max(1, args.percentile_repeat),
        fair=fair,
        fair_max_members=args.fair_max_members,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(args.child)
    opt = options(args)
    if not args.no_fair and not opt.fair:
        print("FaIR is not installed (pip install fair==2.2.5); measuring esm only")
    command = " ".join(["python", "benchmarks/run.py", *(sys.argv[1:] if argv is None else argv)])
    start, cpu_start = time.perf_counter(), cpu_seconds()
    results = measure(opt, lambda line: print(line, file=sys.stderr, flush=True))
    load = other_load(cpu_start, time.perf_counter() - start)
    date = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    table = build_table(results, opt)
    if load is not None:
        table.note(
            f"Other processes kept {load:.2f} of this machine's {os.cpu_count()} cores busy on "
            "average during the run (from /proc/stat less this run's own CPU time)."
        )
    print(text_table(table))
    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    write_results(out / "RESULTS.md", table, opt, command, date)
    plot(out / "scaling.png", results, opt, date)
    print(
        f"\nwrote {out / 'RESULTS.md'} and {out / 'scaling.png'} "
        f"({time.perf_counter() - start:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
