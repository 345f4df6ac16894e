"""Parameters of the permafrost-carbon module (:mod:`esm.kernels.permafrost`) and its switch.

The thaw and decomposition parameters are those of the reduced-form permafrost module of OSCAR
v2.2/v3, fitted by Gasser et al. (2018) to the permafrost versions of JSBACH, ORCHIDEE-MICT and
JULES (two configurations) in two regions (Eurasia, North America): 8 fits in all, Supplementary
Table S4 (also in OSCAR v3 ``core_fct/fct_loadP.py``). Here one northern-permafrost region: the
defaults lie inside the range of those fits and were chosen, together with the frozen pool of
Hugelius et al. (2014), so that the SSP5-8.5 release per degree of warming by 2100 is close to
the IPCC AR6 assessment while the release to 2019 stays near 1 PgC (details in the ``source``
of each entry). Prior widths span the 8 fits (outliers noted); centred on the defaults.
"""

from __future__ import annotations

from functools import partial

from esm.params._prior import Prior
from esm.params._spec import Param, central  # noqa: F401 (written by calibrate_posterior)

_GASSER = (
    "Gasser et al. (2018) Nature Geosci. 11, 830, doi:10.1038/s41561-018-0227-0, "
    "Supplementary Table S4 (OSCAR v3 fct_loadP.py load_permafrost_all)"
)
_CALIB = (
    "inside the range of the 8 fits of " + _GASSER + "; chosen with the other permafrost "
    "defaults so that SSP5-8.5 permafrost CO2 2020-2100 is about 16 PgC per K of GSAT in 2100 "
    "(IPCC AR6 WGI Ch. 5, Canadell et al. 2021, doi:10.1017/9781009157896.007: 18 (3.1-41) "
    "PgC per K) while the release to 2019 stays near 1 PgC, which keeps the emission-driven "
    "CO2 history (tests/test_history.py)"
)

permafrost = partial(Param, group="permafrost")
switch = partial(Param, group="switches", units="1", bounds=(0.0, 1.0))

