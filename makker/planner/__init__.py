"""The planner: one rotation exactly (ILP), the whole year, and diagnosis."""
