# %% [markdown]
# # Lesson 1 — Where does the emitted CO2 go?
#
# **Learning goal:** after this lesson you can explain the *global carbon budget*: of every
# tonne of CO2 that fossil fuels and land-use change emit, part stays in the atmosphere (the
# *airborne fraction*), part is taken up by the land biosphere (the *land sink*) and part by
# the ocean (the *ocean sink*). You will compare the model with the Global Carbon Budget
# (GCB2021, Friedlingstein et al. 2022) and follow the cumulative carbon pools since 1750.
#
# Units: carbon fluxes are in GtC per year (1 GtC = 1 PgC); atmospheric CO2 in ppm. The first
# code cell prints the conversion factors to GtCO2 and from ppm to GtC. Run the script with
# `python lessons/en/01_carbon_budget.py` or open it in Jupyter with jupytext; figures are
# written to the folder named by the environment variable `ESM_LESSON_OUT` (default
# `lesson_figures/`).

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import esm
from esm import diagnostics, observations
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


print(f"1 ppm CO2 = {GTC_PER_PPM} GtC;  1 GtC = {GTCO2_PER_GTC} GtCO2")

# %% [markdown]
# ## 1. Run the historical period
#
# `esm.run("ssp245", end=2022)` is the emission-driven history: the model is given the CO2
# emissions of GCB2021 up to 2020 (then SSP2-4.5) and computes the CO2 concentration itself.
# The sinks are therefore *predictions* of the model, not inputs.

# %%
ds = esm.run("ssp245", end=2022)
model = diagnostics.carbon_budget(ds, 2011, 2020)
gcb = observations.gcb_budget(2011, 2020)

print(
    f"2011-2020 mean emissions (fossil + land use): model {model['emissions']:.2f} GtC/yr, "
    f"GCB2021 {gcb['emissions']:.2f} GtC/yr"
)
print(f"{'where the emissions go':<26}{'model':>10}{'GCB2021':>10}")
for key, label in [
    ("airborne_fraction", "atmosphere (airborne)"),
    ("land_fraction", "land sink"),
    ("ocean_fraction", "ocean sink"),
]:
    print(f"{label:<26}{model[key]:>10.1%}{gcb[key]:>10.1%}")
rest_model = 1 - model["airborne_fraction"] - model["land_fraction"] - model["ocean_fraction"]
rest_gcb = 1 - gcb["airborne_fraction"] - gcb["land_fraction"] - gcb["ocean_fraction"]
permafrost = float(ds["permafrost_emissions_co2"].sel(year=slice(2011, 2020)).mean())
print(f"{'emissions minus sinks':<26}{rest_model:>10.1%}{rest_gcb:>10.1%}")
print(
    f"GCB: the {rest_gcb:+.1%} is the 'budget imbalance', the error of the estimates. Model: "
    f"the sinks take up {-rest_model:.1%} more than was emitted because thawing permafrost "
    f"adds {permafrost:.3f} GtC/yr, a natural source not counted in the emissions."
)

# %% [markdown]
# Roughly half of the emissions stay in the air, and the land and ocean each take up about
# a quarter. The observed budget does not close exactly (the *budget imbalance*), the model's
# does: every GtC emitted ends up in one of its reservoirs.
#
# ## 2. The annual budget, 1960–2020
#
# In the left panel the sources (fossil fuel and land-use change) are stacked above zero and
# the sinks below zero; in a closed budget the two stacks mirror each other. The dashed lines
# are the GCB2021 estimates of each sink. The right panel shows the 2011–2020 shares.

# %%
years = slice(1960, 2020)
h = ds.sel(year=years)
obs = observations.load("gcb2021_budget").loc[1960:2020]
yr = h["year"].values

fig, (ax, bx) = plt.subplots(
    1, 2, figsize=(12, 4.8), layout="constrained", gridspec_kw={"width_ratios": [2.2, 1]}
)
ax.stackplot(
    yr,
    h["emissions_co2_fossil"],
    h["emissions_co2_landuse"],
    labels=["fossil CO2 (source)", "land-use change (source)"],
    colors=["#555555", "#b07a3b"],
    alpha=0.85,
)
sinks = [
    ("atmospheric_growth", "atmospheric growth", "#4a90d9"),
    ("land_sink", "land sink", "#3a9a4a"),
    ("ocean_sink", "ocean sink", "#1f4e8c"),
]
ax.stackplot(
    yr,
    *[-h[v] for v, _, _ in sinks],
    labels=[f"{label} (model)" for _, label, _ in sinks],
    colors=[c for _, _, c in sinks],
    alpha=0.6,
)
for v, label, c in sinks:
    ax.plot(obs.index, -obs[v], "--", color=c, lw=1.3, label=f"{label} (GCB2021)")
ax.axhline(0, color="k", lw=0.8)
ax.set_xlabel("year")
ax.set_ylabel("carbon flux [GtC/yr]  (sources > 0, sinks < 0)")
ax.set_title("Annual global carbon budget")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8, ncol=3)

labels = ["atmosphere", "land sink", "ocean sink"]
keys = ["airborne_fraction", "land_fraction", "ocean_fraction"]
x = np.arange(len(keys))
bx.bar(x - 0.2, [100 * model[k] for k in keys], 0.4, label="model", color="#4a90d9")
bx.bar(x + 0.2, [100 * gcb[k] for k in keys], 0.4, label="GCB2021", color="#999999")
for i, k in enumerate(keys):
    bx.text(i - 0.2, 100 * model[k] + 0.5, f"{100 * model[k]:.0f}", ha="center", fontsize=9)
    bx.text(i + 0.2, 100 * gcb[k] + 0.5, f"{100 * gcb[k]:.0f}", ha="center", fontsize=9)
