"""The `motcua` command line, split by area.

Each area's module has `register(cli)` adding its commands; `main.py` composes
them. Commands that need `printing` or `sync` live in those layers
(`printing/cli.py`, `sync/cli.py`) so that `app` never imports upwards.
"""
