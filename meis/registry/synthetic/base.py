"""What every part of the synthetic country shares: its error, its random streams and its days.

Every block of households or employers draws from its own stream, `random_stream(seed, *stream)`, so a
seed gives the same rows whatever the batch size. Dates are day numbers since 1970-01-01 until
they become rows.
"""

from __future__ import annotations

import datetime

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

EPOCH = datetime.date(1970, 1, 1)
YEAR = 365.2425


class GeneratorError(Exception):
    """The generator cannot go on (identifier space exhausted, bad arguments)."""


def random_stream(seed: int, *stream: int) -> np.random.Generator:
    """The random stream of one block: PCG64 seeded by (seed, *stream)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))


def day_number(date: datetime.date) -> int:
    """Days since 1970-01-01."""
    return (date - EPOCH).days
