"""Atomic writes: a file through a temporary file and one rename; a folder built beside itself and swapped in whole.

A file is never half-written (:func:`write_atomic`, :func:`open_atomic`). A folder is never a mix of two versions
(:class:`FolderSwap`): the new version is made in a sibling folder ``NAME.new-PID`` on the same file system, then
exchanged with ``NAME`` in one ``renameat2(RENAME_EXCHANGE)`` (Linux); where that call is missing, ``NAME`` is
renamed to ``NAME.old-PID`` and the new folder renamed to ``NAME``, and a process stopped between the two renames
is repaired by the next one (the old folder put back). A lock file beside the folder (``.NAME.lock``, ``flock``)
lets one writer at a time in; the kernel drops it with the process, so a killed writer leaves no stale lock.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from .errors import ReportError

__all__ = ["write_atomic", "open_atomic", "FolderSwap", "exchange", "reached"]

#: Test hook: called with the name of every step of a folder swap (and of a build); tests make the process kill
#: itself there to check that a stop at any step leaves the old or the new folder, never a mix.
step_hook: Callable[[str], None] | None = None


def reached(step: str) -> None:
    """Mark a step of a swap or a build (see :data:`step_hook`)."""
    if step_hook is not None:
        step_hook(step)


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an atomic rename."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with open_atomic(path) as fh:
        fh.write(raw)
    return Path(path)


@contextmanager
def open_atomic(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` piece by piece: a temporary file in the same folder, renamed over
    ``path`` when the block ends without an error, removed otherwise (``path`` is then left as it was)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------------------------------- folder swaps
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> Callable[..., int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn: Callable[..., int] = libc.renameat2
    except (OSError, AttributeError):
        return None
    return fn


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders (or files) in one step; False where the system or the file system cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not here; anything else is a real error
        return False
    raise OSError(err, os.strerror(err), str(a))


def _say(exc: OSError, where: Path) -> str:
    return f"{exc.filename or where}: {exc.strerror or exc}"


class FolderSwap:
    """Make a new version of ``folder`` beside it and swap it in whole, under a lock.

    ``with FolderSwap(folder) as swap:`` takes the lock (or refuses, with one line, while another process holds
    it), repairs what a stopped writer left (``swap.warnings`` says what), and creates the empty folder
    ``swap.new``; fill it, then call :meth:`commit`. Leaving the block without committing (an error, or
    nothing to write) removes ``swap.new`` and leaves ``folder`` as it was.

    ``commit(keep=…)`` carries the entries of the old folder that ``keep(name)`` accepts (files a person put
    there) into the new one by hard links, then swaps. A file replaced in the old folder during the build is
    linked again just before and just after the swap.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.new = folder.with_name(f"{folder.name}.new-{os.getpid()}")
        self.lock_path = lock_path(folder)
        self.warnings: list[str] = []
        self._fd = -1
        self._done = False

    # -- lock and repair
    def __enter__(self) -> FolderSwap:
        import fcntl

        parent, folder = self.folder.parent, self.folder
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise ReportError(f"{folder}: a part of the path is a file; choose another -o") from None
        except PermissionError:
            raise ReportError(f"{parent}: permission denied; choose a folder you can write") from None
        try:
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except PermissionError:
            raise ReportError(
                f"{parent}: permission denied; a build is made beside {folder.name} and swapped in, "
                "so it needs a folder you can write"
            ) from None
        except OSError as exc:
            raise ReportError(_say(exc, parent)) from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = -1
            raise ReportError(f"{folder}: another govkg build is writing this folder; wait for it or choose another -o") from None
        _HELD.add(self._fd)
        try:
            reached("locked")
            self._repair()
            reached("repaired")
            self.new.mkdir()
        except BaseException:
            self._unlock()
            raise
        return self

    def _leftovers(self, kind: str) -> list[Path]:
        pat = re.compile(rf"{re.escape(self.folder.name)}\.{kind}-[0-9]+")
        return sorted(p for p in self.folder.parent.iterdir() if pat.fullmatch(p.name) and p.is_dir() and not p.is_symlink())

    def _repair(self) -> None:
        """Put back the old folder if a writer stopped between its two renames; remove the rest of stopped writers."""
        name = self.folder.name
        olds, news = self._leftovers("old"), self._leftovers("new")
        if not self.folder.exists() and olds:
            os.rename(olds[-1], self.folder)
            self.warnings.append(f"{self.folder}: a build was stopped while swapping folders; the earlier build was put back")
            olds = olds[:-1]
        for p in [*olds, *news]:
            shutil.rmtree(p, ignore_errors=True)
            self.warnings.append(f"{p}: left by a build of {name} that was stopped; removed")

    # -- swap
    def commit(self, keep: Callable[[str], bool]) -> None:
        """Carry the kept entries of the old folder over, then swap the new folder in."""
        old, new = self.folder, self.new
        had_old = old.is_dir()
        if had_old:
            _carry(old, new, keep)
            os.chmod(new, stat.S_IMODE(old.stat().st_mode))
        reached("carried")
        if not had_old:
            os.rename(new, old)
            self._done = True
            reached("swapped")
            return
        if exchange(new, old):
            gone = new  # the old version now sits at the new folder's name
        else:
            gone = old.with_name(f"{old.name}.old-{os.getpid()}")
            os.rename(old, gone)
            reached("moved-away")
            os.rename(new, old)
        self._done = True
        reached("swapped")
        try:
            _carry(gone, old, keep)  # anything written into the old folder in the last moment
        except (OSError, ReportError) as exc:  # keep the old folder, under a name no later build removes
            kept = old.with_name(f"{old.name}.kept-{os.getpid()}")
            os.rename(gone, kept)
            self.warnings.append(f"{kept}: the earlier build, kept because a file of it could not be carried over ({exc})")
            return
        shutil.rmtree(gone, ignore_errors=True)
        reached("cleaned")

    def __exit__(self, tp: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if not self._done:
                shutil.rmtree(self.new, ignore_errors=True)
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._fd >= 0:
            _HELD.discard(self._fd)
            os.close(self._fd)  # closing the file releases the lock
            self._fd = -1


def lock_path(folder: Path) -> Path:
    """The lock file of a folder: ``.NAME.lock`` beside it (inside, it would be swapped away with the folder)."""
    return folder.with_name(f".{folder.name}.lock")


#: Lock files this process holds; :func:`forget_locks` closes them in forked worker processes.
_HELD: set[int] = set()


def forget_locks() -> None:
    """In a forked worker: close the inherited lock files, so that the lock dies with the process that took it
    (a ``flock`` lasts while any process holds the file open)."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


def _carry(src: Path, dst: Path, keep: Callable[[str], bool]) -> None:
    """Make the kept top-level entries of ``dst`` those of ``src``: files hard-linked (a copy where a link is not
    allowed), folders made anew and filled the same way, symbolic links made again; kept entries of ``dst`` that
    ``src`` no longer has are removed."""
    have = {n for n in os.listdir(src) if keep(n)}
    for n in os.listdir(dst):
        if keep(n) and n not in have:
            _remove(dst / n)
    for n in sorted(have):
        _mirror(src / n, dst / n)


def _mirror(s: Path, d: Path) -> None:
    st = os.lstat(s)
    try:
        dt: os.stat_result | None = os.lstat(d)
    except FileNotFoundError:
        dt = None
    if stat.S_ISDIR(st.st_mode):
        if dt is not None and not stat.S_ISDIR(dt.st_mode):
            _remove(d)
            dt = None
        if dt is None:
            os.mkdir(d)
        os.chmod(d, stat.S_IMODE(st.st_mode))
        _carry(s, d, lambda _n: True)
        return
    if dt is not None and os.path.samestat(st, dt):
        return
    if stat.S_ISLNK(st.st_mode):
        target = os.readlink(s)
        if dt is not None:
            _remove(d)
        os.symlink(target, d)
        return
    if not stat.S_ISREG(st.st_mode):
        raise ReportError(f"{s}: not a file, folder or link; move it out (a build replaces its folder as a whole)")
    if dt is not None:
        _remove(d)
    try:
        os.link(s, d)
    except OSError:
        try:
            shutil.copy2(s, d)
        except OSError as exc:
            raise ReportError(f"{s}: cannot be carried over into the new build ({exc.strerror or exc}); move it out") from None


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p)
    else:
        p.unlink(missing_ok=True)