bx.set_xticks(x, labels)
bx.set_ylabel("share of fossil + land-use emissions [%]")
bx.set_title("Where the emissions went, 2011-2020")
bx.legend()
save(fig, "01_annual_budget.png")

# %% [markdown]
# ## 3. The airborne fraction year by year
#
# The observed airborne fraction jumps from year to year: El Niño years, volcanic eruptions
# and droughts change the land sink. The model has no El Niño and no weather, so compare it
# with a 10-year running mean of the observations. It does feel the cooling after large
# volcanic eruptions (Agung 1963, Pinatubo 1991): cooler soils respire less, the land sink
# grows for a few years and the airborne fraction dips.

# %%
af_model = h["atmospheric_growth"] / (h["emissions_co2_fossil"] + h["emissions_co2_landuse"])
af_obs = obs["atmospheric_growth"] / (obs["fossil"] + obs["landuse"])
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
ax.plot(af_obs.index, af_obs, ".", color="#999999", label="GCB2021, single years")
ax.plot(
    af_obs.index, af_obs.rolling(10, center=True).mean(), color="k", label="GCB2021, 10-yr mean"
)
ax.plot(yr, af_model, color="#4a90d9", lw=2, label="model")
ax.set_xlabel("year")
ax.set_ylabel("airborne fraction [1]\n(atmospheric growth / emissions)")
ax.set_ylim(0, 1)
ax.set_title("Airborne fraction of CO2 emissions")
ax.legend()
save(fig, "01_airborne_fraction.png")
print(
    f"airborne fraction 1960-1969: model {float(af_model.sel(year=slice(1960, 1969)).mean()):.2f},"
    f" GCB2021 {float(af_obs.loc[1960:1969].mean()):.2f}"
)

# %% [markdown]
# ## 4. Cumulative pools since 1750
#
# Summing the annual fluxes gives the carbon that each reservoir has gained since 1750. The
# land is special: it *gains* carbon through the natural land sink (CO2 fertilisation) but
# *loses* carbon through deforestation, which is counted as the land-use emission. Its net
# change is the difference of the two.

# %%
c = ds.sel(year=slice(1750, 2020))
cum = {
    "fossil": c["emissions_co2_fossil"].cumsum("year"),
    "land use": c["emissions_co2_landuse"].cumsum("year"),
    "atmosphere": (c["co2"] - float(c["co2"][0])) * GTC_PER_PPM,
    "ocean": c["ocean_carbon"] - float(c["ocean_carbon"][0]),
    "land sink": c["land_sink"].cumsum("year"),
}
land_pools = c["carbon_vegetation"] + c["carbon_detritus"] + c["carbon_soil"]
net_land = float(land_pools[-1] - land_pools[0])

fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
cy = c["year"].values
ax.stackplot(
    cy,
    cum["fossil"],
    cum["land use"],
    labels=["fossil", "land use"],
    colors=["#555555", "#b07a3b"],
    alpha=0.85,
)
ax.stackplot(
    cy,
    -cum["atmosphere"],
    -cum["land sink"],
    -cum["ocean"],
    labels=["atmosphere", "land sink", "ocean"],
    colors=["#4a90d9", "#3a9a4a", "#1f4e8c"],
    alpha=0.7,
)
ax.axhline(0, color="k", lw=0.8)
ax.set_xlabel("year")
ax.set_ylabel("cumulative carbon since 1750 [GtC]\n(emitted > 0, taken up < 0)")
ax.set_title("Cumulative CO2 emissions and where they are stored")
ax.legend(loc="upper left")
save(fig, "01_cumulative_pools.png")

total = float(cum["fossil"][-1] + cum["land use"][-1])
print(f"emitted 1750-2020: {total:.0f} GtC = {total * GTCO2_PER_GTC:.0f} GtCO2")
for k in ("fossil", "land use", "atmosphere", "ocean", "land sink"):
    print(f"  {k:<11}{float(cum[k][-1]):7.0f} GtC  ({float(cum[k][-1]) / total:6.1%} of emissions)")
print(f"  net change of the land pools: {net_land:+.0f} GtC (land sink minus land-use losses)")
gcb_cum = observations.load("gcb2021_budget").loc[1850:2020].sum()
for v, label in [
    ("atmospheric_growth", "atmosphere"),
    ("ocean_sink", "ocean"),
    ("land_sink", "land sink"),
]:
    m = float(ds[v].sel(year=slice(1850, 2020)).sum())
    print(f"1850-2020 {label:<11} model {m:5.0f} GtC   GCB2021 {gcb_cum[v]:5.0f} GtC")

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Is the airborne fraction constant in time? Compute the shares for 1960–1969
# and for 1990–1999 and compare them with 2011–2020.
# *Hint:* `diagnostics.carbon_budget(ds, 1960, 1969)` and `observations.gcb_budget(...)`.
#
# **Exercise 2.** Where will the emissions go in a high-emission future? Run
# `esm.run("ssp585")` and `esm.run("ssp126")` and compute the shares for 2081–2100.
# *Hint:* in SSP1-2.6 the emissions fall steeply; what happens to the airborne fraction when
# the emissions are small but the sinks still respond to the CO2 already in the air?
#
# **Exercise 3.** Which process makes the land sink? Repeat the historical run with
# `params={"switch_co2_fertilisation": 0}` and look at the land sink and the CO2 in 2020.
# *Hint:* compare `ds["land_sink"]` of both runs, and `ds["co2"].sel(year=2019)` with the
# observed value, `observations.load("ghg_concentrations").loc[2019, "co2"]`.
