"""`make bench`: can look-alike companies fool the name matcher? Built from real lists.

Two questions, each answered on real company names:

* **Look-alikes** (different companies): pairs of real companies whose names are
  close but whose websites differ ("Sharp Communications" / "Shaw Communications",
  "Selligent" / "Telligent"): the pairs of the issue that asked for this, and every
  pair of names in the martech landscape and the YC directory (../shared/reference/)
  whose name keys score at least 85 on a string ratio and whose domains differ. One
  company of each pair is an account with its website; the other is a row without a
  domain, with the location the list gives for it. A false merge is such a row placed
  on the other company's account. Reported per 1,000 rows, both directions.
  Pairs whose names are one word apart ("Stitch" / "Stitch Health") are run apart, with
  no location (`added_word`): the added word, however common, names another company.
  The same pairs are run again with both companies in one city (`in_one_city`): the
  worst case for the rules that let an agreeing city settle a slight doubt; and with
  each pair in a small town of its own (`in_rare_towns`): the worst case for the rule
  that lets a rare city settle a letter dropped inside a word (a real pair of
  different companies one letter apart, both in one small town, merges there).
* **Variants** (one company): real spellings of one company: the S&P 500 list's name
  against the NYSE list's name of the same ticker ("Home Depot (The)" / "Home Depot,
  Inc. (The)") and YC companies' former names, where one is a respelling of the other
  (a typo, spacing, or words added to a name of two words or more; renames such as
  "Kairo Health" / "Gaia Health" and one-word brands against longer names such as
  "Sift" / "Sift Science" left out),
  patent-assignee spellings (legal forms in any language, word order, location tails)
  and the variants the issue lists. All rows are without a domain; recall is the share
  of variant rows that end on the same account as their company's first spelling, once
  with the company's location on every row (companies whose location the lists give)
  and once for all companies without any evidence.

    python bench/lookalikes.py                 # the figures, for the abm installed
    python bench/lookalikes.py --write-tests   # refresh tests/data/names/*.csv

Run it with `PYTHONPATH=<an older checkout>` to get the figures before a change.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from abmcli.config import MatchSettings
from abmcli.keys.domains import registered_domain
from abmcli.keys.names import name_key
from abmcli.matching.match import match_rows

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / ".." / "shared" / "reference"
TEST_DATA = HERE.parent / "tests" / "data" / "names"
LOOKALIKE_RATIO = 85

# The pairs the issue reports as merged: (name-only row, country, account name, country).
ISSUE_PAIRS = [
    ("Sharp Communications (US)", "US", "Shaw Communications Inc.", "Canada"),
    ("Deutsche Bahn AG - Germany", "Germany", "Deutsche Bank AG - Germany", "Germany"),
    ("Blinn Fitness", "", "Blink Fitness", ""),
    ("Xeris Pharmaceuticals, Inc.", "", "Pieris Pharmaceuticals, Inc.", ""),
    ("Par Pacific Holdings", "", "Pan Pacific Holdings", ""),
    ("SBC Advertising (US)", "US", "BBC Advertising (UK)", "UK"),
    ("RGC Resources, Inc. (US)", "US", "ARC Resources Ltd. (Canada)", "Canada"),
    ("JAMF Software", "", "Jama Software", ""),
    ("Ritter Holding", "", "Rieter Holding", ""),
]

# Real spellings of one company: the issue's examples and patent-assignee name
# variants (as published by the USPTO's assignee lists), with the company's location.
CURATED_VARIANTS = [
    (["Uproar PR", "Uporar PR"], "Chicago", "United States"),
    (["ASML Holding N.V.", "ASML HOLDING NAAMLOZE VENNOOTSCHAP"], "Veldhoven", "Netherlands"),
    (["Siemens AG", "SIEMENS AKTIENGESELLSCHAFT"], "Munich", "Germany"),
    (["Cargill", "CARGILL B.V., BERGEN OP ZOOM"], "Bergen op Zoom", "Netherlands"),
    (["STMicroelectronics", "ST MICROELECTRONICS", "STMICROELECTRONICS PTE LTD",
      "STMICROELECTRONICS, INC.", "STMicroelectronics SA"], "Geneva", "Switzerland"),
    (["Robert Bosch GmbH", "BOSCH GMBH ROBERT"], "Gerlingen", "Germany"),
    (["Advertise Purple Corp.", "Advertise Purple Holdings"], "San Diego", "United States"),
    (["Coupang Corp.", "Coupang Corporation"], "Seoul", "South Korea"),
    (["THALES SA", "THALES"], "Paris", "France"),
    (["Smith & Nephew PLC", "SMITH & NEPHEW, INC."], "Watford", "United Kingdom"),
    (["Spirent Communications PLC", "Spirent Communications, Inc."], "Crawley",
     "United Kingdom"),
    (["Rolls-Royce plc", "ROLLS-ROYCE Corporation"], "London", "United Kingdom"),
    (["Unify Patente GmbH", "UNIFY PATENTE GMBH & CO. KG"], "Munich", "Germany"),
    (["Melexis Technologies NV", "MELEXIS TECHNOLOGIES SA"], "Ieper", "Belgium"),
    (["Toyota Motor Europe", "TOYOTA MOTOR EUROPE NV/SA"], "Brussels", "Belgium"),
    (["Endress+Hauser Conducta GmbH+Co. KG", "Endress+Hauser Conducta, Inc."], "Gerlingen",
     "Germany"),
    (["UCL Business Ltd", "UCL BUSINESS PLC"], "London", "United Kingdom"),
    (["Cellectis SA", "CELLECTIS"], "Paris", "France"),
    (["Sanofi Pasteur SA", "Sanofi Pasteur, Inc."], "Lyon", "France"),
    (["Poxel SA", "POXEL"], "Lyon", "France"),
    (["Analytik Jena GmbH", "Analytik Jena GmbH+Co. KG"], "Jena", "Germany"),
    (["Koninklijke Philips N.V.", "KONINKLIJKE PHILIPS ELECTRONICS N.V."], "Amsterdam",
     "Netherlands"),
    (["Telefonaktiebolaget LM Ericsson", "Telefonaktiebolaget L M Ericsson (publ)"],
     "Stockholm", "Sweden"),
    (["Toyota Jidosha Kabushiki Kaisha", "TOYOTA JIDOSHA KK"], "Toyota", "Japan"),
]


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def _yc_place(locations: str) -> tuple[str, str]:
    """(city, country) of a YC company's first location ("Oakland, CA, USA")."""
    parts = [p.strip() for p in locations.split(";")[0].split(",")]
    return (parts[0], parts[-1]) if len(parts) >= 2 else ("", "")


