"""Pages of the field work, one module per page family: the assistant's
dashboard, the household file, training, visits and income surveys. Views
validate, call a service and render; scope comes from selectors."""
