"""'#[if bound ?p] …' lines in named queries: active only when the parameter is bound, results unchanged."""
from govkg.query import apply_if_bound, list_queries


def test_if_bound_lines_toggle_on_bound_parameters():
    text = "SELECT * WHERE {\n  #[if bound ?a ?b] ?s ?p ?a .\n  #[if bound ?a] ?s ?q ?a .\n  # a comment\n}"
    assert apply_if_bound(text, set()) == text
    assert apply_if_bound(text, {"a"}) == text.replace("#[if bound ?a] ", "")
    assert apply_if_bound(text, {"a": 1, "b": 2}) == text.replace("#[if bound ?a ?b] ", "").replace("#[if bound ?a] ", "")


def test_if_bound_lines_name_declared_parameters():
    import re

    for q in list_queries():
        declared = {p.name for p in q.params}
        for names in re.findall(r"#\[if bound((?:\s+\?\w+)+)\]", q.text):
            assert {n.lstrip("?") for n in names.split()} <= declared, q.name
