"""After-sales: a buyer's request for a refund, or a return and refund, of
some or all of an order's lines, the farmer's answer, the staff's decision on
an escalation, the goods coming back and the money going back (issue 19)."""
