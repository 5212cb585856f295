"""Exports from CRMs set up in German, French, Spanish or Dutch name their columns in
that language. A person reading `Firma, Webseite, Umsatz (Mio. €), Mitarbeiter, Land`
sees a company list with revenue in millions of euros; abm reads it the same way, with
or without the accents and umlauts (exports often drop them: `Societe`, `Beschaeftigte`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from abmcli.sources.layouts import recognise
from abmcli.sources.load import load_source

# (header row as a CRM in that language writes it, the fields a person reads in it)
HEADER_ROWS = {
    "de": (["Firma", "Webseite", "Umsatz", "Mitarbeiteranzahl", "Land", "Stadt", "PLZ",
            "Branche", "Telefon"],
           ["name", "domain", "revenue", "employees", "country", "city", "postal_code",
            "industry", "phone"]),
    "de2": (["Unternehmen", "Website", "Jahresumsatz", "Mitarbeiter", "Land", "Ort",
             "Postleitzahl", "Branche", "Telefonnummer"],
            ["name", "domain", "revenue", "employees", "country", "city", "postal_code",
             "industry", "phone"]),
    "fr": (["Société", "Site web", "Chiffre d'affaires", "Effectif", "Pays", "Ville",
            "Code postal", "Secteur", "Téléphone"],
           ["name", "domain", "revenue", "employees", "country", "city", "postal_code",
            "industry", "phone"]),
    "fr2": (["Entreprise", "Site internet", "Chiffre d’affaires", "Nombre de salariés",
             "Pays", "Ville", "Code postal", "Secteur d'activité"],
            ["name", "domain", "revenue", "employees", "country", "city", "postal_code",
             "industry"]),
    "es": (["Empresa", "Sitio web", "Ingresos", "Empleados", "País", "Ciudad",
            "Código postal", "Sector", "Teléfono"],
           ["name", "domain", "revenue", "employees", "country", "city", "postal_code",
            "industry", "phone"]),
    "nl": (["Bedrijf", "Website", "Omzet", "Medewerkers", "Land", "Plaats", "Postcode",
            "Branche", "Telefoon"],
           ["name", "domain", "revenue", "employees", "country", "city", "postal_code",
            "industry", "phone"]),
}


@pytest.mark.parametrize("language", sorted(HEADER_ROWS))
def test_a_crm_in_another_language_maps_as_a_person_reads_it(language: str) -> None:
    headers, fields = HEADER_ROWS[language]
    layout = recognise(headers)
    assert [layout.columns.get(h) for h in headers] == fields
    assert layout.family == "fit"


@pytest.mark.parametrize("written, plain", [
    ("Société", "Societe"), ("Beschäftigte", "Beschaeftigte"), ("Beschäftigte", "Beschaftigte"),
    ("País", "Pais"), ("Téléphone", "Telephone"), ("Código postal", "Codigo postal"),
    ("Gründungsjahr", "Gruendungsjahr"), ("Nombre de salariés", "NOMBRE DE SALARIES"),
])
def test_accents_and_umlauts_match_with_and_without_them(written: str, plain: str) -> None:
    with_marks = recognise(["Webseite", written]).columns.get(written)
    without = recognise(["Webseite", plain]).columns.get(plain)
    assert with_marks is not None and with_marks == without


def test_nom_beside_prenom_is_the_persons_name_not_the_company() -> None:
    layout = recognise(["Prénom", "Nom", "Société", "E-mail"])
    assert layout.columns.get("Société") == "name"
    assert "Nom" not in layout.columns


@pytest.mark.parametrize("header, multiplier, currency", [
    ("Umsatz (Mio. €)", 1e6, "EUR"), ("Umsatz in Tsd. EUR", 1e3, "EUR"),
    ("Chiffre d'affaires (M€)", 1e6, "EUR"), ("Ingresos (millones de euros)", 1e6, "EUR"),
    ("Omzet (x 1.000 EUR)", 1e3, "EUR"), ("Chiffre d’affaires (milliers d'euros)", 1e3, "EUR"),
])
def test_a_revenue_header_in_another_language_scales_and_names_its_currency(
        tmp_path: Path, header: str, multiplier: float, currency: str) -> None:
    path = tmp_path / "firmen.csv"
    path.write_text(f"Firma;Webseite;{header}\nMüller GmbH;mueller.de;12,5\n"
                    "Schmidt AG;schmidt.de;1.250,0\n", encoding="utf-8")
    source = load_source(path)
    assert source.layout.columns.get(header) == "revenue"
    assert source.units["revenue"].multiplier == multiplier
    assert source.units["revenue"].currency == currency
    assert [float(v) for v in source.records["revenue"]] == [12.5 * multiplier,
                                                             1250 * multiplier]
