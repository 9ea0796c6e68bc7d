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
import sys
import tempfile

from console_support import PASSWORD, Browser, Central, add_account, exit_on_failure, fail


def main():
    if len(sys.argv) != 3:
        fail("usage: console_browser.py ALLIANCE_CENTRAL OUT_DIR")
    central, out_dir = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="alliance-browser-")
    db = os.path.join(work, "central.db")
    try:
        add_account(central, db, "alice", "Nairobi", "manager")
        with Central(central, db) as server, Browser(out_dir) as browser:
            base = server.base
            # A wrong password: the generic message, still on the sign-in page.
            browser.sign_in(base, "alice", "not the password")
            browser.page_has("Wrong name or password.", "a wrong password")
            browser.shot("login-wrong-password")

            # The right one: the dashboard, and from it the requests page.
            browser.sign_in(base, "alice", PASSWORD)
            if not browser.driver.current_url.endswith("/console/dashboard"):
                fail("signing in did not lead to the dashboard: " +
                     browser.driver.current_url)
            browser.driver.get(base + "/console/requests")
            browser.page_has("Resource requests", "the requests page")
            browser.shot("requests")

            # In French, by the switch, remembered.
            browser.driver.get(base + "/console/requests?lang=fr")
            browser.page_has("Demandes de ressources", "the French page")
            browser.driver.get(base + "/console/requests")
            browser.page_has("Demandes de ressources", "the remembered language")
            browser.shot("requests-fr")

            # A form posted without its CSRF token: 403 and a page saying so.
            browser.driver.execute_script(
                "document.querySelector('form[action=\"/console/logout\"] "
                "input[name=csrf]').remove()")
            browser.submit("form[action='/console/logout'] button")
            browser.page_has("Ce formulaire a expiré", "a form without its CSRF token")
            browser.shot("csrf-refused-fr")
            browser.driver.get(base + "/console/requests")
            browser.page_has("Demandes de ressources", "after the refused sign-out (still in)")

            # Signing out with the token works.
            browser.submit("form[action='/console/logout'] button")
            if "/console/login" not in browser.driver.current_url:
                fail("signing out did not lead to the sign-in page")
            browser.shot("signed-out-fr")
        print(f"console_browser: ok; screenshots in {out_dir}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    exit_on_failure("console_browser", main)
