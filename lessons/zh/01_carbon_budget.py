# %% [markdown]
# # 第 1 课 — 排放的 CO2 去了哪里？
#
# **学习目标：** 学完本课后，你能够解释*全球碳收支*：化石燃料和土地利用变化排放的每一吨 CO2 中，
# 一部分留在大气中（*空气传播分数*，也称空气中留存比例），一部分被陆地生物圈吸收（*陆地碳汇*），
# 一部分被海洋吸收（*海洋碳汇*）。你将把模式结果与全球碳收支（GCB2021，Friedlingstein 等，2022）
# 进行比较，并追踪 1750 年以来各碳库的累积变化。
#
# 单位：碳通量以 GtC/年 表示（1 GtC = 1 PgC）；大气 CO2 以 ppm 表示。
# 第一个代码单元会打印换算为 GtCO2 以及由 ppm 换算为 GtC 的系数。运行方式：
# `python lessons/zh/01_carbon_budget.py`，或用 jupytext 在 Jupyter 中打开；
# 图件写入环境变量 `ESM_LESSON_OUT` 指定的文件夹（默认 `lesson_figures/`）。代码、
# 打印输出和图中文字均为英文（与英文版完全相同的代码，且避免中文字体问题），正文为中文。

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
    plt.switch_backend("Agg")  # 脚本只写出 PNG 文件；Jupyter 保留其内嵌图
OUT = Path(os.environ.get("ESM_LESSON_OUT", "lesson_figures"))
OUT.mkdir(parents=True, exist_ok=True)


def save(fig, name):
    """Write a figure into OUT and say where it is."""
    path = OUT / name
    fig.savefig(path, dpi=120)
    print(f"figure written: {path}")


print(f"1 ppm CO2 = {GTC_PER_PPM} GtC;  1 GtC = {GTCO2_PER_GTC} GtCO2")

# %% [markdown]
# ## 1. 运行历史时期
#
# `esm.run("ssp245", end=2022)` 是排放驱动的历史模拟：模式输入 2020 年以前的 GCB2021 CO2 排放（之
# 后为 SSP2-4.5），并自行计算 CO2 浓度。因此各碳汇是模式的*预测*结果，而不是输入。

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
# 大约一半的排放留在大气中，陆地和海洋各吸收约四分之一。观测的碳收支并不完全闭合（*收支不平衡项*）
# ，而模式的收支是闭合的：排放的每一 GtC 都进入了模式的某个碳库。下面打印的表格中，
# `model` 为模式，`GCB2021` 为观测估算。
#
# ## 2. 逐年碳收支，1960–2020
#
# 左图中，碳源（化石燃料和土地利用变化）叠加在零线以上，碳汇叠加在零线以下；
# 收支闭合时两侧互为镜像。虚线为 GCB2021 对各碳汇的估算。右图为 2011–2020 年各部分所占比例。

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
# ## 3. 逐年的空气传播分数
#
# 观测的空气传播分数逐年跳动：厄尔尼诺年份、火山喷发和干旱都会改变陆地碳汇。模式中没有厄尔尼诺，
# 也没有天气变化，因此应与观测的 10 年滑动平均比较。但模式能感受到大型火山喷发（1963 年阿贡火山、
# 1991 年皮纳图博火山）后的降温：土壤变冷、呼吸减弱，陆地碳汇在几年内增强，空气传播分数随之下降。

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
# ## 4. 1750 年以来的累积碳库
#
# 把逐年通量累加，就得到 1750 年以来每个碳库获得的碳。陆地比较特殊：
# 它通过自然陆地碳汇（CO2 施肥效应）*获得*碳，又通过毁林*失去*碳（计入土地利用排放）。
# 陆地碳库的净变化是二者之差。

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
# ## 练习
#
# **练习 1.** 空气传播分数是否随时间不变？计算 1960–1969 年和 1990–1999 年的各部分比例，
# 并与 2011–2020 年比较。*提示：* 使用 `diagnostics.carbon_budget(ds, 1960, 1969)` 和
# `observations.gcb_budget(...)`。
#
# **练习 2.** 在高排放的未来，排放会去向何处？运行 `esm.run("ssp585")` 和 `esm.run("ssp126")`，
# 计算 2081–2100 年的各部分比例。*提示：* 在 SSP1-2.6 中排放急剧下降；当排放很小、
# 而碳汇仍在响应大气中已有的 CO2 时，空气传播分数会怎样？
#
# **练习 3.** 陆地碳汇由哪个过程产生？用 `params={"switch_co2_fertilisation": 0}` 重新运行历史模拟
# ，观察陆地碳汇和 2019 年的 CO2。*提示：* 比较两次运行的 `ds["land_sink"]`，
# 并把 `ds["co2"].sel(year=2019)` 与观测值
# `observations.load("ghg_concentrations").loc[2019, "co2"]` 比较。
