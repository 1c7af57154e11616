"""统计概览: the dashboard of figures per division and over time, with charts."""
