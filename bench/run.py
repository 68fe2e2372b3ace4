"""Benchmarks of the tracker against its peers, every command timed as a whole process.

    python bench/run.py [--sizes 1000,10000,100000] [--repeats 3] [--json] [--quick]

For the bundled plan (51 items) and each generated size (bench/gen_plan.py, fixed seed), in
one run: `tracker plan check` and `plan schedule --json` against `tj3 --no-reports` on the
same plan (exported with `tracker export tjp`); `tracker init`, `set`, `status` and
`tasks --json` on SQLite, and on PostgreSQL where reachable; `tracker tasks` against
Taskwarrior's `task list` on the same tasks (and `tracker init` against `task import`); the
TUI's first frame, data shown and key-to-screen latency (bench/tui_bench.py's child); the
Gantt HTML up to 10,000 items; and, on the bundled plan, `tracker comms check` over a year
of daily activities. Figures are medians of --repeats fresh processes: wall clock, CPU time
and the peak resident memory of that process (its own rusage, through /usr/bin/time).

It prints a table (and checks the targets of the project) and writes bench/RESULTS.md with
the machine described. `--quick` is the smoke test's run: 200 items, one repetition, no
PostgreSQL, no TUI, nothing written. A peer that is not installed is skipped with a note:
`apt-get install tj3 taskwarrior`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

# The tracker's dependencies (PyYAML, psycopg) live in the project's venv: run inside it.
if (
    __name__ == "__main__"
    and VENV_PYTHON.exists()
    and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve()
):
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])

sys.path.insert(0, str(ROOT))

from bench import tui_bench  # noqa: E402
from bench.gen_plan import generate_plan  # noqa: E402

PY = sys.executable
BUNDLED = ROOT / "data" / "plan_fase2.yaml"
AS_OF = "2018-04-16"
SEED = 1
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
GANTT_MAX = 10_000
RESULTS = ROOT / "bench" / "RESULTS.md"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- one process, measured -------------------------------------------------------------


@dataclass
class Proc:
    wall: float
    cpu: float
    rss_kb: int
    code: int | None  # None: killed at the time limit
    err: str


# Peak memory must be the command's own: a child forked from this (large) runner inherits
# the runner's high-water mark through vfork/exec, so each command is started by a small
# launcher that reports the ru_maxrss and CPU time of the command it waited for.
GNU_TIME = "/usr/bin/time"
LAUNCHER = r"""
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(f"{ru.ru_maxrss} {ru.ru_utime} {ru.ru_stime}\n")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def launcher(report: Path) -> list[str]:
    if os.access(GNU_TIME, os.X_OK):
        return [GNU_TIME, "-f", "%M %U %S", "-o", str(report)]
    return [PY, "-I", "-S", "-c", LAUNCHER, str(report)]


