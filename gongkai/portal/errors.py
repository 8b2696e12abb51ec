"""Chinese error pages. 500 renders without a request context (nothing there may fail).
Under /api/ the same answers are JSON ({"detail": "…"}), as the API's own errors are."""

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import defaults

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": "您没有权限访问。"}, status=403)
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": "未找到该接口或对象。"}, status=404)
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    if _api(request):
        return JsonResponse({"detail": "服务器内部错误，请稍后再试。"}, status=500)
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))
