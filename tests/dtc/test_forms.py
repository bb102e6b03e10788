from django import forms

from dtc.forms import GovukDateField, GovukFormMixin


class DateForm(GovukFormMixin, forms.Form):
    held_on = GovukDateField(label="Date")
    note = forms.CharField()


def test_a_form_shown_again_with_errors_keeps_the_typed_date():
    form = DateForm({"held_on_day": "7", "held_on_month": "3", "held_on_year": "2026", "note": ""})
    assert not form.is_valid()
    html = str(form["held_on"])
    assert 'value="7"' in html and 'value="3"' in html and 'value="2026"' in html


def test_a_partly_typed_date_is_kept_and_refused_clearly():
    form = DateForm({"held_on_day": "7", "held_on_month": "", "held_on_year": "2026", "note": "x"})
    assert form.errors["held_on"] == ["Date must include a month"]
    assert 'value="7"' in str(form["held_on"])


def test_the_error_summary_links_to_the_first_box_of_a_date():
    form = DateForm({"note": "x"})
    form.is_valid()
    assert form.error_summary() == [("id_held_on_0", "Enter the date")]
