"""How promptly Ctrl-C stops a large netCDF write (esm.io), against the time of the whole write.

    python benchmarks/bench_interrupt.py [--members 20000] [--repeat 3]

A child process writes an ensemble-sized Dataset (``--members`` x 351 years x 49 variables)
with ``esm.io.write``; the parent sends SIGINT once the temporary file holds a fifth of the final
size and measures the time until the child has exited, then checks that the old file is intact and
no temporary file is left. For scale it also times one uninterrupted write of the same Dataset.
Before esm 0.2 the interrupted write deadlocked in the file close and left a truncated file.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    import xarray as xr
    from esm import io

    n = int(sys.argv[2])
    block = np.random.default_rng(0).standard_normal((n, 351))
    ds = xr.Dataset(
        {f"v{i:02d}": (("member", "year"), block, {"units": "K"}) for i in range(49)},
        coords={"member": np.arange(n), "year": np.arange(1750, 2101)},
        attrs={"scenario": "big"},
    )
    print("writing", flush=True)
    io.write(ds, sys.argv[1])
    print("done", flush=True)
    """
)


def _temps(folder: Path, name: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{name}.")]


def full_write(folder: Path, script: Path, members: int) -> tuple[float, int]:
    path = folder / "full.nc"
    proc = subprocess.Popen([sys.executable, str(script), str(path), str(members)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    proc.stdout.readline()
    t = time.perf_counter()
    proc.wait()
    size = path.stat().st_size
    path.unlink()
    return time.perf_counter() - t, size


def interrupted(folder: Path, script: Path, members: int, size: int) -> tuple[float, bool]:
    path = folder / "big.nc"
    path.write_bytes(b"old file")
    proc = subprocess.Popen([sys.executable, str(script), str(path), str(members)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    proc.stdout.readline()
    while True:
        temps = _temps(folder, path.name)
        if temps and temps[0].stat().st_size > size / 5:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    t = time.perf_counter()
    proc.communicate(timeout=600)
    exit_s = time.perf_counter() - t
    intact = path.read_bytes() == b"old file" and not _temps(folder, path.name)
    return exit_s, intact


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        script = folder / "writer.py"
        script.write_text(WRITER)
        write_s, size = full_write(folder, script, args.members)
        print(f"uninterrupted write of {size / 1e9:.2f} GB: {write_s:.2f} s")
        for _ in range(args.repeat):
            exit_s, intact = interrupted(folder, script, args.members, size)
            print(
                f"Ctrl-C at 20 % of the file: exit after {exit_s:.2f} s "
                f"({exit_s / write_s:.3f} of the whole write); old file intact and no temporary "
                f"file: {intact}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
