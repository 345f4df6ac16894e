"""MkDocs hooks: the pages and figures that are generated from the code at build time.

Registered in ``mkdocs.yml`` (``hooks: [docs/hooks.py]``). Nothing is written into the
repository: every generated page and figure is handed to MkDocs as an in-memory file
(``File.generated``, MkDocs >= 1.6) under the virtual folder ``generated/``, so it exists only
in the built site. What is generated:

* ``generated/parameters.md`` from :func:`esm.params.table` (every declared parameter);
* ``generated/outputs.md`` from :data:`esm.metadata.OUTPUTS` (the output table);
* ``generated/model-diagram.png``: boxes and fluxes of the model, drawn from :data:`BOXES`
  and :data:`FLUXES` below, whose every name is checked against :mod:`esm.kernels.layout`
  (state, output and parameter names); a state of the layout that no box holds fails the build;
* ``generated/validation.md`` and ``generated/figures/*.png`` from ``validation/report.md``
  and ``validation/figures/``;
* ``generated/first-run.png`` and the summary of ``esm run ssp245`` (placeholder
  ``<!-- esm-first-run -->``), run when the site is built;
* ``generated/lessons/{en,zh}/<name>.md`` from the percent-format scripts ``lessons/{en,zh}/*.py``
  (when ``lessons/`` exists), listed in the navigation by :func:`on_config`;
* the help text of each command (placeholder ``<!-- esm-help COMMAND -->``) from
  :func:`esm.cli.build_parser`, and a page ``generated/guide/<command>.md`` for every command
  of :data:`esm.cli.COMMANDS` that has no hand-written page yet.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.esm")

ROOT = Path(__file__).resolve().parent.parent
GEN = "generated"
LANGS = ("en", "zh")

# ------------------------------------------------------------------------------ process table
# The model's compartments and the fluxes between them. There is no process registry in the
# code yet, so this table names the code's own state, output and parameter names
# (esm.kernels.layout) and the build checks every one of them: a renamed or new state breaks
# the build until the diagram is updated.

#: key: (label, compartment, layout STATE_NAMES held by the box, (x, y) centre)
BOXES: dict[str, tuple[str, str, tuple[str, ...], tuple[float, float]]] = {
    "fossil": ("fossil &\nindustrial CO₂", "human", (), (1.6, 8.0)),
    "co2": ("CO₂", "atmosphere", ("co2_perturbation",), (5.6, 8.0)),
    "ch4": ("CH₄", "atmosphere", ("ch4",), (8.8, 8.0)),
    "n2o": ("N₂O", "atmosphere", ("n2o",), (12.2, 8.0)),
    "erf": ("radiative\nforcing", "forcing", (), (14.8, 8.0)),
    "veg": ("vegetation", "land", ("carbon_vegetation",), (1.6, 5.2)),
    "det": ("detritus", "land", ("carbon_detritus",), (1.6, 3.2)),
    "soil": ("soil", "land", ("carbon_soil",), (1.6, 1.2)),
    "mixed": (
        "mixed layer",
        "ocean",
        tuple(f"ocean_box{i}" for i in range(6)) + ("ocean_uptake",),
        (5.6, 4.6),
    ),
    "deep": ("deep ocean", "ocean", (), (5.6, 1.2)),
    "thawed": (
        "thawed\n(fast, slow)",
        "permafrost",
        ("permafrost_thawed_fast", "permafrost_thawed_slow"),
        (9.6, 4.6),
    ),
    "frozen": (
        "frozen",
        "permafrost",
        ("permafrost_frozen", "permafrost_thawed_fraction"),
        (9.6, 1.2),
    ),
    "t1": ("surface T₁\n(GSAT)", "energy balance", ("temperature_surface",), (14.8, 5.2)),
    "t2": ("intermediate T₂", "energy balance", ("temperature_intermediate",), (14.8, 3.2)),
    "t3": ("deep T₃", "energy balance", ("temperature_deep",), (14.8, 1.2)),
}

#: States that are bookkeeping, not a reservoir of their own (cumulative diagnostics).
BOOKKEEPING_STATES = (
    "cumulative_landuse",
    "cumulative_emissions",
    "cumulative_ocean_sink",
    "cumulative_land_sink",
    "cumulative_permafrost_ch4",
)

#: (from, to, label, code name, kind, curvature). The code name is an output of
#: layout.OUT_NAMES ("out:"), a parameter of layout.PARAM_NAMES ("param:") or a species of
#: layout.SPECIES_NAMES ("species:"). kind: carbon, gas, heat or coupling.
FLUXES: tuple[tuple[str, str, str, str, str, float], ...] = (
    ("fossil", "co2", "emissions", "out:emissions_co2_fossil", "carbon", 0.0),
    ("co2", "veg", "NPP", "out:npp", "carbon", 0.25),
    ("veg", "det", "litter", "param:vegetation_turnover_rate", "carbon", 0.0),
    ("det", "soil", "humification", "param:detritus_to_soil_rate", "carbon", 0.0),
    ("det", "co2", "Rₕ", "out:heterotrophic_respiration", "carbon", 0.15),
    ("soil", "co2", "", "out:heterotrophic_respiration", "carbon", 0.15),
    ("veg", "co2", "land use", "out:emissions_co2_landuse", "carbon", 0.25),
    ("co2", "mixed", "air-sea flux", "out:ocean_sink", "carbon", 0.0),
    ("mixed", "deep", "mixing (HILDA)", "param:ocean_mixing_time_scale", "carbon", 0.0),
    ("frozen", "thawed", "thaw", "param:permafrost_thaw_rate", "carbon", 0.0),
    ("thawed", "co2", "CO₂", "out:permafrost_emissions_co2", "carbon", 0.15),
    ("thawed", "ch4", "CH₄", "out:permafrost_emissions_ch4", "gas", 0.0),
    ("co2", "erf", "", "out:erf_co2", "coupling", 0.2),
    ("ch4", "erf", "", "out:erf_ch4", "coupling", 0.15),
    ("n2o", "erf", "", "out:erf_n2o", "coupling", 0.0),
    ("erf", "t1", "ERF", "out:erf", "heat", 0.0),
    ("t1", "t2", "", "param:heat_exchange_surface_intermediate", "heat", 0.0),
    ("t2", "t3", "", "param:heat_exchange_intermediate_deep", "heat", 0.0),
    ("t1", "thawed", "warming", "param:permafrost_warming_amplification", "coupling", 0.0),
)

#: Sinks drawn as an arrow out of a box: (box, label, code name).
SINKS: tuple[tuple[str, str, str], ...] = (
    ("ch4", "oxidation", "out:ch4_lifetime"),
    ("n2o", "photolysis", "param:n2o_lifetime_pi"),
    ("ch4", "emissions", "species:ch4"),
    ("n2o", "emissions", "species:n2o"),
)

def check_processes() -> list[str]:
    """Problems of :data:`BOXES`/:data:`FLUXES` against :mod:`esm.kernels.layout` (empty: ok)."""
    from esm.kernels import layout

    names = {
        "out": set(layout.OUT_NAMES),
        "param": set(layout.PARAM_NAMES),
        "species": set(layout.SPECIES_NAMES),
    }
    problems = []
    held = [s for _, _, states, _ in BOXES.values() for s in states]
    for s in held + list(BOOKKEEPING_STATES):
        if s not in layout.STATE_NAMES:
            problems.append(f"state {s!r} of docs/hooks.py is not in layout.STATE_NAMES")
    for s in layout.STATE_NAMES:
        if s not in held and s not in BOOKKEEPING_STATES:
            problems.append(f"layout state {s!r} is in no box of the model diagram (docs/hooks.py)")
    refs = [f[3] for f in FLUXES] + [s[2] for s in SINKS]
    for ref in refs:
        kind, _, name = ref.partition(":")
        if name not in names.get(kind, ()):
            problems.append(f"{ref!r} of docs/hooks.py is not a name of esm.kernels.layout")
    for a, b, *_ in FLUXES:
        for k in (a, b):
            if k not in BOXES:
                problems.append(f"flux end {k!r} is not a box")
    return problems


def draw_diagram() -> bytes:
    """PNG of the boxes and fluxes (:data:`BOXES`, :data:`FLUXES`, :data:`SINKS`), drawn by
    :func:`esm.figures.diagram.figure`."""
    from esm.figures import diagram, style

    return style.png(diagram.figure(BOXES, FLUXES, SINKS), 110, bbox_inches="tight")


def processes_markdown() -> str:
    """Tables of the boxes and fluxes with the code names they come from."""
    lines = [
        "| box | compartment | state variables (`esm.kernels.layout.STATE_NAMES`) |",
        "|---|---|---|",
    ]
    for label, comp, states, _ in BOXES.values():
        names = ", ".join(f"`{s}`" for s in states) or "–"
        lines.append(f"| {_plain(label)} | {comp} | {names} |")
    lines += [
        "",
        "| from | to | flux | code name |",
        "|---|---|---|---|",
    ]
    for a, b, label, ref, *_ in FLUXES:
        kind, _, name = ref.partition(":")
        where = {"out": "output", "param": "parameter", "species": "emission"}[kind]
        lines.append(
            f"| {_plain(BOXES[a][0])} | {_plain(BOXES[b][0])} | {_plain(label) or '–'} "
            f"| {where} `{name}` |"
        )
    lines.append("")
    lines.append(
        "Bookkeeping states (no reservoir of their own): "
        + ", ".join(f"`{s}`" for s in BOOKKEEPING_STATES)
        + "."
    )
    return "\n".join(lines)


def _plain(label: str) -> str:
    return label.replace("\n", " ")


# ------------------------------------------------------------------------------ tables
def _cell(value) -> str:
    text = "" if value is None else str(value)
    if text == "nan":
        text = ""
    return text.replace("|", "\\|").replace("\n", " ")


def _number(x) -> str:
    try:
        return f"{float(x):.6g}"
    except (TypeError, ValueError):
        return _cell(x)


def parameters_markdown() -> str:
    """The parameter page: every row of :func:`esm.params.table`, grouped."""
    import esm

    table = esm.params.table()
    out = [
        "# Parameters",
        "",
        "Generated from the declarations in `esm/params/` (`esm.params.table()`) when the site "
        f"is built: {len(table)} parameters in kernel order, grouped as declared. Change one with "
        "`esm.run(..., params={name: value})` or `esm run ... --set name=value`; a value outside "
        "the bounds is an error. *Prior* is the distribution the ensemble and sensitivity "
        "analysis draw from (empty: held at the default).",
        "",
    ]
    for group, rows in table.groupby("group", sort=False):
        out += [
            f"## {group}",
            "",
            "| name | default | units | bounds | description | source | prior |",
            "|---|---:|---|---|---|---|---|",
        ]
        for name, r in rows.iterrows():
            prior = _cell(r.get("prior"))
            if prior and _cell(r.get("prior_source")):
                prior += f" ({_cell(r.get('prior_source'))})"
            out.append(
                f'| <span id="{name}"></span>`{name}` | {_number(r["default"])} '
                f"| {_cell(r['units'])} | {_number(r['lower'])} to {_number(r['upper'])} "
                f"| {_cell(r['description'])} | {_cell(r['source'])} | {prior} |"
            )
        out.append("")
    return "\n".join(out)


def outputs_markdown() -> str:
    """The output page: every entry of :data:`esm.metadata.OUTPUTS`."""
    from esm import metadata

    kinds = {"mean": "annual mean", "total": "annual total", "end": "end of year"}
    out = [
        "# Output variables",
        "",
        "Generated from `esm.metadata.OUTPUTS` when the site is built. ★ marks the stable "
        "output contract; the others are diagnostics that may be added to. *netCDF units* are "
        "the UDUNITS form written to CF files (`esm.metadata.cf_units`); the substance a mass "
        "refers to is then named in `long_name`.",
        "",
        "| variable | units | netCDF units | meaning | kind | CF standard name |",
        "|---|---|---|---|---|---|",
    ]
    for name, var in metadata.OUTPUTS.items():
        try:
            cf, _ = metadata.cf_units(var.units)
        except ValueError:
            cf = var.units
        star = " ★" if var.public else ""
        std = f"`{var.standard_name}`" if var.standard_name else ""
        out.append(
            f"| `{name}`{star} | {_cell(var.units)} | {_cell(cf)} | {_cell(var.long_name)} "
            f"| {kinds.get(var.kind, var.kind)} | {std} |"
        )
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------ lessons
_CELL = re.compile(r"^# %%(.*)$")


def convert_lesson(source: str) -> str:
    """Markdown of a percent-format script: ``# %% [markdown]`` cells become Markdown (the
    leading ``# `` of each line removed), other cells fenced Python code; a jupytext header
    (``# ---`` ... ``# ---``) is dropped; links to sibling ``.py`` lessons point to their pages."""
    lines = source.splitlines()
    if lines and lines[0].strip() == "# ---":  # jupytext YAML header
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "# ---"), None)
        if end is not None:
            lines = lines[end + 1 :]
    cells: list[tuple[str, list[str]]] = [("code", [])]
    for line in lines:
        m = _CELL.match(line)
        if m:
            kind = "markdown" if re.search(r"\[(markdown|md)\]", m.group(1)) else "code"
            cells.append((kind, []))
        else:
            cells[-1][1].append(line)
    parts = []
    for kind, body in cells:
        text = "\n".join(body).strip("\n")
        if not text.strip():
            continue
        if kind == "markdown":
            doc = re.fullmatch(r'\s*(?:"""|\'\'\')(.*?)(?:"""|\'\'\')\s*', text, re.S)
            if doc:
                md = doc.group(1)
            else:
                md = "\n".join(
                    re.sub(r"^# ?", "", ln) if ln.startswith("#") else ln
                    for ln in text.splitlines()
                )
            md = re.sub(r"\]\(((?!https?:)[^)\s#]+)\.py(#[^)]*)?\)", r"](\1.md\2)", md)
            parts.append(md.strip("\n"))
        else:
            parts.append(f"```python\n{text}\n```")
    return "\n\n".join(parts) + "\n"