def listed_companies(reference: Path = REFERENCE) -> list[dict[str, str]]:
    """Martech and YC companies with a website: name, domain, city, country."""
    found = []
    for row in _rows(reference / "martech-landscape-2017" / "martech2017.csv", "utf-8-sig"):
        found.append({"name": row["Company"].strip(), "website": row["Website Domain"],
                      "city": "", "country": ""})
    for row in _rows(reference / "yc-directory" / "yc_flattened_from_saved_responses.csv"):
        city, country = _yc_place(row["all_locations"])
        found.append({"name": row["name"].strip(), "website": row["website"],
                      "city": city, "country": country})
    return found


def companies_by_key(reference: Path = REFERENCE) -> dict[str, dict[str, str]]:
    """The listed companies with a website, the first of each name key, by that key."""
    by_key: dict[str, dict[str, str]] = {}
    for company in listed_companies(reference):
        domain = registered_domain(company["website"]).domain
        key = name_key(company["name"])
        if domain and key and key not in by_key:
            by_key[key] = {**company, "domain": domain}
    return by_key


def lookalike_pairs(reference: Path = REFERENCE) -> pd.DataFrame:
    """Real companies with close names and different websites, one pair a row."""
    by_key = companies_by_key(reference)
    keys = sorted(by_key)
    scores = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=LOOKALIKE_RATIO)
    pairs = []
    for i, j in zip(*scores.nonzero(), strict=True):
        a, b = by_key[keys[i]], by_key[keys[j]]
        # Same label under two suffixes (acme.com / acme.io) may be one company.
        if i < j and a["domain"].split(".")[0] != b["domain"].split(".")[0]:
            pairs.append({"name_a": a["name"], "domain_a": a["domain"], "city_a": a["city"],
                          "country_a": a["country"], "name_b": b["name"],
                          "domain_b": b["domain"], "city_b": b["city"],
                          "country_b": b["country"], "source": "martech/yc"})
    issue = [{"name_a": a, "domain_a": "", "city_a": "", "country_a": ca, "name_b": b,
              "domain_b": "", "city_b": "", "country_b": cb, "source": "issue 11"}
             for a, ca, b, cb in ISSUE_PAIRS]
    return pd.DataFrame(issue + pairs)


