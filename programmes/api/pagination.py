from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """``?page=`` (from 1) and ``?page_size=`` (at most ``max_page_size``); a page beyond the
    last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """Refuse a ``page_size`` that is not a whole number from 1 (DRF's would ignore it)."""
        given = request.query_params.get(self.page_size_query_param)
        if given is not None and not (given.isdigit() and int(given) >= 1):
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number of items, from 1.")]}
            )
        return super().get_page_size(request)

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": "How many items there are in all, on every page.",
            "next": "The next page (null on the last).",
            "previous": "The previous page (null on the first).",
            "results": "The items of this page.",
        }
        for name, description in descriptions.items():
            paginated["properties"][name]["description"] = description
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["description"] = {
                "page": "The page, from 1; a page beyond the last is a 404.",
                "page_size": f"Items per page, {self.page_size} by default, "
                f"{self.max_page_size} at most.",
            }.get(parameter["name"], parameter.get("description", ""))
        return parameters
