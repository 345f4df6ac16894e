"""The declaration of one model parameter.

Every parameter of the model is declared exactly once, with :class:`Param`, in one of the
group modules of :mod:`esm.params`. The documentation table, input validation of user values,
CSV/xarray parameter tables and the ensemble sampling are all generated from these
declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

from esm.params._prior import Prior


@dataclass(frozen=True)
class Param:
    """One model parameter.

    Attributes
    ----------
    name : str
        Identifier (also the column name in parameter tables and the kernel layout name).
    default : float
        Default value (meets the project's validation targets; see ``source``).
    units : str
        Units (UDUNITS-like; ``"1"`` for dimensionless).
    bounds : tuple of float
        Physically allowed closed interval; user values outside raise ``ValueError``.
    source : str
        Where the default comes from (citation with DOI, data file, or calibration script).
    description : str
        One-line meaning, including the sign convention where one matters.
    group : str
        Process group (``ocean``, ``land``, ``gases``, ``forcing``, ``climate``, ...).
    prior : Prior or None
        Prior distribution for ensembles and calibration (None: the parameter is fixed).
    choices : mapping of str to float or None
        For a parameter that selects a model variant: the names a user may give and the
        value each stands for; then only these values are allowed.
    """

    name: str
    default: float
    units: str
    bounds: tuple[float, float]
    source: str
    description: str
    group: str = ""
    prior: Prior | None = None
    choices: dict[str, float] | None = None

    def __post_init__(self) -> None:
        lo, hi = self.bounds
        if not lo <= self.default <= hi:
            raise ValueError(f"parameter {self.name}: default {self.default} outside {self.bounds}")
        if self.choices is not None and self.default not in self.choices.values():
            raise ValueError(f"parameter {self.name}: default {self.default} is not a choice")
        if self.prior is not None and self.prior.a is None:  # centred on the default
            centred = Prior(self.prior.kind, self.default, self.prior.b, self.prior.source)
            object.__setattr__(self, "prior", centred)


#: Start of the source of every default that is the posterior's central member.
CENTRAL_PREFIX = "central member of the calibrated posterior"


def central(source: str) -> str:
    """``source`` of a default that is the central member of the calibrated posterior: the
    value comes from ``esm/params/central.csv`` (written with its provenance by
    ``validation/calibrate_posterior.py --write-defaults``); the number in the declaration is
    the literature value ``source`` that the prior is built around."""
    return (
        f"{CENTRAL_PREFIX} (esm/params/central.csv, validation/calibrate_posterior.py); "
        f"literature: {source}"
    )
