# %% [markdown]
# # Lesson 3 — Carbonate chemistry: why the ocean's share shrinks as CO2 rises
#
# **Learning goal:** after this lesson you can explain the *Revelle (buffer) factor*, show
# with the model's outputs `ocean_dic` and `ocean_pco2` that it grows with CO2, and explain
# why this makes the ocean take up a smaller share of the emissions in a high-emission
# future. You will switch the non-linear carbonate chemistry off
# (`switch_carbonate_chemistry = 0`) and see what changes.
#
# CO2 that dissolves in sea water mostly does not stay as dissolved CO2: it reacts with
# carbonate ions, CO2 + CO3²⁻ + H2O → 2 HCO3⁻. The sum of all the forms is the *dissolved
# inorganic carbon* (DIC). The carbonate ions are used up as DIC rises, so each further unit
# of DIC raises the surface-ocean pCO2 more and more. The Revelle factor measures this:
#
# R = (ΔpCO2 / pCO2) / (ΔDIC / DIC),
#
# the relative change of pCO2 for a relative change of DIC. A large R means the ocean resists
# taking up more carbon. Figures are written to `ESM_LESSON_OUT` (default
# `lesson_figures/`).

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import esm
from esm.constants import GTC_PER_PPM

if "ipykernel" not in sys.modules:
    plt.switch_backend("Agg")  # a script only writes PNG files; Jupyter keeps its inline plots
OUT = Path(os.environ.get("ESM_LESSON_OUT", "lesson_figures"))
OUT.mkdir(parents=True, exist_ok=True)


def save(fig, name):
    """Write a figure into OUT and say where it is."""
    path = OUT / name
    fig.savefig(path, dpi=120)
    print(f"figure written: {path}")


table = esm.params.table()
for name in ("switch_carbonate_chemistry", "ocean_mixed_layer_depth"):
    row = table.loc[name]
    print(f"{name}: default {row['default']:g} [{row['units']}]; {row['description']}")

# %% [markdown]
# ## 1. Pure chemistry: the 1pctCO2-bgc experiment
#
# In `1pctCO2-bgc` CO2 rises by 1 % per year but is radiatively inert: there is no warming,
# so the ocean responds to CO2 and chemistry only. We run it twice, with the non-linear
# carbonate chemistry (default) and with a fixed slope dpCO2/dDIC (the switch off).
#
# The model carries the *perturbations* of mixed-layer DIC (`ocean_dic`, µmol/kg) and of
# surface-ocean pCO2 (`ocean_pco2`, ppm). To compute R we need the absolute values as well;
# for DIC we assume a typical pre-industrial surface value (the model does not carry it).

# %%
DIC_PI = 2000.0  # µmol/kg, typical pre-industrial surface-ocean DIC (an assumption)
cases = {
    "non-linear chemistry (default)": {},
    "fixed dpCO2/dDIC (switch off)": {"switch_carbonate_chemistry": 0.0},
}
colors = {"non-linear chemistry (default)": "#1f4e8c", "fixed dpCO2/dDIC (switch off)": "#d95f02"}
bgc = {k: esm.experiments.run("1pctCO2-bgc", params=p) for k, p in cases.items()}

fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
for k, d in bgc.items():
    d = d.sel(year=slice(1850, None))
    co2_pi = d.attrs["co2_pi"]
    dic, pco2 = d["ocean_dic"].values, d["ocean_pco2"].values
    axes[0].plot(dic, pco2, color=colors[k], lw=2, label=k)
    uptake = d["ocean_carbon"] / ((d["co2"] - co2_pi) * GTC_PER_PPM)
    axes[2].plot(d["co2"], uptake, color=colors[k], lw=2, label=k)
    if not cases[k]:
        revelle = np.gradient(pco2, dic) * (DIC_PI + dic) / (co2_pi + pco2)
        inner = slice(1, -1)  # the end points of a numerical derivative are one-sided
        axes[1].plot(d["co2"][inner], revelle[inner], color=colors[k], lw=2, label=k)
        for factor in (1, 2, 4):
            r = float(np.interp(factor * co2_pi, d["co2"], revelle))
            print(f"Revelle factor at {factor}x pre-industrial CO2: {r:.1f}")
axes[0].set_xlabel("mixed-layer DIC perturbation, ocean_dic [µmol/kg]")
axes[0].set_ylabel("surface-ocean pCO2 perturbation, ocean_pco2 [ppm]")
axes[0].set_title("pCO2 rises faster than DIC")
axes[1].set_xlabel("atmospheric CO2 [ppm]")
axes[1].set_ylabel(f"Revelle factor R [1]  (assumed DIC_PI = {DIC_PI:g} µmol/kg)")
axes[1].set_title("The Revelle factor grows with CO2")
axes[2].set_xlabel("atmospheric CO2 [ppm]")
axes[2].set_ylabel("cumulative ocean uptake / atmospheric increase [GtC/GtC]")
axes[2].set_title("Ocean uptake relative to the CO2 increase")
for ax in axes:
    ax.legend()
