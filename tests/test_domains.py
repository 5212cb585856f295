"""Registered-domain keys from the websites, URLs and emails vendors and CRMs export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.keys.domains import (
    FREEMAIL_DOMAINS,
    REJECT_REASONS,
    DomainKey,
    domain_keys,
    email_domain,
    registered_domain,
)

REPO = Path(__file__).resolve().parents[1]

# (value as found in a real export, expected registered domain)
USABLE = [
    # YC directory websites, as written there
    ("http://www.rumie.org", "rumie.org"),
    ("http://www.sense.education", "sense.education"),
    ("htp://www.socrative.com", "socrative.com"),
    ("http://www.Avametric.com", "avametric.com"),
    ("satrocket.com", "satrocket.com"),
    ("https://www.flexport.com/careers/jobs/", "flexport.com"),
    ("http://www.RidesApp.com", "ridesapp.com"),
    ("https://www.kiosk.so/?utm_source=ycombinator&utm_medium=directory", "kiosk.so"),
    ("https://www.SaturnOS.com", "saturnos.com"),
    ("http://StyleLend.com", "stylelend.com"),
    ("https://www.focusbuddy.ai/?ref=yc", "focusbuddy.ai"),
    ("https://www.quanticlabs.ai?utm_source=yc", "quanticlabs.ai"),
    ("https://sailsjs.com/about", "sailsjs.com"),
    ("www.learningjar.com", "learningjar.com"),
    ("http://thisisL.com", "thisisl.com"),
    ("https://delve.co/?utm_source=yc&utm_medium=bio&utm_campaign=delve", "delve.co"),
    ("https://www.gotabular.de/en/", "gotabular.de"),
    ("https://www.autarc.energy/en", "autarc.energy"),
    ("http://teaBOT.com", "teabot.com"),
    ("https://artisan.co/?utm_source=ycombinator", "artisan.co"),
    ("www.netclick.me", "netclick.me"),
    ("https://XTraffic.com/", "xtraffic.com"),
    ("http://picktrace.com/company", "picktrace.com"),
    ("http://us.memebox.com", "memebox.com"),
    ("https://www.velorumtx.com/", "velorumtx.com"),
    ("http://dropbox.com", "dropbox.com"),
    ("https://www.imgix.com", "imgix.com"),
    ("https://www.onecodex.com", "onecodex.com"),
    ("https://www.projectpro.io", "projectpro.io"),
    ("http://trinket.io", "trinket.io"),
    ("https://protocol.ai/", "protocol.ai"),
    ("https://clear.in/", "clear.in"),
    ("http://neptune.io", "neptune.io"),
    ("https://www.arva.ai", "arva.ai"),
    ("https://www.remix.com/", "remix.com"),
    # martech 2017 "Website Domain" column, as written there
    ("140proof.com", "140proof.com"),
    ("360dialog.com", "360dialog.com"),
    ("mGage.com", "mgage.com"),
    ("SUMOTEXT.com", "sumotext.com"),
    ("Tamo.co", "tamo.co"),
    ("33Across.com", "33across.com"),
    ("4INFO.com", "4info.com"),
    ("Simpli.fi", "simpli.fi"),
    ("FastTony.es", "fasttony.es"),
    ("NinjaCat.io", "ninjacat.io"),
    ("calldynamics.com.au/", "calldynamics.com.au"),
    ("fonedynamics.com.au/", "fonedynamics.com.au"),
    ("Goodcall goodcall.io", "goodcall.io"),
    ("Close.io", "close.io"),
    ("People.ai", "people.ai"),
    ("elastic.io", "elastic.io"),
    ("hubspot.com", "hubspot.com"),
    ("salesforce.com", "salesforce.com"),
    # platform companies' own rows (martech 2017 lists LinkedIn as linkedin.com)
    ("linkedin.com", "linkedin.com"),
    ("facebook.com", "facebook.com"),
    ("twitter.com", "twitter.com"),
    ("https://x.com/", "x.com"),
    ("https://www.youtube.com/", "youtube.com"),
    ("google.com", "google.com"),
    ("https://about.google.com/intl/en/", "google.com"),
    ("github.io", "github.io"),
    ("blogspot.com", "blogspot.com"),
    # Salesforce Account.csv Website column
    ("www.WalkerHensonandCompton.com", "walkerhensonandcompton.com"),
    ("www.Patterson-Hansen.com", "patterson-hansen.com"),
    ("www.GoodPLC.com", "goodplc.com"),
    # S&P 500 companies written the ways CRMs hold them
    ("https://www.3m.com/3M/en_US/company-us/", "3m.com"),
    ("https://user:pw@www.apple.com:8443/x?y#z", "apple.com"),
    ("HTTPS://WWW.MICROSOFT.COM/EN-US/", "microsoft.com"),
    ("www.kroger.com.", "kroger.com"),
    ("  www.nike.com  ", "nike.com"),
    ("'pepsico.com'", "pepsico.com"),
    ('"https://www.ibm.com"', "ibm.com"),
    ("<https://www.oracle.com/>", "oracle.com"),
    ("http:\\\\www.adobe.com\\", "adobe.com"),
    ("http//www.intel.com", "intel.com"),
    ("//www.cisco.com/c/en/us/index.html", "cisco.com"),
    ("ftp://ftp.hp.com/pub", "hp.com"),
    ("investor.coca-colacompany.com", "coca-colacompany.com"),
    ("www2.deloitte.com/us/en.html", "deloitte.com"),
    ("shop.acme.co.uk", "acme.co.uk"),
    ("https://www.Shop.Acme.co.uk:443/x?y", "acme.co.uk"),
    ("www.tesco.com/groceries", "tesco.com"),
    ("http://www.bbc.co.uk/news", "bbc.co.uk"),
    ("www.woolworths.com.au", "woolworths.com.au"),
    ("www.toyota-global.com", "toyota-global.com"),
    ("www.sony.co.jp", "sony.co.jp"),
    ("www.bosch.de", "bosch.de"),
    ("acme.com/en-us/", "acme.com"),
    ("http://acme.com/en-us/", "acme.com"),
    ("www.acme.com.", "acme.com"),
    ("ACME.COM", "acme.com"),
    ("acme.com:8080", "acme.com"),
    ("[www.acme.com]", "acme.com"),
    ("ａｃｍｅ．ｃｏｍ", "acme.com"),  # full-width characters from East-Asian keyboards
    # several values in one cell: the first usable one wins
    ("acme.com;acme.de", "acme.com"),
    ("acme.com, acme.de", "acme.com"),
    ("n/a; acme.de", "acme.de"),
    ("gmail.com | acme.de", "acme.de"),
    ("Amazon.com, Inc.", "amazon.com"),
    # emails in website columns
    ("jane@acme.com", "acme.com"),
    ("mailto:jane@acme.com", "acme.com"),
    ("MAILTO:Jane.Doe@Sales.Acme.com", "acme.com"),
    ("Jane Doe <jane@acme.com>", "acme.com"),
    ("jane@linkedin.com", "linkedin.com"),
    # internationalised domains: one key, unicode
    ("müller.de", "müller.de"),
    ("MÜLLER.DE", "müller.de"),
    ("xn--mller-kva.de", "müller.de"),
    ("https://www.xn--mller-kva.de/impressum", "müller.de"),
    ("пример.рф", "пример.рф"),
    ("xn--e1afmkfd.xn--p1ai", "пример.рф"),
    ("www.bücher.ch", "bücher.ch"),
    # registries in the PSL's private section sell ordinary company domains
    ("www.acme.uk.com", "acme.uk.com"),
    ("acme.us.com", "acme.us.com"),
]

# (value, reason)
REJECTED = [
    (None, "blank"),
    ("", "blank"),
    ("   ", "blank"),
    (float("nan"), "blank"),
    (pd.NA, "blank"),
    (np.nan, "blank"),
    ("n/a", "placeholder"),
    ("N/A", "placeholder"),
    ("na", "placeholder"),
    ("-", "placeholder"),
    ("--", "placeholder"),
    ("none", "placeholder"),
    ("NULL", "placeholder"),
    ("Unknown", "placeholder"),
    ("TBD", "placeholder"),
    ("#N/A", "placeholder"),
    ("0", "placeholder"),
    (0, "placeholder"),
    ("nan", "placeholder"),
    ("http://", "placeholder"),
    ("https://www.", "placeholder"),
    ("...", "placeholder"),
    ("example.com", "placeholder"),
    ("jane@example.com", "placeholder"),
    ("ACME Inc", "not_a_domain"),
    ("foo", "not_a_domain"),
    ("acme", "not_a_domain"),
    ("localhost", "not_a_domain"),
    ("acme.notarealtld", "not_a_domain"),
    ("jifflenocom", "not_a_domain"),
    ("acme..com", "not_a_domain"),
    ("-acme.com", "not_a_domain"),
    ("acme_corp.com", "not_a_domain"),
    ("acme dot com", "not_a_domain"),
    ("www.acme", "not_a_domain"),
    ("12345", "not_a_domain"),
    # profile, directory and shortener URLs name a page, not the company
    ("https://www.linkedin.com/company/acme", "not_a_domain"),
    ("http://facebook.com/live/producer", "not_a_domain"),
    ("https://twitter.com/acme", "not_a_domain"),
    ("https://x.com/acme", "not_a_domain"),
    ("https://www.crunchbase.com/organization/orderahead", "not_a_domain"),
    ("https://angel.co/slidepay", "not_a_domain"),
    ("https://github.com/relax", "not_a_domain"),
    ("sites.google.com/view/acme", "not_a_domain"),
    ("https://apps.apple.com/us/app/acme/id1234567", "not_a_domain"),
    ("https://play.google.com/store/apps/details?id=com.acme", "not_a_domain"),
    ("acme.wordpress.com", "not_a_domain"),
    ("https://bit.ly/3xYz", "not_a_domain"),
    ("bit.ly", "not_a_domain"),
    ("linktr.ee/acme", "not_a_domain"),
    # sites hosted on shared platforms (PSL private section)
    ("https://googleblog.blogspot.com/2007/06/more-sharing.html", "not_a_domain"),
    ("acme.github.io", "not_a_domain"),
    ("foo.herokuapp.com", "not_a_domain"),
    ("acme.myshopify.com", "not_a_domain"),
    ("192.168.0.1", "ip_address"),
    ("http://127.0.0.1:8080/x", "ip_address"),
    ("[2001:db8::1]:443", "ip_address"),
    ("2001:db8::1", "ip_address"),
    ("gmail.com", "freemail"),
    ("jane@gmail.com", "freemail"),
    ("JANE.DOE@HOTMAIL.CO.UK", "freemail"),
    ("jane@mail.yahoo.co.uk", "freemail"),
    ("mailto:jan@web.de", "freemail"),
    ("Jane Doe <jane@outlook.com>", "freemail"),
    ("co.uk", "bare_suffix"),
    ("com", "bare_suffix"),
    (".com", "bare_suffix"),
    ("com.au", "bare_suffix"),
    ("https://co.uk/", "bare_suffix"),
]


@pytest.mark.parametrize(("value", "expected"), USABLE)
def test_usable_values_give_the_registered_domain(value: object, expected: str) -> None:
    assert registered_domain(value) == DomainKey(expected, None)


@pytest.mark.parametrize(("value", "reason"), REJECTED)
def test_unusable_values_are_rejected_with_a_reason(value: object, reason: str) -> None:
    assert registered_domain(value) == DomainKey(None, reason)


def test_there_are_over_a_hundred_real_world_cases() -> None:
    assert len(USABLE) + len(REJECTED) >= 100


def test_every_reject_reason_is_exercised_and_described() -> None:
    assert {reason for _, reason in REJECTED} == set(REJECT_REASONS)
    assert all(len(text) > 10 for text in REJECT_REASONS.values())


class _BrokenCell:
    def __str__(self) -> str:
        raise ValueError("cannot render")


def test_odd_cell_objects_are_rejected_not_raised() -> None:
    assert registered_domain(_BrokenCell()) == DomainKey(None, "not_a_domain")
    assert registered_domain(b"www.acme.com") == DomainKey("acme.com", None)
    assert registered_domain(pd.NaT) == DomainKey(None, "blank")


def test_idn_and_punycode_spellings_share_one_key() -> None:
    assert registered_domain("müller.de") == registered_domain("http://xn--mller-kva.de/")


def test_freemail_list_covers_common_providers_in_registered_form() -> None:
    assert len(FREEMAIL_DOMAINS) >= 60
    for domain in ("gmail.com", "outlook.com", "yahoo.co.uk", "qq.com", "gmx.de", "shaw.ca"):
        assert domain in FREEMAIL_DOMAINS
    # each entry must be what registered_domain produces, else it could never match
    for domain in FREEMAIL_DOMAINS:
        assert registered_domain(f"jane@{domain}") == DomainKey(None, "freemail"), domain


def test_when_nothing_is_usable_the_most_telling_reason_is_reported() -> None:
    assert registered_domain("Jane Doe <jane@gmail.com>").reason == "freemail"
    assert registered_domain("www.acme .com").reason == "not_a_domain"
    assert registered_domain("n/a, -").reason == "placeholder"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("jane@acme.com", DomainKey("acme.com", None)),
        ("jane/sales@acme.co.uk", DomainKey("acme.co.uk", None)),  # "/" is legal before "@"
        ("#team@acme.de", DomainKey("acme.de", None)),
        ('"Doe, Jane" <jane@acme.com>', DomainKey("acme.com", None)),
        ("mailto:jane@acme.com?subject=Hi", DomainKey("acme.com", None)),
        ("jane@gmail.com; bob@acme.com", DomainKey("acme.com", None)),
        ("jane@gmail.com", DomainKey(None, "freemail")),
        ("jane@", DomainKey(None, "not_a_domain")),
        ("acme.com", DomainKey("acme.com", None)),  # no "@": read as a domain
        ("https://www.acme.com/contact", DomainKey("acme.com", None)),
        ("n/a", DomainKey(None, "placeholder")),
        (None, DomainKey(None, "blank")),
    ],
)
def test_email_domain(value: object, expected: DomainKey) -> None:
    assert email_domain(value) == expected


def test_domain_keys_keeps_the_index_and_marks_each_row() -> None:
    values = pd.Series(
        ["https://www.acme.com/", None, "ACME.COM", "jane@gmail.com", "n/a", "acme.de"],
        index=[10, 11, 12, 13, 14, 15],
        dtype="str",
    )
    keys = domain_keys(values)
    assert list(keys.columns) == ["domain", "domain_reason"]
    assert list(keys.index) == [10, 11, 12, 13, 14, 15]
    domains = [None if pd.isna(v) else v for v in keys["domain"]]
    reasons = [None if pd.isna(v) else v for v in keys["domain_reason"]]
    assert domains == ["acme.com", None, "acme.com", None, None, "acme.de"]
    assert reasons == [None, "blank", None, "freemail", "placeholder", None]


def test_domain_keys_rows_match_the_scalar_function() -> None:
    values = pd.Series(["acme.com", np.nan, "jane@gmail.com", "n/a", 0, "co.uk"], dtype=object)
    keys = domain_keys(values)
    for position, value in enumerate(values):
        expected = registered_domain(value)
        row = keys.iloc[position]
        assert (None if pd.isna(row["domain"]) else row["domain"]) == expected.domain
        assert (None if pd.isna(row["domain_reason"]) else row["domain_reason"]) == expected.reason


def test_domain_keys_reads_email_columns() -> None:
    values = pd.Series(["jane/sales@acme.co.uk", "bob@gmail.com"], dtype="str")
    keys = domain_keys(values, emails=True)
    assert keys["domain"].iloc[0] == "acme.co.uk"
    assert keys["domain_reason"].iloc[1] == "freemail"


def test_domain_keys_on_an_empty_column() -> None:
    keys = domain_keys(pd.Series([], dtype="str"))
    assert keys.empty
    assert list(keys.columns) == ["domain", "domain_reason"]


def test_reference_lists_give_mostly_usable_keys() -> None:
    """Real exported website columns: nearly every value yields a domain."""
    martech = REPO.parent / "shared" / "reference" / "martech-landscape-2017" / "martech2017.csv"
    if not martech.exists():
        pytest.skip("shared/reference is not beside this checkout")
    websites = pd.read_csv(martech, encoding="utf-8-sig", dtype="str")["Website Domain"]
    keys = domain_keys(websites)
    assert keys["domain"].notna().mean() > 0.99


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.binary(), st.integers(), st.floats(), st.none()))
def test_never_raises(value: object) -> None:
    key = registered_domain(value)
    assert (key.domain is None) != (key.reason is None)
    assert key.reason is None or key.reason in REJECT_REASONS
    assert isinstance(email_domain(value), DomainKey)


_URLISH = st.builds(
    lambda scheme, sub, label, suffix, path: f"{scheme}{sub}{label}.{suffix}{path}",
    st.sampled_from(["", "http://", "https://", "HTTPS://", "mailto:jane@", "ftp://u:p@"]),
    st.sampled_from(["", "www.", "WWW2.", "shop.", "a.b."]),
    st.from_regex(r"[a-zA-Z0-9äöüéñ][a-zA-Z0-9äöüé-]{0,20}[a-zA-Z0-9]", fullmatch=True),
    st.sampled_from(["com", "co.uk", "de", "com.au", "io", "jp", "рф", "uk.com", "github.io"]),
    st.sampled_from(["", "/", "/en-us/", ":8080/x?y#z", "."]),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_URLISH, st.text()))
def test_normalizing_twice_changes_nothing(value: str) -> None:
    domain = registered_domain(value).domain
    if domain is not None:
        assert registered_domain(domain).domain == domain
        assert domain == domain.lower().strip()


_NO_NETWORK_SCRIPT = """
import json, socket
class NoNetwork(socket.socket):
    def __init__(self, *args, **kwargs):
        raise OSError("network access attempted")
