"""One reader for every scenario source: :func:`read_scenario`.

Accepted sources, and the value of ``ds.attrs["source_format"]`` they give:

* a path to a ``.csv``, ``.csv.gz`` or ``.xlsx`` file. The layout is taken from the header:
  the model's own format ``species,unit,<years>`` (``"esm-csv"``, read by
  :func:`esm.scenarios.read_csv`), IAMC **wide** ``Model, Scenario, Region, Variable, Unit,
  <years>`` (``"iamc-wide"``; any case; other columns such as RCMIP's ``Mip_Era`` and
  ``Activity_Id`` are ignored and listed in ``attrs["ignored_columns"]``) or IAMC **long**
  ``model, scenario, region, variable, unit, year`` (or ``time``) ``, value`` (``"iamc-long"``,
  pyam's ``.data``). Workbooks give ``"xlsx"`` (sheet ``data`` if there is one, else the only
  sheet with a scenario table; needs ``openpyxl``, the ``xlsx`` extra). Text files may be
  UTF-8, UTF-8 or UTF-16 with a byte-order mark; a file that is not UTF-8 is read as cp1252
  (or latin-1) with a warning, and ``attrs["encoding"]`` says which.
* a :class:`pandas.DataFrame` (``"dataframe"``), wide or long, the IAMC fields as columns or
  as (Multi)Index levels.
* a ``pyam.IamDataFrame`` (``"pyam"``) or ``scmdata.ScmRun`` (``"scmdata"``), recognised by
  their attributes (neither package is needed by esm). Time points that are dates are taken as
  the values of their calendar year (a warning unless they are all on 1 January); two time
  points in one year are an error.
* an :class:`xarray.Dataset` already in the scenario layout (``"dataset"``): checked (known
  variables, ``units``, dimensions, negative emissions) and returned as a copy.

``attrs["layout"]`` says which table layout was found (``"esm-csv"``, ``"iamc-wide"``,
``"iamc-long"`` or ``"dataset"``). IAMC tables are read by the rules of
:mod:`esm.scenarios.iamc` (variable names, aggregates, interpolation of 10-yearly data,
negative emissions).

Several scenarios: when ``scenario`` is not given and the data hold several (model, scenario)
sets for the region, the result has a ``scenario`` dimension (every species has dims
``("scenario", "year")``), the scenario names as coordinate (``"model|scenario"`` for a name
that occurs under several models) and a ``model`` coordinate along it. The sets must cover the
same years and give the same species in the same units; otherwise it is an error naming the
set and the difference (nothing is filled in).
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import tempfile
import zlib
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from esm import scenarios as _scenarios
from esm.kernels.layout import SPECIES_NAMES
from esm.scenarios.iamc import (
    _error,
    _numbers,
    _set_to_dataset,
    _warn,
    negative_error,
    negative_note,
)

__all__ = ["read_scenario", "SOURCE_FORMATS"]

#: Values of ``attrs["source_format"]``.
SOURCE_FORMATS = (
    "esm-csv",
    "iamc-wide",
    "iamc-long",
    "xlsx",
    "pyam",
    "scmdata",
    "dataframe",
    "dataset",
)

_IAMC = ("model", "scenario", "region", "variable", "unit")
_NATURAL = ("solar", "volcanic")
_SUFFIXES = ".csv, .csv.gz or .xlsx"


def read_scenario(
    source,
    *,
    scenario: str | None = None,
    model: str | None = None,
    region: str | None = "World",
    negative: str = "error",
) -> xr.Dataset:
    """Read emissions (and natural forcing) from any supported source into a scenario Dataset.

    Parameters
    ----------
    source
        Path (``.csv``, ``.csv.gz``, ``.xlsx``), ``pandas.DataFrame``, ``pyam.IamDataFrame``,
        ``scmdata.ScmRun`` or scenario ``xarray.Dataset`` (see the module docstring).
    scenario, model
        Select time series by scenario and/or model name; an absent name is an error listing
        what the data hold. A ``scenario`` that occurs under several models needs ``model``.
        For the model's own CSV format (one unnamed scenario per file), ``scenario`` names
        it (default: the file name).
    region
        Region to read (default ``"World"``); ``None`` accepts any single region.
    negative
        Negative emissions of species other than CO2: ``"error"`` (default) raises, naming
        them; ``"zero"`` sets them to zero with a warning and lists them in
        ``attrs["zeroed_negative"]``.

    Returns
    -------
    xarray.Dataset
        Species (units as given; :func:`esm.scenarios.to_arrays` converts them) on an annual
        ``year`` coordinate, plus ``solar``/``volcanic`` when given; with a ``scenario``
        dimension when several scenarios are read. Attributes: ``scenario``, ``model``,
        ``region`` (empty when the source does not say; comma-separated for several),
        ``source`` (the path or the object type), ``source_format``, ``layout``,
        ``ignored_variables``/``ignored_reasons``, ``ignored_columns``,
        ``interpolated_years``; when they apply ``encoding``, ``interpolation``,
        ``zeroed_negative``, ``time_conversion`` and ``comment`` (comment lines of a CSV).

    Raises
    ------
    esm.scenarios.ScenarioError
        One line naming the source, and where it applies the variable and year, and what to
        do: unreadable or empty files, unknown layouts, ambiguous or absent selections,
        unknown variables, duplicates, bad units or cells, sub-annual time points, scenarios
        that do not fit together, negative emissions.
    """
    return _read(
        source,
        scenario=scenario,
        model=model,
        region=region,
        negative=negative,
        several="dimension",
    )


def _read(source, *, scenario, model, region, negative, several) -> xr.Dataset:
    if negative not in ("error", "zero"):
        raise ValueError(f"negative must be 'error' or 'zero', not {negative!r}")
    opts = {"scenario": scenario, "model": model, "region": region, "negative": negative}
    if isinstance(source, xr.Dataset):
        return _from_dataset(source, **opts)
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, "pandas.DataFrame", "dataframe", {}, several, **opts)
    if isinstance(source, (str, PathLike)):
        return _from_path(Path(source), several, **opts)
    kind = _object_kind(source)
    if kind is not None:
        what = f"{type(source).__module__.split('.')[0]}.{type(source).__name__}"
        try:
            frame = source.timeseries()
        except Exception as err:  # a third-party object: say what failed, in one line
            raise _error(f"{what}: timeseries() failed ({type(err).__name__}: {err})") from None
        if not isinstance(frame, pd.DataFrame):
            raise _error(f"{what}: timeseries() did not return a pandas.DataFrame")
        return _from_frame(frame, what, kind, {}, several, **opts)
    raise _error(
        f"cannot read a scenario from a {type(source).__module__}.{type(source).__name__}; "
        f"give a path ({_SUFFIXES}), a pandas.DataFrame, a pyam.IamDataFrame, an "
        "scmdata.ScmRun or an xarray.Dataset"
    )


def _object_kind(obj) -> str | None:
    """``"pyam"`` / ``"scmdata"`` for objects that look like theirs (duck-typed), else None."""
    if not callable(getattr(obj, "timeseries", None)):
        return None
    names = {c.__name__ for c in type(obj).__mro__}
    module = type(obj).__module__.split(".")[0]
    if module == "scmdata" or names & {"ScmRun", "BaseScmRun"} or hasattr(obj, "time_points"):
        return "scmdata"
    if module == "pyam" or "IamDataFrame" in names or hasattr(obj, "meta"):
        return "pyam"
    return None


# ------------------------------------------------------------------------------------------
# files
# ------------------------------------------------------------------------------------------


def _from_path(path: Path, several: str, **opts) -> xr.Dataset:
    what = str(path)
    if not path.exists():
        raise _error(f"{what}: no such file (check the path)")
    if path.is_dir():
        raise _error(f"{what}: is a directory; give the path of a {_SUFFIXES} scenario file")
    name = path.name.lower()
    if name.endswith(".xlsx"):
        frame = _read_xlsx(path, what)
        return _from_frame(frame, what, "xlsx", {}, several, **opts)
    if not (name.endswith(".csv") or name.endswith(".csv.gz")):
        raise _error(
            f"{what}: unsupported file type; read_scenario reads {_SUFFIXES} files (save "
            "other spreadsheets as .xlsx or .csv)"
        )
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise _error(f"{what}: cannot read the file ({err.strerror or err})") from None
    gzipped = raw[:2] == b"\x1f\x8b"
    if gzipped:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise _error(f"{what}: damaged gzip data ({err}); compress the CSV again") from None
    elif name.endswith(".gz"):
        raise _error(f"{what}: is not gzip-compressed; rename it to .csv or compress it")
    if raw[:4] == b"PK\x03\x04":
        raise _error(f"{what}: is a zip archive (an Excel workbook?), not CSV text; name it .xlsx")
    text, encoding = _decode(raw, what)
    extra = {"encoding": encoding}
    lines = text.splitlines()
    comments = [ln[1:].strip() for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    if not body:
        raise _error(f"{what}: has no table (only comment lines); nothing to read")
    header = body[0]
    fields = [f.strip().strip('"').strip() for f in header.split(",")]
    if len(fields) < 2:
        sep = next((s for s in (";", "\t", "|") if s in header), None)
        if sep is not None:
            raise _error(
                f"{what}: columns are separated by {sep!r}, not commas; save it as "
                "comma-separated CSV (with '.' as decimal mark)"
            )
        raise _error(f"{what}: the first row {header[:60]!r} is not a table header")
    if len(body) < 2:
        raise _error(f"{what}: has a header row but no data rows; nothing to read")
    if [f.lower() for f in fields[:2]] == ["species", "unit"]:
        if comments:
            extra["comment"] = " | ".join(comments)
        direct = header.startswith("species,unit,") and encoding == "utf-8"
        direct = direct and gzipped == name.endswith(".gz")
        return _native(text, path if direct else None, path.name, what, extra, **opts)
    try:
        frame = pd.read_csv(
            io.StringIO("\n".join(body)), header=None, dtype=str, keep_default_na=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        msg = str(err).strip().splitlines()[-1]
        raise _error(f"{what}: not a valid CSV table ({msg}); check the separators") from None
    frame = _header_row(frame, what)
    return _from_frame(frame, what, None, extra, several, **opts)


def _decode(raw: bytes, what: str) -> tuple[str, str]:
    """Text of a file and the encoding used; warns when it is not UTF-8."""
    boms = [
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ]
    encoding = next((enc for bom, enc in boms if raw.startswith(bom)), None)
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise _error(
                f"{what}: starts with a {encoding} byte-order mark but is not valid {encoding} "
                "text; save it again as UTF-8"
            ) from None
    elif b"\x00" in raw:
        raise _error(
            f"{what}: is not a text file (it contains NUL bytes); give a CSV table (UTF-16 "
            "needs a byte-order mark)"
        )
    else:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as err:
            byte = err.start
            try:
                text, encoding = raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = raw.decode("latin-1"), "latin-1"
    bad = re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text)
    if bad:
        raise _error(
            f"{what}: is not a text table (control character {bad.group()!r} at position "
            f"{bad.start()}); give a {_SUFFIXES} scenario file"
        )
    if encoding in ("cp1252", "latin-1"):
        _warn(
            f"{what}: is not UTF-8 (byte {byte}); read as {encoding}. Check names with "
            "accents and save the file as UTF-8 to avoid this warning"
        )
    if not text.strip():
        raise _error(f"{what}: is empty; nothing to read")
    return text, encoding


def _header_row(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """First row as the column labels (no renaming of repeated labels, unlike pandas)."""
    header = [c.strip() if isinstance(c, str) else c for c in frame.iloc[0].tolist()]
    labels = [str(c).lower() for c in header]
    repeated = sorted({c for c in labels if labels.count(c) > 1})
    if repeated:
        raise _error(
            f"{what}: column(s) {', '.join(map(repr, repeated))} appear more than once in the "
            "header; keep one"
        )
    if len(frame) < 2:
        raise _error(f"{what}: has a header row but no data rows; nothing to read")
    out = frame.iloc[1:].reset_index(drop=True)
    out.columns = header
    return out


def _read_xlsx(path: Path, what: str) -> pd.DataFrame:
    try:
        import openpyxl  # noqa: F401  (pandas uses it; import here to give a clear error)
    except ImportError:
        raise _error(
            f"{what}: reading .xlsx files needs openpyxl: pip install openpyxl (or install esm "
            "with the xlsx extra: pip install 'esm[xlsx]')"
        ) from None
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
        names = book.sheet_names
        data = [n for n in names if n.strip().lower() == "data"]
        if data:
            sheets = data
        elif len(names) == 1:
            sheets = names
        else:
            sheets = [n for n in names if _looks_like_table(book.parse(n, header=None, nrows=1))]
        if len(sheets) != 1:
            raise _error(
                f"{what}: {len(sheets) or 'no'} sheets hold a scenario table (sheets: "
                f"{', '.join(map(repr, names))}); name the one to read 'data', or read it with "
                "pandas.read_excel(path, sheet_name=...) and pass the DataFrame"
            )
        frame = book.parse(sheets[0], header=None, dtype=object)
    except _scenarios.ScenarioError:
        raise
    except Exception as err:  # openpyxl / zipfile raise many types for damaged workbooks
        raise _error(
            f"{what}: cannot read it as an .xlsx workbook ({type(err).__name__}: {err})"
        ) from None
    frame = frame.dropna(how="all").dropna(axis=1, how="all")
    if frame.empty:
        raise _error(f"{what}: sheet {sheets[0]!r} is empty; nothing to read")
    return _header_row(frame, f"{what}, sheet {sheets[0]!r}")


def _looks_like_table(first_row: pd.DataFrame) -> bool:
    if first_row.empty:
        return False
    labels = {str(c).strip().lower() for c in first_row.iloc[0].tolist()}
    return {"species", "unit"} <= labels or set(_IAMC) <= labels


# ------------------------------------------------------------------------------------------
# the model's own CSV format
# ------------------------------------------------------------------------------------------


def _native(text: str, path, filename: str, what: str, extra: dict, *, scenario, negative, **_):
    """Read ``species,unit,<years>`` with :func:`esm.scenarios.read_csv` (from ``path`` when
    that file is what read_csv reads, else from ``text`` via a temporary UTF-8 copy)."""
    name = scenario or filename.split(".")[0]
    rows = [ln.split(",") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    points = [_time_point(c) for c in rows[0][2:]]
    if any(p is None for p in points):
        raise _error(f"{what}: year columns must be whole years (layout species,unit,<years>)")
    years = np.array([p[0] for p in points])
    for row in rows[1:]:
        if len(row) == years.size + 2:
            _numbers(row[2:], years, what, row[0])  # names the species and year of a bad cell
    if path is not None:
        ds = _scenarios.read_csv(path, name=name)
    else:
        lines = text.splitlines()
        k = next(i for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#"))
        fields = lines[k].split(",")
        lines[k] = ",".join(["species", "unit", *(f.strip() for f in fields[2:])])
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "scenario.csv"
            copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
            try:
                ds = _scenarios.read_csv(copy, name=name)
            except _scenarios.ScenarioError as err:
                raise _error(str(err).replace(str(copy), what)) from None
    ds.attrs.pop("source", None)
    if not ds.data_vars:
        raise _error(f"{what}: has a header row but no data rows; nothing to read")
    _check_variables(ds, what)
    _negatives(ds, what, negative)
    ds.attrs.update(
        {
            "scenario": name,
            "model": "",
            "region": "",
            "source": what,
            "source_format": "esm-csv",
            "layout": "esm-csv",
            "ignored_variables": [],
            "ignored_reasons": [],
            "ignored_columns": [],
            "interpolated_years": [],
            **extra,
        }
    )
    return ds


def _native_frame(df: pd.DataFrame, what: str, source_format: str, extra: dict, **opts):
    cols = list(df.columns)
    years = []
    for c in cols[2:]:
        point = _time_point(c)
        if point is None or point[1:] != (1, 1, 0, 0, 0):
            raise _error(f"{what}: column {c!r} is not a year (layout species,unit,<years>)")
        years.append(str(point[0]))
    table = df.copy()
    table.columns = ["species", "unit", *years]
    ds = _native(table.to_csv(index=False), None, "scenario", what, extra, **opts)
    ds.attrs["source_format"] = source_format
    return ds


# ------------------------------------------------------------------------------------------
# tables (wide or long IAMC)
# ------------------------------------------------------------------------------------------


def _time_point(label) -> tuple[int, int, int, int, int, int] | None:
    """(year, month, day, hour, minute, second) of a column label or time value, else None.

    Whole numbers (``2015``, ``"2015"``, ``2015.0``) are years (1 January); dates are
    ``datetime``/``Timestamp``/``cftime`` objects or ISO strings ``"2015-07-01 00:00:00"``.
    """
    if isinstance(label, (bool, np.bool_)):
        return None
    if isinstance(label, (int, np.integer)):
        return (int(label), 1, 1, 0, 0, 0)
    if isinstance(label, (float, np.floating)):
        return (int(label), 1, 1, 0, 0, 0) if float(label).is_integer() else None
    if isinstance(label, np.datetime64):
        label = pd.Timestamp(label)
    if isinstance(label, str):
        s = label.strip()
        if re.fullmatch(r"\d{1,4}", s):
            return (int(s), 1, 1, 0, 0, 0)
        m = re.fullmatch(
            r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d*)?)?)?", s
        )
        if m:
            return tuple(int(g) if g else 0 for g in m.groups())  # type: ignore[return-value]
        return None
    if all(hasattr(label, a) for a in ("year", "month", "day")):
        return (
            int(label.year),
            int(label.month),
            int(label.day),
            int(getattr(label, "hour", 0)),
            int(getattr(label, "minute", 0)),
            int(getattr(label, "second", 0)),
        )
    return None


def _fmt_point(p) -> str:
    return f"{p[0]:04d}-{p[1]:02d}-{p[2]:02d}" + (
        f" {p[3]:02d}:{p[4]:02d}:{p[5]:02d}" if any(p[3:]) else ""
    )


def _years(points: dict, what: str, extra: dict) -> dict:
    """label -> year, given label -> time point; one time point per year (else an error)."""
    by_year: dict[int, list] = {}
    for p in points.values():
        by_year.setdefault(p[0], []).append(p)
    for year, ps in by_year.items():
        if len(ps) > 1:
            if len(set(ps)) < len(ps):
                raise _error(
                    f"{what}: year {year} appears more than once (as a column or time value); "
                    "keep one"
                )
            shown = " and ".join(_fmt_point(p) for p in sorted(ps)[:2])
            raise _error(
                f"{what}: sub-annual time points ({shown} in {year}); read_scenario needs one "
                "value per year: take annual means first (e.g. ScmRun.time_mean('AC'))"
            )
    off = sorted({p[1:] for p in points.values()} - {(1, 1, 0, 0, 0)})
    if off:
        shown = ", ".join(_fmt_point((0, *o))[5:] for o in off[:3])
        note = f"time points on {shown} (month-day) taken as the values of their calendar year"
        extra["time_conversion"] = note
        _warn(f"{what}: {note}; see attrs['time_conversion']")
    return {label: p[0] for label, p in points.items()}


def _from_frame(
    df: pd.DataFrame, what: str, source_format: str | None, extra: dict, several: str, **opts
) -> xr.Dataset:
    if any(n is not None for n in df.index.names):  # IAMC fields as (Multi)Index levels
        df = df.reset_index()
    if isinstance(df.columns, pd.MultiIndex):
        raise _error(f"{what}: columns must be one level (IAMC fields and years), not a MultiIndex")
    if df.empty:
        raise _error(f"{what}: has no rows; nothing to read")
    lower = {c: str(c).strip().lower() for c in df.columns if isinstance(c, str)}
    labels = list(lower.values())
    repeated = sorted({c for c in labels if labels.count(c) > 1})
    if repeated:
        raise _error(f"{what}: column(s) {', '.join(map(repr, repeated))} appear more than once")
    columns = list(df.columns)
    if [lower.get(c) for c in columns[:2]] == ["species", "unit"]:
        return _native_frame(df, what, source_format or "esm-csv", extra, **opts)
    rename = {c: name for c, name in lower.items() if name in _IAMC}
    rest = [c for c in columns if c not in rename]
    points = {c: p for c in rest if (p := _time_point(c)) is not None}
    is_long = "value" in lower.values() and {"year", "time"} & set(lower.values()) and not points
    df = df.rename(columns=rename)
    missing = [c for c in _IAMC if c not in df.columns]
    if missing:
        raise _error(
            f"{what}: missing column(s) {', '.join(missing)} (IAMC layout: Model, Scenario, "
            "Region, Variable, Unit and one column per year, or long: ... Unit, Year, Value)"
        )
    if is_long:
        layout = "iamc-long"
        df, years, ignored_columns = _long_to_wide(df, what, extra)
    else:
        layout = "iamc-wide"
        if not points:
            raise _error(f"{what}: no year columns (expected e.g. 1750, 1751, ... or 2015-01-01)")
        years = _years(points, what, extra)
        ignored_columns = [str(c) for c in rest if c not in points]
    extra = {
        "source_format": source_format or layout,
        "layout": layout,
        "ignored_columns": ignored_columns,
        **extra,
    }
    return _from_wide(df, years, what, extra, several, **opts)


def _long_to_wide(df: pd.DataFrame, what: str, extra: dict):
    lower = {c: str(c).strip().lower() for c in df.columns}
    tcol = next(
        c for c, n in lower.items() if n == ("year" if "year" in lower.values() else "time")
    )
    vcol = next(c for c, n in lower.items() if n == "value")
    ignored_columns = [str(c) for c in df.columns if c not in (*_IAMC, tcol, vcol)]
    points = {}
    for t in pd.unique(df[tcol]):
        p = _time_point(t)
        if p is None:
            raise _error(f"{what}: {tcol} value {t!r} is not a year or a date")
        points[t] = p
    years = _years(points, what, extra)
    df = df.assign(_year=df[tcol].map(years))
    keys = ["model", "scenario", "region", "variable", "_year"]
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        row = df[dup].iloc[0]
        differ = [c for c in ignored_columns if df[dup][c].astype(str).nunique() > 1] + (
            ["unit"] if df[dup]["unit"].astype(str).nunique() > 1 else []
        )
        hint = f" (the rows differ only in {', '.join(differ)})" if differ else ""
        raise _error(
            f"{what}: {int(dup.sum())} rows repeat variable {str(row['variable'])!r} in "
            f"{row['_year']} (model {str(row['model'])!r}, scenario {str(row['scenario'])!r})"
            f"{hint}; keep one value per variable and year"
        )
    wide = df.set_index([*_IAMC, "_year"])[vcol].unstack("_year").reset_index()
    wide.columns.name = None
    return wide, {y: y for y in sorted(set(years.values()))}, ignored_columns


def _from_wide(df, years: dict, what: str, extra: dict, several: str, **opts) -> xr.Dataset:
    scenario, model, region, negative = (
        opts[k] for k in ("scenario", "model", "region", "negative")
    )
    for field, value in (("scenario", scenario), ("model", model), ("region", region)):
        if value is None:
            continue
        sub = df[df[field].astype(str) == str(value)]
        if sub.empty:
            have = ", ".join(map(repr, sorted(df[field].astype(str).unique())))
            raise _error(f"{what}: no rows with {field} {value!r}; the data have {have}")
        df = sub
    keys = df[["model", "scenario", "region"]].astype(str)
    sets = list(dict.fromkeys(map(tuple, keys.to_numpy())))
    if len(sets) > 1 and (
        several == "error" or scenario is not None or len({s[2] for s in sets}) > 1
    ):
        combos = sorted(sets)
        listed = "; ".join(f"model={m!r} scenario={s!r} region={r!r}" for m, s, r in combos[:20])
        more = f" and {len(combos) - 20} more" if len(combos) > 20 else ""
        raise _error(
            f"{what}: the data hold {len(combos)} time-series sets, pick one with "
            f"scenario=..., model=... or region=...: {listed}{more}"
        )
    columns = sorted(years, key=years.get)
    given = np.array([years[c] for c in columns], dtype=np.int64)
    key_arr = keys.to_numpy()
    built = []
    for m, s, r in sets:
        rows = df[(key_arr == np.array([m, s, r])).all(axis=1)]
        label = f"{what}, scenario {s}" if len(sets) == 1 else f"{what}, model {m} scenario {s}"
        built.append(_set_to_dataset(rows, columns, given, label, negative))
    if len(sets) == 1:
        ds = built[0]
        m, s, r = sets[0]
        ds.attrs = {"scenario": s, "model": m, "region": r, "source": what, **ds.attrs, **extra}
        return ds
    return _stack(built, sets, what, extra)


def _stack(built: list[xr.Dataset], sets: list, what: str, extra: dict) -> xr.Dataset:
    """Sets of one source on a ``scenario`` dimension (same years, species and units)."""
    names = [s for _, s, _ in sets]
    labels = [f"{m}|{s}" if names.count(s) > 1 else s for m, s, _ in sets]
    ref, ref_label = built[0], f"model {sets[0][0]!r} scenario {sets[0][1]!r}"
    y0 = ref["year"].values
    for ds, (m, s, _) in zip(built[1:], sets[1:], strict=True):
        label = f"model {m!r} scenario {s!r}"
        y = ds["year"].values
        if (y[0], y[-1]) != (y0[0], y0[-1]):
            raise _error(
                f"{what}: {label} covers {y[0]}-{y[-1]} but {ref_label} covers {y0[0]}-{y0[-1]}; "
                "read several scenarios only if they cover the same years (select one with "
                "scenario=..., or trim the data)"
            )
        lacks = [v for v in ref.data_vars if v not in ds.data_vars]
        adds = [v for v in ds.data_vars if v not in ref.data_vars]
        if lacks or adds:
            diff = "; ".join(
                t
                for t in (
                    f"it lacks {', '.join(lacks)}" if lacks else "",
                    f"it has {', '.join(adds)} that the first lacks" if adds else "",
                )
                if t
            )
            raise _error(
                f"{what}: {label} does not give the same species as {ref_label} ({diff}); "
                "give the same variables for every scenario, or select one with scenario=..."
            )
        for v in ref.data_vars:
            if ds[v].attrs["units"] != ref[v].attrs["units"]:
                raise _error(
                    f"{what}: {label} gives {v} in {ds[v].attrs['units']!r} but {ref_label} in "
                    f"{ref[v].attrs['units']!r}; use one unit per variable, or select one "
                    "scenario with scenario=..."
                )
    out = xr.Dataset(coords={"scenario": labels, "year": y0})
    out = out.assign_coords(model=("scenario", [m for m, _, _ in sets]))
    for v in ref.data_vars:
        names_v = list(dict.fromkeys(ds[v].attrs["iamc_variable"] for ds in built))
        out[v] = (
            ("scenario", "year"),
            np.stack([ds[v].values for ds in built]),
            {"units": ref[v].attrs["units"], "iamc_variable": "; ".join(names_v)},
        )
    ignored: dict[str, str] = {}
    for ds in built:
        for var, why in zip(
            ds.attrs["ignored_variables"], ds.attrs["ignored_reasons"], strict=True
        ):
            ignored.setdefault(var, why)
    out.attrs = {
        "scenario": ", ".join(labels),
        "model": ", ".join(dict.fromkeys(m for m, _, _ in sets)),
        "region": sets[0][2],
        "source": what,
        "ignored_variables": list(ignored),
        "ignored_reasons": list(ignored.values()),
        "interpolated_years": sorted({y for ds in built for y in ds.attrs["interpolated_years"]}),
        **extra,
    }
    for key in ("interpolation", "zeroed_negative"):
        notes = [
            f"{lab}: {note}"
            for lab, ds in zip(labels, built, strict=True)
            for note in np.atleast_1d(ds.attrs.get(key, [])).tolist()
        ]
        if notes:
            out.attrs[key] = notes if key == "zeroed_negative" else "; ".join(notes)
    return out


# ------------------------------------------------------------------------------------------
# Datasets
# ------------------------------------------------------------------------------------------


def _check_variables(ds: xr.Dataset, what: str) -> None:
    known = (*SPECIES_NAMES, *_NATURAL)
    unknown = [v for v in ds.data_vars if v not in known]
    if unknown:
        raise _error(
            f"{what}: unknown variable(s) {', '.join(map(repr, unknown))}; a scenario Dataset "
            "holds the model's species (esm.kernels.layout.SPECIES_NAMES) and solar, volcanic"
        )
    for v in ds.data_vars:
        if ds[v].dims not in (("year",), ("scenario", "year")):
            raise _error(
                f"{what}: {v} has dimensions {ds[v].dims}; expected ('year',) or "
                "('scenario', 'year')"
            )
        if "units" not in ds[v].attrs:
            raise _error(f"{what}: {v} has no 'units' attribute; set it (e.g. 'Mt CH4/yr')")


def _negatives(ds: xr.Dataset, what: str, negative: str) -> None:
    years = ds["year"].values
    notes = []
    for v in ds.data_vars:
        if v.startswith("co2_") or v in _NATURAL:
            continue
        values = ds[v].values
        if (values < 0).any():
            notes.append(negative_note(v, values, years, ds[v].attrs["units"]))
            if negative == "zero":
                ds[v] = ds[v].where(~(ds[v] < 0), 0.0)
    if notes and negative == "error":
        raise negative_error(what, notes)
    if notes:
        ds.attrs["zeroed_negative"] = notes
        _warn(
            f"{what}: negative emissions set to zero (negative='zero'): {'; '.join(notes)}; "
            "listed in attrs['zeroed_negative']"
        )


def _from_dataset(ds: xr.Dataset, *, scenario, model, region, negative) -> xr.Dataset:
    what = "xarray.Dataset"
    if "year" not in ds.coords:
        raise _error(f"{what}: no 'year' coordinate; a scenario Dataset has one value per year")
    ds = ds.copy(deep=True)
    for field, value in (("scenario", scenario), ("model", model)):
        if value is None:
            continue
        if "scenario" in ds.dims and field in ds.coords:
            have = [str(x) for x in ds[field].values]
            if str(value) not in have:
                raise _error(
                    f"{what}: no {field} {value!r}; the Dataset has {', '.join(map(repr, have))}"
                )
            ds = ds.isel(scenario=[h == str(value) for h in have])
            if ds.sizes["scenario"] == 1:
                picked = ds.isel(scenario=0)
                attrs = {"scenario": str(picked["scenario"].values), "model": ""}
                if "model" in picked.coords:
                    attrs["model"] = str(picked["model"].values)
                ds = picked.drop_vars([c for c in ("scenario", "model") if c in picked.coords])
                ds.attrs.update(attrs)
        elif str(ds.attrs.get(field, value)) != str(value):
            raise _error(f"{what}: holds {field} {ds.attrs[field]!r}, not {value!r}")
    _check_variables(ds, what)
    _negatives(ds, what, negative)
    if region is not None and ds.attrs.get("region", region) not in (region, ""):
        raise _error(f"{what}: holds region {ds.attrs['region']!r}, not {region!r}")
    for key, default in (("scenario", "scenario"), ("model", ""), ("region", "")):
        ds.attrs.setdefault(key, default)
    ds.attrs.setdefault("source", what)
    ds.attrs.update({"source_format": "dataset", "layout": "dataset"})
    return ds
