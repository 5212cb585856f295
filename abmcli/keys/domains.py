"""Registered domains: one match key from a website, URL, domain or email value.

`https://www.Shop.Acme.co.uk:443/x?y`, `jane@acme.co.uk` and `ACME.CO.UK.` all become
`acme.co.uk`, the registered domain under the Public Suffix List. Values that cannot
identify a company (blanks, placeholders, IP addresses, free-mail providers in email
addresses, social-profile and marketplace-seller pages, bare suffixes, names) are
rejected with a reason code from `REJECT_REASONS`, so the matcher can fall back to the
company name and reports can say why. In a website column an internet provider's or
mail provider's domain is that company's own website (shaw.ca, sky.com); only mail-only
services (gmail.com, outlook.com) are rejected there.

The suffix list is tldextract's bundled snapshot: no network, no cache files in the
user's home directory, no log output. Internationalised domains are keyed in their
unicode form (`xn--mller-kva.de` -> `müller.de`), which is what users recognise.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from abmcli.keys.values import PLACEHOLDERS

if TYPE_CHECKING:
    import pandas as pd
    from tldextract import TLDExtract
    from tldextract.tldextract import ExtractResult


@dataclass(frozen=True, slots=True)
class DomainKey:
    """A registered domain, or the reason a value has none.

    Exactly one of the two is set: `domain` (lower-case, IDN as unicode) when the value
    is usable, else `reason`, a key of `REJECT_REASONS`.
    """

    domain: str | None
    reason: str | None


REJECT_REASONS: dict[str, str] = {
    "blank": "empty cell or missing value",
    "placeholder": "a placeholder such as n/a, -, none, unknown, 0, example.com or an empty "
    "URL like http://",
    "not_a_domain": "not a company website: a name or other text, a broken or unknown-TLD "
    "address, a social-profile, marketplace-seller (amazon.com/shop), app-store or "
    "link-shortener URL, or a site hosted on a "
    "shared platform (github.io, myshopify.com ...)",
    "ip_address": "an IP address, not a domain",
    "freemail": "a free-mail or internet-provider domain in an email address (gmail.com, "
    "shaw.ca ...), or a mail-only service as a website (gmail.com, outlook.com), that many "
    "companies share; the row is matched by company name instead",
    "bare_suffix": "only a domain ending such as com or co.uk, without a company name",
}

FREEMAIL_DOMAINS: frozenset[str] = frozenset(
    {
        # Google, Microsoft, Yahoo, AOL, Apple
        "gmail.com", "googlemail.com",
        "outlook.com", "outlook.fr", "outlook.de", "outlook.it", "outlook.es", "outlook.jp",
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it",
        "hotmail.es", "hotmail.nl", "hotmail.be", "hotmail.ca", "hotmail.com.au",
        "hotmail.com.br", "hotmail.se", "hotmail.no", "hotmail.dk", "hotmail.ch",
        "hotmail.com.ar", "hotmail.co.jp",
        "live.com", "live.co.uk", "live.fr", "live.de", "live.it", "live.nl", "live.be",
        "live.ca", "live.com.au", "live.com.mx", "live.se", "live.dk", "live.no",
        "msn.com", "windowslive.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.es",
        "yahoo.ca", "yahoo.com.au", "yahoo.co.in", "yahoo.in", "yahoo.co.jp",
        "yahoo.com.br", "yahoo.com.mx", "yahoo.com.ar", "yahoo.com.sg", "yahoo.com.hk",
        "yahoo.com.tw", "yahoo.co.id", "yahoo.com.ph", "yahoo.gr", "yahoo.se", "yahoo.dk",
        "yahoo.no", "yahoo.ie", "yahoo.co.nz", "yahoo.com.vn", "ymail.com", "rocketmail.com",
        "aol.com", "aol.co.uk", "aol.fr", "aol.de", "aim.com",
        "icloud.com", "me.com", "mac.com",
        # Germany, Austria, Switzerland
        "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "web.de", "t-online.de",
        "freenet.de", "arcor.de", "bluewin.ch",
        # mail.com family, privacy providers, disposable addresses
        "mail.com", "email.com", "usa.com", "protonmail.com", "protonmail.ch", "proton.me",
        "pm.me", "tutanota.com", "tuta.io", "zoho.com", "zohomail.com", "fastmail.com",
        "fastmail.fm", "hushmail.com", "mailinator.com", "guerrillamail.com", "yopmail.com",
        # China, Korea, Russia
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn",
        "sohu.com", "aliyun.com", "139.com",
        "naver.com", "daum.net", "hanmail.net", "nate.com",
        "yandex.ru", "yandex.com", "ya.ru", "mail.ru", "bk.ru", "inbox.ru", "list.ru",
        "rambler.ru",
        # France, Italy, Benelux, Central Europe
        "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "neuf.fr", "bbox.fr",
        "libero.it", "virgilio.it", "tiscali.it", "alice.it", "tin.it",
        "telenet.be", "skynet.be", "ziggo.nl", "kpnmail.nl", "planet.nl", "home.nl",
        "seznam.cz", "centrum.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl",
        # India, Latin America
        "rediffmail.com", "terra.com.br", "uol.com.br", "bol.com.br",
        # US and UK internet providers
        "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net",
        "charter.net", "cox.net", "earthlink.net", "optonline.net", "rr.com", "juno.com",
        "netzero.net", "btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com",
        "talktalk.net", "blueyonder.co.uk",
        # Australia, Canada
        "bigpond.com", "bigpond.net.au", "optusnet.com.au", "iinet.net.au",
        "shaw.ca", "rogers.com", "sympatico.ca", "telus.net", "videotron.ca",
    }
)  # fmt: skip

# Whole values that mean "no value": the one placeholder list (keys/values.py), plus
# what people type in a website or email field when they have none.
_PLACEHOLDERS = PLACEHOLDERS | frozenset(
    {
        "0", "0.0", "x", "xx", "xxx", "no", "no website", "no domain", "www", "http", "https",
        "http:", "https:",
    }
)  # fmt: skip

# Domains people type when a form insists on a website or email.
_PLACEHOLDER_DOMAINS = frozenset(
    {
        "example.com", "example.org", "example.net", "test.com", "none.com", "noemail.com",
        "nomail.com", "nowebsite.com", "na.com", "domain.com", "yourdomain.com",
        "yourcompany.com", "website.com",
    }
)  # fmt: skip

# Social, directory, code-hosting and site-builder platforms: a path or subdomain under
# them (linkedin.com/company/acme, acme.wordpress.com) is a page about the company, not
# its own domain. The bare domain stays usable because it is the platform company's own
# website (LinkedIn's row in a vendor list says linkedin.com).
_PROFILE_DOMAINS = frozenset(
    {
        "linkedin.com", "facebook.com", "fb.com", "twitter.com", "x.com", "instagram.com",
        "youtube.com", "tiktok.com", "pinterest.com", "vimeo.com", "xing.com",
        "crunchbase.com", "angel.co", "angellist.com", "wellfound.com", "producthunt.com",
        "ycombinator.com", "zoominfo.com", "owler.com", "glassdoor.com", "indeed.com",
        "yelp.com", "trustpilot.com", "g2.com", "capterra.com", "wikipedia.org",
        "bloomberg.com", "github.com", "gitlab.com", "bitbucket.org", "medium.com",
        "substack.com", "wordpress.com", "tumblr.com", "wix.com", "squarespace.com",
        "weebly.com",
        # company registers and market-data pages: a company's entry there is a page
        # about it (Companies House's URI column, OpenCorporates, EDGAR, a quote page)
        "data.gov.uk", "companieshouse.gov.uk", "opencorporates.com", "northdata.com",
        "northdata.de", "sec.gov", "dnb.com", "bizapedia.com", "kvk.nl", "societe.com",
        "pappers.fr", "infogreffe.fr", "handelsregister.de", "unternehmensregister.de",
        "nasdaq.com", "nyse.com", "marketscreener.com", "reuters.com", "pitchbook.com",
        "cbinsights.com", "tracxn.com", "dealroom.co",
    }
)  # fmt: skip
# Hosts of big companies whose pages are about other companies (app stores, Google Sites);
# their other pages (apple.com/uk/) are the company's own website.
_PAGE_HOSTS = frozenset(
    {
        "sites.google.com", "play.google.com", "maps.google.com", "business.google.com",
        "apps.apple.com", "itunes.apple.com", "podcasts.apple.com",
    }
)  # fmt: skip
_PROFILE_NEUTRAL_SUBDOMAINS = frozenset({"", "www", "m", "mobile"})
# Marketplaces and platforms in every country domain (amazon.de, ebay.co.uk): a path on
# them (amazon.com/giustosapore, etsy.com/shop/acme) is a seller's page there, not the
# seller's own domain; the bare domain is the platform's own website.
_PLATFORM_LABELS = frozenset(
    {
        "amazon", "ebay", "etsy", "alibaba", "aliexpress", "rakuten", "mercadolibre",
        "mercadolivre", "flipkart", "shopify", "bigcartel", "walmart", "target", "wayfair",
        "bol", "allegro", "zalando", "cdiscount", "taobao", "tmall", "jd", "shopee",
        "lazada", "tokopedia", "noon", "facebook", "linkedin", "instagram", "twitter",
        "youtube", "tiktok", "pinterest", "xing", "yelp", "tripadvisor",
        "houzz", "behance", "dribbble", "patreon", "kickstarter", "indiegogo", "gofundme",
        "fiverr", "upwork", "booking", "airbnb",
    }
)  # fmt: skip
# Paths on those that still name the platform company itself, not a seller.
_PLATFORM_OWN_PATHS = re.compile(r"/(?:[a-z]{2}(?:-[a-z]{2})?/?)?(?:about|company|careers|"
                                 r"investor|investors|corporate|contact|en|home)?/?$")
# In a website column a free-mail domain is still its company's website (shaw.ca is
# Shaw Communications, sky.com is Sky), except the mail services whose company's
# website is elsewhere: these name no company of their own.
_MAIL_ONLY_LABELS = frozenset(
    {
        "gmail", "googlemail", "hotmail", "outlook", "live", "windowslive", "ymail",
        "rocketmail", "icloud", "me", "mac", "aim", "foxmail", "pm", "mailinator",
        "guerrillamail", "yopmail",
    }
)  # fmt: skip

# Link shorteners and link-in-bio pages never name the company, with or without a path.
_SHORTENER_DOMAINS = frozenset(
    {
        "bit.ly", "t.co", "goo.gl", "tinyurl.com", "ow.ly", "lnkd.in", "buff.ly", "rebrand.ly",
        "is.gd", "cutt.ly", "linktr.ee", "youtu.be", "fb.me", "amzn.to", "shorturl.at",
        "tiny.cc",
    }
)  # fmt: skip

# Private PSL sections: most are hosting platforms (acme.github.io, acme.myshopify.com,
# foo.herokuapp.com) whose customer sites are not the company's own domain; keying them
# by the ICANN domain would merge every customer into one "github.io" account, and keying
# them by the full host would create accounts no other vendor file can match. They are
# rejected as not_a_domain, so the row falls back to name matching. These private
# suffixes are the exception: registries selling ordinary company domains (acme.uk.com).
_REGISTRY_PRIVATE_SUFFIXES = frozenset(
    {
        "za.bz", "br.com", "cn.com", "de.com", "eu.com", "jpn.com", "mex.com", "ru.com",
        "sa.com", "uk.com", "us.com", "za.com", "com.de", "gb.net", "hu.net", "jp.net",
        "se.net", "uk.net", "ae.org", "com.se", "co.com",
    }
)  # fmt: skip

# A single word is a bare suffix only when people really use it as one: "com", "uk".
# Hundreds of newer TLDs are ordinary words ("foo", "shop", "inc") and such a value is a
# name or a typo, not someone typing a suffix.
_WELL_KNOWN_TLDS = frozenset({"com", "net", "org", "edu", "gov", "mil", "int", "biz", "info"})

# When no part of a value is usable, report the most informative reason found.
_REASON_RANK = ("freemail", "ip_address", "not_a_domain", "bare_suffix", "placeholder", "blank")

_BLANK = DomainKey(None, "blank")
_PLACEHOLDER = DomainKey(None, "placeholder")
_NOT_A_DOMAIN = DomainKey(None, "not_a_domain")
_IP_ADDRESS = DomainKey(None, "ip_address")
_FREEMAIL = DomainKey(None, "freemail")
_BARE_SUFFIX = DomainKey(None, "bare_suffix")

# Several values in one cell ("acme.com; acme.de", "Jane Doe <jane@acme.com>").
_SEPARATORS = re.compile(r"[\s;,|]+")
_EDGE_JUNK = "\"'`<>()[]{}"
# "https://", "ftp://", "http:/", "mailto:", and the typo "http//".
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:/+|(?:mailto|https?|ftps?|sftp):|https?/+)")
_PATH_START = re.compile(r"[/?#]")
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_TLD = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ASCII_HOST = re.compile(rf"(?=.{{1,253}}$)(?:{_LABEL}\.)*{_TLD}")
_EMAIL_DOMAIN = re.compile(r"@([^\s@<>;,\"'()\[\]]+)")
# A quoted local part ("jane@evil.com"@acme.com) may hold "@"; it is not a domain.
_QUOTED_LOCAL_PART = re.compile(r'"[^"]*"(?=@)')
# Only this many characters of a cell are read: a website or email cell listing more
# is a paste accident, and each piece costs a Public Suffix List lookup.
MAX_DOMAIN_CELL_CHARS = 2000


@functools.cache
def _extractor() -> TLDExtract:
    """The one offline extractor, built on first use (importing tldextract costs ~0.1 s)."""
    import tldextract

    # No suffix_list_urls: never fetch the list over the network. No cache_dir: never
    # write ~/.cache/python-tldextract. It then reads its bundled snapshot, silently.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def registered_domain(value: object) -> DomainKey:
    """The registered domain of a website, URL, domain or email value, or why there is none.

    >>> registered_domain("https://www.Shop.Acme.co.uk:443/x?y")
    DomainKey(domain='acme.co.uk', reason=None)
    >>> registered_domain("n/a").reason
    'placeholder'

    Never raises; results are cached per distinct text.
    """
    text = _as_text(value)
    return _BLANK if text is None else _key_for_text(_bounded(text))


def email_domain(value: object) -> DomainKey:
    """The registered domain of an email address (`jane@acme.com` -> `acme.com`).

    Handles `mailto:`, `Jane Doe <jane@acme.com>` and several addresses in one cell (the
    first usable wins). A value without "@" is read as a website or domain.
    """
    text = _as_text(value)
    return _BLANK if text is None else _email_key_for_text(_bounded(text))


def domain_keys(values: pd.Series, *, emails: bool = False) -> pd.DataFrame:
    """Domain keys for a column: columns `domain` and `domain_reason`, same index.

    Each distinct value is parsed once. `emails=True` reads the values as email
    addresses (`email_domain`), else as websites (`registered_domain`).
    """
    import numpy as np
    import pandas as pd

    parse = email_domain if emails else registered_domain
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # A plain list: indexing a pandas string array value by value costs more than parsing.
    distinct = uniques.tolist()
    if emails:
        distinct = [_without_mailbox(value) for value in distinct]
    keys = [parse(value) for value in distinct]
    keys.append(_BLANK)  # code -1 (missing) -> last
    domains = np.array([key.domain for key in keys], dtype=object)[codes]
    reasons = np.array([key.reason for key in keys], dtype=object)[codes]
    return pd.DataFrame(
        {
            "domain": pd.Series(domains, index=values.index, dtype="str"),
            "domain_reason": pd.Series(reasons, index=values.index, dtype="str"),
        }
    )


def forget_parsed_values() -> None:
    """Empty the per-value caches: once every row is keyed they only hold memory (tens
    of MB for 100,000 accounts) through the rest of a merge."""
    _key_for_text.cache_clear()
    _email_key_for_text.cache_clear()


# A plain address: one mailbox, one "@", no spaces or brackets around it.
_PLAIN_ADDRESS = re.compile(r"^[^@\s<>,;:\"']+@(?=[^@\s<>,;]+$)")


def _without_mailbox(value: object) -> object:
    """A plain address with the mailbox replaced by one placeholder, so a column of
    100,000 contacts at 10,000 companies is parsed 10,000 times, not 100,000. Applied to
    a column's distinct values, not its rows."""
    return _PLAIN_ADDRESS.sub("mailbox@", value, count=1) if isinstance(value, str) else value


