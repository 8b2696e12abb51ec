def site(request):
    return {"site_government": getattr(request, "government", None)}
