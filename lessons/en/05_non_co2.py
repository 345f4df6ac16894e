# %% [markdown]
# # Lesson 5 — Non-CO2 forcers and aerosol masking
#
# **Learning goal:** after this lesson you can read the *effective radiative forcing* (ERF)
# of each agent over the historical period, explain why aerosols *mask* part of the
# greenhouse warming, and compare what happens to the temperature when SO2 emissions stop
# with what happens when CO2 emissions reach zero. You will also learn to edit a scenario
# Dataset.
#
# Besides CO2, the climate is forced by methane (CH4), nitrous oxide (N2O), halogenated gases
# and ozone, which warm, and by aerosols, which mostly cool: sulfate particles from SO2
# scatter sunlight (*aerosol–radiation interaction*, `erf_aerosol_ari`) and make clouds
# brighter (*aerosol–cloud interaction*, `erf_aerosol_aci`). Aerosols stay in the air for
# only about a week, while CO2 stays for centuries; this difference is the key to the lesson.
# Figures are written to `ESM_LESSON_OUT` (default `lesson_figures/`).

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt

import esm

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
# ## 1. ERF components, 1850–2022
#
# The emission-driven history (`esm.run("ssp245", end=2022)`) gives the ERF of every agent
# relative to 1750 (in W m⁻², watts per square metre of the Earth's surface).

# %%
hist = esm.run("ssp245", end=2022)
components = {
    "erf_co2": ("CO2", "#000000"),
    "erf_ch4": ("CH4", "#d95f02"),
    "erf_n2o": ("N2O", "#7570b3"),
    "erf_halogens": ("halogenated gases", "#e7298a"),
    "erf_ozone": ("ozone", "#66a61e"),
    "erf_other": ("other (strat. H2O, land use, BC on snow, contrails)", "#a6761d"),
    "erf_aerosol_ari": ("aerosol-radiation (ari)", "#1f78b4"),
    "erf_aerosol_aci": ("aerosol-cloud (aci)", "#a6cee3"),
}
h = hist.sel(year=slice(1850, 2022))
fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
for v, (label, color) in components.items():
    ax.plot(h["year"], h[v], color=color, lw=1.8, label=label)
ax.plot(h["year"], h["erf_anthropogenic"], color="red", lw=3, label="total anthropogenic")
ax.axhline(0, color="grey", lw=0.8)
ax.set_xlabel("year")
ax.set_ylabel("effective radiative forcing relative to 1750 [W m-2]")
ax.set_title("ERF by agent, emission-driven history")
ax.legend(fontsize=8, loc="upper left")
save(fig, "05_erf_components.png")

y = hist.sel(year=2019)
print("ERF in 2019 [W m-2]:")
for v, (label, _) in components.items():
    print(f"  {label:<52}{float(y[v]):+.3f}")
ghg = float(y["erf_co2"] + y["erf_ch4"] + y["erf_n2o"] + y["erf_halogens"])
aer = float(y["erf_aerosol"])
print(f"  {'total anthropogenic':<52}{float(y['erf_anthropogenic']):+.3f}")
print(f"the aerosols offset {-aer / ghg:.0%} of the well-mixed greenhouse-gas ERF ({ghg:.2f})")

# %% [markdown]
# ## 2. How much warming do aerosols hide today?
#
# We edit the scenario: `esm.scenarios.load("ssp245")` returns a Dataset with one variable
# per emitted species. Holding the aerosol precursors (SO2, black and organic carbon, NH3)
# at their 1750 values gives a world without anthropogenic aerosols; the difference in
# GSAT is the warming that they mask.

# %%
AEROSOL_SPECIES = ["so2", "bc", "oc", "nh3"]
scen = esm.scenarios.load("ssp245")
print(f"species in the scenario: {', '.join(list(scen.data_vars)[:12])}, ...")
print(
    f"SO2 emissions in 2020: {float(scen['so2'].sel(year=2020)):.0f} {scen['so2'].attrs['units']}"
)

clean = scen.copy(deep=True)
for v in AEROSOL_SPECIES:
    clean[v][:] = float(clean[v].sel(year=1750))
no_aerosol = esm.run(clean, end=2022)
masked = float((no_aerosol["gsat"] - hist["gsat"]).sel(year=slice(2011, 2020)).mean())
print(
    f"GSAT 2011-2020: {float(hist['gsat'].sel(year=slice(2011, 2020)).mean()):.2f} K with "
    f"aerosols, {masked:+.2f} K more without anthropogenic aerosols"
)

# %% [markdown]
# ## 3. SO2 stops in 2030 versus CO2 reaches zero in 2030
#
# Four versions of SSP2-4.5, all identical until 2029:
#
# * the unchanged scenario;
# * **SO2 stops:** SO2 emissions set to zero from 2030 on (e.g. a very fast coal phase-out
#   with no other change — an idealised case);
# * **CO2 zero:** fossil and land-use CO2 emissions set to zero from 2030 on;
# * **both** of them.


