"""Security headers, CSP without unsafe-inline, and a clean `check --deploy`."""

import os
import re
import subprocess
import sys

import pytest


@pytest.mark.django_db
def test_strict_csp_with_nonce(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts, "the page loads htmx"
    assert all(f'nonce="{nonce}"' in tag and "src=" in tag for tag in scripts)
    assert " style=" not in html


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def _check_deploy(extra_env):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LOTSE_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "lotse", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = _check_deploy(
        {
            "LOTSE_DEBUG": "0",
            "LOTSE_BASE_URL": "https://lotse.musterstadt.de",
            "LOTSE_SECRET_KEY": "k" * 30 + "9Qz!x7#Lm2@vR5$wT8&yB1^nC4*pD6(",
            "LOTSE_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_about_a_development_setup(tmp_path):
    result = _check_deploy({"LOTSE_DEBUG": "1", "LOTSE_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "security.W" in result.stdout + result.stderr


def test_https_without_secret_key_refuses_to_start(tmp_path):
    result = _check_deploy(
        {"LOTSE_BASE_URL": "https://lotse.example", "LOTSE_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "LOTSE_SECRET_KEY" in result.stderr


def test_production_hasher_is_argon2():
    from lotse import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
