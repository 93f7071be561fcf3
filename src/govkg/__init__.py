"""govkg: Chinese local-government work reports → knowledge graph with character-level provenance."""

from __future__ import annotations

__version__ = "0.1.0"
