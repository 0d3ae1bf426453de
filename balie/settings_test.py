"""Settings for the test suite only (pyproject.toml: [tool.pytest.ini_options] DJANGO_SETTINGS_MODULE).

The tests run Balie as in production (DEBUG off, all security headers, rate limits on) but over plain http on the test
server, with fixed keys that are only ever used for throw-away test data. Nothing else imports this module, so a real
installation can never pick these values up; a variable already set in the environment wins.
"""

import os

TEST_ENV = {
    "BALIE_SECRET_KEY": "test-only-secret-key-never-for-production-0123456789abcdefghijklmnop",
    "BALIE_PII_KEY": "ZuFzb1Gsl1pvmTRlGJ6ofP7sd3B1fURt6ieIJNqPmYE=",  # test data only
    "BALIE_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    # The test client and the live server speak http; over https everything below is on, as in production.
    "BALIE_SECURE_SSL_REDIRECT": "0",
    "BALIE_SECURE_COOKIES": "0",
    "BALIE_HSTS_SECONDS": "0",
    "BALIE_PROXY_COUNT": "0",
    # One process: the tests clear this cache between tests (tests/conftest.py).
    "BALIE_CACHE_URL": "locmem://",
}
for _name, _value in TEST_ENV.items():
    os.environ.setdefault(_name, _value)

from .settings import *  # noqa: E402,F403

# Static files straight from the app directories, as in the demo: the tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
