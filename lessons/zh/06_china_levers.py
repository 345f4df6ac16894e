# %% [markdown]
# # 第 6 课 — 中国碳中和的政策杠杆
#
# **学习目标：** 学完本课后，你能够把一个国家的碳中和路径描述为一组*杠杆*（减排、增汇、
# 保碳（避免土地利用碳损失）、碳封存以及非 CO2 减排），用模式计算中国 2060 年碳中和承诺能避免多少
# 全球升温、每个杠杆各贡献多少，把结果与简单的 TCRE 估算相比较，并检验改变一个杠杆的效果：碳捕集、
# 利用与封存（CCUS）由每年 1 GtCO2 提高到 2 GtCO2。
#
# `esm.china` 把世界其他地区（背景 SSP 情景减去其中的中国份额）
# 与由杠杆构建的中国路径组合成一个全球情景。*参考情景*是中国保持其在 SSP2-4.5 中所占份额；
# 一条路径的效果总是*路径减去参考情景*，二者使用相同的模式参数，
# 因此气候不确定性在很大程度上相互抵消。同样的计算也可以在命令行中完成：`esm china neutral-2060`。
# 方法与注意事项见 `docs/china.md`。图件写入 `ESM_LESSON_OUT`（默认 `lesson_figures/`）。代码、
# 打印输出和图中文字为英文，与英文版相同（图中 emission reduction = 减排，sink increase = 增汇，
# carbon conservation = 保碳，carbon sequestration = 碳封存，non-CO2 = 非 CO2）。

# %%
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from esm import china

if "ipykernel" not in sys.modules:
    plt.switch_backend("Agg")  # 脚本只写出 PNG 文件；Jupyter 保留其内嵌图
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
# ## 1. 逐个杠杆看路径
#
# `china.effect("neutral-2060", members=1)` 用默认参数运行参考情景、完整路径，
# 以及在参考情景上*单独*施加的每组杠杆。结果包含每种情形下中国的 CO2 净排放和各杠杆分量（
# `scenario` 维），以及全球 CO2、ERF 和 GSAT 的变化（`case` 维）。

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
# 注意：模式中该路径的 CO2 净排放并没有降到零。国家核算把中国的*自然*陆地碳汇计入碳中和，
# 而模式已经在全球尺度上模拟了自然碳汇，因此只有*额外的*生态系统碳汇才算作杠杆（见 `docs/china.md`
# ）。
#
# ## 2. 避免了多少升温？各杠杆贡献多少？
#
# 我们还对完整路径运行一个小集合（校准后验分布中的 50 个成员）以了解不确定性，
# 并给出简单的 TCRE 估算：ΔT ≈ −TCRE × （避免的累积 CO2 排放）。

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

# CCUS：每年 2 GtCO2 而不是 1（其余与 neutral-2060 相同）
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
# 减排占主导；额外碳汇和 CCUS 的贡献较小，而非 CO2 组几乎自相抵消：削减 CH4 使气候变冷，
# 但削减 SO2 去除了气溶胶的冷却作用（第 5 课）。各杠杆之和几乎恰好等于完整路径的效果，
# 因为模式对这样小的变化近似线性响应。TCRE 估算给出的结果与完整模式几乎相同（第 2 课）。
#
# ## 练习
#
# **练习 1.** 如果达峰更晚或峰值更高会怎样？运行
# `china.effect("neutral-2060", co2_peak_year=2030, co2_peak=13.0)`，比较 2100 年的 GSAT 变化。
# *提示：* 同时查看 `cumulative_co2_avoided`：升温跟随累积排放。
#
# **练习 2.** 比较预设路径 `"neutral-2060"` 和 `"1.5C"`。
# 哪一组杠杆差别最大？*提示：* `china.effect("1.5C", members=1)["delta_gsat"].sel(year=2100)`。
#
# **练习 3.** 背景世界的影响有多大？用 `background="ssp126"` 和 `background="ssp370"` 重复计算。
# *提示：* 在更暖的世界中，同样避免的 CO2 作用于不同状态的碳循环；
# 比较每避免 1000 GtCO2 所避免的升温。
