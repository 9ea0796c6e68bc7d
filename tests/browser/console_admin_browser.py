#!/usr/bin/python3
"""The office console's devices, events and exports pages in a real browser:
Debian's chromium, headless, driven by python3-selenium through chromium-driver,
against a real alliance-central on 127.0.0.1. A manager makes an enrolment
code, a device enrols with it through API v1, the manager revokes it after the
confirm step (the API then refuses its token), creates an event after a field
error, and opens the exports page; the devices page in French. Saves
screenshots (devices.png, events.png, exports.png, devices-fr.png) under OUT_DIR.

usage: console_admin_browser.py ALLIANCE_CENTRAL OUT_DIR

Fails (exit 1, with a message) when chromium or its driver is missing: a test
that cannot run never passes.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PASSWORD = "correct horse battery"


def fail(message):
    print("console_admin_browser: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base, method, path, body=None, token=None):
    """(status, decoded JSON or None) of one API v1 call, at most 10 s."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read(2000).decode(errors="replace")}


def main():
    if len(sys.argv) != 3:
        fail("usage: console_admin_browser.py ALLIANCE_CENTRAL OUT_DIR")
    central, out_dir = sys.argv[1], sys.argv[2]
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.path.exists(chromium) or not os.path.exists(driver_path):
        fail("chromium or chromium-driver is not installed; run installer/install-deps.sh")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait
        from selenium.common.exceptions import TimeoutException
    except ImportError:
        fail("python3-selenium is not installed; run installer/install-deps.sh")
    os.makedirs(out_dir, exist_ok=True)

    work = tempfile.mkdtemp(prefix="alliance-admin-browser-")
    db = os.path.join(work, "central.db")
    added = subprocess.run(
        [central, "user", "add", "--db", db, "alice", "--office", "Nairobi", "--role", "manager",
         "--password-stdin"], input=PASSWORD + "\n", text=True, capture_output=True, timeout=60)
    if added.returncode != 0:
        fail("user add: " + added.stderr)
    port = free_port()
    server = subprocess.Popen([central, "serve", "--db", db, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
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

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1200,900", "--lang=en-US"):
            options.add_argument(arg)
        browser = webdriver.Chrome(service=Service(driver_path), options=options)
        browser.set_page_load_timeout(30)

        def submit(selector):
            # Clicks a submit button and waits (at most 10 s) for the next page.
            old_page = browser.find_element(By.TAG_NAME, "html")
            browser.find_element(By.CSS_SELECTOR, selector).click()
            try:
                WebDriverWait(browser, 10).until(expected_conditions.staleness_of(old_page))
            except TimeoutException:
                fail("no page came back within 10 s of clicking " + selector)

        def shot(name):
            browser.save_screenshot(os.path.join(out_dir, name + ".png"))

        def fill(name, value):
            # Sets a field's value directly: date inputs take typed keys in the
            # browser's locale order, so keys are not used for any field.
            element = browser.find_element(By.NAME, name)
            browser.execute_script("arguments[0].value = arguments[1];", element, value)

        browser.get(base + "/console/login")
        browser.find_element(By.NAME, "name").send_keys("alice")
        browser.find_element(By.NAME, "password").send_keys(PASSWORD)
        submit("button[type=submit]")

        # An enrolment code from the devices page, used by a device through API v1.
        browser.get(base + "/console/devices")
        submit("form input[value=enrol] ~ button[type=submit]")
        codes = browser.find_elements(By.ID, "enrolment-code")
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
        browser.get(base + "/console/devices")
        submit("form input[value=enrol] ~ button[type=submit]")
        status, other = api(base, "POST", "/v1/devices/enroll",
                            {"schema": 1, "code": browser.find_element(By.ID, "enrolment-code").text.strip(),
                             "device_name": "Desk B", "app_version": "browser-test"})
        if status != 200:
            fail(f"enrolling a second device gave {status}: {other}")
        second = other["token"]

        browser.get(base + "/console/devices")
        if "Desk A" not in browser.page_source:
            fail("the enrolled device is not on the devices page")
        shot("devices")

        # Revoke: a confirm step, then the API refuses the device.
        submit(f"tr#d-{enrolled['device_id']} button[type=submit]")
        if "Yes, revoke it" not in browser.page_source:
            fail("revoking did not ask first")
        submit("button[name=confirm]")
        if "is revoked" not in browser.page_source:
            fail("the device was not revoked")
        status, _ = api(base, "GET", "/v1/sync/pull?cursor=0&limit=10", token=token)
        if status != 403:
            fail(f"the revoked device's pull got {status}, not 403")

        # An event: a last day before the first (which the browser lets through)
        # is refused next to its field, with what was typed kept; then it saves.
        browser.get(base + "/console/events")
        fill("name", "Case management training")
        fill("place", "Nairobi")
        fill("country", "KE")
        fill("start_date", "2026-12-05")
        fill("end_date", "2026-12-01")
        submit("form[action='/console/events'] button[type=submit]")
        page = browser.page_source
        if "Out of range" not in page or "Nothing was saved." not in page:
            fail("an event ending before it starts was not refused next to its field")
        fill("end_date", "2026-12-07")
        submit("form[action='/console/events'] button[type=submit]")
        if "is saved" not in browser.page_source:
            fail("the event was not saved")
        status, pulled = api(base, "GET", "/v1/sync/pull?cursor=0&limit=10", token=second)
        names = [c.get("record", {}).get("name") for c in (pulled or {}).get("changes", [])]
        if status != 200 or "Case management training" not in names:
            fail("a device of the office did not pull the new event")
        shot("events")

        browser.get(base + "/console/exports")
        if "Download the CSV file" not in browser.page_source:
            fail("the exports page has no download button")
        shot("exports")

        browser.get(base + "/console/devices?lang=fr")
        if "Appareils" not in browser.page_source or "révoqué" not in browser.page_source:
            fail("the devices page is not in French")
        shot("devices-fr")
        print(f"console_admin_browser: ok; screenshots in {out_dir}")
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
