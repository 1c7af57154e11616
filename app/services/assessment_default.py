"""The default assessment rule set (考核细则), modelled on the seed's 考核办法 and 考核细则.

Data, not code: installed once as version 1 with fixed uids, so every node holds the same
records; the city changes it by making and activating new versions, which travel down
with the reference data. Text is stored as written here (not translated at install), so
every node computes the very same revision of these records.

A county is scored on 100 points in seven parts; a city department (市级行业主管部门) on
the items marked for departments, over the sub-projects of its sectors in every county.
"""

from __future__ import annotations

from app.i18n import N_

NAME = N_("雅安市灾后恢复重建项目档案工作考核细则")
NOTES = N_("依据《雅安市灾后恢复重建项目档案工作考核办法》，对各县（区）、芦天宝飞地产业园区和市级有关部门"
           "的重建项目档案工作进行年度考核；可计算的项目按数据自动计分并列明扣分依据，其余由考核组评分并说明理由。")
GRADE_BANDS = [{"min": 90, "grade": N_("优秀")}, {"min": 80, "grade": N_("良好")}, {"min": 60, "grade": N_("合格")},
               {"min": 0, "grade": N_("不合格")}]

#: (code, name, sectors): a department answers for its sectors (行业领域) in every county
DEPARTMENTS = [
    ("zjj", N_("市住房城乡建设局"), ["城乡住房", "城镇建设"]),  # i18n: input vocabulary
    ("fgw", N_("市发展改革委"), ["基础设施", "产业重建"]),  # i18n: input vocabulary
    ("mzj", N_("市民政局"), ["公共服务", "社会管理"]),  # i18n: input vocabulary
    ("gtj", N_("市国土资源局"), ["生态修复", "防灾减灾"]),  # i18n: input vocabulary
    ("wgx", N_("市文化广电新闻出版局"), ["文化传承"]),  # i18n: input vocabulary
]

# (section, code, title, points, scope, kind, metric, params, guide)
ITEMS = [
    (N_("组织领导"), "1.1", N_("成立重建项目档案工作领导小组，纳入年度工作计划和目标考核"), 5, "both", "manual", "", {},
     N_("未成立领导小组扣3分；未纳入年度计划和目标考核扣2分（考核组评分，附佐证材料）")),
    (N_("组织领导"), "1.2", N_("重建子项目明确档案工作分管领导和专（兼）职档案人员"), 5, "both", "computed",
     "staff_named", {}, N_("按已明确分管领导和档案人员的子项目比例计分：得分 = 分值 × 比例")),
    (N_("制度建设"), "2.1", N_("建立项目档案管理制度和工作流程，对项目档案实行合同管理"), 4, "both", "manual", "", {},
     N_("缺管理制度扣2分；合同未明确归档要求扣2分（考核组评分）")),
    (N_("制度建设"), "2.2", N_("编制《项目档案收集范围和保管期限表》"), 6, "both", "computed", "retention_schedule", {},
     N_("按已编制保管期限表的子项目比例计分")),
    (N_("提前介入和现场指导"), "3.1", N_("项目建设初期提前介入"), 8, "both", "computed", "visited",
     {"kinds": ["early_intervention"], "exclude_statuses": ["not_started"]},
     N_("按有“提前介入”指导记录的已开工子项目比例计分")),
    (N_("提前介入和现场指导"), "3.2", N_("重建子项目现场一对一指导全覆盖"), 12, "both", "computed", "visited",
     {"kinds": [], "exclude_statuses": ["not_started"]},
     N_("按至少现场指导一次的已开工子项目比例计分")),
    (N_("问题整改"), "4.1", N_("问题台账中的问题按整改时限整改到位"), 15, "both", "computed", "overdue_problems",
     {"per_item": 1, "cap": 15}, N_("截至考核基准日超过整改时限仍未整改的问题，每个扣1分，扣完为止")),
    (N_("问题整改"), "4.2", N_("督导通报指出的问题落实整改，按时报送整改情况"), 5, "both", "manual", "", {},
     N_("通报问题未落实整改或未按时报送整改情况的，每次扣1分（考核组评分）")),
    (N_("档案验收"), "5.1", N_("档案验收一次通过率"), 10, "both", "computed", "acceptance_pass_rate", {},
     N_("按本年度作出结论的档案验收中合格的比例计分；本年度无验收的不扣分")),
    (N_("档案验收"), "5.2", N_("已完工项目完成档案验收并取得有效合格证书"), 10, "both", "computed", "certified", {},
     N_("按已完工子项目中持有有效合格证书的比例计分")),
    (N_("培训"), "6.1", N_("组织本县（区）重建项目档案业务培训（人次）"), 6, "division", "computed", "training",
     {"measure": "attendance", "target": 100}, N_("本年度县级培训参训不少于100人次；不足的按比例计分")),
    (N_("培训"), "6.2", N_("组织本县（区）重建项目档案业务培训（次数）"), 4, "division", "computed", "training",
     {"measure": "sessions", "target": 2}, N_("本年度县级培训不少于2次；不足的按比例计分")),
    (N_("报送数据"), "7.1", N_("按月向市档案局报送数据包"), 10, "division", "computed", "packages",
     {"period": "month", "per_item": 1, "cap": 10}, N_("截至考核基准日已结束的月份中，每有一个月未报送数据包扣1分，扣完为止")),
]
