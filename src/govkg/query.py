"""Named SPARQL queries, safe parameter binding, execution, result formats: the names of :mod:`govkg.sparql`.

Kept so that ``from govkg.query import run_query`` goes on working; the code lives in ``govkg/sparql/``.
"""

from __future__ import annotations

from .sparql import *  # noqa: F403
from .sparql import __all__ as __all__
