"""Drills run by the tests and the benchmarks: faults, crashes, hostile input, agents."""
