"""Every form with errors opens with a summary that takes the focus and links to each field,
one entry per problem."""

import re

from django import forms
from django.template import Context, Template


class _Form(forms.Form):
    name = forms.CharField(label="Nom")
    kind = forms.ChoiceField(label="Type", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        self.add_error("token", "Formulaire périmé : rechargez la page.")
        self.add_error(None, "Formulaire périmé : rechargez la page.")
        return data


def _summary(form) -> str:
    return Template('{% include "_error_summary.html" %}').render(Context({"form": form}))


def test_summary_links_to_each_field_and_says_each_problem_once():
    html = _summary(_Form({"name": "", "kind": "", "token": "x"}))
    assert 'tabindex="-1"' in html and "data-error-summary" in html
    assert "3 points sont à corriger" in html
    # name and kind are required: two problems, each named and linked; the stale token is said at
    # the form and at a hidden field: once, without a link.
    links = re.findall(r'<a href="#([^"]+)"', html)
    assert links == ["id_name", "id_kind_0"]
    assert "Nom : Ce champ est obligatoire." in html and "Type : Ce champ est obligatoire." in html
    assert html.count("Formulaire périmé") == 1
    assert "2 points sont à corriger" not in html  # 3: name, kind, the stale form


def test_summary_links_a_group_of_radios_to_its_first_choice():
    class Radios(forms.Form):
        kind = forms.ChoiceField(label="Type", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    assert '<a href="#id_kind_0"' in _summary(Radios({}))


def test_no_summary_without_errors():
    assert "data-error-summary" not in _summary(_Form())
    assert "data-error-summary" not in _summary(None)
