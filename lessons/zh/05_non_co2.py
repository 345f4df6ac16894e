# %% [markdown]
# # 第 5 课 — 非 CO2 强迫因子与气溶胶掩盖效应
#
# **学习目标：** 学完本课后，你能够读懂历史时期各强迫因子的*有效辐射强迫*（ERF），
# 解释为什么气溶胶会*掩盖*一部分温室气体造成的升温（气溶胶掩盖效应），
# 并比较 SO2 排放停止与 CO2 排放降到零时温度分别如何变化。你还将学会修改情景数据集（Dataset）。
#
# 除 CO2 外，甲烷（CH4）、氧化亚氮（N2O）、卤代温室气体和臭氧也对气候产生强迫，它们使气候变暖；
# 气溶胶则主要起冷却作用：SO2 生成的硫酸盐颗粒散射太阳光（*气溶胶–辐射相互作用*，
# `erf_aerosol_ari`），并使云层更亮（*气溶胶–云相互作用*，`erf_aerosol_aci`）。
# 气溶胶在大气中只停留约一周，而 CO2 会停留数百年；这一差异是本课的关键。
# 图件写入 `ESM_LESSON_OUT`（默认 `lesson_figures/`）。代码、打印输出和图中文字为英文，
# 与英文版相同。

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt

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


# %% [markdown]
# ## 1. 1850–2022 年的 ERF 各分量
#
# 排放驱动的历史模拟（`esm.run("ssp245", end=2022)`）给出每种强迫因子相对于 1750 年的 ERF（单位 W
# m⁻²，即地球表面每平方米的瓦数）。

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
# ## 2. 今天气溶胶掩盖了多少升温？
#
# 我们修改情景：`esm.scenarios.load("ssp245")` 返回一个 Dataset，每种排放物种对应一个变量。
# 把气溶胶前体物（SO2、黑碳、有机碳、NH3）保持在 1750 年的水平，就得到一个没有人为气溶胶的世界；
# 两者 GSAT 之差就是被气溶胶掩盖的升温。

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
# ## 3. 2030 年停止 SO2 排放与 2030 年 CO2 排放归零的对比
#
# SSP2-4.5 的四个版本，2029 年以前完全相同：
#
# * 原始情景；
# * **停止 SO2：** 2030 年起 SO2 排放为零（例如在其他条件不变的情况下极快地淘汰燃煤——一个理想化的
#   情形）；
# * **CO2 归零：** 2030 年起化石燃料和土地利用 CO2 排放为零；
# * **两者同时**。


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
# 停止 SO2 排放后，气溶胶的大部分冷却作用在一年内消失，因为气溶胶在几天内就被冲刷出大气：
# 温度跃升并保持在较高水平。停止 CO2 排放并不能使温度迅速下降，
# 因为已经排放的 CO2 会在大气中停留数百年：升温大致停止增长（第 2 课，ZEC），
# 但 SSP2-4.5 中的其他强迫因子（甲烷，以及情景中已有的气溶胶减排）仍在改变温度。两者同时削减，
# 会因失去气溶胶掩盖效应而在短期内增暖。清洁的空气对健康至关重要；本课只是说明，
# 为什么其气候效应必须与 CO2 和甲烷减排统筹规划。
#
# ## 练习
#
# **练习 1.** 甲烷的寿命也较短（约十年）。增加一种情形：2030 年起 CH4 排放减半（`scen["ch4"]`），
# 同时停止 SO2 排放。甲烷减排能否弥补失去的气溶胶冷却？*提示：* 参照 `stop()` 函数，
# 用乘法代替置零。
#
# **练习 2.** 逐步而非突然地淘汰 SO2，例如从 2025 年到 2050 年线性减少。
# 峰值升温会改变吗？*提示：* 用 `np.clip((2050 - scen["year"]) / 25, 0, 1)` 构造系数，
# 并从 2025 年起乘以 SO2 排放。
#
# **练习 3.** 气溶胶 ERF 的不确定性很大。用更强的气溶胶–云效应重复第 3 节。
# *提示：* 气溶胶–云参数在 `esm.params.table().query("group == 'forcing'")` 中，
# 名称以 `aci_` 开头；在取值范围内改变缩放整个气溶胶–云 ERF 的那个参数，通过 `params=` 传入。
