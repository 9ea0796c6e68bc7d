#!/usr/bin/python3
"""The office console in a real browser: Debian's chromium, headless, driven by
python3-selenium through chromium-driver, against a real alliance-central on
127.0.0.1. Saves screenshots under OUT_DIR.

usage: console_browser.py ALLIANCE_CENTRAL OUT_DIR

Fails (exit 1, with a message) when chromium or its driver is missing: a test
that cannot run never passes.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

PASSWORD = "correct horse battery"


def fail(message):
    print("console_browser: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    if len(sys.argv) != 3:
        fail("usage: console_browser.py ALLIANCE_CENTRAL OUT_DIR")
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

    work = tempfile.mkdtemp(prefix="alliance-browser-")
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

        def sign_in(password):
            browser.get(base + "/console/login")
            browser.find_element(By.NAME, "name").send_keys("alice")
            browser.find_element(By.NAME, "password").send_keys(password)
            submit("button[type=submit]")

        # A wrong password: the generic message, still on the sign-in page.
        sign_in("not the password")
        if "Wrong name or password." not in browser.page_source:
            fail("a wrong password did not show the generic message")
        shot("login-wrong-password")

        # The right one: the requests page.
        sign_in(PASSWORD)
        if not browser.current_url.endswith("/console/requests"):
            fail("signing in did not lead to the requests page: " + browser.current_url)
        if "Resource requests" not in browser.page_source:
            fail("the requests page is not shown after signing in")
        shot("requests")

        # In French, by the switch, remembered.
        browser.get(base + "/console/requests?lang=fr")
        if "Demandes de ressources" not in browser.page_source:
            fail("the French page is not in French")
        browser.get(base + "/console/requests")
        if "Demandes de ressources" not in browser.page_source:
            fail("the language choice was not remembered")
        shot("requests-fr")

        # A form posted without its CSRF token: 403 and a page saying so.
        browser.execute_script(
            "document.querySelector('form[action=\"/console/logout\"] input[name=csrf]').remove()")
        submit("form[action='/console/logout'] button")
        if "Ce formulaire a expiré" not in browser.page_source:
            fail("a form without its CSRF token was not refused")
        shot("csrf-refused-fr")
        browser.get(base + "/console/requests")
        if "Demandes de ressources" not in browser.page_source:
            fail("the refused sign-out signed out anyway")

        # Signing out with the token works.
        submit("form[action='/console/logout'] button")
        if "/console/login" not in browser.current_url:
            fail("signing out did not lead to the sign-in page")
        shot("signed-out-fr")
        print(f"console_browser: ok; screenshots in {out_dir}")
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
