from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """信用等级证明: certificates of a grade in force, with a verification code anyone can check."""

    name = "ciqcredit.certificates"
    verbose_name = "信用等级证明"
