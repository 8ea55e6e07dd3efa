"""OpenAPI description of the token authentication (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "« Token <clé> » : clé personnelle créée sur la page « Accès à l'API » de votre compte.",
        }


class ApiAutoSchema(AutoSchema):
    """Descriptions come from `extend_schema(description=…)` only: the views' docstrings are written
    for developers (in English) and stay out of the public, French documentation."""

    def get_description(self):
        return ""
