"""``chiso users``: accounts of the web application — add, list, API tokens."""

from __future__ import annotations

import sys

import click

from chiso import settings
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError


@click.group()
def users() -> None:
    """Accounts of the web application: add, list, API tokens."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "province", "agency", "commune"]),
    help="admin; province (provincial office: all data); agency (its indicators); commune (its own area).",
)
@click.option(
    "--scope", default="", help="An agency's name as the resolution writes it, or a commune's code."
)
@click.option("--full-name", default="", help="The person's or office's name, shown in the pages.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input."
)
def users_add(name: str, role: str, scope: str, full_name: str, password_stdin: bool) -> None:
    """Add an account; asks for its password (or reads it with --password-stdin).

    An agency account writes the indicators of the targets whose responsible agencies
    include its scope; a commune account writes figures of its own commune only.

    Example:

        chiso users add vanphong --role province --full-name "Văn phòng UBND tỉnh"
        echo "mat-khau-du-dai" | chiso users add xa-quang-uyen --role commune --scope 01576 --password-stdin
    """
    from chiso.auth import create_user, responsible_agencies
    from chiso.resolutions import load_resolution, resolve_resolution_path

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")
    try:
        agencies = None
        if role == "agency":
            resolution, _ = load_resolution(resolve_resolution_path(settings.require("CHISO_RESOLUTION")))
            agencies = responsible_agencies(resolution)
        user = create_user(
            default_store(),
            name,
            password,
            role=role,
            scope=scope,
            full_name=full_name,
            agencies=agencies,
            actor="chiso users add",
        )
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đã tạo tài khoản {user.username}: {user.role.label}; {user.scope_label}.")


@users.command("list")
def users_list() -> None:
    """List the accounts: name, role, scope, state, last login.

    Example:

        chiso users list
    """
    from chiso.auth import list_users

    for user in list_users(default_store()):
        state = "hoạt động" if user.active else "đã khóa"
        last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "-"
        click.echo(
            f"{user.username}\t{user.role.value}\t{user.scope or '-'}\t{state}\t{last}\t{user.full_name}"
        )


@users.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown in the account page).")
def users_token(name: str, label: str) -> None:
    """Create an API token for an account and print it (it is shown only this once).

    Send it as ``Authorization: Bearer <token>`` to ``POST /api/observations``.

    Example:

        chiso users token so-y-te --label "Phần mềm thống kê y tế"
    """
    from chiso.auth import create_token

    try:
        token = create_token(default_store(), name, name=label, actor="chiso users token")
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(token)


commands = [users]
