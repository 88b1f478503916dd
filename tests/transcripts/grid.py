"""Who may open each transcript page: the public verification, the learner's own copy, official copies, batches."""

from django.urls import reverse

from tests.grid import Expect, everyone, only

REGISTRAR = only({"registrar": 200})


def r(name, *args):
    return reverse(f"transcripts:{name}", args=args)


GRID = {
    "transcripts:verify": Expect(lambda f: r("verify", f["transcript"].verification_code), everyone(200)),
    "transcripts:mine": Expect(lambda f: r("mine"), only({"learner": 200}), method="post", data={"lang": "th"}),
    "transcripts:official": Expect(
        lambda f: r("official", f["deposit"].learner_id),
        only({"registrar": 200, "provincial": 200}),
        method="post",
        other=lambda f: r("official", f["other_deposit"].learner_id),
        other_404=("registrar",),
    ),
    # The provincial office's counter: the ID typed, by POST.
    "transcripts:official_lookup": Expect(lambda f: r("official_lookup"), only({"provincial": 200})),
    "transcripts:verify_start": Expect(lambda f: r("verify_start"), everyone(200)),
    "transcripts:issuer_pem": Expect(lambda f: r("issuer_pem"), everyone(200)),
    "transcripts:did": Expect(lambda f: r("did"), everyone(200)),
    "transcripts:status_list": Expect(lambda f: r("status_list", 1), everyone(200)),
    "transcripts:my_credentials": Expect(lambda f: r("my_credentials"), only({"learner": 200})),
    "transcripts:my_clr": Expect(lambda f: r("my_clr", "jwt"), only({"learner": 200}), method="post"),
    "transcripts:my_deposit_credential": Expect(
        lambda f: r("my_deposit_credential", f["deposit"].pk, "json"),
        only({"learner": 200}),
        other=lambda f: r("my_deposit_credential", f["other_deposit"].pk, "json"),
        other_404=("learner",),
    ),
    "transcripts:credential_import": Expect(lambda f: r("credential_import"), only({"provincial": 200})),
    "transcripts:copies": Expect(
        lambda f: r("copies", f["deposit"].learner_id),
        only({"registrar": 200, "provincial": 200}),
        other=lambda f: r("copies", f["other_deposit"].learner_id),
        other_404=("registrar",),
    ),
    "transcripts:list": Expect(lambda f: r("list"), only({"provincial": 200})),
    "transcripts:revoke": Expect(
        lambda f: r("revoke", f["transcript"].pk),
        only({"provincial": 302}),
        method="post",
        data={"reason": "ออกผิดคน"},
    ),  # fmt: skip
    "transcripts:batches": Expect(lambda f: r("batches"), REGISTRAR),
    "transcripts:batch_detail": Expect(
        lambda f: r("batch_detail", f["batch"].pk),
        REGISTRAR,
        other=lambda f: r("batch_detail", f["other_batch"].pk),
        other_404=("registrar",),
    ),
    "transcripts:batch_download": Expect(
        lambda f: r("batch_download", f["batch"].pk),
        REGISTRAR,
        other=lambda f: r("batch_download", f["other_batch"].pk),
        other_404=("registrar",),
    ),
}
