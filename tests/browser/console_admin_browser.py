#!/usr/bin/python3
"""The office console's devices, events, catalogue, exports, audit and stock
pages in a real browser: Debian's chromium, headless, driven by
python3-selenium through chromium-driver, against a real alliance-central on
127.0.0.1.

A manager makes an enrolment code, a device enrols with it through API v1,
the manager revokes it after the confirm step (the API then refuses its
token), creates an event after a field error, and opens the exports page;
the devices page in French. Then an administrator switches to French with
the page header's language link and works through the events (two field
errors in French next to their fields, nothing saved), catalogue (a pack
saved), exports, audit and stock (a stock level set) pages: each shows its
French words and none of the English page chrome.

Saves screenshots under OUT_DIR: devices.png, events.png, exports.png,
devices-fr.png, events-fr.png, catalogue-fr.png, exports-fr.png, audit-fr.png,
stock-fr.png.

usage: console_admin_browser.py ALLIANCE_CENTRAL OUT_DIR

Fails (exit 1, with a message) when chromium or its driver is missing: a test
that cannot run never passes.
"""
import os
import shutil
import sys
import tempfile

from console_support import (PASSWORD, Browser, Central, add_account, api, exit_on_failure, fail)

# English words of the page frame (central/console/text.cpp: the header and
# the navigation an administrator sees) that the French pages must not show.
# Catalogue, Exports and Stock are spelt alike in both languages.
ENGLISH_FRAME = ["Office console", "Signed in as", "administrator", "Sign out", "Dashboard",
                 "Members", "Requests", "Devices", "Events", "Audit log", "Duplicates"]


