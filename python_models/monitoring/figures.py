"""Figures in the README come from the scripts that measure them, never from a hand.

`make evaluate` and `make bench` record what they measured in `docs/figures/<name>.json` (with the date and
the machine) and rewrite the README block between `<!-- figures:<name>:start -->` and
`<!-- figures:<name>:end -->` from that file. A test renders every recorded file again and compares it
with the README, so a hand-edited figure fails CI.
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from python_models.dbt.project import PROJECT_ROOT

FIGURES_DIR = PROJECT_ROOT / "docs" / "figures"
README = PROJECT_ROOT / "README.md"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory_gib = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        memory_gib = round(int(match.group(1)) / 1024**2, 1) if match else None
    return {
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "python": platform.python_version(),
    }


def record(name: str, figures: dict[str, Any], *, folder: Path = FIGURES_DIR) -> Path:
    """Write the measured figures with the date and the machine; returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "name": name,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "figures": figures,
    }
    path = folder / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- figures:{name}:start -->", f"<!-- figures:{name}:end -->"


def block(name: str, text: str) -> str:
    start, end = markers(name)
    return f"{start}\n{text.strip()}\n{end}"


def replace_block(readme_text: str, name: str, text: str) -> str:
    """The README with block ``name`` replaced (it must exist: the README decides where figures go)."""
    start, end = markers(name)
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(readme_text):
        raise ValueError(f"README has no {start} … {end} block")
    return pattern.sub(lambda _: block(name, text), readme_text, count=1)


def current_block(readme_text: str, name: str) -> str | None:
    start, end = markers(name)
    match = re.search(re.escape(start) + r"\n(.*?)\n" + re.escape(end), readme_text, re.DOTALL)
    return match.group(1) if match else None


def update_readme(name: str, render: Callable[[dict[str, Any]], str], *, folder: Path = FIGURES_DIR) -> str:
    """Rewrite README block ``name`` from ``docs/figures/<name>.json`` through ``render``."""
    payload = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    text = render(payload)
    README.write_text(replace_block(README.read_text(encoding="utf-8"), name, text), encoding="utf-8")
    return text


