"""The problem ledger screen: filters, the table, and the rectify / verify / correct steps."""
