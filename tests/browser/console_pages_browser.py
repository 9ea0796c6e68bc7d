#!/usr/bin/python3
"""The console's dashboard, members list and member page in a real browser:
Debian's chromium, headless, driven by python3-selenium through
chromium-driver, against a real alliance-central on 127.0.0.1 holding members,
an event, check-ins and a request pushed by an enrolled device through API v1.
Each page is opened in English and in French; screenshots go to OUT_DIR
(dashboard.png, members.png, member.png, dashboard-fr.png, members-fr.png,
member-fr.png).

usage: console_pages_browser.py ALLIANCE_CENTRAL OUT_DIR

Fails (exit 1, with a message) when chromium or its driver is missing: a test
that cannot run never passes.
"""
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

PASSWORD = "correct horse battery"
NODE = "browser-desk"


def fail(message):
    print("console_pages_browser: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_json(url, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers,
                                     method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def seed(central, db, base):
    """Enrols a Nairobi desk and pushes an event, 60 members over the last
    ten days, check-ins on two days and two requests. Returns a member's id."""
    code = subprocess.run([central, "enroll-code", "--db", db, "--office", "Nairobi"],
                          capture_output=True, text=True, timeout=60)
    if code.returncode != 0:
        fail("enroll-code: " + code.stderr)
    enrolled = post_json(base + "/v1/devices/enroll",
                         {"schema": 1, "code": code.stdout.strip().split()[-1],
                          "device_name": "Desk 1", "app_version": "browser-test",
                          "hlc_node": NODE})
    token = enrolled["token"]
    now = datetime.datetime.now(datetime.timezone.utc)
    wall = int(now.timestamp() * 1000) - 60_000
    counter = [0]

    def change(entity, record):
        counter[0] += 1
        return {"schema": 1, "change_id": str(uuid.uuid4()), "entity": entity,
                "entity_id": record["id"], "op": "create",
                "hlc": f"{wall:018d}-{counter[0]:04x}-{NODE}", "record": record}

    day = lambda back: (now - datetime.timedelta(days=back)).strftime("%Y-%m-%d")
    stamp = lambda back: (now - datetime.timedelta(days=back)).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z")
    event = {"id": str(uuid.uuid4()), "kind": "training", "name": "Case management workshop",
             "place": "Nairobi", "country": "KE", "start_date": day(1), "end_date": day(0),
             "organiser": "Alliance", "office": "Nairobi"}
    given = ["Amina", "José", "Olga", "Chidi", "Fatoumata", "Nguyễn", "Ana", "Kofi"]
    family = ["Wanjiru", "Núñez", "Ivanova", "Okafor", "Diallo", "Mensah"]
    roles = ["social_worker", "case_manager", "supervisor", "educator"]
    members, changes = [], [change("event", event)]
    for n in range(60):
        member = {"id": str(uuid.uuid4()), "kind": "individual",
                  "reference_code": f"BRWSR-{n:05d}".replace("0", "A"),
                  "given_name": given[n % 8], "family_name": family[n % 6],
                  "phone": f"+2547{10000000 + n}", "email": f"member{n}@example.org",
                  "country": "KE", "region": "Nairobi", "organisation": "Child Welfare Society",
                  "organisation_type": "ngo", "role": roles[n % 4], "years_experience": 3,
                  "qualification": "bachelor", "interest_groups": ["child_protection"],
                  "e_updates": True, "preferred_language": "en",
                  "consent": {"given": True, "text_version": "2026-01", "given_at": stamp(n % 10)},
                  "event_id": event["id"] if n < 30 else "",
                  "created_at": stamp(n % 10), "updated_at": stamp(n % 10)}
        members.append(member)
        changes.append(change("member", member))
    for n in range(30):
        for back in ((1, 0) if n < 12 else (1,)):
            changes.append(change("attendance", {
                "id": str(uuid.uuid4()), "member_id": members[n]["id"], "event_id": event["id"],
                "day": day(back), "checked_in_at": stamp(back)}))
    for n in range(2):
        changes.append(change("request", {
            "id": str(uuid.uuid4()), "reference_code": f"REQ-BROWSER-{n}",
            "member_id": members[n]["id"], "contact_name": "Amina Wanjiru",
            "lines": [{"pack_id": "CP-TOOLKIT-01", "quantity": 2}], "delivery": "pickup",
            "office": "Nairobi",
            "status": "requested", "created_at": stamp(0), "updated_at": stamp(0),
            "transitions": [{"status": "requested", "actor": "desk", "at": stamp(0)}]}))
    pushed = post_json(base + "/v1/sync/push", {"schema": 1, "changes": changes}, token)
    refused = [r for r in pushed.get("results", []) if r["outcome"] != "applied"]
    if refused or len(pushed.get("results", [])) != len(changes):
        fail("the seed push was not applied: " + json.dumps(refused[:3]))
    return members[0]["id"]


def main():
    if len(sys.argv) != 3:
        fail("usage: console_pages_browser.py ALLIANCE_CENTRAL OUT_DIR")
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

    work = tempfile.mkdtemp(prefix="alliance-pages-browser-")
    db = os.path.join(work, "central.db")
    added = subprocess.run(
        [central, "user", "add", "--db", db, "maria", "--office", "Nairobi", "--role", "manager",
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
        member_id = seed(central, db, base)

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1200,1400", "--lang=en-US"):
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

        def expect(words, what):
            for word in words:
                if word not in browser.page_source:
                    fail(f"{what}: '{word}' is not on the page ({browser.current_url})")

        browser.get(base + "/console/login")
        browser.find_element(By.NAME, "name").send_keys("maria")
        browser.find_element(By.NAME, "password").send_keys(PASSWORD)
        submit("button[type=submit]")
        if not browser.current_url.endswith("/console/dashboard"):
            fail("signing in did not lead to the dashboard: " + browser.current_url)

        # The dashboard: four charts drawn as SVG, no script anywhere.
        expect(["Registrations per day (last 30 days)", "Case management workshop",
                "60 members, 42 check-ins, 2 requests."], "dashboard")
        bars = browser.find_elements(By.CSS_SELECTOR, "svg rect.bar")
        if len(bars) < 30 + 1 + 2 + 6:
            fail(f"the dashboard draws {len(bars)} bars, fewer than its data")
        if browser.find_elements(By.TAG_NAME, "script"):
            fail("the dashboard carries a script")
        shot("dashboard")

        # Members: search by a folded name with its accent left out.
        browser.get(base + "/console/members")
        expect(["Members 1 to 50 of 60."], "members")
        shot("members")
        search = browser.find_element(By.NAME, "q")
        search.send_keys("jose nunez")
        submit("form.search button[type=submit]")
        expect(["José Núñez"], "search for 'jose nunez'")
        if "Amina Wanjiru" in browser.page_source:
            fail("the search for 'jose nunez' lists others")

        # One member: person, attendance, requests, history.
        browser.get(base + "/console/member?id=" + member_id)
        expect(["Amina Wanjiru", "Attendance", "REQ-BROWSER-0", "History of edits",
                "every field (created)", "Desk 1"], "member page")
        shot("member")

        # Each in French.
        browser.get(base + "/console/dashboard?lang=fr")
        expect(["Tableau de bord", "Inscriptions par jour (30 derniers jours)"], "dashboard (fr)")
        shot("dashboard-fr")
        browser.get(base + "/console/members")
        expect(["Membres 1 à 50 sur 60.", "Formation suivie"], "members (fr)")
        shot("members-fr")
        browser.get(base + "/console/member?id=" + member_id)
        expect(["Historique des modifications", "Présences"], "member page (fr)")
        shot("member-fr")
        print(f"console_pages_browser: ok; screenshots in {out_dir}")
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
