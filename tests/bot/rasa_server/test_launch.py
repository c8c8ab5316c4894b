"""The Rasa launcher's command line: the API token from the environment is added as one argument."""

import argparse

import pytest

from bot.rasa_server.launch import rasa_arguments


def _parsed_token(arguments):
    parser = argparse.ArgumentParser()
    parser.add_argument("--enable-api", action="store_true")
    parser.add_argument("-t", "--auth-token")
    return parser.parse_args(arguments).auth_token


@pytest.mark.parametrize("token", ["plain-token", "-starts-with-a-dash", "--looks-like-an-option"])
def test_the_token_reaches_rasa_whatever_it_begins_with(token):
    arguments = rasa_arguments(["--enable-api"], token)
    assert _parsed_token(arguments) == token


def test_no_token_is_added_without_the_api_or_when_one_is_given():
    assert rasa_arguments(["run"], "secret") == ["run"]
    assert rasa_arguments(["--enable-api", "--auth-token=mine"], "secret") == ["--enable-api", "--auth-token=mine"]
    assert rasa_arguments(["--enable-api", "-t", "mine"], "secret") == ["--enable-api", "-t", "mine"]
    assert rasa_arguments(["--enable-api"], None) == ["--enable-api"]