_lessons: dict[str, list[Path]] = {}


def lesson_scripts(lang: str) -> list[Path]:
    """The lesson scripts of ``lang``, listed once per build (the nav and the pages agree)."""
    if lang not in _lessons:
        folder = ROOT / "lessons" / lang
        _lessons[lang] = sorted(folder.glob("*.py")) if folder.is_dir() else []
    return _lessons[lang]


def _lesson_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^#\s*#\s+(.+)$", line)
        if m:
            return m.group(1).strip()
    return path.stem.replace("_", " ")


def lessons_index(lang: str) -> str:
    scripts = lesson_scripts(lang)
    if lang == "zh":
        head = ["# 课程", ""]
        intro = (
            "以下课程由 `lessons/zh/` 中的 percent 格式脚本（`# %%` 单元）在构建网站时转换而来；"
            "也可以直接用 `python lessons/zh/<名称>.py` 运行，或在 Jupyter/VS Code 中按单元运行。"
        )
        none = "本次构建中没有课程（仓库中没有 `lessons/zh/` 文件夹）。"
    else:
        head = ["# Lessons", ""]
        intro = (
            "Each lesson is a percent-format script in `lessons/en/` (cells marked `# %%`), "
            "converted to a page when the site is built. Run one with "
            "`python lessons/en/<name>.py`, or cell by cell in Jupyter or VS Code."
        )
        none = "There are no lessons in this build (the repository has no `lessons/en/` folder)."
    if not scripts:
        return "\n".join(head + [none, ""])
    items = [f"{i}. [{_lesson_title(p)}]({p.stem}.md)" for i, p in enumerate(scripts, 1)]
    return "\n".join(head + [intro, ""] + items + [""])


