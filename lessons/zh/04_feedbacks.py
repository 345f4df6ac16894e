# %% [markdown]
# # 第 4 课 — 碳–气候反馈：永久冻土、呼吸作用、溶解度
#
# **学习目标：** 学完本课后，你能够说出主要的碳–气候反馈，在模式中逐一关闭它们，
# 测量每种反馈在 SSP5-8.5 情景下到 2100 年增加了多少 CO2 和升温，
# 并用文字解释 C4MIP 的 β/γ 框架（碳–浓度反馈和碳–气候反馈）。
#
# 气候变暖会改变碳汇：
#
# * **土壤呼吸（Q10）：** 温度越高，微生物分解土壤有机碳越快，释放 CO2（温度每升高 10 K，
#   呼吸速率增大 Q10 倍）；
# * **海洋溶解度：** 暖水溶解的 CO2 更少，因此表层海水 pCO2 升高；
# * **永久冻土：** 北极冻土融化，融化后的碳分解为 CO2 和少量 CH4。
#
# 三者都在变暖时释放碳，从而进一步加剧变暖：它们是正反馈。与之相反的是*碳–浓度*反馈：
# 大气中 CO2 增多使植物生长加快（CO2 施肥效应），并使更多 CO2 进入海洋。
# 图件写入 `ESM_LESSON_OUT`（默认 `lesson_figures/`）。代码、打印输出和图中文字为英文，
# 与英文版相同。

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import esm

if "ipykernel" not in sys.modules:
    plt.switch_backend("Agg")  # 脚本只写出 PNG 文件；Jupyter 保留其内嵌图
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
# ## 1. 逐一关闭各个反馈
#
# 每次运行都是排放相同的、排放驱动的 SSP5-8.5 情景，只有一个开关不同。
# *默认运行减去关闭开关的运行*，就是该反馈造成的额外 CO2 和升温。
# `switch_carbon_cycle_sees_warming = 0` 一次性去掉所有碳–气候反馈（陆地和海洋感受不到变暖，
# 永久冻土也不融化）；作为对比，`switch_co2_fertilisation = 0` 去掉的是碳–浓度反馈的一部分。

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
# 碳–气候反馈为正（更多 CO2、更多升温），而 CO2 施肥效应是很强的负反馈：没有它，
# 陆地储存的碳会少得多。单个反馈之和并不完全等于所有反馈同时作用的结果，
# 因为每个反馈都会改变驱动其他反馈的升温。
#
# 到 2100 年已融化的永久冻土碳大部分尚未分解（比较打印出的碳库）：它们在几十年到几百年内逐渐分解，
# 因此即使升温停止，永久冻土在 2100 年之后仍会长期排放。
#
# ## 2. 用文字理解 C4MIP 的 β/γ 框架
#
# C4MIP（Friedlingstein 等，2006；Arora 等，2020）把陆地或海洋碳储量的变化 ΔC 分为响应 CO2 增加的
# 部分和响应升温的部分：
#
# ΔC = β · ΔCO2 + γ · ΔT
#
# * **β**（GtC/ppm），即*碳–浓度反馈*：CO2 每增加 1 ppm，陆地或海洋额外储存多少碳；
#   在 CO2 上升而气候不变暖的试验（`1pctCO2-bgc`）中测量。β > 0：碳汇抑制 CO2 的增加。
# * **γ**（GtC/K），即*碳–气候反馈*：每升温 1 度损失多少碳；
#   由完全耦合的 `1pctCO2` 试验与 bgc 试验之差得到。γ < 0：变暖释放碳。
#
# 下面是模式在 CO2 达到工业化前四倍时的数值（这些试验中永久冻土是关闭的，与大多数 C4MIP 模式一致）
# ：

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
# 这个估算说明了为什么碳–浓度反馈占主导：碳汇因 CO2 增加而储存的碳，是其因变暖而损失的碳的许多倍。
# 但碳–气候反馈的绝对量并不小：它相当于当今许多年的排放量（见上面打印的结果）。
#
# ## 练习
#
# **练习 1.** 永久冻土反馈的不确定性有多大？用更大和更小的 `permafrost_carbon_pi`（冻结的碳储量，
# 取值范围见 `esm.params.table()`）运行 SSP5-8.5，比较 2100 年的升温。*提示：* 其他参数保持默认，
# 查看 2020–2100 年 `permafrost_emissions_co2` 的总和。
#
# **练习 2.** 在低排放情景中这些反馈重要吗？对 SSP1-2.6 重复关闭开关的试验。
# *提示：* 反馈随升温而增大；比较两个情景中每升温 1 度所对应的额外升温。
#
# **练习 3.** CH4 寿命也是一种反馈吗？关闭 `switch_ch4_lifetime`，
# 比较 2100 年的 CH4（`ds["ch4"]`）和 GSAT。*提示：* CH4 寿命取决于温度，也取决于 CH4 浓度本身。
