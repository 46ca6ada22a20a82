"""Documents attached to versions: uploads checked by their bytes (each refusal clear, nothing
stored), served only to who may read them as attachments the browser neither sniffs nor keeps,
never changed once added but superseded with history, and the signed agreement that an
acceptance on paper needs."""

from __future__ import annotations

import datetime
import functools
import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from programmes import workflow
from programmes.documents import actions, checks
from programmes.models import Document, ProgrammeStatus
from tests.support.factories import (
    draft_programme,
    programme_in_status,
    representative_of,
    signed_agreement_pdf,
)

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    """Every file name the storage holds (the tests' storage is in memory)."""
    names = set()

    def walk(path):
        directories, files = default_storage.listdir(path)
        names.update(f"{path}/{name}" if path else name for name in files)
        for directory in directories:
            walk(f"{path}/{directory}" if path else directory)

    walk("")
    return names


def pdf_with_javascript() -> bytes:
    """JavaScript in the document's name tree (/Names /JavaScript), as Acrobat runs on open."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), action])}
    )
    names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    writer._root_object[NameObject("/Names")] = writer._add_object(names)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_open_action() -> bytes:
    """JavaScript as the document's open action, not in its name tree."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@functools.cache
def zip_bomb_docx() -> bytes:
    """A .docx whose one part unpacks to 200 MB of zeros (a few hundred kB packed). Made when a
    test first asks for it (a second of compression), not when the tests are collected."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                part.write(chunk)
    return buffer.getvalue()


def made(content: bytes | Callable[[], bytes]) -> bytes:
    """A test's file: the bytes given, or made by the function given."""
    return content() if callable(content) else content


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03" + b"\0" * 58 + b"\x80\0\0\0" + b"\0" * 200


class TestChecks:
    @pytest.mark.parametrize(
        ("name", "content", "says"),
        [
            ("report.pdf", ELF, "not what its name says"),
            ("letter.docx", WINDOWS_EXE, "not what its name says"),
            ("scan.png", WINDOWS_EXE, "not what its name says"),
            ("tool.exe", WINDOWS_EXE, "Attach a PDF"),
            ("note.txt", b"plain text", "Attach a PDF"),
            ("agreement.pdf", pdf_with_javascript(), "JavaScript"),
            ("agreement.pdf", pdf_with_open_action(), "JavaScript"),
            ("concept.docx", zip_bomb_docx, "would unpack"),
            ("concept.docx", signed_agreement_pdf(), "not what its name says"),
            ("../../etc/passwd.pdf", signed_agreement_pdf(), "path"),
            ("C:\\temp\\letter.pdf", signed_agreement_pdf(), "path"),
            ("letter\x00.pdf", signed_agreement_pdf(), "control characters"),
            ("letter\n.pdf", signed_agreement_pdf(), "control characters"),
            ("letter\u202egpj.pdf", signed_agreement_pdf(), "control characters"),
            ("", signed_agreement_pdf(), "no name"),
            ("empty.pdf", b"", "empty"),
            ("big.pdf", b"%PDF-1.7\n" + b"0" * checks.MAX_BYTES, "larger than"),
            ("broken.pdf", b"%PDF-1.7\nnot a pdf at all", "damaged"),
        ],
    )
    def test_refused_clearly(self, name, content, says):
        with pytest.raises(ValidationError) as refused:
            checks.check_upload(name, made(content))
        assert says in " ".join(refused.value.messages)

    @pytest.mark.parametrize(
        ("name", "content", "kind"),
        [
            ("agreement.pdf", signed_agreement_pdf(), "application/pdf"),
            ("Concept Note.DOCX", docx(), "wordprocessingml"),
            ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"),
        ],
    )
    def test_accepted(self, name, content, kind):
        checked = checks.check_upload(name, content)
        assert kind in checked.content_type
        assert checked.size == len(content)
        assert len(checked.sha256) == 64


@pytest.fixture
def approved(drafter, approver, partner):
    return programme_in_status(
        ProgrammeStatus.APPROVED, officer=drafter, approver=approver, partner=partner
    )


class TestUploadPage:
    def upload(self, client, programme, name, content, **data):
        url = reverse("programmes:document_attach", args=[programme.pk])
        form = {"kind": "letter", "title": "A letter", **data}
        return client.post(url, {**form, "file": SimpleUploadedFile(name, content)})

    @pytest.mark.parametrize(
        ("name", "content", "says"),
        [
            ("tool.pdf", WINDOWS_EXE, "not what its name says"),
            ("agreement.pdf", pdf_with_javascript(), "JavaScript"),
            ("concept.docx", zip_bomb_docx, "would unpack"),
            ("big.pdf", b"%PDF-1.7\n" + b"0" * checks.MAX_BYTES, "larger than"),
        ],
    )
    def test_refused_with_the_reason_and_nothing_stored(
        self, client_as, drafter, partner, name, content, says
    ):
        programme = draft_programme(officer=drafter, partner=partner)
        files_before = stored_files()
        response = self.upload(client_as(drafter), programme, name, made(content))
        assert response.status_code == 200
        assert says in response.text
        assert not Document.objects.exists()
        assert not Document.history.exists()
        assert stored_files() == files_before

    def test_a_name_with_a_path_is_cut_to_its_last_part_before_it_arrives(
        self, client_as, drafter, partner
    ):
        """Django's upload parser keeps the last part of a name with separators; the product
        keeps that as the file's name and stores the bytes under a name of its own."""
        programme = draft_programme(officer=drafter, partner=partner)
        response = self.upload(
            client_as(drafter), programme, "../../etc/letter.pdf", signed_agreement_pdf()
        )
        assert response.status_code == 302
        document = Document.objects.get()
        assert document.original_name == "letter.pdf"
        assert document.file.name.startswith(f"documents/{programme.lineage}/")
        assert "letter" not in document.file.name

    def test_attached_shown_and_served_as_an_attachment(self, client_as, drafter, partner, viewer):
        programme = draft_programme(officer=drafter, partner=partner)
        response = self.upload(
            client_as(drafter), programme, "Letter of intent.pdf", signed_agreement_pdf()
        )
        assert response.status_code == 302
        document = Document.objects.get()
        assert document.added_by == drafter
        assert document.audience == "internal"
        page = client_as(viewer).get(programme.get_absolute_url())
        assert "A letter" in page.text
        assert "Letter of intent.pdf" in page.text
        download = client_as(viewer).get(document.get_absolute_url())
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")
        assert "Letter%20of%20intent.pdf" in download["Content-Disposition"] or (
            'filename="Letter of intent.pdf"' in download["Content-Disposition"]
        )
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in download["Cache-Control"]
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == signed_agreement_pdf()


