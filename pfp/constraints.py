"""Model validation that checks all of a model's check constraints in one query.

Django validates each ``CheckConstraint`` with a query of its own, in a savepoint of its own when
a transaction is open (three statements): a programme, with eleven, took 33 statements to
validate at every workflow step, a fifth of the suite's time. ``ChecksInOneQuery`` evaluates
every check constraint in one ``SELECT`` (one savepoint), with the same rule as Django's (a
condition that is unknown, because of a NULL, passes) and the same messages, in the same order;
the other constraints (unique, exclusion) are validated by Django as before.
"""

from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class ChecksInOneQuery(models.Model):
    """An abstract model whose ``validate_constraints`` (called by ``full_clean`` and by model
    forms) checks its check constraints in one query."""

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
        """The names of the check constraints this instance breaks, or None if the query
        failed."""
        connection = connections[using]
        failed = set()
        for model_class, constraints in self.get_constraints():
            checks = [
                constraint
                for constraint in constraints
                if type(constraint) is models.CheckConstraint
                and not (
                    exclude
                    and constraint._expression_refs_exclude(
                        model_class, constraint.condition, exclude
                    )
                )
            ]
            if not checks:
                continue
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
            context = (
                transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
            )
            try:
                with context:
                    row = query.get_compiler(using=using).execute_sql(SINGLE)
            except DatabaseError:
                return None
            failed.update(
                constraint.name
                for constraint, passes in zip(checks, row, strict=True)
                if not passes
            )
        return failed
