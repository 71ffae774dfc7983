"""The demo's geography: three bureaus, their branches, and where their enterprises sit. Plausible, not official.

Organization codes follow the 6-digit CIQ pattern (xx0000 is the bureau); the area codes are the real
administrative division codes of the districts, so the generated credit codes look like local ones.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    name: str  # e.g. 福田区
    area_code: str  # GB/T 2260 code, used inside the credit code
    streets: tuple[str, ...]


@dataclass(frozen=True)
class DemoOrg:
    code: str
    name: str
    slug: str  # username prefix
    city: str  # 深圳市
    districts: tuple[District, ...]
    share: int  # relative number of enterprises registered here
    parent: str | None = None  # None: the bureau itself (it exists from `ciqcredit setup`)


SZ_FUTIAN = District("福田区", "440304", ("福华路", "深南大道", "彩田路", "福强路", "益田路"))
SZ_LUOHU = District("罗湖区", "440303", ("人民南路", "建设路", "嘉宾路", "文锦中路"))
SZ_NANSHAN = District("南山区", "440305", ("科技园南区高新南七道", "蛇口工业大道", "后海大道", "南海大道"))
SZ_YANTIAN = District("盐田区", "440308", ("沙头角深盐路", "盐田港北港区", "海山路"))
SZ_BAOAN = District("宝安区", "440306", ("福永街道凤凰路", "西乡大道", "宝安大道", "航城大道"))
SH_PUDONG = District("浦东新区", "310115", ("张江高科技园区碧波路", "世纪大道", "金桥路", "洋山港区同顺大道"))
SH_WGQ = District("浦东新区", "310115", ("外高桥保税区富特北路", "外高桥保税区日京路", "杨高北路"))
SH_XUHUI = District("徐汇区", "310104", ("漕溪北路", "肇嘉浜路", "虹桥路"))
SH_MINHANG = District("闵行区", "310112", ("紫竹科学园区东川路", "莘庄工业区申富路"))
NB_BEILUN = District("北仑区", "330206", ("新碶街道明州路", "保税区港东大道", "大碶街道庐山西路"))
NB_ZHENHAI = District("镇海区", "330211", ("骆驼街道荣吉路", "蛟川街道俞范东路", "招宝山街道车站路"))
NB_HAISHU = District("海曙区", "330203", ("中山西路", "解放南路", "望春工业园区"))
NB_YINZHOU = District("鄞州区", "330212", ("天童南路", "首南西路", "鄞州投资创业中心"))

BUREAUS: tuple[DemoOrg, ...] = (
    DemoOrg("470000", "深圳出入境检验检疫局", "sz", "深圳市", (SZ_LUOHU, SZ_NANSHAN), 3),
    DemoOrg("310000", "上海出入境检验检疫局", "sh", "上海市", (SH_XUHUI, SH_MINHANG), 3),
    DemoOrg("380000", "宁波出入境检验检疫局", "nb", "宁波市", (NB_HAISHU, NB_YINZHOU), 2),
)

BRANCHES: tuple[DemoOrg, ...] = (
    DemoOrg("475200", "皇岗出入境检验检疫局", "sz_hg", "深圳市", (SZ_FUTIAN,), 3, "470000"),
    DemoOrg("475300", "沙头角出入境检验检疫局", "sz_stj", "深圳市", (SZ_YANTIAN,), 2, "470000"),
    DemoOrg("471100", "宝安出入境检验检疫局", "sz_ba", "深圳市", (SZ_BAOAN,), 3, "470000"),
    DemoOrg("310300", "浦东出入境检验检疫局", "sh_pd", "上海市", (SH_PUDONG,), 4, "310000"),
    DemoOrg("312200", "外高桥出入境检验检疫局", "sh_wgq", "上海市", (SH_WGQ,), 3, "310000"),
    DemoOrg("380800", "北仑出入境检验检疫局", "nb_bl", "宁波市", (NB_BEILUN,), 3, "380000"),
    DemoOrg("381300", "镇海出入境检验检疫局", "nb_zh", "宁波市", (NB_ZHENHAI,), 2, "380000"),
)

ALL_ORGS: tuple[DemoOrg, ...] = BUREAUS + BRANCHES
