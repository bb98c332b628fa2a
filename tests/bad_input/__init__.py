"""The bad-input catalogue (issue 8): every form and API write fed what a careless
or hostile user sends, app by app."""
