import pytest
from django.core.exceptions import ValidationError

from registry.identifiers import (
    clean_text,
    detect_id_type,
    format_national_id,
    mask_identifier,
    normalize_identifier,
    validate_identifier,
)

# Check digit = (11 - sum(d_i * (14 - i)) mod 11) mod 10, as in DOMAIN.md.
VALID_IDS = ["1101700207030", "3100600445562", "1234567890121"]


def check_digit(first12: str) -> int:
    return (11 - sum(int(d) * (13 - i) for i, d in enumerate(first12)) % 11) % 10


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_national_ids_are_accepted(value):
    assert check_digit(value[:12]) == int(value[12])
    assert validate_identifier(value, "citizen") == value


def test_national_id_typed_with_dashes_and_spaces_is_normalised():
    assert validate_identifier("1-1017-00207-03-0", "citizen") == "1101700207030"
    assert validate_identifier(" 1101700207030\u200b", "citizen") == "1101700207030"


@pytest.mark.parametrize("value", ["1101700207031", "1101700207039", "3100600445560"])
def test_national_id_with_a_wrong_check_digit_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        validate_identifier(value, "citizen")
    assert exc.value.code == "id_checksum"


@pytest.mark.parametrize("value", ["110170020703", "11017002070300", "11017OO207030", ""])
def test_national_id_of_the_wrong_length_or_with_letters_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        validate_identifier(value, "citizen")
    assert exc.value.code == "id_length"


@pytest.mark.parametrize("value", ["G123456789012", "g-1234-5678-9012"])
def test_g_codes_are_accepted(value):
    assert validate_identifier(value, "g_code") == "G123456789012"


@pytest.mark.parametrize("value", ["G12345678901", "G1234567890123", "X123456789012", "1234567890123", "GA23456789012"])
def test_malformed_g_codes_are_refused(value):
    with pytest.raises(ValidationError) as exc:
        validate_identifier(value, "g_code")
    assert exc.value.code == "g_code_format"


def test_passport_numbers_are_upper_cased_and_checked():
    assert validate_identifier("aa1234567", "passport") == "AA1234567"
    with pytest.raises(ValidationError):
        validate_identifier("A1", "passport")


def test_identifier_kind_is_detected():
    assert detect_id_type(normalize_identifier("1-1017-00207-03-0")) == "citizen"
    assert detect_id_type("G123456789012") == "g_code"
    assert detect_id_type("AA1234567") == "passport"


def test_national_id_is_grouped_and_masked_for_display():
    assert format_national_id("1101700207030") == "1-1017-00207-03-0"
    masked = mask_identifier("1101700207030")
    assert masked == "1-xxxx-xxxxx-03-0"
    assert "10170020" not in masked


def test_zero_width_characters_are_removed_from_thai_names():
    assert clean_text("สม\u200bชาย  ใจ\u200dดี\ufeff") == "สมชาย ใจดี"


@pytest.mark.parametrize(
    "typed, said",
    [
        # Excel's reading of a 13-digit ID in a CSV: it was answered with the rules of passport numbers.
        ("6.42045E+12", "ตารางคำนวณ"),
        ("6.42045e12", "ตารางคำนวณ"),
        # A name typed in the ID box, as on the deposit form: also answered as a wrong passport number.
        ("นายธนากร พรหมวงศ์", "ชื่อ"),
    ],
)
def test_what_is_not_an_id_at_all_is_named_for_what_it_is(typed, said):
    with pytest.raises(ValidationError) as exc:
        validate_identifier(typed, detect_id_type(normalize_identifier(typed)))
    assert said in exc.value.messages[0] and "หนังสือเดินทาง" not in exc.value.messages[0]
