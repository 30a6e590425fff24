"""The typer application shared by the command modules, and the error boundary.

Command modules register with :func:`command` (not ``app.command``): it turns a
:class:`~kreiss.errors.KreissError` or an unreadable file into one red line on stderr and
exit status 2, never a traceback.  A ``background`` command runs in a worker thread with
Ctrl-C at the operating system's default action: the process ends at once (shell status
130), even inside a LAPACK call that holds the GIL, where a Python handler (and so
KeyboardInterrupt) would wait minutes for the call to return.  The waiting main thread
shows on stderr, after ``STATUS_AFTER`` seconds, that the command is working.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import signal
import threading

import typer

from ..errors import KreissError

app = typer.Typer(
    name="kreiss",
    help="Transient amplification in coupled gradient descent: pseudospectra, certified "
    "Kreiss constants, the paper's bounds, and its experiments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

@functools.cache
def console(stderr: bool = False):
    """The rich Console of stdout (``stderr``: of stderr), made on first use: importing
    rich.console costs ~30 ms of every start, which `kreiss analyze --json` would pay for
    nothing."""
    from rich.console import Console

    return Console(stderr=stderr)


def console_error(message: str) -> None:
    """Print a one-line error to stderr."""
    console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


#: how often the waiting main thread looks at the worker, and when it starts a status line
POLL = 0.1
STATUS_AFTER = 2.0


def _in_background(func, *a, **k):
    """Run ``func`` in a worker thread with Ctrl-C at its default action (module docstring)."""
    box: dict = {}

    def target():
        try:
            box["value"] = func(*a, **k)
        except BaseException as exc:  # re-raised in the main thread below
            box["error"] = exc

    ctx = contextvars.copy_context()  # the worker sees the caller's context variables
    worker = threading.Thread(target=ctx.run, args=(target,), daemon=True,
                              name=f"kreiss {func.__name__}")
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        worker.start()
        worker.join(STATUS_AFTER)
        if worker.is_alive():
            with console(stderr=True).status(f"{func.__name__}: working (Ctrl-C stops)",
                                             spinner="dots"):
                while worker.is_alive():
                    worker.join(POLL)
    finally:
        signal.signal(signal.SIGINT, previous)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def command(*args, background: bool = False, **kwargs):
    """``app.command`` with the error boundary described in the module docstring;
    ``background``: run the command in a worker thread (module docstring)."""

    def decorate(func):
        run = functools.partial(_in_background, func) if background else func

        @functools.wraps(func)
        def wrapper(*a, **k):
            try:
                return run(*a, **k)
            except KreissError as exc:
                console_error(str(exc))
                raise typer.Exit(2) from None
            except OSError as exc:  # reading or writing: say which file and why
                name = getattr(exc, "filename", None) or ""
                console_error(f"cannot access {name}: {exc.strerror or exc}")
                raise typer.Exit(2) from None

        return app.command(*args, **kwargs)(wrapper)

    return decorate


@app.callback()
def _root(
    threads: int | None = typer.Option(
        None, "--threads", min=1,
        help="Threads kreiss may use (default: KREISS_NUM_THREADS, else the CPUs; never above "
        "OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS / NUMBA_NUM_THREADS)."),
):
    """Transient amplification in coupled gradient descent."""
    if threads is not None:
        from ..linalg.threads import set_threads

        set_threads(threads)


@contextlib.contextmanager
def dask_client(workers: int | None, scheduler: str | None = None):
    """A Dask client for the duration: of the scheduler at ``scheduler``, or of a new
    LocalCluster (:func:`kreiss.cells.local_cluster`) with ``workers`` processes; None when
    neither is given (run in this process)."""
    if scheduler is None and workers is None:
        yield None
        return
    try:
        from dask.distributed import Client
    except ImportError:
        raise KreissError("this needs Dask: pip install 'kreiss[sweep]'") from None
    if scheduler is not None:
        with Client(scheduler, timeout="20s") as client:
            yield client
        return
    from ..cells import local_cluster

    with local_cluster(workers) as client:
        yield client
