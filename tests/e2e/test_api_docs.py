"""/api/docs renders Swagger UI from this site's own static files, with no CSP violation (the
`page` fixture fails on one)."""


def test_api_docs_render_under_the_csp(live_server, page, government):
    page.goto(live_server.url + "/api/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "gongkai" in title.inner_text()
    assert page.locator(".opblock").count() > 10
