"""The OpenAPI schema's additions to drf-spectacular's: every operation's error answers, in the
one shape of ``errors.ErrorSerializer``."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from programmes.api.errors import ErrorSerializer

ERRORS = {
    "400": "Invalid input: a query parameter or the body; `errors` names each.",
    "401": "No token, or a token that is not valid, expired or revoked.",
    "403": "The token's owner may not do this; `detail` says why.",
    "404": "Not found, or not visible to the token's owner (or a page beyond the last).",
    "405": "The method is not allowed on this path.",
    "406": "The Accept header asks for a format the API does not give (it gives JSON).",
    "415": "The body is not JSON.",
    "429": "Too many requests for this token: wait the seconds `Retry-After` says.",
}
READ_ERRORS = ("400", "401", "403", "404", "405", "406", "429")
WRITE_ERRORS = (*READ_ERRORS, "415")


class Schema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in responses.items():
            if not response.get("description"):
                response["description"] = "Created" if code == "201" else "OK"
        codes = WRITE_ERRORS if self.method in ("PUT", "POST", "PATCH") else READ_ERRORS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=ERRORS[code]), code
                )
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    """``pfp.tokens``' authentication, as OpenAPI sees it: an HTTP bearer token."""

    target_class = "pfp.tokens.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, created on the account page (API tokens).",
        }


def _path_parameter(path: str, name: str) -> str:
    if name == "code":
        return "The menu activity's code." if "/menu/" in path else "The partner's ISO code."
    if name == "id":
        kind = path.removeprefix("/api/v1/").split("/")[0].removesuffix("s")
        return f"The {kind}'s id."
    return ""


def describe_path_parameters(result, generator, request, public):
    """A postprocessing hook: every path parameter drf-spectacular left without a description
    gets one (its ids and codes, named after the path); every filter may be empty."""
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and not parameter.get("description"):
                    parameter["description"] = _path_parameter(path, parameter["name"])
                if parameter["in"] == "query" and parameter["name"] not in ("page", "page_size"):
                    # The pages' filtersets read an empty value as "not filtered" (an HTML form
                    # sends its empty fields): so does the API.
                    parameter["allowEmptyValue"] = True
    return result
