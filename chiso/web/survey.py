"""The public happiness survey: the CB-HPI questionnaire as a mobile-first web form.

``/khao-sat/{wave}`` shows the form of an open wave, generated from the wave's own
methodology (the questions it will be scored with): consent first, then the respondent
(commune from the province's list, village, sex, age, ethnicity), then the questions
grouped by domain. A respondent comes with a one-time code (printed, typed in) or a
signed link; either gives one response. The answer is saved as a response of the wave
(:func:`chiso.store.surveys.save_responses`) with an instance id ``web:<uuid>``, so it
is scored with the wave like an ODK or Kobo submission.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer

from chiso.auth import (
    LINK_PREFIX,
    claim_survey_code,
    claim_survey_link,
    find_survey_code,
    link_used,
    normalise_code,
    release_survey_code,
)
from chiso.methodology import AnswerType, DemographicQuestion, Methodology, Question
from chiso.numbers import parse_number
from chiso.store import Store
from chiso.store.surveys import SurveyResponse, Wave, get_wave, list_waves, save_responses
from chiso.web.deps import snapshot_of, store_of, verify_csrf
from chiso.web.errors import NotFound
from chiso.web.templating import render

router = APIRouter(include_in_schema=False)
CHANNEL = "Phiếu trực tuyến (web)"
ACTOR = "khảo sát trực tuyến"
_SALT = "chiso-survey-link"


# --- access: a one-time code or a signed link ----------------------------------------------------


def _serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(str(request.app.state.secret_key), salt=_SALT)


def make_link_token(request: Request, wave: str) -> str:
    """A signed, single-use link token for ``wave`` (nothing is stored until it is used)."""
    return str(_serializer(request).dumps({"w": wave, "n": secrets.token_urlsafe(12)}))


def _link_nonce(request: Request, wave: str, token: str) -> str | None:
    try:
        data = _serializer(request).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != wave or not isinstance(data.get("n"), str):
        return None
    return str(data["n"])


@dataclass(frozen=True)
class Access:
    """How a respondent came: a printed code or a signed link, and the commune it is for."""

    code: str = ""
    token: str = ""
    nonce: str = ""
    commune: str = ""
    error: str = ""
    status: int = 200


def _access(request: Request, store: Store, wave: str, code: str, token: str) -> Access:
    if token:
        nonce = _link_nonce(request, wave, token)
        if nonce is None:
            return Access(error="Đường dẫn khảo sát không hợp lệ", status=403)
        if link_used(store, wave, nonce):
            return Access(error="Đường dẫn này đã được dùng để trả lời một phiếu", status=409)
        return Access(token=token, nonce=nonce)
    code = normalise_code(code)
    if not code:
        return Access(error="", status=200)
    found = find_survey_code(store, wave, code)
    if found is None:
        return Access(error=f"Mã “{code}” không đúng; hãy kiểm tra lại mã in trên phiếu mời", status=403)
    if found.used_at is not None:
        return Access(error=f"Mã “{code}” đã được dùng để trả lời một phiếu", status=409)
    return Access(code=code, commune=found.commune)


def _open_wave(store: Store, wave: str) -> Wave:
    w = get_wave(store, wave)
    if w is None or w.synthetic:
        raise NotFound(f"Không có đợt khảo sát “{wave}”", f"No survey wave “{wave}”")
    return w


# --- the form, from the methodology -----------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One question of the form: its name, text, kind and choices."""

    id: str
    text: str
    kind: str  # radio, scale, number, text, select
    choices: tuple[tuple[int, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    help: str = ""
    required: bool = True
    ends: tuple[str, str] = ("", "")


@dataclass
class Section:
    """A group of questions: the respondent, or a domain of the index."""

    id: str
    title: str
    fields: list[Field] = field(default_factory=list)


def _question_field(q: Question) -> Field:
    if q.type is AnswerType.LIKERT5:
        labels = q.labels or ("1", "2", "3", "4", "5")
        return Field(q.id, q.text, "radio", tuple(enumerate(labels, start=1)), help=q.help)
    if q.type is AnswerType.SCALE10:
        ends = (q.labels[0], q.labels[1]) if len(q.labels) == 2 else ("0", "10")
        return Field(q.id, q.text, "scale", tuple((c, str(c)) for c in range(11)), help=q.help, ends=ends)
    if q.type is AnswerType.YES_NO:
        return Field(q.id, q.text, "radio", ((1, "Có"), (0, "Không")), help=q.help)
    if q.type is AnswerType.SINGLE_CHOICE:
        return Field(q.id, q.text, "radio", tuple((o.code, o.label) for o in q.options), help=q.help)
    return Field(q.id, q.text, "number", minimum=q.minimum, maximum=q.maximum, unit=q.unit, help=q.help)


def _demographic_field(d: DemographicQuestion) -> Field:
    if d.type == "area_code":
        return Field(d.id, d.text, "select", help=d.help, required=d.required)
    if d.type == "text":
        return Field(d.id, d.text, "text", help=d.help, required=d.required)
    if d.type == "single_choice":
        return Field(
            d.id,
            d.text,
            "radio",
            tuple((o.code, o.label) for o in d.options),
            help=d.help,
            required=d.required,
        )
    if d.type == "yes_no":
        return Field(d.id, d.text, "radio", ((1, "Có"), (0, "Không")), help=d.help, required=d.required)
    return Field(
        d.id, d.text, "number", minimum=d.minimum, maximum=d.maximum, help=d.help, required=d.required
    )


def form_sections(methodology: Methodology) -> tuple[Field | None, list[Section]]:
    """The consent question, and the sections: the respondent, then one per domain."""
    consent = next((d for d in methodology.demographics if d.role == "consent"), None)
    people = Section("nguoi-tra-loi", "Thông tin về người trả lời")
    people.fields = [_demographic_field(d) for d in methodology.demographics if d.role != "consent"]
    sections = [people]
    for domain in methodology.domains:
        section = Section(domain.id, domain.name)
        seen: set[str] = set()
        for indicator in domain.indicators:
            for qid in indicator.questions:
                if qid not in seen:
                    seen.add(qid)
                    section.fields.append(_question_field(methodology.question(qid)))
        sections.append(section)
    consent_field = (
        Field(
            consent.id, consent.text, "radio", ((1, "Đồng ý trả lời"), (0, "Không đồng ý")), help=consent.help
        )
        if consent
        else None
    )
    return consent_field, sections


def _value(f: Field, raw: str) -> tuple[float | int | str | None, str]:
    """A form answer, checked: (value, "") or (None, the Vietnamese reason)."""
    text = raw.strip()
    if not text:
        return None, "cần trả lời câu này" if f.required else ""
    if f.kind == "text":
        return text[:200], ""
    if f.kind in ("radio", "scale"):
        allowed = {str(c): c for c, _ in f.choices}
        return (allowed[text], "") if text in allowed else (None, "chọn một trong các câu trả lời")
    try:
        number = parse_number(text)
    except ValueError:
        return None, "ghi một số"
    if (
        not math.isfinite(number)
        or (f.minimum is not None and number < f.minimum)
        or (f.maximum is not None and number > f.maximum)
    ):
        low = "" if f.minimum is None else f"{f.minimum:g}"
        high = "" if f.maximum is None else f"{f.maximum:g}"
        return None, f"ghi một số từ {low} đến {high}"
    return (int(number) if number.is_integer() else number), ""


def read_answers(
    methodology: Methodology, form: dict[str, str], communes: dict[str, str], fixed_commune: str = ""
) -> tuple[SurveyResponse | None, dict[str, str]]:
    """The response a submitted form makes, or the errors by question id."""
    consent, sections = form_sections(methodology)
    errors: dict[str, str] = {}
    roles = {d.id: d.role for d in methodology.demographics}
    commune, village = "", ""
    answers: dict[str, float | None] = {}
    demographics: dict[str, Any] = {}
    for section in sections:
        for f in section.fields:
            raw = form.get(f.id, "")
            if f.kind == "select":
                code = raw.strip()
                if fixed_commune and code != fixed_commune:
                    errors[f.id] = "mã mời này dành cho một xã, phường khác"
                elif code not in communes:
                    errors[f.id] = "chọn xã, phường trong danh sách"
                commune = code
                continue
            value, error = _value(f, raw)
            if error:
                errors[f.id] = error
            elif roles.get(f.id) == "cluster":
                village = str(value or "")
            elif f.id in roles:
                demographics[f.id] = value
            else:
                answers[f.id] = float(value) if isinstance(value, int | float) else None
    if errors:
        return None, errors
    extra = {"channel": CHANNEL}
    if consent is not None:
        extra[consent.id] = "1"
    response = SurveyResponse(
        f"web:{uuid.uuid4()}", commune, village, dt.datetime.now(dt.UTC), answers, demographics, extra
    )
    return response, {}


# --- pages ----------------------------------------------------------------------------------------


def _communes(request: Request, fixed: str = "") -> list[tuple[str, str]]:
    snapshot = snapshot_of(request)
    names = [(a.code, a.name) for a in snapshot.communes]
    return [(c, n) for c, n in names if c == fixed] if fixed else names


@router.get("/khao-sat", name="surveys")
def surveys_page(request: Request) -> Response:
    """The open waves, each with a box for the code printed on the invitation."""
    waves = [w for w in list_waves(store_of(request)) if w.is_open and not w.synthetic]
    return render(request, "survey_start.html", {"waves": waves, "wave": None, "error": ""}, section="survey")


def _form(
    request: Request,
    w: Wave,
    access: Access,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    consent, sections = form_sections(w.methodology())
    return render(
        request,
        "survey_form.html",
        {
            "wave": w,
            "consent": consent,
            "sections": sections,
            "communes": _communes(request, access.commune),
            "access": access,
            "values": values or {},
            "errors": errors or {},
            "count": sum(len(s.fields) for s in sections),
        },
        status_code=status_code,
        section="survey",
    )


@router.get("/khao-sat/{wave}", name="survey")
def survey_page(request: Request, wave: str, ma: str = "", t: str = "") -> Response:
    """The questionnaire of an open wave for a valid code or link; otherwise the code box."""
    store = store_of(request)
    w = _open_wave(store, wave)
    if not w.is_open:
        return render(request, "survey_closed.html", {"wave": w}, status_code=410, section="survey")
    access = _access(request, store, wave, ma[:64], t[:300])
    if not (access.code or access.nonce):
        context = {"waves": [w], "wave": w, "error": access.error, "code": ma[:64]}
        return render(request, "survey_start.html", context, status_code=access.status, section="survey")
    return _form(request, w, access)


@router.post("/khao-sat/{wave}")
async def survey_submit(request: Request, wave: str) -> Response:
    """Check the answers; save them as one response of the wave, once per code or link."""
    store = store_of(request)
    w = _open_wave(store, wave)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    verify_csrf(request, form.get("csrf_token", ""))
    if not w.is_open:
        return render(request, "survey_closed.html", {"wave": w}, status_code=410, section="survey")
    access = _access(request, store, wave, form.get("ma", "")[:64], form.get("t", "")[:300])
    if not (access.code or access.nonce):
        context = {"waves": [w], "wave": w, "error": access.error or "Cần mã mời", "code": ""}
        return render(
            request, "survey_start.html", context, status_code=access.status or 403, section="survey"
        )
    methodology = w.methodology()
    consent = next((d for d in methodology.demographics if d.role == "consent"), None)
    if consent is not None and form.get(consent.id) != "1":
        if form.get(consent.id) == "0":
            return render(request, "survey_thanks.html", {"wave": w, "declined": True}, section="survey")
        return _form(
            request, w, access, values=form, errors={consent.id: "chọn đồng ý hoặc không"}, status_code=422
        )
    communes = dict(_communes(request, access.commune))
    response, errors = read_answers(methodology, form, communes, access.commune)
    if response is None:
        return _form(request, w, access, values=form, errors=errors, status_code=422)
    claimed = (
        claim_survey_code(store, wave, access.code, instance_id=response.instance_id)
        if access.code
        else claim_survey_link(store, wave, access.nonce, instance_id=response.instance_id)
    )
    if not claimed:
        error = "Mã hoặc đường dẫn này vừa được dùng để trả lời một phiếu"
        return render(
            request,
            "survey_start.html",
            {"waves": [w], "wave": w, "error": error, "code": ""},
            status_code=409,
            section="survey",
        )
    try:
        save_responses(store, wave, [response], file_name=CHANNEL, actor=ACTOR)
    except Exception:
        release_survey_code(store, wave, access.code or f"{LINK_PREFIX}{access.nonce}")
        raise
    return RedirectResponse(f"/khao-sat/{wave}/cam-on", status_code=303)


@router.get("/khao-sat/{wave}/cam-on", name="survey_thanks")
def survey_thanks(request: Request, wave: str) -> Response:
    """Thanks after a saved response."""
    w = _open_wave(store_of(request), wave)
    return render(request, "survey_thanks.html", {"wave": w, "declined": False}, section="survey")
