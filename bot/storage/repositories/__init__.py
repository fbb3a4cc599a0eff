"""Repositories, one module a feature: the only place that knows table and column names."""
