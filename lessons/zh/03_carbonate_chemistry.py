# %% [markdown]
# # 第 3 课 — 碳酸盐化学：为什么 CO2 升高时海洋吸收的比例变小
#
# **学习目标：** 学完本课后，你能够解释*雷维尔因子*（缓冲因子），
# 用模式输出 `ocean_dic` 和 `ocean_pco2` 说明它随 CO2 增大，
# 并解释为什么这使海洋在高排放的未来吸收的排放比例变小。
# 你将关闭非线性碳酸盐化学（`switch_carbonate_chemistry = 0`），观察会发生什么变化。
#
# 溶解到海水中的 CO2 大部分并不以溶解 CO2 的形式存在：它与碳酸根离子反应，
# CO2 + CO3²⁻ + H2O → 2 HCO3⁻。所有形态之和称为*溶解无机碳*（DIC）。随着 DIC 增加，
# 碳酸根离子被逐渐消耗，因此每增加一个单位的 DIC，表层海水 pCO2 上升得越来越多。
# 雷维尔因子度量的正是这一点：
#
# R = (ΔpCO2 / pCO2) / (ΔDIC / DIC)，
#
# 即 DIC 相对变化所引起的 pCO2 相对变化。R 越大，海洋越难吸收更多的碳。
# 图件写入 `ESM_LESSON_OUT`（默认 `lesson_figures/`）。代码、打印输出和图中文字为英文，
# 与英文版相同。

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import esm
from esm.constants import GTC_PER_PPM

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
for name in ("switch_carbonate_chemistry", "ocean_mixed_layer_depth"):
    row = table.loc[name]
    print(f"{name}: default {row['default']:g} [{row['units']}]; {row['description']}")

# %% [markdown]
# ## 1. 纯化学过程：1pctCO2-bgc 试验
#
# 在 `1pctCO2-bgc` 中，CO2 每年增加 1 %，但不产生辐射效应：没有升温，
# 因此海洋只对 CO2 和化学过程作出响应。我们运行两次：一次采用非线性碳酸盐化学（默认），
# 一次采用固定斜率 dpCO2/dDIC（关闭开关）。
#
# 模式记录的是混合层 DIC（`ocean_dic`，µmol/kg）和表层海水 pCO2（`ocean_pco2`，ppm）的*扰动量*。
# 计算 R 还需要绝对值；对于 DIC，我们假定一个典型的工业化前表层值（模式本身不记录该值）。

# %%
DIC_PI = 2000.0  # µmol/kg，典型的工业化前表层海水 DIC（假定值）
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
        inner = slice(1, -1)  # 数值导数的两个端点是单侧差分
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
# 采用非线性化学时，pCO2 随 DIC 变化的曲线向上弯曲：在高 CO2 下，同样的 DIC 增量使 pCO2 升高更多，
# 雷维尔因子增大。于是海洋只需吸收较少的碳就能接近与大气的平衡，其相对于大气增量的吸收量（右图）
# 下降。关闭开关后，斜率保持在工业化前的值，海洋吸收碳过于容易。
#
# （注意：该开关固定的是*斜率* dpCO2/dDIC，而不是 R 本身：斜率固定时，
# R = 斜率 × DIC / pCO2 甚至会随 pCO2 增大而减小，因此中间的图只画出了默认运行。）
#
# ## 2. 高排放的未来：SSP5-8.5
#
# 下面运行排放驱动的 SSP5-8.5 情景：模式根据排放计算 CO2，气候随之变暖。海洋每年吸收了多少排放？

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
# 比较打印出的比例。采用真实的化学过程时，海洋吸收的比例在本世纪内下降，CO2 最终更高；若斜率固定，
# 随着排放加速，这一比例甚至会上升。两者的差距在今天已经可见（表层 DIC 已经升高），
# 并随 CO2 增大而扩大。默认运行中比例下降的一部分另有原因：变暖的海洋溶解的 CO2 更少（溶解度效应）
# ，而海洋环流把碳输送到深层需要时间。
#
# ## 练习
#
# **练习 1.** 区分化学效应和温度效应。用 `params={"switch_ocean_solubility_temperature": 0}` 运行
# SSP5-8.5，再把两个开关都关闭运行一次。哪种效应使 2100 年的海洋碳减少得更多？*提示：* 比较四次运
# 行的 `d["ocean_carbon"].sel(year=2100)`。
#
# **练习 2.** 如果海洋混合层更深会怎样？用更大的 `ocean_mixed_layer_depth`（取值范围见
# `esm.params.table()`）运行 `1pctCO2-bgc`。*提示：* 同样的吸收量分布在更多的海水中，
# 因此 DIC 和雷维尔因子上升得更慢。
#
# **练习 3.** 排放下降时海洋还会继续吸收碳吗？画出 SSP1-2.6 到 2100 年的 `ocean_sink`。
# *提示：* 海洋碳汇取决于大气与表层海水 pCO2 之差，而不是排放本身。
