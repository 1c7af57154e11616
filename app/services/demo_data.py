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

# -- Field work (现场指导、问题台账、督导、通报、培训), used by ``demo_field_work`` --------------
# Visit texts are put together as opener + one or two checks + one piece of advice; fields:
# {owner} owner unit, {lead} the unit's archive lead, {archivist} its archivist, {round}
# the supervision round, {group} the supervision group, {county} the division.

CITY_ARCHIVES_BUREAU = "雅安市档案局"
#: the archives bureau of a division; the park has none and its committee does the work
ARCHIVES_BUREAU = "{name}档案局"
ARCHIVES_BUREAU_BY_CODE: dict[str, str] = {PARK_CODE: "芦天宝飞地产业园区管理委员会"}

VISIT_OPENERS: dict[str, list[str]] = {
    "early_intervention": [
        "提前介入：到{owner}召开项目档案工作对接会，",
        "项目开工前提前介入，与分管领导{lead}、档案人员{archivist}座谈，",
        "提前介入指导：",
        "提前介入：与{owner}及设计、施工、监理单位召开项目档案工作交底会，",
    ],
    "mid_term_check": [
        "中间检查：",
        "工程基础施工阶段中间检查，",
        "工程主体施工阶段中间检查，",
        "主体完工后中间检查，",
    ],
    "ongoing_guidance": [
        "全程指导：",
        "跟踪指导：",
        "竣工验收前指导：",
        "回访指导：",
    ],
    "supervision": [
        "{round}专项督导（{group}）：",
        "{round}专项督导，{group}到现场：",
    ],
    "county_supervision": [
        "{county}重建委、档案局联合督导：",
        "{county}档案局专项督导：",
    ],
}
VISIT_CHECKS: dict[str, list[str]] = {
    "early_intervention": [
        "明确项目档案工作分管领导和专（兼）职档案人员，建立项目档案管理制度；",
        "指导按照《国家重大建设项目文件归档要求与档案整理规范》编制《项目档案收集范围和保管期限表》；",
        "要求在勘察、设计、施工、监理合同中写明项目文件的归档范围、份数、质量要求和移交时间；",
        "讲解项目立项、审批、招投标文件的收集要求；",
        "发放《雅安市“4·20”芦山强烈地震灾后恢复重建项目档案工作手册》并逐条讲解；",
    ],
    "mid_term_check": [
        "抽查施工记录、隐蔽工程验收记录和检验批质量验收记录；",
        "检查监理日志、监理月报和监理通知单的收集情况；",
        "核对原材料出厂合格证、复试报告与进场台账；",
        "查看声像档案的拍摄和整理情况；",
        "检查项目文件的预立卷和保管条件；",
    ],
    "ongoing_guidance": [
        "指导竣工图编制，逐张核对竣工图章和变更标注；",
        "指导案卷组卷、卷内目录和备考表填写；",
        "复查上次检查发现问题的整改情况；",
        "指导项目档案分类、排列和编号；",
        "指导编制项目档案验收自检报告；",
    ],
    "supervision": [
        "听取项目业主档案工作汇报，查阅档案工作机构文件和管理制度；",
        "抽查项目档案收集、整理和保管情况；",
        "重点复查上一轮督导通报问题的整改落实情况；",
        "查阅问题台账，核对整改销号情况；",
    ],
}
VISIT_ADVICE: dict[str, list[str]] = {
    "early_intervention": [
        "要求项目档案与工程建设同步安排、同步布置。",
        "要求一周内报送项目档案工作机构及人员名单。",
        "约定开工后一个月内进行首次检查。",
    ],
    "mid_term_check": [
        "现场讲解文件签字盖章要求，发现的问题列入台账，明确整改时限。",
        "要求参建单位按合同约定及时移交阶段性文件。",
        "文件收集总体与工程进度同步，部分文件收集滞后。",
        "文件收集较为齐全，整理规范，予以肯定。",
    ],
    "ongoing_guidance": [
        "要求在档案验收前完成整理并报送验收申请。",
        "前次问题已基本整改，剩余问题列入台账跟踪。",
        "档案整理进度与工程进度同步。",
    ],
    "supervision": [
        "督导意见当场反馈，问题列入督导问题清单，限期整改。",
        "对整改不力的问题将在通报中点名。",
        "要求项目业主落实整改责任人，按期报送整改情况。",
    ],
}

