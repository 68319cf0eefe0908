"""``python -m tests.benchmarks``: medequip's speed and memory figures, side by side with baselines.

Every figure is measured in this one run on this machine, next to a baseline that does the
least possible work on the same input, so the ratios mean something on any machine. What is
measured is the installed program, as users run it: the venv's ``medequip`` console script
started outside the checkout, and the installed ``assistant`` package in this process (an
editable install is the checkout itself):

1. per-profile cost of load + validate + evaluate, against parsing the same file with tomllib
   (verdicts decided; their words are worked out when read, so the same with every reason
   worked out and the lean result built, as a JSON Lines run does, is printed beside it);
2. ``medequip check DIR --format jsonl`` (lean results) over 10,000 generated profiles
   (``--jobs 1`` and ``--jobs 2``), against a plain Python loop that only parses them, and the
   speed-up of two jobs over one, each the best of three interleaved rounds; peak memory of
   the child for 1,000 and 10,000 files; the machine's load average is printed next to each
   timed batch (other work on the machine slows what runs meanwhile, so read the ratios with
   it);
3. cold start of ``medequip check one.toml --format json`` and ``medequip --help``, against
   ``python -c "import tomllib, json"`` (medians of 15 rounds, the three taking turns);
4. the TUI driven by Textual's pilot over short interviews of four kinds of equipment: launch
   to first question, answer to next question (in the app, with the pilot's figure beside it);
5. ``medequip stats`` and ``check --format csv`` over the same 10,000 profiles, against the
   lean JSON Lines run (``--jobs 1`` each, the best of three runs each);
6. answer -> next question measured inside the app (submission to the first frame showing
   the next question) over a 250-turn proton session with 10 staff: median, p95 and slope,
   with the pilot's figure beside it (``tests/benchmarks/latency.py``);
7. the questions an interview asks, answered from each example and from generated profiles
   (``tests/benchmarks/questions.py``).

Beside (1), what the exact check costs: how many clauses needed it per profile, its
evaluations and its share of the evaluation's time.

Targets are goals, not assertions: the table says which are met. ``--quick`` uses fewer files
and repetitions (for a smoke test).
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    env["NO_COLOR"] = "1"
    return env


# Children start here, outside the checkout, so that nothing is imported from the tree by
# being in the current folder.
CHILD_CWD = tempfile.gettempdir()


@functools.cache
def installed_site() -> Path:
    """The folder the installed ``assistant`` package is imported from, as this Python finds it
    when started outside the checkout (site-packages; the checkout for an editable install)."""
    out = subprocess.run(
        [sys.executable, "-c", "import assistant, os; print(os.path.dirname(os.path.dirname(assistant.__file__)))"],
        capture_output=True, text=True, env=_clean_env(), cwd=CHILD_CWD,
    )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(
            "medequip is not installed in this Python: the benchmarks measure the installed program "
            "(pip install '.[test]', or -e for the checkout)"
        )
    return Path(out.stdout.strip())


def install_kind(site: Path) -> str:
    return "an editable install: this checkout" if site == ROOT else "installed"


def child_env() -> dict[str, str]:
    """The environment for measured children: the installed package first, this checkout
    after it only for the benchmark's own modules (``tests.benchmarks``), bytecode caching on
    (as in a real install), no colour."""
    env = _clean_env()
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([str(installed_site()), str(ROOT)]))
    return env


def medequip_cmd() -> list[str]:
    """The installed console script, as a user runs it (``python -m assistant`` without one)."""
    script = Path(sys.executable).with_name("medequip")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "assistant"]


def run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (KiB, the child and the workers it reaped)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=CHILD_CWD)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1, 3):
        sys.stderr.write(
            f"benchmark child failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}\n"
        )
    return wall, proc.returncode, usage.ru_maxrss


def median_walls(cmds: list[list[str]], env: dict[str, str], n: int) -> list[float]:
    """The median wall time of each command over ``n`` rounds, the commands taking turns in
    each round, so that a baseline and what is compared with it see the same machine."""
    for cmd in cmds:
        run_child(cmd, env)  # warm: bytecode written, page cache filled, medequip's cache built
    walls: list[list[float]] = [[] for _ in cmds]
    for _ in range(n):
        for w, cmd in zip(walls, cmds, strict=True):
            w.append(run_child(cmd, env)[0])
    return [statistics.median(w) for w in walls]


# --- (1) per-profile cost ---------------------------------------------------------------------


def per_profile(files: list[Path], number: int, said: bool = False) -> tuple[float, float]:
    """Seconds per profile for (parse only, load + validate + evaluate), best of 5 rounds.
    ``said``: evaluate with every reason worked out and build the lean result, as a JSON
    Lines run does.

    The evaluator remembers verdicts per ruleset (a batch asks the same questions again and
    again); its memory is emptied before every pass, so a pass over the same files gains
    only what one batch of them would, never what an earlier pass left behind."""
    import tomllib

    from assistant.core.evaluate import evaluate
    from assistant.core.profile import document as profile
    from assistant.core.rules import loader
    from assistant.reports import lean

    def forget() -> None:
        for rs in loader.bundled():
            rs.memo.forget_answers()

    raws = [(str(p), p.read_bytes()) for p in files]

    def parse_only():
        for _, raw in raws:
            tomllib.loads(raw.decode("utf-8"))

    def full():
        forget()
        for name, raw in raws:
            prof, rs = profile.load(raw, name)
            evaluate(rs, prof.equipment, prof.answers)

    def full_said():
        forget()
        for name, raw in raws:
            prof, rs = profile.load(raw, name)
            lean.build(prof, rs, evaluate(rs, prof.equipment, prof.answers, say=True), "zh", "")

    work = full_said if said else full
    work()  # rulesets loaded once, as in any real run
    best = {}
    for label, fn in (("parse", parse_only), ("full", work)):
        rounds = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            rounds.append((time.perf_counter() - start) / number / len(raws))
        best[label] = min(rounds)
    return best["parse"], best["full"]


def exact_cost(files: list[Path]) -> tuple[float, float, float, int]:
    """Per profile: the clauses (and people's verdicts) the exact check ran on, its
    three-valued evaluations, its share of the evaluation's time (the facts an open clause
    misses worked out too), and how often its budget ran out (in all)."""
    from assistant.core.evaluate import evaluate
    from assistant.core.profile import document as profile
    from assistant.core.rules import loader

    for rs in loader.bundled():
        rs.memo.forget_answers()
    rules = evals = over = 0
    spent = total = 0.0
    for path in files:
        prof, rs = profile.load(path.read_bytes(), str(path))
        start = time.perf_counter()
        ev = evaluate(rs, prof.equipment, prof.answers)
        ev.missing  # noqa: B018 - which facts can still decide an open clause: worked out when read
        total += time.perf_counter() - start
        rules, evals, over = rules + ev.exact.rules, evals + ev.exact.evaluations, over + ev.exact.over_budget
        spent += ev.exact.seconds
    return rules / len(files), evals / len(files), spent / total, over


# --- (2) batch ------------------------------------------------------------------------------

PARSE_LOOP = """
import glob, sys, tomllib
for path in sorted(glob.glob(sys.argv[1] + '/*.toml')):
    with open(path, 'rb') as f:
        tomllib.load(f)
