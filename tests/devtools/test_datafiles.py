"""The demo's data files: each a JSON object saying what it holds, each read by the demo."""

import re
from importlib import resources

from programmes.devtools.datafiles import read

DEVTOOLS = resources.files("programmes.devtools")


def data_file_names() -> list[str]:
    return sorted(
        path.name.removesuffix(".json")
        for path in DEVTOOLS.joinpath("data").iterdir()
        if path.name.endswith(".json")
    )


def test_each_file_says_what_it_holds():
    names = data_file_names()
    assert len(names) >= 10
    for name in names:
        data = read(name)
        assert isinstance(data, dict), name
        assert data["about"].strip(), name
        assert set(data) - {"about"}, name


def test_each_file_is_read_by_the_demo():
    sources = [
        path.read_text(encoding="utf-8")
        for path in [DEVTOOLS.joinpath("users.py"), *DEVTOOLS.joinpath("demo").iterdir()]
        if path.name.endswith(".py")
    ]
    read_names = {name for text in sources for name in re.findall(r'read\("(\w+)"\)', text)}
    assert read_names == set(data_file_names())
