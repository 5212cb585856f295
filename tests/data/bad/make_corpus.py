"""The bad-input corpus: broken and hostile vendor files that `abm` must survive.

Small text samples are committed beside this script; run
`.venv/bin/python tests/data/bad/make_corpus.py` from the repository root to rewrite
them. Large and binary samples (a 5 MB field, 20,000 columns, workbooks that are zip or
XML bombs) are built at test time by `write_generated(folder)` so the repository stays
small.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).parent

ZOOMINFO_HEADER = (
    "ZoomInfo Company ID,Company Name,Website,Revenue (in 000s USD),Employees,"
    "Primary Industry,Company City,Company State,Company Country"
)
SALESFORCE_HEADER = (
    '"Account Name","Website","Billing City","Billing State/Province","Billing Country",'
    '"Account Owner","Type","Annual Revenue","Employees","Industry","Account ID"'
)
CONTACT_HEADER = "First Name,Last Name,Email Address,Company Name,Relationship Strength"
ENGAGEMENT_HEADER = "Account Name,Website,Week,Page Views,Visits,Campaign Responses"


def _lines(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _text_files() -> dict[str, bytes]:
    """Name -> bytes of every committed sample."""
    return {
        "empty.csv": b"",
        "header_only.csv": _lines(ZOOMINFO_HEADER),
        "bom_only.csv": b"\xef\xbb\xbf",
        "nul_bytes.csv": _nul_bytes(),
        "truncated_multibyte.csv": _truncated_multibyte(),
        "mixed_encodings.csv": _mixed_encodings(),
        "duplicate_headers.csv": _lines(
            "Company Name,Website,Website,Email,Email,Company Name",
            "Snowflake Inc.,snowflake.com,www.snowflake.com,ana@snowflake.com,,Snowflake",
            "Datadog,https://www.datadoghq.com/,,,bo@datadoghq.com,Datadog Inc",
            "HubSpot,,hubspot.com,,,",
        ),
        "header_on_row_4.csv": _header_on_row_4(),
        "footer_rows.csv": _footer_rows(),
        "only_blank_domains.csv": _lines(
            ZOOMINFO_HEADER,
            "1001,Siemens AG,,84000000,311000,Industrial Machinery,Munich,,Germany",
            "1002,Nestlé S.A.,,103000000,270000,Food & Beverage,Vevey,,Switzerland",
            "1003,Toyota Motor Corporation,,,375235,Automotive,Toyota City,,Japan",
            "1004,,,,,,,,",
            "1005,Siemens,,,,,,,Germany",
        ),
        "only_freemail.csv": _lines(
            CONTACT_HEADER,
            "Jane,Doe,jane.doe@gmail.com,Acme Corporation,Strong",
            "Raj,Patel,rpatel1984@yahoo.co.uk,,Weak",
            "Lena,Müller,lena.mueller@gmx.de,Müller GmbH,Moderate",
            "Tom,Smith,tom@hotmail.com,,Very Strong",
        ),
        "excel_errors.csv": _lines(
            SALESFORCE_HEADER,
            '"#REF!","#N/A","Boston","MA","United States","Jane Doe","Prospect","#VALUE!",'
            '"#DIV/0!","Software","0015g00000AbCdEAAV"',
            '"#REF!","#REF!","Austin","TX","United States","Jane Doe","Prospect","#N/A",'
            '"#NAME?","Software","0015g00000AbCdFAAV"',
            '"Okta, Inc.","okta.com","#NULL!","CA","United States","#N/A","Customer",'
            '"1,858,000,000","#NUM!","Software","0015g00000AbCdGAAV"',
            '"#N/A","#N/A","#N/A","#N/A","#N/A","#N/A","#N/A","#N/A","#N/A","#N/A","#N/A"',
        ),
        "dates_many_formats.csv": _lines(
            ENGAGEMENT_HEADER,
            "Snowflake,snowflake.com,2026-11-23,120,14,2",
            "Snowflake,snowflake.com,11/16/2026,98,11,0",
            "Datadog,datadoghq.com,09.11.2026,40,6,1",
            "Datadog,datadoghq.com,46328,35,4,0",
            "Okta,okta.com,\"Nov 2, 2026\",12,2,0",
            "Okta,okta.com,2026-11-23T09:14:00Z,8,1,0",
            "Okta,okta.com,31/02/2026,5,1,0",
            "Twilio,twilio.com,last week,5,1,0",
        ),
        "money_many_locales.csv": _lines(
            "Company Name;Website;Annual Revenue;Employees;Country",
            "SAP SE;sap.com;31.207.000.000 €;107.415;Germany",
            "Nestlé S.A.;nestle.com;CHF 93'351'000'000;270 000;Switzerland",
            "Infosys Limited;infosys.com;₹1,46,767 crore;3,17,240;India",
            "Rakuten Group;rakuten.co.jp;¥2,071,315,000,000;32,079;Japan",
            "Tesco PLC;tesco.com;£68.2bn;330,000;United Kingdom",
            "Shopify Inc.;shopify.com;US$7.06 billion;8,100;Canada",
            "Klarna;klarna.com;SEK 23,5 mdr;5 000;Sweden",
            "Acme Widgets;acmewidgets.com;(1,200);-5;United States",
            "Globex;globex.com;$1.2M - $5M;51-200 employees;United States",
        ),
        "unbalanced_quotes.csv": _lines(
            "Company Name,Website,Employees,Industry",
            "Stripe,stripe.com,8000,Financial Services",
            '"Acme ""Rockets, Inc.,acme.com,120,Aerospace',
            "Twilio,twilio.com,5867,Software",
            "Zendesk,zendesk.com,6000,Software",
        ),
        "really_html.xlsx": _lines(
            "<html><head><meta http-equiv=Content-Type content='text/html; charset=utf-8'>",
            "<title>Export</title></head><body><table>",
            "<tr><td>Company Name</td><td>Website</td></tr>",
            "<tr><td>Snowflake</td><td>snowflake.com</td></tr>",
            "</table></body></html>",
        ),
        "no_identity_columns.csv": _lines(
            "Week,Page Views,Visits,Campaign Responses",
            "2026-11-16,120,14,2",
            "2026-11-23,98,11,0",
        ),
        "cr_line_endings.csv": (
            b"Company Name,Website,Employees\rStripe,stripe.com,8000\rTwilio,twilio.com,5867\r"
        ),
    }


def _nul_bytes() -> bytes:
    rows = _lines(
        "Id,Name,Website,BillingCountry,OwnerId,NumberOfEmployees",
        "0015g00000AbCdEAAV,Snow\x00flake Inc.,snowflake.com,United States,0055g00000XyZ,6800",
        "0015g00000AbCdFAAV,Datadog,datadoghq.com,United States,0055g00000XyZ,5200",
    )
    return rows + b"\x00" * 2048  # padding some exporters leave at the end


def _truncated_multibyte() -> bytes:
    text = _lines(
        ZOOMINFO_HEADER,
        "1001,Société Générale,societegenerale.com,28000000,117000,Banking,Paris,,France",
        "1002,Nestlé S.A.,nestle.com,103000000,270000,Food & Beverage,Vevey,,Switzerland",
    )
    cut = "Zürich".encode()[:2]  # "Z" and the first byte of "ü": the download stopped here
    return text + b"1003,UBS Group AG,ubs.com,,72000,Banking," + cut


def _mixed_encodings() -> bytes:
    utf8 = _lines(ZOOMINFO_HEADER,
                  "1001,Société Générale,societegenerale.com,,117000,Banking,Paris,,France")
    cp1252 = "1002,Müller GmbH,mueller.de,,1200,Retail,Düsseldorf,,Germany\n".encode("cp1252")
    tail = "1003,Nestlé S.A.,nestle.com,,270000,Food & Beverage,Vevey,,Switzerland\n"
    return utf8 + cp1252 + tail.encode("utf-8")


def _header_on_row_4() -> bytes:
    return _lines(
        '"Accounts with Website"',
        '"As of 11/23/2026"',
        "",
        SALESFORCE_HEADER,
        '"Stripe, Inc.","stripe.com","San Francisco","CA","United States","Jane Doe",'
        '"Prospect","14000000000","8000","Financial Services","0015g00000AbCdEAAV"',
        '"Twilio Inc.","https://www.twilio.com/","San Francisco","CA","United States",'
        '"Raj Patel","Customer","4150000000","5867","Software","0015g00000AbCdFAAV"',
    )


def _footer_rows() -> bytes:
    return _header_on_row_4() + _lines(
        "",
        '"Grand Totals (2 records)"',
        "",
        '"Confidential Information - Do Not Distribute"',
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
    )


# ---------------------------------------------------------------- generated at test time


def write_generated(folder: Path) -> list[Path]:
    """Write the large and binary samples into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "big_field_5mb.csv": _big_field(),
        "wide_20000_columns.csv": _wide(),
        "utf16_no_bom.csv": _lines(CONTACT_HEADER, "Ana,Lima,ana@stripe.com,Stripe,Strong")
        .decode().encode("utf-16-le"),
        "pdf_renamed.csv": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n" * 20,
        "really_xlsx.csv": _workbook_bytes(),
        "excel_errors.xlsx": _workbook_bytes(errors=True),
        "dates_and_serials.xlsx": _workbook_bytes(dates=True),
        "zip_bomb.xlsx": _zip_bomb(),
        "lying_zip_sizes.xlsx": _lying_zip_sizes(),
        "billion_laughs.xlsx": _with_doctype(_BILLION_LAUGHS, "&lol9;"),
        "billion_laughs_shared_strings.xlsx": _shared_strings_laughs(),
        "external_entity.xlsx": _with_doctype(_EXTERNAL_ENTITY, "&xxe;"),
        "encrypted.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096,
        "zip_of_csvs.xlsx": _zip_of_csvs(),
        "empty_sheet.xlsx": _empty_workbook(),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def _big_field() -> bytes:
    description = "Cloud data platform; " * (5 * 1024 * 1024 // 21)
    return _lines(
        "Company Name,Website,Short Description",
        f'Snowflake,snowflake.com,"{description}"',
        "Datadog,datadoghq.com,Monitoring",
    )


def _wide() -> bytes:
    header = ["Company Name", "Website"] + [f"Custom Field {i}" for i in range(3, 20_001)]
    row = ["Stripe", "stripe.com"] + [str(i % 7) for i in range(3, 20_001)]
    return _lines(",".join(header), ",".join(row), ",".join(["Twilio", "twilio.com"] + row[2:]))


def _workbook_bytes(errors: bool = False, dates: bool = False) -> bytes:
    """A small fit workbook, optionally with Excel error cells or date cells."""
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Company Name", "Website", "Employees", "Annual Revenue", "Founded Year"])
    sheet.append(["Stripe, Inc.", "stripe.com", 8000, 14_000_000_000, 2010])
    sheet.append(["Twilio Inc.", "twilio.com", 5867, 4_150_000_000, 2008])
    if errors:
        sheet.append(["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?"])
        for cell in sheet[4]:
            cell.data_type = "e"
    if dates:
        sheet["F1"] = "Last Activity Date"
        sheet["F2"] = dt.datetime(2026, 11, 23, 9, 14)
        sheet["F3"] = 46349  # an Excel serial number typed as a plain number
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_member(data: bytes, member: str, edit: object) -> bytes:
    """The workbook `data` with one zip member replaced by `edit(old_text)`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == member:
                content = edit(content.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            target.writestr(item.filename, content)
    return out.getvalue()


_BILLION_LAUGHS = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">'
    for i in range(1, 10)
) + "]>"
_EXTERNAL_ENTITY = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_doctype(doctype: str, reference: str) -> bytes:
    """A workbook whose first sheet declares `doctype` and uses `reference` in a cell."""
    def edit(xml: str) -> str:
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        body = body.replace("<t>Stripe, Inc.</t>", f"<t>{reference}</t>", 1)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + body

    return _rewrite_member(_workbook_bytes(), "xl/worksheets/sheet1.xml", edit)


def _shared_strings_laughs() -> bytes:
    """Billion laughs in xl/sharedStrings.xml, the table Excel itself writes text into."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Company Name", "Website"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
             '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2">'
             '<c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>1</v></c></row></sheetData>'
             "</worksheet>")
    strings = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _BILLION_LAUGHS +
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'count="3" uniqueCount="3"><si><t>Company Name</t></si><si><t>Website</t></si>'
               "<si><t>&lol9;</t></si></sst>")
    data = _rewrite_member(buffer.getvalue(), "xl/worksheets/sheet1.xml", lambda _: sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A real workbook plus a 200 MB member of spaces that packs into about 200 KB."""
    out = io.BytesIO(_workbook_bytes())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/media/padding.xml", "w", force_zip64=True) as member:
        chunk = b" " * (1 << 20)
        for _ in range(200):
            member.write(chunk)
    return out.getvalue()


def _lying_zip_sizes() -> bytes:
    """A bomb whose zip directory claims every member unpacks to 1 KB.

    The sheet really unpacks to 64 MB of XML whitespace; a reader that trusts the
    declared sizes sees nothing wrong, so the one that unpacks must stop by itself.
    """
    def edit(xml: str) -> str:
        return xml.replace("<sheetData>", "<sheetData>" + " " * (64 << 20), 1)

    data = bytearray(_rewrite_member(_workbook_bytes(), "xl/worksheets/sheet1.xml", edit))
    for signature, size_offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = data.find(signature)
        while start != -1:
            data[start + size_offset:start + size_offset + 4] = struct.pack("<I", 1024)
            start = data.find(signature, start + 4)
    return bytes(data)


def _empty_workbook() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def _zip_of_csvs() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("accounts.csv", "Company Name,Website\nStripe,stripe.com\n")
    return out.getvalue()


def write_text_files(folder: Path = HERE) -> None:
    """(Re)write the committed samples."""
    for name, data in _text_files().items():
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    write_text_files()
