"""Mutation testing of the pure decision code: `make mutation` (docs/testing.md).

Runs mutmut (its settings: `[tool.mutmut]` in pyproject.toml) over every `rules/` package and
`clinical/`, judged by the fast pure tests (marker `pure`), then prints for each package and
each of its modules the mutants, killed, survived, timeouts and the share killed. Exits 1 when
a package or a module is below 90 % killed.

    python scripts/mutation.py                  # mutate, run, report
    python scripts/mutation.py programs/rules   # only these packages (results of others kept)
    python scripts/mutation.py --report         # the last run's figures, nothing run
    python scripts/mutation.py --fresh          # forget earlier results and copies first

A killed mutant made a pure test fail; a timeout made one run past its time limit (also
caught). mutmut keeps each function's results until the function changes, so a second run
only tries what changed. MUTATION_JOBS sets how many mutants run at once (default: 2).
"""

import argparse
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
THRESHOLD = 90.0


def packages() -> list[Path]:
    """Every `rules/` package of an app, and `clinical/` when it exists (relative to ROOT)."""
    found = sorted(path.parent.relative_to(ROOT) for path in ROOT.glob("*/rules/__init__.py"))
    if (ROOT / "clinical" / "__init__.py").exists():
        found.append(Path("clinical"))
    return [path for path in found if path.parts[0] not in ("mutants", "tests")]


def modules(package: Path) -> list[Path]:
    return sorted(path.relative_to(ROOT) for path in (ROOT / package).rglob("*.py"))


@dataclass
class Figures:
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    timeout: int = 0
    other: int = 0  # not checked, no tests, suspicious: none counts as killed

    def add(self, other: "Figures") -> None:
        self.mutants += other.mutants
        self.killed += other.killed
        self.survived += other.survived
        self.timeout += other.timeout
        self.other += other.other

    @property
    def percent(self) -> float:
        return 100.0 * (self.killed + self.timeout) / self.mutants if self.mutants else 100.0


def figures(module: Path) -> Figures:
    """The last run's results for one module, from mutmut's record of it."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code

    data = SourceFileMutationData(path=module)
    data.load()
    statuses = Counter(status_by_exit_code[code] for code in data.exit_code_by_key.values())
    killed = statuses["killed"] + statuses["caught by type check"]
    return Figures(
        mutants=sum(statuses.values()),
        killed=killed,
        survived=statuses["survived"],
        timeout=statuses["timeout"],
        other=sum(statuses.values()) - killed - statuses["survived"] - statuses["timeout"],
    )


def check_config(chosen: list[Path]) -> None:
    """Every module of the chosen packages is one mutmut mutates (`only_mutate`)."""
    from mutmut.configuration import config

    cfg = config()
    missing = [m for p in chosen for m in modules(p) if not cfg.should_mutate(m)]
    outside = [p for p in chosen if not any(p.is_relative_to(s) for s in cfg.source_paths)]
    if missing or outside:
        names = ", ".join(str(m) for m in missing + outside)
        sys.exit(f"[tool.mutmut] in pyproject.toml does not mutate {names}.")


def run(chosen: list[Path], *, everything: bool) -> None:
    jobs = os.environ.get("MUTATION_JOBS", "2")
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", jobs]
    if not everything:
        command += [f"{'.'.join(p.parts)}.*" for p in chosen]
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(f"mutmut run failed (exit code {result.returncode}).")


def report(chosen: list[Path]) -> bool:
    """Print the table; True when every package and module reaches the threshold."""
    header = f"{'package / module':<42}{'mutants':>8}{'killed':>8}{'survived':>9}"
    header += f"{'timeout':>8}{'other':>6}{'% killed':>10}"
    print(header)
    print("-" * len(header))
    passed = True

    def line(name: str, f: Figures) -> None:
        nonlocal passed
        low = f.percent < THRESHOLD
        passed = passed and not low
        print(
            f"{name:<42}{f.mutants:>8}{f.killed:>8}{f.survived:>9}{f.timeout:>8}{f.other:>6}"
            f"{f.percent:>9.1f}{' <' if low else ''}"
        )

    for package in chosen:
        total = Figures()
        rows = []
        for module in modules(package):
            f = figures(module)
            if f.mutants:
                rows.append((module, f))
                total.add(f)
        line(f"{package}/", total)
        for module, f in rows:
            line(f"  {module.relative_to(package)}", f)
    print(f"\n% killed: (killed + timeout) / mutants; '<' marks a figure below {THRESHOLD:.0f} %.")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", help="e.g. programs/rules (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last run's figures")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results first")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))

    every = packages()
    chosen = every
    if args.packages:
        wanted = {Path(p.rstrip("/")) for p in args.packages}
        chosen = [p for p in every if p in wanted]
        if unknown := wanted - set(chosen):
            sys.exit(f"Not a rules package: {', '.join(map(str, sorted(unknown)))}.")
    check_config(chosen)
    if args.fresh and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    if not args.report:
        run(chosen, everything=chosen == every)
    sys.exit(0 if report(chosen) else 1)


if __name__ == "__main__":
    main()
