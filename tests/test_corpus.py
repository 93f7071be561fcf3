"""A corpus build: a report's facts and IRIs do not depend on its company; incremental builds equal clean ones."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg import extract, read_report
from govkg.atomic import lock_path
from govkg.errors import ReportError
from govkg.pipeline import OUTPUT_FILES, STATE_DIR, build, bundled_report
from govkg.query import run_query
from govkg.store import open_build
from govkg.triples import report_rdf
from govkg.vocab import REFERENCE_GRAPH

ROOT = Path(__file__).parent.parent
TEST_REPORTS = [bundled_report(), *sorted((ROOT / "tests" / "corpus").iterdir())]
REAL = Path(os.environ.get("GOVKG_REAL_CORPUS") or ROOT.parent / "shared" / "corpus" / "real")
REAL_PAGES = sorted(REAL.glob("*.txt")) if REAL.is_dir() else []


def _graphs(trig: Path) -> dict[str, set]:
    """Named graph IRI → its statements, from a TriG file."""
    out: dict[str, set] = {}
    for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        out.setdefault(q.graph_name.value, set()).add((q.subject, q.predicate, q.object))
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {n: (folder / n).read_bytes() for n in OUTPUT_FILES if (folder / n).exists()}


def _store_quads(folder: Path) -> set:
    store = open_build(folder)
    try:
        return set(store)
    finally:
        del store


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """Each test report built on its own: its graph IRI → statements."""
    out = {}
    for p in TEST_REPORTS:
        folder = tmp_path_factory.mktemp("alone")
        build([p], folder, view=False, jobs=1)
        graphs = _graphs(folder / "govkg.trig")
        graphs.pop(str(REFERENCE_GRAPH), None)
        ((g, triples),) = graphs.items()
        out[g] = triples
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every test report and every real page, built together in two worker processes."""
    folder = tmp_path_factory.mktemp("corpus")
    result = build([*TEST_REPORTS, *REAL_PAGES], folder, view=False, jobs=2)
    return folder, result


def test_a_report_states_the_same_alone_and_in_a_corpus(alone, corpus):
    """The invariant of a corpus: each report's named graph is the same built alone or with the others.

    Every report is written from its own extraction only (triples.report_rdf), so a difference could only come
    from IRIs that depend on company or from the assembly; comparing each report alone with the whole corpus
    (all test reports and the real pages) covers every pair of them.
    """
    folder, result = corpus
    assert not result.errors
    together = _graphs(folder / "govkg.trig")
    assert len(alone) == len(TEST_REPORTS)
    for g, triples in alone.items():
        assert together[g] == triples, g
    assert len(together) == len(TEST_REPORTS) + len(REAL_PAGES) + 1  # and the reference graph


@pytest.mark.skipif(not REAL_PAGES, reason=f"the real pages are not at {REAL} (set GOVKG_REAL_CORPUS)")
def test_real_pages_state_the_same_alone_and_in_a_corpus(corpus):
    folder, _ = corpus
    together = _graphs(folder / "govkg.trig")
    for page in REAL_PAGES[::6]:
        rdf = report_rdf(extract(read_report(page)))
        assert {(q.subject, q.predicate, q.object) for q in rdf.quads} == together[rdf.graph_iri], page.name


def test_parallel_and_serial_builds_are_byte_identical(corpus, tmp_path):
    folder, _ = corpus
    build([*TEST_REPORTS, *REAL_PAGES], tmp_path, view=False, jobs=1)
    assert _files(tmp_path) == _files(folder)


