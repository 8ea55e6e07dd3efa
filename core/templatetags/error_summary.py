"""The error summary at the top of a form: one entry per problem, each linking to its field."""

from django import template

register = template.Library()


def _anchor(field) -> str:
    """The id to link to: the field itself, or the first choice of a group of radios/checkboxes
    (whose label points nowhere)."""
    anchor = field.id_for_label
    if not anchor and field.auto_id:
        anchor = f"{field.auto_id}_0"
    return anchor


@register.simple_tag
def error_summary_items(form) -> list[dict]:
    """[{"message", "anchor"}] for the form's errors: the form-wide errors first (no link), then
    the fields' in their order; a message said twice (at two fields, or at a field and for the
    whole form) is listed once."""
    if form is None or not getattr(form, "errors", None):
        return []
    items, seen = [], set()
    for message in form.non_field_errors():
        if message not in seen:
            seen.add(message)
            items.append({"message": message, "anchor": ""})
    for field in form:
        for message in field.errors:
            if message in seen:
                continue
            seen.add(message)
            items.append({"message": message, "anchor": "" if field.is_hidden else _anchor(field)})
    return items