def _bounded(text: str) -> str:
    """The text cut to MAX_DOMAIN_CELL_CHARS, at a separator so no piece is cut short."""
    if len(text) <= MAX_DOMAIN_CELL_CHARS:
        return text
    head = text[: MAX_DOMAIN_CELL_CHARS + 1]
    cut = max(head.rfind(sep) for sep in " \t\n;,|")
    return head[:cut] if cut > 0 else head[:MAX_DOMAIN_CELL_CHARS]


def _as_text(value: object) -> str | None:
    """The value as text, or None when it is missing (None, NaN, pd.NA, NaT)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    try:
        return str(value)
    except Exception:  # a broken __str__ must not stop a whole column
        return "<unreadable cell>"  # reads as words: not_a_domain


@functools.lru_cache(maxsize=2**18)
def _key_for_text(text: str, mail: bool = False) -> DomainKey:
    whole = _blank_or_placeholder(text)
    if whole is not None:
        return whole
    tokens = [token for token in _SEPARATORS.split(text) if token]
    if tokens == [text]:  # one piece, the commonest value: it is no placeholder, as above
        return _key_for_piece(text, mail)
    return _first_usable(_key_for_token(token, mail) for token in tokens)


@functools.lru_cache(maxsize=2**18)
def _email_key_for_text(text: str) -> DomainKey:
    if "@" not in text:
        return _key_for_text(text, mail=True)
    whole = _blank_or_placeholder(text)
    if whole is not None:
        return whole
    text = _QUOTED_LOCAL_PART.sub("mailbox", text)
    return _first_usable(_key_for_text(part, mail=True) for part in _EMAIL_DOMAIN.findall(text))


def is_placeholder(text: str) -> bool:
    """Whether a whole value means "no value" ("n/a", "null", "-", "0")."""
    stripped = text.strip().strip(_EDGE_JUNK).strip()
    if stripped.lower() in _PLACEHOLDERS:
        return True
    # Most values start with a letter or digit: the generator is the slow path (half a
    # second of the 100k bench's reads when it ran for every value).
    return not (stripped[:1].isalnum() or any(char.isalnum() for char in stripped))


def _blank_or_placeholder(text: str) -> DomainKey | None:
    """Blank or placeholder when the whole text is one, else None."""
    stripped = text.strip().strip(_EDGE_JUNK).strip()
    if not stripped:
        return _BLANK if not text.strip() else _PLACEHOLDER
    return _PLACEHOLDER if is_placeholder(stripped) else None


def _first_usable(keys: Iterable[DomainKey]) -> DomainKey:
    """The first key with a domain, else the most informative rejection."""
    reasons = set()
    for key in keys:
        if key.domain is not None:
            return key
        reasons.add(key.reason)
    for reason in _REASON_RANK:
        if reason in reasons:
            return DomainKey(None, reason)
    return _NOT_A_DOMAIN


def _key_for_token(token: str, mail: bool) -> DomainKey:
    """The key of one whitespace- or semicolon-free piece of a value."""
    placeholder = _blank_or_placeholder(token)
    if placeholder is not None:
        return placeholder
    return _key_for_piece(token, mail)


def _key_for_piece(token: str, mail: bool) -> DomainKey:
    """The key of a piece known to be neither blank nor a placeholder."""
    host, path = _split_url(token.strip(_EDGE_JUNK).replace("\\", "/").lower())
    if not host:
        return _PLACEHOLDER  # "http://", "www."
    if _is_ip_address(host):
        return _IP_ADDRESS
    canonical = _canonical_host(host)
    if canonical is None:
        return _NOT_A_DOMAIN
    return _key_for_host(canonical, path, mail or "@" in token)


def _split_url(text: str) -> tuple[str, str]:
    """The host of a URL, email or bare domain, and the page path after it ("" for none)."""
    rest = _SCHEME.sub("", text, count=1).lstrip("/")
    path_start = _PATH_START.search(rest)  # the first "/", "?" or "#"
    authority, tail = (rest, "") if path_start is None else (
        rest[:path_start.start()], rest[path_start.start():])
    host = authority.rpartition("@")[2]
    if "]" in host:
        host = host.partition("]")[0].lstrip("[")  # [2001:db8::1]:8443
    elif host.count(":") == 1:
        host = host.partition(":")[0]  # drop the port
    path = tail.partition("?")[0].partition("#")[0]
    host = host.strip(".")
    return ("" if host == "www" else host), path


def _is_ip_address(host: str) -> bool:
    # Only digits and dots (IPv4) or a colon (IPv6) can be an address: most hosts are
    # names, and letting ipaddress raise for each of them costs a tenth of the parse.
    if ":" not in host and not host.replace(".", "").isdigit():
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _canonical_host(host: str) -> str | None:
    """The host lower-case with IDN labels in unicode, or None if it cannot be a host name."""
    if host.isascii() and "xn--" not in host:
        return host if _ASCII_HOST.fullmatch(host) else None
    import idna  # tldextract's own dependency

    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
        unicode_host = idna.decode(ascii_host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    return unicode_host if _ASCII_HOST.fullmatch(ascii_host) else None


def _key_for_host(host: str, path: str, mail: bool) -> DomainKey:
    """Apply the Public Suffix List and the company-domain policy to a canonical host."""
    extract = _extractor()(host)
    if not extract.suffix:
        return _NOT_A_DOMAIN  # unknown TLD or a single label such as "localhost"
    domain = _registrable(host, extract)
    if domain is None:
        return _NOT_A_DOMAIN
    if not domain:
        well_known = host in _WELL_KNOWN_TLDS or (len(host) == 2 and host.isascii())
        return _BARE_SUFFIX if "." in host or well_known else _NOT_A_DOMAIN
    if "_" in domain.partition(".")[0]:
        return _NOT_A_DOMAIN
    return _policy(domain, host, path, mail)


def _registrable(host: str, extract: ExtractResult) -> str | None:
    """The registered domain; "" for a bare suffix; None for a platform-hosted site."""
    if not extract.is_private:
        return f"{extract.domain}.{extract.suffix}" if extract.domain else ""
    if extract.suffix in _REGISTRY_PRIVATE_SUFFIXES:
        return f"{extract.domain}.{extract.suffix}" if extract.domain else extract.suffix
    if extract.domain:
        return None
    # The host is the platform's own domain (github.io, blogspot.com): key it by ICANN rules.
    return _extractor()(host, include_psl_private_domains=False).top_domain_under_public_suffix


def _policy(domain: str, host: str, path: str, mail: bool) -> DomainKey:
    """Reject registered domains that do not identify the company behind the value.

    `mail`: the value is (part of) an email address, where free-mail domains say
    nothing about the company; in a website column only mail-only services are.
    """
    names_a_page = bool(path.strip("/"))
    label = domain.partition(".")[0]
    if domain in FREEMAIL_DOMAINS and (mail or label in _MAIL_ONLY_LABELS):
        return _FREEMAIL
    if label in _PLATFORM_LABELS and names_a_page and not _PLATFORM_OWN_PATHS.fullmatch(path):
        return _NOT_A_DOMAIN
    if domain in _PLACEHOLDER_DOMAINS:
        return _PLACEHOLDER
    if domain in _SHORTENER_DOMAINS or host in _PAGE_HOSTS:
        return _NOT_A_DOMAIN
    if domain in _PROFILE_DOMAINS:
        subdomain = host.removesuffix(domain).rstrip(".")
        if names_a_page or subdomain not in _PROFILE_NEUTRAL_SUBDOMAINS:
            return _NOT_A_DOMAIN
    return DomainKey(domain, None)
