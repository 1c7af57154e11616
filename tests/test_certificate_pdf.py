"""The printed paperwork: certificate and opinion letter PDFs, batch rendering, and the command line."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
import segno
from pypdf import PdfReader

from app import cli
from app.errors import Cancelled
from app.reports import batch, certificate_pdf, opinion_letter_pdf
from app.services import acceptances, certificates, checklists, sub_projects
from app.services.tasks import CancelToken
from tests.conftest import sub_project_input

GROUP = [
    {"name": "杨建华", "unit_kind": "reconstruction_committee", "role": "leader", "vote": "agree"},
    {"name": "陈丽", "unit_kind": "archives_bureau", "unit_name": "雅安市档案局", "role": "deputy", "vote": "agree"},
    {"name": "刘强", "unit_kind": "finance_bureau", "vote": "agree"},
    {"name": "周敏", "unit_kind": "development_commission", "vote": "agree"},
    {"name": "吴刚", "unit_kind": "housing_bureau", "vote": "disagree"},
]
OPINIONS = ["补编竣工图并加盖竣工图章", "补齐监理日志 & 隐蔽工程验收记录 <2014年>"]


@pytest.fixture
def template(ws):
    return checklists.get(ws, checklists.ensure_default(ws))


def _accept(ws, template, master, lushan, n=1, *, fail=False):
    sub = sub_projects.create(ws, sub_project_input(master, lushan, code=f"511826-ZG-0001-{n:02d}",
                                                    name=f"古城村农房重建{n}期"))
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10", "application_date": "2016-04-28",
                                         "total_volumes": "125", "sampled_volumes": "10", "total_drawings": "310",
                                         "sampled_drawings": "31", "accepted_volumes": "126",
                                         "accepted_items": "1840", "accepted_drawings": "312"})
    acceptances.set_members(ws, a.uid, GROUP)
    acceptances.set_scores(ws, a.uid, {
        i.uid: ({"passed": not (fail and i.veto)} if i.kind == "pass_fail" else {"group_score": str(i.max_score)})
        for i in template.items})
    if fail:
        return acceptances.conclude(ws, a.uid, opinions=OPINIONS, rectification_deadline="2016-08-10")
    acceptances.conclude(ws, a.uid)
    return certificates.for_acceptance(ws, a.uid)[0]


@pytest.fixture
def cert(ws, template, master, lushan):
    return _accept(ws, template, master, lushan)


def _text(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_the_certificate_embeds_its_fonts_and_holds_its_facts(cert, tmp_path):
    path = tmp_path / "c.pdf"
    digest = certificate_pdf.render_certificate(cert, path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    text = _text(path)
    for expected in (cert.number, "古城村农房重建1期", "511826-ZG-0001-01", "合格", "档案验收合格证书", "扫码核验",
                     "2016年5月10日", "案卷 126 卷、文件 1840 件、竣工图 312 张", *(m["name"] for m in GROUP)):
        assert expected in text, expected
    assert "作废" not in text
    assert len(PdfReader(str(path)).pages) == 1
    # the same certificate printed again is the same file, so a copy can be checked against the stored hash
    assert certificate_pdf.render_certificate(cert, tmp_path / "again.pdf") == digest
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column


def test_the_qr_code_carries_the_views_qr_text(cert, tmp_path, monkeypatch):
    seen = []
    real = certificate_pdf.qr_matrix
    monkeypatch.setattr(certificate_pdf, "qr_matrix", lambda text: seen.append(text) or real(text))
    certificate_pdf.render_certificate(cert, tmp_path / "c.pdf")
    assert seen == [cert.qr_text] and cert.qr_text.startswith(f"YAAC1|{cert.number}|511826-ZG-0001-01|")
    assert real(cert.qr_text) == segno.make_qr(cert.qr_text, error="m").matrix


def test_the_printed_qr_modules_are_the_matrix_of_the_qr_text(cert, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    certificate_pdf.render_certificate(cert, tmp_path / "c.pdf")
    dpi, (x, y, side) = 300, certificate_pdf.QR_BOX
    k = dpi / 72
    top = (certificate_pdf.PAGE_H - y - side) * k
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-x", str(int(x * k)), "-y", str(int(top)), "-W",
                    str(int(side * k) + 2), "-H", str(int(side * k) + 2), str(tmp_path / "c.pdf"), str(tmp_path / "qr")],
                   check=True)
    [pgm] = tmp_path.glob("qr*.pgm")
    data = pgm.read_bytes()
    _magic, size, _depth, pixels = data.split(b"\n", 3)
    width = int(size.split()[0])
    matrix = segno.make_qr(cert.qr_text, error="m").matrix
    cell = side * k / len(matrix)

    def dark(row, col):  # the pixel at the centre of a module
        px = int(x * k + (col + 0.5) * cell) - int(x * k)
        py = int(top + (row + 0.5) * cell) - int(top)
        return pixels[py * width + px] < 128

    seen = [[int(dark(r, c)) for c in range(len(matrix))] for r in range(len(matrix))]
    assert seen == [list(row) for row in matrix]


def test_a_voided_certificate_prints_with_the_void_mark_and_reason(ws, cert, tmp_path):
    new = certificates.reissue(ws, cert.uid, reason="项目业主名称有误")
    certificate_pdf.render_certificate(certificates.get(ws, cert.uid), tmp_path / "old.pdf", copy_note="补打")
    text = _text(tmp_path / "old.pdf")
    assert "作废" in text and "项目业主名称有误" in text and "补打" in text
    certificate_pdf.render_certificate(new, tmp_path / "new.pdf")
    text = _text(tmp_path / "new.pdf")
    assert "作废的" in text and cert.number in text and new.number in text  # "replaces the voided ..."


def test_the_opinion_letter_of_a_fail_lists_its_rectification_and_deadline(ws, template, master, lushan, tmp_path):
    failed = _accept(ws, template, master, lushan, 2, fail=True)
    data = opinion_letter_pdf.opinion_letter_data(ws, failed.uid)
    assert data.conclusion == "fail" and [p[0] for p in data.problems] == OPINIONS
    opinion_letter_pdf.render_opinion_letter(data, tmp_path / "letter.pdf")
    text = _text(tmp_path / "letter.pdf")
    for expected in ("建设项目档案验收意见书", "不合格", "整改意见", "2016年8月10日", "补编竣工图并加盖竣工图章",
                     "补齐监理日志 & 隐蔽工程验收记录 <2014年>", "占 8.0%", "占 10.0%", "否决项 2.8",
                     *(m["name"] for m in GROUP)):
        assert expected in text.replace("\n", ""), expected


def test_the_opinion_letter_of_a_pass_names_its_certificate(ws, cert, tmp_path):
    data = opinion_letter_pdf.opinion_letter_data(ws, cert.acceptance_uid)
    assert data.conclusion == "pass" and data.problems == () and data.certificate_number == cert.number
    opinion_letter_pdf.render_opinion_letter(data, tmp_path / "letter.pdf")
    assert cert.number in _text(tmp_path / "letter.pdf") and "整改意见" not in _text(tmp_path / "letter.pdf")


def test_cli_verify_certificate(ws, cert, capsys):
    assert cli.main(["--db", str(ws.db.path), "verify-certificate", cert.qr_text]) == 0
    out = capsys.readouterr().out
    assert "真实有效" in out and cert.number in out and "杨建华" in out
    altered = cert.qr_text[:-1] + ("0" if cert.qr_text[-1] != "0" else "1")
    assert cli.main(["--db", str(ws.db.path), "verify-certificate", altered]) == 1
    assert "二维码内容与登记不符" in capsys.readouterr().err


def test_cli_certificate_by_uid_or_code_and_a_letter_for_a_fail(ws, template, master, lushan, cert, tmp_path, capsys):
    db = str(ws.db.path)
    assert cli.main(["--db", db, "certificate", cert.acceptance_uid, "--out", str(tmp_path / "a.pdf")]) == 0
    assert cert.number in capsys.readouterr().out and cert.number in _text(tmp_path / "a.pdf")
    assert certificates.get(ws, cert.uid).pdf_sha256 == hashlib.sha256((tmp_path / "a.pdf").read_bytes()).hexdigest()
    assert cli.main(["--db", db, "certificate", "511826-ZG-0001-01", "--out", str(tmp_path / "b.pdf")]) == 0
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()
    failed = _accept(ws, template, master, lushan, 2, fail=True)
    assert cli.main(["--db", db, "certificate", failed.uid, "--out", str(tmp_path / "f.pdf")]) == 0
    assert "验收意见书" in capsys.readouterr().out and "整改意见" in _text(tmp_path / "f.pdf")
    assert cli.main(["--db", db, "certificate", "no-such-thing", "--out", str(tmp_path / "x.pdf")]) == 1
    assert not (tmp_path / "x.pdf").exists()


@pytest.fixture
def six(ws, template, master, lushan):
    return [_accept(ws, template, master, lushan, n) for n in range(1, 7)]


def test_a_batch_of_six_on_two_processes_writes_six_files_and_records_their_hashes(ws, six, tmp_path):
    calls = []
    paths = batch.render_batch(ws, [c.uid for c in six], tmp_path / "out", processes=2,
                               progress=lambda done, total, _msg: calls.append((done, total)))
    assert [p.name for p in paths] == [f"{c.number}.pdf" for c in six]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    for c, path in zip(six, paths):
        assert certificates.get(ws, c.uid).pdf_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    # the workers' files are the very bytes this process renders
    assert certificate_pdf.render_certificate(six[0], tmp_path / "here.pdf") == certificates.get(ws, six[0].uid).pdf_sha256


@pytest.mark.parametrize("processes", [1, 2])
def test_a_cancelled_batch_stops_and_leaves_no_files(ws, six, tmp_path, processes):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    token = CancelToken()
    seen = []

    def progress(done, total, _msg):
        seen.append(done)
        if done == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        batch.render_batch(ws, [c.uid for c in six], out, processes=processes, cancel=token, progress=progress)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]  # no certificate, no temporary file
    assert max(seen) == 2
