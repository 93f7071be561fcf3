"""The build: files written atomically and deterministically, hand-written files protected, graph/ up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.errors import ReportError
from govkg.pipeline import OUTPUT_FILES, build, bundled_report, counts_by_type, write_atomic
from govkg.validate import validate

ROOT = Path(__file__).parent.parent
GRAPH = ROOT / "graph"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("graph")
    return out, build([bundled_report()], out)


def test_build_writes_the_files_and_they_validate(built):
    out, result = built
    assert not result.errors
    for name in ("govkg.trig", "govkg.graphml", "ontology.ttl", "shapes.ttl"):
        assert (out / name).stat().st_size > 0
    report = validate(out / "govkg.trig")
    assert report.conforms, report.text


def test_rebuild_is_byte_identical(built, tmp_path):
    out, _ = built
    build([bundled_report()], tmp_path)
    for name in OUTPUT_FILES:
        if (out / name).exists():
            assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_committed_graph_folder_is_what_build_writes(built):
    """graph/ holds the output of `govkg build` on the bundled report (regenerate with `govkg build`)."""
    out, _ = built
    for name in OUTPUT_FILES:
        if (out / name).exists():
            assert (GRAPH / name).exists(), f"graph/{name} missing: run `govkg build`"
            assert (GRAPH / name).read_bytes() == (out / name).read_bytes(), f"graph/{name} is stale: run `govkg build`"


def test_counts_cover_every_kind(built):
    _, result = built
    from govkg import extract, read_report

    c = counts_by_type([extract(read_report(bundled_report()))])
    assert result.counts == c
    for kind in ("PublicOrganisation", "Community", "Initiative", "Honour", "AwardConferral", "Observation", "Ranking", "PlanItem"):
        assert c[kind] > 0, kind


def test_hand_written_file_is_not_overwritten(tmp_path):
    (tmp_path / "govkg.trig").write_text("my notes", encoding="utf-8")
    with pytest.raises(ReportError, match="not written by govkg"):
        build([bundled_report()], tmp_path)
    assert (tmp_path / "govkg.trig").read_text(encoding="utf-8") == "my notes"
    build([bundled_report()], tmp_path, force=True)
    assert (tmp_path / "govkg.trig").read_text(encoding="utf-8") != "my notes"


def test_edited_output_is_protected_too(tmp_path):
    build([bundled_report()], tmp_path, view=False)
    (tmp_path / "govkg.graphml").write_text("edited", encoding="utf-8")
    with pytest.raises(ReportError, match="edited since"):
        build([bundled_report()], tmp_path, view=False)


def test_bad_inputs_are_reported_and_the_rest_still_built(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    result = build([empty, bundled_report(), tmp_path / "missing.txt"], out, view=False)
    assert len(result.built) == 1
    assert len(result.errors) == 2 and "empty.txt" in result.errors[0] and "missing.txt" in result.errors[1]
    assert (out / "govkg.trig").exists()


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    write_atomic(tmp_path / "a.txt", "一")
    write_atomic(tmp_path / "a.txt", "二")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "二"


def test_malicious_strings_survive_the_whole_chain(tmp_path):
    """Markup and quote characters in a report stay data: the graph validates and the view stays inert."""
    report = tmp_path / "evil.txt"
    report.write_text(
        "索引号: X/2021-1\n发布机构: 某区司法局\n\n一、总体成效\n"
        '<script>alert(1)</script>司法所被授予“全国\\"先进}集体”荣誉称号。以"}; DROP、<b>等社区为试点，推行“一核同心圆”。\n',
        encoding="utf-8",
    )
    result = build([report], tmp_path / "out")
    assert not result.errors
    assert validate(tmp_path / "out" / "govkg.trig").conforms
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and page.count("</script>") == 3
    text = report.read_text(encoding="utf-8")
    from govkg import extract, read_report

    for m in extract(read_report(report)).mentions():
        assert text[m.start : m.end] == m.text