def refuse(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket = NoNetwork
socket.create_connection = refuse
socket.getaddrinfo = refuse
from abmcli.keys.domains import registered_domain, email_domain
print(json.dumps([
    registered_domain("https://www.Shop.Acme.co.uk:443/x?y").domain,
    registered_domain("xn--mller-kva.de").domain,
    email_domain("jane@gmail.com").reason,
]))
"""


def test_offline_silent_and_writes_nothing_to_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TLDEXTRACT", "XDG_"))
    }
    env |= {"HOME": str(home), "PYTHONPATH": str(REPO), "PYTHONWARNINGS": "default"}
    result = subprocess.run(
        [sys.executable, "-c", _NO_NETWORK_SCRIPT],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == ["acme.co.uk", "müller.de", "freemail"]
    assert list(home.iterdir()) == []


def test_a_quoted_local_part_holding_an_at_sign_is_not_the_domain() -> None:
    assert email_domain('"jane@evil.com"@acme.com').domain == "acme.com"
    assert email_domain('Jane <"jane@evil.com"@acme.com>').domain == "acme.com"


# Issue 10 item 4: a website column names the company's own domain.
@pytest.mark.parametrize("website", ["shaw.ca", "https://www.sky.com/", "comcast.com",
                                     "www.btinternet.com", "yahoo.com", "aol.com"])
def test_an_internet_providers_own_website_is_its_domain(website):
    assert registered_domain(website).domain == website.removeprefix("https://").removeprefix(
        "www.").rstrip("/")


@pytest.mark.parametrize("email", ["jane@shaw.ca", "bob@sky.com", "ann@gmail.com", "sky.com"])
def test_free_mail_rule_applies_to_contact_emails(email):
    assert email_domain(email).reason == "freemail"


@pytest.mark.parametrize("website", ["gmail.com", "hotmail.co.uk", "outlook.com"])
def test_a_mail_only_service_is_no_company_website(website):
    assert registered_domain(website).reason == "freemail"


@pytest.mark.parametrize("url", [
    "amazon.com/giustosapore", "https://www.amazon.co.uk/shops/acme", "amazon.de/s?me=X1/x",
    "facebook.com/acme", "linkedin.com/company/x", "https://www.etsy.com/shop/AcmeCrafts",
    "ebay.com/str/acme", "https://apps.shopify.com/acme-app", "instagram.com/acme/",
])
def test_a_page_on_a_marketplace_or_social_platform_is_not_the_sellers_domain(url):
    assert registered_domain(url).reason == "not_a_domain"


@pytest.mark.parametrize(("url", "domain"), [
    ("amazon.com", "amazon.com"), ("https://www.amazon.com/", "amazon.com"),
    ("https://www.ebay.co.uk", "ebay.co.uk"), ("aws.amazon.com", "amazon.com"),
    ("https://www.amazon.com/about", "amazon.com"),
])
def test_the_platform_alone_is_the_platform_companys_own_domain(url, domain):
    assert registered_domain(url).domain == domain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.:abcdefx%[]١", max_size=24))
def test_ip_address_shortcut_agrees_with_ipaddress(host: str) -> None:
    """The cheap "cannot be an IP address" test never changes the answer of `ipaddress`."""
    import ipaddress

    from abmcli.keys.domains import _is_ip_address

    try:
        ipaddress.ip_address(host)
        expected = True
    except ValueError:
        expected = False
    assert _is_ip_address(host) == expected


@pytest.mark.parametrize("value", ["1.2.3.4", "1.2.3.04", "::ffff:1.2.3.4", "fe80::1%eth0",
                                   "acme.com", "1.2.3.4.5", "١.٢.٣.٤"])
def test_domain_keys_of_a_column_equal_the_keys_of_each_value(value: str) -> None:
    """The column path (distinct values, one-piece shortcut) gives each value's own key."""
    column = pd.Series([value, f"{value}; acme.de", "", value], dtype="str")
    keys = domain_keys(column)
    expected = [(registered_domain(text).domain, registered_domain(text).reason)
                for text in column]
    found = [(None if pd.isna(d) else d, None if pd.isna(r) else r)
             for d, r in zip(keys["domain"], keys["domain_reason"], strict=True)]
    assert found == expected