class TestWhoReadsThem:
    def test_a_representative_reads_the_shared_ones_only(self, drafter, partner, client_as):
        programme = draft_programme(officer=drafter, partner=partner)
        programme = workflow.share(actor=drafter, programme=programme)
        internal = actions.attach(
            actor=drafter,
            programme=programme,
            kind="letter",
            title="Internal note",
            name="internal.pdf",
            content=signed_agreement_pdf(),
        )
        shared = actions.attach(
            actor=drafter,
            programme=programme,
            kind="concept_note",
            title="Concept note",
            name="concept.pdf",
            content=signed_agreement_pdf(),
            shared=True,
        )
        representative = representative_of(partner)
        client = client_as(representative)
        assert client.get(shared.get_absolute_url()).status_code == 200
        assert client.get(internal.get_absolute_url()).status_code == 404
        page = client.get(programme.get_absolute_url()).text
        assert "Concept note" in page
        assert "Internal note" not in page

    def test_a_representative_of_another_partner_gets_404(self, drafter, partner, client_as):
        from tests.support.factories import PartnerFactory

        programme = workflow.share(
            actor=drafter, programme=draft_programme(officer=drafter, partner=partner)
        )
        shared = actions.attach(
            actor=drafter,
            programme=programme,
            kind="letter",
            title="Shared",
            name="shared.pdf",
            content=signed_agreement_pdf(),
            shared=True,
        )
        other = representative_of(PartnerFactory(name="Otherland", code="OT"))
        assert client_as(other).get(shared.get_absolute_url()).status_code == 404

    def test_a_representatives_document_is_always_shared_and_never_the_agreement(
        self, drafter, partner
    ):
        programme = workflow.share(
            actor=drafter, programme=draft_programme(officer=drafter, partner=partner)
        )
        representative = representative_of(partner)
        letter = actions.attach(
            actor=representative,
            programme=programme,
            kind="letter",
            title="Our letter",
            name="letter.pdf",
            content=signed_agreement_pdf(),
            shared=False,
        )
        assert letter.is_shared
        with pytest.raises(workflow.NotPermitted):
            actions.attach(
                actor=representative,
                programme=programme,
                kind="signed_agreement",
                title="Signed",
                name="signed.pdf",
                content=signed_agreement_pdf(),
            )


class TestSuperseding:
    def test_an_approved_versions_document_is_superseded_not_changed(self, approved, approver):
        signed = approved.documents.get()
        newer = actions.supersede(
            actor=approver,
            document=signed,
            title="Signed, second copy",
            name="signed-2.pdf",
            content=signed_agreement_pdf(),
        )
        signed.refresh_from_db()
        assert signed.superseded_by == newer
        assert newer.supersedes == signed
        assert newer.kind == signed.kind
        assert [row.history_user for row in newer.history.all()] == [approver]
        assert set(approved.documents.current()) == {newer}
        with pytest.raises(workflow.WrongStatus):
            actions.supersede(
                actor=approver,
                document=signed,
                title="Again",
                name="again.pdf",
                content=signed_agreement_pdf(),
            )


class TestPaperAcceptanceNeedsTheSignedAgreement:
    def test_refused_without_it_then_recorded_with_it(self, drafter, approver, partner):
        from tests.support.factories import UserFactory

        programme = draft_programme(officer=drafter, partner=partner)
        workflow.submit(actor=drafter, programme=programme)
        workflow.approve(actor=approver, programme=programme)
        second = UserFactory(username="second", role="Approver")
        with pytest.raises(workflow.WorkflowError, match="signed agreement"):
            workflow.record_agreement(
                actor=second,
                programme=programme,
                agreed_on=datetime.date(2026, 1, 2),
                signatory="Minister",
            )
        programme.refresh_from_db()
        assert programme.status == ProgrammeStatus.APPROVED
        actions.attach(
            actor=second,
            programme=programme,
            kind="signed_agreement",
            title="Signed",
            name="signed.pdf",
            content=signed_agreement_pdf(),
        )
        agreed = workflow.record_agreement(
            actor=second,
            programme=programme,
            agreed_on=datetime.date(2026, 1, 2),
            signatory="Minister",
        )
        assert agreed.status == ProgrammeStatus.AGREED
        assert agreed.agreement_recorded_by == second
