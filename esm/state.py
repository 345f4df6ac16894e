"""The model's state at the end of a year: restart a run from it, or step one year at a time.

>>> ds, state = esm.run("ssp245", end=2020, return_state=True)      # doctest: +SKIP
>>> rest = esm.run("ssp245", end=2100, start_state=state)           # 2021-2100, bit for bit
>>> state.save("esm-2020.nc"); state = esm.State.load("esm-2020.nc")  # doctest: +SKIP
>>> model = esm.Model(state)                                        # doctest: +SKIP
>>> model.step({"co2_fossil": 9.0})     # 2021 with 9 GtC/yr of fossil CO2, other species from
...                                     # the background scenario  # doctest: +SKIP

A :class:`State` holds everything the integration carries from one year to the next: the kernel
state vector (``esm.kernels.layout.STATE_NAMES``: CO2 and the ocean's response integrals, land
and permafrost pools, the energy-balance layers, CH4, N2O, cumulative fluxes) and the values kept
outside it (last year's temperature and permafrost CH4, the emission solver's first guess), the
halogen concentrations, the pre-industrial emissions that set the natural sources, the parameters
and the ``gsat`` reference offset. A run continued from it is the uninterrupted run, bit for bit
(``tests/test_state.py``).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike

import numpy as np
import xarray as xr

from esm.kernels import layout
from esm.kernels.integrate import N_RESTART


@dataclass(frozen=True)
class State:
    """The model after ``year``: see the module docstring. Make one with
    ``esm.run(..., return_state=True)``; continue with ``esm.run(..., start_state=state)``."""

    year: int
    params: np.ndarray  # kernel parameter vector (layout.PARAM_NAMES)
    emis0: np.ndarray  # pre-industrial emissions, internal units (layout.SPECIES_NAMES)
    halogens: np.ndarray  # halogen concentrations [ppt] (layout.HALOGEN_NAMES)
    vector: np.ndarray  # kernel restart vector (N_RESTART)
    gsat_offset: float  # K subtracted from the kernel temperature to give gsat
    gsat_reference: str
    substeps: int
    scenario: str
    esm_version: str

    def to_dataset(self) -> xr.Dataset:
        """The state as a Dataset (one variable per group, named coordinates)."""
        carried = [*layout.STATE_NAMES, "temperature_previous_year", "permafrost_ch4_previous_year",
                   "solver_first_guess"]  # fmt: skip
        ds = xr.Dataset(
            {
                "params": ("parameter", self.params),
                "emis0": ("species", self.emis0),
                "halogens": ("halogen", self.halogens, {"units": "ppt"}),
                "vector": ("state", self.vector),
            },
            coords={
                "parameter": list(layout.PARAM_NAMES),
                "species": list(layout.SPECIES_NAMES),
                "halogen": list(layout.HALOGEN_NAMES),
                "state": carried,
            },
        )
        ds.attrs.update(
            {
                "title": "esm model state (restart file)",
                "year": int(self.year),
                "gsat_offset": float(self.gsat_offset),
                "gsat_reference": self.gsat_reference,
                "substeps": int(self.substeps),
                "scenario": self.scenario,
                "esm_version": self.esm_version,
                "layout": json.dumps({"params": len(layout.PARAM_NAMES), "state": N_RESTART}),
            }
        )
        return ds

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> State:
        """The inverse of :meth:`to_dataset`; the layout must be this model's."""
        from esm.runner import _esm_version

        names = {
            "parameter": layout.PARAM_NAMES,
            "species": layout.SPECIES_NAMES,
            "halogen": layout.HALOGEN_NAMES,
        }
        for dim, expected in names.items():
            got = [str(v) for v in ds[dim].values] if dim in ds.coords else []
            if got != list(expected):
                missing = sorted(set(expected) - set(got))
                extra = sorted(set(got) - set(expected))
                raise ValueError(
                    f"state: its {dim}s differ from this model's (missing {missing[:5]}, "
                    f"unknown {extra[:5]}); it was written by esm {ds.attrs.get('esm_version')}"
                )
        if ds.sizes.get("state") != N_RESTART:
            raise ValueError(
                f"state: {ds.sizes.get('state')} state values, this model carries {N_RESTART}"
            )
        version = str(ds.attrs.get("esm_version", "unknown"))
        if version != _esm_version():
            warnings.warn(
                f"state written by esm {version}, continued by esm {_esm_version()}",
                UserWarning,
                stacklevel=2,
            )
        return cls(
            year=int(ds.attrs["year"]),
            params=ds["params"].values.astype(np.float64),
            emis0=ds["emis0"].values.astype(np.float64),
            halogens=ds["halogens"].values.astype(np.float64),
            vector=ds["vector"].values.astype(np.float64),
            gsat_offset=float(ds.attrs["gsat_offset"]),
            gsat_reference=str(ds.attrs["gsat_reference"]),
            substeps=int(ds.attrs["substeps"]),
            scenario=str(ds.attrs["scenario"]),
            esm_version=version,
        )

    def save(self, path: str | PathLike) -> None:
        """Write the state as netCDF, atomically (``esm.io.atomic_write``)."""
        from esm import io

        ds = self.to_dataset()
        io.atomic_write(path, lambda tmp, cancel: ds.to_netcdf(tmp, engine="netcdf4"))

    @classmethod
    def load(cls, path: str | PathLike) -> State:
        """A state written by :meth:`save`."""
        with xr.open_dataset(path) as ds:
            return cls.from_dataset(ds.load())


class Model:
    """The model stepped one year at a time, for coupling and interactive use.

    ``state`` comes from ``esm.run(..., return_state=True)`` (or :meth:`spin_up`);
    ``background`` is the scenario (name or Dataset) whose emissions are used for every species
    that :meth:`step` is not given. Each step is one call of the compiled kernel from the
    current state, so stepping equals a single run over the same years, bit for bit.
    """

    def __init__(self, state: State, background="ssp245", variables=None):
        from esm import scenarios

        self.state = state
        if isinstance(background, str):
            background = scenarios.load(background)
        self.background = background
        self.variables = None if variables is None else list(variables)

    @classmethod
    def spin_up(cls, scenario="ssp245", params=None, end: int = 2020, variables=None) -> Model:
        """Run ``scenario`` to ``end`` and return a Model ready to step from ``end + 1``."""
        from esm.runner import run

        _, state = run(scenario, params, end=end, return_state=True, variables=["gsat"])
        return cls(state, background=scenario, variables=variables)

    @property
    def year(self) -> int:
        """The next year :meth:`step` integrates."""
        return self.state.year + 1

    def step(self, emissions: Mapping[str, float] | None = None) -> xr.Dataset:
        """Integrate the next year and return its outputs (a Dataset with one year).

        ``emissions`` overrides species of the background scenario for this year, in the
        model's internal units (``esm.scenarios.internal_unit``: CO2 in Gt C/yr, ...).
        """
        from esm import scenarios
        from esm.runner import run

        year = self.year
        if year not in self.background["year"].values:
            raise ValueError(
                f"Model.step: the background scenario has no year {year}; give a background "
                "that covers the years you step"
            )
        one = self.background.sel(year=[year]).copy(deep=True)
        for name, value in (emissions or {}).items():
            if name not in layout.SPECIES_NAMES:
                raise KeyError(f"Model.step: unknown species {name!r}")
            one[name] = ("year", [float(value)], {"units": scenarios.internal_unit(name)})
        ds, self.state = run(
            one,
            start_state=self.state,
            return_state=True,
            variables=self.variables,
            substeps=self.state.substeps,
        )
        return ds
