"""Look-alike companies must not merge by name; real variants of one company must.

The pairs and groups are real (tests/data/names/SOURCE.md): companies with close names
and different websites, and spellings of one company from different lists.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.config import MatchSettings
from abmcli.keys.names import name_key
from abmcli.matching.decisions import Decision, Decisions, read_decisions
from abmcli.matching.match import match_rows

DATA = Path(__file__).parent / "data" / "names"
PAIRS = pd.read_csv(DATA / "lookalike_pairs.csv", dtype=str, keep_default_na=False)
GROUPS = pd.read_csv(DATA / "variant_groups.csv", dtype=str, keep_default_na=False)
COLUMNS = ["name", "domain", "email", "country", "city", "state", "postal_code", "phone",
           "ticker"]


def row(name: str, domain: str = "", **evidence: str) -> dict[str, str]:
    return {"name": name, "domain": domain, "email": "", **evidence}


def run(rows: list[dict[str, str]], decisions: Decisions | None = None):
    frame = pd.DataFrame(rows, columns=COLUMNS).astype(object).fillna("")
    return match_rows(frame, MatchSettings(), decisions)


def domain_of(name: str) -> str:
    return name_key(name).replace(" ", "")[:30] + ".com"


ISSUE_PAIRS = PAIRS[PAIRS["source"] == "issue 11"]
REAL_PAIRS = PAIRS[PAIRS["source"] != "issue 11"]


@pytest.mark.parametrize("pair", ISSUE_PAIRS.to_dict("records"),
                         ids=list(ISSUE_PAIRS["name_a"]))
def test_the_issues_look_alikes_stay_apart_with_or_without_their_countries(pair):
    for countries in (True, False):
        account = row(pair["name_b"], domain_of(pair["name_b"]),
                      country=pair["country_b"] if countries else "")
        loose = row(pair["name_a"], country=pair["country_a"] if countries else "")
        placed = run([account, loose]).rows
        assert placed.loc[1, "account_key"] == "name:" + name_key(pair["name_a"])


def test_more_than_fifty_real_look_alike_pairs_stay_apart_without_evidence():
    assert len(REAL_PAIRS) >= 50
    for account_side, loose_side in (("a", "b"), ("b", "a")):
        rows = []
        for pair in REAL_PAIRS.to_dict("records"):
            rows.append(row(pair[f"name_{account_side}"], pair[f"domain_{account_side}"]))
            rows.append(row(pair[f"name_{loose_side}"]))
        placed = run(rows).rows
        loose = placed.iloc[1::2]
        merged = loose[loose["match"] == "fuzzy"]
        assert merged.empty, merged[["name_key", "reason"]].to_string()


def test_look_alikes_in_one_city_merge_at_most_five_in_a_thousand():
    rows, owners = [], []
    for pair in REAL_PAIRS.to_dict("records"):
        rows.append(row(pair["name_a"], pair["domain_a"], city=pair["city_a"],
                        country=pair["country_a"]))
        rows.append(row(pair["name_b"], city=pair["city_b"], country=pair["country_b"]))
        owners.append(pair["domain_a"])
    placed = run(rows).rows
    wrong = sum(placed.iloc[2 * i + 1]["account_key"] == owners[i] for i in range(len(owners)))
    assert 1000 * wrong / len(owners) <= 5


def _placed_groups(with_location: bool) -> pd.DataFrame:
    groups = GROUPS[GROUPS["city"].ne("")] if with_location else GROUPS
    rows = [row(g.name, city=g.city if with_location else "",
                country=g.country if with_location else "")
            for g in groups.itertuples(index=False)]
    return groups.assign(placed=run(rows).rows["account_key"].to_numpy())


def test_more_than_fifty_real_variant_groups_merge_with_their_location():
    placed = _placed_groups(with_location=True)
    whole = placed.groupby("group")["placed"].nunique().eq(1)
    assert whole.sum() >= 100
    assert whole.mean() >= 0.9
    curated = whole[whole.index.str.startswith("curated-")]
    assert curated.all(), list(curated[~curated].index)


@pytest.mark.parametrize(("a", "b"), [
    ("Uproar PR", "Uporar PR"),
    ("ASML Holding N.V.", "ASML HOLDING NAAMLOZE VENNOOTSCHAP"),
    ("Siemens AG", "SIEMENS AKTIENGESELLSCHAFT"),
    ("STMicroelectronics", "ST MICROELECTRONICS"),
    ("Robert Bosch GmbH", "BOSCH GMBH ROBERT"),
    ("Advertise Purple Corp.", "Advertise Purple Holdings"),
])
def test_the_issues_variants_merge_into_the_account_without_evidence(a, b):
    placed = run([row(a, domain_of(a)), row(b)]).rows
    assert placed.loc[1, "account_key"] == domain_of(a)


def test_a_location_tail_matching_the_rows_city_is_not_part_of_the_name():
    rows = [row("Cargill", "cargill.com", city="Bergen op Zoom", country="NL"),
            row("CARGILL B.V., BERGEN OP ZOOM", city="Bergen op Zoom", country="Netherlands")]
    assert run(rows).rows.loc[1, "account_key"] == "cargill.com"


def test_a_doubtful_name_is_its_own_account_and_a_candidate_with_the_evidence():
    result = run([row("Shaw Communications Inc.", "shawcomms.ca", country="Canada"),
                  row("Sharp Communications (US)", country="US")])
    assert result.rows.loc[1, "account_key"] == "name:sharp communications"
    candidate = result.candidates.set_index("key_a").loc["name:sharp communications"]
    assert candidate["key_b"] == "shawcomms.ca"
    assert "rare word differs: sharp/shaw" in candidate["reason"]
    assert "country united states ≠ canada" in candidate["reason"]


def test_an_accepted_candidate_merges_on_the_next_run():
    rows = [row("Shaw Communications Inc.", "shawcomms.ca"), row("Sharp Communications")]
    decisions = Decisions([Decision("name:sharp communications", "shawcomms.ca", accept=True)])
    again = run(rows, decisions)
    assert again.rows.loc[1, "account_key"] == "shawcomms.ca"
    assert again.rows.loc[1, "match"] == "decision"
    assert again.candidates.empty


def test_a_rejected_candidate_is_not_offered_again():
    rows = [row("Shaw Communications Inc.", "shawcomms.ca"), row("Sharp Communications")]
    decisions = Decisions([Decision("name:sharp communications", "shawcomms.ca", accept=False)])
    again = run(rows, decisions)
    assert again.rows.loc[1, "account_key"] == "name:sharp communications"
    assert again.candidates.empty


@pytest.mark.parametrize(("field", "ours", "theirs"), [
    ("phone", "+1 (212) 555-0143", "212.555.0143"),
    ("postal_code", "10013-2201", "10013"),
    ("ticker", "NASDAQ: BLNK", "blnk"),
])
def test_strong_evidence_lets_a_doubtful_name_merge(field, ours, theirs):
    rows = [row("Blink Fitness", "blinkfitness.com", **{field: theirs}),
            row("Blinn Fitness", **{field: ours})]
    result = run(rows)
    assert result.rows.loc[1, "account_key"] == "blinkfitness.com"
    assert field.split("_")[0] in result.rows.loc[1, "reason"]


@pytest.mark.parametrize(("field", "ours", "theirs"), [
    ("country", "Germany", "Switzerland"),
    ("ticker", "RIT", "RIEN"),
])
def test_contradicting_evidence_blocks_a_merge_the_name_alone_would_make(field, ours, theirs):
    rows = [row("Northwind Analytics", "northwind.com", **{field: theirs}),
            row("Northwind Analytcs", **{field: ours})]
    assert run(rows[:1] + [row("Northwind Analytcs")]).rows.loc[1, "match"] == "fuzzy"
    result = run(rows)
    assert result.rows.loc[1, "account_key"] == "name:northwind analytcs"
    assert "≠" in result.candidates.loc[0, "reason"]


def test_doubtful_names_go_to_the_decisions_file(tmp_path: Path):
    from abmcli.config import Config
    from abmcli.outputs.hub_workbook import write_merge_outputs
    from abmcli.stages.merge import InputSpec, merge_files

    crm = tmp_path / "crm.csv"
    crm.write_text("Account Name,Website,Billing Country\nShaw Communications Inc.,shawcomms.ca,"
                   "Canada\n", encoding="utf-8")
    engagement = tmp_path / "engagement.csv"
    engagement.write_text("Company Name,Country,Page Views\nSharp Communications,US,12\n",
                          encoding="utf-8")
    inputs = [InputSpec(str(crm), "crm"), InputSpec(str(engagement), "engagement")]
    result = merge_files(inputs, Config())
    decisions = tmp_path / "decisions.csv"
    write_merge_outputs(result, tmp_path / "hub.xlsx", decisions_path=decisions)
    written = pd.read_csv(decisions, dtype=str, keep_default_na=False)
    line = written[written["key_a"] == "name:sharp communications"].iloc[0]
    assert line["key_b"] == "shawcomms.ca"
    assert "sharp/shaw" in line["reason"]
    written.loc[line.name, "decision"] = "accept"
    written.to_csv(decisions, index=False)
    again = merge_files(inputs, Config(), decisions_path=decisions)
    assert len(again.hub) == 1
    assert read_decisions(decisions).account_key("name:sharp communications") == "shawcomms.ca"


# --- property: a look-alike company's rows never move another company's rows -----------

_COMPANIES = GROUPS.groupby("group", sort=True).agg(list).reset_index().to_dict("records")


def _company_rows(company: dict, number: int) -> list[dict[str, str]]:
    names = company["name"]
    rows = [row(names[0], f"company{number}.com", city=company["city"][0],
                country=company["country"][0])]
    rows += [row(n, city=c, country=k)
             for n, c, k in zip(names[1:], company["city"][1:], company["country"][1:],
                                strict=True)]
    return rows


@given(
    companies=st.lists(st.sampled_from(range(len(_COMPANIES))), min_size=1, max_size=8,
                       unique=True),
    pair=st.sampled_from(range(len(PAIRS))),
    side=st.sampled_from("ab"),
    with_domain=st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_adding_a_look_alike_company_never_moves_another_companys_rows(
        companies, pair, side, with_domain):
    look = PAIRS.iloc[pair]
    other = "b" if side == "a" else "a"
    # The company the look-alike resembles is known by name only (a CRM row and an
    # engagement row without a website): the rows a look-alike's account could steal.
    base = [row(look[f"name_{side}"], city=look[f"city_{side}"],
                country=look[f"country_{side}"]),
            row(look[f"name_{side}"] + " Inc."),
            row(look[f"name_{side}"], f"{side}{pair}.com" if with_domain else "")]
    for number in companies:
        base += _company_rows(_COMPANIES[number], number)
    newcomer = [row(look[f"name_{other}"], f"new{pair}.com", city=look[f"city_{other}"],
                    country=look[f"country_{other}"]),
                row(look[f"name_{other}"], city=look[f"city_{other}"],
                    country=look[f"country_{other}"])]
    before = run(base).rows["account_key"]
    after = run(base + newcomer).rows["account_key"].iloc[: len(base)]
    assert list(after) == list(before)


@pytest.mark.parametrize(("family", "header"), [
    ("engagement", "Account Name,HQ Country,City,State,Zip Code,Phone,Ticker,Page Views"),
    ("crm", "Account Name,Billing Country,Billing City,Billing State/Province,"
            "Billing Zip/Postal Code,Phone,Ticker,Account Owner"),
    ("fit", "Company Name,Company Country,Company City,Company State,Company Zip Code,"
            "Company HQ Phone,Ticker,Employees"),
])
def test_evidence_fields_survive_loading_for_name_only_rows(tmp_path: Path, family, header):
    from abmcli.sources.load import load_source

    path = tmp_path / f"{family}.csv"
    path.write_text(f"{header}\nSharp Communications,US,Denver,CO,80202,303-555-0100,SHRP,7\n",
                    encoding="utf-8")
    records = load_source(str(path), family=family).records
    loaded = {f: records.loc[0, f] for f in
              ("country", "city", "state", "postal_code", "phone", "ticker")}
    assert loaded == {"country": "US", "city": "Denver", "state": "CO", "postal_code": "80202",
                      "phone": "303-555-0100", "ticker": "SHRP"}


def test_evidence_reads_state_codes_and_leaves_vendor_labels_out_of_the_case_against():
    from abmcli.matching.evidence import profile, weigh

    ours = profile({"state": ["TX"], "industry": ["Retail"], "employees": ["3393"]})
    theirs = profile({"state": ["Texas"], "industry": ["Software"], "employees": ["4097"]})
    verdict = weigh(ours, theirs)
    assert verdict.describe() == "state texas agrees"
    assert not verdict.contradicted