# %%
def stop(ds, species, year):
    """A copy of the scenario with the emissions of `species` set to zero from `year` on."""
    out = ds.copy(deep=True)
    for v in species:
        out[v].loc[{"year": slice(year, None)}] = 0.0
    return out


STOP = 2030
cases = {
    "SSP2-4.5": scen,
    f"SO2 stops in {STOP}": stop(scen, ["so2"], STOP),
    f"CO2 zero from {STOP}": stop(scen, ["co2_fossil", "co2_landuse"], STOP),
    "both": stop(scen, ["so2", "co2_fossil", "co2_landuse"], STOP),
}
runs = {k: esm.run(s, end=2100) for k, s in cases.items()}
colors = dict(zip(cases, ["k", "#1f78b4", "#d95f02", "#7570b3"], strict=True))

fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
for k, d in runs.items():
    d = d.sel(year=slice(2000, 2100))
    ax.plot(d["year"], d["gsat"], color=colors[k], lw=2, label=k)
ref = runs["SSP2-4.5"].sel(year=slice(2000, 2100))
for k, v, label in (
    (f"SO2 stops in {STOP}", "erf_aerosol", "aerosol ERF"),
    (f"CO2 zero from {STOP}", "erf_co2", "CO2 ERF"),
    ("both", "erf", "total ERF"),
):
    d = runs[k].sel(year=slice(2000, 2100))
    bx.plot(d["year"], d[v] - ref[v], color=colors[k], lw=2, label=f"{k}: {label}")
ax.axvline(STOP, color="grey", lw=0.8)
ax.set_xlabel("year")
ax.set_ylabel("GSAT change since 1850-1900 [K]")
ax.set_title(f"Warming after emissions change in {STOP}")
ax.legend()
bx.axvline(STOP, color="grey", lw=0.8)
bx.axhline(0, color="grey", lw=0.8)
bx.set_xlabel("year")
bx.set_ylabel("ERF difference from SSP2-4.5 [W m-2]")
bx.set_title("What changes in the forcing")
bx.legend()
save(fig, "05_so2_vs_co2_stop.png")

ref = runs["SSP2-4.5"]
for k, d in runs.items():
    if k == "SSP2-4.5":
        continue
    diff = (d["gsat"] - ref["gsat"]).sel(year=slice(STOP, 2100))
    peak = int(diff["year"][int(abs(diff).argmax("year"))])
    print(
        f"{k:<18} GSAT change vs SSP2-4.5: {float(diff.sel(year=STOP + 10)):+.2f} K after 10 "
        f"years, {float(diff.sel(year=2100)):+.2f} K in 2100 "
        f"(largest {float(diff.sel(year=peak)):+.2f} K in {peak})"
    )
for k in (f"CO2 zero from {STOP}", "both"):
    d = runs[k]
    print(
        f"{k:<18} GSAT {float(d['gsat'].sel(year=STOP)):.2f} K in {STOP}, "
        f"{float(d['gsat'].sel(year=2100)):.2f} K in 2100"
    )

# %% [markdown]
# Stopping SO2 removes most of the aerosol cooling within a year, because aerosols are
# washed out of the air within days: the temperature jumps up and stays higher. Stopping CO2
# does not lower the temperature quickly, because the CO2 already emitted stays in the air
# for centuries: the warming roughly stops rising (Lesson 2, ZEC) but the other forcers of
# SSP2-4.5 (methane, and the aerosol decline already in the scenario) keep changing the
# temperature. Cutting both at once gives a short-term warming from the lost aerosol
# masking. Cleaner air is essential for health; this lesson only shows why its climate
# effect must be planned together with CO2 and methane cuts.
#
# ## Exercises
#
# **Exercise 1.** Methane is short-lived too (about a decade). Add a case in which CH4
# emissions are halved from 2030 (`scen["ch4"]`) together with the SO2 stop. Can methane
# cuts compensate the lost aerosol cooling? *Hint:* use `stop()` as a model and multiply
# instead of setting to zero.
#
# **Exercise 2.** Phase SO2 out gradually instead of abruptly, e.g. linearly from 2025 to
# 2050. Does the peak warming change? *Hint:* build the factor with
# `np.clip((2050 - scen["year"]) / 25, 0, 1)` and multiply the SO2 emissions from 2025 on.
#
# **Exercise 3.** The aerosol ERF is very uncertain. Repeat section 3 with a stronger
# aerosol–cloud effect. *Hint:* the aerosol–cloud parameters are in
# `esm.params.table().query("group == 'forcing'")`, their names start with `aci_`; change
# the one that scales the whole aerosol–cloud ERF, within its bounds, with `params=`.
