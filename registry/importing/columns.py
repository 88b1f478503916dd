"""The columns of an import file, their Thai labels, and the template registrars download."""

COLUMNS = [
    "national_id",
    "prefix",
    "first_name",
    "last_name",
    "birth_date",
    "course_code",
    "course_title",
    "credits",
    "grade",
    "completed_on",
    "academic_year",
    "term",
    "learning_type",
]
THAI_LABELS = {
    "national_id": "เลขประจำตัวประชาชน",
    "prefix": "คำนำหน้า",
    "first_name": "ชื่อ",
    "last_name": "นามสกุล",
    "birth_date": "วันเกิด",
    "course_code": "รหัสวิชา",
    "course_title": "ชื่อวิชา",
    "credits": "หน่วยกิต",
    "grade": "ผลการเรียน",
    "completed_on": "วันที่เรียนจบ",
    "academic_year": "ปีการศึกษา",
    "term": "ภาคเรียน",
    "learning_type": "รูปแบบการเรียนรู้",
}
REQUIRED = ["national_id", "course_code", "grade", "completed_on", "academic_year", "term"]


def template_rows() -> list[list[str]]:
    """The downloadable template: the keys, then one example row."""
    example = ["1101700207030", "นาย", "สมชาย", "ใจดี", "2008-05-14", "ท21101", "ภาษาไทย 1", "1.5", "3.5",
               "15/03/2568", "2567", "2", "formal"]  # fmt: skip
    return [COLUMNS, example]
