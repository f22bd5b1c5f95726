"""The synthetic country: deterministic, valid, unique and demographically plausible."""

import datetime

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from meis.core.identifiers import (
    normalize_document_number,
    normalize_fin,
    normalize_mobile_phone,
    normalize_voen,
    voen_check_digit,
)
from meis.registry import synthetic
from meis.registry.synthetic import Counters, Frames, Permutation

AS_OF = datetime.date(2020, 3, 1)


def country(*, people: int, seed: int = 7, batch_size: int = 100_000) -> Frames:
    batches = list(
        synthetic.people_frames(
            people=people, seed=seed, as_of=AS_OF, counters=Counters(), batch_size=batch_size
        )
    )
    return Frames(
        *(pl.concat([getattr(b, name) for b in batches]) for name in Frames.__annotations__)
    )


def employers(*, count: int, seed: int = 7) -> pl.DataFrame:
    return synthetic.employer_frame(
        synthetic.random_stream(seed, 1), count=count, counters=Counters()
    )


def test_the_same_seed_gives_the_same_rows_whatever_the_batch_size():
    first = country(people=700)
    second = country(people=700, batch_size=50)
    for name in Frames.__annotations__:
        assert_frame_equal(getattr(first, name), getattr(second, name))


def test_a_different_seed_gives_different_people():
    first, second = country(people=300, seed=1), country(people=300, seed=2)
    assert first.persons["birth_on"].to_list() != second.persons["birth_on"].to_list()
    assert first.persons["first_name"].to_list() != second.persons["first_name"].to_list()


def test_it_makes_exactly_the_people_asked_for():
    frames = country(people=333)
    assert frames.persons.height == 333
    assert frames.memberships.height == 333
    assert frames.persons["id"].to_list() == list(range(1, 334))


def test_every_fin_is_valid_and_unique():
    fins = country(people=3000).persons["fin"].to_list()
    assert all(normalize_fin(fin) == fin for fin in fins)
    assert len(set(fins)) == len(fins)


def test_every_document_number_is_valid_unique_and_of_its_generation():
    documents = country(people=3000).documents
    for number, generation in documents.select("number", "generation").iter_rows():
        parsed = normalize_document_number(number)
        assert (parsed.number, parsed.generation) == (number, generation)
    assert documents["number"].n_unique() == documents.height


def test_every_phone_is_a_valid_unique_mobile_number():
    phones = country(people=3000).persons["verified_phone"].drop_nulls().to_list()
    assert phones
    assert all(normalize_mobile_phone(phone) == phone for phone in phones)
    assert len(set(phones)) == len(phones)


def test_every_voen_is_valid_unique_and_typed_by_legal_form():
    frame = employers(count=5000)
    for voen, form in frame.select("voen", "legal_form").iter_rows():
        assert normalize_voen(voen) == voen
        assert voen[-1] == ("2" if form == "sole_proprietor" else "1")
    assert frame["voen"].n_unique() == frame.height


def test_the_vectorised_voen_check_digit_agrees_with_the_reference():
    numbers = np.random.default_rng(3).integers(0, 10**8, 2000)
    vectorised = synthetic.voen_check_digits(numbers)
    for number, digit in zip(numbers, vectorised, strict=True):
        expected = voen_check_digit(f"{number:08d}")
        assert digit == (-1 if expected is None else expected)


def test_a_permutation_is_a_bijection_of_its_space():
    permutation = Permutation(1000, key=42)
    image = permutation(np.arange(1000))
    assert sorted(image.tolist()) == list(range(1000))
    assert image[:10].tolist() != list(range(10))


def test_an_exhausted_identifier_space_is_an_error():
    with pytest.raises(synthetic.GeneratorError):
        Permutation(100, key=1)(np.array([100]))


def test_the_age_and_sex_pyramid_is_plausible_for_azerbaijan():
    persons = country(people=20_000).persons
    age = ((AS_OF - persons["birth_on"]).dt.total_days() / 365.2425).to_numpy()
    assert 27 <= np.median(age) <= 36
    assert 0.47 <= (persons["sex"] == "M").to_numpy().mean() <= 0.53
    assert 0.15 <= (age < 15).mean() <= 0.32
    assert 0.04 <= (age >= 65).mean() <= 0.12
    assert 0.005 <= persons["died_on"].is_not_null().to_numpy().mean() <= 0.02
    assert age.min() >= 0
    assert age.max() <= 101


def test_households_have_one_head_and_plausible_sizes():
    frames = country(people=20_000)
    sizes = frames.memberships.group_by("household_id").len()["len"].to_numpy()
    heads = frames.memberships.filter(pl.col("relation") == "head")
    assert heads.height == frames.households.height
    assert heads["household_id"].n_unique() == heads.height
    assert sizes.min() >= 1
    assert sizes.max() <= 9
    assert 3.6 <= sizes.mean() <= 4.8


def test_children_are_younger_than_the_head_of_their_household():
    frames = country(people=5000)
    members = frames.memberships.join(
        frames.persons.select(pl.col("id").alias("person_id"), "birth_on"), on="person_id"
    )
    heads = members.filter(pl.col("relation") == "head").select(
        "household_id", pl.col("birth_on").alias("head_birth_on")
    )
    children = members.filter(pl.col("relation") == "child").join(heads, on="household_id")
    assert (children["birth_on"] > children["head_birth_on"]).all()


def test_patronymics_end_in_oglu_or_qizi_by_sex():
    persons = country(people=1000).persons
    for sex, patronymic in persons.select("sex", "patronymic").iter_rows():
        assert patronymic.endswith(" oğlu" if sex == "M" else " qızı")


def test_identity_cards_follow_the_card_rules():
    frames = country(people=5000)
    documents = frames.documents.join(
        frames.persons.select(pl.col("id").alias("person_id"), "birth_on"), on="person_id"
    )
    biometric = documents["generation"] == "biometric_id_card"
    assert (biometric == (documents["issued_on"] >= datetime.date(2018, 9, 1))).all()
    age_at_issue = (documents["issued_on"] - documents["birth_on"]).dt.total_days() / 365.2425
    assert (age_at_issue >= 15).all()
    unlimited = documents["expires_on"].is_null()
    assert (unlimited == (age_at_issue >= 55)).all()
    statuses = set(documents["status"].to_list())
    assert {"valid", "expired", "replaced"} <= statuses
    assert (
        documents.filter(pl.col("status") == "valid").group_by("person_id").len()["len"].max() == 1
    )
