"""A partner's representative sees their own partner and nothing of any other, nor NATO's
internal side of their own: property-based.

The world: three partners, each with a draft not shared, a shared draft, a submitted, an approved
and an agreed version (with an event), an internal and a shared comment, and a representative.
Every name, title and comment carries a marker. Hypothesis draws a representative, another
partner and a page: a list (home, partners, programmes with a search for the other partner,
reports), one of the other partner's objects (its page, a version in any status, its comparison,
delivery, event, report, download, calendar), or one of the representative's own pages. The page
must answer (never a server error) and say nothing of the other partner, and nothing internal
of the own partner (internal comments, the unshared draft); the other partner's objects are
404. Counts are checked the same way: a list's count is the own partner's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programmes import workflow
from programmes.models import ProgrammeStatus
from tests.support.factories import (
    PartnerFactory,
    UserFactory,
    assigned_officer,
    draft_programme,
    event_of,
    programme_in_force,
    programme_in_status,
    representative_of,
)
from tests.support.strategies import fuzz_settings
from tests.support.worlds import built_once

pytestmark = pytest.mark.django_db

NAMES = {"LA": "Alphaleak", "LB": "Betaleak", "LC": "Gammaleak"}


@dataclass
class Side:
    partner: object
    representative: object
    programmes: dict = field(default_factory=dict)
    event: object = None

    @property
    def name(self) -> str:
        return self.partner.name

    def markers(self) -> list[str]:
        """Text that only a page of this partner shows."""
        return [self.name, *(p.title for p in self.programmes.values())]

    def internal_markers(self) -> list[str]:
        """Text of this partner that its representatives never read."""
        return [f"{self.name} internal remark", self.programmes["unshared"].title]


def build_side(code: str, approver) -> Side:
    partner = PartnerFactory(name=NAMES[code], code=code)
    officer = assigned_officer(partner, f"officer-{code.lower()}")
    side = Side(partner=partner, representative=representative_of(partner, f"rep-{code.lower()}"))
    plans = side.programmes
    plans["agreed"] = programme_in_force(
        officer=officer, approver=approver, partner=partner, title=f"{partner.name} plan in force"
    )
    side.event = event_of(plans["agreed"], officer=officer)
    for status, start in (("submitted", 2040), ("approved", 2044)):
        plans[status] = programme_in_status(
            status,
            officer=officer,
            approver=approver,
            partner=partner,
            start_year=start,
            title=f"{partner.name} plan {status}",
        )
    plans["unshared"] = draft_programme(
        officer=officer, partner=partner, start_year=2048, title=f"{partner.name} plan unshared"
    )
    shared = draft_programme(
        officer=officer, partner=partner, start_year=2052, title=f"{partner.name} plan shared"
    )
    plans["shared"] = workflow.share(actor=officer, programme=shared)
    for programme in (plans["submitted"], plans["shared"]):
        workflow.add_comment(
            actor=officer, programme=programme, text=f"{partner.name} internal remark"
        )
        workflow.add_comment(
            actor=officer, programme=programme, text=f"{partner.name} shared remark", shared=True
        )
    return side


@pytest.fixture(scope="module")
def built_sides(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        approver = UserFactory(username="leak-approver", role="Approver")
        yield [build_side(code, approver) for code in NAMES]


@pytest.fixture
def sides(built_sides, db):
    return built_sides


@pytest.fixture
def clients(sides):
    clients = []
    for side in sides:
        client = Client(raise_request_exception=True)
        client.force_login(side.representative)
        clients.append(client)
    return clients


def lists(own: Side, other: Side) -> list[str]:
    """Pages listing or counting things, and searches for the other partner."""
    return [
        reverse("home"),
        reverse("partners:list"),
        reverse("partners:list") + f"?q={other.name}",
        reverse("programmes:programme_list"),
        reverse("programmes:programme_list") + f"?q={other.name}",
        reverse("programmes:programme_list") + f"?q={other.partner.code}",
        reverse("programmes:programme_list") + f"?partner={other.partner.code}",
        reverse("programmes:report_index"),
        reverse("programmes:report_index") + f"?partner={other.partner.code}",
        reverse("programmes:activity_list"),
    ]


def own_pages(own: Side) -> list[str]:
    """The representative's own partner's pages and downloads."""
    code = own.partner.code
    agreed = own.programmes["agreed"]
    return [
        reverse("partners:detail", args=[code]),
        reverse("programmes:partner_report", args=[code]),
        reverse("programmes:partner_report_download", args=[code, "csv"]),
        reverse("programmes:partner_events_calendar", args=[code]),
        reverse("programmes:programme_delivery", args=[agreed.pk]),
        reverse("programmes:event_detail", args=[own.event.pk]),
        reverse("programmes:activity_detail", args=[own.event.activity.code]),
        *(
            reverse("programmes:programme_detail", args=[p.pk])
            for key, p in own.programmes.items()
            if key != "unshared"
        ),
    ]


def objects_of(other: Side) -> list[str]:
    """Every page of one of the other partner's objects."""
    code = other.partner.code
    agreed = other.programmes["agreed"]
    urls = [
        reverse("partners:detail", args=[code]),
        reverse("programmes:partner_report", args=[code]),
        reverse("programmes:partner_report_download", args=[code, "csv"]),
        reverse("programmes:partner_report_download", args=[code, "pdf"]),
        reverse("programmes:partner_events_calendar", args=[code]),
        reverse("programmes:programme_delivery", args=[agreed.pk]),
        reverse("programmes:event_detail", args=[other.event.pk]),
    ]
    for programme in other.programmes.values():
        urls += [
            reverse("programmes:programme_detail", args=[programme.pk]),
            reverse("programmes:programme_compare", args=[programme.pk]),
            reverse("programmes:programme_accept", args=[programme.pk]),
            reverse("programmes:programme_decline", args=[programme.pk]),
        ]
    return urls


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@fuzz_settings
@given(data=st.data())
def test_a_representative_sees_nothing_of_another_partner(sides, clients, data):
    index = data.draw(st.integers(0, len(sides) - 1), label="representative")
    own, client = sides[index], clients[index]
    other = data.draw(st.sampled_from([s for s in sides if s is not own]), label="other partner")
    kind = data.draw(st.sampled_from(["list", "own", "object"]), label="kind")
    if kind == "object":
        url = data.draw(st.sampled_from(objects_of(other)), label="url")
        response = client.get(url)
        assert response.status_code == 404, url
    else:
        pages = lists(own, other) if kind == "list" else own_pages(own)
        url = data.draw(st.sampled_from(pages), label="url")
        response = client.get(url)
        assert response.status_code == 200, url
    body = text_of(response)
    for marker in other.markers():
        if marker in url:
            continue  # a search echoes what was searched for; the titles found would not be
        assert marker not in body, (url, marker)
    for marker in own.internal_markers():
        assert marker not in body, (url, marker)


