"""Name tables for demo data (演示数据): Ya'an's townships, sectors, project names, people.

Kept apart from ``demo`` so the generator stays readable. Townships are the 2013
divisions (before the 2019-2020 township mergers), the time the reconstruction ran.
Patterns use ``str.format`` fields filled by ``demo``: {county} full division name,
{short} its short name, {town}/{town2} township, {town_s} township without its suffix,
{village}, {group} a villagers' group number, {hamlet} a place in a village, {river},
{road}, {product}, {company} and its production {line}, {axis}/{num}/{block} the park's
street and plot names, {gov} the township government.
"""

from __future__ import annotations

PARK_CODE = "511899"

#: Share of sub-projects per division code, roughly following the damage of 20 April 2013.
DIVISION_WEIGHTS: dict[str, int] = {
    "511826": 24,  # 芦山县, the epicentre
    "511825": 14,  # 天全县
    "511802": 14,  # 雨城区
    "511827": 13,  # 宝兴县
    "511803": 12,  # 名山区
    "511822": 8,  # 荥经县
    "511823": 5,  # 汉源县
    "511824": 4,  # 石棉县
    PARK_CODE: 3,  # 芦天宝飞地产业园区
}
DEFAULT_WEIGHT = 5

#: Townships per division code; the first is the county seat (more projects land there).
TOWNS: dict[str, list[str]] = {
    "511802": ["东城街道", "西城街道", "河北街道", "青江街道", "北郊镇", "草坝镇", "合江镇", "大兴镇",
               "对岩镇", "沙坪镇", "中里镇", "上里镇", "严桥镇", "晏场镇", "多营镇", "碧峰峡镇",
               "南郊乡", "八步乡", "观化乡", "孔坪乡", "凤鸣乡", "望鱼乡"],
    "511803": ["蒙阳镇", "百丈镇", "车岭镇", "永兴镇", "马岭镇", "新店镇", "蒙顶山镇", "黑竹镇",
               "红星镇", "城东乡", "前进乡", "中峰乡", "联江乡", "廖场乡", "万古乡", "红岩乡",
               "双河乡", "建山乡", "解放乡", "茅河乡"],
    "511822": ["严道镇", "花滩镇", "六合乡", "烈太乡", "安靖乡", "民建彝族乡", "烈士乡", "荥河乡",
               "新建乡", "泗坪乡", "新庙乡", "三合乡", "大田坝乡", "天凤乡", "宝峰彝族乡", "新添乡",
               "附城乡", "五宪乡", "烟竹乡", "青龙乡"],
    "511823": ["富林镇", "九襄镇", "乌斯河镇", "宜东镇", "富庄镇", "清溪镇", "大树镇", "皇木镇",
               "唐家镇", "富泉乡", "安乐乡", "前域乡", "大田乡", "河西乡", "双溪乡", "梨园乡",
               "三交乡", "马烈乡", "晒经乡", "小堡藏族彝族乡", "顺河彝族乡", "永利彝族乡"],
    "511824": ["新棉镇", "安顺场镇", "迎政乡", "美罗乡", "宰羊乡", "丰乐乡", "永和乡", "回隆彝族乡",
               "擦罗彝族乡", "先锋藏族乡", "蟹螺藏族乡", "新民藏族彝族乡", "挖角彝族藏族乡",
               "田湾彝族乡", "草科藏族乡", "栗子坪彝族乡"],
    "511825": ["城厢镇", "始阳镇", "小河乡", "思经乡", "鱼泉乡", "紫石乡", "两路乡", "大坪乡",
               "乐英乡", "多功乡", "仁义乡", "老场乡", "新华乡", "新场乡", "兴业乡"],
    "511826": ["芦阳镇", "飞仙关镇", "双石镇", "太平镇", "大川镇", "思延乡", "清仁乡", "龙门乡", "宝盛乡"],
    "511827": ["穆坪镇", "灵关镇", "陇东镇", "蜂桶寨乡", "硗碛藏族乡", "五龙乡", "大溪乡", "明礼乡", "永富乡"],
    # The park lies in 名山区; its works are named after the townships it spans.
    PARK_CODE: ["永兴镇", "城东乡", "茅河乡"],
}
GENERIC_TOWNS = ["城关镇", "新华乡", "红星乡", "团结乡", "新民乡", "和平乡"]

TOWN_SUFFIXES = ("藏族彝族乡", "彝族藏族乡", "藏族乡", "彝族乡", "街道", "镇", "乡")

