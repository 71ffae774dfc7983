"""Every form label and help text a person reads uses Chinese punctuation (（）：；，), not ASCII."""

import importlib
import inspect
import pkgutil
import re

from django import forms

import ciqcredit

HAN = re.compile(r"[\u4e00-\u9fff]")
ASCII_PUNCTUATION = re.compile(r"[():;,?!]")


def _form_classes():
    for module_info in pkgutil.walk_packages(ciqcredit.__path__, "ciqcredit."):
        name = module_info.name
        if ".tests" in name or ".migrations" in name or name.endswith(("conftest", "management.commands")):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_labels_use_chinese_punctuation():
    classes = list(_form_classes())
    assert len(classes) > 15  # the walk finds the forms
    wrong = [
        (cls.__name__, name, text)
        for cls in classes
        for name, field in cls.base_fields.items()
        for text in (str(field.label or ""), str(field.help_text or ""))
        if HAN.search(text) and ASCII_PUNCTUATION.search(text)
    ]
    assert wrong == []


def test_rendered_labels_end_with_a_chinese_colon():
    """Forms on pages say 「送达日期：」, never 「送达日期:」 (Django's default suffix from as_p or label_tag)."""
    from pathlib import Path

    from django.template.loader import render_to_string

    from ciqcredit.dynamic.forms import DeliveryForm

    html = render_to_string("web/_fields.html", {"form": DeliveryForm()})
    assert "送达日期" in html and not re.search(r"[\u4e00-\u9fff）]\s*:", html)
    templates = Path(ciqcredit.__file__).parent.rglob("*.html")
    assert not [t.name for t in templates if re.search(r"\.as_p|\.as_div|label_tag", t.read_text(encoding="utf-8"))]
