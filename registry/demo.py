"""The demo province: institutions, courses, learners and deposits with realistic Phichit names.

Deterministic (a seeded random generator), so the same data appears on every machine and every run.
"""

import datetime
import random

from .grades import SCALES
from .models import InstitutionKind as Kind
from .models import LearningType as LT
from .models import Level

INSTITUTIONS = [
    # code, name_th, name_en, kind, district, MOU signed on
    ("1066540101", "โรงเรียนพิจิตรพิทยาคม", "Phichit Phittayakhom School", Kind.SCHOOL, "mueang_phichit", "2023-06-15"),
    ("1066540202", "โรงเรียนตะพานหิน", "Taphan Hin School", Kind.SCHOOL, "taphan_hin", "2023-06-15"),
    ("1066540303", "โรงเรียนบางมูลนากภูมิวิทยาคม", "Bang Mun Nak Phumwitthayakhom School", Kind.SCHOOL,
     "bang_mun_nak", "2023-06-15"),
    ("1366100001", "วิทยาลัยเทคนิคพิจิตร", "Phichit Technical College", Kind.VOCATIONAL_COLLEGE, "mueang_phichit",
     "2023-06-15"),
    ("1366100002", "วิทยาลัยอาชีวศึกษาพิจิตร", "Phichit Vocational College", Kind.VOCATIONAL_COLLEGE,
     "mueang_phichit", "2023-06-15"),
    ("SKR-66010", "ศูนย์ส่งเสริมการเรียนรู้อำเภอเมืองพิจิตร", "Mueang Phichit District Learning Centre",
     Kind.NON_FORMAL_CENTRE, "mueang_phichit", "2023-06-15"),
    ("SKR-66060", "ศูนย์ส่งเสริมการเรียนรู้อำเภอโพทะเล", "Pho Thale District Learning Centre",
     Kind.NON_FORMAL_CENTRE, "pho_thale", "2023-06-15"),
    ("CC-PCT", "วิทยาลัยชุมชนพิจิตร", "Phichit Community College", Kind.UNIVERSITY, "mueang_phichit", "2023-07-03"),
    ("DSD-PCT", "สำนักงานพัฒนาฝีมือแรงงานพิจิตร", "Phichit Skill Development Office", Kind.TRAINING_PROVIDER,
     "mueang_phichit", "2023-07-03"),
    ("CE-WSP01", "วิสาหกิจชุมชนกลุ่มจักสานไม้ไผ่วังทรายพูน", "Wang Sai Phun Bamboo Weaving Community Enterprise",
     Kind.WORKPLACE, "wang_sai_phun", "2024-01-10"),
    ("CE-BNR01", "กลุ่มเกษตรอินทรีย์บึงนาราง", "Bueng Na Rang Organic Farming Group", Kind.WORKPLACE,
     "bueng_na_rang", None),
]  # fmt: skip

