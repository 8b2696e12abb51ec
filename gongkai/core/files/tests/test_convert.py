"""The LibreOffice sandbox: no network, production refuses without it, bounded concurrency."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gongkai.core.files import FileRefused, convert, converted
from gongkai.core.files.tests import hostile

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def loopback():
    """An HTTP server on 127.0.0.1 recording every request it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_converting_an_odt_with_a_linked_image_never_fetches_it(loopback, tmp_path):
    base, hits = loopback
    assert convert.sandbox_prefix() is not None, "unshare or bwrap is usable on this host"
    path = tmp_path / "plan.odt"
    path.write_bytes(hostile.odt_with_external_image(f"{base}/image.png"))
    with converted(path, "docx", "plan.odt") as out:
        assert out.stat().st_size > 0
    with converted(path, "pdf", "plan.odt") as out:
        assert out.read_bytes().startswith(b"%PDF")
    assert hits == []


def test_plan_import_of_an_odt_with_a_linked_image_never_fetches_it(loopback, tmp_path):
    from gongkai.plans.importers import parse_file

    base, hits = loopback
    path = tmp_path / "plan.odt"
    path.write_bytes(hostile.odt_with_external_image(f"{base}/image.png"))
    plan = parse_file(path, year=2026)
    assert next(r.requirement for r in plan.rows).startswith("推进政务公开")
    assert hits == []


def test_production_refuses_to_convert_without_the_sandbox(monkeypatch, tmp_path):
    monkeypatch.setattr(convert, "sandbox_prefix", lambda: None)
    monkeypatch.setenv("GONGKAI_ENV", "production")
    path = tmp_path / "a.docx"
    path.write_bytes(hostile.docx_with_text("正文"))
    with (
        pytest.raises(FileRefused, match="生产环境要求在无网络的隔离环境中转换文档"),
        converted(path, "pdf", "a.docx"),
    ):
        pass


def test_conversions_beyond_the_slots_are_refused(settings):
    settings.GONGKAI_FILE_LIMITS = {"conversions": 1}
    with (
        convert.conversion_slot(wait_seconds=0),
        pytest.raises(FileRefused, match="同时转换不超过 1 个的上限"),
        convert.conversion_slot(wait_seconds=0),
    ):
        pass
    with convert.conversion_slot(wait_seconds=0):  # released
        pass


def test_renders_on_download_are_rate_limited_per_requester(settings, rf):
    from django.contrib.auth.models import AnonymousUser

    settings.GONGKAI_FILE_LIMITS = {"pdf_per_minute": 2}
    settings.GONGKAI_RATE_LIMIT_ENABLED = True

    def request(address):
        req = rf.get("/", REMOTE_ADDR=address)
        req.user = AnonymousUser()
        return req

    convert.limit_renders(request("192.0.2.7"))
    convert.limit_renders(request("192.0.2.7"))
    with pytest.raises(FileRefused, match="每分钟不超过 2 份的上限"):
        convert.limit_renders(request("192.0.2.7"))
    convert.limit_renders(request("192.0.2.8"))  # another requester


@pytest.mark.django_db
def test_a_stored_version_is_served_without_the_render_limit():
    from gongkai.core import stored_documents as documents

    renders = []
    documents.register(
        "test-limit",
        documents.DocumentKind(
            load=lambda key: key,
            fingerprint=lambda obj: obj,
            renderers={"pdf": lambda obj: renders.append(obj) or b"%PDF-1.7 test"},
        ),
    )

    def refuse():
        raise convert.ConversionUnavailable("limited")

    with pytest.raises(FileRefused, match="limited"):
        documents.stored("test-limit", "k1", "pdf", before_render=refuse)
    assert renders == []
    documents.stored("test-limit", "k1", "pdf")
    assert documents.read(documents.stored("test-limit", "k1", "pdf", before_render=refuse)) == (
        b"%PDF-1.7 test"
    )
    assert renders == ["k1"]
