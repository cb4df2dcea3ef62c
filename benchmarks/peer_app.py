"""The peer of the desk benchmark: a minimal Django 4.2 app of LibStats' shape, written into a
scratch folder by `benchmarks/bench_peer.py` (LibStats itself carries no licence and is not on
PyPI, so nothing of it is copied: this is the shape it has).

One model of a few choice fields and a moment, a ModelForm view behind Django's log-in, POST then
redirect to the empty form; Django's default middleware (sessions in the database, CSRF,
messages, clickjacking), SQLite, gunicorn with 2 sync workers.
"""

import subprocess
import sys
from pathlib import Path

DJANGO = "Django>=4.2,<4.3"
GUNICORN = "gunicorn>=22"

FILES = {
    "manage.py": """
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
""",
    "peer/__init__.py": "",
    "peer/settings.py": """
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
SECRET_KEY = "peer-benchmark-only-a-scratch-key-of-some-length"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "desk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peer.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE / "peer.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "nl"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
WSGI_APPLICATION = "peer.wsgi.application"
""",
    "peer/wsgi.py": """
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer.settings")
application = get_wsgi_application()
""",
    "peer/urls.py": """
from django.contrib.auth import views as auth_views
from django.urls import path

from desk import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("", views.desk, name="desk"),
]
""",
    "desk/__init__.py": "",
    "desk/migrations/__init__.py": "",
    "desk/models.py": """
from django.conf import settings
from django.db import models
from django.utils import timezone

TOPICS = [(t, t.title()) for t in ("digid", "toeslagen", "belastingen", "gemeente", "apparaat")]
AGENCIES = [(a, a.upper()) for a in ("", "belastingdienst", "svb", "uwv", "duo", "cak")]
CHANNELS = [("balie", "Balie"), ("telefoon", "Telefoon"), ("email", "E-mail")]
OUTCOMES = [("geholpen", "Geholpen"), ("doorverwezen", "Doorverwezen"), ("niet", "Niet")]
DURATIONS = [(5, "5"), (10, "10"), (15, "15"), (30, "30"), (60, "60")]


class Question(models.Model):
    topic = models.CharField(max_length=20, choices=TOPICS)
    agency = models.CharField(max_length=20, choices=AGENCIES, blank=True)
    channel = models.CharField(max_length=20, choices=CHANNELS)
    outcome = models.CharField(max_length=20, choices=OUTCOMES)
    duration = models.PositiveSmallIntegerField(choices=DURATIONS)
    asked_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
""",
    "desk/views.py": """
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .models import Question


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["topic", "agency", "channel", "outcome", "duration"]


@login_required
def desk(request):
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            question = form.save(commit=False)
            question.user = request.user
            question.save()
            return redirect("desk")
    else:
        form = QuestionForm()
    return render(request, "desk.html", {"form": form})
""",
    "templates/desk.html": """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Vraag</title></head>
<body><h1>Nieuwe vraag</h1><p>{{ user.username }}</p>
<form method="post">{% csrf_token %}{{ form.as_p }}<button>Opslaan</button></form>
</body></html>
""",
    "templates/registration/login.html": """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Inloggen</title></head>
<body><form method="post">{% csrf_token %}{{ form.as_p }}<button>Inloggen</button></form>
</body></html>
""",
}

FORM = {"topic": "toeslagen", "agency": "belastingdienst", "channel": "balie",
        "outcome": "geholpen", "duration": "10"}  # fmt: skip


def build(folder: Path, username: str, password: str) -> Path:
    """The peer in `folder` (a venv with Django 4.2 and gunicorn, made once per Python version
    on the same Python as the app's, so that both run on one interpreter), migrated, with one
    user; returns the venv's bin folder."""
    venv = folder / f"venv-{sys.version_info.major}.{sys.version_info.minor}"
    if not (venv / "bin" / "gunicorn").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", DJANGO, GUNICORN], check=True
        )
    app = folder / "app"
    for name, text in FILES.items():
        path = app / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"))
    (app / "peer.sqlite3").unlink(missing_ok=True)
    python = str(venv / "bin" / "python")
    for args in (["makemigrations", "desk"], ["migrate"]):
        subprocess.run([python, "manage.py", *args, "-v", "0"], cwd=app, check=True)
    make_user = (
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user({username!r}, password={password!r})"
    )
    subprocess.run([python, "manage.py", "shell", "-c", make_user], cwd=app, check=True)
    return venv / "bin"
