"""Job titles -> seniority and function, measured on real titles labelled by hand."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.measure.titles import (
    C_LEVEL,
    DIRECTOR,
    IC,
    MANAGER,
    SENIORITIES,
    VP,
    classify_contacts,
    classify_title,
    vendor_function,
    vendor_level,
)

TITLES = Path(__file__).parent / "data" / "titles"


CRUNCHBASE = (Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
              / "job-titles-crunchbase-people" / "titles.txt")


def labelled_rows(name: str) -> list[dict[str, str]]:
    with (TITLES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def crunchbase_title(line: str) -> str:
    """A titles.txt line is `"<title>" ,`: the title is what the quotes hold."""
    return re.sub(r'^\s*"(.*)"\s*,\s*$', r"\1", line)


def wrong_seniorities(pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(title, want, classify_title(title).seniority)
            for title, want in pairs if classify_title(title).seniority != want]


def assert_at_least_95_percent_right(pairs: list[tuple[str, str]], at_least: int) -> None:
    assert len(pairs) >= at_least
    wrong = wrong_seniorities(pairs)
    assert 1 - len(wrong) / len(pairs) >= 0.95, wrong[:20]
    assert {want for _, want in pairs} >= {DIRECTOR, MANAGER, IC}


@pytest.mark.parametrize(("name", "at_least"), [("job_titles_seniority.csv", 250),
                                                ("job_titles_seniority_holdout.csv", 400)])
def test_at_least_95_percent_of_real_titles_get_the_hand_set_seniority(
        name: str, at_least: int) -> None:
    rows = labelled_rows(name)
    assert_at_least_95_percent_right([(r["title"], r["seniority"]) for r in rows], at_least)


def test_at_least_95_percent_of_the_crunchbase_titles_in_shared_get_the_hand_set_seniority(
        ) -> None:
    # The titles carry no licence, so only our labels are in the repo, keyed by line.
    if not CRUNCHBASE.is_file():
        pytest.skip("shared/reference is not beside this checkout (crunchbase titles.txt)")
    lines = CRUNCHBASE.read_text(encoding="utf-8").splitlines()
    labels = labelled_rows("crunchbase_titles_seniority.csv")
    assert len(labels) == len(lines) == 300
    pairs = [(crunchbase_title(lines[int(r["line"]) - 1]), r["seniority"]) for r in labels]
    assert_at_least_95_percent_right(pairs, 300)


@pytest.mark.parametrize(("title", "seniority", "function"), [
    ("SVP, Global Sales", VP, "sales"),
    ("CMO", C_LEVEL, "marketing"),
    ("Dir. Mktg Ops", DIRECTOR, "marketing"),
    ("Sr. Mgr, IT", MANAGER, "IT"),
    ("VP Mktg", VP, "marketing"),
    ("Founder & CEO", C_LEVEL, "executive"),
    ("Chief Financial Officer (CFO)", C_LEVEL, "finance"),
    ("Head of People", VP, "HR"),
    ("General Counsel", VP, "legal"),
    ("Executive Assistant to the CEO", IC, "executive"),
    ("Principal Software Engineer", IC, "engineering"),
    ("Channel Partner Sales Executive", IC, "sales"),
    ("Partner", C_LEVEL, "executive"),
    ("Vice President, Engineering & Operations", VP, "engineering"),
    ("R&D Manager", MANAGER, "engineering"),
    ("Product Marketing Manager", MANAGER, "marketing"),
    ("Chief Architect", DIRECTOR, "engineering"),
    ("Customer Success Manager", MANAGER, "customer success"),
    # other languages
    ("Geschäftsführer", C_LEVEL, "executive"),
    ("Leiter Vertrieb", DIRECTOR, "sales"),
    ("Teamleiter Marketing", MANAGER, "marketing"),
    ("Directeur commercial", DIRECTOR, "sales"),
    ("Directrice des ressources humaines", DIRECTOR, "HR"),
    ("Chef de projet marketing", MANAGER, "marketing"),
    ("PDG", C_LEVEL, "executive"),
    ("Jefe de ventas", MANAGER, "sales"),
    ("Gerente de TI", MANAGER, "IT"),
    ("Director de Finanzas", DIRECTOR, "finance"),
    ("Diretora de Marketing", DIRECTOR, "marketing"),
    ("Amministratore Delegato", C_LEVEL, "executive"),
    ("Algemeen directeur", C_LEVEL, "executive"),
])
def test_abbreviations_and_languages(title: str, seniority: str, function: str) -> None:
    assert classify_title(title) == (seniority, function)


@pytest.mark.parametrize(("title", "seniority"), [
    ("Wind Technician Leader", MANAGER), ("Environmental Practice Leader", MANAGER),
    ("Project Development Leader", MANAGER), ("Accreditation Lieutenant", MANAGER),
    ("Speaker and Thought Leader", IC), ("VP & Sr. Project Leader", VP),
])
def test_a_leader_of_anything_is_a_manager_but_a_thought_leader_is_not(
        title: str, seniority: str) -> None:
    assert classify_title(title).seniority == seniority


def test_a_blank_title_is_an_individual_contributor_in_no_function() -> None:
    assert classify_title("") == (IC, "other")
    assert classify_title("  ,, / ") == (IC, "other")


@pytest.mark.parametrize(("value", "level"), [
    ("C-Level", C_LEVEL), ("VP-Level", VP), ("Director", DIRECTOR), ("Manager", MANAGER),
    ("Non-Manager", IC), ("c_suite", C_LEVEL), ("vp", VP), ("head", VP), ("entry", IC),
    ("", None), ("Galactic overlord", None),
])
def test_vendor_levels(value: str, level: str | None) -> None:
    assert vendor_level(value) == level


@pytest.mark.parametrize(("value", "function"), [
    ("Marketing", "marketing"), ("master_information_technology", "IT"),
    ("Engineering & Technical", "engineering"), ("C-Suite", "executive"),
    ("Human Resources", "HR"), ("Finance", "finance"), ("", None),
])
def test_vendor_departments(value: str, function: str | None) -> None:
    assert vendor_function(value) == function


def test_the_vendors_level_and_department_win_where_known() -> None:
    out = classify_contacts(pd.Series(["Marketing Manager", "Engineer", None]),
                            departments=pd.Series(["Sales", "unknown dept", "Finance"]),
                            levels=pd.Series(["Director", None, "C-Level"]))
    assert out["seniority"].tolist() == [DIRECTOR, IC, C_LEVEL]
    assert out["function"].tolist() == ["sales", "engineering", "finance"]
    assert out["seniority_from"].tolist() == ["vendor", "title", "vendor"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gets_a_known_seniority(title: str) -> None:
    result = classify_title(title)
    assert result.seniority in SENIORITIES
