"""The field work has no admin pages: training, visits and surveys change only
through fieldwork.services (surveys with their audit trail), and help cases only
through the nightly check."""
