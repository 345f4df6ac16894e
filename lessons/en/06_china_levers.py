# %% [markdown]
# # Lesson 6 — China's carbon-neutrality levers
#
# **Learning goal:** after this lesson you can describe a national carbon-neutrality
# pathway as a set of *levers* (emission reduction, sink increase, carbon conservation,
# carbon sequestration and non-CO2 cuts), compute with the model how much global warming
# China's 2060 neutrality pledge avoids and how much each lever contributes, compare the
# result with the simple TCRE arithmetic, and test a change of one lever: 2 GtCO2/yr of
# CCUS instead of 1.
#
# `esm.china` composes a global scenario from the rest of the world (a background SSP minus
# China's share of it) and a China pathway built from levers. The *reference* is a China
# that keeps its share of SSP2-4.5; the effect of a pathway is always *pathway minus
# reference*, with the same model parameters, so the climate uncertainty largely cancels.
# The same calculation is available on the command line: `esm china neutral-2060`. Method
# and caveats: `docs/china.md`. Figures are written to `ESM_LESSON_OUT` (default
# `lesson_figures/`).

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from esm import china

if "ipykernel" not in sys.modules:
    plt.switch_backend("Agg")  # a script only writes PNG files; Jupyter keeps its inline plots
OUT = Path(os.environ.get("ESM_LESSON_OUT", "lesson_figures"))
OUT.mkdir(parents=True, exist_ok=True)


def save(fig, name):
    """Write a figure into OUT and say where it is."""
    path = OUT / name
    fig.savefig(path, dpi=120)
    print(f"figure written: {path}")


print("presets:", ", ".join(china.PRESETS))
print("levers of 'neutral-2060' that differ from the reference:")
ref_levers = china.preset("reference").as_dict()
for k, v in china.preset("neutral-2060").as_dict().items():
    if v != ref_levers[k]:
        lever = china.LEVERS[k]
        print(f"  {k:<20}{v!s:>8} {lever.units:<9} [{lever.group}] {lever.description}")

# %% [markdown]
# ## 1. The pathway, lever by lever
#
# `china.effect("neutral-2060", members=1)` runs the reference, the pathway and each lever
# group *alone* on top of the reference, with the default parameters. Its result holds
# China's net CO2 and the lever components for each case (`scenario` dimension) and the
# changes of global CO2, ERF and GSAT (`case` dimension).

# %%
eff = china.effect("neutral-2060", members=1)
years = slice(1990, 2100)
e = eff.sel(year=years)

fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
yr = e["year"].values
path = e.sel(scenario="pathway")
ax.plot(
    yr,
    e["china_co2_net"].sel(scenario="reference"),
    "--",
    color="k",
    lw=2,
    label="reference: China keeps its SSP2-4.5 share (net CO2)",
)
ax.plot(
    yr, path["china_gross_fossil"], color="#555555", lw=2, label="neutral-2060: gross fossil CO2"
)
ax.stackplot(
    yr,
    -path["china_ccus"],
    -path["china_ecosystem_sink"],
    -path["china_conservation"],
    labels=[
        "- CCUS (carbon sequestration)",
        "- extra ecosystem sink (sink increase)",
        "- avoided land-use losses (conservation)",
    ],
    colors=["#7570b3", "#1b9e77", "#a6761d"],
    alpha=0.8,
)
ax.plot(yr, path["china_co2_net"], color="#d7301f", lw=3, label="neutral-2060: net CO2")
ax.axhline(0, color="k", lw=0.8)
ax.set_xlabel("year")
ax.set_ylabel("China's CO2 emissions [GtCO2/yr]")
ax.set_title("China: reference and the 2060 neutrality pathway")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, ncol=2)
save(fig, "06_china_pathway.png")

for y in (2030, 2060, 2100):
    s = eff.sel(year=y)
    print(
        f"{y}: China net CO2 {float(s['china_co2_net'].sel(scenario='pathway')):5.2f} GtCO2/yr "
        f"(reference {float(s['china_co2_net'].sel(scenario='reference')):5.2f}); "
        f"cumulative avoided {float(s['cumulative_co2_avoided'].sel(case='pathway')):4.0f} GtCO2"
    )

# %% [markdown]
# Note that the pathway's net CO2 in the model does not fall to zero. National accounting
# counts China's *natural* land sink towards neutrality, but the model already simulates the
# natural sink globally, so only the *extra* ecosystem sink is a lever (`docs/china.md`).
#
# ## 2. How much warming is avoided, and by which lever?
#
# We also run a small ensemble (50 members of the calibrated posterior) for the whole
# pathway to see the uncertainty, and the simple TCRE estimate
# ΔT ≈ −TCRE × (cumulative CO2 avoided).

# %%
ens = china.effect("neutral-2060", members=50, breakdown=False)
cases = list(eff["case"].values)
colors = dict(zip(cases, ["#d7301f", "#555555", "#1b9e77", "#7570b3", "#e6ab02"], strict=False))
d = eff.sel(year=slice(2020, 2100))
band = ens["delta_gsat"].sel(case="pathway", year=slice(2020, 2100))

