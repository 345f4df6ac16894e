# %% [markdown]
# # Lesson 2 — TCRE: why warming follows cumulative CO2 emissions
#
# **Learning goal:** after this lesson you can define the *transient climate response to
# cumulative CO2 emissions* (TCRE), read it off the idealised experiments `esm-1pctCO2` and
# `esm-flat10`, explain why warming is close to linear in cumulative emissions (effects
# that partly cancel), and say what the *zero emissions commitment* (ZEC) is.
#
# TCRE is the warming per 1000 GtC of cumulative CO2 emissions. It is the basis of the
# *remaining carbon budget*: if warming is proportional to the CO2 ever emitted, a
# temperature limit corresponds to a finite amount of CO2 that may still be emitted.
#
# The idealised experiments follow the CMIP protocol: only CO2 changes (no aerosols, no
# methane), starting from a pre-industrial steady state. Figures are written to
# `ESM_LESSON_OUT` (default `lesson_figures/`).

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import esm
from esm.constants import GTC_PER_PPM, GTCO2_PER_GTC

if "ipykernel" not in sys.modules:
    plt.switch_backend("Agg")  # a script only writes PNG files; Jupyter keeps its inline plots
OUT = Path(os.environ.get("ESM_LESSON_OUT", "lesson_figures"))
OUT.mkdir(parents=True, exist_ok=True)


def save(fig, name):
    """Write a figure into OUT and say where it is."""
    path = OUT / name
    fig.savefig(path, dpi=120)
    print(f"figure written: {path}")


# %% [markdown]
# ## 1. The metrics
#
# `esm.metrics.compute()` runs the standard experiments with the default parameters and
# returns, among others, TCRE (years 61–80 of 1pctCO2), ZEC50 and the change of the warming
# per unit emission along esm-flat10.

# %%
m = esm.metrics.compute()
tcre = m["tcre"]
print(f"TCRE  = {tcre:.2f} K per 1000 GtC = {tcre / GTCO2_PER_GTC:.2f} K per 1000 GtCO2")
print(f"ZEC50 = {m['zec50']:+.2f} K (50 years after emissions stop at 1000 GtC)")
print(f"TCR   = {m['tcr']:.2f} K,  ECS = {m['ecs']:.2f} K")
print(
    f"warming per emission along esm-flat10 changes by {m['tcre_change_flat10']:+.1%} "
    "between 200 and 1000 GtC"
)

# %% [markdown]
# ## 2. Warming against cumulative emissions
#
# Four emission-driven experiments:
#
# * `esm-1pctCO2`: the emissions that make CO2 rise by 1 % per year (they grow over time);
# * `esm-flat10`: a constant 10 GtC/yr for 100 years;
# * `esm-flat10-zec`: esm-flat10, then zero emissions;
# * `esm-1pct-brch-1000PgC`: esm-1pctCO2 until 1000 GtC are emitted, then zero emissions.
#
# If warming depends only on cumulative emissions, all curves lie on one straight line.

# %%
names = ["esm-1pctCO2", "esm-flat10-zec", "esm-1pct-brch-1000PgC"]
runs = {n: esm.experiments.run(n) for n in names}
runs["esm-flat10"] = esm.experiments.run("esm-flat10")

fig, axes = plt.subplots(1, 2, figsize=(13, 5.5), layout="constrained")
styles = {
    "esm-1pctCO2": ("#1f4e8c", "-"),
    "esm-flat10-zec": ("#d95f02", "-"),
    "esm-1pct-brch-1000PgC": ("#7570b3", "--"),
}
for ax, xmax in zip(axes, (4000, 1100), strict=True):
    for n, (color, ls) in styles.items():
        d = runs[n]
        ax.plot(d["cumulative_emissions_co2"], d["gsat"], ls, color=color, lw=2, label=n)
    x = np.linspace(0, xmax, 2)
    ax.plot(x, tcre * x / 1000, ":", color="k", label=f"TCRE line: {tcre:.2f} K per 1000 GtC")
    ax.set_xlabel("cumulative CO2 emissions since pre-industrial [GtC]")
    ax.set_ylabel("global surface air temperature change [K]")
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, 1.3 * tcre * xmax / 1000)
    ax.legend(loc="upper left")
axes[0].set_title("Warming against cumulative CO2 emissions")
axes[1].set_title("Zoom: up to 1100 GtC (vertical ends: after emissions stop)")
save(fig, "02_warming_vs_emissions.png")

for n in ("esm-1pctCO2", "esm-flat10"):
    d = runs[n]
    ratio = d["gsat"] / d["cumulative_emissions_co2"] * 1000
    at = {g: float(np.interp(g, d["cumulative_emissions_co2"], ratio)) for g in (500, 1000)}
    print(f"{n:<12} warming per 1000 GtC: {at[500]:.2f} K at 500 GtC, {at[1000]:.2f} K at 1000 GtC")

# %% [markdown]
# The curves are close to the straight line, but not on it: the warming per unit emission
# depends somewhat on how fast the CO2 is emitted and on how much has been emitted.
#
# ## 3. Why close to linear? Three factors
#
# Write the warming per unit cumulative emission as a product of three factors:
#
# warming / emissions = (ΔCO2 / emissions) × (ERF / ΔCO2) × (warming / ERF)
#
# 1. **airborne fraction** ΔCO2 / emissions: the share of the emitted carbon still in the
#    air; it falls while the sinks catch up with the rising CO2 and rises when they saturate;
# 2. **radiative efficiency** ERF / ΔCO2: the forcing per extra ppm; it *falls*, because the
#    CO2 forcing grows only with the logarithm of the concentration (the absorption bands
#    saturate);
# 3. **warming per forcing** warming / ERF: it *rises*, because the ocean heat uptake
#    slows down as the deep ocean warms, so more of the forcing shows up at the surface.
#
# Below, each factor is divided by its value at 250 GtC, along esm-1pctCO2.

