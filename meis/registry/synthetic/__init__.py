"""Synthetic country: a deterministic, vectorised generator of registry data.

`registry_generate(people=N, seed=S, as_of=D)` writes N people in households, their identity
documents and N/60 employers. Design (see also `meis registry generate --help`):

* **Deterministic.** People are made in blocks of households (`people.block_households`); block
  *k* draws from `numpy.random.Generator(PCG64(SeedSequence([seed, k])))`, so the same seed and
  `as_of` give the same rows whatever the batch size.
* **Unique identifiers by construction.** A FİN, a document number, a phone number and a VÖEN are
  each the image of a running index under a fixed keyed bijection (`identifiers`), so no set of
  seen values is kept and no retry is needed; `append=True` continues every index after the rows
  already present and can never produce a duplicate.
* **Vectorised.** Faker `az_AZ` supplies word lists once (`words`); every per-row value is a
  numpy or Polars column operation.
* **Bounded memory.** Blocks are written batch by batch through `meis.core.bulk` (`writing`):
  PostgreSQL COPY, SQLite `executemany` in one transaction per batch.

The modules, in the order the data flows: `base` (streams, days, the error), `identifiers`,
`words`, `households`, `people`, `rows` (blocks to table frames), `employers`, `writing`, and
`country` (`registry_generate`). The demography is a rough picture of Azerbaijan in 2020
(docs/domain.md §12): about 10 million people, median age near 32, 49.9 % male, households of 1–9
people with a mean near 4.3.
"""

from .base import GeneratorError, random_stream
from .country import DEFAULT_BATCH_SIZE, GenerateResult, counters_after_existing, registry_generate
from .employers import employer_frame, employer_frames
from .identifiers import Counters, Permutation, voen_check_digits
from .rows import Frames, people_frames

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Counters",
    "Frames",
    "GenerateResult",
    "GeneratorError",
    "Permutation",
    "counters_after_existing",
    "employer_frame",
    "employer_frames",
    "people_frames",
    "random_stream",
    "registry_generate",
    "voen_check_digits",
]
