"""A real OpenID Connect identity provider for tests, built with authlib's server side.

It serves, on 127.0.0.1 and a free port, what an organisation's provider serves: a discovery document
(`/.well-known/openid-configuration`), its public keys (`/jwks`), an authorization endpoint and a
token endpoint. The authorization code grant has the OpenID Connect extension (ID tokens signed with
an RS256 key made at start) and PKCE, which this provider demands with method S256.

There is no login form: the provider answers for whoever the test signed in (`sign_in_as`), or says
`access_denied` (`deny`). It records what it was asked, so tests can check what the app sent.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import BaseWSGIServer, make_server

SCOPES = ("openid", "email", "profile")


@dataclass(frozen=True)
class ProviderUser:
    """Someone with an account at the provider."""

    subject: str
    email: str
    email_verified: bool = True
    name: str = "Test Medewerker"


@dataclass
class Client(ClientMixin):
    """An application registered at the provider (here: one tenant of Aandacht)."""

    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(part for part in (scope or "").split() if part in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    """A code handed to the browser, waiting to be exchanged at the token endpoint."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: ProviderUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


class CodeGrant(grants.AuthorizationCodeGrant):
    """The authorization code grant, storing codes in the provider's memory."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, request) -> None:
        data = request.payload.data
        self.server.provider.codes[code] = AuthorizationCode(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            user=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.server.provider.codes.get(code)
        return found if found is not None and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> ProviderUser:
        return authorization_code.user


class S256Only(CodeChallenge):
    """PKCE, demanded on every authorization request and with the S256 method only."""

    def validate_code_challenge(self, grant, redirect_uri) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required.")
        super().validate_code_challenge(grant, redirect_uri)


class SignedIdTokens(OpenIDCode):
    """ID tokens of this provider: RS256, signed with its key, for the client that asked."""

    def __init__(self, provider: IdentityProvider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request) -> bool:
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.provider.signing_key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "kid": self.provider.key.kid}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {"iss": self.provider.issuer, "aud": [client.client_id]}

    def generate_user_info(self, user: ProviderUser, scope: str) -> UserInfo:
        info = UserInfo(sub=user.subject)
        if "email" in scope.split():
            info.update(email=user.email, email_verified=user.email_verified)
        if "profile" in scope.split():
            info["name"] = user.name
        return info


class IdentityProvider:
    """The provider, with its clients, the user who is signed in and a log of what it was asked."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
        #: The key ID tokens are signed with: the published one, unless a test forges tokens.
        self.signing_key = self.key
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        #: Query parameters of every authorization request, oldest first.
        self.authorization_requests: list[dict[str, str]] = []
        #: Per token request: whether a code_verifier came along, and the status of the answer.
        self.token_requests: list[dict[str, Any]] = []
        self.signed_in: ProviderUser | None = None
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.app = self._make_app()

    # --- What tests do -----------------------------------------------------------------------------

    def add_client(self, redirect_uri: str) -> Client:
        """Register an application that sends its users back to `redirect_uri`."""
        client = Client(
            client_id=f"client-{secrets.token_hex(6)}",
            client_secret=secrets.token_urlsafe(24),
            redirect_uris=[redirect_uri],
        )
        self.clients[client.client_id] = client
        return client

    def sign_in_as(self, user: ProviderUser) -> None:
        """From now on, approve every authorization request for `user`."""
        self.signed_in = user

    def deny(self) -> None:
        """From now on, answer every authorization request with `access_denied`."""
        self.signed_in = None

    def forge_id_tokens(self) -> None:
        """From now on, sign ID tokens with a key that is not published (under the published key's id)."""
        self.signing_key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid})

    def reset(self) -> None:
        """Nobody signed in, honest ID tokens."""
        self.signed_in = None
        self.signing_key = self.key

    @property
    def issuer(self) -> str:
        """The provider's issuer identifier (its base address)."""
        assert self._server is not None, "start the provider first"
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def metadata_url(self) -> str:
        """The address of the discovery document, as a tenant file names it."""
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self) -> IdentityProvider:
        """Serve on 127.0.0.1 on a free port, in a thread."""
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- The provider's endpoints ------------------------------------------------------------------

    def _make_app(self) -> Flask:
        app = Flask("test_identity_provider")
        app.config["OAUTH2_SCOPES_SUPPORTED"] = list(SCOPES)
        server = AuthorizationServer(app, query_client=self.clients.get, save_token=lambda token, req: None)
        server.provider = self
        server.register_grant(CodeGrant, [S256Only(required=True), SignedIdTokens(self)])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(self._discovery_document())

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            self.authorization_requests.append(request.args.to_dict())
            try:
                grant = server.get_consent_grant(end_user=self.signed_in)
            except OAuth2Error as error:
                return server.handle_error_response(None, error)
            return server.create_authorization_response(grant=grant, grant_user=self.signed_in)

        @app.post("/token")
        def token():
            response = server.create_token_response()
            self.token_requests.append(
                {"code_verifier": "code_verifier" in request.form, "status": response.status_code}
            )
            return response

        return app

    def _discovery_document(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": list(SCOPES),
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "nonce",
                "email",
                "email_verified",
                "name",
            ],
        }
