"""年度考核: the assessment page, its tables, the hand-scoring panel and the rule-set editor."""
