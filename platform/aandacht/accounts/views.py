"""Login and logout pages.

Residents log in by e-mail link or password (with an optional SMS code); staff by password with an
authenticator app (or their organisation's identity provider); the platform administrator the same
way, on the platform's own address.
"""

from __future__ import annotations

import base64
import io
import uuid

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts import service
from aandacht.accounts import staff as staff_accounts
from aandacht.accounts.limits import limiter
from aandacht.accounts.models import Person, PlatformAdministrator, StaffMember
from aandacht.accounts.permissions import public
from aandacht.accounts.sessions import load_account, log_in, log_out, pending, start_pending

blueprint = Blueprint("accounts", __name__, template_folder="templates")
LOGIN_LIMIT = "20 per minute"


def refusal_message(refused: service.LoginRefused) -> str:
    """What a refused login step means for the person, in plain words."""
    if refused.reason == "locked":
        return _("Too many tries. You can try again at %(time)s.", time=format_time(refused.until, "HH:mm"))
    if refused.reason == "expired":
        return _("This link or code is too old. Ask for a new one.")
    if refused.reason == "used":
        return _("This link or code was already used. Ask for a new one.")
    return _("That did not work. Check what you typed and try again.")


def _safe_next() -> str | None:
    """A `next` address only when it stays inside this tenant on this host."""
    target = request.values.get("next", "")
    inside = target.startswith(request.script_root + "/") and not target.startswith("//")
    return target if inside else None


def _landing(kind: str, account) -> str:
    """Where an account goes after logging in."""
    if kind == "person":
        return url_for("participant.home")
    if kind == "platform":
        return url_for("platform.tenants")
    return url_for("portal.overview" if account.role == "tenant_admin" else "workspace.caseload")


def finish_login(kind: str, account) -> Response:
    """Log `account` in (a fresh session) and go where it was going, or to its own face."""
    service.record_login(account)
    destination = session.get("after_login") or _landing(kind, account)
    log_in(kind, account)
    return redirect(destination)


def remember_next() -> None:
    """Keep the `next` address of a login page for after the login (only inside this tenant)."""
    target = _safe_next()
    if target:
        session["after_login"] = target


# --- Residents -------------------------------------------------------------------------------------


def _require_tenant() -> None:
    if g.tenant is None:
        abort(404)


@blueprint.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> str | Response:
    """Ask for an e-mail address and send a login link to it."""
    _require_tenant()
    remember_next()
    if request.method == "POST":
        email = request.form.get("email", "").strip()
        if "@" not in email:
            flash(_("Fill in your e-mail address."), "error")
            return render_template("accounts/login.html", email=email), 400
        service.send_magic_link(email, _magic_link_url)
        return render_template("accounts/link_sent.html", email=email)
    return render_template("accounts/login.html", email="")


