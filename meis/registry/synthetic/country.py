"""`registry_generate`: a whole synthetic registry — people in households, their identity
documents, and employers — written into one database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connections

from meis.core.identifiers import DocumentGeneration
from meis.registry.models import Employer, Household, HouseholdMembership, IdentityDocument, Person

from .base import GeneratorError
from .employers import employer_frames
from .identifiers import Counters
from .rows import people_frames
from .writing import Writer, constraints_deferred_to_the_end, write_pipelined

DEFAULT_BATCH_SIZE = 100_000


@dataclass(frozen=True)
class GenerateResult:
    people: int
    households: int
    documents: int
    employers: int


def counters_after_existing(*, using: str) -> Counters:
    """Running indexes that continue after the rows already in the database (for --append)."""

    def next_after(
        model: type[Person]
        | type[Household]
        | type[HouseholdMembership]
        | type[IdentityDocument]
        | type[Employer],
    ) -> int:
        last = model.objects.using(using).order_by("-id").values_list("id", flat=True).first()
        return int(last or 0)

    documents = IdentityDocument.objects.using(using)
    return Counters(
        person=next_after(Person),
        household=next_after(Household),
        membership=next_after(HouseholdMembership),
        document=next_after(IdentityDocument),
        old_card=documents.filter(generation=DocumentGeneration.OLD_ID_CARD).count(),
        biometric_card=documents.filter(generation=DocumentGeneration.BIOMETRIC_ID_CARD).count(),
        employer=next_after(Employer),
    )


def registry_generate(
    *,
    people: int,
    seed: int,
    as_of: datetime.date,
    batch_size: int = DEFAULT_BATCH_SIZE,
    append: bool = False,
    using: str = "default",
    progress: Callable[[int], object] | None = None,
) -> GenerateResult:
    """Generate `people` synthetic people (with households and documents) and employers.

    Refuses (GeneratorError) to write into a registry that already has people unless `append`,
    which continues every identifier after the existing rows. `progress(n)` is called after each
    batch with the number of people written.
    """
    if people <= 0:
        raise GeneratorError("the number of people must be positive")
    if batch_size <= 0:
        raise GeneratorError("the batch size must be positive")
    existing = Person.objects.using(using).exists()
    if existing and not append:
        raise GeneratorError(
            "the registry already holds people; generate into an empty database, "
            "or pass --append to add more after them"
        )
    counters = counters_after_existing(using=using) if existing else Counters()
    start = Counters(**counters.__dict__)
    writer = Writer(using=using, created_at=datetime.datetime.now(tz=datetime.UTC))
    batches = people_frames(
        people=people, seed=seed, as_of=as_of, counters=counters, batch_size=batch_size
    )
    connection = connections[using]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        bulk = constraints_deferred_to_the_end(using=using) if not existing else nullcontext()
        with bulk:
            write_pipelined(writer, batches, progress=progress)
            for frame in employer_frames(people=people, seed=seed, counters=counters):
                writer.write_employers(frame)
    else:
        for frames in batches:
            writer.write_people(frames)
            if progress:
                progress(len(frames))
        for frame in employer_frames(people=people, seed=seed, counters=counters):
            writer.write_employers(frame)
    writer.finish()
    return GenerateResult(
        people=counters.person - start.person,
        households=counters.household - start.household,
        documents=counters.document - start.document,
        employers=counters.employer - start.employer,
    )