# ------------------------------------------------------------------------------ CLI help
def _subparsers():
    import argparse

    from esm import cli

    parser = cli.build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return parser, action.choices
    return parser, {}


def command_help(name: str | None) -> str:
    """``esm --help`` (name None) or ``esm NAME --help``, 88 columns wide."""
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"
    try:
        parser, subs = _subparsers()
        return (parser if name is None else subs[name]).format_help().rstrip()
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


def commands() -> list[str]:
    from esm import cli

    return list(cli.COMMANDS)


def generic_command_page(name: str, lang: str) -> str:
    from esm import cli

    helptext = cli.COMMANDS[name].help
    if lang == "zh":
        note = f"本命令（{helptext}）尚无中文使用说明；下面是 `esm {name} --help` 的输出（英文）。"
    else:
        note = (
            f"{helptext[0].upper()}{helptext[1:]}. This command has no hand-written guide yet; "
            f"this page shows `esm {name} --help`."
        )
    return f"# esm {name}\n\n{note}\n\n<!-- esm-help {name} -->\n"


# ------------------------------------------------------------------------------ first run
_first_run: dict[str, object] = {}


def first_run() -> tuple[str, bytes]:
    """(summary text, overview PNG) of ``esm run ssp245``, computed once per build."""
    if not _first_run:
        import esm
        from esm import cli
        from esm.figures.run import plot_run

        ds = esm.run("ssp245")
        with tempfile.TemporaryDirectory() as tmp:
            png = Path(tmp) / "first-run.png"
            plot_run(ds, png, dpi=90)
            _first_run["png"] = png.read_bytes()
        _first_run["text"] = cli.summary(ds)
    return _first_run["text"], _first_run["png"]


