"""How long the `insyn` CLI takes before it has done anything (issue #9, "a fast CLI").

Each command runs `--repeat` times in a fresh subprocess, with byte-code (the venv's `__pycache__`,
warmed once) and without (`PYTHONDONTWRITEBYTECODE=1` and an empty `PYTHONPYCACHEPREFIX`, so every
module is compiled again, as on a machine where byte-code can't be written). Then one
`python -X importtime` run per command: the slowest packages, and the Insyn modules that pull them in.

    .venv/bin/python bench/cli_startup.py --repeat 7
    .venv/bin/python bench/cli_startup.py --var-dir var      # reuse a demo database instead of building one
    git clone -q . /tmp/before && (cd /tmp/before && git checkout -q <commit> && make install)
    .venv/bin/python bench/cli_startup.py --baseline /tmp/before  # both interleaved, with the ratio

The database is a demo SQLite database in a temporary folder (`insyn migrate` + `insyn demo`, not
timed; one per checkout, as their schemas may differ), so the figures don't depend on what is in `var/`.
"""

# ruff: noqa: S603  (runs the project's own `insyn` and python with fixed arguments)
from __future__ import annotations

import argparse
import collections
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUP = "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup()"


def environment(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INSYN_", "PYTHON"))}
    env.update(
        DEBUG="1",
        INSYN_VAR_DIR=str(var_dir),
        INSYN_ENV_FILE=os.devnull,
        DATABASE_URL=f"sqlite:///{var_dir / 'insyn.sqlite3'}",
    )
    return env


class Checkout:
    """A project folder with its own `.venv` and a demo database of its own."""

    def __init__(self, root: Path, var_dir: Path) -> None:
        self.root, self.var_dir = root.resolve(), var_dir.resolve()
        self.insyn, self.python = str(self.root / ".venv/bin/insyn"), str(self.root / ".venv/bin/python")
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.env = environment(self.var_dir)

    def prepare(self) -> str:
        """Migrate and load the demo once; the pk of a person with a membership (for `loans eligibility`)."""
        if not (self.var_dir / "insyn.sqlite3").exists():
            print(f"building a demo database in {self.var_dir} with {self.root} (not timed) …", flush=True)
            subprocess.run([self.insyn, "migrate", "--noinput", "-v0"], env=self.env, check=True, cwd=self.root)
            subprocess.run(
                [self.insyn, "demo", "--user", "system"],
                env=self.env,
                check=True,
                cwd=self.root,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        code = (
            "from insyn.officials.models import Membership; "
            "print(Membership.objects.order_by('pk').values_list('person_id', flat=True).first())"
        )
        argv = [self.insyn, "shell", "-c", code]
        out = subprocess.run(argv, env=self.env, check=True, cwd=self.root, capture_output=True, text=True)
        return out.stdout.strip().splitlines()[-1]

    def commands(self, person: str) -> dict[str, list[str]]:
        eligibility = [self.insyn, "loans", "eligibility", "--person", f"#{person}", "--on", "2026-06-01"]
        return {
            "django.setup()": [self.python, "-c", SETUP],
            "insyn --help": [self.insyn, "--help"],
            "insyn loans eligibility --person #PK": eligibility,
        }


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr}")
    return elapsed


def importtime(argv: list[str], env: dict[str, str], cwd: Path, top: int) -> None:
    """The slowest packages (self time) and the Insyn modules under which they were imported."""
    done = subprocess.run(
        [str(cwd / ".venv/bin/python"), "-X", "importtime", *argv],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lines = done.stderr.decode().splitlines()
    rows = [line for line in lines if line.startswith("import time:") and "[us]" not in line]
    by_package: collections.Counter[str] = collections.Counter()
    by_insyn: collections.Counter[str] = collections.Counter()
    # importtime prints a module after its children, indented by depth: rebuild each module's owner.
    stack: list[tuple[int, str, int]] = []
    tree: list[tuple[str, int, list[int]]] = []
    for row in rows:
        self_us, _cumulative, name = row.split(":", 1)[1].split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        children = []
        while stack and stack[-1][0] > depth:
            children.append(stack.pop()[2])
        tree.append((name.strip(), int(self_us), children))
        stack.append((depth, name.strip(), len(tree) - 1))

    def walk(index: int, owner: str) -> None:
        name, self_us, children = tree[index]
        if name.startswith(("insyn", "config")):
            owner = name
        by_package[name.split(".")[0]] += self_us
        if owner:
            by_insyn[owner] += self_us
        for child in children:
            walk(child, owner)

    for _depth, _name, index in stack:
        walk(index, "")
    total = sum(by_package.values())
    print(f"  importtime total {total / 1e6:.2f} s; slowest packages (self time):")
    print("   " + ", ".join(f"{name} {us / 1e3:.0f} ms" for name, us in by_package.most_common(top)))
    print("  Insyn modules and what they pulled in (cumulative, > 20 ms):")
    heavy = [f"{name} {us / 1e3:.0f} ms" for name, us in by_insyn.most_common(top) if us > 20_000]
    print("   " + (", ".join(heavy) or "-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--var-dir", type=Path, default=None, help="a folder with a demo insyn.sqlite3 to reuse")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout with its own .venv")
    parser.add_argument("--baseline-var-dir", type=Path, default=None)
    parser.add_argument(
        "--no-bytecode-repeat", type=int, default=None, help="runs without byte-code (default: --repeat)"
    )
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--no-importtime", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="insyn-cli-bench-") as tmp:
        checkouts = {"this": Checkout(ROOT, args.var_dir or Path(tmp) / "var")}
        if args.baseline:
            checkouts["baseline"] = Checkout(args.baseline, args.baseline_var_dir or Path(tmp) / "baseline-var")
        commands = {name: checkout.commands(checkout.prepare()) for name, checkout in checkouts.items()}
        for name, checkout in checkouts.items():  # warm the byte-code and the page cache
            for argv in commands[name].values():
                timed(argv, checkout.env, checkout.root)
        now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        print(f"{now}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at the start")
        columns = [f"{name} {mode}" for name in checkouts for mode in ("byte-code", "no byte-code")]
        ratio_header = "  ratio (byte-code, no)" if args.baseline else ""
        print(f"{'command':<38}" + "".join(f"{c:>24}" for c in columns) + ratio_header)
        for label in commands["this"]:
            runs: dict[str, list[float]] = {column: [] for column in columns}
            for mode in ("byte-code", "no byte-code"):
                repeat = args.repeat if mode == "byte-code" else (args.no_bytecode_repeat or args.repeat)
                for _ in range(repeat):
                    for name, checkout in checkouts.items():  # interleaved: the load hits both alike
                        run_env = dict(checkout.env)
                        if mode == "no byte-code":
                            run_env["PYTHONDONTWRITEBYTECODE"] = "1"
                            run_env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="pycache-", dir=tmp)
                        runs[f"{name} {mode}"].append(timed(commands[name][label], run_env, checkout.root))
            cells = "".join(f"{f'{statistics.median(r):.2f} (min {min(r):.2f}) s':>24}" for r in runs.values())
            ratio = ""
            if args.baseline:
                ratios = [
                    statistics.median(runs[f"baseline {mode}"]) / statistics.median(runs[f"this {mode}"])
                    for mode in ("byte-code", "no byte-code")
                ]
                ratio = "  " + ", ".join(f"{r:.2f}×" for r in ratios)
            print(f"{label:<38}{cells}{ratio}", flush=True)
        print(f"median (min) of the runs; load {os.getloadavg()[0]:.1f} at the end")
        if args.baseline:
            print("ratio: baseline time / this time (above 1: this checkout is faster)")
        if not args.no_importtime:
            this = checkouts["this"]
            for label, argv in commands["this"].items():
                print(f"\n{label}:")
                importtime(
                    argv[1:] if argv[0] == this.python else [this.insyn, *argv[1:]], this.env, this.root, args.top
                )


if __name__ == "__main__":
    sys.exit(main())