def added_word_pairs(reference: Path = REFERENCE) -> pd.DataFrame:
    """Real companies whose names are one word apart, with different websites ("Stitch"
    / "Stitch Health", "Double" / "Double Robotics"): the added word says another line of
    business, so the longer name is another company, however common the word."""
    by_key = companies_by_key(reference)
    pairs = []
    for key, longer in sorted(by_key.items()):
        shorter = by_key.get(key.rpartition(" ")[0])
        if shorter and shorter["domain"].split(".")[0] != longer["domain"].split(".")[0]:
            pairs.append({"name_a": shorter["name"], "domain_a": shorter["domain"],
                          "city_a": "", "country_a": "", "name_b": longer["name"],
                          "domain_b": longer["domain"], "city_b": "", "country_b": "",
                          "source": "martech/yc added word"})
    return pd.DataFrame(pairs)


def variant_groups(reference: Path = REFERENCE) -> pd.DataFrame:
    """Real spellings of one company: group, name, city, country, source."""
    records = []
    for number, (names, city, country) in enumerate(CURATED_VARIANTS):
        records += [{"group": f"curated-{number}", "name": n, "city": city,
                     "country": country, "source": "issue 11 / patent assignees"}
                    for n in names]
    sp500 = {r["Symbol"]: r for r in _rows(reference / "sp500-constituents" / "constituents.csv")}
    nyse = _rows(reference / "real-exports" / "nyse-companylist-2019" / "companylist_nyse.csv")
    for row in nyse:
        listed = sp500.get(row["Symbol"])
        if listed and listed["Security"].strip() != row["Name"].strip() and _respelling(
                listed["Security"], row["Name"]):
            city = listed["Headquarters Location"].split(",")[0].strip()
            for name in (listed["Security"], row["Name"]):
                records.append({"group": f"ticker-{row['Symbol']}", "name": name.strip(),
                                "city": city, "country": "United States",
                                "source": "S&P 500 / NYSE list"})
    yc = reference / "yc-directory" / "yc_flattened_from_saved_responses.csv"
    for row in _rows(yc):
        city, country = _yc_place(row["all_locations"])
        formers = row["former_names"].replace("|", ";").split(";")
        for former in filter(None, (f.strip() for f in formers)):
            current = row["name"].strip()
            if former != current and _respelling(former, current):
                records += [{"group": f"yc-{row['id']}", "name": n, "city": city,
                             "country": country, "source": "YC former name"}
                            for n in (current, former)]
    return pd.DataFrame(records).drop_duplicates(["group", "name"], ignore_index=True)


def _respelling(former: str, current: str) -> bool:
    """A former name that is the current one written differently (spacing, a typo, a
    word added), not a new name ("Kairo Health" / "Gaia Health" is a rename)."""
    a, b = name_key(former), name_key(current)
    joined_a, joined_b = a.replace(" ", ""), b.replace(" ", "")
    words_a, words_b = set(a.split()), set(b.split())
    shorter = min(words_a, words_b, key=len)
    return bool(a and b) and (
        fuzz.ratio(a, b) >= 85 or joined_a == joined_b
        or (len(shorter) >= 2 and (words_a <= words_b or words_b <= words_a)))


def _identities(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["name", "domain", "email", "city", "country"])
    return frame.fillna("").astype(str)