#: (问题描述, 整改情况) by category; {y} a year, {m1}/{m2} months, {n} a small count
PROBLEM_TEXTS: dict[str, list[tuple[str, str]]] = {
    "organisation": [
        ("未明确项目档案工作分管领导和专（兼）职档案人员", "已发文明确分管领导和专（兼）职档案人员"),
        ("档案人员变动后未办理交接手续，项目文件无人管理", "已明确新任档案人员并办理交接手续"),
        ("未成立项目档案工作机构，职责分工不明确", "已成立项目档案工作小组，明确职责分工"),
        ("档案人员未参加项目档案业务培训，不熟悉归档要求", "档案人员已参加县档案局组织的业务培训"),
        ("参建单位未指定项目文件收集整理责任人", "施工、监理单位已书面指定文件收集整理责任人"),
    ],
    "rules": [
        ("未编制项目档案收集范围和保管期限表", "已编制项目档案收集范围和保管期限表并报档案局审核"),
        ("项目档案收集范围和保管期限表未经档案部门审核", "已报县档案局审核并按审核意见修改"),
        ("未建立项目档案管理制度", "已制定项目档案管理、借阅和保密制度"),
        ("勘察、设计、施工、监理合同中未明确项目文件归档要求", "已与参建单位签订补充协议，明确归档范围和移交时间"),
        ("保管期限表仍按永久、长期、短期划分，未按新规范调整为永久、30年、10年", "已按新规范重新划定保管期限"),
    ],
    "collection": [
        ("监理日志缺少{y}年{m1}月至{m2}月部分", "已督促监理单位补齐监理日志"),
        ("施工日志缺少{y}年{m1}月至{m2}月部分", "已督促施工单位补齐施工日志"),
        ("缺少项目立项批复和可行性研究报告批复文件", "已从发改部门复制批复文件并归档"),
        ("缺少招标投标文件和中标通知书", "已从招标代理机构收集招标投标文件并归档"),
        ("原材料出厂合格证和复试报告不全，缺少{n}批次钢筋复试报告", "已补齐钢筋复试报告和出厂合格证"),
        ("缺少设计变更通知单及工程洽商记录", "已收集设计变更通知单和洽商记录并归档"),
        ("缺少图纸会审记录和设计交底记录", "已补充图纸会审记录和设计交底记录"),
        ("缺少环境影响评价和用地审批文件", "已补充收集环评批复和用地审批文件"),
        ("缺少混凝土试块强度检测报告{n}份", "已从检测机构补取检测报告"),
    ],
    "arrangement": [
        ("案卷未按规范组卷，卷内文件排列混乱", "已按规范重新组卷、排列"),
        ("卷内目录、备考表未填写", "已补填卷内目录和备考表"),
        ("项目文件未按单位工程分类整理", "已按单位工程重新分类整理"),
        ("案卷题名不规范，不能准确反映卷内文件内容", "已重拟案卷题名"),
        ("以复印件代替原件归档，且未注明原件存放处", "已收回原件归档，复印件注明原件存放处"),
        ("部分施工记录用圆珠笔填写，不符合耐久性要求", "已用碳素墨水重新誊写并由原填写人签字"),
    ],
    "as_built": [
        ("竣工图未加盖竣工图章", "已逐张加盖竣工图章"),
        ("竣工图章签字不全，缺少监理单位审核签字", "已由监理单位补签审核"),
        ("设计变更未在竣工图上标注", "已在竣工图上标注变更内容和依据"),
        ("竣工图使用复印蓝图，图面不清晰", "已重新出图编制竣工图"),
        ("未编写竣工图编制说明", "已补写竣工图编制说明"),
        ("竣工图折叠不规范，未按A4幅面折叠", "已按A4幅面重新折叠"),
    ],
    "signature": [
        ("隐蔽工程验收记录签字不全", "已由施工、监理、建设单位补签"),
        ("检验批质量验收记录缺少监理工程师签字", "已由监理工程师补签"),
        ("分部分项工程验收记录未加盖参建单位公章", "已补盖参建单位公章"),
        ("开工报审表缺少建设单位签章", "已由建设单位补签盖章"),
        ("会议纪要未经参会单位签字确认", "已由参会单位签字确认"),
        ("部分施工记录有代签、补签痕迹", "已由本人重新签认并作书面说明"),
    ],
    "storage": [
        ("档案存放在临时板房，无防火、防潮措施", "已迁入档案室，配置灭火器和除湿机"),
        ("未配置专用档案柜，项目文件散放在办公桌上", "已购置档案柜，档案集中存放"),
        ("档案室无温湿度记录", "已配置温湿度计，建立温湿度记录"),
        ("项目文件存放在施工单位，建设单位未集中保管", "已收回建设单位档案室集中保管"),
    ],
    "audio_visual": [
        ("声像档案未标注拍摄时间地点", "已补充标注拍摄时间、地点和拍摄者"),
        ("缺少隐蔽工程施工过程照片", "已从施工、监理单位收集过程照片"),
        ("照片档案未编写文字说明", "已逐张编写文字说明"),
        ("缺少工程开工、主体施工和竣工阶段的影像资料", "已补充收集各阶段影像资料"),
        ("数码照片未按要求刻录光盘备份", "已刻录光盘一式两套备份"),
    ],
    "other": [
        ("电子文件未与纸质文件同步归档", "已将电子文件与纸质文件同步归档"),
        ("项目档案整理进度明显滞后于工程进度", "已增派人员，制定整理计划并按期完成"),
        ("上次指导提出的问题未按期整改", "已逐项整改并报送整改报告"),
        ("未按要求报送项目档案工作进度表", "已按月报送项目档案工作进度表"),
    ],
}
#: 复查结论: passed, and failed (the problem goes back to 待整改)
VERIFICATION_PASSED = ["整改到位", "经复查，已整改到位", "已补齐，符合归档要求", "复查合格，同意销号"]
VERIFICATION_FAILED = ["整改不到位，仍有部分文件未补齐", "复查发现仍有部分竣工图未加盖竣工图章",
                       "签字仍不全，退回继续整改", "整改材料与要求不符，退回重新整改"]

