"""Reliability suites (issue #7): power cuts, bad input, hostile environment.

`python -m tests.reliability.powercut --kills N --seed S` runs the long power-cut suite;
the short versions run in `make test` (tests/test_reliability_powercut.py and friends).
"""
