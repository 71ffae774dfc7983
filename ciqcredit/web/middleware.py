"""Response headers every page and API answer carries."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY (empty or `off`: none) unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        policy = settings.CONTENT_SECURITY_POLICY.strip()
        self.policy = "" if policy.lower() in ("", "off") else policy

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