def run_proc(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
    stdout: Path | None = None,
) -> Proc:
    """Run ``cmd`` to its end (or kill it at ``timeout``): wall clock, CPU and peak memory."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    fd, name = tempfile.mkstemp(prefix="bench-rusage-")
    os.close(fd)
    report = Path(name)
    try:
        with tempfile.TemporaryFile() as err:
            started = time.perf_counter()
            proc = subprocess.Popen(
                [*launcher(report), *cmd],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env,
                cwd=cwd or ROOT,
                start_new_session=True,
            )
            # A blocking wait (Popen.wait with a timeout polls, up to 50 ms late) and a timer
            # that kills the whole process group at the limit.
            killed: list[bool] = []

            def kill() -> None:
                killed.append(True)
                os.killpg(proc.pid, signal.SIGKILL)

            timer = threading.Timer(timeout, kill) if timeout else None
            if timer:
                timer.start()
            proc.wait()
            if timer:
                timer.cancel()
            wall = time.perf_counter() - started
            err.seek(0)
            text = err.read().decode("utf-8", "replace")
        fields = (report.read_text().strip().splitlines() or ["0 0 0"])[-1].split()
    finally:
        report.unlink(missing_ok=True)
        if stdout:
            out.close()  # type: ignore[union-attr]
    try:
        rss_kb, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
    except (IndexError, ValueError):
        rss_kb, cpu = 0, 0.0
    return Proc(
        wall=wall,
        cpu=cpu,
        rss_kb=rss_kb,
        code=None if killed else proc.returncode,
        err=text,
    )


@dataclass
class Stat:
    """Medians over the repetitions of one step (or why there is no figure)."""

    wall: float | None = None
    cpu: float | None = None
    rss_mb: float | None = None
    runs: list[float] = field(default_factory=list)
    dnf: float | None = None  # the time limit it did not finish within
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.wall is not None


def measure(
    cmd: list[str] | Callable[[int], list[str]],
    repeats: int,
    *,
    before: Callable[[int], None] | None = None,
    warmup: bool = False,
    **kwargs: Any,
) -> Stat:
    """Median of ``repeats`` runs; the first failure or time-out ends the series."""
    if warmup:
        run_proc(cmd(-1) if callable(cmd) else cmd, **kwargs)
    procs: list[Proc] = []
    for i in range(repeats):
        if before:
            before(i)
        p = run_proc(cmd(i) if callable(cmd) else cmd, **kwargs)
        if p.code is None:
            limit = kwargs.get("timeout") or 0
            return Stat(dnf=limit, note=f"did not finish in {limit:.0f} s")
        if p.code != 0:
            last = [line for line in p.err.strip().splitlines() if line.strip()][-1:] or [""]
            return Stat(note=f"failed (exit {p.code}): {last[0][:120]}")
        procs.append(p)
    return Stat(
        wall=statistics.median(p.wall for p in procs),
        cpu=statistics.median(p.cpu for p in procs),
        rss_mb=max(p.rss_kb for p in procs) / 1024,
        runs=[round(p.wall, 4) for p in procs],
    )


# --- rows, targets -----------------------------------------------------------------------


@dataclass
class Row:
    size: int
    plan: str  # "bundled" or "generated"
    step: str
    backend: str = ""  # "sqlite", "postgresql" or "" (no database)
    ours: Stat | None = None
    peer_name: str = ""
    peer: Stat | None = None
    target: str = ""
    check: Callable[[Row], bool | None] | None = None
    note: str = ""

    @property
    def label(self) -> str:
        if self.plan == "startup":
            return "—"
        return f"{self.size:,} (bundled)" if self.plan == "bundled" else f"{self.size:,}"

    @property
    def step_label(self) -> str:
        return f"{self.step} [PostgreSQL]" if self.backend == "postgresql" else self.step

    @property
    def ratio(self) -> float | None:
        """peer / ours: above 1, ours is faster."""
        if self.ours and self.ours.ok and self.peer and self.peer.ok:
            return self.peer.wall / self.ours.wall  # type: ignore[operator]
        return None

    @property
    def ratio_at_least(self) -> float | None:
        """Where the peer did not finish: its time limit / ours, a lower bound."""
        if self.ours and self.ours.ok and self.peer and self.peer.dnf:
            return self.peer.dnf / self.ours.wall  # type: ignore[operator]
        return None

    @property
    def met(self) -> bool | None:
        return self.check(self) if self.check else None

    def as_json(self) -> dict[str, Any]:
        def stat(s: Stat | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {
                "s": s.wall,
                "cpu_s": s.cpu,
                "peak_mb": s.rss_mb,
                "runs": s.runs,
                "did_not_finish_s": s.dnf,
                "note": s.note,
            }

        return {
            "size": self.size,
            "plan": self.plan,
            "step": self.step,
            "backend": self.backend,
            "ours": stat(self.ours),
            "peer_name": self.peer_name,
            "peer": stat(self.peer),
            "ratio": self.ratio,
            "ratio_at_least": self.ratio_at_least,
            "target": self.target,
            "met": self.met,
            "note": self.note,
        }


def under(limit: float) -> tuple[str, Callable[[Row], bool | None]]:
    def check(row: Row) -> bool | None:
        return None if not (row.ours and row.ours.ok) else row.ours.wall < limit  # type: ignore[operator]

    return f"< {fmt_s(limit)}", check


def times_faster(k: float, peer: str) -> tuple[str, Callable[[Row], bool | None]]:
    def check(row: Row) -> bool | None:
        if row.ratio is not None:
            return row.ratio >= k
        if row.ratio_at_least is not None and row.ratio_at_least >= k:
            return True
        return None

    return (f"≥ {k:g}× {peer}" if k != 1 else f"faster than {peer}"), check


def target_for(plan: str, size: int, step: str, backend: str) -> tuple[str, Any]:
    """The project's performance targets (only SQLite figures are held to them)."""
    if backend == "postgresql":
        return "", None
    if step == "plan schedule --json" and size in (1000, 10_000):
        return times_faster(10, "tj3")
    if step in ("plan check", "plan schedule --json") and size == 100_000:
        return under(5.0)
    if step == "init" and size == 100_000:
        return under(10.0)
    if step == "status" and plan == "bundled":
        return under(0.4)
    if step == "tasks (text)" and size == 10_000:
        return times_faster(1, "task list")
    if step in ("TUI first frame", "TUI data shown") and (plan == "bundled" or size == 10_000):
        return under(0.5)
    if step in ("TUI first frame", "TUI data shown") and size == 100_000:
        return under(1.5)
    if step.startswith("TUI key"):
        return under(0.050)
    if step == "gantt html" and plan == "bundled":
        return under(1.0)  # issue 14: the Gantt HTML of the bundled plan under a second
    return "", None


