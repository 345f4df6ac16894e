# %% [markdown]
# # Lesson 4 — Carbon–climate feedbacks: permafrost, respiration, solubility
#
# **Learning goal:** after this lesson you can name the main carbon–climate feedbacks, switch
# each one off in the model and measure how much CO2 and warming it adds by 2100 in
# SSP5-8.5, and explain the C4MIP β/γ framework (carbon–concentration and carbon–climate
# feedbacks) in words.
#
# A warmer climate changes the carbon sinks:
#
# * **soil respiration (Q10):** microbes decompose soil carbon faster when it is warmer,
#   releasing CO2 (respiration rises by a factor Q10 per 10 K);
# * **ocean solubility:** warm water dissolves less CO2, so the surface-ocean pCO2 rises;
# * **permafrost:** frozen soils in the Arctic thaw; the thawed carbon decomposes to CO2 and
#   a little CH4.
#
# All three release carbon when it warms, which warms further: positive feedbacks. Opposing
# them is the *carbon–concentration* feedback: more CO2 in the air makes plants grow more
# (CO2 fertilisation) and pushes more CO2 into the ocean. Figures are written to
# `ESM_LESSON_OUT` (default `lesson_figures/`).

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

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


table = esm.params.table()
switches = table[table["group"] == "switches"]
for name, row in switches.iterrows():
    print(f"{name:<36} {row['description']}")

# %% [markdown]
# ## 1. Switch the feedbacks off, one at a time
#
# Every run is the emission-driven SSP5-8.5 scenario with the same emissions; only one
# switch differs. The difference *default minus switched off* is the extra CO2 and warming
# that the feedback causes. `switch_carbon_cycle_sees_warming = 0` removes every
# carbon–climate feedback at once (land and ocean see no warming, and permafrost does not
# thaw); `switch_co2_fertilisation = 0` removes a part of the carbon–concentration feedback
# instead, for comparison.

# %%
experiments = {
    "default (all feedbacks)": {},
    "no permafrost": {"switch_permafrost": 0.0},
    "no Q10 respiration": {"switch_respiration_temperature": 0.0},
    "no ocean solubility": {"switch_ocean_solubility_temperature": 0.0},
    "no carbon-climate feedback (all)": {"switch_carbon_cycle_sees_warming": 0.0},
    "no CO2 fertilisation": {"switch_co2_fertilisation": 0.0},
}
runs = {k: esm.run("ssp585", params=p) for k, p in experiments.items()}
colors = dict(
    zip(experiments, ["k", "#7570b3", "#d95f02", "#1f78b4", "#e7298a", "#66a61e"], strict=True)
)

fig, axes = plt.subplots(1, 3, figsize=(16, 4.8), layout="constrained")
for k, d in runs.items():
    d = d.sel(year=slice(1950, 2100))
    lw = 2.5 if k.startswith("default") else 1.5
    axes[0].plot(d["year"], d["co2"], color=colors[k], lw=lw, label=k)
    axes[1].plot(d["year"], d["gsat"], color=colors[k], lw=lw, label=k)
d = runs["default (all feedbacks)"].sel(year=slice(1950, 2100))
axes[2].plot(
    d["year"],
    d["permafrost_emissions_co2"].cumsum("year"),
    color="#7570b3",
    lw=2,
    label="cumulative permafrost CO2 since 1950 (left axis)",
)
twin = axes[2].twinx()
twin.plot(
    d["year"],
    100 * d["permafrost_thawed_fraction"],
    color="#1b9e77",
    lw=2,
    label="thawed share of the permafrost carbon (right axis)",
)
twin.set_ylabel("thawed share of permafrost carbon [%]", color="#1b9e77")
twin.legend(fontsize=8, loc="center left")
axes[0].set_ylabel("atmospheric CO2 [ppm]")
axes[1].set_ylabel("GSAT change since 1850-1900 [K]")
axes[2].set_ylabel("cumulative permafrost CO2 emissions [GtC]", color="#7570b3")
axes[0].set_title("CO2, SSP5-8.5")
axes[1].set_title("Warming, SSP5-8.5")
axes[2].set_title("Permafrost in the default run")
for ax in axes:
    ax.set_xlabel("year")
    ax.legend(fontsize=8)
save(fig, "04_feedback_runs.png")

# %%
base = runs["default (all feedbacks)"].sel(year=2100)
print(f"default run in 2100: CO2 {float(base['co2']):.0f} ppm, GSAT {float(base['gsat']):.2f} K")
print(f"{'feedback (default minus switched off)':<40}{'CO2 [ppm]':>11}{'GSAT [K]':>10}")
effect = {}
for k, d in runs.items():
    if k.startswith("default"):
        continue
    d = d.sel(year=2100)
    effect[k] = (float(base["co2"] - d["co2"]), float(base["gsat"] - d["gsat"]))
    print(f"{k.replace('no ', ''):<40}{effect[k][0]:>+11.0f}{effect[k][1]:>+10.2f}")
