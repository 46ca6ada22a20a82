"""``/api/v1/``: the URLconf of the API (included by the root URLconf by name, namespace
``api``). Every view answers conditional GETs (``ETag``, ``If-None-Match``: 304), and takes a
token without the site's login redirect (``login_not_required``): authentication is the API's,
and refuses with a 401."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.views.decorators.http import conditional_page
from drf_spectacular.views import SpectacularSwaggerSplitView

from programmes.api import views

app_name = "api"


def api(view):
    return login_not_required(conditional_page(view.as_view()))


urlpatterns = [
    path("partners/", api(views.PartnerList), name="partner-list"),
    path("partners/<iso2:code>/", api(views.PartnerDetail), name="partner-detail"),
    path("partners/<iso2:code>/events/<str:ref>/", api(views.PartnerEvent), name="partner-event"),
    path("menu/areas/", api(views.AreaList), name="area-list"),
    path("menu/providers/", api(views.ProviderList), name="provider-list"),
    path("menu/activities/", api(views.ActivityList), name="activity-list"),
    path(
        "menu/activities/<activity_code:code>/", api(views.ActivityDetail), name="activity-detail"
    ),
    path("programmes/", api(views.ProgrammeList), name="programme-list"),
    path("programmes/<int:pk>/", api(views.ProgrammeDetail), name="programme-detail"),
    path("programmes/<int:pk>/comments/", api(views.CommentList), name="comment-list"),
    path("programmes/<int:pk>/documents/", api(views.DocumentList), name="document-list"),
    path("documents/<int:pk>/file/", api(views.DocumentFile), name="document-file"),
    path("events/", api(views.EventList), name="event-list"),
    path("events/<int:pk>/", api(views.EventDetail), name="event-detail"),
    path("reviews/", api(views.ReviewList), name="review-list"),
    path("reviews/<int:pk>/", api(views.ReviewDetail), name="review-detail"),
    path("delivery/<int:year>/", api(views.YearDeliveryView), name="year-delivery"),
    path("schema/", api(views.SchemaView), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's static files, its script a file of its own (the
    # site's CSP allows no inline script); a page for people, behind the site's login.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    # Last: every other path under /api/v1/ (a negative year, a mistyped name) is the API's 404.
    re_path(r"^(?P<rest>.*)$", api(views.UnknownPath), name="unknown"),
]