# --- formatting ----------------------------------------------------------------------------


def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    if x < 0.1:
        return f"{x * 1000:.1f} ms"
    if x < 1:
        return f"{x * 1000:.0f} ms"
    if x < 100:
        return f"{x:.2f} s"
    return f"{x:.0f} s"


def fmt_stat(s: Stat | None) -> str:
    if s is None:
        return "—"
    if s.ok:
        return fmt_s(s.wall)
    if s.dnf:
        return f"> {fmt_s(s.dnf)} (DNF)"
    return "failed"


def fmt_ratio(row: Row) -> str:
    def x(v: float) -> str:
        return f"{v:.0f}×" if v >= 10 else f"{v:.1f}×" if v >= 1 else f"{v:.2f}×"

    if row.ratio is not None:
        return x(row.ratio)
    if row.ratio_at_least is not None:
        return f"> {x(row.ratio_at_least)}"
    return ""


def fmt_mem(row: Row) -> str:
    def mb(s: Stat | None) -> str:
        return f"{s.rss_mb:.0f}" if s and s.rss_mb is not None else "—"

    if row.peer and row.peer.rss_mb is not None:
        return f"{mb(row.ours)} / {mb(row.peer)}"
    return mb(row.ours) if row.ours and row.ours.rss_mb is not None else ""


def fmt_target(row: Row) -> str:
    if not row.target:
        return ""
    met = row.met
    return f"{row.target}: " + {True: "met", False: "MISSED", None: "n/a"}[met]


def row_note(row: Row) -> str:
    parts = [row.note] if row.note else []
    for who, s in (("ours", row.ours), (row.peer_name or "peer", row.peer)):
        if s and s.note:
            parts.append(f"{who}: {s.note}")
    return "; ".join(parts)


COLUMNS = [
    "size",
    "step",
    "ours",
    "ours CPU",
    "peer",
    "peer time",
    "ratio",
    "peak MB",
    "target",
    "note",
]


def table_cells(rows: list[Row]) -> list[list[str]]:
    return [
        [
            r.label,
            r.step_label,
            fmt_stat(r.ours),
            fmt_s(r.ours.cpu) if r.ours and r.ours.cpu is not None else "",
            r.peer_name,
            fmt_stat(r.peer) if r.peer_name and r.peer is not None else "",
            fmt_ratio(r),
            fmt_mem(r),
            fmt_target(r),
            row_note(r),
        ]
        for r in rows
    ]