RIVERS: dict[str, list[str]] = {
    "511802": ["青衣江", "周公河", "陇西河"],
    "511803": ["名山河", "临溪河", "延镇河"],
    "511822": ["荥经河", "经河"],
    "511823": ["流沙河", "大渡河"],
    "511824": ["大渡河", "南桠河", "松林河"],
    "511825": ["天全河", "白沙河"],
    "511826": ["芦山河", "玉溪河", "西川河"],
    "511827": ["宝兴河", "东河", "西河"],
}
GENERIC_RIVERS = ["青衣江"]

ROADS: dict[str, list[str]] = {
    "511802": ["G318线", "G108线", "S210线"],
    "511803": ["G318线", "G108线"],
    "511822": ["G108线"],
    "511823": ["G108线"],
    "511824": ["G108线"],
    "511825": ["G318线"],
    "511826": ["S210线"],
    "511827": ["S210线"],
}
GENERIC_ROADS = ["G318线"]

PRODUCTS: dict[str, list[str]] = {
    "511802": ["茶叶", "猕猴桃", "藏茶"],
    "511803": ["茶叶", "猕猴桃"],
    "511822": ["茶叶", "天麻", "猕猴桃"],
    "511823": ["花椒", "甜樱桃", "梨"],
    "511824": ["黄果柑", "枇杷"],
    "511825": ["川牛膝", "茶叶", "竹笋"],
    "511826": ["猕猴桃", "茶叶", "黄花"],
    "511827": ["中药材", "高山蔬菜"],
}
GENERIC_PRODUCTS = ["茶叶"]

#: Village names; each township gets a stable subset (plus the real ones known below).
VILLAGES = [
    "红星村", "新华村", "大同村", "金花村", "青龙村", "黎明村", "凤凰村", "先锋村", "光明村", "团结村",
    "和平村", "民主村", "胜利村", "双河村", "两河村", "高桥村", "白马村", "新民村", "长春村", "新村村",
    "永兴村", "庙坝村", "石桥村", "沙坝村", "水井村", "槐树村", "柏树村", "铁桥村", "中坝村", "河坝村",
    "天池村", "龙泉村", "瓦窑村", "田坝村", "黄土村", "青杠村", "箐口村", "桂花村", "楠木村", "茶园村",
    "核桃村", "坪上村", "岩脚村", "大坪村", "向阳村", "联合村", "新建村", "金鸡村", "银杏村", "竹林村",
    "三合村", "五星村", "清河村", "仁和村", "太和村", "安乐村", "复兴村", "永安村", "红岩村", "东风村",
]
KNOWN_VILLAGES: dict[str, list[str]] = {
    "龙门乡": ["古城村", "红星村", "隆兴村", "青龙村"],
}

#: Hamlets are named after the family that settled them: 王家沟, 李家坪 ...
HAMLET_SUFFIXES = ["家沟", "家湾", "家坪", "家坝", "家岩", "家山", "家河坝"]

#: Firms rebuilding or moving into the park; brand names are made up.
BRANDS = ["雅茗", "蒙顶", "青衣", "金凤", "华鑫", "鑫源", "恒升", "天汇", "川康", "锦程", "瑞丰", "兴达",
          "昌盛", "康源", "绿源", "森宝", "润泽", "佳禾", "新益", "永昌", "聚源", "盛华", "博远", "嘉禾",
          "天成", "利民", "汉邦", "中瑞", "雅康", "熊猫"]
#: (trade in the firm's name, production lines it builds)
INDUSTRIES = [
    ("茶业", ["名优绿茶生产线", "藏茶生产线", "茶叶精制加工厂"]),
    ("食品", ["农副产品加工生产线", "腊肉制品生产线", "调味品生产线"]),
    ("建材", ["新型墙体材料生产线", "商品混凝土搅拌站", "预拌砂浆生产线"]),
    ("石材", ["大理石板材生产线", "石材精深加工厂"]),
    ("药业", ["中药饮片生产线", "中药材初加工厂"]),
    ("机械", ["农机装备生产线", "机械零部件生产线"]),
    ("电子", ["电子元器件生产线", "LED照明产品生产线"]),
]
LINE_WORKS = ["建设", "扩能改造", "技术改造"]