# code, title_th, title_en, credits, hours, level, subject group, learning type
SCHOOL_COURSES = [
    ("ท21101", "ภาษาไทย 1", "Thai Language 1", "1.5", 60, Level.LOWER_SECONDARY, "ภาษาไทย", LT.FORMAL),
    ("ค21101", "คณิตศาสตร์พื้นฐาน 1", "Basic Mathematics 1", "1.5", 60, Level.LOWER_SECONDARY, "คณิตศาสตร์", LT.FORMAL),
    ("ว21101", "วิทยาศาสตร์และเทคโนโลยี 1", "Science and Technology 1", "1.5", 60, Level.LOWER_SECONDARY,
     "วิทยาศาสตร์และเทคโนโลยี", LT.FORMAL),
    ("ส21101", "สังคมศึกษา 1", "Social Studies 1", "1.5", 60, Level.LOWER_SECONDARY, "สังคมศึกษา ศาสนา และวัฒนธรรม",
     LT.FORMAL),
    ("อ21101", "ภาษาอังกฤษพื้นฐาน 1", "Basic English 1", "1.5", 60, Level.LOWER_SECONDARY, "ภาษาต่างประเทศ",
     LT.FORMAL),
    ("พ21101", "สุขศึกษาและพลศึกษา 1", "Health and Physical Education 1", "0.5", 20, Level.LOWER_SECONDARY,
     "สุขศึกษาและพลศึกษา", LT.FORMAL),
    ("ศ21101", "ศิลปะ 1", "Arts 1", "0.5", 20, Level.LOWER_SECONDARY, "ศิลปะ", LT.FORMAL),
    ("ง21101", "การงานอาชีพ 1", "Work and Technology 1", "0.5", 20, Level.LOWER_SECONDARY, "การงานอาชีพ", LT.FORMAL),
    ("ท31101", "ภาษาไทย 4", "Thai Language 4", "1.0", 40, Level.UPPER_SECONDARY, "ภาษาไทย", LT.FORMAL),
    ("ค31201", "คณิตศาสตร์เพิ่มเติม 1", "Additional Mathematics 1", "2.0", 80, Level.UPPER_SECONDARY,
     "คณิตศาสตร์", LT.FORMAL),
    ("ว31221", "เคมี 1", "Chemistry 1", "1.5", 60, Level.UPPER_SECONDARY, "วิทยาศาสตร์และเทคโนโลยี", LT.FORMAL),
]  # fmt: skip
VOCATIONAL_COURSES = [
    ("20000-1101", "ภาษาไทยพื้นฐาน", "Basic Thai", "1.0", 18, Level.VOCATIONAL_CERTIFICATE, "สมรรถนะแกนกลาง",
     LT.FORMAL),
    ("20000-1201", "ภาษาอังกฤษในชีวิตจริง", "English for Real Life", "1.0", 36, Level.VOCATIONAL_CERTIFICATE,
     "สมรรถนะแกนกลาง", LT.FORMAL),
    ("20001-1001", "คอมพิวเตอร์และสารสนเทศเพื่องานอาชีพ", "Computers and Information for Work", "2.0", 54,
     Level.VOCATIONAL_CERTIFICATE, "สมรรถนะวิชาชีพพื้นฐาน", LT.FORMAL),
    ("20100-1001", "งานฝึกฝีมือ 1", "Basic Workshop Practice 1", "2.0", 90, Level.VOCATIONAL_CERTIFICATE,
     "สมรรถนะวิชาชีพพื้นฐาน", LT.FORMAL),
    ("20101-2001", "งานเครื่องยนต์เล็ก", "Small Engines", "3.0", 108, Level.VOCATIONAL_CERTIFICATE,
     "สมรรถนะวิชาชีพเฉพาะ", LT.FORMAL),
    ("30000-1101", "ทักษะภาษาไทยเชิงวิชาชีพ", "Professional Thai Language Skills", "3.0", 54,
     Level.HIGH_VOCATIONAL, "สมรรถนะแกนกลาง", LT.FORMAL),
    ("30001-1001", "การประยุกต์ใช้เทคโนโลยีดิจิทัลเพื่องานอาชีพ", "Digital Technology for Work", "3.0", 72,
     Level.HIGH_VOCATIONAL, "สมรรถนะวิชาชีพพื้นฐาน", LT.FORMAL),
]  # fmt: skip
NON_FORMAL_COURSES = [
    ("พท21001", "ภาษาไทย (ม.ต้น)", "Thai Language (lower secondary)", "3.0", 120, Level.LOWER_SECONDARY,
     "ทักษะการเรียนรู้", LT.NON_FORMAL),
    ("พค21001", "คณิตศาสตร์ (ม.ต้น)", "Mathematics (lower secondary)", "3.0", 120, Level.LOWER_SECONDARY,
     "ความรู้พื้นฐาน", LT.NON_FORMAL),
    ("ทช21001", "ทักษะการเรียนรู้", "Learning Skills", "3.0", 120, Level.LOWER_SECONDARY, "ทักษะการเรียนรู้",
     LT.NON_FORMAL),
    ("อช21001", "ช่องทางการขยายอาชีพ", "Widening Career Options", "2.0", 80, Level.LOWER_SECONDARY,
     "การประกอบอาชีพ", LT.NON_FORMAL),
    ("สค31001", "สังคมศึกษา (ม.ปลาย)", "Social Studies (upper secondary)", "2.0", 80, Level.UPPER_SECONDARY,
     "การพัฒนาสังคม", LT.NON_FORMAL),
    ("สกร-อช-015", "การทำขนมไทยเพื่อการค้า", "Thai Desserts for Sale", "1.0", 40, Level.SHORT_COURSE,
     "หลักสูตรระยะสั้น", LT.NON_FORMAL),
]  # fmt: skip
COLLEGE_COURSES = [
    ("GE101", "ภาษาไทยเพื่อการสื่อสาร", "Thai for Communication", "3.0", 45, Level.BACHELOR, "ศึกษาทั่วไป", LT.FORMAL),
    ("GE102", "ภาษาอังกฤษเพื่อการสื่อสาร", "English for Communication", "3.0", 45, Level.BACHELOR, "ศึกษาทั่วไป",
     LT.FORMAL),
    ("BA201", "การบัญชีเบื้องต้น", "Principles of Accounting", "3.0", 45, Level.BACHELOR, "บริหารธุรกิจ", LT.FORMAL),
    ("AG210", "การผลิตพืชอินทรีย์", "Organic Crop Production", "3.0", 75, Level.BACHELOR, "เกษตรศาสตร์", LT.FORMAL),
]  # fmt: skip
TRAINING_COURSES = [
    ("DSD-WLD-01", "ช่างเชื่อมไฟฟ้าเบื้องต้น", "Basic Arc Welding", "2.0", 60, Level.SHORT_COURSE, "ช่างอุตสาหการ",
     LT.NON_FORMAL),
    ("DSD-MTC-02", "ช่างซ่อมรถจักรยานยนต์", "Motorcycle Repair", "2.0", 60, Level.SHORT_COURSE, "ช่างยนต์",
     LT.NON_FORMAL),
    ("DSD-CMP-03", "การใช้คอมพิวเตอร์ในสำนักงาน", "Office Computing", "1.0", 30, Level.SHORT_COURSE, "คอมพิวเตอร์",
     LT.NON_FORMAL),
]  # fmt: skip
WEAVING_COURSES = [
    ("WSP-BAM-01", "การจักสานผลิตภัณฑ์จากไม้ไผ่ (ประเมินด้วยการสาธิต)", "Bamboo Weaving (assessed by demonstration)",
     "2.0", 90, Level.SHORT_COURSE, "หัตถกรรม", LT.INFORMAL),
    ("WSP-MKT-02", "การขายสินค้าชุมชนออนไลน์ (ประเมินด้วยแฟ้มสะสมงาน)", "Selling Community Products Online (portfolio)",
     "1.0", 45, Level.SHORT_COURSE, "การตลาด", LT.INFORMAL),
]  # fmt: skip
FARMING_COURSES = [
    ("BNR-ORG-01", "เกษตรอินทรีย์ในนาข้าว (ประเมินด้วยการสัมภาษณ์)", "Organic Rice Farming (assessed by interview)",
     "2.0", 90, Level.SHORT_COURSE, "เกษตรกรรม", LT.INFORMAL),
]  # fmt: skip

