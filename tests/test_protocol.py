"""SPARQL Protocol pieces of the endpoint: SERVICE detection and format negotiation."""

from __future__ import annotations

import pytest

from govkg.protocol import formats, uses_service

EVIL = "http://127.0.0.1:9/x"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{EVIL}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{EVIL}> AS ?u) SeRvIcE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE<{EVIL}>{{ ?s ?p ?x }} }} }}",
        # an escaped quote in a prefixed name does not open a string
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ex:a\\' . SERVICE <{EVIL}> {{ ?s ?p ?o }} ?s ?p 'x' }}",
        # '<' as "less than" followed by a comment that holds a quote: a scan that took <?b)#> for an IRI would
        # read the next lines as a long string
        f'SELECT * WHERE {{ ?a ?p ?b FILTER(?a<?b)#>"""\nSERVICE <{EVIL}> {{ ?s ?p ?o }}\n#"""\n}}',
    ],
)
def test_service_is_found(query):
    assert uses_service(query)


@pytest.mark.parametrize(
    "query",
    [
        f'SELECT ?x WHERE {{ BIND("SERVICE <{EVIL}> {{ }}" AS ?x) }}',
        f"SELECT ?x WHERE {{ BIND('''\nSERVICE <{EVIL}> {{ }}''' AS ?x) }}",
        f"SELECT ?x WHERE {{ BIND(<http://e/SERVICE> AS ?x) }} # SERVICE <{EVIL}>",
        "PREFIX service: <http://e/> SELECT ?service WHERE { BIND(service:SERVICE AS ?service) }",
        'SELECT ?x WHERE { BIND("x"@service AS ?x) }',
        "SELECT * WHERE { ?s ?p ?o }",
    ],
)
def test_service_in_strings_iris_comments_and_names_is_not_the_keyword(query):
    assert not uses_service(query)


@pytest.mark.parametrize(
    "accept,fmt,want",
    [
        ("", "", {"select": "json", "graph": "turtle"}),
        ("application/rdf+xml", "", {"select": "json", "graph": "rdfxml"}),
        ("text/csv;q=0.5, application/sparql-results+xml", "", {"select": "xml", "graph": "turtle"}),
        ("text/turtle", "rdfxml", {"select": "json", "graph": "rdfxml"}),
        ("", "CSV", {"select": "csv", "graph": "turtle"}),
    ],
)
def test_formats(accept, fmt, want):
    assert formats(accept, fmt) == want
