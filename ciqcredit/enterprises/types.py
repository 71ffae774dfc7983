"""Enterprise types (one enterprise may hold several), stored as ';importer;exporter;'.

A delimited text column rather than a join table: a million enterprises import with one row each, and a
type filter is one indexed-free LIKE that stays cheap next to the organization filter it comes with.
"""

from django.db import models


class EnterpriseType(models.TextChoices):
    IMPORTER = "importer", "进口企业"
    EXPORTER = "exporter", "出口企业（含跨境电商）"
    ORIGIN_CERTIFICATE = "origin_certificate", "原产地证书注册企业"
    DECLARATION_AGENT = "declaration_agent", "代理报检企业（含快件运营企业）"
    QUARANTINE_TREATMENT = "quarantine_treatment", "检疫处理单位"
    PORT_FOOD = "port_food", "口岸食品生产经营单位"
    PORT_PUBLIC_PLACE = "port_public_place", "口岸公共场所经营单位"
    SUPERVISED_WAREHOUSE = "supervised_warehouse", "监管场库"
    INSPECTION_BODY = "inspection_body", "检验鉴定及认证机构"
    CONTAINER_COMPANY = "container_company", "集装箱企业"
    VESSEL = "vessel", "国际航行船舶"
    CONVEYANCE = "conveyance", "交通工具"
    NATURAL_PERSON = "natural_person", "自然人"


_ORDER = {slug: i for i, slug in enumerate(EnterpriseType.values)}


def encode_types(slugs: list[str] | tuple[str, ...] | set[str]) -> str:
    ordered = sorted(set(slugs), key=_ORDER.__getitem__)
    return ";" + ";".join(ordered) + ";" if ordered else ""


def decode_types(stored: str) -> list[str]:
    return [slug for slug in stored.split(";") if slug]


def unknown_types(slugs: list[str]) -> list[str]:
    return [slug for slug in slugs if slug not in _ORDER]
