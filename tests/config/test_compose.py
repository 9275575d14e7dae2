"""docker-compose.yml as a clinic's IT runs it: settings from .env reach every container, the
database is migrated once before anything else starts, compose refuses to start without the
secrets, and every long-running service has a health check.

Parsed with PyYAML (merge keys resolved as compose resolves them); where Debian's
docker-compose is installed (CI installs it), `docker-compose config` is run too: it validates
the file and does the interpolation, with no engine needed.
"""

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from common import healthcheck

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "beat")
FILLED = {
    "DJANGO_SECRET_KEY": "compose-test-secret-key-0123456789-abcdefghijklmnop",
    "POSTGRES_PASSWORD": "0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "stride.clinic.example",
    "EMAIL_URL": "smtp+tls://stride:pass@smtp.clinic.example:587",
}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_no_obsolete_version_key(compose):
    assert "version" not in compose


def test_web_worker_and_beat_start_after_the_one_shot_migrate(compose):
    services = compose["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert "migrate" not in str(services[name].get("command", "")), name


def test_settings_come_from_the_env_file_and_the_secret_is_required(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == ".env", name
        environment = service["environment"]
        assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?.+\}", environment["DJANGO_SECRET_KEY"])
        assert environment["EMAIL_URL"].startswith("${EMAIL_URL:?")
        assert ":?" in environment["DATABASE_URL"]  # the database password
        # gunicorn's port is published: no proxy's X-Forwarded-For is trusted.
        assert environment["STRIDE_NUM_PROXIES"] == "${STRIDE_NUM_PROXIES:-0}"
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )


def test_worker_and_beat_have_health_checks_and_beat_reads_its_schedule_from_the_database(
    compose,
):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        test = services[name]["healthcheck"]["test"]
        assert test == ["CMD", "python", "-m", "common.healthcheck", name], name
    beat = services["beat"]["command"]
    assert "--schedule " not in beat and "-s " not in beat
    assert "--scheduler django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_the_env_example_and_the_guide_name_every_setting_stride_reads():
    source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'env\.[a-z_]+\(\s*"([A-Z_]+)"', source))
    assert len(names) > 30
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z_]+)=", example, flags=re.MULTILINE))
    # Compose builds the URLs of its own postgres and redis; DEBUG is never on in production.
    assert names - listed == {"DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG"}
    guide = (ROOT / "docs" / "deployment.md").read_text()
    assert {name for name in names | {"POSTGRES_PASSWORD"} if f"`{name}`" not in guide} == set()


def _compose_config(tmp_path: Path, values: dict[str, str]) -> subprocess.CompletedProcess[str]:
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={values[name]}" if name in values else line)
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")
    return subprocess.run(
        ["docker-compose", "config"],
        cwd=tmp_path,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


needs_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed"
)


@needs_compose
def test_docker_compose_accepts_the_file_and_passes_env_file_settings(tmp_path):
    values = {**FILLED, "STRIDE_PUBLIC_URL": "https://stride.clinic.example"}
    result = _compose_config(tmp_path, values)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    for name in ("web", "worker", "beat"):
        environment = config["services"][name]["environment"]
        assert environment["DJANGO_SECRET_KEY"] == FILLED["DJANGO_SECRET_KEY"]
        assert environment["STRIDE_PUBLIC_URL"] == "https://stride.clinic.example"
        assert environment["STRIDE_LOG_LEVEL"] == "INFO"
        assert environment["STRIDE_NUM_PROXIES"] == "0"
        assert environment["DATABASE_URL"].startswith("postgres://stride:0123456789abcdef@")


@needs_compose
@pytest.mark.parametrize("missing", sorted(FILLED))
def test_docker_compose_refuses_to_start_without_a_secret(tmp_path, missing):
    result = _compose_config(tmp_path, {**FILLED, missing: ""})
    assert result.returncode != 0
    assert f"Set {missing} in .env" in result.stderr


@pytest.mark.django_db
def test_beat_health_check_wants_a_periodic_task_run_recently():
    every = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.SECONDS)
    task = PeriodicTask.objects.create(name="probe", task="probe", interval=every)
    assert healthcheck.main(["healthcheck", "beat"]) == 1  # never ran
    task.last_run_at = timezone.now() - timedelta(minutes=30)
    task.save()
    assert healthcheck.main(["healthcheck", "beat"]) == 1  # beat has stopped
    task.last_run_at = timezone.now() - timedelta(minutes=1)
    task.save()
    assert healthcheck.main(["healthcheck", "beat"]) == 0
    assert healthcheck.main(["healthcheck", "nonsense"]) == 2


def test_the_image_copies_every_package_the_service_imports():
    """An app left out of the image fails only when the container starts: every top-level
    package of the service (config, common and the apps) is copied by the Dockerfile."""
    copied = set(re.findall(r"^COPY (\S+) \./\1$", (ROOT / "Dockerfile").read_text(), re.M))
    not_served = {"tests", "bench", "scripts", "clients"}
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in not_served
    }
    assert {"config", "common", "console", "monitoring"} <= packages
    assert packages - copied == set()
