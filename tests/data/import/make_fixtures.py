#!/usr/bin/env python3
"""Writes the spreadsheet fixtures of tests/kiosk/core/test_import_formats.cpp.

Each file is saved the way the named program saves it (encoding, byte order
mark, delimiter, line ends), as binary files committed to the repository;
run once from this folder: python3 make_fixtures.py
"""


def save(name, rows, encoding, delimiter, bom=b"", line_end="\r\n"):
    text = line_end.join(delimiter.join(cells) for cells in rows) + line_end
    with open(name, "wb") as f:
        f.write(bom + text.encode(encoding))


# Excel "CSV (comma delimited)" on an English Windows: Windows-1252, CRLF.
save("excel_csv_cp1252.csv", [
    ["First Name", "Last Name", "Phone Number", "Email Address", "Country", "Organization",
     "Consent"],
    ["José", "Núñez", "+258 84 123 4567", "jose@example.org", "Mozambique", "Associação Tété",
     "Yes"],
    ["Zoë", "Müller-Sørensen", "", "zoe@example.org", "kenya", "Café Society", "yes"],
], "cp1252", ",")

# Excel "CSV (séparateur : point-virgule)" on a French Windows.
save("excel_fr_semicolon_cp1252.csv", [
    ["Prénom", "Nom", "Téléphone", "Courriel", "Pays", "Organisation", "Consentement"],
    ["Amélie", "Diéye", "+221 77 123 45 67", "amelie@example.org", "Sénégal", "Santé Pour Tous",
     "Oui"],
    ["Kouassi", "N'Guessan", "+225 01 23 45 67 89", "", "Côte d'Ivoire", "", "oui"],
], "cp1252", ";")

# Excel "Unicode text": UTF-16LE with its byte order mark, tab-separated.
save("excel_unicode_text_utf16le.txt", [
    ["Given name", "Surname", "Mobile", "E-mail", "Country", "Consent"],
    ["Nguyễn", "Thị Hồng", "+84 91 234 56 78", "hong@example.org", "VN", "TRUE"],
    ["Александра", "Иванова", "+7 912 345 67 89", "", "Russia", "1"],
], "utf-16-le", "\t", bom=b"\xff\xfe")

# UTF-16BE with its byte order mark (LibreOffice's "Unicode (UTF-16 Big Endian)").
save("utf16be_bom.csv", [
    ["Nombre", "Apellidos", "Teléfono", "Correo", "País", "Consentimiento"],
    ["María José", "Pérez Ñúñez", "+52 55 1234 5678", "mj@example.org", "México", "Sí"],
], "utf-16-be", ",", bom=b"\xfe\xff")

# Excel "CSV UTF-8 (comma delimited)": UTF-8 with a byte order mark.
save("utf8_bom.csv", [
    ["Nome próprio", "Sobrenome", "Telefone", "E-mail", "País", "Consentimento"],
    ["João", "Conceição", "+258 82 123 4567", "joao@example.org", "Moçambique", "Sim"],
    ["Ana", "Gonçalves", "+254 712 345 602", "", "Quénia", "sim"],
], "utf-8", ",", bom=b"\xef\xbb\xbf")

# A tab-separated UTF-8 file without byte order mark, LF line ends.
save("tab_separated_utf8.tsv", [
    ["given_name", "family_name", "phone", "email", "country", "consent", "e_updates"],
    ["Wanjiru", "Kamau", "+254 712 345 603", "", "KEN", "y", "n"],
    ["Chidi", "Okafor, Jr", "+234 803 123 4567", "chidi@example.org", "Nigeria", "yes", "yes"],
], "utf-8", "\t", line_end="\n")

# Google Forms "Download responses (.csv)": UTF-8, a Timestamp column first,
# the collected "Email Address", quoted cells.
save("google_forms.csv", [
    ['"Timestamp"', '"Email Address"', '"First Name"', '"Last Name"', '"Phone Number"',
     '"Country"', '"Consent"'],
    ['"2026/03/01 10:15:32 AM GMT+3"', '"achieng@example.org"', '"Achieng"', '"Otieno"',
     '"+254 712 345 604"', '"Kenya"', '"Yes"'],
    ['"2026/03/01 10:17:05 AM GMT+3"', '"baraka@example.org"', '"Baraka"', '"Mwangi"', '""',
     '"Tanzania"', '"Yes"'],
], "utf-8", ",", line_end="\n")

# French headers and Oui/Non answers, UTF-8, semicolons.
save("french_oui_non.csv", [
    ["Prénom", "Nom de famille", "Numéro de téléphone", "Adresse e-mail", "Pays",
     "Consentement", "Lettre d'information"],
    ["Éloïse", "Béranger", "+33 6 12 34 56 78", "eloise@example.org", "France", "Oui", "Non"],
    ["Moussa", "Traoré", "+223 70 12 34 56", "", "Mali", "OUI", "oui"],
], "utf-8", ";")
