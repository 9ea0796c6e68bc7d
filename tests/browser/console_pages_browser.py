#!/usr/bin/python3
"""The console's dashboard, members list and member page in a real browser:
Debian's chromium, headless, driven by python3-selenium through
chromium-driver, against a real alliance-central on 127.0.0.1 holding members,
an event, check-ins and a request pushed by an enrolled device through API v1.
Each page is opened in English and in French (the member page's role and
organisation type by the kiosk's labels); screenshots go to OUT_DIR
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
import sys
import tempfile
import uuid

from console_support import (PASSWORD, Browser, Central, add_account, api, exit_on_failure, fail,
                             run)

NODE = "browser-desk"


def post_json(base, path, body, token=None):
    status, answer = api(base, "POST", path, body, token)
    if status != 200:
        fail(f"POST {path} gave {status}: {answer}")
    return answer


def seed(central, db, base):
    """Enrols a Nairobi desk and pushes an event, 60 members over the last
    ten days, check-ins on two days and two requests. Returns a member's id."""
    code = run([central, "enroll-code", "--db", db, "--office", "Nairobi"], "enroll-code")
    enrolled = post_json(base, "/v1/devices/enroll",
                         {"schema": 1, "code": code.strip().split()[-1],
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
    pushed = post_json(base, "/v1/sync/push", {"schema": 1, "changes": changes}, token)
    refused = [r for r in pushed.get("results", []) if r["outcome"] != "applied"]
    if refused or len(pushed.get("results", [])) != len(changes):
        fail("the seed push was not applied: " + json.dumps(refused[:3]))
    return members[0]["id"]


def main():
    if len(sys.argv) != 3:
        fail("usage: console_pages_browser.py ALLIANCE_CENTRAL OUT_DIR")
    central, out_dir = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="alliance-pages-browser-")
    db = os.path.join(work, "central.db")
    try:
        add_account(central, db, "maria", "Nairobi", "manager")
        with Central(central, db) as server:
            member_id = seed(central, db, server.base)
            with Browser(out_dir, height=1400) as browser:
                check_pages(browser, server.base, member_id)
        print(f"console_pages_browser: ok; screenshots in {out_dir}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_pages(browser, base, member_id):
    browser.sign_in(base, "maria", PASSWORD)
    if not browser.driver.current_url.endswith("/console/dashboard"):
        fail("signing in did not lead to the dashboard: " + browser.driver.current_url)

    # The dashboard: four charts drawn as SVG, no script anywhere.
    browser.expect(["Registrations per day (last 30 days)", "Case management workshop",
                    "60 members, 42 check-ins, 2 requests."], "dashboard")
    bars = browser.driver.find_elements(browser.By.CSS_SELECTOR, "svg rect.bar")
    if len(bars) < 30 + 1 + 2 + 6:
        fail(f"the dashboard draws {len(bars)} bars, fewer than its data")
    if browser.driver.find_elements(browser.By.TAG_NAME, "script"):
        fail("the dashboard carries a script")
    browser.shot("dashboard")

    # Members: search by a folded name with its accent left out.
    browser.driver.get(base + "/console/members")
    browser.expect(["Members 1 to 50 of 60."], "members")
    browser.shot("members")
    browser.find("input[name=q]").send_keys("jose nunez")
    browser.submit("form.search button[type=submit]")
    browser.expect(["José Núñez"], "search for 'jose nunez'")
    if "Amina Wanjiru" in browser.driver.page_source:
        fail("the search for 'jose nunez' lists others")

    # One member: person, attendance, requests, history.
    browser.driver.get(base + "/console/member?id=" + member_id)
    browser.expect(["Amina Wanjiru", "Attendance", "REQ-BROWSER-0", "History of edits",
                    "every field (created)", "Desk 1", "Social worker", "NGO"], "member page")
    browser.shot("member")

    # Each in French.
    browser.driver.get(base + "/console/dashboard?lang=fr")
    browser.expect(["Tableau de bord", "Inscriptions par jour (30 derniers jours)"],
                   "dashboard (fr)")
    browser.shot("dashboard-fr")
    browser.driver.get(base + "/console/members")
    browser.expect(["Membres 1 à 50 sur 60.", "Formation suivie"], "members (fr)")
    browser.shot("members-fr")
    browser.driver.get(base + "/console/member?id=" + member_id)
    browser.expect(["Historique des modifications", "Présences", "Travailleur·se social·e", "ONG",
                    "Protection de l'enfance"], "member page (fr)")
    browser.shot("member-fr")


if __name__ == "__main__":
    exit_on_failure("console_pages_browser", main)
