"""`{% chart c %}`: a platform chart (ciqcredit.charts) drawn as inline SVG with its table beside it."""

from django import template
from django.utils.safestring import mark_safe

from ciqcredit.charts import Chart, bar_svg

register = template.Library()


@register.inclusion_tag("web/_chart.html")
def chart(c: Chart, width: int = 560, height: int = 260) -> dict:
    # bar_svg escapes every text it draws; the markup is the platform's own.
    return {"c": c, "svg": mark_safe(bar_svg(c, width=width, height=height))}  # noqa: S308
