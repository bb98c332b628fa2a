"""The bad-input catalogue (issue 8): every form and API write fed what a careless
or hostile user sends, app by app (cases.py has the machinery)."""

import pytest

# cases.py holds the assertions the modules call: rewrite them, as pytest does a
# test module's, so a failure shows the values compared.
pytest.register_assert_rewrite("tests.bad_input.cases")
