"""Account pages: Django's auth views with Chinese templates; the password change goes through
accounts.actions (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from gongkai.accounts import actions
from gongkai.core.views import run_action


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        done = run_action(self.request, lambda: actions.change_password(self.request.user, form))
        if not done:
            return self.form_invalid(form)
        update_session_auth_hash(self.request, done.value)
        messages.success(self.request, "密码已修改。")
        return HttpResponseRedirect(self.get_success_url())