PARAMS = (
    permafrost(
        "permafrost_carbon_pi",
        1035.0,
        "GtC",
        (0.0, 2000.0),
        "Hugelius et al. (2014) Biogeosciences 11, 6573, doi:10.5194/bg-11-6573-2014: 1035 +- "
        "150 PgC in the top 3 m of northern circumpolar permafrost-region soils",
        "C_frozen in the first (pre-industrial) year: frozen soil carbon that thaw can expose",
        prior=Prior(
            "lognormal",
            1035.0,
            0.2,
            "Hugelius et al. (2014) +-150 PgC (95 %), widened for the share that is perennially "
            "frozen (about 800 PgC) and the 389-691 PgC of the models fitted by Gasser et al. "
            "(2018)",
        ),
    ),
    permafrost(
        "permafrost_warming_amplification",
        1.9,
        "1",
        (1.0, 4.0),
        _GASSER + ": w_clim_pf 1.78-2.03",
        "w: permafrost-region (local) warming per unit of global warming, T_L = w T",
        prior=Prior("normal", 1.9, 0.12, "range 1.78-2.03 of the 8 fits of Gasser et al. (2018)"),
    ),
    permafrost(
        "permafrost_thaw_sensitivity",
        0.29,
        "K-1",
        (0.01, 3.0),
        _CALIB + " (g_pthaw 0.097-0.29, one fit 1.62; JSBACH North America 0.286)",
        "g: sensitivity of the equilibrium thawed fraction to local warming",
        prior=Prior(
            "lognormal",
            0.29,
            0.4,
            "g_pthaw of the 8 fits of Gasser et al. (2018), 0.097-0.29 (one outlier 1.62): "
            "0.15-0.56 (5-95 %)",
        ),
    ),
    permafrost(
        "permafrost_thaw_min_fraction",
        0.1,
        "1",
        (0.01, 3.0),
        _CALIB + " (pthaw_min 0.08-1.16; ORCHIDEE-MICT Eurasia 0.081)",
        "p_min: the equilibrium thawed fraction tends to -p_min for strong cooling (shape: small "
        "values give a slow start of thaw)",
        prior=Prior(
            "lognormal",
            0.1,
            0.8,
            "pthaw_min of the 8 fits of Gasser et al. (2018), 0.08-1.16",
        ),
    ),
    permafrost(
        "permafrost_thaw_shape",
        2.3,
        "1",
        (0.1, 10.0),
        _CALIB + " (k_pthaw 1.4-2.3, outliers 0.36 and 8.4; JSBACH Eurasia 2.30)",
        "k: shape exponent of the generalised logistic equilibrium thawed fraction",
        prior=Prior(
            "lognormal",
            2.3,
            0.3,
            "k_pthaw of the 8 fits of Gasser et al. (2018), 1.4-2.3 (outliers 0.36, 8.4)",
        ),
    ),
    permafrost(
        "permafrost_thaw_rate",
        0.5,
        "yr-1",
        (0.01, 10.0),
        _GASSER + ": v_thaw 0.27-0.60 (one fit 4.9), median 0.5",
        "v_thaw: rate at which the thawed fraction approaches its equilibrium while thawing",
        prior=Prior(
            "lognormal",
            0.5,
            0.4,
            "v_thaw of the 8 fits of Gasser et al. (2018), 0.27-0.60 (one outlier 4.9)",
        ),
    ),
    permafrost(
        "permafrost_refreeze_rate",
        0.045,
        "yr-1",
        (0.0, 1.0),
        _GASSER + ": v_froz 0.033-0.061 (JSBACH 0), median 0.045",
        "v_froz: rate at which the thawed fraction approaches its equilibrium while refreezing",
        prior=Prior(
            "lognormal",
            0.045,
            0.3,
            "v_froz of the 6 non-zero fits of Gasser et al. (2018), 0.033-0.061",
        ),
    ),
    permafrost(
        "permafrost_fast_fraction",
        0.025,
        "1",
        (0.0, 1.0),
        _CALIB + " (share of the first box, p_pf_thaw, 0.03-0.29, or 1)",
        "f_fast: share of newly thawed carbon entering the fast thawed pool (rest: slow pool)",
        prior=Prior(
            "lognormal",
            0.025,
            0.8,
            "share of the fastest box in the fits of Gasser et al. (2018), 0.03-0.29; labile "
            "fraction of permafrost carbon in incubations, a few % (Schaedel et al. 2014, "
            "Glob. Change Biol. 20, 641)",
        ),
    ),
    permafrost(
        "permafrost_fast_turnover_time",
        500.0,
        "yr",
        (1.0, 20000.0),
        _CALIB + " (first-box t_pf_thaw 8-9400 yr)",
        "tau_fast: turnover time of the fast thawed pool at pre-industrial local temperature",
        prior=Prior(
            "lognormal",
            500.0,
            0.8,
            "t_pf_thaw of the fastest boxes of Gasser et al. (2018), 8-9400 yr (JULES 156-1970 yr)",
        ),
    ),
    permafrost(
        "permafrost_slow_turnover_time",
        7500.0,
        "yr",
        (10.0, 100000.0),
        _CALIB + " (second-box t_pf_thaw 89-23400 yr)",
        "tau_slow: turnover time of the slow thawed pool at pre-industrial local temperature",
        prior=Prior(
            "lognormal",
            7500.0,
            0.6,
            "t_pf_thaw of the second boxes of Gasser et al. (2018), 89-23400 yr (JULES "
            "3160-5370 yr)",
        ),
    ),
    permafrost(
        "permafrost_respiration_sensitivity",
        0.4,
        "K-1",
        (0.0, 1.0),
        _CALIB + " (effective k_resp_pf (g_respT_pf + g_respT2_pf T_L) 0.07-0.51 at T_L = 8 K)",
        "kappa: decomposition of thawed carbon scales with exp(kappa T_L) (Q10 = exp(10 kappa) "
        "per 10 K of local warming; lumps soil warming and active-layer deepening)",
        prior=Prior(
            "lognormal",
            0.4,
            0.25,
            "effective kappa of the 8 fits of Gasser et al. (2018), k_resp_pf (g_respT_pf + "
            "g_respT2_pf T_L) at T_L = 8 K: 0.07-0.51 (ORCHIDEE-MICT and JULES 0.29-0.51)",
        ),
    ),
    permafrost(
        "permafrost_ch4_fraction",
        0.023,
        "1",
        (0.0, 0.2),
        "Gasser et al. (2018) p_pf_CH4 best 2.3 % (sensitivity 0-4.6 %), after Schuur et al. "
        "(2015) Nature 520, 171, doi:10.1038/nature14338; Woodard et al. (2021) GMD 14, 4751",
        "f_CH4: share of the decomposed permafrost carbon emitted as CH4 (the rest as CO2)",
        prior=Prior(
            "lognormal",
            0.023,
            0.35,
            "Gasser et al. (2018): 2.3 %, doubled (4.6 %) as the high case",
        ),
    ),
    switch(
        "switch_permafrost",
        1.0,
        source="model switch",
        description="1: permafrost carbon thaws and decomposes (CO2 and CH4 emissions); "
        "0: permafrost carbon stays frozen",
    ),
)
