"""Test support: servers and helpers the tests start, such as an OpenID Connect provider."""