parts = [effect[k] for k in ("no permafrost", "no Q10 respiration", "no ocean solubility")]
print(
    f"sum of the three single carbon-climate feedbacks: {sum(p[0] for p in parts):+.0f} ppm, "
    f"{sum(p[1] for p in parts):+.2f} K (all at once: "
    f"{effect['no carbon-climate feedback (all)'][0]:+.0f} ppm)"
)
pf = runs["default (all feedbacks)"].sel(year=slice(2020, 2100))
print(
    f"permafrost 2020-2100: {float(pf['permafrost_emissions_co2'].sum()):.0f} GtC as CO2 and "
    f"{float(pf['permafrost_emissions_ch4'].sum()):.0f} Mt CH4; thawed but not yet decomposed "
    f"in 2100: {float(pf['carbon_permafrost_thawed'].sel(year=2100)):.0f} GtC"
)

fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
labels = [k.replace("no ", "") for k in effect]
y = np.arange(len(labels))
bar_colors = [colors[k] for k in effect]
ax.barh(y, [v[0] for v in effect.values()], color=bar_colors)
bx.barh(y, [v[1] for v in effect.values()], color=bar_colors)
for a in (ax, bx):
    a.set_yticks(y, labels)
    a.axvline(0, color="k", lw=0.8)
    a.invert_yaxis()
ax.set_xlabel("extra CO2 in 2100 caused by the feedback [ppm]")
bx.set_xlabel("extra warming in 2100 caused by the feedback [K]")
ax.set_title("Feedback contribution to CO2 (SSP5-8.5)")
bx.set_title("Feedback contribution to GSAT (SSP5-8.5)")
bx.set_yticklabels([])
save(fig, "04_feedback_contributions.png")

# %% [markdown]
# The carbon–climate feedbacks are positive (more CO2, more warming) and CO2 fertilisation
# is strongly negative: without it the land would store much less carbon. The single
# feedbacks do not add up exactly to all of them together, because each one changes the
# warming that drives the others.
#
# Most of the permafrost carbon that has thawed by 2100 has not decomposed yet (compare the
# printed pools): it decomposes over decades to centuries, so the permafrost keeps emitting
# long after 2100, even if the warming stops.
#
# ## 2. The C4MIP β/γ framework in words
#
# C4MIP (Friedlingstein et al. 2006; Arora et al. 2020) splits the change of land or ocean
# carbon, ΔC, into a part that responds to the CO2 increase and a part that responds to the
# warming:
#
# ΔC = β · ΔCO2 + γ · ΔT
#
# * **β** (GtC per ppm), the *carbon–concentration feedback*: how much extra carbon the land
#   or ocean stores per ppm of CO2 increase, measured in a run in which CO2 rises but the
#   climate does not warm (`1pctCO2-bgc`). β > 0: the sinks work against the CO2 increase.
# * **γ** (GtC per K), the *carbon–climate feedback*: how much carbon is lost per degree of
#   warming, the difference between the fully coupled `1pctCO2` run and the bgc run.
#   γ < 0: warming releases carbon.
#
# The model's values at four times pre-industrial CO2 (the permafrost is off in these
# experiments, as in most C4MIP models):

# %%
m = esm.metrics.compute()
for key, unit in (
    ("beta_land", "GtC/ppm"),
    ("beta_ocean", "GtC/ppm"),
    ("gamma_land", "GtC/K"),
    ("gamma_ocean", "GtC/K"),
):
    print(f"{key:<12}{m[key]:+8.2f} {unit}   ({esm.metrics.METRICS[key][1]})")
dco2 = float(base["co2"]) - float(runs["default (all feedbacks)"]["co2"].sel(year=1850))
dt = float(base["gsat"])
beta = m["beta_land"] + m["beta_ocean"]
gamma = m["gamma_land"] + m["gamma_ocean"]
print(
    f"rough SSP5-8.5 arithmetic for 2100: beta x dCO2 = {beta * dco2:+.0f} GtC stored, "
    f"gamma x dT = {gamma * dt:+.0f} GtC lost to warming"
)
hist = runs["default (all feedbacks)"].sel(year=slice(2011, 2020))
today = float((hist["emissions_co2_fossil"] + hist["emissions_co2_landuse"]).mean())
print(
    f"the carbon lost to warming equals {-gamma * dt / today:.0f} years of the 2011-2020 "
    f"emissions ({today:.1f} GtC/yr)"
)

# %% [markdown]
# The arithmetic shows why the carbon–concentration feedback dominates: the sinks store
# many times more carbon because of the CO2 increase than they lose because of the warming.
# But the carbon–climate feedback is not small in absolute terms: it is comparable to many
# years of today's emissions (printed above).
#
# ## Exercises
#
# **Exercise 1.** How uncertain is the permafrost feedback? Run SSP5-8.5 with larger and
# smaller `permafrost_carbon_pi` (the frozen carbon, see `esm.params.table()` for its
# bounds) and compare the 2100 warming. *Hint:* keep everything else at the default and
# look at `permafrost_emissions_co2` summed over 2020–2100.
#
# **Exercise 2.** Do the feedbacks matter in a low-emission scenario? Repeat the switch-off
# experiment for SSP1-2.6. *Hint:* the feedbacks scale with the warming; compare the extra
# warming per degree of warming in both scenarios.
#
# **Exercise 3.** Is the CH4 lifetime a feedback too? Switch off `switch_ch4_lifetime` and
# compare CH4 (`ds["ch4"]`) and GSAT in 2100. *Hint:* the CH4 lifetime depends on the
# temperature and on the CH4 concentration itself.
