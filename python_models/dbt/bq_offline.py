"""Compile every SQL node for BigQuery without credentials, and check the SQL is BigQuery's.

    python -m python_models.dbt.bq_offline [--target-path DIR]      (make bq-compile)

Steps:
1. ``dbt compile --target bigquery_offline --no-populate-cache`` twice, with the offline
   ``is_incremental`` switch (``macros/is_incremental.sql``) set to true and to false, so both branches
   of every incremental model are compiled. Python models and unit tests are excluded (dbt would have to
   reach BigQuery for them). Artifacts go to ``target/bq_offline/`` (never the DuckDB ``target/``).
2. Every compiled model, test, snapshot and analysis is parsed with ``sqlglot`` (``read='bigquery'``)
   and then held to stricter rules than sqlglot's: no ``::`` casts, no DuckDB type names
   (``varchar``, ``double``, ...), no DuckDB-only functions or syntax (``strip_accents``, ``list_*``,
   ``epoch``, ``date_diff('day', ...)``, ``filter (where ...)``, ``interval '3 days'``, ...). Comments and
   string literals are ignored, so a ``'::'`` inside a string is not a finding.

Prints a summary table and every finding (node, file, problem); exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from python_models.dbt.project import PROJECT_ROOT

OFFLINE_TARGET = "bigquery_offline"
DEFAULT_TARGET_PATH = PROJECT_ROOT / "target" / "bq_offline"
CHECKED_TYPES = ("model", "test", "snapshot", "analysis")

# DuckDB (or Postgres) constructs that BigQuery rejects but sqlglot's BigQuery parser accepts.
# Each pattern runs over the token stream (lowercased, strings -> '?', quoted identifiers -> `id`).
_DUCKDB_TYPES = (
    "varchar",
    "double",
    "text",
    "real",
    "hugeint",
    "uhugeint",
    "ubigint",
    "uinteger",
    "usmallint",
    "utinyint",
    "timestamptz",
    "blob",
    "uuid",
)
_DATE_PARTS = (
    "year|quarter|month|week|isoweek|day|dayofweek|dayofyear|hour|minute|second|millisecond|microsecond"
)
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("'::' cast (BigQuery: cast(x as type) / safe_cast)", re.compile(r"::")),
    (
        "DuckDB type name (BigQuery: string, int64, float64, bool, date, timestamp, numeric, bytes)",
        # a type, not an alias: followed by ")" (end of cast) or "(" (varchar(10))
        re.compile(rf"(?:\bas|::)\s+(?:{'|'.join(_DUCKDB_TYPES)})\s*[()]"),
    ),
    ("'double precision' type (BigQuery: float64)", re.compile(r"\bdouble\s+precision\b")),
    (
        "DuckDB-only function",
        re.compile(
            r"\b(?:strip_accents|list_\w+|list|epoch|epoch_ms|epoch_us|epoch_ns|make_date|make_timestamp|"
            r"strftime|strptime|regexp_matches|regexp_full_match|string_split|str_split|split_part|strlen|"
            r"datediff|date_part|datepart|datesub|dateadd|median|mode|quantile|quantile_cont|quantile_disc|"
            r"approx_quantile|arg_max|arg_min|argmax|argmin|bool_and|bool_or|count_if|first|last|"
            r"to_timestamp|generate_series|range|struct_pack|try_cast|len|today|now|isodow|dayofweek|"
            r"dayofmonth|dayofyear|weekofyear|string_to_array|hash|concat_ws|contains|prefix|suffix|"
            r"nextval|currval)\s*\("
        ),
    ),
    (
        "date function with the part first as a string (DuckDB order; BigQuery: date_diff(a, b, day))",
        re.compile(
            r"\b(?:date_diff|date_trunc|date_add|date_sub|timestamp_diff|timestamp_trunc)\s*\(\s*'\?'"
        ),
    ),
    (
        "aggregate FILTER (WHERE ...) (BigQuery: countif / if inside the aggregate)",
        re.compile(r"\bfilter\s*\(\s*where\b"),
    ),
    ("ILIKE (BigQuery: lower(x) like ...)", re.compile(r"\bilike\b")),
    (
        "interval written as one string (BigQuery: interval 3 day)",
        re.compile(rf"\binterval\s+'\?'(?!\s+(?:{_DATE_PARTS})\b)"),
    ),
    ("SELECT * EXCLUDE (BigQuery: * except (...))", re.compile(r"\*\s*exclude\s*\(")),
    (
        "DuckDB-only clause",
        re.compile(
            r"\b(?:using\s+sample|tablesample\s+reservoir|pivot_longer|asof\s+join|positional\s+join)\b"
        ),
    ),
)


def _normalise(sql: str) -> str:
    """Token stream as text: lowercase, comments dropped, strings '?', quoted identifiers `id`."""
    parts = []
    for token in sqlglot.tokenize(sql, read="bigquery"):
        if token.token_type in (
            TokenType.STRING,
            TokenType.RAW_STRING,
            TokenType.NATIONAL_STRING,
            TokenType.BYTE_STRING,
            TokenType.HEREDOC_STRING,
        ):
            parts.append("'?'")
        elif token.token_type == TokenType.IDENTIFIER:
            parts.append("`id`")
        else:
            parts.append(token.text.lower())
    return " ".join(parts)


def check_bigquery_sql(sql: str) -> list[str]:
    """Problems that keep ``sql`` from running on BigQuery (empty = it parses and has no DuckDB-isms)."""
    problems: list[str] = []
    try:
        statements = [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]
        if not statements:
            problems.append("no SQL statement")
        for statement in statements:
            for node in statement.find_all(exp.RegexpReplace):
                if node.args.get("position") is not None or node.args.get("modifiers") is not None:
                    problems.append(
                        f"regexp_replace with a 4th argument (DuckDB flags; BigQuery takes 3): `{node.sql()[:120]}`"
                    )
    except (ParseError, TokenError) as exc:
        problems.append(f"sqlglot (bigquery) cannot parse it: {' '.join(str(exc).split())[:300]}")
    try:
        text = _normalise(sql)
    except TokenError as exc:
        return [*problems, f"cannot tokenize: {exc}"]
    for label, pattern in RULES:
        for match in pattern.finditer(text):
            problems.append(f"{label}: `{match.group(0).strip()}`")
    return problems


@dataclass
class NodeResult:
    unique_id: str
    resource_type: str
    path: str
    mode: str
    compiled: bool
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.compiled and not self.problems


@dataclass
class Report:
    results: list[NodeResult] = field(default_factory=list)
    compile_errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    expected: dict[str, set[str]] = field(default_factory=dict)

    @property
    def failures(self) -> list[NodeResult]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        missing = any(self.missing(mode) for mode in self.expected)
        return not self.failures and not self.compile_errors and not missing and bool(self.results)

    def missing(self, mode: str) -> set[str]:
        done = {r.unique_id for r in self.results if r.mode == mode and r.compiled}
        return self.expected.get(mode, set()) - done


def _python_model_paths(project_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(project_dir)) for p in (project_dir / "models").rglob("*.py"))


def compile_offline(
    incremental: bool,
    target_path: Path,
    project_dir: Path = PROJECT_ROOT,
    extra_vars: dict | None = None,
) -> tuple[list[NodeResult], list[str], set[str]]:
    """One offline ``dbt compile`` (is_incremental forced to ``incremental``); results per node."""
    from dbt.cli.main import dbtRunner

    mode = f"is_incremental={str(incremental).lower()}"
    exclude = ["resource_type:unit_test", *(f"path:{p}" for p in _python_model_paths(project_dir))]
    dbt_vars = {**(extra_vars or {}), "offline_is_incremental": incremental}
    args = [
        "compile",
        "--target",
        OFFLINE_TARGET,
        "--no-populate-cache",
        "--no-send-anonymous-usage-stats",  # a flag, not the environment: this floor never writes os.environ
        "--threads",
        "2",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path / "logs"),
        "--vars",
        json.dumps(dbt_vars),
        "--exclude",
        *exclude,
        "--quiet",
    ]
    result = dbtRunner().invoke(args)
    nodes: list[NodeResult] = []
    errors: list[str] = []
    if result.exception is not None:
        errors.append(f"[{mode}] dbt compile crashed: {result.exception}")
    for r in getattr(result.result, "results", None) or []:
        node = r.node
        if node.resource_type not in CHECKED_TYPES:
            continue
        status = str(r.status)
        compiled = status == "success" and node.compiled_code is not None
        item = NodeResult(node.unique_id, str(node.resource_type), node.original_file_path, mode, compiled)
        if not compiled:
            item.problems.append(f"dbt compile: {' '.join(str(r.message or status).split())[:400]}")
        else:
            item.problems.extend(check_bigquery_sql(node.compiled_code))
        nodes.append(item)
    expected = _expected_nodes(target_path)
    return nodes, errors, expected


def _expected_nodes(target_path: Path) -> set[str]:
    """SQL nodes of the manifest that the compile selected (to prove none was silently skipped)."""
    manifest = target_path / "manifest.json"
    if not manifest.exists():
        return set()
    data = json.loads(manifest.read_text())
    return {
        uid
        for uid, node in data.get("nodes", {}).items()
        if node.get("resource_type") in CHECKED_TYPES
        and node.get("language", "sql") == "sql"
        and node.get("package_name") == data.get("metadata", {}).get("project_name", "kzone")
        and node.get("config", {}).get("enabled", True)
    }


def run(target_path: Path = DEFAULT_TARGET_PATH, project_dir: Path = PROJECT_ROOT) -> Report:
    """Both compiles, both checks."""
    report = Report()
    for incremental in (True, False):
        mode = f"is_incremental={str(incremental).lower()}"
        started = time.perf_counter()
        nodes, errors, expected = compile_offline(
            incremental, target_path / mode.replace("=", "_"), project_dir
        )
        report.seconds[mode] = time.perf_counter() - started
        report.results.extend(nodes)
        report.compile_errors.extend(errors)
        report.expected[mode] = expected
    return report


def print_report(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False, width=160)
    table = Table(title="BigQuery offline compile + parse", show_lines=False)
    for name in ("mode", "kind", "nodes", "compiled", "BigQuery-clean", "failed", "seconds"):
        table.add_column(name, justify="left" if name in ("mode", "kind") else "right")
    for mode, seconds in report.seconds.items():
        for kind in CHECKED_TYPES:
            rows = [r for r in report.results if r.mode == mode and r.resource_type == kind]
            if not rows:
                continue
            table.add_row(
                mode,
                kind,
                str(len(rows)),
                str(sum(r.compiled for r in rows)),
                str(sum(r.ok for r in rows)),
                str(sum(not r.ok for r in rows)),
                f"{seconds:.1f}" if kind == "model" else "",
            )
    console.print(table)
    for error in report.compile_errors:
        console.print(f"[red]{error}[/red]")
    for mode in report.expected:
        for uid in sorted(report.missing(mode)):
            console.print(f"[red][{mode}] {uid}: selected but not compiled[/red]")
    seen: set[tuple[str, str]] = set()
    for r in sorted(report.failures, key=lambda r: (r.path, r.mode)):
        for problem in r.problems:
            if (r.unique_id, problem) in seen:
                continue  # same finding in both modes: print once
            seen.add((r.unique_id, problem))
            console.print(f"[red]FAIL[/red] {r.path} ({r.unique_id}, {r.mode}): {problem}", markup=True)
    n_nodes = len({r.unique_id for r in report.results})
    verdict = "[green]OK[/green]" if report.ok else "[red]FAILED[/red]"
    console.print(
        f"{verdict}: {n_nodes} SQL nodes x 2 modes, {len({r.unique_id for r in report.failures})} node(s) "
        f"with findings, {sum(report.seconds.values()):.1f}s"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target-path",
        type=Path,
        default=Path(os.environ.get("KZONE_BQ_OFFLINE_TARGET", DEFAULT_TARGET_PATH)),
        help="dbt artifacts of the offline compile (default: target/bq_offline; env KZONE_BQ_OFFLINE_TARGET)",
    )
    args = parser.parse_args(argv)
    report = run(args.target_path)
    print_report(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