#: (sector, weight in the plan, median investment of one sub-project in 万元, templates).
#: A template is (scope, name pattern, owner pattern, kind of parts its sub-projects get);
#: scope "county" names one facility of the county, so it repeats less often.
SECTORS: list[tuple[str, int, float, list[tuple[str, str, str, str]]]] = [
    ("城乡住房", 14, 900, [
        ("village", "{county}{town}{village}农房重建", "{gov}", "housing"),
        ("village", "{county}{town}{village}{group}组农房重建", "{gov}", "housing"),
        ("village", "{county}{town}{village}{hamlet}聚居点建设", "{gov}", "phase"),
        ("village", "{county}{town}{village}农房维修加固", "{gov}", "section"),
        ("town", "{county}{town}场镇安置小区建设", "{county}住房和城乡建设局", "building"),
        ("town", "{county}{town}城镇住房重建", "{county}住房和城乡建设局", "phase"),
    ]),
    ("城镇建设", 11, 1500, [
        ("town", "{county}{town}场镇风貌改造", "{gov}", "section"),
        ("town", "{county}{town}场镇基础设施建设", "{gov}", "section"),
        ("town", "{county}{town}污水处理厂建设", "{county}住房和城乡建设局", "building"),
        ("town", "{county}{town}场镇道路及管网恢复重建", "{county}住房和城乡建设局", "section"),
        ("county", "{county}城区道路及管网恢复重建", "{county}城乡建设投资有限公司", "section"),
    ]),
    ("公共服务", 26, 1300, [
        ("town", "{county}{town}中心小学教学楼重建", "{county}教育局", "school"),
        ("town", "{county}{town}初级中学重建", "{county}教育局", "school"),
        ("town", "{county}{town}中心幼儿园建设", "{county}教育局", "school"),
        ("town", "{county}{town}卫生院重建", "{county}卫生和计划生育局", "hospital"),
        ("town", "{county}{town}敬老院重建", "{county}民政局", "building"),
        ("town", "{county}{town}便民服务中心建设", "{gov}", "building"),
        ("village", "{county}{town}{village}村级活动场所建设", "{gov}", "building"),
        ("village", "{county}{town}{village}卫生室建设", "{county}卫生和计划生育局", "building"),
        ("county", "{short}中学重建", "{county}教育局", "school"),
        ("county", "{county}人民医院住院大楼重建", "{county}卫生和计划生育局", "hospital"),
        ("county", "{county}中医医院门诊综合楼重建", "{county}卫生和计划生育局", "hospital"),
        ("county", "{county}妇幼保健院重建", "{county}卫生和计划生育局", "hospital"),
        ("county", "{county}疾病预防控制中心业务用房重建", "{county}卫生和计划生育局", "building"),
        ("county", "{county}职业中学实训楼建设", "{county}教育局", "school"),
        ("county", "{county}社会福利院建设", "{county}民政局", "building"),
    ]),
    ("基础设施", 20, 2500, [
        ("county", "{road}{short}段灾后恢复重建工程", "雅安市交通建设投资有限公司", "road"),
        ("town", "{county}{town_s}至{town2_s}公路改造工程", "{county}交通运输局", "road"),
        ("village", "{county}{town}{village}通村公路建设", "{gov}", "road"),
        ("village", "{county}{town}{village}至{hamlet}通组公路建设", "{gov}", "road"),
        ("town", "{county}{town}{river}大桥重建", "{county}交通运输局", "section"),
        ("town", "{county}{town}集中供水工程", "{county}水务局", "section"),
        ("village", "{county}{town}{village}农村饮水安全工程", "{county}水务局", "section"),
        ("town", "{county}{town}农村电网恢复重建", "国网雅安供电公司", "section"),
        ("county", "{county}城市供水厂恢复重建", "{county}城乡建设投资有限公司", "building"),
    ]),
    ("产业重建", 10, 1200, [
        ("town", "{county}{town}{product}产业基地建设", "{county}农业局", "phase"),
        ("village", "{county}{town}{village}现代农业园区建设", "{gov}", "phase"),
        ("village", "{county}{town}{village}乡村旅游示范点建设", "{county}旅游局", "building"),
        ("town", "{county}{town}农产品加工园区建设", "{county}经济和信息化局", "phase"),
        ("county", "{county}{product}交易市场建设", "{county}商务局", "building"),
        ("town", "{company}{line}", "{company}", "phase"),
    ]),
    ("生态修复", 6, 600, [
        ("town", "{county}{town}林地生态修复", "{county}林业局", "section"),
        ("county", "{county}{river}流域生态治理", "{county}环境保护局", "section"),
        ("town", "{county}{town}大熊猫栖息地恢复", "{county}林业局", "section"),
        ("village", "{county}{town}{village}土地整理", "{county}国土资源局", "section"),
    ]),
    ("防灾减灾", 7, 550, [
        ("town", "{county}{town}河道堤防整治", "{county}水务局", "section"),
        ("town", "{county}{river}{town_s}段防洪堤工程", "{county}水务局", "section"),
        ("village", "{county}{town}{village}{hamlet}滑坡治理", "{county}国土资源局", "treat"),
        ("village", "{county}{town}{village}{hamlet}泥石流沟治理", "{county}国土资源局", "treat"),
        ("village", "{county}{town}{village}{hamlet}危岩整治", "{county}国土资源局", "treat"),
        ("town", "{county}{town}应急避难场所建设", "{county}民政局", "building"),
        ("county", "{county}防震减灾中心建设", "{county}防震减灾局", "building"),
    ]),
    ("社会管理", 3, 450, [
        ("town", "{county}{town_s}派出所业务用房重建", "{county}公安局", "building"),
        ("town", "{county}{town_s}司法所业务用房重建", "{county}司法局", "building"),
        ("town", "{county}{town_s}人民法庭重建", "{county}人民法院", "building"),
        ("county", "{county}公安局业务技术用房重建", "{county}公安局", "building"),
    ]),
    ("文化传承", 3, 500, [
        ("town", "{county}{town}综合文化站重建", "{county}文化广播影视局", "building"),
        ("village", "{county}{town}{village}传统村落保护", "{gov}", "section"),
        ("county", "{county}图书馆重建", "{county}文化广播影视局", "building"),
        ("county", "{county}文化馆重建", "{county}文化广播影视局", "building"),
        ("county", "{county}档案馆重建", "{county}档案局", "building"),
    ]),
]

