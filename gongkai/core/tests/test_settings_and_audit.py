import contextlib
import filecmp
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.core import audit
from gongkai.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
DEMO_SAMPLES = ROOT / "gongkai" / "demo" / "samples"


def _check(env_extra: dict, *args) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not reach a production check.
    dropped = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PROD = {
    "GONGKAI_ENV": "production",
    "SECRET_KEY": "x" * 60 + "-a-long-random-production-secret-key",
    "ALLOWED_HOSTS": "gongkai.example.org",
}


def test_production_requires_secret_key():
    result = _check({"GONGKAI_ENV": "production", "ALLOWED_HOSTS": "gongkai.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_deploy_check_is_clean():
    result = _check(PROD, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_production_refuses_captcha_off():
    result = _check({**PROD, "GONGKAI_CAPTCHA_ENABLED": "false"})
    assert result.returncode != 0
    assert "验证码" in result.stderr


def test_bad_boolean_fails_loudly():
    result = _check({"GONGKAI_CAPTCHA_ENABLED": "maybe"})
    assert result.returncode != 0
    assert "GONGKAI_CAPTCHA_ENABLED" in result.stderr


def test_data_dir_moves_with_env(tmp_path):
    result = _check({"GONGKAI_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "secret_key").exists()


def test_sample_documents_are_copied_unchanged():
    names = sorted(p.name for p in DEMO_SAMPLES.iterdir())
    assert "jining-2021-task-table.docx" in names
    assert "tengzhou-2021-key-points.txt" in names
    if not SHARED_SAMPLES.exists():  # a clone without ../shared beside it: the copies suffice
        return
    shared = sorted(p.name for p in SHARED_SAMPLES.iterdir())
    assert names == shared
    _, mismatch, errors = filecmp.cmpfiles(SHARED_SAMPLES, DEMO_SAMPLES, shared, shallow=False)
    assert mismatch == [] and errors == []


@pytest.mark.django_db
def test_audit_events_are_append_only(dept_a, officer_a):
    event = audit.record(
        officer_a, "orgs.rename", dept_a, before={"name": "旧"}, after={"name": "新"}
    )
    assert event.actor_label == "officer_a"
    assert event.object_type == "orgs.organisation"
    assert AuditEvent.objects.for_object(dept_a).count() == 1
    event.note = "改写"
    with pytest.raises(ValueError, match="只能新增"):
        event.save()
    with pytest.raises(ValueError, match="只能新增"):
        event.delete()


def _debug_setting(env: dict) -> str:
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "GONGKAI_ENV"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings;print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["demo"], {}, "False"),
        (["demo", "--debug"], {}, "True"),
        (["demo"], {"DEBUG": "1"}, "True"),
    ],
)
def test_demo_runs_without_debug_unless_asked(monkeypatch, argv, env, expected):
    from gongkai.cli import build_parser, demo_debug_env

    monkeypatch.delenv("DEBUG", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    demo_debug_env(build_parser().parse_args(argv))
    assert _debug_setting({"DEBUG": os.environ["DEBUG"]}) == expected


def _start(env_extra: dict, code: str) -> subprocess.CompletedProcess:
    dropped = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("switch", "message"),
    [
        ({"GONGKAI_CAPTCHA_ENABLED": "false"}, "关闭了验证码"),
        ({"GONGKAI_RATE_LIMIT_ENABLED": "false"}, "关闭了频率限制"),
        ({"AXES_ENABLED": "false"}, "关闭了登录失败锁定"),
        ({"DEBUG": "true"}, "开启了调试模式"),
        ({"SECRET_KEY": "django-insecure-" + "k" * 40}, "SECRET_KEY 过短或为示例值"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS 含有 *"),
        ({"GONGKAI_CODE_SENDER": "gongkai.core.one_time_codes.ConsoleSender"}, "仅供开发和测试"),
    ],
)
def test_production_wsgi_refuses_to_start_with_an_unsafe_switch(switch, message):
    """What gunicorn loads (config.wsgi) stops with the reason, not only `check --deploy`."""
    result = _start({**PROD, **switch}, "import config.wsgi")
    assert result.returncode != 0
    assert "拒绝启动" in result.stderr and message in result.stderr


def test_production_wsgi_starts_when_safe():
    result = _start(PROD, "import config.wsgi; print('ok')")
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_gongkai_serve_refuses_before_starting_gunicorn():
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update({**PROD, "DEBUG": "true"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", "18999", "--no-worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that a gunicorn it started (the bug) is stopped below
    )
    try:
        _, stderr = proc.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    assert proc.returncode == 2 and "开启了调试模式" in stderr


def _gunicorn_settings(cmd: list[str], env: dict[str, str]) -> dict[str, str]:
    """The settings gunicorn resolves for this command line (its own --print-config)."""
    result = subprocess.run(
        [*cmd, "--print-config"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return dict(
        (name, value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
        if value
        for name in [name.strip()]
    )


def test_gongkai_serve_runs_gunicorn_with_the_node_configuration():
    """`gongkai serve` runs the same deploy/gunicorn.conf.py as every node (gthread, threads
    from GUNICORN_THREADS), not a thread count of its own; its options override it."""
    from gongkai.cli import _gunicorn

    env = {**os.environ, "GUNICORN_THREADS": "6", "GUNICORN_WORKERS": "3"}
    conf = _gunicorn_settings(_gunicorn("127.0.0.1", 18998, None), env)
    assert conf["worker_class"] == "gthread"
    assert (conf["threads"], conf["workers"]) == ("6", "3")
    assert conf["bind"] == "['127.0.0.1:18998']" and conf["max_requests"] == "5000"
    conf = _gunicorn_settings(_gunicorn("127.0.0.1", 18998, 2, threads=5), env)
    assert (conf["threads"], conf["workers"]) == ("5", "2")


@pytest.mark.django_db
def test_demo_loader_refuses_in_production(settings, capsys):
    from gongkai.accounts.models import User
    from gongkai.cli import main
    from gongkai.demo.loader import load_demo

    settings.PRODUCTION = True
    with pytest.raises(Exception, match="不能载入演示数据"):
        load_demo()
    assert main(["demo", "--no-serve"]) == 2
    assert "不能载入演示数据" in capsys.readouterr().err
    assert not User.objects.filter(username="office").exists()
