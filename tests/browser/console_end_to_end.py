#!/usr/bin/python3
"""A request made on a kiosk, approved in the office console, seen on the kiosk.

Real parts only: two kiosk stores (the kiosk's own store code through
kiosk_request), the real alliance-sync agent, a real alliance-central on
127.0.0.1, and Debian's chromium headless through chromium-driver and
python3-selenium. Desk 1 registers a person and makes a request; desk 2
registers the same person again. The agent pushes both. In the browser a
manager sets the office's stock, sees it next to the request, approves the
request with its check-box and the bulk button, looks at the possible
duplicates (also in French) and merges them. Then `alliance-sync once` on
desk 1 pulls the decision, and the kiosk database (python's sqlite3) shows
the request approved.

usage: console_end_to_end.py ALLIANCE_CENTRAL ALLIANCE_SYNC KIOSK_REQUEST CATALOG_JSON OUT_DIR

Screenshots: stock.png, requests-approved.png, duplicates.png, duplicates-fr.png
(and duplicates-merged.png). Fails with a message when chromium, its driver or
selenium is missing: a test that cannot run never passes.
"""
import os
import shutil
import sqlite3
import sys
import tempfile

from console_support import PASSWORD, Browser, Central, add_account, exit_on_failure, fail, run

OFFICE = "Nairobi"


def main():
    if len(sys.argv) != 6:
        fail("usage: console_end_to_end.py ALLIANCE_CENTRAL ALLIANCE_SYNC KIOSK_REQUEST "
             "CATALOG_JSON OUT_DIR")
    central, agent, kiosk_request, catalog, out_dir = sys.argv[1:6]
    work = tempfile.mkdtemp(prefix="alliance-e2e-")
    db = os.path.join(work, "central.db")
    desk1 = os.path.join(work, "desk1.db")
    desk2 = os.path.join(work, "desk2.db")
    try:
        add_account(central, db, "alice", OFFICE, "manager")
        run([central, "import-catalog", "--db", db, catalog], "import-catalog")
        with Central(central, db) as server:
            base = server.base
            # Two desks of the office enrol with the real agent; desk 1 takes a
            # request, desk 2 registers the same person again; both push.
            for desk in (desk1, desk2):
                code = run([central, "enroll-code", "--db", db, "--office", OFFICE],
                           "enroll-code").strip().split()[-1]
                run([agent, "enroll", "--db", desk, "--server", base, "--code", code], "enroll")
            request_id, request_code = run([kiosk_request, desk1, OFFICE],
                                           "kiosk_request").split()
            run([kiosk_request, desk2, OFFICE, "--member-only"], "kiosk_request --member-only")
            for desk in (desk1, desk2):
                run([agent, "once", "--db", desk], "alliance-sync once (push)")

            with Browser(out_dir) as browser:
                decide_in_the_browser(browser, base, request_id, request_code)

            # The decision reaches the kiosk by pull.
            run([agent, "once", "--db", desk1], "alliance-sync once (pull)")
        with sqlite3.connect(f"file:{desk1}?mode=ro", uri=True) as kiosk:
            row = kiosk.execute("SELECT status FROM requests WHERE id = ?",
                                (request_id,)).fetchone()
        if row is None or row[0] != "approved":
            fail(f"the kiosk's database shows the request as {row!r}, not approved")
        print(f"console_end_to_end: ok; request {request_code} approved in the browser is "
              f"approved on the kiosk; screenshots in {out_dir}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def decide_in_the_browser(browser, base, request_id, request_code):
    browser.sign_in(base, "alice", PASSWORD)
    browser.page_has("Dashboard", "after signing in")
    browser.driver.get(base + "/console/requests")
    browser.page_has("Resource requests", "the requests page")
    browser.page_has(request_code, "the kiosk's request in the queue")

    # Stock: 5 toolkits on hand in the office.
    browser.driver.get(base + "/console/stock")
    browser.find("select[name=pack] option[value='CP-TOOLKIT-01']").click()
    browser.find("input[name=quantity]").send_keys("5")
    browser.submit("form[action='/console/stock'] button")
    browser.page_has("Stock of CP-TOOLKIT-01 at Nairobi is now 5.", "setting the stock")
    browser.shot("stock")

    # The queue shows the stock next to the request; approve it by its
    # check-box and the bulk button.
    browser.driver.get(base + "/console/requests")
    browser.page_has("5 on hand", "the queue's stock")
    browser.find(f"input[type=checkbox][value='{request_id}']").click()
    browser.submit("form#bulk button[name=action][value=approve]")
    browser.page_has("1 of 1 ticked requests done.", "the bulk approval")
    browser.page_has(f"Request {request_code} is now: approved.", "the bulk approval")
    browser.shot("requests-approved")

    # The person registered at both desks is a possible duplicate.
    browser.driver.get(base + "/console/duplicates")
    browser.page_has("Likely the same person", "the duplicates page")
    browser.shot("duplicates")
    browser.driver.get(base + "/console/duplicates?lang=fr")
    browser.page_has("Doublons possibles", "the French duplicates page")
    browser.page_has("Probablement la même personne", "the French duplicates page")
    browser.shot("duplicates-fr")
    browser.driver.get(base + "/console/duplicates?lang=en")
    browser.submit("form[action='/console/duplicates'] button")
    browser.page_has("Merged:", "the merge")
    browser.page_has("No possible duplicates.", "after the merge")
    browser.shot("duplicates-merged")


if __name__ == "__main__":
    exit_on_failure("console_end_to_end", main)