#: The park gets its own works (it has no schools or farmhouses of its own).
PARK_SECTORS: list[tuple[str, int, float, list[tuple[str, str, str, str]]]] = [
    ("产业重建", 6, 3000, [
        ("town", "{county}{town_s}片区{block}区标准化厂房建设", "{county}管理委员会", "phase"),
        ("town", "{company}{line}", "{company}", "phase"),
        ("county", "{county}企业孵化中心建设", "{county}管理委员会", "building"),
    ]),
    ("基础设施", 4, 4000, [
        ("county", "{county}{axis}{num}路道路工程", "雅安发展投资有限责任公司", "road"),
        ("county", "{county}{axis}{num}路给排水管网工程", "{county}管理委员会", "section"),
        ("county", "{county}供电工程", "国网雅安供电公司", "section"),
        ("county", "{county}污水处理厂建设", "{county}管理委员会", "building"),
    ]),
    ("城乡住房", 2, 2000, [
        ("town", "{county}{town_s}片区{block}区拆迁安置房建设", "{county}管理委员会", "phase"),
    ]),
    ("公共服务", 1, 1500, [
        ("county", "{county}综合服务中心建设", "{county}管理委员会", "building"),
    ]),
]

#: Names of the parts a master project is split into, by kind; ordered ones are numbered.
PARTS: dict[str, list[str]] = {
    "school": ["教学楼", "综合楼", "学生宿舍", "学生食堂", "运动场", "室外配套工程"],
    "hospital": ["门诊楼", "住院楼", "医技楼", "综合楼", "室外配套工程", "医疗设备购置"],
    "building": ["主体工程", "附属用房", "室外配套工程", "装饰装修工程"],
    "housing": ["统规统建", "统规自建", "维修加固", "配套基础设施"],
    "road": ["路基工程", "路面工程", "桥涵工程", "交通安全设施"],
    "treat": ["治理工程", "监测预警设施", "排危除险工程"],
}
ORDERED_PARTS: dict[str, list[str]] = {
    "phase": ["一期", "二期", "三期", "四期"],
    "section": ["一标段", "二标段", "三标段", "四标段"],
}

#: Common surnames, most frequent first (weights fall off with rank).
SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷"
    "钱汤尹黎易常武乔贺赖龚文冉"
)
GIVEN_MALE = "伟强军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆建国志成林东海兵峰磊洪文德春贵"
GIVEN_FEMALE = "芳娟敏静丽艳娜霞燕玲萍红梅琴兰英秀慧洁雪倩婷颖晓琳莉蓉欢佳莹璐"

MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "177", "180", "181", "182", "183", "186", "187", "188", "189",
]
#: First three digits of 7-digit local numbers (区号 0835), roughly by division.
LANDLINE_PREFIXES: dict[str, list[str]] = {
    "511802": ["222", "223", "262", "283"],
    "511803": ["322", "323"],
    "511822": ["762", "763"],
    "511823": ["422", "423"],
    "511824": ["882", "883"],
    "511825": ["722", "723"],
    "511826": ["652", "653"],
    "511827": ["602", "603"],
    PARK_CODE: ["322", "326"],
}
GENERIC_LANDLINE = ["222"]

SUSPENDED_REMARKS = ["因规划调整停缓建", "因地质灾害隐患停缓建", "资金未落实，暂缓建设"]
NOT_STARTED_REMARKS = ["前期工作中", "正在办理用地手续", "施工招标中"]
FOREIGN_LOAN_REMARKS = ["世界银行贷款项目", "亚洲开发银行贷款项目"]
COMPLETED_REMARKS = ["已完成竣工验收", "已投入使用", "已完成竣工决算审计"]
