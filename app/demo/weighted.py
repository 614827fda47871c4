"""Weighted random choice in O(1), shared by the people and procedure tables.

Its own module because both app.demo.people and app.demo.generator draw from such
tables; keeping it apart keeps those two free of each other.
"""

from typing import Any


class Weighted:
    """Weighted choice by indexing a pre-expanded table with one random number."""

    SIZE = 4096

    def __init__(self, items: list[tuple[Any, float]]):
        total = sum(w for _, w in items)
        table: list[Any] = []
        acc = 0.0
        for item, weight in items:
            acc += weight
            while len(table) < round(acc / total * self.SIZE):
                table.append(item)
        self.table = table or [items[0][0]]
        self.n = len(self.table)

    def pick(self, r: float) -> Any:
        return self.table[int(r * self.n)]
