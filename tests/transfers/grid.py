from django.urls import reverse

from tests.grid import Expect, everyone, only

STAFF_AND_REGISTRARS = only({"provincial": 200, "registrar": 200})
DECIDERS_TOO = only({"provincial": 200, "registrar": 200, "administrator": 200})
SIGNED_IN = only({"learner": 200, "registrar": 200, "provincial": 200, "administrator": 200})


def t(name, *args):
    return reverse(f"transfers:{name}", args=args)


GRID = {
    "transfers:guide": Expect(lambda f: t("guide"), everyone(200)),
    "transfers:rules": Expect(lambda f: t("rules"), DECIDERS_TOO),
    "transfers:rule_new": Expect(lambda f: t("rule_new"), STAFF_AND_REGISTRARS),
    "transfers:rule_courses": Expect(lambda f: t("rule_courses") + "?side=source", STAFF_AND_REGISTRARS),
    # To the next proposal to decide, or back to the list of proposals when none is left.
    "transfers:rule_next": Expect(lambda f: t("rule_next"), only({"provincial": 302, "administrator": 302})),
    "transfers:rule_detail": Expect(
        lambda f: t("rule_detail", f["rule"].pk),
        DECIDERS_TOO,
        other=lambda f: t("rule_detail", f["other_rule"].pk),
        other_404=("registrar",),
    ),
    "transfers:rule_revise": Expect(
        lambda f: t("rule_revise", f["approved_rule"].pk),
        STAFF_AND_REGISTRARS,
        other=lambda f: t("rule_revise", f["other_rule"].pk),
        other_404=("registrar",),
    ),
    "transfers:rule_decide": Expect(
        lambda f: t("rule_decide", f["rule"].pk),
        # The provincial officer proposed it and is refused (with a message); an administrator may decide it.
        only({"provincial": 302, "administrator": 302}),
        method="post",
        data={"reason": "ผ่านคณะกรรมการ", "approve": "1"},
    ),
    "transfers:rule_retire": Expect(
        lambda f: t("rule_retire", f["rule"].pk), only({"provincial": 302}), method="post", data={"reason": "เลิกใช้"}
    ),
    # The provincial officer proposed it and withdraws it; the registrar, who did not, is refused with a message.
    "transfers:rule_withdraw": Expect(
        lambda f: t("rule_withdraw", f["rule"].pk),
        only({"provincial": 302, "registrar": 302}),
        method="post",
        data={"reason": "เลือกรายวิชาผิด"},
    ),
    "transfers:programmes": Expect(lambda f: t("programmes"), STAFF_AND_REGISTRARS),
    "transfers:programme_new": Expect(lambda f: t("programme_new"), only({"registrar": 200})),
    "transfers:programme_edit": Expect(
        lambda f: t("programme_edit", f["programme"].pk),
        only({"registrar": 200}),
        other=lambda f: t("programme_edit", f["other_programme"].pk),
        other_404=("registrar",),
    ),
    "transfers:requests": Expect(lambda f: t("requests"), SIGNED_IN),
    "transfers:request_new": Expect(lambda f: t("request_new"), only({"learner": 200, "registrar": 200})),
    "transfers:request_detail": Expect(
        lambda f: t("request_detail", f["request"].pk),
        SIGNED_IN,
        other=lambda f: t("request_detail", f["other_request"].pk),
        other_404=("learner", "registrar"),
    ),
    # The learner's own request, sent already: refused on its page (400), what was typed kept.
    "transfers:request_submit": Expect(
        lambda f: t("request_submit", f["request"].pk),
        only({"learner": 400, "registrar": 404}),
        method="post",
        other=lambda f: t("request_submit", f["other_request"].pk),
        other_404=("learner",),
    ),
    # The learner's own request (the grid's registrar did not file it: 404, as for submitting it).
    "transfers:request_withdraw": Expect(
        lambda f: t("request_withdraw", f["request"].pk),
        only({"learner": 302, "registrar": 404}),
        method="post",
        other=lambda f: t("request_withdraw", f["other_request"].pk),
        other_404=("learner",),
    ),
    # Taking a course out of the learner's own draft (the grid's registrar did not file it: 404).
    "transfers:request_remove_item": Expect(
        lambda f: t("request_remove_item", f["request"].pk),
        only({"learner": 302, "registrar": 404}),
        method="post",
        other=lambda f: t("request_remove_item", f["other_request"].pk),
        other_404=("learner",),
    ),
    # Attaching with no file chosen: said next to the field (400), for the learner whose request it is.
    "transfers:request_attach": Expect(
        lambda f: t("request_attach", f["request"].pk),
        only({"learner": 400, "registrar": 404}),
        method="post",
        other=lambda f: t("request_attach", f["other_request"].pk),
        other_404=("learner",),
    ),
    "transfers:request_remove_document": Expect(
        lambda f: t("request_remove_document", f["request"].pk),
        only({"learner": 302, "registrar": 404}),
        method="post",
        other=lambda f: t("request_remove_document", f["other_request"].pk),
        other_404=("learner",),
    ),
    "transfers:request_document": Expect(
        lambda f: t("request_document", f["request"].pk, f["document"].pk),
        SIGNED_IN,
        other=lambda f: t("request_document", f["other_request"].pk, f["other_document"].pk),
        other_404=("learner", "registrar"),
    ),
    "transfers:request_review": Expect(
        lambda f: t("request_review", f["request"].pk), only({"provincial": 302}), method="post"
    ),
    "transfers:request_return": Expect(
        lambda f: t("request_return", f["request"].pk),
        only({"provincial": 302}),
        method="post",
        data={"reason": "ขอเอกสารเพิ่ม"},
    ),
    # The officer is sent on to record the item's assessment (or, with no such item, back to the request).
    "transfers:request_assess": Expect(
        lambda f: t("request_assess", f["request"].pk), only({"provincial": 302}), method="post"
    ),
    # Posted with no decisions: refused, and the page comes back with every answer kept (no redirect).
    "transfers:request_decide": Expect(
        lambda f: t("request_decide", f["request"].pk), only({"provincial": 200, "administrator": 200}), method="post"
    ),
    "transfers:queue": Expect(lambda f: t("queue"), only({"provincial": 200})),
    # To the next waiting request, or back to the queue when none is left.
    "transfers:queue_next": Expect(lambda f: t("queue_next"), only({"provincial": 302})),
    "transfers:returned": Expect(lambda f: t("returned"), only({"provincial": 200})),
    "transfers:assessment": Expect(lambda f: t("assessment", f["item"].pk), only({"provincial": 200})),
}
