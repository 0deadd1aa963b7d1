# Keep doctest collection away from entry points and scripts.
collect_ignore = ["numerics/__main__.py", "benchmarks", "setup.py"]