"""


def jobs_available(env) -> bool:
    out = subprocess.run(
        [*medequip_cmd(), "check", "--help"], capture_output=True, text=True, env=env, cwd=CHILD_CWD
    )
    return "--jobs" in out.stdout


def other_format_rows(
    row, med, env, big_dir: Path, big: int, extra1: list[str], rounds: int, lean_wall: float
) -> None:
    """(5): ``stats`` and ``check --format csv`` over the batch's files, against the lean
    JSON Lines run (the best of ``rounds`` runs each, as for the run they are measured
    against)."""
    for label, cmd in (
        ("stats", [*med, "stats", str(big_dir), "--format", "text", *extra1]),
        ("check --format csv", [*med, "check", str(big_dir), "--format", "csv", *extra1]),
    ):
        runs = []
        for _ in range(rounds):
            load = os.getloadavg()
            runs.append((*run_child(cmd, env), load))
        wall, _, mem, load = min(runs)
        row(
            f"(5) {label}, {big:,} files",
            f"{fmt_s(wall)} = {wall / lean_wall:.2f}x lean jsonl --jobs 1, {mem / 1024:.0f} MB {load_note(load)}",
            "≤ 1.2x",
            wall <= 1.2 * lean_wall,
        )


# --- (4) TUI --------------------------------------------------------------------------------


def tui_figures(samples: int) -> tuple[float, float, float] | str:
    """(launch to first question, median answer to next question through the pilot and in
    the app) in seconds, or why not."""
    try:
        from assistant.tui.app import make_app  # noqa: F401
    except Exception as e:  # the TUI is optional for this benchmark
        return f"TUI not available ({type(e).__name__}: {e})"
    from tests.benchmarks import tui

    return tui.measure(samples)


def tui_rows(row, samples: int) -> None:
    """(4): launch to first question, and answer to next question judged in the app
    (submission to the first frame showing the next question): the pilot's figure includes
    its own idle waits after each key."""
    t = tui_figures(samples)
    if isinstance(t, str):
        row("(4) TUI", t, "< 1.5 s / < 50 ms", None)
        return
    launch, step, in_app = t
    row("(4) TUI launch to first question", fmt_s(launch), "< 1.5 s", launch < 1.5)
    row(
        f"(4) TUI answer to next question, in app (median of {samples})",
        f"{fmt_s(in_app)} (pilot {fmt_s(step)})",
        "< 50 ms",
        in_app < 0.05,
    )


# --- (6) in-app latency over a long session -------------------------------------------------


def latency_rows(row, turns: int) -> None:
    """Answer -> next question measured inside the app over a proton session with 10 staff
    (tests/benchmarks/latency.py), with the pilot's figure for the same turns beside it."""
    from tests.benchmarks import latency

    try:
        r = latency.measure(turns)
    except Exception as e:  # the TUI is optional for this benchmark
        row("(6) in-app latency", f"not available ({type(e).__name__}: {e})", "", None)
        return
    med, p95, slope = latency.summary(r["app"])
    cpu_med, cpu_p95, _ = latency.summary(r["cpu"])
    p_med, p_p95, p_slope = latency.summary(r["pilot"])
    n = len(r["app"])
    label = f"(6) in app, {n} turns, proton, {r['staff']} staff"
    row(
        f"{label}: median",
        f"{fmt_s(med)} (CPU {fmt_s(cpu_med)}; pilot {fmt_s(p_med)})",
        "≤ 50 ms",
        med <= 0.05,
    )
    row(f"{label}: p95", f"{fmt_s(p95)} (CPU {fmt_s(cpu_p95)}; pilot {fmt_s(p_p95)})", "≤ 100 ms", p95 <= 0.1)
    row(
        f"{label}: slope",
        f"{slope * 1e3:+.1f} ms per 100 turns (pilot {p_slope * 1e3:+.1f})",
        "flat (|slope| ≤ 5 ms)",
        abs(slope) <= 0.005,
    )