def text_table(rows: list[Row]) -> str:
    cells = [COLUMNS, *table_cells(rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = []
    for n, c in enumerate(cells):
        lines.append("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("─" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for c in table_cells(rows):
        lines.append("| " + " | ".join(v.replace("|", "\\|") for v in c) + " |")
    return "\n".join(lines)


# --- the machine ---------------------------------------------------------------------------


def first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not available"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else "not available"


def machine(pg: str | None) -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        models = [ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if "model name" in ln]
        info["cpu"] = models[0] if models else platform.processor()
    except OSError:
        info["cpu"] = platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info["cores"] = f"{os.cpu_count()} ({usable} usable)"
    try:
        kb = next(
            int(ln.split()[1])
            for ln in Path("/proc/meminfo").read_text().splitlines()
            if ln.startswith("MemTotal")
        )
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        info["memory"] = "unknown"
    pretty = platform.platform()
    try:
        for ln in Path("/etc/os-release").read_text().splitlines():
            if ln.startswith("PRETTY_NAME="):
                pretty = ln.split("=", 1)[1].strip('"')
    except OSError:
        pass
    info["os"] = f"{pretty}, kernel {platform.release()}"
    info["python"] = platform.python_version()
    import sqlite3

    info["sqlite"] = sqlite3.sqlite_version
    info["tj3"] = first_line(["tj3", "--version"]) if shutil.which("tj3") else "not installed"
    info["taskwarrior"] = (
        first_line(["task", "--version"]) if shutil.which("task") else "not installed"
    )
    info["postgresql"] = pg or "not reachable"
    load = os.getloadavg()
    info["load at start"] = f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1/5/15 min)"
    return info


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_version(base: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(base, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return f"PostgreSQL {row[0]}" if row else "PostgreSQL"
    except Exception as exc:  # unreachable, no driver, refused: the steps are skipped
        log(f"PostgreSQL not reachable at {base}: {exc}".splitlines()[0])
        return None


def pg_schema(base: str, schema: str, *, create: bool) -> None:
    import psycopg

    with psycopg.connect(base, connect_timeout=3, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        if create:
            conn.execute(f'CREATE SCHEMA "{schema}"')


def pg_url(base: str, schema: str) -> str:
    url = base.replace("postgresql://", "postgresql+psycopg://", 1)
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


# --- the steps -----------------------------------------------------------------------------


@dataclass
class Env:
    repeats: int
    quick: bool
    tj_timeout: float
    tui: bool
    pg: str | None  # base URL when reachable
    pg_skipped: str  # why not, otherwise
    gantt: bool
    work: Path
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def tracker(*args: str | Path) -> list[str]:
    return [PY, "-m", "tracker", *map(str, args)]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    env.setdefault("TRACKER_USER", "bench")
    env.update(extra)
    return env


def add(env: Env, row: Row) -> Row:
    row.target, row.check = target_for(row.plan, row.size, row.step, row.backend)
    env.rows.append(row)
    ours = fmt_stat(row.ours)
    peer = f"  {row.peer_name} {fmt_stat(row.peer)}" if row.peer_name else ""
    log(f"  {row.label:>16}  {row.step_label:<28} {ours:>10}{peer}  {row_note(row)}")
    return row


def startup(env: Env) -> None:
    """The fixed cost every command pays: the interpreter, and the CLI's imports."""
    log("[start-up]")
    for step, cmd in (
        ("python -c pass", [PY, "-c", "pass"]),
        ("tracker --help", tracker("--help")),
    ):
        add(env, Row(size=0, plan="startup", step=step, ours=measure(cmd, env.repeats)))


def bench_size(env: Env, size: int, plan_kind: str) -> None:
    ws = env.work / f"{plan_kind}-{size}"
    ws.mkdir(parents=True, exist_ok=True)
    base_env = child_env()
    r = env.repeats
    log(f"[{plan_kind} plan, {size:,} items]")

    def row(step: str, **kw: Any) -> Row:
        return add(env, Row(size=size, plan=plan_kind, step=step, **kw))

    # The plan and its TaskJuggler twin.
    if plan_kind == "bundled":
        plan = BUNDLED
    else:
        plan = ws / "plan.yaml"
        plan.write_text(generate_plan(size, SEED), encoding="utf-8")
    tjp = ws / "plan.tjp"
    export = measure(tracker("export", "tjp", plan, "-o", tjp), 1, env=base_env)
    row("export tjp", ours=export, note="1 run")

    # Validation and scheduling, against tj3 on the same plan.
    check = measure(tracker("plan", "check", plan), r, env=base_env)
    schedule_json = ws / "schedule.json"
    schedule = measure(
        tracker("plan", "schedule", plan, "--json"), r, env=base_env, stdout=schedule_json
    )
    tj: Stat | None = None
    tj_name = "tj3 --no-reports"
    if not shutil.which("tj3"):
        tj_name = "tj3: not installed (apt-get install tj3)"
    elif not export.ok:
        tj_name = "tj3: no .tjp (export failed)"
    else:
        log(f"  tj3 on {size:,} items (time limit {env.tj_timeout:.0f} s) ...")
        tj = measure(
            ["tj3", "--silent", "--no-reports", str(tjp)],
            r,
            env={**base_env, "RUBY_THREAD_VM_STACK_SIZE": "200000000"},
            cwd=ws,
            timeout=env.tj_timeout,
        )
    row("plan check", ours=check, peer_name=tj_name, peer=tj)
    row("plan schedule --json", ours=schedule, peer_name=tj_name, peer=tj)

    items: list[dict[str, Any]] = []
    if schedule.ok:
        items = json.loads(schedule_json.read_text(encoding="utf-8"))["items"]

    # The SQLite database.
    db = ws / "tracker.db"
    url = f"sqlite:///{db}"

    def fresh_sqlite(_i: int) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    init = measure(
        tracker("init", "--plan", plan, "--db", url), r, before=fresh_sqlite, env=base_env
    )
    tw = taskwarrior(env, ws, items)
    row("init", backend="sqlite", ours=init, **tw["import"])
    if not init.ok:
        env.notes.append(f"{size:,}: init failed, the database steps were skipped")
        return
    database_steps(env, size, plan_kind, url, "sqlite", items, ws, base_env, tw)

    if env.gantt and size <= GANTT_MAX:
        gantt = measure(
            tracker("gantt", "-o", ws / "gantt.html", "--as-of", AS_OF, "--db", url),
            r,
            env=base_env,
        )
        row("gantt html", backend="sqlite", ours=gantt)
    elif not env.gantt:
        row("gantt html", note="skipped: `tracker gantt` is not available in this checkout")
    else:
        row("gantt html", note=f"not measured above {GANTT_MAX:,} items")

    if env.tui:
        tui_rows(env, size, plan_kind, url, base_env)
    else:
        row("TUI", note="skipped (--quick)" if env.quick else "skipped (--no-tui)")

    if env.pg:
        schema = f"bench_{plan_kind}_{size}_{os.getpid()}"
        purl = pg_url(env.pg, schema)
        try:
            pinit = measure(
                tracker("init", "--plan", plan, "--db", purl),
                r,
                before=lambda _i: pg_schema(env.pg, schema, create=True),  # type: ignore[arg-type]
                env=base_env,
            )
            row("init", backend="postgresql", ours=pinit)
            if pinit.ok:
                database_steps(env, size, plan_kind, purl, "postgresql", items, ws, base_env, None)
        finally:
            pg_schema(env.pg, schema, create=False)
    else:
        row("PostgreSQL steps", backend="postgresql", note=env.pg_skipped)

    if plan_kind == "bundled":
        comms_year(env, ws, base_env)


def database_steps(
    env: Env,
    size: int,
    plan_kind: str,
    url: str,
    backend: str,
    items: list[dict[str, Any]],
    ws: Path,
    base_env: dict[str, str],
    tw: dict[str, Any] | None,
) -> None:
    r = env.repeats

    def row(step: str, **kw: Any) -> Row:
        return add(env, Row(size=size, plan=plan_kind, step=step, backend=backend, **kw))

    # `set` on tasks without predecessors, a different one each time.
    free = [i["id"] for i in items if i.get("kind") == "task" and not i.get("depends_on")]
    free = free or [i["id"] for i in items if i.get("kind") == "task"]
    if free:
        pick = [free[(k * 7919) % len(free)] for k in range(r)]
        stat = measure(
            lambda k: tracker(
                "set", pick[k], "en_curso", "--percent", "10", "--date", "2018-03-01", "--db", url
            ),
            r,
            env=base_env,
        )
        row("set", ours=stat)
    status = measure(tracker("status", "--as-of", AS_OF, "--db", url), r, env=base_env)
    row("status", ours=status)
    tasks_json = measure(
        tracker("tasks", "--json", "--as-of", AS_OF, "--db", url),
        r,
        env=base_env,
        stdout=ws / f"tasks-{backend}.json",
    )
    row("tasks --json", ours=tasks_json)
    if tw is None:
        return
    tasks_text = measure(
        tracker("tasks", "--as-of", AS_OF, "--db", url),
        r,
        env=base_env,
        warmup=True,
        stdout=ws / f"tasks-{backend}.txt",
    )
    row("tasks (text)", ours=tasks_text, **tw["list"])


def taskwarrior(env: Env, ws: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    """`task import` and `task list` on the plan's items; the peer columns of two rows."""
    if not shutil.which("task"):
        missing = {"peer_name": "task: not installed (apt-get install taskwarrior)"}
        return {"import": missing, "list": missing}
    if not items:
        none = {"peer_name": "task: no schedule to import"}
        return {"import": none, "list": none}
    home = ws / "taskwarrior"
    home.mkdir(exist_ok=True)
    rc = home / "taskrc"
    rc.write_text("", encoding="utf-8")
    data = home / "data"
    tasks_file = home / "tasks.json"
    tasks_file.write_text(
        json.dumps(
            [
                {
                    "description": f"{i['id']} {i['title']}",
                    "project": f"area{i['area']}",
                    "due": i["finish"].replace("-", "") + "T000000Z",
                    "status": "pending",
                }
                for i in items
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    tenv = child_env(TASKRC=str(rc), TASKDATA=str(data))
    opts = ["rc.confirmation=off", "rc.verbose=nothing", "rc.hooks=off"]

    def fresh(_i: int) -> None:
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()

    imp = measure(
        ["task", *opts, "import", str(tasks_file)], env.repeats, before=fresh, env=tenv, cwd=home
    )
    if not imp.ok:
        return {
            "import": {"peer_name": "task import", "peer": imp},
            "list": {"peer_name": "task list (import failed)"},
        }
    lst = measure(
        ["task", *opts, "rc.defaultwidth=200", "list"],
        env.repeats,
        env=tenv,
        cwd=home,
        warmup=True,
        stdout=home / "list.txt",
    )
    return {
        "import": {"peer_name": "task import", "peer": imp},
        "list": {"peer_name": "task list", "peer": lst},
    }


def tui_child(generated: bool) -> str:
    """tui_bench's child, timed from process start; generated plans filter on their titles."""
    return tui_bench.child_code(generated).replace(
        "START = time.perf_counter()",
        "import os\nSTART = float(os.environ['BENCH_T0'])",
        1,
    )


def tui_rows(env: Env, size: int, plan_kind: str, url: str, base_env: dict[str, str]) -> None:
    code = tui_child(plan_kind == "generated")
    runs: list[dict[str, float]] = []
    procs: list[Proc] = []
    failure = ""
    for _ in range(env.repeats):
        out = env.work / "tui.json"
        tenv = {**base_env, "TRACKER_LANG": "es"}
        tenv["BENCH_T0"] = repr(time.perf_counter())
        p = run_proc([PY, "-c", code, url], env=tenv, stdout=out, timeout=600)
        lines = out.read_text(encoding="utf-8").strip().splitlines()
        if p.code != 0 or not lines:
            tail = [ln for ln in p.err.strip().splitlines() if ln.strip()][-1:] or [""]
            failure = f"failed (exit {p.code}): {tail[0][:120]}"
            break
        runs.append(json.loads(lines[-1]))
        procs.append(p)

    def stat(key: str, scale: float = 1.0) -> Stat:
        if failure:
            return Stat(note=failure)
        values = [run[key] * scale for run in runs]
        return Stat(
            wall=statistics.median(values),
            rss_mb=max(p.rss_kb for p in procs) / 1024,
            runs=[round(v, 4) for v in values],
        )

    def own(key: str, settled: str) -> str:
        if failure:
            return ""
        seconds = {k: statistics.median(r[k] for r in runs) / 1000 for k in (key, settled)}
        return f"own work {fmt_s(seconds[key])}, all settled {fmt_s(seconds[settled])}"

    def row(step: str, s: Stat, note: str = "") -> None:
        add(env, Row(size=size, plan=plan_kind, step=step, backend="sqlite", ours=s, note=note))

    row("TUI first frame", stat("first_frame_s"), "from process start")
    row("TUI data shown", stat("data_shown_s"), "from process start")
    row("TUI key move", stat("move_ms", 1 / 1000), own("move_own_ms", "move_settled_ms"))
    filter_note = own("filter_own_ms", "filter_settled_ms")
    row("TUI key filter", stat("filter_key_ms", 1 / 1000), filter_note)


def comms_year(env: Env, ws: Path, base_env: dict[str, str]) -> None:
    """`tracker comms check` over a year of daily activities on the bundled plan."""
    import yaml

    def row(step: str, **kw: Any) -> Row:
        return add(env, Row(size=51, plan="bundled", step=step, backend="sqlite", **kw))

    text = BUNDLED.read_text(encoding="utf-8")
    window = "  period:\n    start: 2018-01-01\n    end: 2018-07-31\n"
    if text.count(window) != 2:
        row("comms check (365 days)", note="skipped: the plan's periods are not as expected")
        return
    plan = ws / "plan-2018.yaml"
    plan.write_text(text.replace(window, window.replace("2018-07-31", "2018-12-31")), "utf-8")
    targets = yaml.safe_load(plan.read_text(encoding="utf-8"))["communication"]["targets"]
    pairs = [(t["id"], c) for t in targets for c in t.get("channels", [])]
    activities = ws / "activities-2018.csv"
    with activities.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["date", "channel", "target", "title", "qty"])
        for k in range(365):
            target, channel = pairs[k % len(pairs)]
            day = date(2018, 1, 1) + timedelta(days=k)
            writer.writerow([day.isoformat(), channel, target, f"Actividad {k + 1}", 1])
    db = ws / "comms.db"
    url = f"sqlite:///{db}"

    def fresh(_i: int) -> None:
        db.unlink(missing_ok=True)
        p = run_proc(tracker("init", "--plan", plan, "--db", url), env=base_env)
        if p.code != 0:
            raise RuntimeError(f"init of the 2018 plan failed: {p.err.strip()[-300:]}")

    try:
        imp = measure(
            tracker("comms", "import", activities, "--db", url),
            env.repeats,
            before=fresh,
            env=base_env,
        )
    except RuntimeError as exc:
        row("comms import (365 rows)", note=f"skipped: {exc}")
        return
    row("comms import (365 rows)", ours=imp, note="plan copy spanning 2018")
    if imp.ok:
        check = measure(
            tracker("comms", "check", "--as-of", "2018-12-31", "--db", url),
            env.repeats,
            env=base_env,
        )
        row("comms check (365 entries)", ours=check, note="--as-of 2018-12-31")


# --- the report ----------------------------------------------------------------------------


def summary(rows: list[Row]) -> list[str]:
    out = []
    for r in rows:
        if not r.target:
            continue
        met = {True: "met", False: "MISSED", None: "not measured"}[r.met]
        if r.step == "tasks (text)" or "tj3" in r.target:
            got = fmt_ratio(r) or "—"
        else:
            got = fmt_stat(r.ours)
        out.append(f"- {r.label} · {r.step_label}: target {r.target}, measured {got} → {met}")
    return out


def write_results(
    path: Path, info: dict[str, str], rows: list[Row], env: Env, argv: str, *, append: bool
) -> None:
    """The report; with ``append``, one more dated section after an existing report."""
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    h = "###" if append else "##"
    body = [
        f"Measured {when} with `python bench/run.py {argv}` ({env.repeats} "
        + ("repetition" if env.repeats == 1 else "repetitions, medians")
        + "; see [README.md](README.md) for the method).",
        "",
        f"{h} Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        f"{h} Targets",
        "",
        *(summary(rows) or ["- (no target applies to these sizes)"]),
        "",
        f"{h} All figures",
        "",
        "Wall clock of whole processes (start to exit), medians; CPU is user + system time of "
        "the process; peak MB is its resident peak (ours / peer); ratio is peer / ours (above "
        "1: ours is faster). TUI rows are timed inside the app's process from its start.",
        "",
        markdown_table(rows),
        "",
    ]
    if env.notes:
        body += [f"{h} Notes", "", *[f"- {n}" for n in env.notes], ""]
    if append and path.exists():
        old = path.read_text(encoding="utf-8").rstrip("\n")
        text = old + "\n\n" + f"## Additional run, {when}\n\n" + "\n".join(body)
    else:
        text = "# Benchmark results\n\n" + "\n".join(body)
    path.write_text(text, encoding="utf-8")


def gantt_available() -> bool:
    p = run_proc(tracker("gantt", "--help"), env=child_env())
    return p.code == 0


def parse_sizes(text: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="generated plan sizes")
    parser.add_argument("--repeats", type=int, default=3, help="processes per step (median)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 200 items, 1 repetition, no PG, no TUI"
    )
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled plan")
    parser.add_argument("--no-tui", action="store_true", help="skip the TUI measurements")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument(
        "--pg", default=PG_DEFAULT, help=f"PostgreSQL server (default {PG_DEFAULT})"
    )
    parser.add_argument(
        "--tj3-timeout",
        type=float,
        help="seconds before tj3 is stopped (default: 120 up to 1,000 items, else 600)",
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="the Markdown report to write"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write the report")
    parser.add_argument(
        "--append", action="store_true", help="add this run to the report instead of replacing it"
    )
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    args = parser.parse_args(argv)

    if args.quick:
        sizes, repeats, bundled = [200], 1, False
    else:
        sizes, repeats, bundled = sorted(parse_sizes(args.sizes)), args.repeats, not args.no_bundled
    use_pg = not (args.quick or args.no_pg)
    pg = pg_version(args.pg) if use_pg else None
    info = machine(pg if use_pg else "not measured")
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    env = Env(
        repeats=max(1, repeats),
        quick=args.quick,
        tj_timeout=0.0,
        tui=not (args.quick or args.no_tui),
        pg=args.pg if pg else None,
        pg_skipped=(
            "skipped (--quick)"
            if args.quick
            else "skipped (--no-pg)"
            if args.no_pg
            else f"skipped: PostgreSQL not reachable at {args.pg}"
        ),
        gantt=gantt_available(),
        work=work,
    )
    if use_pg and not pg:
        env.notes.append(f"PostgreSQL not reachable at {args.pg}: its steps were skipped.")
    if not shutil.which("tj3"):
        env.notes.append("tj3 not installed (apt-get install tj3): no scheduling peer.")
    if not shutil.which("task"):
        env.notes.append("taskwarrior not installed (apt-get install taskwarrior): no list peer.")
    if not env.gantt:
        env.notes.append("`tracker gantt` is not available in this checkout: skipped.")
    started = time.perf_counter()
    try:
        if not args.quick:
            startup(env)
        plans = ([(51, "bundled")] if bundled else []) + [(n, "generated") for n in sizes]
        for size, kind in plans:
            env.tj_timeout = args.tj3_timeout or (120.0 if size <= 1000 else 600.0)
            bench_size(env, size, kind)
    finally:
        if args.keep:
            log(f"working directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    info["load at end"] = f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1/5/15 min)"
    info["benchmark duration"] = f"{time.perf_counter() - started:.0f} s"

    if args.json:
        print(
            json.dumps(
                {
                    "date": date.today().isoformat(),
                    "machine": info,
                    "repeats": env.repeats,
                    "quick": args.quick,
                    "rows": [r.as_json() for r in env.rows],
                    "notes": env.notes,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(text_table(env.rows))
        print()
        print("\n".join(summary(env.rows)))
        for note in env.notes:
            print(f"note: {note}")
    if not (args.quick or args.no_write):
        shown = " ".join(argv if argv is not None else sys.argv[1:])
        write_results(args.results, info, env.rows, env, shown, append=args.append)
        log(f"written {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
