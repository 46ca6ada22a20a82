from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """``?page=`` (from 1) and ``?page_size=`` (at most ``max_page_size``); a page beyond the
    last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
