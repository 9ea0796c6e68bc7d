"""What the console's browser tests share: failing with a message, a real
alliance-central on a free 127.0.0.1 port, API v1 calls, and Debian's
chromium headless through chromium-driver and python3-selenium (a test that
cannot find them fails; it never passes).
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

PASSWORD = "correct horse battery"


class Failure(Exception):
    """A check failed; main() prints it and exits 1."""


def fail(message):
    raise Failure(message)


def exit_on_failure(name, body):
    # Runs body(); a Failure is printed as "NAME: FAIL: message" with exit 1.
    try:
        body()
    except Failure as failure:
        print(f"{name}: FAIL: {failure}", file=sys.stderr)
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


def api(base, method, path, body=None, token=None):
    """(status, decoded JSON or None) of one API v1 call, at most 30 s."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read(2000).decode(errors="replace")}


def add_account(central, db, name, office, role):
    run([central, "user", "add", "--db", db, name, "--office", office, "--role", role,
         "--password-stdin"], "user add " + name, PASSWORD + "\n")


class Central:
    """alliance-central serve on DB at a free port, stopped on exit."""

    def __init__(self, binary, db):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [binary, "serve", "--db", db, "--listen", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self):
        for _ in range(100):  # at most 10 s for the server to listen
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        fail("alliance-central did not start listening")

    def __exit__(self, *_):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Browser:
    """Headless chromium with the helpers the tests use, quit on exit."""

    def __init__(self, out_dir, height=900):
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        if not os.path.exists(chromium) or not os.path.exists(driver_path):
            fail("chromium or chromium-driver is not installed; run installer/install-deps.sh")
        try:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service
            from selenium.webdriver.common.by import By
            from selenium.webdriver.support.ui import WebDriverWait
            from selenium.common.exceptions import (StaleElementReferenceException,
                                                    TimeoutException, WebDriverException)
        except ImportError:
            fail("python3-selenium is not installed; run installer/install-deps.sh")
        self.By = By
        self._wait = WebDriverWait
        self._timeout = TimeoutException
        self._stale = StaleElementReferenceException
        self._driver_error = WebDriverException
        self.out_dir = out_dir
        os.makedirs(out_dir, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    f"--window-size=1200,{height}", "--lang=en-US"):
            options.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(driver_path), options=options)
        self.driver.set_page_load_timeout(30)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.driver.quit()

    def find(self, selector):
        return self.driver.find_element(self.By.CSS_SELECTOR, selector)

    def submit(self, selector):
        # Clicks a submit button or link and waits (at most 10 s) for the next page.
        old_page = self.driver.find_element(self.By.TAG_NAME, "html")
        self.find(selector).click()
        try:
            self._wait(self.driver, 10).until(lambda _: self._gone(old_page))
        except self._timeout:
            fail("no page came back within 10 s of clicking " + selector)

    def _gone(self, element):
        # Whether `element`'s page has been replaced. While the next page
        # comes in, chromium may answer "Node with given id does not belong to
        # the document" instead of a stale element: that means gone too.
        try:
            element.is_enabled()
            return False
        except self._stale:
            return True
        except self._driver_error as error:
            if "does not belong to the document" in str(error):
                return True
            raise

    def fill(self, **fields):
        # Sets each named field's value directly: date inputs take typed keys
        # in the browser's locale order, so keys are not used for any field.
        for name, value in fields.items():
            element = self.driver.find_element(self.By.NAME, name)
            self.driver.execute_script("arguments[0].value = arguments[1];", element, value)

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.out_dir, name + ".png"))

    def sign_in(self, base, name, password):
        self.driver.get(base + "/console/login")
        self.find("input[name=name]").send_keys(name)
        self.find("input[name=password]").send_keys(password)
        self.submit("button[type=submit]")

    def sign_out(self):
        self.submit("form[action='/console/logout'] button")

    def switch_language(self, code):
        # Clicks the page header's language link, as a person does.
        self.submit(f"nav.lang a[hreflang='{code}']")

    def page_has(self, text, what):
        if text not in self.driver.page_source:
            fail(f"{what}: the page does not show {text!r} ({self.driver.current_url})")

    def expect(self, texts, what):
        for text in texts:
            self.page_has(text, what)

    def shown_text(self):
        # What a person reads: the title and the body's rendered text, without
        # markup, attribute values or hidden fields.
        return self.driver.title + "\n" + self.driver.execute_script(
            "return document.body.innerText;")

    def only_in(self, lang, shown, absent, what):
        """The page is in `lang` (its <html lang>), shows each of `shown` and
        none of `absent` (strings of another language's rendering)."""
        page_lang = self.driver.execute_script("return document.documentElement.lang;")
        if page_lang != lang:
            fail(f"{what}: the page is in {page_lang!r}, not {lang!r}")
        text = self.shown_text()
        for words in shown:
            if words not in text:
                fail(f"{what}: the page does not show {words!r} ({self.driver.current_url})")
        for words in absent:
            if words in text:
                fail(f"{what}: the page still shows {words!r} ({self.driver.current_url})")
