"""Transfer pages: `rules` (the guide, rules, programmes) and `requests` (requests, the queue)."""