# %%
d = runs["esm-1pctCO2"]
sel = d["cumulative_emissions_co2"] > 100
d = d.sel(year=sel)
cum = d["cumulative_emissions_co2"]
dco2 = d["co2"] - d.attrs["co2_pi"]
factors = {
    "airborne fraction (ΔCO2 / emissions)": dco2 * GTC_PER_PPM / cum,
    "radiative efficiency (ERF / ΔCO2)": d["erf"] / dco2,
    "warming per forcing (GSAT / ERF)": d["gsat"] / d["erf"],
    "product: GSAT / emissions": d["gsat"] / cum,
}
fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
colors = ["#1b9e77", "#d95f02", "#7570b3", "k"]
for (label, f), color in zip(factors.items(), colors, strict=True):
    rel = f / float(np.interp(250, cum, f))
    ax.plot(cum, rel, color=color, lw=3 if label.startswith("product") else 1.8, label=label)
ax.axhline(1, color="grey", lw=0.8)
ax.set_xlabel("cumulative CO2 emissions in esm-1pctCO2 [GtC]")
ax.set_ylabel("factor relative to its value at 250 GtC [1]")
ax.set_title("Compensating factors behind TCRE (esm-1pctCO2)")
ax.legend()
save(fig, "02_tcre_factors.png")

for label, f in factors.items():
    a, b = (float(np.interp(g, cum, f)) for g in (250, 2500))
    print(f"{label:<40} changes by {b / a - 1:+6.1%} from 250 to 2500 GtC")

# %% [markdown]
# The radiative efficiency falls strongly; the warming per forcing rises and the airborne
# fraction first falls and then rises. Their product changes much less than the radiative
# efficiency alone: this partial cancellation is why warming is close to linear in
# cumulative emissions.
#
# ## 4. Zero emissions commitment
#
# What happens when emissions stop? CO2 in the air starts to fall (the sinks keep working),
# which lowers the forcing, but the ocean has not yet caught up with the past forcing, which
# warms. The *zero emissions commitment* (ZEC) is the temperature change after emissions
# stop; ZEC50 is its value after 50 years.

# %%
fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
for n, color in (("esm-1pct-brch-1000PgC", "#7570b3"), ("esm-flat10-zec", "#d95f02")):
    d = runs[n]
    stop = int(d["year"][d["emissions_co2_fossil"] > 0].max()) + 1  # first zero-emission year
    after = d.sel(year=slice(stop - 1, None))
    t = after["year"] - stop
    ax.plot(t, after["gsat"] - float(after["gsat"][0]), color=color, lw=2, label=n)
    bx.plot(t, after["co2"], color=color, lw=2, label=n)
    zec = float(d["gsat"].sel(year=slice(stop + 40, stop + 59)).mean() - after["gsat"][0])
    print(
        f"{n:<22} first year without emissions: experiment year "
        f"{stop - esm.experiments.YEAR1 + 1}; GSAT change 41-60 years later: {zec:+.2f} K; "
        f"CO2 falls from {float(after['co2'][0]):.0f} to "
        f"{float(d['co2'].sel(year=stop + 50)):.0f} ppm in 50 years"
    )
ax.axhline(0, color="grey", lw=0.8)
ax.set_xlabel("years after emissions stop (0: first year without emissions)")
ax.set_ylabel("GSAT change since the last emitting year [K]")
ax.set_title("Zero emissions commitment")
ax.legend()
bx.set_xlabel("years after emissions stop (0: first year without emissions)")
bx.set_ylabel("atmospheric CO2 [ppm]")
bx.set_title("CO2 after emissions stop")
bx.legend()
save(fig, "02_zec.png")

# %% [markdown]
# In this model the temperature stays almost constant after emissions stop: the falling CO2
# forcing and the delayed ocean warming nearly cancel. This is why, to a good approximation,
# *warming stops when net CO2 emissions reach zero* (IPCC AR6 WGI SPM D.1.1). (The metric
# ZEC50 printed above uses a slightly different reference: a 20-year mean of 1pctCO2.)
#
# ## Exercises
#
# **Exercise 1.** How large is the remaining carbon budget for 1.5 °C? Use the model's TCRE
# and the cumulative emissions since 1850 from Lesson 1 (`esm.run("ssp245", end=2020)`) with
# its warming in 2020. *Hint:* (1.5 K − present warming) / TCRE × 1000 GtC; convert to GtCO2
# and remember that non-CO2 forcers use part of the budget.
#
# **Exercise 2.** Is TCRE uncertain? Compute it for a few members of the calibrated
# ensemble. *Hint:* `esm.metrics.table(members=50)` gives percentiles; which parameter
# (`esm.params.table()`) would you expect to matter most: the climate feedback or the ocean
# mixing?
#
# **Exercise 3.** Look at `esm-flat10-cdr` (emissions fall to −10 GtC/yr until the cumulative
# emissions are back at zero). Plot GSAT against cumulative emissions. Is the path the same
# on the way down as on the way up? *Hint:* plot `d["gsat"]` against
# `d["cumulative_emissions_co2"]` and look for a loop (hysteresis).
