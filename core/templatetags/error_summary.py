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
    """[{"label", "message", "anchor"}] for the form's errors: the form-wide errors first (no link),
    then the fields' in their order, each named by its label (two fields left empty are two
    problems). A message said twice at the same place, or at a hidden field and for the whole form,
    is listed once."""
    if form is None or not getattr(form, "errors", None):
        return []
    items, seen = [], set()
    for message in form.non_field_errors():
        if message not in seen:
            seen.add(message)
            items.append({"label": "", "message": message, "anchor": ""})
    for field in form:
        for message in field.errors:
            key = message if field.is_hidden else (field.name, message)
            if key in seen:
                continue
            seen.add(key)
            if field.is_hidden:
                items.append({"label": "", "message": message, "anchor": ""})
            else:
                items.append({"label": field.label, "message": message, "anchor": _anchor(field)})
    return items
