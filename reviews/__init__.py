"""Reviews: after an order completes, its buyer rates each product from 1 to
5, with a comment and photos; the farmer may reply once; assistants and staff
hide an abusive review, with a reason (issue 19)."""
