import datetime as dt

import yaml

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.choices import REFERENCE_LABEL, Category, Collection, Stage
from ciqcredit.catalogue.models import CatalogueVersion, MeasureListVersion, RuleSetVersion
from ciqcredit.catalogue.reference import REFERENCE_FILES, reference_file, reference_rules_load
from ciqcredit.catalogue.selectors import catalogue_version_on, measure_list_on, ruleset_on
from ciqcredit.rules.params import RuleSetParams

SETUP = Actor.job("setup")


def test_reference_load_publishes_version_1_of_each_kind_once(db):
    first = reference_rules_load(actor=SETUP)
    assert "已发布" in first
    for model in (CatalogueVersion, RuleSetVersion, MeasureListVersion):
        version = model.objects.get()
        assert (version.number, version.status, version.effective_from) == (1, "published", dt.date(2014, 1, 1))
        assert version.is_reference and version.reference_label == REFERENCE_LABEL
    audit_rows = AuditEntry.objects.count()

    second = reference_rules_load(actor=SETUP)
    assert "已有发布版本" in second and "已发布（" not in second
    assert [m.objects.count() for m in (CatalogueVersion, RuleSetVersion, MeasureListVersion)] == [1, 1, 1]
    assert AuditEntry.objects.count() == audit_rows


def test_reference_catalogue_covers_every_category_and_collection_route(db):
    reference_rules_load(actor=SETUP)
    items = list(catalogue_version_on(dt.date(2014, 1, 1)).items.all())
    assert len(items) >= 40
    assert {i.category for i in items} == set(Category.values)
    routes = {(i.collection, i.stage or None, i.association_kind) for i in items}
    for route in [
        (Collection.AUTO, Stage.DECLARATION, "declaration"),
        (Collection.AUTO, Stage.INSPECTION, "declaration"),
        (Collection.AUTO_CONFIRM, Stage.DECLARATION, "declaration"),
        (Collection.AUTO_CONFIRM, Stage.INSPECTION, "declaration"),
        (Collection.MANUAL, None, "penalty"),
        (Collection.MANUAL, None, "generated_j"),
        (Collection.MANUAL, None, "generated_w"),
        (Collection.MANUAL, None, "declaration"),
    ]:
        assert route in routes, route
    fake = next(i for i in items if i.name == "以不合格商品冒充合格商品")
    assert (fake.legal_basis, fake.serious, fake.enters_blacklist) == ("《商检法》第35条", True, True)


def test_reference_rule_set_is_the_schema_defaults_with_passing_cases(db):
    reference_rules_load(actor=SETUP)
    ruleset = ruleset_on(dt.date(2020, 5, 1))
    assert ruleset.rule_params == RuleSetParams()
    assert ruleset.cases_yaml.strip()
    measures = measure_list_on(dt.date(2020, 5, 1))
    ratios = {g: measures.sampling_ratio(g) for g in ("AA", "A", "B", "C", "D", "controlled")}
    assert {g: float(r) for g, r in ratios.items()} == {
        "AA": 0.05,
        "A": 0.10,
        "B": 0.30,
        "C": 0.60,
        "D": 1.0,
        "controlled": 1.0,
    }
    assert all(measures.visit_frequency(g) is not None for g in ratios)


def test_every_reference_file_is_labelled():
    for kind in REFERENCE_FILES:
        text = reference_file(kind).decode("utf-8")
        assert text.startswith(f"# {REFERENCE_LABEL}")
        assert yaml.safe_load(text)["is_reference"] is True