#: 督导: round names (as the rounds are called) and as notice titles write them
ROUND_NAMES = ["首轮", "第二轮", "第三轮"]
ROUND_TITLES = ["第一轮", "第二轮", "第三轮"]
ROUND_NOTES = ["全市重建项目档案工作首轮专项督导，分片区拉网式督导",
               "第二轮专项督导，重点复查首轮通报问题的整改情况",
               "第三轮专项督导，重点复查第二轮通报问题并督促已完工项目档案验收"]
GROUP_NAMES = ["第一督导组", "第二督导组", "第三督导组"]
#: (division codes, sectors) each group covers: by area, and by sector across the city
GROUP_AREAS: list[tuple[list[str], str]] = [
    (["511802", "511803", PARK_CODE], "城乡住房、城镇建设、产业重建"),
    (["511826", "511825", "511827"], "公共服务、社会管理、文化传承"),
    (["511822", "511823", "511824"], "基础设施、生态修复、防灾减灾"),
]

NOTICE_NUMBER = "雅重建委〔2016〕{n}号"
NOTICE_TITLE = "关于全市灾后恢复重建项目档案工作{round}督导情况的通报"
NOTICE_ISSUER = "雅安市灾后恢复重建委员会、雅安市档案局"
NOTICE_RECIPIENTS = "各县（区）灾后恢复重建委员会、档案局，芦天宝飞地产业园区管委会，市级有关部门"
NOTICE_PREAMBLE = ("按照《雅安市灾后恢复重建项目档案工作专项督导方案》安排，{start}至{end}，市重建委、市档案局"
                   "组成3个督导组，由市档案局领导带队，对8个县（区）和芦天宝飞地产业园区的{n}个重建子项目档案工作"
                   "开展了{round}专项督导。{extra}现将督导情况和督导意见通报如下：")
