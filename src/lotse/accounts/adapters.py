"""allauth adapters: Lotse's rules where allauth asks the project."""

from allauth.account.adapter import DefaultAccountAdapter

from lotse.accounts.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # The same address as axes and django-ratelimit count (LOTSE_TRUSTED_PROXIES).
        return client_ip(request) or super().get_client_ip(request)
