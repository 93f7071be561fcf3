"""Query worker processes: each opens the store read-only and answers one job at a time; a worker whose job
passes its time limit or memory cap is killed (its memory goes back to the system) and another takes its place."""

from __future__ import annotations

import logging
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import pyoxigraph as ox

from .errors import QueryError

__all__ = ["WorkerPool", "Reply", "LimitExceeded", "PoolBusy", "WorkerFailed", "no_network", "rss"]

_LOG = logging.getLogger("govkg.workers")

#: What a worker answers: HTTP status, Content-Type, body, extra headers.
Reply = tuple[int, str, bytes, list[tuple[str, str]]]
#: Turns a job into a reply inside a worker; must be a module-level function (it is sent to the worker by name).
Handler = Callable[[ox.Store, dict[str, Any]], Reply]

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_POLL = 0.02  # seconds between checks of a running job's deadline and memory


class LimitExceeded(Exception):
    """A job passed its time limit or memory cap; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free in time."""


class WorkerFailed(QueryError):
    """A worker could not start, or ended without answering."""


def rss(pid: int) -> int:
    """Resident memory of process ``pid`` in bytes (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent (the fork server) ends, so no query outlives the server."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


# (AUDIT_ARCH_*, socket, connect) system call numbers of the architectures the network filter knows
_SYSCALLS = {"x86_64": (0xC000003E, 41, 42), "aarch64": (0xC00000B7, 198, 203)}


def no_network() -> bool:
    """Forbid this process (and threads it starts later) to open IP sockets or connect any socket (seccomp).

    A query worker calls it before opening the store, so a query can never reach another server (SPARQL
    ``SERVICE`` is also refused before it gets here). Returns False where the filter cannot be installed
    (not Linux x86-64/AArch64, or seccomp not allowed).
    """
    import ctypes
    import platform

    arch = _SYSCALLS.get(platform.machine())
    if arch is None or not hasattr(ctypes, "CDLL"):
        return False
    audit_arch, nr_socket, nr_connect = arch
    ld, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
    allow, refuse = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM
    program = [
        (ld, 0, 0, 4), (jeq, 1, 0, audit_arch), (ret, 0, 0, allow),  # another ABI: leave it alone
        (ld, 0, 0, 0), (jeq, 4, 0, nr_connect), (jeq, 0, 4, nr_socket),
        (ld, 0, 0, 16), (jeq, 1, 0, 2), (jeq, 0, 1, 10),  # socket(AF_INET or AF_INET6, …)
        (ret, 0, 0, refuse), (ret, 0, 0, allow),
    ]
    # jumps count instructions skipped: connect → refuse (4 ahead); not socket → allow (4 ahead)

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    filters = (Filter * len(program))(*[Filter(*f) for f in program])
    prog = Program(len(program), filters)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            return False
        return int(libc.prctl(22, 2, ctypes.byref(prog), 0, 0)) == 0  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
    except (OSError, AttributeError):  # pragma: no cover
        return False


def _worker_main(conn: Connection, store_dir: str, handler: Handler) -> None:
    """A worker: open the store read-only, then answer jobs until the pool closes the connection."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then ends its workers
    _die_with_parent()
    if not no_network():
        _LOG.warning("query workers can open network connections here (no seccomp); SERVICE is still refused")
    try:
        store = ox.Store.read_only(store_dir)
    except OSError as exc:
        conn.send(("failed", f"cannot open the store {store_dir}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = handler(store, job)
        except Exception as exc:  # noqa: BLE001 - the handler should answer every error itself; this is the backstop
            reply = (500, "text/plain; charset=utf-8", f"query failed: {type(exc).__name__}: {exc}".encode(), [])
        conn.send(reply)


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection, pid: int) -> None:
        self.process = process
        self.conn = conn
        self.pid = pid
        self.baseline = rss(pid)

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        except (OSError, ValueError):  # pragma: no cover - already gone
            pass
        self.conn.close()


class WorkerPool:
    """``size`` worker processes over the on-disk store at ``store_dir``, each opening it read-only.

    :meth:`run` sends a job to an idle worker and waits for its reply. A job still running at its deadline, or
    whose worker grows past ``memory_limit`` bytes of resident memory, raises :class:`LimitExceeded`; its worker
    is killed and replaced. Workers are forked from a fork server (``multiprocessing`` "forkserver"), so they
    start in milliseconds and share no threads or store handles with the server.
    """

    def __init__(self, store_dir: str, handler: Handler, *, size: int = 2, memory_limit: int = 1 << 30,
                 wait: float = 15.0) -> None:
        self.store_dir = store_dir
        self.handler = handler
        self.size = max(1, size)
        self.memory_limit = memory_limit
        self.wait = wait
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._failure: str | None = None

    # ------------------------------------------------------------------ lifecycle
    def closed(self) -> bool:
        """True once :meth:`close` was called (from any thread)."""
        return self._closed

    def start(self) -> None:
        """Start the workers now (otherwise the first job starts them); raises WorkerFailed if one cannot."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        import multiprocessing as mp

        ctx: mp.context.ForkServerContext | mp.context.SpawnContext
        if "forkserver" in mp.get_all_start_methods():
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload([self.handler.__module__])  # imported once, in the fork server
        else:  # pragma: no cover - not Linux
            ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_worker_main, args=(child, self.store_dir, self.handler),
                              name="govkg-query-worker", daemon=True)
        process.start()
        child.close()
        try:
            if not parent.poll(120):
                raise WorkerFailed("a query worker did not start within 120 s")
            kind, value = parent.recv()
        except (EOFError, OSError) as exc:
            process.kill()
            raise WorkerFailed(f"a query worker ended while starting (exit code {process.exitcode})") from exc
        except WorkerFailed:
            process.kill()
            raise
        if kind != "ready":
            process.join(5)
            raise WorkerFailed(str(value))
        worker = _Worker(process, parent, int(value))
        with self._lock:
            self._live.add(worker)
            if self._closed:
                self._live.discard(worker)
                worker.kill()
                raise WorkerFailed("the worker pool is closed")
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        with self._lock:
            self._live.discard(worker)
        worker.kill()

        def respawn() -> None:
            try:
                self._idle.put(self._spawn())
            except WorkerFailed as exc:
                if not self._closed:
                    _LOG.error("cannot replace a query worker: %s", exc)
                    self._failure = str(exc)

        threading.Thread(target=respawn, name="govkg-respawn", daemon=True).start()

    def close(self) -> None:
        """Kill every worker; the pool answers no more jobs."""
        with self._lock:
            self._closed = True
            live, self._live = self._live, set()
        for w in live:
            w.kill()

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return sorted(w.pid for w in self._live)

    # ------------------------------------------------------------------ jobs
    def run(self, job: dict[str, Any], *, timeout: float) -> Reply:
        """Send ``job`` to an idle worker and return its reply.

        Raises :class:`PoolBusy` if no worker is free within ``wait`` seconds, :class:`LimitExceeded` if the job
        runs past ``timeout`` seconds or its worker past the memory cap, :class:`WorkerFailed` if a worker cannot
        start or dies.
        """
        if self._closed:
            raise WorkerFailed("the server is shutting down")
        self.start()
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            if self._failure and not self.pids():
                raise WorkerFailed(self._failure) from None
            raise PoolBusy from None
        try:
            worker.conn.send(job)
        except (OSError, ValueError):
            self._replace(worker)
            raise WorkerFailed("the query worker was not running; try again") from None
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self._replace(worker)
                raise LimitExceeded(f"query exceeded the {timeout:g} s limit")
            if worker.conn.poll(min(left, _POLL)):
                try:
                    reply: Reply = worker.conn.recv()
                except (EOFError, OSError):
                    code = worker.process.exitcode
                    self._replace(worker)
                    raise WorkerFailed(f"the query's worker process ended (exit code {code})") from None
                break
            if rss(worker.pid) > self.memory_limit:
                self._replace(worker)
                raise LimitExceeded(f"query exceeded the memory cap of {self.memory_limit >> 20} MB")
        # a worker that kept much of a big job's memory is replaced, so the next job starts with its full share
        if self.closed():  # another thread may have closed the pool meanwhile
            worker.kill()
        elif rss(worker.pid) > max(self.memory_limit // 2, 2 * worker.baseline):
            self._replace(worker)
        else:
            self._idle.put(worker)
        return reply
