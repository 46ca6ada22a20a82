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
    Action.COMMENT: {"officer", "approver", "administrator"},
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
}
