"""The access-control matrix (issue 8): who gets what from every URL."""