def measured_line(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    memory = f", {m['memory_gib']:g} GiB" if m.get("memory_gib") else ""
    return (
        f"Measured {payload['measured_at']} on {m['cores']} cores ({m['machine']}{memory}, Python "
        f"{m['python']}), written by the script into `docs/figures/{payload['name']}.json` and this block."
    )


# --- the blocks ------------------------------------------------------------------------------------------
def _num(value: Any, fmt: str) -> str:
    return "–" if value is None or value != value else format(value, fmt)


def _interval(value: Any, low: Any, high: Any, fmt: str) -> str:
    if value is None or low is None or high is None:
        return "–"
    return f"{format(value, fmt)} [{format(low, fmt)}, {format(high, fmt)}]"


def render_evaluate(payload: dict[str, Any]) -> str:
    """The README's real-data evaluation block from `kzone evaluate`'s JSON: the book first."""
    f = payload["figures"]
    history = f.get("history") or ["", f["window"][0]]
    quarantined = f", {f['lines_quarantined']:,} quarantined" if f.get("lines_quarantined") else ""
    lines = [
        "### Real-data evaluation (`make evaluate`)",
        "",
        measured_line(payload),
        "",
        f"Walk-forward on the real Retrosheet starts: history from {history[0]}, then {f['window'][0]} → "
        f"{f['window'][1]} scored with monthly retraining (every model and its market blend trained on games "
        f"before the dates it scores). Lines: {f.get('lines_source', 'synthetic')} ({f.get('lines_loaded', 0):,} "
        f"loaded{quarantined}).",
        "",
        "**Against the book, on the same starts** (`market_comparison`: every start with action that had a "
        "line). The book is the benchmark: its line as a point forecast, its no-vig price as a probability.",
        "",
        "| system | starts | MAE system | MAE book line | Brier system | Brier book | share picked | hit rate [95% CI] | ROI [95% CI] |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m in f.get("market", []):
        lines.append(
            f"| `{m['system_id']}` | {int(m['n_starts']):,} | {_num(m['system_mae'], '.3f')} | "
            f"{_num(m['book_line_mae'], '.3f')} | {_num(m['system_brier'], '.4f')} | "
            f"{_num(m['book_brier'], '.4f')} | {_num(m['share_picked'], '.1%')} "
            f"({int(m['n_picks']):,}) | {_interval(m.get('hit_rate'), m.get('hit_rate_ci_low'), m.get('hit_rate_ci_high'), '.3f')} | "
            f"{_interval(m.get('roi'), m.get('roi_ci_low'), m.get('roi_ci_high'), '+.3f')} |"
        )
    lines += [
        "",
        "**Every start with action** (`system_performance`: the pitcher started, however short the outing — "
        "graded the way a sportsbook settles the prop), beside the naive reference on exactly the same starts. "
        "Hit rates here are against the lines above, never a headline.",
        "",
        "| model | starts | MAE | RMSE | bias | Poisson log loss | count log loss (own distribution) | Brier P(over) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in f["rows"]:
        lines.append(
            f"| `{r['model']}` | {r['n']:,} | {_num(r['mae'], '.3f')} | {_num(r['rmse'], '.3f')} | "
            f"{_num(r['bias'], '+.3f')} | {_num(r.get('poisson_log_loss'), '.4f')} | "
            f"{_num(r.get('count_log_loss'), '.4f')} | {_num(r.get('brier_over'), '.4f')} |"
        )
    lines += _distribution_lines(f)
    before = [r for r in f["rows"] if r.get("without_short_starts")]
    if before:
        lines += [
            "",
            "Graded the old way — a start of 6 outs or fewer voided and left out of every metric, which no "
            "sportsbook does — the same predictions read better than they are:",
            "",
            "| model | starts, old rule | MAE, old rule | MAE, every start | hit rate, old rule | hit rate, every start |",
            "|---|---|---|---|---|---|",
        ]
        for r in before:
            old = r["without_short_starts"]
            lines.append(
                f"| `{r['model']}` | {old['n']:,} | {old['mae']:.3f} | {r['mae']:.3f} | "
                f"{_num(old['hit_rate'], '.3f')} | {_num(r.get('hit_rate'), '.3f')} |"
            )
    for warning in f.get("warnings", []):
        lines += ["", f"- {warning}"]
    lines += ["", f"The whole evaluation took {f['seconds']:.0f} s."]
    return "\n".join(lines)


def _distribution_lines(f: dict[str, Any]) -> list[str]:
    """Per system: the largest reliability gap of P(over) over its deciles and the PIT's flatness range
    (`distribution_calibration`; targets: gap within 0.02, flatness within 0.8-1.2)."""
    systems = sorted(
        {c["system_id"] for c in f.get("calibration", [])} | {p["system_id"] for p in f.get("pit", [])}
    )
    if not systems:
        return []
    lines = [
        "",
        "**The whole distribution** (`distribution_calibration`): reliability of P(over) — the largest gap between "
        "mean predicted and observed over rate among the ten deciles — and the PIT histogram's flatness (each "
        "tenth's share / 0.1; 1.0 is flat).",
        "",
        "| system | largest P(over) gap | decile of it | PIT flatness min – max |",
        "|---|---|---|---|",
    ]
    for system in systems:
        cal = [c for c in f.get("calibration", []) if c["system_id"] == system]
        worst = max(cal, key=lambda c: abs(c["calibration_gap"]), default=None)
        flat = [
            p["flatness"] for p in f.get("pit", []) if p["system_id"] == system and p["flatness"] is not None
        ]
        gap = "–" if worst is None else f"{worst['calibration_gap']:+.3f}"
        lines.append(
            f"| `{system}` | {gap} | {worst['decile'] if worst else '–'} | "
            f"{f'{min(flat):.2f} – {max(flat):.2f}' if flat else '–'} |"
        )
    return lines


def render_bench(payload: dict[str, Any]) -> str:
    """The README's benchmark block from `benchmarks/run.py`'s JSON."""
    f = payload["figures"]
    lines = [
        "### Benchmarks (`make bench`)",
        "",
        measured_line(payload),
        " Each benchmark runs in its own process; figures are printed and recorded, never asserted by tests.",
        "",
        "| benchmark | wall s | warehouse queries | predictions | pred/s | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in f["benchmarks"].items():
        if "error" in r:
            lines.append(f"| {name} | failed: {r['error']} | | | | |")
            continue
        predictions, rate = r.get("predictions"), r.get("pred_per_s")
        lines.append(
            f"| {name} | {r['wall_s']:.3f} | {r.get('queries') or '–'} | "
            f"{f'{predictions:,}' if predictions else '–'} | {f'{rate:,.0f}' if rate else '–'} | "
            f"{r['peak_rss_mb']:.0f} |"
        )
        if r.get("target"):
            lines[-1] += f" target: {r['target']}"
    for line in f.get("summary", []):
        lines += ["", line]
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {"evaluate": render_evaluate, "bench": render_bench}
