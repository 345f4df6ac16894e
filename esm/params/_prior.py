"""Prior distributions of the uncertain parameters (used by ensembles and the calibration).

A :class:`Prior` sits next to the parameter it belongs to (``Param(..., prior=...)``). Every
prior is truncated to the parameter's physical bounds, so a sample never leaves them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Prior:
    """A univariate prior.

    ``a=None`` centres the prior on the parameter's default (resolved by ``Param``).
    ``kind`` is ``"normal"`` (``a`` = mean, ``b`` = standard deviation), ``"lognormal"``
    (``a`` = median, ``b`` = standard deviation of the natural logarithm of its magnitude;
    a negative median gives a negative lognormal) or ``"uniform"``
    (``a`` = lower, ``b`` = upper end). ``source`` names where the shape comes from.
    """

    kind: str
    a: float | None
    b: float
    source: str

    def __post_init__(self) -> None:
        if self.kind not in ("normal", "lognormal", "uniform"):
            raise ValueError(f"unknown prior kind {self.kind!r}")
        if self.kind != "uniform" and self.b <= 0:
            raise ValueError("prior width must be positive")
        if self.kind == "lognormal" and self.a is not None and self.a == 0:
            raise ValueError("lognormal prior needs a non-zero median (its sign is kept)")

    def ppf(self, u: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
        """Quantile function for probabilities ``u`` in (0, 1), truncated to ``bounds``."""
        from scipy import stats  # imported when sampling (about 0.5 s), not with esm

        lo, hi = bounds
        u = np.asarray(u, dtype=float)
        if self.kind == "uniform":
            a, b = max(self.a, lo), min(self.b, hi)
            return a + u * (b - a)
        if self.kind == "normal":
            mu, sd = self.a, self.b
            return stats.truncnorm.ppf(u, (lo - mu) / sd, (hi - mu) / sd, loc=mu, scale=sd)
        # lognormal: truncated normal in log space; the parameter's sign is kept
        sign = 1.0 if self.a > 0 else -1.0
        if lo * hi < 0 or (sign > 0 and hi <= 0) or (sign < 0 and lo >= 0):
            raise ValueError("a lognormal prior needs bounds of the sign of its median")
        llo, lhi = sorted((np.log(max(abs(lo), 1e-300)), np.log(abs(hi))))
        mu, sd = np.log(self.a * sign), self.b
        x = stats.truncnorm.ppf(u, (llo - mu) / sd, (lhi - mu) / sd, loc=mu, scale=sd)
        return np.clip(sign * np.exp(x), lo, hi)  # exp(log(hi)) may exceed hi by round-off

    def describe(self) -> str:
        """Short text, e.g. ``lognormal(median 4.13, sd(ln) 0.26)``."""
        if self.kind == "normal":
            return f"normal({self.a:.4g}, {self.b:.3g})"
        if self.kind == "lognormal":
            return f"lognormal(median {self.a:.4g}, sd(ln) {self.b:.3g})"
        return f"uniform({self.a:.4g}, {self.b:.4g})"
