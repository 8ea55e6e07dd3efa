"""Lists paginate by cursor: stable under inserts, and no COUNT(*) over a large table."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