def test_the_own_side_is_seen(sides, clients):
    """The property above cannot pass by showing nothing: the own partner's shared versions
    and shared comments are on its pages, and the lists count them."""
    own, client = sides[0], clients[0]
    body = text_of(client.get(reverse("programmes:programme_list")))
    for key in ("agreed", "submitted", "approved", "shared"):
        assert own.programmes[key].title in body
    page = text_of(
        client.get(reverse("programmes:programme_detail", args=[own.programmes["shared"].pk]))
    )
    assert f"{own.name} shared remark" in page
    assert f"{own.name} internal remark" not in page
    partners = client.get(reverse("partners:list"))
    assert [p.code for p in partners.context["object_list"]] == [own.partner.code]


def test_staff_still_see_every_partner(sides):
    """The restriction is the representatives': a viewer reads all three partners and the
    internal comments."""
    viewer = UserFactory(username="leak-viewer", role="Viewer")
    client = Client()
    client.force_login(viewer)
    body = text_of(client.get(reverse("programmes:programme_list")))
    for side in sides:
        assert side.programmes["unshared"].title in body
    shared = sides[0].programmes["shared"]
    page = text_of(client.get(reverse("programmes:programme_detail", args=[shared.pk])))
    assert f"{sides[0].name} internal remark" in page


def test_programme_statuses_seen_by_a_representative(sides):
    """Submitted onward, plus the draft shared explicitly: the visibility rule itself."""
    from programmes.permissions import visible_programmes

    own = sides[1]
    seen = set(visible_programmes(own.representative).values_list("title", flat=True))
    assert seen == {p.title for key, p in own.programmes.items() if key != "unshared"}
    assert ProgrammeStatus.DRAFT in {own.programmes["shared"].status}
