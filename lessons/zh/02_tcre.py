# %% [markdown]
# # 第 2 课 — TCRE：为什么升温随累积 CO2 排放而变化
#
# **学习目标：** 学完本课后，你能够定义*瞬态气候响应与累积碳排放之比*（TCRE），
# 从理想化试验 `esm-1pctCO2` 和 `esm-flat10` 中读出它，解释为什么升温与累积排放近似成线性关系（几
# 种效应相互部分抵消），并说明什么是*零排放承诺*（ZEC）。
#
# TCRE 是每 1000 GtC 累积 CO2 排放造成的升温。它是*剩余碳预算*的基础：
# 如果升温与历史上排放的全部 CO2 成正比，那么一个温度上限就对应着一个有限的、
# 还可以排放的 CO2 总量。
#
# 理想化试验遵循 CMIP 规范：只有 CO2 变化（没有气溶胶，也没有甲烷），从工业化前的稳定状态出发。
# 图件写入 `ESM_LESSON_OUT`（默认 `lesson_figures/`）。代码、打印输出和图中文字为英文，
# 与英文版相同。

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import esm
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


# %% [markdown]
# ## 1. 指标
#
# `esm.metrics.compute()` 用默认参数运行标准试验，返回的指标包括 TCRE（1pctCO2 第 61–80 年）、
# ZEC50，以及沿 esm-flat10 单位排放升温的变化。

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
# ## 2. 升温与累积排放的关系
#
# 四个排放驱动的试验：
#
# * `esm-1pctCO2`：使 CO2 每年增加 1 % 的排放（排放随时间增长）；
# * `esm-flat10`：连续 100 年、每年恒定 10 GtC；
# * `esm-flat10-zec`：先进行 esm-flat10，之后零排放；
# * `esm-1pct-brch-1000PgC`：按 esm-1pctCO2 排放直到累计 1000 GtC，之后零排放。
#
# 如果升温只取决于累积排放，所有曲线都应落在同一条直线上。

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
# 这些曲线接近直线，但并不完全在直线上：单位排放造成的升温在一定程度上取决于 CO2 排放的快慢和已经
# 排放的总量。
#
# ## 3. 为什么接近线性？三个因子
#
# 把单位累积排放的升温写成三个因子的乘积：
#
# 升温 / 排放 = (ΔCO2 / 排放) × (ERF / ΔCO2) × (升温 / ERF)
#
# 1. **空气传播分数** ΔCO2 / 排放：排放的碳中仍留在大气中的比例；碳汇追赶上升的 CO2 时它下降，
#    碳汇趋于饱和时它上升；
# 2. **辐射效率** ERF / ΔCO2：每增加 1 ppm 的有效辐射强迫；它*下降*，
#    因为 CO2 强迫只随浓度的对数增长（吸收带趋于饱和）；
# 3. **单位强迫的升温** 升温 / ERF：它*上升*，因为深海变暖后海洋热吸收减慢，
#    更多的强迫体现为地表升温。
#
# 下面沿 esm-1pctCO2，把每个因子除以它在累积排放 250 GtC 时的值。

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
# 辐射效率明显下降；单位强迫的升温上升，空气传播分数先降后升。
# 它们的乘积比单独的辐射效率变化小得多：正是这种部分抵消，使升温与累积排放近似成线性关系。
#
# ## 4. 零排放承诺
#
# 排放停止后会发生什么？碳汇继续工作，大气 CO2 开始下降，强迫随之减小；
# 但海洋尚未完全响应过去的强迫，这又会使地表继续变暖。*零排放承诺*（ZEC）是排放停止后的温度变化；
# ZEC50 是停止排放 50 年后的值。

# %%
fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
for n, color in (("esm-1pct-brch-1000PgC", "#7570b3"), ("esm-flat10-zec", "#d95f02")):
    d = runs[n]
    stop = int(d["year"][d["emissions_co2_fossil"] > 0].max()) + 1  # 第一个零排放年份
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
# 在本模式中，排放停止后温度几乎保持不变：CO2 强迫的下降与海洋滞后的增暖几乎相互抵消。
# 这就是为什么在很好的近似下，*CO2 净排放达到零时升温就会停止*（IPCC AR6 第一工作组决策者摘要
# D.1.1）。（上面打印的 ZEC50 指标采用略有不同的参考值：1pctCO2 的 20 年平均。）
#
# ## 练习
#
# **练习 1.** 1.5 °C 的剩余碳预算有多大？利用模式的 TCRE，
# 以及第 1 课中 1850 年以来的累积排放（`esm.run("ssp245", end=2020)`）和 2020 年的升温。
# *提示：* (1.5 K − 当前升温) / TCRE × 1000 GtC；换算成 GtCO2，
# 并记住非 CO2 强迫因子会占用一部分预算。
#
# **练习 2.** TCRE 有多大的不确定性？对校准集合中的若干成员计算 TCRE。
# *提示：* `esm.metrics.table(members=50)` 给出百分位数；你认为哪个参数（见 `esm.params.table()`）
# 最重要：气候反馈参数还是海洋混合？
#
# **练习 3.** 观察 `esm-flat10-cdr`（排放降到 −10 GtC/年，直到累积排放回到零）。
# 画出 GSAT 随累积排放的变化。下降路径与上升路径相同吗？*提示：* 以
# `d["cumulative_emissions_co2"]` 为横轴画 `d["gsat"]`，看是否出现回环（滞后效应）。