save(fig, "03_carbonate_chemistry.png")

for k, d in bgc.items():
    end = d.isel(year=-1)
    print(
        f"{k:<31} at {float(end['co2']):.0f} ppm: ocean has taken up "
        f"{float(end['ocean_carbon']):.0f} GtC, pCO2 perturbation {float(end['ocean_pco2']):.0f}"
        f" ppm for a DIC perturbation of {float(end['ocean_dic']):.0f} µmol/kg"
    )

# %% [markdown]
# With the non-linear chemistry the curve of pCO2 against DIC bends upwards: the same DIC
# increase raises pCO2 more at high CO2, and the Revelle factor grows. The ocean then has
# to take up less carbon to come close to the atmosphere, and its uptake per unit of
# atmospheric increase (right panel) falls. With the switch off, the slope stays at its
# pre-industrial value and the ocean keeps taking up carbon far too easily.
#
# (Note: the switch keeps the *slope* dpCO2/dDIC fixed, not R itself: with a fixed slope,
# R = slope × DIC / pCO2 would even fall as pCO2 grows, which is why only the default
# run is drawn in the middle panel.)
#
# ## 2. A high-emission future: SSP5-8.5
#
# Now the emission-driven SSP5-8.5 scenario, where the model computes CO2 from emissions and
# the climate warms. How much of each year's emissions does the ocean take up?

# %%
ssp = {k: esm.run("ssp585", params=p) for k, p in cases.items()}


def decadal_share(d, sink):
    """Sink as a share of fossil + land-use emissions, 10-year means."""
    e = (d["emissions_co2_fossil"] + d["emissions_co2_landuse"]).coarsen(year=10).mean()
    return (d[sink].coarsen(year=10).mean() / e).sel(year=slice(1950, 2100))


fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
for k, d in ssp.items():
    share = decadal_share(d.sel(year=slice(1950, 2099)), "ocean_sink")
    ax.plot(share["year"], 100 * share, "o-", color=colors[k], label=k)
    bx.plot(d["year"], d["co2"], color=colors[k], lw=2, label=k)
ax.set_xlabel("year (centre of the decade)")
ax.set_ylabel("ocean sink / (fossil + land-use emissions) [%]")
ax.set_title("Ocean share of the emissions, SSP5-8.5")
ax.legend()
bx.set_xlim(1950, 2100)
bx.set_xlabel("year")
bx.set_ylabel("atmospheric CO2 [ppm]")
bx.set_title("Atmospheric CO2, SSP5-8.5")
bx.legend()
save(fig, "03_ssp585_ocean_share.png")

for k, d in ssp.items():
    share = {
        p: float(d["ocean_sink"].sel(year=slice(*p)).sum())
        / float((d["emissions_co2_fossil"] + d["emissions_co2_landuse"]).sel(year=slice(*p)).sum())
        for p in ((2011, 2020), (2081, 2100))
    }
    print(
        f"{k:<31} ocean share 2011-2020 {share[(2011, 2020)]:.1%}, 2081-2100 "
        f"{share[(2081, 2100)]:.1%}; CO2 in 2100 {float(d['co2'].sel(year=2100)):.0f} ppm; "
        f"ocean carbon 2100 {float(d['ocean_carbon'].sel(year=2100)):.0f} GtC"
    )

# %% [markdown]
# Compare the printed shares. With the real chemistry the ocean's share falls during the
# century and CO2 ends higher; with a fixed slope the share would even rise as the emissions
# accelerate. The gap is already visible today (the surface DIC has already risen) and grows
# with CO2. Part of the decline in the default run has other causes: the warming ocean
# dissolves less CO2 (solubility), and the ocean circulation takes time to carry carbon to
# depth.
#
# ## Exercises
#
# **Exercise 1.** Separate chemistry from temperature. Run SSP5-8.5 with
# `params={"switch_ocean_solubility_temperature": 0}` and with both switches off. Which
# effect reduces the 2100 ocean carbon more? *Hint:* compare `d["ocean_carbon"].sel(year=2100)`
# of the four runs.
#
# **Exercise 2.** What if the ocean mixed layer were deeper? Run `1pctCO2-bgc` with a larger
# `ocean_mixed_layer_depth` (see `esm.params.table()` for its bounds). *Hint:* the same
# uptake is spread over more water, so DIC and the Revelle factor rise more slowly.
#
# **Exercise 3.** Does the ocean keep taking up carbon when emissions fall? Plot
# `ocean_sink` for SSP1-2.6 to 2100. *Hint:* the ocean sink follows the difference between
# atmospheric and surface-ocean pCO2, not the emissions themselves.