def policy_figures() -> dict[str, bytes]:
    """PNGs of the budget and goal pages (200 posterior members each), computed once."""
    if not _policy:
        import warnings

        from esm import budgets as budget
        from esm.figures.budget import plot_budget, plot_goal

        with warnings.catch_warnings(), tempfile.TemporaryDirectory() as tmp:
            warnings.simplefilter("ignore", UserWarning)
            for name, make, plot in (
                ("budget-2K.png", lambda: budget.budget(2.0, members=200), plot_budget),
                ("goal-1.7K.png", lambda: budget.goal(1.7, 0.5, members=200), plot_goal),
            ):
                png = Path(tmp) / name
                plot(make(), png, dpi=90)
                _policy[name] = png.read_bytes()
    return _policy


_policy: dict[str, bytes] = {}


# ------------------------------------------------------------------------------ mkdocs events
def _guide_pages(lang: str, docs_dir: Path) -> dict[str, str]:
    """command -> page path (hand-written, or generated when there is none)."""
    prefix = "zh/" if lang == "zh" else ""
    pages = {}
    for name in commands():
        written = f"{prefix}guide/{name}.md"
        pages[name] = written if (docs_dir / written).is_file() else f"{GEN}/{written}"
    return pages


def _expand_nav(nav, docs_dir: Path):
    """Replace the markers of mkdocs.yml's nav by the generated entries (in place)."""
    for i, item in enumerate(nav):
        if isinstance(item, dict):
            ((title, value),) = item.items()
            if isinstance(value, list):
                _expand_nav(value, docs_dir)
                for lang in LANGS:
                    prefix = "zh/" if lang == "zh" else ""
                    if f"{prefix}guide/index.md" in value:
                        listed = {
                            v for e in value for v in (e.values() if isinstance(e, dict) else [e])
                        }
                        for name, page in _guide_pages(lang, docs_dir).items():
                            if page not in listed:
                                value.append({f"esm {name}": page})
            elif value in (f"{GEN}/lessons/{lang}/index.md" for lang in LANGS):
                lang = value.split("/")[2]
                nav[i] = {
                    title: [value]
                    + [f"{GEN}/lessons/{lang}/{p.stem}.md" for p in lesson_scripts(lang)]
                }


