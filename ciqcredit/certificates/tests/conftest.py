from ciqcredit.dynamic.tests.conftest import web, world  # noqa: F401  (the dynamic tests' world: cast, items, date)
