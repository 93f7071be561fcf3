"""A build folder is swapped in whole: a build stopped at any step leaves the old set or the new set, never a mix.

Issue 11, part 3 ("Folders that are never mixed"): a kill -9 just after govkg.trig was renamed, or two builds into one
folder at once, left the files of two builds side by side, and every later build refused the folder until --force.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import govkg.atomic as A
from govkg.atomic import FolderSwap
from govkg.cli import cli
from govkg.errors import ReportError
from govkg.pipeline import MANIFEST, OUTPUT_FILES, build
from govkg.store import open_build

HEADER = "索引号: {index}\n发布机构: {publisher}\n名称: {publisher}2020年工作总结\n\n一、工作成效\n"
BODIES = {
    "a.txt": ("A/2021-1", "深圳市福田区司法局", "沙头街道获评“全国民主法治示范社区”。全年调解纠纷12件。\n"),
    "b.txt": ("B/2021-1", "南京市鼓楼区司法局", "江苏路社区获评省级“民主法治示范社区”。调解员王建国同志被评为“优秀人民调解员”。\n"),
    "c.txt": ("C/2021-1", "徐州市鼓楼区司法局", "全年办理法律援助案件35件，同比增长12%。\n"),
    "d.txt": ("D/2021-1", "杭州市西湖区司法局", "北山街道人民调解委员会被授予“全国模范人民调解委员会”称号。\n"),
}
#: Every step a build into a folder that holds a build passes, in order (test_the_steps_are_these checks it).
STEPS = ["locked", "repaired", "cache", "store-copied", "extracted", "trig", "graphml", "view", "store", "manifest",
         "carried", "swapped", "cleaned"]
SRC = str(Path(A.__file__).resolve().parent.parent)


@pytest.fixture()
def reports(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, (index, publisher, body) in BODIES.items():
        p = tmp_path / "reports" / name
        p.parent.mkdir(exist_ok=True)
        p.write_text(HEADER.format(index=index, publisher=publisher) + body, encoding="utf-8")
        out[name] = p
    return out


def _state(folder: Path) -> tuple[dict[str, bytes], frozenset[ox.Quad]]:
    """What a build folder holds: its files and its store's statements."""
    files = {n: (folder / n).read_bytes() for n in (*OUTPUT_FILES, MANIFEST) if (folder / n).exists()}
    store = open_build(folder)
    try:
        return files, frozenset(store)
    finally:
        del store


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name != "reports")


def _build_in_child(reports: list[Path], folder: Path, *, kill_at: str, fallback: bool = False, jobs: int = 1) -> int:
    """Build in a child process that kills itself (SIGKILL) when it reaches ``kill_at``; returns its exit code."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        import govkg.atomic as A
        from govkg.pipeline import build

        def hook(step):
            if step == {kill_at!r}:
                os.kill(os.getpid(), signal.SIGKILL)

        A.step_hook = hook
        if {fallback!r}:
            A.exchange = lambda a, b: False
        build({[str(p) for p in reports]!r}, {str(folder)!r}, jobs={jobs})
        """
    )
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-c", script], env=env, cwd=folder.parent, timeout=300).returncode


@pytest.fixture()
def before_and_after(reports: dict[str, Path], tmp_path: Path):
    """A folder holding a build of a.txt and b.txt and a hand-written note; the state of a clean build of b.txt,
    c.txt and d.txt (the next build) beside."""
    folder = tmp_path / "graph"
    build([reports["a.txt"], reports["b.txt"]], folder, jobs=1)
    (folder / "notes.md").write_text("my notes", encoding="utf-8")
    old = _state(folder)
    clean = tmp_path / "clean"
    again = [reports["b.txt"], reports["c.txt"], reports["d.txt"]]
    build(again, clean, jobs=1)
    return folder, old, _state(clean), again


def test_the_steps_are_these(before_and_after):
    folder, _old, _new, again = before_and_after
    seen: list[str] = []
    A.step_hook = seen.append
    try:
        build(again, folder, jobs=1)
    finally:
        A.step_hook = None
    assert seen == STEPS