def test_input_order_does_not_matter(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build(TEST_REPORTS[:4], a, view=False, jobs=1)
    build(TEST_REPORTS[:4][::-1], b, view=False, jobs=1)
    assert _files(a) == _files(b)


def test_incremental_builds_equal_clean_builds(tmp_path):
    inc, clean = tmp_path / "inc", tmp_path / "clean"
    first, second = TEST_REPORTS[:3], [TEST_REPORTS[0], TEST_REPORTS[2], TEST_REPORTS[3]]
    r1 = build(first, inc, jobs=1)
    assert [r.status for r in r1.reports] == ["new", "new", "new"]
    r2 = build(second, inc, jobs=1)  # one added, one removed
    assert sorted(r.status for r in r2.reports) == ["new", "reused", "reused"] and r2.removed == 1
    build(second, clean, jobs=1)
    assert _files(inc) == _files(clean)
    assert _store_quads(inc) == _store_quads(clean)
    r3 = build(second, inc, jobs=1)  # nothing changed: nothing read again
    assert [r.status for r in r3.reports] == ["reused"] * 3
    assert _files(inc) == _files(clean)


def test_a_changed_report_is_read_again_and_its_old_graph_dropped(tmp_path):
    report = tmp_path / "r.txt"
    text = read_report(TEST_REPORTS[1]).text
    report.write_text(text, encoding="utf-8")
    folder = tmp_path / "out"
    build([report], folder, view=False, jobs=1)
    old = set(_graphs(folder / "govkg.trig"))
    report.write_text(text.replace("2021", "2023", 1), encoding="utf-8")
    r = build([report], folder, view=False, jobs=1)
    assert [x.status for x in r.reports] == ["new"] and r.removed == 1
    new = set(_graphs(folder / "govkg.trig"))
    assert old != new
    store_graphs = {q.graph_name.value for q in _store_quads(folder) if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert store_graphs == new


def test_the_store_holds_the_graph_and_its_union(corpus):
    folder, _ = corpus
    quads = _store_quads(folder)
    named = {(q.subject, q.predicate, q.object) for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    default = {(q.subject, q.predicate, q.object) for q in quads if isinstance(q.graph_name, ox.DefaultGraph)}
    assert named == default
    from_file = ox.Store()  # Oxigraph keeps numbers in canonical form (nonNegativeInteger → integer): compare in kind
    from_file.load(path=str(folder / "govkg.trig"), format=ox.RdfFormat.TRIG)
    assert {q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)} == set(from_file)


def test_a_half_finished_store_is_loaded_anew(tmp_path):
    build(TEST_REPORTS[:2], tmp_path, view=False, jobs=1)
    good = _store_quads(tmp_path)
    state = tmp_path / STATE_DIR / "store.json"
    state.write_text(state.read_text(encoding="utf-8").replace('"complete": true', '"complete": false'), encoding="utf-8")
    shutil.rmtree(tmp_path / "store")
    (tmp_path / "store").mkdir()
    build(TEST_REPORTS[:2], tmp_path, view=False, jobs=1)
    assert _store_quads(tmp_path) == good


def test_honours_are_the_same_alone_and_in_a_corpus(corpus, tmp_path):
    folder, _ = corpus
    build([bundled_report()], tmp_path, view=False, jobs=1)
    doc = str(next(iter(_graphs(tmp_path / "govkg.trig"))))[: -len("/graph")]

    def rows(where: Path) -> list:
        store = open_build(where)
        res = run_query(store, "honours")
        return sorted(tuple(str(v) for v in r) for r in res.rows if str(r[-1]) == doc)

    alone_rows = rows(tmp_path)
    assert alone_rows and len(alone_rows) == len(set(alone_rows))
    assert rows(folder) == alone_rows


HEADER = "索引号: {index}\n发布机构: {publisher}\n名称: {publisher}2020年工作总结\n\n一、工作成效\n"


def _report(tmp_path: Path, name: str, index: str, publisher: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(HEADER.format(index=index, publisher=publisher) + body, encoding="utf-8")
    return p


def test_same_index_number_other_text_gives_two_documents(tmp_path):
    a = _report(tmp_path, "a.txt", "11440300MB2C1719XA/2021-00001", "深圳市福田区司法局", "全年调解纠纷12件。\n")
    b = _report(tmp_path, "b.txt", "11440300MB2C1719XA/2021-00001", "深圳市福田区司法局", "全年调解纠纷15件。\n")
    c = tmp_path / "c.txt"
    c.write_bytes(a.read_bytes())
    r = build([a, b, c], tmp_path / "out", view=False, jobs=1)
    assert [x.status for x in r.reports] == ["new", "new", "duplicate"]
    assert any("索引号 11440300MB2C1719XA/2021-00001 is also that of" in w for w in r.warnings)
    assert any("the same text as" in w and "a.txt" in w for w in r.warnings)
    graphs = _graphs(tmp_path / "out" / "govkg.trig")
    graphs.pop(str(REFERENCE_GRAPH), None)
    assert len(graphs) == 2


def test_levels_stay_with_their_conferral_and_uncoded_places_with_their_area(tmp_path):
    body = "{c}获评{level}“民主法治示范社区”。{p}同志被评为“优秀人民调解员”。\n"
    a = _report(tmp_path, "a.txt", "A/2021-1", "南京市鼓楼区司法局", body.format(c="江苏路社区", level="省级", p="调解员王建国"))
    b = _report(tmp_path, "b.txt", "B/2021-1", "徐州市鼓楼区司法局", body.format(c="江苏路社区", level="市级", p="调解员王建国"))
    build([a, b], tmp_path / "out", view=False, jobs=1)
    store = open_build(tmp_path / "out")
    res = run_query(store, "honours")
    levels = sorted((str(r[0]), str(r[5])) for r in res.rows if str(r[3]) == "民主法治示范社区")
    assert levels == [("municipal", "江苏路社区"), ("provincial", "江苏路社区")]
    # the two 江苏路社区 and the two 王建国 are not one node each
    recipients = {str(r[4]) for r in res.rows}
    assert len(recipients) == 4, recipients


def test_one_build_at_a_time(tmp_path):
    import fcntl

    with open(lock_path(tmp_path), "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        with pytest.raises(ReportError, match="another govkg build"):
            build([bundled_report()], tmp_path, view=False, jobs=1)


def test_a_report_that_breaks_the_extractor_does_not_stop_the_others(tmp_path, monkeypatch):
    import importlib

    E = importlib.import_module("govkg.extract")

    real = E.extract

    def flaky(doc, **kw):
        if "炸" in doc.text:
            raise TypeError("simulated bug")
        return real(doc, **kw)

    monkeypatch.setattr(E, "extract", flaky)
    bad = _report(tmp_path, "bad.txt", "X/1", "某区司法局", "炸。\n")
    r = build([bad, bundled_report()], tmp_path / "out", view=False, jobs=1)
    assert [x.status for x in r.reports] == ["failed", "new"]
    assert "bad.txt: internal error" in r.errors[0] and "TypeError" in r.errors[0]
    assert (tmp_path / "out" / "govkg.trig").exists()


def test_progress_lines_when_not_a_terminal(tmp_path, capsys, monkeypatch):
    import govkg.pipeline as P

    monkeypatch.setattr(P, "PROGRESS_EVERY", 2)
    build(TEST_REPORTS[:3], tmp_path, view=False, jobs=1, progress=True)
    err = capsys.readouterr().err
    assert "govkg: 2/3 reports read" in err and "govkg: 3/3 reports read" in err


def test_the_cache_keeps_only_the_reports_built(tmp_path):
    build(TEST_REPORTS[:3], tmp_path, view=False, jobs=1)
    build(TEST_REPORTS[:1], tmp_path, view=False, jobs=1)
    entries = {p.name.split(".", 1)[0] for p in (tmp_path / STATE_DIR / "reports").rglob("*.json")}
    assert len(entries) == 1


def test_output_folder_that_is_a_file_is_refused(tmp_path):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(ReportError, match="is a file"):
        build([bundled_report()], f, view=False)


def test_a_report_over_the_limit_is_refused_in_one_line(tmp_path, monkeypatch):
    import govkg.pipeline as P

    monkeypatch.setattr(P, "MAX_REPORT_BYTES", 20_000)  # the bundled report has 10 kB
    big = tmp_path / "big.txt"
    big.write_text("全年调解纠纷12件。" * 1000, encoding="utf-8")
    r = build([big, bundled_report()], tmp_path / "out", view=False, jobs=1)
    assert [x.status for x in r.reports] == ["failed", "new"]
    assert len(r.errors) == 1 and "over govkg's limit of" in r.errors[0] and "\n" not in r.errors[0]


def test_a_report_larger_than_a_store_batch_is_loaded_in_slices(tmp_path, monkeypatch):
    import govkg.store as S

    monkeypatch.setattr(S, "STORE_BATCH_QUADS", 300)
    build([bundled_report()], tmp_path, view=False, jobs=1)
    quads = _store_quads(tmp_path)
    from_file = ox.Store()
    from_file.load(path=str(tmp_path / "govkg.trig"), format=ox.RdfFormat.TRIG)
    assert {q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)} == set(from_file)
    assert len([q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]) > 1000


def test_a_file_changed_after_it_was_keyed_is_reported_not_cached(tmp_path):
    from govkg.reportcache import content_key, work

    report = tmp_path / "r.txt"
    report.write_text("全年调解纠纷12件。\n", encoding="utf-8")
    stale = content_key(b"an older text", None)
    key, head = work((stale, str(report), None, "r.txt", str(tmp_path / "cache")))
    assert key == stale and "changed while the build was reading it" in head["error"]
    assert not (tmp_path / "cache").exists()


def test_warnings_are_the_same_when_reports_come_from_the_cache(tmp_path):
    first = build(TEST_REPORTS[:4], tmp_path, view=False, jobs=1)
    again = build(TEST_REPORTS[:4], tmp_path, view=False, jobs=1)
    assert [r.status for r in again.reports] == ["reused"] * 4
    assert again.warnings == first.warnings
