"""Figures, each with its target and ratio, and writing them as JSON and Markdown.

A figure with a baseline (the best possible on the same machine, in the same run)
has a target ratio: its ratio is value ÷ baseline, met when at most (or at least)
the target. A figure without one has a target in its own unit: its ratio is
value ÷ target for an upper limit, target ÷ value for a lower one, so at or under
1 is met. Where the target is zero (oversold units), the ratio is the value."""

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

AT_MOST = "at most"
AT_LEAST = "at least"


@dataclass
class Figure:
    group: int  # the figure number, 0 for the load
    key: str
    name: str
    value: float
    unit: str
    target: float  # in the value's unit, or a ratio to the baseline
    bound: str = AT_MOST
    baseline: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        if self.baseline is not None:
            return self.value / self.baseline if self.baseline else float("inf")
        if self.target == 0:
            return float(self.value)
        if self.bound == AT_MOST:
            return self.value / self.target
        return self.target / self.value if self.value else float("inf")

    @property
    def met(self) -> bool:
        if self.baseline is not None:
            if self.bound == AT_MOST:
                return self.ratio <= self.target
            return self.ratio >= self.target
        if self.target == 0:
            return self.value == 0
        return self.ratio <= 1

    @property
    def target_text(self) -> str:
        if self.baseline is not None:
            return (
                f"{self.bound} {_number(self.target)} × baseline "
                f"({_number(self.baseline)} {self.unit})"
            )
        return f"{self.bound} {_number(self.target)} {self.unit}"

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "ratio": _finite(self.ratio),
            "met": self.met,
            "target_text": self.target_text,
        }


def _finite(number: float) -> float | None:
    return None if number in (float("inf"), float("-inf")) else round(number, 4)


@dataclass
class Results:
    scale: str
    database: str
    started_at: str
    figures: list[Figure] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # rows loaded, machine, settings

    def add(self, *figures: Figure) -> None:
        self.figures.extend(figures)

    def as_dict(self) -> dict:
        return {
            "scale": self.scale,
            "database": self.database,
            "started_at": self.started_at,
            "machine": {
                "cpus": _cpus(),
                "python": sys.version.split()[0],
                "system": " ".join(os.uname()[::2]),
            },
            "facts": self.facts,
            "figures": [figure.as_dict() for figure in self.figures],
        }

    def table(self) -> str:
        """The figures as a Markdown table."""
        rows = [
            "| # | figure | value | target | ratio | met |",
            "|---|---|---:|---|---:|---|",
        ]
        for figure in self.figures:
            ratio = _finite(figure.ratio)
            rows.append(
                f"| {figure.group} | {figure.name} | {_number(figure.value)} "
                f"{figure.unit} | {figure.target_text} | "
                f"{'∞' if ratio is None else f'{ratio:.2f}'} | "
                f"{'yes' if figure.met else '**no**'} |"
            )
        return "\n".join(rows)

    def markdown(self) -> str:
        facts = "\n".join(f"- {key}: {value}" for key, value in self.facts.items())
        notes = "\n".join(
            f"- {figure.key}: {figure.note}" for figure in self.figures if figure.note
        )
        return (
            f"# Benchmark, scale `{self.scale}`\n\n"
            f"Started {self.started_at} on {_cpus()} CPUs, database "
            f"`{self.database}`.\n\n{self.table()}\n\n## Facts\n{facts}\n\n"
            f"## Notes\n{notes}\n"
        )

    def write(self, directory: Path) -> tuple[Path, Path]:
        directory.mkdir(parents=True, exist_ok=True)
        as_json = directory / "latest.json"
        as_md = directory / "latest.md"
        as_json.write_text(json.dumps(self.as_dict(), indent=2, ensure_ascii=False))
        as_md.write_text(self.markdown())
        return as_json, as_md


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"


def _cpus() -> int:
    return os.cpu_count() or 1
