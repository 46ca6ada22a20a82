"""Junk for the property-based tests (``tests/security/test_fuzz.py``,
``tests/menu/test_search_index.py``); what proves that a refused request wrote nothing is
``tests.support.snapshots``.

Hypothesis profiles: ``pfp`` (the default: a few examples per target, for every run of the suite)
and ``deep`` (at least 1,000 per target), chosen with the ``HYPOTHESIS_PROFILE`` environment
variable; ``HYPOTHESIS_EXAMPLES`` sets another number of examples per target for either (CI's
pass on PostgreSQL, ``.ci/run``, asks for 50)::

    HYPOTHESIS_PROFILE=deep .venv/bin/pytest tests/security/test_fuzz.py -m deep
    HYPOTHESIS_PROFILE=deep HYPOTHESIS_EXAMPLES=100 .venv/bin/pytest tests/security/test_fuzz.py -m deep

Both keep no example database (no ``.hypothesis/`` folder in the checkout) and no deadline (a page
that renders a PDF is slow, not wrong); a failure prints the example that broke. In CI (``CI`` set,
as ``.ci/run`` does) both are derandomized: the examples come from a seed derived from the test, the
same at every run, so a red CI run is red again when rerun, never a coin toss. By hand they are
drawn afresh at every run, which is how the deep run keeps finding new things.
"""

from __future__ import annotations

import os
import string

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# --- Profiles -----------------------------------------------------------------------------------

DEFAULT_EXAMPLES = 25
DEEP_EXAMPLES = 1_000
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")

_COMMON = {
    # Hypothesis' own "ci" profile would derandomize too, but our profiles inherit from whichever
    # profile is loaded when they are registered: said here, not left to that.
    "derandomize": IN_CI,
    "deadline": None,
    "database": None,
    # Fixtures (users, programmes) are built once per target; every example runs in a
    # transaction rolled back at its end (``tests/security/test_fuzz.py``).
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
}
_BASE = settings.get_profile("default")
settings.register_profile("pfp", _BASE, max_examples=DEFAULT_EXAMPLES, **_COMMON)
settings.register_profile("deep", _BASE, max_examples=DEEP_EXAMPLES, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "pfp")
EXAMPLES = os.environ.get("HYPOTHESIS_EXAMPLES", "").strip()
_CHOSEN = settings.get_profile(PROFILE if PROFILE in ("pfp", "deep") else "pfp")
# A decorator for the fuzz tests: the chosen profile (with the number of examples asked for, if
# any), without changing the default that other tests (if any) use.
fuzz_settings = settings(_CHOSEN, max_examples=int(EXAMPLES)) if EXAMPLES else settings(_CHOSEN)


# --- Junk ---------------------------------------------------------------------------------------

# Values that have broken web applications before: empty and blank, NUL bytes, numbers a field
# cannot hold, dates that do not exist, markup, SQL, formulas, template syntax, paths, odd
# Unicode (right-to-left override, BOM, full-width digits, emoji), and the strings of types.
NASTY = [
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "0x1F",
    "1_000",
    "０１２",  # noqa: RUF001 - full-width digits, which int() accepts
    "٣",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
    "-" + "9" * 40,
    "2023-02-30",
    "2024-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31/12/2024",
    "2024-02-29T25:61:61",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE programmes_programme; --",
    "' OR '1'='1",
    "{{ 7*7 }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../../etc/passwd",
    '=HYPERLINK("http://x")',
    "+1+1",
    "@SUM(A1)",
    "\u202eevil",
    "\ufeffBOM",
    "🇫🇷🛰️",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "[object Object]",
]

# Numbers a form may receive as text: negative, zero, enormous, and plausible years.
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-5, max_value=5),
    st.integers(min_value=1990, max_value=2105),
).map(str)

floats = st.floats(allow_nan=True, allow_infinity=True).map(repr)

# Date-shaped text, often impossible: month 13, day 31 of February, year 0 or 10000.
bad_dates = st.builds(
    "{:04d}-{:02d}-{:02d}".format,
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=14),
    st.integers(min_value=0, max_value=33),
)

# Far longer than any field accepts (the longest is 4,000 characters), below Django's 2.5 MB
# limit on a request body.
huge = st.builds(
    lambda chunk, times: chunk * times,
    st.text(min_size=1, max_size=4),
    st.integers(min_value=1_000, max_value=60_000),
)

junk_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),  # any code point but surrogates: NUL, controls, combining marks...
    st.text(alphabet=string.printable, max_size=300),
    numbers,
    floats,
    bad_dates,
    huge,
)

# What a field may receive instead of one text value: several values, or none at all.
junk_value = st.one_of(
    junk_text,
    junk_text,
    junk_text,
    st.lists(junk_text, min_size=2, max_size=3),  # the same key repeated: a wrong type
)


@st.composite
def form_data(draw, fields: dict[str, st.SearchStrategy]) -> dict:
    """A POST body or a query string: each known field plausible (from ``fields``), junk, or
    missing, plus unknown fields. Which fields get junk is drawn as a set, so that examples with
    every field plausible (accepted) and with one bad field (refused) both come often."""
    names = sorted(fields)
    none = st.just(frozenset())
    junked = draw(st.one_of(none, st.frozensets(st.sampled_from(names)))) if names else set()
    missing = (
        draw(st.one_of(none, none, st.frozensets(st.sampled_from(names), max_size=1)))
        if names
        else set()
    )
    data = {
        name: draw(junk_value if name in junked else fields[name])
        for name in names
        if name not in missing
    }
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=12), junk_value, max_size=2))
    return {**extra, **data}


def query_params(params: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """A query string as a dict: known parameters (``page`` always among them), unknown ones."""
    return form_data({"page": st.integers(min_value=-3, max_value=5).map(str), **params})


def plain_text(max_size: int) -> st.SearchStrategy:
    """Text a person could type: never blank, no control characters, at most ``max_size``."""
    alphabet = st.characters(exclude_categories=("Cs", "Cc"))
    return st.text(alphabet=alphabet, max_size=max_size - 1).map(lambda text: "T" + text)


# A raw query string, not always well-formed: stray ``%``, invalid UTF-8 escapes, ``&&==``.
raw_query = st.one_of(
    st.text(alphabet="=&%?+;#aZ09", max_size=40),
    st.binary(max_size=30).map(lambda data: "page=" + "".join(f"%{byte:02X}" for byte in data)),
)
