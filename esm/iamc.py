"""Old import path of the IAMC / RCMIP output table: the code now lives in esm/io/iamc.py (the
name table in esm/io/names.py); these are the same objects."""

# re-exports only: the code now lives in esm/io/iamc.py and esm/io/names.py
from esm.io.iamc import (  # noqa: F401
    ENSEMBLE_COLUMNS,
    ENSEMBLE_DIMS,
    IAMC_COLUMNS,
    IAMC_VARIABLES,
    MT_CO2_PER_GTC,
    NOT_IN_IAMC,
    IamcName,
    to_iamc,
    write_iamc,
)

__all__ = [
    "IAMC_COLUMNS",
    "ENSEMBLE_COLUMNS",
    "ENSEMBLE_DIMS",
    "IAMC_VARIABLES",
    "NOT_IN_IAMC",
    "IamcName",
    "MT_CO2_PER_GTC",
    "to_iamc",
    "write_iamc",
]