NOTICE_PREAMBLE_RECHECK = "本轮督导对上一轮通报问题的整改落实情况进行了重点复查。"
DATE_TEXT = "{y}年{m}月{d}日"
PROJECT_QUOTE = "“{name}”"
#: a category as a notice names it
ISSUE_PHRASES: dict[str, str] = {
    "organisation": "档案工作分管领导和档案人员不明确",
    "rules": "未编制项目档案收集范围和保管期限表",
    "collection": "项目文件收集不齐全",
    "arrangement": "案卷整理不规范",
    "as_built": "竣工图编制不规范",
    "signature": "文件签字盖章不全",
    "storage": "档案保管条件差",
    "audio_visual": "声像档案收集整理不规范",
    "other": "项目档案工作滞后于工程进度",
}
#: 督导意见 pointing at problems: {division} {projects} {issue} {deadline}
OPINIONS_WITH_PROBLEMS = [
    "{division}：{projects}等项目{issue}，请督促项目业主于{deadline}前整改到位，整改情况书面报市档案局。",
    "{division}：督导发现{projects}{issue}，请于{deadline}前完成整改。",
    "{division}：{projects}{issue}，问题已列入督导问题清单，请于{deadline}前整改销号。",
]
#: general 督导意见: {division} {good} {weak} {ask} {deadline}
OPINIONS_GENERAL = [
    "{division}：重建项目档案工作领导小组和工作机构健全，{good}；但{weak}，请于{deadline}前整改。",
    "{division}：{good}，值得各县（区）学习借鉴；下一步要{ask}。",
    "{division}：{weak}，要求{ask}。",
]
OPINION_GOOD = ["示范点建设成效明显", "项目档案与工程建设同步推进", "业务培训覆盖全部项目业主单位",
                "问题台账建立规范、整改销号及时"]
OPINION_WEAK = ["部分项目档案工作滞后于工程进度", "部分项目竣工图编制不规范", "部分项目业主对档案工作重视不够"]
#: said only from the second round on
OPINION_WEAK_RECHECK = ["上轮督导问题整改不彻底", "上轮通报问题仍有个别未销号"]
OPINION_ASK = ["加强对项目业主的业务指导", "建立问题整改台账，实行销号管理", "在项目完工前完成档案整理",
               "加快推进已完工项目档案验收"]

#: 培训
#: (topic, phase): 0 the start (2013-2014), 1 building (2014-2016), 2 completion (2016)
CITY_TRAINING_TOPICS: list[tuple[str, int]] = [
    ("灾后恢复重建项目档案工作动员暨业务培训", 0),
    ("重建项目档案管理业务培训", 0),
    ("项目档案收集范围和保管期限表编制培训", 0),
    ("项目业主档案工作分管领导培训", 0),
    ("《国家重大建设项目文件归档要求与档案整理规范》专题培训", 0),
    ("监理单位项目文件归档培训", 1),
    ("施工单位项目文件归档培训", 1),
    ("重建项目声像档案收集整理培训", 1),
    ("项目档案整理实务（组卷、编目）培训", 1),
    ("竣工图编制规范培训", 1),
    ("重建项目电子文件归档培训", 1),
    ("重建项目档案示范点建设现场培训", 1),
    ("重建项目档案问题整改专题培训", 1),
    ("重建项目档案验收工作培训", 2),
    ("重建项目档案验收自检评分培训", 2),
    ("重建项目档案工作经验交流暨培训", 2),
    ("重建项目档案移交进馆培训", 2),
]
CITY_TRAINING_LOCATIONS = ["雅安市档案局会议室", "雅安市行政中心会议室", "中共雅安市委党校", "芦山县会议中心",
                           "天全县会议中心", "宝兴县会议中心", "雨城区会议中心", "名山区会议中心"]
COUNTY_TRAINING_TOPICS: list[tuple[str, int]] = [
    ("重建项目档案管理业务培训", 0),
    ("项目业主档案人员业务培训", 0),
    ("乡镇重建项目档案工作培训", 0),
    ("竣工图编制培训", 1),
    ("项目档案整理实务培训", 1),
    ("声像档案收集整理培训", 1),
    ("重建项目档案问题整改培训", 1),
    ("档案验收迎检培训", 2),
]
COUNTY_TRAINING_LOCATIONS = ["{name}档案局会议室", "{name}人民政府会议室", "{name}灾后恢复重建委员会会议室"]
PARK_TRAINING_LOCATIONS = ["芦天宝飞地产业园区管理委员会会议室"]
#: a topic held again: 竣工图编制规范培训（第2期）
TRAINING_BATCH = "{topic}（第{n}期）"