def on_config(config, **kwargs):
    _lessons.clear()  # a new build (mkdocs serve rebuilds) lists the lessons again
    _first_run.clear()
    _expand_nav(config["nav"] or [], Path(config["docs_dir"]))
    return config


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    problems = check_processes()
    for p in problems:
        log.warning(p)

    def add(uri: str, content) -> None:
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=content))

    add(f"{GEN}/parameters.md", parameters_markdown())
    add(f"{GEN}/outputs.md", outputs_markdown())
    add(f"{GEN}/model-diagram.png", draw_diagram())
    _, png = first_run()
    add(f"{GEN}/first-run.png", png)
    for name, content in policy_figures().items():
        add(f"{GEN}/{name}", content)

    report = ROOT / "validation" / "report.md"
    if report.is_file():
        add(f"{GEN}/validation.md", report.read_text(encoding="utf-8"))
        for fig in sorted((ROOT / "validation" / "figures").glob("*.png")):
            add(f"{GEN}/figures/{fig.name}", fig.read_bytes())
    else:
        log.warning("validation/report.md is missing: run 'esm validate --out validation'")

    for lang in LANGS:
        add(f"{GEN}/lessons/{lang}/index.md", lessons_index(lang))
        for script in lesson_scripts(lang):
            add(
                f"{GEN}/lessons/{lang}/{script.stem}.md",
                convert_lesson(script.read_text(encoding="utf-8")),
            )
        for name, page in _guide_pages(lang, Path(config["docs_dir"])).items():
            if page.startswith(GEN):
                add(page, generic_command_page(name, lang))
    return files


_HELP = re.compile(r"<!-- esm-help ([\w-]+|--) -->")


def on_page_markdown(markdown, page, config, files, **kwargs):
    def helptext(m):
        name = m.group(1)
        if name != "--" and name not in commands():
            log.warning(f"{page.file.src_uri}: 'esm {name}' is not a command of esm.cli")
            return m.group(0)
        return "```text\n" + command_help(None if name == "--" else name) + "\n```"

    markdown = _HELP.sub(helptext, markdown)
    if "<!-- esm-first-run -->" in markdown:
        text, _ = first_run()
        markdown = markdown.replace("<!-- esm-first-run -->", f"```text\n{text}\n```")
    if "<!-- esm-processes -->" in markdown:
        markdown = markdown.replace("<!-- esm-processes -->", processes_markdown())
    return markdown


_ROLE = re.compile(r":(?:func|data|class|mod|meth|attr|obj|exc):(<code>|`)")


def on_page_content(html, page, config, files, **kwargs):
    # docstrings use Sphinx roles (:func:`x`); show them as plain code
    return _ROLE.sub(r"\1", html)
