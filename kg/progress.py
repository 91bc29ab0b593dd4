"""Progress of long runs: stages and counts, reported by the library, shown by the CLI.

Library code never writes to the terminal. It reports to the current
:class:`Reporter` through :func:`stage` ("reading", "extracting",
"resolving", "writing graph.ttl, …", "pushing …", with a total when one is
known) and :func:`advance` / :func:`update`; the default reporter ignores
everything, so a library caller sees nothing. ``kg build``'s existing
``progress(n)`` callback (papers extracted so far) is the same object's
``__call__``.

The CLI installs a :class:`TerminalProgress` (rich) while a command runs, only
when stderr is a terminal and -q was not given. Rich was chosen over tqdm and
click's bar because its display is redrawn by its own thread four times a
second: a stage without counts (resolving, writing a file converted whole)
still shows its elapsed time moving, so the line never freezes while work goes
on; it also keeps log lines above the bar and erases the bar when done. It is
already installed with spaCy (through typer), so it costs no new download.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import Any


class Reporter:
    """Where the library reports progress; this one ignores it."""

    def stage(self, name: str, total: float | None = None, unit: str = "papers") -> None:
        """A new stage begins; ``total`` in ``unit`` when known (``unit="B"``: bytes)."""

    def update(self, done: float) -> None:
        """So much of the current stage is done (absolute)."""

    def advance(self, n: float = 1) -> None:
        """``n`` more of the current stage are done."""

    def __call__(self, n: int) -> None:  # kg.build's extraction callback: papers so far
        self.update(n)

    def close(self) -> None:
        """The run is over: remove any display."""


_lock = threading.Lock()
_current: Reporter = Reporter()


def current() -> Reporter:
    return _current


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Make ``reporter`` the one :func:`stage` and :func:`advance` report to, then close it."""
    global _current
    with _lock:
        previous, _current = _current, reporter
    try:
        yield reporter
    finally:
        with _lock:
            _current = previous
        reporter.close()


def stage(name: str, total: float | None = None, unit: str = "papers") -> None:
    _current.stage(name, total, unit)


def advance(n: float = 1) -> None:
    _current.advance(n)


def update(done: float) -> None:
    _current.update(done)


# -- the terminal display ---------------------------------------------------------------------------

def _human(n: float, unit: str) -> str:
    if unit == "B":
        for suffix in ("B", "kB", "MB", "GB", "TB"):
            if abs(n) < 1000 or suffix == "TB":
                return f"{n:,.0f} {suffix}" if suffix == "B" else f"{n:,.1f} {suffix}"
            n /= 1000
    return f"{n:,.0f} {unit}" if unit else f"{n:,.0f}"


def _columns() -> list[Any]:
    from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    def _clock(seconds: float) -> str:
        seconds = int(seconds)
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

    class Count(ProgressColumn):
        """done/total in the stage's unit, or just done when the total is unknown."""

        def render(self, task: Any) -> Text:
            unit = task.fields.get("unit", "")
            if task.total is None:  # a count so far, when there is one
                return Text(_human(task.completed, unit) if task.completed else "")
            if unit == "B":
                return Text(f"{_human(task.completed, unit)}/{_human(task.total, unit)}")
            return Text(f"{task.completed:,.0f}/{task.total:,.0f} {unit}")

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{_human(speed, task.fields.get('unit', ''))}/s")

    class Eta(ProgressColumn):
        def render(self, task: Any) -> Text:
            left = task.time_remaining
            return Text("" if left is None else f"ETA {_clock(left)}")

    return [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=24), Count(), Rate(), Eta(),
            TimeElapsedColumn()]


class TerminalProgress(Reporter):
    """One live line on stderr: stage, bar, done/total, rate, ETA, elapsed time
    (rich). Redrawn four times a second by rich's own thread."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self.console = Console(stderr=True)
        self.progress = Progress(*_columns(), console=self.console, transient=True, refresh_per_second=4,
                                 speed_estimate_period=10.0, redirect_stdout=False, redirect_stderr=True)
        self.task: Any = None
        self.progress.start()

    def stage(self, name: str, total: float | None = None, unit: str = "papers") -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(name, total=total, unit=unit)

    def update(self, done: float) -> None:
        if self.task is None:
            self.stage("extracting")
        self.progress.update(self.task, completed=done)

    def advance(self, n: float = 1) -> None:
        if self.task is None:
            self.stage("working", unit="")
        self.progress.advance(self.task, n)

    def close(self) -> None:
        self.progress.stop()


def for_terminal(quiet: bool = False) -> Reporter:
    """The display when stderr is a terminal (and not -q), else one that ignores everything."""
    if quiet or not sys.stderr.isatty():
        return Reporter()
    return TerminalProgress()
