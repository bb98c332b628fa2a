"""The form widgets of dates. An <input type="date"> takes only an ISO value
(2026-12-02): Django's DateInput writes the value in the language's first input
format (2026/12/02 in zh-hans), which the browser drops, leaving the field empty.
Every date input of the project is this one (month inputs are
reports.sales.MonthField's, ISO too); tests/common/test_date_inputs.py reads every
form."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """A date picker whose value is ISO in every language."""

    input_type = "date"

    def __init__(self, attrs=None, format=ISO_DATE):  # noqa: A002 (Django's name)
        super().__init__(attrs, format=format)
