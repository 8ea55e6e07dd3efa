"""Path converters. `<id:pk>` is `<int:pk>` bounded to what a database key holds: a longer number
is no route (404), not an OverflowError in the query (500)."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
