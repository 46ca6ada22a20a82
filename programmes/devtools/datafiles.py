"""The demo's data files, ``programmes/devtools/data/*.json``: what the demo says (providers,
topics, objectives, comments, users...), kept apart from the code that builds it.

Each file is one JSON object: an ``about`` string saying what the file holds, then the data.
Read by ``programmes.devtools.demo`` and ``programmes.devtools.users``, nothing else.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read(name: str) -> dict[str, Any]:
    """The data file ``name`` (``data/<name>.json``), parsed."""
    path = resources.files(__package__).joinpath("data", f"{name}.json")
    return json.loads(path.read_text(encoding="utf-8"))