fig, (ax, bx) = plt.subplots(
    1, 2, figsize=(14, 5), layout="constrained", gridspec_kw={"width_ratios": [1.4, 1]}
)
ax.fill_between(
    d["year"],
    band.sel(percentile=5),
    band.sel(percentile=95),
    color="#d7301f",
    alpha=0.2,
    label="pathway, 5-95 % of 50 members",
)
for c in cases:
    ax.plot(
        d["year"],
        d["delta_gsat"].sel(case=c),
        color=colors[c],
        lw=3 if c == "pathway" else 1.8,
        label=f"{c} (default parameters)",
    )
ax.plot(
    d["year"],
    d["delta_gsat_tcre"].sel(case="pathway"),
    ":",
    color="k",
    lw=2,
    label="pathway, TCRE arithmetic",
)
ax.axhline(0, color="grey", lw=0.8)
ax.set_xlabel("year")
ax.set_ylabel("change of global surface air temperature [K]")
ax.set_title("Warming avoided by China's levers (each alone vs reference)")
ax.legend(fontsize=8, loc="lower left")

# CCUS: 2 GtCO2/yr instead of 1 (everything else as in neutral-2060)
ccus = {c: china.effect("neutral-2060", ccus=c, breakdown=False) for c in (1.0, 2.0)}
extra = float((ccus[2.0]["delta_gsat"] - ccus[1.0]["delta_gsat"]).sel(case="pathway", year=2100))
values = {c: float(eff["delta_gsat"].sel(case=c, year=2100)) for c in cases}
bars = {
    **values,
    "sum of the levers": sum(v for c, v in values.items() if c != "pathway"),
    "CCUS 2 instead of 1 GtCO2/yr": extra,
}
bar_colors = [colors.get(c, "#999999") for c in bars]
y = np.arange(len(bars))
bx.barh(y, list(bars.values()), color=bar_colors)
bx.set_yticks(y, list(bars))
bx.invert_yaxis()
bx.axvline(0, color="k", lw=0.8)
for i, v in enumerate(bars.values()):
    bx.text(v, i, f" {v:+.3f} ", va="center", ha="right" if v < 0 else "left", fontsize=8)
low = min(bars.values())
bx.set_xlim(1.35 * low, -0.1 * low)
bx.xaxis.set_major_locator(plt.MaxNLocator(4))
bx.set_xlabel("GSAT change in 2100 [K]")
bx.set_title("In 2100")
save(fig, "06_china_levers.png")

p = ens["delta_gsat"].sel(case="pathway", year=2100)
print(
    f"neutral-2060 vs reference, GSAT in 2100: {values['pathway']:+.3f} K (default parameters); "
    f"50 members: {float(p.sel(percentile=50)):+.3f} K "
    f"[{float(p.sel(percentile=5)):+.3f}, {float(p.sel(percentile=95)):+.3f}] (5-95 %)"
)
print(
    f"TCRE arithmetic: {float(eff['delta_gsat_tcre'].sel(case='pathway', year=2100)):+.3f} K "
    f"(TCRE {eff.attrs['tcre']:.2f} K per 1000 GtC)"
)
for c in cases[1:]:
    print(f"  {c:<22}{values[c]:+.3f} K")
print(f"  {'sum of the levers':<22}{bars['sum of the levers']:+.3f} K")
for c, r in ccus.items():
    s = r.sel(case="pathway", year=2100)
    print(
        f"CCUS {c:.0f} GtCO2/yr: GSAT {float(s['delta_gsat']):+.3f} K, "
        f"cumulative CO2 avoided {float(s['cumulative_co2_avoided']):.0f} GtCO2"
    )
print(f"2 instead of 1 GtCO2/yr of CCUS changes GSAT in 2100 by {extra:+.3f} K")

# %% [markdown]
# Emission reduction dominates; the extra sinks and CCUS add smaller amounts, and the
# non-CO2 group nearly cancels itself: cutting CH4 cools, but cutting SO2 removes aerosol
# cooling (Lesson 5). The levers add up almost exactly to the whole pathway because the
# model responds nearly linearly to such small changes. The TCRE arithmetic gives almost
# the same answer as the full model (Lesson 2).
#
# ## Exercises
#
# **Exercise 1.** What if the peak comes later or higher? Run
# `china.effect("neutral-2060", co2_peak_year=2030, co2_peak=13.0)` and compare the 2100
# GSAT change. *Hint:* look at `cumulative_co2_avoided` too: the warming follows the
# cumulative emissions.
#
# **Exercise 2.** Compare the presets `"neutral-2060"` and `"1.5C"`. Which lever group
# differs most? *Hint:* `china.effect("1.5C", members=1)["delta_gsat"].sel(year=2100)`.
#
# **Exercise 3.** How much does the background world matter? Repeat the calculation with
# `background="ssp126"` and `background="ssp370"`. *Hint:* in a warmer world the same
# avoided CO2 acts on a different carbon cycle; compare the avoided warming per 1000 GtCO2
# avoided.
