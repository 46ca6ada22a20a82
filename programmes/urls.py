"""Every page of the programmes app under one namespace (``programmes:``): the menu's
(``programmes.menu.urls``), the drafting and review pages, delivery's
(``programmes.delivery.urls``) and the reports' (``programmes.reports.urls``). The names did not change when the pages moved into packages."""

from django.urls import path

from programmes.delivery import urls as delivery_urls
from programmes.documents import views as document_views
from programmes.menu import urls as menu_urls
from programmes.reports import urls as reports_urls
from programmes.views import activity, drafting, review

app_name = "programmes"

urlpatterns = [
    *menu_urls.urlpatterns,
    path(
        "menu/<activity_code:code>/", activity.ActivityDetailView.as_view(), name="activity_detail"
    ),
    path("programmes/", drafting.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", drafting.ProgrammeCreateView.as_view(), name="programme_create"),
    path(
        "programmes/awaiting-approval/",
        review.ReviewQueueView.as_view(),
        name="review_queue",
    ),
    path(
        "programmes/<int:pk>/",
        drafting.ProgrammeDetailView.as_view(),
        name="programme_detail",
    ),
    path(
        "programmes/<int:pk>/edit/",
        drafting.ProgrammeUpdateView.as_view(),
        name="programme_edit",
    ),
    path(
        "programmes/<int:pk>/objectives/new/",
        drafting.ObjectiveCreateView.as_view(),
        name="objective_create",
    ),
    path(
        "programmes/<int:pk>/objectives/<int:objective_pk>/edit/",
        drafting.ObjectiveUpdateView.as_view(),
        name="objective_edit",
    ),
    path(
        "programmes/<int:pk>/objectives/<int:objective_pk>/delete/",
        drafting.ObjectiveDeleteView.as_view(),
        name="objective_delete",
    ),
    path(
        "programmes/<int:pk>/objectives/<int:objective_pk>/move/",
        drafting.ObjectiveMoveView.as_view(),
        name="objective_move",
    ),
    path(
        "programmes/<int:pk>/objectives/<int:objective_pk>/goals/new/",
        drafting.GoalCreateView.as_view(),
        name="goal_create",
    ),
    path(
        "programmes/<int:pk>/goals/<int:goal_pk>/edit/",
        drafting.GoalUpdateView.as_view(),
        name="goal_edit",
    ),
    path(
        "programmes/<int:pk>/goals/<int:goal_pk>/delete/",
        drafting.GoalDeleteView.as_view(),
        name="goal_delete",
    ),
    path(
        "programmes/<int:pk>/goals/<int:goal_pk>/move/",
        drafting.GoalMoveView.as_view(),
        name="goal_move",
    ),
    path(
        "programmes/<int:pk>/activities/add/",
        drafting.ActivityPickerView.as_view(),
        name="activity_pick",
    ),
    path(
        "programmes/<int:pk>/activities/<int:planned_pk>/edit/",
        drafting.PlannedActivityUpdateView.as_view(),
        name="planned_edit",
    ),
    path(
        "programmes/<int:pk>/activities/<int:planned_pk>/remove/",
        drafting.PlannedActivityRemoveView.as_view(),
        name="planned_remove",
    ),
    path(
        "programmes/<int:pk>/comments/",
        drafting.CommentCreateView.as_view(),
        name="comment_add",
    ),
    path(
        "programmes/<int:pk>/submit/",
        drafting.ProgrammeSubmitView.as_view(),
        name="programme_submit",
    ),
    path(
        "programmes/<int:pk>/withdraw/",
        drafting.ProgrammeWithdrawView.as_view(),
        name="programme_withdraw",
    ),
    path(
        "programmes/<int:pk>/revise/",
        drafting.ProgrammeReviseView.as_view(),
        name="programme_revise",
    ),
    path(
        "programmes/<int:pk>/successor/",
        drafting.ProgrammeSuccessorView.as_view(),
        name="programme_successor",
    ),
    path(
        "programmes/<int:pk>/approve/",
        review.ProgrammeApproveView.as_view(),
        name="programme_approve",
    ),
    path(
        "programmes/<int:pk>/return/",
        review.ProgrammeReturnView.as_view(),
        name="programme_return",
    ),
    path(
        "programmes/<int:pk>/agreement/",
        review.ProgrammeAgreementView.as_view(),
        name="programme_agreement",
    ),
    path(
        "programmes/<int:pk>/share/",
        review.ProgrammeShareView.as_view(),
        name="programme_share",
    ),
    path(
        "programmes/<int:pk>/accept/",
        review.ProgrammeAcceptView.as_view(),
        name="programme_accept",
    ),
    path(
        "programmes/<int:pk>/decline/",
        review.ProgrammeDeclineView.as_view(),
        name="programme_decline",
    ),
    path(
        "programmes/<int:pk>/documents/new/",
        document_views.DocumentAttachView.as_view(),
        name="document_attach",
    ),
    path(
        "programmes/documents/<int:pk>/",
        document_views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "programmes/documents/<int:pk>/supersede/",
        document_views.DocumentSupersedeView.as_view(),
        name="document_supersede",
    ),
    path(
        "programmes/<int:pk>/close/",
        review.ProgrammeCloseView.as_view(),
        name="programme_close",
    ),
    path(
        "programmes/<int:pk>/compare/",
        review.ProgrammeCompareView.as_view(),
        name="programme_compare",
    ),
    *delivery_urls.urlpatterns,
    *reports_urls.urlpatterns,
]