def main():
    if len(sys.argv) != 3:
        fail("usage: console_admin_browser.py ALLIANCE_CENTRAL OUT_DIR")
    central, out_dir = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="alliance-admin-browser-")
    db = os.path.join(work, "central.db")
    try:
        add_account(central, db, "alice", "Nairobi", "manager")
        add_account(central, db, "ada", "Headquarters", "admin")
        with Central(central, db) as server, Browser(out_dir) as browser:
            manager_pages(browser, server.base)
            browser.sign_out()
            french_admin_pages(browser, server.base)
        print(f"console_admin_browser: ok; screenshots in {out_dir}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def manager_pages(browser, base):
    browser.sign_in(base, "alice", PASSWORD)

    # An enrolment code from the devices page, used by a device through API v1.
    browser.driver.get(base + "/console/devices")
    browser.submit("form input[value=enrol] ~ button[type=submit]")
    codes = browser.driver.find_elements(browser.By.ID, "enrolment-code")
    if not codes or not codes[0].text.strip():
        fail("no enrolment code was shown")
    status, enrolled = api(base, "POST", "/v1/devices/enroll",
                           {"schema": 1, "code": codes[0].text.strip(), "device_name": "Desk A",
                            "app_version": "browser-test"})
    if status != 200 or enrolled.get("office") != "Nairobi":
        fail(f"enrolling with the console's code gave {status}: {enrolled}")
    token = enrolled["token"]
    if api(base, "GET", "/v1/sync/pull?cursor=0&limit=10", token=token)[0] != 200:
        fail("the new device could not pull")

    # A second device of the office, to pull the event made below.
    browser.driver.get(base + "/console/devices")
    browser.submit("form input[value=enrol] ~ button[type=submit]")
    status, other = api(base, "POST", "/v1/devices/enroll",
                        {"schema": 1, "code": browser.find("#enrolment-code").text.strip(),
                         "device_name": "Desk B", "app_version": "browser-test"})
    if status != 200:
        fail(f"enrolling a second device gave {status}: {other}")
    second = other["token"]

    browser.driver.get(base + "/console/devices")
    browser.page_has("Desk A", "the enrolled device on the devices page")
    browser.shot("devices")

    # Revoke: a confirm step, then the API refuses the device.
    browser.submit(f"tr#d-{enrolled['device_id']} button[type=submit]")
    browser.page_has("Yes, revoke it", "revoking (asks first)")
    browser.submit("button[name=confirm]")
    browser.page_has("is revoked", "the device revoked")
    status, _ = api(base, "GET", "/v1/sync/pull?cursor=0&limit=10", token=token)
    if status != 403:
        fail(f"the revoked device's pull got {status}, not 403")

    # An event: a last day before the first (which the browser lets through)
    # is refused next to its field, with what was typed kept; then it saves.
    browser.driver.get(base + "/console/events")
    browser.fill(name="Case management training", place="Nairobi", country="KE",
                 start_date="2026-12-05", end_date="2026-12-01")
    browser.submit("form[action='/console/events'] button[type=submit]")
    page = browser.driver.page_source
    if "Out of range" not in page or "Nothing was saved." not in page:
        fail("an event ending before it starts was not refused next to its field")
    browser.fill(end_date="2026-12-07")
    browser.submit("form[action='/console/events'] button[type=submit]")
    browser.page_has("is saved", "the event saved")
    status, pulled = api(base, "GET", "/v1/sync/pull?cursor=0&limit=10", token=second)
    names = [c.get("record", {}).get("name") for c in (pulled or {}).get("changes", [])]
    if status != 200 or "Case management training" not in names:
        fail("a device of the office did not pull the new event")
    browser.shot("events")

    browser.driver.get(base + "/console/exports")
    browser.page_has("Download the CSV file", "the exports page's download button")
    browser.shot("exports")

    browser.driver.get(base + "/console/devices?lang=fr")
    browser.expect(["Appareils", "révoqué"], "the devices page in French")
    browser.shot("devices-fr")
    # Back to English, so the administrator below starts from it.
    browser.driver.get(base + "/console/devices?lang=en")


def french_admin_pages(browser, base):
    browser.sign_in(base, "ada", PASSWORD)
    browser.only_in("en", ["Dashboard"], [], "the administrator's first page")
    browser.switch_language("fr")

    # Events: the list, the new-event form, and two wrong values refused
    # next to their fields in French, with nothing saved.
    browser.driver.get(base + "/console/events")
    browser.only_in("fr", ["Formations", "Événements 1 à 1 sur 1.", "Nouvel événement",
                           "Premier jour (AAAA-MM-JJ)", "Dernier jour (AAAA-MM-JJ)",
                           "Pays (code ISO, p. ex. SN)", "Organisateur", "Enregistrer"],
                    ENGLISH_FRAME + ["Training events", "New event", "First day", "Last day",
                                     "Organiser", "Save", "Edit"], "the events page (fr)")
    browser.fill(name="Atelier de gestion de cas", place="Dakar", country="ZZ",
                 start_date="2026-12-05", end_date="2026-12-01", office="Dakar")
    browser.submit("form[action='/console/events'] button[type=submit]")
    for field, message in (("end_date", "Hors limites (dernier jour avant le premier, ou "
                                        "nombre négatif)."),
                           ("country", "Code inconnu.")):
        shown = browser.driver.find_elements(browser.By.ID, "err-" + field)
        if not shown or shown[0].text != message:
            fail(f"the events page did not show {message!r} next to {field}")
        if shown[0].find_element(browser.By.XPATH, "..").find_element(
                browser.By.NAME, field).get_attribute("aria-invalid") != "true":
            fail(f"the error on {field} is not next to its field")
    browser.only_in("fr", ["Corrigez les champs signalés ci-dessous. Rien n'a été enregistré."],
                    ENGLISH_FRAME + ["Out of range", "Unknown code", "Nothing was saved",
                                     "Correct the fields"], "the refused event (fr)")
    if browser.find("input[name=name]").get_attribute("value") != "Atelier de gestion de cas":
        fail("the refused event's form lost what was typed")
    browser.shot("events-fr")
    browser.driver.get(base + "/console/events")
    browser.page_has("Événements 1 à 1 sur 1.", "the refused event saved nothing")

    # Catalogue: the new-pack form, and a pack saved in French.
    browser.driver.get(base + "/console/catalogue")
    browser.only_in("fr", ["Kits de ressources", "Nouveau kit", "Aucun kit.",
                           "Identifiant (lettres, chiffres, - et _)", "Titre",
                           "Langues (codes ISO, p. ex. fr, en)",
                           "Stock par bureau, une ligne chacun : BUREAU = QUANTITÉ"],
                    ENGLISH_FRAME + ["Resource packs", "New pack", "No packs", "Title",
                                     "Languages", "Stock per office", "Save"],
                    "the catalogue page (fr)")
    browser.fill(id="CP-GUIDE-FR", title="Guide de protection de l'enfance", languages="fr",
                 stock="Dakar = 4")
    browser.submit("form[action='/console/catalogue'] button[type=submit]")
    browser.only_in("fr", ["Le kit CP-GUIDE-FR est enregistré ; les bornes le reçoivent à leur "
                           "prochaine synchronisation.", "Kits 1 à 1 sur 1.", "imprimé",
                           "Dakar: 4"],
                    ENGLISH_FRAME + ["is saved", "Packs 1 to", "print"],
                    "the saved pack (fr)")
    browser.shot("catalogue-fr")

    # Exports: the filters and the download button.
    browser.driver.get(base + "/console/exports")
    browser.only_in("fr", ["Fichiers CSV des données de vos bureaux", "Quoi",
                           "Bureau (vide : tous les bureaux)", "Du (AAAA-MM-JJ)",
                           "Au (AAAA-MM-JJ)", "Formation", "Télécharger le fichier CSV"],
                    ENGLISH_FRAME + ["CSV files of your offices", "What", "every office",
                                     "From (YYYY-MM-DD)", "To (YYYY-MM-DD)", "Training event",
                                     "Download the CSV file"], "the exports page (fr)")
    browser.page_has("tous les événements", "the exports page's event choice (fr)")
    browser.shot("exports-fr")

    # Audit (administrators only): the log's frame in French, the entries as
    # they were written.
    browser.driver.get(base + "/console/audit")
    browser.only_in("fr", ["Journal d'audit", "Télécharger tout le journal en CSV",
                           "les plus récentes d'abord.", "Quand", "Qui", "Quoi", "Cible",
                           "Adresse", "Avant → après", "pack_create", "console:ada"],
                    ENGLISH_FRAME + ["Download the whole log", "newest first", "When", "Who",
                                     "Target", "Address", "Before → after"],
                    "the audit page (fr)")
    browser.shot("audit-fr")

    # Stock: the explanation, the form, and a level set in French.
    browser.driver.get(base + "/console/stock")
    browser.only_in("fr", ["Stock par bureau et kit", "Indiquez les kits qu'un bureau a en main",
                           "Bureau", "Kit", "En stock", "Enregistrer le stock",
                           "Aucun stock enregistré : aucun kit n'est suivi."],
                    ENGLISH_FRAME + ["Stock per office and pack", "Set the packs", "Office",
                                     "Pack", "On hand", "Set stock", "No stock recorded"],
                    "the stock page (fr)")
    browser.fill(office="Dakar", quantity="3")
    browser.find("select[name=pack] option[value='CP-GUIDE-FR']").click()
    browser.submit("form[action='/console/stock'] button")
    browser.only_in("fr", ["Le stock de CP-GUIDE-FR à Dakar est maintenant 3.",
                           "Dernière mise à jour", "console:ada"],
                    ENGLISH_FRAME + ["Stock of CP-GUIDE-FR", "is now", "Last set"],
                    "the stock set (fr)")
    browser.shot("stock-fr")


if __name__ == "__main__":
    exit_on_failure("console_admin_browser", main)
