import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
application = get_wsgi_application()

# Load the person-name model in the background so the first note check is not slow.
from django.conf import settings  # noqa: E402

if settings.BALIE_PII_WARMUP:
    from balie.core import pii  # noqa: E402

    pii.warm_up(background=True)
