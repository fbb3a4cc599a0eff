"""Use cases: one async function per thing a person can do; no platform imports."""
