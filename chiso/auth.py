"""Accounts and what they may do: passwords, roles and scopes, API tokens, survey codes, publication.

**Roles.** ``admin`` manages accounts and may do everything; ``province`` (the
provincial office: Văn phòng, Thống kê) writes every figure, publishes what others
entered, resolves conflicts, loads resolutions and reads the audit log; ``agency`` (a
department, scope = its name) writes the indicators of the targets it is responsible
for, in every area; ``commune`` (scope = the commune's official code) writes figures of
its own area only. :func:`write_refusal` is the one rule, used by the web form, the
upload, the conflict resolution and the write API alike.

**Published.** A figure is public (seen without logging in) unless it belongs to an
import batch written by an ``agency`` or ``commune`` account that the provincial office
has not published yet. Figures written by ``admin`` or ``province`` accounts, by the
command line (the statistics office's imports) or shipped with chiso are published at
once. A rejected batch is hidden from everyone. The rule fails closed: a batch of a
scoped account is hidden from the moment it is written, before its review row exists.

Passwords are hashed with Argon2id (pwdlib); failed logins are counted in the database
(:func:`authenticate` refuses after :data:`MAX_FAILURES` within :data:`FAILURE_WINDOW`),
so every worker and server limits the same attempts.

The errors here are raised by the library and carry their HTTP status, like those of
:mod:`chiso.errors`, where they may move once other modules raise them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Select, and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from chiso.areas import Area
from chiso.errors import ChisoError
from chiso.indicators import Catalogue
from chiso.store.auth_models import (
    ApiTokenRow,
    BatchReviewRow,
    LoginFailureRow,
    SurveyCodeRow,
    UserRow,
)
from chiso.store.db import Store, _aware
from chiso.store.models import AuditEntry, ImportBatch, utcnow
from chiso.targets import Resolution
from chiso.text import fold, nfc

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")
MIN_PASSWORD = 10
MAX_FAILURES = 5
MAX_CLIENT_FAILURES = 30
FAILURE_WINDOW = dt.timedelta(minutes=15)
TOKEN_PREFIX = "chiso_"
PENDING, PUBLISHED, REJECTED = "pending", "published", "rejected"
REVIEW_LABELS = {PENDING: "Chờ công bố", PUBLISHED: "Đã công bố", REJECTED: "Không công bố"}

_HASHER = PasswordHash((Argon2Hasher(),))
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    """What an account is for."""

    ADMIN = "admin"
    PROVINCE = "province"
    AGENCY = "agency"
    COMMUNE = "commune"

    @property
    def label(self) -> str:
        """The Vietnamese name of the role."""
        return {
            "admin": "Quản trị hệ thống",
            "province": "Văn phòng cấp tỉnh (mọi số liệu)",
            "agency": "Sở, ban, ngành (chỉ tiêu được giao)",
            "commune": "Xã, phường (số liệu của xã)",
        }[self.value]

    @property
    def scoped(self) -> bool:
        """True for the roles limited to a scope (an agency, a commune)."""
        return self in (Role.AGENCY, Role.COMMUNE)


# --- errors ----------------------------------------------------------------------------


class InvalidCredentials(ChisoError):
    """A login with a wrong name or password."""

    status = 401

    def __init__(self) -> None:
        super().__init__("Tên đăng nhập hoặc mật khẩu không đúng", "Wrong user name or password")


class TooManyAttempts(ChisoError):
    """Too many failed logins in a short time."""

    status = 429

    def __init__(self, minutes: int) -> None:
        super().__init__(
            f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {minutes} phút",
            f"Too many failed logins; try again in {minutes} minutes",
        )
        self.minutes = minutes


class InvalidAccount(ChisoError):
    """An account cannot be created or changed as asked."""

    status = 422


class UserNotFound(ChisoError):
    """No account has this name."""

    status = 404

    def __init__(self, username: str) -> None:
        super().__init__(f"Không có tài khoản “{username}”", f"No account “{username}”")


class PermissionDenied(ChisoError):
    """The account may not do this."""

    status = 403


class InvalidToken(ChisoError):
    """A missing, unknown or revoked API token."""

    status = 401

    def __init__(self) -> None:
        super().__init__(
            "Thiếu khóa API hoặc khóa không hợp lệ (gửi tiêu đề Authorization: Bearer <khóa>)",
            "Missing or invalid API token (send Authorization: Bearer <token>)",
        )


# --- accounts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    """An account as stored (without its password hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    scope: str
    active: bool
    session_version: int
    created_at: dt.datetime | None = None
    last_login_at: dt.datetime | None = None

    @property
    def name(self) -> str:
        """The full name, else the user name."""
        return self.full_name or self.username

    @property
    def reviews(self) -> bool:
        """True for accounts that publish others' figures and resolve conflicts (admin, province)."""
        return self.role in (Role.ADMIN, Role.PROVINCE)

    @property
    def scope_label(self) -> str:
        """The scope in words."""
        if self.role is Role.AGENCY:
            return f"Cơ quan: {self.scope}"
        if self.role is Role.COMMUNE:
            return f"Mã xã, phường: {self.scope}"
        return "Toàn tỉnh"


def _user(row: UserRow) -> User:
    return User(
        row.id,
        row.username,
        row.full_name,
        Role(row.role),
        row.scope,
        row.active,
        row.session_version,
        _aware(row.created_at),
        _aware(row.last_login_at),
    )


def hash_password(password: str) -> str:
    """The Argon2id hash of a password."""
    return _HASHER.hash(password)


def verify_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash when the stored one uses old parameters."""
    try:
        return _HASHER.verify_and_update(password, password_hash)
    except Exception:  # a malformed stored hash never matches
        return False, None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidAccount(
            f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự", f"The password needs {MIN_PASSWORD}+ characters"
        )


def _check_scope(store: Store, role: Role, scope: str, agencies: Collection[str] | None) -> str:
    scope = " ".join(nfc(scope).split())
    if role is Role.COMMUNE:
        communes = {a.code: a for a in store.areas() if a.is_commune}
        if scope not in communes:
            raise InvalidAccount(
                f"Tài khoản xã cần mã xã, phường trong danh mục (không có “{scope}”)",
                f"A commune account needs a known commune code (not “{scope}”)",
            )
        return scope
    if role is Role.AGENCY:
        if not scope:
            raise InvalidAccount("Tài khoản sở, ngành cần tên cơ quan", "An agency account needs its name")
        if agencies is not None:
            known = {fold(a): a for a in agencies}
            if fold(scope) not in known:
                raise InvalidAccount(
                    f"Cơ quan “{scope}” không được giao chỉ tiêu nào; các cơ quan: "
                    + ", ".join(sorted(agencies)),
                    f"Agency “{scope}” is responsible for no target",
                )
            return known[fold(scope)]
        return scope
    return ""


def create_user(
    store: Store,
    username: str,
    password: str,
    *,
    role: Role | str,
    scope: str = "",
    full_name: str = "",
    agencies: Collection[str] | None = None,
    actor: str = "",
) -> User:
    """Create an account; ``agencies``, when given, are the names an agency scope must be one of."""
    role = _role(role)
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidAccount(
            "Tên đăng nhập gồm 3–50 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới",
            "A user name has 3–50 characters: a–z, 0–9, dot, dash, underscore",
        )
    _check_password(password)
    scope = _check_scope(store, role, scope, agencies)
    with store.session() as s:
        if s.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
            raise InvalidAccount(f"Đã có tài khoản “{username}”", f"Account “{username}” exists")
        row = UserRow(
            username=username,
            full_name=nfc(full_name.strip()),
            password_hash=hash_password(password),
            role=role.value,
            scope=scope,
            active=True,
            session_version=1,
            created_at=utcnow(),
            created_by=actor,
        )
        s.add(row)
        s.add(
            AuditEntry(
                actor=actor,
                action="insert",
                entity="user",
                entity_id=username,
                after={"role": role.value, "scope": scope, "full_name": row.full_name},
            )
        )
        s.flush()
        return _user(row)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidAccount(
            f"Vai trò “{role}” không hợp lệ; dùng: {names}", f"Unknown role; use: {names}"
        ) from None


def update_user(
    store: Store,
    username: str,
    *,
    full_name: str | None = None,
    role: Role | str | None = None,
    scope: str | None = None,
    active: bool | None = None,
    password: str | None = None,
    agencies: Collection[str] | None = None,
    actor: str = "",
) -> User:
    """Change an account; a new password, role, scope or a disabled account ends its sessions."""
    with store.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserNotFound(username)
        before = {"role": row.role, "scope": row.scope, "active": row.active, "full_name": row.full_name}
        new_role = _role(role) if role is not None else Role(row.role)
        new_scope = row.scope if scope is None and new_role.value == row.role else (scope or "")
        new_scope = _check_scope(store, new_role, new_scope, agencies)
        if password is not None:
            _check_password(password)
            row.password_hash = hash_password(password)
        if full_name is not None:
            row.full_name = nfc(full_name.strip())
        if active is not None:
            row.active = active
        row.role, row.scope = new_role.value, new_scope
        after = {"role": row.role, "scope": row.scope, "active": row.active, "full_name": row.full_name}
        ends_sessions = password is not None or any(
            before[k] != after[k] for k in ("role", "scope", "active")
        )
        if ends_sessions:
            row.session_version += 1
        if after != before or password is not None:
            s.add(
                AuditEntry(
                    actor=actor,
                    action="update",
                    entity="user",
                    entity_id=username,
                    before=before,
                    after={**after, "password_changed": password is not None},
                )
            )
        s.flush()
        return _user(row)


def get_user(store: Store, user_id: int) -> User | None:
    """The account with this id."""
    with store.session() as s:
        row = s.get(UserRow, user_id)
        return _user(row) if row is not None else None


def find_user(store: Store, username: str) -> User | None:
    """The account with this name."""
    with store.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
        return _user(row) if row is not None else None


def list_users(store: Store) -> list[User]:
    """Every account, by name."""
    with store.session() as s:
        return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]


def authenticate(store: Store, username: str, password: str, *, client: str = "") -> User:
    """The account whose name and password these are; a failed try is recorded.

    Raises :class:`TooManyAttempts` once the name (or the client) has failed too often
    within :data:`FAILURE_WINDOW`, whatever the password, and :class:`InvalidCredentials`
    for a wrong name, a wrong password or a disabled account.
    """
    name = username.strip().lower()[:100]
    client = client[:100]
    now = utcnow()
    since = now - FAILURE_WINDOW
    with store.session() as s:
        by_name = s.scalar(
            select(func.count()).where(LoginFailureRow.username == name, LoginFailureRow.at >= since)
        )
        by_client = (
            s.scalar(
                select(func.count()).where(LoginFailureRow.client == client, LoginFailureRow.at >= since)
            )
            if client
            else 0
        )
        if (by_name or 0) >= MAX_FAILURES or (by_client or 0) >= MAX_CLIENT_FAILURES:
            raise TooManyAttempts(int(FAILURE_WINDOW.total_seconds() // 60))
        row = s.scalar(select(UserRow).where(UserRow.username == name))
        ok, new_hash = verify_password(password, row.password_hash if row is not None else _DUMMY_HASH)
        user = _user(row) if row is not None and ok and row.active else None
        if row is None or user is None:
            s.add(LoginFailureRow(username=name, client=client, at=now))
            # Old failures only slow the count down; forget them after a day.
            s.execute(delete(LoginFailureRow).where(LoginFailureRow.at < now - dt.timedelta(days=1)))
        else:
            if new_hash:
                row.password_hash = new_hash
            row.last_login_at = now
            s.execute(delete(LoginFailureRow).where(LoginFailureRow.username == name))
    if user is None:
        raise InvalidCredentials()
    return user


# --- permissions -----------------------------------------------------------------------------


def indicator_agencies(resolution: Resolution, catalogue: Catalogue) -> dict[str, frozenset[str]]:
    """The agencies (folded names) responsible for each indicator a target reads, inputs included."""
    found: dict[str, set[str]] = {}

    def add(code: str, names: set[str], seen: frozenset[str] = frozenset()) -> None:
        if code in seen:
            return
        found.setdefault(code, set()).update(names)
        for child in catalogue.inputs_of(code) if code in catalogue else ():
            add(child, names, seen | {code})

    for target in resolution.targets:
        add(target.indicator, {fold(" ".join(r.split())) for r in target.responsible})
    return {code: frozenset(names) for code, names in found.items()}


def responsible_agencies(resolution: Resolution) -> list[str]:
    """Every agency named responsible for a target, as the resolution writes it."""
    return sorted({" ".join(r.split()) for t in resolution.targets for r in t.responsible}, key=fold)


def write_refusal(
    user: User, indicator: str, area: str, *, agencies: Mapping[str, frozenset[str]]
) -> str | None:
    """Why ``user`` may not write ``indicator`` for ``area`` (Vietnamese), or ``None`` when it may."""
    if not user.active:
        return "tài khoản đã bị khóa"
    if user.role in (Role.ADMIN, Role.PROVINCE):
        return None
    if user.role is Role.COMMUNE:
        if area != user.scope:
            return (
                f"tài khoản của xã, phường mã {user.scope} chỉ được nhập số liệu của địa bàn mình "
                f"(không phải {area})"
            )
        return None
    if fold(" ".join(user.scope.split())) not in agencies.get(indicator, frozenset()):
        return f"chỉ số “{indicator}” không thuộc các chỉ tiêu giao cho {user.scope}"
    return None


def can_write(user: User, indicator: str, area: str, *, agencies: Mapping[str, frozenset[str]]) -> bool:
    """True when ``user`` may write figures of ``indicator`` for ``area``."""
    return write_refusal(user, indicator, area, agencies=agencies) is None


def writable_areas(user: User, areas: Sequence[Area]) -> list[Area]:
    """The areas ``user`` may write figures for."""
    if user.role is Role.COMMUNE:
        return [a for a in areas if a.code == user.scope]
    return list(areas)


def writable_indicators(
    user: User, codes: Iterable[str], *, agencies: Mapping[str, frozenset[str]]
) -> list[str]:
    """Of ``codes``, the indicators ``user`` may write (for some area)."""
    if user.role is not Role.AGENCY:
        return list(codes)
    scope = fold(" ".join(user.scope.split()))
    return [c for c in codes if scope in agencies.get(c, frozenset())]


# --- API tokens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """An API token as listed (never the token itself)."""

    id: int
    user_id: int
    name: str
    prefix: str
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(store: Store, username: str, *, name: str = "", actor: str = "") -> str:
    """A new API token for ``username``; only its digest is kept, so show it now."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserNotFound(username)
        s.add(
            ApiTokenRow(
                user_id=row.id,
                name=nfc(name.strip())[:200],
                token_hash=_digest(token),
                prefix=token[: len(TOKEN_PREFIX) + 4],
                created_at=utcnow(),
                created_by=actor,
            )
        )
        s.add(
            AuditEntry(
                actor=actor, action="insert", entity="api_token", entity_id=username, after={"name": name}
            )
        )
    return token


def verify_token(store: Store, token: str) -> User:
    """The active account of a token; :class:`InvalidToken` otherwise."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise InvalidToken()
    with store.session() as s:
        row = s.scalar(
            select(ApiTokenRow).where(
                ApiTokenRow.token_hash == _digest(token), ApiTokenRow.revoked_at.is_(None)
            )
        )
        user = s.get(UserRow, row.user_id) if row is not None else None
        if row is None or user is None or not user.active:
            raise InvalidToken()
        now = utcnow()
        last = _aware(row.last_used_at)
        if last is None or now - last > dt.timedelta(minutes=1):  # not a write per request
            row.last_used_at = now
        return _user(user)


def list_tokens(store: Store, user_id: int) -> list[Token]:
    """The tokens of an account, newest first."""
    with store.session() as s:
        rows = s.scalars(
            select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id.desc())
        )
        return [
            Token(
                r.id,
                r.user_id,
                r.name,
                r.prefix,
                _aware(r.created_at),
                _aware(r.last_used_at),
                _aware(r.revoked_at),
            )
            for r in rows
        ]


def revoke_token(store: Store, token_id: int, *, user_id: int, actor: str = "") -> bool:
    """Revoke a token of ``user_id``; False when it has no such live token."""
    with store.session() as s:
        row = s.get(ApiTokenRow, token_id)
        if row is None or row.user_id != user_id or row.revoked_at is not None:
            return False
        row.revoked_at = utcnow()
        s.add(
            AuditEntry(
                actor=actor,
                action="update",
                entity="api_token",
                entity_id=str(token_id),
                after={"revoked": True},
            )
        )
        return True


# --- survey codes ---------------------------------------------------------------------------

# Letters and digits that cannot be mistaken for one another when read aloud or typed.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
LINK_PREFIX = "link:"


@dataclass(frozen=True)
class SurveyCode:
    """A one-time code of a wave."""

    wave: str
    code: str
    commune: str
    created_at: dt.datetime | None
    used_at: dt.datetime | None


def normalise_code(text: str) -> str:
    """A code as typed ("abcd-2345 ") → "ABCD2345"."""
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()[:64]


def create_survey_codes(
    store: Store, wave: str, count: int, *, commune: str = "", actor: str = ""
) -> list[str]:
    """``count`` new one-time codes for ``wave`` (for one commune when ``commune`` is given)."""
    if not 1 <= count <= 5000:
        raise InvalidAccount("Số mã cần từ 1 đến 5.000", "Between 1 and 5,000 codes")
    codes: list[str] = []
    with store.session() as s:
        taken = set(s.scalars(select(SurveyCodeRow.code).where(SurveyCodeRow.wave == wave)))
        while len(codes) < count:
            code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in taken:
                taken.add(code)
                codes.append(code)
        now = utcnow()
        s.add_all(
            SurveyCodeRow(wave=wave, code=c, commune=commune, created_at=now, created_by=actor) for c in codes
        )
        s.add(
            AuditEntry(
                actor=actor,
                action="insert",
                entity="survey_codes",
                entity_id=wave,
                after={"count": count, "commune": commune},
            )
        )
    return codes


def find_survey_code(store: Store, wave: str, code: str) -> SurveyCode | None:
    """A printed code of ``wave`` (used or not)."""
    with store.session() as s:
        row = s.scalar(select(SurveyCodeRow).where(SurveyCodeRow.wave == wave, SurveyCodeRow.code == code))
        if row is None or row.code.startswith(LINK_PREFIX):
            return None
        return SurveyCode(row.wave, row.code, row.commune, _aware(row.created_at), _aware(row.used_at))


def link_used(store: Store, wave: str, nonce: str) -> bool:
    """True when the signed link with this nonce has already given a response."""
    with store.session() as s:
        code = LINK_PREFIX + nonce
        return (
            s.scalar(select(SurveyCodeRow.id).where(SurveyCodeRow.wave == wave, SurveyCodeRow.code == code))
            is not None
        )


def claim_survey_code(store: Store, wave: str, code: str, *, instance_id: str) -> bool:
    """Mark an unused code as used by ``instance_id``; False if it is unknown or already used.

    One conditional UPDATE: two submissions racing with the same code cannot both win.
    """
    with store.session() as s:
        result = s.execute(
            update(SurveyCodeRow)
            .where(SurveyCodeRow.wave == wave, SurveyCodeRow.code == code, SurveyCodeRow.used_at.is_(None))
            .values(used_at=utcnow(), instance_id=instance_id)
        )
        return bool(getattr(result, "rowcount", 0) == 1)


def claim_survey_link(store: Store, wave: str, nonce: str, *, instance_id: str) -> bool:
    """Record a signed link as used; False when it already was (the unique code refuses it)."""
    try:
        with store.session() as s:
            s.add(
                SurveyCodeRow(
                    wave=wave,
                    code=LINK_PREFIX + nonce,
                    created_at=utcnow(),
                    used_at=utcnow(),
                    instance_id=instance_id,
                )
            )
    except IntegrityError:
        return False
    return True


def release_survey_code(store: Store, wave: str, code: str) -> None:
    """Make a code usable again (its response could not be saved)."""
    with store.session() as s:
        if code.startswith(LINK_PREFIX):
            s.execute(delete(SurveyCodeRow).where(SurveyCodeRow.wave == wave, SurveyCodeRow.code == code))
        else:
            s.execute(
                update(SurveyCodeRow)
                .where(SurveyCodeRow.wave == wave, SurveyCodeRow.code == code)
                .values(used_at=None, instance_id="")
            )


def survey_code_counts(store: Store) -> dict[str, tuple[int, int]]:
    """By wave: printed codes issued, and responses given through a code or a link."""
    printed = case((SurveyCodeRow.code.startswith(LINK_PREFIX), 0), else_=1)
    with store.session() as s:
        rows = s.execute(
            select(SurveyCodeRow.wave, func.sum(printed), func.count(SurveyCodeRow.used_at)).group_by(
                SurveyCodeRow.wave
            )
        )
        return {wave: (int(issued or 0), int(used or 0)) for wave, issued, used in rows}


# --- publication ------------------------------------------------------------------------------


def _scoped_usernames() -> Select[tuple[str]]:
    return select(UserRow.username).where(UserRow.role.in_([Role.AGENCY.value, Role.COMMUNE.value]))


def hidden_batches(*, public: bool) -> Select[tuple[int]]:
    """The ids of the import batches a reader may not see: rejected ones, and for the public the unpublished.

    Unpublished: a batch under review (``pending``), or a batch of an agency or commune
    account without a review row yet (fail closed).
    """
    review = BatchReviewRow
    if not public:
        return select(review.batch_id).where(review.state == REJECTED)
    return (
        select(ImportBatch.id)
        .outerjoin(review, review.batch_id == ImportBatch.id)
        .where(
            or_(
                review.state.in_([PENDING, REJECTED]),
                and_(review.batch_id.is_(None), ImportBatch.actor.in_(_scoped_usernames())),
            )
        )
    )


def record_batch(store: Store, batch_id: int, user: User) -> str:
    """After ``user`` wrote batch ``batch_id``: pending for a scoped account, published otherwise.

    A batch that added nothing (every figure was already stored) has nothing to publish.
    """
    with store.session() as s:
        batch = s.get(ImportBatch, batch_id)
        state = PENDING if user.role.scoped and batch is not None and batch.added else PUBLISHED
        if s.get(BatchReviewRow, batch_id) is None:
            now = utcnow()
            s.add(
                BatchReviewRow(
                    batch_id=batch_id,
                    state=state,
                    submitted_by=user.username,
                    submitted_at=now,
                    reviewed_by="" if state == PENDING else user.username,
                    reviewed_at=None if state == PENDING else now,
                )
            )
    return state


def review_batch(store: Store, batch_id: int, state: str, *, reviewer: User, note: str = "") -> None:
    """Publish or reject a batch (provincial office and administrators only)."""
    if not reviewer.reviews:
        raise PermissionDenied(
            "Chỉ Văn phòng cấp tỉnh hoặc quản trị được công bố số liệu",
            "Only the provincial office publishes",
        )
    if state not in (PUBLISHED, REJECTED, PENDING):
        raise InvalidAccount(f"Trạng thái “{state}” không hợp lệ", f"Unknown state “{state}”")
    with store.session() as s:
        batch = s.get(ImportBatch, batch_id)
        if batch is None:
            raise ChisoError(f"Không có lô số liệu {batch_id}", f"No batch {batch_id}")
        row = s.get(BatchReviewRow, batch_id)
        before = row.state if row is not None else None
        if row is None:
            row = BatchReviewRow(
                batch_id=batch_id, submitted_by=batch.actor, submitted_at=_aware(batch.at) or utcnow()
            )
            s.add(row)
        row.state, row.reviewed_by, row.reviewed_at, row.note = (
            state,
            reviewer.username,
            utcnow(),
            nfc(note.strip()),
        )
        s.add(
            AuditEntry(
                actor=reviewer.username,
                action="review",
                entity="observations",
                entity_id=str(batch_id),
                before={"state": before},
                after={"state": state, "note": row.note},
            )
        )


@dataclass(frozen=True)
class BatchState:
    """An import batch with its publication state."""

    id: int
    file_name: str
    actor: str
    at: dt.datetime | None
    added: int
    state: str
    reviewed_by: str
    reviewed_at: dt.datetime | None
    note: str

    @property
    def label(self) -> str:
        """The state in Vietnamese."""
        return REVIEW_LABELS.get(self.state, self.state)


def batch_states(
    store: Store,
    *,
    actor: str | None = None,
    ids: Collection[int] | None = None,
    states: Collection[str] | None = None,
    limit: int = 200,
) -> list[BatchState]:
    """Batches with their publication state, newest first.

    Without ``actor`` or ``ids``: only the batches under the publication rule (reviewed,
    or written by a scoped account). A scoped account's batch without a review row is
    pending; any other batch without one is published.
    """
    scoped = set(store_scoped_usernames(store))
    with store.session() as s:
        query = (
            select(ImportBatch, BatchReviewRow)
            .outerjoin(BatchReviewRow, BatchReviewRow.batch_id == ImportBatch.id)
            .order_by(ImportBatch.id.desc())
        )
        if ids is not None:
            query = query.where(ImportBatch.id.in_(list(ids)))
        if actor is not None:
            query = query.where(ImportBatch.actor == actor)
        if ids is None and actor is None:
            query = query.where(or_(BatchReviewRow.batch_id.is_not(None), ImportBatch.actor.in_(scoped)))
        found = []
        for batch, review in s.execute(query):
            state = review.state if review is not None else (PENDING if batch.actor in scoped else PUBLISHED)
            if states is not None and state not in states:
                continue
            found.append(
                BatchState(
                    batch.id,
                    batch.file_name,
                    batch.actor,
                    _aware(batch.at),
                    batch.added,
                    state,
                    review.reviewed_by if review is not None else "",
                    _aware(review.reviewed_at) if review is not None else None,
                    review.note if review is not None else "",
                )
            )
            if len(found) >= limit:
                break
        return found


def store_scoped_usernames(store: Store) -> list[str]:
    """The names of the agency and commune accounts."""
    with store.session() as s:
        return list(s.scalars(_scoped_usernames()))
