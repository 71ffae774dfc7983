from django.contrib.auth.backends import ModelBackend

from ciqcredit import clock


class AccountBackend(ModelBackend):
    """Django's password login, refusing accounts past their expiry date (and ending their sessions)."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not user.is_expired(clock.today())
