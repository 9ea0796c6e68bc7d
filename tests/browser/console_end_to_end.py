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
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

PASSWORD = "correct horse battery"
OFFICE = "Nairobi"


def fail(message):
    print("console_end_to_end: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, what, stdin=None):
    done = subprocess.run(args, input=stdin, text=True, capture_output=True, timeout=60)
    if done.returncode != 0:
        fail(f"{what}: exit {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def main():
    if len(sys.argv) != 6:
        fail("usage: console_end_to_end.py ALLIANCE_CENTRAL ALLIANCE_SYNC KIOSK_REQUEST "
             "CATALOG_JSON OUT_DIR")
    central, agent, kiosk_request, catalog, out_dir = sys.argv[1:6]
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.path.exists(chromium) or not os.path.exists(driver_path):
        fail("chromium or chromium-driver is not installed; run installer/install-deps.sh")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import Select, WebDriverWait
        from selenium.common.exceptions import TimeoutException
    except ImportError:
        fail("python3-selenium is not installed; run installer/install-deps.sh")
    os.makedirs(out_dir, exist_ok=True)

    work = tempfile.mkdtemp(prefix="alliance-e2e-")
    db = os.path.join(work, "central.db")
    desk1 = os.path.join(work, "desk1.db")
    desk2 = os.path.join(work, "desk2.db")
    run([central, "user", "add", "--db", db, "alice", "--office", OFFICE, "--role", "manager",
         "--password-stdin"], "user add", PASSWORD + "\n")
    run([central, "import-catalog", "--db", db, catalog], "import-catalog")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([central, "serve", "--db", db, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser = None
    try:
        for _ in range(100):  # at most 10 s for the server to listen
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            fail("alliance-central did not start listening")

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

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1200,900", "--lang=en-US"):
            options.add_argument(arg)
        browser = webdriver.Chrome(service=Service(driver_path), options=options)
        browser.set_page_load_timeout(30)

        def submit(element, what):
            # Clicks a submit button and waits (at most 10 s) for the next page.
            old_page = browser.find_element(By.TAG_NAME, "html")
            element.click()
            try:
                WebDriverWait(browser, 10).until(expected_conditions.staleness_of(old_page))
            except TimeoutException:
                fail("no page came back within 10 s of " + what)

        def shot(name):
            browser.save_screenshot(os.path.join(out_dir, name + ".png"))

        def page_has(text, what):
            if text not in browser.page_source:
                fail(f"{what}: the page does not show {text!r}")

        browser.get(base + "/console/login")
        browser.find_element(By.NAME, "name").send_keys("alice")
        browser.find_element(By.NAME, "password").send_keys(PASSWORD)
        submit(browser.find_element(By.CSS_SELECTOR, "button[type=submit]"), "signing in")
        page_has("Resource requests", "after signing in")
        page_has(request_code, "the kiosk's request in the queue")

        # Stock: 5 toolkits on hand in the office.
        browser.get(base + "/console/stock")
        Select(browser.find_element(By.NAME, "pack")).select_by_value("CP-TOOLKIT-01")
        browser.find_element(By.NAME, "quantity").send_keys("5")
        submit(browser.find_element(By.CSS_SELECTOR, "form[action='/console/stock'] button"),
               "setting the stock")
        page_has("Stock of CP-TOOLKIT-01 at Nairobi is now 5.", "setting the stock")
        shot("stock")

        # The queue shows the stock next to the request; approve it by its
        # check-box and the bulk button.
        browser.get(base + "/console/requests")
        page_has("5 on hand", "the queue's stock")
        browser.find_element(By.CSS_SELECTOR, f"input[type=checkbox][value='{request_id}']").click()
        submit(browser.find_element(By.CSS_SELECTOR,
                                    "form#bulk button[name=action][value=approve]"),
               "approving the ticked request")
        page_has("1 of 1 ticked requests done.", "the bulk approval")
        page_has(f"Request {request_code} is now: approved.", "the bulk approval")
        shot("requests-approved")

        # The person registered at both desks is a possible duplicate.
        browser.get(base + "/console/duplicates")
        page_has("Likely the same person", "the duplicates page")
        shot("duplicates")
        browser.get(base + "/console/duplicates?lang=fr")
        page_has("Doublons possibles", "the French duplicates page")
        page_has("Probablement la même personne", "the French duplicates page")
        shot("duplicates-fr")
        browser.get(base + "/console/duplicates?lang=en")
        submit(browser.find_element(By.CSS_SELECTOR,
                                    "form[action='/console/duplicates'] button"),
               "merging the pair")
        page_has("Merged:", "the merge")
        page_has("No possible duplicates.", "after the merge")
        shot("duplicates-merged")

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
        if browser is not None:
            browser.quit()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
