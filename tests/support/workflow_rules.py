"""The workflow's rules, written out for the tests independently of ``programmes.workflow``'s
own tables: who may take each action (role fixtures' names), and from which statuses.

``tests/programmes/test_workflow.py`` checks them through the functions, ``tests/programmes/test_workflow_http.py``
through the pages, so a change to the module that breaks a rule fails both.
"""

from programmes.models import ProgrammeStatus as S
from programmes.workflow import Action

MAY = {
    Action.EDIT: {"officer", "administrator"},
    Action.SUBMIT: {"officer", "administrator"},
    Action.WITHDRAW: {"officer", "administrator"},
    Action.REVISE: {"officer", "administrator"},
    Action.RETURN: {"approver", "administrator"},
    Action.APPROVE: {"approver", "administrator"},
    Action.RECORD_AGREEMENT: {"approver", "administrator"},
    Action.CLOSE: {"approver", "administrator"},
    Action.COMMENT: {"officer", "approver", "administrator", "representative"},
    Action.SHARE: {"officer", "administrator"},
    Action.ACCEPT: {"representative"},
    Action.DECLINE: {"representative"},
}
FROM = {
    Action.EDIT: {S.DRAFT, S.RETURNED},
    Action.SUBMIT: {S.DRAFT, S.RETURNED},
    Action.WITHDRAW: {S.DRAFT, S.RETURNED},
    Action.RETURN: {S.SUBMITTED},
    Action.APPROVE: {S.SUBMITTED},
    Action.RECORD_AGREEMENT: {S.APPROVED},
    Action.REVISE: {S.AGREED},
    Action.CLOSE: {S.AGREED},
    Action.COMMENT: set(S.values),
    Action.SHARE: {S.DRAFT},
    Action.ACCEPT: {S.APPROVED},
    Action.DECLINE: {S.APPROVED},
}

# What a partner's representatives see of their partner's versions: those submitted once (the
# versions of a test's world that were never shared: drafts and those withdrawn as drafts). A
# representative of another partner sees none of them.
SHARED_ONCE_SUBMITTED = {S.SUBMITTED, S.RETURNED, S.APPROVED, S.AGREED, S.SUPERSEDED, S.CLOSED}


def hidden_from(role: str, status: str) -> bool:
    """Whether the version is not found at all (404) for ``role``."""
    if role == "other_representative":
        return True
    return role == "representative" and status not in SHARED_ONCE_SUBMITTED