# --- report ---------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, Python {platform.python_version()} ({platform.system()})"


def load_note(load: tuple[float, float, float]) -> str:
    """The load average (1, 5, 15 min) when a figure was taken: on a shared machine the
    ratios mean something only next to it."""
    return f"[load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}]"


def fmt_s(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer files and repetitions (a smoke run)")
    ap.add_argument("--files", type=int, default=10_000, help="profiles in the batch figure (default 10000)")
    args = ap.parse_args(argv)
    quick = args.quick
    big = 500 if quick else args.files
    small = 100 if quick else 1_000
    reps = 3 if quick else 15
    rounds = 1 if quick else 3
    env = child_env()
    med = medequip_cmd()
    site = installed_site()
    # What runs in this process ((1), (7)) imports the installed package too.
    sys.path.insert(0, str(site))
    rows: list[tuple[str, str, str, str]] = []  # figure, measured, target, met

    def row(figure: str, measured: str, target: str, met: bool | None) -> None:
        rows.append((figure, measured, target, "n/a" if met is None else ("met" if met else "NOT met")))
        print(f"  {figure}: {measured}", flush=True)

    print(f"machine: {machine()}", flush=True)
    print(f"measuring: {' '.join(med)}, package {site / 'assistant'} ({install_kind(site)})", flush=True)
    # Make sure the package's own bytecode exists, as it does in an installed wheel.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(site / "assistant")], env=env, check=False)

    # (1)
    examples = sorted(ROOT.glob("examples/*.toml"))
    parse_s, full_s = per_profile(examples, 20 if quick else 100)
    ratio = full_s / parse_s
    row(
        f"(1) per profile, load+validate+evaluate ({len(examples)} examples, cold memory)",
        f"{fmt_s(full_s)} vs tomllib {fmt_s(parse_s)} = {ratio:.2f}x",
        "≤ 1.5x",
        ratio <= 1.5,
    )
    with tempfile.TemporaryDirectory(prefix="medequip-bench1-") as tmp1:
        from tests.benchmarks.generate import generate

        gen = generate(Path(tmp1), 200 if quick else 2_000, seed=7)
        parse_s, full_s = per_profile(gen, 1)
        ratio = full_s / parse_s
        row(
            f"(1) per profile, load+validate+evaluate ({len(gen):,} generated, one pass)",
            f"{fmt_s(full_s)} vs tomllib {fmt_s(parse_s)} = {ratio:.2f}x",
            "≤ 1.5x",
            ratio <= 1.5,
        )
        parse_s, full_s = per_profile(gen, 1, said=True)
        row(
            f"(1) the same, every reason worked out and the lean result built ({len(gen):,} generated)",
            f"{fmt_s(full_s)} vs tomllib {fmt_s(parse_s)} = {full_s / parse_s:.2f}x",
            "—",
            None,
        )
        rules, evals, share, over = exact_cost(gen)
        row(
            f"(1) the exact check, per generated profile ({len(gen):,})",
            f"run on {rules:.1f} clauses and people's verdicts, {evals:.0f} evaluations, "
            f"{share:.0%} of the evaluation's time (missing facts included); budget exhausted {over} times",
            "budget never exhausted",
            over == 0,
        )

    # (7)
    from tests.benchmarks.questions import scenarios

    for name, n in scenarios(5 if quick else 20):
        row(f"(7) questions asked, {name}", f"{n:g}", "fewer than before", None)

    with tempfile.TemporaryDirectory(prefix="medequip-bench-") as tmp:
        tmpd = Path(tmp)
        from tests.benchmarks.generate import generate

        big_dir, small_dir = tmpd / "big", tmpd / "small"
        generate(big_dir, big)
        generate(small_dir, small)
        one = tmpd / "one.toml"
        shutil.copy(examples[0], one)

        # (2) In rounds, each timing the parse-only loop, then --jobs 1, then --jobs 2: the
        # best of each over the rounds is the figure (as in (1): what an idle machine gives),
        # and a burst of other work slows one round of all three rather than one figure.
        run_child([*med, "check", str(small_dir), "--format", "jsonl"], env)  # warm
        have_jobs = jobs_available(env)
        jobs = [1, 2] if have_jobs else [1]
        walls: dict = {}
        rss: dict = {}
        loads: dict = {}
        parse_wall = float("inf")
        parse_load = os.getloadavg()
        for _ in range(rounds):
            load = os.getloadavg()
            wall, _, _ = run_child([sys.executable, "-c", PARSE_LOOP, str(big_dir)], env)
            if wall < parse_wall:
                parse_wall, parse_load = wall, load
            for j in jobs:
                extra = ["--jobs", str(j)] if have_jobs else []
                load = os.getloadavg()
                wall, _, mem = run_child([*med, "check", str(big_dir), "--format", "jsonl", *extra], env)
                rss[(j, big)] = max(rss.get((j, big), 0), mem)
                if wall < walls.get(j, float("inf")):
                    walls[j], loads[j] = wall, load
        extra1 = ["--jobs", "1"] if have_jobs else []
        _, _, rss[(1, small)] = run_child([*med, "check", str(small_dir), "--format", "jsonl", *extra1], env)
        row(
            f"(2) parse-only loop, {big:,} files (best of {rounds} rounds, as every (2) time)",
            f"{fmt_s(parse_wall)} {load_note(parse_load)}",
            "baseline",
            None,
        )
        for j in jobs:
            row(
                f"(2) check --format jsonl --jobs {j}, {big:,} files",
                f"{fmt_s(walls[j])} = {walls[j] / parse_wall:.2f}x parse-only ({big / walls[j]:,.0f} files/s) "
                f"{load_note(loads[j])}",
                "≤ 1x (jobs 2)" if j == 2 else "-",
                walls[j] <= parse_wall if j == 2 else None,
            )
        if 2 in walls:
            speedup = walls[1] / walls[2]
            row(
                "(2) --jobs 2 speed-up over --jobs 1",
                f"{speedup:.2f}x",
                "≥ 1.7x (idle 2 cores)",
                speedup >= 1.7,
            )
        if not have_jobs:
            row("(2) check --jobs 2", "--jobs is unavailable in this build", "≤ 1x parse-only", None)
        for n in (small, big):
            mb = rss[(1, n)] / 1024
            row(f"(2) peak memory (ru_maxrss), {n:,} files", f"{mb:.0f} MB", "< 150 MB", mb < 150)

        other_format_rows(row, med, env, big_dir, big, extra1, rounds, walls[1])  # (5)

        # (3)
        base, check, helpw = median_walls(
            [
                [sys.executable, "-c", "import tomllib, json"],
                [*med, "check", str(one), "--format", "json"],
                [*med, "--help"],
            ],
            env,
            reps,
        )
        row("(3) python -c 'import tomllib, json'", fmt_s(base), "baseline", None)
        row(
            "(3) cold start: check one.toml --format json",
            f"{fmt_s(check)} = {check / base:.2f}x",
            "≤ 2.5x",
            check / base <= 2.5,
        )
        row("(3) cold start: --help", f"{fmt_s(helpw)} = {helpw / base:.2f}x", "≤ 1.5x", helpw / base <= 1.5)

    tui_rows(row, 10 if quick else 50)  # (4)

    # (6)
    latency_rows(row, 60 if quick else 250)

    print()
    widths = [max(len(r[i]) for r in [("figure", "measured", "target", "met"), *rows]) for i in range(4)]
    for r in [("figure", "measured", "target", "met"), tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print(f"\nmachine: {machine()}; load average now {load_note(os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