def false_merges(pairs: pd.DataFrame) -> dict[str, float]:
    """Both directions: one company an account, the other a row without a domain."""
    rows_checked = wrong = reviewed = 0
    examples: list[str] = []
    for account, loose in (("a", "b"), ("b", "a")):
        rows, truth = [], []
        for pair in pairs.itertuples(index=False):
            p = pair._asdict()
            made_up = name_key(p[f"name_{account}"]).replace(" ", "")[:20] + ".com"
            domain = p[f"domain_{account}"] or made_up
            rows.append({"name": p[f"name_{account}"], "domain": domain, "email": "",
                         "city": p[f"city_{account}"], "country": p[f"country_{account}"]})
            truth.append(p[f"name_{account}"])
            rows.append({"name": p[f"name_{loose}"], "domain": "", "email": "",
                         "city": p[f"city_{loose}"], "country": p[f"country_{loose}"]})
            truth.append(p[f"name_{loose}"])
        result = match_rows(_identities(rows), MatchSettings())
        placed = result.rows["account_key"]
        owner = {}  # account key -> the company whose website made it
        for position in range(0, len(rows), 2):
            owner.setdefault(placed.iloc[position], truth[position])
        for position in range(1, len(rows), 2):
            rows_checked += 1
            company = owner.get(placed.iloc[position])
            if company is not None and name_key(company) != name_key(truth[position]):
                wrong += 1
                examples.append(f"{truth[position]} -> {company}")
        candidates = result.candidates
        reviewed += int(candidates["key_a"].str.startswith("name:").sum())
    return {"lookalike_rows": rows_checked, "false_merges": wrong,
            "false_per_1000": 1000 * wrong / rows_checked, "review_pairs": reviewed,
            "false_merge_examples": examples}


def in_one_city(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs with both companies put in one city and country: the worst case for
    every rule that lets an agreeing city settle a doubt (the lists give a city for few
    look-alikes, and two look-alikes in one city are what fools such a rule)."""
    return pairs.assign(city_a="Springfield", city_b="Springfield",
                        country_a="United States", country_b="United States")


def in_rare_towns(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs with both companies of each put in a small town of their own ("Town
    17", one country): every agreeing city is then rare in the run."""
    towns = [f"Town {number}" for number in range(len(pairs))]
    return pairs.assign(city_a=towns, city_b=towns,
                        country_a="United States", country_b="United States")


def variant_recall(groups: pd.DataFrame, evidence: bool) -> dict[str, float]:
    """Share of variant rows on the same account as their company's first spelling
    (with `evidence`: only companies whose location the list gives)."""
    if evidence:
        groups = groups[groups["city"].ne("")].reset_index(drop=True)
    rows = [{"name": g.name, "domain": "", "email": "",
             "city": g.city if evidence else "", "country": g.country if evidence else ""}
            for g in groups.itertuples(index=False)]
    placed = match_rows(_identities(rows), MatchSettings()).rows["account_key"].to_numpy()
    frame = groups.assign(placed=placed)
    first = frame.groupby("group", sort=False)["placed"].transform("first")
    first_name = frame.groupby("group", sort=False)["name"].transform("first")
    variants = frame[frame.duplicated("group")]
    joined = variants["placed"] == first[variants.index]
    missed = [f"{first_name[i]} / {variants.at[i, 'name']}"
              + (f" ({variants.at[i, 'city']})" if evidence else "")
              for i in variants.index[~joined.to_numpy()]]
    return {"variant_rows": len(variants), "merged": int(joined.sum()),
            "recall": int(joined.sum()) / len(variants) if len(variants) else 1.0,
            "missed": missed}


def write_test_data(pairs: pd.DataFrame, groups: pd.DataFrame) -> None:
    TEST_DATA.mkdir(parents=True, exist_ok=True)
    pairs.to_csv(TEST_DATA / "lookalike_pairs.csv", index=False, lineterminator="\n")
    groups.to_csv(TEST_DATA / "variant_groups.csv", index=False, lineterminator="\n")


def main() -> None:
    from abmcli.frames import keep_text_in_python

    keep_text_in_python()  # text kept as abm keeps it (abmcli/frames.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-tests", action="store_true",
                        help="write the pairs and groups to tests/data/names/")
    args = parser.parse_args()
    pairs, groups = lookalike_pairs(), variant_groups()
    if args.write_tests:
        write_test_data(pairs, groups)
    located, bare = variant_recall(groups, evidence=True), variant_recall(groups, evidence=False)
    figures = {"pairs": len(pairs), "variant_groups": int(groups["group"].nunique()),
               **false_merges(pairs),
               "in_one_city": false_merges(in_one_city(pairs)),
               "in_rare_towns": false_merges(in_rare_towns(pairs)),
               "added_word": false_merges(added_word_pairs()),
               "variant_rows_with_location": located["variant_rows"],
               "recall_with_location": located["recall"],
               "missed_with_location": located["missed"],
               "variant_rows": bare["variant_rows"],
               "recall_without_evidence": bare["recall"],
               "missed_without_evidence": bare["missed"]}
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
