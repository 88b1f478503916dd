from django.urls import reverse

from tests.grid import Expect, only

REGISTRAR = only({"registrar": 200})
READERS = only({"registrar": 200, "learner": 200, "provincial": 200, "administrator": 200})


def r(name, *args):
    return reverse(f"registry:{name}", args=args)


GRID = {
    "registry:learners": Expect(lambda f: r("learners"), REGISTRAR),
    "registry:learner_new": Expect(lambda f: r("learner_new"), REGISTRAR),
    "registry:learner_detail": Expect(
        lambda f: r("learner_detail", f["deposit"].learner_id),
        REGISTRAR,
        other=lambda f: r("learner_detail", f["other_deposit"].learner_id),
        other_404=("registrar",),
    ),
    "registry:courses": Expect(lambda f: r("courses"), REGISTRAR),
    "registry:course_new": Expect(lambda f: r("course_new"), REGISTRAR),
    "registry:course_edit": Expect(
        lambda f: r("course_edit", f["deposit"].course_id),
        REGISTRAR,
        other=lambda f: r("course_edit", f["other_deposit"].course_id),
        other_404=("registrar",),
    ),
    "registry:deposits": Expect(lambda f: r("deposits"), REGISTRAR),
    "registry:deposits_export": Expect(lambda f: r("deposits_export", "csv"), REGISTRAR),
    "registry:deposit_new": Expect(lambda f: r("deposit_new"), REGISTRAR),
    "registry:deposit_learner": Expect(
        lambda f: r("deposit_learner"), REGISTRAR, method="post", data={"national_id": "1101700207030"}
    ),
    "registry:grade_options": Expect(
        lambda f: r("grade_options") + f"?course={f['deposit'].course_id}",
        REGISTRAR,
        other=lambda f: r("grade_options") + f"?course={f['other_deposit'].course_id}",
        other_404=("registrar",),
    ),
    "registry:course_options": Expect(
        lambda f: r("course_options") + f"?course_search=1&course={f['deposit'].course_id}", REGISTRAR
    ),
    "registry:deposit_detail": Expect(
        lambda f: r("deposit_detail", f["deposit"].pk),
        READERS,
        other=lambda f: r("deposit_detail", f["other_deposit"].pk),
        other_404=("registrar", "learner"),
    ),
    "registry:deposit_void": Expect(
        lambda f: r("deposit_void", f["deposit"].pk),
        only({"registrar": 302}),
        method="post",
        data={"reason": "ทดสอบสิทธิ์"},
        other=lambda f: r("deposit_void", f["other_deposit"].pk),
        other_404=("registrar",),
    ),
    "registry:evidence_file": Expect(
        lambda f: r("evidence_file", f["deposit"].pk, f["evidence"].pk),
        READERS,
        other=lambda f: r("evidence_file", f["other_deposit"].pk, f["other_evidence"].pk),
        other_404=("registrar", "learner"),
    ),
    "registry:activation_issue": Expect(
        lambda f: r("activation_issue", f["new_learner"].pk),
        only({"registrar": 200}),
        method="post",
        other=lambda f: r("activation_issue", f["other_deposit"].learner_id),
        other_404=("registrar",),
    ),
    "registry:institutions": Expect(lambda f: r("institutions"), only({"provincial": 200})),
    "registry:institution_new": Expect(lambda f: r("institution_new"), only({"provincial": 200})),
    "registry:institution_edit": Expect(
        lambda f: r("institution_edit", f["registrar"].institution_id), only({"provincial": 200})
    ),
    "registry:institution_users": Expect(
        lambda f: r("institution_users", f["registrar"].institution_id), only({"provincial": 200})
    ),
    "registry:user_deactivate": Expect(
        lambda f: r("user_deactivate", f["other_deposit"].recorded_by_id), only({"provincial": 302}), method="post"
    ),
    "registry:user_reactivate": Expect(
        lambda f: r("user_reactivate", f["other_deposit"].recorded_by_id), only({"provincial": 302}), method="post"
    ),
    "registry:imports": Expect(lambda f: r("imports"), REGISTRAR),
    "registry:import_detail": Expect(
        lambda f: r("import_detail", f["import"].pk),
        REGISTRAR,
        other=lambda f: r("import_detail", f["other_import"].pk),
        other_404=("registrar",),
    ),
    "registry:import_commit": Expect(
        lambda f: r("import_commit", f["import"].pk),
        only({"registrar": 302}),
        method="post",
        other=lambda f: r("import_commit", f["other_import"].pk),
        other_404=("registrar",),
    ),
    "registry:import_discard": Expect(
        lambda f: r("import_discard", f["import"].pk),
        only({"registrar": 302}),
        method="post",
        other=lambda f: r("import_discard", f["other_import"].pk),
        other_404=("registrar",),
    ),
    "registry:import_void": Expect(
        lambda f: r("import_void", f["import"].pk),
        only({"registrar": 400}),  # sent with no reason: the import's page again, asking for one
        method="post",
        other=lambda f: r("import_void", f["other_import"].pk),
        other_404=("registrar",),
    ),
    "registry:import_rejected": Expect(
        lambda f: r("import_rejected", f["import"].pk),
        REGISTRAR,
        other=lambda f: r("import_rejected", f["other_import"].pk),
        other_404=("registrar",),
    ),
    "registry:import_template": Expect(lambda f: r("import_template", "xlsx"), REGISTRAR),
}