COURSES_BY_INSTITUTION = {
    "1066540101": SCHOOL_COURSES,
    "1066540202": SCHOOL_COURSES[:8],
    "1066540303": SCHOOL_COURSES[:5] + SCHOOL_COURSES[8:],
    "1366100001": VOCATIONAL_COURSES,
    "1366100002": VOCATIONAL_COURSES[:3] + VOCATIONAL_COURSES[5:],
    "SKR-66010": NON_FORMAL_COURSES,
    "SKR-66060": NON_FORMAL_COURSES[:4],
    "CC-PCT": COLLEGE_COURSES,
    "DSD-PCT": TRAINING_COURSES,
    "CE-WSP01": WEAVING_COURSES,
    "CE-BNR01": FARMING_COURSES,
}

MALE_NAMES = [
    "สมชาย",
    "ธนากร",
    "ณัฐวุฒิ",
    "กิตติพงษ์",
    "อนุชา",
    "ปิยะพงษ์",
    "วีรยุทธ",
    "ศุภกร",
    "ภานุวัฒน์",
    "ชยพล",
    "ธีรภัทร",
    "พงศกร",
    "ณัฐพล",
    "สุรเชษฐ์",
    "อภิสิทธิ์",
    "จักรพันธ์",
    "นพดล",
    "ประเสริฐ",
    "บุญมี",
    "สมศักดิ์",
]
FEMALE_NAMES = [
    "สุภาพร",
    "กนกวรรณ",
    "ณัฐธิดา",
    "พิมพ์ชนก",
    "ศิริพร",
    "อรอุมา",
    "ปวีณา",
    "ชนิดา",
    "วรรณภา",
    "จิราพร",
    "ธัญญารัตน์",
    "กัญญาณัฐ",
    "สุดารัตน์",
    "นภัสสร",
    "พัชราภา",
    "มาลัย",
    "บุญเรือน",
    "รัตนา",
    "ละเอียด",
    "ทองใบ",
]
LAST_NAMES = ["ใจดี", "ศรีสุข", "ทองคำ", "บุญมา", "แก้วมณี", "พรหมวงศ์", "สุขเจริญ", "วงศ์ใหญ่", "จันทร์หอม", "อินทร์แก้ว",
              "มีสุข", "เพชรรัตน์", "ทองดี", "ปัญญาดี", "นาคสวัสดิ์", "พึ่งบุญ", "เกิดผล", "รักษาทรัพย์", "ชูศรี", "คงสมบูรณ์",
              "บัวผัน", "ศรีพิจิตร", "ดวงแก้ว", "สายทอง"]  # fmt: skip

ROMAN = {"สมชาย": "Somchai", "สุภาพร": "Supaporn", "ใจดี": "Jaidee", "ศรีสุข": "Srisuk"}


def national_id(rng: random.Random) -> str:
    """A random 13-digit Thai ID with a correct check digit (see DOMAIN.md)."""
    digits = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(11)]
    total = sum(d * (13 - i) for i, d in enumerate(digits))
    check = (11 - total % 11) % 10
    return "".join(map(str, digits)) + str(check)


def completion_date(academic_year_be: int, term: int) -> datetime.date:
    """The end of a term: term 1 ends in September, term 2 in March, summer in May."""
    year = academic_year_be - 543
    return {
        1: datetime.date(year, 9, 30),
        2: datetime.date(year + 1, 3, 15),
        3: datetime.date(year + 1, 5, 20),
    }[term]


def pick_grade(rng: random.Random, scale_key: str) -> str:
    pool = {
        "basic": ["4", "4", "3.5", "3.5", "3", "3", "3", "2.5", "2.5", "2", "2", "1.5", "1", "ผ"],
        "vocational": ["4", "3.5", "3.5", "3", "3", "2.5", "2.5", "2", "2", "1.5", "1"],
        "higher": ["A", "B+", "B+", "B", "B", "C+", "C+", "C", "D+", "D"],
    }[scale_key]
    grade = rng.choice(pool)
    assert grade in SCALES[scale_key]
    return grade
