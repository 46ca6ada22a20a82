"""Junk in paths and query strings: a clear refusal or nothing found, never a server error
(ids beyond 64 bits, years beyond any programme, malformed keys, NUL characters)."""

from __future__ import annotations

import pytest

from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999999"
URLS = [
    f"/api/v1/events/{BIG}/",
    f"/api/v1/reviews/{BIG}/",
    f"/api/v1/programmes/{BIG}/",
    f"/api/v1/programmes/{BIG}/comments/",
    f"/api/v1/menu/activities/?provider={BIG}",
    f"/api/v1/delivery/{BIG}/",
    f"/api/v1/programmes/?year={BIG}",
    f"/api/v1/events/?year={BIG}",
    f"/api/v1/reviews/?year={BIG}",
    f"/api/v1/programmes/?page={BIG}",
    f"/api/v1/programmes/?page_size={BIG}",
    "/api/v1/events/?lineage=not-a-uuid",
    "/api/v1/menu/activities/?area=%00",
    "/api/v1/partners/?q=%00",
    "/api/v1/partners/MX/events/%00/",
]


@pytest.mark.parametrize("url", URLS)
def test_never_a_server_error(world, as_role, url):
    response = as_role("administrator").get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path", ["/api/v1/delivery/-2026/", "/api/v1/nothing/", "/api/v1/events/x/"]
)
def test_a_path_no_endpoint_has_is_the_api_s_404(world, as_role, path):
    assert api_client(None).get(path).status_code == 401
    response = as_role("viewer").get(path)
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
    assert as_role("viewer").put(path, {}, content_type="application/json").status_code == 404
