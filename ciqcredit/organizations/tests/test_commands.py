from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ciqcredit.organizations.models import ApiToken, User
from ciqcredit.organizations.services import token_authenticate


def run(*args) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_create_org_user_client_and_token_print_secret_last(cast):
    run("create_org", "475300", "沙头角出入境检验检疫局", "--parent", "470000")
    lines = run("create_user", "sta_collector", "--org", "475300", "--department", "inspection", "--role", "collector")
    user = User.objects.get(username="sta_collector")
    assert user.check_password(lines[-1])
    assert user.department.kind == "inspection" and user.department.organization.code == "475300"

    lines = run("create_api_client", "ems-470000", "--org", "470000", "--scope", "enterprise_sync")
    client = token_authenticate(lines[-1])
    assert client.username == "ems-470000" and client.scopes == ["enterprise_sync"]

    lines = run("create_token", "sta_collector")
    assert token_authenticate(lines[-1]) == user
    assert ApiToken.objects.filter(user=user).count() == 1
    assert not ApiToken.objects.filter(digest__contains=lines[-1]).exists()  # stored hashed only


def test_create_user_refuses_unknown_org(cast):
    with pytest.raises(CommandError, match="unknown_org_code"):
        run("create_user", "zz", "--org", "999999", "--role", "viewer")
