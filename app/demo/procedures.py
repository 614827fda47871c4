"""The catalog as the seed sees it: one plain record per procedure, and how often each is asked for.

Apart from the generator so that app.demo.timeline can plan a life from a procedure
without importing the generator that calls it.
"""

from dataclasses import dataclass

# Share of a commune counter's dossiers (per mille) by national code; others by field below.
PROCEDURE_WEIGHTS: dict[str, float] = {
    "2.000815": 300, "2.000884": 95, "2.000942": 15, "2.000908": 10, "2.001035": 18, "2.001019": 4,
    "2.001406": 4, "2.000913": 3, "2.000927": 2, "2.001008": 2,
    "1.001193": 70, "1.000656": 28, "1.000894": 30, "1.004873": 80, "2.000635": 50, "1.004859": 20,
    "1.001022": 4, "1.000689": 4, "1.004884": 8, "1.005461": 2, "1.004837": 2, "1.004845": 1, "2.002516": 8,
    "1.001776": 20, "1.001731": 5, "1.001699": 5, "1.001653": 2, "1.014027": 5,
    "1.013978": 30, "1.012812": 5, "1.013967": 2,
}
FIELD_WEIGHTS: dict[str, float] = {"CT": 20, "HT": 20, "DD": 8, "BTXH": 5}
OTHER_WEIGHT = 3


# A plain dataclass rather than the Procedure row: it crosses to worker processes (pickled).
@dataclass
class Proc:
    id: int
    code: str
    name: str
    field_code: str
    value: int
    unit: str
    fee_total: int
    postal: bool
    pays: bool  # may be asked for a financial obligation
