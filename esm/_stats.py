"""Streaming percentiles: fixed-bin histograms that can be merged exactly.

A :class:`Histogram` holds, for every (year, variable) cell, integer counts in ``n_bins`` equal
bins between per-cell edges ``lo`` and ``lo + n_bins * width`` plus one underflow and one
overflow bin, and the exact minimum and maximum. Memory does not grow with the number of
members; adding chunks in any order (in-process or from Dask workers) gives the same counts.
Percentiles are read by linear interpolation inside the bin that holds them, so their error
is at most one bin width (the first chunk's range times ``(1 + 2 pad) / n_bins``).
"""

from __future__ import annotations

import math

import numpy as np

from esm.kernels._jit import jit, numba_object

prange = numba_object("prange")  # numba.prange once numba is loaded

N_BINS = 4096
PAD = 0.5


#: Years per parallel task of :func:`_accumulate` (one cache line of float64 values).
_YEAR_BLOCK = 8

#: Members per pass of :func:`_accumulate`: the threads read the years of these members (700
#: KB for 351 years) before the next ones, so that their reads stay within few memory pages.
_MEMBER_TILE = 256


@jit(parallel=True)
def _accumulate(values, lo, width, counts, vmin, vmax):
    """Add values[variable, member, year] to the counts of every (year, variable) cell.

    Threads take blocks of years (each thread owns its cells, so no two write the same count)
    and read each member's values of those years from one cache line, a tile of members at a
    time. The counts do not depend on the order."""
    n_bins = counts.shape[2] - 2
    n_years = values.shape[2]
    n_members = values.shape[1]
    for t0 in range(0, n_members, _MEMBER_TILE):
        t1 = min(t0 + _MEMBER_TILE, n_members)
        for block in prange((n_years + _YEAR_BLOCK - 1) // _YEAR_BLOCK):
            y0 = block * _YEAR_BLOCK
            y1 = min(y0 + _YEAR_BLOCK, n_years)
            for v in range(values.shape[0]):
                for i in range(t0, t1):
                    for y in range(y0, y1):
                        x = values[v, i, y]
                        if x < vmin[y, v]:
                            vmin[y, v] = x
                        if x > vmax[y, v]:
                            vmax[y, v] = x
                        if x < lo[y, v]:
                            k = 0
                        elif width[y, v] <= 0.0:
                            k = 1
                        else:
                            j = int(math.floor((x - lo[y, v]) / width[y, v]))
                            k = n_bins + 1 if j >= n_bins else j + 1
                        counts[y, v, k] += 1


class Histogram:
    """Mergeable per-cell histogram of values[member, year, variable]."""

    def __init__(self, lo: np.ndarray, width: np.ndarray, n_bins: int = N_BINS):
        self.lo = np.ascontiguousarray(lo, dtype=np.float64)
        self.width = np.ascontiguousarray(width, dtype=np.float64)
        self.counts = np.zeros(self.lo.shape + (n_bins + 2,), dtype=np.int64)
        self.vmin = np.full(self.lo.shape, np.inf)
        self.vmax = np.full(self.lo.shape, -np.inf)

    @classmethod
    def from_sample(cls, values: np.ndarray, n_bins: int = N_BINS, pad: float = PAD):
        """Edges from the range of a first sample, widened by ``pad`` times it on both sides."""
        vmin, vmax = values.min(axis=0), values.max(axis=0)
        # a cell where the first sample barely varies still gets a usable range
        magnitude = np.maximum(np.abs(vmin), np.abs(vmax))
        span = np.maximum(vmax - vmin, 1e-3 * magnitude + 1e-12)
        lo = vmin - pad * span
        width = span * (1.0 + 2.0 * pad) / n_bins
        return cls(lo, width, n_bins)

    def add(self, values: np.ndarray) -> None:
        """Add values[member, year, variable]."""
        self.add_variables(np.moveaxis(values, 2, 0))

    def add_variables(self, values: np.ndarray) -> None:
        """Add values[variable, member, year] (the layout of :func:`esm.runner.derive`; no
        copy when it is C-contiguous)."""
        _accumulate(
            np.ascontiguousarray(values, dtype=np.float64),
            self.lo,
            self.width,
            self.counts,
            self.vmin,
            self.vmax,
        )

    def merge(self, other: Histogram) -> None:
        self.counts += other.counts
        np.minimum(self.vmin, other.vmin, out=self.vmin)
        np.maximum(self.vmax, other.vmax, out=self.vmax)

    @property
    def n(self) -> int:
        return int(self.counts[(0,) * (self.counts.ndim - 1)].sum())

    def percentiles(self, q) -> tuple[np.ndarray, int]:
        """Percentiles ``q`` (0-100) per cell: array[len(q), ...], and how many values fell in
        the under/overflow bins (where the value is interpolated towards the exact min/max).

        0 and 100 are the exact minimum and maximum (never counted as outside); every value
        lies between them.
        """
        q = np.asarray(q, dtype=float)
        if q.ndim != 1 or not np.all((q >= 0.0) & (q <= 100.0)):  # NaN fails too
            raise ValueError(f"percentiles must be numbers in 0-100, not {q.tolist()}")
        n_bins = self.counts.shape[-1] - 2
        cum = np.cumsum(self.counts, axis=-1)
        total = cum[..., -1:]
        out = np.empty((q.size,) + self.lo.shape)
        outside = 0
        for i, p in enumerate(q / 100.0):
            if p == 0.0 or p == 1.0:
                out[i] = self.vmin if p == 0.0 else self.vmax
                continue
            target = p * total[..., 0]
            k = np.argmax(cum >= target[..., None], axis=-1)  # bin holding the percentile
            before = np.take_along_axis(cum, np.maximum(k - 1, 0)[..., None], -1)[..., 0]
            before = np.where(k == 0, 0, before)
            inbin = np.take_along_axis(self.counts, k[..., None], -1)[..., 0]
            frac = np.where(inbin > 0, (target - before) / np.maximum(inbin, 1), 0.0)
            left = np.where(k == 0, self.vmin, self.lo + (k - 1) * self.width)
            right = np.where(k == n_bins + 1, self.vmax, self.lo + k * self.width)
            left = np.where(k == n_bins + 1, self.lo + n_bins * self.width, left)
            right = np.where(k == 0, self.lo, right)
            # a bin edge can lie beyond the extreme member: stay within the exact min/max
            out[i] = np.clip(left + frac * (right - left), self.vmin, self.vmax)
            outside += int(np.count_nonzero((k == 0) | (k == n_bins + 1)))
        return out, outside