@pytest.mark.parametrize(
    ("step", "fallback", "jobs"),
    [(s, False, 1) for s in STEPS]
    + [(s, True, 1) for s in ("carried", "moved-away", "swapped", "cleaned")],  # two renames where no exchange
)
def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_folder(before_and_after, step, fallback, jobs):
    folder, old, new, again = before_and_after
    assert _build_in_child(again, folder, kill_at=step, fallback=fallback, jobs=jobs) == -9
    swapped = STEPS.index(step) >= STEPS.index("swapped") if step in STEPS else False
    if folder.exists():  # with two renames, a kill between them leaves no folder until the next build repairs it
        assert _state(folder) == (new if swapped else old)
        assert (folder / "notes.md").read_text(encoding="utf-8") == "my notes"
    else:
        assert fallback and step == "moved-away"
    # the next build: no --force, no leftovers, the same files and store as a clean build
    result = build(again, folder, jobs=1)
    assert not result.errors
    assert _state(folder) == new
    assert (folder / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert _siblings(folder) == [".clean.lock", ".graph.lock", "clean", "graph"]
    if step not in ("locked", "repaired", "cleaned"):  # something was left: said in one line
        assert any("stopped" in w for w in result.warnings), result.warnings


def test_a_second_build_is_refused_in_one_line_while_one_runs(before_and_after):
    folder, old, _new, again = before_and_after
    with FolderSwap(folder):  # holds the lock as a build does
        with pytest.raises(ReportError, match="another govkg build is writing this folder"):
            build(again, folder, jobs=1)
        result = CliRunner().invoke(cli, ["build", *map(str, again), "-o", str(folder)])
        assert result.exit_code == 1 and "another govkg build" in result.stderr and "Traceback" not in result.output
    assert _state(folder) == old


def test_a_reader_holding_the_old_store_keeps_it(before_and_after):
    folder, old, new, again = before_and_after
    reader = open_build(folder)
    before = set(reader)
    build(again, folder, jobs=1)
    assert set(reader) == before == set(old[1])  # the old store, still whole, though its folder is gone
    del reader
    assert _state(folder) == new


def test_hand_written_files_and_folders_are_carried_over(before_and_after):
    folder, _old, new, again = before_and_after
    (folder / "drafts").mkdir()
    (folder / "drafts" / "q1.txt").write_text("draft", encoding="utf-8")
    (folder / "link").symlink_to("notes.md")
    inode = (folder / "notes.md").stat().st_ino

    def replace_notes(step: str) -> None:  # a note saved (by rename, as editors do) while the build runs
        if step == "store":
            (folder / "notes.tmp").write_text("newer notes", encoding="utf-8")
            os.replace(folder / "notes.tmp", folder / "notes.md")

    A.step_hook = replace_notes
    try:
        build(again, folder, jobs=1)
    finally:
        A.step_hook = None
    assert (folder / "notes.md").read_text(encoding="utf-8") == "newer notes"
    assert (folder / "notes.md").stat().st_ino != inode and not (folder / "notes.tmp").exists()
    assert (folder / "drafts" / "q1.txt").read_text(encoding="utf-8") == "draft"
    assert os.readlink(folder / "link") == "notes.md"
    assert _state(folder) == new


def test_a_special_file_in_the_folder_is_refused_in_one_line(before_and_after):
    folder, old, _new, again = before_and_after
    os.mkfifo(folder / "pipe")
    with pytest.raises(ReportError, match="pipe: not a file, folder or link; move it out"):
        build(again, folder, jobs=1)
    assert _state(folder) == old and _siblings(folder) == [".clean.lock", ".graph.lock", "clean", "graph"]


def test_the_old_folder_is_kept_when_a_late_file_cannot_be_carried_over(before_and_after, monkeypatch):
    folder, _old, new, again = before_and_after
    real, calls = A._carry, []

    def carry(src, dst, keep):
        calls.append(src)
        if len(calls) == 2:  # after the swap
            raise OSError(28, "No space left on device")
        real(src, dst, keep)

    monkeypatch.setattr(A, "_carry", carry)
    result = build(again, folder, jobs=1)
    assert _state(folder) == new
    kept = [w for w in result.warnings if "the earlier build, kept" in w]
    assert len(kept) == 1 and (folder.parent / kept[0].split(":")[0]).is_dir()
    assert (folder.parent / kept[0].split(":")[0] / "notes.md").read_text(encoding="utf-8") == "my notes"
    build(again, folder, jobs=1)  # a later build leaves it alone
    assert (folder.parent / kept[0].split(":")[0]).is_dir()


def test_the_cache_and_the_store_are_linked_not_copied(before_and_after):
    folder, _old, _new, again = before_and_after
    cached = {p.name: p.stat().st_ino for p in (folder / ".govkg" / "reports").rglob("*.trig")}
    tables = {p.name: p.stat().st_ino for p in (folder / "store").glob("*.sst")}
    build(again, folder, jobs=1)
    after = {p.name: p.stat().st_ino for p in (folder / ".govkg" / "reports").rglob("*.trig")}
    assert len(after) == 3 and len(set(after.items()) & set(cached.items())) == 1  # b.txt's entry, the same file
    assert set(tables.items()) & {(p.name, p.stat().st_ino) for p in (folder / "store").glob("*.sst")}


def test_a_build_with_nothing_to_build_leaves_the_folder_as_it_was(before_and_after, tmp_path):
    folder, old, _new, _again = before_and_after
    result = build([tmp_path / "missing.txt"], folder, jobs=1)
    assert result.errors and not result.built
    assert _state(folder) == old and _siblings(folder) == [".clean.lock", ".graph.lock", "clean", "graph"]


def test_repair_puts_the_old_folder_back_after_a_stop_between_two_renames(tmp_path):
    folder = tmp_path / "graph"
    (tmp_path / "graph.old-123").mkdir()
    (tmp_path / "graph.old-123" / "govkg.trig").write_text("old", encoding="utf-8")
    (tmp_path / "graph.new-123").mkdir()
    with FolderSwap(folder) as swap:
        assert (folder / "govkg.trig").read_text(encoding="utf-8") == "old"
        assert len(swap.warnings) == 2 and "put back" in swap.warnings[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.lock", "graph"]


def test_worker_processes_do_not_keep_the_lock(tmp_path):
    """A forked worker closes its copy of the lock file (as the build's worker pool does): the lock ends with the
    build's own process, even while a worker it left behind still runs."""
    folder = tmp_path / "graph"
    read, write = os.pipe()
    ready_read, ready_write = os.pipe()
    with FolderSwap(folder):
        pid = os.fork()
        if pid == 0:  # the worker: forget the lock, say so, then wait until told to go
            A.forget_locks()
            os.write(ready_write, b"x")
            os.read(read, 1)
            os._exit(0)
        os.read(ready_read, 1)
    try:
        with FolderSwap(folder):  # the worker still runs, yet the lock is free
            pass
    finally:
        os.write(write, b"x")
        os.waitpid(pid, 0)


# ------------------------------------------------------------------------------------------- bad paths, one line
@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _one_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_build_into_an_unwritable_folder_is_one_line(runner, tmp_path, reports):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.access(ro, os.W_OK):  # root writes anywhere: a folder of sysfs is unwritable even for root
            if not Path("/sys/kernel").is_dir():
                pytest.skip("running as root without /sys: no unwritable folder to try")
            ro = Path("/sys")
        line = _one_line(runner.invoke(cli, ["build", str(reports["a.txt"]), "-o", str(ro / "graph")]))
        assert "permission denied" in line
    finally:
        (tmp_path / "ro").chmod(0o755)


def test_build_into_a_read_only_build_folder_is_one_line(runner, tmp_path, reports, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(os, "access", lambda p, mode: False)  # as if out were read-only (root may write anyway)
    line = _one_line(runner.invoke(cli, ["build", str(reports["a.txt"]), "-o", str(out)]))
    assert "read-only" in line


@pytest.mark.parametrize("where", ["file", "below a file", "working folder"])
def test_build_into_a_bad_place_is_one_line(runner, tmp_path, reports, monkeypatch, where):
    f = tmp_path / "x.txt"
    f.write_text("x", encoding="utf-8")
    target = {"file": f, "below a file": f / "graph", "working folder": tmp_path}[where]
    monkeypatch.chdir(tmp_path)
    line = _one_line(runner.invoke(cli, ["build", str(reports["a.txt"]), "-o", str(target)]))
    assert {"file": "is a file", "below a file": "is a file", "working folder": "working folder"}[where] in line


def test_extract_into_a_folder_is_one_line(runner, tmp_path, reports):
    assert "is a folder" in _one_line(runner.invoke(cli, ["extract", str(reports["a.txt"]), "-o", str(tmp_path)]))


@pytest.mark.parametrize(
    ("name", "data"),
    [("notes.txt", b"not RDF"), ("bad.ttl", b"garbage {{"), ("bad.trig", b"garbage {{"), ("bin.nq", b"\x00\xff\x01"),
     ("bad.jsonld", b'{"a":'), ("missing.ttl", None)],
)
def test_validate_a_file_that_is_no_graph_is_one_line(runner, tmp_path, name, data):
    p = tmp_path / name
    if data is not None:
        p.write_bytes(data)
    line = _one_line(runner.invoke(cli, ["validate", str(p)]))
    assert name in line
