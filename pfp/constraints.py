"""Model validation that answers a model's check constraints without a query each.

Django validates each ``CheckConstraint`` with a query of its own, in a savepoint of its own when
a transaction is open (three statements): a programme, with eleven, took 33 statements to
validate at every workflow step. ``ChecksInOneQuery`` answers in Python each condition made of
the row's columns compared with constants or other columns (``answer_in_python``, with SQL's
three-valued logic: a condition unknown because of a NULL passes, as in Django), and the others
(patterns, relations, functions) together in one ``SELECT``. The messages are Django's, in the
same order; the other constraints (unique, exclusion) are validated by Django as before.
``tests/pfp/test_constraints.py`` draws rows and compares the errors with Django's own.
"""

import datetime
import uuid
from contextlib import nullcontext
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class ChecksInOneQuery(models.Model):
    """An abstract model whose ``validate_constraints`` (called by ``full_clean`` and by model
    forms) answers its check constraints in Python, or in one query."""

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        failed = self._failed_checks(exclude, using)
        if failed is None:  # the database could not answer: Django's way, one at a time
            return super().validate_constraints(exclude=exclude)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    if type(constraint) is models.CheckConstraint:
                        if constraint.name in failed:
                            raise ValidationError(
                                constraint.get_violation_error_message(),
                                code=constraint.violation_error_code,
                            )
                    else:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _failed_checks(self, exclude, using) -> set[str] | None:
        """The names of the check constraints this instance breaks, or None if the database
        could not answer. Each condition is answered in Python where ``answer_in_python``
        can; the others together in one query."""
        connection = connections[using]
        in_python = connection.features.supports_comparing_boolean_expr
        failed = set()
        for model_class, constraints in self.get_constraints():
            values = _field_values(self, model_class._meta)
            left = []
            for constraint in constraints:
                if type(constraint) is not models.CheckConstraint or (
                    exclude
                    and constraint._expression_refs_exclude(
                        model_class, constraint.condition, exclude
                    )
                ):
                    continue
                try:
                    if not in_python:
                        raise NotInPython
                    if answer_in_python(constraint.condition, values) is False:
                        failed.add(constraint.name)
                except NotInPython:
                    left.append(constraint)
            if left:
                failed_in_database = self._failed_in_database(model_class, left, exclude, using)
                if failed_in_database is None:
                    return None
                failed |= failed_in_database
        return failed

    def _failed_in_database(self, model_class, checks, exclude, using) -> set[str] | None:
        """The names of ``checks`` this instance breaks, from one query; None if it failed."""
        connection = connections[using]
        query = Query(None)
        against = self._get_field_expression_map(meta=model_class._meta, exclude=exclude)
        for name, value in against.items():
            if not hasattr(value, "resolve_expression"):
                value = Value(value)
            query.add_annotation(value, name, select=False)
        for index, constraint in enumerate(checks):
            condition = constraint.condition
            if connection.features.supports_comparing_boolean_expr:
                condition = Coalesce(condition, True, output_field=BooleanField())
            passes = Case(
                When(Q(condition), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            query.add_annotation(passes, f"_check_{index}")
        context = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
        try:
            with context:
                row = query.get_compiler(using=using).execute_sql(SINGLE)
        except DatabaseError:
            return None
        return {
            constraint.name for constraint, passes in zip(checks, row, strict=True) if not passes
        }


# --- Conditions answered in Python ---------------------------------------------------------------


class NotInPython(Exception):
    """A condition ``answer_in_python`` leaves to the database."""


def _field_values(instance, meta) -> dict:
    """The instance's value for each of its columns, by field name (a foreign key's id)."""
    values = {"pk": (instance.pk, meta.pk)}
    for field in meta.local_concrete_fields:
        values[field.name] = values[field.attname] = (getattr(instance, field.attname), field)
    return values


# The Python types a value of each kind compares with the same result as in SQL: numbers with
# numbers, text with text, dates with dates (not with times of day), and so on.
_KINDS = (
    (bool,),
    (int, float, Decimal),
    (str,),
    (datetime.datetime,),
    (datetime.date,),
    (uuid.UUID,),
)


def _kind(value):
    # The first kind that matches: a bool is an int and a datetime a date, so those come first.
    for kind in _KINDS:
        if isinstance(value, kind):
            return kind
    raise NotInPython


def _column(name, values):
    """A column's value, only if it is already what the field makes of it (``to_python``):
    what the database would be sent."""
    if name not in values:
        raise NotInPython
    value, field = values[name]
    if value is not None:
        try:
            cleaned = field.to_python(value)
        except ValidationError:
            raise NotInPython from None
        if type(cleaned) is not type(value) or cleaned != value:
            raise NotInPython
        _kind(value)
    return value


def _operand(expression, values):
    """The value of a condition's right-hand side: a constant, a column (``F``), or a sum or
    difference of those."""
    if isinstance(expression, F):
        return _column(expression.name, values)
    if isinstance(expression, Value):
        return expression.value
    if isinstance(expression, CombinedExpression) and expression.connector in ("+", "-"):
        left = _operand(expression.lhs, values)
        right = _operand(expression.rhs, values)
        if left is None or right is None:
            return None
        if _kind(left) is not _KINDS[1] or _kind(right) is not _KINDS[1]:
            raise NotInPython
        return left + right if expression.connector == "+" else left - right
    if hasattr(expression, "resolve_expression"):
        raise NotInPython
    return expression


def _same_kind(left, right):
    if _kind(left) is not _kind(right):
        raise NotInPython


def _compare(lookup, left, right):
    """SQL's answer to ``left <lookup> right``, both known."""
    if lookup == "in":
        if not isinstance(right, (list, tuple, set, frozenset)) or any(v is None for v in right):
            raise NotInPython
        for item in right:
            _same_kind(left, item)
        return left in right
    _same_kind(left, right)
    if lookup == "exact":
        return left == right
    if isinstance(left, str) and "" not in (left, right):
        raise NotInPython  # the order of two texts is the database's collation's
    if lookup == "gt":
        return left > right
    if lookup == "gte":
        return left >= right
    if lookup == "lt":
        return left < right
    if lookup == "lte":
        return left <= right
    raise NotInPython


def answer_in_python(condition, values) -> bool | None:
    """SQL's three-valued answer to ``condition`` for a row of ``values`` (``_field_values``):
    True, False, or None when it is unknown (a comparison with NULL). Raises ``NotInPython``
    for anything but columns of the row compared (``exact``, ``in``, ``isnull``, ``gt``,
    ``gte``, ``lt``, ``lte``) with constants, other columns or their sums, joined by
    ``&``, ``|`` and ``~``: relations, functions, patterns, and values the field has not cleaned
    are the database's to answer."""
    if isinstance(condition, Q):
        answers = [answer_in_python(child, values) for child in condition.children]
        if condition.connector == Q.AND:
            answer = False if False in answers else None if None in answers else True
        elif condition.connector == Q.OR:
            answer = True if True in answers else None if None in answers else False
        else:
            raise NotInPython
        return answer if answer is None or not condition.negated else not answer
    if not isinstance(condition, tuple):
        raise NotInPython
    path, right = condition
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    left = _column(name, values)
    if lookup == "isnull":
        if not isinstance(right, bool):
            raise NotInPython
        return (left is None) is right
    if lookup == "exact" and right is None:
        return left is None  # Django writes field=None as IS NULL
    right = _operand(right, values)
    if left is None or right is None:
        return None
    try:
        return _compare(lookup, left, right)
    except TypeError:
        raise NotInPython from None
