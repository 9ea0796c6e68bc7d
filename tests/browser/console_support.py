"""What the console's browser tests share: failing with a message, a real
alliance-central on a free 127.0.0.1 port, and Debian's chromium headless
through chromium-driver and python3-selenium (a test that cannot find them
fails; it never passes).
"""
import os
import shutil
import socket
import subprocess
import sys
import time

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

    def __init__(self, out_dir):
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
        self.By = By
        self._staleness_of = expected_conditions.staleness_of
        self._wait = WebDriverWait
        self._timeout = TimeoutException
        self.out_dir = out_dir
        os.makedirs(out_dir, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1200,900", "--lang=en-US"):
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
        # Clicks a submit button and waits (at most 10 s) for the next page.
        old_page = self.driver.find_element(self.By.TAG_NAME, "html")
        self.find(selector).click()
        try:
            self._wait(self.driver, 10).until(self._staleness_of(old_page))
        except self._timeout:
            fail("no page came back within 10 s of clicking " + selector)

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.out_dir, name + ".png"))

    def sign_in(self, base, name, password):
        self.driver.get(base + "/console/login")
        self.find("input[name=name]").send_keys(name)
        self.find("input[name=password]").send_keys(password)
        self.submit("button[type=submit]")

    def page_has(self, text, what):
        if text not in self.driver.page_source:
            fail(f"{what}: the page does not show {text!r}")