@blueprint.route("/login/password", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def password_login() -> str | Response:
    """Log in with e-mail address and password."""
    _require_tenant()
    remember_next()
    if request.method == "GET":
        return render_template("accounts/password_login.html", email="")
    email = request.form.get("email", "")
    person = service.person_by_email(email)
    try:
        service.check_password(person, request.form.get("password", ""))
    except service.LoginRefused as refused:
        flash(refusal_message(refused), "error")
        return render_template("accounts/password_login.html", email=email), 401
    return _second_step_or_finish(person)


@blueprint.get("/login/link/<token>")
@public
def magic_link(token: str) -> str:
    """Confirm before using the link (mail scanners open links; only a person presses the button)."""
    _require_tenant()
    return render_template("accounts/magic_link.html", token=token)


@blueprint.post("/login/link/<token>")
@public
@limiter.limit(LOGIN_LIMIT)
def use_magic_link(token: str) -> str | Response:
    """Log in with the link from the e-mail."""
    _require_tenant()
    try:
        person = service.redeem_magic_link(token)
    except service.LoginRefused as refused:
        flash(refusal_message(refused), "error")
        return render_template("accounts/login.html", email=""), 400
    return _second_step_or_finish(person)


def _magic_link_url(token: str) -> str:
    return url_for("accounts.magic_link", token=token, _external=True)


def _second_step_or_finish(person: Person) -> Response:
    if person.sms_second_factor and person.phone:
        service.send_sms_code(person)
        start_pending("sms", person.id)
        return redirect(url_for("accounts.sms_code"))
    return finish_login("person", person)


@blueprint.route("/login/code", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def sms_code() -> str | Response:
    """The second step: the code sent by SMS."""
    _require_tenant()
    waiting = pending("sms")
    if waiting is None:
        flash(_("Please log in again."), "error")
        return redirect(url_for("accounts.login"))
    if request.method == "GET":
        return render_template("accounts/sms_code.html")
    try:
        person = service.verify_sms_code(uuid.UUID(waiting["id"]), request.form.get("code", ""))
    except service.LoginRefused as refused:
        flash(refusal_message(refused), "error")
        return render_template("accounts/sms_code.html"), 401
    session.pop("pending_sms", None)
    return finish_login("person", person)


# --- Staff and platform administrators ---------------------------------------------------------------


def _staff_kind() -> str:
    return "staff" if g.tenant is not None else "platform"


@blueprint.route("/staff/login", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def staff_login() -> str | Response:
    """Staff log in with their organisation's identity provider, or with password and authenticator app."""
    remember_next()
    if request.method == "GET":
        return render_template("accounts/staff_login.html", email="")
    email = request.form.get("email", "")
    account = service.staff_by_email(email) if g.tenant else service.platform_admin_by_email(email)
    try:
        service.check_password(account, request.form.get("password", ""))
    except service.LoginRefused as refused:
        flash(refusal_message(refused), "error")
        return render_template("accounts/staff_login.html", email=email), 401
    start_pending("totp", account.id)
    return redirect(url_for("accounts.staff_totp" if account.totp_secret else "accounts.staff_enrol"))


def _pending_staff() -> StaffMember | PlatformAdministrator | None:
    waiting = pending("totp")
    if waiting is None:
        return None
    return load_account(_staff_kind(), uuid.UUID(waiting["id"]))


@blueprint.route("/staff/login/code", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def staff_totp() -> str | Response:
    """The second step for staff: the code of their authenticator app."""
    account = _pending_staff()
    if account is None or not account.totp_secret:
        return redirect(url_for("accounts.staff_login"))
    if request.method == "GET":
        return render_template("accounts/staff_totp.html")
    if not service.totp_matches(account, request.form.get("code", "")):
        flash(_("That code is not right. Use the newest code from your app."), "error")
        return render_template("accounts/staff_totp.html"), 401
    session.pop("pending_totp", None)
    return finish_login(_staff_kind(), account)


@blueprint.route("/staff/login/enrol", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def staff_enrol() -> str | Response:
    """First login of a local account: connect an authenticator app."""
    account = _pending_staff()
    if account is None or account.totp_secret:
        return redirect(url_for("accounts.staff_login"))
    secret = session.get("enrol_secret") or service.new_totp_secret()
    session["enrol_secret"] = secret
    if request.method == "POST":
        if service.enrol_totp(account, secret, request.form.get("code", "")):
            session.pop("enrol_secret", None)
            session.pop("pending_totp", None)
            return finish_login(_staff_kind(), account)
        flash(_("That code is not right. Scan the code again and use the newest code."), "error")
    issuer = g.tenant.name if g.tenant else "Aandacht"
    uri = service.totp_uri(secret, account.email, issuer)
    return render_template("accounts/staff_enrol.html", secret=secret, qr=_qr_svg(uri))


@blueprint.route("/staff/invitation/<token>", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def staff_invitation(token: str) -> str | tuple[str, int] | Response:
    """A new local staff member chooses their password with the link from their invitation."""
    _require_tenant()
    try:
        member = staff_accounts.invitation_holder(token)
    except service.LoginRefused as refused:
        return _invitation_page(None, token, refusal_message(refused)), 400
    if request.method == "GET":
        return _invitation_page(member, token)
    password = request.form.get("password", "")
    problem = None
    if password != request.form.get("password_again", ""):
        problem = _("The two passwords are not the same. Type the same password twice.")
    elif len(password) < staff_accounts.MIN_PASSWORD_LENGTH:
        problem = _(
            "Your password is too short. Use at least %(count)d characters.",
            count=staff_accounts.MIN_PASSWORD_LENGTH,
        )
    if problem is None:
        try:
            staff_accounts.accept_invitation(token=token, password=password)
        except service.LoginRefused as refused:
            problem = refusal_message(refused)
    if problem is not None:
        flash(problem, "error")
        return _invitation_page(member, token), 400
    flash(_("Your password is saved. Log in now, then connect your authenticator app."), "info")
    return redirect(url_for("accounts.staff_login"))


def _invitation_page(member: StaffMember | None, token: str, problem: str | None = None) -> str:
    return render_template(
        "accounts/staff_invitation.html",
        member=member,
        token=token,
        problem=problem,
        min_length=staff_accounts.MIN_PASSWORD_LENGTH,
    )


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


# --- Leaving -----------------------------------------------------------------------------------------


@blueprint.post("/logout")
@public
def logout() -> Response:
    """Log out in this browser."""
    staff = g.principal.kind in ("staff", "platform")
    log_out()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.staff_login" if staff else "accounts.login"))


@blueprint.post("/logout/everywhere")
@public
def logout_everywhere() -> Response:
    """Log out on every device at once (a lost phone, a shared computer)."""
    principal = g.principal
    if principal.kind in ("person", "staff", "platform"):
        account = load_account(principal.kind, principal.id)
        if account is not None:
            service.log_out_everywhere(account)
    return logout()
