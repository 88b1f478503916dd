"""Background work: many transcripts in one PDF, with progress the registrar can watch."""

import traceback

from django.core.files.base import ContentFile
from django.db.models import Q
from django_tasks import task

from registry.models import Learner

from .models import BatchStatus, TranscriptBatch
from .rendering import merge_documents
from .services import transcript_issue_document
from .signing import sign_pdf


def batch_learners(batch: TranscriptBatch):
    """Learners with an active deposit at the batch's institution, in the chosen course or academic year."""
    condition = Q(deposits__status="active", deposits__course__institution=batch.institution_id)
    if batch.course_id:
        condition &= Q(deposits__course=batch.course_id)
    if batch.academic_year:
        condition &= Q(deposits__academic_year=batch.academic_year)
    return Learner.objects.filter(condition).distinct().order_by("first_name", "last_name", "pk")


@task()
def run_transcript_batch(batch_id: int) -> int:
    batch = TranscriptBatch.objects.select_related("requested_by").get(pk=batch_id)
    learners = list(batch_learners(batch))
    TranscriptBatch.objects.filter(pk=batch_id).update(status=BatchStatus.RUNNING, total=len(learners), done=0)
    try:
        documents = []
        for done, learner in enumerate(learners, start=1):
            _transcript, document, _pdf = transcript_issue_document(
                actor=batch.requested_by, learner=learner, lang=batch.language, official=True
            )
            documents.append(document)
            TranscriptBatch.objects.filter(pk=batch_id).update(done=done)
        batch.refresh_from_db()
        if documents:
            # Each transcript in it is recorded and signed on its own; the merged file is signed too.
            batch.file.save("batch.pdf", ContentFile(sign_pdf(merge_documents(documents))), save=False)
        batch.status = BatchStatus.DONE
        batch.save()
    except Exception:
        TranscriptBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=traceback.format_exc()[-2000:]
        )
        raise
    return len(learners)
