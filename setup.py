"""Build hook: a wheel built from this source carries esm's compiled kernels.

All project metadata is in ``pyproject.toml``. This adds one step to ``build_py``: after the
package is copied to the build directory, ``python -m esm._compile`` runs there and compiles
every kernel into ``esm/kernels/__pycache__/numba-<hash>/`` of the build, which goes into the
wheel. ``pip install .`` builds the wheel on the machine it installs on, for its CPU, so the
first run after the install loads the kernels instead of compiling them (about half a minute).

The kernels are used only where they match: the cache directory is named by a hash of the
kernel sources and the numba version, and numba checks the CPU and Python version of each
cached kernel. Anything else (another numba in the environment, another CPU) compiles on first
use, as without this step. The step never fails a build: if it cannot run, the wheel is built
without the kernels and says so. ``ESM_BUILD_KERNELS=0`` skips it; editable installs skip it.
"""

from __future__ import annotations

import os
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

#: Environment variables of the build that would send the kernels elsewhere or switch them off.
_DROP = ("NUMBA_CACHE_DIR", "ESM_NUMBA_CACHE", "NUMBA_DISABLE_JIT", "NUMBA_CACHE_LOCATOR_CLASSES")


class BuildWithKernels(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False) or os.environ.get("ESM_BUILD_KERNELS") == "0":
            return
        build_lib = os.path.abspath(self.build_lib)
        env = {k: v for k, v in os.environ.items() if k not in _DROP}
        # keep the build environment's own path (pip's isolated build) after the package
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [build_lib, env.get("PYTHONPATH")]))
        print("esm: compiling the kernels into the wheel (about half a minute)", flush=True)
        try:
            done = subprocess.run(
                [sys.executable, "-m", "esm._compile"], cwd=build_lib, env=env, timeout=1800
            )
            ok = done.returncode == 0
        except (OSError, subprocess.SubprocessError) as err:
            print(f"esm: {err}", flush=True)
            ok = False
        if not ok:
            print(
                "esm: the kernels were not compiled into the wheel; they compile on first use",
                flush=True,
            )


setup(cmdclass={"build_py": BuildWithKernels})
