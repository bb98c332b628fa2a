"""REST API of the field work: training sessions (and their attendance), visits
and income surveys, scoped like the pages."""
