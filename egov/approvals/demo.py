"""Demo service catalogue (演示事项清单): 64 items of 17 provincial departments.

``load_demo_catalogue()`` is idempotent: a second run creates nothing. Each
base item (基本目录) is carried out by the department that the law assigns at
each level where the standard organisation chart (:mod:`egov.core.orgchart`)
has that department: provincial items at the provincial department, city and
county items at every city's and county's counterpart that exists. Run it
after the demo organisations (``egov.core.demo.load_demo_data``).

Legal bases name the law or regulation that sets the item up; an article is
cited only where it is certain, otherwise the law is named without one. Time
limits: where the specific law sets none, the Administrative Licensing Law's
general 20 working days (第四十二条) is the statutory limit; the promised
limits are typical of provincial "承诺时限" lists. Demo data only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from egov.approvals.catalogue import check_item
from egov.approvals.models import ServiceItem
from egov.approvals.services.catalogue import publish_item
from egov.core.models import Organisation
from egov.core.services.audit import record_audit

DEMO_ACTOR = "demo-loader"
PROVINCE, CITY, COUNTY = 1, 2, 3
HOURS = "工作日 8:30-11:30，13:30-17:00（法定节假日除外）"
CONTACT = "12345（政务服务便民热线）"
LICENSING_LAW = "《中华人民共和国行政许可法》"


@dataclass(frozen=True)
class DemoItem:
    """A base catalogue item and where it is carried out."""

    number: int
    name: str
    kind: str
    department: str  # the orgchart department key (SCJG, GA, ...)
    levels: tuple[int, ...]
    basis: str
    statutory: int
    promised: int
    applicant: str = "enterprise"  # who applies: citizen or enterprise
    materials: tuple[str, ...] = ()
    fees: tuple[tuple[str, int, str], ...] = ()
    conditions: str = ""


L = "licence"
C = "confirmation"
B = "benefit"
O = "other_power"  # noqa: E741 - the kind's one-letter key, as the others
P = "public_service"

ITEMS: tuple[DemoItem, ...] = (
    # 市场监督管理 (SCJG)
    DemoItem(
        1,
        "食品经营许可",
        L,
        "SCJG",
        (COUNTY, CITY),
        "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        20,
        10,
        materials=(
            "食品经营许可申请书",
            "营业执照或其他主体资格证明文件复印件",
            "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
            "食品安全自查、从业人员健康管理、进货查验记录等食品安全管理制度",
        ),
        conditions="具有与经营的食品品种、数量相适应的食品经营场所、设备设施和管理制度",
    ),
    DemoItem(
        2,
        "食品生产许可",
        L,
        "SCJG",
        (PROVINCE, CITY),
        "《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》",
        20,
        10,
        materials=(
            "食品生产许可申请书",
            "食品生产设备布局图和食品生产工艺流程图",
            "食品生产主要设备、设施清单",
            "食品安全管理制度文本",
        ),
    ),
    DemoItem(
        3,
        "企业设立登记",
        C,
        "SCJG",
        (PROVINCE, CITY, COUNTY),
        "《中华人民共和国公司法》；《中华人民共和国市场主体登记管理条例》",
        3,
        1,
        materials=(
            "公司登记（备案）申请书",
            "公司章程",
            "股东的主体资格文件或自然人身份证件",
            "住所使用相关文件",
            "法定代表人、董事、监事和高级管理人员的任职文件",
        ),
    ),
    DemoItem(
        4,
        "个体工商户登记",
        C,
        "SCJG",
        (COUNTY,),
        "《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》",
        3,
        1,
        applicant="citizen",
        materials=("个体工商户登记（备案）申请书", "经营者身份证明", "经营场所使用相关文件"),
    ),
    DemoItem(
        5,
        "特种设备使用登记",
        C,
        "SCJG",
        (CITY, COUNTY),
        "《中华人民共和国特种设备安全法》；《特种设备使用管理规则》",
        15,
        5,
        materials=(
            "特种设备使用登记表",
            "使用单位统一社会信用代码证明",
            "特种设备产品合格证",
            "监督检验证明",
        ),
    ),
    DemoItem(
        6,
        "药品零售企业经营许可",
        L,
        "SCJG",
        (CITY, COUNTY),
        "《中华人民共和国药品管理法》；《药品经营和使用质量监督管理办法》",
        20,
        15,
        materials=(
            "药品经营许可证申请表",
            "执业药师或者其他依法经过资格认定的药学技术人员证明",
            "经营场所、仓库平面布置图及产权或使用权证明",
            "质量管理文件目录",
        ),
    ),
    DemoItem(
        7,
        "工业产品生产许可证核发",
        L,
        "SCJG",
        (PROVINCE,),
        "《中华人民共和国工业产品生产许可证管理条例》",
        20,
        15,
        materials=("工业产品生产许可证申请书", "营业执照复印件", "产品检验报告"),
    ),
    # 公安 (GA)
    DemoItem(
        8,
        "户口迁移",
        C,
        "GA",
        (COUNTY,),
        "《中华人民共和国户口登记条例》；《黑龙江省常住户口登记管理规定》",
        20,
        5,
        applicant="citizen",
        materials=(
            "户口迁移申请表",
            "居民户口簿",
            "居民身份证",
            "合法稳定住所证明或其他迁入条件证明",
        ),
    ),
    DemoItem(
        9,
        "居民身份证申领",
        P,
        "GA",
        (COUNTY,),
        "《中华人民共和国居民身份证法》第八条",
        60,
        30,
        applicant="citizen",
        materials=("居民户口簿", "符合标准的本人相片（现场采集）"),
        fees=(
            (
                "居民身份证工本费",
                2000,
                "《中华人民共和国居民身份证法》；国家发展改革委、财政部核定的收费标准",
            ),
        ),
    ),
    DemoItem(
        10,
        "居住证申领",
        P,
        "GA",
        (COUNTY,),
        "《居住证暂行条例》",
        15,
        10,
        applicant="citizen",
        materials=("居住证申领登记表", "居民身份证", "居住证明（房屋租赁合同、房屋产权证明等）"),
    ),
    DemoItem(
        11,
        "旅馆业特种行业许可证核发",
        L,
        "GA",
        (COUNTY, CITY),
        "《旅馆业治安管理办法》；《国务院对确需保留的行政审批项目设定行政许可的决定》",
        20,
        10,
        materials=(
            "特种行业许可证申请登记表",
            "营业执照复印件",
            "法定代表人身份证明",
            "经营场所平面图及消防安全证明",
        ),
    ),
    DemoItem(
        12,
        "大型群众性活动安全许可",
        L,
        "GA",
        (CITY, COUNTY),
        "《大型群众性活动安全管理条例》",
        20,
        7,
        materials=(
            "大型群众性活动安全许可申请表",
            "活动方案及安全工作方案",
            "场所管理者同意使用的证明",
        ),
    ),
    DemoItem(
        13,
        "剧毒化学品购买许可证核发",
        L,
        "GA",
        (COUNTY,),
        "《危险化学品安全管理条例》",
        3,
        3,
        materials=(
            "剧毒化学品购买许可证申请表",
            "营业执照复印件",
            "购买剧毒化学品用途说明",
            "经办人身份证明",
        ),
    ),
    # 民政 (MZ)
    DemoItem(
        14,
        "社会团体成立登记",
        L,
        "MZ",
        (PROVINCE, CITY, COUNTY),
        "《社会团体登记管理条例》",
        60,
        30,
        materials=(
            "登记申请书",
            "业务主管单位的批准文件",
            "验资报告、场所使用权证明",
            "发起人和拟任负责人的基本情况、身份证明",
            "章程草案",
        ),
    ),
    DemoItem(
        15,
        "民办非企业单位成立登记",
        L,
        "MZ",
        (PROVINCE, CITY, COUNTY),
        "《民办非企业单位登记管理暂行条例》",
        60,
        30,
        materials=(
            "登记申请书",
            "业务主管单位的批准文件",
            "场所使用权证明",
            "验资报告",
            "拟任负责人的基本情况、身份证明",
            "章程草案",
        ),
    ),
    DemoItem(
        16,
        "结婚登记",
        C,
        "MZ",
        (COUNTY,),
        "《婚姻登记条例》；《中华人民共和国民法典》",
        1,
        1,
        applicant="citizen",
        materials=(
            "双方的居民身份证",
            "双方的户口簿",
            "本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
            "双方近期半身免冠合影照片",
        ),
    ),
    DemoItem(
        17,
        "最低生活保障审核确认",
        B,
        "MZ",
        (COUNTY,),
        "《社会救助暂行办法》；《黑龙江省最低生活保障办法》",
        30,
        20,
        applicant="citizen",
        materials=(
            "最低生活保障申请书",
            "家庭成员身份证明",
            "家庭收入和财产状况声明",
            "家庭经济状况核对授权书",
        ),
    ),
    DemoItem(
        18,
        "养老机构备案",
        O,
        "MZ",
        (CITY, COUNTY),
        "《中华人民共和国老年人权益保障法》；《养老机构管理办法》",
        5,
        3,
        materials=(
            "养老机构备案书",
            "养老机构登记证书复印件",
            "服务场所权属证明",
            "消防安全承诺书",
        ),
    ),
    # 人力资源和社会保障 (RS)
    DemoItem(
        19,
        "就业失业登记",
        P,
        "RS",
        (COUNTY, CITY),
        "《就业服务与就业管理规定》",
        5,
        1,
        applicant="citizen",
        materials=("居民身份证", "就业失业登记申请表"),
    ),
    DemoItem(
        20,
        "失业保险金申领",
        B,
        "RS",
        (COUNTY, CITY),
        "《失业保险条例》",
        10,
        5,
        applicant="citizen",
        materials=("失业保险金申领登记表", "居民身份证", "解除或终止劳动关系证明"),
    ),
    DemoItem(
        21,
        "人力资源服务许可",
        L,
        "RS",
        (PROVINCE, CITY, COUNTY),
        "《人力资源市场暂行条例》",
        20,
        10,
        materials=(
            "人力资源服务许可申请书",
            "营业执照复印件",
            "专职工作人员的学历或资格证明",
            "服务场所使用证明",
            "工作章程和管理制度",
        ),
    ),
    DemoItem(
        22,
        "劳务派遣经营许可",
        L,
        "RS",
        (CITY, COUNTY),
        "《中华人民共和国劳动合同法》；《劳务派遣行政许可实施办法》",
        20,
        10,
        materials=(
            "劳务派遣经营许可申请书",
            "营业执照复印件",
            "公司章程及验资机构出具的验资报告",
            "经营场所使用证明",
            "劳务派遣管理制度文本",
        ),
    ),
    DemoItem(
        23,
        "社会保障卡申领",
        P,
        "RS",
        (COUNTY, CITY),
        "《中华人民共和国社会保险法》",
        20,
        10,
        applicant="citizen",
        materials=("居民身份证", "本人近期免冠照片"),
    ),
    DemoItem(
        24,
        "企业职工基本养老保险待遇申领",
        B,
        "RS",
        (CITY, COUNTY),
        "《中华人民共和国社会保险法》",
        20,
        10,
        applicant="citizen",
        materials=("养老保险待遇申领表", "居民身份证", "本人银行账户信息"),
    ),
    # 自然资源 (ZRZY)
    DemoItem(
        25,
        "不动产登记（首次登记）",
        C,
        "ZRZY",
        (CITY, COUNTY),
        "《不动产登记暂行条例》",
        30,
        10,
        applicant="citizen",
        materials=(
            "不动产登记申请书",
            "申请人身份证明",
            "不动产权属来源证明材料",
            "不动产界址、空间界限、面积等材料",
        ),
        fees=(
            (
                "住宅类不动产登记费",
                8000,
                "《不动产登记暂行条例》；国家发展改革委、财政部关于不动产登记收费标准的规定",
            ),
        ),
    ),
    DemoItem(
        26,
        "不动产登记（转移登记）",
        C,
        "ZRZY",
        (CITY, COUNTY),
        "《不动产登记暂行条例》",
        30,
        5,
        applicant="citizen",
        materials=(
            "不动产登记申请书",
            "申请人身份证明",
            "不动产权属证书",
            "买卖合同等证明不动产物权发生转移的材料",
            "完税凭证",
        ),
        fees=(
            (
                "住宅类不动产登记费",
                8000,
                "《不动产登记暂行条例》；国家发展改革委、财政部关于不动产登记收费标准的规定",
            ),
        ),
    ),
    DemoItem(
        27,
        "建设用地规划许可证核发",
        L,
        "ZRZY",
        (CITY, COUNTY),
        "《中华人民共和国城乡规划法》",
        20,
        10,
        materials=(
            "建设用地规划许可申请表",
            "建设项目批准、核准或备案文件",
            "国有土地使用权出让合同",
            "建设用地红线图",
        ),
    ),
    DemoItem(
        28,
        "建设工程规划许可证核发",
        L,
        "ZRZY",
        (CITY, COUNTY),
        "《中华人民共和国城乡规划法》",
        20,
        10,
        materials=("建设工程规划许可申请表", "使用土地的有关证明文件", "建设工程设计方案"),
    ),
    DemoItem(
        29,
        "乡村建设规划许可证核发",
        L,
        "ZRZY",
        (COUNTY,),
        "《中华人民共和国城乡规划法》",
        20,
        10,
        applicant="citizen",
        materials=("乡村建设规划许可申请表", "村民委员会意见", "建设工程设计方案或农房通用图"),
    ),
    DemoItem(
        30,
        "采矿权新立登记",
        L,
        "ZRZY",
        (PROVINCE,),
        "《中华人民共和国矿产资源法》；《矿产资源开采登记管理办法》",
        40,
        20,
        materials=("采矿权申请登记书", "矿区范围图", "矿产资源开发利用方案", "环境影响评价文件"),
    ),
    # 住房和城乡建设 (ZJ)
    DemoItem(
        31,
        "建筑工程施工许可证核发",
        L,
        "ZJ",
        (CITY,),
        "《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》",
        15,
        5,
        materials=(
            "建筑工程施工许可证申请表",
            "建设工程规划许可证",
            "施工合同",
            "施工图设计文件审查合格书",
            "建设资金已经落实的承诺书",
        ),
    ),
    DemoItem(
        32,
        "建筑业企业资质核准",
        L,
        "ZJ",
        (PROVINCE, CITY),
        "《建筑业企业资质管理规定》",
        20,
        15,
        materials=(
            "建筑业企业资质申请表",
            "营业执照复印件",
            "企业章程",
            "注册建造师等技术负责人证明材料",
        ),
    ),
    DemoItem(
        33,
        "商品房预售许可",
        L,
        "ZJ",
        (CITY,),
        "《中华人民共和国城市房地产管理法》；《城市商品房预售管理办法》",
        10,
        5,
        materials=(
            "商品房预售许可申请表",
            "开发企业的营业执照和资质证书",
            "土地使用权证",
            "建设工程规划许可证和施工许可证",
            "商品房预售方案",
        ),
    ),
    DemoItem(
        34,
        "燃气经营许可证核发",
        L,
        "ZJ",
        (CITY,),
        "《城镇燃气管理条例》",
        20,
        15,
        materials=(
            "燃气经营许可申请书",
            "营业执照复印件",
            "燃气设施建设工程竣工验收文件",
            "企业主要负责人、安全生产管理人员考核合格证明",
        ),
    ),
    DemoItem(
        35,
        "房地产开发企业资质核定",
        L,
        "ZJ",
        (PROVINCE, CITY),
        "《中华人民共和国城市房地产管理法》；《房地产开发企业资质管理规定》",
        20,
        10,
        materials=("房地产开发企业资质申请表", "营业执照复印件", "企业章程", "专业管理人员证明"),
    ),
    # 交通运输 (JT)
    DemoItem(
        36,
        "道路旅客运输经营许可",
        L,
        "JT",
        (PROVINCE,),
        "《中华人民共和国道路运输条例》；《道路旅客运输及客运站管理规定》",
        20,
        15,
        materials=(
            "道路旅客运输经营申请表",
            "企业章程文本",
            "拟投入车辆承诺书",
            "驾驶人员的驾驶证和从业资格证",
            "安全生产管理制度文本",
        ),
    ),
    DemoItem(
        37,
        "道路货物运输经营许可",
        L,
        "JT",
        (PROVINCE,),
        "《中华人民共和国道路运输条例》；《道路货物运输及站场管理规定》",
        20,
        10,
        materials=(
            "道路货物运输经营申请表",
            "负责人身份证明",
            "机动车辆行驶证",
            "驾驶人员从业资格证",
            "安全生产管理制度文本",
        ),
    ),
    DemoItem(
        38,
        "公路超限运输许可",
        L,
        "JT",
        (PROVINCE,),
        "《中华人民共和国公路法》；《超限运输车辆行驶公路管理规定》",
        15,
        5,
        materials=(
            "公路超限运输申请表",
            "车辆行驶证",
            "货物的名称、外廓尺寸和质量说明",
            "运输方案",
        ),
    ),
    DemoItem(
        39,
        "出租汽车经营许可",
        L,
        "JT",
        (PROVINCE,),
        "《巡游出租汽车经营服务管理规定》",
        20,
        15,
        materials=(
            "巡游出租汽车经营申请表",
            "投资人、负责人身份证明",
            "车辆及停车场地证明",
            "经营管理制度、安全生产管理制度和服务质量保障制度文本",
        ),
    ),
    # 卫生健康 (WJ)
    DemoItem(
        40,
        "医疗机构执业登记",
        L,
        "WJ",
        (PROVINCE,),
        "《医疗机构管理条例》",
        45,
        20,
        materials=(
            "医疗机构执业登记申请书",
            "医疗机构用房产权证明或使用证明",
            "医疗机构建筑设计平面图",
            "验资证明、资产评估报告",
            "规章制度",
            "医疗机构法定代表人或者主要负责人以及各科室负责人名录和有关资格证书",
        ),
    ),
    DemoItem(
        41,
        "医师执业注册",
        L,
        "WJ",
        (PROVINCE,),
        "《中华人民共和国医师法》",
        20,
        10,
        applicant="citizen",
        materials=(
            "医师执业注册申请审核表",
            "医师资格证书",
            "近6个月内的健康体检证明",
            "拟执业医疗机构的聘用证明",
        ),
    ),
    DemoItem(
        42,
        "护士执业注册",
        L,
        "WJ",
        (PROVINCE,),
        "《护士条例》；《护士执业注册管理办法》",
        20,
        10,
        applicant="citizen",
        materials=(
            "护士执业注册申请审核表",
            "护士执业资格考试成绩合格证明",
            "近6个月内的健康体检证明",
            "医疗卫生机构拟聘用的相关材料",
        ),
    ),
    DemoItem(
        43,
        "公共场所卫生许可",
        L,
        "WJ",
        (PROVINCE,),
        "《公共场所卫生管理条例》；《公共场所卫生管理条例实施细则》",
        20,
        10,
        materials=(
            "公共场所卫生许可申请表",
            "营业执照复印件",
            "公共场所地址方位示意图、平面图",
            "卫生检测报告",
            "卫生管理制度",
        ),
    ),
    DemoItem(
        44,
        "放射诊疗许可",
        L,
        "WJ",
        (PROVINCE,),
        "《放射诊疗管理规定》",
        20,
        15,
        materials=(
            "放射诊疗许可申请表",
            "医疗机构执业许可证",
            "放射诊疗设备清单",
            "放射诊疗建设项目竣工验收合格证明",
        ),
    ),
    # 教育 (JY)
    DemoItem(
        45,
        "民办学校办学许可",
        L,
        "JY",
        (PROVINCE,),
        "《中华人民共和国民办教育促进法》",
        60,
        30,
        materials=(
            "申办报告",
            "举办者的资格证明文件",
            "拟任校长的基本情况",
            "资产来源、资金数额及有效证明文件",
            "学校章程和首届董事会组成人员名单",
        ),
    ),
    DemoItem(
        46,
        "教师资格认定",
        C,
        "JY",
        (PROVINCE,),
        "《中华人民共和国教师法》；《教师资格条例》",
        30,
        20,
        applicant="citizen",
        materials=(
            "教师资格认定申请表",
            "居民身份证",
            "学历证书",
            "普通话水平测试等级证书",
            "体检合格证明",
            "教师资格考试合格证明",
        ),
    ),
    # 司法 (SF)
    DemoItem(
        47,
        "律师执业许可",
        L,
        "SF",
        (PROVINCE,),
        "《中华人民共和国律师法》；《律师执业管理办法》",
        30,
        20,
        applicant="citizen",
        materials=(
            "律师执业申请书",
            "法律职业资格证书",
            "律师协会出具的实习考核合格材料",
            "居民身份证",
            "律师事务所出具的同意接收证明",
        ),
    ),
    DemoItem(
        48,
        "司法鉴定人执业登记",
        L,
        "SF",
        (PROVINCE,),
        "《全国人民代表大会常务委员会关于司法鉴定管理问题的决定》；《司法鉴定人登记管理办法》",
        20,
        15,
        applicant="citizen",
        materials=(
            "司法鉴定人执业申请表",
            "居民身份证",
            "相关专业技术职称或执业资格证明",
            "所在司法鉴定机构出具的同意推荐意见",
        ),
    ),
    DemoItem(
        49,
        "基层法律服务工作者执业核准",
        L,
        "SF",
        (PROVINCE,),
        "《基层法律服务工作者管理办法》",
        20,
        15,
        applicant="citizen",
        materials=(
            "基层法律服务工作者执业申请表",
            "居民身份证",
            "学历证明",
            "基层法律服务所出具的同意接收证明",
        ),
    ),
    # 生态环境 (STHJ)
    DemoItem(
        50,
        "建设项目环境影响报告书审批",
        L,
        "STHJ",
        (PROVINCE,),
        "《中华人民共和国环境影响评价法》；《建设项目环境保护管理条例》",
        60,
        30,
        materials=("建设项目环境影响报告书审批申请书", "建设项目环境影响报告书", "公众参与说明"),
    ),
    DemoItem(
        51,
        "排污许可证核发",
        L,
        "STHJ",
        (PROVINCE,),
        "《排污许可管理条例》",
        20,
        15,
        materials=(
            "排污许可证申请表",
            "自行监测方案",
            "由排污单位法定代表人或者主要负责人签字的承诺书",
            "排污口和监测孔规范化设置情况说明",
        ),
    ),
    DemoItem(
        52,
        "危险废物经营许可证核发",
        L,
        "STHJ",
        (PROVINCE,),
        "《中华人民共和国固体废物污染环境防治法》；《危险废物经营许可证管理办法》",
        20,
        20,
        materials=(
            "危险废物经营许可证申请书",
            "技术人员的职称证明",
            "运输工具和包装工具证明",
            "处置设施的环境影响评价文件",
            "污染防治措施和事故应急救援措施",
        ),
    ),
    # 农业农村 (NYNC)
    DemoItem(
        53,
        "农作物种子生产经营许可",
        L,
        "NYNC",
        (PROVINCE,),
        "《中华人民共和国种子法》；《农作物种子生产经营许可管理办法》",
        20,
        15,
        materials=(
            "农作物种子生产经营许可证申请表",
            "营业执照复印件",
            "种子加工、检验设施和仪器设备清单",
            "种子检验人员、贮藏保管人员资质证明",
        ),
    ),
    DemoItem(
        54,
        "兽药经营许可证核发",
        L,
        "NYNC",
        (PROVINCE,),
        "《兽药管理条例》",
        30,
        20,
        materials=(
            "兽药经营许可证申请表",
            "兽药经营质量管理文件",
            "经营场所和仓库的权属证明",
            "质量管理人员资质证明",
        ),
    ),
    DemoItem(
        55,
        "农药经营许可",
        L,
        "NYNC",
        (PROVINCE,),
        "《农药管理条例》；《农药经营许可管理办法》",
        20,
        15,
        materials=(
            "农药经营许可申请表",
            "营业执照复印件",
            "经营人员的学历或者培训证明",
            "营业场所和仓储场所地址、面积、平面示意图",
        ),
    ),
    DemoItem(
        56,
        "动物防疫条件合格证核发",
        L,
        "NYNC",
        (PROVINCE,),
        "《中华人民共和国动物防疫法》；《动物防疫条件审查办法》",
        20,
        15,
        materials=(
            "动物防疫条件审查申请表",
            "场所地理位置图、各功能区布局平面图",
            "设施设备清单",
            "管理制度文本",
            "人员信息",
        ),
    ),
    # 商务 (SW)
    DemoItem(
        57,
        "拍卖企业设立许可",
        L,
        "SW",
        (PROVINCE,),
        "《中华人民共和国拍卖法》；《拍卖管理办法》",
        20,
        15,
        materials=(
            "拍卖企业设立申请书",
            "企业章程",
            "拍卖师资格证书",
            "固定办公场所产权证明或租赁合同",
        ),
    ),
    DemoItem(
        58,
        "报废机动车回收拆解企业资质认定",
        L,
        "SW",
        (PROVINCE,),
        "《报废机动车回收管理办法》",
        20,
        15,
        materials=(
            "资质认定申请书",
            "营业执照复印件",
            "拆解场地产权证明或租赁合同",
            "环境影响评价文件",
            "设备设施清单",
        ),
    ),
    # 应急管理 (YJ)
    DemoItem(
        59,
        "危险化学品经营许可",
        L,
        "YJ",
        (PROVINCE, CITY, COUNTY),
        "《危险化学品安全管理条例》；《危险化学品经营许可证管理办法》",
        30,
        15,
        materials=(
            "危险化学品经营许可证申请书",
            "经营和储存场所的产权或租赁证明",
            "主要负责人和安全生产管理人员的安全培训合格证明",
            "安全生产规章制度和岗位操作规程",
            "事故应急救援预案",
        ),
    ),
    DemoItem(
        60,
        "烟花爆竹经营（零售）许可",
        L,
        "YJ",
        (COUNTY,),
        "《烟花爆竹安全管理条例》；《烟花爆竹经营许可实施办法》",
        20,
        5,
        materials=(
            "烟花爆竹经营（零售）许可证申请书",
            "零售场所产权或租赁证明",
            "主要负责人安全培训合格证明",
            "安全管理制度",
        ),
    ),
    DemoItem(
        61,
        "非煤矿山企业安全生产许可",
        L,
        "YJ",
        (PROVINCE,),
        "《安全生产许可证条例》；《非煤矿矿山企业安全生产许可证实施办法》",
        45,
        30,
        materials=(
            "安全生产许可证申请书",
            "安全生产责任制和安全生产规章制度",
            "主要负责人和安全生产管理人员安全生产知识和管理能力考核合格证明",
            "安全设施验收报告",
        ),
    ),
    # 发展和改革 (FGW)
    DemoItem(
        62,
        "企业投资项目核准",
        L,
        "FGW",
        (PROVINCE, CITY),
        "《企业投资项目核准和备案管理条例》",
        20,
        15,
        materials=(
            "项目申请书",
            "城乡规划行政主管部门出具的选址意见书",
            "国土资源行政主管部门出具的用地预审意见",
        ),
    ),
    DemoItem(
        63,
        "企业投资项目备案",
        O,
        "FGW",
        (PROVINCE, CITY, COUNTY),
        "《企业投资项目核准和备案管理条例》",
        5,
        1,
        materials=("企业投资项目备案信息表",),
    ),
    # 财政 (CZ)
    DemoItem(
        64,
        "代理记账机构审批",
        L,
        "CZ",
        (PROVINCE,),
        "《中华人民共和国会计法》；《代理记账管理办法》",
        20,
        10,
        materials=(
            "代理记账资格申请表",
            "营业执照复印件",
            "专职从业人员会计专业资格证明",
            "主管代理记账业务的负责人的会计资格证明",
            "代理记账业务内部规范",
        ),
    ),
)

CITIZEN_FORM = [
    {"name": "applicant_name", "label": "申请人姓名", "type": "text", "max_length": 50},
    {"name": "resident_id", "label": "公民身份号码", "type": "resident_id"},
    {"name": "phone", "label": "联系电话", "type": "phone"},
    {"name": "region", "label": "户籍或居住地所在区县", "type": "region"},
    {"name": "address", "label": "详细地址", "type": "text", "max_length": 200},
]
ENTERPRISE_FORM = [
    {"name": "entity_name", "label": "单位名称", "type": "text", "max_length": 100},
    {"name": "credit_code", "label": "统一社会信用代码", "type": "credit_code", "required": False},
    {"name": "legal_representative", "label": "法定代表人", "type": "text", "max_length": 50},
    {"name": "phone", "label": "联系电话", "type": "phone"},
    {"name": "region", "label": "住所所在区县", "type": "region"},
    {"name": "address", "label": "住所（经营场所）", "type": "text", "max_length": 200},
]


def process_for(item: DemoItem) -> list[dict[str, Any]]:
    """受理, 审查, 决定, 办结 with limits that fit the promised limit."""
    review = max(item.promised - 3, 0)
    steps: list[dict[str, Any]] = [
        {"name": "受理", "role": "clerk", "limit_days": 1 if item.promised >= 2 else 0},
        {"name": "审查", "role": "clerk", "limit_days": review},
        {"name": "决定", "role": "leader", "limit_days": 1 if item.promised >= 3 else 0},
        {"name": "办结", "role": "clerk", "limit_days": 0},
        {"name": "送达", "role": "clerk", "limit_days": 1 if item.promised >= 1 else 0},
    ]
    return steps


def materials_for(item: DemoItem) -> list[dict[str, Any]]:
    """The item's materials: the first ones mandatory originals, supporting copies after."""
    materials = []
    for index, name in enumerate(item.materials, start=1):
        is_copy = "复印件" in name or "证明" in name
        materials.append(
            {
                "code": f"M{index:02d}",
                "name": name,
                "form": "copy" if is_copy else "original",
                "copies": 1,
                "mandatory": index <= max(len(item.materials) - 1, 1),
            }
        )
    return materials


