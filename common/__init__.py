"""Common: the plumbing every app shares (pages, API, money, years, widgets, template
builtins, storage, photos); no domain."""
