"""The API's endpoints that ``manage.py bench`` times beside the pages: (name, URL) pairs, about
the same objects as the pages (the partner whose agreed programme plans the most), requested
with the viewer's session (the API takes it as it takes a token)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def api_endpoints(largest, year: int) -> list[tuple[str, str]]:
    partner = largest.partner
    return [
        ("API: partners", reverse("api:partner-list")),
        ("API: partner", reverse("api:partner-detail", kwargs={"code": partner.code})),
        ("API: menu activities", reverse("api:activity-list")),
        # A page as long as the programme list's (25): the demo at scale 1 has 36 versions, fewer
        # than the API's page of 50, which a larger demo fills (14 rows more to serialise).
        ("API: programmes", reverse("api:programme-list") + f"?page_size={settings.PAGINATE_BY}"),
        (
            "API: programme in force of a partner",
            reverse("api:programme-list") + f"?partner={partner.code}&status=agreed&year={year}",
        ),
        (
            "API: programme with contents",
            reverse("api:programme-detail", kwargs={"pk": largest.pk}),
        ),
        ("API: events of a year", reverse("api:event-list") + f"?year={year}"),
        # Those awaiting acknowledgement, as an approver's tool asks: a larger demo adds its
        # earlier programmes' reviews, every one acknowledged.
        ("API: annual reviews", reverse("api:review-list") + "?status=submitted"),
        ("API: delivery figures of a year", reverse("api:year-delivery", kwargs={"year": year})),
    ]
