"""Cutting runs of figures (split.py): a cut is claimed only when it is the one cut that satisfies the row."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports.audit.split import RowIdentity, split_runs

T3_ROW = [RowIdentity((6,), (0, 1, 2, 3, 4, 5))]
T4_ROW = [RowIdentity((4,), (0, 1, 2, 3)), RowIdentity((9,), (5, 6, 7, 8)), RowIdentity((14,), (10, 11, 12, 13))]


def test_the_published_examples() -> None:
    assert split_runs(["640020470"], 7, T3_ROW).cells == ("64", "0", "0", "2", "0", "4", "70")
    assert split_runs(["210000021"], 7, T3_ROW).cells == ("21", "0", "0", "0", "0", "0", "21")
    assert split_runs(["21", "0000021"], 7, T3_ROW).cells == ("21", "0", "0", "0", "0", "0", "21")


def test_separated_figures_are_taken_as_printed_even_when_they_do_not_add_up() -> None:
    # Already one token per cell: nothing to cut, and the identity's failure is a finding, not a parse error.
    assert split_runs(["1", "0", "0", "0", "0", "0", "5"], 7, T3_ROW).cells == ("1", "0", "0", "0", "0", "0", "5")


def test_placeholders_stay_one_cell_and_never_count() -> None:
    assert split_runs(["/", "000000"], 7, T3_ROW).cells == ("/", "0", "0", "0", "0", "0", "0")


def test_two_cuts_or_none_are_ambiguous() -> None:
    assert split_runs(["1011"], 3, []).cells is None  # 1 | 0 | 11 or 10 | 1 | 1
    assert split_runs(["1011"], 3, []).solutions == 2
    assert split_runs(["1100011"], 7, T3_ROW).solutions == 0
    assert split_runs(["1", "2", "3"], 2, []).cells is None  # more figures than cells


def test_a_pathological_run_gives_up_quickly() -> None:
    outcome = split_runs(["9" * 60], 7, T3_ROW)
    assert outcome.cells is None


row = st.lists(st.integers(min_value=0, max_value=150), min_size=6, max_size=6).map(lambda parts: [*parts, sum(parts)])


@settings(deadline=None, max_examples=25)
@given(row)
def test_a_cut_when_claimed_is_the_printed_row(cells: list[int]) -> None:
    printed = [str(c) for c in cells]
    outcome = split_runs(["".join(printed)], 7, T3_ROW)
    assert outcome.cells is None or list(outcome.cells) == printed


@settings(deadline=None, max_examples=25)
@given(st.lists(st.integers(min_value=0, max_value=99), min_size=12, max_size=12))
def test_table_four_cuts_are_right_or_absent(parts: list[int]) -> None:
    groups = [parts[i : i + 4] for i in (0, 4, 8)]
    printed = [str(v) for g in groups for v in (*g, sum(g))]
    outcome = split_runs(["".join(printed[:5]), "".join(printed[5:])], 15, T4_ROW)
    assert outcome.cells is None or list(outcome.cells) == printed