def base_code(item: DemoItem) -> str:
    return f"{item.department}-{item.number:03d}"


def spec_for(item: DemoItem, department: Organisation) -> dict[str, Any]:
    """The catalogue spec of a base item as ``department`` carries it out."""
    window = department.short_name or department.name
    return {
        "code": f"{base_code(item)}-{department.region_id}",
        "base_code": base_code(item),
        "name": item.name,
        "kind": item.kind,
        "legal_basis": f"{item.basis}；{LICENSING_LAW}" if item.kind == L else item.basis,
        "conditions": item.conditions or "符合法律、法规规定的条件，申请材料齐全、符合法定形式",
        "statutory_limit_days": item.statutory,
        "promised_limit_days": item.promised,
        "fees": [{"name": n, "amount_fen": a, "basis": b} for n, a, b in item.fees],
        "materials": materials_for(item),
        "form_fields": CITIZEN_FORM if item.applicant == "citizen" else ENTERPRISE_FORM,
        "process": process_for(item),
        "place": f"{department.region.name}政务服务中心 {window}窗口",
        "hours": HOURS,
        "contact": CONTACT,
        "online": True,
    }


def implementing_departments() -> dict[tuple[str, int], list[Organisation]]:
    """Existing departments by (orgchart key, region level)."""
    found: dict[tuple[str, int], list[Organisation]] = {}
    rows = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).select_related("region")
    for organisation in rows:
        key = organisation.code.rsplit("-", 1)[-1]
        found.setdefault((key, organisation.region.level), []).append(organisation)
    return found


def load_demo_catalogue(actor: str = DEMO_ACTOR) -> int:
    """Load the demo catalogue for every existing department (载入演示事项); idempotent.

    Returns how many items were created. Each spec is checked by the catalogue
    rules; the items are inserted in bulk with one audit entry per run.
    """
    with transaction.atomic():
        departments = implementing_departments()
        existing = set(ServiceItem.objects.values_list("code", flat=True))
        new: list[ServiceItem] = []
        for item in ITEMS:
            for level in item.levels:
                for department in departments.get((item.department, level), []):
                    spec = spec_for(item, department)
                    if spec["code"] in existing:
                        continue
                    check_item(spec)
                    new.append(ServiceItem(department=department, is_active=True, **spec))
                    existing.add(spec["code"])
        ServiceItem.objects.bulk_create(new, batch_size=500)
        for service_item in new:
            publish_item(service_item, service_item.department, actor)
        if new:
            record_audit(
                actor=actor,
                action="approvals.ServiceItemsLoaded",
                object_type="approvals.ServiceItem",
                object_id=new[0].code,
                summary=f"{len(new)} demo catalogue items loaded",
            )
    return len(new)
